import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  extentOf,
  mergeRange,
  orderFor,
  prepareSeries,
  stepRangeForX,
  xValues,
} from '../../../webviews/src/charts/seriesModel.ts';
import type { Points } from '../../../webviews/protocol/metricPoints.ts';

function pts(steps: number[], values?: number[], timestamps?: number[]): Points {
  return {
    step: steps,
    timestamp: timestamps ?? steps.map((s) => 1000 + s * 10),
    value: values ?? steps.map((s) => s),
  };
}

const base = {
  axis: 'step' as const,
  yScale: 'linear' as const,
  smoothing: 0,
  runStart: undefined,
  view: undefined,
  budget: 640,
};

describe('mergeRange', () => {
  it('replaces the held points inside the range and keeps those outside', () => {
    const held = pts([0, 10, 20, 30, 40]);
    const finer = pts([10, 12, 14, 16, 18, 20]);
    assert.deepEqual(mergeRange(held, finer, 10, 20).step, [0, 10, 12, 14, 16, 18, 20, 30, 40]);
  });

  it('appends live points past the end', () => {
    assert.deepEqual(mergeRange(pts([0, 1, 2]), pts([3, 4]), 3, Infinity).step, [0, 1, 2, 3, 4]);
  });

  it('ignores incoming points outside the range (no duplicates)', () => {
    assert.deepEqual(mergeRange(pts([0, 5, 10]), pts([0, 5, 6, 10]), 5, 6).step, [0, 5, 6, 10]);
  });

  it('a full answer after a preview replaces everything up to its last step', () => {
    const preview = pts([0, 500, 999, 1000]);
    const full = pts([0, 100, 200, 999]);
    assert.deepEqual(mergeRange(preview, full, -Infinity, 999).step, [0, 100, 200, 999, 1000]);
  });
});

describe('prepareSeries', () => {
  it('drops values ≤ 0 on a log axis and counts them', () => {
    const p = prepareSeries(pts([0, 1, 2, 3, 4], [-1, 0, 1, 10, 100]), { ...base, yScale: 'log' });
    assert.equal(p.droppedNonPositive, 2);
    assert.deepEqual(
      p.raw.map((q) => q.y),
      [1, 10, 100],
    );
  });

  it('keeps every point on a linear axis', () => {
    const p = prepareSeries(pts([0, 1, 2], [-1, 0, 1]), base);
    assert.equal(p.droppedNonPositive, 0);
    assert.equal(p.drawn, 3);
  });

  it('shows NaN and Infinity as gaps (null), counted, never as points', () => {
    const p = prepareSeries(pts([0, 1, 2, 3], [1, NaN, Infinity, 2]), base);
    assert.equal(p.nonFinite, 2);
    assert.deepEqual(
      p.raw.map((q) => q.y),
      [1, null, 2],
    );
    assert.equal(p.drawn, 2);
  });

  it("treats the SQL store's ±1.797e308 (its stand-in for ±Infinity) as a gap", () => {
    const p = prepareSeries(pts([0, 1, 2], [1, Number.MAX_VALUE, -Number.MAX_VALUE]), base);
    assert.equal(p.nonFinite, 2);
    assert.deepEqual(
      p.raw.map((q) => q.y),
      [1, null],
    );
  });

  it('marks a one-point history so it is drawn as a dot', () => {
    const p = prepareSeries(pts([7], [0.25]), base);
    assert.equal(p.single, true);
    assert.equal(p.drawn, 1);
  });

  it('respects the pixel budget for long series', () => {
    const n = 200_000;
    const p = prepareSeries(
      pts(
        Array.from({ length: n }, (_, i) => i),
        Array.from({ length: n }, (_, i) => Math.sin(i)),
      ),
      { ...base, budget: 500 },
    );
    assert.ok(p.drawn <= 500);
    assert.ok(p.raw.length <= 500);
  });

  it('adds a smoothed line when smoothing is on', () => {
    const p = prepareSeries(pts([0, 1, 2, 3], [0, 10, 0, 10]), { ...base, smoothing: 0.8 });
    assert.ok(p.smoothed);
    assert.equal(p.smoothed.length, 4);
    assert.ok(Math.max(...p.smoothed.map((q) => q.y!)) < 10);
  });

  it('carries the step of each point for tooltips on time axes', () => {
    const p = prepareSeries(pts([3, 4], [1, 2], [5000, 6000]), { ...base, axis: 'relativeTime', runStart: 4000 });
    assert.deepEqual(
      p.raw.map((q) => [q.x, q.step]),
      [
        [1, 3],
        [2, 4],
      ],
    );
  });
});

describe('x axes', () => {
  it('step, wall time and seconds since start', () => {
    const p = pts([0, 1], [1, 2], [10_000, 12_500]);
    assert.deepEqual(xValues(p, 'step', undefined), [0, 1]);
    assert.deepEqual(xValues(p, 'wallTime', undefined), [10_000, 12_500]);
    assert.deepEqual(xValues(p, 'relativeTime', 9_000), [1, 3.5]);
    assert.deepEqual(xValues(p, 'relativeTime', undefined), [0, 2.5]);
  });

  it('orders by time on time axes when steps were logged out of time order', () => {
    const p = pts([0, 1, 2], [1, 2, 3], [30, 10, 20]);
    assert.deepEqual(orderFor(p, 'wallTime'), [1, 2, 0]);
    assert.deepEqual(orderFor(p, 'step'), [0, 1, 2]);
  });

  it('maps a zoomed time range back to steps', () => {
    const p = pts([0, 10, 20, 30], undefined, [0, 1000, 2000, 3000]);
    const xs = xValues(p, 'wallTime', undefined);
    assert.deepEqual(stepRangeForX(p, xs, { min: 900, max: 2100 }), { startStep: 10, endStep: 20 });
    assert.deepEqual(
      stepRangeForX(p, xs, { min: 1200, max: 1800 }),
      { startStep: 10, endStep: 20 },
      'between two held points',
    );
  });

  it('extent widens a single x so a one-point chart has a range', () => {
    assert.deepEqual(extentOf([[5, 5]]), { min: 4, max: 6 });
    assert.deepEqual(
      extentOf([
        [0, 10],
        [-5, 3],
      ]),
      { min: -5, max: 10 },
    );
    assert.equal(extentOf([]), undefined);
  });
});
