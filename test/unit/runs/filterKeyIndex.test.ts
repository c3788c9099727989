import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FilterKeyIndex, filterKeysOf } from '../../../extension/src/runs/filterKeyIndex.ts';
import type { Run } from '../../../extension/src/mlflow/types.ts';

function run(id: string, metrics: string[], params: Record<string, string>, tags: Record<string, string> = {}): Run {
  return {
    info: {
      run_id: id,
      run_name: id,
      experiment_id: '1',
      user_id: 'u',
      status: 'FINISHED',
      start_time: 0,
      artifact_uri: '',
      lifecycle_stage: 'active',
    },
    data: {
      metrics: metrics.map((key) => ({ key, value: 1, timestamp: 0, step: 0 })),
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    },
    inputs: { datasets: [], model_ids: [] },
    outputs: { model_ids: [] },
  };
}

test('keys are the union over the runs, sorted; values are kept per param and tag', () => {
  const keys = filterKeysOf([
    run('a', ['rmse', 'val_loss'], { alpha: '0.5' }, { team: 'vision' }),
    run('b', ['mae'], { alpha: '0.1', l1: '0.2' }, { team: 'vision', note: 'x'.repeat(200) }),
  ]);
  assert.deepEqual(keys.metrics, ['mae', 'rmse', 'val_loss']);
  assert.deepEqual(keys.params, ['alpha', 'l1']);
  assert.deepEqual(keys.tags, ['note', 'team']);
  assert.deepEqual(keys.paramValues?.get('alpha'), ['0.1', '0.5']);
  assert.deepEqual(keys.tagValues?.get('team'), ['vision']);
  assert.deepEqual(keys.tagValues?.get('note'), [], 'a long value is no completion');
});

test('one read per experiment until a refresh; a failed read is tried again', async () => {
  const reads: string[] = [];
  let fail = true;
  const index = new FilterKeyIndex(async (server, exp) => {
    reads.push(`${server}/${exp}`);
    if (fail && exp === '2') throw new Error('server down');
    return [run('a', ['rmse'], {})];
  });
  assert.deepEqual((await index.keys('s', '1')).metrics, ['rmse']);
  await index.keys('s', '1');
  assert.deepEqual(reads, ['s/1']);
  await index.keys('s', '1', { refresh: true });
  assert.deepEqual(reads, ['s/1', 's/1']);
  await assert.rejects(index.keys('s', '2'), /server down/);
  fail = false;
  assert.deepEqual((await index.keys('s', '2')).metrics, ['rmse']);
});
