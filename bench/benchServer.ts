// One seeded MLflow server for all benchmarks of a run: scripts/bench.sh starts it once and
// exports BENCH_MLFLOW_URL + BENCH_SEED_FILE; a benchmark run on its own starts and seeds one.
import { readFileSync } from 'node:fs';
import { startMlflowServer } from '../test/support/mlflowServer.ts';
import type { BenchSeedInfo } from './support.ts';
import { seedBenchServer } from './support.ts';

export interface BenchServer {
  url: string;
  seed: BenchSeedInfo;
  stop(): Promise<void>;
}

export async function benchServer(): Promise<BenchServer> {
  const url = process.env['BENCH_MLFLOW_URL'];
  const seedFile = process.env['BENCH_SEED_FILE'];
  if (url && seedFile)
    return { url, seed: JSON.parse(readFileSync(seedFile, 'utf8')) as BenchSeedInfo, stop: async () => undefined };
  console.error(
    '[bench] starting and seeding an MLflow server (minutes; scripts/bench.sh shares one across benchmarks)',
  );
  const server = await startMlflowServer({ backend: 'sqlite' });
  try {
    const seed = await seedBenchServer(server, { logProgress: true });
    return { url: server.url, seed, stop: () => server.stop() };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [
    header,
    ...rows.map((r) => r.map((c) => (typeof c === 'number' ? (Number.isInteger(c) ? String(c) : c.toFixed(2)) : c))),
  ];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: (string | number)[]) => '| ' + r.map((c, i) => String(c).padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(`\n${title}\n`);
  console.log(line(cells[0]!));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of cells.slice(1)) console.log(line(r));
}
