// A lint-like guard: every text the extension hands to a place VS Code renders links or labels in
// (notifications, quick pick items, input box prompts and titles, progress titles, the status bar,
// tree labels and descriptions) is either a plain string literal or goes through uiText
// (webviews/protocol/displayText.ts). A new call site that interpolates a server string without it
// fails here, with its file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '../../..');
const SRC = join(ROOT, 'extension/src');

function sources(dir: string): string[] {
  // mlflow/ is the REST client: it decodes server data and shows nothing.
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'mlflow'
        ? []
        : sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

// The start of each argument or property that ends up on screen as VS Code UI text.
const SINKS: { name: string; re: RegExp }[] = [
  { name: 'notification', re: /\bshow(?:Error|Warning|Information)Message\(\s*/g },
  { name: 'tree label', re: /\bnew vscode\.TreeItem\(\s*/g },
  { name: 'tree description', re: /\bitem\.description\s*=\s*/g },
  { name: 'status bar text', re: /\bitem\.text\s*=\s*/g },
  { name: 'status bar message', re: /\bsetStatusBarMessage\(\s*/g },
  // Quick pick items, input boxes, progress: these keys in object literals.
  { name: 'quick input / progress text', re: /[{,]\s*(?:label|description|detail|prompt|placeHolder|title):\s*/g },
];

/** Whether the expression starting at `i` is a plain literal or a uiText(...) call. */
function isSafe(text: string, i: number): boolean {
  const rest = text.slice(i);
  if (/^uiText\(/.test(rest)) return true;
  // A type annotation (`title: string`), not a value.
  if (/^(?:string|number|boolean)\b/.test(rest)) return true;
  // A single- or double-quoted literal, or a template literal without interpolation, that is the
  // whole expression (followed by `,`, `)`, `}`, `;` or a line end).
  const lit = /^(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\$]|\\.|\$(?!\{))*`)\s*(?:[,)};\n]|$)/.exec(rest);
  return lit !== null;
}

test('every notification, quick input, progress, status bar and tree label text is a literal or goes through uiText', () => {
  const problems: string[] = [];
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const sink of SINKS) {
      for (const m of text.matchAll(sink.re)) {
        const at = m.index + m[0].length;
        // The line of the sink's own text (a key may follow its `{` on the next line).
        const key = m.index + (/^[{,]\s*/.exec(m[0])?.[0].length ?? 0);
        const lineStart = text.lastIndexOf('\n', key) + 1;
        const lineEnd = text.indexOf('\n', key);
        const line = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
        // An explicit, reviewed exception names why on the same line.
        if (/\/\/ ui-text: \S/.test(line)) continue;
        // `{ command: …, title: … }` is a command's title for a tree row or code lens, never rendered as a link.
        if (sink.name.startsWith('quick input') && /\bcommand:\s/.test(line.slice(0, key - lineStart))) continue;
        if (!isSafe(text, at)) {
          const lineNo = text.slice(0, key).split('\n').length;
          problems.push(`${relative(ROOT, file)}:${lineNo} (${sink.name}): ${line.trim().slice(0, 140)}`);
        }
      }
    }
  }
  assert.deepEqual(
    problems,
    [],
    `Wrap these in uiText() (or mark a reviewed literal-only case with "// ui-text: why"):\n${problems.join('\n')}`,
  );
});
