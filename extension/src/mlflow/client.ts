// A typed client for the MLflow tracking and registry REST API (see shared mlflow-spec §3).
// Imports nothing from `vscode`, so it is tested against a real server without an editor.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import * as decode from './decode.ts';
import type {
  ArtifactListing,
  Experiment,
  Metric,
  ModelVersion,
  Page,
  RegisteredModel,
  Run,
  RunInfo,
  RunStatus,
  ViewType,
  KeyValue,
} from './types.ts';
import { Transport } from './transport.ts';
import type { DownloadProgress, TransportOptions } from './transport.ts';
import { collectPages, DEFAULT_MAX_PAGES, PageCursor } from './paging.ts';
import type { Collected } from './paging.ts';

export interface ClientOptions extends TransportOptions {
  /** The most pages one listing reads (see PageCursor). */
  maxPages?: number;
}

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
  readonly maxPages: number;

  constructor(opts: ClientOptions | Transport) {
    this.transport = opts instanceof Transport ? opts : new Transport(opts);
    this.maxPages = opts instanceof Transport ? DEFAULT_MAX_PAGES : (opts.maxPages ?? DEFAULT_MAX_PAGES);
  }

  /** A cursor over any paged search, bounded like every other listing (see paging.ts). */
  pages<T>(
    what: string,
    fetchPage: (pageToken: string | undefined, signal?: AbortSignal) => Promise<Page<T>>,
    startToken?: string,
  ): PageCursor<T> {
    return new PageCursor(fetchPage, { what, maxPages: this.maxPages, startToken });
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

  /** Page by page; returns why it stopped early, if it did (see PageCursor). */
  async *iterateExperiments(req: SearchExperimentsRequest = {}): AsyncGenerator<Experiment[], string | undefined> {
    const cursor = this.pages(
      'experiments',
      (pageToken) => this.searchExperiments({ ...req, pageToken }),
      req.pageToken,
    );
    while (!cursor.done) yield await cursor.next();
    return cursor.stopped;
  }

  async listExperiments(req: SearchExperimentsRequest = {}): Promise<Collected<Experiment>> {
    return collectPages((pageToken) => this.searchExperiments({ ...req, pageToken }), {
      what: 'experiments',
      maxPages: this.maxPages,
      startToken: req.pageToken,
    });
  }

  async getExperiment(experimentId: string, opts: CallOptions = {}): Promise<Experiment> {
    return this.transport.json(
      {
        method: 'GET',
        path: `${API}/experiments/get`,
        query: { experiment_id: experimentId },
        idempotent: true,
        ...opts,
      },
      (b) => decode.experiment(decode.object(b, '')['experiment'], 'experiment'),
    );
  }

  async getExperimentByName(name: string, opts: CallOptions = {}): Promise<Experiment> {
    return this.transport.json(
      {
        method: 'GET',
        path: `${API}/experiments/get-by-name`,
        query: { experiment_name: name },
        idempotent: true,
        ...opts,
      },
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

  /** Page by page; returns why it stopped early, if it did (see PageCursor). */
  async *iterateRuns(req: SearchRunsRequest): AsyncGenerator<Run[], string | undefined> {
    const cursor = this.pages('runs', (pageToken) => this.searchRuns({ ...req, pageToken }), req.pageToken);
    while (!cursor.done) yield await cursor.next();
    return cursor.stopped;
  }

  async getRun(runId: string, opts: CallOptions = {}): Promise<Run> {
    return this.transport.json(
      { method: 'GET', path: `${API}/runs/get`, query: { run_id: runId }, idempotent: true, ...opts },
      (b) => decode.run(decode.object(b, '')['run'], 'run'),
    );
  }

  async createRun(
    req: { experimentId: string; runName?: string; tags?: KeyValue[]; startTime?: number } & CallOptions,
  ): Promise<Run> {
    return this.transport.json(
      {
        method: 'POST',
        path: `${API}/runs/create`,
        idempotent: false,
        signal: req.signal,
        timeoutMs: req.timeoutMs,
        body: dropUndefined({
          experiment_id: req.experimentId,
          run_name: req.runName,
          tags: req.tags,
          start_time: req.startTime ?? Date.now(),
        }),
      },
      (b) => decode.run(decode.object(b, '')['run'], 'run'),
    );
  }

  async updateRun(
    req: { runId: string; status?: RunStatus; endTime?: number; runName?: string } & CallOptions,
  ): Promise<RunInfo> {
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
  async logBatch(
    req: {
      runId: string;
      params?: KeyValue[];
      tags?: KeyValue[];
      metrics?: { key: string; value: number; timestamp: number; step: number }[];
    } & CallOptions,
  ): Promise<void> {
    // JSON has no NaN/Infinity; MLflow reads them as these strings (JSON.stringify would send null).
    const metrics = req.metrics?.map((m) => ({
      ...m,
      value: Number.isFinite(m.value)
        ? m.value
        : Number.isNaN(m.value)
          ? 'NaN'
          : m.value > 0
            ? 'Infinity'
            : '-Infinity',
    }));
    await this.post(
      'runs/log-batch',
      dropUndefined({ run_id: req.runId, params: req.params, tags: req.tags, metrics }),
      false,
      { signal: req.signal, timeoutMs: req.timeoutMs },
    );
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
        query: {
          run_id: runId,
          metric_key: metricKey,
          max_results: req.maxResults ?? 25_000,
          page_token: req.pageToken,
        },
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
  async getMetricHistory(
    runId: string,
    metricKey: string,
    opts: CallOptions & { pageSize?: number } = {},
  ): Promise<Collected<Metric>> {
    return collectPages(
      (pageToken) => this.getMetricHistoryPage(runId, metricKey, { ...opts, maxResults: opts.pageSize, pageToken }),
      {
        what: `the history of ${metricKey}`,
        maxPages: this.maxPages,
      },
    );
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
        query: {
          run_ids: req.runIds,
          metric_key: req.metricKey,
          start_step: req.startStep,
          end_step: req.endStep,
          max_results: req.maxResults ?? 2500,
        },
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
      {
        method: 'GET',
        path: `${API}/artifacts/list`,
        query: { run_id: runId, path: path || undefined },
        idempotent: true,
        ...opts,
      },
      decode.artifactListing,
    );
  }

  /** Works for every artifact store: the server fetches and streams the file. */
  async downloadArtifact(
    runId: string,
    path: string,
    opts: CallOptions & { onProgress?: (p: DownloadProgress) => void; maxBytes?: number } = {},
  ): Promise<Uint8Array> {
    return this.transport.download(
      { path: '/get-artifact', query: { run_id: runId, path }, signal: opts.signal, timeoutMs: opts.timeoutMs },
      opts.onProgress,
      opts.maxBytes,
    );
  }

  /**
   * Streams an artifact into `file`, never holding it in memory, so any size works. The bytes go
   * to a temporary file beside it that replaces `file` only once complete: a failed or cancelled
   * save removes the temporary file and leaves a file the user already had as it was.
   * Returns the bytes written.
   */
  async downloadArtifactTo(
    runId: string,
    path: string,
    file: string,
    opts: CallOptions & { onProgress?: (p: DownloadProgress) => void } = {},
  ): Promise<number> {
    // Same folder, so the final rename never crosses file systems; 'wx' never follows or reuses one.
    const partial = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.part`);
    const out = createWriteStream(partial, { flags: 'wx' });
    // Open before asking the server: a target that cannot be written fails without a request.
    await once(out, 'open');
    // Write errors reach the caller through downloadTo and end(); this keeps the ones a discarded
    // stream still reports (ERR_STREAM_DESTROYED for queued writes) from crashing the host.
    out.on('error', () => undefined);
    try {
      const written = await this.transport.downloadTo(
        { path: '/get-artifact', query: { run_id: runId, path }, signal: opts.signal, timeoutMs: opts.timeoutMs },
        out,
        opts.onProgress,
      );
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
      await rename(partial, file);
      return written;
    } catch (e) {
      out.destroy();
      await new Promise<void>((resolve) => (out.closed ? resolve() : out.once('close', () => resolve())));
      await rm(partial, { force: true });
      throw e;
    }
  }

  // ---- registry ----------------------------------------------------------------------------

  async searchRegisteredModels(req: SearchRegistryRequest = {}): Promise<Page<RegisteredModel>> {
    return this.transport.json(
      {
        method: 'GET',
        path: `${API}/registered-models/search`,
        query: {
          filter: req.filter || undefined,
          max_results: req.maxResults ?? 100,
          order_by: req.orderBy,
          page_token: req.pageToken,
        },
        idempotent: true,
        signal: req.signal,
        timeoutMs: req.timeoutMs,
      },
      (b) => {
        const o = decode.object(b, '');
        return {
          items: decode.list(o, 'registered_models', '', decode.registeredModel),
          nextPageToken: decode.pageToken(o),
        };
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
        query: {
          filter: req.filter || undefined,
          max_results: req.maxResults ?? 1000,
          order_by: req.orderBy,
          page_token: req.pageToken,
        },
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

  /** With its aliases, which model-versions/search leaves out. */
  async getModelVersion(name: string, version: string, opts: CallOptions = {}): Promise<ModelVersion> {
    return this.transport.json(
      { method: 'GET', path: `${API}/model-versions/get`, query: { name, version }, idempotent: true, ...opts },
      (b) => decode.modelVersion(decode.object(b, '')['model_version']),
    );
  }

  async createRegisteredModel(
    req: { name: string; description?: string; tags?: KeyValue[] } & CallOptions,
  ): Promise<RegisteredModel> {
    return this.transport.json(
      {
        method: 'POST',
        path: `${API}/registered-models/create`,
        body: dropUndefined({ name: req.name, description: req.description, tags: req.tags }),
        idempotent: false,
        signal: req.signal,
        timeoutMs: req.timeoutMs,
      },
      (b) => decode.registeredModel(decode.object(b, '')['registered_model']),
    );
  }

  async updateRegisteredModel(name: string, description: string, opts: CallOptions = {}): Promise<void> {
    await this.send('PATCH', 'registered-models/update', { name, description }, opts);
  }

  async deleteRegisteredModel(name: string, opts: CallOptions = {}): Promise<void> {
    await this.send('DELETE', 'registered-models/delete', { name }, opts);
  }

  async setRegisteredModelTag(name: string, key: string, value: string, opts: CallOptions = {}): Promise<void> {
    await this.post('registered-models/set-tag', { name, key, value }, true, opts);
  }

  async deleteRegisteredModelTag(name: string, key: string, opts: CallOptions = {}): Promise<void> {
    await this.send('DELETE', 'registered-models/delete-tag', { name, key }, opts);
  }

  /** Creates the alias, or moves it when it points at another version. */
  async setModelAlias(name: string, alias: string, version: string, opts: CallOptions = {}): Promise<void> {
    await this.post('registered-models/alias', { name, alias, version }, true, opts);
  }

  async deleteModelAlias(name: string, alias: string, opts: CallOptions = {}): Promise<void> {
    await this.send('DELETE', 'registered-models/alias', { name, alias }, opts);
  }

  async createModelVersion(
    req: { name: string; source: string; runId?: string; description?: string; tags?: KeyValue[] } & CallOptions,
  ): Promise<ModelVersion> {
    return this.transport.json(
      {
        method: 'POST',
        path: `${API}/model-versions/create`,
        body: dropUndefined({
          name: req.name,
          source: req.source,
          run_id: req.runId,
          description: req.description,
          tags: req.tags,
        }),
        idempotent: false,
        signal: req.signal,
        timeoutMs: req.timeoutMs,
      },
      (b) => decode.modelVersion(decode.object(b, '')['model_version']),
    );
  }

  async updateModelVersion(name: string, version: string, description: string, opts: CallOptions = {}): Promise<void> {
    await this.send('PATCH', 'model-versions/update', { name, version, description }, opts);
  }

  async deleteModelVersion(name: string, version: string, opts: CallOptions = {}): Promise<void> {
    await this.send('DELETE', 'model-versions/delete', { name, version }, opts);
  }

  async setModelVersionTag(
    name: string,
    version: string,
    key: string,
    value: string,
    opts: CallOptions = {},
  ): Promise<void> {
    await this.post('model-versions/set-tag', { name, version, key, value }, true, opts);
  }

  async deleteModelVersionTag(name: string, version: string, key: string, opts: CallOptions = {}): Promise<void> {
    await this.send('DELETE', 'model-versions/delete-tag', { name, version, key }, opts);
  }

  /**
   * PATCH and DELETE, whose bodies MLflow reads as JSON like a POST's. A DELETE is not resent after
   * a dropped connection: a second one would answer 404 for what the first one deleted.
   */
  private async send(method: 'PATCH' | 'DELETE', path: string, body: unknown, opts: CallOptions): Promise<void> {
    await this.transport.json(
      { method, path: `${API}/${path}`, body, idempotent: method === 'PATCH', ...opts },
      () => undefined,
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
