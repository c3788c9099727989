// Pure pieces of the leaderboard: MLflow order_by and filter strings (keys with spaces, dots or
// other characters are back-quoted, see mlflow-spec §4.2–4.3), turning runs into rows, and
// keeping the best run per group from server-sorted pages.
import type { ModelVersion, Run } from '../mlflow/types.ts';
import { runName, TAG, tagValue } from '../mlflow/types.ts';
import type { LeaderboardRow, LeaderboardState, ModelRef } from '../../../webviews/protocol/leaderboard.ts';
import { toWireNumber } from '../../../webviews/protocol/metricPoints.ts';

/** A key as MLflow's search grammar wants it: bare when it is a plain identifier, else quoted. */
export function quoteKey(key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return key;
  if (!key.includes('`')) return `\`${key}\``;
  if (!key.includes('"')) return `"${key}"`;
  throw new Error(
    `The key ${JSON.stringify(key)} holds both a back quote and a double quote; MLflow's search syntax cannot name it.`,
  );
}

/** The order_by list for the state: the chosen column sort, else the ranking metric in its better direction. */
export function orderByFor(state: Pick<LeaderboardState, 'metricKey' | 'better' | 'sort'>): string[] {
  if (state.sort) {
    const dir = state.sort.descending ? 'DESC' : 'ASC';
    if (state.sort.kind === 'attribute') return [`attributes.${state.sort.key} ${dir}`];
    const prefix = state.sort.kind === 'metric' ? 'metrics' : 'params';
    return [`${prefix}.${quoteKey(state.sort.key)} ${dir}`];
  }
  if (!state.metricKey) return [];
  return [`metrics.${quoteKey(state.metricKey)} ${state.better === 'lower' ? 'ASC' : 'DESC'}`];
}

/**
 * MLflow's grammar has no `NOT IN` for status (and no OR): FAILED and KILLED are left out with
 * two `!=` clauses (mlflow-spec §4.2). The user's filter comes first, so MLflow's error
 * positions still point into what they typed.
 */
export const HIDE_FAILED_FILTER = "attributes.status != 'FAILED' AND attributes.status != 'KILLED'";

/** The filter sent to the server: the user's, plus the status filter. */
export function filterFor(state: Pick<LeaderboardState, 'filter' | 'statusFilter'>): string {
  const own = state.filter.trim();
  if (state.statusFilter === 'all') return own;
  return own ? `${own} AND ${HIDE_FAILED_FILTER}` : HIDE_FAILED_FILTER;
}

export function modelsByRun(versions: readonly ModelVersion[]): Map<string, ModelRef[]> {
  const out = new Map<string, ModelRef[]>();
  for (const v of versions) {
    if (!v.run_id) continue;
    const list = out.get(v.run_id) ?? [];
    list.push({ name: v.name, version: v.version });
    out.set(v.run_id, list);
  }
  for (const list of out.values())
    list.sort((a, b) => a.name.localeCompare(b.name) || Number(b.version) - Number(a.version));
  return out;
}

export function rowFromRun(
  run: Run,
  state: Pick<LeaderboardState, 'metricKey' | 'paramColumns' | 'metricColumns'>,
  models: readonly ModelRef[],
  rank: number | undefined,
): LeaderboardRow {
  const metrics: LeaderboardRow['metrics'] = {};
  const latest = new Map(run.data.metrics.map((m) => [m.key, m.value]));
  for (const k of state.metricColumns) {
    const v = latest.get(k);
    if (v !== undefined) metrics[k] = toWireNumber(v);
  }
  const params: Record<string, string> = {};
  const paramMap = new Map(run.data.params.map((p) => [p.key, p.value]));
  for (const k of state.paramColumns) {
    const v = paramMap.get(k);
    if (v !== undefined) params[k] = v;
  }
  const row: LeaderboardRow = {
    runId: run.info.run_id,
    runName: runName(run),
    userId: run.info.user_id || tagValue(run.data.tags, TAG.user) || '',
    experimentId: run.info.experiment_id,
    status: run.info.status,
    models: [...models],
    params,
    metrics,
  };
  const value = state.metricKey ? latest.get(state.metricKey) : undefined;
  if (value !== undefined) row.value = toWireNumber(value);
  // Runs without a comparable value come last on the server and get no rank.
  if (rank !== undefined && value !== undefined && !Number.isNaN(value)) row.rank = rank;
  return row;
}

export type GroupKey = (row: LeaderboardRow) => string[];

const NO_USER = '(no user)';
export const NO_MODEL = '(no registered model)';

export function groupKeyFor(groupBy: 'user' | 'model'): GroupKey {
  return groupBy === 'user'
    ? (row) => [row.userId || NO_USER]
    : (row) => (row.models.length ? [...new Set(row.models.map((m) => m.name))] : [NO_MODEL]);
}

/**
 * Keeps, for each group, the first row seen: fed server-sorted pages in order, that is the best
 * run of the group. A run that produced versions of two models counts for both.
 */
export class BestPerGroup {
  private readonly best = new Map<string, LeaderboardRow>();
  private readonly keyOf: GroupKey;

  constructor(keyOf: GroupKey) {
    this.keyOf = keyOf;
  }

  add(rows: readonly LeaderboardRow[]): void {
    for (const row of rows) {
      // Rows without a value sort last; a group's best is its first row with one, if any.
      for (const g of this.keyOf(row)) {
        const cur = this.best.get(g);
        if (!cur || (cur.value === undefined && row.value !== undefined)) this.best.set(g, { ...row, group: g });
      }
    }
  }

  get size(): number {
    return this.best.size;
  }

  /** Groups in the order of their best rows, ranked 1… among groups. */
  rows(order: readonly string[]): LeaderboardRow[] {
    const position = new Map(order.map((id, i) => [id, i]));
    const out = [...this.best.values()].sort(
      (a, b) =>
        (position.get(a.runId) ?? Infinity) - (position.get(b.runId) ?? Infinity) ||
        (a.group ?? '').localeCompare(b.group ?? ''),
    );
    let rank = 0;
    return out.map((r) => {
      const copy: LeaderboardRow = { ...r };
      delete copy.rank;
      if (r.value !== undefined && r.value !== 'NaN') copy.rank = ++rank;
      return copy;
    });
  }
}

/** Metric and param keys seen in these runs, sorted. (The default metric is choosePrimaryMetric's.) */
export function collectKeys(runs: readonly Run[]): { metricKeys: string[]; paramKeys: string[] } {
  const metrics = new Set<string>();
  const params = new Set<string>();
  for (const r of runs) {
    for (const m of r.data.metrics) metrics.add(m.key);
    for (const p of r.data.params) params.add(p.key);
  }
  const sort = (keys: Iterable<string>) => [...keys].sort((a, b) => a.localeCompare(b));
  return { metricKeys: sort(metrics), paramKeys: sort(params) };
}

/** `Leaderboard: hyperparam-sweep`, `Leaderboard: a, b +3`. */
export function leaderboardTitle(names: readonly string[]): string {
  const shown = names.slice(0, 2).join(', ');
  return `Leaderboard: ${shown}${names.length > 2 ? ` +${names.length - 2}` : ''}`;
}
