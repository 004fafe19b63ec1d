// The orders the server pages in (GET /api/jobs?sort=…), each served by an index with a keyset cursor, so every page
// is in that order. Other columns sort only the rows on screen. Pure functions: test/order.test.js covers them.

export const DEFAULT_ORDER = 'created_desc';

/**
 * `column` is the grid column an order sorts. `finished` orders need the Completed or Failed tab and all tenants: no
 * index serves one tenant's jobs by finish time, so the API refuses them with a tenant filter (tenant keys have one).
 */
export const ORDERS = [
  { id: 'created_desc', label: 'Newest first', column: 'createdAt', dir: 'desc' },
  { id: 'created_asc', label: 'Oldest first', column: 'createdAt', dir: 'asc' },
  { id: 'finished_desc', label: 'Last finished first', column: 'finishedAt', dir: 'desc', finished: true },
  { id: 'finished_asc', label: 'First finished first', column: 'finishedAt', dir: 'asc', finished: true },
];

const FINISHED = ['completed', 'failed'];

/** The orders a status tab offers, for every tenant's jobs or (`oneTenant`) for one tenant's. */
export function ordersFor(status, oneTenant = false) {
  return ORDERS.filter((o) => !o.finished || (FINISHED.includes(status) && !oneTenant));
}

/** The order to use: `id` if the tab offers it, otherwise newest first. */
export function validOrder(id, status, oneTenant = false) {
  return ordersFor(status, oneTenant).some((o) => o.id === id) ? id : DEFAULT_ORDER;
}

export function orderOf(id) {
  return ORDERS.find((o) => o.id === id) ?? ORDERS[0];
}

/** True when the server can order every page by this column on this tab. */
export function sortsAllPages(column, status, oneTenant = false) {
  return ordersFor(status, oneTenant).some((o) => o.column === column);
}

/**
 * The order after a click on a column the server sorts by: the same column flips its direction, another one starts
 * descending (newest or last finished first).
 */
export function orderAfterClick(current, column, status, oneTenant = false) {
  const now = orderOf(current);
  const options = ordersFor(status, oneTenant).filter((o) => o.column === column);
  if (options.length === 0) {
    return current;
  }

  if (now.column !== column) {
    return options.find((o) => o.dir === 'desc').id;
  }

  return options.find((o) => o.dir !== now.dir).id;
}
