// The host side of the metric charts view, without `vscode`: answers the view's requests (runs,
// histories, CSV data) from one tracking server and follows running runs. ChartsPanel wires it
// to a webview; tests and the first-paint bench drive it directly.
import type { MlflowClient } from '../mlflow/client.ts';
import type { ClientSource } from '../mlflow/clientSource.ts';
import { currentClient } from '../mlflow/clientSource.ts';
import { describeError, isMlflowError } from '../mlflow/errors.ts';
import type { Metric, Run } from '../mlflow/types.ts';
import { runName } from '../mlflow/types.ts';
import type {
  ChartsLoadResult,
  ChartsState,
  HistoryParams,
  HistoryResult,
  RunSummary,
  SeriesPayload,
} from '../../../webviews/protocol/charts.ts';
import { encodePoints } from '../../../webviews/protocol/metricPoints.ts';
import type { LoaderOptions } from './historyLoader.ts';
import { MetricHistoryLoader } from './historyLoader.ts';
import { estimateRows, PREVIEW_ROW_THRESHOLD } from './metricSampling.ts';
import type { CsvSeries } from './csv.ts';
import { metricHistoryCsv } from './csv.ts';

export interface ChartsControllerOptions extends LoaderOptions {
  /** Pass a function (the panel does) so a client rebuilt after a settings change is used. */
  client: ClientSource;
  serverName: string;
  state: ChartsState;
  /** Estimated rows above which a quick answer is a probe preview (default PREVIEW_ROW_THRESHOLD). */
  previewRowThreshold?: number;
}

export interface PollResult {
  appended: { metricKey: string; series: SeriesPayload[] }[];
  runsChanged?: { runs: RunSummary[]; metricKeys: string[] };
}

const LIVE_STATUSES = new Set(['RUNNING', 'SCHEDULED']);
/** A prefetched answer older than this is not handed out (the view was slow to ask; data moved on). */
const PREFETCH_TTL_MS = 30_000;

export class ChartsController {
  readonly loader: MetricHistoryLoader;
  readonly serverName: string;
  private readonly source: ClientSource;
  private readonly previewRowThreshold: number;
  private currentState: ChartsState;
  private readonly runs = new Map<string, Run>();
  private summaries: RunSummary[] = [];
  /** Last step sent to the view per `${metricKey}\0${runId}`; null: asked for, nothing logged yet. */
  private readonly served = new Map<string, number | null>();
  /** Work started before the view asked (see prefetch), taken by the first matching request. */
  private prefetchedLoad: { result: Promise<ChartsLoadResult>; signal: AbortSignal | undefined } | undefined;
  private readonly prefetchedHistory = new Map<
    string,
    { at: number; result: Promise<HistoryResult>; signal: AbortSignal | undefined }
  >();

  constructor(opts: ChartsControllerOptions) {
    this.source = opts.client;
    this.serverName = opts.serverName;
    this.currentState = opts.state;
    this.previewRowThreshold = opts.previewRowThreshold ?? PREVIEW_ROW_THRESHOLD;
    this.loader = new MetricHistoryLoader(opts.client, opts);
  }

  /** The server's client now (see ClientSource). */
  private get client(): MlflowClient {
    return currentClient(this.source);
  }

  get state(): ChartsState {
    return this.currentState;
  }

  setState(state: ChartsState): void {
    this.currentState = state;
  }

  /** True while a shown run may still log points. */
  get anyLive(): boolean {
    return this.summaries.some((s) => s.state === 'active' && LIVE_STATUSES.has(s.status));
  }

  /**
   * Starts reading the runs and the first answer for each chosen metric while the webview is
   * still booting (parsing its bundle takes a few hundred ms); the view's own requests then find
   * the work under way. Failures surface when the view asks, as they would have anyway.
   */
  prefetch(signal?: AbortSignal): void {
    const load = this.loadFresh(signal);
    load.catch(() => undefined);
    this.prefetchedLoad = { result: load, signal };
    load.then(
      (res) => {
        if (res.error || signal?.aborted) return;
        for (const metricKey of this.currentState.metricKeys) {
          const result = this.historyFresh({ metricKey, runIds: this.chartable(), quality: 'quick' }, signal);
          result.catch(() => undefined);
          this.prefetchedHistory.set(metricKey, { at: Date.now(), result, signal });
        }
      },
      () => undefined,
    );
  }

  async load(signal?: AbortSignal): Promise<ChartsLoadResult> {
    const pre = this.prefetchedLoad;
    this.prefetchedLoad = undefined;
    if (pre && !pre.signal?.aborted) return pre.result;
    return this.loadFresh(signal);
  }

  private async loadFresh(signal?: AbortSignal): Promise<ChartsLoadResult> {
    const { runs, metricKeys, error } = await this.readRuns(this.currentState.runIds, signal);
    if (this.currentState.metricKeys.length === 0) {
      const first = this.defaultMetric(metricKeys);
      if (first !== undefined) this.currentState = { ...this.currentState, metricKeys: [first] };
    }
    return { state: this.currentState, serverName: this.serverName, runs, metricKeys, ...(error ? { error } : {}) };
  }

  async refreshRuns(signal?: AbortSignal): Promise<{ runs: RunSummary[]; metricKeys: string[] }> {
    const { runs, metricKeys, error } = await this.readRuns(this.currentState.runIds, signal);
    if (error) throw new Error(error);
    return { runs, metricKeys };
  }

  async history(params: HistoryParams, signal?: AbortSignal): Promise<HistoryResult> {
    const pre = this.prefetchedHistory.get(params.metricKey);
    this.prefetchedHistory.delete(params.metricKey);
    if (
      pre &&
      !pre.signal?.aborted &&
      Date.now() - pre.at < PREFETCH_TTL_MS &&
      params.quality === 'quick' &&
      !params.range &&
      sameList(params.runIds, this.chartable())
    )
      return pre.result;
    return this.historyFresh(params, signal);
  }

  private async historyFresh(params: HistoryParams, signal?: AbortSignal): Promise<HistoryResult> {
    const runIds = params.runIds.filter((id) => this.currentState.runIds.includes(id));
    if (params.range) {
      const res = await this.loader.sampled(runIds, params.metricKey, { range: params.range, signal });
      return {
        metricKey: params.metricKey,
        series: this.payload(res.byRun),
        complete: true,
        source: res.source,
        range: params.range,
      };
    }
    if (params.quality === 'quick' && !this.loader.usesFallback) {
      const latest = runIds.map((id) => this.latestStep(id, params.metricKey));
      const known = latest.filter((s): s is number => s !== undefined);
      if (known.length > 0 && estimateRows(latest) > this.previewRowThreshold) {
        const maxStep = Math.max(...known);
        const res = await this.loader.probes(runIds, params.metricKey, Math.min(0, maxStep), maxStep, signal);
        this.noteServed(params.metricKey, runIds, res.byRun);
        return {
          metricKey: params.metricKey,
          series: this.payload(res.byRun),
          complete: res.source !== 'probes',
          source: res.source,
        };
      }
    }
    const res = await this.loader.sampled(runIds, params.metricKey, { signal });
    this.noteServed(params.metricKey, runIds, res.byRun);
    return { metricKey: params.metricKey, series: this.payload(res.byRun), complete: true, source: res.source };
  }

  /**
   * One round of live following: re-reads the runs that were RUNNING, then fetches only the
   * points past the last step already sent, for the metrics on screen. A run that just finished
   * gets one last round so its final points arrive.
   */
  async poll(signal?: AbortSignal): Promise<PollResult> {
    const live = this.summaries.filter((s) => s.state === 'active' && LIVE_STATUSES.has(s.status)).map((s) => s.runId);
    if (live.length === 0) return { appended: [] };
    const before = JSON.stringify(this.summaries);
    const { runs, metricKeys } = await this.readRuns(this.currentState.runIds, signal, live);
    const changed = JSON.stringify(runs) !== before;
    const appended: PollResult['appended'] = [];
    for (const metricKey of this.currentState.metricKeys) {
      const last = new Map<string, number>();
      const fromStart: string[] = [];
      for (const id of live) {
        const k = servedKey(metricKey, id);
        if (!this.served.has(k)) continue; // the view never asked for this pair
        const s = this.served.get(k);
        if (s === null || s === undefined) fromStart.push(id);
        else last.set(id, s);
      }
      const found = new Map<string, Metric[]>();
      if (last.size > 0) for (const [id, pts] of await this.loader.after(last, metricKey, signal)) found.set(id, pts);
      if (fromStart.length > 0)
        for (const [id, pts] of (await this.loader.sampled(fromStart, metricKey, { signal })).byRun) found.set(id, pts);
      const nonEmpty = new Map([...found].filter(([, pts]) => pts.length > 0));
      if (nonEmpty.size === 0) continue;
      this.noteServed(metricKey, [...nonEmpty.keys()], nonEmpty);
      appended.push({ metricKey, series: this.payload(nonEmpty) });
    }
    return changed ? { appended, runsChanged: { runs, metricKeys } } : { appended };
  }

  /** The CSV of the FULL histories (paged get-history, never sampled), in chunks. */
  async csv(
    metricKeys: readonly string[],
    runIds: readonly string[],
    opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<string[]> {
    const pairs = metricKeys.flatMap((metricKey) =>
      runIds.filter((id) => this.currentState.runIds.includes(id)).map((runId) => ({ metricKey, runId })),
    );
    const series: CsvSeries[] = [];
    let done = 0;
    for (const { metricKey, runId } of pairs) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      const run = this.runs.get(runId);
      // A run without this metric simply contributes no rows.
      const hasKey = run ? run.data.metrics.some((m) => m.key === metricKey) : true;
      const points = hasKey ? await this.loader.full(runId, metricKey, opts.signal) : [];
      series.push({ runId, runName: run?.info.run_name ?? '', metricKey, points });
      opts.onProgress?.(++done, pairs.length);
    }
    return [...metricHistoryCsv(series)];
  }

  /** What to show when nothing was picked: the first key every run has, else the first key. */
  private defaultMetric(union: readonly string[]): string | undefined {
    const runs = this.currentState.runIds.map((id) => this.runs.get(id)).filter((r): r is Run => r !== undefined);
    const common = union.find((k) => runs.every((r) => r.data.metrics.some((m) => m.key === k)));
    return common ?? union[0];
  }

  /** Runs a history request may name: every shown run the server still has. */
  private chartable(): string[] {
    return this.currentState.runIds.filter((id) => this.summaries.find((s) => s.runId === id)?.state !== 'missing');
  }

  private latestStep(runId: string, metricKey: string): number | undefined {
    return this.runs.get(runId)?.data.metrics.find((m) => m.key === metricKey)?.step;
  }

  private noteServed(
    metricKey: string,
    runIds: readonly string[],
    byRun: ReadonlyMap<string, readonly Metric[]>,
  ): void {
    for (const id of runIds) {
      const pts = byRun.get(id) ?? [];
      const k = servedKey(metricKey, id);
      let last = this.served.get(k) ?? null;
      for (const p of pts) if (last === null || p.step > last) last = p.step;
      this.served.set(k, last);
    }
  }

  private payload(byRun: ReadonlyMap<string, readonly Metric[]>): SeriesPayload[] {
    return [...byRun].map(([runId, points]) => ({ runId, points: encodePoints(points) }));
  }

  /**
   * Reads runs (all, or only `only`) and rebuilds the summaries. A run the server no longer has
   * becomes 'missing' with a message; a failure that is not about the run (server down) keeps
   * the last summary and, when nothing could be read at all, is returned as `error`.
   */
  private async readRuns(
    runIds: readonly string[],
    signal?: AbortSignal,
    only?: readonly string[],
  ): Promise<{ runs: RunSummary[]; metricKeys: string[]; error?: string }> {
    const wanted = only ?? runIds;
    let serverError: string | undefined;
    let okCount = 0;
    const results = await Promise.all(
      wanted.map(async (id) => {
        try {
          const run = await this.client.getRun(id, { signal });
          this.runs.set(id, run);
          okCount++;
          return { id, run };
        } catch (e) {
          if (signal?.aborted) throw e;
          if (isMlflowError(e) && e.notFound) {
            this.runs.delete(id);
            return { id, missing: `Run ${id} no longer exists on ${this.serverName}.` };
          }
          serverError = describeError(e);
          return { id, error: serverError };
        }
      }),
    );
    const byId = new Map(results.map((r) => [r.id, r]));
    const previous = new Map(this.summaries.map((s) => [s.runId, s]));
    this.summaries = runIds.map((id): RunSummary => {
      const r = byId.get(id);
      const run = this.runs.get(id);
      if (r && 'missing' in r)
        return {
          runId: id,
          name: previous.get(id)?.name ?? id,
          status: previous.get(id)?.status ?? 'UNKNOWN',
          experimentId: previous.get(id)?.experimentId ?? '',
          state: 'missing',
          error: r.missing,
        };
      if (!run)
        return {
          ...(previous.get(id) ?? {
            runId: id,
            name: id,
            status: 'UNKNOWN',
            experimentId: '',
            state: 'active' as const,
          }),
          ...(r && 'error' in r ? { error: r.error } : {}),
        };
      const s: RunSummary = {
        runId: id,
        name: runName(run),
        status: run.info.status,
        experimentId: run.info.experiment_id,
        state: run.info.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
      };
      if (run.info.start_time !== undefined) s.startTime = run.info.start_time;
      if (run.info.lifecycle_stage === 'deleted')
        s.error = `Run "${s.name}" was deleted on ${this.serverName}; its chart shows the last data read.`;
      if (r && 'error' in r) s.error = r.error;
      return s;
    });
    const keys = new Set<string>();
    for (const id of runIds) for (const m of this.runs.get(id)?.data.metrics ?? []) keys.add(m.key);
    const metricKeys = [...keys].sort((a, b) => a.localeCompare(b));
    const error = okCount === 0 && serverError !== undefined && only === undefined ? serverError : undefined;
    return { runs: this.summaries, metricKeys, ...(error ? { error } : {}) };
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function servedKey(metricKey: string, runId: string): string {
  return `${metricKey}\u0000${runId}`;
}
