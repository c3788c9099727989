import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFilter, completeFilter, explainMlflowFilterError } from '../../../extension/src/runs/filterSyntax.ts';
import type { FilterKeys } from '../../../extension/src/runs/filterSyntax.ts';
import { RUN_FILTER_CORPUS } from '../../fixtures/runFilters.ts';

test(`the checker accepts exactly what MLflow 3.17.2 accepted, on all ${RUN_FILTER_CORPUS.length} recorded filters`, () => {
  const disagree = RUN_FILTER_CORPUS.filter((c) => (checkFilter(c.filter).error === undefined) !== c.accepted);
  assert.deepEqual(
    disagree.map((c) => `${c.accepted ? 'MLflow accepts' : 'MLflow rejects'}: ${c.filter}`),
    [],
  );
});

// [filter, where the error starts, what it covers, a phrase the message must contain]
const ERRORS: [string, number, string, RegExp][] = [
  ['metrics.rmse < 1 OR metrics.rmse > 2', 17, 'OR', /no OR .*#4135.*two filters/],
  ["NOT params.a = 'x'", 0, 'NOT', /!=/],
  ["(params.a = 'x')", 0, '(', /parentheses/],
  ["params.a = 'x'; params.b = 'y'", 14, ';', /AND/],
  ['params.lr = 0.1', 12, '0.1', /in quotes/],
  ['params.a = x', 11, 'x', /'x'/],
  ["metrics.acc = '0.9'", 14, "'0.9'", /metrics\.acc > 0\.9/],
  ["attributes.start_time > '17'", 24, "'17'", /milliseconds/],
  ["status IN ('FINISHED','FAILED')", 7, 'IN', /=, !=, LIKE, ILIKE/],
  ['metrics.rmse IS NULL', 13, 'IS NULL', /not IS NULL/],
  ["PARAMS.x = 'y'", 0, 'PARAMS', /lowercase/],
  ["params.x-y = 'z'", 0, 'params.x-y', /params\.`x-y`/],
  ['metrics.rmse == 1', 13, '==', /as =/],
  ['rmse < 1', 0, 'rmse', /metrics\.rmse/],
  ["datasets.version = 'v1'", 9, 'version', /name, digest or context/],
  ['attributes.run_id IN ()', 21, '()', /at least one/],
  ["run_id IN ('a', 1)", 16, '1', /quoted strings/],
  ['metrics.rmse', 0, 'metrics.rmse', /needs a comparison/],
  ["params.a = 'x", 11, "'x", /never closed/],
  ['metrics.rmse < +1', 15, '+', /\+ sign/],
  ['metrics.rmse > 1 -- note', 17, '-- note', /comments/],
];

for (const [filter, start, covered, phrase] of ERRORS) {
  test(`refused where MLflow refuses it: ${filter}`, () => {
    const { error } = checkFilter(filter);
    assert.ok(error, 'an error');
    assert.equal(error.start, start);
    assert.equal(filter.slice(error.start, error.end), covered);
    assert.match(error.message, phrase);
  });
}

test('clauses with nothing between them pass, as in MLflow, with a warning to write AND', () => {
  const r = checkFilter("params.a = 'x' params.b = 'y'");
  assert.equal(r.error, undefined);
  assert.equal(r.warning?.start, 15);
  assert.deepEqual(checkFilter("params.a = 'x' AND params.b = 'y'"), {});
  assert.deepEqual(checkFilter(''), {});
});

test('MLflow’s own messages get plain words; other messages none', () => {
  assert.match(explainMlflowFilterError("Invalid clause(s) in filter string: 'OR'")!, /no OR/);
  assert.match(explainMlflowFilterError('Expected numeric value type for metric. Found 1%')!, /numbers/);
  assert.match(
    explainMlflowFilterError("Invalid entity type 'PARAMS'. Valid values are ['metric', 'parameter']")!,
    /lowercase/,
  );
  assert.equal(explainMlflowFilterError('Run with id=abc not found'), undefined);
});

const KEYS: FilterKeys = {
  metrics: ['rmse', 'val_loss', 'system/cpu'],
  params: ['alpha', 'l1_ratio'],
  tags: ['team'],
  paramValues: new Map([['alpha', ['0.5', "it's", `both'"`]]]),
  tagValues: new Map([['team', ['vision']]]),
};

// [text before the cursor, labels offered (in order; `...` = only the first ones)]
const COMPLETIONS: [string, string[]][] = [
  ['', ['metrics.', 'params.', 'tags.', 'attributes.', 'datasets.', 'run_name', '...']],
  ['met', ['metrics.']],
  ['metrics.', ['metrics.rmse', 'metrics.val_loss', 'metrics.`system/cpu`']],
  ['metrics.v', ['metrics.val_loss']],
  ['metric.s', ['metric.`system/cpu`']],
  ['metrics.`sys', ['metrics.`system/cpu`']],
  ['al', ['params.alpha']],
  ['tags.mlflow.u', ['tags.mlflow.user']],
  ['metrics.rmse ', ['=', '!=', '<', '<=', '>', '>=']],
  ['metrics.rmse <', ['<', '<=']],
  ['params.alpha ', ['=', '!=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL']],
  ['attributes.run_id ', ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN']],
  ['datasets.name n', ['NOT IN']],
  ['params.alpha = ', ["'0.5'", `"it's"`]],
  ["params.alpha = '0", ["'0.5'"]],
  ['tags.team != ', ["'vision'"]],
  ['status = ', ["'RUNNING'", "'SCHEDULED'", "'FINISHED'", "'FAILED'", "'KILLED'"]],
  ['metrics.rmse < ', []],
  ["params.alpha = '0.5' ", ['AND']],
  ["params.alpha = '0.5' an", ['AND']],
  ['params.alpha IS NULL ', ['AND']],
  ["params.alpha = '0.5' AND ", ['metrics.', 'params.', 'tags.', 'attributes.', 'datasets.', 'run_name', '...']],
  ["params.alpha = '0.5' and metrics.r", ['metrics.rmse']],
  ['PARAMS.alpha ', []],
];

for (const [text, labels] of COMPLETIONS) {
  test(`completes ${JSON.stringify(text)}`, () => {
    const got = completeFilter(text, text.length, KEYS).map((c) => c.label);
    if (labels.at(-1) === '...') assert.deepEqual(got.slice(0, labels.length - 1), labels.slice(0, -1));
    else assert.deepEqual(got, labels);
  });
}

test('a completion replaces what was typed of its token and leaves the text after the cursor', () => {
  const text = "params.alpha = '0.5' AND metrics.r AND tags.team = 'vision'";
  const cursor = text.indexOf(' AND tags');
  const [c] = completeFilter(text, cursor, KEYS);
  assert.ok(c);
  const next = text.slice(0, c.start) + c.insert + text.slice(c.end);
  assert.equal(next, "params.alpha = '0.5' AND metrics.rmse  AND tags.team = 'vision'");
  assert.equal(checkFilter(next).error?.message.includes('needs a comparison'), true);
});
