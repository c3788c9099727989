// Line-level YAML lexing shared by the pre-scans that run before (or instead of) a full parse:
// flowDepth (nesting too deep to parse) and pyyamlLeniency (continuation lines PyYAML lets
// through). Approximate by design, like those scans: plain text, quotes, flow brackets,
// comments and block scalars, no more.

export function lineEnd(text: string, i: number): number {
  const n = text.indexOf('\n', i);
  return n < 0 ? text.length : n;
}

/** Leading spaces of a line (YAML indentation is spaces only). */
export function indentOf(line: string): number {
  return /^ */.exec(line)?.[0].length ?? 0;
}

/** Indentation of the line at `start`, looking at most 1000 characters in (a line of spaces stays linear). */
export function indentAt(text: string, start: number, end: number): number {
  return indentOf(text.slice(start, Math.min(end, start + 1000)));
}

/** Offset just past the quoted scalar opening at `i` (or the end of the text when unterminated). */
export function skipQuoted(text: string, i: number): number {
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
  return text.length;
}

/** Start of the first line after `from` that is non-blank and indented no more than `indent`: where a block scalar ends. */
export function blockScalarEnd(text: string, from: number, indent: number): number {
  let k = from;
  while (k < text.length) {
    const e = lineEnd(text, k);
    const line = text.slice(k, e);
    if (line.trim() !== '' && indentOf(line) <= indent) break;
    k = e + 1;
  }
  return k;
}

/**
 * One step through block-context text at `j` that is not a space, comment, quote, bracket or
 * block-scalar indicator: a `-`, `?` or `:` indicator (a node starts after it), an anchor or tag
 * (skipped; whether a node starts is unchanged), or plain text up to the next `: ` or ` #`.
 * Returns the next offset and whether a node starts there.
 */
export function stepBlockText(text: string, j: number, end: number, nodeStart: boolean): [number, boolean] {
  const c = text[j];
  if ((c === '-' || c === '?' || c === ':') && (text[j + 1] === ' ' || j + 1 >= end)) return [j + 2, true];
  if (c === '&' || c === '!') {
    while (j < end && text[j] !== ' ') j++;
    return [j, nodeStart];
  }
  while (
    j < end &&
    !(text[j] === ':' && (text[j + 1] === ' ' || j + 1 >= end)) &&
    !(text[j] === '#' && text[j - 1] === ' ')
  )
    j++;
  return [j, false];
}
