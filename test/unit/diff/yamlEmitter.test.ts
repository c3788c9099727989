import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import {
  doubleQuoted,
  emitComments,
  emitYaml,
  numberScalar,
  scalar,
  stringScalar,
  yamlList,
  yamlMap,
} from '../../../extension/src/diff/yamlEmitter.ts';

const NASTY = [
  '',
  ' ',
  'plain',
  '0.01',
  '1e-5',
  '0x1F',
  '0o17',
  '1_000',
  '12:30:00',
  '2026-01-02',
  '2026-01-02T03:04:05Z',
  'true',
  'False',
  'yes',
  'no',
  'on',
  'OFF',
  'null',
  '~',
  '.inf',
  '-.Inf',
  '.nan',
  'NaN',
  '=',
  '<<',
  '- dash',
  '-dash',
  '? q',
  ': colon',
  'a: b',
  'a:b',
  'ends:',
  'a #hash',
  '#hash',
  '&anchor',
  '*alias',
  '!tag',
  '%directive',
  '@at',
  '`tick',
  '{flow}',
  '[seq]',
  '|block',
  '>folded',
  "'single'",
  '"double"',
  'back\\slash',
  ' leading',
  'trailing ',
  'two  spaces',
  'multi\nline\n',
  '\n',
  'a\n\n\nb',
  'line\r\nwindows',
  'tab\there',
  'nul\u0000byte',
  'bell\u0007esc\u001b',
  'del\u007f',
  'c1\u0085\u009b',
  'nbsp\u00a0x',
  'soft\u00adhyphen',
  'bidi\u202eevil\u202c',
  'isolate\u2066x\u2069',
  'zw\u200bj\u200dnj\u200c',
  'bom\ufeff',
  'ls\u2028ps\u2029',
  'lone\ud800surrogate',
  'lone\udc00low',
  'emoji 😀 pair',
  'tag\u{E0041}chars',
  'vs\ufe0f',
  'ünïcödé 日本語 עברית',
  '<img src=x onerror=alert(1)>',
  '<script>alert("x")</script>',
  'x'.repeat(10_000),
  'http://example.com:5000/a?b=c#d',
  'C:\\Users\\x',
  '/abs/path/train.py',
  'mlflow.source.git.commit',
  'key with spaces',
  'a.b c',
];

test('every nasty string reads back as itself, as a value and as a key', () => {
  for (const s of NASTY) {
    const doc = emitYaml(
      yamlMap([
        { key: 'v', value: s },
        { key: s, value: 'k' },
      ]),
    );
    const back = parse(doc) as Record<string, unknown>;
    assert.equal(back['v'], s, `value ${JSON.stringify(s)} rendered as ${doc}`);
    assert.equal(back[s], 'k', `key ${JSON.stringify(s)} rendered as ${doc}`);
  }
});

test('random strings over an adversarial alphabet round-trip (fixed seed)', () => {
  const alphabet = [
    ...'ab01 :#-?&*!|>\'"%@`{}[],.\\/\t\n\r=~_',
    '\u0000',
    '\u0085',
    '\u00a0',
    '\u202e',
    '\u200b',
    '\ufeff',
    '\u2028',
    'é',
    '日',
    '😀',
    '\ud800',
  ];
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 3000; i++) {
    let s = '';
    const len = rand(12);
    for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)];
    const back = parse(emitYaml(yamlMap([{ key: 'v', value: s }]))) as Record<string, unknown>;
    assert.equal(back['v'], s, `round trip of ${JSON.stringify(s)}`);
  }
});

test('a value is always on one line, whatever it holds', () => {
  const doc = emitYaml(yamlMap([{ key: 'note', value: 'first\nsecond\r\nthird\u2028fourth' }]));
  assert.equal(doc, 'note: "first\\nsecond\\r\\nthird\\u2028fourth"\n');
});

test('invisible and reordering characters are shown as escapes, never raw', () => {
  const raw = 'a\u202eb\u200bc\ufeffd\u00a0e\u2066f\u0007';
  const out = stringScalar(raw);
  assert.equal(out, '"a\\u202eb\\u200bc\\ufeffd\\u00a0e\\u2066f\\u0007"');
  assert.doesNotMatch(out, /[\u202e\u200b\ufeff\u00a0\u2066\u0007]/);
  assert.equal(doubleQuoted('😀'), '"😀"');
  assert.equal(doubleQuoted('\u{E0041}'), '"\\U000e0041"');
});

test('strings that would read as another type are quoted; ordinary words are not', () => {
  for (const s of ['true', 'null', '1.5', '10', '.inf', 'yes', '2026-01-02', '0x10', ''])
    assert.match(stringScalar(s), /^".*"$/, s);
  for (const s of ['adam', 'mlflow.runName', 'rmse', 'train.py', 'relu(x)', 'a:b', 'FINISHED', 'http://127.0.0.1:5000'])
    assert.equal(stringScalar(s), s);
});

test('NaN and infinities are YAML .nan/.inf and read back as numbers', () => {
  assert.equal(numberScalar(NaN), '.nan');
  assert.equal(numberScalar(Infinity), '.inf');
  assert.equal(numberScalar(-Infinity), '-.inf');
  const back = parse(
    emitYaml(
      yamlMap([
        { key: 'a', value: NaN },
        { key: 'b', value: Infinity },
        { key: 'c', value: -Infinity },
        { key: 'd', value: -0 },
      ]),
    ),
  ) as Record<string, number>;
  assert.ok(Number.isNaN(back['a']));
  assert.equal(back['b'], Infinity);
  assert.equal(back['c'], -Infinity);
  assert.ok(Object.is(back['d'], -0));
});

test('finite numbers read back exactly', () => {
  const values = [
    0,
    1,
    -1,
    0.1,
    1 / 3,
    1e21,
    1e-7,
    -2.5e-300,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    2 ** 53 + 2,
    123456789.123,
  ];
  const doc = emitYaml(yamlMap(values.map((v, i) => ({ key: `k${i}`, value: v }))));
  const back = parse(doc) as Record<string, number>;
  values.forEach((v, i) => assert.ok(Object.is(back[`k${i}`], v), `${v} rendered as ${scalar(v)}`));
});

test('nested maps and lists, empty collections and null render and parse', () => {
  const doc = emitYaml(
    yamlMap([
      {
        key: 'm',
        value: yamlMap([
          { key: 'x', value: 1 },
          { key: 'y', value: yamlMap([{ key: 'z', value: 'deep' }]) },
        ]),
      },
      {
        key: 'l',
        value: yamlList([
          yamlMap([
            { key: 'name', value: 'a' },
            { key: 'digest', value: 'd1' },
          ]),
          'plain',
          yamlList([1, 2]),
        ]),
      },
      { key: 'empty_map', value: yamlMap() },
      { key: 'empty_list', value: yamlList() },
      { key: 'nothing', value: null },
      { key: 'flag', value: false },
    ]),
  );
  assert.deepEqual(parse(doc), {
    m: { x: 1, y: { z: 'deep' } },
    l: [{ name: 'a', digest: 'd1' }, 'plain', [1, 2]],
    empty_map: {},
    empty_list: [],
    nothing: null,
    flag: false,
  });
});

test('comments with line breaks stay comments', () => {
  const doc = emitYaml(yamlMap([{ key: 'a', value: 1, comment: 'x\ninjected: true' }]), ['run <b>\nevil: 1', '']);
  assert.deepEqual(parse(doc), { a: 1 });
  assert.equal(doc.split('\n').filter((l) => l !== '' && !l.startsWith('#') && !/^a: 1 #/.test(l)).length, 0, doc);
  assert.equal(parse(emitComments(['only\ncomments: 1', 'here'])), null);
});
