// Settings changes as a user makes them, in the packaged extension in a real code-server against
// a real MLflow server: after mlflow.requestTimeoutSeconds changes (which replaces the server's
// client), the experiments already in the tree still expand and a metric chart still opens;
// before, every row made earlier held the closed client ("The client is closed") until a reload.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ensureVsix, startCodeServer } from '../support/codeServer.ts';
import { sharedSeededServer } from '../support/mlflowServer.ts';
import type { SeededServer } from '../support/mlflowServer.ts';
import { e2eSession } from '../support/e2eSession.ts';
import { api } from '../support/restCall.ts';
import { waitUntil } from '../support/waitUntil.ts';

const VIEW = 'Experiments';
const SERVER_NAME = 'settings e2e';

/** Two experiments of this file's own, one finished run each with a 50-step `loss` history. */
async function seed(url: string): Promise<{ first: string; second: string; runA: string; runB: string }> {
  const stamp = Date.now().toString(36);
  const make = async (experiment: string, runName: string, start: number): Promise<void> => {
    const { experiment_id } = await api<{ experiment_id: string }>(url, 'experiments/create', { name: experiment });
    const created = await api<{ run: { info: { run_id: string } } }>(url, 'runs/create', {
      experiment_id,
      run_name: runName,
      start_time: start,
    });
    const runId = created.run.info.run_id;
    const metrics = Array.from({ length: 50 }, (_, step) => ({
      key: 'loss',
      value: 1 / (1 + step),
      timestamp: start + step * 1000,
      step,
    }));
    await api(url, 'runs/log-batch', { run_id: runId, metrics });
    await api(url, 'runs/update', { run_id: runId, status: 'FINISHED', end_time: start + 60_000 });
  };
  const t0 = Date.now() - 600_000;
  const first = `e2e-settings-${stamp}-a`;
  const second = `e2e-settings-${stamp}-b`;
  await make(first, 'settings-run-a', t0);
  await make(second, 'settings-run-b', t0 + 1000);
  return { first, second, runA: 'settings-run-a', runB: 'settings-run-b' };
}

describe('settings changes', () => {
  let mlflow: SeededServer | undefined;
  let seeded: Awaited<ReturnType<typeof seed>> | undefined;
  const s = (): NonNullable<typeof seeded> => {
    if (!seeded) throw new Error('not seeded');
    return seeded;
  };
  // A second entry without a URL: the extension warns about it each time it reads mlflow.servers,
  // so the log shows when a settings change has been read (the same in every version).
  const settings = (timeout: number) => ({
    'mlflow.servers': [{ name: SERVER_NAME, uri: mlflow!.url }, { name: 'no url' }],
    'mlflow.refreshIntervalSeconds': 0,
    'mlflow.requestTimeoutSeconds': timeout,
  });

  const session = e2eSession('settings setup', {
    extraLogs: () => [process.env['MLFLOW_TEST_SQLITE_LOG']],
    setup: async () => {
      const [server, vsix] = await Promise.all([sharedSeededServer('sqlite'), ensureVsix()]);
      mlflow = server;
      seeded = await seed(server.url);
      return startCodeServer({ vsix, settings: settings(30) });
    },
  });
  const w = session.w;

  test('after mlflow.requestTimeoutSeconds changes, rows made before still expand and chart', async () => {
    const { first, second, runA, runB } = s();
    await w().showView(VIEW);
    await w().collapseView('Registered Models');
    // Both experiment rows exist and the first is listed, all before the change.
    await w().expandPath(VIEW, [SERVER_NAME, first]);
    await w().rowAt(VIEW, [SERVER_NAME, first, runA]);
    await w().rowAt(VIEW, [SERVER_NAME, second]);

    // The user changes the setting in the Settings editor.
    const reads = () =>
      (
        session
          .cs()
          .readExtensionLog()
          .match(/mlflow\.servers\[1\] has no "uri"/g) ?? []
      ).length;
    const before = reads();
    assert.ok(before > 0, 'the settings were read at start');
    await w().runCommand('Preferences: Open User Settings');
    await w().page.keyboard.type('mlflow.requestTimeoutSeconds');
    const item = w().page.locator('.settings-editor .setting-item-number', { hasText: 'Request Timeout Seconds' });
    const input = item.locator('input');
    await input.waitFor();
    // The list re-renders while the search settles; type as a user does, then check it stuck.
    await input.click();
    await w().page.keyboard.press('ControlOrMeta+A');
    await w().page.keyboard.type('45');
    await w().page.keyboard.press('Enter');
    await waitUntil('the extension to read the settings change', () => reads() > before, { timeoutMs: 30_000 });
    await w().snapshot('settings-0-timeout-changed');
    // The Settings editor is modal here; a click beside it closes it.
    await w()
      .page.locator('.monaco-modal-editor-block')
      .click({ position: { x: 5, y: 5 } });
    await w().page.locator('.monaco-modal-editor-block').waitFor({ state: 'detached' });

    // A chart from a run listed before the change (its panel asks the server's client afresh).
    await w().expandPath(VIEW, [SERVER_NAME, first, runA, 'Metrics']);
    await (await w().rowAt(VIEW, [SERVER_NAME, first, runA, 'Metrics', 'loss'])).click();
    const frameA = w().webview(`loss: ${runA}`);
    await frameA
      .locator('.card[data-metric="loss"][data-state="ready"]:not([data-painted="0"])')
      .waitFor({ timeout: 30_000 });

    // The other experiment's row was made before the change, and is expanded only now.
    await w().collapseRow(await w().rowAt(VIEW, [SERVER_NAME, first]));
    await w().expandPath(VIEW, [SERVER_NAME, second]);
    const labels = await w().childLabels(VIEW, [SERVER_NAME, second]);
    assert.deepEqual(labels, [runB], `the runs, not an error: ${JSON.stringify(labels)}`);
    await w().expandPath(VIEW, [SERVER_NAME, second, runB, 'Metrics']);
    await (await w().rowAt(VIEW, [SERVER_NAME, second, runB, 'Metrics', 'loss'])).click();
    const frameB = w().webview(`loss: ${runB}`);
    const card = frameB.locator('.card[data-metric="loss"][data-state="ready"]:not([data-painted="0"])');
    await card.waitFor({ timeout: 30_000 });
    const series = JSON.parse((await card.getAttribute('data-series')) ?? '[]') as { held: number }[];
    assert.equal(series[0]?.held, 50, 'the whole history reached the chart');
    assert.doesNotMatch(session.cs().readExtensionLog(), /client is (closed|destroyed)/i);
    await w().snapshot('settings-1-after-timeout-change');
  });
});
