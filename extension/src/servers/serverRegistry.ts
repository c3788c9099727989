// The tracking servers the extension knows, one MlflowClient each, their connection state and
// the selected one. Credentials live in SecretStorage (or, for MLFLOW_TRACKING_URI, in the
// environment) and are handed to the client per request; they never reach settings or logs.
import * as vscode from 'vscode';
import type { MlflowClient } from '../mlflow/client.ts';
import { describeError, MlflowError } from '../mlflow/errors.ts';
import type { Credentials } from '../mlflow/transport.ts';
import type { Logger } from '../shared/logger.ts';
import { readSettings, updateSetting } from '../shared/settings.ts';
import type { LocalStore, ServerConfig } from './serverConfig.ts';
import {
  detectLocalStore,
  localServerConfig,
  mergeServers,
  normalizeServerUri,
  serverFromEnvironment,
  serversFromSettings,
} from './serverConfig.ts';
import type { StoredSecret } from './serverClients.ts';
import { SECRET_PREFIX, secretKey, ServerClients } from './serverClients.ts';

export type ConnectionState =
  | { kind: 'unknown' }
  | { kind: 'connecting' }
  | { kind: 'connected'; version: string }
  | { kind: 'error'; error: MlflowError | Error }
  | { kind: 'stopped' }; // a local store whose server is not running

export class ServerRegistry implements vscode.Disposable {
  private servers: ServerConfig[] = [];
  private readonly clients: ServerClients;
  private readonly states = new Map<string, ConnectionState>();
  private readonly checks = new Map<string, Promise<ConnectionState>>();
  private localStores: LocalStore[] = [];
  /** folder → URL of the server the extension started for it. */
  private readonly localUris = new Map<string, string>();
  private readonly changeServers = new vscode.EventEmitter<void>();
  private readonly changeState = new vscode.EventEmitter<ServerConfig>();
  readonly onDidChangeServers = this.changeServers.event;
  readonly onDidChangeState = this.changeState.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly secrets: vscode.SecretStorage;
  private readonly logger: Logger;
  private readonly env: Record<string, string | undefined>;

  constructor(secrets: vscode.SecretStorage, logger: Logger, env: Record<string, string | undefined> = process.env) {
    this.secrets = secrets;
    this.logger = logger;
    this.env = env;
    this.clients = new ServerClients({
      secrets,
      env,
      logger: (server) => ({
        debug: (m) => this.logger.debug(`[${server.name}] ${m}`),
        warn: (m) => this.logger.warn(`[${server.name}] ${m}`),
      }),
    });
    this.disposables.push(
      this.changeServers,
      this.changeState,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (
          e.affectsConfiguration('mlflow.servers') ||
          e.affectsConfiguration('mlflow.selectedServer') ||
          e.affectsConfiguration('mlflow.requestTimeoutSeconds') ||
          e.affectsConfiguration('mlflow.maxResponseMegabytes')
        ) {
          this.reload();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.detectLocalStores()),
      secrets.onDidChange((e) => {
        if (!e.key.startsWith(SECRET_PREFIX)) return;
        for (const s of this.servers) {
          if (secretKey(s) !== e.key) continue;
          this.clients.secretChanged(s.id);
          void this.check(s, true);
        }
      }),
    );
    this.reload();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    void this.clients.close();
  }

  list(): readonly ServerConfig[] {
    return this.servers;
  }

  get(id: string): ServerConfig | undefined {
    return this.servers.find((s) => s.id === id);
  }

  /** The selected server, else the first one that can be browsed. */
  selected(): ServerConfig | undefined {
    const want = readSettings().selectedServer;
    return this.servers.find((s) => s.id === want || s.uri === want) ?? this.servers.find((s) => s.uri !== '');
  }

  async select(server: ServerConfig): Promise<void> {
    // A local server gets a new port each start, so it is remembered by its folder.
    await updateSetting('selectedServer', server.source === 'local' ? server.id : server.uri);
  }

  state(server: ServerConfig): ConnectionState {
    if (server.source === 'local' && server.uri === '') return { kind: 'stopped' };
    return this.states.get(server.id) ?? { kind: 'unknown' };
  }

  /**
   * The server's current client, looked up by id (a tree node's config may be older). Call it at
   * each use and never keep the result: settings and credential changes replace it at once.
   */
  client(server: ServerConfig): MlflowClient {
    return this.clients.client(server);
  }

  /** For holders that outlive a settings change (run listings, panel controllers). */
  clientSource(server: ServerConfig): () => MlflowClient {
    return this.clients.source(server);
  }

  /** Checks the server answers (GET /version needs credentials where /health does not). */
  check(server: ServerConfig, force = false): Promise<ConnectionState> {
    if (server.uri === '') return Promise.resolve(this.state(server));
    const running = this.checks.get(server.id);
    if (running && !force) return running;
    this.setState(server, { kind: 'connecting' });
    const p = this.client(server)
      .version({ timeoutMs: 10_000 })
      .then(
        (version): ConnectionState => ({ kind: 'connected', version }),
        (e: unknown): ConnectionState => ({ kind: 'error', error: e instanceof Error ? e : new Error(String(e)) }),
      )
      .then((state) => {
        this.checks.delete(server.id);
        this.setState(server, state);
        if (state.kind === 'error') this.logger.warn(`${server.name}: ${describeError(state.error)}`);
        return state;
      });
    this.checks.set(server.id, p);
    return p;
  }

  /** Records the outcome of a real call, so the status bar follows what the tree sees. */
  report(server: ServerConfig, error?: unknown): void {
    if (error === undefined) {
      const cur = this.states.get(server.id);
      if (cur?.kind !== 'connected') void this.check(server);
      return;
    }
    if (
      error instanceof MlflowError &&
      (error.kind === 'network' || error.kind === 'timeout' || error.kind === 'auth' || error.kind === 'response')
    ) {
      this.setState(server, { kind: 'error', error });
    }
  }

  async addServer(entry: {
    uri: string;
    name?: string;
    auth?: 'none' | 'basic' | 'bearer';
    username?: string;
  }): Promise<ServerConfig> {
    const uri = normalizeServerUri(entry.uri);
    const current = vscode.workspace.getConfiguration('mlflow').get<unknown[]>('servers', []);
    const list = Array.isArray(current) ? [...current] : [];
    const clean: Record<string, string> = { uri };
    if (entry.name) clean['name'] = entry.name;
    if (entry.auth && entry.auth !== 'none') clean['auth'] = entry.auth;
    if (entry.username) clean['username'] = entry.username;
    const existing = list.findIndex(
      (s) => typeof s === 'object' && s !== null && safeNormalize((s as { uri?: unknown }).uri) === uri,
    );
    if (existing >= 0) list[existing] = { ...(list[existing] as object), ...clean };
    else list.push(clean);
    await updateSetting('servers', list);
    this.reload();
    const added = this.get(uri);
    if (!added) throw new Error(`Could not add ${uri}`);
    return added;
  }

  async removeServer(server: ServerConfig): Promise<void> {
    const current = vscode.workspace.getConfiguration('mlflow').get<unknown[]>('servers', []);
    const list = (Array.isArray(current) ? current : []).filter((s) => {
      const uri =
        typeof s === 'string' ? s : typeof s === 'object' && s !== null ? (s as { uri?: unknown }).uri : undefined;
      return safeNormalize(uri) !== server.uri;
    });
    await updateSetting('servers', list);
    await this.secrets.delete(secretKey(server));
    this.reload();
  }

  async setSecret(server: ServerConfig, secret: StoredSecret): Promise<void> {
    await this.secrets.store(secretKey(server), JSON.stringify(secret));
  }

  async clearSecret(server: ServerConfig): Promise<void> {
    await this.secrets.delete(secretKey(server));
  }

  /** Sets or clears the URL of the server started for a local store. */
  setLocalUri(folder: string, uri: string | undefined): void {
    if (uri) this.localUris.set(folder, uri);
    else this.localUris.delete(folder);
    this.reload();
  }

  async detectLocalStores(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const probe = {
      isFile: async (p: string) => (await statType(p)) === vscode.FileType.File,
      isDirectory: async (p: string) => (await statType(p)) === vscode.FileType.Directory,
      listDirectory: async (p: string) =>
        (await vscode.workspace.fs.readDirectory(vscode.Uri.file(p))).map(([name]) => name),
    };
    const found: LocalStore[] = [];
    for (const f of folders) {
      if (f.uri.scheme !== 'file') continue;
      const store = await detectLocalStore(f.uri.fsPath, probe).catch(() => undefined);
      if (store) found.push(store);
    }
    this.localStores = found;
    await vscode.commands.executeCommand('setContext', 'mlflow.localStoreDetected', found.length > 0);
    this.reload();
  }

  private reload(): void {
    const parsed = serversFromSettings(readSettings().servers);
    for (const p of parsed.problems) this.logger.warn(p);
    const fromEnv = serverFromEnvironment(this.env);
    const locals = this.localStores.map((store) => {
      const cfg = localServerConfig(store, store.folder.split(/[\\/]/).pop() ?? store.folder);
      const uri = this.localUris.get(store.folder);
      return uri ? { ...cfg, uri } : cfg;
    });
    const next = mergeServers(parsed.servers, fromEnv ? [fromEnv] : [], locals);
    const changed = JSON.stringify(next) !== JSON.stringify(this.servers);
    this.servers = next;
    const settings = readSettings();
    const rebuilt = this.clients.configure(
      next,
      settings.requestTimeoutSeconds * 1000,
      settings.maxResponseMegabytes * 1024 * 1024,
    );
    if (changed) this.changeServers.fire();
    for (const id of rebuilt) {
      const s = this.get(id);
      if (!s) {
        this.states.delete(id);
        continue;
      }
      this.logger.info(`${s.name}: settings changed; new connection`);
      // A server whose auth or URL changed is checked again, so the status shows the new outcome.
      if (this.states.has(id)) void this.check(s, true);
    }
  }

  private setState(server: ServerConfig, state: ConnectionState): void {
    this.states.set(server.id, state);
    this.changeState.fire(server);
  }

  /** For processes the extension starts (`mlflow run`): handed over in their environment. */
  credentialsFor(server: ServerConfig): Promise<Credentials> {
    return this.clients.credentialsFor(server);
  }
}

function safeNormalize(uri: unknown): string | undefined {
  if (typeof uri !== 'string') return undefined;
  try {
    return normalizeServerUri(uri);
  } catch {
    return undefined;
  }
}

async function statType(path: string): Promise<vscode.FileType | undefined> {
  try {
    return (await vscode.workspace.fs.stat(vscode.Uri.file(path))).type;
  } catch {
    return undefined;
  }
}
