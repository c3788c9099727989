// Python's str.format, as MLflow applies it to an entry point's command:
// `command.format(**{name: shlex.quote(str(value))})`. Parsing follows CPython's
// MarkupIterator / FieldNameIterator (Objects/stringlib/unicode_format.h) so that every
// template error MLflow would hit is found with the same message and an exact position.
import { pyStrRepr } from './pythonValues.ts';

interface FormatAccessor {
  kind: 'attribute' | 'index';
  text: string;
  start: number;
  end: number;
}

export interface FormatField {
  /** `{` … `}` inclusive, as indices into the template. */
  start: number;
  end: number;
  /** The whole field name (`a.b[0]`). */
  name: string;
  nameStart: number;
  nameEnd: number;
  /** The part looked up in the keyword arguments (`a`), or a positional index. */
  arg: string;
  argStart: number;
  argEnd: number;
  /** Empty or all digits: looked up positionally, which MLflow never supplies. */
  positional: boolean;
  accessors: FormatAccessor[];
  /** Structural error inside the field name (raised when Python renders it). */
  nameError?: FormatError;
  conversion: string | null;
  conversionStart: number;
  spec: string | null;
  specStart: number;
  specEnd: number;
  /** Replacement fields nested in the format spec (`{a:{width}}`). */
  specFields: FormatField[];
}

export interface FormatError {
  pythonType: 'ValueError' | 'KeyError' | 'IndexError' | 'AttributeError' | 'TypeError';
  message: string;
  start: number;
  end: number;
}

export interface ParsedFormat {
  fields: FormatField[];
  /** Literal `{{` / `}}` escapes (start index of each pair). */
  escapes: number[];
  /** Errors of the template's structure, in source order; Python raises the first one it reaches. */
  errors: FormatError[];
}

const DIGITS = /^\p{Nd}+$/u;

function parseFieldName(
  name: string,
  base: number,
): Pick<FormatField, 'arg' | 'argStart' | 'argEnd' | 'positional' | 'accessors' | 'nameError'> {
  let i = 0;
  while (i < name.length && name[i] !== '.' && name[i] !== '[') i++;
  const arg = name.slice(0, i);
  const accessors: FormatAccessor[] = [];
  let nameError: FormatError | undefined;
  while (i < name.length && !nameError) {
    const c = name[i];
    const at = i;
    i++;
    if (c === '.') {
      const s = i;
      while (i < name.length && name[i] !== '.' && name[i] !== '[') i++;
      const text = name.slice(s, i);
      if (text === '')
        nameError = {
          pythonType: 'ValueError',
          message: 'Empty attribute in format string',
          start: base + at,
          end: base + i,
        };
      else accessors.push({ kind: 'attribute', text, start: base + s, end: base + i });
    } else if (c === '[') {
      const s = i;
      while (i < name.length && name[i] !== ']') i++;
      if (i >= name.length) {
        nameError = {
          pythonType: 'ValueError',
          message: "Missing ']' in format string",
          start: base + at,
          end: base + i,
        };
        break;
      }
      const text = name.slice(s, i);
      i++;
      if (text === '')
        nameError = {
          pythonType: 'ValueError',
          message: 'Empty attribute in format string',
          start: base + at,
          end: base + i,
        };
      else accessors.push({ kind: 'index', text, start: base + s, end: base + i - 1 });
    } else {
      nameError = {
        pythonType: 'ValueError',
        message: "Only '.' or '[' may follow ']' in format field specifier",
        start: base + at,
        end: base + name.length,
      };
    }
  }
  return {
    arg,
    argStart: base,
    argEnd: base + arg.length,
    positional: arg === '' || DIGITS.test(arg),
    accessors,
    ...(nameError ? { nameError } : {}),
  };
}

/** Parse a template; `offset` shifts reported indices (for nested specs). */
export function parseFormatString(s: string, offset = 0): ParsedFormat {
  const fields: FormatField[] = [];
  const escapes: number[] = [];
  const errors: FormatError[] = [];
  const n = s.length;
  let pos = 0;
  while (pos < n) {
    let c = '';
    let found = false;
    while (pos < n) {
      c = s[pos++] ?? '';
      if (c === '{' || c === '}') {
        found = true;
        break;
      }
    }
    if (!found) break;
    const braceAt = pos - 1;
    const atEnd = pos >= n;
    if (c === '}' && (atEnd || s[pos] !== '}')) {
      errors.push({
        pythonType: 'ValueError',
        message: "Single '}' encountered in format string",
        start: offset + braceAt,
        end: offset + braceAt + 1,
      });
      continue;
    }
    if (atEnd && c === '{') {
      errors.push({
        pythonType: 'ValueError',
        message: "Single '{' encountered in format string",
        start: offset + braceAt,
        end: offset + braceAt + 1,
      });
      break;
    }
    if (s[pos] === c) {
      escapes.push(offset + braceAt);
      pos++;
      continue;
    }
    // A replacement field starts at braceAt.
    const nameStart = pos;
    let t = '';
    let terminated = false;
    let unexpectedBrace = -1;
    while (pos < n) {
      t = s[pos++] ?? '';
      if (t === '{') {
        unexpectedBrace = pos - 1;
        break;
      }
      if (t === '[') {
        while (pos < n && s[pos] !== ']') pos++;
        continue;
      }
      if (t === '}' || t === ':' || t === '!') {
        terminated = true;
        break;
      }
    }
    if (unexpectedBrace >= 0) {
      errors.push({
        pythonType: 'ValueError',
        message: "unexpected '{' in field name",
        start: offset + braceAt,
        end: offset + unexpectedBrace + 1,
      });
      // Resynchronise after the next '}' so later fields are still found.
      const close = s.indexOf('}', unexpectedBrace);
      pos = close < 0 ? n : close + 1;
      continue;
    }
    if (!terminated) {
      errors.push({
        pythonType: 'ValueError',
        message: "expected '}' before end of string",
        start: offset + braceAt,
        end: offset + n,
      });
      break;
    }
    const nameEnd = pos - 1;
    const name = s.slice(nameStart, nameEnd);
    const field: FormatField = {
      start: offset + braceAt,
      end: offset + braceAt + 1,
      name,
      nameStart: offset + nameStart,
      nameEnd: offset + nameEnd,
      ...parseFieldName(name, offset + nameStart),
      conversion: null,
      conversionStart: -1,
      spec: null,
      specStart: -1,
      specEnd: -1,
      specFields: [],
    };
    if (t === '}') {
      field.end = offset + pos;
      fields.push(field);
      continue;
    }
    if (t === '!') {
      if (pos >= n) {
        errors.push({
          pythonType: 'ValueError',
          message: 'end of string while looking for conversion specifier',
          start: offset + braceAt,
          end: offset + n,
        });
        break;
      }
      field.conversion = s[pos] ?? '';
      field.conversionStart = offset + pos;
      pos++;
      if (pos < n) {
        const after = s[pos++];
        if (after === '}') {
          field.end = offset + pos;
          fields.push(field);
          continue;
        }
        if (after !== ':') {
          errors.push({
            pythonType: 'ValueError',
            message: "expected ':' after conversion specifier",
            start: offset + braceAt,
            end: offset + pos,
          });
          const close = s.indexOf('}', pos - 1);
          pos = close < 0 ? n : close + 1;
          continue;
        }
      }
    }
    const specStart = pos;
    let count = 1;
    let closed = false;
    while (pos < n) {
      const ch = s[pos++];
      if (ch === '{') count++;
      else if (ch === '}') {
        count--;
        if (count === 0) {
          closed = true;
          break;
        }
      }
    }
    if (!closed) {
      errors.push({
        pythonType: 'ValueError',
        message: "unmatched '{' in format spec",
        start: offset + braceAt,
        end: offset + n,
      });
      break;
    }
    field.spec = s.slice(specStart, pos - 1);
    field.specStart = offset + specStart;
    field.specEnd = offset + pos - 1;
    if (field.spec.includes('{') || field.spec.includes('}')) {
      const nested = parseFormatString(field.spec, offset + specStart);
      field.specFields = nested.fields;
      errors.push(...nested.errors);
    }
    field.end = offset + pos;
    fields.push(field);
  }
  return { fields, escapes, errors };
}

// ---------------------------------------------------------------------------------------------
// format(str, spec): CPython's parse_internal_render_format_spec + format_string_internal.

export interface StrFormatSpec {
  fill: string;
  align: '<' | '>' | '^' | '=';
  width: number;
  precision: number | null;
}

export function parseStrFormatSpec(spec: string): StrFormatSpec | FormatError {
  const err = (message: string): FormatError => ({ pythonType: 'ValueError', message, start: 0, end: spec.length });
  const chars = [...spec];
  let pos = 0;
  let fill = ' ';
  let align: StrFormatSpec['align'] | '' = '';
  let fillSpecified = false;
  if (chars.length >= 2 && '<>=^'.includes(chars[1] ?? '')) {
    fill = chars[0] ?? ' ';
    align = chars[1] as StrFormatSpec['align'];
    fillSpecified = true;
    pos = 2;
  } else if (chars.length >= 1 && '<>=^'.includes(chars[0] ?? '')) {
    align = chars[0] as StrFormatSpec['align'];
    pos = 1;
  }
  let sign = '';
  if ('+- '.includes(chars[pos] ?? 'x') && pos < chars.length) sign = chars[pos++] ?? '';
  let noNeg0 = false;
  if (chars[pos] === 'z') {
    noNeg0 = true;
    pos++;
  }
  let alternate = false;
  if (chars[pos] === '#') {
    alternate = true;
    pos++;
  }
  if (!fillSpecified && chars[pos] === '0') {
    fill = '0';
    pos++;
  }
  let widthText = '';
  while (pos < chars.length && /[0-9]/.test(chars[pos] ?? '')) widthText += chars[pos++];
  let grouping = '';
  if (chars[pos] === ',' || chars[pos] === '_') grouping = chars[pos++] ?? '';
  let precision: number | null = null;
  if (chars[pos] === '.') {
    pos++;
    let p = '';
    while (pos < chars.length && /[0-9]/.test(chars[pos] ?? '')) p += chars[pos++];
    if (p === '') return err('Format specifier missing precision');
    precision = Number(p);
  }
  if (chars.length - pos > 1) return err(`Invalid format specifier '${spec}' for object of type 'str'`);
  const type = pos < chars.length ? (chars[pos] ?? 's') : 's';
  if (grouping && !'deEfFgG%'.includes(type)) return err(`Cannot specify '${grouping}' with '${type}'.`);
  if (type !== 's') return err(`Unknown format code '${type}' for object of type 'str'`);
  if (sign)
    return err(
      sign === ' ' ? 'Space not allowed in string format specifier' : 'Sign not allowed in string format specifier',
    );
  if (noNeg0) return err('Negative zero coercion (z) not allowed in string format specifier');
  if (alternate) return err('Alternate form (#) not allowed in string format specifier');
  if (align === '=') return err("'=' alignment not allowed in string format specifier");
  return { fill, align: align === '' ? '<' : align, width: widthText === '' ? 0 : Number(widthText), precision };
}

export function applyStrFormatSpec(value: string, spec: StrFormatSpec): string {
  let chars = [...value];
  if (spec.precision !== null) chars = chars.slice(0, spec.precision);
  const pad = Math.max(0, spec.width - chars.length);
  const body = chars.join('');
  if (pad === 0) return body;
  if (spec.align === '>') return spec.fill.repeat(pad) + body;
  if (spec.align === '^') {
    const left = Math.floor(pad / 2);
    return spec.fill.repeat(left) + body + spec.fill.repeat(pad - left);
  }
  return body + spec.fill.repeat(pad);
}

/** ascii(str) */
function pyAscii(s: string): string {
  return pyStrRepr(s).replace(/[^\x00-\x7f]/gu, (ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, '0')}`;
    if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
    return `\\U${cp.toString(16).padStart(8, '0')}`;
  });
}

/** Attributes of Python's `str`: `{a.upper}` renders a bound-method repr instead of failing. */
export const STR_ATTRIBUTES = new Set([
  '__add__',
  '__class__',
  '__contains__',
  '__delattr__',
  '__dir__',
  '__doc__',
  '__eq__',
  '__format__',
  '__ge__',
  '__getattribute__',
  '__getitem__',
  '__getnewargs__',
  '__getstate__',
  '__gt__',
  '__hash__',
  '__init__',
  '__init_subclass__',
  '__iter__',
  '__le__',
  '__len__',
  '__lt__',
  '__mod__',
  '__mul__',
  '__ne__',
  '__new__',
  '__reduce__',
  '__reduce_ex__',
  '__repr__',
  '__rmod__',
  '__rmul__',
  '__setattr__',
  '__sizeof__',
  '__str__',
  '__subclasshook__',
  'capitalize',
  'casefold',
  'center',
  'count',
  'encode',
  'endswith',
  'expandtabs',
  'find',
  'format',
  'format_map',
  'index',
  'isalnum',
  'isalpha',
  'isascii',
  'isdecimal',
  'isdigit',
  'isidentifier',
  'islower',
  'isnumeric',
  'isprintable',
  'isspace',
  'istitle',
  'isupper',
  'join',
  'ljust',
  'lower',
  'lstrip',
  'maketrans',
  'partition',
  'removeprefix',
  'removesuffix',
  'replace',
  'rfind',
  'rindex',
  'rjust',
  'rpartition',
  'rsplit',
  'rstrip',
  'split',
  'splitlines',
  'startswith',
  'strip',
  'swapcase',
  'title',
  'translate',
  'upper',
  'zfill',
]);

export class FormatRenderError extends Error {
  readonly error: FormatError;
  constructor(error: FormatError) {
    super(`${error.pythonType}: ${error.message}`);
    this.error = error;
  }
}

function conversionText(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  return cp > 32 && cp < 127 ? c : `\\x${cp.toString(16)}`;
}

function pyKeyRepr(k: string): string {
  return pyStrRepr(k);
}

function renderField(
  field: FormatField,
  kwargs: ReadonlyMap<string, string>,
  depth: number,
  auto: { next: number },
): string {
  if (field.nameError) throw new FormatRenderError(field.nameError);
  let value: string;
  if (field.positional) {
    const index = field.arg === '' ? auto.next++ : Number(field.arg);
    throw new FormatRenderError({
      pythonType: 'IndexError',
      message: `Replacement index ${index} out of range for positional args tuple`,
      start: field.start,
      end: field.end,
    });
  }
  const found = kwargs.get(field.arg);
  if (found === undefined) {
    throw new FormatRenderError({
      pythonType: 'KeyError',
      message: pyKeyRepr(field.arg),
      start: field.argStart,
      end: field.argEnd,
    });
  }
  value = found;
  for (const a of field.accessors) {
    if (a.kind === 'attribute') {
      throw new FormatRenderError(
        STR_ATTRIBUTES.has(a.text)
          ? {
              pythonType: 'AttributeError',
              message: `'{${field.name}}' would render a Python method object (<built-in method ${a.text} of str object at 0x…>)`,
              start: a.start,
              end: a.end,
            }
          : {
              pythonType: 'AttributeError',
              message: `'str' object has no attribute '${a.text}'`,
              start: a.start,
              end: a.end,
            },
      );
    }
    if (!DIGITS.test(a.text)) {
      throw new FormatRenderError({
        pythonType: 'TypeError',
        message: "string indices must be integers, not 'str'",
        start: a.start,
        end: a.end,
      });
    }
    const chars = [...value];
    const i = Number(a.text);
    if (i >= chars.length)
      throw new FormatRenderError({
        pythonType: 'IndexError',
        message: 'string index out of range',
        start: a.start,
        end: a.end,
      });
    value = chars[i] ?? '';
  }
  if (field.conversion !== null) {
    if (field.conversion === 'r') value = pyStrRepr(value);
    else if (field.conversion === 'a') value = pyAscii(value);
    else if (field.conversion !== 's') {
      throw new FormatRenderError({
        pythonType: 'ValueError',
        message: `Unknown conversion specifier ${conversionText(field.conversion)}`,
        start: field.conversionStart,
        end: field.conversionStart + 1,
      });
    }
  }
  if (field.spec === null || field.spec === '') return value;
  let spec = field.spec;
  if (field.specFields.length > 0 || spec.includes('{') || spec.includes('}')) {
    if (depth <= 1) {
      throw new FormatRenderError({
        pythonType: 'ValueError',
        message: 'Max string recursion exceeded',
        start: field.specStart,
        end: field.specEnd,
      });
    }
    spec = renderTemplate(
      parseFormatString(field.spec, field.specStart),
      field.spec,
      field.specStart,
      kwargs,
      depth - 1,
      auto,
    );
  }
  const parsed = parseStrFormatSpec(spec);
  if ('pythonType' in parsed) throw new FormatRenderError({ ...parsed, start: field.specStart, end: field.specEnd });
  return applyStrFormatSpec(value, parsed);
}

function renderTemplate(
  parsed: ParsedFormat,
  template: string,
  offset: number,
  kwargs: ReadonlyMap<string, string>,
  depth: number,
  auto: { next: number },
): string {
  // Python raises at the first problem in source order, whether structural or in a field.
  const events: Array<{ at: number; field?: FormatField; error?: FormatError }> = [
    ...parsed.fields.map((f) => ({ at: f.start, field: f })),
    ...parsed.errors.filter((e) => e.start - offset < template.length).map((e) => ({ at: e.start, error: e })),
  ];
  events.sort((a, b) => a.at - b.at);
  const firstError = parsed.errors[0];
  let out = '';
  let cursor = offset;
  const escapes = new Set(parsed.escapes);
  const literal = (from: number, to: number): string => {
    let text = '';
    for (let i = from; i < to; i++) {
      text += template[i - offset] ?? '';
      if (escapes.has(i)) i++;
    }
    return text;
  };
  for (const ev of events) {
    if (ev.error) throw new FormatRenderError(ev.error);
    const f = ev.field;
    if (!f) continue;
    if (firstError && firstError.start < f.start && parsed.errors.length > 0) throw new FormatRenderError(firstError);
    out += literal(cursor, f.start);
    out += renderField(f, kwargs, depth, auto);
    cursor = f.end;
  }
  out += literal(cursor, offset + template.length);
  return out;
}

/** `template.format(**kwargs)`; throws FormatRenderError with Python's exception. */
export function pyFormat(template: string, kwargs: ReadonlyMap<string, string>): string {
  return renderTemplate(parseFormatString(template), template, 0, kwargs, 2, { next: 0 });
}
