// What the MLproject language client asks VS Code for: nothing at activation (not even loading
// vscode-languageclient), then one output channel and one file watcher for the extension's
// lifetime, handed to every client across restarts. `vscode` and `vscode-languageclient/node` are
// fakes here, and that is the point: VS Code 1.139 hands back the same log channel for a repeated
// name, so a workbench cannot show the leak (older hosts in our `engines` range do not), and a
// watcher has no visible trace at all. The fakes count the requests instead. The real client
// starting in a real workbench is test/e2e/mlproject.test.ts.
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { beforeEach, test } from 'node:test';
import type * as vscode from 'vscode';
import type { Logger } from '../../../extension/src/shared/logger.ts';

interface FakeDisposable {
  disposed: number;
  dispose(): void;
}

interface FakeClient {
  options: { outputChannel: unknown; synchronize: { fileEvents: unknown } };
  started: number;
  stopped: number;
}

interface FakeState {
  channels: (FakeDisposable & { name: string })[];
  watchers: FakeDisposable[];
  clients: FakeClient[];
  clientModuleLoads: number;
  /** The fake client module's RequestType class, once it is loaded. */
  RequestType?: new (method: string) => unknown;
}

const state: FakeState = { channels: [], watchers: [], clients: [], clientModuleLoads: 0 };
(globalThis as { __fakeVscodeState?: FakeState }).__fakeVscodeState = state;

const fakeVscode = `
const s = globalThis.__fakeVscodeState;
const disposable = (extra = {}) => { const d = { disposed: 0, dispose() { d.disposed++; }, ...extra }; return d; };
export const window = {
  createOutputChannel(name) { const c = disposable({ name, info() {}, warn() {}, error() {}, debug() {}, trace() {} }); s.channels.push(c); return c; },
};
export const workspace = {
  textDocuments: [],
  onDidOpenTextDocument() { return disposable(); },
  createFileSystemWatcher() { const w = disposable(); s.watchers.push(w); return w; },
};
`;
const fakeLanguageClient = `
const s = globalThis.__fakeVscodeState;
s.clientModuleLoads++;
export const TransportKind = { ipc: 1 };
export class RequestType { constructor(method) { this.method = method; } }
s.RequestType = RequestType;
export class LanguageClient {
  constructor(id, name, serverOptions, options) { this.options = options; this.started = 0; this.stopped = 0; s.clients.push(this); }
  async start() { this.started++; }
  async stop() { this.stopped++; }
  async dispose() {}
}
`;
const FAKES: Record<string, string> = { vscode: fakeVscode, 'vscode-languageclient/node': fakeLanguageClient };
// Resolve hooks run on a loader thread: they only map the two names to the fakes' source.
const hooks = `
const FAKES = ${JSON.stringify(FAKES)};
export async function resolve(specifier, context, nextResolve) {
  const source = FAKES[specifier];
  if (source !== undefined) return { url: 'data:text/javascript,' + encodeURIComponent(source), shortCircuit: true };
  return nextResolve(specifier, context);
}
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

const { MlprojectLanguageClient } = await import('../../../extension/src/languageClient.ts');

const logger: Logger = { debug() {}, info() {}, warn() {}, error() {}, show() {} };
const context = { asAbsolutePath: (p: string) => `/ext/${p}`, subscriptions: [] } as unknown as vscode.ExtensionContext;

beforeEach(() => {
  state.channels.length = 0;
  state.watchers.length = 0;
  state.clients.length = 0;
});

test('activation loads no language client; the first start does', async () => {
  const lc = new MlprojectLanguageClient(context, logger);
  assert.equal(state.clientModuleLoads, 0);
  assert.equal(state.channels.length, 0);
  await lc.ensureStarted();
  assert.equal(state.clientModuleLoads, 1);
  await lc.dispose();
});

test('two restarts: three clients, one output channel and one watcher, all handed to every client', async () => {
  const lc = new MlprojectLanguageClient(context, logger);
  await lc.ensureStarted();
  await lc.restart();
  await lc.restart();
  assert.equal(state.clients.length, 3);
  assert.deepEqual(
    state.clients.map((c) => [c.started, c.stopped]),
    [
      [1, 1],
      [1, 1],
      [1, 0],
    ],
  );
  assert.equal(state.channels.length, 1, 'one channel for the extension lifetime');
  assert.equal(state.channels[0]?.name, 'MLproject Language Server');
  assert.equal(state.watchers.length, 1, 'one file watcher for the extension lifetime');
  for (const c of state.clients) {
    assert.equal(c.options.outputChannel, state.channels[0]);
    assert.equal(c.options.synchronize.fileEvents, state.watchers[0]);
  }
  assert.equal(state.channels[0]?.disposed, 0, 'a restart does not dispose the channel the next client writes to');
  await lc.dispose();
  assert.equal(state.channels[0]?.disposed, 1);
  assert.equal(state.watchers[0]?.disposed, 1);
  assert.equal(state.clients[2]?.stopped, 1);
});

test('the custom requests are made by the loaded client module, so its copy of vscode-jsonrpc accepts them', async () => {
  const lc = new MlprojectLanguageClient(context, logger);
  const { client, requests } = await lc.connection();
  assert.equal(client, state.clients.at(-1));
  // A RequestType from any other copy (one bundled into extension.js) fails with "Unknown parameter structure auto".
  assert.ok(state.RequestType && requests.entryPoints instanceof state.RequestType);
  assert.ok(requests.renderCommand instanceof state.RequestType);
  assert.deepEqual(
    [requests.entryPoints.method, requests.renderCommand.method],
    ['mlflow/entryPoints', 'mlflow/renderCommand'],
  );
  assert.equal(state.clientModuleLoads, 1);
  await lc.dispose();
});
