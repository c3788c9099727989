import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flowDepthExceeded } from '../../../../language-server/src/text/flowDepth.ts';
import { reindentContinuations } from '../../../../language-server/src/yaml/pyyamlLeniency.ts';

test('flow depth: counts real flow brackets only', () => {
  assert.equal(flowDepthExceeded(`a: ${'['.repeat(50)}${']'.repeat(50)}`, 100), undefined);
  assert.equal(flowDepthExceeded(`a: ${'['.repeat(200)}`, 100), 103);
  // Brackets inside a plain scalar, quotes, comments and block scalars are text, not nesting.
  assert.equal(flowDepthExceeded(`a: x${'['.repeat(200)}`, 100), undefined);
  assert.equal(flowDepthExceeded(`a: "${'['.repeat(200)}"`, 100), undefined);
  assert.equal(flowDepthExceeded(`a: 1 # ${'['.repeat(200)}`, 100), undefined);
  assert.equal(flowDepthExceeded(`a: |\n  ${'['.repeat(200)}\nb: 1`, 100), undefined);
});

test('re-indenting continuation lines maps offsets back to the original text', () => {
  const text = 'a:\n  b: "x\ny {p}"\n  c: [1,\n2]\n';
  const r = reindentContinuations(text);
  assert.ok(r);
  assert.equal(r.text, 'a:\n  b: "x\n   y {p}"\n  c: [1,\n   2]\n');
  const p = r.text.indexOf('{p}');
  assert.equal(r.toOriginal(p), text.indexOf('{p}'));
  assert.equal(r.toOriginal(r.text.indexOf('2]')), text.indexOf('2]'));
  assert.equal(r.toOriginal(0), 0);
  // A document marker inside quotes is left at column 0, so it stays an error, as in PyYAML.
  assert.equal(reindentContinuations('a: "x\n---\ny"')?.text, 'a: "x\n---\n y"');
  assert.equal(reindentContinuations('a: 1\n'), undefined);
});
