// Source-level edit helpers for quick fixes: whole-line removal of a mapping entry, the
// indentation used under a key, and where to insert a new entry so YAML stays well formed.
import type { LineIndex, OffsetRange } from './textPositions.ts';

/** The lines an entry spans (key line through the value's last line, with its line break). */
export function entryLinesRange(
  lines: LineIndex,
  keyRange: OffsetRange,
  value: { range: OffsetRange } | undefined,
): OffsetRange | undefined {
  const text = lines.text;
  const keyLine = lines.positionAt(keyRange.start).line;
  const lineStart = lines.lineStart(keyLine);
  if (text.slice(lineStart, keyRange.start).trim() !== '' && !/^\s*-\s*$/.test(text.slice(lineStart, keyRange.start)))
    return undefined;
  const end = Math.max(keyRange.end, value ? value.range.end : keyRange.end);
  const endLine = lines.positionAt(end).line;
  const rest = text.slice(end, lines.lineEnd(endLine));
  if (rest.trim() !== '' && !rest.trim().startsWith('#')) return undefined;
  const next = endLine + 1 < lines.lineCount ? lines.lineStart(endLine + 1) : text.length;
  return { start: lineStart, end: next };
}

export function lineIndentAt(lines: LineIndex, offset: number): string {
  const line = lines.positionAt(offset).line;
  return /^[ ]*/.exec(lines.lineText(line))?.[0] ?? '';
}

/** Offset just after the line holding `offset` (its line break included). */
export function afterLine(lines: LineIndex, offset: number): number {
  const line = lines.positionAt(offset).line;
  return line + 1 < lines.lineCount ? lines.lineStart(line + 1) : lines.text.length;
}

/** A YAML-safe rendering of a plain string: quoted when YAML would read it as anything else. */
export function yamlDoubleQuoted(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}
