// A job's detail in a modal <dialog>: facts, progress, payload, result, logs and every attempt, with the actions
// its status allows. It follows the job live while open.

import { api } from './api.js';
import { h, fill } from './dom.js';
import { duration, json, time } from './format.js';
import { watchJob } from './live.js';

const FINISHED = new Set(['completed', 'failed']);

export class JobDetail {
  constructor(features, { onChanged, onClosed, announce }) {
    this.features = features;
    this.onChanged = onChanged;
    this.onClosed = onClosed;
    this.announce = announce;
    this.job = null;
    this.stopWatching = null;
    this.confirmingDelete = false;

    this.title = h('h2', { id: 'detail-title' }, 'Job');
    this.body = h('div', { class: 'detail-body' });
    this.error = h('p', { class: 'error', role: 'alert', hidden: true });
    this.actions = h('div', { class: 'actions', role: 'group', 'aria-label': 'Job actions' });
    this.dialog = h('dialog', { class: 'detail', 'aria-labelledby': 'detail-title', 'data-testid': 'job-detail' },
      h('header', {},
        this.title,
        h('button', { type: 'button', class: 'icon', 'aria-label': 'Close', onclick: () => this.close() }, '✕')),
      this.actions,
      this.error,
      this.body);
    this.dialog.addEventListener('close', () => this.closed());
    document.body.append(this.dialog);
  }

  get openId() {
    return this.dialog.open ? this.job?.id ?? this.loadingId : null;
  }

  async open(id) {
    this.loadingId = id;
    this.seen = null;
    this.confirmingDelete = false;
    this.stopWatching?.();
    fill(this.title, 'Job ', h('span', { class: 'mono' }, id));
    fill(this.body, h('p', { class: 'muted' }, 'Loading…'));
    fill(this.actions);
    this.error.hidden = true;
    if (!this.dialog.open) {
      this.dialog.showModal();
    }

    await this.refresh();
    this.stopWatching = watchJob(this.features, id, () => this.refresh());
  }

  close() {
    this.dialog.close();
  }

  closed() {
    this.stopWatching?.();
    this.stopWatching = null;
    this.job = null;
    this.onClosed();
  }

  async refresh() {
    const id = this.loadingId;
    try {
      const job = await api.job(id);
      if (id !== this.loadingId || !this.dialog.open) {
        return;
      }

      const seen = JSON.stringify(job);
      if (seen === this.seen) {
        return;
      }

      this.seen = seen;
      this.job = job;
      this.render();
    } catch (error) {
      if (id === this.loadingId) {
        this.showError(error.status === 404 ? `No job ${id}: it may have been deleted.` : error.message);
      }
    }
  }

  showError(message) {
    this.error.textContent = message;
    this.error.hidden = false;
  }

  render() {
    const job = this.job;
    fill(this.title, `${job.type} job `, h('span', { class: 'mono' }, job.id));
    this.renderActions(job);
    const scroll = this.body.scrollTop;
    fill(this.body,
      h('p', {}, h('span', { class: `status ${job.status}`, 'data-testid': 'detail-status' }, job.status)),
      facts(job),
      progress(job),
      section('Payload', h('pre', { class: 'code', tabindex: 0, 'aria-label': 'Payload' }, json(job.payload))),
      section('Result', h('pre', { class: 'code', tabindex: 0, 'aria-label': 'Result' }, json(job.result))),
      section('Logs', logs(job.logs)),
      section('Attempts', history(job.history)));
    this.body.scrollTop = scroll;
  }

  renderActions(job) {
    const button = (label, verb, enabled, className) => enabled
      ? h('button', { type: 'button', class: className, onclick: () => this.act(verb, label) }, label)
      : null;
    const deleteLabel = this.confirmingDelete ? 'Confirm delete' : 'Delete';
    const focusedLabel = this.actions.contains(document.activeElement) ? document.activeElement.textContent : null;
    fill(this.actions,
      button('Retry', 'retry', job.status === 'failed', 'primary'),
      button('Promote', 'promote', job.status === 'delayed'),
      button('Cancel', 'cancel', ['wait', 'delayed', 'active'].includes(job.status)),
      button(deleteLabel, 'delete', job.status !== 'active', 'danger'));
    const again = [...this.actions.querySelectorAll('button')].find((b) => b.textContent === focusedLabel);
    again?.focus();
  }

  async act(verb, label) {
    if (verb === 'delete' && !this.confirmingDelete) {
      this.confirmingDelete = true;
      this.renderActions(this.job);
      this.actions.querySelector('.danger')?.focus();
      this.announce('Press Confirm delete to delete the job.');
      return;
    }

    this.error.hidden = true;
    try {
      if (verb === 'delete') {
        await api.remove(this.job.id);
        this.announce(`Deleted job ${this.job.id}.`);
        this.close();
      } else {
        this.job = await api.command(this.job.id, verb);
        this.announce(`${label}: job ${this.job.id} is now ${this.job.status}.`);
        this.render();
      }

      this.onChanged();
    } catch (error) {
      this.showError(error.message);
    } finally {
      this.confirmingDelete = false;
    }
  }
}

function section(title, content) {
  return h('section', {}, h('h3', {}, title), content);
}

function facts(job) {
  const rows = [
    ['Tenant', job.tenant],
    ['Attempts', `${job.attemptsMade} / ${job.attempts}`],
    ['Priority', job.priority],
    ['Created at', time(job.createdAt)],
    ['Due at', time(job.dueAt)],
    ['Started at', time(job.startedAt)],
    ['Finished at', time(job.finishedAt)],
    ['Start latency', duration(job.startLatencyMs)],
    ['Run time', duration(job.runTimeMs)],
    ['Timeout', job.timeoutMs ? duration(job.timeoutMs) : '—'],
    ['Backoff', job.backoff ? `${job.backoff.kind}, ${duration(job.backoff.delayMs)}` : '—'],
    ['Failed reason', job.failedReason ?? '—'],
  ];
  return h('dl', { class: 'facts' }, rows.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

function progress(job) {
  const percent = job.progress?.percent ?? 0;
  const message = job.progress?.message;
  const live = !FINISHED.has(job.status);
  return h('div', { class: 'progress' },
    h('label', { for: 'detail-progress' }, 'Progress'),
    h('progress', { id: 'detail-progress', max: 100, value: percent, 'data-testid': 'detail-progress' }),
    h('span', { 'aria-live': live ? 'polite' : 'off' }, `${percent}%${message ? ` — ${message}` : ''}`));
}

function logs(lines) {
  if (!lines?.length) {
    return h('p', { class: 'muted' }, 'No log lines.');
  }

  return h('div', { class: 'scroll' }, h('table', { class: 'small' },
    h('thead', {}, h('tr', {}, ['Time', 'Attempt', 'Level', 'Message'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, lines.map((line) => h('tr', { class: `level-${line.level}` },
      h('td', { class: 'nowrap' }, time(line.at)),
      h('td', { class: 'num' }, line.attempt),
      h('td', {}, line.level),
      h('td', { class: 'message' }, line.message))))));
}

function history(attempts) {
  if (!attempts?.length) {
    return h('p', { class: 'muted' }, 'No attempt has started yet.');
  }

  return h('div', { class: 'scroll' }, h('table', { class: 'small', 'data-testid': 'history' },
    h('thead', {}, h('tr', {},
      ['Attempt', 'Started at', 'Finished at', 'Run time', 'Outcome', 'Error', 'Silo'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, attempts.map((a) => h('tr', {},
      h('td', { class: 'num' }, a.attempt),
      h('td', { class: 'nowrap' }, time(a.startedAt)),
      h('td', { class: 'nowrap' }, time(a.finishedAt)),
      h('td', { class: 'num' }, a.finishedAt ? duration(new Date(a.finishedAt) - new Date(a.startedAt)) : '—'),
      h('td', {}, a.outcome ?? 'running'),
      h('td', { class: 'message' }, a.error ?? '—'),
      h('td', { class: 'mono' }, a.silo))))));
}
