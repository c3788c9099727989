import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapPool } from '../../../extension/src/shared/mapPool.ts';

test('mapPool keeps at most N calls pending and returns results in input order', async () => {
  let pending = 0;
  let peak = 0;
  const items = Array.from({ length: 40 }, (_, i) => i);
  const out = await mapPool(items, 4, async (i) => {
    pending++;
    peak = Math.max(peak, pending);
    // Finish out of order so the result order is really by index.
    await new Promise((r) => setImmediate(r));
    if (i % 3 === 0) await new Promise((r) => setImmediate(r));
    pending--;
    return i * 2;
  });
  assert.equal(peak, 4);
  assert.deepEqual(
    out,
    items.map((i) => i * 2),
  );
  assert.deepEqual(await mapPool([], 4, async () => 1), []);
});

test('mapPool stops taking work once the signal aborts', async () => {
  const abort = new AbortController();
  let started = 0;
  await assert.rejects(
    mapPool(
      Array.from({ length: 100 }, (_, i) => i),
      2,
      async () => {
        started++;
        if (started === 3) abort.abort();
        await new Promise((r) => setImmediate(r));
      },
      abort.signal,
    ),
    { name: 'AbortError' },
  );
  assert.ok(started < 10, `started ${started}`);
});

test('mapPool stops taking work after a call fails and rejects with that failure', async () => {
  let started = 0;
  await assert.rejects(
    mapPool(
      Array.from({ length: 100 }, (_, i) => i),
      3,
      async (i) => {
        started++;
        await new Promise((r) => setImmediate(r));
        if (i === 4) throw new Error('run 4 is gone');
      },
    ),
    /run 4 is gone/,
  );
  assert.ok(started < 10, `started ${started}`);
});

test('mapPool never runs more calls than items, and at least one at a time', async () => {
  let calls = 0;
  assert.deepEqual(await mapPool(['a', 'b'], 8, async (s, i) => (calls++, `${s}${i}`)), ['a0', 'b1']);
  assert.deepEqual(await mapPool(['a', 'b', 'c'], 0, async (s) => s.toUpperCase()), ['A', 'B', 'C']);
  assert.equal(calls, 2);
});
