// Fetches what a run document shows, with the work bounded: metric histories (for min/max) a few
// at a time and only for the first `summaryCap` keys, and the artifact tree only to a fixed depth
// and entry count. Failures of the parts become notes in the data; only a failure to get the run
// itself is thrown. Imports nothing from `vscode`, so it is tested against a real server.
import type { MlflowClient } from '../mlflow/client.ts';
import { describeError, MlflowError } from '../mlflow/errors.ts';
import type { ArtifactEntry, MetricSummary, RunDocumentData } from './runDocument.ts';
import { summarizeHistory } from './runDocument.ts';
import { compareKeys } from './yamlEmitter.ts';
import { mapPool } from '../shared/mapPool.ts';

export interface CollectLimits {
  /** Metrics whose history is fetched for min/max; the rest show their latest value only. */
  summaryCap: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Artifact entries (files and folders) listed before stopping. */
  artifactEntries: number;
  /** Folder depth below the artifact root that is listed (1 = the root only). */
  artifactDepth: number;
}

const DEFAULT_LIMITS: CollectLimits = { summaryCap: 500, concurrency: 4, artifactEntries: 2000, artifactDepth: 6 };

export interface CollectRequest {
  client: MlflowClient;
  server: { name: string; uri: string };
  runId: string;
  signal?: AbortSignal;
  limits?: Partial<CollectLimits>;
}

function throwIfCancelled(e: unknown, signal: AbortSignal | undefined): void {
  if (signal?.aborted || (e instanceof MlflowError && e.kind === 'cancelled')) throw e;
}

export async function collectRunDocument(req: CollectRequest): Promise<RunDocumentData> {
  const limits: CollectLimits = { ...DEFAULT_LIMITS, ...req.limits };
  const { client, signal } = req;
  const run = await client.getRun(req.runId, { signal });
  const runId = run.info.run_id;

  const experiment = client.getExperiment(run.info.experiment_id, { signal }).then(
    (e) => ({ id: e.experiment_id, name: e.name }),
    (e: unknown) => {
      throwIfCancelled(e, signal);
      return { id: run.info.experiment_id };
    },
  );

  const keys = run.data.metrics.map((m) => m.key).sort(compareKeys);
  const summarized = keys.slice(0, limits.summaryCap);
  const summaries = new Map<string, MetricSummary>();
  const summaryErrors = new Map<string, string>();
  const histories = mapPool(
    summarized,
    limits.concurrency,
    async (key) => {
      try {
        summaries.set(key, summarizeHistory(await client.getMetricHistory(runId, key, { signal })));
      } catch (e) {
        throwIfCancelled(e, signal);
        summaryErrors.set(key, describeError(e));
      }
    },
    signal,
  );

  const artifacts = listArtifactTree(client, runId, limits, signal).then(
    (a) => a,
    (e: unknown) => {
      throwIfCancelled(e, signal);
      return { error: describeError(e) };
    },
  );

  const [exp, , art] = await Promise.all([experiment, histories, artifacts]);
  const data: RunDocumentData = {
    server: req.server,
    experiment: exp,
    run,
    summaries,
    summariesSkipped: keys.length - summarized.length,
    summaryCap: limits.summaryCap,
    summaryErrors,
  };
  if ('error' in art) data.artifactsError = art.error;
  else {
    data.artifacts = art.entries;
    if (art.truncated) data.artifactsTruncated = art.truncated;
  }
  return data;
}

/**
 * The artifact tree, breadth first (the API lists one folder per call and never pages). Stops
 * at the entry or depth bound; folders not opened are kept and marked so the document says so.
 * A failure of the root listing is thrown; a failure below marks that folder unlisted.
 */
export async function listArtifactTree(
  client: MlflowClient,
  runId: string,
  limits: Pick<CollectLimits, 'artifactEntries' | 'artifactDepth' | 'concurrency'>,
  signal?: AbortSignal,
): Promise<{ entries: ArtifactEntry[]; truncated?: string }> {
  const entries: ArtifactEntry[] = [];
  let level: string[] = [''];
  let depth = 0;
  let stoppedFor: 'entries' | 'depth' | undefined;
  while (level.length > 0) {
    depth++;
    const listings = await mapPool(
      level,
      limits.concurrency,
      async (dir) => {
        try {
          return { dir, files: (await client.listArtifacts(runId, dir, { signal })).files };
        } catch (e) {
          if (dir === '') throw e;
          throwIfCancelled(e, signal);
          return { dir, files: undefined };
        }
      },
      signal,
    );
    const nextLevel: string[] = [];
    for (const { dir, files } of listings) {
      if (files === undefined) {
        entries.push({ path: dir, isDir: true, unlisted: true });
        continue;
      }
      if (dir !== '' && files.length === 0) entries.push({ path: dir, isDir: true });
      for (const f of [...files].sort((a, b) => compareKeys(a.path, b.path))) {
        if (entries.length >= limits.artifactEntries) {
          stoppedFor ??= 'entries';
          break;
        }
        if (!f.is_dir)
          entries.push({ path: f.path, isDir: false, ...(f.file_size !== undefined ? { size: f.file_size } : {}) });
        else if (depth >= limits.artifactDepth) {
          stoppedFor ??= 'depth';
          entries.push({ path: f.path, isDir: true, unlisted: true });
        } else nextLevel.push(f.path);
      }
    }
    if (stoppedFor === 'entries') {
      for (const dir of nextLevel) entries.push({ path: dir, isDir: true, unlisted: true });
      break;
    }
    level = nextLevel;
  }
  if (!stoppedFor) return { entries };
  const why =
    stoppedFor === 'entries' ? `the first ${limits.artifactEntries} entries` : `${limits.artifactDepth} folder levels`;
  return { entries, truncated: `listing stopped at ${why}; folders marked "not listed" were not opened` };
}
