// Typed failures of a tracking-server call. Every one carries a message written for the user
// (MLflow's own text where the server sent one) so callers can show `error.message` as is.

export type MlflowErrorKind =
  | 'api' // the server answered with an MLflow error (JSON error_code + message)
  | 'auth' // 401/403: credentials missing, wrong, or not allowed
  | 'network' // no answer at all: refused, DNS, reset
  | 'timeout' // the server stalled past the request timeout
  | 'response' // the server answered, but not with what an MLflow server sends
  | 'limit' // the answer passed a bound that protects this machine (size, pages, a stalled download)
  | 'cancelled'; // the caller abandoned the request

export class MlflowError extends Error {
  readonly kind: MlflowErrorKind;
  /** HTTP status when the server answered. */
  readonly status: number | undefined;
  /** MLflow's error_code (e.g. INVALID_PARAMETER_VALUE) when the body carried one. */
  readonly errorCode: string | undefined;

  constructor(
    kind: MlflowErrorKind,
    message: string,
    opts: { status?: number; errorCode?: string; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'MlflowError';
    this.kind = kind;
    this.status = opts.status;
    this.errorCode = opts.errorCode;
  }

  /** Whether trying again later can help (the server or the network, not the request). */
  get transient(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || (this.status !== undefined && this.status >= 500);
  }

  get notFound(): boolean {
    return this.errorCode === 'RESOURCE_DOES_NOT_EXIST' || this.errorCode === 'NOT_FOUND';
  }
}

export function isMlflowError(e: unknown): e is MlflowError {
  return e instanceof MlflowError;
}

export function isCancellation(e: unknown): boolean {
  return e instanceof MlflowError && e.kind === 'cancelled';
}

/** A message for any thrown value, without stacks: safe to show in the UI. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
