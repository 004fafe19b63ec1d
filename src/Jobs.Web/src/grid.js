// The jobs grid: a real <table>, rows keyed by job id and updated in place so live updates keep focus and scroll.

import { h, fill } from './dom.js';
import { duration, time } from './format.js';

const text = (value) => value ?? '—';

/** Every column the grid can show. `types` limits a column to some job types; `optional` ones start hidden. */
export const COLUMNS = [
  { key: 'id', label: 'ID', fixed: true, sort: (j) => j.id, cell: (j, open) => idCell(j, open) },
  {
    key: 'attempts', label: 'Attempts', sort: (j) => j.attemptsMade,
    cell: (j) => h('span', { 'aria-label': `${j.attemptsMade} made of ${j.attempts}` }, `${j.attemptsMade} / ${j.attempts}`),
  },
  { key: 'startLatency', label: 'Start latency', numeric: true, sort: (j) => j.startLatencyMs, cell: (j) => duration(j.startLatencyMs) },
  { key: 'runTime', label: 'Run time', numeric: true, sort: (j) => j.runTimeMs, cell: (j) => duration(j.runTimeMs) },
  { key: 'startedAt', label: 'Started at', sort: (j) => j.startedAt, cell: (j) => time(j.startedAt) },
  { key: 'finishedAt', label: 'Finished at', sort: (j) => j.finishedAt, cell: (j) => time(j.finishedAt) },
  {
    key: 'failedReason', label: 'Failed reason', sort: (j) => j.failedReason,
    cell: (j) => h('span', { class: 'reason', title: j.failedReason ?? undefined }, text(j.failedReason)),
  },
  { key: 'subject', label: 'Subject', types: ['send'], sort: (j) => j.summary?.subject, cell: (j) => text(j.summary?.subject) },
  { key: 'to', label: 'Recipient', types: ['send'], sort: (j) => j.summary?.to, cell: (j) => text(j.summary?.to) },
  { key: 'progress', label: 'Progress', optional: true, numeric: true, sort: (j) => j.progress, cell: (j) => progressCell(j) },
  { key: 'createdAt', label: 'Created at', optional: true, sort: (j) => j.createdAt, cell: (j) => time(j.createdAt) },
  { key: 'dueAt', label: 'Due at', optional: true, sort: (j) => j.dueAt, cell: (j) => time(j.dueAt) },
  { key: 'priority', label: 'Priority', optional: true, numeric: true, sort: (j) => j.priority, cell: (j) => j.priority },
  { key: 'tenant', label: 'Tenant', optional: true, operatorOnly: true, sort: (j) => j.tenant, cell: (j) => j.tenant },
];

function idCell(job, open) {
  return h('button', {
    type: 'button',
    class: 'link mono',
    title: job.id,
    'aria-label': `Job ${job.id}`,
    onclick: (event) => {
      event.stopPropagation();
      open(job.id);
    },
  }, job.id.slice(0, 8));
}

function progressCell(job) {
  return h('span', { class: 'mini-progress' },
    h('progress', { max: 100, value: job.progress, 'aria-label': `Progress of ${job.id}` }),
    ` ${job.progress}%`);
}

/** The columns a type can show, for the column chooser. */
export function columnsFor(type, isOperator) {
  return COLUMNS.filter((c) => (!c.types || c.types.includes(type)) && (!c.operatorOnly || isOperator));
}

/** Which columns start visible for a type. */
export function defaultVisible(type, isOperator) {
  return columnsFor(type, isOperator).filter((c) => !c.optional).map((c) => c.key);
}

function compare(a, b) {
  if (a === b) {
    return 0;
  }

  if (a === null || a === undefined) {
    return 1;
  }

  if (b === null || b === undefined) {
    return -1;
  }

  return a < b ? -1 : 1;
}

/**
 * Renders the grid into `table`. `view` = { items, columns, sort: { key, dir } | null, order, selectedId }: `order`
 * = { key, dir, label, allPages(key) } is the server's order across pages; `sort` a sort of the rows on screen only.
 * `on` = { open(id), sort(key) }.
 */
export function renderGrid(table, view, on) {
  const head = table.tHead ?? table.createTHead();
  const body = table.tBodies[0] ?? table.createTBody();
  const headKey = view.columns.map((c) => `${c.key}${view.order.allPages(c.key) ? '*' : ''}`).join(',')
    + `|${view.sort?.key}:${view.sort?.dir}|${view.order.key}:${view.order.dir}:${view.order.label}`;
  if (head.dataset.key !== headKey) {
    head.dataset.key = headKey;
    fill(head, h('tr', {}, view.columns.map((column) => header(column, view, on))));
  }

  const items = [...view.items];
  if (view.sort) {
    const column = view.columns.find((c) => c.key === view.sort.key);
    if (column) {
      items.sort((a, b) => compare(column.sort(a), column.sort(b)) * (view.sort.dir === 'asc' ? 1 : -1));
    }
  }

  if (items.length === 0) {
    fill(body, h('tr', { class: 'empty' },
      h('td', { colspan: view.columns.length }, view.emptyText ?? 'No jobs match.')));
    return;
  }

  const existing = new Map([...body.rows].map((row) => [row.dataset.id, row]));
  const rows = items.map((job) => row(existing.get(job.id), job, view, on));
  const focused = document.activeElement;
  const keep = rows.find((r) => r.contains(focused));
  body.replaceChildren(...rows);
  if (keep && focused !== document.activeElement) {
    focused.focus({ preventScroll: true });
  }
}

function header(column, view, on) {
  const active = view.sort ? (view.sort.key === column.key ? view.sort : null)
    : (view.order.key === column.key ? view.order : null);
  const ariaSort = active ? (active.dir === 'asc' ? 'ascending' : 'descending') : undefined;
  const arrow = active ? (active.dir === 'asc' ? ' ▲' : ' ▼') : '';
  const allPages = view.order.allPages(column.key);
  const title = allPages
    ? `Sort every page by ${column.label.toLowerCase()}`
    : `Sort only the rows on this page by ${column.label.toLowerCase()}; pages stay ${view.order.label.toLowerCase()}`;
  return h('th', {
    scope: 'col', 'aria-sort': ariaSort, class: column.numeric ? 'num' : undefined, 'data-sorts': allPages ? 'all' : 'page',
  },
  h('button', { type: 'button', class: 'sort', title, onclick: () => on.sort(column.key) },
    column.label, h('span', { 'aria-hidden': 'true' }, arrow)));
}

function row(existing, job, view, on) {
  const signature = JSON.stringify(job) + view.columns.map((c) => c.key).join(',') + (view.selectedId === job.id);
  if (existing && existing.dataset.sig === signature) {
    return existing;
  }

  const tr = existing ?? h('tr', { 'data-id': job.id, onclick: () => on.open(tr.dataset.id) });
  tr.dataset.sig = signature;
  tr.dataset.status = job.status;
  tr.classList.toggle('selected', view.selectedId === job.id);
  const hadFocus = tr.contains(document.activeElement);
  fill(tr, view.columns.map((column) => h('td', {
    class: column.numeric ? 'num' : undefined,
    'data-col': column.key,
  }, column.cell(job, on.open))));
  if (hadFocus) {
    tr.querySelector('button')?.focus({ preventScroll: true });
  }

  return tr;
}
