// Runs `mlflow server` for a workspace folder that holds an MLflow store (mlflow.db or
// mlruns/), on a free loopback port, and stops it with the extension.
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../logger.ts';
import { MlflowClient } from '../mlflow/client.ts';
import type { LocalStore } from './serverConfig.ts';
import { checkMlflow, reportMissingMlflow, resolvePython } from './python.ts';
import { freePort } from '../util/freePort.ts';

interface Running {
  process: ChildProcess;
  uri: string;
  output: string[];
}

export class LocalServerManager implements vscode.Disposable {
  private readonly running = new Map<string, Running>();
  private readonly logger: Logger;
  private readonly onUri: (folder: string, uri: string | undefined) => void;

  constructor(logger: Logger, onUri: (folder: string, uri: string | undefined) => void) {
    this.logger = logger;
    this.onUri = onUri;
  }

  isRunning(folder: string): boolean {
    return this.running.has(folder);
  }

  /** Starts the server and resolves with its URL once /health answers; undefined if abandoned. */
  async start(store: LocalStore): Promise<string | undefined> {
    const existing = this.running.get(store.folder);
    if (existing) return existing.uri;
    const python = await resolvePython(vscode.Uri.file(store.folder));
    const check = await checkMlflow(python);
    if (!check.ok) {
      await reportMissingMlflow(check);
      return undefined;
    }
    const port = await freePort();
    const uri = `http://127.0.0.1:${port}`;
    const args = ['-m', 'mlflow', 'server', '--backend-store-uri', store.backendStoreUri, '--host', '127.0.0.1', '--port', String(port), '--workers', '1'];
    this.logger.info(`Starting local MLflow ${check.version} for ${store.folder}: ${python.path} ${args.join(' ')}`);
    // MLflow ≥ 3.x starts a pool of job workers (GenAI evaluation) by default; a browsing server
    // does not need them, and they cost dozens of processes.
    const env = { MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false', ...process.env };
    const child = spawn(python.path, args, { cwd: store.folder, env, shell: false, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const entry: Running = { process: child, uri, output: [] };
    this.running.set(store.folder, entry);
    const onData = (d: Buffer) => {
      for (const line of d.toString('utf8').split(/\r?\n/)) {
        if (!line.trim()) continue;
        entry.output.push(line);
        if (entry.output.length > 200) entry.output.shift();
        this.logger.debug(`[mlflow server] ${line}`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const exited = new Promise<number | null>((resolve) => {
      child.on('exit', (code) => resolve(code));
      child.on('error', (e) => {
        entry.output.push(String(e));
        resolve(-1);
      });
    });
    void exited.then((code) => {
      if (this.running.get(store.folder) === entry) {
        this.running.delete(store.folder);
        this.onUri(store.folder, undefined);
        this.logger.info(`Local MLflow server for ${store.folder} exited (${code})`);
      }
    });

    const ready = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: uiText(`Starting MLflow server for ${store.folder}`), cancellable: true },
      async (_progress, token) => {
        const client = new MlflowClient({ baseUrl: uri, timeoutMs: 2_000, maxRetries: 0 });
        const deadline = Date.now() + 90_000;
        try {
          let dead = false;
          void exited.then(() => (dead = true));
          while (!token.isCancellationRequested && !dead && Date.now() < deadline) {
            if ((await client.health().catch(() => '')) === 'OK') return true;
            await new Promise((r) => setTimeout(r, 300));
          }
          return false;
        } finally {
          await client.close();
        }
      },
    );
    if (!ready) {
      const tail = entry.output.slice(-5).join('\n');
      this.stop(store.folder);
      if (tail) void vscode.window.showErrorMessage(uiText(`The MLflow server for ${store.folder} did not start: ${tail}`), 'Show Logs').then((c) => c && this.logger.show());
      return undefined;
    }
    this.onUri(store.folder, uri);
    return uri;
  }

  stop(folder: string): void {
    const entry = this.running.get(folder);
    if (!entry) return;
    this.running.delete(folder);
    this.onUri(folder, undefined);
    entry.process.kill('SIGTERM');
    const timer = setTimeout(() => entry.process.kill('SIGKILL'), 5_000);
    entry.process.once('exit', () => clearTimeout(timer));
  }

  dispose(): void {
    for (const folder of [...this.running.keys()]) this.stop(folder);
  }
}
