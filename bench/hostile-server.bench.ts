// How fast the client gives up on a hostile or broken server, and what that costs in memory,
// measured against the limit that triggers it (tests assert only outcomes; timing lives here):
//  1. connection refused, vs one tiny successful request;
//  2. a server that never answers (1.5 s timeout): time to the timeout / the timeout;
//  3. a 1-byte-per-second drip (2 s stall window): time to abandon / the window;
//  4. an endless JSON body (64 MiB cap): time to abandon vs reading a legitimate 64 MiB file,
//     and peak RSS growth / the cap;
//  5. Save As of 1 GiB to disk vs reading 64 MiB into memory (MiB/s), with peak RSS growth.
// Uses the scripted server of test/support/hostileServer.ts (a real MLflow cannot misbehave so).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MlflowClient } from '../extension/src/mlflow/client.ts';
import { freePort } from '../extension/src/shared/freePort.ts';
import { median, printTable } from './benchServer.ts';

const REPS = Math.max(3, Number(process.env['BENCH_REPEAT'] ?? 5));
const MiB = 1024 * 1024;

const proc = spawn(process.execPath, [join(import.meta.dirname, '../test/support/hostileServer.ts')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const origin = await new Promise<string>((resolve, reject) => {
  let out = '';
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /PORT=(\d+)/.exec(out);
    if (m) resolve(`http://127.0.0.1:${m[1]}`);
  });
  proc.once('exit', (code) => reject(new Error(`hostile server exited (${code})`)));
});
const dir = mkdtempSync(join(tmpdir(), 'hostile-bench-'));

async function timed(fn: () => Promise<unknown>, expectFailure: boolean): Promise<{ ms: number; peakRss: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  const failed = await fn().then(
    () => false,
    () => true,
  );
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (failed !== expectFailure)
    throw new Error(expectFailure ? 'expected the call to be abandoned' : 'the call failed');
  return { ms, peakRss: (peak - base) / MiB };
}

async function measure(fn: () => Promise<unknown>, expectFailure: boolean): Promise<{ ms: number; peakRss: number }> {
  const runs = [];
  for (let i = 0; i < REPS; i++) runs.push(await timed(fn, expectFailure));
  return { ms: median(runs.map((r) => r.ms)), peakRss: Math.max(...runs.map((r) => r.peakRss)) };
}

const clients: MlflowClient[] = [];
const client = (fault: string, opts: Partial<ConstructorParameters<typeof MlflowClient>[0] & object> = {}) => {
  const c = new MlflowClient({ baseUrl: `${origin}/${fault}`, maxRetries: 0, ...opts });
  clients.push(c);
  return c;
};

try {
  const tiny = await measure(() => client('file').downloadArtifact('r', '100'), false);
  const refused = await measure(
    async () => client('x', { baseUrl: `http://127.0.0.1:${await freePort()}` }).listExperiments(),
    true,
  );
  const silent = await measure(() => client('silent', { timeoutMs: 1500 }).listExperiments(), true);
  const drip = await measure(
    () => client('drip', { stall: { windowMs: 2000, minBytes: 1024 } }).downloadArtifact('r', 'x'),
    true,
  );
  const legit64 = await measure(() => client('file').downloadArtifact('r', String(64 * MiB - 1)), false);
  const endless = await measure(() => client('endless-json').listExperiments(), true);
  const save = await measure(
    () => client('file').downloadArtifactTo('r', String(1024 * MiB), join(dir, 'big.bin')),
    false,
  );

  printTable(
    'Giving up on a hostile server (median of ' + REPS + ')',
    ['fault', 'ms', 'baseline', 'baseline ms', 'ratio'],
    [
      ['connection refused', refused.ms, 'one 100-byte download', tiny.ms, refused.ms / tiny.ms],
      ['never answers (timeout 1.5 s)', silent.ms, 'the timeout', 1500, silent.ms / 1500],
      ['1 byte/s drip (stall window 2 s)', drip.ms, 'the window', 2000, drip.ms / 2000],
      [
        'endless JSON body (cap 64 MiB)',
        endless.ms,
        'a legitimate 64 MiB download',
        legit64.ms,
        endless.ms / legit64.ms,
      ],
    ],
  );
  printTable(
    'Memory and throughput',
    ['case', 'peak RSS growth MiB', 'of the cap', 'MiB/s'],
    [
      ['endless JSON body, 64 MiB cap', endless.peakRss, endless.peakRss / 64, 64 / (endless.ms / 1000)],
      ['64 MiB download into memory', legit64.peakRss, legit64.peakRss / 64, 64 / (legit64.ms / 1000)],
      ['Save As 1 GiB, streamed to disk', save.peakRss, '-', 1024 / (save.ms / 1000)],
    ],
  );
} finally {
  await Promise.all(clients.map((c) => c.close()));
  proc.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
