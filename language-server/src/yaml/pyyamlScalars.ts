// PyYAML's YAML 1.1 scalar rules (resolver.py implicit resolvers + SafeConstructor), which is
// what MLflow's yaml.safe_load applies. The `yaml` package's 1.1 schema differs in places
// (`1e-3`, `0o17`, `=`, base-60 floats, timestamps), so values are resolved here from the
// scalar's text rather than taken from the package.
import { PythonError } from '../python/pythonValues.ts';

export type ScalarTag = 'null' | 'bool' | 'int' | 'float' | 'timestamp' | 'merge' | 'value' | 'str';

const BOOL_RE = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT_RE =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT_RE =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const MERGE_RE = /^(?:<<)$/;
const NULL_RE = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP_RE =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;
const VALUE_RE = /^(?:=)$/;

// Resolver order matters: PyYAML tries resolvers registered for the first character in
// registration order (bool, float, int, merge, null, timestamp, value).
const RESOLVERS: Array<[ScalarTag, RegExp, string]> = [
  ['bool', BOOL_RE, 'yYnNtTfFoO'],
  ['float', FLOAT_RE, '-+0123456789.'],
  ['int', INT_RE, '-+0123456789'],
  ['merge', MERGE_RE, '<'],
  ['null', NULL_RE, '~nN\u0000'],
  ['timestamp', TIMESTAMP_RE, '0123456789'],
  ['value', VALUE_RE, '='],
];

/** The tag PyYAML gives a plain (unquoted, untagged) scalar. */
export function resolvePlainScalar(value: string): ScalarTag {
  const first = value === '' ? '\u0000' : (value[0] ?? '');
  for (const [tag, re, firsts] of RESOLVERS) {
    if (firsts.includes(first) && re.test(value)) return tag;
  }
  return 'str';
}

export type ConstructedScalar =
  | { kind: 'none' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'date'; text: string; reprText: string; identity: string }
  | { kind: 'datetime'; text: string; reprText: string; identity: string }
  | { kind: 'bytes'; value: string };

function pyIntParse(text: string, base: number): bigint {
  // Python int(text, base) after PyYAML removed underscores: surrounding whitespace allowed.
  const t = text.trim();
  const re =
    base === 2
      ? /^[+-]?[01]+$/
      : base === 8
        ? /^[+-]?(?:0[oO])?[0-7]+$/
        : base === 16
          ? /^[+-]?(?:0[xX])?[0-9a-fA-F]+$/
          : /^[+-]?[0-9]+$/;
  if (!re.test(t)) {
    throw new PythonError('ValueError', `invalid literal for int() with base ${base}: ${pyQuote(text)}`);
  }
  let neg = false;
  let body = t;
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  if (base === 8) body = body.replace(/^0[oO]/, '');
  if (base === 16) body = body.replace(/^0[xX]/, '');
  if (base === 10 && body.length > 4300) {
    throw new PythonError(
      'ValueError',
      `Exceeds the limit (4300 digits) for integer string conversion: value has ${body.length} digits; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  const prefix = base === 2 ? '0b' : base === 8 ? '0o' : base === 16 ? '0x' : '';
  const n = BigInt(prefix + body);
  return neg ? -n : n;
}

function pyQuote(s: string): string {
  return s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/'/g, "\\'")}'`;
}

function pyFloatParse(text: string): number {
  const t = text.trim();
  if (/^[+-]?(?:inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(t)) {
    throw new PythonError('ValueError', `could not convert string to float: ${pyQuote(text)}`);
  }
  return Number(t);
}

/** SafeConstructor.construct_yaml_int */
function constructInt(raw: string): bigint {
  let value = raw.replace(/_/g, '');
  if (value.length === 0) throw new PythonError('IndexError', 'string index out of range');
  let sign = 1n;
  if (value[0] === '-') sign = -1n;
  if (value[0] === '+' || value[0] === '-') value = value.slice(1);
  if (value === '0') return 0n;
  if (value.startsWith('0b')) return sign * pyIntParse(value.slice(2), 2);
  if (value.startsWith('0x')) return sign * pyIntParse(value.slice(2), 16);
  if (value[0] === '0') return sign * pyIntParse(value, 8);
  if (value.includes(':')) {
    const digits = value
      .split(':')
      .map((p) => pyIntParse(p, 10))
      .reverse();
    let base = 1n;
    let total = 0n;
    for (const d of digits) {
      total += d * base;
      base *= 60n;
    }
    return sign * total;
  }
  return sign * pyIntParse(value, 10);
}

/** SafeConstructor.construct_yaml_float */
function constructFloat(raw: string): number {
  let value = raw.replace(/_/g, '').toLowerCase();
  if (value.length === 0) throw new PythonError('IndexError', 'string index out of range');
  let sign = 1;
  if (value[0] === '-') sign = -1;
  if (value[0] === '+' || value[0] === '-') value = value.slice(1);
  if (value === '.inf') return sign * Infinity;
  if (value === '.nan') return NaN;
  if (value.includes(':')) {
    const digits = value.split(':').map(pyFloatParse).reverse();
    let base = 1;
    let total = 0.0;
    for (const d of digits) {
      total += d * base;
      base *= 60;
    }
    return sign * total;
  }
  return sign * pyFloatParse(value);
}

const BOOL_VALUES: Record<string, boolean> = { yes: true, no: false, true: true, false: false, on: true, off: false };

function constructBool(raw: string): boolean {
  const v = BOOL_VALUES[raw.toLowerCase()];
  if (v === undefined) throw new PythonError('KeyError', pyQuote(raw.toLowerCase()));
  return v;
}

const TIMESTAMP_PARTS =
  /^([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?)(?:(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?)?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** SafeConstructor.construct_yaml_timestamp, with datetime's range checks. */
function constructTimestamp(raw: string): ConstructedScalar {
  const m = TIMESTAMP_PARTS.exec(raw);
  if (!m) throw new PythonError('AttributeError', "'NoneType' object has no attribute 'groupdict'");
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1) throw new PythonError('ValueError', `year ${year} is out of range`);
  if (month < 1 || month > 12) throw new PythonError('ValueError', 'month must be in 1..12');
  if (day < 1 || day > daysInMonth(year, month)) throw new PythonError('ValueError', 'day is out of range for month');
  const dateText = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (m[4] === undefined || m[4] === '') {
    return {
      kind: 'date',
      text: dateText,
      reprText: `datetime.date(${year}, ${month}, ${day})`,
      identity: `d:${dateText}`,
    };
  }
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (hour > 23) throw new PythonError('ValueError', 'hour must be in 0..23');
  if (minute > 59) throw new PythonError('ValueError', 'minute must be in 0..59');
  if (second > 59) throw new PythonError('ValueError', 'second must be in 0..59');
  let fraction = 0;
  if (m[7]) fraction = Number(m[7].slice(0, 6).padEnd(6, '0'));
  let offsetMinutes: number | null = null;
  if (m[9]) {
    const tzMinutes = Number(m[10]) * 60 + Number(m[11] ?? 0);
    offsetMinutes = m[9] === '-' ? -tzMinutes : tzMinutes;
    if (Math.abs(offsetMinutes) >= 24 * 60) {
      throw new PythonError(
        'ValueError',
        'offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24).',
      );
    }
  } else if (m[8]) {
    offsetMinutes = 0;
  }
  let text = `${dateText} ${pad(hour)}:${pad(minute)}:${pad(second)}`;
  if (fraction) text += `.${pad(fraction, 6)}`;
  let reprText = `datetime.datetime(${year}, ${month}, ${day}, ${hour}, ${minute}`;
  if (second || fraction) reprText += `, ${second}`;
  if (fraction) reprText += `, ${fraction}`;
  let identity: string;
  if (offsetMinutes !== null) {
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    text += `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
    reprText +=
      offsetMinutes === 0
        ? ', tzinfo=datetime.timezone.utc)'
        : `, tzinfo=datetime.timezone(${timedeltaRepr(offsetMinutes)}))`;
    const utc = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
    identity = `dta:${utc}.${fraction}`;
  } else {
    reprText += ')';
    identity = `dt:${text}`;
  }
  return { kind: 'datetime', text, reprText, identity };
}

function timedeltaRepr(minutes: number): string {
  let total = minutes * 60;
  let days = 0;
  if (total < 0) {
    days = Math.floor(total / 86400);
    total -= days * 86400;
  }
  const parts: string[] = [];
  if (days) parts.push(`days=${days}`);
  if (total) parts.push(`seconds=${total}`);
  return `datetime.timedelta(${parts.join(', ')})`;
}

/** base64.decodebytes as SafeConstructor.construct_yaml_binary calls it. */
function constructBinary(raw: string): string {
  if (/[^\x00-\x7f]/.test(raw)) {
    throw new PythonError('ConstructorError', 'failed to convert base64 data into ascii: non-ASCII character');
  }
  const cleaned = raw.replace(/[^A-Za-z0-9+/=]/g, '');
  const firstPad = cleaned.indexOf('=');
  const body = firstPad < 0 ? cleaned : cleaned.slice(0, firstPad);
  const pads = firstPad < 0 ? 0 : (/^=*/.exec(cleaned.slice(firstPad))?.[0].length ?? 0);
  const rest = body.length % 4;
  if (rest === 1) {
    throw new PythonError(
      'ConstructorError',
      `failed to decode base64 data: Invalid base64-encoded string: number of data characters (${body.length}) cannot be 1 more than a multiple of 4`,
    );
  }
  if ((rest === 2 && pads < 2) || (rest === 3 && pads < 1)) {
    throw new PythonError('ConstructorError', 'failed to decode base64 data: Incorrect padding');
  }
  return Buffer.from(body, 'base64').toString('latin1');
}

/** Build the Python value for a scalar with a resolved (or explicit) tag; throws PythonError. */
export function constructScalar(tag: string, value: string): ConstructedScalar {
  switch (tag) {
    case 'null':
      return { kind: 'none' };
    case 'bool':
      return { kind: 'bool', value: constructBool(value) };
    case 'int':
      return { kind: 'int', value: constructInt(value) };
    case 'float':
      return { kind: 'float', value: constructFloat(value) };
    case 'timestamp':
      return constructTimestamp(value);
    case 'binary':
      return { kind: 'bytes', value: constructBinary(value) };
    case 'str':
      return { kind: 'str', value };
    default:
      throw new PythonError(
        'ConstructorError',
        `could not determine a constructor for the tag ${pyQuote(fullTag(tag))}`,
      );
  }
}

export function fullTag(tag: string): string {
  return /^[a-z]+$/.test(tag) ? `tag:yaml.org,2002:${tag}` : tag;
}
