// Where the cursor is in the MLproject's shape, read from indentation rather than the parse
// tree: while typing, the document is usually not valid YAML, and completion must still know
// that it sits under `entry_points > main > parameters`.
import type { LineIndex } from '../text/textPositions.ts';
import { indentOf } from '../text/yamlLines.ts';

export interface CursorContext {
  /** Keys of the enclosing block mappings, outermost first. */
  path: string[];
  /** 'key': typing a key; 'value': after `key: ` on this line or inside its block value. */
  position: 'key' | 'value';
  /** In value position: the key owning the value. */
  key?: string;
  /** The word being typed and where it starts (offset). */
  prefix: string;
  prefixStart: number;
  /** The value text on this line before the cursor (value position). */
  valueBefore: string;
  /** Inside `{ … }` on this line: the flow mapping's keys path suffix (e.g. a parameter's {type: …}). */
  inFlowMapping: boolean;
}

const KEY_LINE = /^(\s*)(?:-\s+)?("[^"]*"|'[^']*'|[^\s#:'"{[][^#:]*?)\s*:(?:\s+(.*))?$/;

function unquote(k: string): string {
  return (k.startsWith('"') && k.endsWith('"')) || (k.startsWith("'") && k.endsWith("'")) ? k.slice(1, -1) : k;
}

/** `|`, `>-`, `|2+`, also after an anchor or a tag (`&train >-`, `!!str |`). */
function isBlockScalarStart(value: string | undefined): boolean {
  return !!value && /^(?:[&!]\S*\s+)*[|>][-+0-9]*\s*(#.*)?$/.test(value.trim());
}

export function cursorContext(lines: LineIndex, offset: number): CursorContext {
  const pos = lines.positionAt(offset);
  const lineText = lines.lineText(pos.line);
  const before = lineText.slice(0, pos.character);
  const wordMatch = /[^\s{}[\],:"'`]*$/.exec(before);
  const prefix = wordMatch?.[0] ?? '';
  const prefixStart = offset - prefix.length;

  // Parents: walk up to lines that open a block mapping at a smaller indentation.
  let currentIndent = before.trim() === '' ? before.length : indentOf(lineText);
  const path: string[] = [];
  let blockOwner: string | undefined;
  for (let l = pos.line - 1; l >= 0 && currentIndent > 0; l--) {
    const t = lines.lineText(l);
    if (t.trim() === '' || t.trimStart().startsWith('#')) continue;
    const ind = indentOf(t);
    if (ind >= currentIndent) continue;
    const m = KEY_LINE.exec(t);
    if (m) {
      const value = m[3]?.trim();
      if (!value || value.startsWith('#') || value === '&' || /^&\S+$/.test(value)) {
        path.unshift(unquote((m[2] ?? '').trim()));
      } else if (path.length === 0 && blockOwner === undefined && (isBlockScalarStart(value) || /^["']/.test(value))) {
        // Continuation of a multi-line value (block scalar or quoted): the cursor is in its value.
        blockOwner = unquote((m[2] ?? '').trim());
        path.unshift(blockOwner);
      } else {
        break;
      }
    }
    currentIndent = ind;
  }

  // A plain command continued on more-indented lines (`command:` then `  python t.py {…`): not
  // a key line, so the cursor is in the command's value.
  if (
    blockOwner === undefined &&
    path[path.length - 1] === 'command' &&
    path[0] === 'entry_points' &&
    path.length === 3 &&
    !KEY_LINE.test(before) &&
    before.trim() !== ''
  ) {
    blockOwner = 'command';
  }
  const inFlowMapping =
    (before.match(/\{/g)?.length ?? 0) > (before.match(/\}/g)?.length ?? 0) && !/^\s*command\s*:/.test(before);
  if (blockOwner !== undefined) {
    path.pop();
    return {
      path,
      position: 'value',
      key: blockOwner,
      prefix,
      prefixStart,
      valueBefore: before.trimStart(),
      inFlowMapping: false,
    };
  }
  const m = KEY_LINE.exec(before);
  if (m && m[3] !== undefined && !inFlowMapping) {
    return {
      path,
      position: 'value',
      key: unquote((m[2] ?? '').trim()),
      prefix,
      prefixStart,
      valueBefore: m[3],
      inFlowMapping: false,
    };
  }
  if (m && m[3] === undefined && before.endsWith(':')) {
    return {
      path,
      position: 'value',
      key: unquote((m[2] ?? '').trim()),
      prefix: '',
      prefixStart: offset,
      valueBefore: '',
      inFlowMapping: false,
    };
  }
  if (inFlowMapping) {
    // `alpha: {type: fl|` or `alpha: {ty|`: the flow mapping belongs to the key on this line.
    const owner = /^\s*(?:-\s+)?([^\s#:{]+)\s*:\s*\{/.exec(before);
    if (owner?.[1]) path.push(unquote(owner[1]));
    const inner = before.slice(before.lastIndexOf('{') + 1);
    const lastPair = inner.split(',').pop() ?? '';
    const kv = /^\s*([^\s:]+)\s*:\s*(.*)$/.exec(lastPair);
    if (kv)
      return {
        path,
        position: 'value',
        key: kv[1],
        prefix,
        prefixStart,
        valueBefore: kv[2] ?? '',
        inFlowMapping: true,
      };
    return { path, position: 'key', prefix, prefixStart, valueBefore: '', inFlowMapping: true };
  }
  return { path, position: 'key', prefix, prefixStart, valueBefore: '', inFlowMapping: false };
}
