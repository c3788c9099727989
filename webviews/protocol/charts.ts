// The metric charts view's messages and the state it keeps across hide/show and window reloads.
import { arrayOf, isInteger, isNumber, isRecord, isString, isUnknown, oneOf, optional, shape } from './guards.ts';
import type { Guard } from './guards.ts';
import { commandType, notificationType, requestType } from './ipc.ts';
import type { EncodedPoints } from './metricPoints.ts';

export const CHARTS_VIEW_TYPE = 'mlflow.charts';

export type XAxis = 'step' | 'wallTime' | 'relativeTime';
export type YScale = 'linear' | 'log';

export interface XRange {
  min: number;
  max: number;
}

/** Everything the user chose; the host keeps the latest copy and the view mirrors it in setState. */
export interface ChartsState {
  v: 1;
  serverId: string;
  runIds: string[];
  metricKeys: string[];
  xAxis: XAxis;
  yScale: YScale;
  /** Exponential smoothing weight, 0 (off) to 0.99. */
  smoothing: number;
  /** Zoomed x-range per metric key, in the units of `xAxis`. */
  zoom: Record<string, XRange>;
  hiddenRunIds: string[];
  /** The metric picker's search text. */
  search: string;
}

export const MAX_CHART_RUNS = 100;
export const MAX_CHART_METRICS = 24;

export function defaultChartsState(serverId: string, runIds: string[], metricKeys: string[] = []): ChartsState {
  return {
    v: 1,
    serverId,
    runIds: runIds.slice(0, MAX_CHART_RUNS),
    metricKeys: metricKeys.slice(0, MAX_CHART_METRICS),
    xAxis: 'step',
    yScale: 'linear',
    smoothing: 0,
    zoom: {},
    hiddenRunIds: [],
    search: '',
  };
}

const isXRange: Guard<XRange> = (v): v is XRange => shape({ min: isNumber, max: isNumber })(v) && v.min < v.max;

/**
 * Reads a state saved by an older or damaged view (setState, the serializer): keeps every valid
 * field, defaults the rest. Returns undefined when it does not even say which server and runs.
 */
export function sanitizeChartsState(raw: unknown): ChartsState | undefined {
  if (!isRecord(raw) || !isString(raw['serverId']) || !arrayOf(isString)(raw['runIds']) || raw['runIds'].length === 0)
    return undefined;
  const s = defaultChartsState(
    raw['serverId'],
    raw['runIds'],
    arrayOf(isString)(raw['metricKeys']) ? raw['metricKeys'] : [],
  );
  if (oneOf('step', 'wallTime', 'relativeTime')(raw['xAxis'])) s.xAxis = raw['xAxis'];
  if (oneOf('linear', 'log')(raw['yScale'])) s.yScale = raw['yScale'];
  if (isNumber(raw['smoothing'])) s.smoothing = Math.min(0.99, Math.max(0, raw['smoothing']));
  if (arrayOf(isString)(raw['hiddenRunIds']))
    s.hiddenRunIds = raw['hiddenRunIds'].filter((id) => s.runIds.includes(id));
  if (isString(raw['search'])) s.search = raw['search'].slice(0, 500);
  const zoom = raw['zoom'];
  if (isRecord(zoom)) for (const k of s.metricKeys) if (isXRange(zoom[k])) s.zoom[k] = zoom[k];
  return s;
}

const isChartsState: Guard<ChartsState> = (v): v is ChartsState => sanitizeChartsState(v) !== undefined;

export interface RunSummary {
  runId: string;
  name: string;
  status: string;
  experimentId: string;
  startTime?: number;
  /** 'missing' when the server no longer knows the run; 'deleted' when it is in the trash. */
  state: 'active' | 'deleted' | 'missing';
  /** Why the run could not be read, when it could not. */
  error?: string;
}

export interface SeriesPayload {
  runId: string;
  points: EncodedPoints;
}

export interface StepRange {
  startStep: number;
  endStep: number;
}

export interface ChartsLoadResult {
  state: ChartsState;
  serverName: string;
  runs: RunSummary[];
  /** Union of the runs' metric keys, sorted. */
  metricKeys: string[];
  /** Set when the server cannot be used at all (removed from settings, not running). */
  error?: string;
}

type HistoryQuality = 'quick' | 'full';

export interface HistoryParams {
  metricKey: string;
  runIds: string[];
  /** 'quick' may answer with a coarse preview (complete: false) for very long histories. */
  quality: HistoryQuality;
  range?: StepRange;
}

export interface HistoryResult {
  metricKey: string;
  series: SeriesPayload[];
  /** False when this is a preview; ask again with quality 'full' for the server's whole sample. */
  complete: boolean;
  /** How it was fetched: MLflow's sampled endpoint, thin step probes, or full paging (old servers). */
  source: 'sampled' | 'probes' | 'paged';
  /** Range this answer covers (absent: everything). */
  range?: StepRange;
}

const isStepRange: Guard<StepRange> = (v): v is StepRange =>
  shape({ startStep: isInteger, endStep: isInteger })(v) && v.startStep <= v.endStep;

export const ChartsRequests = {
  load: requestType<Record<string, never>, ChartsLoadResult>('charts/load', isRecord as Guard<Record<string, never>>),
  history: requestType<HistoryParams, HistoryResult>(
    'charts/history',
    shape({
      metricKey: isString,
      runIds: arrayOf(isString, MAX_CHART_RUNS),
      quality: oneOf('quick', 'full'),
      range: optional(isStepRange),
    }),
  ),
  /** Host fetches the FULL histories (not the sampled ones), asks where to save, writes CSV. */
  exportCsv: requestType<{ metricKeys: string[]; runIds: string[] }, { saved?: string }>(
    'charts/exportCsv',
    shape({ metricKeys: arrayOf(isString, MAX_CHART_METRICS), runIds: arrayOf(isString, MAX_CHART_RUNS) }),
  ),
  /** A PNG of one chart, base64 without the data: prefix. */
  exportPng: requestType<{ metricKey: string; pngBase64: string }, { saved?: string }>(
    'charts/exportPng',
    shape({
      metricKey: isString,
      pngBase64: (v): v is string => isString(v) && v.length < 64 * 1024 * 1024 && /^[A-Za-z0-9+/]*={0,2}$/.test(v),
    }),
  ),
  /** Re-reads the runs (status, deletion, new metric keys). */
  refreshRuns: requestType<Record<string, never>, { runs: RunSummary[]; metricKeys: string[] }>(
    'charts/refreshRuns',
    isRecord as Guard<Record<string, never>>,
  ),
} as const;

export const ChartsCommands = {
  stateChanged: commandType<ChartsState>('charts/stateChanged', isChartsState),
  /** The first chart has drawn (for the status line and timing logs). */
  painted: commandType<{ ms: number; points: number }>('charts/painted', shape({ ms: isNumber, points: isInteger })),
} as const;

export const ChartsNotifications = {
  /** New points of running runs, past the last step sent so far. */
  appended: notificationType<{ metricKey: string; series: SeriesPayload[] }>(
    'charts/appended',
    shape({ metricKey: isString, series: arrayOf(isUnknown) }) as Guard<{ metricKey: string; series: SeriesPayload[] }>,
  ),
  runsChanged: notificationType<{ runs: RunSummary[]; metricKeys: string[] }>(
    'charts/runsChanged',
    shape({ runs: arrayOf(isUnknown), metricKeys: arrayOf(isString) }) as Guard<{
      runs: RunSummary[];
      metricKeys: string[];
    }>,
  ),
  /** A command asked this panel to show more metrics. */
  showMetrics: notificationType<{ metricKeys: string[] }>(
    'charts/showMetrics',
    shape({ metricKeys: arrayOf(isString) }),
  ),
} as const;
