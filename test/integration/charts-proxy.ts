// A loopback HTTP proxy in front of a real MLflow server for the charts tests: it records the
// requests that pass (to count calls per page) and can answer some itself, for the faults a real
// server cannot be made to produce on demand (an older server without the sampled endpoint, a
// 500 in the middle of a fetch). Every test that uses `fault` says so.
import { createServer, request } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Fault {
  status: number;
  body: string;
  contentType: string;
}

export interface RecordingProxy {
  readonly url: string;
  /** Path (without query) of every request, in order. */
  readonly paths: string[];
  /** Returns a canned answer for a request, or undefined to pass it through. */
  fault: ((method: string, path: string, seen: number) => Fault | undefined) | undefined;
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const t = new URL(target);
  const paths: string[] = [];
  const proxy: { fault: RecordingProxy['fault'] } = { fault: undefined };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    paths.push(path);
    const canned = proxy.fault?.(req.method ?? 'GET', path, paths.length);
    if (canned) {
      req.resume();
      res.writeHead(canned.status, { 'content-type': canned.contentType });
      res.end(canned.body);
      return;
    }
    const up = request(
      { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } },
      (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    get fault() {
      return proxy.fault;
    },
    set fault(f) {
      proxy.fault = f;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** What Flask answers for a route it does not have (MLflow before the sampled endpoint existed). */
export const FLASK_404: Fault = {
  status: 404,
  contentType: 'text/html; charset=utf-8',
  body: '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n',
};

export const INTERNAL_ERROR: Fault = {
  status: 500,
  contentType: 'text/html; charset=utf-8',
  body: '<h1>Internal Server Error</h1>',
};

/** A logger for controllers under test that says nothing (the tests assert on what they return). */
export const silentLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  show: () => undefined,
};
