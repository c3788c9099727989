import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Run } from '../../../extension/src/mlflow/types.ts';
import {
  artifactDiffTitle,
  chronological,
  documentFileName,
  runDiffTitle,
  sourceDiffTitle,
} from '../../../extension/src/diff/diffNames.ts';
import { candidateLabel, paramDifferences } from '../../../extension/src/diff/candidateLabels.ts';

function run(id: string, name: string, start: number | undefined, params: [string, string][] = []): Run {
  return {
    info: {
      run_id: id,
      run_name: name,
      experiment_id: '1',
      user_id: 'u',
      status: 'FINISHED',
      start_time: start,
      end_time: start === undefined ? undefined : start + 1000,
      artifact_uri: '',
      lifecycle_stage: 'active',
    },
    data: { metrics: [], params: params.map(([key, value]) => ({ key, value })), tags: [] },
    inputs: { datasets: [], model_ids: [] },
    outputs: { model_ids: [] },
  };
}

test('titles follow the one display rule: controls, line breaks, bidi and zero-width characters show as escapes; links break', () => {
  assert.equal(
    runDiffTitle(run('a', 'a\nb\r\n\tc', 1), run('b', 'x\u202eevil\u200b', 2)),
    'a\\nb\\r\\n\\tc ↔ x\\u202eevil\\u200b',
  );
  assert.equal(
    runDiffTitle(run('a', '[x](command:y)', 1), run('b', '<img src=x onerror=alert(1)>', 2)),
    '[x] (command:y) ↔ <img src=x onerror=alert(1)>',
  );
  assert.equal(
    runDiffTitle(run('a', 'y'.repeat(100), 1), run('b', 'z', 2)),
    `${'y'.repeat(59)}… ↔ z`,
    'a name is capped at 60',
  );
  assert.equal(
    sourceDiffTitle('src/[x](command:y)\u202e.py', 'abcdef0123'),
    '[x] (command:y)\\u202e.py @ abcdef0 ↔ working tree',
  );
});

test('a run document file name is the run name as a safe .yaml segment', () => {
  assert.equal(documentFileName('sweep-1'), 'sweep-1.yaml');
  assert.equal(documentFileName('a/b\\c:d?e#f%g'), 'a_b_c_d_e_f_g.yaml');
  assert.equal(documentFileName('<img src=x onerror=alert(1)>'), '_img src=x onerror=alert(1)_.yaml');
  assert.equal(documentFileName('..hidden'), '_hidden.yaml');
  assert.equal(documentFileName('\n\u0007'), '_u0007.yaml');
  assert.equal(documentFileName('  '), 'run.yaml');
  assert.doesNotMatch(documentFileName('x'.repeat(500)), /x{81}/);
});

test('diff titles name both runs, with short ids when the names are the same', () => {
  const a = run('aaaaaaa111', 'sweep-1', 1);
  const b = run('bbbbbbb222', 'sweep-2', 2);
  assert.equal(runDiffTitle(a, b), 'sweep-1 ↔ sweep-2');
  assert.equal(runDiffTitle(a, run('ccccccc333', 'sweep-1', 3)), 'sweep-1 (aaaaaaa) ↔ sweep-1 (ccccccc)');
  assert.equal(runDiffTitle(run('x', '', 1), b), 'x ↔ sweep-2', 'a run without a name goes by its id');
  assert.equal(artifactDiffTitle('conf/config.yaml', a, b), 'config.yaml (sweep-1 ↔ sweep-2)');
  assert.equal(sourceDiffTitle('src/train.py', '0123456789abcdef'), 'train.py @ 0123456 ↔ working tree');
});

test('the older run goes on the left whatever order they come in', () => {
  const old = run('b', 'old', 100);
  const young = run('a', 'young', 200);
  assert.deepEqual(
    chronological(young, old).map((r) => r.info.run_name),
    ['old', 'young'],
  );
  assert.deepEqual(
    chronological(old, young).map((r) => r.info.run_name),
    ['old', 'young'],
  );
  // Same start: by id, so the order is still stable.
  assert.deepEqual(
    chronological(run('z', 'z', 5), run('a', 'a', 5)).map((r) => r.info.run_id),
    ['a', 'z'],
  );
});

test('the pick shows which params differ from the base run', () => {
  const base = run('a', 'base', 1, [
    ['lr', '0.01'],
    ['epochs', '10'],
    ['gone', 'x'],
  ]);
  const other = run('b', 'other', 2, [
    ['lr', '0.1'],
    ['epochs', '10'],
    ['seed', '1'],
  ]);
  assert.equal(paramDifferences(base, other), '−gone, lr 0.01 → 0.1, +seed');
  assert.equal(paramDifferences(base, base), 'same parameters');
  const many = run(
    'c',
    'many',
    3,
    Array.from({ length: 6 }, (_, i) => [`p${i}`, 'v'] as [string, string]),
  );
  assert.match(paramDifferences(run('d', 'd', 1), many), /\(and 3 more\)$/);
  const label = candidateLabel(base, run('e', 'multi\nline', Date.UTC(2026, 0, 1)), Date.UTC(2026, 0, 2));
  assert.equal(label.label, 'multi\\nline');
  assert.match(label.description, /^FINISHED · 2026-01-01/);
});

test('a second comparison of same-named runs is titled apart from the first (ids added), never alike', () => {
  const a1 = run('aaaaaaa1', 'train', 1);
  const b1 = run('bbbbbbb1', 'eval', 2);
  const a2 = run('ccccccc2', 'train', 3);
  const b2 = run('ddddddd2', 'eval', 4);
  const open = new Set([runDiffTitle(a1, b1)]);
  const second = runDiffTitle(a2, b2, (t) => open.has(t));
  assert.equal(second, 'train (ccccccc) ↔ eval (ddddddd)');
  assert.notEqual(second, runDiffTitle(a1, b1));
  const art = new Set([artifactDiffTitle('out/summary.json', a1, b1)]);
  assert.equal(
    artifactDiffTitle('out/summary.json', a2, b2, (t) => art.has(t)),
    'summary.json (train (ccccccc) ↔ eval (ddddddd))',
  );
});
