// The run browser as a user meets it: the packaged extension in a real code-server, driven by
// Chromium, against a real MLflow server. Starts with no server configured, adds one from the
// palette, walks server → experiment → run → Parameters, filters runs (a good and a bad filter),
// opens an artifact and renames a run. The tests run in order and share one workbench.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { ensureVsix, startCodeServer } from '../support/codeServer.ts';
import { sharedSeededServer } from '../support/mlflowServer.ts';
import type { SeededServer } from '../support/mlflowServer.ts';
import type { Workbench } from '../support/workbench.ts';
import { e2eSession } from '../support/e2eSession.ts';
import { uiText as displayText } from '../../webviews/protocol/displayText.ts';
import { api } from '../support/restCall.ts';
import { waitUntil } from '../support/waitUntil.ts';

const VIEW = 'Experiments';
const SERVER_NAME = 'e2e tracking';

interface SeededRun {
  name: string;
  id: string;
  alpha: string;
  rmse: number;
}

/**
 * An experiment with three finished runs (alpha/l1_ratio params, an rmse history, a config.yaml
 * artifact). Its name is unique, so the test never depends on what other files did to the server.
 */
async function seedExperiment(url: string): Promise<{ name: string; id: string; runs: SeededRun[] }> {
  const name = `e2e-run-browser-${Date.now().toString(36)}`;
  const { experiment_id: id } = await api<{ experiment_id: string }>(url, 'experiments/create', { name });
  const runs: SeededRun[] = [];
  const specs = [
    { name: 'elasticnet-a01', alpha: '0.1', rmse: 0.72 },
    { name: 'elasticnet-a05', alpha: '0.5', rmse: 0.79 },
    { name: 'elasticnet-a09', alpha: '0.9', rmse: 0.86 },
  ];
  const t0 = Date.now() - 60_000;
  for (const [i, spec] of specs.entries()) {
    const start = t0 + i * 10_000;
    const created = await api<{ run: { info: { run_id: string; artifact_uri: string } } }>(url, 'runs/create', {
      experiment_id: id,
      run_name: spec.name,
      start_time: start,
      tags: [{ key: 'mlflow.user', value: 'e2e' }],
    });
    const runId = created.run.info.run_id;
    await api(url, 'runs/log-batch', {
      run_id: runId,
      params: [
        { key: 'alpha', value: spec.alpha },
        { key: 'l1_ratio', value: '0.1' },
      ],
      metrics: [0, 1, 2].map((step) => ({
        key: 'rmse',
        value: spec.rmse + 0.1 * (2 - step),
        timestamp: start + step * 1000,
        step,
      })),
      tags: [{ key: 'model', value: 'ElasticNet' }],
    });
    await uploadArtifact(
      url,
      created.run.info.artifact_uri,
      'config.yaml',
      `model: ElasticNet\nalpha: ${spec.alpha}\nl1_ratio: 0.1\n`,
    );
    await api(url, 'runs/update', { run_id: runId, status: 'FINISHED', end_time: start + 3_000 });
    runs.push({ name: spec.name, id: runId, alpha: spec.alpha, rmse: spec.rmse });
  }
  return { name, id, runs };
}

/** A run name with a right-to-left override: raw, it shows as "reporttxt.exe". */
const RLO_NAME = 'report\u202eexe.txt';
const NOTE =
  '**Best** so far. [open a terminal](command:workbench.action.terminal.new) ![beacon](http://127.0.0.1:9/beacon.png) <b>html</b>';
/** A run name that VS Code would render as a link running a command in a notification. */
const LINK_NAME = '[Show details](command:workbench.action.terminal.new)';

/**
 * Hostile names any user of an unauthenticated MLflow server can set: a run named with a bidi
 * override and a user tag named `g/systemTags` (it collided with the System tags group's tree id),
 * and a run named like a command link.
 */
async function seedHostile(url: string): Promise<{ name: string }> {
  const name = `e2e-hostile-${Date.now().toString(36)}`;
  const { experiment_id } = await api<{ experiment_id: string }>(url, 'experiments/create', { name });
  const t0 = Date.now() - 30_000;
  await api(url, 'runs/create', {
    experiment_id,
    run_name: RLO_NAME,
    start_time: t0,
    tags: [
      { key: 'mlflow.user', value: 'e2e' },
      { key: 'g/systemTags', value: 'a user tag' },
      // A note is Markdown by design: shown as Markdown, but untrusted (no command links, no HTML)
      // and without fetching the image a server chose.
      { key: 'mlflow.note.content', value: NOTE },
    ],
  });
  await api(url, 'runs/create', {
    experiment_id,
    run_name: LINK_NAME,
    start_time: t0 + 1_000,
    tags: [{ key: 'mlflow.user', value: 'e2e' }],
  });
  return { name };
}

/** Writes an artifact the way the store the server uses expects it. */
async function uploadArtifact(url: string, artifactUri: string, path: string, content: string): Promise<void> {
  if (artifactUri.startsWith('mlflow-artifacts:')) {
    // Proxied artifacts (--artifacts-destination): PUT through the server.
    const rel = artifactUri.replace(/^mlflow-artifacts:(\/\/[^/]*)?\/?/, '');
    const res = await fetch(`${url}/api/2.0/mlflow-artifacts/artifacts/${rel}/${path}`, {
      method: 'PUT',
      body: content,
    });
    if (!res.ok) throw new Error(`artifact upload: HTTP ${res.status} ${await res.text()}`);
    return;
  }
  // A local artifact root (file:// or a plain path) on this machine: write the file.
  const dir = artifactUri.startsWith('file:') ? fileURLToPath(artifactUri) : artifactUri;
  const file = `${dir}/${path}`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

describe('run browser', () => {
  let mlflow: SeededServer | undefined;
  let exp: Awaited<ReturnType<typeof seedExperiment>> | undefined;
  let hostile: { name: string } | undefined;
  // The shared server's log, when whoever started it says where it is.
  const mlflowLog = (): string | undefined =>
    mlflow && 'logFile' in mlflow && typeof mlflow.logFile === 'string'
      ? mlflow.logFile
      : process.env['MLFLOW_TEST_SQLITE_LOG'];

  const seeded = (): NonNullable<typeof exp> => {
    if (!exp) throw new Error('the experiment was not seeded');
    return exp;
  };

  // Without scripts/test.sh's shared server, this seeds one first: minutes on a busy machine.
  const session = e2eSession('run browser setup', {
    extraLogs: () => [mlflowLog()],
    setup: async () => {
      // The VSIX users get, freshly packaged if the sources changed; E2E_EXTENSION_MODE=symlink
      // (the dev loop) runs the repo's dist/ instead.
      const symlink = process.env['E2E_EXTENSION_MODE'] === 'symlink';
      const [server, vsix] = await Promise.all([sharedSeededServer('sqlite'), symlink ? undefined : ensureVsix()]);
      mlflow = server;
      exp = await seedExperiment(server.url);
      hostile = await seedHostile(server.url);
      // No servers configured: the test adds one the way a user does.
      return startCodeServer({ vsix, settings: { 'mlflow.servers': [] } });
    },
  });
  const workbench = session.w;

  test('adds a tracking server from the palette', async () => {
    const w = workbench();
    await w.showView(VIEW);
    // The run tree gets the whole side bar: rows below the fold are not rendered, so not found.
    await w.collapseView('Registered Models');
    await w.viewWelcome(VIEW).getByText('No MLflow tracking server yet.').waitFor();

    await w.runCommand('MLflow: Add Tracking Server…');
    await w.waitForQuickInput(/Tracking server URL/);
    await w.typeInQuickInput(mlflow!.url, { accept: true });
    await w.waitForQuickInput(/Name shown in the MLflow view/);
    await w.typeInQuickInput(SERVER_NAME, { accept: true });

    const row = await w.waitForRow(VIEW, SERVER_NAME);
    // The row says it reached the server only after a real round trip (GET version). Adding and
    // selecting the server write two settings, and a check may start again meanwhile (the row
    // reads "connecting…" for that moment), so wait for the description the user ends up with.
    const connected = new RegExp(`^${mlflow!.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · MLflow \\d+\\.\\d+\\.\\d+`);
    await waitUntil('the server row to say it is connected', async () => connected.test(await w.rowDescription(row)), {
      lastSeen: () => w.rowDescription(row),
    });
    assert.match(session.cs().readExtensionLog(), /Activating MLflow for VS Code/);
    await w.snapshot('run-browser-1-server-added');
  });

  test('walks server → experiment → run → Parameters', async () => {
    const w = workbench();
    const e = seeded();
    await w.expandPath(VIEW, [SERVER_NAME, e.name]);
    // Newest first: the runs were started 10 s apart.
    const runLabels = await w.childLabels(VIEW, [SERVER_NAME, e.name]);
    assert.deepEqual(runLabels, ['elasticnet-a09', 'elasticnet-a05', 'elasticnet-a01']);

    const run = await w.rowAt(VIEW, [SERVER_NAME, e.name, 'elasticnet-a05']);
    // The experiment's primary metric (its only one, rmse, lower is better) leads the row.
    assert.match(await w.rowDescription(run), /^rmse 0\.79 · FINISHED · \d{4}-\d{2}-\d{2} \d{2}:\d{2} · 3s · e2e$/);
    assert.match(await w.rowTooltip(run), new RegExp(`ID ${e.runs[1]!.id}`));

    await w.expandPath(VIEW, [SERVER_NAME, e.name, 'elasticnet-a05']);
    assert.deepEqual(await w.childLabels(VIEW, [SERVER_NAME, e.name, 'elasticnet-a05']), [
      'Parameters',
      'Metrics',
      'Tags',
      'Artifacts',
    ]);

    await w.expandPath(VIEW, [SERVER_NAME, e.name, 'elasticnet-a05', 'Parameters']);
    const alpha = await w.rowAt(VIEW, [SERVER_NAME, e.name, 'elasticnet-a05', 'Parameters', 'alpha']);
    assert.equal(await w.rowDescription(alpha), '0.5');
    const l1 = await w.rowAt(VIEW, [SERVER_NAME, e.name, 'elasticnet-a05', 'Parameters', 'l1_ratio']);
    assert.equal(await w.rowDescription(l1), '0.1');

    await w.expandPath(VIEW, [SERVER_NAME, e.name, 'elasticnet-a05', 'Metrics']);
    const rmse = await w.rowAt(VIEW, [SERVER_NAME, e.name, 'elasticnet-a05', 'Metrics', 'rmse']);
    assert.equal(await w.rowDescription(rmse), '0.79 (step 2)');
    await w.snapshot('run-browser-2-parameters');
  });

  test('filters runs with the experiment’s inline action', async () => {
    const w = workbench();
    const e = seeded();
    const expRow = await w.rowAt(VIEW, [SERVER_NAME, e.name]);
    await w.clickInlineAction(expRow, 'Filter Runs…');
    await w.waitForQuickInput(`Filter runs of ${e.name}`);
    // Completion offers the experiment's real metric keys (read from its runs), then its operators.
    await w.typeInQuickInput('metrics.');
    await w.quickPickItems().filter({ hasText: 'metrics.rmse' }).first().waitFor();
    await w.typeInQuickInput('metrics.rmse ');
    await w.quickPickItems().filter({ hasText: '<=' }).first().waitFor();
    await w.typeInQuickInput('metrics.rmse < 0.8', { accept: true });

    await w.waitUntil(w.row(VIEW, e.name), (el) =>
      /filter: metrics\.rmse < 0\.8/.test(el.querySelector('.label-description')?.textContent ?? ''),
    );
    await waitForChildren(w, [SERVER_NAME, e.name], (labels) => !labels.includes('elasticnet-a09'));
    const labels = (await w.childLabels(VIEW, [SERVER_NAME, e.name])).filter((l) => l.startsWith('elasticnet'));
    assert.deepEqual(labels, ['elasticnet-a05', 'elasticnet-a01']);
    await w.snapshot('run-browser-3-filtered');
  });

  test('a bad filter shows MLflow’s message and keeps the list', async () => {
    const w = workbench();
    const e = seeded();
    await w.clickInlineAction(await w.rowAt(VIEW, [SERVER_NAME, e.name]), 'Filter Runs…');
    await w.waitForQuickInput(`Filter runs of ${e.name}`);
    await w.typeInQuickInput('metrics.rmse <<< 0.8', { accept: true });

    const toast = await w.waitForToast(/Filter not applied/);
    // MLflow's own wording for the comparator its parser rejects.
    const mlflowMessage = /Invalid comparator '<<<' not one of/;
    assert.match(await w.toastMessage(toast), mlflowMessage);
    // The runs of the last good filter stay, with the error as a row above them.
    const labels = await waitForChildren(w, [SERVER_NAME, e.name], (ls) => ls.some((l) => mlflowMessage.test(l)));
    assert.deepEqual(
      labels.filter((l) => l.startsWith('elasticnet')),
      ['elasticnet-a05', 'elasticnet-a01'],
    );
    await w.snapshot('run-browser-4-bad-filter');

    // The toast's button reopens the box with the filter still in force, ready to edit.
    await w.clickToastButton(/Filter not applied/, 'Edit Filter');
    await w.waitForQuickInput(`Filter runs of ${e.name}`);
    assert.equal(await w.quickInputBox.inputValue(), 'metrics.rmse < 0.8');
    await w.dismissQuickInput();
    await w.clearNotifications();
  });

  test('opens a YAML artifact in an editor tab', async () => {
    const w = workbench();
    const e = seeded();
    // Fold the run the earlier tests opened, as a user would, to keep the artifacts on screen.
    await w.collapseRow(await w.rowAt(VIEW, [SERVER_NAME, e.name, 'elasticnet-a05']));
    await w.expandPath(VIEW, [SERVER_NAME, e.name, 'elasticnet-a01', 'Artifacts']);
    const file = await w.rowAt(VIEW, [SERVER_NAME, e.name, 'elasticnet-a01', 'Artifacts', 'config.yaml']);
    await file.click();
    await w.activeTab({ title: 'config.yaml' }).waitFor();
    const text = await w.waitForEditorText('alpha: 0.1');
    assert.match(text, /model: ElasticNet\s+alpha: 0\.1\s+l1_ratio: 0\.1/);
    // The breadcrumbs name the run and its experiment, never the server key or the run id.
    const crumbs = await waitUntil('the breadcrumbs to show the artifact', async () => {
      const items = await w.page
        .locator('.editor-group-container.active .breadcrumbs-control .monaco-breadcrumb-item')
        .allTextContents();
      return items.some((t) => t.includes('config.yaml')) ? items.map((t) => t.trim()) : undefined;
    });
    assert.deepEqual(crumbs, [`elasticnet-a01 (${e.name})`, 'config.yaml']);
    await w.snapshot('run-browser-5-artifact');
  });

  test('renames a run from its context menu', async () => {
    const w = workbench();
    const e = seeded();
    const run = await w.rowAt(VIEW, [SERVER_NAME, e.name, 'elasticnet-a05']);
    await w.contextMenu(run, 'Rename Run…');
    await w.waitForQuickInput('Rename run');
    assert.equal(await w.quickInputBox.inputValue(), 'elasticnet-a05');
    await w.typeInQuickInput('elasticnet-a05-best', { accept: true });

    await w.rowAt(VIEW, [SERVER_NAME, e.name, 'elasticnet-a05-best']);
    // The server has it too, not only the tree.
    const got = await api<{ run: { info: { run_name: string } } }>(
      mlflow!.url,
      `runs/get?run_id=${e.runs[1]!.id}`,
      undefined,
    );
    assert.equal(got.run.info.run_name, 'elasticnet-a05-best');
  });

  test('names and values with HTML and control characters show as text', async () => {
    const w = workbench();
    const xss = mlflow!.seed.xss;
    const expLabel = displayText(xss.experimentName, 120);
    await w.collapseRow(await w.rowAt(VIEW, [SERVER_NAME, seeded().name]));
    await w.expandPath(VIEW, [SERVER_NAME, expLabel]);
    const labels = await w.childLabels(VIEW, [SERVER_NAME, expLabel]);
    assert.ok(labels.includes(xss.runName), `the HTML name is a label as is: ${JSON.stringify(labels)}`);
    assert.ok(labels.includes(displayText(xss.controlRunName)), 'control characters show as escapes');
    assert.match(displayText(xss.controlRunName), /\\u0007bell\\ttab/);
    await w.expandPath(VIEW, [SERVER_NAME, expLabel, xss.runName, 'Parameters']);
    const param = await w.rowAt(VIEW, [SERVER_NAME, expLabel, xss.runName, 'Parameters', xss.paramKey]);
    assert.equal(await w.rowDescription(param), xss.paramValue);
    // Nothing from the server became markup in the workbench.
    assert.equal(await w.page.locator('.sidebar img[src="x"], .sidebar script').count(), 0);
    await w.snapshot('run-browser-6-xss');
  });

  test("child runs nest under their parent, after the parent's own details", async () => {
    const w = workbench();
    const seed = mlflow!.seed;
    const exp = seed.experiments.nested.name;
    const { parent, child, grandchild } = seed.runs;
    await w.collapseRow(await w.rowAt(VIEW, [SERVER_NAME, displayText(seed.xss.experimentName, 120)]));
    await w.expandPath(VIEW, [SERVER_NAME, exp]);
    // Only top-level runs at the experiment's level: the folds are not listed twice.
    const top = await w.childLabels(VIEW, [SERVER_NAME, exp]);
    assert.ok(top.includes(parent.name), JSON.stringify(top));
    assert.ok(
      !top.includes(child.name) && !top.includes(grandchild.name),
      `children leaked to the top: ${JSON.stringify(top)}`,
    );

    await w.expandPath(VIEW, [SERVER_NAME, exp, parent.name]);
    const under = await w.childLabels(VIEW, [SERVER_NAME, exp, parent.name]);
    assert.deepEqual(under.slice(0, 4), ['Parameters', 'Metrics', 'Tags', 'Artifacts']);
    // The children, newest first (each fold started an hour after the one before).
    assert.deepEqual(under.slice(4), ['fold-3', 'fold-2', 'fold-1', child.name]);

    await w.expandPath(VIEW, [SERVER_NAME, exp, parent.name, child.name]);
    const underChild = await w.childLabels(VIEW, [SERVER_NAME, exp, parent.name, child.name]);
    assert.equal(underChild.at(-1), grandchild.name);
    await w.snapshot('run-browser-7-nested');
  });

  test('hostile names: a bidi override shows as an escape, a tag named g/systemTags sits beside System tags, a link in a run name is no link in a notification', async () => {
    const w = workbench();
    const h = hostile!;
    // Fold what the test before opened, so this experiment's rows are on screen (the list is virtual).
    const nested = await w
      .rowAt(VIEW, [SERVER_NAME, mlflow!.seed.experiments.nested.name], { timeout: 1_000 })
      .catch(() => undefined);
    if (nested) await w.collapseRow(nested);
    await w.expandPath(VIEW, [SERVER_NAME, h.name]);
    const runs = await w.childLabels(VIEW, [SERVER_NAME, h.name]);
    const rlo = 'report\\u202eexe.txt';
    assert.ok(runs.includes(rlo), `the override shows as an escape: ${JSON.stringify(runs)}`);
    assert.ok(!runs.some((l) => l.includes('\u202e')), 'no raw override in any label');

    await w.expandPath(VIEW, [SERVER_NAME, h.name, rlo, 'Tags']);
    assert.deepEqual(await w.childLabels(VIEW, [SERVER_NAME, h.name, rlo, 'Tags']), ['g/systemTags', 'System tags']);
    await w.expandPath(VIEW, [SERVER_NAME, h.name, rlo, 'Tags', 'System tags']);
    assert.deepEqual(await w.childLabels(VIEW, [SERVER_NAME, h.name, rlo, 'Tags', 'System tags']), [
      'mlflow.note.content',
      'mlflow.runName',
      'mlflow.user',
    ]);
    await w.snapshot('run-browser-8-hostile-tree');

    // The run's tooltip: its note rendered as Markdown (bold), its command link inert, no image, no HTML.
    await (await w.rowAt(VIEW, [SERVER_NAME, h.name, rlo])).hover();
    const hover = w.page
      .locator('.monaco-hover:visible, .workbench-hover:visible')
      .filter({ hasText: 'so far.' })
      .first();
    await hover.waitFor();
    assert.equal(await hover.locator('strong', { hasText: 'Best' }).count(), 1, 'the note is Markdown');
    assert.equal(await hover.locator('a[href^="command:"], a[data-href^="command:"]').count(), 0, 'no command link');
    assert.equal(await hover.locator('img').count(), 0, 'no image fetched from a server-chosen URL');
    assert.equal(await hover.locator('b').count(), 0, 'no HTML');
    assert.match((await hover.textContent()) ?? '', /open a terminal/);
    assert.match(
      (await hover.textContent()) ?? '',
      /Run report\\u202eexe\.txt/,
      'the tooltip shows the override as an escape too',
    );
    await w.snapshot('run-browser-8b-note-tooltip');
    await w.page.keyboard.press('Escape');

    const linkRow = await w.rowAt(VIEW, [SERVER_NAME, h.name, displayText(LINK_NAME)]);
    await w.contextMenu(linkRow, 'Delete Run…');
    await w.page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: /^Delete$/ }).click();
    const toast = await w.waitForToast(/^Deleted run/);
    assert.equal(
      await toast.locator('.notification-list-item-message a').count(),
      0,
      'the run name is not a clickable link',
    );
    assert.equal(await w.toastMessage(toast), 'Deleted run "[Show details] (command:workbench.action.terminal.new)".');
    await w.snapshot('run-browser-9-no-command-link');
    await w.clearNotifications();
  });
});

/** Polls until the children of a row satisfy `ok` (a refresh redraws them asynchronously). */
async function waitForChildren(
  w: Workbench,
  path: string[],
  ok: (labels: string[]) => boolean,
  timeoutMs = 15_000,
): Promise<string[]> {
  let labels: string[] = [];
  return waitUntil(
    `the children of ${path.join(' › ')} to match`,
    async () => {
      labels = await w.childLabels(VIEW, path).catch(() => []);
      return ok(labels) && labels;
    },
    { timeoutMs, lastSeen: () => JSON.stringify(labels) },
  );
}
