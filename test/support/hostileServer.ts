// A scripted HTTP server that misbehaves the ways a real MLflow server never does on demand: an
// endless JSON or error body, a page token that repeats or never ends, a download that drips a
// byte a second, a file of any size, a connection cut mid-file, no answer at all. The first path segment picks the
// fault (a client's base URL is http://127.0.0.1:PORT/<fault>). It runs in its own process so
// the memory a test measures is the client's alone.
//   node test/support/hostileServer.ts   → prints PORT=<n>; GET /__hits/<fault> → requests seen
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';

const hits = new Map<string, number>();
/** Past this many requests a paging fault answers 500, so an unbounded client still ends. */
const PAGING_BACKSTOP = 10_000;
const CHUNK = 64 * 1024;

function endless(res: ServerResponse, status: number, contentType: string, head: string, unit: string): void {
  res.writeHead(status, { 'content-type': contentType });
  res.write(head);
  const chunk = Buffer.from(unit.repeat(Math.ceil(CHUNK / unit.length)));
  // Only as fast as the client reads: the server itself stays small.
  const pump = (): void => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
}

/** `size` bytes of a repeating pattern (byte i is i % 251), with an honest content-length. */
function file(res: ServerResponse, size: number, cutAt = Number.POSITIVE_INFINITY): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(size) });
  const pattern = Buffer.alloc(251 * 1024);
  for (let i = 0; i < pattern.length; i++) pattern[i] = i % 251;
  let sent = 0;
  const pump = (): void => {
    while (!res.destroyed) {
      if (sent >= cutAt) {
        res.socket?.destroy();
        return;
      }
      const n = Math.min(pattern.length, size - sent, cutAt - sent);
      if (n <= 0) {
        res.end();
        return;
      }
      sent += n;
      if (!res.write(n === pattern.length ? pattern : pattern.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** One page of whatever the request searches for, with `token` as the next one. */
function page(res: ServerResponse, endpoint: string, token: string, n: number): void {
  const run = (i: number) => ({
    info: { run_id: `r${n}-${i}`, experiment_id: '1', status: 'FINISHED' },
    data: { metrics: [{ key: 'acc', value: i, timestamp: 0, step: 0 }] },
  });
  if (endpoint.endsWith('/runs/search')) return json(res, { runs: [run(0)], next_page_token: token });
  if (endpoint.endsWith('/metrics/get-history'))
    return json(res, { metrics: [{ key: 'loss', value: n, timestamp: n, step: n }], next_page_token: token });
  if (endpoint.endsWith('/model-versions/search')) return json(res, { model_versions: [], next_page_token: token });
  return json(res, { experiments: [{ experiment_id: String(n), name: `e${n}` }], next_page_token: token });
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const [, fault = '', ...rest] = url.pathname.split('/');
  if (fault === '__hits') {
    json(res, { hits: hits.get(rest[0] ?? '') ?? 0 });
    return;
  }
  const n = (hits.get(fault) ?? 0) + 1;
  hits.set(fault, n);
  const endpoint = '/' + rest.join('/');
  // Request bodies are not needed; drain them so the connection stays usable.
  req.resume();
  switch (fault) {
    case 'endless-json':
      return endless(res, 200, 'application/json', '{"experiments":[', '{"experiment_id":"1","name":"x"},');
    case 'endless-error':
      return endless(res, 500, 'text/plain', '', 'Internal error. ');
    case 'declared-huge':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 ** 3) });
      res.write('{"experiments":[');
      return;
    case 'silent':
      // Accepts and never answers (a hung server): only a timeout ends the request.
      return;
    case 'same-token':
      if (n > PAGING_BACKSTOP) return status500(res);
      return page(res, endpoint, 'again', n);
    case 'new-tokens':
      if (n > PAGING_BACKSTOP) return status500(res);
      return page(res, endpoint, `token-${n}`, n);
    case 'drip': {
      // 1 byte a second of a 100-byte file: never idle long enough for an idle timeout.
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '100' });
      let sent = 0;
      const t = setInterval(() => {
        if (res.destroyed || sent >= 100) {
          clearInterval(t);
          res.end();
          return;
        }
        res.write('x');
        sent++;
      }, 1000);
      res.on('close', () => clearInterval(t));
      return;
    }
    case 'file': {
      // /file/get-artifact?path=<bytes>[-cut-<bytes>]: a file of that size, or cut off after that many bytes.
      const m = /^(\d+)(?:-cut-(\d+))?$/.exec(url.searchParams.get('path') ?? '');
      if (!m) return status500(res);
      return file(res, Number(m[1]), m[2] === undefined ? Number.POSITIVE_INFINITY : Number(m[2]));
    }
    default:
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such fault');
  }
});

function status500(res: ServerResponse): void {
  res.writeHead(500, { 'content-type': 'text/plain' });
  res.end('backstop: too many requests');
}

server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`PORT=${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => process.exit(0));
