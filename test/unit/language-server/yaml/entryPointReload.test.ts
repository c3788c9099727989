// Re-parsing only the entry point an edit touches must give exactly what a full parse gives, or
// decline. A scripted typing session, line and key edits and random mutations are applied both
// ways to a generated MLproject and to every fixture, and compared: Python repr, diagnostics
// (with ranges) and document symbols.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reloadEntryPoint } from '../../../../language-server/src/yaml/entryPointReload.ts';
import { updateLoadedYaml } from '../../../../language-server/src/yaml/incrementalLoad.ts';
import { buildMlprojectModel } from '../../../../language-server/src/model/mlprojectModel.ts';
import { loadMlprojectYaml, type LoadedYaml } from '../../../../language-server/src/yaml/pyyamlLoad.ts';
import { pyRepr } from '../../../../language-server/src/python/pythonValues.ts';
import { documentSymbols } from '../../../../language-server/src/features/symbols.ts';
import { validateModel } from '../../../../language-server/src/features/validate.ts';
import { memoryProject, mulberry32, repoRoot } from '../support.ts';

const ctx = memoryProject({ 'stage_0.py': '', 'python_env.yaml': 'python: "3.11"\n', data: '' });

function generated(entryPoints: number): string {
  const lines = ['name: pipeline', 'python_env: python_env.yaml', 'entry_points:'];
  for (let e = 0; e < entryPoints; e++) {
    lines.push(`  # stage ${e}`, `  stage_${e}:`, '    parameters:');
    for (let p = 0; p < 4; p++)
      lines.push(
        `      p${e}_${p}: {type: ${['float', 'path', 'uri', 'int'][p]}, default: ${['0.5', 'data', 'data.csv', '010'][p]}}`,
      );
    lines.push(`    command: "python stage_${e}.py --a {p${e}_0} --b {p${e}_1} --c {p${e}_2}"`, '');
  }
  lines.push('conda_env: conda.yaml', '');
  return lines.join('\n');
}

/**
 * Returns whether the fast path took the edit; when it did, it must equal a full parse: the same
 * YAML problems, diagnostics and symbols, and the same Python objects when the YAML is valid.
 */
function step(base: LoadedYaml, text: string, label: string): { loaded: LoadedYaml; fast: boolean } {
  const full = loadMlprojectYaml(text);
  const before = base.root ? pyRepr(base.root) : '';
  const fast = reloadEntryPoint(base, text);
  assert.equal(base.root ? pyRepr(base.root) : '', before, `${label}: the base load was modified`);
  if (!fast) return { loaded: full, fast: false };
  assert.deepEqual(fast.problems, full.problems, `${label}: YAML problems differ`);
  assert.equal(fast.syntaxBroken, full.syntaxBroken, label);
  if (!full.syntaxBroken) assert.equal(pyRepr(fast.root!), pyRepr(full.root!), label);
  const a = buildMlprojectModel(text, fast);
  const b = buildMlprojectModel(text, full);
  assert.deepEqual(validateModel(a, ctx), validateModel(b, ctx), label);
  if (!full.syntaxBroken) assert.deepEqual(documentSymbols(a), documentSymbols(b), label);
  return { loaded: fast, fast: true };
}

function offsetOf(text: string, line: number, character: number): number {
  let at = 0;
  for (let l = 0; l < line; l++) at = text.indexOf('\n', at) + 1;
  return at + character;
}

test('a typed-in parameter line, character by character and back, re-parses only its entry point and matches a full parse', () => {
  let text = generated(12);
  // The last load without problems: what the server measures each edit against.
  let clean = loadMlprojectYaml(text);
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.startsWith('      p5_2:'));
  const typed = 'typed_param: {type: float, default: 0.25}';
  const edits: Array<(t: string) => string> = [];
  const eol = offsetOf(text, line, (lines[line] ?? '').length);
  edits.push((t) => `${t.slice(0, eol)}\n      ${t.slice(eol)}`);
  for (let k = 0; k < typed.length; k++) edits.push((t) => t.slice(0, eol + 7 + k) + typed[k] + t.slice(eol + 7 + k));
  for (let k = typed.length - 1; k >= 0; k--) edits.push((t) => t.slice(0, eol + 7 + k) + t.slice(eol + 8 + k));
  edits.push((t) => t.slice(0, eol) + t.slice(eol + 7));
  let fast = 0;
  let valid = 0;
  edits.forEach((edit, i) => {
    text = edit(text);
    const r = step(clean, text, `typing step ${i}`);
    if (r.loaded.problems.length === 0) {
      clean = r.loaded;
      valid++;
    }
    if (r.fast) fast++;
  });
  assert.equal(text, generated(12));
  // Every keystroke, measured against the last valid text; the invalid ones in context.
  assert.equal(fast, edits.length);
  assert.ok(valid >= 6, `${valid} valid states`);
});

test('renaming an entry point or a parameter, removing a line, and edits that cross entry points', () => {
  const base = generated(6);
  const cases: Array<[string, string]> = [
    ['rename entry point', base.replace('  stage_3:', '  stage_three:')],
    ['rename to a duplicate (declined or equal)', base.replace('  stage_3:', '  stage_2:')],
    ['rename parameter', base.replace('      p3_1:', '      p3_one:')],
    ['remove a parameter line', base.replace('      p3_3: {type: int, default: 010}\n', '')],
    ['dedent a parameter', base.replace('      p3_3:', '    p3_3:')],
    ['indent the entry key', base.replace('  stage_3:', '   stage_3:')],
    ['join two entry points', base.replace('\n  # stage 4\n  stage_4:', '  stage_4:')],
    ['new entry point inside one', base.replace('  # stage 4\n', '  stage_new:\n    command: echo\n  # stage 4\n')],
    ['last entry point', base.replace('      p5_0:', '      p5_zero:')],
    ['anchor in the edit', base.replace('      p3_1:', '      p3_1: &a')],
    ['alias in the edit', base.replace('default: 0.5}\n      p3_1', 'default: *x}\n      p3_1')],
    ['unterminated quote', base.replace('"python stage_3.py', '"python stage_3.py \\"')],
    ['tab', base.replace('      p3_1:', '\t    p3_1:')],
    ['document marker', base.replace('  # stage 4\n', '---\n')],
    ['edit on the entry_points line', base.replace('entry_points:', 'entry_points: ')],
    ['edit after entry_points', base.replace('conda_env: conda.yaml', 'conda_env: other.yaml')],
  ];
  for (const [label, text] of cases) step(loadMlprojectYaml(base), text, label);
  assert.ok(step(loadMlprojectYaml(base), cases[0]![1], 'rename').fast);
  assert.ok(step(loadMlprojectYaml(base), cases[3]![1], 'remove').fast);
});

test('random edits inside entry points of every fixture: the fast path equals a full parse or declines', () => {
  const dir = join(repoRoot, 'test/fixtures/mlproject');
  const docs = readdirSync(dir)
    .map((d) => join(dir, d, 'MLproject'))
    .filter((p) => existsSync(p))
    .map((p) => readFileSync(p, 'utf8'))
    .filter((t) => t.length < 20_000);
  docs.push(generated(8));
  const pieces = [
    '\n',
    '\n      ',
    ' ',
    ':',
    ': ',
    '- ',
    '{',
    '}',
    '[',
    ']',
    '"',
    "'",
    '#',
    '&a ',
    '*a',
    '!!str ',
    'x',
    'default: 1',
    '\n  ',
    '|',
    '>-\n      ',
    '\t',
    '<<: ',
  ];
  const rnd = mulberry32(7);
  let fast = 0;
  let total = 0;
  for (const doc of docs) {
    const base = loadMlprojectYaml(doc);
    if (base.problems.length > 0) continue;
    for (let k = 0; k < 25; k++) {
      const at = Math.floor(rnd() * (doc.length + 1));
      const r = rnd();
      const next =
        r < 0.6
          ? doc.slice(0, at) + (pieces[Math.floor(rnd() * pieces.length)] ?? '') + doc.slice(at)
          : doc.slice(0, at) + doc.slice(at + 1 + Math.floor(rnd() * 6));
      total++;
      if (step(loadMlprojectYaml(doc), next, `${JSON.stringify(doc.slice(0, 60))} edit ${k}`).fast) fast++;
    }
  }
  // Most fixtures have one entry point (the last one always takes a full parse) and most random
  // edits break the YAML; what matters is that every edit taken matched.
  assert.ok(fast > 50, `fast path took ${fast} of ${total}`);
});

/** The bench's typing session (bench/mlproject-validation.bench.ts): a line typed in and removed. */
function typingSession(text: string, afterLine: RegExp, typed: string): string[] {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => afterLine.test(l));
  const eol = offsetOf(text, line, (lines[line] ?? '').length);
  const states: string[] = [];
  let t = `${text.slice(0, eol)}\n      ${text.slice(eol)}`;
  states.push(t);
  for (let k = 0; k < typed.length; k++) states.push((t = t.slice(0, eol + 7 + k) + typed[k] + t.slice(eol + 7 + k)));
  for (let k = typed.length - 1; k >= 0; k--) states.push((t = t.slice(0, eol + 7 + k) + t.slice(eol + 8 + k)));
  states.push(t.slice(0, eol) + t.slice(eol + 7));
  return states;
}

test("every keystroke of the bench's typing session, invalid YAML included, re-parses only its entry point and equals a full parse", () => {
  const start = generated(40);
  let clean = loadMlprojectYaml(start);
  const states = typingSession(start, /^ {6}p5_2:/, 'typed_param: {type: float, default: 0.25}');
  let broken = 0;
  states.forEach((text, i) => {
    const r = step(
      clean,
      text,
      `typing step ${i}: ${JSON.stringify(text.split('\n').find((l) => l.startsWith('      t')) ?? '')}`,
    );
    assert.ok(r.fast, `typing step ${i} took a full parse`);
    if (r.loaded.syntaxBroken) broken++;
    if (r.loaded.problems.length === 0) clean = r.loaded;
  });
  assert.equal(states.at(-1), start);
  // Most of the session is invalid YAML: those are the keystrokes this covers.
  assert.ok(broken >= 30, `${broken} broken states`);
});

test('random broken edits inside an entry point: the in-context re-parse equals a full parse or declines', () => {
  const doc = generated(10);
  const base = loadMlprojectYaml(doc);
  const first = doc.indexOf('  stage_1:');
  const last = doc.indexOf('  stage_9:');
  const pieces = [
    '\n',
    '\n      ',
    ' ',
    ':',
    ': ',
    '- ',
    '{',
    '}',
    '[',
    ']',
    '"',
    "'",
    '#',
    '\t',
    'x',
    '\n    ',
    '|',
    '>-\n',
    '{type: ',
    ', ',
  ];
  const rnd = mulberry32(12);
  let fast = 0;
  let brokenFast = 0;
  for (let k = 0; k < 400; k++) {
    let text = doc;
    // One to three edits, all inside the entry points before the last one.
    for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) {
      const at = first + Math.floor(rnd() * (last - first));
      text =
        rnd() < 0.7
          ? text.slice(0, at) + (pieces[Math.floor(rnd() * pieces.length)] ?? '') + text.slice(at)
          : text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 4));
    }
    const r = step(base, text, `random edit ${k}`);
    if (r.fast) fast++;
    if (r.fast && r.loaded.syntaxBroken) brokenFast++;
  }
  assert.ok(brokenFast > 20, `in-context re-parse took ${brokenFast} broken edits (${fast} in all)`);
});

for (const consume of [false, true]) {
  test(`value edits on the re-parsed tree, as the server chains them, keep equal to a full parse${consume ? ' (clean bases reused in place)' : ''}`, () => {
    // The server patches the previous load when it can, else re-parses the entry point against the
    // last clean load; a re-parsed tree is then patched in place by the next value edit.
    const start = generated(12);
    const states = typingSession(start, /^ {6}p2_2:/, 'typed: {type: int, default: 7}');
    let previous = loadMlprojectYaml(start);
    let clean = previous;
    let patched = 0;
    states.forEach((typed, i) => {
      // Then a digit changed in a later entry point's default, whose range the typing shifted, and
      // one added in an earlier one, which shifts the re-parsed entry point.
      const later = typed.indexOf('default: 0.5', typed.indexOf('  stage_7:')) + 'default: 0.'.length;
      const laterEdit = `${typed.slice(0, later)}${i % 10}${typed.slice(later + 1)}`;
      const earlier = laterEdit.indexOf('default: 0.5') + 'default: 0.5'.length;
      for (const [label, text] of [
        ['typed', typed],
        ['later value', laterEdit],
        ['earlier value', `${laterEdit.slice(0, earlier)}${i % 10}${laterEdit.slice(earlier)}`],
      ] as const) {
        const full = loadMlprojectYaml(text);
        const byPatch = updateLoadedYaml(previous, text);
        if (byPatch) patched++;
        const next = byPatch ?? reloadEntryPoint(clean, text, { consume }) ?? full;
        assert.deepEqual(next.problems, full.problems, `step ${i} ${label}`);
        if (!full.syntaxBroken) assert.equal(pyRepr(next.root!), pyRepr(full.root!), `step ${i} ${label}`);
        assert.deepEqual(
          validateModel(buildMlprojectModel(text, next), ctx),
          validateModel(buildMlprojectModel(text, full), ctx),
          `step ${i} ${label}`,
        );
        previous = next;
        if (next.problems.length === 0 && !next.syntaxBroken) clean = next;
      }
    });
    assert.ok(patched >= 5, `${patched} value edits patched in place`);
  });
}
