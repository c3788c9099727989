// The leaderboard against a real MLflow server: runs ranked by a metric on the server (both
// directions, keys with spaces), paged with ranks that continue across pages, the registered
// model versions each page's runs produced in one request per page, chosen columns, a filter
// and a bad filter (MLflow's message), and best-per-group by user and by model.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MlflowClient } from '../../extension/src/mlflow/client.ts';
import { MlflowError } from '../../extension/src/mlflow/errors.ts';
import { LeaderboardController } from '../../extension/src/leaderboard/leaderboardController.ts';
import { describeForView } from '../../extension/src/webview/webviewIpc.ts';
import { defaultLeaderboardState } from '../../webviews/protocol/leaderboard.ts';
import type { LeaderboardRow, LeaderboardState } from '../../webviews/protocol/leaderboard.ts';
import { fromWireNumber } from '../../webviews/protocol/metricPoints.ts';
import { backendsUnderTest, sharedSeededServer } from '../support/mlflowServer.ts';
import type { SeededServer } from '../support/mlflowServer.ts';
import { startRecordingProxy, silentLogger } from './charts-proxy.ts';
import { api } from '../support/restCall.ts';
import type { RecordingProxy } from './charts-proxy.ts';

function values(rows: readonly LeaderboardRow[]): number[] {
  return rows.filter((r) => r.value !== undefined).map((r) => fromWireNumber(r.value!));
}

function isSorted(xs: readonly number[], descending: boolean): boolean {
  return xs.every((x, i) => i === 0 || (descending ? xs[i - 1]! >= x : xs[i - 1]! <= x));
}

for (const backend of backendsUnderTest()) {
  describe(`leaderboard (${backend})`, () => {
    let server: SeededServer;
    let proxy: RecordingProxy;
    let client: MlflowClient;
    let board: LeaderboardController;
    const state = (change: Partial<LeaderboardState>): LeaderboardState => ({
      ...defaultLeaderboardState('test', [server.seed.experiments.main.id]),
      metricKey: 'rmse',
      ...change,
    });

    before(
      async () => {
        server = await sharedSeededServer(backend);
        proxy = await startRecordingProxy(server.url);
        client = new MlflowClient({ baseUrl: proxy.url, timeoutMs: 60_000 });
        board = new LeaderboardController({ client, serverName: backend });
      },
      { timeout: 900_000 },
    );
    after(async () => {
      await client?.close();
      await proxy?.close();
    });

    test('lists experiments and the keys their runs use', async () => {
      const loaded = await board.load(state({}));
      assert.ok(loaded.experiments.some((e) => e.experimentId === server.seed.experiments.main.id));
      const keys = await board.keys([server.seed.experiments.main.id]);
      for (const k of ['rmse', 'loss', 'test r2 score', 'val.rmse']) assert.ok(keys.metricKeys.includes(k), k);
      for (const k of server.seed.metrics.paramKeysWithDotsAndSpaces) assert.ok(keys.paramKeys.includes(k), k);
    });

    test('ranks by the metric on the server, lower is better: best run first with its model version', async () => {
      const page = await board.page(state({}), undefined, 0);
      const ranked = page.rows.filter((r) => r.rank !== undefined);
      assert.ok(ranked.length >= 8);
      assert.deepEqual(
        ranked.map((r) => r.rank),
        ranked.map((_, i) => i + 1),
      );
      assert.ok(isSorted(values(page.rows), false));
      const best = page.rows[0]!;
      assert.equal(best.runId, server.seed.runs.best.id);
      assert.deepEqual(best.models, [{ name: server.seed.models.wine.name, version: '3' }]);
      // Runs that never logged rmse come last, unranked.
      const tail = page.rows.slice(ranked.length);
      assert.ok(tail.every((r) => r.value === undefined && r.rank === undefined));
      assert.ok(tail.some((r) => r.runId === server.seed.runs.scheduled.id));
    });

    test('higher is better flips the order', async () => {
      const page = await board.page(state({ better: 'higher' }), undefined, 0);
      assert.ok(isSorted(values(page.rows), true));
      assert.notEqual(page.rows[0]!.runId, server.seed.runs.best.id);
    });

    test('a metric key with spaces sorts (it is back-quoted)', async () => {
      const page = await board.page(state({ metricKey: 'test r2 score', better: 'higher' }), undefined, 0);
      assert.equal(page.rows[0]!.runId, server.seed.runs.best.id);
      assert.equal(page.rows[0]!.rank, 1);
    });

    test('one model-versions request per page, for that page’s runs', async () => {
      const before = proxy.paths.length;
      await board.page(state({ pageSize: 25 }), undefined, 0);
      const calls = proxy.paths.slice(before);
      assert.equal(calls.filter((p) => p.endsWith('/model-versions/search')).length, 1);
      assert.equal(calls.filter((p) => p.endsWith('/runs/search')).length, 1);
    });

    test('pages through 1,200 runs with ranks that continue', async () => {
      const big = server.seed.big;
      const s = {
        ...defaultLeaderboardState('test', [big.experimentId]),
        metricKey: 'val_auc',
        better: 'higher' as const,
        pageSize: 25,
      };
      const p1 = await board.page(s, undefined, 0);
      assert.equal(p1.rows.length, 25);
      assert.ok(p1.nextPageToken);
      const p2 = await board.page(s, p1.nextPageToken, 25);
      assert.deepEqual(
        p2.rows.map((r) => r.rank),
        Array.from({ length: 25 }, (_, i) => 26 + i),
      );
      const all = [...values(p1.rows), ...values(p2.rows)];
      assert.ok(isSorted(all, true), 'server order holds across the page boundary');
      assert.equal(new Set([...p1.rows, ...p2.rows].map((r) => r.runId)).size, 50);
    });

    test('chosen param and metric columns (keys with dots and spaces)', async () => {
      const [p1, p2] = server.seed.metrics.paramKeysWithDotsAndSpaces;
      const page = await board.page(
        state({ paramColumns: [p1!, p2!], metricColumns: ['val.rmse', 'r2'] }),
        undefined,
        0,
      );
      const best = page.rows.find((r) => r.runId === server.seed.runs.best.id)!;
      assert.ok(best.params[p1!] !== undefined && best.params[p2!] !== undefined);
      assert.equal(typeof best.metrics['val.rmse'], 'number');
      assert.equal(typeof best.metrics['r2'], 'number');
    });

    test('a filter narrows the table', async () => {
      const page = await board.page(state({ filter: "attributes.user_id = 'alice'" }), undefined, 0);
      assert.ok(page.rows.length > 0);
      assert.ok(page.rows.every((r) => r.userId === 'alice'));
    });

    test("a bad filter fails with MLflow's own message, as a badRequest for the view", async () => {
      const err = await board.page(state({ filter: "metrics.rmse < 1 OR params.alpha = '0.1'" }), undefined, 0).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof MlflowError);
      const forView = describeForView(err, silentLogger);
      assert.equal(forView.code, 'badRequest');
      assert.match(forView.message, /Invalid clause\(s\) in filter string/);
    });

    test('best run per user: one row per user, each the best of that user’s runs', async () => {
      const big = server.seed.big;
      // Every status, so the scan covers all runs of the seed.
      const s = {
        ...defaultLeaderboardState('test', [big.experimentId]),
        metricKey: 'val_logloss',
        better: 'lower' as const,
        groupBy: 'user' as const,
        statusFilter: 'all' as const,
      };
      const progress: number[] = [];
      const res = await board.groups(s, (scanned) => progress.push(scanned));
      assert.equal(res.scanned, big.runCount);
      assert.equal(res.truncated, false);
      assert.ok(progress.length >= 2, 'progress is reported while paging');
      assert.deepEqual(res.rows.map((r) => r.group).sort(), [...server.seed.users.all].sort());
      assert.deepEqual(
        res.rows.map((r) => r.rank),
        [1, 2, 3, 4],
      );
      assert.ok(isSorted(values(res.rows), false));
      for (const row of res.rows) {
        const direct = await client.searchRuns({
          experimentIds: [big.experimentId],
          filter: `attributes.user_id = '${row.userId}'`,
          orderBy: ['metrics.val_logloss ASC'],
          maxResults: 1,
        });
        assert.equal(row.runId, direct.items[0]!.info.run_id, `best of ${row.userId}`);
      }
    });

    test('best run per registered model', async () => {
      const s = state({ groupBy: 'model' });
      const res = await board.groups(s, () => undefined);
      const wine = res.rows.find((r) => r.group === server.seed.models.wine.name);
      assert.equal(wine?.runId, server.seed.runs.best.id);
      assert.ok(res.rows.some((r) => r.group === '(no registered model)'));
    });

    test('the sweep ranks by its validation metric, higher is better (a guess), never the metric on which every run ties', async () => {
      const big = server.seed.big;
      const keys = await board.keys([big.experimentId]);
      // train_logloss ends at the same value on all 1,200 runs: ranking by it says nothing.
      assert.equal(keys.primaryMetric, 'val_auc');
      assert.deepEqual(keys.directions['val_auc'], {
        better: 'higher',
        guess: true,
        reason: keys.directions['val_auc']!.reason,
      });
      assert.equal(keys.directions['val_logloss']?.better, 'lower');
      // The default state the view builds from these keys puts the best finished run first.
      const s = {
        ...defaultLeaderboardState('test', [big.experimentId]),
        metricKey: keys.primaryMetric!,
        better: keys.directions['val_auc']!.better,
      };
      const page = await board.page(s, undefined, 0);
      const best = await client.searchRuns({
        experimentIds: [big.experimentId],
        filter: "attributes.status = 'FINISHED'",
        orderBy: ['metrics.val_auc DESC'],
        maxResults: 1,
      });
      const top = best.items[0]!.data.metrics.find((m) => m.key === 'val_auc')!.value;
      assert.equal(page.rows[0]!.rank, 1);
      assert.equal(fromWireNumber(page.rows[0]!.value!), top);
      assert.ok(isSorted(values(page.rows), true));
    });

    test('FAILED and KILLED runs are left out of the ranking unless every status is asked for', async () => {
      const big = server.seed.big;
      const s = {
        ...defaultLeaderboardState('test', [big.experimentId]),
        metricKey: 'val_auc',
        better: 'higher' as const,
        pageSize: 100,
      };
      const failed = { ...s, filter: "attributes.status = 'FAILED'" };
      assert.equal(
        (await board.page(failed, undefined, 0)).rows.length,
        0,
        'MLflow accepts the status clauses and they exclude FAILED',
      );
      const all = await board.page({ ...failed, statusFilter: 'all' }, undefined, 0);
      assert.equal(all.rows.length, big.statusCounts.FAILED);
      const killed = await board.page(
        { ...s, filter: "attributes.status = 'KILLED'", statusFilter: 'all' },
        undefined,
        0,
      );
      assert.equal(killed.rows.length, big.statusCounts.KILLED);
      assert.equal((await board.page({ ...s, filter: "attributes.status = 'KILLED'" }, undefined, 0)).rows.length, 0);
      const ranked = await board.page(s, undefined, 0);
      assert.ok(ranked.rows.every((r) => r.status !== 'FAILED' && r.status !== 'KILLED'));
    });

    test("an experiment's primary-metric tags set the metric and its direction, no guess; the user's choice beats them", async () => {
      const name = `leaderboard-tags-${backend}-${Date.now().toString(36)}`;
      const experimentId = await client.createExperiment(name);
      await api(server.url, 'experiments/set-experiment-tag', {
        experiment_id: experimentId,
        key: 'mlflow.experiment.primaryMetric.name',
        value: 'score',
      });
      await api(server.url, 'experiments/set-experiment-tag', {
        experiment_id: experimentId,
        key: 'mlflow.experiment.primaryMetric.greaterIsBetter',
        value: 'False',
      });
      for (const [i, score] of [0.2, 0.9, 0.5].entries()) {
        const r = await client.createRun({ experimentId, runName: `tagged-${i}` });
        await client.logBatch({
          runId: r.info.run_id,
          metrics: [
            { key: 'score', value: score, timestamp: Date.now(), step: 0 },
            { key: 'val_accuracy', value: score, timestamp: Date.now(), step: 0 },
          ],
        });
        await client.updateRun({ runId: r.info.run_id, status: 'FINISHED', endTime: Date.now() });
      }
      const keys = await board.keys([experimentId]);
      // val_accuracy would win by its name; the experiment's tag names score.
      assert.equal(keys.primaryMetric, 'score');
      assert.equal(keys.directions['score']?.better, 'lower', '"score" alone would read higher-is-better');
      assert.equal(keys.directions['score']?.guess, false);
      assert.equal(keys.directions['val_accuracy']?.guess, true);
      const page = await board.page(
        {
          ...defaultLeaderboardState('test', [experimentId]),
          metricKey: 'score',
          better: keys.directions['score']!.better,
        },
        undefined,
        0,
      );
      assert.deepEqual(
        page.rows.map((r) => r.runName),
        ['tagged-0', 'tagged-2', 'tagged-1'],
      );
      const flipped = await board.keys([experimentId], undefined, {
        direction: (k) => (k === 'score' ? 'higher' : undefined),
        pinned: () => 'val_accuracy',
      });
      assert.deepEqual([flipped.directions['score']?.better, flipped.directions['score']?.guess], ['higher', false]);
      assert.equal(flipped.primaryMetric, 'val_accuracy', 'a pinned metric beats the tag');
    });

    test('the HTML-named run comes back as the exact string (the view shows it as text)', async () => {
      const { xss, experiments } = server.seed;
      const page = await board.page(
        { ...defaultLeaderboardState('test', [experiments.xss.id]), metricKey: '' },
        undefined,
        0,
      );
      assert.ok(page.rows.some((r) => r.runName === xss.runName));
    });
  });
}
