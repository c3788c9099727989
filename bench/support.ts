// Benchmark data on a real MLflow server: bench/seed_bench.py bulk-inserts 100,000 + 10,000 runs
// and a 1,000,000-point metric history into the server's own database (see its docstring for why
// not through the REST API), then checks through the REST API that the server sees them.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../test/support/codeServer.ts';
import { runVenvScript, startMlflowServer } from '../test/support/mlflowServer.ts';
import type { MlflowServer } from '../test/support/mlflowServer.ts';

const BENCH_SEED_SCRIPT = join(REPO_ROOT, 'bench/seed_bench.py');

interface BenchRunRef {
  id: string;
  name: string;
}

interface BenchExperiment {
  id: string;
  name: string;
  runCount: number;
  /** The oldest run (start times increase with the index in the name). */
  firstRun?: BenchRunRef;
  /** The newest run: first in the default order (start_time DESC). */
  lastRun?: BenchRunRef;
}

export interface BenchSeedInfo {
  trackingUri: string;
  historyMethod: 'sql' | 'rest';
  experiments: { runsLarge: BenchExperiment; runsMedium: BenchExperiment; history: BenchExperiment };
  /** The run with the long `loss` history (steps 0 … points-1). */
  history: { experimentId: string; runId: string; key: string; points: number };
  /** Wall-clock seconds per phase (…Insert, …Verify, historyInsert, total). */
  seconds: Record<string, number>;
}

export interface BenchSeedOptions {
  /** Runs in the large experiment (default 100,000). */
  runsLarge?: number;
  /** Runs in the medium experiment (default 10,000). */
  runsMedium?: number;
  /** Points in the long metric history (default 1,000,000). */
  historyPoints?: number;
  /** 'sql' (bulk insert, default) or 'rest' (log-batch in chunks of 1,000: much slower). */
  historyMethod?: 'sql' | 'rest';
  /** Also page through every run via runs/search (50,000 per page) to count them. */
  verifyFull?: boolean;
  logProgress?: boolean;
}

function isExperiment(v: unknown): v is BenchExperiment {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o['id'] === 'string' && typeof o['name'] === 'string' && typeof o['runCount'] === 'number';
}

function parseBenchSeed(raw: unknown): BenchSeedInfo {
  if (typeof raw !== 'object' || raw === null) throw new Error('bench seed: not an object');
  const o = raw as Record<string, unknown>;
  const exps = o['experiments'];
  if (typeof exps !== 'object' || exps === null) throw new Error('bench seed: no experiments');
  for (const role of ['runsLarge', 'runsMedium', 'history']) {
    if (!isExperiment((exps as Record<string, unknown>)[role]))
      throw new Error(`bench seed: experiments.${role} is malformed`);
  }
  const h = o['history'];
  if (typeof h !== 'object' || h === null || typeof (h as Record<string, unknown>)['runId'] !== 'string')
    throw new Error('bench seed: history.runId missing');
  return raw as BenchSeedInfo;
}

/**
 * Seeds benchmark data into the server at `url`, whose backend store is `dbUri` (the
 * MlflowServer's `backendStoreUri`). Takes minutes with the defaults.
 */
async function seedBench(url: string, dbUri: string, opts: BenchSeedOptions = {}): Promise<BenchSeedInfo> {
  const args = ['--db-uri', dbUri];
  if (opts.runsLarge !== undefined) args.push('--runs-large', String(opts.runsLarge));
  if (opts.runsMedium !== undefined) args.push('--runs-medium', String(opts.runsMedium));
  if (opts.historyPoints !== undefined) args.push('--history-points', String(opts.historyPoints));
  if (opts.historyMethod) args.push('--history-method', opts.historyMethod);
  if (opts.verifyFull) args.push('--verify-full');
  const raw = await runVenvScript(
    BENCH_SEED_SCRIPT,
    args,
    { MLFLOW_TRACKING_URI: url },
    { logProgress: opts.logProgress ?? false, timeoutMs: 30 * 60_000 },
  );
  return parseBenchSeed(raw);
}

/** seedBench for a server started by startMlflowServer. */
export function seedBenchServer(
  server: Pick<MlflowServer, 'url' | 'backendStoreUri'>,
  opts: BenchSeedOptions = {},
): Promise<BenchSeedInfo> {
  return seedBench(server.url, server.backendStoreUri, opts);
}

/**
 * `node bench/support.ts [--backend sqlite|postgres] [--runs-large N] [--runs-medium N]
 * [--history-points N] [--history-method sql|rest] [--verify-full]`: starts a fresh server,
 * seeds it, prints the BenchSeedInfo JSON and the server start time, and stops the server. For
 * measuring the seeding itself; benchmarks call seedBench on their own server.
 */
async function cli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string', default: 'sqlite' },
      'runs-large': { type: 'string' },
      'runs-medium': { type: 'string' },
      'history-points': { type: 'string' },
      'history-method': { type: 'string' },
      'verify-full': { type: 'boolean', default: false },
    },
  });
  const backend = values.backend;
  const method = values['history-method'];
  if (
    (backend !== 'sqlite' && backend !== 'postgres') ||
    (method !== undefined && method !== 'sql' && method !== 'rest')
  ) {
    console.error(
      'usage: node bench/support.ts [--backend sqlite|postgres] [--runs-large N] [--runs-medium N] [--history-points N] [--history-method sql|rest] [--verify-full]',
    );
    process.exit(2);
  }
  const opts: BenchSeedOptions = { logProgress: true, verifyFull: values['verify-full'] };
  if (values['runs-large']) opts.runsLarge = Number(values['runs-large']);
  if (values['runs-medium']) opts.runsMedium = Number(values['runs-medium']);
  if (values['history-points']) opts.historyPoints = Number(values['history-points']);
  if (method) opts.historyMethod = method;
  const server = await startMlflowServer({ backend });
  try {
    const info = await seedBenchServer(server, opts);
    console.log(JSON.stringify({ backend, serverStartSeconds: server.startMs / 1000, ...info }, null, 1));
  } finally {
    await server.stop();
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await cli(process.argv.slice(2));
}
