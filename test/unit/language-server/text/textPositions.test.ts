import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../../language-server/src/text/textPositions.ts';

test('positions count UTF-16 code units, as LSP does', () => {
  const text = 'é😀x\nab';
  const lines = new LineIndex(text);
  // é is one unit, 😀 two.
  assert.deepEqual(lines.positionAt(text.indexOf('x')), { line: 0, character: 3 });
  assert.equal(lines.offsetAt({ line: 0, character: 3 }), 3);
  assert.deepEqual(lines.positionAt(text.indexOf('b')), { line: 1, character: 1 });
});

test('CRLF, LF and lone CR all end lines; positions never split \\r\\n', () => {
  const text = 'a\r\nbb\ncc\rd';
  const lines = new LineIndex(text);
  assert.equal(lines.lineCount, 4);
  assert.deepEqual(
    ['a', 'bb', 'cc', 'd'],
    [0, 1, 2, 3].map((l) => lines.lineText(l)),
  );
  assert.deepEqual(lines.positionAt(2), { line: 0, character: 1 });
  assert.equal(lines.offsetAt({ line: 0, character: 99 }), 1);
  assert.equal(lines.offsetAt({ line: 9, character: 0 }), text.length);
});

test('ranges round-trip', () => {
  const lines = new LineIndex('name: x\r\nentry_points:\r\n  main: {}\r\n');
  for (const r of [
    { start: 0, end: 4 },
    { start: 9, end: 21 },
    { start: 25, end: 29 },
  ]) {
    assert.deepEqual(lines.offsetRangeOf(lines.rangeOf(r)), r);
  }
});
