// A hostile or broken tracking server cannot exhaust the user's machine: every body is capped,
// every paged walk stops, a crawling download is abandoned, and Save As streams to disk.
// The server here is a scripted mock (test/support/hostileServer.ts), on purpose: a real MLflow
// server cannot be made to send an endless body, repeat a page token, drip a download or serve a
// 4 GiB file on demand. It runs in its own process, so the memory measured is the client's.
// Tests assert outcomes and memory bounds (generous multiples of the cap), never elapsed time.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  readFileSync,
  openSync,
  readSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MlflowClient } from '../../extension/src/mlflow/client.ts';
import type { ClientOptions } from '../../extension/src/mlflow/client.ts';
import { MlflowError } from '../../extension/src/mlflow/errors.ts';
import { RunListing } from '../../extension/src/runs/runListing.ts';
import { LeaderboardController } from '../../extension/src/leaderboard/leaderboardController.ts';
import { defaultLeaderboardState } from '../../webviews/protocol/leaderboard.ts';
import { formatBytes } from '../../extension/src/shared/bytes.ts';

const MiB = 1024 * 1024;

const isKind =
  (kind: MlflowError['kind'], ...res: RegExp[]) =>
  (e: unknown) => {
    assert.ok(e instanceof MlflowError, `expected an MlflowError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    for (const re of res) assert.match(e.message, re);
    return true;
  };

/** Peak growth of RSS and heap over the baseline while `fn` runs, sampled every 5 ms. */
async function peakMemory<T>(
  fn: () => Promise<T>,
): Promise<{ result: PromiseSettledResult<T>; rss: number; heap: number }> {
  const base = process.memoryUsage();
  let rss = base.rss;
  let heap = base.heapUsed + base.external + base.arrayBuffers;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed + m.external + m.arrayBuffers);
  };
  const timer = setInterval(sample, 5);
  const [result] = await Promise.allSettled([fn()]);
  sample();
  clearInterval(timer);
  return { result, rss: rss - base.rss, heap: heap - (base.heapUsed + base.external + base.arrayBuffers) };
}

function rejection(r: PromiseSettledResult<unknown>): unknown {
  assert.equal(r.status, 'rejected', 'the call was abandoned');
  return (r as PromiseRejectedResult).reason;
}

describe('a hostile tracking server (scripted mock: faults a real MLflow cannot produce)', () => {
  let proc: ChildProcess;
  let origin: string;
  let dir: string;
  const clients: MlflowClient[] = [];
  const client = (fault: string, opts: Partial<ClientOptions> = {}) => {
    const c = new MlflowClient({ baseUrl: `${origin}/${fault}`, maxRetries: 0, ...opts });
    clients.push(c);
    return c;
  };
  const hits = async (fault: string): Promise<number> =>
    ((await (await fetch(`${origin}/__hits/${fault}`)).json()) as { hits: number }).hits;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hostile-'));
    proc = spawn(process.execPath, [join(import.meta.dirname, '../support/hostileServer.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    origin = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /PORT=(\d+)/.exec(out);
        if (m) resolve(`http://127.0.0.1:${m[1]}`);
      });
      proc.once('exit', (code) => reject(new Error(`hostile server exited (${code})`)));
    });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  test('an endless JSON body is abandoned at the 64 MiB cap, the message names the cap and the setting, and memory stays bounded', async (t) => {
    const c = client('endless-json');
    const m = await peakMemory(() => c.listExperiments());
    t.diagnostic(
      `peak growth while reading an endless JSON body: RSS ${formatBytes(m.rss)}, heap+buffers ${formatBytes(m.heap)} (cap 64 MiB)`,
    );
    isKind(
      'limit',
      /endless-json sent more than 64 MiB for \/api\/2\.0\/mlflow\/experiments\/search/,
      /so the answer was abandoned/,
      /"mlflow\.maxResponseMegabytes"/,
    )(rejection(m.result));
    assert.ok(m.rss < 6 * 64 * MiB, `RSS grew ${formatBytes(m.rss)}, more than 6× the cap`);
    assert.ok(m.heap < 6 * 64 * MiB, `heap and buffers grew ${formatBytes(m.heap)}, more than 6× the cap`);
  });

  test('the cap is configurable; a body that declares more than the cap is refused before it is read', async () => {
    await assert.rejects(
      client('endless-json', { maxResponseBytes: MiB }).listExperiments(),
      isKind('limit', /more than 1\.0 MiB/),
    );
    await assert.rejects(
      client('declared-huge').listExperiments(),
      isKind('limit', /more than 64 MiB/, /maxResponseMegabytes/),
    );
  });

  test('an endless error body: the user gets the status and the 64 KiB cap, not the body', async (t) => {
    const c = client('endless-error');
    const m = await peakMemory(() => c.listExperiments());
    t.diagnostic(`peak growth while reading an endless error body: RSS ${formatBytes(m.rss)}`);
    const e = rejection(m.result);
    isKind('api', /had an internal error \(HTTP 500\)/, /over 64 KiB/)(e);
    assert.equal((e as MlflowError).status, 500);
    assert.ok(m.rss < 64 * MiB, `RSS grew ${formatBytes(m.rss)} for an error body`);
  });

  test('a repeated page token stops every paged walk after two requests, says so, and keeps what was read', async () => {
    const c = client('same-token');
    const exps = await c.listExperiments();
    assert.deepEqual(
      exps.map((e) => e.name),
      ['e1', 'e2'],
    );
    assert.match(
      exps.incomplete ?? '',
      /Stopped reading experiments after 2 pages: the server sent the same page token again/,
    );

    const history = await c.getMetricHistory('r', 'loss');
    assert.equal(history.length, 2);
    assert.match(history.incomplete ?? '', /Stopped reading the history of loss after 2 pages/);

    const listing = new RunListing(c, { experimentId: '1', pageSize: 1 });
    await listing.reload();
    assert.ok(listing.hasMore);
    await listing.loadMore();
    assert.equal(listing.runs.length, 2, 'the runs read so far stay');
    assert.equal(listing.hasMore, false, 'no endless "Load More"');
    assert.match(
      listing.error?.message ?? '',
      /Stopped reading runs after 2 pages: the server sent the same page token again/,
    );
    assert.equal(await hits('same-token'), 6);
  });

  test("the leaderboard's grouping scan and model lookup stop on a repeated token and say the scan was cut short", async () => {
    const c = client('same-token');
    const before = await hits('same-token');
    const board = new LeaderboardController({ client: c, serverName: 'hostile' });
    const res = await board.groups(
      { ...defaultLeaderboardState('test', ['1']), metricKey: 'acc', groupBy: 'model' },
      () => undefined,
    );
    assert.equal(res.scanned, 2);
    assert.equal(res.truncated, true);
    assert.equal(res.rows.length, 1, 'the runs read are grouped');
    // Two run pages, each followed by a model-version search that stops after two pages, then the winners' lookup.
    assert.ok((await hits('same-token')) - before <= 8, 'a handful of requests, not thousands');
  });

  test('a server that never stops handing out new page tokens: one listing reads at most 1,000 pages and says so', async () => {
    const exps = await client('new-tokens').listExperiments();
    assert.equal(exps.length, 1000, 'what was read is kept');
    assert.match(exps.incomplete ?? '', /Stopped reading experiments after 1,000 pages, the most one listing reads/);
    assert.equal(await hits('new-tokens'), 1000);
  });

  test('a download that drips a byte a second is abandoned by the stall rule, with a message naming it', async () => {
    const c = client('drip', { stall: { windowMs: 2000, minBytes: 1024 } });
    await assert.rejects(
      c.downloadArtifact('r', 'slow.bin'),
      isKind(
        'timeout',
        /drip stalled sending \/get-artifact: less than 1\.0 KiB arrived in 2 s, so the download was abandoned/,
      ),
    );
    const target = join(dir, 'slow.bin');
    await assert.rejects(c.downloadArtifactTo('r', 'slow.bin', target), isKind('timeout', /stalled/));
    assert.deepEqual(readdirSync(dir), [], 'the partial file is removed');
  });

  test('opening in memory has a byte cap that holds even without a content-length', async () => {
    // The file server sends a content-length; the endless JSON one does not, like a chunked proxy.
    await assert.rejects(
      client('file').downloadArtifact('r', String(3 * MiB), { maxBytes: MiB }),
      isKind('limit', /The file is 3\.0 MiB, more than the 1\.0 MiB that can be opened here/),
    );
    await assert.rejects(
      client('endless-json').downloadArtifact('r', 'x', { maxBytes: MiB }),
      isKind('limit', /larger than the 1\.0 MiB that can be opened here/),
    );
  });

  test(
    'Save As streams a 4.25 GiB file to the chosen path with bounded memory, and writes nothing else',
    { timeout: 600_000 },
    async (t) => {
      const size = 4 * 1024 * MiB + 256 * MiB;
      const target = join(dir, 'big.bin');
      let last = 0;
      let monotonic = true;
      const m = await peakMemory(() =>
        client('file').downloadArtifactTo('r', String(size), target, {
          onProgress: (p) => {
            monotonic &&= p.received >= last && p.total === size;
            last = p.received;
          },
        }),
      );
      t.diagnostic(
        `peak growth while saving ${formatBytes(size)}: RSS ${formatBytes(m.rss)}, heap+buffers ${formatBytes(m.heap)}`,
      );
      try {
        assert.equal(m.result.status, 'fulfilled', m.result.status === 'rejected' ? String(m.result.reason) : '');
        assert.equal((m.result as PromiseFulfilledResult<number>).value, size);
        assert.equal(statSync(target).size, size);
        assert.ok(monotonic && last === size, 'progress counts up to the size');
        assert.deepEqual(readdirSync(dir), ['big.bin'], 'nothing is written beside the chosen file');
        // Bytes past 4 GiB are the server's pattern (byte i of each 251 KiB block is i % 251).
        const fd = openSync(target, 'r');
        const buf = Buffer.alloc(251);
        const at = 4 * 1024 * MiB + 12_345;
        readSync(fd, buf, 0, 5, at);
        closeSync(fd);
        const expected = [0, 1, 2, 3, 4].map((i) => ((at + i) % (251 * 1024)) % 251);
        assert.deepEqual([...buf.subarray(0, 5)], expected);
        assert.ok(m.rss < 256 * MiB, `RSS grew ${formatBytes(m.rss)} while saving ${formatBytes(size)}`);
      } finally {
        rmSync(target, { force: true });
      }
    },
  );

  test('Save As removes the partial file when the connection is cut or the user cancels, and leaves other files alone', async () => {
    const other = join(dir, 'keep.txt');
    writeFileSync(other, 'mine');
    const target = join(dir, 'part.bin');
    await assert.rejects(
      client('file').downloadArtifactTo('r', `${100 * MiB}-cut-${5 * MiB}`, target),
      isKind('network'),
    );
    assert.deepEqual(readdirSync(dir), ['keep.txt']);

    const ac = new AbortController();
    await assert.rejects(
      client('file').downloadArtifactTo('r', String(100 * MiB), target, {
        signal: ac.signal,
        onProgress: (p) => p.received > MiB && ac.abort(),
      }),
      isKind('cancelled'),
    );
    assert.deepEqual(readdirSync(dir), ['keep.txt']);
    assert.equal(readFileSync(other, 'utf8'), 'mine');

    // Saving over a file the user already had: a failed or cancelled save leaves it as it was
    // (the download goes to a temporary file beside it and replaces it only when complete).
    const existing = join(dir, 'model.bin');
    writeFileSync(existing, 'the previous version');
    await assert.rejects(
      client('file').downloadArtifactTo('r', `${100 * MiB}-cut-${5 * MiB}`, existing),
      isKind('network'),
    );
    assert.equal(readFileSync(existing, 'utf8'), 'the previous version');
    assert.deepEqual(readdirSync(dir).sort(), ['keep.txt', 'model.bin']);
    rmSync(existing);

    // A target that cannot be written fails with the file system's message and deletes nothing.
    await assert.rejects(
      client('file').downloadArtifactTo('r', String(MiB), join(dir, 'no-such-dir', 'x.bin')),
      /ENOENT/,
    );
    assert.deepEqual(readdirSync(dir), ['keep.txt']);
    rmSync(other);
  });
});
