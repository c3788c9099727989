// The leaderboard view's messages and the state it keeps across hide/show and window reloads.
import { arrayOf, isInteger, isRecord, isString, oneOf, optional, shape } from './guards.ts';
import type { Guard } from './guards.ts';
import { commandType, notificationType, requestType } from './ipc.ts';
import type { WireNumber } from './metricPoints.ts';

export const LEADERBOARD_VIEW_TYPE = 'mlflow.leaderboard';

export type Better = 'lower' | 'higher';
export type GroupBy = 'none' | 'user' | 'model';
/** `finished`: FAILED and KILLED runs are left out of the ranking (the default); `all`: every status. */
export type StatusFilter = 'finished' | 'all';
type SortKind = 'metric' | 'param' | 'attribute';

export interface SortSpec {
  kind: SortKind;
  key: string;
  descending: boolean;
}

/** What the table shows; every field survives hide/show and reloads. */
export interface LeaderboardState {
  v: 1;
  serverId: string;
  experimentIds: string[];
  /** The ranking metric. */
  metricKey: string;
  better: Better;
  /** A column sort other than the ranking metric; undefined ranks by the metric. */
  sort?: SortSpec;
  /** An MLflow search filter, e.g. `params.lr = '0.1' and metrics.acc > 0.8`. */
  filter: string;
  paramColumns: string[];
  metricColumns: string[];
  groupBy: GroupBy;
  pageSize: number;
  statusFilter: StatusFilter;
}

export const PAGE_SIZES = [25, 50, 100] as const;
const MAX_COLUMNS = 50;

export function defaultLeaderboardState(serverId: string, experimentIds: string[] = []): LeaderboardState {
  return {
    v: 1,
    serverId,
    experimentIds,
    metricKey: '',
    better: 'lower',
    filter: '',
    paramColumns: [],
    metricColumns: [],
    groupBy: 'none',
    pageSize: 50,
    statusFilter: 'finished',
  };
}

const isSortSpec: Guard<SortSpec> = shape({
  kind: oneOf('metric', 'param', 'attribute'),
  key: isString,
  descending: (v): v is boolean => typeof v === 'boolean',
});

export function sanitizeLeaderboardState(raw: unknown): LeaderboardState | undefined {
  if (!isRecord(raw) || !isString(raw['serverId'])) return undefined;
  const s = defaultLeaderboardState(
    raw['serverId'],
    arrayOf(isString, 1000)(raw['experimentIds']) ? raw['experimentIds'] : [],
  );
  if (isString(raw['metricKey'])) s.metricKey = raw['metricKey'];
  if (oneOf('lower', 'higher')(raw['better'])) s.better = raw['better'];
  if (isSortSpec(raw['sort'])) s.sort = raw['sort'];
  if (isString(raw['filter'])) s.filter = raw['filter'].slice(0, 10_000);
  if (arrayOf(isString, MAX_COLUMNS)(raw['paramColumns'])) s.paramColumns = raw['paramColumns'];
  if (arrayOf(isString, MAX_COLUMNS)(raw['metricColumns'])) s.metricColumns = raw['metricColumns'];
  if (oneOf('none', 'user', 'model')(raw['groupBy'])) s.groupBy = raw['groupBy'];
  if (oneOf(...PAGE_SIZES)(raw['pageSize'])) s.pageSize = raw['pageSize'];
  if (oneOf('finished', 'all')(raw['statusFilter'])) s.statusFilter = raw['statusFilter'];
  return s;
}

const isLeaderboardState: Guard<LeaderboardState> = (v): v is LeaderboardState =>
  sanitizeLeaderboardState(v) !== undefined;

export interface ExperimentSummary {
  experimentId: string;
  name: string;
}

export interface ModelRef {
  name: string;
  version: string;
}

export interface LeaderboardRow {
  /** 1-based position in the server's order; undefined for runs without the ranking metric. */
  rank?: number;
  runId: string;
  runName: string;
  userId: string;
  experimentId: string;
  status: string;
  /** The ranking metric's latest value, absent when the run never logged it. */
  value?: WireNumber;
  models: ModelRef[];
  params: Record<string, string>;
  metrics: Record<string, WireNumber>;
  /** In grouped mode: the group this row is the best of. */
  group?: string;
}

export interface LeaderboardLoadResult {
  state: LeaderboardState;
  serverName: string;
  experiments: ExperimentSummary[];
  error?: string;
}

export interface PageParams {
  state: LeaderboardState;
  pageToken?: string;
  /** Rows before this page, for ranks. */
  offset: number;
}

export interface PageResult {
  rows: LeaderboardRow[];
  nextPageToken?: string;
  offset: number;
  /** Set when model versions could not be read; the rows are still shown. */
  modelError?: string;
}

/** Which way a metric is better, and whether that is a guess (the header then says so). */
export interface DirectionInfo {
  better: Better;
  guess: boolean;
  /** Why, for the header's tooltip. */
  reason: string;
}

export interface KeysResult {
  metricKeys: string[];
  paramKeys: string[];
  /** Runs the keys were read from. */
  sampled: number;
  /** The experiments' primary metric (extension/src/mlflow/primaryMetric.ts): the default ranking metric. */
  primaryMetric?: string;
  /** Per metric key: the experiment's tags, the name rules or the user's choice. */
  directions: Record<string, DirectionInfo>;
  /** The state last used with exactly these experiments, when the host remembers one. */
  saved?: LeaderboardState;
}

export interface GroupsResult {
  rows: LeaderboardRow[];
  scanned: number;
  /** True when the scan stopped at its bound before the last run. */
  truncated: boolean;
  modelError?: string;
}

const isState = isLeaderboardState;

export const LeaderboardRequests = {
  load: requestType<Record<string, never>, LeaderboardLoadResult>(
    'leaderboard/load',
    isRecord as Guard<Record<string, never>>,
  ),
  /** Metric and param keys seen in recent runs of these experiments (MLflow has no key listing). */
  keys: requestType<{ experimentIds: string[] }, KeysResult>(
    'leaderboard/keys',
    shape({ experimentIds: arrayOf(isString, 1000) }),
  ),
  page: requestType<PageParams, PageResult>(
    'leaderboard/page',
    shape({ state: isState, pageToken: optional(isString), offset: isInteger }),
  ),
  /** Best run per group: pages through the server-sorted runs, bounded, with progress. */
  groups: requestType<{ state: LeaderboardState }, GroupsResult>('leaderboard/groups', shape({ state: isState })),
} as const;

export const LeaderboardCommands = {
  stateChanged: commandType<LeaderboardState>('leaderboard/stateChanged', isState),
  revealRun: commandType<{ runId: string }>('leaderboard/revealRun', shape({ runId: isString })),
  diffRuns: commandType<{ runIds: [string, string] }>(
    'leaderboard/diffRuns',
    shape({ runIds: (v): v is [string, string] => arrayOf(isString)(v) && v.length === 2 }),
  ),
  /** The user flipped a metric's direction: remembered for this experiment set. */
  setDirection: commandType<{ metricKey: string; better: Better }>(
    'leaderboard/setDirection',
    shape({ metricKey: isString, better: oneOf('lower', 'higher') }),
  ),
  chartRuns: commandType<{ runIds: string[]; metricKeys: string[] }>(
    'leaderboard/chartRuns',
    shape({ runIds: arrayOf(isString, 100), metricKeys: arrayOf(isString, 24) }),
  ),
  /** A query timed out: open the setting that bounds how long a request may take. */
  openTimeoutSetting: commandType<Record<string, never>>('leaderboard/openTimeoutSetting', shape({})),
} as const;

/** The setting a timed-out query is bounded by; the view names it, the host opens it. */
export const TIMEOUT_SETTING = 'mlflow.requestTimeoutSeconds';

export const LeaderboardNotifications = {
  groupProgress: notificationType<{ scanned: number; groups: number }>(
    'leaderboard/groupProgress',
    shape({ scanned: isInteger, groups: isInteger }),
  ),
} as const;
