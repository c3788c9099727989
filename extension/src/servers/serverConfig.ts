// Where tracking servers come from (settings, MLFLOW_TRACKING_URI, local stores in the
// workspace) and how they are identified. Pure: no `vscode`, no I/O beyond the injected checks.
import { parseBaseUrl } from '../mlflow/transport.ts';
import type { Credentials } from '../mlflow/transport.ts';

type AuthKind = 'none' | 'basic' | 'bearer';
type ServerSource = 'settings' | 'environment' | 'local';

export interface LocalStore {
  folder: string;
  /** What `mlflow server --backend-store-uri` gets. */
  backendStoreUri: string;
  kind: 'sqlite' | 'file';
}

export interface ServerConfig {
  /** Stable key: the normalized URL, or `local:<folder>` for a store not yet served. */
  id: string;
  name: string;
  /** Normalized base URL without credentials; empty for a local store that is not running. */
  uri: string;
  auth: AuthKind;
  username?: string;
  webUiUri?: string;
  source: ServerSource;
  local?: LocalStore;
}

export interface ParsedServers {
  servers: ServerConfig[];
  /** One line per entry that was skipped, for the log and a warning. */
  problems: string[];
}

export function normalizeServerUri(raw: string): string {
  return parseBaseUrl(raw).url;
}

export function serversFromSettings(raw: unknown): ParsedServers {
  const servers: ServerConfig[] = [];
  const problems: string[] = [];
  if (!Array.isArray(raw)) return { servers, problems: raw === undefined ? [] : ['mlflow.servers should be a list'] };
  raw.forEach((entry: unknown, i) => {
    if (typeof entry === 'string') entry = { uri: entry };
    if (typeof entry !== 'object' || entry === null) {
      problems.push(`mlflow.servers[${i}] should be an object with a "uri"`);
      return;
    }
    const e = entry as Record<string, unknown>;
    if (typeof e['uri'] !== 'string' || e['uri'].trim() === '') {
      problems.push(`mlflow.servers[${i}] has no "uri"`);
      return;
    }
    let uri: string;
    try {
      const parsed = parseBaseUrl(e['uri']);
      uri = parsed.url;
      if (parsed.credentials) {
        problems.push(
          `mlflow.servers[${i}]: credentials in the URL are ignored; use "MLflow: Set Server Credentials…" to keep them in secret storage`,
        );
      }
    } catch (err) {
      problems.push(`mlflow.servers[${i}]: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const auth = e['auth'] === 'basic' || e['auth'] === 'bearer' ? e['auth'] : 'none';
    const cfg: ServerConfig = {
      id: uri,
      name: typeof e['name'] === 'string' && e['name'].trim() !== '' ? e['name'].trim() : defaultName(uri),
      uri,
      auth,
      source: 'settings',
    };
    if (typeof e['username'] === 'string' && e['username'] !== '') cfg.username = e['username'];
    if (typeof e['webUiUri'] === 'string' && e['webUiUri'] !== '') cfg.webUiUri = e['webUiUri'];
    if (servers.some((s) => s.id === cfg.id)) problems.push(`mlflow.servers[${i}] repeats ${uri}`);
    else servers.push(cfg);
  });
  return { servers, problems };
}

/**
 * MLFLOW_TRACKING_URI as MLflow's own clients read it. An http(s) URI is a server; credentials
 * come from MLFLOW_TRACKING_USERNAME/PASSWORD, the URI's user info (http://user:pw@host), or
 * MLFLOW_TRACKING_TOKEN, and stay in memory: the config (shown, logged) has the URI without them.
 */
export function serverFromEnvironment(env: Record<string, string | undefined>): ServerConfig | undefined {
  const raw = env['MLFLOW_TRACKING_URI']?.trim();
  if (!raw || !/^https?:\/\//i.test(raw)) return undefined;
  let uri: string;
  try {
    uri = normalizeServerUri(raw);
  } catch {
    return undefined;
  }
  const creds = environmentCredentials(env);
  const cfg: ServerConfig = {
    id: uri,
    name: `${defaultName(uri)} (MLFLOW_TRACKING_URI)`,
    uri,
    auth: creds.kind,
    source: 'environment',
  };
  if (creds.kind === 'basic') cfg.username = creds.username;
  return cfg;
}

/**
 * The credentials MLflow's Python client would send for this environment: explicit
 * MLFLOW_TRACKING_USERNAME/PASSWORD first, then user info in MLFLOW_TRACKING_URI (which
 * `requests` turns into basic auth), then MLFLOW_TRACKING_TOKEN.
 */
export function environmentCredentials(env: Record<string, string | undefined>): Credentials {
  const u = env['MLFLOW_TRACKING_USERNAME'];
  const p = env['MLFLOW_TRACKING_PASSWORD'];
  if (u && p) return { kind: 'basic', username: u, password: p };
  const raw = env['MLFLOW_TRACKING_URI']?.trim();
  if (raw && /^https?:\/\//i.test(raw)) {
    try {
      const embedded = parseBaseUrl(raw).credentials;
      if (embedded) return embedded;
    } catch {
      // Not a URL: no server, no credentials.
    }
  }
  const t = env['MLFLOW_TRACKING_TOKEN'];
  if (t) return { kind: 'bearer', token: t };
  return { kind: 'none' };
}

export interface StoreProbe {
  isFile(path: string): Promise<boolean>;
  isDirectory(path: string): Promise<boolean>;
  listDirectory(path: string): Promise<string[]>;
}

/**
 * A workspace folder holding an MLflow store: `mlflow.db` (MLflow ≥ 3.7's default) or an
 * `mlruns/` folder with at least one experiment (a numeric folder with meta.yaml).
 */
export async function detectLocalStore(folder: string, probe: StoreProbe): Promise<LocalStore | undefined> {
  const sep = folder.endsWith('/') ? '' : '/';
  const db = `${folder}${sep}mlflow.db`;
  // An absolute path after `sqlite:///` gives the four slashes SQLAlchemy wants.
  if (await probe.isFile(db)) return { folder, backendStoreUri: `sqlite:///${db}`, kind: 'sqlite' };
  const mlruns = `${folder}${sep}mlruns`;
  if (await probe.isDirectory(mlruns)) {
    const entries = await probe.listDirectory(mlruns).catch(() => [] as string[]);
    for (const name of entries) {
      if (/^\d+$/.test(name) && (await probe.isFile(`${mlruns}/${name}/meta.yaml`))) {
        return { folder, backendStoreUri: `file://${mlruns}`, kind: 'file' };
      }
    }
  }
  return undefined;
}

export function localServerConfig(store: LocalStore, folderName: string): ServerConfig {
  return {
    id: `local:${store.folder}`,
    name: `${folderName} (local ${store.kind === 'sqlite' ? 'mlflow.db' : 'mlruns'})`,
    uri: '',
    auth: 'none',
    source: 'local',
    local: store,
  };
}

/** Settings first, then the environment, then local stores; one entry per URL. */
export function mergeServers(...lists: ServerConfig[][]): ServerConfig[] {
  const out: ServerConfig[] = [];
  for (const list of lists) for (const s of list) if (!out.some((o) => o.id === s.id)) out.push(s);
  return out;
}

export function defaultName(uri: string): string {
  try {
    const u = new URL(uri);
    return u.pathname && u.pathname !== '/' ? `${u.host}${u.pathname}` : u.host;
  } catch {
    return uri;
  }
}
