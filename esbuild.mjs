// One build script, three kinds of bundle: the extension host (node, cjs, `vscode` external),
// the MLproject language server (node, cjs, runnable as `node dist/language-server.js --stdio`)
// and one browser bundle per webview. `--watch` rebuilds on change, `--production` minifies.
// The extension host is split: dist/extension.js is what activation loads; undici and
// vscode-languageclient (three quarters of the code) are bundles of their own that extension.js
// requires the first time it sends a request or starts the language client (LAZY_BUNDLES).
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

/**
 * Packages the extension host imports only with `await import(…)`, each built into its own
 * dist/<file>. The import stays a require of that file, so neither lands in extension.js.
 */
const LAZY_BUNDLES = { undici: 'undici.js', 'vscode-languageclient/node': 'language-client.js' };

/** Points the lazy imports at their bundles, and refuses a static import that would load one at activation. */
const lazyBundles = {
  name: 'lazy-bundles',
  setup(build) {
    const names = Object.keys(LAZY_BUNDLES).map((n) => n.replace(/[/]/g, '\\/'));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => {
      if (args.kind !== 'dynamic-import') {
        return {
          errors: [
            {
              text: `"${args.path}" is loaded lazily: import it with \`await import('${args.path}')\`, not statically (see LAZY_BUNDLES in esbuild.mjs)`,
            },
          ],
        };
      }
      return { path: `./${LAZY_BUNDLES[args.path]}`, external: true };
    });
  },
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
    plugins: [lazyBundles],
    // `import()` becomes `require()`: VS Code resolves `vscode` only for require, and the lazy
    // bundles are cjs files next to extension.js.
    supported: { 'dynamic-import': false },
  },
  ...Object.entries(LAZY_BUNDLES).map(([pkg, file]) => ({
    ...common,
    stdin: {
      contents: `module.exports = require(${JSON.stringify(pkg)});`,
      resolveDir: root,
      sourcefile: `${file}-entry.js`,
      loader: 'js',
    },
    outfile: join(dist, file),
    platform: 'node',
    format: 'cjs',
    target: NODE_TARGET,
    external: ['vscode'],
    mainFields: ['module', 'main'],
  })),
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
  if (b.stdin) return true;
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
