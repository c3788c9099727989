// Restricted Mode as a user meets it: the packaged extension in a real code-server WITH workspace
// trust, on a workspace never trusted before that holds an mlflow.db (made by the real MLflow
// client) and an MLproject. The user answers VS Code's trust prompt "No"; browsing a configured
// tracking server still works, while "Start Local MLflow Server" and the MLproject's "▶ Run" say
// why they are refused and start nothing (no `mlflow server` process, no run, no terminal).
// Every other e2e file runs with trust disabled, so this file is the one that sees the gate work.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import { MlflowClient } from '../../extension/src/mlflow/client.ts';
import { ensureVsix, startCodeServer } from '../support/codeServer.ts';
import { sharedSeededServer, venvPython } from '../support/mlflowServer.ts';
import type { SeededServer } from '../support/mlflowServer.ts';
import { e2eSession } from '../support/e2eSession.ts';

const VIEW = 'Experiments';
const SERVER_NAME = 'e2e restricted';
const LOCAL_EXPERIMENT = 'restricted-local';

/**
 * An untrusted workspace: an mlflow.db with one experiment, written by MLflow itself (so the
 * extension sees a real local store it would offer to serve), and a project whose entry point
 * would leave a file behind if it ever ran.
 */
async function makeWorkspace(): Promise<string> {
  const ws = mkdtempSync(join(tmpdir(), 'mlflow-e2e-restricted-'));
  const script = 'import sys, mlflow\nmlflow.set_tracking_uri(sys.argv[1])\nmlflow.create_experiment(sys.argv[2])\n';
  await promisify(execFile)(venvPython(), ['-c', script, `sqlite:///${join(ws, 'mlflow.db')}`, LOCAL_EXPERIMENT], {
    cwd: ws,
    timeout: 180_000,
  });
  mkdirSync(join(ws, 'project'));
  writeFileSync(
    join(ws, 'project/MLproject'),
    [
      'name: restricted',
      '',
      'entry_points:',
      '  main:',
      '    parameters:',
      '      alpha: {type: float, default: 0.5}',
      '    command: "python touch_it.py {alpha}"',
      '',
    ].join('\n'),
  );
  writeFileSync(join(ws, 'project/touch_it.py'), "open('ran.txt', 'w').write('the project ran')\n");
  return ws;
}

/** Command lines of live processes that mention `needle` (Linux /proc; our own process excluded). */
function processesMentioning(needle: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue; // exited meanwhile
    }
    if (cmd.includes(needle)) out.push(`${pid}: ${cmd}`);
  }
  return out;
}

describe('Restricted Mode: an untrusted workspace', () => {
  let mlflow: SeededServer | undefined;
  let client: MlflowClient | undefined;
  let ws = '';
  const experimentName = `e2e-restricted-${Date.now().toString(36)}`;
  /**
   * `python -m mlflow server|run …` processes naming this workspace (the local server gets
   * `sqlite:///<ws>/mlflow.db`, a run its project folder): there must be none. The word `mlflow`
   * on its own, so the temp folders' names (mlflow-e2e-…, mlflow.db) do not count.
   */
  const mlflowProcesses = (): string[] => processesMentioning(ws).filter((c) => /(^|[\s/])mlflow(\s|$)/.test(c));

  const session = e2eSession('restricted mode setup', {
    extraLogs: () => [process.env['MLFLOW_TEST_SQLITE_LOG']],
    setup: async () => {
      const [server, vsix, folder] = await Promise.all([sharedSeededServer('sqlite'), ensureVsix(), makeWorkspace()]);
      mlflow = server;
      ws = folder;
      client = new MlflowClient({ baseUrl: server.url });
      return startCodeServer({
        vsix,
        workspace: ws,
        workspaceTrust: true,
        name: 'mlflow-e2e-restricted',
        settings: {
          'mlflow.servers': [{ name: SERVER_NAME, uri: server.url }],
          'mlflow.selectedServer': server.url,
          // A Python that has MLflow: were the gate open, the server and the run would really start.
          'mlflow.pythonPath': venvPython(),
          'mlflow.projects.experimentName': experimentName,
          // With the default ('once') code-server 4.139.1 opened this never-trusted folder in
          // Restricted Mode without asking (its banner only; seen in screenshots). 'always' makes
          // it ask at startup, as VS Code does for a new folder, so the user can answer "No".
          'security.workspace.trust.startupPrompt': 'always',
        },
      });
    },
    teardown: async (allPassed) => {
      await client?.close();
      if (allPassed && ws) rmSync(ws, { recursive: true, force: true });
    },
  });
  const w = session.w;

  test('VS Code asks whether to trust the folder; "No, I don\'t trust the authors" opens it in Restricted Mode', async () => {
    const page = w().page;
    const prompt = page
      .locator('.monaco-dialog-box')
      .filter({ hasText: 'Do you trust the authors of the files in this folder?' });
    await prompt.waitFor({ timeout: 60_000 });
    await w().snapshot('restricted-0-trust-prompt');
    await prompt.locator('.monaco-button', { hasText: /No, I don.t trust the authors/ }).click();
    await prompt.waitFor({ state: 'detached' });
    // What tells the user the window is restricted: the banner and the status bar item.
    await page.locator('.part.banner', { hasText: 'Restricted Mode is intended for safe code browsing' }).waitFor();
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    await w().snapshot('restricted-1-restricted-mode');
  });

  test('the Experiments view still browses the configured tracking server', async () => {
    const seed = mlflow!.seed;
    await w().showView(VIEW);
    await w().collapseView('Registered Models');
    // Connected after a real round trip (GET version); expanding before that races the refresh
    // the check triggers, which re-renders the rows.
    const server = await w().waitForRow(VIEW, SERVER_NAME, { timeout: 60_000 });
    // A locator, not an element handle: the list re-renders the row when the check lands, and a
    // handle would keep reading the detached old one.
    await server.filter({ hasText: /· MLflow \d+\.\d+/ }).waitFor({ timeout: 60_000 });
    await w().expandPath(VIEW, [SERVER_NAME, seed.experiments.main.name]);
    await w().rowAt(VIEW, [SERVER_NAME, seed.experiments.main.name, seed.runs.best.name], { timeout: 60_000 });
    await w().snapshot('restricted-2-browsing');
  });

  test('"MLflow: Start Local MLflow Server" says why it is refused, offers Manage Workspace Trust, and starts no server', async () => {
    await w().runCommand('MLflow: Start Local MLflow Server');
    const toast = await w().waitForToast(/Starting a local MLflow server is disabled in Restricted Mode/, {
      timeout: 30_000,
    });
    assert.match(
      await w().toastMessage(toast),
      /it runs programs from this workspace .*Trust the workspace to allow it/,
    );
    await w().snapshot('restricted-3-start-local-refused');
    assert.deepEqual(mlflowProcesses(), [], 'no mlflow server was started for the workspace');
    assert.doesNotMatch(session.cs().readExtensionLog(), /Starting local MLflow/);

    // The button takes the user to where trust is granted.
    await w().clickToastButton(/Starting a local MLflow server is disabled/, 'Manage Workspace Trust');
    // The Workspace Trust editor opens as a modal editor over the workbench.
    const modal = w().page.locator('.monaco-modal-editor-block');
    await modal.filter({ hasText: 'You are in Restricted Mode' }).waitFor({ timeout: 30_000 });
    await w().snapshot('restricted-4-manage-trust');
    // The user only looks, and closes it with a click beside it: still untrusted.
    await modal.click({ position: { x: 5, y: 5 } });
    await modal.waitFor({ state: 'detached' });
    await w().page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    assert.deepEqual(mlflowProcesses(), []);
  });

  test('"▶ Run" on an MLproject entry point says why it is refused and starts no run and no terminal', async () => {
    const page = w().page;
    await w().openFile('project/MLproject');
    await w().codeLens('▶ Run').first().waitFor({ timeout: 60_000 });
    await w().clickCodeLens('▶ Run');
    const toast = await w().waitForToast(/Running an MLproject .* is disabled in Restricted Mode/, { timeout: 30_000 });
    assert.match(await w().toastMessage(toast), /it runs programs from this workspace/);
    assert.equal(await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).count(), 1);
    await w().snapshot('restricted-5-run-refused');

    assert.equal(
      await page.locator('.terminal-tabs-entry, .single-terminal-tab, .terminal-wrapper').count(),
      0,
      'no terminal was opened',
    );
    assert.doesNotMatch(session.cs().readExtensionLog(), /Launching:/);
    assert.deepEqual(mlflowProcesses(), [], 'no mlflow run was started');
    await assert.rejects(client!.getExperimentByName(experimentName), 'the run created nothing on the tracking server');
  });
});
