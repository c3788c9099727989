// The run browser's model without VS Code and without a server: node identity, every run edit
// through updateRun with its change event, delete/restore, what forgetting drops, and that
// polling waits while nobody sees the runs. Loading and polling against a real server are in
// test/integration/runs-data-layer.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunBrowserModel } from '../../../extension/src/runs/runBrowserModel.ts';
import type { RunBrowserDeps } from '../../../extension/src/runs/runBrowserModel.ts';
import type { ExperimentNode, RunNode, TreeNode } from '../../../extension/src/runs/nodes.ts';
import type { Run } from '../../../extension/src/mlflow/types.ts';
import type { ServerConfig } from '../../../extension/src/servers/serverConfig.ts';

const server: ServerConfig = {
  id: 'http://127.0.0.1:5000',
  name: 'local',
  uri: 'http://127.0.0.1:5000',
  auth: 'none',
  source: 'settings',
};

// No request may happen in these tests: a client that is asked for fails the test.
const noServer = (): never => {
  throw new Error('this test makes no requests');
};

function model(overrides: Partial<RunBrowserDeps> = {}): RunBrowserModel {
  return new RunBrowserModel({
    servers: { client: noServer, clientSource: () => noServer, report: () => undefined },
    pageSize: () => 100,
    refreshIntervalSeconds: () => 0,
    isVisible: () => true,
    log: { debug: () => undefined },
    ...overrides,
  });
}

function run(id: string, status: Run['info']['status'] = 'FINISHED'): Run {
  return {
    info: {
      run_id: id,
      run_name: `run ${id}`,
      experiment_id: '1',
      user_id: '',
      status,
      start_time: 1,
      end_time: 2,
      artifact_uri: `mlflow-artifacts:/1/${id}/artifacts`,
      lifecycle_stage: 'active',
    },
    data: { metrics: [], params: [], tags: [{ key: 'mlflow.runName', value: `run ${id}` }] },
    inputs: { datasets: [], model_ids: [] },
    outputs: { model_ids: [] },
  };
}

function experimentWith(m: RunBrowserModel, runs: Run[]): ExperimentNode {
  const exp = m.experimentNode(m.serverNode(server), {
    experiment_id: '1',
    name: 'exp',
    artifact_location: '',
    lifecycle_stage: 'active',
    tags: [],
  } as never);
  exp.listing.runs = runs;
  exp.listing.loaded = true;
  return exp;
}

/** A model showing one experiment of these runs; `node(id)` draws a run's row (once). */
function browsing(
  runs: Run[],
  overrides: Partial<RunBrowserDeps> = {},
): { m: RunBrowserModel; exp: ExperimentNode; node: (runId: string) => RunNode } {
  const m = model(overrides);
  const exp = experimentWith(m, runs);
  return { m, exp, node: (runId) => m.runNode(exp, server, exp.listing.find(runId)!) };
}

function events(m: RunBrowserModel): (TreeNode | undefined)[] {
  const seen: (TreeNode | undefined)[] = [];
  m.onDidChange((n) => seen.push(n));
  return seen;
}

test('a node is made once per id: a second look returns the same object', () => {
  const { m, exp, node } = browsing([run('a')]);
  const r1 = node('a');
  assert.equal(node('a'), r1);
  assert.equal(m.serverNode(server), exp.parent);
  assert.equal(m.findRunNode(server.id, 'a'), r1);
  assert.deepEqual(m.loadedRunNodes(server.id), [r1]);
  assert.deepEqual(m.loadedRunNodes('other'), []);
  m.dispose();
});

test('updateRun replaces the run in place, once per loaded copy, and announces each of its nodes', () => {
  const m = model();
  const shared = run('a');
  const exp = experimentWith(m, [shared]);
  const top = m.runNode(exp, server, shared);
  // The same run shown twice (e.g. under its parent too) is one Run object: edited once.
  const parent = m.runNode(exp, server, run('p'));
  const nested = m.runNode(parent, server, shared);
  const seen = events(m);
  let edits = 0;
  const touched = m.updateRun(server.id, 'a', (r) => {
    edits++;
    return { data: { ...r.data, tags: [...r.data.tags, { key: 'candidate', value: 'yes' }] } };
  });
  assert.equal(edits, 1);
  assert.deepEqual(new Set(touched), new Set([top, nested]));
  assert.deepEqual(new Set(seen), new Set([top, nested]));
  assert.equal(top.run, shared, 'the node keeps its run object');
  assert.deepEqual(
    shared.data.tags.map((t) => t.key),
    ['mlflow.runName', 'candidate'],
  );
  assert.equal(exp.listing.find('a'), shared, 'the listing sees the edit too');
  m.dispose();
});

test('updateRun leaves other servers and other runs alone', () => {
  const { m, node } = browsing([run('a'), run('b')]);
  const b = node('b');
  const seen = events(m);
  assert.deepEqual(
    m.updateRun('elsewhere', 'a', () => ({ info: { ...b.run.info, run_name: 'x' } })),
    [],
  );
  assert.deepEqual(
    m.updateRun(server.id, 'a', (r) => ({ info: { ...r.info, run_name: 'renamed' } })),
    [],
    'a run nobody drew has no node',
  );
  assert.deepEqual(seen, []);
  assert.equal(b.run.info.run_name, 'run b');
  m.dispose();
});

test('delete drops the run from a list of active runs and redraws it; restore brings its state back', () => {
  const { m, exp, node } = browsing([run('a'), run('b')]);
  const a = node('a');
  const seen = events(m);
  m.markDeleted(a);
  assert.equal(a.run.info.lifecycle_stage, 'deleted');
  assert.deepEqual(
    exp.listing.runs.map((r) => r.info.run_id),
    ['b'],
  );
  assert.deepEqual(seen, [a, exp]);
  m.markRestored(server.id, 'a');
  assert.equal(a.run.info.lifecycle_stage, 'active');
  m.dispose();
});

test('delete keeps the run listed when the list shows deleted runs too', () => {
  const { m, exp, node } = browsing([run('a')]);
  exp.listing.query = { ...exp.listing.query, viewType: 'ALL' };
  m.markDeleted(node('a'));
  assert.deepEqual(
    exp.listing.runs.map((r) => r.info.run_id),
    ['a'],
  );
  m.dispose();
});

test('forgetting a server drops the nodes below it but not the server row', () => {
  const { m, exp, node } = browsing([run('a')]);
  const a = node('a');
  m.forgetServer(server);
  assert.equal(m.findRunNode(server.id, 'a'), undefined);
  assert.ok(m.findServerNode(server));
  assert.notEqual(
    m.runNode(m.experimentNode(m.serverNode(server), exp.experiment), server, a.run),
    a,
    'a fresh row with the same id',
  );
  m.clear();
  assert.equal(m.findServerNode(server), undefined);
  m.dispose();
});

test('polling waits while the runs are not visible, and never asks the server then', async () => {
  let visible = false;
  const { m, node } = browsing([run('live', 'RUNNING')], { isVisible: () => visible });
  node('live');
  assert.equal(await m.pollLiveRuns(), 0);
  visible = true;
  // Visible now: it does ask, and a failed poll is logged, not thrown.
  const logged: string[] = [];
  const { m: m2, node: node2 } = browsing([run('live', 'RUNNING')], { log: { debug: (s) => logged.push(s) } });
  node2('live');
  assert.equal(await m2.pollLiveRuns(), 0);
  assert.match(logged.join('\n'), /this test makes no requests/);
  m.dispose();
  m2.dispose();
});

test('the model and what it imports never import vscode', () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../extension/src');
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /from 'vscode'|require\('vscode'\)/, `${file.slice(root.length + 1)} imports vscode`);
    for (const m of text.matchAll(/from '(\.[^']+\.ts)'/g)) {
      const target = resolve(dirname(file), m[1]!);
      if (target.startsWith(root)) visit(target);
    }
  };
  visit(resolve(root, 'runs/runBrowserModel.ts'));
  assert.ok(
    [...seen].some((f) => f.includes('/mlflow/')),
    'the walk reached the REST client',
  );
});

test('run rows carry their experiment’s primary metric: chosen from the loaded runs, then the filter’s order-by, then the user’s pin', () => {
  const withMetrics = (id: string, metrics: Record<string, number>): Run => {
    const r = run(id);
    r.data.metrics = Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: 1, step: 0 }));
    return r;
  };
  const pins = new Map<string, string>();
  const m = model({ choices: { pinnedMetric: (_s, e) => pins.get(e), direction: () => undefined } });
  // train_logloss ties on every run: never the default; the validation metric wins.
  const exp = experimentWith(m, [
    withMetrics('a', { train_logloss: 0.1, val_accuracy: 0.91 }),
    withMetrics('b', { train_logloss: 0.1, val_accuracy: 0.87 }),
    withMetrics('c', { train_logloss: 0.1 }),
  ]);
  const [a, , c] = exp.listing.runs.map((r) => m.runNode(exp, server, r));
  const primary = m.primaryMetric(exp);
  assert.equal(primary?.key, 'val_accuracy');
  assert.deepEqual([primary?.direction.better, primary?.direction.guess], ['higher', true]);
  assert.deepEqual(m.primaryValue(a!), { key: 'val_accuracy', value: 0.91 });
  assert.equal(m.primaryValue(c!), undefined, 'a run without the metric shows none');

  exp.listing.query = { ...exp.listing.query, orderBy: ['metrics.train_logloss ASC'] };
  assert.equal(m.primaryMetric(exp)?.key, 'train_logloss');
  pins.set('1', 'val_accuracy');
  assert.equal(m.primaryMetric(exp)?.reason, 'pinned');
  assert.equal(m.primaryMetric(exp, { ignorePin: true })?.key, 'train_logloss');
  m.dispose();
});
