// Every way a tracking server can fail the client, and the message the user gets. Real parts
// wherever a real part can produce the fault: a port nobody listens on, a web server that is not
// MLflow, MLflow's basic-auth app (401/403), its Host-header check, a real server frozen with
// SIGSTOP (a stall), MLflow's own 500s. Only retry-worthy transients (503/429/reset on demand)
// and a 200 login page from a proxy come from a small scripted HTTP server, because a real
// MLflow server cannot be made to produce them.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MlflowClient } from '../../extension/src/mlflow/client.ts';
import { MlflowError } from '../../extension/src/mlflow/errors.ts';
import { freePort } from '../../extension/src/shared/freePort.ts';
import { BASIC_AUTH_ADMIN, startBasicAuthServer } from '../support/mlflowServer.ts';
import type { MlflowServer } from '../support/mlflowServer.ts';
import { waitUntil } from '../support/waitUntil.ts';

const isKind = (kind: MlflowError['kind'], re?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof MlflowError, `expected an MlflowError, got ${String(e)}`);
  assert.equal(e.kind, kind, e.message);
  if (re) assert.match(e.message, re);
  return true;
};

describe('faults a real part can produce', () => {
  let auth: MlflowServer;
  const ADMIN = { kind: 'basic' as const, ...BASIC_AUTH_ADMIN };

  before(async () => {
    // MLflow's basic-auth app, whose Host check only lets 127.0.0.1 through (so `localhost` is refused).
    auth = await startBasicAuthServer();
  });
  after(async () => {
    await auth?.stop();
  });

  // How fast these failures arrive is measured in bench/hostile-server.bench.ts, not asserted here.
  test('nothing listening: "connection refused", not retried', async () => {
    const warnings: string[] = [];
    const client = new MlflowClient({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      logger: { debug: () => undefined, warn: (m) => warnings.push(m) },
    });
    await assert.rejects(client.listExperiments(), isKind('network', /connection refused\. Is the server running\?/));
    assert.deepEqual(warnings, [], 'a refused connection is not retried');
    await client.close();
  });

  test('a web server that is not MLflow: the URL is questioned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'not-mlflow-'));
    const port = await freePort();
    const web: ChildProcess = spawn(
      'python3',
      ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir],
      { stdio: 'ignore' },
    );
    try {
      const client = new MlflowClient({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
      // Until http.server listens, the error is a network one.
      const e = await waitUntil(
        'http.server to answer',
        async () => {
          const err = await client.version().then(
            () => undefined,
            (x: unknown) => x,
          );
          return err instanceof MlflowError && err.kind !== 'network' && err;
        },
        { timeoutMs: 20_000 },
      );
      assert.equal(e.status, 404);
      assert.match(e.message, /\/version does not exist \(HTTP 404\)\. Is this the URL of an MLflow tracking server\?/);
      await assert.rejects(client.searchRuns({ experimentIds: ['0'] }), isKind('api', /HTTP 501/));
      await client.close();
    } finally {
      web.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a wrong path on a real MLflow server', async () => {
    const client = new MlflowClient({ baseUrl: `${auth.url}/mlflow`, credentials: () => ADMIN, maxRetries: 0 });
    await assert.rejects(client.listExperiments(), isKind('api', /does not exist \(HTTP 404\)/));
    await client.close();
  });

  test('401 without or with wrong credentials; the password never shows', async () => {
    const none = new MlflowClient({ baseUrl: auth.url });
    await assert.rejects(none.version(), isKind('auth', /needs credentials \(HTTP 401\).*Set Server Credentials/));
    const logs: string[] = [];
    const wrong = new MlflowClient({
      baseUrl: auth.url,
      credentials: () => ({ kind: 'basic', username: 'admin', password: 'hunter2-wrong' }),
      logger: { debug: (m) => logs.push(m), warn: (m) => logs.push(m) },
    });
    await assert.rejects(
      wrong.listExperiments(),
      (e: unknown) => isKind('auth', /HTTP 401/)(e) && !(e as Error).message.includes('hunter2'),
    );
    assert.ok(!logs.join('\n').includes('hunter2'));
    const admin = new MlflowClient({ baseUrl: auth.url, credentials: () => ADMIN });
    assert.ok(Array.isArray(await admin.listExperiments()));
    const inUrl = new MlflowClient({
      baseUrl: auth.url.replace('http://', `http://${ADMIN.username}:${ADMIN.password}@`),
    });
    assert.ok(!inUrl.baseUrl.includes(ADMIN.password), 'credentials typed into the URL are never echoed');
    assert.ok(Array.isArray(await inUrl.listExperiments()), '…but are used');
    await Promise.all([none.close(), wrong.close(), admin.close(), inUrl.close()]);
  });

  test('403 when the user may read but not write', async () => {
    const admin = new MlflowClient({ baseUrl: auth.url, credentials: () => ADMIN });
    const expId = await admin.createExperiment(`owned-by-admin-${Date.now()}`);
    const run = await admin.createRun({ experimentId: expId });
    await admin.transport.json(
      {
        method: 'POST',
        path: '/api/2.0/mlflow/users/create',
        body: { username: 'reader', password: 'reader-pass-123' },
        idempotent: false,
      },
      () => undefined,
    );
    const reader = new MlflowClient({
      baseUrl: auth.url,
      credentials: () => ({ kind: 'basic', username: 'reader', password: 'reader-pass-123' }),
    });
    assert.equal((await reader.getRun(run.info.run_id)).info.run_id, run.info.run_id, 'reading is allowed');
    await assert.rejects(reader.setRunTag(run.info.run_id, 'k', 'v'), isKind('auth', /Permission denied.*HTTP 403/));
    await Promise.all([admin.close(), reader.close()]);
  });

  test('403 on registry writes (alias set and delete, tag set) for a user who may only read', async () => {
    const admin = new MlflowClient({ baseUrl: auth.url, credentials: () => ADMIN });
    const name = `owned model #1 ${Date.now()}`;
    await admin.createRegisteredModel({ name });
    const expId = await admin.createExperiment(`registry-owner-${Date.now()}`);
    const run = await admin.createRun({ experimentId: expId });
    await admin.createModelVersion({ name, source: `runs:/${run.info.run_id}/model`, runId: run.info.run_id });
    await admin.setModelAlias(name, 'champion', '1');
    await admin.transport.json(
      {
        method: 'POST',
        path: '/api/2.0/mlflow/users/create',
        body: { username: 'registry-reader', password: 'reader-pass-456' },
        idempotent: false,
      },
      () => undefined,
    );
    const reader = new MlflowClient({
      baseUrl: auth.url,
      credentials: () => ({ kind: 'basic', username: 'registry-reader', password: 'reader-pass-456' }),
    });
    assert.deepEqual((await reader.getModelVersion(name, '1')).aliases, ['champion'], 'reading is allowed');
    // basic-auth answers these with a text/html "Permission denied"; the message names who refused.
    const denied = isKind('auth', /^Permission denied by http:\/\/127\.0\.0\.1:\d+ \(HTTP 403\)/);
    await assert.rejects(reader.setModelAlias(name, 'staging', '1'), denied);
    await assert.rejects(reader.deleteModelAlias(name, 'champion'), denied);
    await assert.rejects(reader.setRegisteredModelTag(name, 'k', 'v'), denied);
    assert.deepEqual((await admin.getModelVersion(name, '1')).aliases, ['champion'], 'nothing changed');
    await Promise.all([admin.close(), reader.close()]);
  });

  test("403 from MLflow's Host check names the flag that fixes it", async () => {
    const client = new MlflowClient({ baseUrl: auth.url.replace('127.0.0.1', 'localhost'), credentials: () => ADMIN });
    await assert.rejects(
      client.listExperiments(),
      isKind('auth', /rejected the Host header \(HTTP 403\)\. Start the server with --allowed-hosts localhost:\d+/),
    );
    await client.close();
  });

  test("MLflow's own 500 keeps MLflow's message", async () => {
    const admin = new MlflowClient({ baseUrl: auth.url, credentials: () => ADMIN });
    const expId = await admin.createExperiment(`registry-${Date.now()}`);
    const run = await admin.createRun({ experimentId: expId });
    const name = `model-${Date.now()}`;
    await admin.transport.json(
      { method: 'POST', path: '/api/2.0/mlflow/registered-models/create', body: { name }, idempotent: false },
      () => undefined,
    );
    await admin.transport.json(
      {
        method: 'POST',
        path: '/api/2.0/mlflow/model-versions/create',
        body: { name, source: `${run.info.artifact_uri}/model`, run_id: run.info.run_id },
        idempotent: false,
      },
      () => undefined,
    );
    await assert.rejects(
      admin.transport.json(
        {
          method: 'POST',
          path: '/api/2.0/mlflow/model-versions/transition-stage',
          body: { name, version: '1', stage: 'None', archive_existing_versions: true },
          idempotent: false,
        },
        () => undefined,
      ),
      (e: unknown) => isKind('api', /cannot archive existing model versions/)(e) && (e as MlflowError).status === 500,
    );
    await admin.close();
  });

  test('a server that stalls: a timeout, a cancel, and recovery when it answers again', async () => {
    const client = new MlflowClient({ baseUrl: auth.url, credentials: () => ADMIN, timeoutMs: 1500, maxRetries: 0 });
    const patient = new MlflowClient({ baseUrl: auth.url, credentials: () => ADMIN, timeoutMs: 30_000 });
    // The server answers before it is stopped; asked with the patient client, because a loaded CI
    // machine made the server take over 1.5 s for this first answer once.
    assert.ok(Array.isArray(await patient.listExperiments()));
    process.kill(-auth.pid, 'SIGSTOP');
    try {
      await assert.rejects(
        client.listExperiments(),
        isKind('timeout', /did not answer \/api\/2\.0\/mlflow\/experiments\/search within 2 s/),
      );
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      await assert.rejects(client.searchRuns({ experimentIds: ['0'], signal: ac.signal }), isKind('cancelled'));
    } finally {
      process.kill(-auth.pid, 'SIGCONT');
    }
    assert.ok(Array.isArray(await patient.listExperiments()), 'it works again once the server answers');
    await Promise.all([client.close(), patient.close()]);
  });
});

describe('faults only a scripted server can produce on demand', () => {
  let server: Server;
  let url: string;
  const script: ((res: import('node:http').ServerResponse, req: import('node:http').IncomingMessage) => void)[] = [];
  let hits = 0;

  before(async () => {
    server = createServer((req, res) => {
      hits++;
      const step = script.shift();
      if (step) step(res, req);
      else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ experiments: [{ experiment_id: '0', name: 'Default' }] }));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const status =
    (code: number, headers: Record<string, string> = {}) =>
    (res: import('node:http').ServerResponse) => {
      res.writeHead(code, { 'content-type': 'text/plain', ...headers });
      res.end('busy');
    };

  test('idempotent reads retry through 503, 429 (Retry-After) and a reset connection', async () => {
    const warnings: string[] = [];
    const client = new MlflowClient({
      baseUrl: url,
      logger: { debug: () => undefined, warn: (m) => warnings.push(m) },
    });
    hits = 0;
    script.push(status(503), status(429, { 'retry-after': '0' }), (res) => res.socket?.destroy());
    const exps = await client.listExperiments();
    assert.equal(exps[0]?.name, 'Default');
    assert.equal(hits, 4);
    assert.equal(warnings.length, 3);
    await client.close();
  });

  test('writes are not retried; the user sees the status', async () => {
    const client = new MlflowClient({ baseUrl: url });
    hits = 0;
    script.push(status(503));
    await assert.rejects(client.createExperiment('x'), isKind('api', /HTTP 503/));
    assert.equal(hits, 1);
    await client.close();
  });

  test('a 200 login page from a proxy is not mistaken for data', async () => {
    const client = new MlflowClient({ baseUrl: url });
    script.push((res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><title>Sign in</title></html>');
    });
    await assert.rejects(
      client.listExperiments(),
      isKind('response', /not JSON \(text\/html\)\. Is this the URL of an MLflow tracking server\?/),
    );
    script.push((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ runs: [{ info: { run_id: 'a' } }] }));
    });
    await assert.rejects(
      client.searchRuns({ experimentIds: ['0'] }),
      isKind('response', /runs\[0\]\.info\.experiment_id should be a string/),
    );
    await client.close();
  });
});
