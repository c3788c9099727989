// The Registered Models view as a user meets it: the packaged extension in a real code-server,
// driven by Chromium, against a real MLflow server. A model of its own (two versions, @champion on
// version 1) is expanded, the alias is seen on its version, then moved from the context menu.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ensureVsix, startCodeServer } from '../support/codeServer.ts';
import { sharedSeededServer } from '../support/mlflowServer.ts';
import type { SeedInfo } from '../support/seed.ts';
import { uiText as displayText } from '../../webviews/protocol/displayText.ts';
import { e2eSession } from '../support/e2eSession.ts';
import { api } from '../support/restCall.ts';
import { waitUntil } from '../support/waitUntil.ts';

const VIEW = 'Registered Models';

/** A model with a unique name (a space and é in it) and two versions from one run; @champion → 1. */
async function seedModel(url: string): Promise<string> {
  const stamp = Date.now().toString(36);
  const { experiment_id } = await api<{ experiment_id: string }>(url, 'experiments/create', {
    name: `e2e-models-${stamp}`,
  });
  const created = await api<{ run: { info: { run_id: string } } }>(url, 'runs/create', {
    experiment_id,
    run_name: 'trainer',
    tags: [{ key: 'mlflow.user', value: 'e2e' }],
  });
  const runId = created.run.info.run_id;
  // Sorted first among the shared server's models (name ASC), so it is on the first page.
  const name = `a-e2e model é ${stamp}`;
  await api(url, 'registered-models/create', { name });
  for (let i = 0; i < 2; i++)
    await api(url, 'model-versions/create', { name, source: `runs:/${runId}/model`, run_id: runId });
  await api(url, 'registered-models/alias', { name, alias: 'champion', version: '1' });
  return name;
}

describe('registered models', () => {
  let model: string | undefined;
  let url: string | undefined;
  let seed: SeedInfo | undefined;
  /** Registered by the second test. */
  const registered = `e2e registered ${Date.now().toString(36)}`;

  const session = e2eSession('models setup', {
    extraLogs: () => [process.env['MLFLOW_TEST_SQLITE_LOG']],
    setup: async () => {
      const [server, vsix] = await Promise.all([sharedSeededServer('sqlite'), ensureVsix()]);
      url = server.url;
      seed = server.seed;
      model = await seedModel(server.url);
      return startCodeServer({
        vsix,
        settings: { 'mlflow.servers': [{ name: 'e2e models', uri: server.url }], 'mlflow.refreshIntervalSeconds': 0 },
      });
    },
    teardown: async () => {
      // It sorts first in every models listing; other files must not meet it.
      for (const name of [model, registered])
        if (url && name)
          await fetch(`${url}/api/2.0/mlflow/registered-models/delete`, {
            method: 'DELETE',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ name }),
          });
    },
  });
  const w = session.w;

  test('a version shows its alias, and Set Alias… moves it after a confirmation naming the version it leaves', async () => {
    const name = model!;
    await w().showView(VIEW);
    await w().collapseView('Experiments');
    await w().expandPath(VIEW, [name]);
    const v1 = await w().rowAt(VIEW, [name, 'Version 1']);
    const v2 = await w().rowAt(VIEW, [name, 'Version 2']);
    await waitUntil('version 1 to show @champion', async () => /^@champion · /.test(await w().rowDescription(v1)), {
      lastSeen: () => w().rowDescription(v1),
    });
    assert.doesNotMatch(await w().rowDescription(v2), /@/);
    assert.match(await w().rowDescription(v1), / · run [0-9a-f]{8}$/, 'the source run follows');
    const labels = await w().childLabels(VIEW, [name]);
    assert.deepEqual(labels, ['Version 2', 'Version 1'], 'newest first');

    await w().contextMenu(v2, 'Set Alias…');
    await w().waitForQuickInput(/Set an alias on version 2/);
    await w().typeInQuickInput('latest');
    // The input box refuses what MLflow would, as the user types.
    await waitUntil('the input box to refuse "latest"', async () => /reserved/.test(await w().quickInputMessage()), {
      lastSeen: () => w().quickInputMessage(),
    });
    await w().typeInQuickInput('champion', { accept: true });
    const dialog = w().page.locator('.monaco-dialog-box');
    await dialog.filter({ hasText: 'Move @champion from version 1 to version 2' }).waitFor();
    await w().snapshot('models-1-move-alias-confirmation');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Move Alias$/ }).click();

    await waitUntil(
      'the alias to move to version 2',
      async () =>
        /^@champion · /.test(await w().rowDescription(await w().rowAt(VIEW, [name, 'Version 2']))) &&
        !/@champion/.test(await w().rowDescription(await w().rowAt(VIEW, [name, 'Version 1']))),
      { lastSeen: async () => (await w().rowInfos(VIEW)).map((r) => `${r.label} ${r.description}`).join(' | ') },
    );
    await w().settle();
    await w().snapshot('models-2-alias-moved');
  });

  test('Register Model… on a run offers its MLmodel folder, takes a new name and the version appears', async () => {
    const main = seed!.experiments.main.name;
    const run = seed!.runs.artifacts;
    await w().collapseView(VIEW);
    await w().showView('Experiments');
    await w().expandPath('Experiments', ['e2e models', displayText(main)]);
    const runRow = await w().rowAt('Experiments', ['e2e models', displayText(main), displayText(run.name)]);
    await w().contextMenu(runRow, 'Register Model…');
    await w().waitForQuickInput(/Register which model of this run/);
    await w().pickQuickItem(seed!.artifacts.modelDir);
    await w().waitForQuickInput(/Register as a version of/);
    await w().typeInQuickInput(registered);
    await w()
      .quickPickItems()
      .filter({ hasText: `New model: ${registered}` })
      .waitFor();
    await w().acceptQuickInput();
    await w().waitForToast(`Registered ${seed!.artifacts.modelDir} as version 1 of ${registered}.`);
    await w().snapshot('models-3-registered');

    await w().collapseView('Experiments');
    await w().showView(VIEW);
    // The list reloaded when the new model was made: it is there without a refresh.
    await w().expandPath(VIEW, [registered]);
    const version = await w().rowAt(VIEW, [registered, 'Version 1']);
    assert.match(await w().rowDescription(version), new RegExp(`run ${run.id.slice(0, 8)}$`));
  });
});
