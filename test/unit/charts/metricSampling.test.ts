import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  chunk,
  estimateRows,
  groupByRun,
  isEndpointMissing,
  mergeSorted,
  probeWindows,
  strideSample,
} from '../../../extension/src/charts/metricSampling.ts';
import { MlflowError } from '../../../extension/src/mlflow/errors.ts';
import type { Metric } from '../../../extension/src/mlflow/types.ts';

describe('probeWindows', () => {
  it('spreads non-overlapping windows of the given width from the first to the last step', () => {
    const w = probeWindows(0, 999_999, { probes: 16, width: 32 });
    assert.equal(w.length, 16);
    assert.deepEqual(w[0], { startStep: 0, endStep: 31 });
    assert.deepEqual(w[15], { startStep: 999_968, endStep: 999_999 });
    for (let i = 1; i < w.length; i++) {
      assert.ok(w[i]!.startStep > w[i - 1]!.endStep, 'no overlap');
      assert.equal(w[i]!.endStep - w[i]!.startStep + 1, 32);
    }
  });

  it('bounds the rows a preview reads, whatever the history length', () => {
    for (const max of [100_000, 1_000_000, 10 ** 12]) {
      const rows = probeWindows(0, max, { probes: 16, width: 32 }).reduce((a, r) => a + r.endStep - r.startStep + 1, 0);
      assert.ok(rows <= 16 * 32);
    }
  });

  it('covers a short history with one window, and handles negative steps', () => {
    assert.deepEqual(probeWindows(-10, 100, { probes: 16, width: 32 }), [{ startStep: -10, endStep: 100 }]);
    const w = probeWindows(-500_000, 500_000, { probes: 4, width: 10 });
    assert.equal(w[0]!.startStep, -500_000);
    assert.equal(w[w.length - 1]!.endStep, 500_000);
  });

  it('is empty for an inverted range', () => {
    assert.deepEqual(probeWindows(5, 4), []);
  });
});

describe('helpers', () => {
  it('estimateRows counts steps 0…latest per run', () => {
    assert.equal(estimateRows([999_999, undefined, 4]), 1_000_000 + 1 + 5);
  });

  it('chunk splits by size', () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.equal(
      chunk(
        Array.from({ length: 250 }, (_, i) => i),
        100,
      ).length,
      3,
    );
  });

  it('groupByRun keeps the asked order, an empty list for runs without points, and sorts by step', () => {
    const m = (run: string, step: number, ts = step): Metric => ({
      key: 'k',
      value: step,
      timestamp: ts,
      step,
      run_id: run,
    });
    const g = groupByRun([m('b', 2), m('a', 5), m('b', 1), m('x', 1)], ['a', 'b', 'c']);
    assert.deepEqual([...g.keys()], ['a', 'b', 'c']);
    assert.deepEqual(
      g.get('b')!.map((p) => p.step),
      [1, 2],
    );
    assert.deepEqual(g.get('c'), []);
  });

  it('mergeSorted orders and drops exact duplicates only', () => {
    const m = (step: number, ts: number, value: number): Metric => ({ key: 'k', value, timestamp: ts, step });
    const out = mergeSorted([[m(3, 3, 1), m(1, 1, 1)], [m(3, 3, 1), m(3, 4, 2), m(2, 2, NaN)], [m(2, 2, NaN)]]);
    assert.deepEqual(
      out.map((p) => [p.step, p.timestamp]),
      [
        [1, 1],
        [2, 2],
        [3, 3],
        [3, 4],
      ],
    );
  });

  it('strideSample keeps first and last and respects the cap', () => {
    const xs = Array.from({ length: 10_001 }, (_, i) => i);
    const s = strideSample(xs, 2500);
    assert.equal(s.length, 2500);
    assert.equal(s[0], 0);
    assert.equal(s[2499], 10_000);
    assert.deepEqual(strideSample([1, 2, 3], 10), [1, 2, 3]);
  });

  it('isEndpointMissing: a route 404 without an MLflow error code, not a missing run', () => {
    assert.ok(isEndpointMissing(new MlflowError('api', 'x does not exist (HTTP 404)', { status: 404 })));
    assert.ok(isEndpointMissing(new MlflowError('api', 'no', { status: 405 })));
    assert.ok(isEndpointMissing(new MlflowError('api', 'no', { status: 404, errorCode: 'ENDPOINT_NOT_FOUND' })));
    assert.ok(
      !isEndpointMissing(
        new MlflowError('api', 'Run with id=x not found', { status: 404, errorCode: 'RESOURCE_DOES_NOT_EXIST' }),
      ),
    );
    assert.ok(!isEndpointMissing(new MlflowError('network', 'refused')));
    assert.ok(!isEndpointMissing(new Error('x')));
  });
});
