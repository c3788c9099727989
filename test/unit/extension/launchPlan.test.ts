import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  displayCommand,
  failureLine,
  mlflowRunArgs,
  paramsMlflowLogs,
  quotingConfirmation,
  runTerminalHeader,
  validateParameterValue,
} from '../../../extension/src/projects/launchPlan.ts';
import { shlexQuote } from '../../../language-server/src/python/shellQuote.ts';

const nasty = [
  'hello world',
  "it's",
  '; rm -rf /',
  '$(touch pwned)',
  '`id`',
  'a\nb',
  '',
  'plain-0.5',
  'ünïcode',
  '"quoted"',
  '*',
  '~',
];

test('each parameter value is one argv entry, whatever it contains', () => {
  const values = Object.fromEntries(nasty.map((v, i) => [`p${i}`, v]));
  const args = mlflowRunArgs({
    projectDir: '/proj dir',
    entryPoint: 'main',
    values,
    experimentName: 'exp; x',
    runId: 'r1',
    envManager: 'local',
  });
  assert.deepEqual(args.slice(0, 6), ['-m', 'mlflow', 'run', '/proj dir', '-e', 'main']);
  nasty.forEach((v, i) => assert.ok(args.includes(`p${i}=${v}`), `p${i} is passed whole`));
  assert.deepEqual(args.slice(-6), ['--experiment-name', 'exp; x', '--run-id', 'r1', '--env-manager', 'local']);
});

test("shlexQuote matches Python's shlex.quote, which MLflow applies to values", () => {
  const py = spawnSync(
    'python3',
    ['-c', 'import json,shlex,sys; print(json.dumps([shlex.quote(s) for s in json.load(sys.stdin)]))'],
    { input: JSON.stringify(nasty), encoding: 'utf8' },
  );
  assert.equal(py.status, 0, py.stderr);
  assert.deepEqual(nasty.map(shlexQuote), JSON.parse(py.stdout));
});

test('the displayed command, read back by a POSIX shell, is the argv we spawn', () => {
  const args = ['-m', 'mlflow', 'run', '.', '-P', "msg=it's $(x); `y`", '-P', 'n=a\nb'];
  const shown = displayCommand('/usr/bin/python3', args);
  const echoed = spawnSync('bash', ['-c', `printf '%s\\0' ${shown}`], { encoding: 'utf8' });
  assert.deepEqual(echoed.stdout.split('\0').slice(0, -1), ['/usr/bin/python3', ...args]);
});

test('params are logged as MLflow logs them: declared with defaults, extras too, shell-quoted', () => {
  const entry = {
    name: 'main',
    command: 'python train.py',
    parameters: [
      { name: 'alpha', type: 'float', default: '0.5', required: false },
      { name: 'data', type: 'path', default: null, required: true },
      { name: 'flag', type: 'string', default: 'True', required: false },
    ],
  };
  assert.deepEqual(paramsMlflowLogs(entry, { data: 'my file.csv', extra: 'x' }), [
    { key: 'alpha', value: '0.5' },
    { key: 'data', value: "'my file.csv'" },
    { key: 'flag', value: 'True' },
    { key: 'extra', value: 'x' },
  ]);
});

test('values are checked by declared type the way MLflow checks them', () => {
  const exists = (p: string) => p === '/proj/data.csv';
  assert.equal(validateParameterValue('float', '0.5', '/proj', exists), undefined);
  assert.match(validateParameterValue('float', 'abc', '/proj', exists) ?? '', /not a number/);
  assert.match(validateParameterValue('int', '1.5', '/proj', exists) ?? '', /whole number/);
  assert.equal(validateParameterValue('path', 'data.csv', '/proj', exists), undefined, 'relative to the project dir');
  assert.match(validateParameterValue('path', 'missing.csv', '/proj', exists) ?? '', /No such file/);
  assert.equal(
    validateParameterValue('path', 's3://bucket/key', '/proj', exists),
    undefined,
    'remote paths are downloaded by MLflow',
  );
  assert.equal(validateParameterValue('uri', 'file:///tmp/x', '/proj', exists), undefined);
  assert.match(validateParameterValue('uri', './local', '/proj', exists) ?? '', /not a URI/);
  assert.equal(validateParameterValue('string', '', '/proj', exists), undefined);
});

test("a failure is named by MLflow's own last ERROR line", () => {
  const out =
    "2026/11/23 10:00:00 INFO mlflow.projects: === Running command 'python x.py' ===\nTraceback...\n2026/11/23 10:00:01 ERROR mlflow.cli: === Run (ID 'abc') failed ===\n";
  assert.equal(failureLine(out), "Run (ID 'abc') failed");
  assert.equal(failureLine('Traceback (most recent call last):\n  File "x"\nKeyError: \'foo\'\n'), "KeyError: 'foo'");
  assert.equal(failureLine('all good\n'), undefined);
});

test('values the shell would expand or split in a quoted placeholder are asked about before launching, with the reasons', () => {
  assert.equal(quotingConfirmation({ command: 'echo hi' }), undefined);
  assert.equal(quotingConfirmation({ error: 'KeyError' }), undefined);
  const ask = quotingConfirmation({
    command: `echo "'$(id)'"`,
    warnings: ['`{name}` is inside double quotes in the command. …'],
  });
  assert.ok(ask);
  assert.match(ask.message, /would not reach the program as typed/);
  assert.match(ask.detail, /`\{name\}` is inside double quotes/);
  assert.match(ask.detail, /Remove the quotes around the placeholder in the MLproject/);
  assert.equal(ask.confirm, 'Run Anyway');
});

test('the run terminal header and name show server and workspace strings as text, never as terminal sequences', () => {
  const osc = '\x1b]0;pwned\x07';
  const { name, header } = runTerminalHeader({
    entryPoint: `main${osc}`,
    runName: `run\x1b[2J\u202eexe.txt`,
    runId: 'r1\r',
    commandLine: `python -m mlflow run . -P a='x\x1b[31m'`,
    rendered: { command: `python train.py\x1b]8;;https://evil\x07` },
    serverUri: 'http://127.0.0.1:5000\n',
    experimentName: `exp\x9b6n`,
  });
  for (const s of [name, ...header]) {
    assert.doesNotMatch(s, /[\u0000-\u001f\u007f-\u009f\u202e]/, JSON.stringify(s));
  }
  assert.equal(header.length, 3);
  assert.equal(header[0], "$ python -m mlflow run . -P a='x\\u001b[31m'");
  assert.equal(header[1], 'MLflow runs: python train.py\\u001b]8;;https://evil\\u0007');
  assert.equal(
    header[2],
    'Tracking server: http://127.0.0.1:5000\\n · experiment: exp\\u009b6n · run: run\\u001b[2J\\u202eexe.txt (r1\\r)',
  );
  assert.equal(name, 'MLflow: main\\u001b]0;pwned\\u0007 (run\\u001b[2J\\u202eexe.txt)');
  const failed = runTerminalHeader({
    entryPoint: 'main',
    runName: 'r',
    runId: 'r1',
    commandLine: '$ x',
    rendered: { error: 'bad\x1b[1mthing' },
    serverUri: 'http://127.0.0.1:1',
    experimentName: 'e',
  });
  assert.equal(failed.header[1], 'MLflow will fail to render the command: bad\\u001b[1mthing');
});
