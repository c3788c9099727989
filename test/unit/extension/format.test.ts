import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatDuration,
  metricDescription,
  noteMarkdown,
  runDescription,
  tagsCount,
} from '../../../extension/src/runs/format.ts';
import type { Run } from '../../../extension/src/mlflow/types.ts';
import { runName } from '../../../extension/src/mlflow/types.ts';
import { displayText } from '../../../webviews/protocol/displayText.ts';

function run(over: Partial<Run['info']> = {}, tags: { key: string; value: string }[] = []): Run {
  return {
    info: {
      run_id: 'r1',
      run_name: 'sweep-1',
      experiment_id: '1',
      user_id: 'alice',
      status: 'FINISHED',
      start_time: Date.UTC(2026, 0, 2, 3, 4),
      end_time: Date.UTC(2026, 0, 2, 3, 7, 2),
      artifact_uri: '',
      lifecycle_stage: 'active',
      ...over,
    },
    data: { metrics: [], params: [], tags },
    inputs: { datasets: [], model_ids: [] },
    outputs: { model_ids: [] },
  };
}

test('control characters in a label become visible escapes; HTML stays text', () => {
  assert.equal(displayText('\u0007bell\ttab\nline'), '\\u0007bell\\ttab\\nline');
  assert.equal(displayText('<img src=x onerror=alert(1)>'), '<img src=x onerror=alert(1)>');
  assert.equal(displayText('x'.repeat(300), 10).length, 10);
});

test('a run reads as status · start · duration · user', () => {
  const d = runDescription(run());
  assert.match(d, /^FINISHED · 2026-01-0\d \d\d:\d\d · 3m 2s · alice$/);
  assert.match(runDescription(run({ lifecycle_stage: 'deleted' })), /^FINISHED \(deleted\)/);
  const live = runDescription(run({ status: 'RUNNING', end_time: undefined }), Date.UTC(2026, 0, 2, 4, 4));
  assert.match(live, /RUNNING · .* · 1h 0m · alice/);
});

test('a run without a name falls back to its mlflow.runName tag, then its id', () => {
  assert.equal(runName(run({ run_name: 'named' }, [{ key: 'mlflow.runName', value: 'tagged' }])), 'named');
  assert.equal(runName(run({ run_name: '' }, [{ key: 'mlflow.runName', value: 'tagged' }])), 'tagged');
  assert.equal(runName(run({ run_name: '' })), 'r1');
});

test('durations are short and honest', () => {
  assert.equal(formatDuration(59_400), '59s');
  assert.equal(formatDuration(3 * 86_400_000 + 3_600_000), '3d 1h');
});

test('an MLflow note stays Markdown, but its images become plain links (a hover fetches no server-chosen URL)', () => {
  assert.equal(
    noteMarkdown('**best** run, see [docs](https://example.org)'),
    '**best** run, see [docs](https://example.org)',
  );
  assert.equal(
    noteMarkdown('![beacon](http://attacker.example/t.png) and ![ref][1]'),
    '\\![beacon](http://attacker.example/t.png) and \\![ref][1]',
  );
});

test('an MLflow note keeps its line breaks (Markdown) but shows a bidi override as an escape', () => {
  assert.equal(noteMarkdown('line one\nreport\u202eexe.txt\ttab'), 'line one\nreport\\u202eexe.txt\ttab');
});

test('a run with only system tags reads "(3 system)", not "0"', () => {
  assert.equal(tagsCount(0, 3), '(3 system)');
  assert.equal(tagsCount(2, 3), '2 (3 system)');
  assert.equal(tagsCount(2, 0), '2');
});

test('"(step N)" shows only when the run logged beyond step 0', () => {
  const single = [
    { key: 'rmse', value: 0.79, step: 0, timestamp: 0 },
    { key: 'r2', value: 0.31, step: 0, timestamp: 0 },
  ];
  assert.equal(metricDescription(single[0]!, single), '0.79');
  const stepped = [...single, { key: 'loss', value: 0.2, step: 9, timestamp: 0 }];
  assert.equal(metricDescription(stepped[0]!, stepped), '0.79 (step 0)');
  assert.equal(metricDescription(stepped[2]!, stepped), '0.2 (step 9)');
});
