// The run browser's data layer (what the tree shows, page by page) against a real server on
// SQLite and PostgreSQL: paging, nesting, filters that fail without losing the list, and the
// in-place refresh of running runs.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MlflowClient } from '../../extension/src/mlflow/client.ts';
import { RunListing, refreshRuns } from '../../extension/src/runs/runListing.ts';
import { RunBrowserModel } from '../../extension/src/runs/runBrowserModel.ts';
import type { TreeNode } from '../../extension/src/runs/nodes.ts';
import type { ServerConfig } from '../../extension/src/servers/serverConfig.ts';
import type { SeedInfo } from '../support/seed.ts';
import { backendsUnderTest, sharedSeededServer } from '../support/mlflowServer.ts';
import { freePort } from '../support/codeServer.ts';

for (const backend of backendsUnderTest()) {
  describe(`run listing on ${backend}`, () => {
    let client: MlflowClient;
    let seed: SeedInfo;
    let serverUrl: string;

    before(async () => {
      const server = await sharedSeededServer(backend);
      seed = server.seed;
      serverUrl = server.url;
      client = new MlflowClient({ baseUrl: server.url });
    });
    after(() => client.close());

    test('runs arrive a page at a time and Load more reaches every run once', async () => {
      const listing = new RunListing(client, { experimentId: seed.big.experimentId, pageSize: 100 });
      await listing.reload();
      assert.equal(listing.runs.length, 100, 'the first page only');
      assert.ok(listing.hasMore);
      assert.equal(listing.runs[0]?.info.run_id, seed.big.lastRun.id);
      let requests = 1;
      while (listing.hasMore) {
        await listing.loadMore();
        requests++;
      }
      assert.equal(listing.runs.length, seed.big.runCount);
      assert.equal(new Set(listing.runs.map((r) => r.info.run_id)).size, seed.big.runCount);
      assert.equal(requests, Math.ceil(seed.big.runCount / 100));
    });

    test('child runs nest under their parent, grandchildren under the child', async () => {
      const top = new RunListing(client, { experimentId: seed.experiments.nested.id, pageSize: 100 });
      await top.reload();
      const topIds = top.topLevel().map((r) => r.info.run_id);
      assert.ok(topIds.includes(seed.nested.parentId));
      for (const child of seed.nested.childIds)
        assert.ok(!topIds.includes(child), 'children are not listed at the top');
      const children = new RunListing(client, {
        experimentId: seed.experiments.nested.id,
        pageSize: 100,
        parentRunId: seed.nested.parentId,
      });
      await children.reload();
      assert.deepEqual(children.runs.map((r) => r.info.run_id).sort(), [...seed.nested.childIds].sort());
      const grand = new RunListing(client, {
        experimentId: seed.experiments.nested.id,
        pageSize: 100,
        parentRunId: seed.nested.grandchildParentId,
      });
      await grand.reload();
      assert.deepEqual(
        grand.runs.map((r) => r.info.run_id),
        [seed.nested.grandchildId],
      );
    });

    test('a filter with ORDER BY narrows and sorts on the server; matches nest under matching parents', async () => {
      const listing = new RunListing(client, { experimentId: seed.big.experimentId, pageSize: 50 });
      const metric = seed.big.metricKeys[0]!;
      await listing.applyQuery({
        filter: `metrics.${metric} < 0.5`,
        orderBy: [`metrics.${metric} ASC`],
        viewType: 'ACTIVE_ONLY',
      });
      assert.ok(listing.runs.length > 0);
      const values = listing.runs.map((r) => r.data.metrics.find((m) => m.key === metric)!.value);
      assert.ok(
        values.every((v) => v < 0.5),
        'every row matches the filter',
      );
      assert.deepEqual(
        values,
        [...values].sort((a, b) => a - b),
        'rows come sorted by the server',
      );

      const nested = new RunListing(client, { experimentId: seed.experiments.nested.id, pageSize: 100 });
      await nested.applyQuery({ filter: "attributes.status != 'KILLED'", orderBy: [], viewType: 'ACTIVE_ONLY' });
      const all = nested.runs.map((r) => r.info.run_id);
      assert.ok(
        all.includes(seed.nested.parentId) && all.includes(seed.nested.childIds[0]!),
        'filtered, children are fetched too',
      );
      assert.ok(
        !nested.topLevel().some((r) => r.info.run_id === seed.nested.childIds[0]),
        '…and shown under their parent',
      );
    });

    test("a rejected filter keeps the previous list and MLflow's message", async () => {
      const listing = new RunListing(client, { experimentId: seed.experiments.main.id, pageSize: 100 });
      await listing.reload();
      const before = listing.runs.map((r) => r.info.run_id);
      await assert.rejects(listing.applyQuery({ filter: 'params.alpha = 0.5', orderBy: [], viewType: 'ACTIVE_ONLY' }));
      assert.match(listing.error?.message ?? '', /quoted/i, 'the message is MLflow’s own (unquoted string value)');
      assert.deepEqual(
        listing.runs.map((r) => r.info.run_id),
        before,
      );
      assert.equal(listing.query.filter, '', 'the previous query stays in force');
      await listing.reload();
      assert.equal(listing.error, undefined, 'the next good load clears the message');
    });

    test('a filter rejected before the runs were ever listed still leaves the runs on screen', async () => {
      // Filter Runs… on an experiment row that was never expanded: nothing was loaded to keep.
      const listing = new RunListing(client, { experimentId: seed.experiments.main.id, pageSize: 100 });
      const bad = { filter: 'params.alpha = 0.5', orderBy: [], viewType: 'ACTIVE_ONLY' as const };
      await assert.rejects(listing.applyQuery(bad));
      assert.match(listing.error?.message ?? '', /quoted/i, 'MLflow’s own reason');
      const unfiltered = new RunListing(client, { experimentId: seed.experiments.main.id, pageSize: 100 });
      await unfiltered.reload();
      assert.ok(unfiltered.runs.length > 0);
      assert.deepEqual(
        listing.runs.map((r) => r.info.run_id),
        unfiltered.runs.map((r) => r.info.run_id),
        'the runs of the filter in force are listed',
      );
      assert.equal(listing.query.filter, '', 'the last good (here: no) filter is in force');
      assert.deepEqual(listing.rejected, bad, 'the tree can say which filter was rejected');
      await listing.applyQuery({ ...bad, filter: "params.alpha = '0.5'" });
      assert.equal(listing.rejected, undefined, 'a good filter clears the rejection');
      assert.equal(listing.error, undefined);
    });

    test('after a rejected filter, the next page answers for itself: its failure is not called a rejected filter', async () => {
      // The extension replaces a server's client when its settings change; here the new one
      // points at a port nothing listens on, so Load more fails for a reason of its own.
      let current = client;
      const dead = new MlflowClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, maxRetries: 0 });
      try {
        const listing = new RunListing(() => current, { experimentId: seed.big.experimentId, pageSize: 50 });
        await listing.reload();
        assert.ok(listing.hasMore);
        const bad = { filter: 'params.alpha = 0.5', orderBy: [], viewType: 'ACTIVE_ONLY' as const };
        await assert.rejects(listing.applyQuery(bad));
        assert.deepEqual(listing.rejected, bad);
        current = dead;
        await assert.rejects(listing.loadMore());
        assert.ok(listing.error, 'the connection failure is shown');
        assert.equal(listing.rejected, undefined, 'and not as "Filter rejected: …"');
        current = client;
        await assert.rejects(listing.applyQuery(bad));
        assert.deepEqual(listing.rejected, bad);
        await listing.loadMore();
        assert.equal(listing.error, undefined);
        assert.equal(listing.rejected, undefined, 'a page that loads clears the rejection with the error');
      } finally {
        await dead.close();
      }
      // A query equal in value to the one in force is never the user's rejected filter, even
      // when the server refuses it: here the nesting clause itself (a parent id with a quote,
      // which no real run has, is the one way to make MLflow refuse the query in force).
      const odd = new RunListing(client, { experimentId: seed.experiments.main.id, pageSize: 50, parentRunId: "it's" });
      await assert.rejects(odd.applyQuery({ ...odd.query, orderBy: [...odd.query.orderBy] }));
      assert.ok(odd.error);
      assert.equal(odd.rejected, undefined, "no filter of the user's was refused");
    });

    test('deleted runs show only when asked for', async () => {
      const listing = new RunListing(client, { experimentId: seed.experiments.main.id, pageSize: 100 });
      await listing.reload();
      assert.ok(!listing.runs.some((r) => r.info.run_id === seed.runs.deleted.id));
      await listing.applyQuery({ filter: '', orderBy: [], viewType: 'ALL' });
      assert.ok(listing.runs.some((r) => r.info.run_id === seed.runs.deleted.id));
    });

    test('running runs refresh in place: same objects, new status', async () => {
      const expId = await client.createExperiment(`live-${backend}-${Date.now()}`);
      const created = await client.createRun({ experimentId: expId, runName: 'live' });
      const listing = new RunListing(client, { experimentId: expId, pageSize: 10 });
      await listing.reload();
      const held = listing.runs[0]!;
      assert.equal(held.info.status, 'RUNNING');
      assert.deepEqual(await refreshRuns(client, expId, [held]), [], 'nothing changed yet');
      await client.updateRun({ runId: created.info.run_id, status: 'FINISHED', endTime: Date.now() });
      const changed = await refreshRuns(client, expId, [held]);
      assert.equal(changed.length, 1);
      assert.equal(changed[0], held, 'the tree keeps the same object');
      assert.equal(held.info.status, 'FINISHED');
      // An id that would end the quoted literal is left out of the IN list, not sent to MLflow.
      const forged = structuredClone(held);
      forged.info.run_id = "x') OR attributes.run_name = ('y";
      assert.deepEqual(
        await refreshRuns(client, expId, [held, forged]),
        [],
        'the safe id still refreshes; the forged one is skipped',
      );
    });

    /** The tree's model on this server; polling only when a test calls it. */
    const browser = (url: string): { model: RunBrowserModel; server: ServerConfig } => ({
      model: new RunBrowserModel({
        servers: { client: () => client, clientSource: () => client, report: () => undefined },
        pageSize: () => 100,
        refreshIntervalSeconds: () => 0,
        isVisible: () => true,
        log: { debug: () => undefined },
      }),
      server: { id: url, name: backend, uri: url, auth: 'none', source: 'settings' },
    });

    test('the model reveals a child run under its parent, loading experiments and lists on the way', async () => {
      const { model, server } = browser(serverUrl);
      const child = await client.getRun(seed.nested.childIds[0]!);
      const node = await model.revealPath(server, child);
      assert.ok(node, 'the run was found');
      assert.equal(node.run.info.run_id, child.info.run_id);
      const parent = node.parent;
      assert.equal(parent?.kind, 'run');
      assert.equal(parent.kind === 'run' && parent.run.info.run_id, seed.nested.parentId);
      assert.equal(parent.parent?.kind, 'experiment');
      assert.equal(await model.revealPath(server, child), node, 'a second reveal finds the same node');
      model.dispose();
    });

    test('the model polls a running run and announces the node that changed', async () => {
      const { model, server } = browser(serverUrl);
      const expId = await client.createExperiment(`model-live-${backend}-${Date.now()}`);
      const created = await client.createRun({ experimentId: expId, runName: 'live' });
      const node = await model.revealPath(server, created);
      assert.ok(node);
      const seen: (TreeNode | undefined)[] = [];
      model.onDidChange((n) => seen.push(n));
      assert.equal(await model.pollLiveRuns(), 0, 'nothing changed yet');
      assert.deepEqual(seen, [], 'an unchanged running run is not redrawn (a redraw would close its tooltip)');
      await client.updateRun({ runId: created.info.run_id, status: 'FINISHED', endTime: Date.now() });
      assert.equal(await model.pollLiveRuns(), 1);
      assert.equal(node.run.info.status, 'FINISHED');
      assert.deepEqual(seen, [node]);
      assert.equal(await model.pollLiveRuns(), 0, 'a finished run is no longer polled');
      model.dispose();
    });
  });
}
