import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clampRange, isFullRange, pan, selectionRange, zoomAt } from '../../../webviews/src/charts/zoomMath.ts';

const extent = { min: 0, max: 1000 };

describe('zoom and pan', () => {
  it('zooms around the pointer, keeping the value under it fixed', () => {
    const r = zoomAt(extent, 250, 0.5, extent);
    assert.deepEqual(r, { min: 125, max: 625 });
  });

  it('zooming out never goes past the data', () => {
    assert.deepEqual(zoomAt({ min: 100, max: 200 }, 150, 100, extent), extent);
  });

  it('pans and stops at the edges keeping the span', () => {
    assert.deepEqual(pan({ min: 100, max: 200 }, 50, extent), { min: 150, max: 250 });
    assert.deepEqual(pan({ min: 100, max: 200 }, -500, extent), { min: 0, max: 100 });
    assert.deepEqual(pan({ min: 800, max: 900 }, 500, extent), { min: 900, max: 1000 });
  });

  it('a drag selects a range; a click (tiny drag) does not', () => {
    assert.deepEqual(
      selectionRange(300, 100, (px) => px * 2),
      { min: 200, max: 600 },
    );
    assert.equal(
      selectionRange(100, 102, (px) => px),
      null,
    );
  });

  it('clamps to a minimum span', () => {
    const r = clampRange({ min: 10, max: 10.5 }, extent, 2);
    assert.equal(r.max - r.min, 2);
  });

  it('knows when the whole extent is shown', () => {
    assert.ok(isFullRange({ min: 0, max: 1000 }, extent));
    assert.ok(!isFullRange({ min: 1, max: 1000 }, extent));
  });
});
