// The test harness's one polling loop (test/support/waitUntil.ts): every e2e and integration wait
// goes through it, so its deadline and its message are checked here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pollUntil, waitUntil } from '../../support/waitUntil.ts';

test('waitUntil returns the first value the probe gives once the condition holds', async () => {
  let looks = 0;
  const got = await waitUntil('the third look', () => (++looks >= 3 ? `look ${looks}` : false), { intervalMs: 1 });
  assert.equal(got, 'look 3');
  assert.equal(looks, 3);
});

test('on the deadline it says what it waited for and what it saw last', async () => {
  let looks = 0;
  await assert.rejects(
    waitUntil('the file /tmp/x.csv', () => (looks++, undefined), {
      timeoutMs: 30,
      intervalMs: 5,
      lastSeen: () => 'no such file',
    }),
    (e: Error) => {
      assert.match(e.message, /^Timed out after 0\.03 s waiting for the file \/tmp\/x\.csv; last seen:\nno such file$/);
      return true;
    },
  );
  assert.ok(looks >= 2, 'it looked more than once');
});

test('a probe that throws ends the wait with that error at once', async () => {
  let looks = 0;
  await assert.rejects(
    waitUntil('a server that exited', () => {
      looks++;
      throw new Error('mlflow server exited (code 1)');
    }),
    /exited \(code 1\)/,
  );
  assert.equal(looks, 1);
});

test('pollUntil gives undefined on the deadline, for a caller that escalates instead of failing', async () => {
  assert.equal(await pollUntil(async () => null, { timeoutMs: 10, intervalMs: 2 }), undefined);
  assert.equal(await pollUntil(async () => 0), 0, 'zero is a value, not "not yet"');
});
