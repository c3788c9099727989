// Metric histories for the charts, from a real MLflow server: the sampled fetch of the seeded
// 5,000-step history stays within MLflow's budget and keeps both ends, a zoomed range comes back
// finer, long histories get a bounded probe preview first, negative steps and NaN/Infinity
// survive, the full CSV is the whole history, 10,000 metric keys load, deleted and missing runs
// are reported, and an old server (no sampled endpoint) or a failing one is handled.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MlflowClient } from '../../extension/src/mlflow/client.ts';
import { MlflowError } from '../../extension/src/mlflow/errors.ts';
import { ChartsController } from '../../extension/src/charts/chartsController.ts';
import {
  DEFAULT_PROBES,
  PREVIEW_ROW_THRESHOLD,
  SAMPLE_MAX_RESULTS,
} from '../../extension/src/charts/metricSampling.ts';
import { describeForView } from '../../extension/src/webview/webviewIpc.ts';
import { defaultChartsState } from '../../webviews/protocol/charts.ts';
import type { HistoryResult } from '../../webviews/protocol/charts.ts';
import { decodePoints } from '../../webviews/protocol/metricPoints.ts';
import type { Points } from '../../webviews/protocol/metricPoints.ts';
import { backendsUnderTest, sharedSeededServer } from '../support/mlflowServer.ts';
import type { SeededServer } from '../support/mlflowServer.ts';
import { FLASK_404, INTERNAL_ERROR, startRecordingProxy, silentLogger } from './charts-proxy.ts';

function pointsOf(res: HistoryResult, runId: string): Points {
  const s = res.series.find((x) => x.runId === runId);
  assert.ok(s, `a series for ${runId}`);
  return decodePoints(s.points);
}

async function logSteps(
  client: MlflowClient,
  runId: string,
  key: string,
  steps: number[],
  value: (step: number) => number = (s) => 1 / (1 + Math.abs(s)),
): Promise<void> {
  const t0 = Date.now();
  for (let i = 0; i < steps.length; i += 1000) {
    const metrics = steps
      .slice(i, i + 1000)
      .map((step, j) => ({ key, value: value(step), timestamp: t0 + i + j, step }));
    await client.logBatch({ runId, metrics });
  }
}

for (const backend of backendsUnderTest()) {
  describe(`chart histories (${backend})`, () => {
    let server: SeededServer;
    let client: MlflowClient;
    let experimentId: string;

    const controllerFor = (runIds: string[], metricKeys: string[] = [], c: MlflowClient = client) =>
      new ChartsController({ client: c, serverName: backend, state: defaultChartsState('test', runIds, metricKeys) });

    before(
      async () => {
        server = await sharedSeededServer(backend);
        client = new MlflowClient({ baseUrl: server.url, timeoutMs: 120_000 });
        experimentId = await client.createExperiment(`charts-history-${backend}-${Date.now()}`);
      },
      { timeout: 900_000 },
    );
    after(() => client?.close());

    test('the 5,000-step history comes back sampled: within the budget, first and last step kept', async () => {
      const { metrics } = server.seed;
      const c = controllerFor([metrics.runId], ['loss']);
      await c.load();
      const res = await c.history({ metricKey: 'loss', runIds: [metrics.runId], quality: 'full' });
      assert.equal(res.complete, true);
      assert.equal(res.source, 'sampled');
      const p = pointsOf(res, metrics.runId);
      assert.ok(p.step.length <= SAMPLE_MAX_RESULTS + 2, `${p.step.length} points`);
      assert.ok(p.step.length >= 1000, 'a useful sample, not a handful');
      assert.ok(p.step.length < metrics.longest.points, 'sampled, not everything');
      assert.equal(p.step[0], 0);
      assert.equal(p.step[p.step.length - 1], metrics.longest.points - 1);
      for (let i = 1; i < p.step.length; i++) assert.ok(p.step[i]! >= p.step[i - 1]!, 'ordered by step');
    });

    test('a 5,000-point history needs no preview: quick answers with the full sample', async () => {
      const { metrics } = server.seed;
      const c = controllerFor([metrics.runId], ['loss']);
      await c.load();
      const res = await c.history({ metricKey: 'loss', runIds: [metrics.runId], quality: 'quick' });
      assert.equal(res.complete, true);
      assert.equal(res.source, 'sampled');
    });

    test('a zoomed step range comes back finer than the overview had it', async () => {
      const { metrics } = server.seed;
      const c = controllerFor([metrics.runId], ['loss']);
      await c.load();
      const overview = pointsOf(
        await c.history({ metricKey: 'loss', runIds: [metrics.runId], quality: 'full' }),
        metrics.runId,
      );
      const range = { startStep: 1000, endStep: 1199 };
      const inOverview = overview.step.filter((s) => s >= range.startStep && s <= range.endStep).length;
      const zoomed = await c.history({ metricKey: 'loss', runIds: [metrics.runId], quality: 'full', range });
      const p = pointsOf(zoomed, metrics.runId);
      assert.deepEqual(zoomed.range, range);
      assert.ok(
        p.step.every((s) => s >= range.startStep && s <= range.endStep),
        'only the range',
      );
      assert.equal(p.step.length, 200, 'every step of the range (it fits the budget)');
      assert.ok(p.step.length > inOverview, `finer: ${p.step.length} > ${inOverview}`);
    });

    test('several runs in one call; keys with dots and spaces', async () => {
      const { runs, metrics } = server.seed;
      const ids = [runs.diffA.id, runs.diffB.id, metrics.runId];
      const c = controllerFor(ids);
      const loaded = await c.load();
      for (const k of metrics.keysWithDotsAndSpaces) assert.ok(loaded.metricKeys.includes(k), k);
      for (const key of metrics.keysWithDotsAndSpaces) {
        const res = await c.history({ metricKey: key, runIds: ids, quality: 'quick' });
        assert.equal(pointsOf(res, metrics.runId).step.length, metrics.histories[key]);
      }
    });

    test('non-finite values arrive as the server stores them (NaN as NaN; the SQL store keeps ±Infinity as ±1.797e308)', async () => {
      const { nonFinite } = server.seed.metrics;
      const c = controllerFor([nonFinite.runId], [nonFinite.key, nonFinite.otherKey]);
      await c.load();
      for (const key of [nonFinite.key, nonFinite.otherKey]) {
        const p = pointsOf(
          await c.history({ metricKey: key, runIds: [nonFinite.runId], quality: 'quick' }),
          nonFinite.runId,
        );
        const truth = await client.getMetricHistory(nonFinite.runId, key);
        assert.equal(p.value.length, truth.length);
        p.value.forEach((v, i) => assert.ok(Object.is(v, truth[i]!.value), `${key}[${i}]: ${v} vs ${truth[i]!.value}`));
        assert.ok(
          p.value.some((v) => Number.isNaN(v) || Math.abs(v) >= Number.MAX_VALUE),
          'the non-finite tail is there',
        );
      }
    });

    test('negative steps are charted (an explicit range is always sent)', async () => {
      const run = await client.createRun({ experimentId, runName: 'negative-steps' });
      const id = run.info.run_id;
      await logSteps(client, id, 'warmup', [-5, -4, -3, -2, -1, 0, 1, 2]);
      const c = controllerFor([id], ['warmup']);
      await c.load();
      const p = pointsOf(await c.history({ metricKey: 'warmup', runIds: [id], quality: 'quick' }), id);
      assert.deepEqual(p.step, [-5, -4, -3, -2, -1, 0, 1, 2]);
    });

    test('a one-point history is one point', async () => {
      const { metrics } = server.seed;
      const c = controllerFor([metrics.runId], ['rmse']);
      await c.load();
      assert.equal(
        pointsOf(await c.history({ metricKey: 'rmse', runIds: [metrics.runId], quality: 'quick' }), metrics.runId).step
          .length,
        1,
      );
    });

    test(
      'a history longer than the preview threshold gets a bounded probe preview, then the full sample',
      { timeout: 300_000 },
      async () => {
        const run = await client.createRun({ experimentId, runName: 'long-history' });
        const id = run.info.run_id;
        // The production threshold is PREVIEW_ROW_THRESHOLD; a lower one keeps this test's seeding short.
        const threshold = 4_000;
        assert.ok(threshold < PREVIEW_ROW_THRESHOLD);
        const n = 3 * threshold;
        await logSteps(
          client,
          id,
          'long',
          Array.from({ length: n }, (_, i) => i),
        );
        const proxy = await startRecordingProxy(server.url);
        const viaProxy = new MlflowClient({ baseUrl: proxy.url, timeoutMs: 120_000 });
        try {
          const c = new ChartsController({
            client: viaProxy,
            serverName: backend,
            state: defaultChartsState('test', [id], ['long']),
            previewRowThreshold: threshold,
          });
          await c.load();
          const before = proxy.paths.length;
          const preview = await c.history({ metricKey: 'long', runIds: [id], quality: 'quick' });
          assert.equal(preview.complete, false);
          assert.equal(preview.source, 'probes');
          const calls = proxy.paths.slice(before);
          assert.equal(calls.length, DEFAULT_PROBES.probes, 'one call per probe window');
          assert.ok(calls.every((p) => p.endsWith('/metrics/get-history-bulk-interval')));
          const p = pointsOf(preview, id);
          assert.ok(p.step.length <= DEFAULT_PROBES.probes * DEFAULT_PROBES.width);
          assert.equal(p.step[0], 0, 'the preview starts at the first step');
          assert.equal(p.step[p.step.length - 1], n - 1, 'and reaches the last');
          const full = await c.history({ metricKey: 'long', runIds: [id], quality: 'full' });
          assert.equal(full.complete, true);
          const f = pointsOf(full, id);
          assert.ok(f.step.length <= SAMPLE_MAX_RESULTS + 2);
          assert.equal(f.step[f.step.length - 1], n - 1);
        } finally {
          await viaProxy.close();
          await proxy.close();
        }
      },
    );

    test('CSV export has the FULL history (every point, not the sample)', async () => {
      const { metrics, runs } = server.seed;
      const c = controllerFor([metrics.runId, runs.diffA.id], ['loss']);
      await c.load();
      const text = (await c.csv(['loss'], [metrics.runId, runs.diffA.id])).join('');
      const lines = text.split('\r\n').filter((l) => l !== '');
      assert.equal(lines[0], 'run_id,run_name,metric,step,timestamp,value');
      const diffALoss = (await client.getMetricHistory(runs.diffA.id, 'loss')).length;
      assert.equal(lines.length, 1 + metrics.longest.points + diffALoss);
      assert.ok(lines.some((l) => l.startsWith(`${metrics.runId},${runs.best.name},loss,4999,`)));
    });

    test('a run with 10,000 metrics loads every key', { timeout: 120_000 }, async () => {
      const run = await client.createRun({ experimentId, runName: 'ten-thousand-metrics' });
      const id = run.info.run_id;
      const t = Date.now();
      for (let i = 0; i < 10_000; i += 1000) {
        // Dots, spaces, colons and slashes: every character MLflow allows in a key besides alphanumerics.
        await client.logBatch({
          runId: id,
          metrics: Array.from({ length: 1000 }, (_, j) => ({
            key: `group ${i / 1000}/m.${String(i + j).padStart(5, '0')}:x`,
            value: j,
            timestamp: t,
            step: 0,
          })),
        });
      }
      const c = controllerFor([id]);
      const loaded = await c.load();
      assert.equal(loaded.metricKeys.length, 10_000);
      assert.deepEqual(loaded.state.metricKeys, ['group 0/m.00000:x'], 'a default metric is picked');
      const res = await c.history({ metricKey: 'group 9/m.09999:x', runIds: [id], quality: 'quick' });
      assert.deepEqual(pointsOf(res, id).value, [999]);
    });

    test('a deleted run and an unknown run are reported, the others still load', async () => {
      const run = await client.createRun({ experimentId, runName: 'to-be-deleted' });
      await logSteps(client, run.info.run_id, 'loss', [0, 1, 2]);
      const unknown = 'f'.repeat(32);
      const c = controllerFor([run.info.run_id, unknown, server.seed.metrics.runId], ['loss']);
      const first = await c.load();
      assert.equal(first.runs.find((r) => r.runId === run.info.run_id)?.state, 'active');
      const missing = first.runs.find((r) => r.runId === unknown);
      assert.equal(missing?.state, 'missing');
      assert.match(missing?.error ?? '', /no longer exists/);
      await client.deleteRun(run.info.run_id);
      const again = await c.refreshRuns();
      const deleted = again.runs.find((r) => r.runId === run.info.run_id);
      assert.equal(deleted?.state, 'deleted');
      assert.match(deleted?.error ?? '', /was deleted/);
      const res = await c.history({
        metricKey: 'loss',
        runIds: [run.info.run_id, server.seed.metrics.runId],
        quality: 'quick',
      });
      assert.equal(pointsOf(res, server.seed.metrics.runId).step.length > 0, true);
    });

    test('an older server without the sampled endpoint: falls back to paging the full history (fault injected by a proxy)', async () => {
      // A real 3.x server always has the endpoint; the proxy answers it with Flask's 404 page.
      const proxy = await startRecordingProxy(server.url);
      proxy.fault = (_m, path) => (path.endsWith('/get-history-bulk-interval') ? FLASK_404 : undefined);
      const viaProxy = new MlflowClient({ baseUrl: proxy.url, timeoutMs: 120_000 });
      try {
        const { metrics } = server.seed;
        const c = controllerFor([metrics.runId], ['loss'], viaProxy);
        await c.load();
        const res = await c.history({ metricKey: 'loss', runIds: [metrics.runId], quality: 'quick' });
        assert.equal(res.source, 'paged');
        assert.equal(res.complete, true);
        const p = pointsOf(res, metrics.runId);
        assert.equal(p.step.length, SAMPLE_MAX_RESULTS, 'reduced on the host to the same budget');
        assert.equal(p.step[0], 0);
        assert.equal(p.step[p.step.length - 1], metrics.longest.points - 1);
        assert.ok(proxy.paths.some((p2) => p2.endsWith('/metrics/get-history')));
        const zoom = await c.history({
          metricKey: 'loss',
          runIds: [metrics.runId],
          quality: 'full',
          range: { startStep: 10, endStep: 19 },
        });
        assert.deepEqual(pointsOf(zoom, metrics.runId).step, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
        // The endpoint is asked once; after its 404 the loader stops trying.
        assert.equal(proxy.paths.filter((p2) => p2.endsWith('/get-history-bulk-interval')).length, 1);
      } finally {
        await viaProxy.close();
        await proxy.close();
      }
    });

    test('a server fault mid-fetch becomes a retryable error for the view; a retry then works (fault injected by a proxy)', async () => {
      // A real server cannot be made to fail one request on cue; the proxy answers one with a 500.
      const proxy = await startRecordingProxy(server.url);
      const viaProxy = new MlflowClient({ baseUrl: proxy.url, timeoutMs: 30_000, maxRetries: 0 });
      try {
        const { metrics } = server.seed;
        const c = controllerFor([metrics.runId], ['loss'], viaProxy);
        await c.load();
        proxy.fault = (_m, path) => (path.endsWith('/get-history-bulk-interval') ? INTERNAL_ERROR : undefined);
        const err = await c.history({ metricKey: 'loss', runIds: [metrics.runId], quality: 'quick' }).then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(err instanceof MlflowError && err.transient, String(err));
        const forView = describeForView(err, silentLogger);
        assert.equal(forView.code, 'server');
        assert.match(forView.message, /internal error \(HTTP 500\)/);
        proxy.fault = undefined;
        const res = await c.history({ metricKey: 'loss', runIds: [metrics.runId], quality: 'quick' });
        assert.ok(pointsOf(res, metrics.runId).step.length > 0);
      } finally {
        await viaProxy.close();
        await proxy.close();
      }
    });

    test('the view is told why a server is unreachable instead of getting a blank chart', async () => {
      const dead = new MlflowClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 5_000, maxRetries: 0 });
      try {
        const c = controllerFor([server.seed.metrics.runId], ['loss'], dead);
        const loaded = await c.load();
        assert.ok(loaded.error, 'load reports the failure');
        assert.equal(loaded.runs.length, 1);
      } finally {
        await dead.close();
      }
    });
  });
}
