import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duration, isJobId, localInputToIso } from '../src/format.js';

test('durations read in the largest whole unit', () => {
  assert.equal(duration(42), '42 ms');
  assert.equal(duration(999.4), '999 ms');
  assert.equal(duration(1300), '1.3 s');
  assert.equal(duration(42_000), '42 s');
  assert.equal(duration(120_000), '2 min');
  assert.equal(duration(90_000), '1.5 min');
  assert.equal(duration(5_400_000), '1.5 h');
  assert.equal(duration(3 * 86_400_000), '3 d');
});

test('unknown durations are a dash', () => {
  assert.equal(duration(null), '—');
  assert.equal(duration(undefined), '—');
});

test('job ids are GUIDs with or without dashes', () => {
  assert.ok(isJobId('0b5f3c1e-8d2a-4c7e-9f10-2a3b4c5d6e7f'));
  assert.ok(isJobId(' 0b5f3c1e8d2a4c7e9f102a3b4c5d6e7f '));
  assert.ok(!isJobId('send'));
});

test('datetime-local values are read in the local zone', () => {
  assert.equal(localInputToIso(''), null);
  assert.equal(localInputToIso('2026-12-03T10:00'), new Date(2026, 11, 3, 10, 0).toISOString());
});
