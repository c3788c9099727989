// The primary metric of an experiment: pin, filter's order-by, experiment tags, then validation/
// test over training over the most common; never system/ metrics nor metrics on which runs tie.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { choosePrimaryMetric, metricStats, orderByMetric } from '../../../extension/src/mlflow/primaryMetric.ts';
import type { Run } from '../../../extension/src/mlflow/types.ts';

function run(id: string, metrics: Record<string, number>): Run {
  return {
    info: {
      run_id: id,
      run_name: id,
      experiment_id: '1',
      user_id: 'alice',
      status: 'FINISHED',
      artifact_uri: '',
      lifecycle_stage: 'active',
    },
    data: {
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: 1, step: 0 })),
      params: [],
      tags: [],
    },
    inputs: { datasets: [], model_ids: [] },
    outputs: { model_ids: [] },
  };
}

describe('metricStats', () => {
  it('counts runs per key and sees ties', () => {
    const stats = metricStats([
      run('a', { loss: 1, acc: 0.5, nan: NaN }),
      run('b', { loss: 1, acc: 0.6, nan: NaN }),
      run('c', { only: 3 }),
    ]);
    const by = new Map(stats.map((s) => [s.key, s]));
    assert.deepEqual(by.get('loss'), { key: 'loss', runs: 2, allTie: true });
    assert.deepEqual(by.get('acc'), { key: 'acc', runs: 2, allTie: false });
    assert.equal(by.get('nan')!.allTie, true);
    // One run is not a tie: a single-run experiment still gets a primary metric.
    assert.deepEqual(by.get('only'), { key: 'only', runs: 1, allTie: false });
  });
});

describe('choosePrimaryMetric', () => {
  const s = (key: string, runs: number, allTie = false) => ({ key, runs, allTie });
  const cases: {
    name: string;
    stats: ReturnType<typeof s>[];
    opts?: Parameters<typeof choosePrimaryMetric>[1];
    want: string | undefined;
    reason?: string;
  }[] = [
    {
      name: 'the seeded sweep: train_logloss ties on every run, validation metrics win, by name',
      stats: [s('train_logloss', 1200, true), s('val_auc', 1200), s('val_logloss', 1200)],
      want: 'val_auc',
      reason: 'stage',
    },
    {
      name: 'validation over training even when training is more common',
      stats: [s('train_loss', 50), s('val_loss', 10)],
      want: 'val_loss',
    },
    {
      name: 'validation over test over plain',
      stats: [s('rmse', 9), s('test_rmse', 9), s('val_rmse', 3)],
      want: 'val_rmse',
    },
    { name: 'test over plain', stats: [s('rmse', 9), s('test r2 score', 2)], want: 'test r2 score' },
    { name: 'plain over training', stats: [s('train_loss', 9), s('rmse', 2)], want: 'rmse', reason: 'common' },
    { name: 'the most common otherwise', stats: [s('rmse', 2), s('r2', 9)], want: 'r2', reason: 'common' },
    {
      name: 'a known direction breaks a tie in counts',
      stats: [s('epoch_time', 5), s('accuracy', 5)],
      want: 'accuracy',
    },
    { name: 'system/ metrics never', stats: [s('system/cpu_utilization_percentage', 100), s('rmse', 1)], want: 'rmse' },
    { name: 'only system/ metrics: none', stats: [s('system/gpu_0_memory_usage_megabytes', 100)], want: undefined },
    { name: 'only tied metrics: none', stats: [s('train_logloss', 1200, true)], want: undefined },
    {
      name: "the filter's order-by metric comes first",
      stats: [s('val_auc', 10), s('val_logloss', 10)],
      opts: { orderBy: ['metrics.val_logloss ASC', 'start_time DESC'] },
      want: 'val_logloss',
      reason: 'orderBy',
    },
    {
      name: 'a back-quoted order-by key',
      stats: [s('val.rmse', 1)],
      opts: { orderBy: ['metrics.`val.rmse` DESC'] },
      want: 'val.rmse',
    },
    {
      name: "the experiment's primary-metric tag",
      stats: [s('val_auc', 10), s('val_logloss', 10)],
      opts: { experimentTags: [{ key: 'mlflow.experiment.primaryMetric.name', value: 'val_logloss' }] },
      want: 'val_logloss',
      reason: 'experiment',
    },
    {
      name: 'a tag naming a metric no run logged is ignored',
      stats: [s('val_auc', 10)],
      opts: { experimentTags: [{ key: 'mlflow.experiment.primaryMetric.name', value: 'gone' }] },
      want: 'val_auc',
    },
    {
      name: "the user's pin beats everything",
      stats: [s('val_auc', 10), s('train_logloss', 10, true)],
      opts: { pinned: 'train_logloss', orderBy: ['metrics.val_auc DESC'] },
      want: 'train_logloss',
      reason: 'pinned',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = choosePrimaryMetric(c.stats, c.opts);
      assert.equal(got?.key, c.want);
      if (c.reason) assert.equal(got?.reason, c.reason);
    });
  }

  it('reads the metric of an order-by list', () => {
    assert.equal(orderByMetric(['start_time DESC', 'metrics.rmse']), 'rmse');
    assert.equal(orderByMetric(['metric."a b" DESC']), 'a b');
    assert.equal(orderByMetric(['params.lr ASC']), undefined);
  });
});
