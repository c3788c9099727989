// The TextMate grammar, tokenised with VS Code's own engine (vscode-textmate + oniguruma, taken
// from the code-server that scripts/tools.sh installs for the e2e tests).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './support.ts';

interface Token {
  startIndex: number;
  endIndex: number;
  scopes: string[];
}
interface Grammar {
  tokenizeLine(line: string, state: unknown): { tokens: Token[]; ruleStack: unknown };
}

const vscodeModules = join(
  process.env.E2E_TOOLS ?? join(homedir(), '.cache/mlflow-vscode-e2e'),
  'code-server/node_modules/code-server/lib/vscode/node_modules',
);
let grammar: Grammar;
let initialState: unknown;

before(async () => {
  assert.ok(
    existsSync(join(vscodeModules, 'vscode-textmate')),
    `vscode-textmate not found under ${vscodeModules}; run scripts/tools.sh`,
  );
  const require = createRequire(join(vscodeModules, 'x.js'));
  const textmate = require('vscode-textmate') as {
    Registry: new (o: unknown) => { loadGrammar(scope: string): Promise<Grammar> };
    INITIAL: unknown;
  };
  const onig = require('vscode-oniguruma') as {
    loadWASM(b: ArrayBuffer): Promise<void>;
    OnigScanner: unknown;
    OnigString: unknown;
  };
  const wasm = readFileSync(join(vscodeModules, 'vscode-oniguruma/release/onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new (onig.OnigScanner as new (s: string[]) => unknown)(sources),
      createOnigString: (s: string) => new (onig.OnigString as new (s: string) => unknown)(s),
    }),
    loadGrammar: async (scope: string) =>
      scope === 'source.mlproject'
        ? JSON.parse(readFileSync(join(repoRoot, 'syntaxes/mlproject.tmLanguage.json'), 'utf8'))
        : null,
  });
  grammar = await registry.loadGrammar('source.mlproject');
  initialState = textmate.INITIAL;
});

/** Scopes of each token's text, line by line. */
function tokenize(text: string): Array<[string, string]> {
  let state = initialState;
  const out: Array<[string, string]> = [];
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    for (const t of r.tokens) out.push([line.slice(t.startIndex, t.endIndex), t.scopes.join(' ')]);
  }
  return out;
}

function scopeOf(tokens: Array<[string, string]>, text: string): string {
  const hit = tokens.find(([t]) => t.trim() === text);
  assert.ok(hit, `no token ${JSON.stringify(text)} in ${JSON.stringify(tokens.map(([t]) => t))}`);
  return hit[1];
}

test('placeholders, escapes and shell variables in each command style', () => {
  for (const doc of [
    'entry_points:\n  main:\n    command: "python t.py {alpha} {{x}} ${HOME}"',
    "entry_points:\n  main:\n    command: 'python t.py {alpha} {{x}} ${HOME}'",
    'entry_points:\n  main:\n    command: |\n      python t.py \\\n        {alpha} {{x}} ${HOME}\n  etl:\n    command: echo',
    'entry_points:\n  main:\n    command: python t.py {alpha} {{x}} ${HOME} # note',
  ]) {
    const tokens = tokenize(doc);
    assert.match(scopeOf(tokens, 'alpha'), /variable\.parameter\.placeholder\.mlproject/, doc);
    assert.match(scopeOf(tokens, '{{'), /constant\.character\.escape\.brace/, doc);
    assert.match(scopeOf(tokens, '${HOME}'), /invalid\.illegal\.shell-variable/, doc);
    assert.match(scopeOf(tokens, 'command'), /entity\.name\.tag/, doc);
  }
  const after = tokenize('entry_points:\n  main:\n    command: |\n      echo {a}\n  etl:\n    command: echo');
  assert.match(scopeOf(after, 'etl'), /entity\.name\.tag/, 'the block scalar ends at the next key');
  const spec = tokenize('x:\n  command: "{alpha:>10} {a!r}"');
  assert.match(scopeOf(spec, ':>10'), /constant\.other\.format-spec/);
  assert.match(scopeOf(spec, '!r'), /storage\.modifier\.conversion/);
});

test('YAML 1.1 scalars are coloured as PyYAML reads them', () => {
  const tokens = tokenize(
    'p:\n  a: {default: yes}\n  b: {default: 010}\n  c: {default: 12:30}\n  d: {default: 1e-3}\n  e: {default: 1.0e-3}\n  f: {default: ~}\n  g: {default: 2020-01-01}',
  );
  assert.match(scopeOf(tokens, 'yes'), /constant\.language\.boolean/);
  assert.match(scopeOf(tokens, '010'), /constant\.numeric\.integer\.other/);
  assert.match(scopeOf(tokens, '12:30'), /constant\.numeric\.integer\.other/);
  assert.doesNotMatch(scopeOf(tokens, '1e-3'), /constant\.numeric/, '1e-3 is a string in YAML 1.1');
  assert.match(scopeOf(tokens, '1.0e-3'), /constant\.numeric\.float/);
  assert.match(scopeOf(tokens, '~'), /constant\.language\.null/);
  assert.match(scopeOf(tokens, '2020-01-01'), /constant\.other\.timestamp/);
  assert.match(scopeOf(tokens, 'default'), /entity\.name\.tag/);
});

test('keys, comments, anchors, aliases, tags and strings', () => {
  const tokens = tokenize('name: demo # the name\nx: &common {a: 1}\ny: *common\nz: !!str 12\nq: "s" \n- item');
  assert.match(scopeOf(tokens, 'name'), /entity\.name\.tag/);
  assert.match(scopeOf(tokens, 'the name'), /comment\.line/);
  assert.match(scopeOf(tokens, '&common'), /entity\.name\.type\.anchor/);
  assert.match(scopeOf(tokens, '*common'), /variable\.other\.alias/);
  assert.match(scopeOf(tokens, '!!str'), /storage\.type\.tag/);
  assert.match(scopeOf(tokens, 's'), /string\.quoted\.double/);
});

test('language configuration: comments, brackets, YAML-like indentation rules', () => {
  const config = JSON.parse(readFileSync(join(repoRoot, 'syntaxes/mlproject.language-configuration.json'), 'utf8')) as {
    comments: { lineComment: string };
    brackets: string[][];
    wordPattern: string;
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
    onEnterRules: Array<{ beforeText: string }>;
  };
  assert.equal(config.comments.lineComment, '#');
  assert.deepEqual(config.brackets, [
    ['{', '}'],
    ['[', ']'],
  ]);
  const increase = new RegExp(config.indentationRules.increaseIndentPattern);
  for (const line of [
    'entry_points:',
    '  main:',
    '    parameters:  # comment',
    '    command: |',
    '    command: >-',
    '- ',
    '  - name:',
    '  x: &anchor',
  ])
    assert.ok(increase.test(line), line);
  for (const line of ['name: demo', '    command: "python x.py"', '      alpha: {type: float}', '# entry_points:'])
    assert.ok(!increase.test(line), line);
  assert.ok(new RegExp(config.indentationRules.decreaseIndentPattern).test('    }'));
  for (const r of config.onEnterRules) assert.doesNotThrow(() => new RegExp(r.beforeText));
  const word = new RegExp(config.wordPattern, 'g');
  assert.deepEqual('--alpha {l1_ratio} my-param'.match(word), ['--alpha', 'l1_ratio', 'my-param']);
});
