// One build script, three kinds of bundle: the extension host (node, cjs, `vscode` external),
// the MLproject language server (node, cjs, runnable as `node dist/language-server.js --stdio`)
// and one browser bundle per webview. `--watch` rebuilds on change, `--production` minifies.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { languageServerBuild, NODE_TARGET } from './scripts/bundles.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const root = import.meta.dirname;
const dist = join(root, 'dist');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'linked',
};

const webviewEntries = readdirSync(join(root, 'webviews/src'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'webviews/src', d.name, 'main.ts')))
  .map((d) => ({ in: join(root, 'webviews/src', d.name, 'main.ts'), out: d.name }));

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { extension: join(root, 'extension/src/extension.ts') },
    outdir: dist,
    platform: 'node',
    format: 'cjs',
    target: NODE_TARGET,
    external: ['vscode'],
    mainFields: ['module', 'main'],
  },
  { ...common, ...languageServerBuild(root) },
  {
    ...common,
    entryPoints: webviewEntries,
    outdir: join(dist, 'webviews'),
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
  },
];

function hasEntries(b) {
  return Array.isArray(b.entryPoints) ? b.entryPoints.length > 0 : Object.keys(b.entryPoints).length > 0;
}

function copyStatic() {
  // Codicons ship as a font + stylesheet; webviews load them from the extension, never a CDN.
  const codicons = join(root, 'node_modules/@vscode/codicons/dist');
  mkdirSync(join(dist, 'webviews/codicons'), { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) cpSync(join(codicons, f), join(dist, 'webviews/codicons', f));
}

if (!watch) rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
if (watch) {
  const contexts = await Promise.all(builds.filter(hasEntries).map((b) => esbuild.context(b)));
  copyStatic();
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.filter(hasEntries).map((b) => esbuild.build(b)));
  copyStatic();
}
