// A real `mlflow server` for integration and e2e tests, the demo and the benchmarks: its own temp
// dir, a free loopback port, SQLite or a fresh PostgreSQL database, one process group that dies
// with the test process, and the seed data of scripts/mlflow_seed.py. See /work/shared/testing.md
// ("A real MLflow server in tests") and mlflow-spec.md 5.3.
import { spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, isHealthy, REPO_ROOT } from './codeServer.ts';
import { groupAlive, stopAllSync, stopGroup, trackGroup } from './processGroup.ts';
import { parseSeedInfo } from './seed.ts';
import { waitUntil } from './waitUntil.ts';
import type { SeedInfo, SeedProfile } from './seed.ts';

export type Backend = 'sqlite' | 'postgres';

/** Where scripts/tools.sh creates the venv with the pinned MLflow (override with MLFLOW_VENV). */
export const DEFAULT_MLFLOW_VENV = join(homedir(), '.cache/mlflow-vscode-e2e/mlflow-venv');

/** The venv with MLflow and psycopg2: env MLFLOW_VENV, else DEFAULT_MLFLOW_VENV. */
export function mlflowVenv(): string {
  return process.env['MLFLOW_VENV'] || DEFAULT_MLFLOW_VENV;
}

export function venvPython(): string {
  return join(mlflowVenv(), 'bin/python');
}

/** PostgreSQL as the engineers' machines and CI run it: loopback, trust auth, user postgres. */
export const PG_HOST = '127.0.0.1';
export const PG_PORT = 5432;
export const PG_USER = 'postgres';

/**
 * Uvicorn workers. Measured on 2 cores creating 420 sweep runs with 8 client threads (the seed's
 * big experiment): SQLite 1 worker 49-52 s, 2 workers 40 s, 4 (MLflow's default) 74-85 s and a
 * start-up 3-4x longer; PostgreSQL 1: 41-75 s, 2: 39-62 s, 4: 80 s. Override with `workers`.
 */
export const DEFAULT_WORKERS = 2;

/**
 * Start-up deadline. Alone, a server is healthy after 10-15 s; with other engineers' servers,
 * code-servers and browsers sharing the two cores it took 40 s and, once, over 90 s.
 * Override with env MLFLOW_TEST_START_TIMEOUT_S.
 */
function healthDeadlineMs(): number {
  const s = Number(process.env['MLFLOW_TEST_START_TIMEOUT_S']);
  return (Number.isFinite(s) && s > 0 ? s : 150) * 1000;
}

/**
 * Where server dirs go: env MLFLOW_TEST_TMPDIR, else /dev/shm when it is a writable tmpfs, else
 * the OS temp dir. On this machine's disk, SQLite's fsyncs (several per commit, one commit per
 * request) made the SQL store's create/log-batch/update about 2x slower than on tmpfs; tests
 * never need the data to survive a crash.
 */
export function serverTempBase(): string {
  const env = process.env['MLFLOW_TEST_TMPDIR'];
  if (env) return env;
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

export interface MlflowServerOptions {
  backend: Backend;
  /** Appended to `mlflow server …` (e.g. ['--app-name', 'basic-auth'], ['--static-prefix', '/p']). */
  extraArgs?: string[];
  /** Extra environment for the server, over the harness defaults. */
  env?: Record<string, string>;
  /** Bind port on 127.0.0.1. Default: a free one. */
  port?: number;
  workers?: number;
}

export interface MlflowServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly backend: Backend;
  /** The temp dir: mlflow.db (SQLite), artifacts/, mlflow.log. Removed by stop(). */
  readonly dir: string;
  /** The server's stdout and stderr. */
  readonly logFile: string;
  /** `sqlite:////<dir>/mlflow.db` or `postgresql+psycopg2://postgres@127.0.0.1:5432/<db>` (no secret in it). */
  readonly backendStoreUri: string;
  /** The process group id (= the server's pid). */
  readonly pid: number;
  /** Milliseconds from spawn to the first healthy GET /health. */
  readonly startMs: number;
  readLog(): string;
  /** SIGTERM the group, SIGKILL after 10 s, drop the PostgreSQL database, remove `dir` (unless keepDir). */
  stop(opts?: { keepDir?: boolean }): Promise<void>;
}

// ---- small process helpers ------------------------------------------------------------------

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (argument array, no shell), killing it after `timeoutMs`. */
function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Ran> {
  return new Promise((resolveRun) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolveRun({ code: null, stdout, stderr: stderr + String(e) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

function readTail(file: string, lines = 40): string {
  try {
    return tail(readFileSync(file, 'utf8'), lines);
  } catch {
    return '';
  }
}

/**
 * The environment for the server and the seed: nothing MLflow-related inherited (a developer's
 * MLFLOW_TRACKING_URI, MLFLOW_WORKERS or MLFLOW_STATIC_PREFIX would change what is tested), no
 * telemetry (loopback only), and no job runner: it serves GenAI jobs the extension never uses and
 * starts a dozen extra processes that compete for the two cores.
 */
function mlflowEnv(extra?: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MLFLOW_')) env[k] = v;
  return {
    ...env,
    MLFLOW_DISABLE_TELEMETRY: 'true',
    DO_NOT_TRACK: 'true',
    MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
    PYTHONUNBUFFERED: '1',
    ...extra,
  };
}

// ---- PostgreSQL --------------------------------------------------------------------------------

function pgArgs(): string[] {
  return ['-h', PG_HOST, '-p', String(PG_PORT), '-U', PG_USER];
}

function pgEnv(): NodeJS.ProcessEnv {
  // Never prompt for a password (trust auth is expected); fail fast when nothing listens.
  return { ...process.env, PGCONNECT_TIMEOUT: '5' };
}

/** MLFLOW_TEST_SKIP_POSTGRES=1: the caller chose to leave PostgreSQL tests out. */
export function postgresSkipped(): boolean {
  return process.env['MLFLOW_TEST_SKIP_POSTGRES'] === '1';
}

/** The backends a test file should cover: both, unless MLFLOW_TEST_SKIP_POSTGRES=1. */
export function backendsUnderTest(): Backend[] {
  return postgresSkipped() ? ['sqlite'] : ['sqlite', 'postgres'];
}

/** Why PostgreSQL cannot be used, or undefined when it answers a query. */
async function pgProblem(): Promise<string | undefined> {
  const r = await run('psql', [...pgArgs(), '-d', 'postgres', '-w', '-Atc', 'select 1'], {
    env: pgEnv(),
    timeoutMs: 15_000,
  });
  if (r.code === 0 && r.stdout.trim() === '1') return undefined;
  return (r.stderr || r.stdout).trim() || `psql exited with ${r.code}`;
}

/** Whether PostgreSQL on 127.0.0.1:5432 accepts the trust-auth user `postgres`. */
export async function pgAvailable(): Promise<boolean> {
  return (await pgProblem()) === undefined;
}

/** Throws a message that says how to fix it (tests must fail, not skip, without PostgreSQL). */
export async function requirePostgres(): Promise<void> {
  const problem = await pgProblem();
  if (problem === undefined) return;
  const cluster = (() => {
    try {
      return spawnSync('ls', ['/etc/postgresql'], { encoding: 'utf8' }).stdout.trim().split('\n')[0] || '<version>';
    } catch {
      return '<version>';
    }
  })();
  throw new Error(
    `PostgreSQL is not usable on ${PG_HOST}:${PG_PORT} as user ${PG_USER} (trust auth): ${problem}\n` +
      `Start it with: pg_ctlcluster --skip-systemctl-redirect ${cluster} main start\n` +
      'or set MLFLOW_TEST_SKIP_POSTGRES=1 to leave the PostgreSQL tests out.',
  );
}

async function createDatabase(name: string): Promise<void> {
  const r = await run('createdb', [...pgArgs(), '-w', name], { env: pgEnv() });
  if (r.code !== 0) throw new Error(`createdb ${name} failed: ${r.stderr.trim()}`);
}

async function psql(sql: string): Promise<void> {
  const r = await run('psql', [...pgArgs(), '-d', 'postgres', '-w', '-v', 'ON_ERROR_STOP=1', '-Atc', sql], {
    env: pgEnv(),
  });
  if (r.code !== 0) throw new Error(`psql -c '${sql}' failed: ${r.stderr.trim()}`);
}

function dropDatabaseSync(name: string): void {
  // --force: a worker that outlived SIGKILL's grace would otherwise keep the database open.
  spawnSync('dropdb', [...pgArgs(), '-w', '--if-exists', '--force', name], {
    env: pgEnv(),
    stdio: 'ignore',
    timeout: 30_000,
  });
}

async function dropDatabase(name: string): Promise<void> {
  const r = await run('dropdb', [...pgArgs(), '-w', '--if-exists', '--force', name], { env: pgEnv() });
  if (r.code !== 0) throw new Error(`dropdb ${name} failed: ${r.stderr.trim()}`);
}

// ---- cleanup when the process dies without stop() ----------------------------------------------

interface Leftover {
  dir: string;
  database?: string;
}
const leftovers = new Set<Leftover>();
let exitHandlerInstalled = false;

function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  // processGroup.ts already kills the groups on exit and on SIGINT/SIGTERM/SIGHUP (its signal
  // handlers call process.exit, so this runs then too). Stop them again here in case this
  // listener runs first: a database can be dropped and a dir removed only once no server uses them.
  process.on('exit', () => {
    if (leftovers.size === 0) return;
    stopAllSync();
    for (const l of leftovers) {
      if (l.database) dropDatabaseSync(l.database);
      rmSync(l.dir, { recursive: true, force: true });
    }
    leftovers.clear();
  });
}

// ---- the server --------------------------------------------------------------------------------

async function waitHealthy(
  url: string,
  logFile: string,
  exited: () => string | undefined,
  deadlineMs: number,
): Promise<void> {
  await waitUntil(
    `mlflow server healthy on ${url}`,
    async () => {
      const gone = exited();
      if (gone) throw new Error(`${gone} before it was healthy; its log:\n${readTail(logFile)}`);
      return isHealthy(`${url}/health`);
    },
    { timeoutMs: deadlineMs, intervalMs: 200, lastSeen: () => `its log:\n${readTail(logFile)}` },
  );
}

export async function startMlflowServer(opts: MlflowServerOptions): Promise<MlflowServer> {
  const mlflowBin = join(mlflowVenv(), 'bin/mlflow');
  if (!existsSync(mlflowBin))
    throw new Error(`${mlflowBin} not found; run 'bash scripts/tools.sh' (or set MLFLOW_VENV)`);
  if (opts.backend === 'postgres') await requirePostgres();
  installExitHandler();

  const dir = mkdtempSync(join(serverTempBase(), `mlflow-test-${opts.backend}-`));
  const leftover: Leftover = { dir };
  leftovers.add(leftover);
  let backendStoreUri: string;
  if (opts.backend === 'postgres') {
    // Unique per process and call: parallel test files and engineers share one cluster.
    const database = `mlflow_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await createDatabase(database);
    leftover.database = database;
    // The PostgreSQL counterpart of the tmpfs above: commits stop waiting for the WAL flush.
    // Per database, so the cluster's other users are unaffected.
    await psql(`ALTER DATABASE ${database} SET synchronous_commit = off`);
    // Explicit driver: SQLAlchemy 2.1 maps plain postgresql:// to psycopg 3, which the venv lacks.
    backendStoreUri = `postgresql+psycopg2://${PG_USER}@${PG_HOST}:${PG_PORT}/${database}`;
  } else {
    backendStoreUri = `sqlite:///${join(dir, 'mlflow.db')}`;
  }
  const logFile = join(dir, 'mlflow.log');
  const env = mlflowEnv(opts.env);

  // A free port can be taken between probing and binding; try again with another then.
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    const args = [
      'server',
      '--backend-store-uri',
      backendStoreUri,
      '--artifacts-destination',
      join(dir, 'artifacts'),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--workers',
      String(opts.workers ?? DEFAULT_WORKERS),
      ...(opts.extraArgs ?? []),
    ];
    // A file descriptor, not a pipe: nothing in this process keeps the event loop alive, so a
    // test file that forgets stop() still exits (and the exit handler stops the server).
    const fd = openSync(logFile, 'a');
    const started = Date.now();
    const child = spawn(mlflowBin, args, { cwd: dir, env, detached: true, stdio: ['ignore', fd, fd], shell: false });
    closeSync(fd);
    let exited: string | undefined;
    child.once('exit', (code, signal) => (exited = `mlflow server exited (code ${code}, signal ${signal})`));
    const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
    spawnError.catch(() => undefined); // raced below; an 'error' after start-up is not fatal here
    const url = `http://127.0.0.1:${port}`;
    let pid: number | undefined;
    try {
      pid = trackGroup(child);
      child.unref();
      await Promise.race([waitHealthy(url, logFile, () => exited, healthDeadlineMs()), spawnError]);
    } catch (e) {
      if (pid !== undefined) await stopGroup(pid, 2_000);
      const portTaken = /address already in use|Errno 98/i.test(readTail(logFile, 20));
      if (portTaken && opts.port === undefined && attempt < 3) continue;
      if (leftover.database) await dropDatabase(leftover.database).catch(() => undefined);
      // MLFLOW_TEST_KEEP_FAILED=1 keeps the dir (database, artifacts, full log) for a post-mortem.
      if (process.env['MLFLOW_TEST_KEEP_FAILED'] === '1') console.error(`[mlflow] kept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
      leftovers.delete(leftover);
      throw e;
    }
    const groupId = pid;
    const startMs = Date.now() - started;
    let stopped: Promise<void> | undefined;
    return {
      url,
      port,
      backend: opts.backend,
      dir,
      logFile,
      backendStoreUri,
      pid: groupId,
      startMs,
      readLog: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
      stop(o = {}) {
        stopped ??= (async () => {
          await stopGroup(groupId, 10_000);
          if (leftover.database) await dropDatabase(leftover.database);
          if (!o.keepDir) rmSync(dir, { recursive: true, force: true });
          leftovers.delete(leftover);
        })();
        return stopped;
      },
    };
  }
}

/** The admin account of startBasicAuthServer. */
export const BASIC_AUTH_ADMIN = { username: 'admin', password: 'admin-Pa55word-for-tests' } as const;

/**
 * MLflow's basic-auth app on SQLite: new users may READ by default, BASIC_AUTH_ADMIN is the admin,
 * and its Host check lets only 127.0.0.1 through (so `localhost` is refused). Its user database
 * and auth.ini live in a temp dir of their own, which stop() removes with the server's.
 */
export async function startBasicAuthServer(): Promise<MlflowServer> {
  const authDir = mkdtempSync(join(serverTempBase(), 'mlflow-auth-'));
  const config = join(authDir, 'auth.ini');
  writeFileSync(
    config,
    [
      '[mlflow]',
      'default_permission = READ',
      `database_uri = sqlite:///${join(authDir, 'basic_auth.db')}`,
      `admin_username = ${BASIC_AUTH_ADMIN.username}`,
      `admin_password = ${BASIC_AUTH_ADMIN.password}`,
      'authorization_function = mlflow.server.auth:authenticate_request_basic_auth',
      '',
    ].join('\n'),
  );
  let server: MlflowServer;
  try {
    server = await startMlflowServer({
      backend: 'sqlite',
      extraArgs: ['--app-name', 'basic-auth', '--allowed-hosts', '127.0.0.1:*'],
      env: { MLFLOW_FLASK_SERVER_SECRET_KEY: 'test-only-secret-key', MLFLOW_AUTH_CONFIG_PATH: config },
      workers: 1,
    });
  } catch (e) {
    rmSync(authDir, { recursive: true, force: true });
    throw e;
  }
  return {
    ...server,
    async stop(o = {}) {
      await server.stop(o);
      if (!o.keepDir) rmSync(authDir, { recursive: true, force: true });
    },
  };
}

// ---- seeding ------------------------------------------------------------------------------------

export const SEED_SCRIPT = join(REPO_ROOT, 'scripts/mlflow_seed.py');

export interface ScriptOptions {
  /** Forward the script's progress (stderr) to this process's stderr as it comes. */
  logProgress?: boolean;
  timeoutMs?: number;
}

/**
 * Runs a Python script with the venv's interpreter and the harness environment (plus `env`),
 * and parses the one JSON document it prints on stdout. The script gets its own process group,
 * tracked, so a killed test run does not leave it writing to a dead server.
 */
export async function runVenvScript(
  script: string,
  args: string[],
  env: Record<string, string>,
  opts: ScriptOptions = {},
): Promise<unknown> {
  const python = venvPython();
  if (!existsSync(python)) throw new Error(`${python} not found; run 'bash scripts/tools.sh' (or set MLFLOW_VENV)`);
  const child = spawn(python, [script, ...args], {
    cwd: REPO_ROOT,
    env: mlflowEnv(env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
  });
  const pid = trackGroup(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (opts.logProgress) process.stderr.write(d);
  });
  const timer = setTimeout(() => void stopGroup(pid, 2_000), opts.timeoutMs ?? 600_000);
  const code = await new Promise<number | null>((resolveExit, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolveExit(c));
  }).finally(() => clearTimeout(timer));
  await stopGroup(pid, 0); // only forgets the group: it has exited
  if (code !== 0) throw new Error(`${script} exited with ${code}; its stderr:\n${tail(stderr, 60)}`);
  try {
    return JSON.parse(stdout) as unknown;
  } catch (e) {
    throw new Error(
      `${script} printed no JSON (${String(e)}); stdout starts: ${stdout.slice(0, 500)}\nstderr:\n${tail(stderr)}`,
      { cause: e },
    );
  }
}

/** Runs scripts/mlflow_seed.py against `url`; resolves to what it created. */
export async function seedMlflow(
  url: string,
  profile: SeedProfile = 'test',
  opts: ScriptOptions = {},
): Promise<SeedInfo> {
  const raw = await runVenvScript(SEED_SCRIPT, ['--profile', profile], { MLFLOW_TRACKING_URI: url }, opts);
  return parseSeedInfo(raw);
}

/** Reads a seed JSON file written by the CLI below. */
export function readSeedFile(path: string): SeedInfo {
  return parseSeedInfo(JSON.parse(readFileSync(path, 'utf8')));
}

// ---- one seeded server per backend for a whole test process --------------------------------------

export interface SeededServer {
  url: string;
  backend: Backend;
  seed: SeedInfo;
}

const shared = new Map<Backend, Promise<SeededServer>>();

/**
 * The seeded server of a backend. When the orchestrator (scripts/test.sh) started one for the
 * whole run it exports MLFLOW_TEST_SQLITE_URL + MLFLOW_TEST_SQLITE_SEED (resp. _POSTGRES_): use
 * that. Otherwise start and seed one for this process, stopped when the process exits. Tests must
 * not change what the seed created; they create their own experiments for writes.
 */
export function sharedSeededServer(backend: Backend): Promise<SeededServer> {
  let p = shared.get(backend);
  if (!p) {
    p = openSharedSeededServer(backend);
    shared.set(backend, p);
    // A failed start must not be cached for the next caller.
    p.catch(() => shared.delete(backend));
  }
  return p;
}

async function openSharedSeededServer(backend: Backend): Promise<SeededServer> {
  const upper = backend.toUpperCase();
  const url = process.env[`MLFLOW_TEST_${upper}_URL`];
  const seedFile = process.env[`MLFLOW_TEST_${upper}_SEED`];
  if (url && seedFile) {
    const seed = readSeedFile(seedFile);
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) }).catch((e: unknown) => {
      throw new Error(`MLFLOW_TEST_${upper}_URL=${url} does not answer: ${String(e)}`);
    });
    if (res.status !== 200) throw new Error(`MLFLOW_TEST_${upper}_URL=${url}/health answered ${res.status}`);
    return { url: url.replace(/\/+$/, ''), backend, seed };
  }
  if (url || seedFile) throw new Error(`set both MLFLOW_TEST_${upper}_URL and MLFLOW_TEST_${upper}_SEED, or neither`);
  const server = await startMlflowServer({ backend });
  try {
    const seed = await seedMlflow(server.url);
    // Stopped by the exit handler (there is no later hook in a test process that owns it).
    return { url: server.url, backend, seed };
  } catch (e) {
    const log = tail(server.readLog(), 30);
    await server.stop();
    throw new Error(`${String(e)}\nserver log tail:\n${log}`, { cause: e });
  }
}

// ---- CLI for scripts ----------------------------------------------------------------------------

const USAGE =
  'usage: node test/support/mlflowServer.ts start --backend sqlite|postgres [--port N] [--workers N]\n' +
  '         [--seed [--profile test|demo] [--seed-file PATH]]';

/**
 * `start …`: starts a server (seeded with --seed; the seed JSON goes to --seed-file, written
 * before the URL line), prints `URL=<url>`, `DIR=`, `LOG=`, `BACKEND_STORE_URI=`, then stays up
 * until SIGTERM/SIGINT/SIGHUP and stops the server, drops its database and removes its dir.
 */
async function cli(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      backend: { type: 'string', default: 'sqlite' },
      port: { type: 'string' },
      workers: { type: 'string' },
      seed: { type: 'boolean', default: false },
      profile: { type: 'string', default: 'test' },
      'seed-file': { type: 'string' },
    },
  });
  const backend = values.backend;
  const profile = values.profile;
  if (
    positionals[0] !== 'start' ||
    (backend !== 'sqlite' && backend !== 'postgres') ||
    (profile !== 'test' && profile !== 'demo')
  ) {
    console.error(USAGE);
    process.exit(2);
  }
  const opts: MlflowServerOptions = { backend };
  if (values.port) opts.port = Number(values.port);
  if (values.workers) opts.workers = Number(values.workers);
  const t0 = Date.now();
  const server = await startMlflowServer(opts);
  console.error(
    `[mlflow] ${backend} server healthy on ${server.url} after ${(server.startMs / 1000).toFixed(1)} s (log ${server.logFile})`,
  );
  if (values.seed) {
    let seed: SeedInfo;
    try {
      seed = await seedMlflow(server.url, profile, { logProgress: true });
    } catch (e) {
      console.error(String(e));
      console.error(`server log tail:\n${readTail(server.logFile)}`);
      await server.stop();
      process.exit(1);
    }
    const json = JSON.stringify(seed, null, 1);
    if (values['seed-file']) writeFileSync(values['seed-file'], json);
    else console.error('[mlflow] no --seed-file: the seed JSON is not kept');
    console.error(
      `[mlflow] seeded (${profile}) in ${seed.seconds.toFixed(1)} s; ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  console.log(`URL=${server.url}`);
  console.log(`DIR=${server.dir}`);
  console.log(`LOG=${server.logFile}`);
  console.log(`BACKEND_STORE_URI=${server.backendStoreUri}`);
  // The server's stdio goes to a file and it is unref'd: this keeps the process up, and notices
  // (and reports) a server that dies on its own.
  const watch = setInterval(() => {
    if (!groupAlive(server.pid)) {
      clearInterval(watch);
      console.error(`mlflow server stopped unexpectedly; its log:\n${readTail(server.logFile)}`);
      process.exit(1);
    }
  }, 1_000);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await cli(process.argv.slice(2));
}
