// The one display rule for server strings (webviews/protocol/displayText.ts), fed the payloads a
// hostile server or tag can send.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayText, escapeHidden, isHiddenOrReordering, uiText } from '../../../webviews/protocol/displayText.ts';
import { doubleQuoted } from '../../../extension/src/diff/yamlEmitter.ts';

// VS Code's own link syntax for notifications, quick input messages and the like
// (src/vs/base/common/linkedText.ts, LINK_REGEX): what uiText must never let through.
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

const LINK_PAYLOADS = [
  // 85 characters: a run name that types into the user's terminal when the notification's link is clicked.
  '[Show details](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D)',
  '[ok](command:workbench.action.terminal.new)',
  'run [x](https://evil.example/steal "title") done',
  "[open](file:///etc/passwd 'x')",
  '[[nested](command:a)](command:b)',
  '[a](command:x)[b](command:y)',
  '[a]((command:x)',
  'mlflow error: [click](COMMAND:x)',
];

test('uiText breaks every link VS Code would render in a notification', () => {
  for (const p of LINK_PAYLOADS) {
    assert.ok(p.match(VSCODE_LINK) !== null || p.includes('(('), `payload is a link: ${p}`);
    const out = uiText(p);
    assert.equal(out.match(VSCODE_LINK), null, `${p} → ${out}`);
    // The text still reads the same apart from the inserted space.
    assert.equal(out.replace(/\] \(/g, ']('), p);
  }
});

test('uiText never yields a link, for random mixes of link syntax and hidden characters', () => {
  // A seeded generator (mulberry32) so a failure reproduces.
  let seed = 0x5eed;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const parts = [
    '[',
    ']',
    '(',
    ')',
    'command:x',
    'https://h',
    'file:/',
    ' ',
    '"t"',
    '\n',
    '\u202e',
    '\u200b',
    'a',
    '](',
    '\\',
  ];
  for (let i = 0; i < 5000; i++) {
    let s = '';
    const n = 1 + Math.floor(rand() * 12);
    for (let j = 0; j < n; j++) s += parts[Math.floor(rand() * parts.length)];
    const out = uiText(s, 10_000);
    assert.equal(out.match(VSCODE_LINK), null, JSON.stringify(s));
    assert.doesNotMatch(out, /[\n\u202e\u200b]/, JSON.stringify(s));
  }
});

test('control, separator and bidi characters become visible escapes', () => {
  assert.equal(escapeHidden('a\nb\r\tc'), 'a\\nb\\r\\tc');
  assert.equal(
    escapeHidden('bell\u0007 esc\u001b del\u007f c1\u0085\u009b'),
    'bell\\u0007 esc\\u001b del\\u007f c1\\u0085\\u009b',
  );
  // The right-to-left override that makes "evil\u202etxt.exe" read as "evilexe.txt".
  assert.equal(escapeHidden('evil\u202etxt.exe'), 'evil\\u202etxt.exe');
  assert.equal(escapeHidden('\u202a\u202b\u202c\u202d\u202e'), '\\u202a\\u202b\\u202c\\u202d\\u202e');
  assert.equal(escapeHidden('\u2066x\u2067y\u2068z\u2069'), '\\u2066x\\u2067y\\u2068z\\u2069');
  assert.equal(escapeHidden('1\u200e2\u200f3\u061c4'), '1\\u200e2\\u200f3\\u061c4');
  assert.equal(escapeHidden('ls\u2028ps\u2029'), 'ls\\u2028ps\\u2029');
  assert.equal(escapeHidden('tr\u200bain\ufeff\u00ad\u2060'), 'tr\\u200bain\\ufeff\\u00ad\\u2060');
});

test('ordinary text is left alone: HTML, backslashes, emoji with ZWJ and variation selectors, RTL letters', () => {
  for (const s of [
    '<img src=x onerror=alert(1)>',
    'C:\\Users\\x',
    '👩‍💻 ❤️',
    'עברית مرحبا',
    'naïve 日本 $(gear)',
    '=1+2',
  ]) {
    assert.equal(escapeHidden(s), s);
    assert.equal(uiText(s), s);
  }
});

test('no hidden or reordering character survives displayText, for every BMP code point', () => {
  for (let cp = 0; cp <= 0xffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCharCode(cp);
    const out = displayText(ch);
    if (isHiddenOrReordering(cp)) assert.match(out, /^\\(u[0-9a-f]{4}|[nrt])$/, `U+${cp.toString(16)}`);
    else assert.equal(out, ch);
  }
});

test('long text is capped with an ellipsis, never inside a surrogate pair', () => {
  assert.equal(displayText('x'.repeat(300), 10), 'xxxxxxxxx…');
  const emoji = 'ab😀cd';
  assert.equal(displayText(emoji, 4), 'ab…');
  assert.equal(displayText(emoji, 5), 'ab😀…');
});

test('the diff document spells every character of the rule exactly as the other views do', () => {
  for (let cp = 0; cp <= 0xffff; cp++) {
    if (!isHiddenOrReordering(cp)) continue;
    const ch = String.fromCharCode(cp);
    assert.equal(doubleQuoted(ch), `"${escapeHidden(ch)}"`, `U+${cp.toString(16)}`);
  }
});
