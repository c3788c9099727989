// The registry calls the Models view acts with, against a real `mlflow server` (SQLite and
// PostgreSQL): each test registers a model of its own, with a name holding the characters that
// break unencoded URLs, and deletes it at the end. The shared seed's models are only read.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MlflowClient } from '../../extension/src/mlflow/client.ts';
import { MlflowError } from '../../extension/src/mlflow/errors.ts';
import { versionsWithAliases } from '../../extension/src/models/aliasRules.ts';
import { findModelDirs } from '../../extension/src/models/modelArtifacts.ts';
import { modelVersionsFilter } from '../../extension/src/mlflow/modelVersionsFilter.ts';
import type { SeedInfo } from '../support/seed.ts';
import { backendsUnderTest, sharedSeededServer } from '../support/mlflowServer.ts';

for (const backend of backendsUnderTest()) {
  describe(`model registry on ${backend}`, () => {
    let client: MlflowClient;
    let runId: string;
    let seed: SeedInfo;
    const name = `reg it #1 ?50% é ${backend} ${Date.now()}`;

    before(async () => {
      const server = await sharedSeededServer(backend);
      seed = server.seed;
      client = new MlflowClient({ baseUrl: server.url });
      const expId = await client.createExperiment(`model-registry-${backend}-${Date.now()}`);
      runId = (await client.createRun({ experimentId: expId, runName: 'trainer' })).info.run_id;
    });
    after(async () => {
      await client.deleteRegisteredModel(name).catch(() => undefined);
      await client.close();
    });

    test('register three versions, read them newest first with aliases merged in', async () => {
      const created = await client.createRegisteredModel({ name, description: 'first *model*' });
      assert.equal(created.name, name);
      for (let i = 1; i <= 3; i++) {
        const v = await client.createModelVersion({ name, source: `runs:/${runId}/model`, runId });
        assert.equal(v.version, String(i));
        assert.equal(v.run_id, runId);
        assert.equal(v.status, 'READY');
      }
      await client.setModelAlias(name, 'champion', '1');
      await client.setModelAlias(name, 'staging', '3');
      const searched = await client.searchModelVersions({ filter: `name = '${name}'` });
      assert.equal(searched.items.length, 3);
      // The fact the view works around: search answers without aliases.
      assert.ok(searched.items.every((v) => v.aliases.length === 0));
      const model = await client.getRegisteredModel(name);
      const merged = versionsWithAliases(searched.items, model);
      assert.deepEqual(
        merged.map((v) => [v.version, v.aliases]),
        [
          ['3', ['staging']],
          ['2', []],
          ['1', ['champion']],
        ],
      );
      assert.deepEqual((await client.getModelVersion(name, '1')).aliases, ['champion']);
    });

    test('moving an alias leaves the version that had it; removing it leaves none', async () => {
      await client.setModelAlias(name, 'champion', '3');
      assert.deepEqual((await client.getModelVersion(name, '1')).aliases, []);
      assert.deepEqual((await client.getModelVersion(name, '3')).aliases.sort(), ['champion', 'staging']);
      await client.deleteModelAlias(name, 'staging');
      assert.deepEqual((await client.getModelVersion(name, '3')).aliases, ['champion']);
    });

    test('descriptions and tags of the model and of a version', async () => {
      await client.updateRegisteredModel(name, 'new <b>description</b>');
      await client.setRegisteredModelTag(name, 'team name', 'a & b');
      await client.updateModelVersion(name, '2', 'v2 notes');
      await client.setModelVersionTag(name, '2', 'validated', 'yes');
      const model = await client.getRegisteredModel(name);
      assert.equal(model.description, 'new <b>description</b>');
      assert.deepEqual(model.tags, [{ key: 'team name', value: 'a & b' }]);
      const v2 = await client.getModelVersion(name, '2');
      assert.equal(v2.description, 'v2 notes');
      assert.deepEqual(v2.tags, [{ key: 'validated', value: 'yes' }]);
      await client.deleteRegisteredModelTag(name, 'team name');
      await client.deleteModelVersionTag(name, '2', 'validated');
      assert.deepEqual((await client.getRegisteredModel(name)).tags, []);
      assert.deepEqual((await client.getModelVersion(name, '2')).tags, []);
    });

    test('unknown models are 404 (notFound), unknown aliases 400, invalid alias names refused', async () => {
      await assert.rejects(
        client.getRegisteredModel(`${name} missing`),
        (e: unknown) => e instanceof MlflowError && e.status === 404 && e.notFound,
      );
      await assert.rejects(
        client.getModelVersion(name, '99'),
        (e: unknown) => e instanceof MlflowError && e.status === 404 && e.notFound,
      );
      await assert.rejects(
        client.setModelAlias(name, 'latest', '1'),
        (e: unknown) => e instanceof MlflowError && e.status === 400 && /reserved/.test(e.message),
      );
    });

    test("Register Model…'s pieces: the run's MLmodel folder is found, and a version from it is READY", async () => {
      const artifactsRun = seed.runs.artifacts.id;
      const found = await findModelDirs(async (path) => (await client.listArtifacts(artifactsRun, path)).files);
      assert.deepEqual(found, { dirs: [seed.artifacts.modelDir], truncated: false });
      const v = await client.createModelVersion({
        name,
        source: `runs:/${artifactsRun}/${found.dirs[0]}`,
        runId: artifactsRun,
      });
      assert.equal(v.status, 'READY');
      assert.equal(v.run_id, artifactsRun);
      // Stored as sent: 3.17.2's REST handler does not resolve runs:/ to the storage URI.
      assert.equal(v.source, `runs:/${artifactsRun}/${seed.artifacts.modelDir}`);
      assert.equal((await client.getModelVersion(name, v.version)).status, 'READY');
    });

    test('a name holding both quotes still finds its versions (and only its own after narrowing)', async () => {
      const stamp = `${backend} ${Date.now()}`;
      const quoted = `it's "q" ${stamp}`;
      const single = `only ' single ${stamp}`;
      const double = `only " double ${stamp}`;
      // What LIKE also matches for `quoted`: the narrowing by exact name must drop it.
      const lookalike = `itXs XqX ${stamp}`;
      const all = [quoted, single, double, lookalike];
      try {
        for (const n of all) {
          await client.createRegisteredModel({ name: n });
          await client.createModelVersion({ name: n, source: `runs:/${runId}/model`, runId });
        }
        const like = (await client.searchModelVersions({ filter: modelVersionsFilter(quoted) })).items;
        assert.deepEqual(like.map((v) => v.name).sort(), [quoted, lookalike].sort());
        for (const n of [quoted, single, double]) {
          const found = (await client.searchModelVersions({ filter: modelVersionsFilter(n) })).items;
          assert.deepEqual(
            found.filter((v) => v.name === n).map((v) => v.version),
            ['1'],
            n,
          );
        }
      } finally {
        for (const n of all) await client.deleteRegisteredModel(n).catch(() => undefined);
      }
    });

    test('deleting a version, then the model', async () => {
      await client.deleteModelVersion(name, '2');
      await assert.rejects(client.getModelVersion(name, '2'), (e: unknown) => e instanceof MlflowError && e.notFound);
      const left = await client.searchModelVersions({ filter: `name = '${name}'` });
      assert.deepEqual(left.items.map((v) => v.version).sort(), ['1', '3', '4']);
      await client.deleteRegisteredModel(name);
      await assert.rejects(client.getRegisteredModel(name), (e: unknown) => e instanceof MlflowError && e.notFound);
    });
  });
}
