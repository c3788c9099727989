import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeMlproject } from '../../../../language-server/src/features/complete.ts';
import { cursorContext } from '../../../../language-server/src/features/cursorContext.ts';
import { buildMlprojectModel } from '../../../../language-server/src/model/mlprojectModel.ts';
import type { ProjectContext } from '../../../../language-server/src/model/projectContext.ts';
import { LineIndex } from '../../../../language-server/src/text/textPositions.ts';
import { applyEdits, cursor, memoryProject } from '../support.ts';

function complete(
  withCursor: string,
  ctx: ProjectContext = {},
): { labels: string[]; apply: (label: string) => string } {
  const { text, offset } = cursor(withCursor);
  const items = completeMlproject(buildMlprojectModel(text), offset, ctx);
  return {
    labels: items.map((i) => i.label),
    apply: (label: string) => {
      const it = items.find((i) => i.label === label);
      assert.ok(it?.textEdit && 'range' in it.textEdit, `no item ${label}`);
      return applyEdits(text, [it.textEdit]);
    },
  };
}

test('cursor context follows indentation even in broken YAML', () => {
  const { text, offset } = cursor(
    'name: x\nentry_points:\n  main:\n    parameters:\n      alpha: {type: fl<|>\n    command: "',
  );
  const c = cursorContext(new LineIndex(text), offset);
  assert.deepEqual(c.path, ['entry_points', 'main', 'parameters', 'alpha']);
  assert.equal(c.position, 'value');
  assert.equal(c.key, 'type');
  assert.equal(c.prefix, 'fl');
});

test('top-level keys, minus those already present', () => {
  const r = complete('name: x\n<|>');
  assert.deepEqual(r.labels.sort(), ['conda_env', 'databricks_spark_job', 'docker_env', 'entry_points', 'python_env']);
  assert.equal(r.apply('entry_points'), 'name: x\nentry_points: ');
});

test('docker_env keys and entry-point keys', () => {
  assert.deepEqual(complete('name: x\ndocker_env:\n  image: i\n  <|>').labels.sort(), ['environment', 'volumes']);
  assert.deepEqual(complete('entry_points:\n  main:\n    command: echo\n    <|>').labels, ['parameters']);
  assert.deepEqual(complete('entry_points:\n  <|>').labels, ['main']);
});

test('parameter keys and types, in block and flow style', () => {
  assert.deepEqual(complete('entry_points:\n  main:\n    parameters:\n      alpha:\n        <|>').labels.sort(), [
    'default',
    'type',
  ]);
  assert.deepEqual(complete('entry_points:\n  main:\n    parameters:\n      alpha: {<|>').labels.sort(), [
    'default',
    'type',
  ]);
  const types = complete('entry_points:\n  main:\n    parameters:\n      alpha: {type: fl<|>}');
  assert.deepEqual(types.labels, ['string', 'float', 'path', 'uri', 'int']);
  assert.equal(types.apply('float'), 'entry_points:\n  main:\n    parameters:\n      alpha: {type: float}');
  assert.ok(complete('entry_points:\n  main:\n    parameters:\n      alpha: <|>').labels.includes('path'));
  assert.ok(
    complete('entry_points:\n  main:\n    parameters:\n      alpha:\n        type: <|>').labels.includes('uri'),
  );
});

test('parameter names inside { } in a command, closing the brace once', () => {
  const doc =
    'entry_points:\n  main:\n    parameters:\n      alpha: float\n      l1_ratio: {default: 0.1}\n    command: "python t.py {al<|>"\n';
  const r = complete(doc);
  assert.deepEqual(r.labels, ['alpha', 'l1_ratio']);
  assert.equal(r.apply('alpha'), doc.replace('{al<|>"', '{alpha}"'));
  const before = complete('entry_points:\n  main:\n    parameters: {x: float}\n    command: "echo {<|>}"\n');
  assert.equal(before.apply('x'), 'entry_points:\n  main:\n    parameters: {x: float}\n    command: "echo {x}"\n');
  // In a multi-line block command too.
  assert.deepEqual(
    complete(
      'entry_points:\n  main:\n    parameters: {x: float}\n    command: |\n      python t.py \\\n        --x {<|>\n',
    ).labels,
    ['x'],
  );
});

test('parameter names inside { } in block and multi-line commands, with an anchor or tag before the indicator', () => {
  const params = 'entry_points:\n  main:\n    parameters:\n      alpha: float\n      beta: {default: 1}\n';
  for (const command of [
    'command: >-\n      python t.py {<|>\n',
    'command: &train >-\n      python t.py {<|>\n',
    'command: !!str |\n      python t.py\n        --alpha {<|>\n',
    'command: &c !!str >\n      python t.py {alpha} {<|>}\n',
    'command:\n      python t.py\n        --alpha {<|>\n',
  ]) {
    assert.deepEqual(complete(`${params}    ${command}`).labels, ['alpha', 'beta'], command);
  }
  const doc = `${params}    command: &c >-\n      python t.py --alpha {al<|>\n`;
  assert.equal(complete(doc).apply('alpha'), doc.replace('{al<|>', '{alpha}'));
});

test('undeclared placeholders are offered as new parameters', () => {
  assert.deepEqual(
    complete('entry_points:\n  main:\n    parameters:\n      a: float\n      <|>\n    command: "echo {a} {b}"\n')
      .labels,
    ['b'],
  );
});

test('entry-point names after -e, unused parameters as {name}', () => {
  const doc =
    'entry_points:\n  etl:\n    command: echo\n  main:\n    parameters: {n: float}\n    command: "mlflow run . -e <|>"\n';
  assert.deepEqual(complete(doc).labels, ['etl', 'main']);
  assert.deepEqual(
    complete('entry_points:\n  main:\n    parameters: {n: float}\n    command: "python t.py --n <|>"\n').labels,
    ['{n}'],
  );
});

test('files: env-file values and scripts after an interpreter, listed through ProjectFiles', () => {
  const ctx = memoryProject({
    'python_env.yaml': '',
    'conda.yml': '',
    'train.py': '',
    'README.md': '',
    'src/etl.py': '',
    'run.sh': '',
  });
  assert.deepEqual(complete('python_env: <|>', ctx).labels.sort(), ['conda.yml', 'python_env.yaml', 'src/']);
  const scripts = complete('entry_points:\n  main:\n    command: python <|>', ctx);
  assert.deepEqual(scripts.labels.sort(), ['src/', 'train.py']);
  assert.deepEqual(complete('entry_points:\n  main:\n    command: python src/<|>', ctx).labels, ['etl.py']);
  assert.deepEqual(complete('entry_points:\n  main:\n    command: bash <|>', ctx).labels.sort(), ['run.sh', 'src/']);
  // Without a project directory there is nothing to list.
  assert.deepEqual(complete('python_env: <|>').labels, []);
});
