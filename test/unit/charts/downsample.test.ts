import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lowerBound, minMaxPerColumn, upperBound } from '../../../webviews/src/charts/downsample.ts';

function series(n: number, f: (i: number) => number): { xs: number[]; ys: number[] } {
  const xs = Array.from({ length: n }, (_, i) => i);
  return { xs, ys: xs.map(f) };
}

function pseudoRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('minMaxPerColumn', () => {
  it('never returns more drawn points than the budget', () => {
    const rnd = pseudoRandom(7);
    for (const n of [0, 1, 2, 10, 999, 1000, 1001, 5000, 100_000, 1_000_000]) {
      for (const budget of [1, 2, 3, 50, 640, 1000]) {
        const { xs, ys } = series(n, () => rnd());
        const r = minMaxPerColumn(xs, ys, 0, Math.max(0, n - 1), budget);
        assert.ok(r.drawn <= Math.max(budget, 1), `n=${n} budget=${budget} drew ${r.drawn}`);
        assert.equal(r.indices.filter((i) => i >= 0).length, r.drawn);
      }
    }
  });

  it('keeps every point when they fit', () => {
    const { xs, ys } = series(100, (i) => i * i);
    const r = minMaxPerColumn(xs, ys, 0, 99, 640);
    assert.deepEqual(r.indices, xs);
  });

  it('keeps the global minimum and maximum (a single spike survives)', () => {
    const rnd = pseudoRandom(42);
    const n = 200_000;
    const { xs, ys } = series(n, () => rnd());
    ys[123_457] = 50; // spike
    ys[77_777] = -50; // dip
    const r = minMaxPerColumn(xs, ys, 0, n - 1, 400);
    const kept = new Set(r.indices);
    assert.ok(kept.has(123_457), 'spike kept');
    assert.ok(kept.has(77_777), 'dip kept');
    assert.ok(r.drawn <= 400);
  });

  it('keeps each column extreme: the reduced min/max per column equal the true ones', () => {
    const rnd = pseudoRandom(3);
    const n = 50_000;
    const { xs, ys } = series(n, (i) => Math.sin(i / 300) + rnd() * 0.1);
    const budget = 200;
    const r = minMaxPerColumn(xs, ys, 0, n - 1, budget);
    const columns = budget / 2;
    const colOf = (x: number) => Math.min(columns - 1, Math.floor((x / (n - 1)) * columns));
    const trueMin = new Array<number>(columns).fill(Infinity);
    const trueMax = new Array<number>(columns).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      const c = colOf(xs[i]!);
      trueMin[c] = Math.min(trueMin[c]!, ys[i]!);
      trueMax[c] = Math.max(trueMax[c]!, ys[i]!);
    }
    const gotMin = new Array<number>(columns).fill(Infinity);
    const gotMax = new Array<number>(columns).fill(-Infinity);
    for (const i of r.indices) {
      if (i < 0) continue;
      const c = colOf(xs[i]!);
      gotMin[c] = Math.min(gotMin[c]!, ys[i]!);
      gotMax[c] = Math.max(gotMax[c]!, ys[i]!);
    }
    assert.deepEqual(gotMin, trueMin);
    assert.deepEqual(gotMax, trueMax);
  });

  it('returns indices in ascending x order', () => {
    const rnd = pseudoRandom(9);
    const { xs, ys } = series(30_000, () => rnd());
    const idx = minMaxPerColumn(xs, ys, 0, 29_999, 300).indices.filter((i) => i >= 0);
    for (let k = 1; k < idx.length; k++) assert.ok(idx[k]! > idx[k - 1]!);
  });

  it('turns NaN and Infinity into gaps, not points', () => {
    const xs = [0, 1, 2, 3, 4];
    const ys = [1, NaN, 3, Infinity, 5];
    const r = minMaxPerColumn(xs, ys, 0, 4, 100);
    assert.deepEqual(r.indices, [0, -1, 2, -1, 4]);
    assert.equal(r.drawn, 3);
  });

  it('marks a gap inside a reduced column and never emits two gaps in a row', () => {
    const n = 10_000;
    const { xs, ys } = series(n, (i) => i % 7);
    for (let i = 5000; i < 5300; i++) ys[i] = NaN;
    const r = minMaxPerColumn(xs, ys, 0, n - 1, 100);
    assert.ok(r.indices.includes(-1));
    for (let k = 1; k < r.indices.length; k++) assert.ok(!(r.indices[k] === -1 && r.indices[k - 1] === -1));
  });

  it('reduces only the visible range, keeping one neighbour outside on each side', () => {
    const { xs, ys } = series(1000, (i) => i);
    const r = minMaxPerColumn(xs, ys, 100.5, 200.5, 640);
    assert.equal(r.indices[0], 100);
    assert.equal(r.indices[r.indices.length - 1], 201);
  });

  it('draws a one-point history', () => {
    const r = minMaxPerColumn([5], [0.3], 5, 5, 640);
    assert.deepEqual(r.indices, [0]);
    assert.equal(r.drawn, 1);
  });
});

describe('binary search helpers', () => {
  it('find bounds', () => {
    const xs = [1, 2, 2, 2, 5];
    assert.equal(lowerBound(xs, 2), 1);
    assert.equal(upperBound(xs, 2), 4);
    assert.equal(lowerBound(xs, 0), 0);
    assert.equal(upperBound(xs, 9), 5);
  });
});
