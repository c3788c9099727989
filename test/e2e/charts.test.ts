// Metric charts and the leaderboard as a user meets them: the packaged extension in a real
// code-server driven by Chromium, against a real MLflow server. Two runs are selected in the
// tree and compared (both series must be on the canvas, checked by the chart's own summary and
// by the canvas pixels in each run's colour), the y axis goes to log, the panel keeps its choices
// when hidden and shown, the leaderboard opens and sorts, and a run named
// `<img src=x onerror=alert(1)>` stays text in both views. Tests run in order, one workbench.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { FrameLocator, Locator } from 'playwright-core';
import { ensureVsix, startCodeServer } from '../support/codeServer.ts';
import { sharedSeededServer } from '../support/mlflowServer.ts';
import type { SeededServer } from '../support/mlflowServer.ts';
import { e2eSession } from '../support/e2eSession.ts';
import { INTERNAL_ERROR, startRecordingProxy } from '../integration/charts-proxy.ts';
import type { RecordingProxy } from '../integration/charts-proxy.ts';
import { assignRunStyles } from '../../webviews/src/charts/colors.ts';
import { api } from '../support/restCall.ts';
import type { SeriesSummary } from '../../webviews/src/charts/chartCard.ts';
import { waitUntil } from '../support/waitUntil.ts';

const VIEW = 'Experiments';
const SERVER_NAME = 'charts e2e';
/** The same server behind a proxy that can fail requests on cue. */
const FAULTY_NAME = 'charts via proxy';

interface ChartRun {
  name: string;
  id: string;
  finalLoss: number;
}

/**
 * An experiment of this file's own: two finished runs with 300-step `loss` histories on
 * different scales; run B's last value is 0, which a log axis cannot show.
 */
/** HTML, and a right-to-left override that would make the rest of the name read "exe.png". */
const XSS_NAME = '<img src=x onerror=alert(1)>\u202egnp.exe';
/** How every view shows it: the one display rule (webviews/protocol/displayText.ts). */
const XSS_SHOWN = '<img src=x onerror=alert(1)>\\u202egnp.exe';

async function seedExperiment(url: string): Promise<{
  name: string;
  id: string;
  a: ChartRun;
  b: ChartRun;
  c: ChartRun;
  wideExperiment: string;
  wide: ChartRun;
  xssExperiment: string;
  xss: ChartRun;
}> {
  const name = `e2e-charts-${Date.now().toString(36)}`;
  const { experiment_id: id } = await api<{ experiment_id: string }>(url, 'experiments/create', { name });
  // The 10,000-metric run lives apart: listing it is heavy, and the other tests expand `name`.
  const wideExperiment = `${name}-wide`;
  const { experiment_id: wideId } = await api<{ experiment_id: string }>(url, 'experiments/create', {
    name: wideExperiment,
  });
  // The HTML-named run, in an experiment of its own (new, so near the top of the tree).
  const xssExperiment = `${name}-xss`;
  const { experiment_id: xssId } = await api<{ experiment_id: string }>(url, 'experiments/create', {
    name: xssExperiment,
  });
  const make = async (
    runName: string,
    start: number,
    f: (step: number) => number,
    experimentId = id,
  ): Promise<ChartRun> => {
    const created = await api<{ run: { info: { run_id: string } } }>(url, 'runs/create', {
      experiment_id: experimentId,
      run_name: runName,
      start_time: start,
      tags: [{ key: 'mlflow.user', value: 'e2e' }],
    });
    const runId = created.run.info.run_id;
    const metrics = Array.from({ length: 300 }, (_, step) => ({
      key: 'loss',
      value: f(step),
      timestamp: start + step * 1000,
      step,
    }));
    await api(url, 'runs/log-batch', {
      run_id: runId,
      metrics,
      params: [{ key: 'lr', value: runName.endsWith('a') ? '0.1' : '0.01' }],
    });
    await api(url, 'runs/update', { run_id: runId, status: 'FINISHED', end_time: start + 300_000 });
    return { name: runName, id: runId, finalLoss: f(299) };
  };
  const t0 = Date.now() - 3_600_000;
  const a = await make('charts-run-a', t0, (s) => 2 * Math.exp(-s / 60) + 0.1);
  const b = await make('charts-run-b', t0 + 60_000, (s) => (s === 299 ? 0 : 5 * Math.exp(-s / 120) + 0.5));
  // Deleted while its chart is open.
  const c = await make('charts-run-c', t0 + 120_000, (s) => 1 / (1 + s));
  // 10,000 metric keys (one point each) for the picker.
  const wide = await make('charts-run-wide', t0 + 180_000, () => 1, wideId);
  for (let i = 0; i < 10_000; i += 1000) {
    const metrics = Array.from({ length: 1000 }, (_, j) => ({
      key: `layer ${Math.floor((i + j) / 100)}/m.${String(i + j).padStart(5, '0')}`,
      value: j,
      timestamp: t0,
      step: 0,
    }));
    await api(url, 'runs/log-batch', { run_id: wide.id, metrics });
  }
  const xss = await make(XSS_NAME, t0 + 240_000, (s) => 1 / (1 + s), xssId);
  return { name, id, a, b, c, wideExperiment, wide, xssExperiment, xss };
}

async function seriesOf(card: Locator): Promise<SeriesSummary[]> {
  return JSON.parse((await card.getAttribute('data-series')) ?? '[]') as SeriesSummary[];
}

/** Canvas pixels close to each colour: a blank canvas (or a missing series) has none. */
async function pixelsByColour(card: Locator, colours: string[]): Promise<number[]> {
  return card.locator('canvas').evaluate((canvas: HTMLCanvasElement, hexes: string[]) => {
    const g = canvas.getContext('2d');
    if (!g) return hexes.map(() => 0);
    const data = g.getImageData(0, 0, canvas.width, canvas.height).data;
    const targets = hexes.map(
      (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)] as const,
    );
    const counts = hexes.map(() => 0);
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! < 200) continue;
      targets.forEach(([r, gg, b], k) => {
        if (Math.abs(data[i]! - r) < 24 && Math.abs(data[i + 1]! - gg) < 24 && Math.abs(data[i + 2]! - b) < 24)
          counts[k]!++;
      });
    }
    return counts;
  }, colours);
}

/** The host writes the file after the dialog closes; wait until it is there and complete. */
async function waitForFile(path: string, timeoutMs = 30_000): Promise<void> {
  let last = -1;
  await waitUntil(
    `${path} written and no longer growing`,
    () => {
      const size = existsSync(path) ? statSync(path).size : -1;
      const settled = size > 0 && size === last;
      last = size;
      return settled;
    },
    { timeoutMs, intervalMs: 200, lastSeen: () => (last < 0 ? 'no file' : `${last} bytes`) },
  );
}

describe('metric charts and leaderboard', () => {
  let mlflow: SeededServer | undefined;
  let exp: Awaited<ReturnType<typeof seedExperiment>> | undefined;
  let proxy: RecordingProxy | undefined;
  const dialogs: string[] = [];
  const e = (): NonNullable<typeof exp> => {
    if (!exp) throw new Error('the experiment was not seeded');
    return exp;
  };
  const chartFrame = (title: string): FrameLocator => w().webview(title);

  const session = e2eSession('charts setup', {
    timeoutMs: 300_000,
    extraLogs: () => [process.env['MLFLOW_TEST_SQLITE_LOG']],
    setup: async () => {
      const [server, vsix] = await Promise.all([sharedSeededServer('sqlite'), ensureVsix()]);
      mlflow = server;
      exp = await seedExperiment(server.url);
      proxy = await startRecordingProxy(server.url);
      return startCodeServer({
        vsix,
        settings: {
          'mlflow.servers': [
            { name: SERVER_NAME, uri: server.url },
            { name: FAULTY_NAME, uri: proxy.url },
          ],
          'mlflow.refreshIntervalSeconds': 0,
        },
      });
    },
    afterOpen: async (wb) => {
      // An XSS payload that ran would open a dialog (alert) in some frame of the page.
      wb.page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
    },
    teardown: async () => {
      await proxy?.close();
    },
  });
  const w = session.w;

  test('select two runs → Compare Runs in Chart → both series are drawn', async () => {
    const { a, b, name } = e();
    await w().showView(VIEW);
    await w().expandPath(VIEW, [SERVER_NAME, name]);
    const rowA = await w().rowAt(VIEW, [SERVER_NAME, name, a.name]);
    await rowA.click();
    const rowB = await w().rowAt(VIEW, [SERVER_NAME, name, b.name]);
    await rowB.click({ modifiers: ['Control'] });
    await w().contextMenu(rowB, 'Compare Runs in Chart');

    const frame = chartFrame('Compare 2 Runs');
    const card = frame.locator('.card[data-metric="loss"]');
    await card.and(frame.locator('[data-state="ready"]')).waitFor({ timeout: 30_000 });
    await frame.locator('.card[data-metric="loss"]:not([data-painted="0"])').waitFor();
    const series = await seriesOf(card);
    assert.deepEqual(series.map((s) => s.runId).sort(), [a.id, b.id].sort());
    for (const s of series) {
      assert.equal(s.held, 300, `${s.name}: the whole 300-step history is held`);
      assert.ok(s.drawn > 0 && s.drawn <= 300, `${s.name}: ${s.drawn} points drawn`);
      assert.equal(s.hidden, false);
    }
    // In the order they were selected, though B was the one right-clicked.
    const legend = await frame.locator('.legend .legend-name').allTextContents();
    assert.deepEqual(legend, [a.name, b.name]);
    const styles = assignRunStyles([a.id, b.id]);
    const [pa, pb] = await pixelsByColour(card, [styles.get(a.id)!.color, styles.get(b.id)!.color]);
    assert.ok(pa! > 50, `run A's colour on the canvas: ${pa} pixels`);
    assert.ok(pb! > 50, `run B's colour on the canvas: ${pb} pixels`);
    await w().snapshot('charts-1-compare');
  });

  test('log scale: the y axis switches, the zero value is left out with a note', async () => {
    const { a, b } = e();
    const frame = chartFrame('Compare 2 Runs');
    const card = frame.locator('.card[data-metric="loss"]');
    await frame.locator('#y-scale').click();
    await frame.locator('#y-scale vscode-option', { hasText: 'Log' }).click();
    await frame.locator('.card[data-metric="loss"][data-y-scale="log"]').waitFor();
    await card.locator('.notes', { hasText: 'zero or negative' }).waitFor();
    assert.match(
      (await card.locator('.notes').textContent()) ?? '',
      /1 value is zero or negative and cannot be shown on a log scale/,
    );
    const series = await seriesOf(card);
    assert.ok(series.every((s) => s.drawn > 0));
    const styles = assignRunStyles([a.id, b.id]);
    const [pa, pb] = await pixelsByColour(card, [styles.get(a.id)!.color, styles.get(b.id)!.color]);
    assert.ok(pa! > 50 && pb! > 50, `both lines on the log chart: ${pa}, ${pb} pixels`);
    await w().snapshot('charts-2-log-scale');
  });

  test('legend toggles a series with the keyboard', async () => {
    const { a } = e();
    const frame = chartFrame('Compare 2 Runs');
    const toggle = frame.locator(`.legend-item[data-run-id="${a.id}"]`);
    await toggle.focus();
    await toggle.press('Enter');
    await frame.locator(`.legend-item[data-run-id="${a.id}"][aria-pressed="false"]`).waitFor();
    const hidden = (await seriesOf(frame.locator('.card[data-metric="loss"]'))).find((s) => s.runId === a.id);
    assert.equal(hidden?.hidden, true);
    await frame.locator(`.legend-item[data-run-id="${a.id}"]`).press(' ');
    await frame.locator(`.legend-item[data-run-id="${a.id}"][aria-pressed="true"]`).waitFor();
  });

  test('the leaderboard opens on the experiment, ranks by the metric and sorts', async () => {
    const { a, b, c, name } = e();
    const byLoss = [a, b, c].sort((x, y) => x.finalLoss - y.finalLoss);
    await (await w().rowAt(VIEW, [SERVER_NAME, name])).click();
    await w().runCommand('MLflow: Open Leaderboard');
    // One panel per experiment set, titled with its experiments.
    const frame = chartFrame(`Leaderboard: ${name}`);
    const table = frame.locator('table.board');
    await frame.locator('table.board[data-rows="3"]').waitFor({ timeout: 30_000 });
    const order = () => table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')));
    // loss, lower is better (guessed from the name, and the header says so).
    assert.deepEqual(
      await order(),
      byLoss.map((r) => r.id),
    );
    assert.equal(await table.locator('th[data-col="value"]').getAttribute('aria-sort'), 'ascending');
    assert.equal(await table.locator('th[data-col="value"] .direction').textContent(), 'lower is better?');
    await w().snapshot('charts-3-leaderboard');

    await table.locator('th[data-col="value"] button').click();
    await frame.locator('th[data-col="value"][aria-sort="descending"]').waitFor();
    await frame.locator(`table.board tbody tr:first-child[data-run-id="${byLoss[2]!.id}"]`).waitFor();
    assert.deepEqual(
      await order(),
      [...byLoss].reverse().map((r) => r.id),
    );
    assert.deepEqual(await table.locator('tbody td[data-col="rank"]').allTextContents(), ['1', '2', '3']);
    assert.equal(
      await frame.locator('#better').evaluate((d) => (d as HTMLElement & { value: string }).value),
      'higher',
      'the dropdown follows the header',
    );
    await w().snapshot('charts-4-leaderboard-sorted');

    // A click on a row reveals the run in the tree.
    await table.locator(`tbody tr[data-run-id="${c.id}"] td[data-col="user"]`).click();
    const treeRow = await w().rowAt(VIEW, [SERVER_NAME, name, c.name]);
    await w().waitUntil(treeRow, (el) => el.getAttribute('aria-selected') === 'true');

    // Two selected rows → the run diff (mlflow.diffRuns) opens.
    await table.locator(`tbody tr[data-run-id="${a.id}"] input[type="checkbox"]`).check();
    await table.locator(`tbody tr[data-run-id="${b.id}"] input[type="checkbox"]`).check();
    await frame.locator('vscode-button', { hasText: 'Diff selected' }).click();
    await w()
      .page.locator('.tabs-container .tab', { hasText: `${a.name} ↔ ${b.name}` })
      .waitFor({ timeout: 30_000 });
    await w().snapshot('charts-4b-leaderboard-diff');
  });

  test('a bad filter in the leaderboard: MLflow\'s message, the last rows kept and marked stale, "Edit filter" instead of Retry', async () => {
    const { name } = e();
    await w()
      .page.locator('.tabs-container .tab', { hasText: `Leaderboard: ${name}` })
      .click();
    const frame = chartFrame(`Leaderboard: ${name}`);
    await frame.locator('table.board[data-rows="3"]').waitFor({ timeout: 30_000 });
    const field = frame.locator('#filter input');
    await field.fill('metrics.loss <<< 1');
    await field.press('Enter');
    const banner = frame.locator('.banner[data-banner="query"]');
    await banner.waitFor({ timeout: 30_000 });
    // MLflow's own wording for the comparator its parser rejects.
    assert.match(
      (await banner.locator('.message').textContent()) ?? '',
      /MLflow rejected the query: .*Invalid comparator '<<<'/,
    );
    assert.deepEqual(
      await banner
        .locator('vscode-button')
        .allTextContents()
        .then((t) => t.map((x) => x.trim()).filter(Boolean)),
      ['Edit filter'],
    );
    await frame.locator('table.board.stale[data-rows="3"]').waitFor();
    await w().snapshot('charts-4c-leaderboard-bad-filter');
    await banner.locator('vscode-button', { hasText: 'Edit filter' }).click();
    await w().waitUntil(
      frame.locator('#filter'),
      (el) => el.matches(':focus-within') || el.ownerDocument.activeElement === el,
    );
    // A good filter clears the banner and the stale mark.
    await field.fill('');
    await field.press('Enter');
    await banner.waitFor({ state: 'detached' });
    await frame.locator('table.board:not(.stale)[data-rows="3"]').waitFor();
  });

  test('the chart keeps its choices after being hidden and shown again', async () => {
    // The leaderboard is in front; bring the chart back (its page reloads: no retainContext).
    await w().page.locator('.tabs-container .tab', { hasText: 'Compare 2 Runs' }).click();
    const frame = chartFrame('Compare 2 Runs');
    await frame
      .locator('.card[data-metric="loss"][data-y-scale="log"][data-state="ready"]')
      .waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('#y-scale').evaluate((d) => (d as HTMLElement & { value: string }).value), 'log');
  });

  /**
   * code-server's simple save dialog fills in its proposed path a moment after it opens; typing
   * before that races with it (seen: the path appended to the proposal, and `.csv.csv`).
   */
  async function waitForSaveDialog(proposed: RegExp): Promise<void> {
    await w().waitForQuickInput();
    await w().page.waitForFunction(
      (re) =>
        new RegExp(re).test(
          (document.querySelector('.quick-input-widget .quick-input-box input') as HTMLInputElement | null)?.value ??
            '',
        ),
      proposed.source,
    );
  }

  test('export: the chart as PNG and the full history as CSV, through the save dialog', async () => {
    const { a, b } = e();
    await w().page.locator('.tabs-container .tab', { hasText: 'Compare 2 Runs' }).click();
    const frame = chartFrame('Compare 2 Runs');
    const card = frame.locator('.card[data-metric="loss"][data-state="ready"]');
    await card.waitFor({ timeout: 30_000 });

    await card.locator('vscode-button[title="Export chart as PNG"]').click();
    // code-server's save dialog is a quick input holding the proposed path in the workspace.
    const png = join(session.cs().workspace, 'loss.png');
    await waitForSaveDialog(/loss\.png$/);
    await w().typeInQuickInput(png, { accept: true });
    await frame.locator('.status', { hasText: 'Saved' }).waitFor({ timeout: 30_000 });
    await waitForFile(png);
    const bytes = readFileSync(png);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
    assert.ok(bytes.length > 2_000, `${bytes.length} bytes: a drawn chart, not an empty canvas`);

    await card.locator('vscode-button[title="Export full history as CSV"]').click();
    const csv = join(session.cs().workspace, 'loss.csv');
    await waitForSaveDialog(/loss\.csv$/);
    await w().typeInQuickInput(csv, { accept: true });
    await waitForFile(csv);
    const lines = readFileSync(csv, 'utf8')
      .split('\r\n')
      .filter((l) => l !== '');
    assert.equal(lines[0], 'run_id,run_name,metric,step,timestamp,value');
    assert.equal(lines.length, 1 + 600, 'both runs, every point');
    assert.ok(lines.some((l) => l.startsWith(`${a.id},${a.name},loss,299,`)));
    assert.ok(lines.some((l) => l.startsWith(`${b.id},${b.name},loss,299,`) && l.endsWith(',0')));
  });

  test('the sweep: run rows show the primary metric; the leaderboard ranks the best finished run first and keeps an added column', async () => {
    const sweep = mlflow!.seed.experiments.big;
    const big = mlflow!.seed.big;
    // The tree: each run row leads with its experiment's primary metric, its tooltip lists metrics and params.
    await w().showView(VIEW);
    await w().collapseView('Registered Models');
    // The seed's sweep is older than the experiments the e2e files create: scroll the tree to it.
    for (let i = 0; ; i++) {
      const found = await w()
        .rowAt(VIEW, [SERVER_NAME, sweep.name], { timeout: 1_000 })
        .then(
          () => true,
          () => false,
        );
      if (found) break;
      if (i === 20) throw new Error(`${sweep.name} is not in the Experiments view`);
      const box = await w().rows(VIEW).first().boundingBox();
      if (box) await w().page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await w().page.mouse.wheel(0, 200);
    }
    await w().expandPath(VIEW, [SERVER_NAME, sweep.name]);
    const newest = await w().rowAt(VIEW, [SERVER_NAME, sweep.name, big.lastRun.name], { timeout: 60_000 });
    assert.match(await w().rowDescription(newest), /^val_auc 0\.\d+ · /);
    const tooltip = await w().rowTooltip(newest);
    // Server strings go in as text (appendText writes their spaces as non-breaking ones).
    assert.match(tooltip, /Metrics \(latest\)[\s\S]*val_auc:\s0\.\d+[\s\S]*Parameters[\s\S]*learning_rate:\s/);
    await w().snapshot('charts-8-tree-primary-metric');

    await (await w().rowAt(VIEW, [SERVER_NAME, sweep.name])).click();
    await w().runCommand('MLflow: Open Leaderboard');
    const frame = chartFrame(`Leaderboard: ${sweep.name}`);
    const table = frame.locator('table.board');
    await frame.locator('table.board[data-rows="50"]').waitFor({ timeout: 60_000 });
    // val_auc, not train_logloss (every run ties on it); higher is better, marked as a guess.
    const header = table.locator('th[data-col="value"]');
    assert.equal(await header.locator('.label').textContent(), 'val_auc');
    assert.equal(await header.getAttribute('data-better'), 'higher');
    assert.equal(await header.getAttribute('data-guess'), 'true');
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
    const best = await api<{ runs: { data: { metrics: { key: string; value: number }[] } }[] }>(
      mlflow!.url,
      'runs/search',
      {
        experiment_ids: [big.experimentId],
        filter: "attributes.status = 'FINISHED'",
        order_by: ['metrics.val_auc DESC'],
        max_results: 1,
      },
    );
    const top = best.runs[0]!.data.metrics.find((m) => m.key === 'val_auc')!.value;
    const first = table.locator('tbody tr:first-child');
    assert.equal(await first.locator('td[data-col="rank"]').textContent(), '1');
    assert.equal(
      Number(await first.locator('td[data-col="value"]').textContent()),
      top,
      'the #1 row holds the best val_auc of the finished runs',
    );
    assert.equal(await table.locator('tbody td[data-col="status"]', { hasText: /FAILED|KILLED/ }).count(), 0);
    await w().snapshot('charts-9-leaderboard-sweep');

    // A column added is there again after a reload (next test).
    await frame.locator('details.columns summary').click();
    await frame
      .locator('.searchable-list', { has: frame.locator('[aria-label="Metric columns"]') })
      .locator('.sl-item', { hasText: 'val_logloss' })
      .locator('input')
      .check();
    await frame.locator('table.board th[data-col="m:val_logloss"]').waitFor({ timeout: 30_000 });
    // The state is kept once the server answered with the column's values (a failed query keeps the old one).
    await frame
      .locator('table.board tbody tr:first-child td[data-col="m:val_logloss"]', { hasText: /^0\.\d+$/ })
      .waitFor({ timeout: 30_000 });
  });

  test('after a window reload the chart comes back with its choices (serializer)', async () => {
    // Reload as a user does: "Developer: Reload Window" lets VS Code flush its state storage (the
    // webview's setState included) before the page goes. A bare page.reload() on a loaded machine
    // once lost the last choice (log scale) to a write still pending in IndexedDB.
    const page = w().page;
    const navigated = page.waitForEvent('framenavigated', {
      predicate: (f) => f === page.mainFrame(),
      timeout: 60_000,
    });
    // The palette's own wait can die with the page it waits in; the navigation is what counts.
    await w()
      .runCommand('Developer: Reload Window')
      .catch(() => undefined);
    await navigated;
    await w().activityBarItem('MLflow').waitFor({ timeout: 60_000 });
    await w().page.locator('.tabs-container .tab', { hasText: 'Compare 2 Runs' }).click();
    const frame = chartFrame('Compare 2 Runs');
    await frame
      .locator('.card[data-metric="loss"][data-y-scale="log"][data-state="ready"]:not([data-painted="0"])')
      .waitFor({ timeout: 60_000 });
    const series = await seriesOf(frame.locator('.card[data-metric="loss"]'));
    assert.equal(series.length, 2);
    assert.ok(series.every((s) => s.drawn > 0));
    await w().snapshot('charts-5-after-reload');

    // The sweep's leaderboard too, with the column added before the reload.
    await w()
      .page.locator('.tabs-container .tab', { hasText: `Leaderboard: ${mlflow!.seed.experiments.big.name}` })
      .click();
    const board = chartFrame(`Leaderboard: ${mlflow!.seed.experiments.big.name}`);
    await board.locator('table.board[data-rows="50"] th[data-col="m:val_logloss"]').waitFor({ timeout: 60_000 });
    assert.equal(await board.locator('table.board th[data-col="value"] .label').textContent(), 'val_auc');
  });

  test('a run named <img src=x onerror=alert(1)> with a bidi override stays text, the override shown as \\u202e, in the chart and the leaderboard', async () => {
    const { xss, xssExperiment } = e();
    await w().expandPath(VIEW, [SERVER_NAME, xssExperiment]);
    const row = await w().rowAt(VIEW, [SERVER_NAME, xssExperiment, XSS_SHOWN]);
    await w().contextMenu(row, 'Compare Runs in Chart');
    const chart = chartFrame(`Metrics: ${XSS_SHOWN}`);
    await chart
      .locator('.card[data-metric="loss"][data-state="ready"]:not([data-painted="0"])')
      .waitFor({ timeout: 30_000 });
    assert.equal(await chart.locator('.legend .legend-name').first().textContent(), XSS_SHOWN);
    const series = await seriesOf(chart.locator('.card[data-metric="loss"]'));
    assert.equal(series[0]?.name, XSS_SHOWN, 'the name reaches the chart as shown (tooltips draw it on the canvas)');
    assert.equal(await chart.locator('img').count(), 0, 'no img element was created');
    await w().snapshot('charts-6-xss-chart');

    await (await w().rowAt(VIEW, [SERVER_NAME, xssExperiment])).click();
    await w().runCommand('MLflow: Open Leaderboard');
    const board = chartFrame(`Leaderboard: ${xssExperiment}`);
    const cell = board.locator(`table.board tr[data-run-id="${xss.id}"] td[data-col="run"]`);
    await cell.waitFor({ timeout: 30_000 });
    assert.equal(await cell.textContent(), XSS_SHOWN);
    assert.equal(await board.locator('img').count(), 0, 'no img element was created');
    // The row's checkbox label and the selection line carry the name too: still text.
    await board.locator(`table.board tr[data-run-id="${xss.id}"] input[type="checkbox"]`).check();
    await board.locator('.actions .selection', { hasText: XSS_SHOWN }).waitFor();
    assert.equal(await board.locator('img').count(), 0);
    await w().snapshot('charts-7-xss-leaderboard');
    assert.deepEqual(dialogs, [], 'no alert or other dialog fired');
  });

  test('10,000 metrics: the picker stays responsive and finds one by search', async () => {
    const { wide, wideExperiment } = e();
    await w().expandPath(VIEW, [SERVER_NAME, wideExperiment]);
    await w().contextMenu(
      await w().rowAt(VIEW, [SERVER_NAME, wideExperiment, wide.name], { timeout: 60_000 }),
      'Compare Runs in Chart',
    );
    const frame = chartFrame(`Metrics: ${wide.name}`);
    const summary = frame.locator('.picker .sl-summary');
    await summary.filter({ hasText: 'Showing 200 of 10,001 matches' }).waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('.picker .sl-item').count(), 200, 'only the first 200 matches are in the DOM');
    const search = frame.locator('.picker vscode-text-field');
    await search.locator('input').fill('m.09999');
    await summary.filter({ hasText: '1 of 10,001 match.' }).waitFor();
    // The one match, after the chart's chosen metric (chosen items stay pinned above the matches).
    const listed = await frame.locator('.picker .sl-item').allTextContents();
    assert.equal(listed.at(-1), 'layer 99/m.09999');
    assert.equal(listed.length, 2, `the match and the pinned chosen metric: ${JSON.stringify(listed)}`);
    // How fast the search answers is measured in bench/metric-picker.bench.ts, not asserted here.
    await frame.locator('.picker .sl-item', { hasText: 'layer 99/m.09999' }).locator('input').check();
    await frame.locator('.card[data-metric="layer 99/m.09999"][data-state="ready"]').waitFor({ timeout: 30_000 });
    const series = await seriesOf(frame.locator('.card[data-metric="layer 99/m.09999"]'));
    assert.equal(series[0]?.drawn, 1, 'a one-point history is drawn (as a dot)');
    await w().snapshot('charts-8-ten-thousand-metrics');
  });

  test('a server fault mid-fetch: message and Retry in the chart, the last data kept; Retry recovers (fault injected by a proxy)', async () => {
    const { a, name } = e();
    // The tree only renders rows on screen: fold the first server so the second one shows.
    await w().collapseRow(await w().rowAt(VIEW, [SERVER_NAME]));
    await w().expandPath(VIEW, [FAULTY_NAME, name]);
    await w().contextMenu(await w().rowAt(VIEW, [FAULTY_NAME, name, a.name]), 'Compare Runs in Chart');
    const frame = chartFrame(`Metrics: ${a.name}`);
    const card = frame.locator('.card[data-metric="loss"]');
    await frame.locator('.card[data-metric="loss"][data-state="ready"]').waitFor({ timeout: 30_000 });
    // A real server cannot be made to fail on cue: the proxy answers histories with a 500.
    proxy!.fault = (_m, path) => (path.endsWith('/get-history-bulk-interval') ? INTERNAL_ERROR : undefined);
    await frame.locator('vscode-button[title="Re-read the runs and reload every chart"]').click();
    await frame.locator('.card[data-metric="loss"][data-state="error"]').waitFor({ timeout: 30_000 });
    assert.match(
      (await card.locator('.card-status').textContent()) ?? '',
      /internal error \(HTTP 500\).*The last data read is shown\./,
    );
    const kept = await seriesOf(card);
    assert.equal(kept[0]?.held, 300, 'the last good data is still there');
    assert.ok(kept[0]!.drawn > 0);
    await w().snapshot('charts-9-server-fault');
    proxy!.fault = undefined;
    await card.locator('.card-status vscode-button', { hasText: 'Retry' }).click();
    await frame.locator('.card[data-metric="loss"][data-state="ready"]').waitFor({ timeout: 30_000 });
  });

  test('a run deleted while its chart is open: a clear message after Refresh', async () => {
    const { c, name } = e();
    await w().collapseRow(await w().rowAt(VIEW, [FAULTY_NAME]));
    await w().expandPath(VIEW, [SERVER_NAME, name]);
    await w().contextMenu(await w().rowAt(VIEW, [SERVER_NAME, name, c.name]), 'Compare Runs in Chart');
    const frame = chartFrame(`Metrics: ${c.name}`);
    await frame.locator('.card[data-metric="loss"][data-state="ready"]').waitFor({ timeout: 30_000 });
    await api(mlflow!.url, 'runs/delete', { run_id: c.id });
    await frame.locator('vscode-button[title="Re-read the runs and reload every chart"]').click();
    const banner = frame.locator('.banner[data-banner="runs"]');
    await banner.waitFor({ timeout: 30_000 });
    assert.match((await banner.textContent()) ?? '', new RegExp(`Run "${c.name}" was deleted on ${SERVER_NAME}`));
    await frame.locator('.card[data-metric="loss"][data-state="ready"]:not([data-painted="0"])').waitFor();
    await w().snapshot('charts-10-deleted-run');
  });

  test('the strict CSP held: nothing was refused in any view, and a refusal would be caught', async () => {
    // Every test already fails on a CSP violation or webview error (failureArtifacts.afterEach);
    // this one states it for the whole file and proves the capture works: an inline script
    // injected into the chart's frame is refused, and the refusal reaches the list the hook checks.
    assert.deepEqual(
      w().consoleLines.filter((l) => /Content Security Policy/.test(l)),
      [],
    );
    // The panel the previous test left open.
    const frame = chartFrame(`Metrics: ${e().c.name}`);
    await frame.locator('body').evaluate((body) => {
      const s = document.createElement('script');
      s.textContent = 'window.e2eProbeRan = true';
      body.append(s);
    });
    assert.equal(
      await frame.locator('body').evaluate(() => (window as { e2eProbeRan?: boolean }).e2eProbeRan ?? false),
      false,
      'the inline script did not run',
    );
    let seen: string[] = [];
    await waitUntil(
      'the CSP refusal in the webview problem list',
      () => {
        seen = seen.concat(w().takeWebviewProblems());
        return seen.some((l) => /inline script violates/.test(l));
      },
      { timeoutMs: 10_000, lastSeen: () => JSON.stringify(seen) },
    );
    assert.deepEqual(
      seen.filter((l) => !/inline script violates/.test(l)),
      [],
    );
  });
});
