// Regenerates media/screenshot.png for the README: the packaged extension in code-server against
// a seeded MLflow server, with the run browser open on a run, a metric chart comparing two runs,
// and the example MLproject with its code lenses. Run: node scripts/readme-screenshot.ts
// (after `. scripts/tools.sh`; reuses MLFLOW_TEST_SQLITE_URL/_SEED when set).
import { join } from 'node:path';
import { ensureVsix, REPO_ROOT, startCodeServer } from '../test/support/codeServer.ts';
import { sharedSeededServer, venvPython } from '../test/support/mlflowServer.ts';
import { Workbench } from '../test/support/workbench.ts';

const server = await sharedSeededServer('sqlite');
const seed = server.seed;
const cs = await startCodeServer({
  vsix: await ensureVsix(),
  workspace: join(REPO_ROOT, 'examples'),
  settings: {
    'mlflow.servers': [{ name: 'local', uri: server.url }],
    'mlflow.selectedServer': server.url,
    'mlflow.pythonPath': venvPython(),
    'workbench.colorTheme': 'Default Dark Modern',
    'git.openRepositoryInParentFolders': 'never',
  },
});
const wb = await Workbench.open(cs.url, { viewport: { width: 1600, height: 1000 } });
try {
  const view = 'Experiments';
  await wb.showView(view);
  await wb.collapseView('Registered Models');
  // The four cross-validation folds (child runs of their parent) overlaid in one chart,
  // selected and compared the way a user does; one fold's parameters open in the tree.
  const exp = seed.experiments.nested.name;
  const parent = 'resnet50-4fold-cv';
  await wb.expandPath(view, ['local', exp, parent, 'fold-1', 'Parameters']);

  await wb.openFile('wine-quality/MLproject');
  await wb.codeLens('Run with parameters').first().waitFor({ timeout: 60_000 });

  const folds = [];
  for (const fold of ['fold-0', 'fold-1', 'fold-2', 'fold-3'])
    folds.push(await wb.rowAt(view, ['local', exp, parent, fold]));
  await folds[0]!.click();
  for (const row of folds.slice(1)) await row.click({ modifiers: ['Control'] });
  await wb.contextMenu(folds[3]!, 'Compare Runs in Chart');
  await wb.page.locator('.tabs-container .tab', { hasText: 'Compare 4 Runs' }).waitFor({ timeout: 30_000 });
  // The chart keeps focus inside its webview; back in the tree, the palette's key reaches the workbench.
  await folds[3]!.click({ modifiers: ['Control'] });
  await folds[3]!.click({ modifiers: ['Control'] });
  await wb.runCommand('View: Move Editor into Right Group');
  // Clicking a run also expanded it; fold them back (but fold-1) so the tree stays readable.
  for (const row of [folds[0]!, folds[2]!, folds[3]!]) await wb.collapseRow(row);
  // Moving a webview to another group reloads it: wait until a chart is painted again.
  await wb
    .webview('Compare 4 Runs')
    .locator('.card[data-state="ready"]:not([data-painted="0"])')
    .first()
    .waitFor({ timeout: 60_000 });
  const chart = wb.webview('Compare 4 Runs');
  await chart.getByRole('checkbox', { name: 'val_accuracy', exact: true }).check();
  await chart
    .locator('.card[data-metric="val_accuracy"][data-state="ready"]:not([data-painted="0"])')
    .waitFor({ timeout: 60_000 });
  await wb.clearNotifications();
  await wb.settle();
  await wb.screenshot(join(REPO_ROOT, 'media/screenshot.png'));
  console.log('wrote media/screenshot.png');
} finally {
  await wb.close();
  await cs.stop({ removeRoot: true });
}
process.exit(0);
