// What the user chose while analysing runs, kept in the workspace's state so a reload keeps it:
// an experiment's pinned primary metric, a metric's direction per experiment set, the
// leaderboard's state per experiment set and the filters recently applied per experiment. Keyed
// by server id and sorted experiment ids. No `vscode` import: VS Code's Memento fits `Store`, and a Map-backed store does in tests.
import type { Better } from '../mlflow/metricDirection.ts';
import type { LeaderboardState } from '../../../webviews/protocol/leaderboard.ts';
import { sanitizeLeaderboardState } from '../../../webviews/protocol/leaderboard.ts';

export interface Store {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** Entries kept per kind; the least recently written go first (workspace state is not a database). */
const MAX_ENTRIES = 200;

const KEYS = {
  pinned: 'mlflow.analysis.primaryMetric',
  direction: 'mlflow.analysis.direction',
  leaderboard: 'mlflow.analysis.leaderboard',
  filters: 'mlflow.analysis.filterHistory',
} as const;

/** Recent filters kept per experiment. */
const FILTER_HISTORY = 10;

/** One experiment set on one server: order does not matter. */
export function experimentSetKey(serverId: string, experimentIds: readonly string[]): string {
  return JSON.stringify([serverId, [...new Set(experimentIds)].sort()]);
}

export class AnalysisMemory {
  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  pinnedMetric(serverId: string, experimentId: string): string | undefined {
    const v = this.read(KEYS.pinned)[experimentSetKey(serverId, [experimentId])];
    return typeof v === 'string' ? v : undefined;
  }

  /** `undefined` unpins: the choice is automatic again. */
  pinMetric(serverId: string, experimentId: string, key: string | undefined): Promise<void> {
    return this.write(KEYS.pinned, experimentSetKey(serverId, [experimentId]), key);
  }

  direction(serverId: string, experimentIds: readonly string[], metricKey: string): Better | undefined {
    const v = this.read(KEYS.direction)[experimentSetKey(serverId, experimentIds)];
    const d = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[metricKey] : undefined;
    return d === 'higher' || d === 'lower' ? d : undefined;
  }

  setDirection(serverId: string, experimentIds: readonly string[], metricKey: string, better: Better): Promise<void> {
    const set = experimentSetKey(serverId, experimentIds);
    const v = this.read(KEYS.direction)[set];
    const cur = typeof v === 'object' && v !== null ? { ...(v as Record<string, unknown>) } : {};
    cur[metricKey] = better;
    return this.write(KEYS.direction, set, cur);
  }

  leaderboard(serverId: string, experimentIds: readonly string[]): LeaderboardState | undefined {
    if (experimentIds.length === 0) return undefined;
    const clean = sanitizeLeaderboardState(this.read(KEYS.leaderboard)[experimentSetKey(serverId, experimentIds)]);
    // Stored under its own set; a state for other experiments is not this set's.
    return clean &&
      clean.serverId === serverId &&
      experimentSetKey(serverId, clean.experimentIds) === experimentSetKey(serverId, experimentIds)
      ? clean
      : undefined;
  }

  saveLeaderboard(state: LeaderboardState): Promise<void> {
    if (state.experimentIds.length === 0) return Promise.resolve();
    return this.write(KEYS.leaderboard, experimentSetKey(state.serverId, state.experimentIds), state);
  }

  /** The experiment's recent filters, newest first. */
  filterHistory(serverId: string, experimentId: string): string[] {
    const v = this.read(KEYS.filters)[experimentSetKey(serverId, [experimentId])];
    return Array.isArray(v) ? v.filter((f): f is string => typeof f === 'string').slice(0, FILTER_HISTORY) : [];
  }

  /** Puts a filter MLflow accepted first in the experiment's history (once; empty filters are not kept). */
  rememberFilter(serverId: string, experimentId: string, filter: string): Promise<void> {
    const text = filter.trim();
    if (text === '') return Promise.resolve();
    const rest = this.filterHistory(serverId, experimentId).filter((f) => f !== text);
    return this.write(
      KEYS.filters,
      experimentSetKey(serverId, [experimentId]),
      [text, ...rest].slice(0, FILTER_HISTORY),
    );
  }

  private read(kind: string): Record<string, unknown> {
    const v = this.store.get<unknown>(kind);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  }

  private async write(kind: string, key: string, value: unknown): Promise<void> {
    const all = { ...this.read(kind) };
    // Re-inserting moves the key last: insertion order is the recency order.
    delete all[key];
    if (value !== undefined) all[key] = value;
    const keys = Object.keys(all);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) delete all[old];
    await this.store.update(kind, all);
  }
}
