// How a "Run entry point" becomes a `mlflow run` process: parameter checks by declared type,
// the argv (never a shell string), the params MLflow would have logged, and a display form of
// the command a user could paste into a shell. Pure: no `vscode`.
import { isAbsolute, join } from 'node:path';
import type { EnvManager } from '../shared/settings.ts';
import type { KeyValue } from '../mlflow/types.ts';
import type { EntryPointInfo } from '../../../language-server/src/protocol.ts';
import { escapeHidden, uiText } from '../../../webviews/protocol/displayText.ts';
// The language server renders commands with the same quoting; one copy keeps the two in step.
import { shlexQuote } from '../../../language-server/src/python/shellQuote.ts';

/**
 * Checks a value against the parameter's declared type. MLflow itself checks only `path`
 * (must exist, relative to the process cwd — we spawn in the project dir) and `uri` (must have
 * a scheme); `float`/`int` are checked here because the user declared them, MLflow never does.
 */
export function validateParameterValue(
  type: string,
  value: string,
  projectDir: string,
  exists: (p: string) => boolean,
): string | undefined {
  switch (type) {
    case 'float':
      return value.trim() !== '' && Number.isFinite(Number(value))
        ? undefined
        : `"${value}" is not a number (declared float)`;
    case 'int':
    case 'integer':
    case 'long':
      return /^[+-]?\d+$/.test(value.trim()) ? undefined : `"${value}" is not a whole number (declared ${type})`;
    case 'path': {
      if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(value) && !value.startsWith('file:')) return undefined; // MLflow downloads s3://, gs://, …
      const local = value.startsWith('file://') ? decodeURIComponent(value.slice('file://'.length)) : value;
      if (local.trim() === '') return 'Enter a path';
      const abs = isAbsolute(local) ? local : join(projectDir, local);
      return exists(abs) ? undefined : `No such file or directory: ${abs} (MLflow rejects a missing path)`;
    }
    case 'uri':
      // MLflow's test: urlparse(value).scheme != ''.
      return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(value)
        ? undefined
        : `"${value}" is not a URI: MLflow requires a scheme, e.g. file:///data/x.csv or s3://bucket/key`;
    default:
      return undefined;
  }
}

export interface LaunchRequest {
  projectDir: string;
  entryPoint: string;
  /** Only parameters whose value differs from what MLflow would use anyway need passing. */
  values: Record<string, string>;
  experimentName: string;
  runId: string;
  envManager: EnvManager;
}

/** Arguments after the Python executable: `-m mlflow run …`. Each value is one argv entry. */
export function mlflowRunArgs(req: LaunchRequest): string[] {
  const args = ['-m', 'mlflow', 'run', req.projectDir, '-e', req.entryPoint];
  for (const [k, v] of Object.entries(req.values)) args.push('-P', `${k}=${v}`);
  args.push('--experiment-name', req.experimentName, '--run-id', req.runId, '--env-manager', req.envManager);
  return args;
}

/** The command line as a POSIX shell would read it, for showing the user. */
export function displayCommand(executable: string, args: readonly string[]): string {
  return [executable, ...args].map(shlexQuote).join(' ');
}

/**
 * What `mlflow run` logs as params for a new run: every declared parameter (default filled
 * in) and every extra one, values shell-quoted. With `--run-id` MLflow logs none, so the
 * launcher logs these itself to keep runs from the editor and from the CLI alike.
 */
export function paramsMlflowLogs(
  entry: Pick<EntryPointInfo, 'parameters'>,
  values: Record<string, string>,
): KeyValue[] {
  const out: KeyValue[] = [];
  for (const p of entry.parameters) {
    const v = values[p.name] ?? p.default;
    if (v !== null && v !== undefined) out.push({ key: p.name, value: shlexQuote(v) });
  }
  for (const [k, v] of Object.entries(values))
    if (!entry.parameters.some((p) => p.name === k)) out.push({ key: k, value: shlexQuote(v) });
  return out;
}

/** The last `=== … ===` or error line MLflow printed, to name a failure in one line. */
export function failureLine(output: string): string | undefined {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    const m = /===\s*(.*?)\s*===\s*$/.exec(l);
    if (m && /ERROR/.test(l)) return m[1];
    if (/^(\w+(Error|Exception)|mlflow\.exceptions\.\w+):/.test(l)) return l;
  }
  return undefined;
}

export interface LaunchConfirmation {
  message: string;
  detail: string;
  confirm: string;
}

/**
 * The question to ask before launching when the language server found values that quotes
 * around their placeholder would let the shell expand or split (MLflow quotes each value
 * itself); undefined when there is nothing to ask.
 */
export function quotingConfirmation(
  rendered: { command: string; warnings?: string[] } | { error: string },
): LaunchConfirmation | undefined {
  if (!('command' in rendered) || !rendered.warnings?.length) return undefined;
  return {
    message: `${rendered.warnings.length === 1 ? 'A parameter value' : 'Parameter values'} would not reach the program as typed.`,
    // Values the user typed, shown where VS Code renders text: each paragraph through the display rule.
    detail: [
      ...rendered.warnings,
      'Remove the quotes around the placeholder in the MLproject, or run anyway.',
      `MLflow would run: ${rendered.command}`,
    ]
      .map((p) => uiText(p, 2000))
      .join('\n\n'), // ui-text: each paragraph escaped
    confirm: 'Run Anyway',
  };
}

/**
 * The run terminal's name and the dimmed lines it prints before MLflow's output. Experiment and
 * run names, the rendered command and the error text come from the server or the workspace, and
 * the terminal is xterm.js: an ESC or OSC sequence in them would act (retitle, clear, forge a
 * link), so each line goes through the display rule and the name through uiText.
 */
export function runTerminalHeader(p: {
  entryPoint: string;
  runName: string;
  runId: string;
  commandLine: string;
  rendered: { command: string } | { error: string };
  serverUri: string;
  experimentName: string;
}): { name: string; header: string[] } {
  return {
    name: uiText(`MLflow: ${p.entryPoint} (${p.runName})`),
    header: [
      `$ ${p.commandLine}`,
      'command' in p.rendered
        ? `MLflow runs: ${p.rendered.command}`
        : `MLflow will fail to render the command: ${p.rendered.error}`,
      `Tracking server: ${p.serverUri} · experiment: ${p.experimentName} · run: ${p.runName} (${p.runId})`,
    ].map(escapeHidden),
  };
}
