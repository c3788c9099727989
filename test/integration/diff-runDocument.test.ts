// Run documents (the YAML the "Compare with…" diff shows) rendered from a real MLflow server:
// the seeded diff pair, the run whose history ends in Infinity/NaN, the HTML-named run, a
// deleted run, the artifact tree, a run with 10,000 metrics, and a server that is not there.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { MlflowClient } from '../../extension/src/mlflow/client.ts';
import { MlflowError } from '../../extension/src/mlflow/errors.ts';
import { collectRunDocument, listArtifactTree } from '../../extension/src/diff/collectRunDocument.ts';
import { renderRunDocument, renderRunErrorDocument } from '../../extension/src/diff/runDocument.ts';
import { backendsUnderTest, sharedSeededServer } from '../support/mlflowServer.ts';
import type { SeededServer } from '../support/mlflowServer.ts';

interface Doc {
  run: Record<string, unknown>;
  params: Record<string, string>;
  metrics: Record<string, { last: number; step: number; min?: number; max?: number; points?: number }>;
  tags: Record<string, string>;
  system_tags: Record<string, string>;
  artifacts: Record<string, number | string | null> | null;
}

/** A port nothing listens on: bound, then closed. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

for (const backend of backendsUnderTest()) {
  describe(`run documents (${backend})`, () => {
    let server: SeededServer;
    let client: MlflowClient;

    const render = async (runId: string, limits?: Parameters<typeof collectRunDocument>[0]['limits']) => {
      const data = await collectRunDocument({
        client,
        server: { name: backend, uri: server.url },
        runId,
        ...(limits ? { limits } : {}),
      });
      const text = renderRunDocument(data);
      return { data, text, lines: text.split('\n'), doc: parse(text) as Doc };
    };

    before(
      async () => {
        server = await sharedSeededServer(backend);
        client = new MlflowClient({ baseUrl: server.url, timeoutMs: 60_000 });
      },
      { timeout: 900_000 },
    );
    after(() => client?.close());

    test('diffA ↔ diffB: a differing param is a differing line at the same place; equal params are identical lines', async () => {
      const { runs, experiments } = server.seed;
      const [a, b] = await Promise.all([render(runs.diffA.id), render(runs.diffB.id)]);
      const lineOf = (lines: string[], key: string) => {
        const paramsAt = lines.indexOf(lines.find((l) => l.startsWith('params:')) ?? '');
        const i = lines.findIndex((l, idx) => idx > paramsAt && l.startsWith(`  ${key}: `));
        assert.ok(paramsAt >= 0 && i > paramsAt, `param ${key} is in the params section`);
        return i;
      };
      for (const key of ['alpha', 'l1_ratio']) {
        const ia = lineOf(a.lines, key);
        const ib = lineOf(b.lines, key);
        assert.equal(ia, ib, `${key} sits on the same line number on both sides`);
        assert.notEqual(a.lines[ia], b.lines[ib], `${key} differs`);
      }
      assert.equal(a.lines[lineOf(a.lines, 'alpha')], '  alpha: "0.1"');
      assert.equal(b.lines[lineOf(b.lines, 'alpha')], '  alpha: "0.5"');
      for (const key of ['max_iter', 'random_state', 'feature set']) {
        assert.equal(a.lines[lineOf(a.lines, key)], b.lines[lineOf(b.lines, key)], `${key} is the same line`);
      }

      // What the document says is what the server has.
      const runA = await client.getRun(runs.diffA.id);
      assert.deepEqual(a.doc.params, Object.fromEntries(runA.data.params.map((p) => [p.key, p.value])));
      assert.deepEqual(Object.keys(a.doc.params), [...Object.keys(a.doc.params)].sort());
      assert.equal(a.doc.run['name'], runs.diffA.name);
      assert.equal(a.doc.run['user'], 'alice');
      assert.equal(a.doc.run['experiment'], experiments.main.name);
      assert.equal(a.doc.metrics['rmse']?.last, 0.6612);
      assert.equal(b.doc.metrics['rmse']?.last, 0.7105);
      assert.equal(a.doc.system_tags['mlflow.source.git.commit'], 'a3c9e1f0b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0');
      assert.equal(a.doc.tags['mlflow.note.content'], undefined, 'mlflow.* tags are only in system_tags');
      const listing = await client.listArtifacts(runs.diffA.id);
      for (const name of ['config.yaml', 'requirements.txt']) {
        assert.equal(a.doc.artifacts?.[name], listing.files.find((f) => f.path === name)?.file_size, `${name} size`);
        assert.equal(typeof b.doc.artifacts?.[name], 'number');
      }
      assert.match(a.text, new RegExp(`^# Server: ${backend} <${server.url.replace(/[.]/g, '\\.')}>$`, 'm'));
    });

    test('the failed run: a history ending in Infinity and NaN renders .nan last and reads back as the server sent it', async () => {
      const { nonFinite } = server.seed.metrics;
      const { doc, text } = await render(nonFinite.runId);
      const history = await client.getMetricHistory(nonFinite.runId, nonFinite.key);
      const finite = history.map((m) => m.value).filter((v) => !Number.isNaN(v));
      const loss = doc.metrics[nonFinite.key];
      assert.ok(loss && Number.isNaN(loss.last), 'the last loss is NaN');
      assert.equal(loss.step, nonFinite.values.length - 1);
      assert.equal(loss.points, nonFinite.values.length);
      assert.equal(loss.min, Math.min(...finite));
      // SQLite stores Infinity as the largest double; whatever the store returns is shown.
      assert.equal(loss.max, Math.max(...finite));
      assert.match(text, new RegExp(`^  ${nonFinite.key}:\\n {4}last: \\.nan$`, 'm'));
      const grad = doc.metrics[nonFinite.otherKey];
      const gradHistory = await client.getMetricHistory(nonFinite.runId, nonFinite.otherKey);
      assert.equal(grad?.last, gradHistory.at(-1)?.value);
      assert.ok((grad?.last ?? 0) < -1e300, "the last grad_norm is -Infinity (or the store's most negative double)");
    });

    test('the HTML-named run: name, <script> param and control-character tag read back byte for byte', async () => {
      const { runs, xss } = server.seed;
      const { doc, text } = await render(runs.xss.id);
      assert.equal(doc.run['name'], xss.runName);
      assert.equal(doc.params[xss.paramKey], xss.paramValue);
      assert.equal(doc.tags[xss.tagKey], xss.tagValue);
      assert.match(text, /^# MLflow run <img src=x onerror=alert\(1\)> \(/m);
      assert.doesNotMatch(text, /\u0007/, 'the BEL is an escape, not a raw control character');
      const control = await render(runs.xssControl.id);
      assert.equal(control.doc.run['name'], xss.controlRunName);
      assert.equal(control.lines.filter((l) => l.startsWith('# MLflow run ')).length, 1);
    });

    test('the long history: loss summarized over all 5,000 points', async () => {
      const { metrics } = server.seed;
      const { doc } = await render(metrics.runId);
      for (const [key, points] of Object.entries(metrics.histories))
        assert.equal(doc.metrics[key]?.points, points, key);
      for (const key of metrics.keysWithDotsAndSpaces) assert.ok(doc.metrics[key], `metric "${key}"`);
      for (const key of metrics.paramKeysWithDotsAndSpaces) assert.ok(key in doc.params, `param "${key}"`);
      const loss = await client.getMetricHistory(metrics.runId, 'loss');
      assert.equal(doc.metrics['loss']?.min, Math.min(...loss.map((m) => m.value)));
      assert.equal(doc.metrics['loss']?.max, Math.max(...loss.map((m) => m.value)));
      assert.equal(doc.metrics['loss']?.step, 4999);
    });

    test('a deleted run still renders, and says it was deleted', async () => {
      const { doc, text } = await render(server.seed.runs.deleted.id);
      assert.equal(doc.run['lifecycle'], 'deleted');
      assert.match(text, /^# This run was DELETED\./m);
    });

    test('the artifact tree is listed recursively with sizes, and the bounds are stated when hit', async () => {
      const { artifacts } = server.seed;
      const full = await render(artifacts.runId);
      const files = Object.entries(full.doc.artifacts ?? {}).filter(([k]) => !k.endsWith('/'));
      // MLflow omits file_size 0 on the wire, so an empty file has no size to show.
      assert.deepEqual(
        files.map(([path, size]) => ({ path, size })),
        artifacts.files.map((f) => ({ path: f.path, size: f.size === 0 ? null : f.size })),
      );
      assert.match(full.text, new RegExp(`^  ${artifacts.empty.replace(/[.]/g, '\\.')}: null # no size reported`, 'm'));
      assert.equal(full.data.artifactsTruncated, undefined);

      const shallow = await listArtifactTree(client, artifacts.runId, {
        artifactDepth: 2,
        artifactEntries: 1000,
        concurrency: 4,
      });
      assert.match(shallow.truncated ?? '', /2 folder levels/);
      assert.ok(
        shallow.entries.some((e) => e.path === 'data/raw' && e.unlisted),
        'the folder past the depth is marked',
      );
      assert.ok(!shallow.entries.some((e) => e.path.startsWith('data/raw/')), 'nothing below it was listed');

      const few = await listArtifactTree(client, artifacts.runId, {
        artifactDepth: 10,
        artifactEntries: 3,
        concurrency: 4,
      });
      assert.match(few.truncated ?? '', /first 3 entries/);
      assert.ok(few.entries.filter((e) => !e.isDir).length <= 3);
    });

    test('10,000 metrics: every latest value listed, histories fetched for 500 only, and the document says so', async () => {
      const experimentId = await client.createExperiment(`diff-10k-${backend}-${Date.now().toString(36)}`);
      const run = await client.createRun({ experimentId, runName: 'ten-thousand-metrics' });
      const runId = run.info.run_id;
      const now = Date.now();
      for (let batch = 0; batch < 10; batch++) {
        const metrics = Array.from({ length: 1000 }, (_, i) => {
          const n = batch * 1000 + i;
          return { key: `m.${String(n).padStart(5, '0')}`, value: n / 10, timestamp: now, step: n % 3 };
        });
        await client.logBatch({ runId, metrics });
      }
      await client.updateRun({ runId, status: 'FINISHED', endTime: now + 1000 });
      // Its duration is bench/diff-render.bench.ts's business; here only what the user reads.
      const { data, doc, text } = await render(runId);
      assert.equal(Object.keys(doc.metrics).length, 10_000);
      assert.equal(data.summaries.size, 500);
      assert.equal(data.summariesSkipped, 9_500);
      assert.match(
        text,
        /^# min\/max\/points shown for the first 500 of 10000 metrics \(by key\); 9500 show only their latest value\.$/m,
      );
      assert.deepEqual(doc.metrics['m.00499'], { last: 49.9, step: 1, min: 49.9, max: 49.9, points: 1 });
      assert.deepEqual(doc.metrics['m.00500'], { last: 50, step: 2 });
      assert.deepEqual(doc.metrics['m.09999'], { last: 999.9, step: 0 });
    });

    test('an unreachable server: collecting fails with a network error that renders as a comment-only document', async () => {
      const port = await closedPort();
      const dead = new MlflowClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5_000 });
      try {
        const err = await collectRunDocument({
          client: dead,
          server: { name: 'gone', uri: `http://127.0.0.1:${port}` },
          runId: server.seed.runs.diffA.id,
        }).then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(err instanceof MlflowError, `got ${String(err)}`);
        assert.equal(err.kind, 'network');
        const text = renderRunErrorDocument({
          serverName: 'gone',
          serverUri: `http://127.0.0.1:${port}`,
          runId: server.seed.runs.diffA.id,
          message: err.message,
        });
        assert.equal(parse(text), null, 'only comments');
        assert.match(text, /^# Could not load this run: /m);
      } finally {
        await dead.close();
      }
    });

    test('a run id that does not exist: a not-found error', async () => {
      const err = await collectRunDocument({
        client,
        server: { name: backend, uri: server.url },
        runId: '0'.repeat(32),
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof MlflowError && err.notFound, `got ${String(err)}`);
    });
  });
}
