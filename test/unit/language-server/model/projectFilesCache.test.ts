// The file cache must answer like the file system within its age limit, and see changes after it
// or after clear(). Real files in a temp dir; the clock is injected so no test waits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeProjectFiles } from '../../../../language-server/src/model/nodeProjectFiles.ts';
import { cachedProjectFiles } from '../../../../language-server/src/model/projectFilesCache.ts';

test('a file created on disk is seen after clear() or once the cache is older than its limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlproject-cache-'));
  try {
    let clock = 0;
    const files = cachedProjectFiles(nodeProjectFiles, 2000, () => clock);
    const script = join(dir, 'train.py');
    assert.equal(files.exists(script), false);
    writeFileSync(script, 'print(1)\n');
    clock = 1000;
    assert.equal(files.exists(script), false, 'within the limit the cached answer stands');
    files.clear();
    assert.equal(files.exists(script), true);
    rmSync(script);
    clock = 3500;
    assert.equal(files.exists(script), false, 'older than the limit: asked again');
    writeFileSync(join(dir, 'python_env.yaml'), 'python: "3.11"\n');
    assert.equal(files.readText?.(join(dir, 'python_env.yaml')), 'python: "3.11"\n');
    assert.deepEqual(
      files.listDir?.(dir).map((d) => d.name),
      ['python_env.yaml'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
