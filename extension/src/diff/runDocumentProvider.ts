// Serves `mlflow-run:` documents. Every failure becomes the document's text (a comment saying
// what went wrong) instead of an error toast, so a dead server with several open run documents
// does not flood the user. Open documents are reloaded when the tree reports their run changed.
import * as vscode from 'vscode';
import type { Logger } from '../shared/logger.ts';
import { abortOnCancel } from '../shared/cancellableProgress.ts';
import { describeError, MlflowError } from '../mlflow/errors.ts';
import type { ServerConfig } from '../servers/serverConfig.ts';
import type { ServerRegistry } from '../servers/serverRegistry.ts';
import { serverKey } from '../artifacts/artifactUri.ts';
import { collectRunDocument } from './collectRunDocument.ts';
import { renderRunDocument, renderRunErrorDocument } from './runDocument.ts';
import { parseRunDocumentUri, RUN_SCHEME } from './runDocumentUri.ts';

/**
 * A run refreshed more often than this (the tree polls live runs every few seconds) is reloaded
 * once per window; a document that is slow to build (hundreds of metric histories) waits longer,
 * so an open document of a live run never keeps the server busy.
 */
const MIN_RELOAD_MS = 5_000;
const RELOAD_COST_FACTOR = 5;

interface DocState {
  experimentId?: string;
  failed: boolean;
  lastLoad: number;
  /** How long the last load took. */
  lastDuration: number;
  timer?: NodeJS.Timeout;
}

export class RunDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly states = new Map<string, DocState>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private readonly registry: ServerRegistry;
  private readonly logger: Logger;

  constructor(registry: ServerRegistry, logger: Logger) {
    this.registry = registry;
    this.logger = logger;
    this.disposables.push(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme !== RUN_SCHEME) return;
        const key = doc.uri.toString();
        const st = this.states.get(key);
        if (st?.timer) clearTimeout(st.timer);
        this.states.delete(key);
      }),
      // A server that comes back (or whose URL changed) gets another try at the documents that failed.
      registry.onDidChangeState((server) => {
        if (registry.state(server).kind === 'connected')
          this.reload((p, st) => p.serverKey === serverKey(server.id) && st?.failed === true);
      }),
      registry.onDidChangeServers(() => this.reload((_p, st) => st?.failed === true)),
    );
  }

  static register(context: vscode.ExtensionContext, provider: RunDocumentProvider): void {
    context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(RUN_SCHEME, provider), provider);
  }

  dispose(): void {
    for (const st of this.states.values()) if (st.timer) clearTimeout(st.timer);
    for (const d of this.disposables) d.dispose();
  }

  provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const key = uri.toString();
    const running = this.inflight.get(key);
    if (running) return running;
    const link = abortOnCancel(token);
    const p = this.load(uri, link.signal).finally(() => {
      link.dispose();
      this.inflight.delete(key);
    });
    this.inflight.set(key, p);
    return p;
  }

  /** Reloads the open documents of one run (the tree refreshed or edited it). */
  refreshRun(serverId: string, runId: string): void {
    const k = serverKey(serverId);
    this.reload((p) => p.serverKey === k && p.runId === runId);
  }

  /** Reloads the open documents of one experiment's runs, one server's, or all. */
  refreshScope(scope: { serverId?: string; experimentId?: string } = {}): void {
    const k = scope.serverId === undefined ? undefined : serverKey(scope.serverId);
    this.reload(
      (p, st) =>
        (k === undefined || p.serverKey === k) &&
        (scope.experimentId === undefined || st?.experimentId === scope.experimentId),
    );
  }

  private reload(match: (parsed: { serverKey: string; runId: string }, state: DocState | undefined) => boolean): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== RUN_SCHEME || doc.isClosed) continue;
      const parsed = parseRunDocumentUri(doc.uri);
      if (!parsed) continue;
      const key = doc.uri.toString();
      const st = this.states.get(key);
      if (!match(parsed, st)) continue;
      this.schedule(doc.uri, st);
    }
  }

  private schedule(uri: vscode.Uri, st: DocState | undefined): void {
    if (!st) {
      this.emitter.fire(uri);
      return;
    }
    if (st.timer) return;
    const gap = Math.max(MIN_RELOAD_MS, st.lastDuration * RELOAD_COST_FACTOR);
    const wait = Math.max(0, st.lastLoad + gap - Date.now());
    if (wait === 0) {
      this.emitter.fire(uri);
      return;
    }
    st.timer = setTimeout(() => {
      st.timer = undefined;
      this.emitter.fire(uri);
    }, wait);
  }

  private resolveServer(key: string): ServerConfig | undefined {
    return this.registry.list().find((s) => serverKey(s.id) === key);
  }

  private async load(uri: vscode.Uri, signal: AbortSignal): Promise<string> {
    const key = uri.toString();
    const st: DocState = this.states.get(key) ?? { failed: false, lastLoad: 0, lastDuration: 0 };
    this.states.set(key, st);
    const started = Date.now();
    st.lastLoad = started;
    try {
      return await this.render(uri, st, signal);
    } finally {
      st.lastDuration = Date.now() - started;
    }
  }

  private async render(uri: vscode.Uri, st: DocState, signal: AbortSignal): Promise<string> {
    const parsed = parseRunDocumentUri(uri);
    if (!parsed) {
      st.failed = true;
      return renderRunErrorDocument({
        serverName: '(unknown)',
        serverUri: '',
        runId: uri.path,
        message: 'This is not an MLflow run document address.',
      });
    }
    const server = this.resolveServer(parsed.serverKey);
    if (!server) {
      st.failed = true;
      return renderRunErrorDocument({
        serverName: '(not configured)',
        serverUri: '',
        runId: parsed.runId,
        message: 'The tracking server of this run is no longer configured. Add it again in the MLflow view.',
      });
    }
    try {
      const data = await collectRunDocument({
        client: this.registry.client(server),
        server: { name: server.name, uri: server.uri },
        runId: parsed.runId,
        signal,
      });
      this.registry.report(server);
      st.failed = false;
      st.experimentId = data.run.info.experiment_id;
      return renderRunDocument(data);
    } catch (e) {
      st.failed = true;
      const notFound = e instanceof MlflowError && e.notFound;
      if (!notFound) this.registry.report(server, e);
      this.logger.warn(`run document ${parsed.runId}: ${describeError(e)}`);
      return renderRunErrorDocument({
        serverName: server.name,
        serverUri: server.uri,
        runId: parsed.runId,
        message: describeError(e),
        notFound,
      });
    }
  }
}
