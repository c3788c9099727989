// Never more points than pixels: min/max per pixel column. The x-range is cut into columns;
// each column keeps its lowest and highest point (in x order), so every spike and dip stays
// visible while at most 2 × columns points are drawn. Non-finite values become gaps (a break
// in the line), not points. Pure, so it is unit-tested without a browser.

export interface DownsampleResult {
  /** Indices into the input, ascending; -1 entries are gaps. */
  indices: number[];
  /** Points that will be drawn (gaps excluded). */
  drawn: number;
}

/**
 * Picks at most `budget` points of `xs`/`ys` (xs ascending) to draw the x-range [xMin, xMax].
 * Points just outside the range are kept too, so lines run to the chart's edges.
 */
export function minMaxPerColumn(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  xMin: number,
  xMax: number,
  budget: number,
): DownsampleResult {
  const n = xs.length;
  const columns = Math.max(1, Math.floor(budget / 2));
  const first = Math.max(0, lowerBound(xs, xMin) - 1);
  const last = Math.min(n - 1, upperBound(xs, xMax));
  const indices: number[] = [];
  if (n === 0 || last < first) return { indices, drawn: 0 };
  const inRange = last - first + 1;
  if (budget < 2 && inRange > budget) {
    // One pixel: the last drawable point stands for the range.
    for (let i = last; i >= first; i--) if (Number.isFinite(ys[i]!)) return { indices: [i], drawn: 1 };
    return { indices, drawn: 0 };
  }
  if (inRange <= budget) {
    let drawn = 0;
    for (let i = first; i <= last; i++) {
      const ok = Number.isFinite(ys[i]!);
      indices.push(ok ? i : -1);
      if (ok) drawn++;
    }
    return { indices: collapseGaps(indices), drawn };
  }
  const span = xMax - xMin || 1;
  let col = -1;
  let lo = -1;
  let hi = -1;
  let gap = false;
  let drawn = 0;
  const flush = (): void => {
    if (lo < 0) {
      if (gap) indices.push(-1);
      return;
    }
    const a = Math.min(lo, hi);
    const b = Math.max(lo, hi);
    // A gap inside the column is drawn between its extremes.
    indices.push(a);
    drawn++;
    if (gap) indices.push(-1);
    if (b !== a) {
      indices.push(b);
      drawn++;
    }
  };
  for (let i = first; i <= last; i++) {
    const x = xs[i]!;
    const c = Math.min(columns - 1, Math.max(0, Math.floor(((x - xMin) / span) * columns)));
    if (c !== col) {
      if (col >= 0) flush();
      col = c;
      lo = hi = -1;
      gap = false;
    }
    const y = ys[i]!;
    if (!Number.isFinite(y)) {
      gap = true;
      continue;
    }
    if (lo < 0 || y < ys[lo]!) lo = i;
    if (hi < 0 || y > ys[hi]!) hi = i;
  }
  flush();
  return { indices: collapseGaps(indices), drawn };
}

function collapseGaps(indices: number[]): number[] {
  const out: number[] = [];
  for (const i of indices) if (!(i === -1 && out[out.length - 1] === -1)) out.push(i);
  return out;
}

/** First index with xs[i] >= x. */
export function lowerBound(xs: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with xs[i] > x. */
export function upperBound(xs: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
