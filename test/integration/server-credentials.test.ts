// Credentials and settings changes take effect at once, without a window reload: the client layer
// the extension uses (ServerClients, driven the way ServerRegistry drives it on a settings or
// secret change) against MLflow's real basic-auth app. The secret store is an in-memory map with
// SecretStorage's `get`: VS Code's own store needs a running editor, and what is tested here is
// what the client does with the secret, not how VS Code keeps it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MlflowError } from '../../extension/src/mlflow/errors.ts';
import { secretKey, ServerClients } from '../../extension/src/servers/serverClients.ts';
import type { ServerConfig } from '../../extension/src/servers/serverConfig.ts';
import { serverFromEnvironment } from '../../extension/src/servers/serverConfig.ts';
import { RunListing } from '../../extension/src/runs/runListing.ts';
import { BASIC_AUTH_ADMIN, startBasicAuthServer } from '../support/mlflowServer.ts';
import type { MlflowServer } from '../support/mlflowServer.ts';

const ADMIN = BASIC_AUTH_ADMIN;

const isAuthError = (e: unknown): boolean => {
  assert.ok(e instanceof MlflowError, `expected an MlflowError, got ${String(e)}`);
  assert.equal(e.kind, 'auth', e.message);
  assert.match(e.message, /needs credentials \(HTTP 401\)/);
  return true;
};

describe('credentials and settings changes against mlflow server --app-name basic-auth', () => {
  let auth: MlflowServer;
  let experimentId: string;

  before(async () => {
    auth = await startBasicAuthServer();
    // An experiment with one run, made as admin, for the listings below.
    const headers = {
      authorization: 'Basic ' + Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64'),
      'content-type': 'application/json',
    };
    const created = await fetch(`${auth.url}/api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: `creds-${Date.now().toString(36)}` }),
    });
    experimentId = ((await created.json()) as { experiment_id: string }).experiment_id;
    const run = await fetch(`${auth.url}/api/2.0/mlflow/runs/create`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ experiment_id: experimentId, run_name: 'creds-run' }),
    });
    assert.equal(run.status, 200);
  });
  after(async () => {
    await auth?.stop();
  });

  test('set, change and clear credentials: each applies on the next request, to holders made before', async () => {
    const secrets = new Map<string, string>();
    const clients = new ServerClients({ secrets: { get: async (k) => secrets.get(k) }, env: {} });
    let server: ServerConfig = { id: auth.url, name: 'auth', uri: auth.url, auth: 'none', source: 'settings' };
    clients.configure([server], 30_000);
    // A tree listing, made before any credentials exist (an experiment row the user has not expanded yet).
    const listing = new RunListing(clients.source(server), { experimentId, pageSize: 10 });
    await assert.rejects(listing.reload(), isAuthError);

    // "Set Server Credentials…": auth and user name go to settings, the password to secret storage.
    server = { ...server, auth: 'basic', username: ADMIN.username };
    clients.configure([server], 30_000);
    secrets.set(secretKey(server), JSON.stringify({ password: ADMIN.password }));
    clients.secretChanged(server.id);
    await listing.reload();
    assert.deepEqual(
      listing.runs.map((r) => r.info.run_name),
      ['creds-run'],
    );

    // A changed (here: mistyped) password is used at once.
    secrets.set(secretKey(server), JSON.stringify({ password: 'not-the-password' }));
    clients.secretChanged(server.id);
    await assert.rejects(listing.reload(), isAuthError);
    secrets.set(secretKey(server), JSON.stringify({ password: ADMIN.password }));
    clients.secretChanged(server.id);
    await listing.reload();

    // Turning auth off in settings stops sending the stored credential, though it is still stored.
    const withAuth = clients.client(server);
    server = { ...server, auth: 'none' };
    const rebuilt = clients.configure([server], 30_000);
    assert.deepEqual(rebuilt, [server.id], 'the server whose auth changed gets a new client');
    assert.notEqual(clients.client(server), withAuth);
    await assert.rejects(listing.reload(), isAuthError);
    // The old client was closed at once: nothing can go on using the old credential through it.
    await assert.rejects(withAuth.listExperiments());
    assert.deepEqual(
      listing.runs.map((r) => r.info.run_name),
      ['creds-run'],
      'the last good list stays on screen',
    );

    // Back on, then "Clear Credentials": the next request carries none.
    server = { ...server, auth: 'basic' };
    clients.configure([server], 30_000);
    await listing.reload();
    secrets.delete(secretKey(server));
    clients.secretChanged(server.id);
    await assert.rejects(listing.reload(), isAuthError);
    await clients.close();
  });

  test('a new request timeout replaces the client; a listing made before keeps working', async () => {
    const secrets = new Map<string, string>();
    const server: ServerConfig = {
      id: auth.url,
      name: 'auth',
      uri: auth.url,
      auth: 'basic',
      username: ADMIN.username,
      source: 'settings',
    };
    secrets.set(secretKey(server), JSON.stringify({ password: ADMIN.password }));
    const clients = new ServerClients({ secrets: { get: async (k) => secrets.get(k) }, env: {} });
    clients.configure([server], 30_000);
    const listing = new RunListing(clients.source(server), { experimentId, pageSize: 10 });
    await listing.reload();
    const before = clients.client(server);
    assert.deepEqual(clients.configure([server], 45_000), [server.id]);
    // Before the fix a listing held the closed client: "The client is destroyed" until a reload.
    await listing.reload();
    assert.equal(listing.error, undefined);
    assert.notEqual(clients.client(server), before);
    await clients.close();
  });

  test('MLFLOW_TRACKING_URI with user info signs in with it; the config never holds it', async () => {
    const u = new URL(auth.url);
    u.username = ADMIN.username;
    u.password = encodeURIComponent(ADMIN.password);
    const env = { MLFLOW_TRACKING_URI: u.toString() };
    const server = serverFromEnvironment(env);
    assert.ok(server);
    assert.equal(server.uri, auth.url);
    assert.ok(!JSON.stringify(server).includes(ADMIN.password));
    const clients = new ServerClients({ secrets: { get: async () => undefined }, env });
    clients.configure([server], 30_000);
    const experiments = await clients.client(server).listExperiments();
    assert.ok(experiments.some((e) => e.experiment_id === experimentId));
    await clients.close();
  });
});
