// One MlflowClient per tracking server, built from the server's current settings and secrets.
// Holders never keep a client: they ask here at each use (see ClientSource), so a change of
// settings or credentials takes effect on the next request, without a window reload.
// Pure: no `vscode`; the secret store is anything with `get` (VS Code's SecretStorage is one).
import { MlflowClient } from '../mlflow/client.ts';
import { MlflowError } from '../mlflow/errors.ts';
import type { Credentials, MlflowLogger } from '../mlflow/transport.ts';
import type { ServerConfig } from './serverConfig.ts';
import { environmentCredentials } from './serverConfig.ts';

interface SecretReader {
  get(key: string): PromiseLike<string | undefined>;
}

/** What SecretStorage holds per server (JSON), never settings. */
export interface StoredSecret {
  password?: string;
  token?: string;
}

export const SECRET_PREFIX = 'mlflow.credentials:';

export function secretKey(server: Pick<ServerConfig, 'id'>): string {
  return SECRET_PREFIX + server.id;
}

export interface ServerClientsOptions {
  secrets: SecretReader;
  /** Where MLFLOW_TRACKING_* come from (process.env in the extension). */
  env: Record<string, string | undefined>;
  logger?: (server: ServerConfig) => MlflowLogger;
}

interface Entry {
  client: MlflowClient;
  /** Everything the client was built from; a different key means a new client. */
  key: string;
}

export class ServerClients {
  private readonly entries = new Map<string, Entry>();
  private readonly opts: ServerClientsOptions;
  private timeoutMs = 30_000;
  /** undefined: the transport's default cap (64 MiB). */
  private maxResponseBytes: number | undefined;
  private servers = new Map<string, ServerConfig>();

  constructor(opts: ServerClientsOptions) {
    this.opts = opts;
  }

  /**
   * The servers, request timeout and response cap now in force. A server whose URL, auth, user
   * name, the timeout or the cap changed (or that is gone) loses its client at once: the old one is closed, so
   * nothing can go on sending the old credential. Returns the ids that were rebuilt.
   */
  configure(servers: readonly ServerConfig[], timeoutMs: number, maxResponseBytes?: number): string[] {
    this.timeoutMs = timeoutMs;
    this.maxResponseBytes = maxResponseBytes;
    this.servers = new Map(servers.map((s) => [s.id, s]));
    const dropped: string[] = [];
    for (const [id, entry] of [...this.entries]) {
      const s = this.servers.get(id);
      if (!s || entry.key !== this.keyOf(s)) {
        this.drop(id);
        dropped.push(id);
      }
    }
    return dropped;
  }

  /** A secret changed (set, replaced, cleared): the server's next request uses a new client. */
  secretChanged(serverId: string): void {
    this.drop(serverId);
  }

  /** The current client of a server, by its id: the config passed in may be an old snapshot. */
  client(server: ServerConfig): MlflowClient {
    const current = this.servers.get(server.id) ?? server;
    if (current.uri === '')
      throw new MlflowError(
        'network',
        `${current.name} is not running. Start it with "MLflow: Start Local MLflow Server".`,
      );
    const key = this.keyOf(current);
    const cached = this.entries.get(current.id);
    if (cached && cached.key === key) return cached.client;
    if (cached) this.drop(current.id);
    const client = new MlflowClient({
      baseUrl: current.uri,
      timeoutMs: this.timeoutMs,
      ...(this.maxResponseBytes !== undefined ? { maxResponseBytes: this.maxResponseBytes } : {}),
      ...(this.opts.logger ? { logger: this.opts.logger(current) } : {}),
      // Read per request from the config this client was built for (the key pins it).
      credentials: () => this.credentialsFor(current),
    });
    this.entries.set(current.id, { client, key });
    return client;
  }

  /** A function that resolves the server's current client at each call, for long-lived holders. */
  source(server: ServerConfig): () => MlflowClient {
    return () => this.client(server);
  }

  /** The credentials a request to `server` carries (also handed to `mlflow run` in its environment). */
  async credentialsFor(server: ServerConfig): Promise<Credentials> {
    const current = this.servers.get(server.id) ?? server;
    if (current.source === 'environment') {
      const fromEnv = environmentCredentials(this.opts.env);
      if (fromEnv.kind !== 'none') return fromEnv;
    }
    if (current.auth === 'none') return { kind: 'none' };
    const raw = await this.opts.secrets.get(secretKey(current));
    if (!raw) return { kind: 'none' };
    let stored: StoredSecret;
    try {
      stored = JSON.parse(raw) as StoredSecret;
    } catch {
      return { kind: 'none' };
    }
    if (current.auth === 'basic' && current.username && typeof stored.password === 'string') {
      return { kind: 'basic', username: current.username, password: stored.password };
    }
    if (current.auth === 'bearer' && typeof stored.token === 'string') return { kind: 'bearer', token: stored.token };
    return { kind: 'none' };
  }

  async close(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.client.close().catch(() => undefined)));
  }

  private keyOf(s: ServerConfig): string {
    return JSON.stringify([s.uri, s.auth, s.username ?? '', s.source, this.timeoutMs, this.maxResponseBytes ?? null]);
  }

  private drop(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    // Requests already on their way finish; new ones go to the next client.
    void entry.client.close().catch(() => undefined);
  }
}
