// Fuzz: thousands of mutated MLprojects plus hostile inputs (binary junk, a 5 MB file, deep
// nesting, tabs, alias bombs, duplicate keys, empty) through every pure entry point of the server.
// Nothing may throw and every diagnostic must be well formed; how long each takes is measured in
// bench/mlproject-scale.bench.ts, not asserted here (the machine is shared). Deterministic: the
// PRNG seed is fixed (FUZZ_SEED overrides it to explore).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildMlprojectModel, MAX_ANALYSED_CHARS } from '../../../language-server/src/model/mlprojectModel.ts';
import { validateModel } from '../../../language-server/src/features/validate.ts';
import { completeMlproject } from '../../../language-server/src/features/complete.ts';
import { hoverMlproject } from '../../../language-server/src/features/hover.ts';
import { documentSymbols } from '../../../language-server/src/features/symbols.ts';
import { findDefinition } from '../../../language-server/src/features/definition.ts';
import {
  parameterReferences,
  prepareRename,
  RenameError,
  renameParameter,
} from '../../../language-server/src/features/references.ts';
import { quickFixes } from '../../../language-server/src/features/codeActions.ts';
import { codeLenses } from '../../../language-server/src/features/codeLenses.ts';
import { describeEntryPoints } from '../../../language-server/src/features/entryPointsInfo.ts';
import { renderEntryPointCommand } from '../../../language-server/src/features/renderCommand.ts';
import { applyEdits, memoryProject, mulberry32, repoRoot } from './support.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const MUTANTS = Number(process.env.FUZZ_COUNT ?? 2500);

const ctx = memoryProject({
  'python_env.yaml': 'python: 3.10\n',
  'conda.yaml': 'name: x\n',
  'train.py': '',
  'data/in.csv': '',
});

function assertWellFormed(text: string, label: string): void {
  const model = buildMlprojectModel(text);
  const lines = model.lines;
  const diagnostics = validateModel(model, ctx);
  for (const d of diagnostics) {
    assert.ok([1, 2, 3, 4].includes(d.severity ?? 0), `${label}: severity ${d.severity}`);
    assert.equal(typeof d.message, 'string');
    assert.ok(d.message.length > 0, `${label}: empty message`);
    const { start, end } = d.range;
    assert.ok(
      start.line >= 0 && start.character >= 0 && end.line < lines.lineCount,
      `${label}: range out of document ${JSON.stringify(d.range)}`,
    );
    assert.ok(
      start.line < end.line || (start.line === end.line && start.character <= end.character),
      `${label}: inverted range`,
    );
    assert.ok(lines.offsetAt(end) <= text.length);
  }
  const rnd = mulberry32(text.length);
  for (let k = 0; k < 3; k++) {
    const offset = Math.floor(rnd() * (text.length + 1));
    completeMlproject(model, offset, ctx);
    hoverMlproject(model, offset);
    findDefinition(model, offset, ctx);
    parameterReferences(model, offset, true);
    try {
      if (prepareRename(model, offset)) renameParameter(model, offset, 'renamed_param');
    } catch (e) {
      if (!(e instanceof RenameError)) throw e;
    }
  }
  documentSymbols(model);
  codeLenses(model, 'file:///proj/MLproject');
  describeEntryPoints(model, diagnostics, '/proj');
  for (const ep of model.entryPoints.slice(0, 5)) {
    renderEntryPointCommand(model, diagnostics, ep.name, { x: "it's", [ep.parameters[0]?.name ?? 'p']: 'v a l' }, ctx);
  }
  const fixes = quickFixes(diagnostics, {
    start: { line: 0, character: 0 },
    end: { line: lines.lineCount, character: 0 },
  });
  const first = fixes[0];
  if (first) validateModel(buildMlprojectModel(applyEdits(text, first.edits)), ctx);
}

function seeds(): string[] {
  const dir = join(repoRoot, 'test/fixtures/mlproject');
  return readdirSync(dir)
    .map((d) => join(dir, d, 'MLproject'))
    .filter((p) => existsSync(p))
    .map((p) => readFileSync(p, 'utf8'))
    .filter((t) => t.length < 20_000);
}

const PIECES = [
  ' ',
  '  ',
  '\t',
  ':',
  ': ',
  '-',
  '- ',
  '[',
  ']',
  '{',
  '}',
  '#',
  ' #',
  "'",
  '"',
  '|',
  '>',
  '|-',
  '>+',
  '&a ',
  '*a',
  '&b ',
  '*b',
  '!',
  '!!str ',
  '!!int ',
  '!!set ',
  '!foo ',
  '%YAML 1.1\n',
  '@',
  '`',
  ',',
  '\n',
  '\n  ',
  '\n    ',
  '\r\n',
  '\r',
  '?',
  '? ',
  '<<: ',
  '<<: *a\n',
  '=',
  'yes',
  'on',
  '010',
  '12:30',
  '.inf',
  '2020-13-01',
  '1e-3',
  '\\',
  '---\n',
  '...\n',
  'é',
  '😀',
  '\u2028',
  '\x85',
  '\u0000',
  '\u0007',
  '\uD800',
  '\uFEFF',
  '{alpha}',
  '{}',
  '{0}',
  '${HOME}',
  '{a:.2f}',
  '{a!r}',
  '{a.b}',
  '}}',
  '{{',
  'entry_points:',
  'parameters:',
  'command:',
  'python_env:',
  'docker_env:',
  'conda_env:',
  'databricks_spark_job:',
  'type: path',
  'default:',
  'default: null',
  'type: uri',
  'image: x',
  'name: n',
  'main:',
  'python train.py',
  '9'.repeat(5000),
];

function mutate(text: string, rnd: () => number): string {
  let s = text;
  const ops = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < ops; k++) {
    const pos = Math.floor(rnd() * (s.length + 1));
    const r = rnd();
    if (r < 0.45) s = s.slice(0, pos) + (PIECES[Math.floor(rnd() * PIECES.length)] ?? '') + s.slice(pos);
    else if (r < 0.7) s = s.slice(0, pos) + s.slice(pos + 1 + Math.floor(rnd() * 8));
    else if (r < 0.8) {
      const lines = s.split('\n');
      const i = Math.floor(rnd() * lines.length);
      lines.splice(i, 0, lines[Math.floor(rnd() * lines.length)] ?? '');
      s = lines.join('\n');
    } else if (r < 0.88) {
      const lines = s.split('\n');
      const i = Math.floor(rnd() * lines.length);
      lines[i] = (rnd() < 0.5 ? '  ' : '') + (lines[i] ?? '').replace(/^ {1,2}/, '');
      s = lines.join('\n');
    } else if (r < 0.94) s = s.slice(0, pos);
    else s = s.slice(0, pos) + String.fromCharCode(Math.floor(rnd() * 0x10000)) + s.slice(pos);
  }
  return s;
}

test(`${MUTANTS} mutated MLprojects (seed ${SEED}): no throw, well-formed diagnostics`, () => {
  const rnd = mulberry32(SEED);
  const base = seeds();
  assert.ok(base.length >= 60);
  for (let i = 0; i < MUTANTS; i++) {
    const doc = mutate(base[Math.floor(rnd() * base.length)] ?? '', rnd);
    assertWellFormed(doc, `mutant ${i} ${JSON.stringify(doc.slice(0, 200))}`);
  }
});

test('empty and whitespace-only documents', () => {
  for (const t of ['', ' ', '\n', '\r\n', '\t', '#', '---', '...', '\uFEFF']) assertWellFormed(t, JSON.stringify(t));
});

test('binary junk', () => {
  const rnd = mulberry32(SEED + 1);
  for (let n = 0; n < 20; n++) {
    let junk = '';
    const len = 1 + Math.floor(rnd() * 65_536);
    for (let i = 0; i < len; i++) junk += String.fromCharCode(Math.floor(rnd() * 256));
    assertWellFormed(junk, `junk ${n}`);
  }
  let wide = '';
  for (let i = 0; i < 50_000; i++) wide += String.fromCharCode(Math.floor(rnd() * 0x10000));
  assertWellFormed(wide, 'random UTF-16 units incl. lone surrogates');
});

test('a 5 MB file is over the analysis cap and says so; a realistic one just under the cap is analysed', () => {
  const entry = (i: number): string =>
    `  ep${i}:\n    parameters:\n      alpha: {type: float, default: 0.5}\n      data: {type: path, default: data/in.csv}\n    command: "python train.py --alpha {alpha} --data {data} --x {nope}"\n`;
  let big = 'name: big\nentry_points:\n';
  for (let i = 0; big.length < 5 * 1024 * 1024; i++) big += entry(i);
  const model = buildMlprojectModel(big);
  const diagnostics = validateModel(model, ctx);
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ['too-large'],
  );
  assertWellFormed(big, '5 MB');
  const nearCap = big.slice(0, big.lastIndexOf('\n  ep', MAX_ANALYSED_CHARS - 1000) + 1);
  assert.ok(nearCap.length > MAX_ANALYSED_CHARS * 0.9);
  const near = validateModel(buildMlprojectModel(nearCap), ctx);
  // Analysed: every entry point's undeclared {nope} is found (up to the diagnostics cap).
  assert.ok(near.some((d) => d.code === 'placeholder-undeclared'));
  assert.ok(!near.some((d) => d.code === 'too-large'));
});

test('deep nesting: flow, block and mixed', () => {
  assertWellFormed(`a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'flow 100k');
  assertWellFormed(`a: ${'{a: '.repeat(20_000)}x${'}'.repeat(20_000)}`, 'flow maps 20k');
  assertWellFormed(Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'), 'block 1500');
  assertWellFormed(Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i)}-`).join('\n'), 'sequence 1500');
  assertWellFormed(
    `entry_points:\n  main:\n    parameters:\n      p: {default: ${'['.repeat(450)}1${']'.repeat(450)}}\n    command: echo {p}\n`,
    'deep default',
  );
});

test('tabs everywhere', () => {
  assertWellFormed('name:\tx\nentry_points:\n\tmain:\n\t\tcommand:\tpython\ttrain.py\n', 'tabs');
  assertWellFormed('a:\t1\n'.repeat(100_000), 'a tab per line');
});

test('alias bombs ("billion laughs") used as entry points, parameters, defaults and commands', () => {
  let laughs = 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i <= 40; i++)
    laughs += `l${i}: &l${i} [${Array(10)
      .fill(`*l${i - 1}`)
      .join(', ')}]\n`;
  const params = `ps: &ps\n${Array.from({ length: 300 }, (_, i) => `  p${i}: {type: string, default: *l40}`).join('\n')}\n`;
  const entries = `entry_points:\n${Array.from({ length: 300 }, (_, i) => `  e${i}: {parameters: *ps, command: &c${i} "echo {p0} {missing}"}`).join('\n')}\n`;
  assertWellFormed(laughs, 'laughs');
  assertWellFormed(laughs + params + entries, 'laughs as 300 x 300 parameters');
  const merged = `base: &b {a: 1, b: 2}\n${Array.from({ length: 2000 }, (_, i) => `m${i}: &m${i} {<<: [*b${i > 0 ? `, *m${i - 1}` : ''}], k${i}: ${i}}`).join('\n')}\n`;
  assertWellFormed(merged, 'chained merge keys');
  assertWellFormed(
    'a: &a [*a, *a]\nentry_points: &e {main: {parameters: {x: {default: *a}}, command: "{x}"}, again: *e}\n',
    'cycles',
  );
});

test('thousands of duplicate keys and long lines', () => {
  assertWellFormed(`entry_points:\n${'  main:\n    command: echo\n'.repeat(5000)}`, 'duplicate entry points');
  assertWellFormed(`entry_points:\n  main:\n    command: "${'{x} '.repeat(50_000)}"\n`, '50k placeholders');
  assertWellFormed(`name: ${'x'.repeat(900_000)}\n`, 'a 900 KB line');
});
