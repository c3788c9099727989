// PyYAML does not check the indentation of continuation lines inside a quoted scalar or a flow
// collection (`b: "x\ny"` with `y` at column 0 loads as 'x y'); YAML and the `yaml` package
// require them to be indented. When the `yaml` package reports an error, the loader asks this
// module for a copy of the text with those lines indented just enough, parses that instead, and
// maps every offset back with `toOriginal`.

import { blockScalarEnd, indentAt, indentOf, lineEnd, skipQuoted, stepBlockText } from '../text/yamlLines.ts';

export interface Reindented {
  text: string;
  /** Offset in the re-indented text → offset in the original. */
  toOriginal(offset: number): number;
}

function skipFlow(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const c = text[j];
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return j + 1;
    } else if (c === '"' || c === "'") {
      j = skipQuoted(text, j);
      continue;
    } else if (c === '#' && /\s/.test(text[j - 1] ?? '')) {
      j = lineEnd(text, j);
      continue;
    }
    j++;
  }
  return text.length;
}

interface Span {
  start: number;
  end: number;
  indent: number;
}

/** Quoted scalars and flow collections that start a node in block context, with their line's indentation. */
function multiLineSpans(text: string): Span[] {
  const spans: Span[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const end = lineEnd(text, i);
    const indent = indentAt(text, i, end);
    let j = i + indent;
    let nodeStart = true;
    let next = end + 1;
    while (j < end) {
      const c = text[j];
      if (c === ' ') {
        j++;
        continue;
      }
      if (c === '#') break;
      if (nodeStart && (c === '"' || c === "'" || c === '[' || c === '{')) {
        const stop = c === '"' || c === "'" ? skipQuoted(text, j) : skipFlow(text, j);
        if (stop > end) {
          spans.push({ start: j, end: stop, indent });
          next = lineEnd(text, stop - 1) + 1;
          break;
        }
        j = stop;
        nodeStart = false;
        continue;
      }
      if (nodeStart && (c === '|' || c === '>')) {
        next = blockScalarEnd(text, end + 1, indent);
        break;
      }
      [j, nodeStart] = stepBlockText(text, j, end, nodeStart);
    }
    i = Math.max(next, i + 1);
  }
  return spans;
}

export function reindentContinuations(text: string): Reindented | undefined {
  const inserts: Array<{ at: number; count: number }> = [];
  for (const span of multiLineSpans(text)) {
    for (
      let lineStart = text.indexOf('\n', span.start) + 1;
      lineStart > 0 && lineStart < span.end;
      lineStart = text.indexOf('\n', lineStart) + 1
    ) {
      const e = lineEnd(text, lineStart);
      const line = text.slice(lineStart, e);
      if (line.trim() === '' || /^(?:---|\.\.\.)(?:\s|$)/.test(line)) continue;
      const ind = indentOf(line);
      if (ind <= span.indent) inserts.push({ at: lineStart, count: span.indent + 1 - ind });
    }
  }
  if (inserts.length === 0) return undefined;
  let out = '';
  let last = 0;
  // Start offset (in the new text) of each insertion and the total inserted up to and including it.
  const marks: Array<{ newAt: number; total: number; count: number }> = [];
  let total = 0;
  for (const ins of inserts) {
    out += text.slice(last, ins.at);
    const newAt = out.length;
    out += ' '.repeat(ins.count);
    total += ins.count;
    marks.push({ newAt, total, count: ins.count });
    last = ins.at;
  }
  out += text.slice(last);
  return {
    text: out,
    toOriginal(offset: number): number {
      let lo = 0;
      let hi = marks.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if ((marks[mid]?.newAt ?? 0) <= offset) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (found < 0) return offset;
      const m = marks[found] as { newAt: number; total: number; count: number };
      // Inside inserted padding: the line's original start.
      if (offset < m.newAt + m.count) return m.newAt - (m.total - m.count);
      return offset - m.total;
    },
  };
}
