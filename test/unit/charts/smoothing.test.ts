import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { emaSmooth } from '../../../webviews/src/charts/smoothing.ts';

describe('emaSmooth', () => {
  it('is the identity at weight 0', () => {
    assert.deepEqual(emaSmooth([3, 1, 4, 1, 5], 0), [3, 1, 4, 1, 5]);
  });

  it('is debiased: a constant series stays constant from the first point', () => {
    for (const v of emaSmooth([2, 2, 2, 2, 2], 0.9)) assert.ok(Math.abs(v - 2) < 1e-12);
  });

  it('matches the TensorBoard formula', () => {
    const w = 0.6;
    const values = [1, 3, 2];
    let acc = 0;
    const want = values.map((v, i) => {
      acc = acc * w + (1 - w) * v;
      return acc / (1 - w ** (i + 1));
    });
    const got = emaSmooth(values, w);
    got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-12));
  });

  it('smooths: the output varies less than the input', () => {
    const values = Array.from({ length: 500 }, (_, i) => (i % 2 ? 1 : -1));
    const out = emaSmooth(values, 0.95);
    const spread = (xs: number[]) => Math.max(...xs.slice(100)) - Math.min(...xs.slice(100));
    assert.ok(spread(out) < 0.2 * spread(values));
  });

  it('leaves NaN and Infinity as gaps without poisoning later values', () => {
    const out = emaSmooth([1, NaN, 1, Infinity, 1], 0.5);
    assert.ok(Number.isNaN(out[1]));
    assert.ok(Number.isNaN(out[3]));
    for (const i of [0, 2, 4]) assert.ok(Math.abs(out[i]! - 1) < 1e-12);
  });
});
