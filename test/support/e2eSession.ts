// The lifecycle every e2e file shares: a `before` that runs the file's setup (which starts
// code-server) under the failure-artifact guard and opens the workbench on it, artifacts for each
// failing test, and an `after` that closes the browser and stops code-server, keeping its root
// when anything failed. What a file needs beyond that goes in its own setup and teardown.
import { after, afterEach, before } from 'node:test';
import type { CodeServer } from './codeServer.ts';
import { failureArtifacts, Workbench } from './workbench.ts';

export interface E2eSessionOptions {
  /** Starts what the file needs and returns the code-server to open. */
  setup: () => Promise<CodeServer>;
  /** Runs once the workbench is open (a dialog handler, a view to show). */
  afterOpen?: (wb: Workbench) => Promise<void> | void;
  /** Runs before the browser closes (e.g. cut a relay so nothing reconnects while stopping). */
  beforeClose?: () => Promise<void> | void;
  /** Runs after code-server stopped; `allPassed` says whether temp folders may go. */
  teardown?: (allPassed: boolean) => Promise<void> | void;
  /** Logs to keep with a failure's artifacts, read when it happens. */
  extraLogs?: () => (string | undefined)[];
  /** For setup, which may seed a server first. Default 600 s. */
  timeoutMs?: number;
}

export interface E2eSession {
  /** The workbench; throws if setup did not get that far. */
  w(): Workbench;
  /** The code-server; throws if setup did not get that far. */
  cs(): CodeServer;
}

export function e2eSession(label: string, opts: E2eSessionOptions): E2eSession {
  let cs: CodeServer | undefined;
  let wb: Workbench | undefined;
  const artifacts = failureArtifacts(() => ({
    workbench: wb,
    codeServer: cs,
    ...(opts.extraLogs ? { extraLogs: opts.extraLogs() } : {}),
  }));
  before(
    () =>
      artifacts.guard(label, async () => {
        cs = await opts.setup();
        wb = await Workbench.open(cs.url);
        await opts.afterOpen?.(wb);
      }),
    { timeout: opts.timeoutMs ?? 600_000 },
  );
  afterEach((t) => artifacts.afterEach(t));
  after(async () => {
    await opts.beforeClose?.();
    await wb?.close();
    await cs?.stop({ removeRoot: artifacts.allPassed });
    await opts.teardown?.(artifacts.allPassed);
  });
  return {
    w() {
      if (!wb) throw new Error('the workbench did not start');
      return wb;
    },
    cs() {
      if (!cs) throw new Error('code-server did not start');
      return cs;
    },
  };
}
