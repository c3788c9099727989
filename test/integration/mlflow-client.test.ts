// The typed REST client against a real `mlflow server`, seeded by MLflow's own Python client,
// on SQLite and on PostgreSQL.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MlflowClient } from '../../extension/src/mlflow/client.ts';
import { MlflowError } from '../../extension/src/mlflow/errors.ts';
import type { SeedInfo } from '../support/seed.ts';
import { backendsUnderTest, sharedSeededServer } from '../support/mlflowServer.ts';

for (const backend of backendsUnderTest()) {
  describe(`MlflowClient on ${backend}`, () => {
    let client: MlflowClient;
    let seed: SeedInfo;
    const debug: string[] = [];

    before(async () => {
      const server = await sharedSeededServer(backend);
      seed = server.seed;
      client = new MlflowClient({
        baseUrl: server.url,
        logger: { debug: (m) => debug.push(m), warn: (m) => debug.push(m) },
      });
    });
    after(() => client.close());

    test('health, version and the experiment list (deleted ones only on request)', async () => {
      assert.equal(await client.health(), 'OK');
      assert.match(await client.version(), /^\d+\.\d+\.\d+/);
      const active = await client.listExperiments();
      const ids = active.map((e) => e.experiment_id);
      for (const role of ['main', 'nested', 'big', 'xss', 'empty'] as const)
        assert.ok(ids.includes(seed.experiments[role].id), role);
      assert.ok(!ids.includes(seed.experiments.deleted.id));
      const all = await client.listExperiments({ viewType: 'ALL', maxResults: 2 });
      const deleted = all.find((e) => e.experiment_id === seed.experiments.deleted.id);
      assert.equal(deleted?.lifecycle_stage, 'deleted', 'paging with max_results 2 still reaches every experiment');
    });

    test('paging 1,200 runs with page tokens yields each run once', async () => {
      const seen = new Set<string>();
      let pages = 0;
      for await (const page of client.iterateRuns({ experimentIds: [seed.big.experimentId], maxResults: 500 })) {
        pages++;
        for (const r of page) seen.add(r.info.run_id);
      }
      assert.equal(pages, 3);
      assert.equal(seen.size, seed.big.runCount);
      const first = await client.searchRuns({ experimentIds: [seed.big.experimentId], maxResults: 1 });
      assert.equal(first.items[0]?.info.run_id, seed.big.lastRun.id, 'default order is newest first');
    });

    test('a run comes back with its data; hostile names byte for byte', async () => {
      const best = await client.getRun(seed.runs.best.id);
      assert.equal(best.info.run_name, seed.runs.best.name);
      assert.equal(best.info.status, 'FINISHED');
      assert.ok(best.data.params.some((p) => p.key === seed.metrics.paramKeysWithDotsAndSpaces[0]));
      const xss = await client.getRun(seed.runs.xss.id);
      assert.equal(xss.info.run_name, seed.xss.runName);
      assert.equal(xss.data.params.find((p) => p.key === seed.xss.paramKey)?.value, seed.xss.paramValue);
      assert.equal(xss.data.tags.find((t) => t.key === seed.xss.tagKey)?.value, seed.xss.tagValue);
      const deleted = await client.getRun(seed.runs.deleted.id);
      assert.equal(deleted.info.lifecycle_stage, 'deleted');
    });

    test('metric histories: all pages in order, non-finite values as numbers, sampled by step', async () => {
      const loss = await client.getMetricHistory(seed.metrics.runId, 'loss', { pageSize: 1000 });
      assert.equal(loss.length, seed.metrics.histories['loss']);
      assert.deepEqual(
        loss.slice(0, 3).map((m) => m.step),
        [0, 1, 2],
      );
      const nf = seed.metrics.nonFinite;
      const failed = await client.getMetricHistory(nf.runId, nf.key);
      // What was logged: the client hands back ±Infinity where SQL stores keep ±max double.
      const expected = nf.sent.map((v) =>
        v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v,
      );
      assert.deepEqual(
        failed.map((m) => m.value),
        expected,
      );
      const sampled = await client.getSampledMetricHistory({
        runIds: [seed.metrics.runId],
        metricKey: 'loss',
        maxResults: 100,
      });
      const steps = new Set(sampled.map((m) => m.step));
      assert.ok(steps.size <= 102 && steps.size >= 100, `sampled ${steps.size} steps`);
      assert.ok(steps.has(0) && steps.has(seed.metrics.histories['loss']! - 1), 'first and last steps kept');
      const zoom = await client.getSampledMetricHistory({
        runIds: [seed.metrics.runId],
        metricKey: 'loss',
        startStep: 1000,
        endStep: 1099,
        maxResults: 2500,
      });
      assert.equal(new Set(zoom.map((m) => m.step)).size, 100, 'a zoomed range comes back at full resolution');
    });

    test('artifacts: one level at a time, downloads with progress, cancellable', async () => {
      const a = seed.artifacts;
      const root = await client.listArtifacts(a.runId);
      assert.deepEqual(root.files.map((f) => f.path).sort(), [...a.topLevel].sort());
      const text = await client.downloadArtifact(a.runId, a.yaml);
      assert.equal(text.byteLength, a.files.find((f) => f.path === a.yaml)?.size);
      const progress: number[] = [];
      const big = await client.downloadArtifact(a.runId, a.large.path, {
        onProgress: (p) => progress.push(p.received),
      });
      assert.equal(big.byteLength, a.large.size);
      assert.ok(progress.length > 1 && progress.at(-1) === a.large.size, 'progress is reported as bytes arrive');
      const ac = new AbortController();
      const cancelled = client.downloadArtifact(a.runId, a.large.path, {
        signal: ac.signal,
        onProgress: () => ac.abort(),
      });
      await assert.rejects(cancelled, (e: unknown) => e instanceof MlflowError && e.kind === 'cancelled');
      await assert.rejects(
        client.downloadArtifact(a.runId, 'no/such/file.txt'),
        (e: unknown) => e instanceof MlflowError && e.status === 404,
      );
    });

    test("MLflow's own message for a bad filter, a missing run, a bad experiment id", async () => {
      await assert.rejects(
        client.searchRuns({
          experimentIds: [seed.experiments.main.id],
          filter: "metrics.rmse < 1 OR params.alpha = '1'",
        }),
        (e: unknown) =>
          e instanceof MlflowError &&
          e.kind === 'api' &&
          e.errorCode === 'INVALID_PARAMETER_VALUE' &&
          e.message === "Invalid clause(s) in filter string: 'OR'",
      );
      await assert.rejects(
        client.getRun('0123456789abcdef0123456789abcdef'),
        (e: unknown) => e instanceof MlflowError && e.notFound && /not found/.test(e.message),
      );
      await assert.rejects(
        client.getExperiment('not-a-number'),
        (e: unknown) => e instanceof MlflowError && e.status === 400,
      );
    });

    test('registry: models with aliases, versions by run', async () => {
      const models = await client.searchRegisteredModels({ maxResults: 1 });
      assert.equal(models.items.length, 1);
      assert.ok(models.nextPageToken, 'registry search pages too');
      const wine = await client.getRegisteredModel(seed.models.wine.name);
      assert.deepEqual(Object.fromEntries(wine.aliases.map((a) => [a.alias, a.version])), seed.models.wine.aliases);
      const byRun = await client.searchModelVersions({
        filter: `run_id IN ('${seed.runs.diffA.id}', '${seed.runs.diffB.id}')`,
      });
      assert.deepEqual(byRun.items.map((v) => v.run_id).sort(), [seed.runs.diffA.id, seed.runs.diffB.id].sort());
    });

    test('writes: create, rename, tag, log, delete and restore a run of our own', async () => {
      const expId = await client.createExperiment(`client-writes-${backend}-${Date.now()}`);
      const run = await client.createRun({
        experimentId: expId,
        runName: 'first',
        tags: [{ key: 'mlflow.user', value: 'tester' }],
      });
      assert.equal(run.info.status, 'RUNNING');
      await client.logBatch({
        runId: run.info.run_id,
        params: [{ key: 'alpha', value: "'a b'" }],
        metrics: [{ key: 'm', value: 1.5, timestamp: Date.now(), step: 2 }],
      });
      await client.setRunTag(run.info.run_id, 'stage', '<b>candidate</b>');
      const renamed = await client.updateRun({
        runId: run.info.run_id,
        runName: 'renamed',
        status: 'FINISHED',
        endTime: Date.now(),
      });
      assert.equal(renamed.run_name, 'renamed');
      let fresh = await client.getRun(run.info.run_id);
      assert.equal(fresh.data.params[0]?.value, "'a b'");
      assert.equal(fresh.data.tags.find((t) => t.key === 'stage')?.value, '<b>candidate</b>');
      assert.equal(fresh.data.metrics[0]?.step, 2);
      await client.deleteRunTag(run.info.run_id, 'stage');
      await client.deleteRun(run.info.run_id);
      fresh = await client.getRun(run.info.run_id);
      assert.equal(fresh.info.lifecycle_stage, 'deleted');
      assert.ok(!fresh.data.tags.some((t) => t.key === 'stage'));
      await client.restoreRun(run.info.run_id);
      assert.equal((await client.getRun(run.info.run_id)).info.lifecycle_stage, 'active');
    });

    test('requests are logged at debug level without credentials or bodies', () => {
      assert.ok(debug.some((l) => /^POST \/api\/2\.0\/mlflow\/runs\/search → 200 \(\d+ ms\)$/.test(l)));
      assert.ok(!debug.some((l) => /authorization|password/i.test(l)));
    });
  });
}
