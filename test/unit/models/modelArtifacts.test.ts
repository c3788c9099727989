import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findModelDirs, modelNameProblem } from '../../../extension/src/models/modelArtifacts.ts';
import type { FileInfo } from '../../../extension/src/mlflow/types.ts';

/** An artifact tree as artifacts/list answers it, one level per call, and the calls made. */
function tree(paths: string[]): { list: (p: string) => Promise<FileInfo[]>; calls: string[] } {
  const calls: string[] = [];
  const list = async (dir: string): Promise<FileInfo[]> => {
    calls.push(dir);
    const prefix = dir ? `${dir}/` : '';
    const children = new Map<string, boolean>();
    for (const p of paths) {
      if (!p.startsWith(prefix)) continue;
      const [head, ...rest] = p.slice(prefix.length).split('/');
      if (head) children.set(prefix + head, children.get(prefix + head) === true || rest.length > 0);
    }
    return [...children].map(([path, is_dir]) => ({ path, is_dir }));
  };
  return { list, calls };
}

test('model folders are the ones holding an MLmodel file, at any depth, not their subfolders', async () => {
  const t = tree([
    'model/MLmodel',
    'model/code/MLmodel',
    'plots/roc.png',
    'nested/deeper/clf/MLmodel',
    'nested/deeper/clf/model.pkl',
    'MLmodel.txt',
  ]);
  const found = await findModelDirs(t.list);
  assert.deepEqual(found, { dirs: ['model', 'nested/deeper/clf'], truncated: false });
  assert.ok(!t.calls.includes('model/code'), 'a model folder is not searched further');
});

test('a huge artifact tree costs a bounded number of listings and says it stopped', async () => {
  const t = tree(Array.from({ length: 500 }, (_, i) => `shard-${i}/part.bin`));
  const found = await findModelDirs(t.list, { maxListings: 20 });
  assert.equal(t.calls.length, 20);
  assert.deepEqual(found, { dirs: [], truncated: true });
});

test('the artifact root itself can be the model', async () => {
  assert.deepEqual((await findModelDirs(tree(['MLmodel', 'model.pkl']).list)).dirs, ['']);
});

test('registered model names: anything but / and :', () => {
  assert.equal(modelNameProblem('wine quality #1 ?50% é'), undefined);
  for (const bad of ['', '  ', 'a/b', 'a:b']) assert.ok(modelNameProblem(bad), bad);
});
