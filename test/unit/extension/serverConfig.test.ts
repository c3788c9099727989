import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  detectLocalStore,
  environmentCredentials,
  mergeServers,
  serverFromEnvironment,
  serversFromSettings,
} from '../../../extension/src/servers/serverConfig.ts';
import { ServerClients } from '../../../extension/src/servers/serverClients.ts';

test('settings entries are normalized; bad ones are reported, not fatal', () => {
  const { servers, problems } = serversFromSettings([
    { uri: 'http://127.0.0.1:5000/', name: 'Local' },
    'https://mlflow.example.com/prefix/',
    { uri: 'ftp://x' },
    { name: 'no uri' },
    { uri: 'http://user:hunter2xyz@host:5000', auth: 'basic', username: 'user' },
    { uri: 'http://127.0.0.1:5000' },
  ]);
  assert.deepEqual(
    servers.map((s) => [s.id, s.name, s.auth]),
    [
      ['http://127.0.0.1:5000', 'Local', 'none'],
      ['https://mlflow.example.com/prefix', 'mlflow.example.com/prefix', 'none'],
      ['http://host:5000', 'host:5000', 'basic'],
    ],
  );
  assert.equal(problems.length, 4);
  assert.ok(problems.some((p) => p.includes('credentials in the URL are ignored')));
  assert.ok(!problems.join('\n').includes('hunter2xyz'), 'a password typed into a URL never reaches a message');
});

test('MLFLOW_TRACKING_URI: http(s) only, auth kind from the env, no secret copied', () => {
  assert.equal(serverFromEnvironment({ MLFLOW_TRACKING_URI: 'sqlite:///mlflow.db' }), undefined);
  const s = serverFromEnvironment({ MLFLOW_TRACKING_URI: 'http://10.0.0.5:5000', MLFLOW_TRACKING_TOKEN: 'dapi123' });
  assert.equal(s?.auth, 'bearer');
  assert.equal(s?.uri, 'http://10.0.0.5:5000');
  assert.ok(!JSON.stringify(s).includes('dapi123'));
  const b = serverFromEnvironment({
    MLFLOW_TRACKING_URI: 'http://h',
    MLFLOW_TRACKING_USERNAME: 'u',
    MLFLOW_TRACKING_PASSWORD: 'p',
  });
  assert.equal(b?.auth, 'basic');
  assert.equal(b?.username, 'u');
});

test('MLFLOW_TRACKING_URI with user info: basic auth in memory, the URI shown and kept without it', () => {
  const env = { MLFLOW_TRACKING_URI: 'http://alice:s3cr%40t-pw@10.0.0.5:5000/' };
  const s = serverFromEnvironment(env);
  assert.equal(s?.uri, 'http://10.0.0.5:5000');
  assert.equal(s?.id, 'http://10.0.0.5:5000');
  assert.equal(s?.auth, 'basic');
  assert.equal(s?.username, 'alice');
  // The config is what the tree, tooltips, status bar and log show.
  assert.ok(!JSON.stringify(s).includes('s3cr'), 'the password is not in the config');
  assert.deepEqual(environmentCredentials(env), { kind: 'basic', username: 'alice', password: 's3cr@t-pw' });
  // Explicit MLFLOW_TRACKING_USERNAME/PASSWORD win, as in MLflow's client; a token comes last.
  assert.deepEqual(
    environmentCredentials({ ...env, MLFLOW_TRACKING_USERNAME: 'bob', MLFLOW_TRACKING_PASSWORD: 'pw2' }),
    { kind: 'basic', username: 'bob', password: 'pw2' },
  );
  assert.deepEqual(environmentCredentials({ ...env, MLFLOW_TRACKING_TOKEN: 'dapi1' }).kind, 'basic');
  assert.deepEqual(environmentCredentials({ MLFLOW_TRACKING_URI: 'http://h', MLFLOW_TRACKING_TOKEN: 'dapi1' }), {
    kind: 'bearer',
    token: 'dapi1',
  });
});

test('the client of an MLFLOW_TRACKING_URI server sends the user info as basic auth', async () => {
  const env = { MLFLOW_TRACKING_URI: 'http://alice:pw@127.0.0.1:5999' };
  const server = serverFromEnvironment(env)!;
  const clients = new ServerClients({ secrets: { get: async () => undefined }, env });
  clients.configure([server], 1000);
  assert.equal(clients.client(server).baseUrl, 'http://127.0.0.1:5999');
  assert.deepEqual(await clients.credentialsFor(server), { kind: 'basic', username: 'alice', password: 'pw' });
  await clients.close();
});

test('merge keeps the first source of a URL (settings win over the environment)', () => {
  const a = serversFromSettings([{ uri: 'http://h:1', name: 'mine' }]).servers;
  const b = [serverFromEnvironment({ MLFLOW_TRACKING_URI: 'http://h:1' })!];
  assert.deepEqual(
    mergeServers(a, b).map((s) => s.name),
    ['mine'],
  );
});

test('local stores: mlflow.db, or mlruns with an experiment folder', async () => {
  const files = new Set(['/w/a/mlflow.db', '/w/b/mlruns/0/meta.yaml']);
  const dirs = new Map([
    ['/w/b/mlruns', ['0', '.trash']],
    ['/w/c/mlruns', ['.trash']],
  ]);
  const probe = {
    isFile: async (p: string) => files.has(p),
    isDirectory: async (p: string) => dirs.has(p),
    listDirectory: async (p: string) => dirs.get(p) ?? [],
  };
  assert.deepEqual(await detectLocalStore('/w/a', probe), {
    folder: '/w/a',
    backendStoreUri: 'sqlite:////w/a/mlflow.db',
    kind: 'sqlite',
  });
  assert.deepEqual(await detectLocalStore('/w/b', probe), {
    folder: '/w/b',
    backendStoreUri: 'file:///w/b/mlruns',
    kind: 'file',
  });
  assert.equal(await detectLocalStore('/w/c', probe), undefined, 'an mlruns folder with no experiment is not a store');
});
