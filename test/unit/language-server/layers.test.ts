// The language server's folders are layers: a module imports from its own folder or a lower one,
// never a higher one, and nothing imports `vscode` (the server runs outside the extension host).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support.ts';

const src = join(repoRoot, 'language-server/src');
/** Lowest first; the top-level files (server.ts, protocol.ts) may import any of them. */
const LAYERS = ['text', 'python', 'yaml', 'model', 'features'];

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms)].map((m) => m[1] ?? '');
}

/** The layer index of a path under src, or LAYERS.length for the top level. */
function layerOf(path: string): number {
  const first = relative(src, path).split(sep)[0] ?? '';
  const i = LAYERS.indexOf(first);
  return i === -1 ? LAYERS.length : i;
}

const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join(src, f));

test('every folder of language-server/src is a known layer', () => {
  const folders = new Set(files.map((f) => relative(src, dirname(f))).filter((d) => d !== ''));
  assert.deepEqual([...folders].sort(), [...LAYERS].sort());
});

test('language-server modules import nothing from vscode', () => {
  const offenders = files.filter((f) => imports(f).some((s) => s === 'vscode' || s.startsWith('vscode/')));
  assert.deepEqual(offenders, []);
});

test('imports point down the layers: text ← python ← yaml ← model ← features', () => {
  const upward: string[] = [];
  for (const f of files) {
    for (const spec of imports(f)) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(f), spec);
      if (layerOf(target) > layerOf(f) && layerOf(target) < LAYERS.length)
        upward.push(`${relative(src, f)} → ${relative(src, target)}`);
    }
  }
  assert.deepEqual(upward, []);
});
