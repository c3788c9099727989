// The run document the diff editor shows, for a run with 10,000 metrics (histories fetched for
// the first 500): collecting and rendering it vs one raw runs/get of the same run, the least any
// view of that run costs. Moved here from test/integration/diff-runDocument.test.ts, which now
// asserts only what the document says.
import { MlflowClient } from '../extension/src/mlflow/client.ts';
import { collectRunDocument } from '../extension/src/diff/collectRunDocument.ts';
import { renderRunDocument } from '../extension/src/diff/runDocument.ts';
import { benchServer, median, printTable } from './benchServer.ts';

const REPS = Math.max(3, Number(process.env['BENCH_REPEAT'] ?? 5));
const server = await benchServer();
const client = new MlflowClient({ baseUrl: server.url, timeoutMs: 120_000 });

try {
  const experimentId = await client.createExperiment(`bench-diff-10k-${Date.now().toString(36)}`);
  const run = await client.createRun({ experimentId, runName: 'ten-thousand-metrics' });
  const runId = run.info.run_id;
  const now = Date.now();
  for (let batch = 0; batch < 10; batch++) {
    const metrics = Array.from({ length: 1000 }, (_, i) => ({
      key: `m.${String(batch * 1000 + i).padStart(5, '0')}`,
      value: i,
      timestamp: now,
      step: i % 3,
    }));
    await client.logBatch({ runId, metrics });
  }
  await client.updateRun({ runId, status: 'FINISHED', endTime: now + 1000 });

  const raw: number[] = [];
  const doc: number[] = [];
  // Alternate the two so drift in the server's speed hits both alike.
  for (let i = 0; i < REPS; i++) {
    let t0 = performance.now();
    await client.getRun(runId);
    raw.push(performance.now() - t0);
    t0 = performance.now();
    const data = await collectRunDocument({ client, server: { name: 'bench', uri: server.url }, runId });
    const text = renderRunDocument(data);
    doc.push(performance.now() - t0);
    if (!text.includes('m.09999')) throw new Error('the document lacks the last metric');
  }
  const r = median(raw);
  const d = median(doc);
  printTable(
    `Run document of a 10,000-metric run (median of ${REPS})`,
    ['what', 'ms', 'ratio to runs/get'],
    [
      ['runs/get (baseline)', r, 1],
      ['collect + render the run document', d, d / r],
    ],
  );
} finally {
  await client.close();
  await server.stop();
}
