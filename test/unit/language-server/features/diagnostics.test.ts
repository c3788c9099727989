import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DiagnosticSink,
  didYouMean,
  editDistance,
  MAX_DIAGNOSTICS,
} from '../../../../language-server/src/features/diagnostics.ts';
import { LineIndex } from '../../../../language-server/src/text/textPositions.ts';
import { validateMlproject } from '../../../../language-server/src/features/validate.ts';

test('edit distance counts a transposition as one edit', () => {
  assert.equal(editDistance('flaot', 'float'), 1);
  assert.equal(editDistance('defualt', 'default'), 1);
  assert.equal(editDistance('abc', 'abc'), 0);
  assert.equal(editDistance('a', 'abcdefgh', 3), 4);
});

test('did-you-mean: close names only, case-insensitive exact first', () => {
  assert.equal(didYouMean('URI', ['string', 'float', 'path', 'uri']), 'uri');
  assert.equal(didYouMean('entrypoints', ['name', 'entry_points', 'python_env']), 'entry_points');
  assert.equal(didYouMean('paramters', ['parameters', 'command']), 'parameters');
  assert.equal(didYouMean('description', ['type', 'default']), undefined);
  assert.equal(didYouMean('x', ['type', 'default']), undefined);
});

test('the sink keeps at most MAX_DIAGNOSTICS and the validator says how many were dropped', () => {
  const sink = new DiagnosticSink(new LineIndex('x'));
  for (let i = 0; i < MAX_DIAGNOSTICS + 5; i++) sink.warning({ start: 0, end: 1 }, 'c', `m${i}`);
  assert.equal(sink.items.length, MAX_DIAGNOSTICS);
  assert.equal(sink.dropped, 5);
  assert.ok(sink.full);
  const text = `entry_points:\n  main:\n    command: "${'{x} '.repeat(1500)}"\n`;
  const diagnostics = validateMlproject(text);
  assert.equal(diagnostics.length, MAX_DIAGNOSTICS + 1);
  assert.match(diagnostics[diagnostics.length - 1]?.message ?? '', /more problems are not shown/);
});
