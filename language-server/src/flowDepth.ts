// A linear pre-scan for `[`/`{` nesting. The `yaml` package's parser takes time quadratic in flow
// depth (100 000 `[` ≈ 2 s), and PyYAML fails beyond ~490 levels anyway, so text nested deeper
// than a limit is reported without parsing it. Approximate by design: it only has to be right
// for depths no real MLproject reaches.

function skipQuoted(text: string, i: number): number {
  const q = text[i];
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (q === '"' && c === '\\') j += 2;
    else if (c === q) {
      if (q === "'" && text[j + 1] === "'") j += 2;
      else return j + 1;
    } else j++;
  }
  return j;
}

function lineEnd(text: string, i: number): number {
  const n = text.indexOf('\n', i);
  return n < 0 ? text.length : n;
}

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
    const indent = /^ */.exec(text.slice(i, Math.min(end, i + 1000)))?.[0].length ?? 0;
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
        let k = end + 1;
        while (k < n) {
          const e = lineEnd(text, k);
          const line = text.slice(k, e);
          if (line.trim() !== '' && (/^ */.exec(line)?.[0].length ?? 0) <= indent) break;
          k = e + 1;
        }
        i = k;
        j = -1;
        break;
      }
      if ((c === '-' || c === '?' || c === ':') && (text[j + 1] === ' ' || j + 1 >= end)) {
        nodeStart = true;
        j += 2;
        continue;
      }
      if (c === '&' || c === '!') {
        while (j < end && text[j] !== ' ') j++;
        continue;
      }
      // Plain text up to the next `: ` or ` #`.
      nodeStart = false;
      while (j < end && !(text[j] === ':' && (text[j + 1] === ' ' || j + 1 >= end)) && !(text[j] === '#' && text[j - 1] === ' ')) j++;
    }
    if (depth > 0) continue;
    if (j === -1) continue;
    i = end + 1;
    if (i <= lineStart) i = lineStart + 1;
  }
  return undefined;
}
