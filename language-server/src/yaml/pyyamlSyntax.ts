// Syntax PyYAML's scanner refuses although the `yaml` package accepts it (it follows YAML 1.2):
// tabs between tokens, anchor names outside [0-9A-Za-z_-], a tag not followed by a space,
// an implicit key left empty, `?` inside a plain scalar in flow context, and `%YAML 2.x`.
// Checked on the `yaml` package's CST so positions are exact.
import type { CST } from 'yaml';
import type { LoadProblem } from './loadProblem.ts';

const MAX_REPORTED = 20;

type Visit = (token: CST.Token, inFlow: boolean) => void;

/** Depth-first, in source order, without recursion: nesting depth is attacker-controlled. */
function walk(root: CST.Token, visit: Visit): void {
  const stack: Array<[CST.Token | null | undefined, boolean]> = [[root, false]];
  while (stack.length > 0) {
    const [token, inFlow] = stack.pop() as [CST.Token | null | undefined, boolean];
    if (!token) continue;
    visit(token, inFlow);
    const children: Array<[CST.Token | null | undefined, boolean]> = [];
    switch (token.type) {
      case 'document':
        for (const t of token.start) children.push([t, inFlow]);
        children.push([token.value, inFlow]);
        for (const t of token.end ?? []) children.push([t, inFlow]);
        break;
      case 'doc-end':
      case 'scalar':
      case 'alias':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        for (const t of token.end ?? []) children.push([t, inFlow]);
        break;
      case 'block-scalar':
        for (const t of token.props) children.push([t, inFlow]);
        break;
      case 'block-map':
      case 'block-seq':
        for (const item of token.items) {
          for (const t of item.start) children.push([t, inFlow]);
          if ('key' in item) children.push([item.key, inFlow]);
          for (const t of ('sep' in item ? item.sep : undefined) ?? []) children.push([t, inFlow]);
          children.push([item.value, inFlow]);
        }
        break;
      case 'flow-collection':
        children.push([token.start, true]);
        for (const item of token.items) {
          for (const t of item.start) children.push([t, true]);
          children.push([item.key, true]);
          for (const t of item.sep ?? []) children.push([t, true]);
          children.push([item.value, true]);
        }
        for (const t of token.end) children.push([t, inFlow]);
        break;
      default:
        break;
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as [CST.Token | null | undefined, boolean]);
  }
}

interface TabSafe {
  start: number;
  end: number;
  /** Block scalar content: a tab is content only at or past this column. */
  blockIndent?: number;
}

function blockScalarBody(token: CST.BlockScalar): TabSafe {
  let bodyStart = token.offset;
  let explicit: number | undefined;
  for (const p of token.props) {
    if ('source' in p && 'offset' in p) bodyStart = Math.max(bodyStart, p.offset + p.source.length);
    if (p.type === 'block-scalar-header') {
      const m = /[1-9]/.exec(p.source);
      if (m) explicit = Number(m[0]);
    }
  }
  let indent: number;
  if (explicit !== undefined) indent = Math.max(token.indent, 0) + explicit;
  else {
    const firstContent = token.source.split('\n').find((l) => l.trim() !== '');
    indent = firstContent ? (/^ */.exec(firstContent)?.[0].length ?? 0) : 0;
  }
  return { start: bodyStart, end: bodyStart + token.source.length, blockIndent: indent };
}

function tabAllowed(text: string, i: number, safe: TabSafe[]): boolean {
  // `safe` is sorted and non-overlapping, so a binary search finds the only candidate.
  let lo = 0;
  let hi = safe.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = safe[mid];
    if (!s) break;
    if (i < s.start) hi = mid - 1;
    else if (i >= s.end) lo = mid + 1;
    else {
      if (s.blockIndent === undefined) return true;
      const lineStart = text.lastIndexOf('\n', i - 1) + 1;
      return i - lineStart >= s.blockIndent && /^ *$/.test(text.slice(lineStart, lineStart + s.blockIndent));
    }
  }
  return false;
}

/**
 * Characters without which none of the rules can fire; most MLprojects have none of them, and
 * skipping the walk then saves a pass over every token on each keystroke. An empty key needs a
 * `:` with no key text before it (`a : b` also matches, which only costs the walk); a multi-line
 * flow key needs a line break after a `{` or `[`.
 */
const MIGHT_MATTER = /[\t%&*!?]|(?:^|[\s,[{])[:](?:\s|$)|[{[][^\]}]*\n/m;

export function checkPyyamlSyntax(text: string, tokens: CST.Token[], problems: LoadProblem[]): void {
  if (!MIGHT_MATTER.test(text)) return;
  const safe: TabSafe[] = [];
  const counts = new Map<string, number>();
  const add = (p: LoadProblem): void => {
    const n = counts.get(p.code + p.message.slice(0, 40)) ?? 0;
    if (n >= MAX_REPORTED) return;
    counts.set(p.code + p.message.slice(0, 40), n + 1);
    problems.push(p);
  };
  const hasTabs = text.includes('\t');
  let yamlDirective = false;
  let inDocument = false;

  const visit: Visit = (token, inFlow) => {
    switch (token.type) {
      case 'document':
        inDocument = true;
        return;
      case 'directive': {
        if (inDocument) return;
        const m = /^%YAML\s+(\d+)\.(\d+)/.exec(token.source);
        if (!m) return;
        const range = { start: token.offset, end: token.offset + token.source.length };
        if (yamlDirective)
          add({
            code: 'yaml-directive',
            range,
            message: 'PyYAML rejects the file: found duplicate YAML directive',
            fatal: true,
          });
        else if (m[1] !== '1') {
          add({
            code: 'yaml-directive',
            range,
            message: 'PyYAML rejects the file: found incompatible YAML document (version 1.* is required)',
            fatal: true,
          });
        }
        yamlDirective = true;
        return;
      }
      case 'comment':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        if (hasTabs) safe.push({ start: token.offset, end: token.offset + token.source.length });
        return;
      case 'block-scalar':
        if (hasTabs) safe.push(blockScalarBody(token));
        return;
      case 'anchor':
      case 'alias': {
        // PyYAML ends the name at the first other character, which must be one of these.
        const name = /^[0-9A-Za-z_-]*/.exec(token.source.slice(1))?.[0] ?? '';
        const after = text[token.offset + 1 + name.length] ?? '';
        if (name === '' || !(after === '' || ' \t\r\n?:,]}%@`'.includes(after))) {
          add({
            code: 'yaml-syntax',
            range: { start: token.offset, end: token.offset + token.source.length },
            message: `PyYAML rejects the file: while scanning an ${token.type === 'anchor' ? 'anchor' : 'alias'}, expected alphabetic or numeric character. PyYAML allows only letters, digits, '-' and '_' in anchor names.`,
            fatal: true,
          });
        }
        return;
      }
      case 'tag': {
        const after = text[token.offset + token.source.length] ?? '';
        if (!(after === '' || after === ' ' || after === '\n' || after === '\r')) {
          add({
            code: 'yaml-syntax',
            range: { start: token.offset, end: token.offset + token.source.length + (after ? 1 : 0) },
            message: `PyYAML rejects the file: while scanning a tag, expected ' ', but found ${JSON.stringify(after)}. Put a space after the tag.`,
            fatal: true,
          });
        }
        return;
      }
      case 'scalar':
        if (inFlow && token.source.includes('?')) {
          const at = token.offset + token.source.indexOf('?');
          add({
            code: 'yaml-syntax',
            range: { start: at, end: at + 1 },
            message:
              "PyYAML rejects the file: inside [ ] or { }, a '?' ends a plain scalar (YAML 1.1). Quote the value.",
            fatal: true,
          });
        }
        return;
      case 'block-map':
      case 'flow-collection':
        for (const item of token.items) {
          const explicitKey = item.start.some((t) => t.type === 'explicit-key-ind');
          const sep = 'sep' in item ? item.sep : undefined;
          const colon = sep?.find((t) => t.type === 'map-value-ind');
          const key = 'key' in item ? item.key : undefined;
          if (
            colon &&
            key &&
            !explicitKey &&
            token.type === 'flow-collection' &&
            text.slice(key.offset, colon.offset).includes('\n')
          ) {
            add({
              code: 'yaml-syntax',
              range: { start: key.offset, end: colon.offset + 1 },
              message:
                "PyYAML rejects the file: inside { } or [ ], a key must be on one line (while parsing a flow mapping, expected ',' or '}').",
              fatal: true,
            });
          }
          if (colon && !key && !explicitKey) {
            add({
              code: 'yaml-syntax',
              range: { start: colon.offset, end: colon.offset + 1 },
              message: "PyYAML rejects the file: expected a key before ':' (YAML 1.1 has no empty implicit keys).",
              fatal: true,
            });
          }
        }
        return;
      default:
        return;
    }
  };
  for (const t of tokens) walk(t, visit);

  if (!hasTabs) return;
  safe.sort((a, b) => a.start - b.start);
  for (let i = text.indexOf('\t'); i >= 0; i = text.indexOf('\t', i + 1)) {
    if (tabAllowed(text, i, safe)) continue;
    add({
      code: 'yaml-tab',
      range: { start: i, end: i + 1 },
      message:
        "PyYAML rejects the file: found character '\\t' that cannot start any token. MLflow's YAML parser accepts tabs only inside quotes, comments and block scalars; indent and separate with spaces.",
      fatal: true,
    });
  }
}
