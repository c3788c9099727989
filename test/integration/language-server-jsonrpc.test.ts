// The bundled language server (`node dist/language-server.js --stdio`) spoken to over real
// JSON-RPC, the way an editor does: initialize, open/change documents, every feature, the custom
// requests, settings pulled with workspace/configuration, hostile input, shutdown/exit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import * as rpc from 'vscode-jsonrpc/node';
import type {
  CodeAction,
  CodeLens,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  Hover,
  Location,
  WorkspaceEdit,
} from 'vscode-languageserver-types';
import { mlflowRequests } from '../../language-server/src/protocol.ts';
import { languageServerBuild } from '../../scripts/bundles.mjs';

const root = resolve(import.meta.dirname, '../..');
const requests = mlflowRequests(rpc.RequestType);
const serverJs = join(root, 'dist/language-server.js');

let child: ChildProcess;
let conn: rpc.MessageConnection;
let projectDir: string;
let settings = { hintUncheckedTypes: true };
const configurationRequests: unknown[] = [];
const published = new Map<string, Array<{ version?: number; diagnostics: Diagnostic[] }>>();
const waiters: Array<{ uri: string; version: number; resolve: (d: Diagnostic[]) => void }> = [];
let stderr = '';

function diagnosticsFor(uri: string, version: number): Promise<Diagnostic[]> {
  const got = published.get(uri)?.find((p) => p.version === version);
  if (got) return Promise.resolve(got.diagnostics);
  return new Promise((resolvePromise) => waiters.push({ uri, version, resolve: resolvePromise }));
}

const MLPROJECT = `name: tutorial
python_env: python_env.yaml
entry_points:
  main:
    parameters:
      alpha: {type: float, default: 0.5}
      steps: {type: int, default: 010}
      data: path
    command: "python train.py --alpha {alpha} --steps {steps} --data {data} --home \${HOME}"
  etl:
    command: python etl.py
`;

let uri: string;

before(async () => {
  // Build just the server bundle, exactly as esbuild.mjs does (it does not clear dist/).
  await esbuild.build({ ...languageServerBuild(root), sourcemap: 'linked', logLevel: 'warning' });
  projectDir = mkdtempSync(join(tmpdir(), 'mlproject-lsp-'));
  writeFileSync(join(projectDir, 'MLproject'), MLPROJECT);
  writeFileSync(join(projectDir, 'python_env.yaml'), 'python: "3.11"\n');
  writeFileSync(join(projectDir, 'train.py'), 'print(1)\n');
  writeFileSync(join(projectDir, 'etl.py'), 'print(2)\n');
  mkdirSync(join(projectDir, 'data'));
  uri = pathToFileURL(join(projectDir, 'MLproject')).toString();

  child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], shell: false });
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  conn = rpc.createMessageConnection(
    new rpc.StreamMessageReader(child.stdout!),
    new rpc.StreamMessageWriter(child.stdin!),
  );
  conn.onNotification(
    'textDocument/publishDiagnostics',
    (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      const list = published.get(p.uri) ?? [];
      list.push({ ...(p.version !== undefined ? { version: p.version } : {}), diagnostics: p.diagnostics });
      published.set(p.uri, list);
      for (let i = waiters.length - 1; i >= 0; i--) {
        const w = waiters[i];
        if (w && w.uri === p.uri && w.version === p.version) {
          waiters.splice(i, 1);
          w.resolve(p.diagnostics);
        }
      }
    },
  );
  conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string; scopeUri?: string }> }) => {
    configurationRequests.push(p);
    return p.items.map((item) => (item.section === 'mlflow.mlproject' ? settings : null));
  });
  conn.onRequest('client/registerCapability', () => null);
  conn.onNotification('window/logMessage', () => undefined);
  conn.listen();
});

after(() => {
  if (child && child.exitCode === null) child.kill();
  if (projectDir) rmSync(projectDir, { recursive: true, force: true });
});

function pos(text: string, needle: string, delta = 0): { line: number; character: number } {
  const at = text.indexOf(needle) + delta;
  assert.ok(at >= delta, `${needle} not in text`);
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  return { line, character: at - (before.lastIndexOf('\n') + 1) };
}

test('initialize advertises every feature', async () => {
  const result = (await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(projectDir).toString(),
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: { definition: { linkSupport: false } },
    },
  })) as { capabilities: Record<string, unknown> };
  const caps = result.capabilities;
  for (const k of [
    'completionProvider',
    'hoverProvider',
    'documentSymbolProvider',
    'definitionProvider',
    'referencesProvider',
    'renameProvider',
    'codeActionProvider',
    'codeLensProvider',
  ]) {
    assert.ok(caps[k], `missing ${k}`);
  }
  assert.deepEqual(caps.renameProvider, { prepareProvider: true });
  await conn.sendNotification('initialized', {});
});

test('didOpen publishes diagnostics for that version, settings pulled via workspace/configuration', async () => {
  await conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'mlproject', version: 1, text: MLPROJECT },
  });
  const diagnostics = await diagnosticsFor(uri, 1);
  const codes = diagnostics.map((d) => d.code).sort();
  assert.deepEqual(codes, ['parameter-type-unchecked', 'placeholder-undeclared', 'yaml11-coercion']);
  const home = diagnostics.find((d) => d.code === 'placeholder-undeclared');
  assert.equal(home?.severity, 1);
  assert.deepEqual(home?.range.start, pos(MLPROJECT, '${HOME}', 2));
  assert.ok(configurationRequests.some((r) => JSON.stringify(r).includes('"section":"mlflow.mlproject"')));
});

test('completion: parameter names in a placeholder, types in a parameter', async () => {
  const list = (await conn.sendRequest('textDocument/completion', {
    textDocument: { uri },
    position: pos(MLPROJECT, '{alpha}', 1),
  })) as CompletionItem[] | CompletionList;
  const items = Array.isArray(list) ? list : list.items;
  assert.deepEqual(
    items.map((i) => i.label),
    ['alpha', 'steps', 'data'],
  );
  const types = (await conn.sendRequest('textDocument/completion', {
    textDocument: { uri },
    position: pos(MLPROJECT, 'float, default', 0),
  })) as CompletionItem[];
  assert.ok((Array.isArray(types) ? types : []).some((i) => i.label === 'path'));
});

test('hover at a placeholder renders the default as MLflow does', async () => {
  const hover = (await conn.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: pos(MLPROJECT, '{steps}', 2),
  })) as Hover;
  const value = (hover.contents as { value: string }).value;
  assert.match(value, /default: `8` \(written `010`\)/);
});

test('document symbols', async () => {
  const symbols = (await conn.sendRequest('textDocument/documentSymbol', {
    textDocument: { uri },
  })) as DocumentSymbol[];
  assert.deepEqual(
    symbols.map((s) => s.name),
    ['name', 'python_env', 'entry_points'],
  );
  assert.deepEqual(
    symbols[2]?.children?.map((c) => c.name),
    ['main', 'etl'],
  );
  assert.deepEqual(
    symbols[2]?.children?.[0]?.children?.map((c) => c.name),
    ['alpha', 'steps', 'data', 'command'],
  );
});

test('definition: placeholder → declaration, script → file', async () => {
  const toParam = (await conn.sendRequest('textDocument/definition', {
    textDocument: { uri },
    position: pos(MLPROJECT, '{data}', 2),
  })) as Location[];
  assert.deepEqual(toParam, [
    { uri, range: { start: pos(MLPROJECT, 'data: path'), end: pos(MLPROJECT, 'data: path', 4) } },
  ]);
  const toFile = (await conn.sendRequest('textDocument/definition', {
    textDocument: { uri },
    position: pos(MLPROJECT, 'train.py', 2),
  })) as Location[];
  assert.equal(toFile[0]?.uri, pathToFileURL(join(projectDir, 'train.py')).toString());
  const toEnv = (await conn.sendRequest('textDocument/definition', {
    textDocument: { uri },
    position: pos(MLPROJECT, 'python_env.yaml', 3),
  })) as Location[];
  assert.equal(toEnv[0]?.uri, pathToFileURL(join(projectDir, 'python_env.yaml')).toString());
});

test('references, prepareRename and rename of a parameter', async () => {
  const refs = (await conn.sendRequest('textDocument/references', {
    textDocument: { uri },
    position: pos(MLPROJECT, 'alpha: {'),
    context: { includeDeclaration: true },
  })) as Location[];
  assert.equal(refs.length, 2);
  const prep = (await conn.sendRequest('textDocument/prepareRename', {
    textDocument: { uri },
    position: pos(MLPROJECT, '{alpha}', 3),
  })) as { placeholder: string };
  assert.equal(prep.placeholder, 'alpha');
  const edit = (await conn.sendRequest('textDocument/rename', {
    textDocument: { uri },
    position: pos(MLPROJECT, '{alpha}', 3),
    newName: 'learning_rate',
  })) as WorkspaceEdit;
  assert.equal(edit.changes?.[uri]?.length, 2);
  assert.ok(edit.changes?.[uri]?.every((e) => e.newText === 'learning_rate'));
  await assert.rejects(
    conn.sendRequest('textDocument/rename', {
      textDocument: { uri },
      position: pos(MLPROJECT, '{alpha}', 3),
      newName: 'not.valid',
    }),
    /cannot be referenced/,
  );
});

test('code actions: the quick fixes of the diagnostics in range', async () => {
  const diagnostics = await diagnosticsFor(uri, 1);
  const home = diagnostics.find((d) => d.code === 'placeholder-undeclared');
  assert.ok(home);
  const actions = (await conn.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: home.range,
    context: { diagnostics: [home] },
  })) as CodeAction[];
  const escape = actions.find((a) => a.title === 'Escape as `${{HOME}}`');
  assert.ok(escape, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(escape.kind, 'quickfix');
  assert.equal(escape.isPreferred, true);
  assert.deepEqual(
    escape.edit?.changes?.[uri]?.map((e) => e.newText),
    ['{', '}'],
  );
});

test('code lenses: run and run-with-parameters per entry point', async () => {
  const lenses = (await conn.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
  assert.deepEqual(
    lenses.map((l) => [l.command?.command, (l.command?.arguments?.[0] as { entryPoint: string }).entryPoint]),
    [
      ['mlflow.runEntryPoint', 'main'],
      ['mlflow.runEntryPointWithParameters', 'main'],
      ['mlflow.runEntryPoint', 'etl'],
      ['mlflow.runEntryPointWithParameters', 'etl'],
    ],
  );
});

test('mlflow/entryPoints and mlflow/renderCommand', async () => {
  const eps = await conn.sendRequest(requests.entryPoints, { uri });
  assert.equal(eps.projectDir, projectDir);
  assert.deepEqual(eps.entryPoints[0]?.parameters, [
    { name: 'alpha', type: 'float', default: '0.5', required: false },
    { name: 'steps', type: 'int', default: '8', required: false },
    { name: 'data', type: 'path', default: null, required: true },
  ]);
  assert.equal(eps.hasErrors, true);
  assert.equal(eps.errors.length, 1);
  const failing = await conn.sendRequest(requests.renderCommand, { uri, entryPoint: 'main', values: { data: 'data' } });
  assert.deepEqual(failing, { error: "KeyError: 'HOME'" });
  const etl = await conn.sendRequest(requests.renderCommand, {
    uri,
    entryPoint: 'etl',
    values: { 'batch size': '1; rm -rf /' },
  });
  assert.deepEqual(etl, { command: "python etl.py --'batch size' '1; rm -rf /'" });
  const missing = await conn.sendRequest(requests.renderCommand, { uri, entryPoint: 'main', values: {} });
  assert.deepEqual(missing, { error: "No value given for missing parameters: 'data'" });
});

test('incremental didChange is validated for the new version', async () => {
  const at = pos(MLPROJECT, '${HOME}', 1);
  await conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [
      { range: { start: at, end: at }, text: '{' },
      {
        range: {
          start: { line: at.line, character: at.character + 6 },
          end: { line: at.line, character: at.character + 6 },
        },
        text: '}',
      },
    ],
  });
  const diagnostics = await diagnosticsFor(uri, 2);
  assert.deepEqual(diagnostics.map((d) => d.code).sort(), ['parameter-type-unchecked', 'yaml11-coercion']);
  const rendered = await conn.sendRequest(requests.renderCommand, {
    uri,
    entryPoint: 'main',
    values: { data: 'data' },
  });
  assert.deepEqual(rendered, {
    command: `python train.py --alpha 0.5 --steps 8 --data ${join(projectDir, 'data')} --home \${HOME}`,
  });
});

test('a settings change is pulled again and applied', async () => {
  settings = { hintUncheckedTypes: false };
  const before = configurationRequests.length;
  await conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  // The next publication for the current version reflects the new settings.
  const diagnostics = await new Promise<Diagnostic[]>((resolvePromise) => {
    const check = (): void => {
      const list = published.get(uri) ?? [];
      const last = list[list.length - 1];
      if (
        configurationRequests.length > before &&
        last &&
        last.version === 2 &&
        !last.diagnostics.some((d) => d.code === 'parameter-type-unchecked')
      )
        resolvePromise(last.diagnostics);
      else setImmediate(check);
    };
    check();
  });
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ['yaml11-coercion'],
  );
});

test('hostile input is answered, and the server keeps serving', async () => {
  const junkUri = pathToFileURL(join(projectDir, 'junk', 'MLproject')).toString();
  let junk = '';
  for (let i = 0; i < 20_000; i++) junk += String.fromCharCode((i * 7919) % 256);
  await conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri: junkUri, languageId: 'mlproject', version: 1, text: junk },
  });
  const d1 = await diagnosticsFor(junkUri, 1);
  assert.ok(d1.some((d) => d.severity === 1));
  let bomb = 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i <= 30; i++)
    bomb += `l${i}: &l${i} [${Array(10)
      .fill(`*l${i - 1}`)
      .join(', ')}]\n`;
  bomb += 'entry_points:\n  main:\n    parameters: {p: {default: *l30}}\n    command: "echo {p}"\n';
  await conn.sendNotification('textDocument/didChange', {
    textDocument: { uri: junkUri, version: 2 },
    contentChanges: [{ text: bomb }],
  });
  assert.ok(Array.isArray(await diagnosticsFor(junkUri, 2)));
  const big = `name: ${'x'.repeat(5 * 1024 * 1024)}\n`;
  await conn.sendNotification('textDocument/didChange', {
    textDocument: { uri: junkUri, version: 3 },
    contentChanges: [{ text: big }],
  });
  assert.deepEqual(
    (await diagnosticsFor(junkUri, 3)).map((d) => d.code),
    ['too-large'],
  );
  const symbols = (await conn.sendRequest('textDocument/documentSymbol', {
    textDocument: { uri },
  })) as DocumentSymbol[];
  assert.equal(symbols.length, 3);
  await conn.sendNotification('textDocument/didClose', { textDocument: { uri: junkUri } });
});

/** A hover on the main document: the server is still answering requests. */
async function hoverStillAnswers(): Promise<void> {
  const hover = (await conn.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: pos(MLPROJECT, '{alpha}', 2),
  })) as Hover | null;
  assert.match((hover?.contents as { value: string } | undefined)?.value ?? '', /alpha/);
}

/** Opens `MLproject` in a fresh project folder whose python_env.yaml `makeEnv` creates. */
async function openWithEnvFile(
  name: string,
  makeEnv: (path: string) => void,
): Promise<{ diagnostics: Diagnostic[]; dir: string }> {
  const dir = join(projectDir, name);
  mkdirSync(dir);
  makeEnv(join(dir, 'python_env.yaml'));
  const text = 'name: limits\nentry_points:\n  main:\n    command: python -c pass\n';
  const docUri = pathToFileURL(join(dir, 'MLproject')).toString();
  await conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri: docUri, languageId: 'mlproject', version: 1, text },
  });
  const diagnostics = await diagnosticsFor(docUri, 1);
  await hoverStillAnswers();
  await conn.sendNotification('textDocument/didClose', { textDocument: { uri: docUri } });
  return { diagnostics, dir };
}

// Before the fix the server read these files with readFileSync: a FIFO blocked it forever and a
// device link never reached EOF; each test then times out instead of getting diagnostics.
test(
  'a python_env.yaml that is a FIFO is not read, the user is told why, and the server keeps answering',
  { timeout: 60_000 },
  async () => {
    const { diagnostics } = await openWithEnvFile('fifo', (p) => execFileSync('mkfifo', [p]));
    const d = diagnostics.find((x) => x.code === 'env-file-unreadable');
    assert.ok(d, JSON.stringify(diagnostics));
    assert.equal(d.severity, 2);
    assert.match(String(d.message), /python_env\.yaml is a FIFO, not a regular file/);
  },
);

test(
  'a python_env.yaml linked to /dev/urandom is not read, and the server keeps answering',
  { timeout: 60_000 },
  async () => {
    const { diagnostics } = await openWithEnvFile('device', (p) => symlinkSync('/dev/urandom', p));
    const d = diagnostics.find((x) => x.code === 'env-file-unreadable');
    assert.ok(d, JSON.stringify(diagnostics));
    assert.match(String(d.message), /python_env\.yaml is a character device, not a regular file/);
  },
);

test(
  'a 1 GB python_env.yaml (sparse) is not read: an information says it was not checked',
  { timeout: 60_000 },
  async () => {
    const { diagnostics, dir } = await openWithEnvFile('huge', (p) => {
      writeFileSync(p, '');
      truncateSync(p, 1024 ** 3);
    });
    rmSync(join(dir, 'python_env.yaml'));
    const d = diagnostics.find((x) => x.code === 'env-file-unreadable');
    assert.ok(d, JSON.stringify(diagnostics));
    assert.equal(d.severity, 3);
    assert.match(String(d.message), /python_env\.yaml is 1024\.0 MB; files over 1 MB are not checked/);
  },
);

test(
  'an MLproject with 100,000 parameters is analysed whole while a hover on another document returns',
  { timeout: 300_000 },
  async () => {
    const n = 100_000;
    const lines = ['name: wide', 'entry_points:', '  main:', '    parameters:'];
    for (let i = 0; i < n; i++) lines.push(`      p${i}: float`);
    lines.push('    command: "echo {p0}"');
    const wideUri = pathToFileURL(join(projectDir, 'wide', 'MLproject')).toString();
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: wideUri, languageId: 'mlproject', version: 1, text: `${lines.join('\n')}\n` },
    });
    await hoverStillAnswers();
    const diagnostics = await diagnosticsFor(wideUri, 1);
    // 99,999 unused parameters: the first 1,000 are shown and the rest counted, so every one was checked.
    assert.equal(diagnostics.filter((d) => d.code === 'parameter-unused').length, 1000);
    assert.equal(
      diagnostics.find((d) => d.code === 'too-many-problems')?.message,
      `${n - 1 - 1000} more problems are not shown.`,
    );
    await hoverStillAnswers();
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri: wideUri } });
  },
);

test('shutdown and exit end the process cleanly', async () => {
  await conn.sendRequest('shutdown');
  const exited = new Promise<number | null>((resolvePromise) => child.once('exit', (code) => resolvePromise(code)));
  await conn.sendNotification('exit');
  assert.equal(await exited, 0);
  conn.dispose();
  assert.doesNotMatch(stderr, /Error/);
});
