// Field and error positions of the str.format parser (the rendering itself is checked against
// CPython in pythonEmulation.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseFormatString,
  parseStrFormatSpec,
  applyStrFormatSpec,
} from '../../../../language-server/src/python/pythonFormat.ts';

test('fields carry the positions of their name, argument, conversion and spec', () => {
  const t = 'run {alpha} {a.b[0]!r:>8} {{x}} {}';
  const { fields, escapes, errors } = parseFormatString(t);
  assert.deepEqual(errors, []);
  assert.deepEqual(
    fields.map((f) => t.slice(f.start, f.end)),
    ['{alpha}', '{a.b[0]!r:>8}', '{}'],
  );
  const f = fields[1];
  assert.ok(f);
  assert.equal(t.slice(f.argStart, f.argEnd), 'a');
  assert.deepEqual(
    f.accessors.map((a) => [a.kind, a.text, t.slice(a.start, a.end)]),
    [
      ['attribute', 'b', 'b'],
      ['index', '0', '0'],
    ],
  );
  assert.equal(t[f.conversionStart], 'r');
  assert.equal(t.slice(f.specStart, f.specEnd), '>8');
  assert.equal(fields[2]?.positional, true);
  assert.deepEqual(
    escapes.map((i) => t.slice(i, i + 2)),
    ['{{', '}}'],
  );
});

test('errors are positioned and later fields are still found', () => {
  const t = 'a } {b} {c:{d}} {e';
  const { fields, errors } = parseFormatString(t);
  assert.deepEqual(
    errors.map((e) => [e.message, t.slice(e.start, e.end)]),
    [
      ["Single '}' encountered in format string", '}'],
      ["expected '}' before end of string", '{e'],
    ],
  );
  assert.deepEqual(
    fields.map((f) => f.arg),
    ['b', 'c'],
  );
  assert.deepEqual(
    fields[1]?.specFields.map((n) => [n.arg, t.slice(n.argStart, n.argEnd)]),
    [['d', 'd']],
  );
});

test('format specs for strings: padding, truncation and the rejections', () => {
  const ok = parseStrFormatSpec('*^9.3');
  assert.ok(!('pythonType' in ok));
  assert.equal(applyStrFormatSpec("'x y'", ok), "***'x ***");
  for (const [spec, message] of [
    ['.2f', "Unknown format code 'f' for object of type 'str'"],
    ['+', 'Sign not allowed in string format specifier'],
    [',', "Cannot specify ',' with 's'."],
    ['=5', "'=' alignment not allowed in string format specifier"],
  ] as const) {
    const r = parseStrFormatSpec(spec);
    assert.ok('pythonType' in r, spec);
    assert.equal(r.message, message);
  }
});
