// The incremental path must give exactly what a full parse gives, or decline. Random edits
// inside scalar values of every fixture are applied both ways and compared: Python repr, YAML
// problems, diagnostics (with ranges) and document symbols.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { updateLoadedYaml } from '../../../../language-server/src/yaml/incrementalLoad.ts';
import { loadMlprojectYaml } from '../../../../language-server/src/yaml/pyyamlLoad.ts';
import { buildMlprojectModel } from '../../../../language-server/src/model/mlprojectModel.ts';
import { pyRepr, type PyValue } from '../../../../language-server/src/python/pythonValues.ts';
import { validateModel } from '../../../../language-server/src/features/validate.ts';
import { documentSymbols } from '../../../../language-server/src/features/symbols.ts';
import { memoryProject, repoRoot } from '../support.ts';

const ctx = memoryProject({ 'train.py': '', 'python_env.yaml': 'python: "3.11"\n' });

/** Scalar values and keys, the places the fast path may patch. */
function scalars(v: PyValue | undefined, out: PyValue[] = [], seen = new Set<PyValue>()): PyValue[] {
  if (!v || seen.has(v)) return out;
  seen.add(v);
  if (v.kind === 'dict') {
    for (const e of v.entries) {
      scalars(e.key, out, seen);
      scalars(e.value, out, seen);
    }
  } else if (v.kind === 'list' || v.kind === 'set') for (const i of v.items) scalars(i, out, seen);
  else out.push(v);
  return out;
}

function same(text: string, incremental: ReturnType<typeof updateLoadedYaml>, label: string): void {
  assert.ok(incremental);
  const full = loadMlprojectYaml(text);
  assert.deepEqual(full.problems, [], `${label}: the fast path accepted an edit a full parse rejects`);
  assert.equal(pyRepr(incremental.root!), pyRepr(full.root!), label);
  const a = buildMlprojectModel(text, incremental);
  const b = buildMlprojectModel(text, full);
  assert.deepEqual(validateModel(a, ctx), validateModel(b, ctx), label);
  assert.deepEqual(documentSymbols(a), documentSymbols(b), label);
}

test('random edits inside values and keys: same result as a full parse, or declined', () => {
  let seed = 7;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const dir = join(repoRoot, 'test/fixtures/mlproject');
  const texts = readdirSync(dir)
    .map((d) => join(dir, d, 'MLproject'))
    .filter(existsSync)
    .map((p) => readFileSync(p, 'utf8'))
    .filter((t) => t.length < 20_000 && loadMlprojectYaml(t).problems.length === 0 && loadMlprojectYaml(t).root);
  assert.ok(texts.length > 40);
  const pieces = [
    'a',
    'Z',
    '0',
    '9',
    '.',
    '_',
    '-',
    ' ',
    ':',
    '#',
    '{',
    '}',
    '"',
    "'",
    '\\',
    '\t',
    '\n',
    'yes',
    '010',
    '1e-3',
    '12:30',
    '2020-01-01',
    '=',
    ',',
    '[',
    '&x',
    '*',
    '!',
    'é',
  ];
  let fast = 0;
  let declined = 0;
  for (let round = 0; round < 3000; round++) {
    const text = texts[Math.floor(rnd() * texts.length)] as string;
    const candidates = scalars(loadMlprojectYaml(text).root).filter((v) => v.range.end > v.range.start);
    const target = candidates[Math.floor(rnd() * candidates.length)];
    if (!target) continue;
    const at = target.range.start + Math.floor(rnd() * (target.range.end - target.range.start + 1));
    const del = rnd() < 0.4 ? Math.floor(rnd() * 3) : 0;
    const ins = rnd() < 0.8 ? (pieces[Math.floor(rnd() * pieces.length)] as string) : '';
    const edited = text.slice(0, at) + ins + text.slice(at + del);
    const previous = loadMlprojectYaml(text);
    const incremental = updateLoadedYaml(previous, edited);
    if (!incremental) {
      declined++;
      continue;
    }
    fast++;
    same(
      edited,
      incremental,
      `round ${round}: ${JSON.stringify(text.slice(Math.max(0, at - 20), at + 20))} → insert ${JSON.stringify(ins)} delete ${del}`,
    );
  }
  assert.ok(fast > 500, `fast path taken only ${fast} times (${declined} declined)`);
  assert.ok(declined > 200, 'structural edits must be declined');
});

test('chains of edits keep agreeing (the patched load is the base of the next edit)', () => {
  let text =
    'name: demo\nentry_points:\n  main:\n    parameters:\n      alpha: {type: float, default: 0.5}\n    command: "python train.py {alpha}"\n';
  let loaded = loadMlprojectYaml(text);
  for (const [find, replace] of [
    ['0.5', '0.75'],
    ['0.75', 'yes'],
    ['float', 'path'],
    ['path', 'uri'],
    ['train.py {alpha}', 'train.py --alpha {alpha} {beta}'],
    ['demo', 'demo-project'],
    ['alpha: {type', 'alpha2: {type'],
    ['{alpha}', '{alpha2}'],
  ] as const) {
    const next = text.replace(find, replace);
    const inc = updateLoadedYaml(loaded, next);
    assert.ok(inc, `declined ${find} → ${replace}`);
    same(next, inc, `${find} → ${replace}`);
    text = next;
    loaded = inc;
  }
});

test('declines colliding keys, structure, anchors, tags and files with YAML problems', () => {
  const base = 'a: &x 1\nb: !!str 2\nc: [3, 4]\nd: plain\n';
  const loaded = (): ReturnType<typeof loadMlprojectYaml> => loadMlprojectYaml(base);
  assert.equal(
    updateLoadedYaml(loaded(), base.replace('d: plain', 'a: plain')),
    undefined,
    'key collides with a sibling',
  );
  assert.ok(
    updateLoadedYaml(loaded(), base.replace('d: plain', 'dd: plain')),
    'a key rename without collision is patched',
  );
  assert.equal(
    updateLoadedYaml(loadMlprojectYaml('m: &m {x: 1}\nn:\n  <<: *m\n  y: 2\n'), 'm: &m {z: 1}\nn:\n  <<: *m\n  y: 2\n'),
    undefined,
    'merged key',
  );
  assert.equal(updateLoadedYaml(loaded(), base.replace('&x 1', '&x 2')), undefined, 'anchored');
  assert.equal(updateLoadedYaml(loaded(), base.replace('!!str 2', '!!str 3')), undefined, 'tagged');
  assert.equal(updateLoadedYaml(loaded(), base.replace('plain', 'pla: in')), undefined, 'mapping indicator');
  assert.equal(updateLoadedYaml(loaded(), base.replace('plain', 'plain # c')), undefined, 'comment');
  assert.equal(updateLoadedYaml(loaded(), base.replace('[3, 4]', '[3, 4, 5]')), undefined, 'flow structure');
  assert.ok(updateLoadedYaml(loaded(), base.replace('plain', 'plains')));
  assert.equal(
    updateLoadedYaml(loadMlprojectYaml('a: 1\na: 2\nb: x\n'), 'a: 1\na: 2\nb: y\n'),
    undefined,
    'duplicate keys',
  );
});
