// Child processes that tests start in their own process group (detached), so one signal reaches
// them and everything they spawned (code-server's extension host, the language server, mlflow's
// workers). If the test process dies first (Ctrl+C, CI timeout), `after()` hooks never run; the
// exit and signal handlers here still kill every group that was not stopped.
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { pollUntil } from './waitUntil.ts';

const live = new Set<number>();
let handlersInstalled = false;

function killNow(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Blocks the thread for `ms` (exit and signal handlers cannot await). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Stops every tracked group without awaiting: SIGTERM, up to `graceMs` for them to exit (so
 * code-server and mlflow can shut down their workers), then SIGKILL.
 */
export function stopAllSync(graceMs = 3_000): void {
  for (const pgid of live) {
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      live.delete(pgid);
    }
  }
  const deadline = Date.now() + graceMs;
  while ([...live].some(groupAlive) && Date.now() < deadline) sleepSync(50);
  for (const pgid of live) killNow(pgid);
  live.clear();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', () => stopAllSync());
  const codes: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // A listener replaces Node's default "exit on signal", so exit ourselves after cleaning up
    // ('exit' listeners, e.g. a CLI removing its temp root, still run).
    process.once(sig, () => {
      stopAllSync();
      process.exit(codes[sig] ?? 1);
    });
  }
}

/** Registers a detached child so it dies with the test process. */
export function trackGroup(child: ChildProcess): number {
  const pid = child.pid;
  if (pid === undefined) throw new Error('the child process has no pid (spawn failed)');
  installHandlers();
  // Tracked until stopGroup(), not until the leader exits: its children may still hold the group.
  live.add(pid);
  return pid;
}

/**
 * Whether any member of the group is still running. Zombies do not count: in a container whose
 * PID 1 does not reap orphans they linger forever, and `kill(-pgid, 0)` would still succeed.
 */
export function groupAlive(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${e}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[2] === String(pgid) && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

/** SIGTERM the group, wait up to `graceMs` for every member to exit, then SIGKILL what is left. */
export async function stopGroup(pgid: number, graceMs = 10_000): Promise<void> {
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    live.delete(pgid);
    return;
  }
  const gone = () => !groupAlive(pgid);
  if (!(await pollUntil(gone, { timeoutMs: graceMs, intervalMs: 50 }))) killNow(pgid);
  // SIGKILL is not instant either; a stopped harness must not leave a port or file busy behind it.
  await pollUntil(gone, { timeoutMs: 5_000, intervalMs: 20 });
  live.delete(pgid);
}
