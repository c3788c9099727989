// The Python objects PyYAML's safe_load builds from an MLproject, with the source range each came
// from, and Python's str()/repr() of them: MLflow substitutes str(default) into commands, so the
// editor has to render values exactly as CPython does.
import type { OffsetRange } from '../text/textPositions.ts';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

interface PyBase {
  /** Where the value is written (for an alias: where the anchored node is written). */
  range: OffsetRange;
  /** Scalars only: how it was written and its text after YAML unescaping/folding. */
  style?: ScalarStyle;
  source?: string;
  /** Written with an explicit tag (`!!str 1`) / an anchor (`&a 1`). */
  tagged?: boolean;
  anchored?: boolean;
}

interface PyNone extends PyBase {
  kind: 'none';
}
interface PyBool extends PyBase {
  kind: 'bool';
  value: boolean;
}
interface PyInt extends PyBase {
  kind: 'int';
  value: bigint;
}
interface PyFloat extends PyBase {
  kind: 'float';
  value: number;
}
interface PyStr extends PyBase {
  kind: 'str';
  value: string;
}
interface PyDate extends PyBase {
  kind: 'date';
  /** str(datetime.date) */
  text: string;
  /** repr(datetime.date) */
  reprText: string;
  /** Equality key: dates equal each other only. */
  identity: string;
}
interface PyDateTime extends PyBase {
  kind: 'datetime';
  text: string;
  reprText: string;
  identity: string;
}
interface PyBytes extends PyBase {
  kind: 'bytes';
  /** Each char is one byte (0-255). */
  value: string;
}
export interface PyEntry {
  /** The key object Python keeps: the first of equal keys. */
  key: PyValue;
  /** The value Python keeps: the last one written. */
  value: PyValue;
  /** The occurrence whose value won (for ranges). */
  lastKey?: PyValue;
  /** Came in through a `<<` merge key. */
  merged?: boolean;
}
export interface PyDict extends PyBase {
  kind: 'dict';
  /** Effective entries in Python dict order: first insertion position, last value wins. */
  entries: PyEntry[];
  /** Every key/value pair as written (including overridden duplicates and merged ones). */
  written: PyEntry[];
  flow: boolean;
}
export interface PyList extends PyBase {
  kind: 'list';
  items: PyValue[];
  /** `!!omap` / `!!pairs` build a list of tuples. */
  tuples?: boolean;
  flow: boolean;
}
interface PySet extends PyBase {
  kind: 'set';
  items: PyValue[];
}

type PyScalar = PyNone | PyBool | PyInt | PyFloat | PyStr | PyDate | PyDateTime | PyBytes;
export type PyValue = PyScalar | PyDict | PyList | PySet;

/** The Python exception a value operation raises, e.g. for str() of a 5000-digit int. */
export class PythonError extends Error {
  readonly pythonType: string;
  constructor(pythonType: string, message: string) {
    super(message);
    this.pythonType = pythonType;
  }
  get text(): string {
    return `${this.pythonType}: ${this.message}`;
  }
}

export function pyTypeName(v: PyValue): string {
  switch (v.kind) {
    case 'none':
      return 'NoneType';
    case 'date':
      return 'datetime.date';
    case 'datetime':
      return 'datetime.datetime';
    default:
      return v.kind;
  }
}

/** Python truthiness, which decides whether MLflow looks at env keys at all. */
export function pyTruthy(v: PyValue): boolean {
  switch (v.kind) {
    case 'none':
      return false;
    case 'bool':
      return v.value;
    case 'int':
      return v.value !== 0n;
    case 'float':
      return v.value !== 0;
    case 'str':
    case 'bytes':
      return v.value.length > 0;
    case 'dict':
      return v.entries.length > 0;
    case 'list':
    case 'set':
      return v.items.length > 0;
    default:
      return true;
  }
}

/** Hashable per Python: MLflow's dicts (PyYAML's) reject lists, dicts and sets as keys. */
export function pyHashable(v: PyValue): boolean {
  return v.kind !== 'dict' && v.kind !== 'list' && v.kind !== 'set';
}

let nanCounter = 0;
/**
 * A string equal for two keys exactly when Python's dict treats them as the same key:
 * 1 == 1.0 == True, 0 == -0.0 == False, NaN never equals another NaN object.
 */
export function pyKeyIdentity(v: PyValue): string {
  switch (v.kind) {
    case 'none':
      return 'N';
    case 'bool':
      return v.value ? 'n:1' : 'n:0';
    case 'int':
      return `n:${v.value}`;
    case 'float':
      if (Number.isNaN(v.value)) return `nan:${nanCounter++}`;
      if (Number.isInteger(v.value)) return `n:${BigInt(v.value)}`;
      return `f:${v.value}`;
    case 'str':
      return `s:${v.value}`;
    case 'bytes':
      return `b:${v.value}`;
    case 'date':
    case 'datetime':
      return v.identity;
    default:
      return `u:${nanCounter++}`;
  }
}

const INT_MAX_STR_DIGITS = 4300;

function pyIntStr(value: bigint): string {
  const s = value.toString();
  const digits = s.startsWith('-') ? s.length - 1 : s.length;
  if (digits > INT_MAX_STR_DIGITS) {
    throw new PythonError(
      'ValueError',
      `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  return s;
}

/** repr(float) / str(float): shortest round-trip digits, Python's switch to exponent form. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '0', expText = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  const decpt = exp + 1;
  let s: string;
  if (decpt <= -4 || decpt > 16) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    s = `${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (decpt <= 0) {
    s = `0.${'0'.repeat(-decpt)}${digits}`;
  } else if (decpt >= digits.length) {
    s = `${digits}${'0'.repeat(decpt - digits.length)}.0`;
  } else {
    s = `${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  return x < 0 ? `-${s}` : s;
}

function isPrintableForRepr(cp: number): boolean {
  // CPython's str.isprintable(): not in categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs (except space).
  if (cp === 0x20) return true;
  const ch = String.fromCodePoint(cp);
  return !/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u.test(ch);
}

/** repr(str) */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x7f) out += ch;
    else if (isPrintableForRepr(cp)) out += ch;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + quote;
}

function pyBytesRepr(b: string): string {
  const quote = b.includes("'") && !b.includes('"') ? '"' : "'";
  let out = `b${quote}`;
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    const ch = b[i] ?? '';
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Output budget: an alias bomb is a few hundred bytes of YAML and an astronomically long str(). */
const RENDER_LIMIT = 20_000;

class Budget {
  remaining: number;
  constructor(limit: number) {
    this.remaining = limit;
  }
  take(s: string): string {
    this.remaining -= s.length;
    return s;
  }
  get exhausted(): boolean {
    return this.remaining <= 0;
  }
}

function reprInto(v: PyValue, budget: Budget, active: Set<PyValue>): string {
  if (budget.exhausted) return '…';
  switch (v.kind) {
    case 'none':
      return budget.take('None');
    case 'bool':
      return budget.take(v.value ? 'True' : 'False');
    case 'int':
      return budget.take(pyIntStr(v.value));
    case 'float':
      return budget.take(pyFloatRepr(v.value));
    case 'str':
      return budget.take(pyStrRepr(v.value));
    case 'bytes':
      return budget.take(pyBytesRepr(v.value));
    case 'date':
    case 'datetime':
      return budget.take(v.reprText);
    case 'dict': {
      if (active.has(v)) return budget.take('{...}');
      active.add(v);
      const parts: string[] = [];
      for (const e of v.entries) {
        if (budget.exhausted) {
          parts.push('…');
          break;
        }
        parts.push(`${reprInto(e.key, budget, active)}: ${reprInto(e.value, budget, active)}`);
      }
      active.delete(v);
      return `{${parts.join(', ')}}`;
    }
    case 'list': {
      if (active.has(v)) return budget.take('[...]');
      active.add(v);
      const parts: string[] = [];
      for (const item of v.items) {
        if (budget.exhausted) {
          parts.push('…');
          break;
        }
        if (v.tuples && item.kind === 'list') {
          parts.push(`(${item.items.map((x) => reprInto(x, budget, active)).join(', ')})`);
        } else {
          parts.push(reprInto(item, budget, active));
        }
      }
      active.delete(v);
      return `[${parts.join(', ')}]`;
    }
    case 'set': {
      if (v.items.length === 0) return budget.take('set()');
      const parts = v.items.map((x) => reprInto(x, budget, active));
      return `{${parts.join(', ')}}`;
    }
  }
}

/** repr(value), truncated with … past `limit` characters. Set order is not Python's (hash order). */
export function pyRepr(v: PyValue, limit = RENDER_LIMIT): string {
  return reprInto(v, new Budget(limit), new Set());
}

// Aliased collections are rendered once, however many parameters share them.
let renderedCollections = new WeakMap<PyValue, string>();

/** Forget cached renderings after values were patched in place (incrementalLoad.ts). */
export function resetRenderCache(): void {
  renderedCollections = new WeakMap();
}

/** str(value) as MLflow computes it before shell-quoting a default. */
export function pyStr(v: PyValue, limit = RENDER_LIMIT): string {
  if ((v.kind === 'dict' || v.kind === 'list' || v.kind === 'set') && limit === RENDER_LIMIT) {
    let r = renderedCollections.get(v);
    if (r === undefined) {
      r = pyRepr(v, limit);
      renderedCollections.set(v, r);
    }
    return r;
  }
  switch (v.kind) {
    case 'str':
      return v.value;
    case 'bytes':
      return pyBytesRepr(v.value);
    case 'date':
    case 'datetime':
      return v.text;
    default:
      return pyRepr(v, limit);
  }
}

export function dictGet(d: PyDict, key: string): PyEntry | undefined {
  for (const e of d.entries) if (e.key.kind === 'str' && e.key.value === key) return e;
  return undefined;
}

/** Python `str(key)` for names MLflow takes from mapping keys. */
export function keyName(k: PyValue): string {
  try {
    return pyStr(k, 200);
  } catch {
    return '<unprintable key>';
  }
}
