// The host side of the leaderboard, without `vscode`: ranks runs on the server (order_by on the
// chosen metric), adds the registered model versions each page's runs produced (one
// model-versions search per page), and finds the best run per user or per model by paging
// through the server-sorted runs, bounded, with progress.
import type { MlflowClient } from '../mlflow/client.ts';
import type { ClientSource } from '../mlflow/clientSource.ts';
import { currentClient } from '../mlflow/clientSource.ts';
import { describeError } from '../mlflow/errors.ts';
import type { ModelVersion, Run } from '../mlflow/types.ts';
import type {
  ExperimentSummary,
  GroupsResult,
  KeysResult,
  LeaderboardLoadResult,
  LeaderboardState,
  ModelRef,
  PageResult,
} from '../../../webviews/protocol/leaderboard.ts';
import { runIdInFilters } from '../mlflow/runIdFilter.ts';
import {
  BestPerGroup,
  collectKeys,
  filterFor,
  groupKeyFor,
  modelsByRun,
  orderByFor,
  rowFromRun,
} from './leaderboardQuery.ts';
import type { Better } from '../mlflow/metricDirection.ts';
import { inferDirection } from '../mlflow/metricDirection.ts';
import { choosePrimaryMetric, metricStats } from '../mlflow/primaryMetric.ts';
import type { KeyValue } from '../mlflow/types.ts';

/** Runs read to find the keys the column chooser offers. */
const KEY_SAMPLE_RUNS = 500;
/** Grouping reads at most this many runs (server-sorted, so the best of each group come first). */
const GROUP_SCAN_LIMIT = 5000;
const GROUP_SCAN_PAGE = 500;
/** Run ids per model-version search (the IN list travels in the URL). */
const MODEL_IDS_PER_CALL = 100;

/** Experiments whose tags are read for the direction and primary metric. */
const TAGGED_EXPERIMENTS = 10;

/** What the user chose before, looked up by the host (workspace state). */
export interface KeyChoices {
  /** The metric pinned as an experiment's primary one. */
  pinned?: (experimentId: string) => string | undefined;
  /** The direction the user set for a metric in this experiment set. */
  direction?: (metricKey: string) => Better | undefined;
}

export interface LeaderboardControllerOptions {
  /** Pass a function (the panel does) so a client rebuilt after a settings change is used. */
  client: ClientSource;
  serverName: string;
}

export class LeaderboardController {
  readonly serverName: string;
  private readonly source: ClientSource;

  constructor(opts: LeaderboardControllerOptions) {
    this.source = opts.client;
    this.serverName = opts.serverName;
  }

  /** The server's client now (see ClientSource). */
  private get client(): MlflowClient {
    return currentClient(this.source);
  }

  /** The experiments to pick from; `state` is echoed back as the view's starting point. */
  async load(state: LeaderboardState, signal?: AbortSignal): Promise<LeaderboardLoadResult> {
    try {
      const experiments = await this.client.listExperiments({ signal });
      const list: ExperimentSummary[] = experiments.map((e) => ({ experimentId: e.experiment_id, name: e.name }));
      // Paging stopped early (a repeated token, the page bound): the list is shown with the reason.
      return experiments.incomplete === undefined
        ? { state, serverName: this.serverName, experiments: list }
        : { state, serverName: this.serverName, experiments: list, error: experiments.incomplete };
    } catch (e) {
      if (signal?.aborted) throw e;
      return { state, serverName: this.serverName, experiments: [], error: describeError(e) };
    }
  }

  /**
   * Keys for the pickers, from the most recent runs (MLflow has no API that lists keys), with the
   * experiments' primary metric and each metric's direction: the experiments' tags, the name
   * rules, and what the user chose before (`choices`).
   */
  async keys(experimentIds: readonly string[], signal?: AbortSignal, choices: KeyChoices = {}): Promise<KeysResult> {
    if (experimentIds.length === 0) return { metricKeys: [], paramKeys: [], sampled: 0, directions: {} };
    const [page, experimentTags] = await Promise.all([
      this.client.searchRuns({ experimentIds: [...experimentIds], maxResults: KEY_SAMPLE_RUNS, signal }),
      this.experimentTags(experimentIds, signal),
    ]);
    const keys = collectKeys(page.items);
    const pinned = experimentIds.map((id) => choices.pinned?.(id)).find((k) => k !== undefined);
    const primary = choosePrimaryMetric(metricStats(page.items), { ...(pinned ? { pinned } : {}), experimentTags });
    const directions: KeysResult['directions'] = {};
    for (const k of keys.metricKeys) {
      const userChoice = choices.direction?.(k);
      const d = inferDirection(k, { experimentTags, ...(userChoice ? { userChoice } : {}) });
      directions[k] = { better: d.better, guess: d.guess, reason: d.reason };
    }
    return { ...keys, sampled: page.items.length, directions, ...(primary ? { primaryMetric: primary.key } : {}) };
  }

  /**
   * The tags of the experiments (their primary-metric tags set the direction). Only the first few
   * are read: one request each, and a failure only costs the tags' advice, never the table.
   */
  private async experimentTags(experimentIds: readonly string[], signal?: AbortSignal): Promise<KeyValue[]> {
    const read = await Promise.all(
      experimentIds.slice(0, TAGGED_EXPERIMENTS).map((id) =>
        this.client.getExperiment(id, { signal }).then(
          (e) => e.tags,
          () => [] as KeyValue[],
        ),
      ),
    );
    return read.flat();
  }

  async page(
    state: LeaderboardState,
    pageToken: string | undefined,
    offset: number,
    signal?: AbortSignal,
  ): Promise<PageResult> {
    const page = await this.client.searchRuns({
      experimentIds: state.experimentIds,
      filter: filterFor(state),
      orderBy: orderByFor(state),
      maxResults: state.pageSize,
      pageToken,
      signal,
    });
    const { models, error } = await this.modelsFor(page.items, signal);
    // A rank means a place in the ranking metric's order; under another column's sort there is none.
    const rows = page.items.map((run, i) =>
      rowFromRun(run, state, models.get(run.info.run_id) ?? [], state.sort ? undefined : offset + i + 1),
    );
    const out: PageResult = { rows, offset };
    if (page.nextPageToken) out.nextPageToken = page.nextPageToken;
    if (error) out.modelError = error;
    return out;
  }

  /**
   * Best run per group. Pages arrive sorted best-first, so the first row of a group is its best;
   * the scan stops at GROUP_SCAN_LIMIT runs and says so.
   */
  async groups(
    state: LeaderboardState,
    onProgress: (scanned: number, groups: number) => void,
    signal?: AbortSignal,
  ): Promise<GroupsResult> {
    const groupBy = state.groupBy === 'none' ? 'user' : state.groupBy;
    // "Best" is by the ranking metric, whatever column the table is sorted by.
    const ranking = { ...state, sort: undefined };
    const best = new BestPerGroup(groupKeyFor(groupBy));
    const order: string[] = [];
    let scanned = 0;
    let modelError: string | undefined;
    const cursor = this.client.pages('runs', (pageToken, sig) =>
      this.client.searchRuns({
        experimentIds: state.experimentIds,
        filter: filterFor(state),
        orderBy: orderByFor(ranking),
        maxResults: Math.min(GROUP_SCAN_PAGE, GROUP_SCAN_LIMIT - scanned),
        pageToken,
        signal: sig,
      }),
    );
    do {
      const items = await cursor.next(signal);
      let models = new Map<string, ModelRef[]>();
      if (groupBy === 'model') {
        const res = await this.modelsFor(items, signal);
        models = res.models;
        modelError ??= res.error;
      }
      const rows = items.map((run) => rowFromRun(run, state, models.get(run.info.run_id) ?? [], undefined));
      best.add(rows);
      for (const r of rows) order.push(r.runId);
      scanned += items.length;
      onProgress(scanned, best.size);
    } while (!cursor.done && scanned < GROUP_SCAN_LIMIT);
    let rows = best.rows(order);
    if (groupBy === 'user') {
      // Model columns still show in user mode: one search for the winners only.
      const winners = rows.map((r) => r.runId);
      const res = await this.modelsForIds(winners, signal);
      modelError ??= res.error;
      rows = rows.map((r) => ({ ...r, models: res.models.get(r.runId) ?? [] }));
    }
    // Stopped by the scan limit or by the cursor (a repeated token): either way not every run was read.
    const out: GroupsResult = { rows, scanned, truncated: !cursor.done || cursor.stopped !== undefined };
    if (modelError) out.modelError = modelError;
    return out;
  }

  private modelsFor(
    runs: readonly Run[],
    signal?: AbortSignal,
  ): Promise<{ models: Map<string, ModelRef[]>; error?: string }> {
    return this.modelsForIds(
      runs.map((r) => r.info.run_id),
      signal,
    );
  }

  /**
   * Registered model versions produced by these runs. A registry failure (e.g. a tracking-only
   * server) leaves the model column empty with a message instead of failing the table.
   */
  private async modelsForIds(
    runIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<{ models: Map<string, ModelRef[]>; error?: string }> {
    const versions: ModelVersion[] = [];
    try {
      for (const filter of runIdInFilters(runIds, 'run_id', MODEL_IDS_PER_CALL)) {
        const cursor = this.client.pages('model versions', (pageToken, sig) =>
          this.client.searchModelVersions({ filter, pageToken, maxResults: 1000, signal: sig }),
        );
        while (!cursor.done) for (const v of await cursor.next(signal)) versions.push(v);
      }
    } catch (e) {
      if (signal?.aborted) throw e;
      return { models: new Map(), error: `Registered models could not be read: ${describeError(e)}` };
    }
    return { models: modelsByRun(versions) };
  }
}
