// Turning a run's metric points into what a chart draws, as pure functions: x values for the
// chosen axis, merging newly fetched ranges into what is held, the values a log axis cannot show,
// smoothing, and the per-pixel reduction. Tested without a browser.
import type { Points } from '../../protocol/metricPoints.ts';
import type { StepRange, XAxis, XRange, YScale } from '../../protocol/charts.ts';
import { minMaxPerColumn, lowerBound, upperBound } from './downsample.ts';
import { emaSmooth } from './smoothing.ts';

export interface PlotPoint {
  x: number;
  /** null: a gap (chart.js breaks the line). */
  y: number | null;
  step: number;
}

export interface PreparedSeries {
  raw: PlotPoint[];
  /** Present when smoothing is on. */
  smoothed?: PlotPoint[];
  /** Points drawn (raw line). */
  drawn: number;
  /** Values a log axis cannot show (≤ 0), dropped. */
  droppedNonPositive: number;
  /** NaN / ±Infinity values, shown as gaps. */
  nonFinite: number;
  /** True when the series has exactly one drawable point (drawn as a dot). */
  single: boolean;
}

/** x value of each point: the step, the wall time (ms), or seconds since the run started. */
export function xValues(p: Points, axis: XAxis, runStart: number | undefined): number[] {
  const n = p.step.length;
  const out = new Array<number>(n);
  if (axis === 'step') {
    for (let i = 0; i < n; i++) out[i] = p.step[i]!;
    return out;
  }
  if (axis === 'wallTime') {
    for (let i = 0; i < n; i++) out[i] = p.timestamp[i]!;
    return out;
  }
  let start = runStart ?? Infinity;
  if (!Number.isFinite(start)) for (let i = 0; i < n; i++) start = Math.min(start, p.timestamp[i]!);
  for (let i = 0; i < n; i++) out[i] = (p.timestamp[i]! - start) / 1000;
  return out;
}

/**
 * Order of points for an x axis: by step for steps, by time for time axes (a run that logged
 * steps out of order still draws left to right). Returns indices.
 */
export function orderFor(p: Points, axis: XAxis): number[] {
  const idx = Array.from({ length: p.step.length }, (_, i) => i);
  const key = axis === 'step' ? p.step : p.timestamp;
  // Points arrive sorted by step; time order is nearly always the same, so check first.
  let sorted = true;
  for (let i = 1; i < key.length && sorted; i++) if (key[i]! < key[i - 1]!) sorted = false;
  if (!sorted) idx.sort((a, b) => key[a]! - key[b]! || p.step[a]! - p.step[b]!);
  return idx;
}

/**
 * Replaces what is held in [lo, hi] (by step) with `incoming`, keeping points outside; both
 * sorted by step. A zoomed range's finer sample, a full answer after a preview, and appended
 * live points all go through here.
 */
export function mergeRange(held: Points, incoming: Points, lo: number, hi: number): Points {
  const out: Points = { step: [], timestamp: [], value: [] };
  const push = (src: Points, i: number): void => {
    out.step.push(src.step[i]!);
    out.timestamp.push(src.timestamp[i]!);
    out.value.push(src.value[i]!);
  };
  const cutLo = lowerBound(held.step, lo);
  const cutHi = upperBound(held.step, hi);
  for (let i = 0; i < cutLo; i++) push(held, i);
  // Incoming points outside [lo, hi] would duplicate held ones; keep only the range.
  for (let i = 0; i < incoming.step.length; i++) {
    const s = incoming.step[i]!;
    if (s >= lo && s <= hi) push(incoming, i);
  }
  for (let i = cutHi; i < held.step.length; i++) push(held, i);
  return out;
}

/** The step range behind an x-range of a time axis (for fetching finer data after a zoom). */
export function stepRangeForX(p: Points, xs: readonly number[], range: XRange): StepRange | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (x >= range.min && x <= range.max) {
      min = Math.min(min, p.step[i]!);
      max = Math.max(max, p.step[i]!);
    }
  }
  if (!Number.isFinite(min)) {
    // Zoomed between two held points: fetch the steps spanning that gap.
    let before = -Infinity;
    let after = Infinity;
    for (let i = 0; i < xs.length; i++) {
      if (xs[i]! < range.min) before = Math.max(before, p.step[i]!);
      if (xs[i]! > range.max) after = Math.min(after, p.step[i]!);
    }
    if (!Number.isFinite(before) || !Number.isFinite(after)) return undefined;
    return { startStep: before, endStep: after };
  }
  return { startStep: Math.floor(min), endStep: Math.ceil(max) };
}

export function stepRangeForStepAxis(range: XRange): StepRange {
  return { startStep: Math.floor(range.min), endStep: Math.ceil(range.max) };
}

export interface PrepareOptions {
  axis: XAxis;
  yScale: YScale;
  smoothing: number;
  runStart: number | undefined;
  /** Visible x-range; undefined: the data's extent. */
  view: XRange | undefined;
  /** Point budget: the plot's width in CSS pixels. */
  budget: number;
}

export function prepareSeries(p: Points, o: PrepareOptions): PreparedSeries {
  const order = orderFor(p, o.axis);
  const allX = xValues(p, o.axis, o.runStart);
  const xs: number[] = [];
  const ys: number[] = [];
  const steps: number[] = [];
  let droppedNonPositive = 0;
  let nonFinite = 0;
  for (const i of order) {
    const v = asStored(p.value[i]!);
    if (!Number.isFinite(v)) nonFinite++;
    else if (o.yScale === 'log' && v <= 0) {
      droppedNonPositive++;
      continue;
    }
    xs.push(allX[i]!);
    ys.push(v);
    steps.push(p.step[i]!);
  }
  const smooth = o.smoothing > 0 ? emaSmooth(ys, o.smoothing) : undefined;
  const lo = o.view?.min ?? (xs.length ? xs[0]! : 0);
  const hi = o.view?.max ?? (xs.length ? xs[xs.length - 1]! : 0);
  const pick = minMaxPerColumn(xs, ys, lo, hi, o.budget);
  const toPlot = (values: readonly number[], indices: readonly number[]): PlotPoint[] =>
    indices.map((i, k) =>
      i < 0 ? { x: gapX(xs, indices, k), y: null, step: NaN } : { x: xs[i]!, y: values[i]!, step: steps[i]! },
    );
  const raw = toPlot(ys, pick.indices);
  const out: PreparedSeries = { raw, drawn: pick.drawn, droppedNonPositive, nonFinite, single: pick.drawn === 1 };
  if (smooth) {
    // The smoothed line is reduced on its own values so its extremes are kept too.
    const sPick = minMaxPerColumn(xs, smooth, lo, hi, o.budget);
    out.smoothed = toPlot(smooth, sPick.indices);
  }
  return out;
}

/**
 * MLflow's SQL stores save ±Infinity as ±Number.MAX_VALUE (1.797…e308); drawn as numbers they
 * would flatten every other point, so they count as the infinities they were.
 */
function asStored(v: number): number {
  if (v >= Number.MAX_VALUE) return Infinity;
  if (v <= -Number.MAX_VALUE) return -Infinity;
  return v;
}

/** A gap needs an x for chart.js; put it between its neighbours. */
function gapX(xs: readonly number[], indices: readonly number[], k: number): number {
  const prev = k > 0 ? indices[k - 1]! : -1;
  const next = k + 1 < indices.length ? indices[k + 1]! : -1;
  if (prev >= 0 && next >= 0) return (xs[prev]! + xs[next]!) / 2;
  if (prev >= 0) return xs[prev]!;
  if (next >= 0) return xs[next]!;
  return 0;
}

/** x extent of held data over all runs, for zoom clamping and the reset view. */
export function extentOf(seriesXs: readonly (readonly number[])[]): XRange | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const xs of seriesXs) {
    if (xs.length === 0) continue;
    min = Math.min(min, xs[0]!);
    max = Math.max(max, xs[xs.length - 1]!);
  }
  if (!Number.isFinite(min)) return undefined;
  if (min === max) return { min: min - 1, max: max + 1 };
  return { min, max };
}
