// Loads MLproject text the way MLflow does (`yaml.safe_load`, PyYAML, YAML 1.1) and returns the
// Python objects it would build, with source ranges, plus every reason PyYAML would refuse the
// text. The `yaml` package does the tokenising (1.1 mode, duplicate keys allowed); the rules in
// which it and PyYAML disagree (tabs, control characters, anchors, tags, merge keys, scalar
// types, recursion depth) are applied here on top.
import { Composer, Parser, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { CST, Document, Node as YamlNode, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { OffsetRange } from '../text/textPositions.ts';
import {
  PythonError,
  pyHashable,
  pyKeyIdentity,
  type PyDict,
  type PyEntry,
  type PyList,
  type PyValue,
  type ScalarStyle,
} from '../python/pythonValues.ts';
import { constructScalar, fullTag, resolvePlainScalar } from './pyyamlScalars.ts';
import { checkPyyamlSyntax } from './pyyamlSyntax.ts';
import type { LoadProblem, LoadProblemCode } from './loadProblem.ts';
import { flowDepthExceeded } from '../text/flowDepth.ts';
import { reindentContinuations } from './pyyamlLeniency.ts';

export interface LoadedYaml {
  text: string;
  /** What yaml.safe_load returns; `undefined` only when nothing could be built. */
  root: PyValue | undefined;
  /** The document holds no node at all (empty file, comments only, bare `---`). */
  empty: boolean;
  problems: LoadProblem[];
  /** The `yaml` package itself reported a syntax error, so the tree is a best effort. */
  syntaxBroken: boolean;
}

/** Python stops at ~1000 frames and PyYAML's composer uses about two per level (measured: 490–493). */
export const MAX_NESTING = 400;
/** Flow nesting past which the text is not even parsed (see flowDepth.ts). */
const FLOW_DEPTH_PARSE_LIMIT = 1000;
const MAX_REPORTED_PER_KIND = 20;
const MAX_MERGED_ENTRIES = 100_000;

// PyYAML's Reader.NON_PRINTABLE.
const NON_PRINTABLE = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function hex4(cp: number): string {
  return cp.toString(16).toUpperCase().padStart(4, '0');
}

function checkPrintable(text: string, problems: LoadProblem[]): void {
  let count = 0;
  for (const m of text.matchAll(NON_PRINTABLE)) {
    const cp = m[0].codePointAt(0) ?? 0;
    problems.push({
      code: 'yaml-control-character',
      range: { start: m.index, end: m.index + m[0].length },
      message: `PyYAML rejects the file: unacceptable character #x${hex4(cp)}: special characters are not allowed`,
      fatal: true,
    });
    if (++count >= MAX_REPORTED_PER_KIND) break;
  }
}

// ---------------------------------------------------------------------------------------------
// Building Python values.

const STYLES: Record<string, ScalarStyle> = {
  PLAIN: 'plain',
  QUOTE_SINGLE: 'single',
  QUOTE_DOUBLE: 'double',
  BLOCK_LITERAL: 'literal',
  BLOCK_FOLDED: 'folded',
};

const CORE = 'tag:yaml.org,2002:';

function nodeId(n: YamlNode): string {
  if (isMap(n)) return 'mapping';
  if (isSeq(n)) return 'sequence';
  return 'scalar';
}

interface BuildState {
  anchors: Map<string, PyValue>;
  /** Entries copied in by `<<` merges; chained merges grow quadratically with the text. */
  mergeBudget: number;
  problems: LoadProblem[];
  counts: Map<LoadProblemCode, number>;
  maxDepth: number;
  tooDeepReported: boolean;
}

function report(state: BuildState, p: LoadProblem): void {
  const n = state.counts.get(p.code) ?? 0;
  if (n >= MAX_REPORTED_PER_KIND) return;
  state.counts.set(p.code, n + 1);
  state.problems.push(p);
}

// Parsed-text offset → original offset; they differ only while building from re-indented text.
let currentToOriginal: (offset: number) => number = (o) => o;

function rangeOf(
  n: { range?: [number, number, number] | null } | null | undefined,
  fallback: OffsetRange,
): OffsetRange {
  const r = n?.range;
  return r ? { start: currentToOriginal(r[0]), end: currentToOriginal(r[1]) } : fallback;
}

function none(range: OffsetRange): PyValue {
  return { kind: 'none', range };
}

function scalarValue(node: Scalar, state: BuildState, asKey: boolean): PyValue {
  const range = rangeOf(node, { start: 0, end: 0 });
  const style = STYLES[node.type ?? 'PLAIN'] ?? 'plain';
  const source = typeof node.source === 'string' ? node.source : String(node.value ?? '');
  const tag = node.tag;
  let resolved: string;
  if (!tag || tag === '!') {
    resolved = !tag && style !== 'plain' ? 'str' : resolvePlainScalar(source);
  } else if (tag.startsWith(CORE)) {
    resolved = tag.slice(CORE.length);
  } else {
    resolved = tag;
  }
  const flags = { ...(tag ? { tagged: true } : {}), ...(node.anchor ? { anchored: true } : {}) };
  if (asKey && (resolved === 'merge' || resolved === 'value')) {
    // flatten_mapping turns a `=` key into a plain string; `<<` keys are handled by the caller.
    return { kind: 'str', value: source, range, style, source, ...flags };
  }
  try {
    const c = constructScalar(resolved, source);
    return { ...c, range, style, source, ...flags } as PyValue;
  } catch (e) {
    if (!(e instanceof PythonError)) throw e;
    report(state, {
      code: resolved === tag || (tag && !tag.startsWith(CORE)) ? 'yaml-tag' : 'yaml-scalar',
      range,
      message: scalarErrorMessage(e, resolved, source),
      fatal: true,
    });
    return { kind: 'str', value: source, range, style, source, ...flags };
  }
}

function scalarErrorMessage(e: PythonError, tag: string, source: string): string {
  if (tag === 'value') {
    return `PyYAML rejects the file: a bare \`=\` is YAML 1.1's "value" type, which safe_load cannot construct (ConstructorError: could not determine a constructor for the tag 'tag:yaml.org,2002:value'). Quote it: '='.`;
  }
  if (tag === 'merge') {
    return "PyYAML rejects the file: `<<` is YAML 1.1's merge key and only works as a mapping key (ConstructorError: could not determine a constructor for the tag 'tag:yaml.org,2002:merge'). Quote it: '<<'.";
  }
  if (tag === 'timestamp' || tag === 'int' || tag === 'float') {
    return `PyYAML rejects the file: YAML 1.1 reads \`${source}\` as ${tag === 'timestamp' ? 'a date' : `an ${tag === 'int' ? 'integer' : 'float'}`} and fails to build it (${e.text}). Quote the value to keep it a string.`;
  }
  return `PyYAML rejects the file: ${e.text}`;
}

function collectionTagProblem(node: YamlNode, expected: 'mapping' | 'sequence', state: BuildState): string | undefined {
  const tag = (node as { tag?: string }).tag;
  if (!tag || tag === '!') return undefined;
  const t = tag.startsWith(CORE) ? tag.slice(CORE.length) : tag;
  const range = rangeOf(node as { range?: [number, number, number] }, { start: 0, end: 0 });
  if (t === (expected === 'mapping' ? 'map' : 'seq')) return undefined;
  if (expected === 'mapping' && t === 'set') return 'set';
  if (expected === 'sequence' && (t === 'omap' || t === 'pairs')) return t;
  let message: string;
  if (['str', 'int', 'float', 'bool', 'null', 'binary', 'timestamp'].includes(t)) {
    message = `expected a scalar node, but found ${expected}`;
  } else if (t === 'map' || t === 'set') {
    message = `expected a mapping node, but found ${expected}`;
  } else if (t === 'seq' || t === 'omap' || t === 'pairs') {
    message = `expected a sequence node, but found ${expected}`;
  } else {
    message = `could not determine a constructor for the tag '${fullTag(tag)}'`;
  }
  report(state, {
    code: 'yaml-tag',
    range,
    message: `PyYAML rejects the file: ConstructorError: ${message}`,
    fatal: true,
  });
  return 'error';
}

function registerAnchor(node: YamlNode, value: PyValue, state: BuildState): void {
  const anchor = (node as { anchor?: string }).anchor;
  if (!anchor) return;
  if (state.anchors.has(anchor)) {
    const first = state.anchors.get(anchor);
    report(state, {
      code: 'yaml-duplicate-anchor',
      range: value.range,
      message: `PyYAML rejects the file: found duplicate anchor '${anchor}'. Each anchor name may be defined once per document.`,
      fatal: true,
      ...(first ? { related: first.range } : {}),
    });
    return;
  }
  state.anchors.set(anchor, value);
}

function build(
  node: YamlNode | null | undefined,
  state: BuildState,
  depth: number,
  fallback: OffsetRange,
  asKey = false,
): PyValue {
  if (node === null || node === undefined) return none(fallback);
  if (depth > state.maxDepth) state.maxDepth = depth;
  if (depth > MAX_NESTING) {
    if (!state.tooDeepReported) {
      state.tooDeepReported = true;
      report(state, {
        code: 'yaml-too-deep',
        range: rangeOf(node as { range?: [number, number, number] }, fallback),
        message: `Nesting deeper than ${MAX_NESTING} levels: PyYAML builds nodes recursively and fails with RecursionError (Python's limit is reached at about 490 levels, earlier inside \`mlflow run\`).`,
        fatal: true,
      });
    }
    return none(rangeOf(node as { range?: [number, number, number] }, fallback));
  }
  if (isAlias(node)) {
    const range = rangeOf(node, fallback);
    const target = state.anchors.get(node.source);
    if (!target) {
      report(state, {
        code: 'yaml-alias',
        range,
        message: `PyYAML rejects the file: found undefined alias '${node.source}'`,
        fatal: true,
      });
      return none(range);
    }
    return target;
  }
  if (isScalar(node)) {
    const v = scalarValue(node, state, asKey);
    registerAnchor(node, v, state);
    return v;
  }
  if (isMap(node)) return buildMap(node, state, depth, fallback);
  if (isSeq(node)) return buildSeq(node, state, depth, fallback);
  return none(fallback);
}

function isMergeKey(key: YamlNode | null | undefined): boolean {
  if (!key || !isScalar(key)) return false;
  const source = typeof key.source === 'string' ? key.source : '';
  if (key.tag === `${CORE}merge`) return true;
  return !key.tag && (key.type ?? 'PLAIN') === 'PLAIN' && source === '<<';
}

function buildMap(node: YAMLMap, state: BuildState, depth: number, fallback: OffsetRange): PyValue {
  const range = rangeOf(node, fallback);
  const special = collectionTagProblem(node, 'mapping', state);
  const dict: PyDict = { kind: 'dict', entries: [], written: [], range, flow: !!node.flow };
  if (special === 'set') {
    const set: PyValue = { kind: 'set', items: [], range };
    registerAnchor(node, set, state);
    const ids = new Set<string>();
    for (const pair of node.items) {
      const k = build(pair.key as YamlNode | null, state, depth + 1, range, true);
      if (!pyHashable(k)) reportUnhashable(k, state);
      const id = pyKeyIdentity(k);
      if (!ids.has(id)) set.items.push(k);
      ids.add(id);
    }
    return set;
  }
  registerAnchor(node, dict, state);
  const merged: PyEntry[] = [];
  const own: PyEntry[] = [];
  for (const pair of node.items) {
    const keyNode = pair.key as YamlNode | null;
    const valueNode = pair.value as YamlNode | null;
    const keyRange = rangeOf(keyNode as { range?: [number, number, number] } | null, range);
    if (isMergeKey(keyNode)) {
      const v = build(valueNode, state, depth + 1, keyRange);
      const sources: PyDict[] = [];
      if (v.kind === 'dict') sources.push(v);
      else if (v.kind === 'list' && !v.tuples) {
        for (const item of v.items) {
          if (item.kind === 'dict') sources.push(item);
          else {
            report(state, {
              code: 'yaml-merge',
              range: item.range,
              message: `PyYAML rejects the file: ConstructorError: expected a mapping for merging, but found ${item.kind === 'list' ? 'sequence' : 'scalar'}`,
              fatal: true,
            });
          }
        }
        sources.reverse();
      } else {
        report(state, {
          code: 'yaml-merge',
          range: v.range,
          message: `PyYAML rejects the file: ConstructorError: expected a mapping or list of mappings for merging, but found ${valueNode ? nodeId(valueNode) : 'scalar'}`,
          fatal: true,
        });
      }
      for (const s of sources) {
        if (state.mergeBudget < s.entries.length) {
          if (state.mergeBudget >= 0) {
            report(state, {
              code: 'too-large',
              range: keyRange,
              message: `More than ${MAX_MERGED_ENTRIES} entries come in through \`<<\` merge keys; the rest are not analysed.`,
              fatal: false,
            });
          }
          state.mergeBudget = -1;
          break;
        }
        state.mergeBudget -= s.entries.length;
        for (const e of s.entries) merged.push({ key: e.key, value: e.value, merged: true });
      }
      continue;
    }
    const k = build(keyNode, state, depth + 1, keyRange, true);
    const valueFallback = { start: keyRange.end, end: keyRange.end };
    const v = build(valueNode, state, depth + 1, valueFallback);
    own.push({ key: k, value: v });
  }
  dict.written = own;
  const index = new Map<string, number>();
  const lastOwn = new Map<string, PyEntry>();
  for (const e of [...merged, ...own]) {
    if (!pyHashable(e.key)) {
      if (!e.merged) reportUnhashable(e.key, state);
      continue;
    }
    const id = pyKeyIdentity(e.key);
    const at = index.get(id);
    const isOwn = !e.merged;
    if (isOwn) {
      const previous = lastOwn.get(id);
      if (previous) {
        report(state, {
          code: 'yaml-duplicate-key',
          range: previous.key.range,
          message: `Duplicate key \`${shortName(previous.key)}\`: PyYAML keeps the last one, so this entry is ignored.`,
          fatal: false,
          related: e.key.range,
          keyName: shortName(previous.key),
        });
      }
      lastOwn.set(id, e);
    }
    if (at === undefined) {
      index.set(id, dict.entries.length);
      dict.entries.push({ key: e.key, value: e.value, lastKey: e.key });
    } else {
      const existing = dict.entries[at];
      if (existing) dict.entries[at] = { key: existing.key, value: e.value, lastKey: e.key };
    }
  }
  return dict;
}

function shortName(k: PyValue): string {
  const s = k.kind === 'str' ? k.value : (k.source ?? k.kind);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function reportUnhashable(k: PyValue, state: BuildState): void {
  report(state, {
    code: 'yaml-unhashable-key',
    range: k.range,
    message: `PyYAML rejects the file: ConstructorError: found unhashable key (a ${k.kind === 'dict' ? 'mapping' : k.kind === 'set' ? 'set' : 'sequence'} cannot be a mapping key)`,
    fatal: true,
  });
}

function buildSeq(node: YAMLSeq, state: BuildState, depth: number, fallback: OffsetRange): PyValue {
  const range = rangeOf(node, fallback);
  const special = collectionTagProblem(node, 'sequence', state);
  const list: PyList = { kind: 'list', items: [], range, flow: !!node.flow };
  registerAnchor(node, list, state);
  for (const item of node.items as Array<YamlNode | null>) {
    if (isPair(item)) {
      // `[a: 1]` is a single-pair mapping inside a flow sequence.
      const pair = item as unknown as { key: YamlNode | null; value: YamlNode | null };
      const keyRange = rangeOf(pair.key as { range?: [number, number, number] } | null, range);
      const k = build(pair.key, state, depth + 2, keyRange, true);
      const v = build(pair.value, state, depth + 2, { start: keyRange.end, end: keyRange.end });
      if (!pyHashable(k)) reportUnhashable(k, state);
      const entry: PyEntry = { key: k, value: v };
      list.items.push({
        kind: 'dict',
        entries: [entry],
        written: [entry],
        range: { start: keyRange.start, end: v.range.end },
        flow: true,
      });
    } else {
      list.items.push(build(item, state, depth + 1, range));
    }
  }
  if (special === 'omap' || special === 'pairs') {
    list.tuples = true;
    list.items = list.items.map((item) => {
      if (item.kind !== 'dict' || item.written.length !== 1) {
        report(state, {
          code: 'yaml-tag',
          range: item.range,
          message: `PyYAML rejects the file: ConstructorError: expected a mapping of length 1, but found ${item.kind === 'dict' ? 'mapping' : item.kind === 'list' ? 'sequence' : 'scalar'}`,
          fatal: true,
        });
        return item;
      }
      const e = item.written[0] as PyEntry;
      return { kind: 'list', items: [e.key, e.value], range: item.range, flow: true } as PyList;
    });
  }
  return list;
}

// ---------------------------------------------------------------------------------------------

const UNICODE_BREAKS = /[\x85\u2028\u2029]/g;

function quotedIntervals(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const stack: CST.Token[] = [...new Parser().parse(text)];
  while (stack.length > 0) {
    const t = stack.pop();
    if (!t) continue;
    if (t.type === 'single-quoted-scalar' || t.type === 'double-quoted-scalar')
      out.push([t.offset, t.offset + t.source.length]);
    else if (t.type === 'document') stack.push(...(t.value ? [t.value] : []));
    else if (t.type === 'block-map' || t.type === 'block-seq')
      for (const it of t.items)
        stack.push(...['key' in it ? it.key : null, it.value].filter((x): x is CST.Token => !!x));
    else if (t.type === 'flow-collection')
      for (const it of t.items) stack.push(...[it.key, it.value].filter((x): x is CST.Token => !!x));
  }
  return out;
}

function normaliseLineBreaks(text: string): string {
  // MLflow opens the file in text mode (universal newlines: a lone CR is a line break) and PyYAML
  // treats NEL, LS and PS as line breaks outside quotes (inside, it keeps them as characters);
  // the `yaml` package does neither. Same length, so offsets stay valid.
  let out = /\r(?!\n)/.test(text) ? text.replace(/\r(?!\n)/g, '\n') : text;
  if (!/[\x85\u2028\u2029]/.test(out)) return out;
  const quoted = quotedIntervals(out);
  out = out.replace(UNICODE_BREAKS, (ch, at: number) => (quoted.some(([a, b]) => at > a && at < b) ? ch : '\n'));
  return out;
}

export function loadMlprojectYaml(text: string): LoadedYaml {
  const problems: LoadProblem[] = [];
  checkPrintable(text, problems);
  const source = normaliseLineBreaks(text);
  const tooDeepAt = flowDepthExceeded(source, FLOW_DEPTH_PARSE_LIMIT);
  if (tooDeepAt !== undefined) {
    problems.push({
      code: 'yaml-too-deep',
      range: { start: tooDeepAt, end: tooDeepAt + 1 },
      message: `Brackets nested deeper than ${FLOW_DEPTH_PARSE_LIMIT} levels: PyYAML fails on this with RecursionError (it manages about 490), so the file is not analysed further.`,
      fatal: true,
    });
    return { text, root: undefined, empty: false, problems, syntaxBroken: true };
  }
  const parse = (t: string): { tokens: CST.Token[]; docs: Document.Parsed[] } => {
    const tokens = [...new Parser().parse(t)];
    const docs = [
      ...new Composer({ version: '1.1', uniqueKeys: false, merge: false, strict: false, prettyErrors: false }).compose(
        tokens,
      ),
    ];
    return { tokens, docs };
  };
  let parsedText = source;
  let toOriginal = (o: number): number => o;
  let tokens: CST.Token[];
  let docs: Document.Parsed[];
  try {
    ({ tokens, docs } = parse(source));
    if ((docs[0]?.errors.length ?? 0) > 0) {
      // Maybe only PyYAML's leniency about continuation lines inside quotes and [ ] { }.
      const re = reindentContinuations(source);
      if (re) {
        const retry = parse(re.text);
        if (retry.docs.length === docs.length && (retry.docs[0]?.errors.length ?? 1) === 0) {
          ({ tokens, docs } = retry);
          parsedText = re.text;
          toOriginal = re.toOriginal;
        }
      }
    }
  } catch (e) {
    if (e instanceof RangeError) {
      problems.push({
        code: 'yaml-too-deep',
        range: { start: 0, end: Math.min(text.length, 1) },
        message: 'The document is nested too deeply to analyse; PyYAML fails on it with RecursionError.',
        fatal: true,
      });
      return { text, root: undefined, empty: false, problems, syntaxBroken: true };
    }
    throw e;
  }
  const firstMapped = problems.length;
  checkPyyamlSyntax(parsedText, tokens, problems);
  let syntaxBroken = false;
  const first = docs[0];
  if (docs.length > 1) {
    const second = docs[1];
    const at = second?.range?.[0] ?? 0;
    problems.push({
      code: 'yaml-multiple-documents',
      range: { start: at, end: Math.min(text.length, at + 3) },
      message:
        'PyYAML rejects the file: expected a single document in the stream, but found another document. MLflow reads the MLproject with yaml.safe_load, which takes exactly one document.',
      fatal: true,
    });
  }
  if (first) {
    // One broken construct can yield an error per line; the first ones say it all.
    for (const err of first.errors.slice(0, MAX_REPORTED_PER_KIND * 5)) {
      syntaxBroken = true;
      const [start, end] = err.pos;
      const tooDeep = err.message.includes('Maximum call stack');
      problems.push({
        code: tooDeep ? 'yaml-too-deep' : 'yaml-syntax',
        range: { start, end: Math.max(end, start) },
        message: tooDeep
          ? 'The document is nested too deeply to analyse; PyYAML fails on it with RecursionError.'
          : `Invalid YAML: ${err.message.split('\n')[0] ?? err.message}`,
        fatal: true,
      });
    }
  }
  for (const p of problems.slice(firstMapped)) {
    p.range = { start: toOriginal(p.range.start), end: toOriginal(p.range.end) };
    if (p.related) p.related = { start: toOriginal(p.related.start), end: toOriginal(p.related.end) };
  }
  const state: BuildState = {
    anchors: new Map(),
    mergeBudget: MAX_MERGED_ENTRIES,
    problems,
    counts: new Map(),
    maxDepth: 0,
    tooDeepReported: false,
  };
  const contents = first?.contents as YamlNode | null | undefined;
  if (contents === null || contents === undefined) {
    return { text, root: undefined, empty: true, problems, syntaxBroken };
  }
  let root: PyValue | undefined;
  currentToOriginal = toOriginal;
  try {
    root = build(contents, state, 1, { start: 0, end: 0 });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    problems.push({
      code: 'yaml-too-deep',
      range: { start: 0, end: Math.min(text.length, 1) },
      message: 'The document is nested too deeply to analyse; PyYAML fails on it with RecursionError.',
      fatal: true,
    });
  } finally {
    currentToOriginal = (o) => o;
  }
  // An empty plain scalar document (`---` alone) is None to PyYAML, like an empty file.
  const empty = root?.kind === 'none' && (root.source ?? '') === '' && !(contents as { tag?: string }).tag;
  return { text, root, empty, problems, syntaxBroken };
}
