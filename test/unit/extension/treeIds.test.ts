// Tree node ids must be unique for any string a server sends: VS Code refuses a tree with two
// equal ids ("Element with id … is already registered"), which broke a run's Tags group when a
// user tag was named `g/systemTags`. A property test over random trees with keys built from the
// id scheme's own separators and markers, plus the case that broke.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeIds } from '../../../extension/src/runs/nodes.ts';
import type { EntryKind, GroupKind } from '../../../extension/src/runs/nodes.ts';

/** mulberry32: seeded, so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces that look like the scheme's own separators, markers and encodings.
const PIECES = [
  '/',
  '//',
  'g',
  't',
  'e',
  'r',
  'a',
  'm',
  'p',
  'd',
  'v',
  's:',
  'more',
  'msg',
  'error',
  'info',
  'tags',
  'systemTags',
  'params',
  '%',
  '%2F',
  '%25',
  ':',
  '|',
  '.',
  ' ',
  '\u202e',
  '😀',
  'x',
  '1',
];

// Whole segments of the scheme, so keys like `g/systemTags` or `x/r/1` come up often.
const SEGMENTS = [
  'g',
  't',
  'e',
  'r',
  'a',
  'm',
  'p',
  'd',
  'v',
  'more',
  'msg',
  'error',
  'tags',
  'systemTags',
  'x',
  '1',
  '',
];

function randomKey(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  if (r() < 0.5) return Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(SEGMENTS)).join('/');
  let s = '';
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) s += pick(PIECES);
  return s;
}

function distinctKeys(r: () => number, max: number): string[] {
  return [...new Set(Array.from({ length: Math.floor(r() * max) }, () => randomKey(r)))];
}

/**
 * Every node of a random tree as [what it is, its id]. "What it is" is the node's identity
 * written unambiguously (JSON of its path), so two entries with different identities are two
 * distinct nodes.
 */
function randomTree(r: () => number): [string, string][] {
  const out: [string, string][] = [];
  const add = (identity: unknown[], id: string) => out.push([JSON.stringify(identity), id]);
  const groups: GroupKind[] = ['params', 'metrics', 'tags', 'datasets'];
  const entryKind: Record<string, EntryKind> = {
    params: 'param',
    metrics: 'metric',
    tags: 'tag',
    systemTags: 'tag',
    datasets: 'dataset',
  };

  const runLevel = (parentIdentity: unknown[], parentId: string, depth: number) => {
    for (const runId of distinctKeys(r, 3)) {
      const ri = [...parentIdentity, 'run', runId];
      const rid = nodeIds.run(parentId, runId);
      add(ri, rid);
      add([...ri, 'message', 'error'], nodeIds.message(rid, 'error'));
      for (const g of groups) {
        const gi = [...ri, 'group', g];
        const gid = nodeIds.group(rid, g);
        add(gi, gid);
        for (const key of distinctKeys(r, 4)) add([...gi, entryKind[g], key], nodeIds.entry(gid, entryKind[g]!, key));
        if (g === 'tags') {
          // System tags nest under Tags.
          const si = [...gi, 'group', 'systemTags'];
          const sid = nodeIds.group(gid, 'systemTags');
          add(si, sid);
          for (const key of distinctKeys(r, 3))
            add([...si, 'tag', `mlflow.${key}`], nodeIds.entry(sid, 'tag', `mlflow.${key}`));
        }
      }
      for (const path of ['', ...distinctKeys(r, 4).filter((p) => p !== '')])
        add([...ri, 'artifact', path], nodeIds.artifact(rid, path));
      add([...ri, 'loadMore'], nodeIds.loadMore(rid));
      if (depth < 2) runLevel(ri, rid, depth + 1);
    }
  };

  for (const serverId of distinctKeys(r, 3)) {
    const si = ['server', serverId];
    const sid = nodeIds.server(serverId);
    add(si, sid);
    add([...si, 'message', 'info'], nodeIds.message(sid, 'info'));
    for (const expId of distinctKeys(r, 3)) {
      const ei = [...si, 'experiment', expId];
      const eid = nodeIds.experiment(sid, expId);
      add(ei, eid);
      add([...ei, 'loadMore'], nodeIds.loadMore(eid));
      add([...ei, 'message', 'error'], nodeIds.message(eid, 'error'));
      runLevel(ei, eid, 0);
    }
  }
  for (const name of distinctKeys(r, 4)) {
    add(['model', name], nodeIds.model(name));
    for (const v of distinctKeys(r, 3)) add(['model', name, 'version', v], nodeIds.modelVersion(name, v));
  }
  return out;
}

function assertUnique(nodes: [string, string][], label: string): void {
  const byId = new Map<string, string>();
  for (const [identity, id] of nodes) {
    const other = byId.get(id);
    if (other !== undefined && other !== identity)
      assert.fail(`${label}: ${other} and ${identity} share the id ${JSON.stringify(id)}`);
    byId.set(id, identity);
  }
}

test('no two distinct tree nodes share an id, for random trees of hostile keys', () => {
  for (let seed = 1; seed <= 300; seed++) assertUnique(randomTree(rng(seed)), `seed ${seed}`);
});

test('a user tag named g/systemTags is not the System tags group', () => {
  const run = nodeIds.run(nodeIds.experiment(nodeIds.server('http://127.0.0.1:5000'), '1'), 'abc');
  const tags = nodeIds.group(run, 'tags');
  assert.notEqual(nodeIds.entry(tags, 'tag', 'g/systemTags'), nodeIds.group(tags, 'systemTags'));
  // A server URI that looks like a deeper path is not another server's experiment.
  assert.notEqual(nodeIds.server('http://h/e/1'), nodeIds.experiment(nodeIds.server('http://h'), '1'));
  // A model named like another model's version.
  assert.notEqual(nodeIds.model('a/v/1'), nodeIds.modelVersion('a', '1'));
});
