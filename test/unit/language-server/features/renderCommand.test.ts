// The command MLflow would run; the integration differential test checks the same function
// against MLflow's own compute_command on every valid fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMlprojectModel } from '../../../../language-server/src/model/mlprojectModel.ts';
import { renderEntryPointCommand } from '../../../../language-server/src/features/renderCommand.ts';
import { validateModel } from '../../../../language-server/src/features/validate.ts';
import { memoryProject } from '../support.ts';

const DOC = `name: x
entry_points:
  main:
    parameters:
      alpha: {type: float, default: 0.5}
      flag: {default: yes}
      msg: string
      data: {type: path, default: data/in.csv}
      target: {type: uri, default: "s3://b/k"}
    command: "python train.py {alpha} {flag} --msg {msg} --data {data} --target {target} && echo \${{HOME}}"
`;
const ctx = memoryProject({ 'data/in.csv': '', 'other.csv': '' });

function render(doc: string, entryPoint: string, values: Record<string, string>) {
  const model = buildMlprojectModel(doc);
  return renderEntryPointCommand(model, validateModel(model, ctx), entryPoint, values, ctx);
}

test('defaults, shell quoting, path resolution and extra -P pairs, as compute_command does', () => {
  assert.deepEqual(render(DOC, 'main', { msg: "it's $(rm -rf /)", extra: 'a b' }), {
    command:
      "python train.py 0.5 True --msg 'it'\"'\"'s $(rm -rf /)' --data /proj/data/in.csv --target s3://b/k && echo ${HOME} --extra 'a b'",
  });
  assert.deepEqual(render(DOC, 'main', { msg: '', data: 'other.csv', alpha: 'abc' }), {
    command: "python train.py abc True --msg '' --data /proj/other.csv --target s3://b/k && echo ${HOME}",
  });
});

test('MLflow’s errors: missing parameters, bad uri, missing path, unknown entry point', () => {
  assert.deepEqual(render(DOC, 'main', {}), { error: "No value given for missing parameters: 'msg'" });
  assert.deepEqual(render(DOC, 'main', { msg: 'm', target: 'data.csv' }), {
    error: 'Expected URI for parameter target but got data.csv',
  });
  assert.deepEqual(render(DOC, 'main', { msg: 'm', data: 'nope.csv' }), {
    error: 'Got value nope.csv for parameter data, but no such file or directory was found.',
  });
  assert.deepEqual(render(DOC, 'train', {}), {
    error:
      "Could not find train among entry points ['main'] or interpret train as a runnable script. Supported script file extensions: ['.py', '.sh']",
  });
});

test('file entry points and remote paths', () => {
  assert.deepEqual(render(DOC, 'scripts/my job.py', { k: 'v' }), { command: "python 'scripts/my job.py' --k v" });
  const remote = render(DOC.replace('default: data/in.csv', 'default: "s3://bucket/in.csv"'), 'main', { msg: 'm' });
  assert.ok('command' in remote);
  assert.match(remote.notes?.[0] ?? '', /downloads s3:\/\/bucket\/in\.csv/);
});

test('template and load errors are reported instead of a command', () => {
  assert.deepEqual(render('entry_points:\n  main:\n    command: "echo ${HOME}"\n', 'main', {}), {
    error: "KeyError: 'HOME'",
  });
  const broken = render(
    'name: x\npython_env: a.yaml\nconda_env: b.yaml\nentry_points:\n  main:\n    command: echo\n',
    'main',
    {},
  );
  assert.ok('error' in broken && broken.error.includes('Project cannot contain multiple environment fields'));
});

test('values the shell would expand or split in a quoted placeholder come with warnings saying why', () => {
  const doc = `name: x\nentry_points:\n  main:\n    parameters:\n      name: string\n      tag: string\n    command: echo "--name={name}" '{tag}'\n`;
  const risky = render(doc, 'main', { name: '$(touch /tmp/x)', tag: 'a b' });
  assert.ok('command' in risky);
  assert.equal(risky.command, `echo "--name='$(touch /tmp/x)'" ''a b''`);
  assert.deepEqual(risky.warnings, [
    "`{name}` is inside double quotes in the command. MLflow already shell-quotes the value as '$(touch /tmp/x)'; inside double quotes those quotes are literal characters, and the shell expands `$`, backticks and `\\` in it.",
    "`{tag}` is inside single quotes in the command; MLflow's own quotes ('a b') close and reopen them, so the value is unquoted: it is split into words at spaces.",
  ]);
  // Plain values are not changed by the quotes: no warning.
  const plain = render(doc, 'main', { name: 'world', tag: 'v1.2' });
  assert.deepEqual(plain, { command: `echo "--name=world" 'v1.2'` });
});
