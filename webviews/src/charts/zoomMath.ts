// Zoom and pan arithmetic on an x-range, kept pure so the interactions are testable: wheel zoom
// around the pointer, drag-to-select, panning, clamped to the data's extent.
import type { XRange } from '../../protocol/charts.ts';

/** Smallest range one can zoom to, as a fraction of the extent (and at least `minSpan`). */
const MIN_FRACTION = 1e-6;

export function clampRange(r: XRange, extent: XRange, minSpan = 0): XRange {
  const full = extent.max - extent.min;
  const span = Math.max(r.max - r.min, full * MIN_FRACTION, minSpan);
  if (span >= full) return { ...extent };
  let min = r.min;
  if (min < extent.min) min = extent.min;
  if (min + span > extent.max) min = extent.max - span;
  return { min, max: min + span };
}

/** factor < 1 zooms in, > 1 out; `at` stays under the pointer. */
export function zoomAt(r: XRange, at: number, factor: number, extent: XRange, minSpan = 0): XRange {
  const min = at - (at - r.min) * factor;
  const max = at + (r.max - at) * factor;
  return clampRange({ min, max }, extent, minSpan);
}

export function pan(r: XRange, delta: number, extent: XRange): XRange {
  return clampRange({ min: r.min + delta, max: r.max + delta }, extent);
}

/** From two pixel positions of a drag to an x-range; null for a click (too small a drag). */
export function selectionRange(a: number, b: number, toValue: (px: number) => number, minPixels = 4): XRange | null {
  if (Math.abs(a - b) < minPixels) return null;
  const x1 = toValue(Math.min(a, b));
  const x2 = toValue(Math.max(a, b));
  return x1 < x2 ? { min: x1, max: x2 } : null;
}

/** True when the range covers (nearly) the whole extent, i.e. not zoomed. */
export function isFullRange(r: XRange, extent: XRange): boolean {
  const full = extent.max - extent.min;
  return r.min <= extent.min + full * 1e-9 && r.max >= extent.max - full * 1e-9;
}
