// Waiting on a condition in tests and harnesses: look again every `intervalMs` until it holds or
// the deadline passes, and then say what was awaited and what was last seen. Never a fixed sleep.
import { setTimeout as sleep } from 'node:timers/promises';

/** What a probe returns while the condition does not hold yet. */
type NotYet = false | undefined | null;

export interface PollOptions {
  /** Give up after this long. Default 15 s. */
  timeoutMs?: number;
  /** Between looks. Default 100 ms. */
  intervalMs?: number;
}

export interface WaitOptions extends PollOptions {
  /** What was seen last, for the timeout message (a log tail, the labels shown). */
  lastSeen?: () => string | Promise<string>;
}

/**
 * Looks with `probe` until it returns something other than false/undefined/null and returns
 * that; undefined once `timeoutMs` has passed (for a caller that then escalates, e.g. SIGKILL).
 * A probe that throws ends the wait with its error: a process that exited is not worth waiting
 * on. A probe that expects failures while something starts catches them and returns false.
 */
export async function pollUntil<T>(
  probe: () => T | Promise<T>,
  opts: PollOptions = {},
): Promise<Exclude<T, NotYet> | undefined> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  for (;;) {
    const value = await probe();
    if (value !== false && value !== undefined && value !== null) return value as Exclude<T, NotYet>;
    if (Date.now() > deadline) return undefined;
    await sleep(opts.intervalMs ?? 100);
  }
}

/** pollUntil, failing on the deadline with `Timed out after N s waiting for <what>` and what was last seen. */
export async function waitUntil<T>(
  what: string,
  probe: () => T | Promise<T>,
  opts: WaitOptions = {},
): Promise<Exclude<T, NotYet>> {
  const value = await pollUntil(probe, opts);
  if (value !== undefined) return value;
  const seen = opts.lastSeen ? await opts.lastSeen() : '';
  throw new Error(
    `Timed out after ${(opts.timeoutMs ?? 15_000) / 1000} s waiting for ${what}${seen ? `; last seen:\n${seen}` : ''}`,
  );
}
