import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aliasChange, aliasNameProblem, versionsWithAliases } from '../../../extension/src/models/aliasRules.ts';
import * as decode from '../../../extension/src/mlflow/decode.ts';

test('alias names follow MLflow: word characters and dashes, not latest, not v<number>', () => {
  for (const ok of ['champion', 'prod-eu', 'A_1', 'v1x', 'version2']) assert.equal(aliasNameProblem(ok), undefined, ok);
  for (const bad of ['', 'two words', 'a/b', 'a@b', 'latest', 'LaTeSt', 'v3', 'V12', 'x'.repeat(256)])
    assert.ok(aliasNameProblem(bad), `${JSON.stringify(bad)} should be refused`);
});

test('setting an alias: new, already there, or moved away from the version that had it', () => {
  const model = {
    aliases: [
      { alias: 'champion', version: '3' },
      { alias: 'challenger', version: '4' },
    ],
  };
  assert.deepEqual(aliasChange(model, 'staging', '2'), { kind: 'create' });
  assert.deepEqual(aliasChange(model, 'champion', '3'), { kind: 'unchanged' });
  assert.deepEqual(aliasChange(model, 'champion', '4'), { kind: 'move', from: '3' });
});

test('versions get the aliases registered-models/get lists for them, newest first by number', () => {
  // model-versions/search answers without `aliases`; decode fills an empty list.
  const searched = [
    decode.modelVersion({ name: 'm', version: '2' }),
    decode.modelVersion({ name: 'm', version: '10' }),
    decode.modelVersion({ name: 'm', version: '9' }),
  ];
  assert.deepEqual(searched[0]?.aliases, []);
  const model = decode.registeredModel({
    name: 'm',
    aliases: [
      { alias: 'staging', version: '10' },
      { alias: 'champion', version: '10' },
      { alias: 'old', version: '2' },
    ],
  });
  const merged = versionsWithAliases(searched, model);
  assert.deepEqual(
    merged.map((v) => [v.version, v.aliases]),
    [
      ['10', ['champion', 'staging']],
      ['9', []],
      ['2', ['old']],
    ],
  );
});

test('a pending or failed registration keeps its status message', () => {
  const v = decode.modelVersion({
    name: 'm',
    version: '1',
    status: 'FAILED_REGISTRATION',
    status_message: 'copy failed',
  });
  assert.equal(v.status, 'FAILED_REGISTRATION');
  assert.equal(v.status_message, 'copy failed');
  assert.equal(decode.modelVersion({ name: 'm', version: '1', status_message: '' }).status_message, undefined);
});
