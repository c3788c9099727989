// A typed client for the MLflow tracking and registry REST API (see shared mlflow-spec §3).
// Imports nothing from `vscode`, so it is tested against a real server without an editor.
import * as decode from './decode.ts';
import type { ArtifactListing, Experiment, Metric, ModelVersion, Page, RegisteredModel, Run, RunInfo, RunStatus, ViewType, KeyValue } from './types.ts';
import { Transport } from './transport.ts';
import type { DownloadProgress, TransportOptions } from './transport.ts';

const API = '/api/2.0/mlflow';

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface SearchExperimentsRequest extends CallOptions {
  filter?: string;
  orderBy?: string[];
  viewType?: ViewType;
  maxResults?: number;
  pageToken?: string;
}

export interface SearchRunsRequest extends CallOptions {
  experimentIds: string[];
  filter?: string;
  orderBy?: string[];
  viewType?: ViewType;
  maxResults?: number;
  pageToken?: string;
}

export interface MetricHistoryRequest extends CallOptions {
  maxResults?: number;
  pageToken?: string;
}

export interface SampledHistoryRequest extends CallOptions {
  runIds: string[];
  metricKey: string;
  /** Both or neither (MLflow rejects one alone). */
  startStep?: number;
  endStep?: number;
  /** Distinct steps wanted, 1–2500. */
  maxResults?: number;
}

export interface SearchRegistryRequest extends CallOptions {
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
}

export class MlflowClient {
  readonly transport: Transport;

  constructor(opts: TransportOptions | Transport) {
    this.transport = opts instanceof Transport ? opts : new Transport(opts);
  }

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  // ---- server ------------------------------------------------------------------------------

  /** `OK` from /health; it is exempt from auth, so version() is the real credentials check. */
  async health(opts: CallOptions = {}): Promise<string> {
    return (await this.transport.text({ method: 'GET', path: '/health', idempotent: true, ...opts })).trim();
  }

  async version(opts: CallOptions = {}): Promise<string> {
    return (await this.transport.text({ method: 'GET', path: '/version', idempotent: true, ...opts })).trim();
  }

  // ---- experiments -------------------------------------------------------------------------

  async searchExperiments(req: SearchExperimentsRequest = {}): Promise<Page<Experiment>> {
    return this.transport.json(
      {
        method: 'POST',
        path: `${API}/experiments/search`,
        idempotent: true,
        signal: req.signal,
        timeoutMs: req.timeoutMs,
        // max_results has no server default: 0 is rejected.
        body: dropUndefined({
          max_results: req.maxResults ?? 1000,
          page_token: req.pageToken,
          filter: req.filter || undefined,
          order_by: req.orderBy,
          view_type: req.viewType,
        }),
      },
      (b) => {
        const o = decode.object(b, '');
        return { items: decode.list(o, 'experiments', '', decode.experiment), nextPageToken: decode.pageToken(o) };
      },
    );
  }

  async *iterateExperiments(req: SearchExperimentsRequest = {}): AsyncGenerator<Experiment[]> {
    let pageToken = req.pageToken;
    do {
      const page = await this.searchExperiments({ ...req, pageToken });
      yield page.items;
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  async listExperiments(req: SearchExperimentsRequest = {}): Promise<Experiment[]> {
    const all: Experiment[] = [];
    for await (const page of this.iterateExperiments(req)) all.push(...page);
    return all;
  }

  async getExperiment(experimentId: string, opts: CallOptions = {}): Promise<Experiment> {
    return this.transport.json(
      { method: 'GET', path: `${API}/experiments/get`, query: { experiment_id: experimentId }, idempotent: true, ...opts },
      (b) => decode.experiment(decode.object(b, '')['experiment'], 'experiment'),
    );
  }

  async getExperimentByName(name: string, opts: CallOptions = {}): Promise<Experiment> {
    return this.transport.json(
      { method: 'GET', path: `${API}/experiments/get-by-name`, query: { experiment_name: name }, idempotent: true, ...opts },
      (b) => decode.experiment(decode.object(b, '')['experiment'], 'experiment'),
    );
  }

  async createExperiment(name: string, opts: CallOptions = {}): Promise<string> {
    return this.transport.json(
      { method: 'POST', path: `${API}/experiments/create`, body: { name }, idempotent: false, ...opts },
      (b) => decode.string(decode.object(b, ''), 'experiment_id', ''),
    );
  }

  // ---- runs --------------------------------------------------------------------------------

  async searchRuns(req: SearchRunsRequest): Promise<Page<Run>> {
    return this.transport.json(
      {
        method: 'POST',
        path: `${API}/runs/search`,
        idempotent: true,
        signal: req.signal,
        timeoutMs: req.timeoutMs,
        body: dropUndefined({
          experiment_ids: req.experimentIds,
          filter: req.filter || undefined,
          run_view_type: req.viewType,
          max_results: req.maxResults ?? 100,
          order_by: req.orderBy && req.orderBy.length > 0 ? req.orderBy : undefined,
          page_token: req.pageToken,
        }),
      },
      (b) => {
        const o = decode.object(b, '');
        return { items: decode.list(o, 'runs', '', decode.run), nextPageToken: decode.pageToken(o) };
      },
    );
  }

  async *iterateRuns(req: SearchRunsRequest): AsyncGenerator<Run[]> {
    let pageToken = req.pageToken;
    do {
      const page = await this.searchRuns({ ...req, pageToken });
      yield page.items;
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  async getRun(runId: string, opts: CallOptions = {}): Promise<Run> {
    return this.transport.json(
      { method: 'GET', path: `${API}/runs/get`, query: { run_id: runId }, idempotent: true, ...opts },
      (b) => decode.run(decode.object(b, '')['run'], 'run'),
    );
  }

  async createRun(req: { experimentId: string; runName?: string; tags?: KeyValue[]; startTime?: number } & CallOptions): Promise<Run> {
    return this.transport.json(
      {
        method: 'POST',
        path: `${API}/runs/create`,
        idempotent: false,
        signal: req.signal,
        timeoutMs: req.timeoutMs,
        body: dropUndefined({ experiment_id: req.experimentId, run_name: req.runName, tags: req.tags, start_time: req.startTime ?? Date.now() }),
      },
      (b) => decode.run(decode.object(b, '')['run'], 'run'),
    );
  }

  async updateRun(req: { runId: string; status?: RunStatus; endTime?: number; runName?: string } & CallOptions): Promise<RunInfo> {
    return this.transport.json(
      {
        method: 'POST',
        path: `${API}/runs/update`,
        idempotent: true,
        signal: req.signal,
        timeoutMs: req.timeoutMs,
        body: dropUndefined({ run_id: req.runId, status: req.status, end_time: req.endTime, run_name: req.runName }),
      },
      (b) => decode.runInfo(decode.object(b, '')['run_info'], 'run_info'),
    );
  }

  /** Params, tags and metrics in one call (MLflow caps: 100 params, 100 tags, 1000 entries). */
  async logBatch(req: { runId: string; params?: KeyValue[]; tags?: KeyValue[]; metrics?: { key: string; value: number; timestamp: number; step: number }[] } & CallOptions): Promise<void> {
    // JSON has no NaN/Infinity; MLflow reads them as these strings (JSON.stringify would send null).
    const metrics = req.metrics?.map((m) => ({ ...m, value: Number.isFinite(m.value) ? m.value : Number.isNaN(m.value) ? 'NaN' : m.value > 0 ? 'Infinity' : '-Infinity' }));
    await this.post('runs/log-batch', dropUndefined({ run_id: req.runId, params: req.params, tags: req.tags, metrics }), false, { signal: req.signal, timeoutMs: req.timeoutMs });
  }

  async setRunTag(runId: string, key: string, value: string, opts: CallOptions = {}): Promise<void> {
    await this.post('runs/set-tag', { run_id: runId, key, value }, true, opts);
  }

  async deleteRunTag(runId: string, key: string, opts: CallOptions = {}): Promise<void> {
    await this.post('runs/delete-tag', { run_id: runId, key }, true, opts);
  }

  async deleteRun(runId: string, opts: CallOptions = {}): Promise<void> {
    await this.post('runs/delete', { run_id: runId }, false, opts);
  }

  async restoreRun(runId: string, opts: CallOptions = {}): Promise<void> {
    await this.post('runs/restore', { run_id: runId }, false, opts);
  }

  // ---- metrics -----------------------------------------------------------------------------

  async getMetricHistoryPage(runId: string, metricKey: string, req: MetricHistoryRequest = {}): Promise<Page<Metric>> {
    return this.transport.json(
      {
        method: 'GET',
        path: `${API}/metrics/get-history`,
        // Without max_results the server returns an empty page and a token it then rejects.
        query: { run_id: runId, metric_key: metricKey, max_results: req.maxResults ?? 25_000, page_token: req.pageToken },
        idempotent: true,
        signal: req.signal,
        timeoutMs: req.timeoutMs,
      },
      (b) => {
        const o = decode.object(b, '');
        return { items: decode.list(o, 'metrics', '', decode.metric), nextPageToken: decode.pageToken(o) };
      },
    );
  }

  /** The whole history, page by page, ordered by (timestamp, step, value). */
  async getMetricHistory(runId: string, metricKey: string, opts: CallOptions & { pageSize?: number } = {}): Promise<Metric[]> {
    const all: Metric[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.getMetricHistoryPage(runId, metricKey, { ...opts, maxResults: opts.pageSize, pageToken });
      for (const m of page.items) all.push(m);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return all;
  }

  /**
   * The server-side step sampling the MLflow UI charts use: up to `maxResults` distinct steps
   * (plus each run's first and last) in [startStep, endStep], every row at those steps.
   */
  async getSampledMetricHistory(req: SampledHistoryRequest): Promise<Metric[]> {
    return this.transport.json(
      {
        method: 'GET',
        path: `${API}/metrics/get-history-bulk-interval`,
        query: { run_ids: req.runIds, metric_key: req.metricKey, start_step: req.startStep, end_step: req.endStep, max_results: req.maxResults ?? 2500 },
        idempotent: true,
        signal: req.signal,
        timeoutMs: req.timeoutMs,
      },
      (b) => decode.list(decode.object(b, ''), 'metrics', '', decode.metric),
    );
  }

  // ---- artifacts ---------------------------------------------------------------------------

  /** One directory level (the API never recurses nor pages). */
  async listArtifacts(runId: string, path = '', opts: CallOptions = {}): Promise<ArtifactListing> {
    return this.transport.json(
      { method: 'GET', path: `${API}/artifacts/list`, query: { run_id: runId, path: path || undefined }, idempotent: true, ...opts },
      decode.artifactListing,
    );
  }

  /** Works for every artifact store: the server fetches and streams the file. */
  async downloadArtifact(
    runId: string,
    path: string,
    opts: CallOptions & { onProgress?: (p: DownloadProgress) => void; maxBytes?: number } = {},
  ): Promise<Uint8Array> {
    return this.transport.download({ path: '/get-artifact', query: { run_id: runId, path }, signal: opts.signal, timeoutMs: opts.timeoutMs }, opts.onProgress, opts.maxBytes);
  }

  // ---- registry ----------------------------------------------------------------------------

  async searchRegisteredModels(req: SearchRegistryRequest = {}): Promise<Page<RegisteredModel>> {
    return this.transport.json(
      {
        method: 'GET',
        path: `${API}/registered-models/search`,
        query: { filter: req.filter || undefined, max_results: req.maxResults ?? 100, order_by: req.orderBy, page_token: req.pageToken },
        idempotent: true,
        signal: req.signal,
        timeoutMs: req.timeoutMs,
      },
      (b) => {
        const o = decode.object(b, '');
        return { items: decode.list(o, 'registered_models', '', decode.registeredModel), nextPageToken: decode.pageToken(o) };
      },
    );
  }

  async getRegisteredModel(name: string, opts: CallOptions = {}): Promise<RegisteredModel> {
    return this.transport.json(
      { method: 'GET', path: `${API}/registered-models/get`, query: { name }, idempotent: true, ...opts },
      (b) => decode.registeredModel(decode.object(b, '')['registered_model']),
    );
  }

  async searchModelVersions(req: SearchRegistryRequest = {}): Promise<Page<ModelVersion>> {
    return this.transport.json(
      {
        method: 'GET',
        path: `${API}/model-versions/search`,
        query: { filter: req.filter || undefined, max_results: req.maxResults ?? 1000, order_by: req.orderBy, page_token: req.pageToken },
        idempotent: true,
        signal: req.signal,
        timeoutMs: req.timeoutMs,
      },
      (b) => {
        const o = decode.object(b, '');
        return { items: decode.list(o, 'model_versions', '', decode.modelVersion), nextPageToken: decode.pageToken(o) };
      },
    );
  }

  async getModelVersion(name: string, version: string, opts: CallOptions = {}): Promise<ModelVersion> {
    return this.transport.json(
      { method: 'GET', path: `${API}/model-versions/get`, query: { name, version }, idempotent: true, ...opts },
      (b) => decode.modelVersion(decode.object(b, '')['model_version']),
    );
  }

  private async post(path: string, body: unknown, idempotent: boolean, opts: CallOptions): Promise<void> {
    await this.transport.json({ method: 'POST', path: `${API}/${path}`, body, idempotent, ...opts }, () => undefined);
  }
}

function dropUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
