// An artifact too large for an editor, as a user meets it: clicking it in the tree says how
// large it is and what the editor's cap is, and "Save As…" streams it to the chosen file (the
// packaged extension in a real code-server, against a real MLflow server).
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { ensureVsix, startCodeServer } from '../support/codeServer.ts';
import { sharedSeededServer } from '../support/mlflowServer.ts';
import { pollUntil } from '../support/waitUntil.ts';
import { e2eSession } from '../support/e2eSession.ts';
import { api } from '../support/restCall.ts';

const VIEW = 'Experiments';
const SERVER_NAME = 'e2e artifacts';
/** Past the 64 MiB an editor tab may download. */
const BIG = 65 * 1024 * 1024;

async function uploadArtifact(url: string, artifactUri: string, path: string, content: Buffer): Promise<void> {
  if (artifactUri.startsWith('mlflow-artifacts:')) {
    const rel = artifactUri.replace(/^mlflow-artifacts:(\/\/[^/]*)?\/?/, '');
    // Setup, not the subject: the PUT is idempotent, and once in CI the loaded server dropped the
    // 65 MiB upload midway (EPIPE), so a dropped connection is retried.
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(`${url}/api/2.0/mlflow-artifacts/artifacts/${rel}/${path}`, {
          method: 'PUT',
          body: new Uint8Array(content),
        });
        if (!res.ok) throw new Error(`artifact upload: HTTP ${res.status} ${await res.text()}`);
        break;
      } catch (e) {
        if (attempt >= 3 || !(e instanceof TypeError)) throw e;
      }
    }
    return;
  }
  const dir = artifactUri.startsWith('file:') ? fileURLToPath(artifactUri) : artifactUri;
  const file = `${dir}/${path}`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

describe('an artifact too large for an editor', () => {
  let experiment = '';

  const session = e2eSession('artifact save setup', {
    setup: async () => {
      const [server, vsix] = await Promise.all([
        sharedSeededServer('sqlite'),
        process.env['E2E_EXTENSION_MODE'] === 'symlink' ? undefined : ensureVsix(),
      ]);
      experiment = `e2e-artifact-save-${Date.now().toString(36)}`;
      const { experiment_id } = await api<{ experiment_id: string }>(server.url, 'experiments/create', {
        name: experiment,
      });
      const created = await api<{ run: { info: { run_id: string; artifact_uri: string } } }>(
        server.url,
        'runs/create',
        { experiment_id, run_name: 'big-output', start_time: Date.now() },
      );
      await uploadArtifact(server.url, created.run.info.artifact_uri, 'weights.bin', Buffer.alloc(BIG, 7));
      await api(server.url, 'runs/update', {
        run_id: created.run.info.run_id,
        status: 'FINISHED',
        end_time: Date.now(),
      });
      return startCodeServer({
        vsix,
        settings: { 'mlflow.servers': [{ name: SERVER_NAME, uri: server.url }] },
      });
    },
  });
  const workbench = session.w;

  test('clicking it names its size and the cap, and Save As writes exactly the chosen file', async () => {
    const w = workbench();
    await w.showView(VIEW);
    await w.collapseView('Registered Models');
    await w.expandPath(VIEW, [SERVER_NAME, experiment, 'big-output', 'Artifacts']);
    await (await w.rowAt(VIEW, [SERVER_NAME, experiment, 'big-output', 'Artifacts', 'weights.bin'])).click();
    const toast = await w.waitForToast(/weights\.bin is 65 MiB, more than the 64 MiB that can be opened in an editor/);
    await w.snapshot('artifact-save-1-offer');
    assert.match(await w.toastMessage(toast), /more than the 64 MiB/);

    const target = join(session.cs().workspace, 'saved', 'weights.bin');
    mkdirSync(dirname(target), { recursive: true });
    await w.clickToastButton(/weights\.bin is 65 MiB/, 'Save As…');
    // code-server's save dialog is a quick input holding a path: replace it with the target.
    await w.waitForQuickInput();
    // The dialog fills in its default (the workspace folder + the name) after it shows; typing
    // before that is overwritten, so wait for it, then replace it.
    await w.page.waitForFunction(
      () =>
        (
          document.querySelector('.quick-input-widget .quick-input-box input') as HTMLInputElement | null
        )?.value.endsWith('weights.bin') ?? false,
    );
    await w.quickInputBox.fill(target);
    assert.equal(await w.quickInputBox.inputValue(), target);
    // The dialog lists the typed folder after each change and drops an Enter that arrives while it
    // is still doing so; the path stays in the box, so a user presses Enter again. So does this.
    const widgetHidden = () =>
      w.page.evaluate(
        () => (document.querySelector('.quick-input-widget') as HTMLElement | null)?.style.display === 'none',
      );
    const accepted = await pollUntil(
      async () => {
        if (await widgetHidden()) return true;
        await w.quickInputBox.press('Enter');
        return pollUntil(widgetHidden, { timeoutMs: 5_000 });
      },
      { timeoutMs: 30_000 },
    );
    assert.ok(accepted, `the save dialog did not accept ${target}`);
    await w.waitForToast(/Saved weights\.bin to .*saved\/weights\.bin/, { timeout: 120_000 });
    await w.snapshot('artifact-save-2-saved');
    assert.equal(statSync(target).size, BIG);
    assert.deepEqual(readdirSync(dirname(target)), ['weights.bin'], 'nothing else is written');
  });
});
