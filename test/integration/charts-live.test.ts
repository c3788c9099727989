// Live charts against a real MLflow server: a run this test creates keeps logging while the
// chart follows it; each poll fetches only the points past the last step already sent, and
// following stops when the run finishes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MlflowClient } from '../../extension/src/mlflow/client.ts';
import { ChartsController } from '../../extension/src/charts/chartsController.ts';
import { defaultChartsState } from '../../webviews/protocol/charts.ts';
import { decodePoints } from '../../webviews/protocol/metricPoints.ts';
import { backendsUnderTest, sharedSeededServer } from '../support/mlflowServer.ts';
import { startRecordingProxy } from './charts-proxy.ts';
import type { RecordingProxy } from './charts-proxy.ts';

for (const backend of backendsUnderTest()) {
  describe(`live charts (${backend})`, () => {
    let client: MlflowClient;
    let proxy: RecordingProxy;
    let viaProxy: MlflowClient;
    let experimentId: string;

    before(
      async () => {
        const server = await sharedSeededServer(backend);
        client = new MlflowClient({ baseUrl: server.url, timeoutMs: 60_000 });
        proxy = await startRecordingProxy(server.url);
        viaProxy = new MlflowClient({ baseUrl: proxy.url, timeoutMs: 60_000 });
        experimentId = await client.createExperiment(`charts-live-${backend}-${Date.now()}`);
      },
      { timeout: 900_000 },
    );
    after(async () => {
      await viaProxy?.close();
      await client?.close();
      await proxy?.close();
    });

    const log = async (runId: string, key: string, from: number, to: number): Promise<void> => {
      const t = Date.now();
      const metrics = [];
      for (let s = from; s < to; s++) metrics.push({ key, value: Math.exp(-s / 50), timestamp: t + s, step: s });
      for (let i = 0; i < metrics.length; i += 1000)
        await client.logBatch({ runId, metrics: metrics.slice(i, i + 1000) });
    };

    test('only new points are fetched and appended while the run is RUNNING; following stops when it ends', async () => {
      const run = await client.createRun({ experimentId, runName: 'live-training' });
      const id = run.info.run_id;
      await log(id, 'loss', 0, 100);
      await log(id, 'acc', 0, 10);

      const c = new ChartsController({
        client: viaProxy,
        serverName: backend,
        state: defaultChartsState('test', [id], ['loss']),
      });
      const loaded = await c.load();
      assert.equal(loaded.runs[0]?.status, 'RUNNING');
      assert.equal(c.anyLive, true);
      const first = decodePoints(
        (await c.history({ metricKey: 'loss', runIds: [id], quality: 'quick' })).series[0]!.points,
      );
      assert.equal(first.step.length, 100);

      // Nothing new yet: a poll appends nothing.
      assert.deepEqual((await c.poll()).appended, []);

      await log(id, 'loss', 100, 150);
      const before = proxy.paths.length;
      const round = await c.poll();
      assert.equal(round.appended.length, 1);
      assert.equal(round.appended[0]!.metricKey, 'loss');
      const added = decodePoints(round.appended[0]!.series[0]!.points);
      assert.deepEqual(
        added.step,
        Array.from({ length: 50 }, (_, i) => 100 + i),
        'exactly the 50 new steps, none of the old',
      );
      // The poll re-read the run and asked for the new range only: no full history, no paging.
      const calls = proxy.paths.slice(before);
      assert.ok(!calls.some((p) => p.endsWith('/metrics/get-history')), calls.join(' '));
      assert.ok(calls.some((p) => p.endsWith('/runs/get')));

      // The metric not on screen ('acc') is never fetched by polls.
      await log(id, 'acc', 10, 20);
      const accRound = await c.poll();
      assert.deepEqual(accRound.appended, []);

      // A newly shown metric is followed once the view has asked for it.
      c.setState({ ...c.state, metricKeys: ['loss', 'acc'] });
      await c.history({ metricKey: 'acc', runIds: [id], quality: 'quick' });
      await log(id, 'acc', 20, 25);
      const accAdded = (await c.poll()).appended.find((a) => a.metricKey === 'acc');
      assert.deepEqual(decodePoints(accAdded!.series[0]!.points).step, [20, 21, 22, 23, 24]);

      // The run finishes: the last round brings its final points and the new status; then nothing is live.
      await log(id, 'loss', 150, 152);
      await client.updateRun({ runId: id, status: 'FINISHED', endTime: Date.now() });
      const last = await c.poll();
      assert.equal(last.runsChanged?.runs[0]?.status, 'FINISHED');
      assert.deepEqual(
        decodePoints(last.appended.find((a) => a.metricKey === 'loss')!.series[0]!.points).step,
        [150, 151],
      );
      assert.equal(c.anyLive, false);
      const quiet = proxy.paths.length;
      assert.deepEqual(await c.poll(), { appended: [] });
      assert.equal(proxy.paths.length, quiet, 'a finished chart makes no requests');
    });

    test('a run deleted while it is being followed is reported on the next poll', async () => {
      const run = await client.createRun({ experimentId, runName: 'deleted-while-live' });
      const id = run.info.run_id;
      await log(id, 'loss', 0, 5);
      const c = new ChartsController({
        client: viaProxy,
        serverName: backend,
        state: defaultChartsState('test', [id], ['loss']),
      });
      await c.load();
      await c.history({ metricKey: 'loss', runIds: [id], quality: 'quick' });
      await client.deleteRun(id);
      const res = await c.poll();
      const summary = res.runsChanged?.runs[0];
      assert.equal(summary?.state, 'deleted');
      assert.match(summary?.error ?? '', /deleted/);
      assert.equal(c.anyLive, false, 'a deleted run is not followed');
    });
  });
}
