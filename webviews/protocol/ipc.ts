// The message envelope between the extension host and a webview, and one endpoint class both
// sides use. Three kinds of message (after gitlens' webview protocol): commands are
// fire-and-forget, requests carry an id and get exactly one reply (a pending-promise map
// correlates them, as in vscode-pull-request-github), notifications flow host → view. A request
// can be cancelled by its sender; disposing an endpoint cancels everything still in flight.
import type { Guard } from './guards.ts';
import { isRecord } from './guards.ts';

/** Marks our messages, so stray postMessage traffic in a webview is ignored. */
export const IPC_TAG = 'mlflow-ipc/1';

export interface RequestType<P, R> {
  readonly kind: 'request';
  readonly method: string;
  readonly isParams: Guard<P>;
  /** Phantom: carries the result type only. */
  readonly resultType?: R;
}

export interface CommandType<P> {
  readonly kind: 'command';
  readonly method: string;
  readonly isParams: Guard<P>;
}

export interface NotificationType<P> {
  readonly kind: 'notification';
  readonly method: string;
  readonly isParams: Guard<P>;
}

export function requestType<P, R>(method: string, isParams: Guard<P>): RequestType<P, R> {
  return { kind: 'request', method, isParams };
}

export function commandType<P>(method: string, isParams: Guard<P>): CommandType<P> {
  return { kind: 'command', method, isParams };
}

export function notificationType<P>(method: string, isParams: Guard<P>): NotificationType<P> {
  return { kind: 'notification', method, isParams };
}

export type IpcErrorCode =
  | 'cancelled' // the sender abandoned the request
  | 'timeout' // no reply in time
  | 'disposed' // the panel or view went away
  | 'invalidParams' // params failed the receiver's guard
  | 'unknownMethod'
  | 'notFound' // the thing asked about no longer exists (e.g. a deleted run)
  | 'badRequest' // the server rejected what was asked (e.g. a bad filter); its message says why
  | 'server' // the tracking server failed or could not be reached; trying again may help
  | 'internal';

export interface IpcErrorInfo {
  code: IpcErrorCode;
  /** Written for the user; never a stack. */
  message: string;
}

export class IpcError extends Error {
  readonly code: IpcErrorCode;

  constructor(code: IpcErrorCode, message: string) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
  }

  get retryable(): boolean {
    return this.code === 'server' || this.code === 'timeout';
  }
}

export type WireMessage =
  | { ipc: typeof IPC_TAG; kind: 'request'; id: number; method: string; params: unknown }
  | { ipc: typeof IPC_TAG; kind: 'reply'; id: number; ok: true; result: unknown }
  | { ipc: typeof IPC_TAG; kind: 'reply'; id: number; ok: false; error: IpcErrorInfo }
  | { ipc: typeof IPC_TAG; kind: 'cancel'; id: number }
  | { ipc: typeof IPC_TAG; kind: 'command'; method: string; params: unknown }
  | { ipc: typeof IPC_TAG; kind: 'notification'; method: string; params: unknown };

const ERROR_CODES: readonly IpcErrorCode[] = [
  'cancelled',
  'timeout',
  'disposed',
  'invalidParams',
  'unknownMethod',
  'notFound',
  'badRequest',
  'server',
  'internal',
];

/** Structural check of an incoming message (anything else is not ours and is ignored). */
export function isWireMessage(v: unknown): v is WireMessage {
  if (!isRecord(v) || v['ipc'] !== IPC_TAG) return false;
  const id = v['id'];
  const validId = typeof id === 'number' && Number.isSafeInteger(id) && id > 0;
  switch (v['kind']) {
    case 'request':
      return validId && typeof v['method'] === 'string';
    case 'reply': {
      if (!validId) return false;
      if (v['ok'] === true) return true;
      const e = v['error'];
      return (
        v['ok'] === false &&
        isRecord(e) &&
        typeof e['message'] === 'string' &&
        ERROR_CODES.includes(e['code'] as IpcErrorCode)
      );
    }
    case 'cancel':
      return validId;
    case 'command':
    case 'notification':
      return typeof v['method'] === 'string';
    default:
      return false;
  }
}

export interface Disposable {
  dispose(): void;
}

export interface IpcEndpointOptions {
  /** Turns a handler's failure into what the other side sees. Default: its message, code 'internal'. */
  describeError?: (e: unknown) => IpcErrorInfo;
  /** Failures nobody awaits (command and notification handlers, posting after dispose). */
  onUnhandledError?: (e: unknown, method: string) => void;
  /**
   * First request id. A reloaded webview starts a new endpoint; starting it at a random id keeps
   * a late reply meant for the previous instance from matching a new request.
   */
  firstId?: number;
}

interface Pending {
  resolve(result: unknown): void;
  reject(e: IpcError): void;
}

type RequestHandler = (params: unknown, signal: AbortSignal) => unknown;
type MessageHandler = (params: unknown) => unknown;

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export class IpcEndpoint implements Disposable {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Requests this side is serving, by the sender's id. */
  private readonly serving = new Map<number, AbortController>();
  private readonly requestHandlers = new Map<string, { guard: Guard<unknown>; fn: RequestHandler }>();
  private readonly messageHandlers = new Map<
    string,
    { kind: 'command' | 'notification'; guard: Guard<unknown>; fns: Set<MessageHandler> }
  >();
  private readonly post: (message: WireMessage) => void;
  private readonly opts: IpcEndpointOptions;
  private disposed = false;

  constructor(post: (message: WireMessage) => void, opts: IpcEndpointOptions = {}) {
    this.post = post;
    this.opts = opts;
    if (opts.firstId !== undefined && Number.isSafeInteger(opts.firstId) && opts.firstId > 0)
      this.nextId = opts.firstId;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Number of requests sent and not yet answered (for tests and leak checks). */
  get pendingCount(): number {
    return this.pending.size;
  }

  // ---- sending -------------------------------------------------------------------------------

  request<P, R>(type: RequestType<P, R>, params: P, opts: RequestOptions = {}): Promise<R> {
    if (this.disposed) return Promise.reject(new IpcError('disposed', 'The panel was closed.'));
    if (opts.signal?.aborted) return Promise.reject(new IpcError('cancelled', 'Cancelled.'));
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = (): void => settleWith(new IpcError('cancelled', 'Cancelled.'), true);
      const cleanup = (): void => {
        this.pending.delete(id);
        if (timer !== undefined) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      const settleWith = (e: IpcError, tellOtherSide: boolean): void => {
        if (!this.pending.has(id)) return;
        cleanup();
        if (tellOtherSide) this.send({ ipc: IPC_TAG, kind: 'cancel', id }, type.method);
        reject(e);
      };
      this.pending.set(id, {
        resolve: (r) => {
          cleanup();
          resolve(r as R);
        },
        reject: (e) => settleWith(e, false),
      });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (opts.timeoutMs !== undefined) {
        timer = setTimeout(
          () =>
            settleWith(
              new IpcError('timeout', `No answer to ${type.method} after ${Math.round(opts.timeoutMs! / 1000)} s.`),
              true,
            ),
          opts.timeoutMs,
        );
      }
      if (!this.send({ ipc: IPC_TAG, kind: 'request', id, method: type.method, params }, type.method)) {
        settleWith(new IpcError('disposed', 'The panel was closed.'), false);
      }
    });
  }

  command<P>(type: CommandType<P>, params: P): void {
    this.send({ ipc: IPC_TAG, kind: 'command', method: type.method, params }, type.method);
  }

  notify<P>(type: NotificationType<P>, params: P): void {
    this.send({ ipc: IPC_TAG, kind: 'notification', method: type.method, params }, type.method);
  }

  // ---- receiving -----------------------------------------------------------------------------

  onRequest<P, R>(type: RequestType<P, R>, fn: (params: P, signal: AbortSignal) => R | Promise<R>): Disposable {
    if (this.requestHandlers.has(type.method)) throw new Error(`A handler for ${type.method} is already registered`);
    this.requestHandlers.set(type.method, { guard: type.isParams, fn: fn as RequestHandler });
    return { dispose: () => this.requestHandlers.delete(type.method) };
  }

  onCommand<P>(type: CommandType<P>, fn: (params: P) => unknown): Disposable {
    return this.addMessageHandler('command', type.method, type.isParams, fn as MessageHandler);
  }

  onNotification<P>(type: NotificationType<P>, fn: (params: P) => unknown): Disposable {
    return this.addMessageHandler('notification', type.method, type.isParams, fn as MessageHandler);
  }

  /** Feeds one incoming message; returns false when it is not an IPC message. */
  receive(raw: unknown): boolean {
    if (this.disposed || !isWireMessage(raw)) return false;
    switch (raw.kind) {
      case 'request':
        void this.serve(raw.id, raw.method, raw.params);
        break;
      case 'reply': {
        const p = this.pending.get(raw.id);
        if (!p) break; // cancelled or timed out already
        if (raw.ok) p.resolve(raw.result);
        else p.reject(new IpcError(raw.error.code, raw.error.message));
        break;
      }
      case 'cancel':
        this.serving.get(raw.id)?.abort();
        break;
      case 'command':
      case 'notification': {
        const h = this.messageHandlers.get(raw.method);
        if (!h || h.kind !== raw.kind) {
          this.opts.onUnhandledError?.(
            new IpcError('unknownMethod', `No handler for ${raw.kind} ${raw.method}`),
            raw.method,
          );
          break;
        }
        if (!h.guard(raw.params)) {
          this.opts.onUnhandledError?.(new IpcError('invalidParams', `Invalid params for ${raw.method}`), raw.method);
          break;
        }
        for (const fn of [...h.fns]) {
          try {
            const r = fn(raw.params);
            if (r instanceof Promise) r.catch((e: unknown) => this.opts.onUnhandledError?.(e, raw.method));
          } catch (e) {
            this.opts.onUnhandledError?.(e, raw.method);
          }
        }
        break;
      }
    }
    return true;
  }

  /** Rejects every pending request and aborts every request being served. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of [...this.pending.values()]) p.reject(new IpcError('disposed', 'The panel was closed.'));
    this.pending.clear();
    for (const c of this.serving.values()) c.abort();
    this.serving.clear();
    this.requestHandlers.clear();
    this.messageHandlers.clear();
  }

  private addMessageHandler(
    kind: 'command' | 'notification',
    method: string,
    guard: Guard<unknown>,
    fn: MessageHandler,
  ): Disposable {
    let h = this.messageHandlers.get(method);
    if (!h) {
      h = { kind, guard, fns: new Set() };
      this.messageHandlers.set(method, h);
    }
    h.fns.add(fn);
    const entry = h;
    return { dispose: () => entry.fns.delete(fn) };
  }

  private async serve(id: number, method: string, params: unknown): Promise<void> {
    const h = this.requestHandlers.get(method);
    if (!h) {
      this.reply(id, method, { code: 'unknownMethod', message: `Unknown request ${method}.` });
      return;
    }
    if (!h.guard(params)) {
      this.reply(id, method, { code: 'invalidParams', message: `Invalid parameters for ${method}.` });
      return;
    }
    const controller = new AbortController();
    this.serving.set(id, controller);
    try {
      const result = await h.fn(params, controller.signal);
      if (!controller.signal.aborted) this.send({ ipc: IPC_TAG, kind: 'reply', id, ok: true, result }, method);
    } catch (e) {
      // The sender stopped listening; a reply would be dropped anyway.
      if (!controller.signal.aborted) this.reply(id, method, this.describe(e));
    } finally {
      this.serving.delete(id);
    }
  }

  private reply(id: number, method: string, error: IpcErrorInfo): void {
    this.send({ ipc: IPC_TAG, kind: 'reply', id, ok: false, error }, method);
  }

  private describe(e: unknown): IpcErrorInfo {
    if (e instanceof IpcError) return { code: e.code, message: e.message };
    if (this.opts.describeError) return this.opts.describeError(e);
    return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
  }

  private send(message: WireMessage, method: string): boolean {
    if (this.disposed) return false;
    try {
      this.post(message);
      return true;
    } catch (e) {
      this.opts.onUnhandledError?.(e, method);
      return false;
    }
  }
}
