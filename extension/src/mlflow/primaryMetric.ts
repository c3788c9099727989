// An experiment's primary metric: the one its runs are judged by, shown next to each run in the
// tree and ranked by in the leaderboard. Chosen from the runs at hand (MLflow has no key listing),
// pinnable by the user. No `vscode` import.
import type { KeyValue, Run } from './types.ts';
import { tagValue } from './types.ts';
import { directionFromName, EXPERIMENT_TAG, isSystemMetric, metricStage } from './metricDirection.ts';

/** What the chooser knows of one metric key over the runs it saw. */
export interface MetricStat {
  key: string;
  /** Runs that logged it. */
  runs: number;
  /** False when two runs logged different latest values: a metric on which every run ties ranks nothing. */
  allTie: boolean;
}

export type PrimaryMetricReason = 'pinned' | 'orderBy' | 'experiment' | 'stage' | 'common';

export interface PrimaryMetricChoice {
  key: string;
  reason: PrimaryMetricReason;
}

/** Per-key counts and whether every run ties, over the runs' latest values. */
export function metricStats(runs: readonly Run[]): MetricStat[] {
  const seen = new Map<string, { runs: number; first: number; differs: boolean }>();
  for (const r of runs) {
    for (const m of r.data.metrics) {
      const s = seen.get(m.key);
      if (!s) seen.set(m.key, { runs: 1, first: m.value, differs: false });
      else {
        s.runs++;
        // NaN never equals itself; two NaNs still tie.
        if (!(s.first === m.value || (Number.isNaN(s.first) && Number.isNaN(m.value)))) s.differs = true;
      }
    }
  }
  return [...seen].map(([key, s]) => ({ key, runs: s.runs, allTie: s.runs > 1 && !s.differs }));
}

/** The metric an order-by list ranks by first: `metrics.val_loss ASC` → val_loss; back-quoted keys too. */
export function orderByMetric(orderBy: readonly string[]): string | undefined {
  for (const clause of orderBy) {
    const m = /^\s*metrics?\.(`[^`]+`|"[^"]+"|[^\s]+)/i.exec(clause);
    if (!m) continue;
    const key = m[1]!;
    return /^[`"]/.test(key) ? key.slice(1, -1) : key;
  }
  return undefined;
}

const STAGE_RANK = { validation: 0, test: 1, other: 2, train: 3 } as const;

/**
 * The primary metric among `stats`: the user's pin, else the order-by metric of the active filter,
 * else the experiment's `mlflow.experiment.primaryMetric.name` / AutoML tag, else the best of the
 * rest — validation over test over plain over training metrics, then the most logged, then a name
 * whose direction is known, then by name. `system/` metrics and metrics on which every run ties are
 * never the automatic choice. The first three are taken as given when the runs at hand logged them.
 */
export function choosePrimaryMetric(
  stats: readonly MetricStat[],
  opts: { pinned?: string; orderBy?: readonly string[]; experimentTags?: readonly KeyValue[] } = {},
): PrimaryMetricChoice | undefined {
  const keys = new Set(stats.map((s) => s.key));
  if (opts.pinned) return { key: opts.pinned, reason: 'pinned' };
  const ordered = orderByMetric(opts.orderBy ?? []);
  if (ordered) return { key: ordered, reason: 'orderBy' };
  const tags = opts.experimentTags ?? [];
  for (const tag of [EXPERIMENT_TAG.primaryMetricName, EXPERIMENT_TAG.automlMetric]) {
    const named = tagValue(tags, tag);
    if (named && keys.has(named)) return { key: named, reason: 'experiment' };
  }
  const candidates = stats.filter((s) => !isSystemMetric(s.key) && !s.allTie);
  candidates.sort(
    (a, b) =>
      STAGE_RANK[metricStage(a.key)] - STAGE_RANK[metricStage(b.key)] ||
      b.runs - a.runs ||
      Number(directionFromName(b.key) !== undefined) - Number(directionFromName(a.key) !== undefined) ||
      a.key.localeCompare(b.key),
  );
  const best = candidates[0];
  if (!best) return undefined;
  return {
    key: best.key,
    reason: metricStage(best.key) === 'validation' || metricStage(best.key) === 'test' ? 'stage' : 'common',
  };
}

/** A few words on why, for a tooltip. */
export function describePrimaryReason(reason: PrimaryMetricReason): string {
  switch (reason) {
    case 'pinned':
      return 'pinned by you';
    case 'orderBy':
      return "the filter's order-by metric";
    case 'experiment':
      return "named by the experiment's tags";
    case 'stage':
      return 'a validation/test metric';
    case 'common':
      return 'the metric most runs logged';
  }
}
