// MLproject files as a user meets them: the packaged extension in a real code-server, driven by
// Chromium, with the real language server and a real `mlflow run` against a real MLflow server.
// Opens a project, sees MLflow's errors in the Problems panel, accepts a completion, then runs an
// entry point from its code lens with a parameter full of shell metacharacters and checks the run
// on the server: created at once, shown in the tree, the value delivered byte for byte.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MlflowClient } from '../../extension/src/mlflow/client.ts';
import type { Run } from '../../extension/src/mlflow/types.ts';
import { shlexQuote } from '../../language-server/src/python/shellQuote.ts';
import { ensureVsix, REPO_ROOT, startCodeServer } from '../support/codeServer.ts';
import { sharedSeededServer, venvPython } from '../support/mlflowServer.ts';
import type { SeededServer } from '../support/mlflowServer.ts';
import { e2eSession } from '../support/e2eSession.ts';
import { waitUntil } from '../support/waitUntil.ts';

const SERVER_NAME = 'e2e projects';
const NASTY = `it's $(touch pwned); rm -rf nothing && echo "quoted" > clobbered \`id\``;

/** A workspace with the example project, a project that logs its argument, and a broken one. */
function makeWorkspace(): string {
  const ws = mkdtempSync(join(tmpdir(), 'mlflow-e2e-projects-'));
  cpSync(join(REPO_ROOT, 'examples/wine-quality'), join(ws, 'wine-quality'), { recursive: true });
  mkdirSync(join(ws, 'echo-args'));
  writeFileSync(
    join(ws, 'echo-args/MLproject'),
    [
      'name: echo-args',
      '',
      'entry_points:',
      '  main:',
      '    parameters:',
      '      msg: {type: string, default: hello}',
      '      alpha: {type: float, default: 0.5}',
      '    command: "python log_msg.py {msg} "',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(ws, 'echo-args/log_msg.py'),
    [
      'import sys',
      'import mlflow',
      '',
      '# `mlflow run` passes the run to attach to in MLFLOW_RUN_ID.',
      'with mlflow.start_run():',
      '    mlflow.log_text(sys.argv[1], "msg.txt")',
      '    mlflow.log_metric("argc", len(sys.argv))',
      '',
    ].join('\n'),
  );
  // A command that quotes its placeholder: MLflow's own quoting makes `$(…)` in a value run.
  mkdirSync(join(ws, 'quoted-args'));
  writeFileSync(
    join(ws, 'quoted-args/MLproject'),
    [
      'name: quoted-args',
      '',
      'entry_points:',
      '  main:',
      '    parameters:',
      '      msg: {type: string, default: hello}',
      '    command: python log_msg.py "{msg}"',
      '',
    ].join('\n'),
  );
  cpSync(join(ws, 'echo-args/log_msg.py'), join(ws, 'quoted-args/log_msg.py'));
  // Edited by the completion test (code-server saves edits after a delay), so not echo-args.
  cpSync(join(ws, 'echo-args'), join(ws, 'scratch'), { recursive: true });
  mkdirSync(join(ws, 'broken'));
  writeFileSync(
    join(ws, 'broken/MLproject'),
    [
      'name: broken',
      'python_env: python_env.yaml',
      'conda_env: conda.yaml',
      'entry_points:',
      '  main:',
      '    command: "python train.py --lr {learning_rate}"',
      '',
    ].join('\n'),
  );
  writeFileSync(join(ws, 'broken/python_env.yaml'), 'python: "3.11"\ndependencies: []\n');
  writeFileSync(join(ws, 'broken/conda.yaml'), 'dependencies: [python=3.11]\n');
  return ws;
}

describe('MLproject language and Run entry point', () => {
  let mlflow: SeededServer | undefined;
  let ws = '';
  let client: MlflowClient | undefined;
  const experimentName = `e2e-projects-${Date.now().toString(36)}`;

  const session = e2eSession('mlproject setup', {
    extraLogs: () => [process.env['MLFLOW_TEST_SQLITE_LOG']],
    setup: async () => {
      const symlink = process.env['E2E_EXTENSION_MODE'] === 'symlink';
      const [server, vsix] = await Promise.all([sharedSeededServer('sqlite'), symlink ? undefined : ensureVsix()]);
      mlflow = server;
      client = new MlflowClient({ baseUrl: server.url });
      ws = makeWorkspace();
      return startCodeServer({
        vsix,
        workspace: ws,
        settings: {
          'mlflow.servers': [{ name: SERVER_NAME, uri: server.url }],
          'mlflow.selectedServer': server.url,
          'mlflow.pythonPath': venvPython(),
          'mlflow.projects.experimentName': experimentName,
        },
      });
    },
    teardown: async (allPassed) => {
      await client?.close();
      if (allPassed && ws) rmSync(ws, { recursive: true, force: true });
    },
  });
  const w = session.w;

  test("an MLproject opens as its own language and MLflow's errors reach the Problems panel", async () => {
    await w().openFile('broken/MLproject');
    await w().languageMode().filter({ hasText: 'MLproject' }).waitFor();
    await w().openProblems();
    await w()
      .problems(/multiple environment fields/)
      .first()
      .waitFor({ timeout: 60_000 });
    await w()
      .problems(/learning_rate/)
      .first()
      .waitFor();
    await w().snapshot('mlproject-1-problems');
  });

  test('completion offers declared parameters inside a command', async () => {
    const page = w().page;
    await w().openFile('scratch/MLproject');
    await w().waitForEditorText('python log_msg.py {msg}');
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    // End of the command line: just before its closing quote.
    await page.keyboard.press('Control+End');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type('--alpha {al');
    await page.keyboard.press('Control+Space');
    const suggestion = page.locator('.suggest-widget.visible .monaco-list-row', { hasText: 'alpha' }).first();
    await suggestion.waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await w().waitForEditorText(/log_msg\.py \{msg\} --alpha \{alpha\}?/);
    await w().snapshot('mlproject-2-completion');
  });

  test('the "Run with parameters…" lens starts mlflow run; the run shows at once and ends FINISHED', async () => {
    const page = w().page;
    await w().openFile('echo-args/MLproject');
    await w().codeLens('Run with parameters').first().waitFor({ timeout: 60_000 });
    await w().clickCodeLens('Run with parameters');

    await w().waitForQuickInput(/msg \(string, default hello\)/);
    await w().typeInQuickInput(NASTY, { accept: true });
    await w().waitForQuickInput(/alpha \(float, default 0\.5\)/);
    await w().typeInQuickInput('not a number');
    await page.waitForFunction(() =>
      /not a number/.test(document.querySelector('.quick-input-message')?.textContent ?? ''),
    );
    await w().typeInQuickInput('0.25', { accept: true });

    // The run exists on the server before the process has done anything.
    assert.ok(client && mlflow);
    const api = client;
    const run: Run = await waitUntil(
      `a run in experiment ${experimentName}`,
      async () => {
        const exp = await api.getExperimentByName(experimentName).catch(() => undefined);
        return exp && (await api.searchRuns({ experimentIds: [exp.experiment_id], maxResults: 5 })).items[0];
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    assert.equal(
      run.data.params.find((p) => p.key === 'msg')?.value,
      shlexQuote(NASTY),
      'params are logged as MLflow logs them',
    );
    assert.equal(run.data.params.find((p) => p.key === 'alpha')?.value, '0.25');

    // Revealed and selected in the run browser.
    const row = await w().waitForRow('Experiments', run.info.run_name, { timeout: 60_000 });
    await w().waitUntil(row, (el) => el.getAttribute('aria-selected') === 'true');

    // It ends FINISHED, and the script got the value as one argument, byte for byte.
    await waitUntil(
      `run ${run.info.run_id} to finish`,
      async () => {
        const fresh = await api.getRun(run.info.run_id);
        assert.notEqual(
          fresh.info.status,
          'FAILED',
          `the run failed; extension log:\n${session.cs().readExtensionLog() ?? ''}`,
        );
        return fresh.info.status === 'FINISHED';
      },
      { timeoutMs: 240_000, intervalMs: 500 },
    );
    const logged = Buffer.from(await client.downloadArtifact(run.info.run_id, 'msg.txt')).toString('utf8');
    assert.equal(logged, NASTY);
    const argc = (await client.getRun(run.info.run_id)).data.metrics.find((m) => m.key === 'argc');
    assert.equal(argc?.value, 2, 'the script saw exactly one argument');
    assert.ok(
      !existsSync(join(ws, 'echo-args/pwned')) && !existsSync(join(ws, 'echo-args/clobbered')),
      'nothing in the value ran',
    );
    await w().waitUntil(
      row,
      (el) => /(?:^|· )FINISHED(?: ·|$)/.test(el.querySelector('.label-description')?.textContent ?? ''),
      {
        timeout: 60_000,
      },
    );

    const log = session.cs().readExtensionLog() ?? '';
    assert.match(
      log,
      new RegExp(
        `Launching: \\S+ -m mlflow run \\S*echo-args -e main -P .* --experiment-name ${experimentName} --run-id ${run.info.run_id} --env-manager local`,
      ),
    );
    await w().snapshot('mlproject-3-run-finished');
  });

  test('a value the shell would expand in a quoted placeholder is asked about first: Cancel launches nothing, Run Anyway runs it', async () => {
    const page = w().page;
    assert.ok(client);
    const exp = await client.getExperimentByName(experimentName);
    const runCount = async (): Promise<number> =>
      (await client!.searchRuns({ experimentIds: [exp.experiment_id], maxResults: 100 })).items.length;
    const before = await runCount();
    const dialog = page.locator('.monaco-dialog-box');
    const start = async (): Promise<void> => {
      await w().openFile('quoted-args/MLproject');
      await w().codeLens('Run with parameters').first().waitFor({ timeout: 60_000 });
      await w().clickCodeLens('Run with parameters');
      await w().waitForQuickInput(/msg \(string, default hello\)/);
      await w().typeInQuickInput('$(touch pwned)', { accept: true });
      await dialog.filter({ hasText: 'would not reach the program as typed' }).waitFor({ timeout: 60_000 });
      assert.match((await dialog.textContent()) ?? '', /`\{msg\}` is inside double quotes in the command/);
    };

    await start();
    await w().snapshot('mlproject-4-quoting-warning');
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Run Anyway: the second attempt creates the only new run, so the cancelled one created none.
    await start();
    await dialog.locator('.monaco-button', { hasText: 'Run Anyway' }).click();
    const run = await waitUntil(
      'the confirmed run of quoted-args to end',
      async () => {
        const runs = (await client!.searchRuns({ experimentIds: [exp.experiment_id], maxResults: 100 })).items;
        const found = runs.find((r) =>
          r.data.tags.some((t) => t.key === 'mlflow.source.name' && t.value.endsWith('quoted-args')),
        );
        return (found?.info.status === 'FINISHED' || found?.info.status === 'FAILED') && found;
      },
      { timeoutMs: 240_000, intervalMs: 500 },
    );
    assert.equal(await runCount(), before + 1);
    // What the warning said: the shell ran $(touch pwned) and the script got MLflow's quotes.
    assert.ok(existsSync(join(ws, 'quoted-args/pwned')), 'the shell expanded the value');
    assert.equal(Buffer.from(await client.downloadArtifact(run.info.run_id, 'msg.txt')).toString('utf8'), "''");
  });

  test('Restart MLproject Language Server, twice: the lazily loaded client starts again on its one output channel, and the Problems come back', async () => {
    const starts = (): number =>
      (session.cs().readExtensionLog() ?? '').match(/MLproject language server started/g)?.length ?? 0;
    const before = starts();
    assert.ok(before >= 1, 'the language server started when the first MLproject opened');
    for (let i = 1; i <= 2; i++) {
      await w().runCommand('MLflow: Restart MLproject Language Server');
      await waitUntil(`restart ${i}: the language server to start again`, () => starts() >= before + i, {
        timeoutMs: 60_000,
      });
    }
    // VS Code 1.139 would hand back the same log channel for a repeated name anyway; the unit test
    // (test/unit/extension/languageClient.test.ts) counts what the extension asks for.
    const dir = session.cs().extensionLogDir();
    assert.ok(dir);
    assert.deepEqual(
      readdirSync(dir).filter((f) => /Language Server/.test(f)),
      ['MLproject Language Server.log'],
    );
    await w().openFile('broken/MLproject');
    await w().openProblems();
    await w()
      .problems(/multiple environment fields/)
      .first()
      .waitFor({ timeout: 60_000 });
  });
});
