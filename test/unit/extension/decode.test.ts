import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as decode from '../../../extension/src/mlflow/decode.ts';

test('a run as MLflow sends it: omitted lists become empty, NaN/Infinity strings become numbers', () => {
  const run = decode.run({
    info: {
      run_id: 'abc',
      experiment_id: '1',
      status: 'FINISHED',
      start_time: 1700000000000,
      lifecycle_stage: 'active',
      artifact_uri: 'mlflow-artifacts:/1/abc/artifacts',
    },
    data: {
      metrics: [
        { key: 'loss', value: 'NaN', timestamp: 1, step: 3 },
        { key: 'gain', value: 'Infinity', timestamp: 1, step: 0 },
        { key: 'drop', value: '-Infinity', timestamp: 1, step: 0 },
        { key: 'acc', value: 0.9, timestamp: 2 },
        { key: 'stored-inf', value: 1.7976931348623157e308, timestamp: 1, step: 0 },
      ],
      tags: [{ key: 'empty' }],
    },
  });
  assert.equal(run.info.run_name, '');
  assert.deepEqual(run.data.params, []);
  assert.ok(Number.isNaN(run.data.metrics[0]!.value));
  assert.equal(run.data.metrics[1]!.value, Infinity);
  assert.equal(run.data.metrics[2]!.value, -Infinity);
  assert.equal(run.data.metrics[3]!.step, 0, 'a missing step is step 0');
  assert.equal(run.data.metrics[4]!.value, Infinity, 'SQL stores keep inf as the largest double');
  assert.equal(run.data.tags[0]!.value, '', 'MLflow omits empty tag values');
  assert.deepEqual(run.inputs, { datasets: [], model_ids: [] });
});

test('run_uuid is accepted where an old server sends no run_id', () => {
  assert.equal(decode.runInfo({ run_uuid: 'x', experiment_id: '0' }).run_id, 'x');
});

test('a body that is not what MLflow sends names the offending field', () => {
  assert.throws(
    () => decode.run({ info: { run_id: 'a', experiment_id: 1 } }),
    /run\.info\.experiment_id should be a string, got number/,
  );
  assert.throws(
    () => decode.run({ info: { run_id: 'a', experiment_id: '1', status: 'DONE' } }),
    /status should be a run status/,
  );
  assert.throws(() => decode.metric({ key: 'k', value: 'abc' }), /metric\.value should be a number, got "abc"/);
  assert.throws(() => decode.list({ runs: {} }, 'runs', '', decode.run), /\.runs should be a list, got object/);
  assert.throws(() => decode.object([], ''), /body should be an object, got a list/);
});

test('model versions keep their string version and aliases', () => {
  const v = decode.modelVersion({ name: 'm', version: '3', aliases: ['champion'], run_id: '' });
  assert.equal(v.version, '3');
  assert.deepEqual(v.aliases, ['champion']);
  assert.equal(v.run_id, undefined, 'an empty run_id means no run');
  assert.throws(
    () => decode.modelVersion({ name: 'm', version: '1', aliases: [1] }),
    /aliases\[0\] should be a string/,
  );
});

test('artifact listings keep sizes and directory flags', () => {
  const l = decode.artifactListing({
    root_uri: 'r',
    files: [
      { path: 'a.txt', file_size: 5 },
      { path: 'd', is_dir: true },
    ],
  });
  assert.deepEqual(l.files, [
    { path: 'a.txt', is_dir: false, file_size: 5 },
    { path: 'd', is_dir: true },
  ]);
  assert.deepEqual(decode.artifactListing({}).files, [], 'an empty directory is {}');
});

test('page tokens: absent or empty means the last page', () => {
  assert.equal(decode.pageToken({}), undefined);
  assert.equal(decode.pageToken({ next_page_token: '' }), undefined);
  assert.equal(decode.pageToken({ next_page_token: 'eyJ' }), 'eyJ');
});
