// Run browser speed, on one seeded server in one run:
//  1. paging through 10,000 runs: our client vs MLflow's Python MlflowClient.search_runs (target ≤ 0.5×);
//  2. the first page of a 100,000-run experiment as the tree loads it vs one raw HTTP request
//     (target ≤ 1.2×), and vs the first page of a 10-run experiment ("opens as fast").
import { spawn } from 'node:child_process';
import { request } from 'undici';
import { MlflowClient } from '../extension/src/mlflow/client.ts';
import { RunListing } from '../extension/src/runs/runListing.ts';
import { venvPython } from '../test/support/mlflowServer.ts';
import { benchServer, median, printTable } from './benchServer.ts';

const REPS = Math.max(3, Number(process.env['BENCH_REPEAT'] ?? 5));
const server = await benchServer();
const client = new MlflowClient({ baseUrl: server.url, timeoutMs: 120_000 });
function runPython(exe: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(exe, args, {
      env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const PYTHON_PAGING = `
import json, sys, time
from mlflow import MlflowClient
c = MlflowClient(sys.argv[1])
c.search_runs(experiment_ids=[sys.argv[2]], max_results=1)  # warm: lazy imports, the HTTP session
t0 = time.perf_counter(); n = 0; token = None
while True:
    page = c.search_runs(experiment_ids=[sys.argv[2]], max_results=1000, page_token=token)
    n += len(page); token = page.token
    if not token: break
print(json.dumps({"n": n, "ms": (time.perf_counter() - t0) * 1000}))
`;

try {
  const medium = server.seed.experiments.runsMedium;
  const large = server.seed.experiments.runsLarge;

  // --- 1. paging 10k runs, 1,000 per page (MLflow's own default page size) ------------------
  // The server's time per page drifts by seconds between passes, so each repetition runs the
  // three contenders back to back instead of all of one before all of the next.
  const pagingOurs = async (): Promise<number> => {
    const t0 = performance.now();
    let n = 0;
    for await (const page of client.iterateRuns({ experimentIds: [medium.id], maxResults: 1000 })) n += page.length;
    if (n !== medium.runCount) throw new Error(`paged ${n} runs, expected ${medium.runCount}`);
    return performance.now() - t0;
  };
  // Timed inside Python after one warm-up request, so interpreter start, `import mlflow` and the
  // first connection are not counted against it (ours is warm the same way).
  // Async, so the event loop (and undici's idle-socket timers) keeps running meanwhile.
  const pagingPython = async (): Promise<number> => {
    const py = await runPython(venvPython(), ['-c', PYTHON_PAGING, server.url, medium.id]);
    if (py.status !== 0) throw new Error(`python baseline failed: ${py.stderr}`);
    const out = JSON.parse(py.stdout.trim().split('\n').pop()!) as { n: number; ms: number };
    if (out.n !== medium.runCount) throw new Error(`python paged ${out.n} runs`);
    return out.ms;
  };
  // The server's own floor: the same pages over raw HTTP, bodies read but not parsed beyond the
  // token. No client can page faster than this one request after another.
  const pagingRaw = async (): Promise<number> => {
    const t0 = performance.now();
    let token: string | undefined;
    do {
      const res = await request(`${server.url}/api/2.0/mlflow/runs/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ experiment_ids: [medium.id], max_results: 1000, page_token: token }),
      });
      const text = await res.body.text();
      token = /"next_page_token":\s*"([^"]+)"/.exec(text)?.[1];
    } while (token);
    return performance.now() - t0;
  };
  const ours: number[] = [];
  const python: number[] = [];
  const rawPaging: number[] = [];
  for (let i = 0; i < REPS; i++) {
    ours.push(await pagingOurs());
    python.push(await pagingPython());
    rawPaging.push(await pagingRaw());
  }

  // --- 2. first page of 100k runs -----------------------------------------------------------
  const small = await client.createExperiment(`bench-10-runs-${Date.now()}`);
  for (let i = 0; i < 10; i++) await client.createRun({ experimentId: small, runName: `r${i}` });
  const firstPage = async (experimentId: string) => {
    const listing = new RunListing(client, { experimentId, pageSize: 100 });
    const t0 = performance.now();
    await listing.reload();
    return { ms: performance.now() - t0, rows: listing.runs.length, filter: listing.serverFilter() };
  };
  const raw = async (body: object) => {
    const t0 = performance.now();
    const res = await request(`${server.url}/api/2.0/mlflow/runs/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.body.json()) as { runs?: unknown[] };
    if (res.statusCode !== 200 || !json.runs) throw new Error(`raw request answered ${res.statusCode}`);
    return performance.now() - t0;
  };
  await firstPage(large.id); // warm the server's caches for both sides alike
  const tree100k: number[] = [];
  const rawSame: number[] = [];
  const rawPlain: number[] = [];
  const tree10: number[] = [];
  let filter = '';
  for (let i = 0; i < REPS * 2; i++) {
    const fp = await firstPage(large.id);
    filter = fp.filter;
    if (fp.rows !== 100) throw new Error(`first page had ${fp.rows} rows`);
    tree100k.push(fp.ms);
    rawSame.push(await raw({ experiment_ids: [large.id], max_results: 100, filter }));
    rawPlain.push(await raw({ experiment_ids: [large.id], max_results: 100 }));
    tree10.push((await firstPage(small)).ms);
  }

  const oursMs = median(ours);
  const pyMs = median(python);
  printTable(
    `Run browser benchmarks (${server.url}, SQLite, median of ${REPS}+ runs)`,
    ['measurement', 'ours ms', 'baseline', 'baseline ms', 'ratio', 'target'],
    [
      [
        'page through 10,000 runs (1,000/page)',
        oursMs,
        'Python MlflowClient.search_runs',
        pyMs,
        oursMs / pyMs,
        '≤ 0.5',
      ],
      [
        'page through 10,000 runs (1,000/page)',
        oursMs,
        'raw HTTP paging (server floor)',
        median(rawPaging),
        oursMs / median(rawPaging),
        '(info)',
      ],
      [
        'first page of 100,000 runs (tree, 100 rows)',
        median(tree100k),
        'one raw HTTP request, same query',
        median(rawSame),
        median(tree100k) / median(rawSame),
        '≤ 1.2',
      ],
      [
        'first page of 100,000 runs (tree, 100 rows)',
        median(tree100k),
        'one raw HTTP request, no nesting filter',
        median(rawPlain),
        median(tree100k) / median(rawPlain),
        '(info)',
      ],
      [
        'first page of 100,000 runs (tree, 100 rows)',
        median(tree100k),
        'first page of a 10-run experiment',
        median(tree10),
        median(tree100k) / median(tree10),
        '(info)',
      ],
    ],
  );
  console.log(`\nThe tree's top-level query: ${filter}`);
} finally {
  await client.close();
  await server.stop();
}
