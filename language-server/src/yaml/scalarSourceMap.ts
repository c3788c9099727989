// Maps an index in a YAML string's value back to the document offset it was written at, so a
// `{placeholder}` inside a quoted, folded or block command gets an exact range. The value is
// rebuilt from the source with YAML's folding and escape rules and compared with what the
// parser produced; if they differ the map is withheld and callers fall back to the whole scalar.
import type { PyValue } from '../python/pythonValues.ts';

export interface ScalarSourceMap {
  /** Whether the rebuilt value matched, i.e. offsets are exact (computed on first use). */
  readonly exact: boolean;
  /** Document offset of value index `i` (0 ≤ i ≤ value.length); the scalar's start when not exact. */
  offsetAt(i: number): number;
}

/** The rebuilt value as parallel arrays (one object per character would be a GC storm on big files). */
class Rebuilt {
  readonly chars: string[] = [];
  readonly at: number[] = [];
  push(c: string, at: number): void {
    this.chars.push(c);
    this.at.push(at);
  }
  get length(): number {
    return this.chars.length;
  }
}

interface Line {
  text: string;
  start: number;
  /** Offset of the line break after the line (or end of source). */
  breakAt: number;
}

function splitLines(src: string, base: number): Line[] {
  const lines: Line[] = [];
  const re = /\r\n|\n|\r/g;
  let last = 0;
  for (const m of src.matchAll(re)) {
    lines.push({ text: src.slice(last, m.index), start: base + last, breakAt: base + m.index });
    last = m.index + m[0].length;
  }
  lines.push({ text: src.slice(last), start: base + last, breakAt: base + src.length });
  return lines;
}

function leadWs(s: string): number {
  return /^[ \t]*/.exec(s)?.[0].length ?? 0;
}
function trailWs(s: string): number {
  return /[ \t]*$/.exec(s)?.[0].length ?? 0;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_LEN: Record<string, number> = { x: 2, u: 4, U: 8 };

/** Flow scalars: plain, 'single', "double". */
function flowChars(src: string, base: number, style: 'plain' | 'single' | 'double'): Rebuilt | undefined {
  let inner = src;
  let innerBase = base;
  if (style !== 'plain') {
    if (src.length < 2) return undefined;
    inner = src.slice(1, -1);
    innerBase = base + 1;
  }
  const lines = splitLines(inner, innerBase);
  const out = new Rebuilt();
  let pendingBreaks = 0;
  let joinWithNothing = false;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li] as Line;
    const first = li === 0;
    const last = li === lines.length - 1;
    let from = first ? 0 : leadWs(line.text);
    let to = line.text.length;
    let escapedBreak = false;
    if (style === 'double' && !last) {
      const m = /\\+$/.exec(line.text);
      if (m && m[0].length % 2 === 1) {
        escapedBreak = true;
        to -= 1;
      }
    }
    if (!last && !escapedBreak) to -= trailWs(line.text.slice(from, to));
    if (style === 'plain' && first) from = 0;
    const content = line.text.slice(from, to);
    if (!first) {
      if (content === '' && !last && !joinWithNothing) {
        pendingBreaks++;
        continue;
      }
      if (joinWithNothing) {
        for (let k = 0; k < pendingBreaks; k++) out.push('\n', line.start);
      } else if (pendingBreaks > 0) {
        for (let k = 0; k < pendingBreaks; k++) out.push('\n', line.start);
      } else if (!(last && content === '' && style === 'plain')) {
        out.push(' ', (lines[li - 1] as Line).breakAt);
      }
      pendingBreaks = 0;
    }
    joinWithNothing = escapedBreak;
    for (let i = 0; i < content.length; i++) {
      const at = line.start + from + i;
      const c = content[i] ?? '';
      if (style === 'single' && c === "'" && content[i + 1] === "'") {
        out.push("'", at);
        i++;
        continue;
      }
      if (style === 'double' && c === '\\') {
        const e = content[i + 1] ?? '';
        const hexLen = HEX_LEN[e];
        if (hexLen) {
          const hex = content.slice(i + 2, i + 2 + hexLen);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLen) return undefined;
          const ch = String.fromCodePoint(parseInt(hex, 16));
          for (const unit of ch.split('')) out.push(unit, at);
          i += 1 + hexLen;
          continue;
        }
        const mapped = ESCAPES[e];
        if (mapped === undefined) return undefined;
        out.push(mapped, at);
        i++;
        continue;
      }
      out.push(c, at);
    }
  }
  return out;
}

function blockChars(src: string, base: number, folded: boolean, indentOverride?: number): Rebuilt | undefined {
  const headerEnd = /\r\n|\n|\r/.exec(src);
  if (!headerEnd) return new Rebuilt();
  const bodyStart = headerEnd.index + headerEnd[0].length;
  const lines = splitLines(src.slice(bodyStart), base + bodyStart);
  const firstContent = lines.find((l) => l.text.trim() !== '');
  if (!firstContent) return new Rebuilt();
  const indent = indentOverride ?? leadWs(firstContent.text.replace(/\t.*$/, ''));
  const out = new Rebuilt();
  let previous: 'none' | 'normal' | 'more' = 'none';
  let pendingEmpty = 0;
  for (const line of lines) {
    const isEmpty = line.text.length <= indent && line.text.trim() === '';
    if (isEmpty) {
      pendingEmpty++;
      continue;
    }
    const content = line.text.slice(indent);
    const kind: 'normal' | 'more' = /^[ \t]/.test(content) ? 'more' : 'normal';
    if (previous === 'none') {
      for (let k = 0; k < pendingEmpty; k++) out.push('\n', line.start);
    } else if (!folded) {
      for (let k = 0; k <= pendingEmpty; k++) out.push('\n', line.start);
    } else if (previous === 'normal' && kind === 'normal') {
      if (pendingEmpty === 0) out.push(' ', line.start - 1);
      else for (let k = 0; k < pendingEmpty; k++) out.push('\n', line.start);
    } else {
      for (let k = 0; k <= pendingEmpty; k++) out.push('\n', line.start);
    }
    pendingEmpty = 0;
    for (let i = 0; i < content.length; i++) out.push(content[i] ?? '', line.start + indent + i);
    previous = kind;
  }
  return out;
}

function computeOffsets(text: string, v: PyValue & { kind: 'str' }): number[] | undefined {
  const { start, end } = v.range;
  if (start < 0 || end > text.length || end < start || !v.style) return undefined;
  const src = text.slice(start, end);
  let chars: Rebuilt | undefined;
  switch (v.style) {
    case 'plain':
    case 'single':
    case 'double':
      chars = flowChars(src, start, v.style);
      break;
    case 'literal':
      chars = blockChars(src, start, false);
      break;
    case 'folded':
      chars = blockChars(src, start, true);
      break;
  }
  const value = v.value;
  const block = v.style === 'literal' || v.style === 'folded';
  const matches = (cs: Rebuilt | undefined): boolean => {
    if (!cs) return false;
    const rebuilt = cs.chars.join('');
    return block ? rebuilt.replace(/\n+$/, '') === value.replace(/\n+$/, '') : rebuilt === value;
  };
  if (!matches(chars) && block && /^[|>][-+]?[1-9]|^[|>][1-9]/.test(src)) {
    // An explicit indentation indicator counts from the parent's indentation, which the scalar
    // alone does not tell; try each smaller indentation until the value matches.
    const firstContent =
      src
        .split(/\r\n|\n|\r/)
        .slice(1)
        .find((l) => l.trim() !== '') ?? '';
    for (let indent = leadWs(firstContent) - 1; indent >= 0 && !matches(chars); indent--) {
      chars = blockChars(src, start, v.style === 'folded', indent);
    }
  }
  return chars && matches(chars) ? chars.at : undefined;
}

/**
 * A map for a string scalar, built on first use: most keystrokes produce no diagnostic inside a
 * command, so most maps are never needed.
 */
export function mapScalarSource(text: string, v: PyValue): ScalarSourceMap | undefined {
  if (v.kind !== 'str' || !v.style) return undefined;
  const str = v;
  const endOffset = v.style === 'single' || v.style === 'double' ? v.range.end - 1 : v.range.end;
  let computed: number[] | null | undefined;
  const offsets = (): number[] | null => {
    if (computed === undefined) computed = computeOffsets(text, str) ?? null;
    return computed;
  };
  return {
    get exact(): boolean {
      return offsets() !== null;
    },
    offsetAt(i: number): number {
      const at = offsets();
      if (!at) return str.range.start;
      if (i < at.length) return at[i] as number;
      if (i === at.length && at.length > 0) return Math.min((at[at.length - 1] as number) + 1, endOffset);
      return endOffset;
    },
  };
}

/** The document range of value indices [from, to), or the whole scalar when unmappable. */
export function valueRangeToDocument(
  map: ScalarSourceMap | undefined,
  v: PyValue,
  from: number,
  to: number,
): { start: number; end: number } {
  if (!map?.exact) return v.range;
  const start = map.offsetAt(from);
  const end = to > from ? map.offsetAt(to - 1) + 1 : start;
  return { start, end: Math.max(start, end) };
}
