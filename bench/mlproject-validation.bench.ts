// Validation latency on a ~300-line MLproject: our language server vs yaml-language-server (the
// baseline), both driven by the same LSP client code over stdio. Each of N edits is a
// didChange; the time measured is until publishDiagnostics for that version arrives. Three kinds
// of edit: typing in a value and in a key (our server patches its previous parse), and adding or
// removing a line (both servers parse the whole file again).
// Run: node bench/mlproject-validation.bench.ts [edits]
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import * as rpc from 'vscode-jsonrpc/node';
import { validateMlproject } from '../language-server/src/validate.ts';
import { languageServerBuild } from '../scripts/bundles.mjs';

const root = resolve(import.meta.dirname, '..');
const EDITS = Number(process.argv[2] ?? 200);
const WARMUP = 10;

/** A realistic MLproject of about 300 lines: many entry points, typed parameters, long commands. */
function generateMlproject(): string {
  const lines = ['name: recommender-pipeline', '', 'python_env: python_env.yaml', '', 'entry_points:'];
  const types = ['float', 'int', 'string', 'path', 'uri'];
  for (let e = 0; lines.length < 290; e++) {
    lines.push(`  # stage ${e}`, `  stage_${e}:`, '    parameters:');
    const names: string[] = [];
    for (let p = 0; p < 6; p++) {
      const name = `param_${e}_${p}`;
      names.push(name);
      const type = types[(e + p) % types.length] ?? 'string';
      const def = type === 'float' ? '0.5' : type === 'int' ? String(10 + p) : type === 'path' ? 'data' : type === 'uri' ? '"s3://bucket/stage"' : 'default';
      lines.push(p === 5 ? `      ${name}: ${type}` : `      ${name}: {type: ${type}, default: ${def}}`);
    }
    lines.push(`    command: "python stage_${e}.py ${names.map((n) => `--${n.replace(/_/g, '-')} {${n}}`).join(' ')}"`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

interface Server {
  name: string;
  command: string[];
  languageId: string;
  settings: (section: string | undefined) => unknown;
}

interface Session {
  conn: rpc.MessageConnection;
  child: ChildProcess;
  nextPublication: (uri: string, version: number) => Promise<void>;
}

async function startSession(server: Server): Promise<Session> {
  const child = spawn(process.execPath, server.command, { cwd: root, stdio: ['pipe', 'pipe', 'ignore'], shell: false });
  const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout!), new rpc.StreamMessageWriter(child.stdin!));
  let waiting: { uri: string; version: number; resolve: () => void } | undefined;
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number }) => {
    // yaml-language-server omits the version; edits are sequential, so the next one is it.
    if (waiting && p.uri === waiting.uri && (p.version === undefined || p.version === waiting.version)) {
      const w = waiting;
      waiting = undefined;
      w.resolve();
    }
  });
  conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) => p.items.map((i) => server.settings(i.section)));
  conn.onRequest((_method: string) => null);
  conn.onNotification((_method: string) => undefined);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  await conn.sendNotification('initialized', {});
  return {
    conn,
    child,
    nextPublication: (uri, version) => new Promise<void>((res) => (waiting = { uri, version, resolve: res })),
  };
}

/** CPU time (user + system) a process has used, from /proc; undefined where there is no /proc. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 12 and 13 after the command name; 100 ticks/s.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

interface Position {
  line: number;
  character: number;
}

interface Scenario {
  name: string;
  /** Where the edits happen. */
  locate: (text: string) => Position;
  /** The i-th edit: a range of the current document and its replacement. */
  edit: (i: number, at: Position) => { range: { start: Position; end: Position }; text: string };
}

const EXTRA_LINE = '      extra_param: {type: string, default: x}';

const SCENARIOS: Scenario[] = [
  {
    name: 'value edits',
    locate: (text) => {
      const lines = text.split('\n');
      const line = lines.findIndex((l) => l.includes('default: 0.5'));
      return { line, character: (lines[line] ?? '').indexOf('0.5') + 2 };
    },
    edit: (i, at) => ({ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: String(i % 10) }),
  },
  {
    name: 'key edits',
    locate: (text) => {
      const lines = text.split('\n');
      const line = lines.findIndex((l) => /^ {6}param_\d+_1:/.test(l));
      return { line, character: (lines[line] ?? '').indexOf(':') - 1 };
    },
    // Alternates between the declared name and one the command does not use.
    edit: (i, at) => ({ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: i % 2 === 0 ? 'x' : '1' }),
  },
  {
    name: 'line edits',
    locate: (text) => {
      const lines = text.split('\n');
      const line = lines.findIndex((l) => /^ {6}param_\d+_1:/.test(l));
      return { line, character: (lines[line] ?? '').length };
    },
    // Adds a parameter line, then removes it: the structure changes, so both servers re-parse.
    edit: (i, at) =>
      i % 2 === 0
        ? { range: { start: at, end: at }, text: `\n${EXTRA_LINE}` }
        : { range: { start: at, end: { line: at.line + 1, character: EXTRA_LINE.length } }, text: '' },
  },
];

async function measure(server: Server, text: string, dir: string, scenario: Scenario): Promise<{ times: number[]; cpuPerEdit: number | undefined }> {
  const s = await startSession(server);
  const uri = pathToFileURL(join(dir, server.languageId === 'yaml' ? 'MLproject.yaml' : 'MLproject')).toString();
  const opened = s.nextPublication(uri, 1);
  await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: server.languageId, version: 1, text } });
  await opened;
  const at = scenario.locate(text);
  const times: number[] = [];
  let cpuStart: number | undefined;
  for (let i = 0; i < EDITS + WARMUP; i++) {
    if (i === WARMUP) cpuStart = cpuMs(s.child.pid);
    const version = i + 2;
    const published = s.nextPublication(uri, version);
    const started = performance.now();
    await s.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [scenario.edit(i, at)],
    });
    await published;
    if (i >= WARMUP) times.push(performance.now() - started);
  }
  const cpuEnd = cpuMs(s.child.pid);
  await s.conn.sendRequest('shutdown');
  await s.conn.sendNotification('exit');
  s.conn.dispose();
  s.child.kill();
  return { times: times.sort((a, b) => a - b), cpuPerEdit: cpuStart !== undefined && cpuEnd !== undefined ? (cpuEnd - cpuStart) / EDITS : undefined };
}

async function main(): Promise<void> {
  await esbuild.build({ ...languageServerBuild(root), logLevel: 'warning' });
  const yamlLs = join(root, 'node_modules/yaml-language-server/bin/yaml-language-server');
  if (!existsSync(yamlLs)) throw new Error('yaml-language-server is not installed (npm ci)');
  const text = generateMlproject();
  const dir = mkdtempSync(join(tmpdir(), 'mlproject-bench-'));
  writeFileSync(join(dir, 'python_env.yaml'), 'python: "3.11"\n');
  const servers: Server[] = [
    {
      name: 'yaml-language-server 2.0.0',
      command: [yamlLs, '--stdio'],
      languageId: 'yaml',
      // No schema store: the machine may be offline, and schemas are not what is measured.
      settings: (section) => (section === 'yaml' ? { validate: true, hover: false, completion: false, format: { enable: false }, schemas: {}, schemaStore: { enable: false } } : null),
    },
    {
      name: 'mlproject-language-server',
      command: [join(root, 'dist/language-server.js'), '--stdio'],
      languageId: 'mlproject',
      settings: (section) => (section === 'mlflow.mlproject' ? { hintUncheckedTypes: true } : null),
    },
  ];
  const results: Array<{ scenario: string; name: string; p50: number; p99: number; cpu: number | undefined }> = [];
  try {
    for (const scenario of SCENARIOS) {
      for (const server of servers) {
        const { times, cpuPerEdit } = await measure(server, text, dir, scenario);
        results.push({ scenario: scenario.name, name: server.name, p50: percentile(times, 50), p99: percentile(times, 99), cpu: cpuPerEdit });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // A full parse and validation in process, without LSP, for reference.
  const inProcess: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const started = performance.now();
    validateMlproject(text.replace('default: 0.5', `default: 0.${i % 10}`));
    inProcess.push(performance.now() - started);
  }
  inProcess.sort((a, b) => a - b);

  console.log(`MLproject validation latency: ${text.split('\n').length - 1} lines, ${EDITS} edits per run (didChange → publishDiagnostics), after ${WARMUP} warm-up edits`);
  console.log('');
  const rows: string[][] = [['edits', 'server', 'p50 ms', 'p99 ms', 'ratio p50', 'ratio p99', 'server CPU ms/edit', 'ratio CPU']];
  for (const scenario of SCENARIOS) {
    const baseline = results.find((r) => r.scenario === scenario.name);
    for (const r of results.filter((x) => x.scenario === scenario.name)) {
      rows.push([
        scenario.name,
        r.name,
        r.p50.toFixed(1),
        r.p99.toFixed(1),
        baseline ? (r.p50 / baseline.p50).toFixed(3) : '',
        baseline ? (r.p99 / baseline.p99).toFixed(3) : '',
        r.cpu === undefined ? 'n/a' : r.cpu.toFixed(1),
        baseline?.cpu && r.cpu !== undefined ? (r.cpu / baseline.cpu).toFixed(3) : '',
      ]);
    }
  }
  rows.push(['(reference)', 'validateMlproject, full parse, in process', percentile(inProcess, 50).toFixed(1), percentile(inProcess, 99).toFixed(1), '', '', '', '']);
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
  console.log('');
  console.log('Ratios are against yaml-language-server (syntax validation only, no schema), which waits a fixed 200 ms');
  console.log('(validationDelayMs) before validating; ours validates as soon as the event loop is idle and coalesces bursts.');
  console.log('Server CPU ms/edit (from /proc) depends less on machine load than wall-clock latency does.');
  for (const scenario of SCENARIOS) {
    const [base, ours] = results.filter((x) => x.scenario === scenario.name);
    if (base && ours) console.log(`Target ours <= 0.2x baseline (${scenario.name}): p50 ${(ours.p50 / base.p50).toFixed(3)}x — ${ours.p50 <= 0.2 * base.p50 ? 'met' : 'NOT met'}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
