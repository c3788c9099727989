import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findScriptReferences } from '../../../../language-server/src/model/commandScripts.ts';

const paths = (cmd: string): string[] => findScriptReferences(cmd).map((r) => r.path);

test('finds the script each interpreter runs, with its index', () => {
  const cmd = 'python train.py --alpha {alpha} && bash scripts/run.sh; Rscript fit.R | ./post.sh';
  const refs = findScriptReferences(cmd);
  assert.deepEqual(
    refs.map((r) => r.path),
    ['train.py', 'scripts/run.sh', 'fit.R', './post.sh'],
  );
  for (const r of refs) assert.equal(cmd.slice(r.start, r.end), r.path);
});

test('skips modules, inline code, options and placeholders', () => {
  assert.deepEqual(paths('python -m pkg.train --x 1'), []);
  assert.deepEqual(paths('python -c "print(1)"'), []);
  assert.deepEqual(paths('python -O -W ignore search.py {data}'), ['search.py']);
  assert.deepEqual(paths('python {script}'), []);
  assert.deepEqual(paths('FOO=1 python3.11 "train.py"'), ['train.py']);
  assert.deepEqual(paths('echo hi'), []);
});
