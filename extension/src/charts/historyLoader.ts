// Fetches metric histories for charts over the REST client: MLflow's sampled endpoint where the
// server has it (falling back to full paging on servers without it), probe previews for very
// long histories, finer data for a zoomed step range, only-new points for live runs, and full
// histories for CSV. No `vscode` import, so it runs against a real server in tests and benches.
import type { MlflowClient } from '../mlflow/client.ts';
import type { ClientSource } from '../mlflow/clientSource.ts';
import { currentClient } from '../mlflow/clientSource.ts';
import { mapPool } from '../shared/mapPool.ts';
import type { Metric } from '../mlflow/types.ts';
import type { ProbePlanOptions, StepRange } from './metricSampling.ts';
import {
  chunk,
  DEFAULT_PROBES,
  FULL_STEP_RANGE,
  groupByRun,
  inRange,
  isEndpointMissing,
  MAX_RUNS_PER_CALL,
  mergeSorted,
  probeWindows,
  SAMPLE_MAX_RESULTS,
  strideSample,
} from './metricSampling.ts';

type HistorySource = 'sampled' | 'probes' | 'paged';

export interface LoadedHistory {
  /** Per requested run, ordered by (step, timestamp, value). */
  byRun: Map<string, Metric[]>;
  source: HistorySource;
}

export interface LoaderOptions {
  /** Parallel requests for probes and per-run fallbacks. */
  concurrency?: number;
  probes?: ProbePlanOptions;
}

export class MetricHistoryLoader {
  private readonly source: ClientSource;
  private readonly concurrency: number;
  private readonly probeOptions: ProbePlanOptions;
  /** Learned on the first 404: the server has no sampled endpoint. */
  private sampledUnsupported = false;

  constructor(client: ClientSource, opts: LoaderOptions = {}) {
    this.source = client;
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
    this.probeOptions = opts.probes ?? DEFAULT_PROBES;
  }

  /** The server's client now (see ClientSource). */
  private get client(): MlflowClient {
    return currentClient(this.source);
  }

  get usesFallback(): boolean {
    return this.sampledUnsupported;
  }

  /**
   * MLflow's own sample of each run's history in `range` (everything when absent: an explicit
   * full range, because without one the pre-3.17 sampler drops negative steps).
   */
  async sampled(
    runIds: readonly string[],
    metricKey: string,
    opts: { range?: StepRange; maxResults?: number; signal?: AbortSignal } = {},
  ): Promise<LoadedHistory> {
    const maxResults = Math.min(SAMPLE_MAX_RESULTS, Math.max(1, opts.maxResults ?? SAMPLE_MAX_RESULTS));
    if (!this.sampledUnsupported) {
      try {
        const range = opts.range ?? FULL_STEP_RANGE;
        const answers = await mapPool(
          chunk(runIds, MAX_RUNS_PER_CALL),
          this.concurrency,
          (ids) =>
            this.client.getSampledMetricHistory({
              runIds: ids,
              metricKey,
              startStep: range.startStep,
              endStep: range.endStep,
              maxResults,
              signal: opts.signal,
            }),
          opts.signal,
        );
        return { byRun: groupByRun(answers.flat(), runIds), source: 'sampled' };
      } catch (e) {
        if (!isEndpointMissing(e)) throw e;
        this.sampledUnsupported = true;
      }
    }
    return this.paged(runIds, metricKey, { range: opts.range, maxResults, signal: opts.signal });
  }

  /**
   * A coarse preview: thin windows over [minStep, maxStep] of each run. Cost is bounded by
   * probes × width rows per run, however long the history is.
   */
  async probes(
    runIds: readonly string[],
    metricKey: string,
    minStep: number,
    maxStep: number,
    signal?: AbortSignal,
  ): Promise<LoadedHistory> {
    const windows = probeWindows(minStep, maxStep, this.probeOptions);
    if (this.sampledUnsupported || windows.length === 0) return this.sampled(runIds, metricKey, { signal });
    const perWindow = await mapPool(
      windows,
      this.concurrency,
      async (w) => {
        const res = await this.sampled(runIds, metricKey, {
          range: w,
          maxResults: w.endStep - w.startStep + 1,
          signal,
        });
        return res.byRun;
      },
      signal,
    );
    const byRun = new Map<string, Metric[]>();
    for (const id of runIds) byRun.set(id, mergeSorted(perWindow.map((m) => m.get(id) ?? [])));
    return { byRun, source: this.sampledUnsupported ? 'paged' : 'probes' };
  }

  /**
   * Points of each run past its last known step (live runs). Runs are grouped by that step so
   * runs in lockstep share one call.
   */
  async after(
    lastStepByRun: ReadonlyMap<string, number>,
    metricKey: string,
    signal?: AbortSignal,
  ): Promise<Map<string, Metric[]>> {
    const groups = new Map<number, string[]>();
    for (const [runId, last] of lastStepByRun) {
      const list = groups.get(last) ?? [];
      list.push(runId);
      groups.set(last, list);
    }
    const out = new Map<string, Metric[]>();
    await mapPool(
      [...groups],
      this.concurrency,
      async ([last, ids]) => {
        if (last >= FULL_STEP_RANGE.endStep) return;
        const res = await this.sampled(ids, metricKey, {
          range: { startStep: last + 1, endStep: FULL_STEP_RANGE.endStep },
          signal,
        });
        for (const [id, points] of res.byRun)
          out.set(
            id,
            points.filter((p) => p.step > last),
          );
      },
      signal,
    );
    return out;
  }

  /** Every point of one run's history (CSV export): paged get-history, never sampled. */
  full(runId: string, metricKey: string, signal?: AbortSignal): Promise<Metric[]> {
    return this.client.getMetricHistory(runId, metricKey, { signal });
  }

  /** Old servers: the whole history per run, reduced on this side. */
  private async paged(
    runIds: readonly string[],
    metricKey: string,
    opts: { range?: StepRange; maxResults: number; signal?: AbortSignal },
  ): Promise<LoadedHistory> {
    const byRun = new Map<string, Metric[]>();
    await mapPool(
      runIds,
      this.concurrency,
      async (id) => {
        const all = await this.client.getMetricHistory(id, metricKey, { signal: opts.signal });
        const ordered = all.filter((m) => inRange(m.step, opts.range)).map((m) => ({ ...m, run_id: id }));
        byRun.set(id, strideSample(mergeSorted([ordered]), opts.maxResults));
      },
      opts.signal,
    );
    // Keep the caller's run order.
    return { byRun: new Map(runIds.map((id) => [id, byRun.get(id) ?? []])), source: 'paged' };
  }
}
