// Runs `mlflow server` for a workspace folder that holds an MLflow store (mlflow.db or
// mlruns/), on a free loopback port, and stops it with the extension. The processes live in
// localServerProcess.ts; this adds trust, prompts, progress and the user's way out of failures.
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import type { Logger } from '../shared/logger.ts';
import { withCancellableProgress } from '../shared/cancellableProgress.ts';
import type { LocalStore } from './serverConfig.ts';
import { checkMlflow, reportMissingMlflow, resolvePython } from './python.ts';
import type { LocalServerProcess } from './localServerProcess.ts';
import {
  migrateFileStore,
  spawnLocalServer,
  STARTUP_TIMEOUT_MS,
  stopProcess,
  waitUntilReady,
} from './localServerProcess.ts';
import { requireWorkspaceTrust } from './workspaceTrust.ts';

export class LocalServerManager implements vscode.Disposable {
  private readonly running = new Map<string, LocalServerProcess>();
  private readonly logger: Logger;
  private readonly onUri: (folder: string, uri: string | undefined) => void;

  constructor(logger: Logger, onUri: (folder: string, uri: string | undefined) => void) {
    this.logger = logger;
    this.onUri = onUri;
  }

  /** Starts the server and resolves with its URL once /health answers; undefined if abandoned. */
  async start(store: LocalStore): Promise<string | undefined> {
    const existing = this.running.get(store.folder);
    if (existing) return existing.uri;
    if (!(await requireWorkspaceTrust('Starting a local MLflow server'))) return undefined;
    const python = await resolvePython(vscode.Uri.file(store.folder));
    const check = await checkMlflow(python);
    if (!check.ok) {
      await reportMissingMlflow(check);
      return undefined;
    }
    return this.launch(store, python.path, check.version, false);
  }

  private async launch(
    store: LocalStore,
    python: string,
    version: string,
    allowFileStore: boolean,
  ): Promise<string | undefined> {
    const server = await spawnLocalServer({
      python,
      store,
      allowFileStore,
      onLine: (line) => this.logger.debug(`[mlflow server] ${line}`),
    });
    this.logger.info(
      `Starting local MLflow ${version} for ${store.folder}: ${python} ${server.args.join(' ')}${allowFileStore ? ' with MLFLOW_ALLOW_FILE_STORE=true' : ''}`,
    );
    this.running.set(store.folder, server);
    void server.exited.then((code) => {
      if (this.running.get(store.folder) !== server) return;
      this.running.delete(store.folder);
      this.onUri(store.folder, undefined);
      this.logger.info(`Local MLflow server for ${store.folder} exited (${code})`);
    });

    const outcome = await withCancellableProgress(`Starting MLflow server for ${store.folder}`, (signal) =>
      waitUntilReady(server, { signal }),
    );
    if (outcome.kind === 'ready') {
      this.onUri(store.folder, server.uri);
      return server.uri;
    }
    this.stop(store.folder);
    if (outcome.kind === 'cancelled') return undefined;
    if (outcome.kind === 'exited' && outcome.fileStoreRefused && store.kind === 'file' && !allowFileStore) {
      return this.offerFileStoreWayOut(store, python, version, outcome.fileStoreRefused.reason);
    }
    // What the server said as it died, not a timeout: that is what tells the user what to fix.
    const what =
      outcome.kind === 'exited'
        ? `exited during startup (exit code ${outcome.code ?? 'none'})`
        : `did not answer within ${STARTUP_TIMEOUT_MS / 1000} seconds`;
    this.logger.warn(`The MLflow server for ${store.folder} ${what}. Its last output:\n${outcome.tail.join('\n')}`);
    const tail = outcome.tail.length > 0 ? `:\n${outcome.tail.join('\n')}` : '.';
    void vscode.window
      .showErrorMessage(uiText(`The MLflow server for ${store.folder} ${what}${tail}`, 2000), 'Show Logs')
      .then((c) => c && this.logger.show());
    return undefined;
  }

  /**
   * MLflow ≥ 3.7 refuses mlruns/ at startup. The two ways out MLflow names, with its own reason:
   * migrate into mlflow.db (lossless, mlruns/ kept) or serve as is with MLFLOW_ALLOW_FILE_STORE.
   */
  private async offerFileStoreWayOut(
    store: LocalStore,
    python: string,
    version: string,
    reason: string,
  ): Promise<string | undefined> {
    const migrate = 'Migrate to mlflow.db';
    const asIs = 'Serve As Is';
    const choice = await vscode.window.showWarningMessage(
      uiText(`MLflow ${version} does not serve the mlruns/ folder in ${store.folder} as it is.`),
      {
        modal: true,
        // Each paragraph through the display rule on its own, so the breaks between them stay.
        detail: [
          `MLflow says: ${reason}`,
          `${migrate}: \`mlflow migrate-filestore\` copies every experiment, run, metric and model into ${store.folder}/mlflow.db. The mlruns/ folder is kept as it is (the runs' artifacts stay in it), and from then on the server uses mlflow.db.`,
          `${asIs}: starts the server with MLFLOW_ALLOW_FILE_STORE=true; nothing is changed.`,
        ]
          .map((p) => uiText(p, 2000))
          .join('\n\n'),
      },
      migrate,
      asIs,
    );
    if (choice === asIs) return this.launch(store, python, version, true);
    if (choice !== migrate) return undefined;
    const result = await withCancellableProgress(`Migrating ${store.folder}/mlruns into mlflow.db`, (signal) =>
      migrateFileStore({
        python,
        folder: store.folder,
        signal,
        onLine: (line) => this.logger.debug(`[mlflow migrate-filestore] ${line}`),
      }),
    );
    // Cancelled: the user knows, and migrateFileStore left nothing behind.
    if (result.outcome === 'cancelled') return undefined;
    if (result.outcome === 'failed') {
      this.logger.warn(`mlflow migrate-filestore for ${store.folder} failed:\n${result.tail.join('\n')}`);
      void vscode.window
        .showErrorMessage(
          uiText(`Migrating ${store.folder}/mlruns failed; mlruns/ is unchanged:\n${result.tail.join('\n')}`, 2000),
          'Show Logs',
        )
        .then((c) => c && this.logger.show());
      return undefined;
    }
    this.logger.info(`Migrated ${store.folder}/mlruns into ${result.target}; mlruns/ kept.`);
    return this.launch(
      { folder: store.folder, backendStoreUri: result.target, kind: 'sqlite' },
      python,
      version,
      false,
    );
  }

  stop(folder: string): void {
    const entry = this.running.get(folder);
    if (!entry) return;
    this.running.delete(folder);
    this.onUri(folder, undefined);
    stopProcess(entry.process);
  }

  dispose(): void {
    for (const folder of [...this.running.keys()]) this.stop(folder);
  }
}
