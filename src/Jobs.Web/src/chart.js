// Completed and failed jobs per minute over the last hour, as plain SVG: two lines on a shared scale.

import { h } from './dom.js';
import { clock, count } from './format.js';

const WIDTH = 360;
const HEIGHT = 96;
const PAD_LEFT = 30;
const PAD_BOTTOM = 16;
const PAD_TOP = 6;

/** Fills minutes the server left out (no finished jobs) with zeros, oldest first. */
export function perMinute(buckets, minutes, now = new Date()) {
  const end = Math.floor(now.getTime() / 60000) * 60000;
  const byMinute = new Map(buckets.map((b) => [Math.floor(new Date(b.at).getTime() / 60000) * 60000, b]));
  const points = [];
  for (let i = minutes - 1; i >= 0; i--) {
    const at = end - i * 60000;
    const bucket = byMinute.get(at);
    points.push({ at: new Date(at), completed: bucket?.completed ?? 0, failed: bucket?.failed ?? 0 });
  }

  return points;
}

function line(points, key, max, className) {
  const plotWidth = WIDTH - PAD_LEFT;
  const plotHeight = HEIGHT - PAD_BOTTOM - PAD_TOP;
  const step = points.length > 1 ? plotWidth / (points.length - 1) : 0;
  const coordinates = points.map((p, i) => {
    const x = PAD_LEFT + i * step;
    const y = PAD_TOP + plotHeight - (p[key] / max) * plotHeight;
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  return h('svg:polyline', { class: className, points: coordinates.join(' ') });
}

/** The chart for one type; throughput is the API's answer ({ minutes, buckets }). */
export function throughputChart(throughput) {
  const points = perMinute(throughput.buckets, throughput.minutes);
  const completed = points.reduce((sum, p) => sum + p.completed, 0);
  const failed = points.reduce((sum, p) => sum + p.failed, 0);
  const max = Math.max(1, ...points.map((p) => Math.max(p.completed, p.failed)));
  const label = `Last ${throughput.minutes} minutes: ${count(completed)} completed, ${count(failed)} failed; `
    + `busiest minute ${count(max)} jobs.`;
  const base = HEIGHT - PAD_BOTTOM;

  const svg = h('svg:svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: 'chart',
    role: 'img',
    'aria-label': label,
  },
  h('svg:title', {}, label),
  h('svg:line', { class: 'axis', x1: PAD_LEFT, y1: base, x2: WIDTH, y2: base }),
  h('svg:line', { class: 'axis', x1: PAD_LEFT, y1: PAD_TOP, x2: PAD_LEFT, y2: base }),
  h('svg:text', { class: 'tick', x: PAD_LEFT - 4, y: PAD_TOP + 8, 'text-anchor': 'end' }, count(max)),
  h('svg:text', { class: 'tick', x: PAD_LEFT - 4, y: base, 'text-anchor': 'end' }, '0'),
  h('svg:text', { class: 'tick', x: PAD_LEFT, y: HEIGHT - 2 }, clock(points[0].at)),
  h('svg:text', { class: 'tick', x: WIDTH, y: HEIGHT - 2, 'text-anchor': 'end' }, clock(points.at(-1).at)),
  line(points, 'completed', max, 'series completed'),
  line(points, 'failed', max, 'series failed'));

  return h('figure', { class: 'throughput', 'data-testid': 'throughput' },
    svg,
    h('figcaption', {},
      h('span', { class: 'key completed' }, `${count(completed)} completed`),
      h('span', { class: 'key failed' }, `${count(failed)} failed`),
      h('span', { class: 'muted' }, `per minute, last ${throughput.minutes} min`)));
}
