import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hidingGlobal } from './lazy-globals.ts';

const descriptor = () => Object.getOwnPropertyDescriptor(globalThis, 'Response');

test('the global reads as undefined while a synchronous load runs, and Node’s own property is back after', () => {
  const before = descriptor();
  const seen = hidingGlobal('Response', () => typeof (globalThis as Record<string, unknown>).Response);
  assert.equal(seen, 'undefined');
  assert.deepEqual(descriptor(), before);
  assert.equal(typeof Response, 'function');
});

test('an asynchronous load keeps it hidden until its promise settles, rejected or not', async () => {
  const before = descriptor();
  const loading = hidingGlobal('Response', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return typeof (globalThis as Record<string, unknown>).Response;
  });
  assert.equal(typeof (globalThis as Record<string, unknown>).Response, 'undefined', 'hidden while the load is pending');
  assert.equal(await loading, 'undefined');
  assert.deepEqual(descriptor(), before);
  await assert.rejects(hidingGlobal('Response', async () => Promise.reject(new Error('load failed'))), /load failed/);
  assert.deepEqual(descriptor(), before);
});

test('a load that throws rethrows, with the global put back', () => {
  const before = descriptor();
  assert.throws(() => hidingGlobal('Response', () => { throw new Error('no package'); }), /no package/);
  assert.deepEqual(descriptor(), before);
});
