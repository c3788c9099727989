// The filter box's checker against the real server: every filter of the corpus goes to
// runs/search, and the checker must accept exactly what MLflow accepts. Each refusal MLflow sends
// must also get plain words from explainMlflowFilterError.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MlflowClient } from '../../extension/src/mlflow/client.ts';
import { MlflowError } from '../../extension/src/mlflow/errors.ts';
import { checkFilter, explainMlflowFilterError } from '../../extension/src/runs/filterSyntax.ts';
import { backendsUnderTest, sharedSeededServer } from '../support/mlflowServer.ts';
import type { SeedInfo } from '../support/seed.ts';
import { RUN_FILTER_CORPUS } from '../fixtures/runFilters.ts';

for (const backend of backendsUnderTest()) {
  describe(`run filter syntax on ${backend}`, () => {
    let client: MlflowClient;
    let seed: SeedInfo;

    before(async () => {
      const server = await sharedSeededServer(backend);
      seed = server.seed;
      client = new MlflowClient({ baseUrl: server.url });
    });
    after(() => client.close());

    test(`the checker agrees with MLflow on all ${RUN_FILTER_CORPUS.length} filters of the corpus`, async (t) => {
      const disagreements: string[] = [];
      const unexplained: string[] = [];
      let agree = 0;
      for (const { filter, accepted } of RUN_FILTER_CORPUS) {
        let refusal: string | undefined;
        try {
          await client.searchRuns({ experimentIds: [seed.big.experimentId], filter, maxResults: 1 });
        } catch (e) {
          // Only a 400 is MLflow refusing the filter; anything else fails the test as it is.
          if (!(e instanceof MlflowError) || e.status !== 400) throw e;
          refusal = e.message;
        }
        const mlflowAccepts = refusal === undefined;
        const ours = checkFilter(filter).error;
        if (mlflowAccepts === (ours === undefined)) agree++;
        else disagreements.push(`${filter}  MLflow: ${refusal ?? 'accepts'}  ours: ${ours?.message ?? 'accepts'}`);
        assert.equal(mlflowAccepts, accepted, `the corpus records what MLflow answers to ${filter}: ${refusal}`);
        if (refusal !== undefined && explainMlflowFilterError(refusal) === undefined) unexplained.push(refusal);
      }
      t.diagnostic(`agreement ${agree}/${RUN_FILTER_CORPUS.length} on ${backend}`);
      assert.deepEqual(disagreements, []);
      assert.deepEqual(unexplained, [], 'every refusal gets plain words');
    });
  });
}
