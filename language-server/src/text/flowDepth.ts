// A linear pre-scan for `[`/`{` nesting. The `yaml` package's parser takes time quadratic in flow
// depth (100 000 `[` ≈ 2 s), and PyYAML fails beyond ~490 levels anyway, so text nested deeper
// than a limit is reported without parsing it. Approximate by design: it only has to be right
// for depths no real MLproject reaches.
import { blockScalarEnd, indentAt, lineEnd, skipQuoted, stepBlockText } from './yamlLines.ts';

function countUpTo(text: string, ch: string, max: number): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0 && n <= max; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** Offset where flow nesting first exceeds `limit`, or undefined. */
export function flowDepthExceeded(text: string, limit: number): number | undefined {
  // Nesting needs at least `limit` opening brackets; counting them natively is much cheaper.
  if (countUpTo(text, '[', limit) + countUpTo(text, '{', limit) <= limit) return undefined;
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (depth > 0) {
      const c = text[i];
      if (c === '[' || c === '{') {
        if (++depth > limit) return i;
        i++;
      } else if (c === ']' || c === '}') {
        depth--;
        i++;
      } else if (c === '"' || c === "'") i = skipQuoted(text, i);
      else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) i = lineEnd(text, i);
      else i++;
      continue;
    }
    // Block context: look at the node starts on this line.
    const end = lineEnd(text, i);
    const lineStart = i;
    const indent = indentAt(text, i, end);
    let j = i + indent;
    let nodeStart = true;
    while (j < end && depth === 0) {
      const c = text[j];
      if (c === ' ') {
        j++;
        continue;
      }
      if (c === '#') {
        j = end;
        break;
      }
      if (nodeStart && (c === '[' || c === '{')) {
        depth = 1;
        i = j + 1;
        break;
      }
      if (nodeStart && (c === '"' || c === "'")) {
        j = skipQuoted(text, j);
        nodeStart = false;
        continue;
      }
      if (nodeStart && (c === '|' || c === '>')) {
        // Block scalar: skip the lines indented more than this one.
        i = blockScalarEnd(text, end + 1, indent);
        j = -1;
        break;
      }
      [j, nodeStart] = stepBlockText(text, j, end, nodeStart);
    }
    if (depth > 0) continue;
    if (j === -1) continue;
    i = end + 1;
    if (i <= lineStart) i = lineStart + 1;
  }
  return undefined;
}
