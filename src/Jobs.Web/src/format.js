// Readable units and the viewer's own time zone. Pure functions: test/format.test.js covers them.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One decimal below ten, none from ten up, never a trailing ".0": 1.3, 9.9, 10, 42. */
function short(value) {
  const rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/** A duration in milliseconds as "42 ms", "1.3 s", "2 min", "1.5 h" or "3 d"; an em dash when unknown. */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) {
    return '—';
  }

  const value = Math.max(0, ms);
  if (value < SECOND) {
    return `${Math.round(value)} ms`;
  }

  if (value < MINUTE) {
    return `${short(value / SECOND)} s`;
  }

  if (value < HOUR) {
    return `${short(value / MINUTE)} min`;
  }

  if (value < DAY) {
    return `${short(value / HOUR)} h`;
  }

  return `${short(value / DAY)} d`;
}

/** The viewer's IANA time zone, for example "Europe/Paris". */
export function viewerTimeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** An ISO time from the API in the viewer's zone; an em dash when absent. */
export function time(iso) {
  if (!iso) {
    return '—';
  }

  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : timeFormat.format(date);
}

const clockFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** Hours and minutes only, for chart axes. */
export function clock(date) {
  return clockFormat.format(date);
}

const countFormat = new Intl.NumberFormat();

/** A count with the viewer's digit grouping: "1,204,331". */
export function count(n) {
  return countFormat.format(n ?? 0);
}

/**
 * A local "YYYY-MM-DDTHH:mm" value of a datetime-local input as an ISO UTC time, or null when empty or invalid.
 * The input has no zone: it is read in the viewer's zone, as the viewer typed it.
 */
export function localInputToIso(value) {
  if (!value) {
    return null;
  }

  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The datetime-local value ("YYYY-MM-DDTHH:mm") of an ISO time, in the viewer's zone. */
export function isoToLocalInput(iso) {
  if (!iso) {
    return '';
  }

  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return '';
  }

  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
    + `T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** JSON shown to people: indented, or an em dash when there is none. */
export function json(value) {
  return value === undefined || value === null ? '—' : JSON.stringify(value, null, 2);
}

const GUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Whether text is a job id (a GUID, with or without dashes). */
export function isJobId(text) {
  return GUID.test(text.trim());
}
