// A small YAML writer for documents meant to be read and diffed: one line per scalar (a changed
// value is one changed line), keys in the order given, strings plain only when a YAML 1.2 (and
// 1.1) reader gets the same string back, otherwise double-quoted with every control, invisible
// and bidirectional character escaped so nothing hides or reorders text in the editor.
// The `yaml` package was not used to write: its quoted style leaves bidi and zero-width
// characters raw and it folds multi-line strings into blocks that shift lines in a diff.

import { isHiddenOrReordering, visibleEscape } from '../../../webviews/protocol/displayText.ts';

export type YamlScalar = string | number | boolean | null;
export type YamlValue = YamlScalar | YamlMap | YamlList;

export interface YamlEntry {
  key: string;
  value: YamlValue;
  /** Rendered after the value on the same line. */
  comment?: string;
}

export interface YamlMap {
  readonly kind: 'map';
  readonly entries: YamlEntry[];
}

export interface YamlList {
  readonly kind: 'list';
  readonly items: YamlValue[];
}

export function yamlMap(entries: YamlEntry[] = []): YamlMap {
  return { kind: 'map', entries };
}

export function yamlList(items: YamlValue[] = []): YamlList {
  return { kind: 'list', items };
}

/** Code-unit order: the same on every machine and locale, which a diff of two documents needs. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedEntries(entries: YamlEntry[]): YamlEntry[] {
  return [...entries].sort((x, y) => compareKeys(x.key, y.key));
}

// ---- scalars -------------------------------------------------------------------------------

/** Plain scalars that a core-schema (1.2) or 1.1 reader would turn into something other than this string. */
const NON_STRING_PLAIN = [
  /^(?:~|null|Null|NULL)$/,
  /^(?:true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/, // 1.1 sexagesimal
  /^[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+)$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?$/, // ints and floats, 1.1's underscores too
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?$/, // 1.1 timestamps
  /^[=<]$/, // 1.1 value/merge keys
];

/** Characters a plain scalar may hold anywhere; anything else (quotes, #, &, *, !, |, >, %, @, `, {, }, [, ], non-ASCII) forces quotes. */
const PLAIN_CHARS = /^[A-Za-z0-9_./+\-(),=: ]*$/;

function canBePlain(s: string): boolean {
  if (s === '' || !PLAIN_CHARS.test(s)) return false;
  // A leading indicator, surrounding spaces, a mapping separator or an empty value all change the meaning.
  if (!/^[A-Za-z0-9_./(]/.test(s) || s.endsWith(' ') || s.endsWith(':') || s.includes(': ') || s.includes('  '))
    return false;
  return !NON_STRING_PLAIN.some((re) => re.test(s));
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/**
 * Whether a code point must be shown as an escape: everything the display rule shared by every
 * view escapes (isHiddenOrReordering: controls, separators, bidi controls, zero-width), plus what
 * only a diff needs, because there an invisible difference is the whole point: ZWJ, variation
 * selectors, tag characters, lone surrogates, no-break and other spaces that look like a plain space.
 */
function mustEscape(cp: number): boolean {
  return (
    isHiddenOrReordering(cp) ||
    // The diff-only extras.
    cp === 0xa0 ||
    cp === 0x034f ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x180e ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x200c ||
    cp === 0x200d ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x2065 ||
    (cp >= 0x206a && cp <= 0x206f) ||
    cp === 0x3000 ||
    cp === 0x3164 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xffa0 ||
    (cp >= 0xfff0 && cp <= 0xfffb) ||
    (cp >= 0xd800 && cp <= 0xdfff) || // a lone surrogate (pairs are read as one code point)
    (cp >= 0xe0000 && cp <= 0xe0fff)
  );
}

// Spelled as every other view spells them (visibleEscape: \n, \t, \r, \u0007, \u202e), all valid
// YAML 1.2 escapes; only `"` and `\` need YAML's own, and a code point above U+FFFF its \U form.
const YAML_ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\' };

/** A YAML double-quoted scalar: valid YAML 1.2 (and JSON-compatible apart from \x/\U escapes). */
export function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const own = YAML_ESCAPES[cp];
    if (own !== undefined) out += own;
    else if (!mustEscape(cp)) out += ch;
    else if (cp <= 0xffff) out += visibleEscape(ch);
    else out += '\\U' + hex(cp, 8);
  }
  return out + '"';
}

export function stringScalar(s: string): string {
  return canBePlain(s) ? s : doubleQuoted(s);
}

/** NaN and ±Infinity as YAML's .nan/.inf; -0 keeps its sign; every finite number round-trips. */
export function numberScalar(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  if (Object.is(n, -0)) return '-0.0';
  return String(n);
}

export function scalar(v: YamlScalar): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return numberScalar(v);
  return stringScalar(v);
}

/** A comment's text on one line: line breaks and other controls become visible escapes. */
function commentText(s: string): string {
  return doubleQuoted(s).slice(1, -1).replace(/\\"/g, '"').replace(/\\\\/g, '\\');
}

// ---- structure -----------------------------------------------------------------------------

const INDENT = '  ';

function isEmptyCollection(v: YamlValue): boolean {
  return typeof v === 'object' && v !== null && (v.kind === 'map' ? v.entries.length === 0 : v.items.length === 0);
}

function inline(v: YamlValue): string | undefined {
  if (typeof v !== 'object' || v === null) return scalar(v);
  if (isEmptyCollection(v)) return v.kind === 'map' ? '{}' : '[]';
  return undefined;
}

function withComment(line: string, comment: string | undefined): string {
  return comment === undefined ? line : `${line} # ${commentText(comment)}`;
}

/** YAML allows an implicit (`key: value`) key of at most 1024 characters; longer ones need `? key`. */
const IMPLICIT_KEY_MAX = 1000;

function emitMap(map: YamlMap, indent: string, out: string[]): void {
  for (const e of map.entries) {
    const key = stringScalar(e.key);
    const one = inline(e.value);
    const lead = key.length > IMPLICIT_KEY_MAX ? `${indent}? ${key}\n${indent}:` : `${indent}${key}:`;
    if (one !== undefined) {
      out.push(withComment(`${lead} ${one}`, e.comment));
      continue;
    }
    out.push(withComment(lead, e.comment));
    emitValue(e.value as YamlMap | YamlList, indent + INDENT, out);
  }
}

function emitList(list: YamlList, indent: string, out: string[]): void {
  for (const item of list.items) {
    const one = inline(item);
    if (one !== undefined) {
      out.push(`${indent}- ${one}`);
      continue;
    }
    // A map item starts on the dash's line; its other keys align under the first.
    const nested: string[] = [];
    emitValue(item as YamlMap | YamlList, indent + INDENT, nested);
    const first = nested[0] ?? '';
    out.push(`${indent}- ${first.slice(indent.length + INDENT.length)}`, ...nested.slice(1));
  }
}

function emitValue(v: YamlMap | YamlList, indent: string, out: string[]): void {
  if (v.kind === 'map') emitMap(v, indent, out);
  else emitList(v, indent, out);
}

/** The document text: comment lines first (`# …`), then the map. Ends with a newline. */
export function emitYaml(root: YamlMap, headerComments: string[] = []): string {
  const out = headerComments.map((c) => (c === '' ? '#' : `# ${commentText(c)}`));
  emitMap(root, '', out);
  return out.join('\n') + '\n';
}

/** A document that is only comments (used when there is nothing to render but an explanation). */
export function emitComments(lines: string[]): string {
  return lines.map((c) => (c === '' ? '#' : `# ${commentText(c)}`)).join('\n') + '\n';
}
