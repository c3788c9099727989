// What reaches the MLflow output channel: server text (error messages, a process's last output
// lines) can neither forge nor reorder lines there, secrets are scrubbed, and a stack trace keeps
// its lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logText } from '../../../extension/src/shared/logText.ts';

test('CR, ESC, bidi and other hidden characters from a server show as escapes in the log', () => {
  // A bare CR returns to the line start in many viewers: the rest overwrites what the log said.
  assert.equal(
    logText('Following run r1: fetch failed\r[info] all good'),
    'Following run r1: fetch failed\\r[info] all good',
  );
  assert.equal(logText('run \x1b[31mred\x1b[0m'), 'run \\u001b[31mred\\u001b[0m');
  // An RLO reverses the rest of the line, so `exe.txt` would read as `txt.exe`.
  assert.equal(logText('artifact evil\u202etxt.exe'), 'artifact evil\\u202etxt.exe');
  assert.equal(logText('a\u2028b\u0085c\u200bd'), 'a\\u2028b\\u0085c\\u200bd');
});

test('real line breaks of a multi-line message stay, so a stack trace or output tail reads as lines', () => {
  const stack = 'Unexpected: Error: boom\n    at f (file.ts:1:1)\n\tat g (file.ts:2:2)';
  assert.equal(logText(stack), stack);
  assert.equal(logText('last output:\r\nline 1\r\nline 2'), 'last output:\nline 1\nline 2');
  assert.equal(logText('line 1\n\u202eline 2'), 'line 1\n\\u202eline 2');
});

test('secrets are still scrubbed, including one a hidden character was meant to hide', () => {
  assert.equal(logText('Authorization: Basic dXNlcjpwYXNz'), 'Authorization: Basic ***');
  assert.equal(logText('http://alice:s3cret@127.0.0.1:5000/'), 'http://alice:***@127.0.0.1:5000/');
  assert.doesNotMatch(logText('password=hunter\x072'), /hunter|\\u00072/);
  assert.doesNotMatch(logText('token=abc\u202edef'), /abc|def/);
  assert.doesNotMatch(logText('token=abc\rdef'), /abc|def/, 'a CR does not cut the secret short');
});
