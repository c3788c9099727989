import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runIdInFilters } from '../../../extension/src/mlflow/runIdFilter.ts';

test('known runs are asked for in one IN list, each id once', () => {
  assert.deepEqual(runIdInFilters(['abc123', 'def456', 'abc123'], 'run_id', 100), ["run_id IN ('abc123', 'def456')"]);
  assert.deepEqual(runIdInFilters(['a1'], 'attributes.run_id', 100), ["attributes.run_id IN ('a1')"]);
});

test('ids that could break the quoted literal are left out, whichever caller asks', () => {
  for (const field of ['run_id', 'attributes.run_id'] as const) {
    assert.deepEqual(runIdInFilters(["x') OR ('1", 'ok1', "a'b", 'c d', ''], field, 100), [`${field} IN ('ok1')`]);
    assert.deepEqual(runIdInFilters(["x') OR ('1"], field, 100), [], 'no filter at all rather than an empty list');
  }
  assert.deepEqual(runIdInFilters([], 'run_id', 100), []);
});

test('long lists are split into requests of at most perCall ids, in order', () => {
  const ids = Array.from({ length: 250 }, (_, i) => `r${i}`);
  const filters = runIdInFilters(ids, 'run_id', 100);
  assert.equal(filters.length, 3);
  const back = filters.flatMap((f) => [...f.matchAll(/'([^']+)'/g)].map((m) => m[1]));
  assert.deepEqual(back, ids);
  assert.equal(
    filters[2],
    `run_id IN (${ids
      .slice(200)
      .map((id) => `'${id}'`)
      .join(', ')})`,
  );
});
