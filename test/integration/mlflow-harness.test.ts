// The MLflow test harness and seed, checked through the REST API on both backends: what
// scripts/mlflow_seed.py reports in its SeedInfo is what a client actually gets back. Every other
// integration and e2e test builds on these facts, so a drift shows up here first, by name.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import {
  backendsUnderTest,
  PG_HOST,
  PG_PORT,
  PG_USER,
  sharedSeededServer,
  startMlflowServer,
} from '../support/mlflowServer.ts';
import type { SeededServer } from '../support/mlflowServer.ts';
import { groupAlive } from '../support/processGroup.ts';

// ---- a minimal, validating REST client (the extension's typed client is tested elsewhere) ----

type Json = Record<string, unknown>;

function obj(v: unknown, what: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Error(`${what}: not an object: ${JSON.stringify(v)?.slice(0, 200)}`);
  return v as Json;
}
function arr(v: unknown, what: string): unknown[] {
  // The API omits empty lists.
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`${what}: not an array`);
  return v;
}
function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new Error(`${what}: not a string: ${JSON.stringify(v)}`);
  return v;
}

async function call(url: string, method: 'GET' | 'POST', path: string, body?: Json | URLSearchParams): Promise<Json> {
  let target = `${url}${path}`;
  const init: RequestInit = { method, signal: AbortSignal.timeout(60_000) };
  if (body instanceof URLSearchParams) target += `?${body.toString()}`;
  else if (body) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const res = await fetch(target, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  return obj(JSON.parse(text) as unknown, path);
}

const post = (url: string, path: string, body: Json) => call(url, 'POST', `/api/2.0/mlflow/${path}`, body);
const get = (url: string, path: string, query: Record<string, string | string[]>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  return call(url, 'GET', `/api/2.0/mlflow/${path}`, q);
};

interface RunView {
  id: string;
  name: string;
  user: string;
  status: string;
  lifecycle: string;
  endTime: unknown;
  tags: Map<string, string>;
  params: Map<string, string>;
}

function runView(v: unknown): RunView {
  const run = obj(v, 'run');
  const info = obj(run['info'], 'run.info');
  const data = obj(run['data'] ?? {}, 'run.data');
  const kv = (list: unknown, what: string) =>
    new Map(
      arr(list, what).map((e) => {
        const o = obj(e, what);
        return [str(o['key'], `${what}.key`), str(o['value'], `${what}.value`)] as const;
      }),
    );
  return {
    id: str(info['run_id'], 'run_id'),
    name: str(info['run_name'], 'run_name'),
    user: str(info['user_id'], 'user_id'),
    status: str(info['status'], 'status'),
    lifecycle: str(info['lifecycle_stage'], 'lifecycle_stage'),
    endTime: info['end_time'],
    tags: kv(data['tags'], 'tags'),
    params: kv(data['params'], 'params'),
  };
}

/** Every run of the experiments, following next_page_token. */
async function searchAll(
  url: string,
  experimentIds: string[],
  pageSize: number,
  viewType = 'ACTIVE_ONLY',
): Promise<{ runs: RunView[]; pages: number }> {
  const runs: RunView[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const body: Json = { experiment_ids: experimentIds, max_results: pageSize, run_view_type: viewType };
    if (token) body['page_token'] = token;
    const page = await post(url, 'runs/search', body);
    runs.push(...arr(page['runs'], 'runs').map(runView));
    token = page['next_page_token'] === undefined ? undefined : str(page['next_page_token'], 'next_page_token');
    pages++;
  } while (token);
  return { runs, pages };
}

async function getRun(url: string, id: string): Promise<RunView> {
  return runView((await get(url, 'runs/get', { run_id: id }))['run']);
}

async function metricHistory(url: string, runId: string, key: string): Promise<Json[]> {
  const out: Json[] = [];
  let token: string | undefined;
  do {
    const q: Record<string, string> = { run_id: runId, metric_key: key, max_results: '25000' };
    if (token) q['page_token'] = token;
    const page = await get(url, 'metrics/get-history', q);
    out.push(...arr(page['metrics'], 'metrics').map((m) => obj(m, 'metric')));
    token = page['next_page_token'] === undefined ? undefined : str(page['next_page_token'], 'next_page_token');
  } while (token);
  return out;
}

async function listArtifacts(url: string, runId: string, path?: string): Promise<Map<string, Json>> {
  const q: Record<string, string> = { run_id: runId };
  if (path) q['path'] = path;
  const res = await get(url, 'artifacts/list', q);
  return new Map(
    arr(res['files'], 'files').map((f) => {
      const o = obj(f, 'file');
      return [str(o['path'], 'path'), o] as const;
    }),
  );
}

// ---- the tests ----------------------------------------------------------------------------

for (const backend of backendsUnderTest()) {
  describe(`MLflow harness and seed on ${backend}`, () => {
    let s: SeededServer;
    before(
      async () => {
        s = await sharedSeededServer(backend);
      },
      { timeout: 900_000 },
    );

    test('the server is healthy', async () => {
      const res = await fetch(`${s.url}/health`);
      assert.equal(res.status, 200);
      assert.equal((await res.text()).trim(), 'OK');
    });

    test('the big experiment pages to exactly its run count, with every seeded user', async () => {
      const { big, users } = s.seed;
      const { runs, pages } = await searchAll(s.url, [big.experimentId], 500);
      assert.equal(runs.length, big.runCount);
      assert.equal(big.runCount, 1200);
      assert.equal(pages, Math.ceil(big.runCount / 500));
      assert.equal(new Set(runs.map((r) => r.id)).size, big.runCount, 'no run twice across pages');
      // Default order is start_time DESC: trial-1200 first, trial-0001 last.
      assert.equal(runs[0]?.id, big.lastRun.id);
      assert.equal(runs.at(-1)?.id, big.firstRun.id);
      const byUser = new Map<string, number>();
      const byStatus = new Map<string, number>();
      for (const r of runs) {
        byUser.set(r.user, (byUser.get(r.user) ?? 0) + 1);
        byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
      }
      assert.deepEqual(Object.fromEntries(byUser), big.userCounts);
      assert.deepEqual(Object.fromEntries(byStatus), big.statusCounts);
      assert.deepEqual([...byUser.keys()].sort(), [...users.all].sort());
      assert.ok(users.others.length >= 3 && !users.others.includes(users.default));
      const first = runs[0];
      assert.ok(first);
      assert.deepEqual([...first.params.keys()].sort(), big.paramKeys);
    });

    test('the main experiment holds a run in each of the five statuses, and a deleted run only in DELETED_ONLY', async () => {
      const { runs: roles, experiments } = s.seed;
      const { runs } = await searchAll(s.url, [experiments.main.id], 1000);
      assert.equal(runs.length, experiments.main.runCount);
      const byId = new Map(runs.map((r) => [r.id, r]));
      assert.deepEqual(
        new Set(runs.map((r) => r.status)),
        new Set(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']),
      );
      for (const role of ['best', 'running', 'scheduled', 'failed', 'killed', 'diffA', 'diffB', 'artifacts'] as const) {
        const got = byId.get(roles[role].id);
        assert.ok(got, `${role} run is listed`);
        assert.equal(got.status, roles[role].status, role);
        assert.equal(got.user, roles[role].user, role);
        assert.equal(got.name, roles[role].name, role);
      }
      assert.equal(byId.get(roles.running.id)?.endTime, undefined, 'a RUNNING run has no end time');
      assert.equal(byId.get(roles.scheduled.id)?.endTime, undefined, 'a SCHEDULED run has no end time');
      assert.equal(byId.has(roles.deleted.id), false);
      const deleted = await searchAll(s.url, [experiments.main.id], 1000, 'DELETED_ONLY');
      assert.deepEqual(
        deleted.runs.map((r) => r.id),
        [roles.deleted.id],
      );
      assert.equal(deleted.runs[0]?.lifecycle, 'deleted');
      const best = byId.get(roles.best.id);
      assert.ok(best);
      assert.equal(best.tags.get('mlflow.source.name'), 'train.py');
      assert.match(best.tags.get('mlflow.source.git.commit') ?? '', /^[0-9a-f]{40}$/);
      for (const key of s.seed.metrics.paramKeysWithDotsAndSpaces) assert.ok(best.params.has(key), `param "${key}"`);
    });

    test('experiments: tags, description, the deleted one only in DELETED_ONLY', async () => {
      const { experiments } = s.seed;
      const active = arr(
        (await post(s.url, 'experiments/search', { max_results: 1000 }))['experiments'],
        'experiments',
      ).map((e) => obj(e, 'experiment'));
      const ids = new Set(active.map((e) => str(e['experiment_id'], 'experiment_id')));
      for (const role of ['main', 'nested', 'big', 'xss', 'empty'] as const)
        assert.ok(ids.has(experiments[role].id), role);
      assert.equal(ids.has(experiments.deleted.id), false);
      const deleted = arr(
        (await post(s.url, 'experiments/search', { max_results: 1000, view_type: 'DELETED_ONLY' }))['experiments'],
        'experiments',
      );
      assert.deepEqual(
        deleted.map((e) => obj(e, 'experiment')['name']),
        [experiments.deleted.name],
      );
      const main = obj(
        (await get(s.url, 'experiments/get', { experiment_id: experiments.main.id }))['experiment'],
        'experiment',
      );
      const tags = new Map(
        arr(main['tags'], 'tags').map((t) => [str(obj(t, 'tag')['key'], 'key'), str(obj(t, 'tag')['value'], 'value')]),
      );
      assert.equal(tags.get('mlflow.note.content'), experiments.main.description);
      for (const [k, v] of Object.entries(experiments.main.tags)) assert.equal(tags.get(k), v);
      const xss = obj(
        (await get(s.url, 'experiments/get', { experiment_id: experiments.xss.id }))['experiment'],
        'experiment',
      );
      assert.equal(xss['name'], s.seed.xss.experimentName);
    });

    test('nested runs: children carry mlflow.parentRunId, the grandchild points at the first child', async () => {
      const { nested, runs } = s.seed;
      assert.equal(nested.childIds.length, 4);
      for (const id of nested.childIds)
        assert.equal((await getRun(s.url, id)).tags.get('mlflow.parentRunId'), nested.parentId);
      const grandchild = await getRun(s.url, nested.grandchildId);
      assert.equal(grandchild.tags.get('mlflow.parentRunId'), runs.child.id);
      assert.equal(runs.child.id, nested.childIds[0]);
      assert.equal((await getRun(s.url, nested.parentId)).tags.has('mlflow.parentRunId'), false);
    });

    test('HTML and control characters come back byte-identical', async () => {
      const { runs, xss } = s.seed;
      const run = await getRun(s.url, runs.xss.id);
      assert.equal(run.name, '<img src=x onerror=alert(1)>');
      assert.equal(run.name, xss.runName);
      assert.equal(run.params.get(xss.paramKey), '<script>alert(1)</script>');
      assert.equal(run.tags.get(xss.tagKey), '\u0007bell\ttab');
      assert.equal(run.tags.get('mlflow.runName'), xss.runName);
      assert.equal((await getRun(s.url, runs.xssControl.id)).name, '\u0007bell\ttab');
    });

    test('metric histories: lengths, wall-clock spread, NaN and Infinity', async () => {
      const { metrics } = s.seed;
      const loss = await metricHistory(s.url, metrics.runId, 'loss');
      assert.equal(loss.length, metrics.histories['loss']);
      assert.equal(loss.length, 5000);
      assert.equal((await metricHistory(s.url, metrics.runId, 'val_loss')).length, metrics.histories['val_loss']);
      const wall = await metricHistory(s.url, metrics.runId, metrics.wallClock.key);
      assert.equal(wall.length, metrics.wallClock.points);
      assert.equal(wall[0]?.['timestamp'], metrics.wallClock.firstTimestamp);
      assert.equal(
        Number(wall.at(-1)?.['timestamp']) - Number(wall[0]?.['timestamp']),
        (metrics.wallClock.points - 1) * metrics.wallClock.intervalMs,
      );
      for (const key of metrics.keysWithDotsAndSpaces)
        assert.equal((await metricHistory(s.url, metrics.runId, key)).length, 1, key);
      const nf = await metricHistory(s.url, metrics.nonFinite.runId, metrics.nonFinite.key);
      assert.deepEqual(
        nf.sort((a, b) => Number(a['step']) - Number(b['step'])).map((m) => m['value']),
        metrics.nonFinite.values,
      );
      assert.deepEqual(metrics.nonFinite.sent.slice(-2), ['Infinity', 'NaN']);
      // SQL stores clamp infinities to the largest double; NaN survives as "NaN".
      assert.deepEqual(metrics.nonFinite.values.slice(-2), [Number.MAX_VALUE, 'NaN']);
      const other = await metricHistory(s.url, metrics.nonFinite.runId, metrics.nonFinite.otherKey);
      assert.deepEqual(
        other.sort((a, b) => Number(a['step']) - Number(b['step'])).map((m) => m['value']),
        metrics.nonFinite.otherValues,
      );
      assert.equal(metrics.nonFinite.otherValues.at(-1), -Number.MAX_VALUE);
    });

    test('artifacts: every kind, nested dirs, the model directory, the 5 MiB file', async () => {
      const { artifacts } = s.seed;
      const root = await listArtifacts(s.url, artifacts.runId);
      assert.deepEqual([...root.keys()].sort(), artifacts.topLevel);
      const sizes = new Map(artifacts.files.map((f) => [f.path, f.size]));
      for (const [path, info] of root) {
        if (info['is_dir'] === true) assert.ok(artifacts.dirs.includes(path), `dir ${path}`);
        // Proto JSON omits zero values: an empty file has no file_size.
        else assert.equal(Number(info['file_size'] ?? 0), sizes.get(path), `size of ${path}`);
      }
      const model = await listArtifacts(s.url, artifacts.runId, artifacts.modelDir);
      assert.ok(model.has(artifacts.mlmodel), 'model/MLmodel');
      const deepDir = artifacts.deep.split('/').slice(0, -1).join('/');
      assert.ok((await listArtifacts(s.url, artifacts.runId, deepDir)).has(artifacts.deep));
      const large = await fetch(
        `${s.url}/get-artifact?${new URLSearchParams({ run_id: artifacts.runId, path: artifacts.large.path })}`,
      );
      assert.equal(large.status, 200);
      assert.equal((await large.arrayBuffer()).byteLength, artifacts.large.size);
      const png = await fetch(
        `${s.url}/get-artifact?${new URLSearchParams({ run_id: artifacts.runId, path: artifacts.png })}`,
      );
      assert.deepEqual(
        [...new Uint8Array(await png.arrayBuffer()).subarray(0, 8)],
        [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      );
      const md = await fetch(
        `${s.url}/get-artifact?${new URLSearchParams({ run_id: artifacts.runId, path: artifacts.markdown })}`,
      );
      assert.match(await md.text(), /^# Evaluation/);
      for (const role of ['diffA', 'diffB'] as const) {
        const files = await listArtifacts(s.url, s.seed.runs[role].id);
        assert.ok(files.has('config.yaml') && files.has('requirements.txt') && files.has('model'), role);
      }
    });

    test('registry: models, versions from several users, aliases, the logged model', async () => {
      const { models, loggedModel } = s.seed;
      const all = [models.wine, models.image, models.churn];
      const found = arr(
        (await get(s.url, 'registered-models/search', { max_results: '100' }))['registered_models'],
        'registered_models',
      ).map((m) => obj(m, 'model'));
      const names = found.map((m) => m['name']);
      for (const m of all) assert.ok(names.includes(m.name), m.name);
      for (const m of all) {
        const versions = arr(
          (await get(s.url, 'model-versions/search', { filter: `name='${m.name}'`, max_results: '1000' }))[
            'model_versions'
          ],
          'model_versions',
        ).map((v) => obj(v, 'version'));
        assert.deepEqual(versions.map((v) => v['version']).sort(), m.versions.map((v) => v.version).sort(), m.name);
        for (const [alias, version] of Object.entries(m.aliases)) {
          const mv = obj(
            (await get(s.url, 'registered-models/alias', { name: m.name, alias }))['model_version'],
            'model_version',
          );
          assert.equal(mv['version'], version, `${m.name}@${alias}`);
        }
        const rm = obj(
          (await get(s.url, 'registered-models/get', { name: m.name }))['registered_model'],
          'registered_model',
        );
        assert.equal(rm['description'], m.description);
      }
      assert.ok(
        new Set(models.wine.versions.map((v) => v.runUser)).size >= 3,
        'wine versions come from runs of different users',
      );
      const mv = obj(
        (await get(s.url, 'model-versions/get', { name: loggedModel.registeredModel, version: loggedModel.version }))[
          'model_version'
        ],
        'model_version',
      );
      // 3.17 does not return model_id on versions; the source names the logged model.
      assert.equal(mv['source'], `models:/${loggedModel.modelId}`);
      assert.equal(mv['run_id'], loggedModel.runId);
      const lm = obj(
        obj((await call(s.url, 'GET', `/api/2.0/mlflow/logged-models/${loggedModel.modelId}`))['model'], 'model')[
          'info'
        ],
        'info',
      );
      assert.equal(lm['source_run_id'], loggedModel.runId);
      assert.equal(lm['name'], loggedModel.name);
    });
  });

  test(
    `startMlflowServer (${backend}): a fresh server starts empty and stop() leaves nothing behind`,
    { timeout: 240_000 },
    async () => {
      const server = await startMlflowServer({ backend });
      try {
        const exps = arr(
          (await post(server.url, 'experiments/search', { max_results: 10 }))['experiments'],
          'experiments',
        );
        assert.deepEqual(
          exps.map((e) => obj(e, 'experiment')['name']),
          ['Default'],
        );
        assert.ok(groupAlive(server.pid));
      } finally {
        await server.stop();
      }
      assert.equal(groupAlive(server.pid), false, 'the process group is gone');
      assert.equal(existsSync(server.dir), false, 'the temp dir is removed');
      await assert.rejects(
        fetch(`${server.url}/health`, { signal: AbortSignal.timeout(5_000) }),
        'nothing answers on the port',
      );
      if (backend === 'postgres') {
        const db = server.backendStoreUri.split('/').at(-1) ?? '';
        const r = spawnSync(
          'psql',
          [
            '-h',
            PG_HOST,
            '-p',
            String(PG_PORT),
            '-U',
            PG_USER,
            '-d',
            'postgres',
            '-w',
            '-Atc',
            'select datname from pg_database',
          ],
          { encoding: 'utf8' },
        );
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout.split('\n').includes(db), false, `database ${db} is dropped`);
      }
    },
  );
}
