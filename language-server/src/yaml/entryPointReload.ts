// Edits that change the structure of one entry point (a new parameter line, a renamed key, a
// line removed) are most of what typing does to a big MLproject, and the scalar patch of
// incrementalLoad.ts declines them. When the edit stays inside one entry point's lines, only
// those lines are parsed again (as a YAML document of their own, so the cost follows the entry
// point, not the file) and the new entry replaces the old one; later ranges shift. Anything that
// could make the result differ from a full parse returns undefined and the caller parses from
// scratch: YAML problems before or after, anchors anywhere, duplicate or merged keys, a flow
// `entry_points`, or a new text that is not exactly one entry at the same indentation. An entry
// point left invalid by the edit is parsed in the context it has in the file (brokenInContext).
import { allNodes, editSpan, hasAnchors, nodesOf, rememberNodes } from './incrementalLoad.ts';
import type { LoadProblem } from './loadProblem.ts';
import { loadMlprojectYaml, type LoadedYaml } from './pyyamlLoad.ts';
import type { OffsetRange } from '../text/textPositions.ts';
import {
  dictGet,
  pyKeyIdentity,
  resetRenderCache,
  type PyDict,
  type PyEntry,
  type PyValue,
} from '../python/pythonValues.ts';

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * First offset of each entry point's lines; the last one runs to the next top-level key.
 * Undefined when an entry point's key does not open its line (flow, `- `, several per line).
 */
export function entryPointSegments(
  text: string,
  root: PyDict,
  entryPoints: PyEntry,
  dict: PyDict,
): Array<{ entry: PyEntry; start: number; end: number }> | undefined {
  const written = dict.written;
  const out: Array<{ entry: PyEntry; start: number; end: number }> = [];
  for (let i = 0; i < written.length; i++) {
    const e = written[i] as PyEntry;
    const start = lineStartOf(text, e.key.range.start);
    // The key must open its line (no `- `, no flow, nothing before it but indentation).
    if (text.slice(start, e.key.range.start).trim() !== '') return undefined;
    if (i > 0 && start <= (out[i - 1] as { start: number }).start) return undefined;
    out.push({ entry: e, start, end: text.length });
  }
  for (let i = 0; i + 1 < out.length; i++) (out[i] as { end: number }).end = (out[i + 1] as { start: number }).start;
  const last = out[out.length - 1];
  if (last) {
    const after = root.written
      .map((e) => e.key.range.start)
      .filter((s) => s > entryPoints.key.range.start)
      .sort((a, b) => a - b)[0];
    if (after !== undefined) {
      const next = lineStartOf(text, after);
      if (next <= last.start) return undefined;
      last.end = next;
    }
  }
  return out;
}

interface Layout {
  segments: Array<{ entry: PyEntry; start: number; end: number }>;
  /** Segments in which a mapping that started before them ends. */
  endsContainer: Set<number>;
}

/**
 * The entry points' segments of a clean load and which of them end a mapping, once per load:
 * every keystroke while the text is invalid is measured against the same clean load.
 */
const layouts = new WeakMap<LoadedYaml, Layout | undefined>();

function layoutOf(base: LoadedYaml, entryPoints: PyEntry, dict: PyDict): Layout | undefined {
  if (layouts.has(base)) return layouts.get(base);
  const segs = base.root?.kind === 'dict' ? entryPointSegments(base.text, base.root, entryPoints, dict) : undefined;
  let layout: Layout | undefined;
  if (segs && base.root) {
    const endsContainer = new Set<number>();
    for (const n of nodesOf(base.root)) {
      // The segment the node ends in (segments are contiguous and sorted): s.start < end <= s.end.
      let lo = 0;
      let hi = segs.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((segs[mid] as { end: number }).end < n.range.end) lo = mid + 1;
        else hi = mid;
      }
      const s = segs[lo];
      if (s && n.range.start < s.start && n.range.end > s.start && n.range.end <= s.end) endsContainer.add(lo);
    }
    layout = { segments: segs, endsContainer };
  }
  layouts.set(base, layout);
  return layout;
}

interface WorkingCopy {
  root: PyDict;
  /** Base node → its copy. */
  copies: Map<PyValue, PyValue>;
  /** Every copied node with its range in the base, to shift from on each edit. */
  ranges: Array<[PyValue, OffsetRange]>;
  /** The entry the last edit replaced, to put back before the next one. */
  replaced?: { dict: PyDict; wi: number; ei: number; written: PyEntry; entry: PyEntry };
}

/**
 * One deep copy of a clean load per base, reused by the keystrokes measured against it: copying
 * 10,000 nodes per keystroke was most of the cost of typing into a 3,000-line file. Each result
 * that reuses it replaces the previous one, which the caller no longer uses (it was broken).
 */
const workingCopies = new WeakMap<LoadedYaml, WorkingCopy>();

function workingCopyOf(base: LoadedYaml): WorkingCopy {
  let copy = workingCopies.get(base);
  if (!copy) {
    const { root, copies } = cloneTree(base.root as PyValue);
    const ranges: Array<[PyValue, OffsetRange]> = [];
    for (const c of copies.values()) ranges.push([c, c.range]);
    copy = { root: root as PyDict, copies, ranges };
    workingCopies.set(base, copy);
  }
  return copy;
}

function restore(copy: WorkingCopy): void {
  const r = copy.replaced;
  if (r) {
    r.dict.written[r.wi] = r.written;
    r.dict.entries[r.ei] = r.entry;
    copy.replaced = undefined;
  }
}

function shift(nodes: Iterable<PyValue>, by: number, from = 0): void {
  for (const node of nodes) {
    const r = node.range;
    node.range = { start: r.start >= from ? r.start + by : r.start, end: r.end >= from ? r.end + by : r.end };
  }
}

/** A deep copy, so the clean load the edits are measured against stays as it was; and each node's copy. */
function cloneTree(root: PyValue): { root: PyValue; copies: Map<PyValue, PyValue> } {
  const copies = new Map<PyValue, PyValue>();
  const copy = (v: PyValue): PyValue => {
    const done = copies.get(v);
    if (done) return done;
    if (v.kind === 'dict') {
      const d: PyDict = { ...v, range: { ...v.range }, entries: [], written: [] };
      copies.set(v, d);
      const entry = (e: PyEntry): PyEntry => {
        const c: PyEntry = { ...e, key: copy(e.key), value: copy(e.value) };
        if (e.lastKey) c.lastKey = copy(e.lastKey);
        return c;
      };
      d.entries = v.entries.map(entry);
      d.written = v.written.map(entry);
      return d;
    }
    if (v.kind === 'list' || v.kind === 'set') {
      const l = { ...v, range: { ...v.range }, items: [] as PyValue[] };
      copies.set(v, l);
      l.items = v.items.map(copy);
      return l;
    }
    const scalar = { ...v, range: { ...v.range } };
    copies.set(v, scalar);
    return scalar;
  };
  return { root: copy(root), copies };
}

export interface ReloadOptions {
  /**
   * The caller drops `base` when the result is clean (it becomes the next base): then the clean
   * result is `base`'s tree updated in place instead of a copy. Copying every node of a big
   * file was most of the cost of each structural edit.
   */
  consume?: boolean;
}

/**
 * `base` must be a load without problems; it is not modified (but see `consume`), so the caller
 * can keep measuring edits against the last clean load while the text passes through invalid
 * YAML (most keystrokes of a new line do), and re-parse one entry point again as soon as it is
 * valid.
 */
export function reloadEntryPoint(base: LoadedYaml, text: string, options: ReloadOptions = {}): LoadedYaml | undefined {
  const old = base.text;
  if (!base.root || base.root.kind !== 'dict' || base.problems.length > 0 || base.empty || base.syntaxBroken)
    return undefined;
  const baseEps = dictGet(base.root, 'entry_points');
  const baseDict = baseEps?.value;
  if (
    !baseEps ||
    baseDict?.kind !== 'dict' ||
    baseDict.flow ||
    baseDict.written.length === 0 ||
    baseDict.written.length !== baseDict.entries.length
  )
    return undefined;
  if (base.root.written.length !== base.root.entries.length || baseDict.entries.some((e) => e.merged)) return undefined;

  const { start, oldEnd, newEnd, delta } = editSpan(old, text);
  const layout = layoutOf(base, baseEps, baseDict);
  const baseSegs = layout?.segments;
  const segIndex = baseSegs?.findIndex((s) => s.start <= start && oldEnd <= s.end && start < s.end) ?? -1;
  if (!baseSegs || segIndex < 0) return undefined;
  const seg = baseSegs[segIndex] as { entry: PyEntry; start: number; end: number };
  // Where a mapping ends after its last value (before or after line breaks and comments) is the
  // parser's business: the entry point that ends entry_points takes a full parse.
  if (layout.endsContainer.has(segIndex)) return undefined;
  // A line break removed right before the next entry's key would join the two.
  if (oldEnd === seg.end && seg.end < old.length && newEnd > 0 && text[newEnd - 1] !== '\n') return undefined;
  if (hasAnchors(base.root)) return undefined;

  const segText = text.slice(seg.start, seg.end + delta);
  const oldColumn = seg.entry.key.range.start - seg.start;
  let loaded = loadMlprojectYaml(segText);
  let segRoot = loaded.root;
  let problems: LoadProblem[] = [];
  if (loaded.problems.length > 0 || loaded.syntaxBroken) {
    // Most keystrokes of a new line pass through invalid YAML. Parsed alone, the entry point is
    // the document's top level and the `yaml` package recovers from the error differently than
    // inside the whole file; parsed inside the mapping it really sits in, followed by the line
    // that really follows it, the parser is in the same state at every character, so it reports
    // the same errors. The tree is then only a guess, as a full parse's is.
    const inContext = brokenInContext(text, seg.start, segText, oldColumn);
    if (!inContext) return undefined;
    ({ loaded, segRoot, problems } = inContext);
  }
  if (loaded.empty || segRoot?.kind !== 'dict' || segRoot.flow) return undefined;
  if (segRoot.written.length !== 1 || segRoot.entries.length !== 1) return undefined;
  const fresh = segRoot.entries[0] as PyEntry;
  const written = segRoot.written[0] as PyEntry;
  // Same indentation as its siblings, and the key opens the segment's first line.
  if (written.key.range.start !== oldColumn || segText.slice(0, oldColumn).trim() !== '') return undefined;
  const freshNodes = allNodes(segRoot);
  for (const n of freshNodes) if (n.anchored) return undefined;
  const id = pyKeyIdentity(fresh.key);
  if (id.startsWith('nan:') || baseDict.entries.some((e) => e.key !== seg.entry.key && pyKeyIdentity(e.key) === id))
    return undefined;

  const wi = baseDict.written.indexOf(seg.entry);
  const ei = baseDict.entries.findIndex((e) => e.key === seg.entry.key);
  if (wi < 0 || ei < 0) return undefined;

  freshNodes.delete(segRoot);
  shift(freshNodes, seg.start);
  if (problems.length === 0 && options.consume && !workingCopies.has(base)) {
    return replaceInPlace(base, text, seg, { wi, ei, delta, fresh, written, freshNodes });
  }

  // Work on a copy: the base stays the reference for the next edit. Everything after the old
  // entry moves by delta; the old entry's nodes go away.
  const copy = workingCopyOf(base);
  const root = copy.root;
  restore(copy);
  const from = seg.end;
  for (const [node, range] of copy.ranges) {
    node.range =
      range.start >= from || range.end >= from
        ? {
            start: range.start >= from ? range.start + delta : range.start,
            end: range.end >= from ? range.end + delta : range.end,
          }
        : range;
  }
  const dict = (dictGet(root, 'entry_points') as PyEntry).value as PyDict;
  copy.replaced = { dict, wi, ei, written: dict.written[wi] as PyEntry, entry: dict.entries[ei] as PyEntry };
  dict.written[wi] = { key: written.key, value: written.value };
  dict.entries[ei] = { key: fresh.key, value: fresh.value, lastKey: fresh.key };
  const copies = copy.copies;
  // The copy's exact node set, for a value edit on it next (only a clean tree gets one).
  rememberNodes(
    root,
    () => {
      const nodes = new Set(copies.values());
      for (const old of allNodes(seg.entry.key)) nodes.delete(copies.get(old) as PyValue);
      for (const old of allNodes(seg.entry.value)) nodes.delete(copies.get(old) as PyValue);
      for (const n of freshNodes) nodes.add(n);
      return nodes;
    },
    false,
  );
  // A clean result may become the next base or be patched in place: it is the caller's from now
  // on, and the next edit against this base copies the base again. A broken one is neither, so
  // the copy is reused (re-shifted in place) by the next keystroke: no copy per keystroke.
  if (problems.length === 0) workingCopies.delete(base);
  resetRenderCache();
  return { text, root, empty: false, problems, syntaxBroken: problems.length > 0 };
}

/** The clean result as `base`'s own tree: the old entry's nodes out, the new ones in, later ranges moved. */
function replaceInPlace(
  base: LoadedYaml,
  text: string,
  seg: { entry: PyEntry; end: number },
  r: { wi: number; ei: number; delta: number; fresh: PyEntry; written: PyEntry; freshNodes: Set<PyValue> },
): LoadedYaml {
  const root = base.root as PyDict;
  // The index's set becomes this tree's set below, which also forgets what was derived from it.
  const nodes = nodesOf(root) as Set<PyValue>;
  for (const old of allNodes(seg.entry.key)) nodes.delete(old);
  for (const old of allNodes(seg.entry.value)) nodes.delete(old);
  shift(nodes, r.delta, seg.end);
  const dict = (dictGet(root, 'entry_points') as PyEntry).value as PyDict;
  dict.written[r.wi] = { key: r.written.key, value: r.written.value };
  dict.entries[r.ei] = { key: r.fresh.key, value: r.fresh.value, lastKey: r.fresh.key };
  for (const n of r.freshNodes) nodes.add(n);
  rememberNodes(root, nodes, false);
  resetRenderCache();
  return { text, root, empty: false, problems: [], syntaxBroken: false };
}

/** Text before the entry point in the synthetic document: the mapping `entry_points` opens. */
const CONTEXT_HEADER = 'entry_points:\n';

/**
 * Parses a broken entry point the way the whole file would: as the value of a top-level
 * `entry_points:` and followed by the line after it (the next entry point's key, the next
 * top-level key or nothing). Declines unless the errors all lie inside the entry point and the
 * parser came out of it in the state a whole-file parse continues from (that next line read as a
 * sibling, not swallowed), since only then is the rest of the file parsed as it was when clean.
 * Returns the entry point as a one-entry mapping with offsets relative to the segment, and the
 * problems with offsets in the whole text.
 */
function brokenInContext(
  text: string,
  segStart: number,
  segText: string,
  column: number,
): { loaded: LoadedYaml; segRoot: PyDict; problems: LoadProblem[] } | undefined {
  const segEnd = segStart + segText.length;
  const nextLineEnd = text.indexOf('\n', segEnd);
  const nextLine = text.slice(segEnd, nextLineEnd < 0 ? text.length : nextLineEnd);
  // The next line must be a key of its own (the loop in `segments` guarantees it for entry
  // points; a top-level key starts at column 0), not the end of the text with no line break.
  if (nextLine !== '' && !/^ *[A-Za-z_][A-Za-z0-9_-]*:( |$)/.test(nextLine)) return undefined;
  const synthetic = CONTEXT_HEADER + segText + nextLine;
  const loaded = loadMlprojectYaml(synthetic);
  const at = CONTEXT_HEADER.length;
  const end = at + segText.length;
  if (!loaded.syntaxBroken || loaded.root?.kind !== 'dict') return undefined;
  for (const p of loaded.problems) {
    // Only what the `yaml` package and the syntax checks report locally; anything that depends on
    // the whole document (anchors, several documents, nesting, size) takes a full parse.
    if (
      p.code !== 'yaml-syntax' &&
      p.code !== 'yaml-tab' &&
      p.code !== 'yaml-control-character' &&
      p.code !== 'yaml-scalar'
    )
      return undefined;
    if (p.range.start < at || p.range.end > end || p.related) return undefined;
  }
  const top = loaded.root.written;
  const eps = top[0];
  if (!eps || eps.key.range.start !== 0 || eps.value.kind !== 'dict' || eps.value.flow) return undefined;
  const inner = eps.value.written;
  const first = inner[0];
  if (!first || first.key.range.start !== at + column) return undefined;
  const nextIndent = nextLine.length - nextLine.trimStart().length;
  if (nextLine === '') {
    if (inner.length !== 1 || top.length !== 1) return undefined;
  } else if (nextIndent === column) {
    if (inner.length !== 2 || top.length !== 1 || inner[1]?.key.range.start !== end + nextIndent) return undefined;
  } else if (nextIndent === 0) {
    if (inner.length !== 1 || top.length !== 2 || top[1]?.key.range.start !== end) return undefined;
  } else return undefined;
  // The entry point alone, with offsets relative to the segment like a standalone parse's.
  const entry: PyEntry = { key: first.key, value: first.value };
  const segRoot: PyDict = {
    kind: 'dict',
    entries: [{ ...entry, lastKey: first.key }],
    written: [entry],
    range: { start: first.key.range.start, end: first.value.range.end },
    flow: false,
  };
  const nodes = allNodes(segRoot);
  for (const n of nodes) if (n.range.start < at || n.range.end > end) return undefined;
  shift(nodes, -at);
  const problems = loaded.problems.map((p) => ({
    ...p,
    range: { start: p.range.start - at + segStart, end: p.range.end - at + segStart },
  }));
  return { loaded, segRoot, problems };
}
