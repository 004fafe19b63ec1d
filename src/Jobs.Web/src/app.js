// The jobs page: job types, status tabs with live counts, the grid with its filters and keyset pager, the
// throughput chart, queue controls and the job detail. The view lives in the URL, so a reload or a shared link
// shows the same type, tab, filters and open job.

import { api } from './api.js';
import { h, fill } from './dom.js';
import { count, isJobId, isoToLocalInput, localInputToIso, viewerTimeZone } from './format.js';
import { columnsFor, defaultVisible, renderGrid } from './grid.js';
import { JobDetail } from './detail.js';
import { throughputChart } from './chart.js';
import { watchType } from './live.js';
import { DEFAULT_ORDER, orderAfterClick, orderOf, ordersFor, sortsAllPages, validOrder } from './order.js';

const STATUSES = [
  { id: 'completed', label: 'Completed' },
  { id: 'failed', label: 'Failed' },
  { id: 'active', label: 'Active' },
  { id: 'delayed', label: 'Delayed' },
  { id: 'wait', label: 'Wait' },
];
const RANGES = [
  { id: 'any', label: 'Any time', ms: null },
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60000 },
  { id: '1h', label: 'Last hour', ms: 3600000 },
  { id: '24h', label: 'Last 24 hours', ms: 86400000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86400000 },
  { id: 'custom', label: 'Between…', ms: null },
];
const PAGE_SIZES = [25, 50, 100, 200];
const CHART_MINUTES = 60;
const CHART_REFRESH_MS = 15000;

export class JobsPage {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.isOperator = config.role === 'operator';
    this.queues = new Map();
    this.items = [];
    this.cursors = [null];
    this.nextCursor = null;
    this.sort = null;
    this.chartLoadedAt = 0;
    this.loadSeq = 0;
    this.readUrl();
    this.build();
    this.detail = new JobDetail(config.features, {
      onChanged: () => this.refresh(),
      onClosed: () => this.detailClosed(),
      announce: (text) => this.announce(text),
    });
  }

  async start() {
    window.addEventListener('popstate', () => {
      this.readUrl();
      this.viewChanged({ push: false });
    });
    await this.viewChanged({ push: false });
    if (this.openJobId) {
      await this.detail.open(this.openJobId);
    }

    document.dispatchEvent(new CustomEvent('jobs:ready', { detail: { page: this } }));
  }

  // ---- view state -------------------------------------------------------------------------------------------

  readUrl() {
    const query = new URLSearchParams(location.search);
    const types = this.config.types.map((t) => t.id);
    this.type = types.includes(query.get('type')) ? query.get('type') : types[0];
    this.status = STATUSES.some((s) => s.id === query.get('status')) ? query.get('status') : 'completed';
    this.range = RANGES.some((r) => r.id === query.get('range')) ? query.get('range') : 'any';
    this.from = query.get('from');
    this.to = query.get('to');
    this.tenant = this.isOperator ? query.get('tenant') ?? '' : '';
    const limit = Number(query.get('limit'));
    this.limit = PAGE_SIZES.includes(limit) ? limit : 50;
    this.openJobId = query.get('job');
    this.order = validOrder(query.get('sort'), this.status, this.oneTenant());
    this.cursors = [null];
    this.sort = null;
  }

  writeUrl(push) {
    const query = new URLSearchParams({ type: this.type, status: this.status });
    if (this.range !== 'any') {
      query.set('range', this.range);
    }

    if (this.range === 'custom') {
      for (const [name, value] of [['from', this.from], ['to', this.to]]) {
        if (value) {
          query.set(name, value);
        }
      }
    }

    if (this.tenant) {
      query.set('tenant', this.tenant);
    }

    if (this.order !== DEFAULT_ORDER) {
      query.set('sort', this.order);
    }

    if (this.limit !== 50) {
      query.set('limit', this.limit);
    }

    if (this.detail?.openId) {
      query.set('job', this.detail.openId);
    }

    const url = `${location.pathname}?${query}`;
    if (url !== location.pathname + location.search) {
      history[push ? 'pushState' : 'replaceState'](null, '', url);
    }
  }

  listQuery() {
    const query = { type: this.type, status: this.status, limit: this.limit };
    const range = RANGES.find((r) => r.id === this.range);
    if (range.ms) {
      query.from = new Date(Date.now() - range.ms).toISOString();
    } else if (this.range === 'custom') {
      if (this.from) {
        query.from = this.from;
      }

      if (this.to) {
        query.to = this.to;
      }
    }

    if (this.tenant) {
      query.tenant = this.tenant;
    }

    if (this.order !== DEFAULT_ORDER) {
      query.sort = this.order;
    }

    const cursor = this.cursors.at(-1);
    if (cursor) {
      query.cursor = cursor;
    }

    return query;
  }

  /** True when the listing is one tenant's: a tenant's own view, or an operator's tenant filter. */
  oneTenant() {
    return !this.isOperator || Boolean(this.tenant);
  }

  visibleColumns() {
    const stored = localStorage.getItem(`jobs.columns.${this.type}`);
    const available = columnsFor(this.type, this.isOperator);
    const keys = stored ? JSON.parse(stored) : defaultVisible(this.type, this.isOperator);
    return available.filter((c) => c.fixed || keys.includes(c.key));
  }

  // ---- layout -------------------------------------------------------------------------------------------------

  build() {
    this.typeList = h('ul', {});
    this.nav = h('nav', { class: 'types', 'aria-label': 'Job types' }, h('h2', { class: 'nav-title' }, 'Job types'), this.typeList);
    this.heading = h('h1', { id: 'type-heading' });
    this.pausedBadge = h('span', { class: 'badge paused', hidden: true }, 'Paused');
    this.queueButton = this.isOperator
      ? h('button', { type: 'button', class: 'secondary', onclick: () => this.togglePause() }, 'Pause queue')
      : null;
    this.chart = h('div', { class: 'chart-slot' });
    this.tabs = h('div', { role: 'tablist', 'aria-label': 'Job status', class: 'tabs', onkeydown: (e) => this.tabKeys(e) });
    this.alert = h('p', { class: 'error', role: 'alert', hidden: true });
    this.status_ = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    this.table = h('table', { class: 'grid', 'data-testid': 'jobs-grid' }, h('caption', { class: 'visually-hidden' }));
    this.sortNote = h('p', { class: 'sort-note', 'data-testid': 'sort-note', hidden: true },
      h('span', {}), ' ', h('button', { type: 'button', class: 'link', onclick: () => this.clearPageSort() }, 'Undo'));
    this.pager = this.buildPager();
    this.toolbar = this.buildToolbar();
    this.panel = h('section', { role: 'tabpanel', id: 'status-panel', tabindex: -1 },
      this.toolbar, this.alert, this.sortNote, h('div', { class: 'table-scroll' }, this.table), this.pager);

    fill(this.root,
      this.nav,
      h('main', { id: 'main', class: 'content', 'aria-labelledby': 'type-heading' },
        h('div', { class: 'type-head' },
          h('div', { class: 'type-title' }, this.heading, this.pausedBadge, this.queueButton),
          this.chart),
        this.tabs,
        this.panel),
      this.status_);
  }

  buildToolbar() {
    this.searchInput = h('input', {
      id: 'search-id', type: 'search', placeholder: 'Job id', autocomplete: 'off', spellcheck: 'false', class: 'mono',
    });
    const search = h('form', { class: 'search', role: 'search', onsubmit: (e) => this.search(e) },
      h('label', { for: 'search-id' }, 'Find by id'),
      h('div', { class: 'inline' }, this.searchInput, h('button', { type: 'submit' }, 'Open')));

    this.rangeSelect = h('select', { id: 'range', onchange: () => this.rangeChanged() },
      RANGES.map((r) => h('option', { value: r.id }, r.label)));
    this.fromInput = h('input', { id: 'from', type: 'datetime-local', onchange: () => this.customRangeChanged() });
    this.toInput = h('input', { id: 'to', type: 'datetime-local', onchange: () => this.customRangeChanged() });
    this.customRange = h('div', { class: 'custom-range inline' },
      h('label', { for: 'from' }, 'From'), this.fromInput,
      h('label', { for: 'to' }, 'To'), this.toInput);
    const range = h('div', { class: 'field' },
      h('label', { for: 'range' }, 'Created'),
      h('div', { class: 'inline' }, this.rangeSelect, this.customRange));

    this.orderSelect = h('select', { id: 'order', onchange: () => this.orderChanged(this.orderSelect.value) });
    const order = h('div', { class: 'field' }, h('label', { for: 'order' }, 'Order'), this.orderSelect);

    let tenant = null;
    if (this.isOperator) {
      this.tenantInput = h('input', { id: 'tenant', type: 'text', placeholder: 'All tenants', autocomplete: 'off' });
      this.tenantInput.addEventListener('change', () => {
        this.tenant = this.tenantInput.value.trim();
        this.order = validOrder(this.order, this.status, this.oneTenant());
        this.viewChanged({ push: true });
      });
      tenant = h('div', { class: 'field' }, h('label', { for: 'tenant' }, 'Tenant'), this.tenantInput);
    }

    this.columnChooser = h('fieldset', {}, h('legend', {}, 'Columns to show'));
    const columns = h('details', { class: 'columns' }, h('summary', {}, 'Columns'), this.columnChooser);
    this.retryAll = this.config.features.bulk
      ? h('button', { type: 'button', class: 'secondary', hidden: true, onclick: () => this.retryAllFailed() }, 'Retry all matching')
      : null;
    this.zone = h('p', { class: 'muted zone' }, `Times in ${viewerTimeZone()}`);
    return h('div', { class: 'toolbar' }, search, range, order, tenant, columns, this.retryAll, this.zone);
  }

  buildPager() {
    this.prevButton = h('button', { type: 'button', onclick: () => this.page(-1) }, '← Newer');
    this.nextButton = h('button', { type: 'button', onclick: () => this.page(1) }, 'Older →');
    this.pageLabel = h('span', { class: 'muted', 'aria-live': 'polite' });
    this.sizeSelect = h('select', { id: 'page-size', onchange: () => this.sizeChanged() },
      PAGE_SIZES.map((n) => h('option', { value: n }, `${n} per page`)));
    return h('nav', { class: 'pager', 'aria-label': 'Pages' },
      this.prevButton, this.pageLabel, this.nextButton,
      h('label', { for: 'page-size', class: 'visually-hidden' }, 'Rows per page'), this.sizeSelect);
  }

  // ---- rendering ----------------------------------------------------------------------------------------------

  renderTypes() {
    const items = this.config.types.map((type) => {
      const failed = this.queues.get(type.id)?.counts.failed ?? 0;
      const paused = this.queues.get(type.id)?.paused;
      return h('li', {}, h('button', {
        type: 'button',
        'aria-current': type.id === this.type ? 'page' : undefined,
        'data-type': type.id,
        onclick: () => this.selectType(type.id),
      },
      h('span', { class: 'name' }, type.name),
      paused ? h('span', { class: 'badge paused', title: 'Queue paused' }, 'paused') : null,
      failed > 0 ? h('span', { class: 'badge failed', 'aria-label': `${count(failed)} failed` }, count(failed)) : null));
    });
    const focused = document.activeElement?.dataset?.type;
    fill(this.typeList, items);
    if (focused) {
      this.typeList.querySelector(`[data-type="${focused}"]`)?.focus();
    }
  }

  renderTabs() {
    const counts = this.queues.get(this.type)?.counts ?? {};
    const focusedTab = this.tabs.contains(document.activeElement) ? document.activeElement.dataset.status : null;
    fill(this.tabs, STATUSES.map((s) => h('button', {
      type: 'button',
      role: 'tab',
      id: `tab-${s.id}`,
      'data-status': s.id,
      'aria-selected': String(s.id === this.status),
      'aria-controls': 'status-panel',
      tabindex: s.id === this.status ? 0 : -1,
      onclick: () => this.selectStatus(s.id),
    }, s.label, ' ', h('span', { class: 'count', 'data-testid': `count-${s.id}` }, count(counts[s.id] ?? 0)))));
    this.panel.setAttribute('aria-labelledby', `tab-${this.status}`);
    if (focusedTab) {
      this.tabs.querySelector(`[data-status="${focusedTab}"]`)?.focus();
    }
  }

  renderHead() {
    const name = this.typeName(this.type);
    this.heading.textContent = name;
    document.title = `${name} jobs · Jobs`;
    const queue = this.queues.get(this.type);
    this.pausedBadge.hidden = !queue?.paused;
    if (this.queueButton) {
      this.queueButton.textContent = queue?.paused ? 'Resume queue' : 'Pause queue';
      this.queueButton.disabled = !queue;
    }
  }

  renderToolbar() {
    this.rangeSelect.value = this.range;
    this.customRange.hidden = this.range !== 'custom';
    this.fromInput.value = isoToLocalInput(this.from);
    this.toInput.value = isoToLocalInput(this.to);
    if (this.tenantInput) {
      this.tenantInput.value = this.tenant;
    }

    fill(this.orderSelect, ordersFor(this.status, this.oneTenant()).map((o) => h('option', { value: o.id }, o.label)));
    this.orderSelect.value = this.order;
    this.sizeSelect.value = String(this.limit);
    if (this.retryAll) {
      this.retryAll.hidden = this.status !== 'failed';
    }

    const visible = new Set(this.visibleColumns().map((c) => c.key));
    fill(this.columnChooser, h('legend', {}, 'Columns to show'),
      columnsFor(this.type, this.isOperator).filter((c) => !c.fixed).map((c) => h('label', { class: 'check' },
        h('input', {
          type: 'checkbox', checked: visible.has(c.key), 'data-col': c.key,
          onchange: () => this.columnsChanged(),
        }), c.label)));
  }

  renderGrid() {
    const statusLabel = STATUSES.find((s) => s.id === this.status).label.toLowerCase();
    const order = orderOf(this.order);
    this.table.caption.textContent = `${statusLabel} ${this.typeName(this.type)} jobs, ${order.label.toLowerCase()}`;
    const columns = this.visibleColumns();
    renderGrid(this.table, {
      items: this.items,
      columns,
      sort: this.sort,
      order: {
        key: order.column,
        dir: order.dir,
        label: order.label,
        allPages: (key) => sortsAllPages(key, this.status, this.oneTenant()),
      },
      selectedId: this.detail?.openId,
      emptyText: `No ${statusLabel} jobs${this.cursors.length > 1 ? ' on this page' : ''}.`,
    }, { open: (id) => this.openJob(id), sort: (key) => this.sortBy(key) });
    this.renderSortNote(columns, order);
    const [back, forward] = order.dir === 'asc' ? ['Older', 'Newer'] : ['Newer', 'Older'];
    this.prevButton.textContent = `← ${back}`;
    this.nextButton.textContent = `${forward} →`;
    this.prevButton.disabled = this.cursors.length <= 1;
    this.nextButton.disabled = !this.nextCursor;
    this.pageLabel.textContent = `Page ${this.cursors.length}`;
    document.dispatchEvent(new CustomEvent('jobs:rendered', {
      detail: { type: this.type, status: this.status, items: this.items },
    }));
  }

  /** Says plainly when a column sort covers only the rows on screen, and which order the pages follow. */
  renderSortNote(columns, order) {
    const column = this.sort && columns.find((c) => c.key === this.sort.key);
    this.sortNote.hidden = !column;
    if (column) {
      this.sortNote.firstChild.textContent = `Only the rows on this page are sorted by ${column.label.toLowerCase()}. `
        + `Pages follow the order “${order.label.toLowerCase()}”.`;
    }
  }

  typeName(id) {
    return this.config.types.find((t) => t.id === id)?.name ?? id;
  }

  // ---- loading ------------------------------------------------------------------------------------------------

  async viewChanged({ push }) {
    this.writeUrl(push);
    this.renderTypes();
    this.renderHead();
    this.renderTabs();
    this.renderToolbar();
    this.stopLive?.();
    this.stopLive = watchType(this.config.features, this.type, () => this.refresh());
    this.chartLoadedAt = 0;
    await Promise.all([this.loadQueues(), this.loadPage(), this.loadChart()]);
  }

  async refresh() {
    const chart = Date.now() - this.chartLoadedAt > CHART_REFRESH_MS ? this.loadChart() : null;
    await Promise.all([this.loadQueues(), this.loadPage(), chart]);
  }

  async loadQueues() {
    try {
      const queues = await api.queues();
      this.queues = new Map(queues.map((q) => [q.type, q]));
      this.renderTypes();
      this.renderTabs();
      this.renderHead();
    } catch (error) {
      this.showError(`Could not load the counts: ${error.message}`);
    }
  }

  async loadPage() {
    const seq = ++this.loadSeq;
    this.table.setAttribute('aria-busy', 'true');
    try {
      const page = await api.list(this.listQuery());
      if (seq !== this.loadSeq) {
        return;
      }

      this.items = page.items;
      this.nextCursor = page.nextCursor ?? null;
      this.alert.hidden = true;
      this.renderGrid();
    } catch (error) {
      if (seq === this.loadSeq) {
        this.showError(`Could not load the jobs: ${error.message}`);
      }
    } finally {
      if (seq === this.loadSeq) {
        this.table.removeAttribute('aria-busy');
      }
    }
  }

  async loadChart() {
    this.chartLoadedAt = Date.now();
    const type = this.type;
    try {
      const throughput = await api.throughput(type, CHART_MINUTES);
      if (type === this.type) {
        fill(this.chart, throughputChart(throughput));
      }
    } catch (error) {
      fill(this.chart, h('p', { class: 'muted' }, `No chart: ${error.message}`));
    }
  }

  showError(message) {
    this.alert.textContent = message;
    this.alert.hidden = false;
  }

  announce(text) {
    this.status_.textContent = '';
    requestAnimationFrame(() => {
      this.status_.textContent = text;
    });
  }

  // ---- interactions -------------------------------------------------------------------------------------------

  selectType(type) {
    if (type === this.type) {
      return;
    }

    this.type = type;
    this.cursors = [null];
    this.sort = null;
    this.viewChanged({ push: true });
  }

  selectStatus(status) {
    this.status = status;
    this.order = validOrder(this.order, status, this.oneTenant());
    this.cursors = [null];
    this.sort = null;
    this.renderTabs();
    this.renderToolbar();
    this.writeUrl(true);
    this.loadPage();
  }

  tabKeys(event) {
    const index = STATUSES.findIndex((s) => s.id === this.status);
    const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: STATUSES.length - 1 };
    if (!(event.key in moves)) {
      return;
    }

    event.preventDefault();
    const next = STATUSES[(moves[event.key] + STATUSES.length) % STATUSES.length];
    this.selectStatus(next.id);
    this.tabs.querySelector(`[data-status="${next.id}"]`)?.focus();
  }

  page(direction) {
    if (direction > 0 && this.nextCursor) {
      this.cursors.push(this.nextCursor);
    } else if (direction < 0 && this.cursors.length > 1) {
      this.cursors.pop();
    } else {
      return;
    }

    this.loadPage();
  }

  sizeChanged() {
    this.limit = Number(this.sizeSelect.value);
    this.cursors = [null];
    this.writeUrl(false);
    this.loadPage();
  }

  rangeChanged() {
    this.range = this.rangeSelect.value;
    this.customRange.hidden = this.range !== 'custom';
    if (this.range === 'custom' && !this.from) {
      this.from = new Date(Date.now() - 3600000).toISOString();
      this.fromInput.value = isoToLocalInput(this.from);
    }

    this.cursors = [null];
    this.writeUrl(true);
    this.loadPage();
  }

  customRangeChanged() {
    this.from = localInputToIso(this.fromInput.value);
    this.to = localInputToIso(this.toInput.value);
    this.cursors = [null];
    this.writeUrl(true);
    this.loadPage();
  }

  columnsChanged() {
    const keys = [...this.columnChooser.querySelectorAll('input:checked')].map((i) => i.dataset.col);
    localStorage.setItem(`jobs.columns.${this.type}`, JSON.stringify(keys));
    this.renderGrid();
  }

  sortBy(key) {
    if (sortsAllPages(key, this.status, this.oneTenant())) {
      this.orderChanged(orderAfterClick(this.order, key, this.status, this.oneTenant()), { focus: true });
      return;
    }

    const dir = this.sort?.key === key && this.sort.dir === 'asc' ? 'desc' : 'asc';
    this.sort = { key, dir };
    this.renderGrid();
    this.table.querySelector(`th[aria-sort] button`)?.focus();
  }

  /** A new order across pages starts again at page 1: cursors belong to one order. */
  async orderChanged(order, { focus = false } = {}) {
    this.order = validOrder(order, this.status, this.oneTenant());
    this.orderSelect.value = this.order;
    this.sort = null;
    this.cursors = [null];
    this.writeUrl(true);
    await this.loadPage();
    if (focus) {
      this.table.querySelector(`th[aria-sort] button`)?.focus();
    }

    this.announce(`Jobs ${orderOf(this.order).label.toLowerCase()}.`);
  }

  clearPageSort() {
    this.sort = null;
    this.renderGrid();
  }

  async search(event) {
    event.preventDefault();
    const id = this.searchInput.value.trim();
    if (!isJobId(id)) {
      this.showError('A job id looks like 0b5f3c1e-8d2a-4c7e-9f10-2a3b4c5d6e7f.');
      return;
    }

    this.alert.hidden = true;
    await this.openJob(id);
  }

  async openJob(id) {
    this.openJobId = id;
    const opening = this.detail.open(id);
    this.writeUrl(true);
    this.renderGrid();
    await opening;
  }

  detailClosed() {
    this.openJobId = null;
    this.writeUrl(false);
    this.renderGrid();
    const row = this.table.querySelector('tr.selected button') ?? this.table.querySelector('tbody button');
    row?.focus();
  }

  async togglePause() {
    const paused = !this.queues.get(this.type)?.paused;
    try {
      const queue = await api.pause(this.type, paused);
      this.queues.set(queue.type, queue);
      this.renderHead();
      this.renderTypes();
      this.announce(paused ? 'Queue paused.' : 'Queue resumed.');
    } catch (error) {
      this.showError(error.message);
    }
  }

  async retryAllFailed() {
    if (this.retryAll.dataset.confirm !== 'yes') {
      this.retryAll.dataset.confirm = 'yes';
      this.retryAll.textContent = 'Confirm: retry every failed job matching';
      return;
    }

    delete this.retryAll.dataset.confirm;
    this.retryAll.textContent = 'Retry all matching';
    const { type, status, from, to, tenant } = this.listQuery();
    try {
      // The API answers at once with a bulk job that works through the matches in pages; events bring the changes.
      const bulk = await api.bulk({ action: 'retry', filter: { type, status, from, to, tenant } });
      this.announce(`Retrying every matching failed job (bulk job ${bulk.id}).`);
      await this.refresh();
    } catch (error) {
      this.showError(error.message);
    }
  }
}
