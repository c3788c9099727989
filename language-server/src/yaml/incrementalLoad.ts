// Typing inside a value (a default, a type, a command) is most edits, and it cannot change the
// YAML structure when the new text is a plain or quoted scalar of the same shape. For such an
// edit the previous load is patched — the one scalar re-resolved with PyYAML's rules, later
// ranges shifted — instead of parsing again, which is most of the cost of a keystroke. Anything
// else (keys, line breaks, indicators, quotes, escapes, anchors, tags, a file with YAML problems)
// returns undefined and the caller parses from scratch.
import {
  PythonError,
  pyKeyIdentity,
  resetRenderCache,
  type PyDict,
  type PyEntry,
  type PyValue,
} from '../python/pythonValues.ts';
import type { LoadedYaml } from './pyyamlLoad.ts';
import { constructScalar, resolvePlainScalar } from './pyyamlScalars.ts';

// A plain scalar that stays one plain scalar in block and flow context, whatever is around it.
const SAFE_PLAIN = /^[A-Za-z0-9_./~$(][A-Za-z0-9_./~$()=+@%^ -]*$/;
// Quoted content without the characters that end the scalar, escape, or break lines.
const SAFE_DOUBLE = /^[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]*$/;
const SAFE_SINGLE = /^[^'\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]*$/;

/** Every node reachable from the root, once each (aliases make the tree a graph). */
export function allNodes(root: PyValue): Set<PyValue> {
  // Runs on every keystroke over every node of the file: plain loops, no spread arrays.
  const seen = new Set<PyValue>();
  const stack: PyValue[] = [root];
  const push = (list: PyEntry[]): void => {
    for (const e of list) {
      if (!seen.has(e.key)) stack.push(e.key);
      if (!seen.has(e.value)) stack.push(e.value);
      if (e.lastKey && e.lastKey !== e.key && !seen.has(e.lastKey)) stack.push(e.lastKey);
    }
  };
  while (stack.length > 0) {
    const v = stack.pop() as PyValue;
    if (seen.has(v)) continue;
    seen.add(v);
    if (v.kind === 'dict') {
      push(v.entries);
      push(v.written);
    } else if (v.kind === 'list' || v.kind === 'set') for (const item of v.items) if (!seen.has(item)) stack.push(item);
  }
  return seen;
}

interface TreeIndex {
  nodes: Set<PyValue> | (() => Set<PyValue>);
  uses?: Uses;
  anchored?: boolean;
}

/**
 * Per tree (by its root): its nodes, and what is derived from them. Every keystroke needs them and
 * a tree's node set only changes when a new tree is built: the scalar patch below changes a
 * node's contents in place, never which nodes there are.
 */
const treeIndexes = new WeakMap<PyValue, TreeIndex>();

function indexOf(root: PyValue): TreeIndex & { nodes: Set<PyValue> } {
  let index = treeIndexes.get(root);
  if (!index) {
    index = { nodes: allNodes(root) };
    treeIndexes.set(root, index);
  }
  if (typeof index.nodes === 'function') index.nodes = index.nodes();
  return index as TreeIndex & { nodes: Set<PyValue> };
}

/** The nodes of a tree, computed once per tree. The set must not be modified. */
export function nodesOf(root: PyValue): ReadonlySet<PyValue> {
  return indexOf(root).nodes;
}

/** Whether any node of the tree carries an anchor (so may be shared through aliases or merges). */
export function hasAnchors(root: PyValue): boolean {
  const known = treeIndexes.get(root)?.anchored;
  if (known !== undefined) return known;
  const index = indexOf(root);
  if (index.anchored === undefined) {
    index.anchored = false;
    for (const n of index.nodes) if (n.anchored) index.anchored = true;
  }
  return index.anchored;
}

/**
 * For a tree built from another one: its exact node set (or how to get it when first needed), so
 * it need not be walked again.
 */
export function rememberNodes(root: PyValue, nodes: Set<PyValue> | (() => Set<PyValue>), anchored?: boolean): void {
  treeIndexes.set(root, { nodes, ...(anchored !== undefined ? { anchored } : {}) });
}

interface Uses {
  /** References to each node, as a value or as a key. */
  count: Map<PyValue, number>;
  /** For nodes used as keys: the mapping they are a key of (the last one seen). */
  keyOf: Map<PyValue, PyDict>;
}

function uses(nodes: Set<PyValue>): Uses {
  const count = new Map<PyValue, number>();
  const keyOf = new Map<PyValue, PyDict>();
  const use = (v: PyValue): void => {
    count.set(v, (count.get(v) ?? 0) + 1);
  };
  for (const n of nodes) {
    if (n.kind === 'dict') {
      for (const e of n.entries) {
        use(e.key);
        keyOf.set(e.key, n);
        if (e.lastKey && e.lastKey !== e.key) {
          use(e.lastKey);
          keyOf.set(e.lastKey, n);
        }
        use(e.value);
      }
    } else if (n.kind === 'list') n.items.forEach(use);
    else if (n.kind === 'set') for (const item of n.items) count.set(item, Infinity);
  }
  return { count, keyOf };
}

/**
 * The edit between two texts: the span between their common prefix and common suffix, as
 * offsets in the old text (`start`..`oldEnd`) and the new (`start`..`newEnd`).
 */
export function editSpan(old: string, text: string): { start: number; oldEnd: number; newEnd: number; delta: number } {
  let start = 0;
  const max = Math.min(old.length, text.length);
  while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let oldEnd = old.length;
  let newEnd = text.length;
  while (oldEnd > start && newEnd > start && old.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  const delta = text.length - old.length;
  return { start, oldEnd, newEnd, delta };
}

export function updateLoadedYaml(previous: LoadedYaml, text: string): LoadedYaml | undefined {
  const old = previous.text;
  if (!previous.root || previous.problems.length > 0 || previous.empty || previous.syntaxBroken) return undefined;
  const { start, oldEnd, delta } = editSpan(old, text);
  if (delta === 0 && start === oldEnd) return { ...previous, text };

  const index = indexOf(previous.root);
  const nodes = index.nodes;
  const use = (index.uses ??= uses(nodes));
  let target: PyValue | undefined;
  for (const v of nodes) {
    if (v.kind === 'dict' || v.kind === 'list' || v.kind === 'set' || !v.style || v.tagged || v.anchored) continue;
    const quoted = v.style === 'double' || v.style === 'single';
    const inside = quoted
      ? v.range.start < start && oldEnd < v.range.end
      : v.range.start <= start && oldEnd <= v.range.end;
    if (!inside) continue;
    if (target) return undefined;
    target = v;
  }
  // One use only: shared nodes (aliases, merges) would need every use checked.
  if (!target || (use.count.get(target) ?? 0) !== 1) return undefined;
  const owner = use.keyOf.get(target);
  const v = target;
  if (v.style !== 'plain' && v.style !== 'double' && v.style !== 'single') return undefined;
  const oldSource = old.slice(v.range.start, v.range.end);
  if (oldSource.includes('\n') || oldSource.includes('\r')) return undefined;
  const newSource = text.slice(v.range.start, v.range.end + delta);
  let replacement: PyValue;
  try {
    if (v.style === 'plain') {
      if (
        !SAFE_PLAIN.test(newSource) ||
        newSource.endsWith(' ') ||
        newSource.includes(' #') ||
        newSource.includes('  ')
      )
        return undefined;
      const tag = resolvePlainScalar(newSource);
      if (tag === 'merge' || tag === 'value') return undefined;
      replacement = {
        ...constructScalar(tag, newSource),
        range: v.range,
        style: 'plain',
        source: newSource,
      } as PyValue;
    } else {
      const quote = v.style === 'double' ? '"' : "'";
      if (!newSource.startsWith(quote) || !newSource.endsWith(quote) || newSource.length < 2) return undefined;
      const content = newSource.slice(1, -1);
      if (!(v.style === 'double' ? SAFE_DOUBLE : SAFE_SINGLE).test(content)) return undefined;
      replacement = { kind: 'str', value: content, range: v.range, style: v.style, source: content };
    }
  } catch (e) {
    if (e instanceof PythonError) return undefined;
    throw e;
  }
  if (owner) {
    // A key: it must stay unique in its mapping, so the mapping's shape does not change.
    if (replacement.kind === 'dict' || replacement.kind === 'list' || replacement.kind === 'set') return undefined;
    if (owner.written.length !== owner.entries.length) return undefined;
    const id = pyKeyIdentity(replacement);
    if (id.startsWith('nan:') || owner.entries.some((e) => e.key !== target && pyKeyIdentity(e.key) === id))
      return undefined;
  }

  // Patch in place: every reference to the scalar (merged copies included) sees the new value.
  const newRange = { start: v.range.start, end: v.range.end + delta };
  for (const k of Object.keys(v)) delete (v as unknown as Record<string, unknown>)[k];
  Object.assign(v, replacement, { range: newRange });
  for (const node of nodes) {
    if (node === v) continue;
    const r = node.range;
    node.range = { start: r.start >= oldEnd ? r.start + delta : r.start, end: r.end >= oldEnd ? r.end + delta : r.end };
  }
  resetRenderCache();
  return { text, root: previous.root, empty: false, problems: [], syntaxBroken: false };
}
