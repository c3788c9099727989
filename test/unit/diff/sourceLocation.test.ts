import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  candidateRelativePaths,
  isGitObjectName,
  isInFolder,
  parseRunSource,
  projectFolder,
} from '../../../extension/src/diff/sourceLocation.ts';
import type { RunSource } from '../../../extension/src/diff/sourceLocation.ts';

function fileSource(name: string): Extract<RunSource, { kind: 'file' }> {
  const s = parseRunSource(name, 'LOCAL');
  assert.ok(s && s.kind === 'file', `${name} is a file source`);
  return s;
}

test('a script path is a file source, POSIX or Windows', () => {
  assert.deepEqual(parseRunSource('/home/alice/repo/src/train.py', 'LOCAL'), {
    kind: 'file',
    segments: ['home', 'alice', 'repo', 'src', 'train.py'],
    path: 'home/alice/repo/src/train.py',
  });
  assert.deepEqual(parseRunSource('C:\\Users\\bob\\repo\\train.py'), {
    kind: 'file',
    segments: ['C:', 'Users', 'bob', 'repo', 'train.py'],
    path: 'C:/Users/bob/repo/train.py',
  });
  assert.deepEqual(parseRunSource('./train.py'), { kind: 'file', segments: ['train.py'], path: 'train.py' });
  assert.equal(parseRunSource('   '), undefined);
});

test('a project recorded as file://<work tree>#<subdir> names the folder inside the repository', () => {
  assert.deepEqual(parseRunSource('file:///home/alice/repo#examples/wine', 'PROJECT'), {
    kind: 'project',
    worktree: '/home/alice/repo',
    subdir: 'examples/wine',
  });
  assert.deepEqual(parseRunSource('file:///home/alice/my%20repo', 'PROJECT'), {
    kind: 'project',
    worktree: '/home/alice/my repo',
    subdir: '',
  });
  assert.deepEqual(parseRunSource('https://github.com/org/proj#sub/dir', 'PROJECT'), {
    kind: 'project',
    subdir: 'sub/dir',
  });
  assert.deepEqual(parseRunSource('/home/alice/not-git', 'PROJECT'), {
    kind: 'project',
    worktree: '/home/alice/not-git',
    subdir: '',
  });
  // A file:// URI without a fragment and not a project is a file.
  assert.deepEqual(parseRunSource('file:///tmp/x/run.py', 'LOCAL'), {
    kind: 'file',
    segments: ['tmp', 'x', 'run.py'],
    path: 'tmp/x/run.py',
  });
});

test('relative paths to try: exact when inside the repository, then suffixes longest first', () => {
  assert.deepEqual(candidateRelativePaths(fileSource('/work/repo/src/train.py'), '/work/repo'), [
    'src/train.py',
    'work/repo/src/train.py',
    'repo/src/train.py',
    'train.py',
  ]);
  // Recorded on another machine: only suffixes can match.
  assert.deepEqual(candidateRelativePaths(fileSource('/ci/build/repo/src/train.py'), '/home/me/repo'), [
    'ci/build/repo/src/train.py',
    'build/repo/src/train.py',
    'repo/src/train.py',
    'src/train.py',
    'train.py',
  ]);
  // A sibling folder sharing a prefix is not "inside".
  assert.deepEqual(candidateRelativePaths(fileSource('/work/repo2/a.py'), '/work/repo')[0], 'work/repo2/a.py');
});

test('project folder and membership', () => {
  assert.equal(projectFolder({ kind: 'project', worktree: '/w/r', subdir: 'ex/wine' }, '/other/r'), 'ex/wine');
  assert.equal(projectFolder({ kind: 'project', worktree: '/w/r/sub', subdir: '' }, '/w/r'), 'sub');
  assert.equal(projectFolder({ kind: 'project', subdir: '' }, '/w/r'), '');
  assert.ok(isInFolder('ex/wine/train.py', 'ex/wine'));
  assert.ok(!isInFolder('ex/wine2/train.py', 'ex/wine'));
  assert.ok(isInFolder('anything.py', ''));
});

test('only a hex object name (7-64 hex digits) counts as a Git commit; options and refs do not', () => {
  for (const ok of ['abcdef1', 'a'.repeat(40), 'ABCDEF0123', '0'.repeat(64)])
    assert.equal(isGitObjectName(ok), true, ok);
  for (const bad of [
    '--output=/home/me/.bashrc',
    '-p',
    'abcdef',
    'a'.repeat(65),
    'HEAD',
    'main',
    'abcdef1 --',
    'abcdef1\n',
    ' abcdef1',
    'abcdefg',
    '',
    'HEAD~1',
    '@{-1}',
  ])
    assert.equal(isGitObjectName(bad), false, JSON.stringify(bad));
});
