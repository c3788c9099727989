import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLocalStore, mergeServers, serverFromEnvironment, serversFromSettings } from '../../../extension/src/servers/serverConfig.ts';

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
  const b = serverFromEnvironment({ MLFLOW_TRACKING_URI: 'http://h', MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p' });
  assert.equal(b?.auth, 'basic');
  assert.equal(b?.username, 'u');
});

test('merge keeps the first source of a URL (settings win over the environment)', () => {
  const a = serversFromSettings([{ uri: 'http://h:1', name: 'mine' }]).servers;
  const b = [serverFromEnvironment({ MLFLOW_TRACKING_URI: 'http://h:1' })!];
  assert.deepEqual(mergeServers(a, b).map((s) => s.name), ['mine']);
});

test('local stores: mlflow.db, or mlruns with an experiment folder', async () => {
  const files = new Set(['/w/a/mlflow.db', '/w/b/mlruns/0/meta.yaml']);
  const dirs = new Map([['/w/b/mlruns', ['0', '.trash']], ['/w/c/mlruns', ['.trash']]]);
  const probe = {
    isFile: async (p: string) => files.has(p),
    isDirectory: async (p: string) => dirs.has(p),
    listDirectory: async (p: string) => dirs.get(p) ?? [],
  };
  assert.deepEqual(await detectLocalStore('/w/a', probe), { folder: '/w/a', backendStoreUri: 'sqlite:////w/a/mlflow.db', kind: 'sqlite' });
  assert.deepEqual(await detectLocalStore('/w/b', probe), { folder: '/w/b', backendStoreUri: 'file:///w/b/mlruns', kind: 'file' });
  assert.equal(await detectLocalStore('/w/c', probe), undefined, 'an mlruns folder with no experiment is not a store');
});
