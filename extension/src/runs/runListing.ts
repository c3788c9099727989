// The runs of one experiment (or the child runs of one run) as the tree shows them: fetched a
// page at a time, never all at once, with the user's filter and order. A failed query keeps the
// previous list and records MLflow's message, so a typo in a filter loses nothing.
// No `vscode` import: tested against a real server.
import type { MlflowClient } from '../mlflow/client.ts';
import type { ClientSource } from '../mlflow/clientSource.ts';
import { currentClient } from '../mlflow/clientSource.ts';
import { MlflowError } from '../mlflow/errors.ts';
import type { PageCursor } from '../mlflow/paging.ts';
import type { Run, ViewType } from '../mlflow/types.ts';
import { TAG, tagValue } from '../mlflow/types.ts';
import { runIdInFilters } from '../mlflow/runIdFilter.ts';

/** Runs refreshed per search request (one IN list each). */
const REFRESH_IDS_PER_CALL = 100;

export interface RunQuery {
  /** MLflow search syntax, e.g. `metrics.rmse < 0.8 and params.alpha = '0.5'`. */
  filter: string;
  /** Each element one key: `metrics.rmse ASC`. */
  orderBy: string[];
  viewType: ViewType;
}

const DEFAULT_QUERY: RunQuery = { filter: '', orderBy: [], viewType: 'ACTIVE_ONLY' };

/** By value: the commands build a new query object each time, even for the one in force. */
function sameQuery(a: RunQuery, b: RunQuery): boolean {
  return (
    a.filter === b.filter &&
    a.viewType === b.viewType &&
    a.orderBy.length === b.orderBy.length &&
    a.orderBy.every((o, i) => o === b.orderBy[i])
  );
}

export interface RunListingOptions {
  experimentId: string;
  pageSize: number;
  /** Lists the child runs of this run instead of the experiment's top level. */
  parentRunId?: string;
}

export class RunListing {
  readonly experimentId: string;
  readonly parentRunId: string | undefined;
  readonly pageSize: number;
  query: RunQuery = DEFAULT_QUERY;
  /** Runs in server order, as loaded so far. */
  runs: Run[] = [];
  /** The last failure, or why paging stopped early; the runs above are what was loaded before it. */
  error: MlflowError | undefined;
  /** A query the server refused (MLflow's reason is in `error`); `query` is still the last good one. */
  rejected: RunQuery | undefined;
  loaded = false;
  private generation = 0;
  /** Resolved at each request: the server's client is replaced when its settings change. */
  private readonly client: ClientSource;
  /** The walk through the current query's pages (the client's one paging loop). */
  private cursor: PageCursor<Run> | undefined;

  constructor(client: ClientSource, opts: RunListingOptions) {
    this.client = client;
    this.experimentId = opts.experimentId;
    this.parentRunId = opts.parentRunId;
    this.pageSize = opts.pageSize;
  }

  get hasMore(): boolean {
    return this.cursor !== undefined && !this.cursor.done;
  }

  /** The filter sent to the server: the user's, plus the nesting rule. */
  serverFilter(query: RunQuery = this.query): string {
    const clauses: string[] = [];
    if (this.parentRunId !== undefined) clauses.push(`tags.\`${TAG.parentRunId}\` = '${this.parentRunId}'`);
    // Unfiltered, the top level holds only root runs and children load under their parent, so
    // paging counts what the user sees. Filtered, every match is listed (see topLevel()).
    else if (query.filter.trim() === '') clauses.push(`tags.\`${TAG.parentRunId}\` IS NULL`);
    if (query.filter.trim() !== '') clauses.push(query.filter.trim());
    return clauses.join(' AND ');
  }

  /** Loads the first page again with the current query. */
  async reload(signal?: AbortSignal): Promise<void> {
    await this.applyQuery(this.query, signal);
  }

  /**
   * Loads the first page for `query`. On failure the previous query and list stay, `error` holds
   * MLflow's message, and the error is rethrown for the caller to show.
   */
  async applyQuery(query: RunQuery, signal?: AbortSignal): Promise<void> {
    const gen = ++this.generation;
    try {
      const cursor = this.cursorFor(query);
      const items = await cursor.next(signal);
      if (gen !== this.generation) return;
      this.query = query;
      this.cursor = cursor;
      this.runs = items;
      this.error = cursor.stopped === undefined ? undefined : new MlflowError('limit', cursor.stopped);
      this.rejected = undefined;
      this.loaded = true;
    } catch (e) {
      if (gen !== this.generation) throw e;
      const error = toMlflowError(e);
      // MLflow answers a filter or order it cannot parse with 400 INVALID_PARAMETER_VALUE.
      const refused = !sameQuery(query, this.query) && error.kind === 'api' && error.status === 400;
      if (refused && !this.loaded) {
        // Nothing loaded yet (a filter set on a row never expanded): list the last good query's
        // runs, so a refused filter never leaves the experiment looking empty.
        await this.applyQuery(this.query, signal).catch(() => undefined);
        if (this.generation !== gen + 1) throw e; // a newer load took over meanwhile
      }
      this.error = error;
      this.rejected = refused ? query : undefined;
      throw e;
    }
  }

  /** Appends the next page. */
  async loadMore(signal?: AbortSignal): Promise<Run[]> {
    const cursor = this.cursor;
    if (!cursor || cursor.done) return [];
    const gen = this.generation;
    try {
      const items = await cursor.next(signal);
      if (gen !== this.generation) return [];
      // Offset tokens can repeat a run when runs were added meanwhile; keep the first.
      const seen = new Set(this.runs.map((r) => r.info.run_id));
      const fresh = items.filter((r) => !seen.has(r.info.run_id));
      for (const r of fresh) this.runs.push(r);
      // A repeated token or the page bound ends "Load More" with a message; the runs stay.
      this.error = cursor.stopped === undefined ? undefined : new MlflowError('limit', cursor.stopped);
      this.rejected = undefined;
      return fresh;
    } catch (e) {
      // `rejected` names the cause of `error`; a page's own failure is not a refused filter.
      if (gen === this.generation) {
        this.error = toMlflowError(e);
        this.rejected = undefined;
      }
      throw e;
    }
  }

  private cursorFor(query: RunQuery): PageCursor<Run> {
    const filter = this.serverFilter(query);
    // Each page asks for the server's current client: a settings change mid-walk must not reach a closed one.
    return currentClient(this.client).pages('runs', (pageToken, signal) =>
      currentClient(this.client).searchRuns({
        experimentIds: [this.experimentId],
        filter,
        orderBy: query.orderBy,
        viewType: query.viewType,
        maxResults: this.pageSize,
        pageToken,
        signal,
      }),
    );
  }

  /**
   * What the tree lists at this level. Filtered, a match whose parent also matched is shown
   * under that parent only.
   */
  topLevel(): Run[] {
    if (this.parentRunId !== undefined || this.query.filter.trim() === '') return this.runs;
    const ids = new Set(this.runs.map((r) => r.info.run_id));
    return this.runs.filter((r) => {
      const parent = tagValue(r.data.tags, TAG.parentRunId);
      return parent === undefined || !ids.has(parent);
    });
  }

  find(runId: string): Run | undefined {
    return this.runs.find((r) => r.info.run_id === runId);
  }

  /** Puts a run the user just started at the top, so it can be revealed before the next page. */
  insertFirst(run: Run): void {
    if (this.find(run.info.run_id)) return;
    this.runs.unshift(run);
  }

  remove(runId: string): void {
    this.runs = this.runs.filter((r) => r.info.run_id !== runId);
  }
}

/**
 * Fetches fresh copies of the given runs in one request and copies them into the objects the
 * tree already holds, so nodes keep their identity (and the tree its expansion and selection).
 * Returns the runs whose status, end time, name or data changed.
 */
export async function refreshRuns(
  client: MlflowClient,
  experimentId: string,
  runs: Run[],
  signal?: AbortSignal,
): Promise<Run[]> {
  if (runs.length === 0) return [];
  const changed: Run[] = [];
  const byId = new Map(runs.map((r) => [r.info.run_id, r]));
  for (const filter of runIdInFilters([...byId.keys()], 'attributes.run_id', REFRESH_IDS_PER_CALL)) {
    const page = await client.searchRuns({
      experimentIds: [experimentId],
      filter,
      viewType: 'ALL',
      maxResults: REFRESH_IDS_PER_CALL,
      signal,
    });
    for (const fresh of page.items) {
      const old = byId.get(fresh.info.run_id);
      if (!old) continue;
      if (JSON.stringify(old) !== JSON.stringify(fresh)) {
        old.info = fresh.info;
        old.data = fresh.data;
        old.inputs = fresh.inputs;
        old.outputs = fresh.outputs;
        changed.push(old);
      }
    }
  }
  return changed;
}

function toMlflowError(e: unknown): MlflowError {
  return e instanceof MlflowError ? e : new MlflowError('response', e instanceof Error ? e.message : String(e));
}
