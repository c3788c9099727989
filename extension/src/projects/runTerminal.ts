// A terminal that runs one `mlflow run` process and streams its output; Ctrl+C or closing the
// terminal stops it (SIGINT first, so MLflow marks the run interrupted rather than leaving it
// RUNNING). The process is spawned with an argument array, never through a shell.
import * as vscode from 'vscode';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last 64 KB of combined output, for naming a failure. */
  tail: string;
}

export interface RunTerminal {
  terminal: vscode.Terminal;
  done: Promise<ProcessResult>;
  stop(): void;
}

export function startRunTerminal(opts: {
  name: string;
  executable: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  header: string[];
}): RunTerminal {
  const write = new vscode.EventEmitter<string>();
  const close = new vscode.EventEmitter<number | void>();
  let child: ChildProcess | undefined;
  let tail = '';
  let finished = false;
  let resolveDone!: (r: ProcessResult) => void;
  const done = new Promise<ProcessResult>((r) => (resolveDone = r));
  const out = (s: string) => write.fire(s.replace(/\r?\n/g, '\r\n'));
  const stop = () => {
    if (!child || finished) return;
    out('\r\n\x1b[33mStopping…\x1b[0m\r\n');
    child.kill('SIGINT');
    const c = child;
    setTimeout(() => !finished && c.kill('SIGTERM'), 5_000).unref();
    setTimeout(() => !finished && c.kill('SIGKILL'), 10_000).unref();
  };

  const pty: vscode.Pseudoterminal = {
    onDidWrite: write.event,
    onDidClose: close.event,
    open: () => {
      for (const line of opts.header) out(`\x1b[2m${line}\x1b[0m\n`);
      out('\n');
      try {
        child = spawn(opts.executable, opts.args, {
          cwd: opts.cwd,
          env: opts.env,
          shell: false,
          windowsHide: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      } catch (e) {
        finished = true;
        out(`\x1b[31m${e instanceof Error ? e.message : String(e)}\x1b[0m\n`);
        resolveDone({ code: -1, signal: null, tail: String(e) });
        return;
      }
      const onData = (d: Buffer) => {
        const s = d.toString('utf8');
        tail = (tail + s).slice(-65_536);
        out(s);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.on('error', (e) => {
        tail += `\n${e.message}`;
        out(`\x1b[31m${e.message}\x1b[0m\n`);
      });
      child.on('close', (code, signal) => {
        finished = true;
        const ok = code === 0;
        out(
          `\n\x1b[${ok ? 32 : 31}m${ok ? 'Finished' : `Exited with ${signal ?? `code ${code}`}`}.\x1b[0m Press any key to close this terminal.\n`,
        );
        resolveDone({ code, signal, tail });
      });
    },
    close: () => stop(),
    handleInput: (data) => {
      if (finished) close.fire();
      else if (data === '\x03') stop();
    },
  };
  const terminal = vscode.window.createTerminal({ name: opts.name, pty, iconPath: new vscode.ThemeIcon('beaker') });
  void done.finally(() => {
    write.dispose();
  });
  return { terminal, done, stop };
}
