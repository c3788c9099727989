// Each quick fix, applied, removes the diagnostic it was offered for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quickFixes } from '../../../../language-server/src/features/codeActions.ts';
import { validateMlproject } from '../../../../language-server/src/features/validate.ts';
import { applyEdits, memoryProject } from '../support.ts';
import type { ProjectContext } from '../../../../language-server/src/model/projectContext.ts';

function fix(text: string, code: string, title: RegExp, ctx: ProjectContext = {}): string {
  const diagnostics = validateMlproject(text, ctx);
  const candidates = diagnostics.filter((d) => d.code === code);
  assert.ok(candidates.length > 0, `no ${code} in ${JSON.stringify(diagnostics.map((d) => d.code))}`);
  const actions = candidates.flatMap((d) => quickFixes(diagnostics, d.range).filter((a) => a.diagnostic === d));
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `no fix ${title} among ${JSON.stringify(actions.map((a) => a.title))}`);
  const target = action.diagnostic;
  const fixed = applyEdits(text, action.edits);
  assert.ok(
    !validateMlproject(fixed, ctx).some((d) => d.code === code && d.message === target.message),
    `still ${code} after the fix:\n${fixed}`,
  );
  return fixed;
}

test('declare a missing parameter under an existing parameters block', () => {
  const text = 'entry_points:\n  main:\n    parameters:\n      alpha: float\n    command: "echo {alpha} {beta}"\n';
  assert.equal(
    fix(text, 'placeholder-undeclared', /Declare parameter/),
    'entry_points:\n  main:\n    parameters:\n      alpha: float\n      beta: {type: string}\n    command: "echo {alpha} {beta}"\n',
  );
});

test('declare a missing parameter creating the parameters block (CRLF kept)', () => {
  const text = 'entry_points:\r\n  main:\r\n    command: "echo {beta}"\r\n';
  assert.equal(
    fix(text, 'placeholder-undeclared', /Declare parameter/),
    'entry_points:\r\n  main:\r\n    parameters:\r\n      beta: {type: string}\r\n    command: "echo {beta}"\r\n',
  );
});

test('declare a missing parameter in a flow-style parameters mapping', () => {
  const text = 'entry_points:\n  main:\n    parameters: {a: float}\n    command: "echo {a} {b}"\n';
  assert.match(
    fix(text, 'placeholder-undeclared', /Declare parameter/),
    /parameters: \{a: float, b: \{type: string\}\}/,
  );
});

test('remove a conflicting environment key', () => {
  const text = 'name: x\npython_env: python_env.yaml\nconda_env: conda.yaml\nentry_points: {}\n';
  const ctx = memoryProject({ 'python_env.yaml': '', 'conda.yaml': '' });
  const fixed = fix(text, 'multiple-environments', /Remove `conda_env`/, ctx);
  assert.equal(fixed, 'name: x\npython_env: python_env.yaml\nentry_points: {}\n');
});

test('fix a misspelled type and a misspelled key', () => {
  const text = 'entry_points:\n  main:\n    parameters:\n      a: {type: flaot, defualt: 1}\n    command: "echo {a}"\n';
  const typeFixed = fix(text, 'parameter-type-unknown', /Change to `float`/);
  assert.match(typeFixed, /type: float/);
  assert.match(fix(typeFixed, 'unknown-key', /Change to `default`/), /default: 1/);
});

test('escape ${VAR} as ${{VAR}}, stray braces, and quote a flow-mapping command', () => {
  const shell = fix('entry_points:\n  main:\n    command: "echo ${HOME}"\n', 'placeholder-undeclared', /Escape/);
  assert.equal(shell, 'entry_points:\n  main:\n    command: "echo ${{HOME}}"\n');
  assert.equal(
    fix("entry_points:\n  main:\n    command: 'a } b'\n", 'command-format', /literal brace/),
    "entry_points:\n  main:\n    command: 'a }} b'\n",
  );
  assert.equal(
    fix('entry_points:\n  main:\n    parameters: {a: float}\n    command: {a}\n', 'command-type', /Quote/),
    'entry_points:\n  main:\n    parameters: {a: float}\n    command: "{a}"\n',
  );
});

test('quote a YAML 1.1 default, rename a typo placeholder', () => {
  assert.match(
    fix(
      'entry_points:\n  main:\n    parameters: {f: {default: yes}}\n    command: "echo {f}"\n',
      'yaml11-coercion',
      /Quote/,
    ),
    /default: "yes"/,
  );
  assert.match(
    fix(
      'entry_points:\n  main:\n    parameters: {alpha: float}\n    command: "echo {alhpa}"\n',
      'placeholder-undeclared',
      /Change to `\{alpha\}`/,
    ),
    /echo \{alpha\}/,
  );
});

test('only diagnostics touching the range offer fixes', () => {
  const text = 'entry_points:\n  main:\n    parameters: {a: {type: flaot}}\n    command: "echo {a} {b}"\n';
  const diagnostics = validateMlproject(text);
  const onLine2 = quickFixes(diagnostics, { start: { line: 2, character: 0 }, end: { line: 2, character: 99 } });
  assert.deepEqual(
    onLine2.map((a) => a.title),
    ['Change to `float`'],
  );
  assert.deepEqual(quickFixes(diagnostics, { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }), []);
});
