import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMlprojectYaml, MAX_NESTING } from '../../../../language-server/src/yaml/pyyamlLoad.ts';
import { pyRepr, pyStr } from '../../../../language-server/src/python/pythonValues.ts';

const fatalCodes = (text: string): string[] =>
  loadMlprojectYaml(text)
    .problems.filter((p) => p.fatal)
    .map((p) => p.code);

test('problems point at the offending characters', () => {
  const text = 'a: 1\nb: x\ty\nc: &n 1\nd: &n 2\n';
  const problems = loadMlprojectYaml(text).problems;
  const tab = problems.find((p) => p.code === 'yaml-tab');
  assert.ok(tab);
  assert.equal(text.slice(tab.range.start, tab.range.end), '\t');
  const anchor = problems.find((p) => p.code === 'yaml-duplicate-anchor');
  assert.ok(anchor);
  assert.equal(text.slice(anchor.range.start, anchor.range.end), '2');
  assert.match(anchor.message, /duplicate anchor 'n'/);
});

test('control characters are rejected like PyYAML’s reader, with the code point', () => {
  const text = 'name: a\u0000b\nx: \u0007';
  const problems = loadMlprojectYaml(text).problems.filter((p) => p.code === 'yaml-control-character');
  assert.equal(problems.length, 2);
  assert.match(problems[0]?.message ?? '', /#x0000/);
  assert.equal(problems[0]?.range.start, 7);
  // A BOM and astral characters are fine; a lone surrogate is not.
  assert.deepEqual(fatalCodes('\uFEFFa: 😀'), []);
  assert.deepEqual(fatalCodes('a: \uD800x'), ['yaml-control-character']);
});

test('duplicate keys: last value wins in first position, each overridden key warned once', () => {
  const loaded = loadMlprojectYaml('a: 1\nb: 2\na: 3\na: 4\n');
  assert.equal(pyRepr(loaded.root!), "{'a': 4, 'b': 2}");
  const dups = loaded.problems.filter((p) => p.code === 'yaml-duplicate-key');
  assert.equal(dups.length, 2);
  assert.ok(dups.every((p) => !p.fatal));
  assert.deepEqual(
    dups.map((p) => p.range.start),
    [0, 10],
  );
});

test('merge keys follow PyYAML: own keys win, earlier merge sources win over later ones', () => {
  const loaded = loadMlprojectYaml('base: &b {x: 1, y: 1}\nother: &o {y: 2, z: 2}\nm:\n  <<: [*b, *o]\n  z: 3\n');
  const m =
    loaded.root?.kind === 'dict'
      ? loaded.root.entries.find((e) => e.key.kind === 'str' && e.key.value === 'm')
      : undefined;
  assert.equal(m ? pyRepr(m.value) : '', "{'y': 1, 'z': 3, 'x': 1}");
  assert.deepEqual(fatalCodes('a:\n  <<: [1]\n'), ['yaml-merge']);
});

// How long the bomb takes is measured in bench/mlproject-scale.bench.ts; here: it loads, shared.
test('aliases share one object: cycles and alias bombs load without expanding', () => {
  const cyc = loadMlprojectYaml('- &a [*a, 1]');
  assert.equal(pyRepr(cyc.root!), '[[[...], 1]]');
  let bomb = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i <= 30; i++)
    bomb += `a${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  const loaded = loadMlprojectYaml(bomb);
  assert.deepEqual(
    loaded.problems.filter((p) => p.fatal),
    [],
  );
  // 10^31 elements if expanded; str() is cut at its budget instead.
  const last = loaded.root?.kind === 'dict' ? loaded.root.entries[30]?.value : undefined;
  assert.ok(last);
  const rendered = pyStr(last);
  assert.ok(rendered.length < 30_000, `rendered ${rendered.length} chars`);
  assert.ok(rendered.endsWith(']'));
});

test(`nesting beyond ${MAX_NESTING} levels is reported (PyYAML hits RecursionError near 490)`, () => {
  assert.deepEqual(fatalCodes(`a: ${'['.repeat(100)}${']'.repeat(100)}`), []);
  assert.ok(fatalCodes(`a: ${'['.repeat(1000)}${']'.repeat(1000)}`).includes('yaml-too-deep'));
  const deepBlock = Array.from({ length: 600 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n');
  assert.ok(fatalCodes(deepBlock).includes('yaml-too-deep'));
  // Far deeper than any stack: still an answer, not an exception.
  assert.ok(fatalCodes(`a: ${'['.repeat(100_000)}`).length > 0);
});

test('empty documents are None; a second document is an error', () => {
  for (const t of ['', '# only a comment\n', '---\n', '--- # c\n...\n'])
    assert.equal(loadMlprojectYaml(t).empty, true, JSON.stringify(t));
  assert.deepEqual(fatalCodes('a: 1\n---\nb: 2\n'), ['yaml-multiple-documents']);
  assert.deepEqual(fatalCodes('a: 1\n...\n'), []);
});

test('PyYAML-only syntax rules: flow "?", empty keys, anchor names, tags', () => {
  assert.deepEqual(fatalCodes('a: [b?c]'), ['yaml-syntax']);
  assert.deepEqual(fatalCodes('a: b?c'), []);
  assert.deepEqual(fatalCodes('[: b]'), ['yaml-syntax']);
  assert.deepEqual(fatalCodes('a: &a.b x'), ['yaml-syntax']);
  assert.deepEqual(fatalCodes('a: !!str\t1'), ['yaml-syntax', 'yaml-tab']);
  assert.deepEqual(fatalCodes('%YAML 2.0\n---\na: 1'), ['yaml-directive']);
});

test('line breaks: CRLF, lone CR and NEL/LS/PS outside quotes are line breaks', () => {
  assert.equal(pyRepr(loadMlprojectYaml('a: 1\r\nb: 2\r\n').root!), "{'a': 1, 'b': 2}");
  assert.equal(pyRepr(loadMlprojectYaml('a: 1\rb: 2').root!), "{'a': 1, 'b': 2}");
  assert.equal(pyRepr(loadMlprojectYaml('a: 1\u2028b: 2').root!), "{'a': 1, 'b': 2}");
  assert.equal(pyRepr(loadMlprojectYaml('a: "x\u2028y"').root!), "{'a': 'x\\u2028y'}");
});

test('scalars keep their style and source text for diagnostics', () => {
  const loaded = loadMlprojectYaml("a: 010\nb: '010'\nc: |\n  x\n");
  assert.equal(loaded.root?.kind, 'dict');
  if (loaded.root?.kind !== 'dict') return;
  const [a, b, c] = loaded.root.entries;
  assert.deepEqual([a?.value.kind, a?.value.style, a?.value.source], ['int', 'plain', '010']);
  assert.deepEqual([b?.value.kind, b?.value.style], ['str', 'single']);
  assert.deepEqual([c?.value.kind, c?.value.style], ['str', 'literal']);
});
