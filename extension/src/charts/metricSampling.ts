// How metric histories are fetched without moving every point: the plan, as pure functions.
// MLflow's sampled endpoint (get-history-bulk-interval) answers at most 2500 points per run for
// a step range. Before 3.17 it sampled distinct steps and, without a range, skipped negative
// steps; since then it samples rows with SQL window functions, which costs the server time in
// proportion to every row in the range (about 7 s for 1,000,000 rows on SQLite). So: always send
// an explicit range, and for very long histories paint a preview from thin step windows first.
import { MlflowError } from '../mlflow/errors.ts';
import type { Metric } from '../mlflow/types.ts';

/** The sampled endpoint's per-run cap (MLflow rejects more). */
export const SAMPLE_MAX_RESULTS = 2500;
/** The sampled endpoint's run cap per call. */
export const MAX_RUNS_PER_CALL = 100;

/** int64 bounds the server accepts that JavaScript still holds exactly. */
export const FULL_STEP_RANGE = { startStep: Number.MIN_SAFE_INTEGER, endStep: Number.MAX_SAFE_INTEGER } as const;

/**
 * Above this many (estimated) rows in one request, a whole-range sample takes the server longer
 * than a first paint may; a probe preview is drawn first.
 */
export const PREVIEW_ROW_THRESHOLD = 50_000;

export interface StepRange {
  startStep: number;
  endStep: number;
}

export interface ProbePlanOptions {
  /** Number of windows. */
  probes: number;
  /** Steps per window. */
  width: number;
}

export const DEFAULT_PROBES: ProbePlanOptions = { probes: 16, width: 32 };

/**
 * Evenly spaced narrow step windows over [minStep, maxStep]: the first starts at minStep, the
 * last ends at maxStep, none overlap. Each costs the server only the rows inside it, so the
 * preview's cost is bounded by probes × width rows whatever the history's length.
 */
export function probeWindows(minStep: number, maxStep: number, opts: ProbePlanOptions = DEFAULT_PROBES): StepRange[] {
  if (!Number.isSafeInteger(minStep) || !Number.isSafeInteger(maxStep) || maxStep < minStep) return [];
  const span = maxStep - minStep + 1;
  const width = Math.max(1, Math.floor(opts.width));
  if (span <= opts.probes * width) return [{ startStep: minStep, endStep: maxStep }];
  const n = Math.max(2, Math.floor(opts.probes));
  const out: StepRange[] = [];
  for (let i = 0; i < n; i++) {
    // Window starts spread so that the last window ends exactly at maxStep.
    const start = minStep + Math.round((i * (span - width)) / (n - 1));
    const prev = out[out.length - 1];
    if (prev && start <= prev.endStep) continue;
    out.push({ startStep: start, endStep: start + width - 1 });
  }
  return out;
}

/** Rows a whole-range sample would make the server read, assuming at least one row per step. */
export function estimateRows(latestSteps: readonly (number | undefined)[]): number {
  let rows = 0;
  for (const s of latestSteps) rows += s === undefined ? 1 : Math.max(1, s + 1);
  return rows;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Groups rows of a bulk answer by run, each list ordered by (step, timestamp, value). */
export function groupByRun(metrics: readonly Metric[], runIds: readonly string[]): Map<string, Metric[]> {
  const out = new Map<string, Metric[]>();
  for (const id of runIds) out.set(id, []);
  for (const m of metrics) {
    const id = m.run_id;
    if (id === undefined) continue;
    const list = out.get(id);
    if (list) list.push(m);
  }
  for (const list of out.values()) list.sort(comparePoints);
  return out;
}

function comparePoints(a: Metric, b: Metric): number {
  return (
    a.step - b.step ||
    a.timestamp - b.timestamp ||
    (Number.isNaN(a.value) ? 1 : Number.isNaN(b.value) ? -1 : a.value - b.value)
  );
}

/**
 * Merges answers for disjoint windows into one ordered list, dropping exact duplicates (a
 * window's last row can equal the next window's first when a step was logged twice).
 */
export function mergeSorted(lists: readonly (readonly Metric[])[]): Metric[] {
  const all = lists.flat().sort(comparePoints);
  const out: Metric[] = [];
  for (const m of all) {
    const last = out[out.length - 1];
    if (last && last.step === m.step && last.timestamp === m.timestamp && Object.is(last.value, m.value)) continue;
    out.push(m);
  }
  return out;
}

/**
 * Every `n`-th point so that at most `max` remain, always keeping the first and the last: the
 * host-side reduction for old servers that only offer full paging.
 */
export function strideSample<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return points.slice();
  if (max <= 1) return points.length ? [points[points.length - 1]!] : [];
  const out: T[] = [];
  const stride = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * stride)]!);
  return out;
}

export function inRange(step: number, range: StepRange | undefined): boolean {
  return range === undefined || (step >= range.startStep && step <= range.endStep);
}

/** True when the server has no sampled endpoint (MLflow before 2.11, or a proxy that strips it). */
export function isEndpointMissing(e: unknown): boolean {
  if (!(e instanceof MlflowError)) return false;
  if (e.errorCode === 'ENDPOINT_NOT_FOUND') return true;
  // A real MLflow 404 (a missing run) carries an error_code; Flask's unknown-route 404 does not.
  return (e.status === 404 || e.status === 405 || e.status === 501) && e.errorCode === undefined;
}
