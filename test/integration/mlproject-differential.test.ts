// Differential test: for every MLproject fixture, real MLflow (scripts/mlproject_verdict.py, one
// Python process for the whole corpus) and our validator must agree on accept/reject
// (some `mlflow run` succeeds ⇔ no Error diagnostic), and where MLflow raises with its own
// message our error must carry that message. A project that fails only with its defaults (-P
// for every parameter runs) must get a Warning carrying MLflow's message instead.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { validateMlproject, validateModel } from '../../language-server/src/features/validate.ts';
import { buildMlprojectModel, findEntryPoint } from '../../language-server/src/model/mlprojectModel.ts';
import { renderEntryPointCommand } from '../../language-server/src/features/renderCommand.ts';
import { nodeProjectFiles } from '../../language-server/src/model/nodeProjectFiles.ts';
import { Severity } from '../../language-server/src/features/diagnostics.ts';

const root = resolve(import.meta.dirname, '../..');
const fixturesDir = join(root, 'test/fixtures/mlproject');
const verdictScript = join(root, 'scripts/mlproject_verdict.py');

function findPython(): string {
  const candidates = [
    process.env.MLFLOW_VENV,
    join(homedir(), '.cache/mlflow-vscode-e2e/mlflow-venv-3.18.0'),
    // What scripts/tools.sh installs when 3.18.0's dependencies are not served.
    join(homedir(), '.cache/mlflow-vscode-e2e/mlflow-venv'),
  ].filter((c): c is string => !!c);
  for (const venv of candidates) {
    const python = join(venv, 'bin/python');
    if (existsSync(python) && existsSync(join(venv, 'bin/mlflow'))) return python;
  }
  throw new Error(
    `No Python venv with MLflow found (tried ${candidates.join(', ')}). Run \`bash scripts/tools.sh\` or set MLFLOW_VENV.`,
  );
}

interface Verdict {
  /** Some invocation runs: with the defaults, or with -P for every parameter. */
  accepted: boolean;
  error?: string;
  /** Why the run with the defaults failed, when overriding them all succeeds. */
  defaults_error?: string;
  /** compute_command's output per entry point, with required values and EXTRA. */
  commands?: Record<string, string>;
}

// Must match scripts/mlproject_verdict.py.
const EXTRA: Record<string, string> = { 'extra key': "it's $HOME" };
const valueFor = (type: string): string => (type === 'path' ? '.' : type === 'uri' ? 'file:///tmp' : 'x');

const cases = readdirSync(fixturesDir)
  .filter((d) => statSync(join(fixturesDir, d)).isDirectory())
  .sort();
let verdicts: Record<string, Verdict> = {};
let mlflowVersion = '';

before(async () => {
  const python = findPython();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const child = spawn(python, [verdictScript, ...cases.map((c) => join(fixturesDir, c))], { shell: false, cwd: root });
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const code = await new Promise<number | null>((res, rej) => {
    child.on('error', rej);
    child.on('close', res);
  });
  assert.equal(code, 0, `verdict script failed: ${Buffer.concat(err).toString()}`);
  const parsed = JSON.parse(Buffer.concat(out).toString()) as Record<string, unknown>;
  mlflowVersion = String(parsed.__mlflow_version__);
  delete parsed.__mlflow_version__;
  verdicts = parsed as Record<string, Verdict>;
});

/** Set reprs such as {'python_env', 'conda_env'} have process-dependent order. */
function normaliseSets(s: string): string {
  return s.replace(/\{('[^']*'(?:, '[^']*')+)\}/g, (_, items: string) => `{${items.split(', ').sort().join(', ')}}`);
}

// Exceptions whose text MLflow or Python owns and that our message must repeat. PyYAML's own
// errors (ScannerError, ParserError, …) carry file positions instead, and RecursionError's text
// says nothing useful, so those are compared on accept/reject only.
const OWN_MESSAGE =
  /^(ExecutionException|MlflowException|KeyError|ValueError|IndexError|AttributeError|TypeError): ([\s\S]*)$/;

test('the corpus is large and covers both outcomes', () => {
  assert.ok(cases.length >= 60, `only ${cases.length} fixtures`);
  const accepted = cases.filter((c) => verdicts[c]?.accepted).length;
  assert.ok(accepted >= 20 && cases.length - accepted >= 20, `accepted ${accepted} of ${cases.length}`);
  assert.match(mlflowVersion, /^3\./);
  // The names say what MLflow does, so a fixture that changes outcome is noticed here.
  for (const c of cases) {
    const v = verdicts[c];
    const outcome = !v?.accepted ? 'invalid' : v.defaults_error ? 'default-only' : 'valid';
    assert.ok(c.startsWith(`${outcome}-`), `${c}: MLflow's outcome is ${outcome}`);
  }
  assert.ok(cases.filter((c) => c.startsWith('default-only-')).length >= 5);
});

let agreed = 0;
after(() => console.log(`MLflow ${mlflowVersion} and the validator agree on ${agreed} of ${cases.length} MLprojects`));

for (const name of cases) {
  test(`MLflow and the validator agree on ${name}`, () => {
    const verdict = verdicts[name];
    assert.ok(verdict, `no verdict for ${name}`);
    const dir = join(fixturesDir, name);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(join(dir, 'MLproject')));
    const diagnostics = validateMlproject(text, { projectDir: dir, files: nodeProjectFiles });
    const errors = diagnostics.filter((d) => d.severity === Severity.Error);
    const describe = (): string =>
      `MLflow ${mlflowVersion}: ${verdict.accepted ? `accepted${verdict.defaults_error ? ` (only -P overrides; the defaults fail: ${verdict.defaults_error})` : ''}` : `rejected (${verdict.error})`}\nours:\n${diagnostics
        .map(
          (d) => `  [${d.severity}] ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}: ${d.message}`,
        )
        .join('\n')}`;
    assert.equal(errors.length === 0, verdict.accepted, describe());
    const failure = verdict.accepted ? verdict.defaults_error : verdict.error;
    const reported = verdict.accepted ? diagnostics.filter((d) => d.severity === Severity.Warning) : errors;
    if (failure) {
      const m = OWN_MESSAGE.exec(failure);
      if (m && m[2]) {
        const expected = normaliseSets(m[1] === 'KeyError' ? `KeyError: ${m[2]}` : m[2]);
        assert.ok(
          reported.some((d) => normaliseSets(d.message).includes(expected)),
          `no ${verdict.accepted ? 'warning' : 'error'} repeats MLflow's message ${JSON.stringify(expected)}\n${describe()}`,
        );
      }
    }
    agreed++;
  });
}

test('the rendered command equals MLflow’s compute_command for every entry point of every valid fixture', () => {
  let compared = 0;
  for (const name of cases) {
    const verdict = verdicts[name];
    if (!verdict?.accepted || !verdict.commands) continue;
    const dir = join(fixturesDir, name);
    const model = buildMlprojectModel(readFileSync(join(dir, 'MLproject'), 'utf8'));
    const ctx = { projectDir: dir, files: nodeProjectFiles };
    const diagnostics = validateModel(model, ctx);
    for (const [entryPoint, expected] of Object.entries(verdict.commands)) {
      const ep = findEntryPoint(model, entryPoint);
      assert.ok(ep, `${name}: no entry point ${entryPoint}`);
      const values: Record<string, string> = {};
      for (const p of ep.parameters) if (p.required) values[p.name] = valueFor(p.type);
      const rendered = renderEntryPointCommand(model, diagnostics, entryPoint, { ...values, ...EXTRA }, ctx);
      // Warnings (a quoted placeholder) ride along; the command itself must be MLflow's.
      assert.equal('command' in rendered ? rendered.command : rendered.error, expected, `${name} / ${entryPoint}`);
      compared++;
    }
  }
  assert.ok(compared >= 40, `only ${compared} commands compared`);
  console.log(`compared ${compared} rendered commands with MLflow's`);
});
