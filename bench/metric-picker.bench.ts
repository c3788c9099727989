// The charts' metric picker with 10,001 metrics: how long a search takes to answer in Chromium,
// ours (renders the first 200 matches, says how many more) against a baseline that renders every
// match (limit = ∞), measured side by side in one run. This timing used to be asserted in
// test/e2e/charts.test.ts (< 3 s), where a loaded 2-core machine made it flaky; the e2e test now
// asserts what the user sees (the match is found, at most 200 rows are in the DOM) and the time
// lives here. The page is the real webview shell (same CSP); a CSP violation or an error in its
// console fails the benchmark.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { buildWebviewHtml, newNonce } from '../extension/src/webview/webviewHtml.ts';
import { REPO_ROOT } from '../test/support/codeServer.ts';
import { chromiumOptions } from '../test/support/workbench.ts';
import { isWebviewProblem } from '../test/support/webviewConsole.ts';
import { median, printTable } from './benchServer.ts';

const REPEAT = Math.max(3, Number(process.env['BENCH_REPEAT'] ?? 5));
const ORIGIN = 'https://bench.invalid';
const METRICS = 10_001;

// The picker as the charts view builds it, over metric keys shaped like the e2e test's.
const ENTRY = `
import { registerToolkit } from './webviews/src/ui/toolkit.ts';
import { SearchableList } from './webviews/src/ui/searchableList.ts';
registerToolkit();
const limit = Number(new URL(location.href).searchParams.get('limit')) || Infinity;
const items = ['loss', ...Array.from({ length: ${METRICS - 1} }, (_, i) => 'layer ' + Math.floor(i / 100) + '/m.' + String(i).padStart(5, '0'))];
const list = new SearchableList({ label: 'Metrics', placeholder: 'Search metrics', multi: true, selected: [], limit, onChange: () => undefined });
document.getElementById('app').append(list.element);
list.setItems(items);
document.body.dataset.ready = '1';
`;

async function bundle(): Promise<{ js: string; css: string }> {
  const res = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: 'picker-bench.ts' },
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outdir: join(tmpdir(), 'picker-bench'),
    loader: { '.css': 'css' },
    logLevel: 'warning',
  });
  const js = res.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
  return { js, css: res.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '' };
}

async function measure(
  page: Page,
  limit: number,
  code: { js: string; css: string },
): Promise<{ ms: number; rows: number }> {
  const html = buildWebviewHtml({
    cspSource: ORIGIN,
    nonce: newNonce(),
    title: 'bench',
    scriptUri: `${ORIGIN}/picker.js`,
    styleUris: [`${ORIGIN}/picker.css`],
    view: 'charts',
  });
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') return route.fulfill({ body: html, contentType: 'text/html' });
    if (path === '/picker.js') return route.fulfill({ body: code.js, contentType: 'text/javascript' });
    if (path === '/picker.css') return route.fulfill({ body: code.css, contentType: 'text/css' });
    return route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${ORIGIN}/?limit=${limit}`);
  await page.waitForFunction(() => document.body.dataset['ready'] === '1');
  const input = page.locator('vscode-text-field input');
  await input.waitFor();
  const t0 = await page.evaluate(() => performance.now());
  await input.fill('m.09999');
  await page.locator('.sl-summary', { hasText: 'match.' }).waitFor();
  const t1 = await page.evaluate(() => performance.now());
  // A search that matches everything: what a limit saves.
  await input.fill('m.');
  await page.locator('.sl-summary', { hasText: /Showing|match\./ }).waitFor();
  const t2 = await page.evaluate(() => performance.now());
  const rows = await page.locator('.sl-item').count();
  return { ms: t1 - t0 + (t2 - t1), rows };
}

const profile = mkdtempSync(join(tmpdir(), 'picker-bench-chromium-'));
const context = await chromium.launchPersistentContext(profile, chromiumOptions(profile));
const problems: string[] = [];
try {
  const code = await bundle();
  const samples: Record<'ours' | 'naive', { ms: number; rows: number }[]> = { ours: [], naive: [] };
  for (let i = -1; i < REPEAT; i++) {
    for (const variant of ['ours', 'naive'] as const) {
      const page = await context.newPage();
      // The page is the webview: every error in it counts, plus any CSP refusal.
      page.on(
        'console',
        (m) =>
          isWebviewProblem(m.type(), m.text(), `${ORIGIN}/webviews/`) && problems.push(`[${m.type()}] ${m.text()}`),
      );
      page.on('pageerror', (e) => problems.push(`[pageerror] ${e.message}`));
      const s = await measure(page, variant === 'ours' ? 200 : Infinity, code);
      if (i >= 0) samples[variant].push(s); // the first round warms Chromium up
      await page.close();
    }
  }
  const ours = median(samples.ours.map((s) => s.ms));
  const naive = median(samples.naive.map((s) => s.ms));
  printTable(
    `Metric picker, ${METRICS.toLocaleString()} metrics: a narrow search then a broad one, median of ${REPEAT} (${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
    ['variant', 'search time', 'rows in the DOM (broad search)', 'vs naive'],
    [
      ['naive (renders every match)', `${Math.round(naive)} ms`, samples.naive[0]?.rows ?? 0, '1.0× (baseline)'],
      [
        'ours (first 200 matches)',
        `${Math.round(ours)} ms`,
        samples.ours[0]?.rows ?? 0,
        `${(naive / ours).toFixed(1)}× faster`,
      ],
    ],
  );
  console.log(`\nTarget (ours answers within 3 s, the old e2e bound): ${ours < 3000 ? 'met' : 'NOT met'}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.error(`\nFAILED: the view's console reported ${problems.length} problem(s):\n${problems.join('\n')}`);
  process.exitCode = 1;
}
