import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelVersionsFilter } from '../../../extension/src/mlflow/modelVersionsFilter.ts';

test("a model's versions filter quotes its name with the quote it does not hold", () => {
  assert.equal(modelVersionsFilter('wine #1 ?50% é'), "name = 'wine #1 ?50% é'");
  assert.equal(modelVersionsFilter("it's"), 'name = "it\'s"');
  // Both quotes: no escape exists, so each quote becomes LIKE's one-character wildcard.
  assert.equal(modelVersionsFilter('it\'s "q"'), "name LIKE 'it_s _q_'");
});
