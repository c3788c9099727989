import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  artifactFolderName,
  artifactUriParts,
  parseArtifactUriParts,
} from '../../../extension/src/artifacts/artifactPath.ts';

const loc = { serverKey: 's0123456789', runId: '9f8e7d6c5b4a', path: 'eval/summary.json' };

test('the path a tab and its breadcrumbs show names the run and experiment, not ids', () => {
  const { path, query } = artifactUriParts(loc, artifactFolderName('elasticnet-with-artifacts', 'wine-quality'));
  assert.equal(path, '/elasticnet-with-artifacts (wine-quality)/eval/summary.json');
  assert.ok(!path.includes(loc.runId) && !path.includes(loc.serverKey));
  assert.deepEqual(parseArtifactUriParts(path, query), loc);
});

test('the artifact root resolves to the empty path (a directory)', () => {
  const { path, query } = artifactUriParts({ ...loc, path: '' }, 'run');
  assert.equal(path, '/run');
  assert.deepEqual(parseArtifactUriParts(path, query), { ...loc, path: '' });
});

test('names that would split or break the path are made one safe segment', () => {
  assert.equal(artifactFolderName('a/b: c', 'team/exp#1'), 'a_b_ c (team_exp_1)');
  assert.equal(artifactFolderName('  ', undefined), 'run');
  assert.equal(artifactFolderName('..hidden', ''), '_hidden (experiment)');
});

test('editors restored from the id-only form still resolve', () => {
  assert.deepEqual(parseArtifactUriParts('/s0123456789/9f8e7d6c5b4a/eval/summary.json', ''), loc);
  assert.equal(parseArtifactUriParts('/only-one-segment', ''), undefined);
});
