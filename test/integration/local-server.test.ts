// "Start Local MLflow Server" on a workspace whose store is an mlruns/ folder written by MLflow's
// own client, with the real MLflow 3.17.2: the server refuses the file store at startup and the
// user gets MLflow's reason (not a timeout); both ways out work: serving it as it is with
// MLFLOW_ALLOW_FILE_STORE=true, and `mlflow migrate-filestore` into mlflow.db, which loses
// nothing and keeps mlruns/. A server that dies at startup for another reason shows its last
// output lines.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MlflowClient } from '../../extension/src/mlflow/client.ts';
import { detectLocalStore } from '../../extension/src/servers/serverConfig.ts';
import type { LocalStore, StoreProbe } from '../../extension/src/servers/serverConfig.ts';
import {
  migrateFileStore,
  spawnLocalServer,
  stopProcess,
  waitUntilReady,
} from '../../extension/src/servers/localServerProcess.ts';
import type { LocalServerProcess } from '../../extension/src/servers/localServerProcess.ts';
import { venvPython } from '../support/mlflowServer.ts';

const python = venvPython();

const probe: StoreProbe = {
  isFile: async (p) => existsSync(p) && statSync(p).isFile(),
  isDirectory: async (p) => existsSync(p) && statSync(p).isDirectory(),
  listDirectory: async (p) => readdirSync(p),
};

/**
 * An mlruns/ folder as a user's training script leaves it: MLflow's client logging to
 * file://…/mlruns (3.17.2's client, too, needs MLFLOW_ALLOW_FILE_STORE=true to write one).
 */
async function makeFileStore(folder: string): Promise<{ runId: string }> {
  const script = [
    'import mlflow',
    "mlflow.set_experiment('fs-exp')",
    "with mlflow.start_run(run_name='fs-run') as r:",
    "    mlflow.log_param('alpha', '0.5')",
    '    for step in range(5):',
    "        mlflow.log_metric('loss', 1.0 / (step + 1), step=step)",
    "    mlflow.set_tag('team', 'vision')",
    "    mlflow.log_text('hello from mlruns', 'notes/hello.txt')",
    'print(r.info.run_id)',
  ].join('\n');
  const { stdout } = await promisify(execFile)(python, ['-c', script], {
    cwd: folder,
    env: { ...process.env, MLFLOW_TRACKING_URI: `file://${join(folder, 'mlruns')}`, MLFLOW_ALLOW_FILE_STORE: 'true' },
  });
  return { runId: stdout.trim().split('\n').pop()!.trim() };
}

/** Every file under a folder with its bytes, to prove a step left it untouched. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(join(e.parentPath, e.name), readFileSync(join(e.parentPath, e.name), 'base64'));
  }
  return out;
}

/** The user's run as a client sees it through a server. */
async function readRun(
  uri: string,
  runId: string,
): Promise<{ experiments: string[]; params: [string, string][]; loss: number[]; team?: string; note: string }> {
  const client = new MlflowClient({ baseUrl: uri });
  try {
    const experiments = (await client.listExperiments()).map((e) => e.name);
    const run = await client.getRun(runId);
    const history = await client.getMetricHistory(runId, 'loss');
    const note = Buffer.from(await client.downloadArtifact(runId, 'notes/hello.txt')).toString('utf8');
    return {
      experiments,
      params: run.data.params.map((p) => [p.key, p.value]),
      loss: history.map((m) => m.value),
      team: run.data.tags.find((t) => t.key === 'team')?.value,
      note,
    };
  } finally {
    await client.close();
  }
}

describe('local server on an mlruns/ folder (MLflow 3.17.2)', () => {
  let root: string;
  let runId: string;
  let pristine: string;
  const started: LocalServerProcess[] = [];
  const start = async (store: LocalStore, allowFileStore = false) => {
    const s = await spawnLocalServer({ python, store, allowFileStore });
    started.push(s);
    return s;
  };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'mlflow-mlruns-'));
    pristine = join(root, 'pristine');
    mkdirSync(pristine);
    ({ runId } = await makeFileStore(pristine));
  });
  after(async () => {
    for (const s of started) stopProcess(s.process);
    await Promise.all(started.map((s) => s.exited));
    rmSync(root, { recursive: true, force: true });
  });
  const workspace = (name: string): string => {
    const dir = join(root, name);
    cpSync(pristine, dir, { recursive: true });
    return dir;
  };

  test('MLflow refuses the file store at startup: its reason comes back, not a timeout', async () => {
    const folder = workspace('refused');
    const store = await detectLocalStore(folder, probe);
    assert.equal(store?.kind, 'file');
    const server = await start(store!);
    const outcome = await waitUntilReady(server);
    assert.equal(outcome.kind, 'exited');
    assert.ok(
      outcome.kind === 'exited' && outcome.fileStoreRefused,
      `not recognised as the file-store refusal: ${JSON.stringify(outcome)}`,
    );
    assert.match(
      outcome.fileStoreRefused.reason,
      /^The filesystem tracking backend \(e\.g\., '\.\/mlruns'\) is in maintenance mode/,
    );
    assert.match(outcome.fileStoreRefused.reason, /mlflow migrate-filestore/);
    assert.match(outcome.fileStoreRefused.reason, /MLFLOW_ALLOW_FILE_STORE=true/);
    assert.ok(outcome.tail.length > 0 && outcome.tail.length <= 12, 'the last lines of its output');
  });

  test('serve as is: MLFLOW_ALLOW_FILE_STORE=true serves the runs and changes nothing on disk', async () => {
    const folder = workspace('as-is');
    const before = snapshot(join(folder, 'mlruns'));
    const store = (await detectLocalStore(folder, probe))!;
    const server = await start(store, true);
    assert.equal((await waitUntilReady(server)).kind, 'ready');
    const seen = await readRun(server.uri, runId);
    assertSeededRun(seen);
    assert.ok(!existsSync(join(folder, 'mlflow.db')));
    stopProcess(server.process);
    await server.exited;
    // Reading did not rewrite the store (an mlruns/ can be another tool's, or under git).
    const afterServe = snapshot(join(folder, 'mlruns'));
    for (const [file, bytes] of before) assert.equal(afterServe.get(file), bytes, `${file} changed`);
  });

  test('migrate: mlflow migrate-filestore fills mlflow.db losslessly, keeps mlruns/, and the store is served', async () => {
    const folder = workspace('migrated');
    const before = snapshot(join(folder, 'mlruns'));
    const result = await migrateFileStore({ python, folder });
    assert.equal(result.outcome, 'migrated', result.tail.join('\n'));
    assert.equal(result.target, `sqlite:///${join(folder, 'mlflow.db')}`);
    // mlruns/ is kept byte for byte: the runs' artifacts are still read from it.
    const afterMigration = snapshot(join(folder, 'mlruns'));
    for (const [file, bytes] of before) assert.equal(afterMigration.get(file), bytes, `${file} changed`);
    // The workspace now holds an mlflow.db store, which the extension prefers.
    const store = (await detectLocalStore(folder, probe))!;
    assert.equal(store.kind, 'sqlite');
    const server = await start(store);
    assert.equal((await waitUntilReady(server)).kind, 'ready');
    const seen = await readRun(server.uri, runId);
    assertSeededRun(seen);
    // Asked again, it never overwrites the database it made.
    const again = await migrateFileStore({ python, folder });
    assert.equal(again.outcome, 'failed');
    assert.match(again.tail.join('\n'), /already exists; nothing was migrated/);
  });

  test('cancelled migration: nothing is left behind, mlruns/ is unchanged and a following migration succeeds', async () => {
    const folder = workspace('cancelled');
    const before = snapshot(join(folder, 'mlruns'));
    const leftovers = () => readdirSync(folder).filter((f) => f.startsWith('mlflow.db'));
    // Cancel right after the process is spawned.
    const early = new AbortController();
    const first = migrateFileStore({ python, folder, signal: early.signal });
    early.abort();
    assert.equal((await first).outcome, 'cancelled');
    assert.deepEqual(leftovers(), []);
    // Cancel once MLflow has begun writing mlflow.db: the half-written database goes too.
    const midway = new AbortController();
    const watcher = watch(folder, (_event, name) => {
      if (name?.startsWith('mlflow.db')) midway.abort();
    });
    try {
      const second = await migrateFileStore({ python, folder, signal: midway.signal });
      assert.ok(midway.signal.aborted, 'mlflow.db appeared while migrating');
      assert.equal(second.outcome, 'cancelled', second.tail.join('\n'));
    } finally {
      watcher.close();
    }
    assert.deepEqual(leftovers(), []);
    const afterCancel = snapshot(join(folder, 'mlruns'));
    assert.deepEqual([...afterCancel.keys()].sort(), [...before.keys()].sort());
    for (const [file, bytes] of before) assert.equal(afterCancel.get(file), bytes, `${file} changed`);
    // Nothing blocks the next attempt.
    const third = await migrateFileStore({ python, folder });
    assert.equal(third.outcome, 'migrated', third.tail.join('\n'));
    assert.ok(existsSync(join(folder, 'mlflow.db')));
  });

  test('a server that dies at startup for another reason shows its last output lines', async () => {
    const folder = workspace('broken');
    // A database "inside" a plain file: MLflow can neither create the folder nor open the file.
    writeFileSync(join(folder, 'blocker'), '');
    const server = await start({
      folder,
      backendStoreUri: `sqlite:///${join(folder, 'blocker', 'mlflow.db')}`,
      kind: 'sqlite',
    });
    const outcome = await waitUntilReady(server);
    assert.equal(outcome.kind, 'exited', JSON.stringify(outcome));
    assert.ok(outcome.kind === 'exited' && !outcome.fileStoreRefused);
    assert.match(
      outcome.tail.at(-1) ?? '',
      /FileExistsError: \[Errno 17\] File exists: .*blocker/,
      'the line that says what is wrong',
    );
  });
});

/** What the mlruns/ fixture's run holds, as a server serves it back (serve as is, or migrated). */
function assertSeededRun(seen: Awaited<ReturnType<typeof readRun>>): void {
  assert.ok(seen.experiments.includes('fs-exp'));
  assert.deepEqual(seen.params, [['alpha', '0.5']]);
  assert.deepEqual(seen.loss, [1, 0.5, 1 / 3, 0.25, 0.2]);
  assert.equal(seen.team, 'vision');
  assert.equal(seen.note, 'hello from mlruns');
}
