import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDefinition } from '../../../../language-server/src/features/definition.ts';
import { buildMlprojectModel } from '../../../../language-server/src/model/mlprojectModel.ts';
import { cursor, memoryProject } from '../support.ts';

const DOC =
  'python_env: envs/python_env.yaml\nentry_points:\n  main:\n    parameters:\n      alpha: float\n    command: "python src/train.py --alpha {alpha}"\n';
const ctx = memoryProject({ 'envs/python_env.yaml': '', 'src/train.py': '' });

function def(marked: string) {
  const { text, offset } = cursor(marked);
  return { text, target: findDefinition(buildMlprojectModel(text), offset, ctx) };
}

test('placeholder → parameter declaration', () => {
  const { text, target } = def(DOC.replace('{alpha}', '{al<|>pha}'));
  assert.equal(target?.kind, 'document');
  if (target?.kind !== 'document') return;
  assert.equal(text.slice(target.range.start, target.range.end), 'alpha');
  assert.equal(text.slice(target.originRange.start, target.originRange.end), 'alpha');
  assert.ok(target.range.start < text.indexOf('command'));
});

test('script in a command and env-file value → the file', () => {
  const { text, target } = def(DOC.replace('src/train.py', 'src/tr<|>ain.py'));
  assert.equal(target?.kind, 'file');
  if (target?.kind !== 'file') return;
  assert.equal(target.path, '/proj/src/train.py');
  assert.equal(text.slice(target.originRange.start, target.originRange.end), 'src/train.py');
  const env = def(DOC.replace('envs/python_env.yaml', 'envs/py<|>thon_env.yaml')).target;
  assert.equal(env?.kind === 'file' ? env.path : '', '/proj/envs/python_env.yaml');
});

test('nothing for files that do not exist or plain text', () => {
  assert.equal(
    def(DOC.replace('src/train.py', 'src/missing.py').replace('missing.py', 'miss<|>ing.py')).target,
    undefined,
  );
  assert.equal(def(DOC.replace('python src', 'pyth<|>on src')).target, undefined);
});
