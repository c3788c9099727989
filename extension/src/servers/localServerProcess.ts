// Starting `mlflow server` for a workspace store and migrating an mlruns/ folder into mlflow.db:
// the processes, their output and what it means. No `vscode`, so it is tested directly against
// the MLflow the user has; LocalServerManager adds the prompts, progress and the registry.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MlflowClient } from '../mlflow/client.ts';
import { freePort } from '../shared/freePort.ts';
import type { LocalStore } from './serverConfig.ts';

/** Output lines kept per process (for the log and for a failure message). */
const OUTPUT_LINES = 200;
/** Lines of output a startup failure shows. */
const FAILURE_TAIL_LINES = 12;
/** How long a starting server may take to answer /health before it is given up on. */
export const STARTUP_TIMEOUT_MS = 90_000;

interface OutputLog {
  lines: string[];
}

export interface LocalServerProcess {
  readonly process: ChildProcess;
  readonly uri: string;
  readonly output: OutputLog;
  /** Resolves with the exit code (or -1 when it could not be spawned). */
  readonly exited: Promise<number | null>;
  /** The argv after the Python path, for the log. */
  readonly args: readonly string[];
}

export interface SpawnOptions {
  python: string;
  store: LocalStore;
  /** Serve an mlruns/ folder although MLflow ≥ 3.7 refuses to (MLFLOW_ALLOW_FILE_STORE=true). */
  allowFileStore?: boolean;
  env?: NodeJS.ProcessEnv;
  onLine?: (line: string) => void;
}

export async function spawnLocalServer(opts: SpawnOptions): Promise<LocalServerProcess> {
  const port = await freePort();
  const uri = `http://127.0.0.1:${port}`;
  const args = [
    '-m',
    'mlflow',
    'server',
    '--backend-store-uri',
    opts.store.backendStoreUri,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--workers',
    '1',
  ];
  const env: NodeJS.ProcessEnv = {
    // MLflow ≥ 3.x starts a pool of job workers (GenAI evaluation) by default; a browsing server
    // does not need them, and they cost dozens of processes.
    MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
    ...(opts.env ?? process.env),
  };
  if (opts.allowFileStore) env['MLFLOW_ALLOW_FILE_STORE'] = 'true';
  const child = spawn(opts.python, args, {
    cwd: opts.store.folder,
    env,
    shell: false,
    windowsHide: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child, opts.onLine);
  return { process: child, uri, output, exited: exitOf(child, output), args };
}

export type StartupOutcome =
  | { kind: 'ready' }
  | { kind: 'exited'; code: number | null; tail: string[]; fileStoreRefused?: { reason: string } }
  | { kind: 'cancelled' }
  | { kind: 'timeout'; tail: string[] };

/** Waits until /health answers, the process exits, `signal` aborts or `timeoutMs` passes. */
export async function waitUntilReady(
  server: LocalServerProcess,
  opts: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<StartupOutcome> {
  const client = new MlflowClient({ baseUrl: server.uri, timeoutMs: 2_000, maxRetries: 0 });
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  const deadline = Date.now() + (opts.timeoutMs ?? STARTUP_TIMEOUT_MS);
  try {
    for (;;) {
      if (opts.signal?.aborted) return { kind: 'cancelled' };
      if (exitCode !== undefined) return exitedOutcome(exitCode, server.output);
      if ((await client.health({ signal: opts.signal }).catch(() => '')) === 'OK') return { kind: 'ready' };
      if (Date.now() > deadline) return { kind: 'timeout', tail: server.output.lines.slice(-FAILURE_TAIL_LINES) };
      // Poll until one of the above; the exit is noticed at once, not at the next poll.
      await Promise.race([new Promise((r) => setTimeout(r, 300)), server.exited]);
    }
  } finally {
    await client.close();
  }
}

function exitedOutcome(code: number | null, output: OutputLog): StartupOutcome {
  const reason = fileStoreRefusal(output.lines);
  return reason
    ? { kind: 'exited', code, tail: output.lines.slice(-FAILURE_TAIL_LINES), fileStoreRefused: { reason } }
    : { kind: 'exited', code, tail: output.lines.slice(-FAILURE_TAIL_LINES) };
}

/**
 * MLflow's own sentence when it refuses a file store (mlflow/store/tracking/file_store.py,
 * 3.7+): "The filesystem tracking backend (e.g., './mlruns') is in maintenance mode …".
 */
function fileStoreRefusal(lines: readonly string[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const at = line.indexOf('The filesystem tracking backend');
    if (at >= 0 && line.includes('MLFLOW_ALLOW_FILE_STORE')) return line.slice(at).trim();
  }
  return undefined;
}

export interface MigrationResult {
  /** `cancelled`: the signal aborted it; nothing is left behind and nothing needs saying. */
  outcome: 'migrated' | 'failed' | 'cancelled';
  /** The sqlite URI written (`sqlite:///<folder>/mlflow.db`). */
  target: string;
  tail: string[];
}

/** SQLite's companion files, which a process killed mid-write leaves next to the database. */
const SQLITE_SIDE_FILES = ['', '-journal', '-wal', '-shm'];

/**
 * `mlflow migrate-filestore` from `<folder>/mlruns` into `<folder>/mlflow.db`. The mlruns/ folder
 * is only read (and must stay: the runs' artifacts are still in it). Refuses to overwrite an
 * existing mlflow.db (MLflow would ask on a terminal this process does not have). A migration
 * that fails or is cancelled removes the mlflow.db it began: a half-written database would block
 * the next migration and would be served as if it were the store.
 */
export async function migrateFileStore(opts: {
  python: string;
  folder: string;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
}): Promise<MigrationResult> {
  const db = join(opts.folder, 'mlflow.db');
  const target = `sqlite:///${db}`;
  if (existsSync(db)) return { outcome: 'failed', target, tail: [`${db} already exists; nothing was migrated.`] };
  if (opts.signal?.aborted) return { outcome: 'cancelled', target, tail: [] };
  const args = ['-m', 'mlflow', 'migrate-filestore', '--source', opts.folder, '--target', target, '--no-progress'];
  // Not spawn's own `signal`: it reports the abort before the process has exited, and the
  // database may only be removed once nothing writes it any more.
  const child = spawn(opts.python, args, {
    cwd: opts.folder,
    shell: false,
    windowsHide: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child, opts.onLine);
  const onAbort = () => stopProcess(child);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let code: number | null;
  try {
    code = await exitOf(child, output);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  // Exit code 0 is a finished migration even when Cancel came too late to stop it.
  if (code === 0 && existsSync(db))
    return { outcome: 'migrated', target, tail: output.lines.slice(-FAILURE_TAIL_LINES) };
  for (const suffix of SQLITE_SIDE_FILES) rmSync(db + suffix, { force: true });
  return {
    outcome: opts.signal?.aborted ? 'cancelled' : 'failed',
    target,
    tail: output.lines.slice(-FAILURE_TAIL_LINES),
  };
}

export function stopProcess(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  child.once('exit', () => clearTimeout(timer));
}

function collectOutput(child: ChildProcess, onLine?: (line: string) => void): OutputLog {
  const log: OutputLog = { lines: [] };
  const onData = (d: Buffer) => {
    for (const line of d.toString('utf8').split(/\r?\n/)) {
      if (!line.trim()) continue;
      log.lines.push(line);
      if (log.lines.length > OUTPUT_LINES) log.lines.shift();
      onLine?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return log;
}

function exitOf(child: ChildProcess, output: OutputLog): Promise<number | null> {
  return new Promise((resolve) => {
    // 'close' (not 'exit'): the output pipes are drained by then, so the tail is complete.
    child.once('close', (code) => resolve(code));
    child.once('error', (e) => {
      output.lines.push(String(e));
      resolve(-1);
    });
  });
}
