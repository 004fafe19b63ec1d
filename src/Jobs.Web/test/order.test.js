import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderAfterClick, ordersFor, sortsAllPages, validOrder } from '../src/order.js';

test('every tab orders by creation time; only finished tabs by finish time', () => {
  assert.deepEqual(ordersFor('delayed').map((o) => o.id), ['created_desc', 'created_asc']);
  assert.deepEqual(ordersFor('failed').map((o) => o.id), ['created_desc', 'created_asc', 'finished_desc', 'finished_asc']);
  assert.equal(sortsAllPages('finishedAt', 'completed'), true);
  assert.equal(sortsAllPages('finishedAt', 'active'), false);
  assert.equal(sortsAllPages('runTime', 'completed'), false);
});

test('an order the tab does not offer falls back to newest first', () => {
  assert.equal(validOrder('finished_asc', 'wait'), 'created_desc');
  assert.equal(validOrder('bogus', 'completed'), 'created_desc');
  assert.equal(validOrder('created_asc', 'wait'), 'created_asc');
});

test('a click flips the column already ordered by and starts another one descending', () => {
  assert.equal(orderAfterClick('created_desc', 'createdAt', 'wait'), 'created_asc');
  assert.equal(orderAfterClick('created_asc', 'createdAt', 'wait'), 'created_desc');
  assert.equal(orderAfterClick('created_asc', 'finishedAt', 'completed'), 'finished_desc');
  assert.equal(orderAfterClick('finished_desc', 'finishedAt', 'failed'), 'finished_asc');
  assert.equal(orderAfterClick('created_desc', 'finishedAt', 'wait'), 'created_desc');
});

test('one tenant\'s jobs are never offered an order by finish time', () => {
  assert.deepEqual(ordersFor('completed', true).map((o) => o.id), ['created_desc', 'created_asc']);
  assert.equal(validOrder('finished_desc', 'completed', true), 'created_desc');
  assert.equal(sortsAllPages('finishedAt', 'failed', true), false);
  assert.equal(orderAfterClick('created_desc', 'finishedAt', 'failed', true), 'created_desc');
});
