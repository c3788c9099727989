import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFilterInput, parseFilterInput } from '../../../extension/src/runs/filterInput.ts';

test('ORDER BY splits off the filter, one key per element as MLflow wants', () => {
  assert.deepEqual(
    parseFilterInput("metrics.rmse < 0.8 and params.alpha = '0.5' order by metrics.rmse asc, start_time  DESC"),
    {
      filter: "metrics.rmse < 0.8 and params.alpha = '0.5'",
      orderBy: ['metrics.rmse asc', 'start_time DESC'],
    },
  );
  assert.deepEqual(parseFilterInput('ORDER BY metrics.`my metric` DESC'), {
    filter: '',
    orderBy: ['metrics.`my metric` DESC'],
  });
});

test('"order by" inside a quoted value or key is part of the filter', () => {
  assert.deepEqual(parseFilterInput("params.note = 'sort order by hand'"), {
    filter: "params.note = 'sort order by hand'",
    orderBy: [],
  });
  assert.deepEqual(parseFilterInput('tags.`order by` = "x"'), { filter: 'tags.`order by` = "x"', orderBy: [] });
});

test('formatting round-trips what the user typed', () => {
  const q = { filter: "status = 'RUNNING'", orderBy: ['metrics.loss ASC'] };
  assert.equal(formatFilterInput(q), "status = 'RUNNING' order by metrics.loss ASC");
  assert.deepEqual(parseFilterInput(formatFilterInput(q)), q);
  assert.equal(formatFilterInput({ filter: '', orderBy: [] }), '');
});
