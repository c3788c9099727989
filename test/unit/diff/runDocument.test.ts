import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { Metric, Run } from '../../../extension/src/mlflow/types.ts';
import type { MetricSummary, RunDocumentData } from '../../../extension/src/diff/runDocument.ts';
import {
  renderRunDocument,
  renderRunErrorDocument,
  summarizeHistory,
} from '../../../extension/src/diff/runDocument.ts';

function metric(key: string, value: number, step = 0, timestamp = 1_700_000_000_000): Metric {
  return { key, value, step, timestamp };
}

function makeRun(
  over: {
    info?: Partial<Run['info']>;
    params?: [string, string][];
    tags?: [string, string][];
    metrics?: Metric[];
    datasets?: Run['inputs']['datasets'];
  } = {},
): Run {
  return {
    info: {
      run_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      run_name: 'sweep-1',
      experiment_id: '7',
      user_id: 'alice',
      status: 'FINISHED',
      start_time: Date.UTC(2026, 0, 2, 3, 4, 5),
      end_time: Date.UTC(2026, 0, 2, 3, 7, 7),
      artifact_uri: 'mlflow-artifacts:/7/a1b2/artifacts',
      lifecycle_stage: 'active',
      ...over.info,
    },
    data: {
      params: (
        over.params ?? [
          ['lr', '0.01'],
          ['epochs', '10'],
        ]
      ).map(([key, value]) => ({ key, value })),
      tags: (
        over.tags ?? [
          ['team', 'vision'],
          ['mlflow.user', 'alice'],
          ['mlflow.source.name', 'train.py'],
        ]
      ).map(([key, value]) => ({ key, value })),
      metrics: over.metrics ?? [metric('rmse', 0.5, 9), metric('acc', 0.9, 9)],
    },
    inputs: { datasets: over.datasets ?? [], model_ids: [] },
    outputs: { model_ids: [] },
  };
}

function makeData(run: Run, over: Partial<RunDocumentData> = {}): RunDocumentData {
  return {
    server: { name: 'local', uri: 'http://127.0.0.1:5000' },
    experiment: { id: run.info.experiment_id, name: 'wine-quality' },
    run,
    summaries: new Map<string, MetricSummary>(),
    summariesSkipped: 0,
    summaryCap: 500,
    summaryErrors: new Map(),
    artifacts: [
      { path: 'model', isDir: true },
      { path: 'config.yaml', isDir: false, size: 120 },
    ],
    ...over,
  };
}

type Doc = {
  run: Record<string, unknown>;
  params: Record<string, string>;
  metrics: Record<string, Record<string, number>>;
  tags: Record<string, string>;
  system_tags: Record<string, string>;
  datasets: Record<string, unknown>[];
  artifacts: Record<string, unknown> | null;
};

test('a run reads back with every section, sorted, with ISO times and the duration', () => {
  const text = renderRunDocument(
    makeData(makeRun(), { summaries: new Map([['rmse', { min: 0.4, max: 2, points: 10 }]]) }),
  );
  const doc = parse(text) as Doc;
  assert.deepEqual(Object.keys(doc), ['run', 'params', 'metrics', 'tags', 'system_tags', 'datasets', 'artifacts']);
  assert.deepEqual(doc.run, {
    name: 'sweep-1',
    id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    experiment: 'wine-quality',
    experiment_id: '7',
    status: 'FINISHED',
    user: 'alice',
    start_time: '2026-01-02T03:04:05.000Z',
    end_time: '2026-01-02T03:07:07.000Z',
    duration: '3m 2s',
    lifecycle: 'active',
    artifact_uri: 'mlflow-artifacts:/7/a1b2/artifacts',
    parent_run: null,
  });
  assert.deepEqual(Object.keys(doc.params), ['epochs', 'lr']);
  assert.equal(doc.params['lr'], '0.01', 'a param is a string even when it looks like a number');
  assert.deepEqual(Object.keys(doc.metrics), ['acc', 'rmse']);
  assert.deepEqual(doc.metrics['rmse'], { last: 0.5, step: 9, min: 0.4, max: 2, points: 10 });
  assert.deepEqual(doc.metrics['acc'], { last: 0.9, step: 9 }, 'no summary, no min/max');
  assert.deepEqual(doc.tags, { team: 'vision' });
  assert.deepEqual(doc.system_tags, { 'mlflow.source.name': 'train.py', 'mlflow.user': 'alice' });
  assert.deepEqual(doc.artifacts, { 'config.yaml': 120, 'model/': 'empty folder' });
  assert.match(
    text,
    /^# MLflow run sweep-1 \(a1b2c3d4e5f60718293a4b5c6d7e8f90\)\n# Server: local <http:\/\/127\.0\.0\.1:5000>\n# Experiment: wine-quality \(id 7\)/,
  );
  assert.match(text, /config\.yaml: 120 # 120 B/);
});

test('the same run in any input order renders the same text', () => {
  const a = makeRun({
    params: [
      ['b', '2'],
      ['a', '1'],
      ['c', '3'],
    ],
    tags: [
      ['z', '1'],
      ['mlflow.b', 'x'],
      ['a', '2'],
      ['mlflow.a', 'y'],
    ],
    metrics: [metric('z', 1), metric('a', 2)],
  });
  const b = makeRun({
    params: [
      ['c', '3'],
      ['a', '1'],
      ['b', '2'],
    ],
    tags: [
      ['mlflow.a', 'y'],
      ['a', '2'],
      ['mlflow.b', 'x'],
      ['z', '1'],
    ],
    metrics: [metric('a', 2), metric('z', 1)],
  });
  const artA = [
    { path: 'x/b.txt', isDir: false, size: 1 },
    { path: 'a.txt', isDir: false, size: 2 },
  ];
  assert.equal(
    renderRunDocument(makeData(a, { artifacts: artA })),
    renderRunDocument(makeData(b, { artifacts: [...artA].reverse() })),
  );
});

test('two runs that differ in one param differ in exactly that line (plus identity lines)', () => {
  const left = makeRun({
    params: [
      ['lr', '0.01'],
      ['epochs', '10'],
      ['optimizer', 'adam'],
    ],
  });
  const right = makeRun({
    info: { run_id: 'ffffffffffffffffffffffffffffffff', run_name: 'sweep-2' },
    params: [
      ['lr', '0.1'],
      ['epochs', '10'],
      ['optimizer', 'adam'],
    ],
  });
  const l = renderRunDocument(makeData(left)).split('\n');
  const r = renderRunDocument(makeData(right)).split('\n');
  assert.equal(l.length, r.length, 'documents of runs with the same keys line up');
  const differing = l.map((line, i) => [line, r[i]] as const).filter(([x, y]) => x !== y);
  const content = differing.filter(([x]) => !x.startsWith('#'));
  assert.deepEqual(
    content.map(([x, y]) => [x.trim(), y?.trim()]),
    [
      ['name: sweep-1', 'name: sweep-2'],
      ['id: a1b2c3d4e5f60718293a4b5c6d7e8f90', 'id: ffffffffffffffffffffffffffffffff'],
      ['lr: "0.01"', 'lr: "0.1"'],
    ],
  );
  const sameLine = l.find((x) => x.trim() === 'optimizer: adam');
  assert.ok(sameLine && r.includes(sameLine), 'an equal param is the identical line on both sides');
});

test('nasty names, values and keys parse back to exactly what the server sent', () => {
  const nasty = '<img src=x onerror=alert(1)>\nsecond line\u0007\u202eevil';
  const run = makeRun({
    info: { run_name: nasty, user_id: 'ü\u200bser' },
    params: [
      ['key with spaces', 'v 1'],
      ['dotted.key.name', 'x\r\ny'],
      ['#hash: colon', '- dash'],
      ['html', '<b>bold</b>'],
      ['long', 'x'.repeat(6000)],
    ],
    tags: [
      ['note', 'line1\nline2\n'],
      ['mlflow.note.content', '# heading\n\n* item'],
    ],
  });
  const text = renderRunDocument(makeData(run));
  const doc = parse(text) as Doc;
  assert.equal(doc.run['name'], nasty);
  assert.equal(doc.run['user'], 'ü\u200bser');
  assert.deepEqual(doc.params, {
    '#hash: colon': '- dash',
    'dotted.key.name': 'x\r\ny',
    html: '<b>bold</b>',
    'key with spaces': 'v 1',
    long: 'x'.repeat(6000),
  });
  assert.deepEqual(doc.tags, { note: 'line1\nline2\n' });
  assert.equal(doc.system_tags['mlflow.note.content'], '# heading\n\n* item');
  // The header comment holds the name too; its line break must not have escaped the comment.
  for (const line of text.split('\n')) assert.doesNotMatch(line, /^second line/);
  assert.doesNotMatch(text, /[\u0007\u202e\u200b]/, 'invisible characters appear as escapes');
});

test('NaN and infinite metrics render as .nan/.inf and read back; min/max ignore NaN rows', () => {
  const run = makeRun({
    metrics: [metric('nan_metric', NaN, 3), metric('inf_metric', Infinity, 2), metric('neg_inf', -Infinity, 1)],
  });
  const summaries = new Map<string, MetricSummary>([
    [
      'nan_metric',
      summarizeHistory([
        metric('nan_metric', 1, 0),
        metric('nan_metric', NaN, 1),
        metric('nan_metric', -2, 2),
        metric('nan_metric', NaN, 3),
      ]),
    ],
    ['inf_metric', summarizeHistory([metric('inf_metric', 5, 0), metric('inf_metric', Infinity, 2)])],
    ['neg_inf', summarizeHistory([metric('neg_inf', NaN, 0), metric('neg_inf', NaN, 1)])],
  ]);
  const text = renderRunDocument(makeData(run, { summaries }));
  assert.match(text, /nan_metric:\n {4}last: \.nan\n {4}step: 3\n {4}min: -2\n {4}max: 1\n {4}points: 4/);
  assert.match(text, /inf_metric:\n {4}last: \.inf\n {4}step: 2\n {4}min: 5\n {4}max: \.inf/);
  assert.match(text, /neg_inf:\n {4}last: -\.inf/);
  const doc = parse(text) as Doc;
  assert.ok(Number.isNaN(doc.metrics['nan_metric']?.['last']));
  assert.equal(doc.metrics['inf_metric']?.['last'], Infinity);
  assert.equal(doc.metrics['neg_inf']?.['last'], -Infinity);
  assert.ok(Number.isNaN(doc.metrics['neg_inf']?.['min']), 'an all-NaN history has NaN min');
  assert.equal(doc.metrics['nan_metric']?.['points'], 4);
});

test('summarizeHistory: min, max and points over a long history', () => {
  const history = Array.from({ length: 5000 }, (_, i) => metric('loss', 10 / (i + 1), i));
  assert.deepEqual(summarizeHistory(history), { min: 10 / 5000, max: 10, points: 5000 });
  assert.deepEqual(summarizeHistory([]), { min: NaN, max: NaN, points: 0 });
});

test('10,000 metrics: all listed, min/max only under the cap, and the document says so', () => {
  const metrics = Array.from({ length: 10_000 }, (_, i) => metric(`m${String(i).padStart(5, '0')}`, i, i));
  const summaries = new Map(metrics.slice(0, 500).map((m) => [m.key, { min: 0, max: m.value, points: 1 }]));
  const text = renderRunDocument(makeData(makeRun({ metrics }), { summaries, summariesSkipped: 9_500 }));
  assert.match(
    text,
    /^# min\/max\/points shown for the first 500 of 10000 metrics \(by key\); 9500 show only their latest value\.$/m,
  );
  const doc = parse(text) as Doc;
  assert.equal(Object.keys(doc.metrics).length, 10_000);
  assert.deepEqual(doc.metrics['m00499'], { last: 499, step: 499, min: 0, max: 499, points: 1 });
  assert.deepEqual(doc.metrics['m00500'], { last: 500, step: 500 });
});

test('a metric whose history failed says why next to it', () => {
  const text = renderRunDocument(makeData(makeRun(), { summaryErrors: new Map([['rmse', 'timed out\nafter 30 s']]) }));
  assert.match(text, /^ {2}rmse: # history not loaded: timed out\\nafter 30 s$/m);
  assert.deepEqual((parse(text) as Doc).metrics['rmse'], { last: 0.5, step: 9 });
});

test('a deleted run still renders and says it was deleted', () => {
  const text = renderRunDocument(makeData(makeRun({ info: { lifecycle_stage: 'deleted' } })));
  assert.match(text, /^# This run was DELETED\./m);
  assert.equal((parse(text) as Doc).run['lifecycle'], 'deleted');
});

test('a running run has no end time and says it is still running; a parent run is named', () => {
  const run = makeRun({ info: { status: 'RUNNING', end_time: undefined }, tags: [['mlflow.parentRunId', 'p123']] });
  const doc = parse(renderRunDocument(makeData(run))) as Doc;
  assert.equal(doc.run['end_time'], null);
  assert.equal(doc.run['duration'], 'still running');
  assert.equal(doc.run['parent_run'], 'p123');
});

test('datasets are listed in a stable order', () => {
  const datasets = [
    { name: 'val', digest: 'd2', context: 'eval' },
    { name: 'train', digest: 'd1', context: 'training' },
  ];
  const doc = parse(renderRunDocument(makeData(makeRun({ datasets })))) as Doc;
  assert.deepEqual(doc.datasets, [
    { name: 'train', digest: 'd1', context: 'training' },
    { name: 'val', digest: 'd2', context: 'eval' },
  ]);
});

test('artifacts: truncation and failure are stated, unlisted folders marked', () => {
  const truncated = renderRunDocument(
    makeData(makeRun(), {
      artifacts: [
        { path: 'a.txt', isDir: false, size: 2048 },
        { path: 'deep', isDir: true, unlisted: true },
      ],
      artifactsTruncated: 'listing stopped at the first 2 entries',
    }),
  );
  assert.match(truncated, /^artifacts: # listing stopped at the first 2 entries$/m);
  assert.deepEqual((parse(truncated) as Doc).artifacts, { 'a.txt': 2048, 'deep/': 'not listed' });
  assert.match(truncated, /a\.txt: 2048 # 2\.0 KiB/);
  const failed = renderRunDocument(makeData(makeRun(), { artifacts: undefined, artifactsError: 'permission denied' }));
  assert.match(failed, /^artifacts: null # could not list artifacts: permission denied$/m);
});

test('the error document is only comments, one line per message line', () => {
  const text = renderRunErrorDocument({
    serverName: 'prod',
    serverUri: 'http://127.0.0.1:1',
    runId: 'r1',
    message: 'connect ECONNREFUSED 127.0.0.1:1\nmore',
  });
  assert.equal(parse(text), null);
  assert.match(text, /^# Could not load this run: connect ECONNREFUSED 127\.0\.0\.1:1\\nmore$/m);
  assert.match(text, /^# Refresh the run/m);
  const long = renderRunErrorDocument({
    serverName: 'prod',
    serverUri: '',
    runId: 'r1',
    message: `${'word '.repeat(60)}end`,
  });
  const commentLines = long.split('\n').filter((l) => l.startsWith('# '));
  assert.ok(
    commentLines.every((l) => l.length <= 102),
    'long messages wrap',
  );
  assert.match(long, /^# word word/m);
  assert.match(long, /end$/m);
  const gone = renderRunErrorDocument({
    serverName: 'prod',
    serverUri: '',
    runId: 'r1',
    message: 'Run with id=r1 not found',
    notFound: true,
  });
  assert.match(gone, /does not exist on the server/);
});
