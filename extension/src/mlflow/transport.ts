// HTTP to one tracking server over undici: auth headers, per-request timeouts, cancellation,
// retries with backoff for idempotent calls, and every failure turned into an MlflowError whose
// message a user can act on. Every response body is read by one reader (readBody) that enforces
// the size caps and the download stall rule, so a hostile or broken server cannot exhaust memory
// or hold a download open forever. Knows nothing about MLflow entities (client.ts does).
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';
import { MlflowError } from './errors.ts';
import { DecodeError } from './decode.ts';
import { formatBytes } from '../shared/bytes.ts';

export type Credentials =
  { kind: 'none' } | { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string };

export interface MlflowLogger {
  debug(message: string): void;
  warn(message: string): void;
}

export interface TransportOptions {
  /** Tracking URI, e.g. http://127.0.0.1:5000 or https://host/mlflow (a path prefix is kept). */
  baseUrl: string;
  /** Read on every request so new credentials apply without rebuilding the client. */
  credentials?: () => Credentials | Promise<Credentials>;
  timeoutMs?: number;
  /** Retries for idempotent requests on 429, 503 and connection resets. */
  maxRetries?: number;
  logger?: MlflowLogger;
  dispatcher?: Dispatcher;
  /** Largest JSON or text body read (default 64 MiB); the user raises it with MAX_RESPONSE_SETTING. */
  maxResponseBytes?: number;
  /** When a download is abandoned for crawling (default: under 16 KiB per request timeout). */
  stall?: StallRule;
}

/** A download that receives fewer than `minBytes` in any `windowMs` is abandoned. */
export interface StallRule {
  windowMs: number;
  minBytes: number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** An error body is only mined for a message; past this it is not read. */
const ERROR_BODY_BYTES = 64 * 1024;
/** The setting that raises maxResponseBytes, named in the message when the cap is hit. */
const MAX_RESPONSE_SETTING = 'mlflow.maxResponseMegabytes';
const STALL_MIN_BYTES = 16 * 1024;

export type QueryValue = string | number | boolean | undefined | readonly (string | number)[];

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Safe to send twice: reads, and writes that set a value. */
  idempotent: boolean;
  timeoutMs?: number;
}

export interface DownloadProgress {
  received: number;
  total: number | undefined;
}

/**
 * undici is half of the extension's code, and activation sends no request, so it is loaded on the
 * first request instead. Bundled, the import is a require of dist/undici.js (see esbuild.mjs); run
 * from the sources (tests, benchmarks) it is Node's own import of the package.
 */
let undiciLoading: Promise<typeof Undici> | undefined;
/** Set once loaded: error classification (toError) is synchronous and only sees undici's errors after a request. */
let undiciLoaded: typeof Undici | undefined;
function loadUndici(): Promise<typeof Undici> {
  undiciLoading ??= import('undici').then((m) => (undiciLoaded = m));
  return undiciLoading;
}

const RETRYABLE_STATUS = new Set([429, 503]);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

export class Transport {
  readonly baseUrl: string;
  readonly displayUrl: string;
  private readonly credentials: () => Credentials | Promise<Credentials>;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly logger: MlflowLogger | undefined;
  /** The caller's, or our own Agent made on the first request (undici loads then). */
  private dispatcher: Dispatcher | undefined;
  private readonly ownsDispatcher: boolean;
  private closed = false;
  private readonly maxResponseBytes: number;
  private readonly stall: StallRule;

  constructor(opts: TransportOptions) {
    const parsed = parseBaseUrl(opts.baseUrl);
    this.baseUrl = parsed.url;
    this.displayUrl = parsed.url;
    const embedded = parsed.credentials;
    const given = opts.credentials;
    // Credentials typed into the URL (http://user:pass@host) are used but never echoed back.
    this.credentials = given ?? (() => embedded ?? { kind: 'none' });
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxRetries = opts.maxRetries ?? 3;
    this.logger = opts.logger;
    this.maxResponseBytes = Math.max(1, opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    this.stall = opts.stall ?? { windowMs: this.timeoutMs, minBytes: STALL_MIN_BYTES };
    this.ownsDispatcher = opts.dispatcher === undefined;
    this.dispatcher = opts.dispatcher;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.ownsDispatcher) await this.dispatcher?.close();
  }

  private ownDispatcher(undici: typeof Undici): Dispatcher {
    // Undici's own error for a request on a closed Agent, as before the Agent was made lazily.
    if (this.closed && !this.dispatcher) throw new undici.errors.ClientClosedError();
    this.dispatcher ??= new undici.Agent({
      // Below uvicorn's 5 s idle timeout, so an idle connection is never reused just as the
      // server closes it (which surfaces as EPIPE / "other side closed").
      keepAliveTimeout: 4_000,
      keepAliveMaxTimeout: 4_000,
      connections: 8,
      connect: { timeout: 10_000 },
    });
    return this.dispatcher;
  }

  url(path: string, query?: Record<string, QueryValue>): string {
    let url = this.baseUrl + path;
    const qs = encodeQuery(query);
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
    return url;
  }

  /** A JSON call; `decode` validates the parsed body. */
  async json<T>(spec: RequestSpec, decode: (body: unknown) => T): Promise<T> {
    const { res, text } = await this.sendAndRead(spec, 'application/json');
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new MlflowError(
        'response',
        `${this.displayUrl} answered ${spec.path} with something that is not JSON (${contentType(res)}). Is this the URL of an MLflow tracking server?`,
        { status: res.statusCode },
      );
    }
    try {
      return decode(parsed);
    } catch (e) {
      if (e instanceof DecodeError) {
        throw new MlflowError('response', `Unexpected answer from ${this.displayUrl}${spec.path}: ${e.message}.`, {
          status: res.statusCode,
          cause: e,
        });
      }
      throw e;
    }
  }

  /** A plain-text call (e.g. /health, /version). */
  async text(spec: RequestSpec): Promise<string> {
    return (await this.sendAndRead(spec, 'text/plain, */*')).text;
  }

  /**
   * Downloads a file into memory, reporting progress. `maxBytes` (default: the response cap)
   * guards memory; the stall rule abandons a download that crawls. Save large files with
   * downloadTo instead.
   */
  async download(
    spec: Omit<RequestSpec, 'method' | 'idempotent'>,
    onProgress?: (p: DownloadProgress) => void,
    maxBytes = this.maxResponseBytes,
  ): Promise<Uint8Array> {
    const res = await this.send({ ...spec, method: 'GET', idempotent: true }, '*/*', true);
    const total = contentLength(res);
    const tooLarge = (size?: number) =>
      new MlflowError(
        'limit',
        `The file is ${size === undefined ? 'larger than' : `${formatBytes(size)}, more than`} the ${formatBytes(maxBytes)} that can be opened here. Save it to disk instead.`,
      );
    if (total !== undefined && total > maxBytes) {
      res.body.destroy();
      throw tooLarge(total);
    }
    return this.readBody(res, spec, {
      maxBytes,
      tooLarge: () => tooLarge(),
      stall: true,
      onProgress: (received) => onProgress?.({ received, total }),
    });
  }

  /**
   * Streams a file into `sink` without holding it in memory (any size; the stall rule still
   * applies). The caller owns the sink: it ends it on success and discards it on failure.
   * Returns the bytes written.
   */
  async downloadTo(
    spec: Omit<RequestSpec, 'method' | 'idempotent'>,
    sink: Writable,
    onProgress?: (p: DownloadProgress) => void,
  ): Promise<number> {
    const res = await this.send({ ...spec, method: 'GET', idempotent: true }, '*/*', true);
    const total = contentLength(res);
    let received = 0;
    await this.readBody(res, spec, {
      maxBytes: Number.POSITIVE_INFINITY,
      tooLarge: () => new MlflowError('limit', 'unreachable'),
      stall: true,
      sink,
      onProgress: (n) => {
        received = n;
        onProgress?.({ received, total });
      },
    });
    return received;
  }

  /**
   * The one reader of response bodies. Collects the body (or writes it to `sink`), failing with
   * `tooLarge()` past `maxBytes` and, with `stall`, abandoning a body that crawls (see StallRule;
   * undici's bodyTimeout only catches a body that stops outright). Network errors come back as
   * MlflowErrors; a sink's own errors (a full disk) come back as they are.
   */
  private async readBody(
    res: Dispatcher.ResponseData,
    spec: Pick<RequestSpec, 'path' | 'signal'>,
    opts: {
      maxBytes: number;
      tooLarge: () => MlflowError;
      stall?: boolean;
      sink?: Writable;
      onProgress?: (received: number) => void;
    },
  ): Promise<Buffer> {
    const body = res.body;
    const chunks: Buffer[] = [];
    let received = 0;
    let windowBytes = 0;
    let stalled: MlflowError | undefined;
    let sinkError: unknown;
    const { windowMs, minBytes } = this.stall;
    const timer = opts.stall
      ? setInterval(() => {
          if (windowBytes < minBytes) {
            stalled = new MlflowError(
              'timeout',
              `${this.displayUrl} stalled sending ${spec.path}: less than ${formatBytes(minBytes)} arrived in ${formatSeconds(windowMs)}, so the download was abandoned.`,
            );
            body.destroy(stalled);
          }
          windowBytes = 0;
        }, windowMs)
      : undefined;
    const sink = opts.sink;
    const onSinkError = (e: unknown) => {
      sinkError ??= e;
      body.destroy(e instanceof Error ? e : new Error(String(e)));
    };
    sink?.on('error', onSinkError);
    try {
      for await (const chunk of body) {
        const buf = chunk as Buffer;
        received += buf.length;
        windowBytes += buf.length;
        if (received > opts.maxBytes) throw opts.tooLarge();
        if (sink) {
          // Backpressure: a slow disk slows the download instead of queueing it in memory.
          if (!sink.write(buf)) await once(sink, 'drain');
        } else {
          chunks.push(buf);
        }
        opts.onProgress?.(received);
      }
    } catch (e) {
      if (sinkError !== undefined) throw sinkError;
      throw stalled ?? this.toError(e, spec.path, spec.signal);
    } finally {
      clearInterval(timer);
      sink?.off('error', onSinkError);
    }
    if (sinkError !== undefined) throw sinkError;
    return sink ? Buffer.alloc(0) : Buffer.concat(chunks, received);
  }

  private async send(spec: RequestSpec, accept: string, streaming = false): Promise<Dispatcher.ResponseData> {
    let attempt = 0;
    for (;;) {
      const started = Date.now();
      try {
        const res = await this.sendOnce(spec, accept, streaming);
        const ms = Date.now() - started;
        this.logger?.debug(`${spec.method} ${spec.path} → ${res.statusCode} (${ms} ms)`);
        if (res.statusCode >= 200 && res.statusCode < 300) return res;
        if (spec.idempotent && RETRYABLE_STATUS.has(res.statusCode) && attempt < this.maxRetries) {
          const wait = retryDelay(attempt, res.headers['retry-after']);
          await res.body.dump().catch(() => undefined);
          this.logger?.warn(`${spec.method} ${spec.path} answered ${res.statusCode}; retrying in ${wait} ms`);
          await sleep(wait, spec.signal);
          attempt++;
          continue;
        }
        throw await this.httpError(res, spec, streaming);
      } catch (e) {
        if (e instanceof MlflowError && e.kind === 'limit') throw e;
        const code = errorCode(e);
        // EPIPE means the request could not be written (the server had already closed a
        // reused connection), so even a write is safe to send again, once.
        const retryable =
          code !== undefined &&
          (spec.idempotent ? RESET_CODES.has(code) && attempt < this.maxRetries : code === 'EPIPE' && attempt === 0);
        if (retryable && !spec.signal?.aborted) {
          const wait = retryDelay(attempt, undefined);
          this.logger?.warn(`${spec.method} ${spec.path}: connection reset (${code}); retrying in ${wait} ms`);
          await sleep(wait, spec.signal);
          attempt++;
          continue;
        }
        const err = this.toError(e, spec.path, spec.signal);
        this.logger?.debug(`${spec.method} ${spec.path} failed after ${Date.now() - started} ms: ${err.message}`);
        throw err;
      }
    }
  }

  private async sendOnce(spec: RequestSpec, accept: string, streaming: boolean): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = { accept, 'user-agent': 'mlflow-vscode' };
    const creds = await this.credentials();
    const auth = authorization(creds);
    if (auth) headers['authorization'] = auth;
    let body: string | undefined;
    if (spec.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.body);
    }
    const timeoutMs = spec.timeoutMs ?? this.timeoutMs;
    // Streaming downloads are bounded by the idle time between chunks, not by their total time.
    const signals = [spec.signal, streaming ? undefined : AbortSignal.timeout(timeoutMs)].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    const undici = await loadUndici();
    return undici.request(this.url(spec.path, spec.query), {
      method: spec.method,
      headers,
      body,
      signal,
      dispatcher: this.dispatcher ?? this.ownDispatcher(undici),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  }

  /** send() plus reading the body; a connection dropped mid-body is retried like one dropped before it. */
  private async sendAndRead(
    spec: RequestSpec,
    accept: string,
  ): Promise<{ res: Dispatcher.ResponseData; text: string }> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(spec, accept);
      try {
        const tooLarge = () =>
          new MlflowError(
            'limit',
            `${this.displayUrl} sent more than ${formatBytes(this.maxResponseBytes)} for ${spec.path}, so the answer was abandoned. If the server is right, raise the "${MAX_RESPONSE_SETTING}" setting.`,
            { status: res.statusCode },
          );
        const total = contentLength(res);
        if (total !== undefined && total > this.maxResponseBytes) {
          res.body.destroy();
          throw tooLarge();
        }
        const buf = await this.readBody(res, spec, { maxBytes: this.maxResponseBytes, tooLarge });
        return { res, text: buf.toString('utf8') };
      } catch (e) {
        if (e instanceof MlflowError && e.kind === 'limit') throw e;
        const code = errorCode(e);
        if (
          spec.idempotent &&
          code !== undefined &&
          RESET_CODES.has(code) &&
          attempt < this.maxRetries &&
          !spec.signal?.aborted
        ) {
          this.logger?.warn(`${spec.method} ${spec.path}: connection dropped while reading (${code}); retrying`);
          continue;
        }
        throw this.toError(e, spec.path, spec.signal);
      }
    }
  }

  private async httpError(res: Dispatcher.ResponseData, spec: RequestSpec, streaming: boolean): Promise<MlflowError> {
    const status = res.statusCode;
    let text = '';
    let oversized = false;
    try {
      const marker = new MlflowError('limit', 'error body too large');
      text = (
        await this.readBody(res, spec, { maxBytes: ERROR_BODY_BYTES, tooLarge: () => marker, stall: streaming })
      ).toString('utf8');
    } catch (e) {
      // The status alone still makes a useful message.
      oversized = e instanceof MlflowError && e.kind === 'limit';
    }
    let code: string | undefined;
    let message: string | undefined;
    if (text.startsWith('{')) {
      try {
        const o = JSON.parse(text) as Record<string, unknown>;
        if (typeof o['message'] === 'string') message = o['message'];
        if (typeof o['error_code'] === 'string') code = o['error_code'];
      } catch {
        // Not JSON after all: fall through to the text handling.
      }
    }
    const plain = oversized
      ? `its error message was over ${formatBytes(ERROR_BODY_BYTES)}, the most read, so it was not shown`
      : (message ?? plainText(text, contentType(res)));
    if (status === 401) {
      return new MlflowError(
        'auth',
        `${this.displayUrl} needs credentials (HTTP 401)${plain ? `: ${plain}` : ''}. Use "MLflow: Set Server Credentials…".`,
        { status, errorCode: code },
      );
    }
    if (status === 403) {
      if (plain.includes('Invalid Host header')) {
        return new MlflowError(
          'auth',
          `${this.displayUrl} rejected the Host header (HTTP 403). Start the server with --allowed-hosts ${hostOf(this.baseUrl)} (MLflow ≥ 3.5 checks it).`,
          { status, errorCode: code },
        );
      }
      return new MlflowError(
        'auth',
        `Permission denied by ${this.displayUrl} (HTTP 403)${plain ? `: ${plain}` : ''}.`,
        { status, errorCode: code },
      );
    }
    if (message !== undefined) return new MlflowError('api', message, { status, errorCode: code });
    if (status === 404) {
      return new MlflowError(
        'api',
        `${this.displayUrl}${spec.path} does not exist (HTTP 404). Is this the URL of an MLflow tracking server?`,
        { status },
      );
    }
    if (status >= 500) {
      return new MlflowError(
        'api',
        `${this.displayUrl} had an internal error (HTTP ${status})${plain ? `: ${plain}` : ''}.`,
        { status },
      );
    }
    return new MlflowError('api', `${this.displayUrl} answered HTTP ${status}${plain ? `: ${plain}` : ''}.`, {
      status,
    });
  }

  private toError(e: unknown, path: string, signal: AbortSignal | undefined): MlflowError {
    if (e instanceof MlflowError) return e;
    if (signal?.aborted) return new MlflowError('cancelled', 'Cancelled.', { cause: e });
    const name = e instanceof Error ? e.name : '';
    const code = errorCode(e);
    if (
      name === 'TimeoutError' ||
      (undiciLoaded !== undefined &&
        (e instanceof undiciLoaded.errors.HeadersTimeoutError || e instanceof undiciLoaded.errors.BodyTimeoutError)) ||
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT'
    ) {
      return new MlflowError(
        'timeout',
        `${this.displayUrl} did not answer ${path} within ${Math.round(this.timeoutMs / 1000)} s.`,
        { cause: e },
      );
    }
    if (code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new MlflowError('timeout', `Could not connect to ${this.displayUrl}: the connection timed out.`, {
        cause: e,
      });
    }
    const reason =
      code === 'ECONNREFUSED'
        ? 'connection refused. Is the server running?'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? `host ${hostOf(this.baseUrl)} not found`
          : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
            ? 'the connection was reset'
            : code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
              ? 'the host is unreachable'
              : (code !== undefined && code.startsWith('ERR_TLS')) ||
                  code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
                  code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
                  code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
                ? `TLS error (${code})`
                : e instanceof Error
                  ? e.message
                  : String(e);
    return new MlflowError(
      'network',
      `Could not reach ${this.displayUrl}: ${reason}${/[.?!]$/.test(reason) ? '' : '.'}`,
      { cause: e },
    );
  }
}

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  // undici wraps socket errors; the useful code is on the cause.
  for (let i = 0; i < 4 && cur !== undefined && cur !== null; i++) {
    const c = (cur as { code?: unknown }).code;
    if (typeof c === 'string' && c !== 'UND_ERR_ABORTED') return c;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function authorization(c: Credentials): string | undefined {
  if (c.kind === 'basic') return 'Basic ' + Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64');
  if (c.kind === 'bearer') return `Bearer ${c.token}`;
  return undefined;
}

export function parseBaseUrl(raw: string): { url: string; credentials?: Credentials } {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new MlflowError('response', `"${raw}" is not a URL. A tracking server URL looks like http://127.0.0.1:5000.`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new MlflowError(
      'response',
      `"${u.protocol}" URLs cannot be browsed over HTTP. A tracking server URL looks like http://127.0.0.1:5000.`,
    );
  }
  let credentials: Credentials | undefined;
  if (u.username) {
    credentials = { kind: 'basic', username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
    u.username = '';
    u.password = '';
  }
  u.hash = '';
  u.search = '';
  const url = u.toString().replace(/\/+$/, '');
  return credentials ? { url, credentials } : { url };
}

function contentLength(res: Dispatcher.ResponseData): number | undefined {
  const h = res.headers['content-length'];
  return typeof h === 'string' && /^\d+$/.test(h) ? Number(h) : undefined;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function contentType(res: Dispatcher.ResponseData): string {
  const ct = res.headers['content-type'];
  return (Array.isArray(ct) ? ct[0] : ct) ?? 'no content type';
}

function plainText(text: string, ct: string): string {
  if (ct.includes('html')) {
    const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1] ?? /<h1>([^<]*)<\/h1>/i.exec(text)?.[1];
    return title ? title.trim() : '';
  }
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > 300 ? t.slice(0, 300) + '…' : t;
}

function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    const values = Array.isArray(v) ? v : [v as string | number | boolean];
    for (const item of values) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(item))}`);
  }
  return parts.join('&');
}

function retryDelay(attempt: number, retryAfter: string | string[] | undefined): number {
  const header = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
  if (header !== undefined && /^\d+$/.test(header)) return Math.min(Number(header) * 1000, 10_000);
  const base = 250 * 2 ** attempt;
  return Math.min(4_000, Math.round(base / 2 + Math.random() * (base / 2)));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new MlflowError('cancelled', 'Cancelled.'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new MlflowError('cancelled', 'Cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
