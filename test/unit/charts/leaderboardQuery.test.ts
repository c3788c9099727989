import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BestPerGroup,
  collectKeys,
  filterFor,
  groupKeyFor,
  HIDE_FAILED_FILTER,
  leaderboardTitle,
  modelsByRun,
  NO_MODEL,
  orderByFor,
  quoteKey,
  rowFromRun,
} from '../../../extension/src/leaderboard/leaderboardQuery.ts';
import type { Run } from '../../../extension/src/mlflow/types.ts';
import type { LeaderboardRow } from '../../../webviews/protocol/leaderboard.ts';

function run(
  id: string,
  opts: { name?: string; user?: string; metrics?: Record<string, number>; params?: Record<string, string> } = {},
): Run {
  return {
    info: {
      run_id: id,
      run_name: opts.name ?? id,
      experiment_id: '1',
      user_id: opts.user ?? 'alice',
      status: 'FINISHED',
      artifact_uri: '',
      lifecycle_stage: 'active',
    },
    data: {
      metrics: Object.entries(opts.metrics ?? {}).map(([key, value]) => ({ key, value, timestamp: 1, step: 0 })),
      params: Object.entries(opts.params ?? {}).map(([key, value]) => ({ key, value })),
      tags: [],
    },
    inputs: { datasets: [], model_ids: [] },
    outputs: { model_ids: [] },
  };
}

describe('order_by and filters', () => {
  it('quotes keys MLflow cannot read bare', () => {
    assert.equal(quoteKey('rmse'), 'rmse');
    assert.equal(quoteKey('val_loss2'), 'val_loss2');
    assert.equal(quoteKey('val.rmse'), '`val.rmse`');
    assert.equal(quoteKey('test r2 score'), '`test r2 score`');
    assert.equal(quoteKey('2nd'), '`2nd`');
    assert.equal(quoteKey('a`b'), '"a`b"');
    assert.throws(() => quoteKey('a`b"c'));
  });

  it('ranks by the metric in its better direction, or by a chosen column', () => {
    assert.deepEqual(orderByFor({ metricKey: 'rmse', better: 'lower' }), ['metrics.rmse ASC']);
    assert.deepEqual(orderByFor({ metricKey: 'test r2 score', better: 'higher' }), ['metrics.`test r2 score` DESC']);
    assert.deepEqual(
      orderByFor({ metricKey: 'rmse', better: 'lower', sort: { kind: 'param', key: 'model.alpha', descending: true } }),
      ['params.`model.alpha` DESC'],
    );
    assert.deepEqual(
      orderByFor({
        metricKey: 'rmse',
        better: 'lower',
        sort: { kind: 'attribute', key: 'start_time', descending: false },
      }),
      ['attributes.start_time ASC'],
    );
    assert.deepEqual(orderByFor({ metricKey: '', better: 'lower' }), []);
  });

  it('leaves FAILED and KILLED runs out unless every status is asked for', () => {
    assert.equal(
      filterFor({ filter: '', statusFilter: 'finished' }),
      "attributes.status != 'FAILED' AND attributes.status != 'KILLED'",
    );
    assert.equal(
      filterFor({ filter: " params.lr = '0.1' ", statusFilter: 'finished' }),
      `params.lr = '0.1' AND ${HIDE_FAILED_FILTER}`,
    );
    assert.equal(filterFor({ filter: " params.lr = '0.1' ", statusFilter: 'all' }), "params.lr = '0.1'");
  });

  it('titles the panel with the experiment names', () => {
    assert.equal(leaderboardTitle(['hyperparam-sweep']), 'Leaderboard: hyperparam-sweep');
    assert.equal(leaderboardTitle(['a', 'b', 'c', 'd']), 'Leaderboard: a, b +2');
  });
});

describe('rows', () => {
  it('takes the ranking value, chosen columns and models; no rank without a value', () => {
    const state = { metricKey: 'rmse', paramColumns: ['alpha', 'missing'], metricColumns: ['r2'] };
    const r = rowFromRun(
      run('a', { metrics: { rmse: 0.5, r2: NaN }, params: { alpha: '0.1' } }),
      state,
      [{ name: 'wine', version: '3' }],
      4,
    );
    assert.equal(r.rank, 4);
    assert.equal(r.value, 0.5);
    assert.deepEqual(r.metrics, { r2: 'NaN' });
    assert.deepEqual(r.params, { alpha: '0.1' });
    assert.deepEqual(r.models, [{ name: 'wine', version: '3' }]);
    assert.equal(rowFromRun(run('b'), state, [], 5).rank, undefined);
    assert.equal(rowFromRun(run('c', { metrics: { rmse: NaN } }), state, [], 6).rank, undefined);
  });

  it('groups model versions by run, newest version first', () => {
    const m = modelsByRun([
      { name: 'wine', version: '1', run_id: 'a', tags: [], aliases: [] },
      { name: 'wine', version: '3', run_id: 'a', tags: [], aliases: [] },
      { name: 'other', version: '1', run_id: 'b', tags: [], aliases: [] },
      { name: 'orphan', version: '1', tags: [], aliases: [] },
    ]);
    assert.deepEqual(m.get('a'), [
      { name: 'wine', version: '3' },
      { name: 'wine', version: '1' },
    ]);
    assert.equal(m.size, 2);
  });

  it('collects keys seen in runs, and the metric most runs logged', () => {
    const runs = [
      run('a', { metrics: { b: 1, a: 2 }, params: { p: '1' } }),
      run('b', { metrics: { c: 1, b: 2 } }),
      run('c', { metrics: { a: 1, b: 1 } }),
    ];
    assert.deepEqual(collectKeys(runs), { metricKeys: ['a', 'b', 'c'], paramKeys: ['p'] });
    assert.deepEqual(collectKeys([]), { metricKeys: [], paramKeys: [] });
  });
});

describe('BestPerGroup', () => {
  const row = (runId: string, userId: string, value: number | undefined, models: string[] = []): LeaderboardRow => ({
    runId,
    runName: runId,
    userId,
    experimentId: '1',
    status: 'FINISHED',
    models: models.map((name) => ({ name, version: '1' })),
    params: {},
    metrics: {},
    ...(value === undefined ? {} : { value }),
  });

  it('keeps the first row of each group from server-sorted pages, across pages', () => {
    const best = new BestPerGroup(groupKeyFor('user'));
    const page1 = [row('r1', 'alice', 0.1), row('r2', 'alice', 0.2), row('r3', 'bob', 0.3)];
    const page2 = [row('r4', 'carol', 0.4), row('r5', 'bob', 0.5)];
    best.add(page1);
    best.add(page2);
    const order = [...page1, ...page2].map((r) => r.runId);
    const rows = best.rows(order);
    assert.deepEqual(
      rows.map((r) => [r.group, r.runId, r.rank]),
      [
        ['alice', 'r1', 1],
        ['bob', 'r3', 2],
        ['carol', 'r4', 3],
      ],
    );
  });

  it('prefers a row with a value over one without (missing values sort last on the server)', () => {
    const best = new BestPerGroup(groupKeyFor('user'));
    best.add([row('x', 'dan', undefined), row('y', 'dan', 2)]);
    assert.equal(best.rows(['x', 'y'])[0]!.runId, 'y');
  });

  it('by model: a run counts for every model it produced; runs without one form their own group', () => {
    const best = new BestPerGroup(groupKeyFor('model'));
    best.add([row('a', 'u', 1, ['wine', 'beer']), row('b', 'u', 2, ['wine']), row('c', 'u', 3)]);
    const rows = best.rows(['a', 'b', 'c']);
    assert.deepEqual(
      rows.map((r) => [r.group, r.runId]),
      [
        ['beer', 'a'],
        ['wine', 'a'],
        [NO_MODEL, 'c'],
      ],
    );
  });
});
