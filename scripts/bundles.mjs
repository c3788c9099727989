// The language server's esbuild options, in one place for esbuild.mjs and for the test and the
// benchmark that rebuild just that bundle (a drift between them would test another build).
import { join } from 'node:path';

/** VS Code 1.100 runs its extension host on Node 20.19; the language server runs there too. */
export const NODE_TARGET = 'node20.18';

export function languageServerBuild(root) {
  return {
    entryPoints: { 'language-server': join(root, 'language-server/src/server.ts') },
    outdir: join(root, 'dist'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: NODE_TARGET,
    mainFields: ['module', 'main'],
  };
}
