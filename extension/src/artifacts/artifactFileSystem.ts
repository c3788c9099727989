// A read-only file system over run artifacts, so an artifact opens in VS Code's own editors:
// text, JSON, YAML and CSV as documents, images in the image preview, and two runs' copies of
// one file in the diff editor. Downloads are cached in memory (bounded) and shared; a file past
// OPEN_LIMIT is refused (with an offer to save it instead), and saving streams to disk.
import * as vscode from 'vscode';
import type { Logger } from '../shared/logger.ts';
import { describeError, MlflowError } from '../mlflow/errors.ts';
import { formatBytes } from '../shared/bytes.ts';
import { withCancellableProgress } from '../shared/cancellableProgress.ts';
import type { FileInfo } from '../mlflow/types.ts';
import type { DownloadProgress } from '../mlflow/transport.ts';
import type { ServerConfig } from '../servers/serverConfig.ts';
import type { ServerRegistry } from '../servers/serverRegistry.ts';
import { ARTIFACT_SCHEME, parseArtifactUri, serverKey } from './artifactUri.ts';

const CACHE_BYTES = 256 * 1024 * 1024;
/** The most an editor tab downloads into memory; past this, editors struggle and the user saves the file. */
export const OPEN_LIMIT = 64 * 1024 * 1024;
/** A read shorter than this finishes without a progress notification. */
const PROGRESS_DELAY_MS = 1000;

export interface TooLargeEvent {
  uri: vscode.Uri;
  message: string;
}

export class ArtifactFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changeEmitter.event;
  private readonly cache = new Map<string, Uint8Array>();
  private cachedBytes = 0;
  private readonly inflight = new Map<string, Promise<Uint8Array>>();
  private readonly registry: ServerRegistry;
  private readonly logger: Logger;
  private readonly tooLargeEmitter = new vscode.EventEmitter<TooLargeEvent>();
  /** An artifact was refused for being past OPEN_LIMIT (the commands offer Save As). */
  readonly onDidRefuseTooLarge = this.tooLargeEmitter.event;
  private readonly refused = new WeakSet<object>();

  constructor(registry: ServerRegistry, logger: Logger) {
    this.registry = registry;
    this.logger = logger;
  }

  static register(context: vscode.ExtensionContext, fs: ArtifactFileSystem): void {
    context.subscriptions.push(
      vscode.workspace.registerFileSystemProvider(ARTIFACT_SCHEME, fs, { isReadonly: true, isCaseSensitive: true }),
      fs,
    );
  }

  dispose(): void {
    this.changeEmitter.dispose();
    this.tooLargeEmitter.dispose();
    this.cache.clear();
  }

  /**
   * Downloads an artifact into the cache, reporting progress; used before opening large files
   * so the user sees progress and can cancel.
   */
  prefetch(uri: vscode.Uri, onProgress?: (p: DownloadProgress) => void, signal?: AbortSignal): Promise<Uint8Array> {
    return this.load(uri, onProgress, signal);
  }

  /** Whether `e` is this file system refusing a file past OPEN_LIMIT (already offered as Save As). */
  refusedAsTooLarge(e: unknown): boolean {
    return typeof e === 'object' && e !== null && this.refused.has(e);
  }

  /**
   * Streams an artifact to a local file, never holding it in memory (see
   * MlflowClient.downloadArtifactTo: the partial file is removed on failure or cancel).
   */
  async saveTo(
    uri: vscode.Uri,
    file: string,
    onProgress?: (p: DownloadProgress) => void,
    signal?: AbortSignal,
  ): Promise<number> {
    const { server, runId, path } = this.resolve(uri);
    const client = this.registry.client(server);
    try {
      const n = await client.downloadArtifactTo(runId, path, file, { onProgress, signal });
      this.registry.report(server);
      return n;
    } catch (e) {
      if (e instanceof MlflowError) this.registry.report(server, e);
      throw e;
    }
  }

  // ---- FileSystemProvider ------------------------------------------------------------------

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { server, runId, path } = this.resolve(uri);
    const cached = this.cache.get(uri.toString());
    if (path === '')
      return {
        type: vscode.FileType.Directory,
        ctime: 0,
        mtime: 0,
        size: 0,
        permissions: vscode.FilePermission.Readonly,
      };
    if (cached) return fileStat(vscode.FileType.File, cached.byteLength);
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    const listing = await this.call(server, () => this.registry.client(server).listArtifacts(runId, parent));
    const entry = listing.files.find((f) => f.path === path);
    if (!entry) throw vscode.FileSystemError.FileNotFound(uri);
    return fileStat(entry.is_dir ? vscode.FileType.Directory : vscode.FileType.File, entry.file_size ?? 0);
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { server, runId, path } = this.resolve(uri);
    const listing = await this.call(server, () => this.registry.client(server).listArtifacts(runId, path));
    return listing.files.map((f: FileInfo) => [
      f.path.split('/').pop() ?? f.path,
      f.is_dir ? vscode.FileType.Directory : vscode.FileType.File,
    ]);
  }

  /**
   * Editors read through here with no way to cancel, so a read that takes longer than a second
   * shows its own progress notification with Cancel.
   */
  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const key = uri.toString();
    const shared = this.cache.has(key) ? undefined : this.inflight.get(key);
    if (this.cache.has(key) || shared) return this.load(uri);
    const abort = new AbortController();
    let report: ((p: DownloadProgress) => void) | undefined;
    let settled = false;
    const p = this.load(uri, (pr) => report?.(pr), abort.signal);
    p.then(
      () => (settled = true),
      () => (settled = true),
    );
    const name = uri.path.split('/').pop() ?? uri.path;
    const timer = setTimeout(() => {
      if (settled) return;
      // The download started before the notification, so Cancel reaches it through its own controller.
      void withCancellableProgress(`Downloading ${name}`, (signal, progress) => {
        signal.addEventListener('abort', () => abort.abort(), { once: true });
        report = (pr) =>
          progress.report({
            message:
              pr.total !== undefined
                ? `${formatBytes(pr.received)} of ${formatBytes(pr.total)}`
                : formatBytes(pr.received),
          });
        return p.then(
          () => undefined,
          () => undefined,
        );
      });
    }, PROGRESS_DELAY_MS);
    try {
      return await p;
    } finally {
      clearTimeout(timer);
    }
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('Run artifacts are read-only.');
  }
  writeFile(): void {
    throw vscode.FileSystemError.NoPermissions('Run artifacts are read-only.');
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Run artifacts are read-only.');
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Run artifacts are read-only.');
  }

  // ---- internals ---------------------------------------------------------------------------

  private async load(
    uri: vscode.Uri,
    onProgress?: (p: DownloadProgress) => void,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    const key = uri.toString();
    const hit = this.cache.get(key);
    if (hit) {
      // Refresh its place in the LRU order.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const running = this.inflight.get(key);
    if (running && !onProgress) return running;
    const { server, runId, path } = this.resolve(uri);
    const p = this.call(
      server,
      () => this.registry.client(server).downloadArtifact(runId, path, { onProgress, signal, maxBytes: OPEN_LIMIT }),
      uri,
    )
      .then((bytes) => {
        this.remember(key, bytes);
        return bytes;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private remember(key: string, bytes: Uint8Array): void {
    if (bytes.byteLength > CACHE_BYTES / 2) return;
    this.cache.set(key, bytes);
    this.cachedBytes += bytes.byteLength;
    for (const [k, v] of this.cache) {
      if (this.cachedBytes <= CACHE_BYTES) break;
      this.cache.delete(k);
      this.cachedBytes -= v.byteLength;
    }
  }

  private resolve(uri: vscode.Uri): { server: ServerConfig; runId: string; path: string } {
    const parsed = parseArtifactUri(uri);
    if (!parsed) throw vscode.FileSystemError.FileNotFound(uri);
    const server = this.registry.list().find((s) => serverKey(s.id) === parsed.serverKey);
    if (!server)
      throw vscode.FileSystemError.Unavailable(`The tracking server of ${uri.path} is no longer configured.`);
    return { server, runId: parsed.runId, path: parsed.path };
  }

  private async call<T>(server: ServerConfig, fn: () => Promise<T>, uri?: vscode.Uri): Promise<T> {
    try {
      const out = await fn();
      this.registry.report(server);
      return out;
    } catch (e) {
      this.registry.report(server, e);
      this.logger.warn(`artifact: ${describeError(e)}`);
      if (e instanceof MlflowError && e.notFound) throw vscode.FileSystemError.FileNotFound(describeError(e));
      if (e instanceof MlflowError && e.kind === 'cancelled') throw new vscode.CancellationError();
      if (e instanceof MlflowError && e.kind === 'limit' && uri) {
        // Too large for an editor: not the server's fault. The commands offer Save As.
        const refusal = vscode.FileSystemError.Unavailable(e.message);
        this.refused.add(refusal);
        this.tooLargeEmitter.fire({ uri, message: e.message });
        throw refusal;
      }
      throw vscode.FileSystemError.Unavailable(describeError(e));
    }
  }
}

function fileStat(type: vscode.FileType, size: number): vscode.FileStat {
  return { type, ctime: 0, mtime: 0, size, permissions: vscode.FilePermission.Readonly };
}
