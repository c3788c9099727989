// MLflow's runs/search filter grammar as MLflow 3.17.2 reads it (mlflow/utils/search_utils.py over
// sqlparse, plus the SQL store's comparator checks; ../shared/mlflow-spec.md §4.1-4.2): a checker
// that finds the first thing MLflow would refuse, in plain words with its position, and the
// completions the filter box offers at the cursor. No `vscode` import: tested as plain functions.

type FilterKind = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

interface FilterProblem {
  /** Offsets into the text: what to underline. */
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export interface FilterCheck {
  /** The first thing MLflow would refuse; undefined when MLflow accepts the filter. */
  readonly error?: FilterProblem;
  /** Accepted by MLflow but likely not meant (clauses with no AND between them). */
  readonly warning?: FilterProblem;
}

/** The prefixes MLflow takes before the first `.` and the kind each names. */
const PREFIXES: ReadonlyMap<string, FilterKind> = new Map([
  ['metric', 'metric'],
  ['metrics', 'metric'],
  ['param', 'param'],
  ['params', 'param'],
  ['parameter', 'param'],
  ['parameters', 'param'],
  ['tag', 'tag'],
  ['tags', 'tag'],
  ['attribute', 'attribute'],
  ['attributes', 'attribute'],
  ['attr', 'attribute'],
  ['run', 'attribute'],
  ['dataset', 'dataset'],
  ['datasets', 'dataset'],
]);

const NUMERIC_ATTRIBUTES = new Set(['start_time', 'end_time', 'created', 'Created']);
const STRING_ATTRIBUTES = new Set([
  'run_id',
  'run_name',
  'status',
  'user_id',
  'artifact_uri',
  'run name',
  'Run name',
  'Run Name',
]);
const DATASET_KEYS = new Set(['name', 'digest', 'context']);

const NUMERIC_OPS = ['=', '!=', '<', '<=', '>', '>='];
const STRING_OPS = ['=', '!=', 'LIKE', 'ILIKE'];
const NULL_OPS = ['IS NULL', 'IS NOT NULL'];
const LIST_OPS = ['IN', 'NOT IN'];

/** What MLflow's SQL store allows for a key of this kind (runs/search). */
function operatorsFor(kind: FilterKind, key: string): readonly string[] {
  switch (kind) {
    case 'metric':
      return NUMERIC_OPS;
    case 'param':
    case 'tag':
      return [...STRING_OPS, ...NULL_OPS];
    case 'dataset':
      return [...STRING_OPS, ...LIST_OPS];
    case 'attribute':
      if (NUMERIC_ATTRIBUTES.has(key)) return NUMERIC_OPS;
      return key === 'run_id' ? [...STRING_OPS, ...LIST_OPS] : STRING_OPS;
  }
}

function takesNumber(kind: FilterKind, key: string): boolean {
  return kind === 'metric' || (kind === 'attribute' && NUMERIC_ATTRIBUTES.has(key));
}

const KIND_NAME: Record<FilterKind, string> = {
  metric: 'Metric',
  param: 'Param',
  tag: 'Tag',
  attribute: 'Attribute',
  dataset: 'Dataset',
};

// ---------------------------------------------------------------------------------------------
// Scanning. sqlparse's lexer rules for the tokens a filter uses: '…' strings (with '' and \'
// inside), "…" and `…` quoted names, numbers that no letter follows, words of \w characters.

const NUMBER = /^-?(?:\d+(?:\.\d+)?[eE]-?\d+|\d+\.\d*|\.\d+|\d+)(?![\w])/;
const WORD = /^\w+/u;
const SYMBOL_OP = /^(?:<=|>=|!=|<>|==|=|<|>)/;

function quotedEnd(text: string, at: number): number | undefined {
  const q = text[at]!;
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (q !== '`' && c === '\\') {
      i++;
      continue;
    }
    if (c === q) {
      if (text[i + 1] === q) {
        i++;
        continue;
      }
      return i + 1;
    }
  }
  return undefined;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}

function wordAt(text: string, at: number): string | undefined {
  return WORD.exec(text.slice(at))?.[0];
}

function isQuote(c: string | undefined): boolean {
  return c === "'" || c === '"' || c === '`';
}

/** One `prefix.key` as typed, with where it ends; the key is unquoted. */
interface Identifier {
  readonly start: number;
  readonly end: number;
  readonly prefix?: string;
  readonly key: string;
  /** The key's text as typed (quotes kept), for completion. */
  readonly rawKey: string;
  /** A quote opened in the key and not closed (only at the end of the text). */
  readonly open?: boolean;
}

function unquote(s: string): string {
  return s.length >= 2 && isQuote(s[0]) && s.endsWith(s[0]!) ? s.slice(1, -1) : s;
}

/** `part ( "." part )*` where a part is a word or a quoted name; the first "." splits the prefix. */
function scanIdentifier(text: string, start: number): Identifier | undefined {
  const parts: string[] = [];
  let at = start;
  for (;;) {
    const c = text[at];
    if (c === '`' || c === '"') {
      const end = quotedEnd(text, at);
      if (end === undefined) {
        parts.push(text.slice(at));
        return finish(parts, text.length, true);
      }
      parts.push(text.slice(at, end));
      at = end;
    } else {
      const w = wordAt(text, at);
      // A trailing "." (`metrics.`) leaves an empty key: the user is about to type it.
      if (w === undefined) {
        if (parts.length === 0) return undefined;
        parts.push('');
        return finish(parts, at, false);
      }
      parts.push(w);
      at += w.length;
    }
    if (text[at] !== '.') return finish(parts, at, false);
    at++;
  }

  function finish(ps: string[], end: number, open: boolean): Identifier {
    if (ps.length === 1) return { start, end, key: unquote(ps[0]!), rawKey: ps[0]!, open };
    const rawKey = ps.slice(1).join('.');
    return { start, end, prefix: unquote(ps[0]!), key: unquote(rawKey), rawKey, open };
  }
}

/** One `op` at `at`: a symbol or a keyword phrase (`NOT IN`, `IS NOT NULL`), upper-cased. */
function scanOperator(text: string, at: number): { op: string; end: number } | undefined {
  const sym = SYMBOL_OP.exec(text.slice(at));
  if (sym) return { op: sym[0], end: at + sym[0].length };
  const phrase = /^(?:is\s+not\s+null|is\s+null|not\s+in|not\s+like|not\s+ilike|like|ilike|rlike|in|is)(?!\w)/i.exec(
    text.slice(at),
  );
  if (!phrase) return undefined;
  return { op: phrase[0].toUpperCase().replace(/\s+/g, ' '), end: at + phrase[0].length };
}

type Value =
  | { kind: 'number'; start: number; end: number }
  | { kind: 'string'; start: number; end: number; text: string }
  | { kind: 'list'; start: number; end: number; items: number }
  | { kind: 'word'; start: number; end: number; text: string };

type ValueScan = Value | FilterProblem;

/** A value: a number, a quoted string, a parenthesised list or (refused later) a bare word. */
function scanValue(text: string, at: number): ValueScan | undefined {
  const c = text[at];
  if (c === "'" || c === '"') {
    const end = quotedEnd(text, at);
    if (end === undefined) return problem(at, text.length, `The quote ${c} is never closed.`);
    return { kind: 'string', start: at, end, text: text.slice(at + 1, end - 1) };
  }
  if (c === '(') return scanList(text, at);
  const num = NUMBER.exec(text.slice(at));
  if (num) return { kind: 'number', start: at, end: at + num[0].length };
  const w = wordAt(text, at);
  if (w !== undefined) {
    // `abc.def` is one identifier to sqlparse; report the whole of it.
    let end = at + w.length;
    while (text[end] === '.' && wordAt(text, end + 1)) end += 1 + wordAt(text, end + 1)!.length;
    return { kind: 'word', start: at, end, text: text.slice(at, end) };
  }
  return undefined;
}

/** `( 'a', "b", )`: MLflow reads it as a Python literal; non-empty, strings only. */
function scanList(text: string, open: number): ValueScan {
  let at = skipSpace(text, open + 1);
  let items = 0;
  for (;;) {
    if (at >= text.length) return problem(open, text.length, 'The list ( is never closed with ).');
    if (text[at] === ')') break;
    const c = text[at];
    if (c !== "'" && c !== '"') {
      const end = Math.max(at + 1, at + (/^[^,)\s]*/.exec(text.slice(at))?.[0].length ?? 0));
      return problem(at, end, "A list holds quoted strings only, e.g. ('a1b2', 'c3d4').");
    }
    const end = quotedEnd(text, at);
    if (end === undefined) return problem(at, text.length, `The quote ${c} is never closed.`);
    items++;
    at = skipSpace(text, end);
    if (text[at] === ',') at = skipSpace(text, at + 1);
    else if (text[at] !== ')' && at < text.length)
      return problem(at, at + 1, 'Separate the values of a list with commas.');
  }
  if (items === 0) return problem(open, at + 1, 'An empty list matches nothing: MLflow wants at least one value.');
  return { kind: 'list', start: open, end: at + 1, items };
}

function problem(start: number, end: number, message: string): FilterProblem {
  return { start, end: Math.max(end, start + 1), message };
}

function isProblem(v: ValueScan): v is FilterProblem {
  return 'message' in v;
}

// ---------------------------------------------------------------------------------------------
// Checking.

/** Why a word between clauses is refused; OR is asked for most (mlflow/mlflow #4135). */
function strayWordMessage(word: string): string {
  switch (word.toUpperCase()) {
    case 'OR':
      return 'MLflow’s search has no OR (mlflow/mlflow #4135): every clause must hold. Run two filters instead, one per alternative; for one attribute, run_id or a dataset field, IN (…) lists alternatives.';
    case 'NOT':
      return 'MLflow’s search has no NOT before a clause: use != or, for run_id and datasets, NOT IN (…).';
    default:
      return `MLflow expects a clause such as metrics.rmse < 1 here, not "${word}".`;
  }
}

/** Where the clause's key belongs, or why MLflow refuses it. */
function resolve(id: Identifier): { kind: FilterKind; key: string } | FilterProblem {
  const kind = id.prefix === undefined ? 'attribute' : PREFIXES.get(id.prefix);
  if (kind === undefined) {
    return problem(
      id.start,
      id.start + id.prefix!.length,
      `"${id.prefix}" is not a kind MLflow searches: start with metrics., params., tags., attributes. or datasets. (lowercase).`,
    );
  }
  const keyStart = id.prefix === undefined ? id.start : id.start + (id.end - id.start - id.rawKey.length);
  if (id.key === '') return problem(keyStart, id.end, `Name a ${kind} after "${id.prefix}.".`);
  if (kind === 'attribute' && !NUMERIC_ATTRIBUTES.has(id.key) && !STRING_ATTRIBUTES.has(id.key)) {
    const hint =
      id.prefix === undefined
        ? ` A metric, param or tag needs its prefix: metrics.${id.rawKey}, params.${id.rawKey}, tags.${id.rawKey}.`
        : '';
    return problem(
      keyStart,
      id.end,
      `"${id.key}" is not a run attribute MLflow searches (run_id, run_name, status, user_id, artifact_uri, start_time, end_time, created).${hint}`,
    );
  }
  if (kind === 'dataset' && !DATASET_KEYS.has(id.key))
    return problem(keyStart, id.end, `Datasets are searched by name, digest or context, not "${id.key}".`);
  return { kind, key: id.key };
}

function exampleComparison(id: Identifier): string {
  const kind = id.prefix === undefined ? 'attribute' : PREFIXES.get(id.prefix);
  return kind && takesNumber(kind, id.key) ? '< 1' : "= '…'";
}

function describeKey(kind: FilterKind, key: string): string {
  return `${KIND_NAME[kind]} ${key}`;
}

function checkValue(kind: FilterKind, key: string, typed: string, op: string, v: Value): FilterProblem | undefined {
  const what = describeKey(kind, key);
  if (op === 'IN' || op === 'NOT IN') {
    if (v.kind !== 'list') return problem(v.start, v.end, `${op} takes a list in parentheses: ('a', 'b').`);
    return undefined;
  }
  if (v.kind === 'list') return problem(v.start, v.end, `A list needs IN or NOT IN, not ${op}.`);
  if (takesNumber(kind, key)) {
    if (v.kind === 'number') return undefined;
    const example = kind === 'metric' ? `${typed} > 0.9` : `${typed} > 1700000000000`;
    return problem(
      v.start,
      v.end,
      `${what} is compared with a number without quotes (${example})${kind === 'attribute' ? ', in milliseconds since 1970' : ''}.`,
    );
  }
  if (v.kind === 'string') return undefined;
  const shown = v.kind === 'word' ? v.text : 'this number';
  return problem(
    v.start,
    v.end,
    `${what} holds text: put ${shown} in quotes, '${shown === 'this number' ? '…' : shown}'.`,
  );
}

/**
 * The first thing MLflow 3.17.2 would refuse in this runs/search filter, or nothing. The filter
 * alone: an `ORDER BY` tail is split off before (filterInput.ts).
 */
export function checkFilter(text: string): FilterCheck {
  let at = 0;
  let warning: FilterProblem | undefined;
  let afterClause = false;
  for (;;) {
    at = skipSpace(text, at);
    if (at >= text.length) return warning ? { warning } : {};
    const c = text[at]!;
    if (c === ';')
      return { error: problem(at, at + 1, 'MLflow takes one expression: join clauses with AND, not ";".') };
    if (c === '(') {
      return {
        error: problem(
          at,
          at + 1,
          'MLflow’s search has no parentheses around clauses: write the clauses joined by AND, without ( ).',
        ),
      };
    }
    if (text.startsWith('--', at) || text.startsWith('/*', at))
      return { error: problem(at, text.length, 'MLflow’s search takes no comments.') };
    const w = wordAt(text, at);
    if (w !== undefined && /^(and|or|not)$/i.test(w) && !isQuote(text[at + w.length]) && text[at + w.length] !== '.') {
      if (w.toUpperCase() !== 'AND') return { error: problem(at, at + w.length, strayWordMessage(w)) };
      at += w.length;
      afterClause = false;
      continue;
    }
    const id = scanIdentifier(text, at);
    if (!id) {
      return {
        error: problem(at, at + 1, `MLflow expects a key such as metrics.rmse or params.alpha here, not "${c}".`),
      };
    }
    if (id.open) return { error: problem(id.end - 1, id.end, 'The quoted name is never closed.') };
    if (afterClause && !warning) {
      warning = problem(
        id.start,
        id.end,
        'MLflow reads two clauses with nothing between them as AND; write AND to make that plain.',
      );
    }
    const clauseStart = id.start;
    // `metrics.my-key`: sqlparse splits the key at the symbol and MLflow cannot read the clause.
    const opAt = skipSpace(text, id.end);
    if (opAt === id.end && id.end < text.length && !/[\s=<>!]/.test(text[id.end]!)) {
      const whole = /^[^\s=<>!]*/.exec(text.slice(id.end))![0];
      const key = unquote(id.rawKey) + whole;
      return {
        error: problem(
          clauseStart,
          id.end + whole.length,
          `A key with "${text[id.end]}" in it needs backticks: ${id.prefix ? `${id.prefix}.` : ''}\`${key}\`.`,
        ),
      };
    }
    const op = scanOperator(text, opAt);
    if (!op) {
      const rest = text.slice(opAt).trim();
      return {
        error: problem(
          clauseStart,
          id.end,
          rest === '' || /^and\b/i.test(rest)
            ? `"${text.slice(clauseStart, id.end)}" needs a comparison, e.g. ${text.slice(clauseStart, id.end)} ${exampleComparison(id)}.`
            : `MLflow expects a comparison (=, !=, <, >, LIKE, …) after ${text.slice(clauseStart, id.end)}.`,
        ),
      };
    }
    const target = resolve(id);
    if ('message' in target) return { error: target };
    const { kind, key } = target;
    if (op.op === 'IS') {
      return { error: problem(opAt, op.end, 'IS needs NULL or NOT NULL after it.') };
    }
    const allowed = operatorsFor(kind, key);
    if (!allowed.includes(op.op)) {
      const friendly: Record<string, string> = { '==': ' (MLflow writes equality as =)', '<>': ' (write != )' };
      return {
        error: problem(
          opAt,
          op.end,
          `${describeKey(kind, key)} takes ${allowed.join(', ')}; not ${op.op}${friendly[op.op] ?? ''}.`,
        ),
      };
    }
    at = op.end;
    afterClause = true;
    if (op.op === 'IS NULL' || op.op === 'IS NOT NULL') continue;
    const valueAt = skipSpace(text, at);
    const value = valueAt < text.length ? scanValue(text, valueAt) : undefined;
    if (value === undefined && text[valueAt] === '+')
      return { error: problem(valueAt, valueAt + 1, 'MLflow reads numbers without a + sign: write 1, not +1.') };
    if (value === undefined) {
      const example = takesNumber(kind, key) ? '0.5' : op.op.endsWith('IN') ? "('a', 'b')" : "'…'";
      return {
        error: problem(clauseStart, Math.max(op.end, valueAt), `${op.op} needs a value after it, e.g. ${example}.`),
      };
    }
    if (isProblem(value)) return { error: value };
    const bad = checkValue(kind, key, text.slice(clauseStart, id.end), op.op, value);
    if (bad) return { error: bad };
    at = value.end;
  }
}

// ---------------------------------------------------------------------------------------------
// MLflow's own messages, in plain words. The filter box shows both: MLflow's text is what a web
// search finds, ours says what to change.

const MLFLOW_MESSAGES: readonly (readonly [RegExp, string])[] = [
  [/Invalid clause\(s\) in filter string: .*'OR'/i, strayWordMessage('OR')],
  [/Invalid clause\(s\) in filter string: .*'NOT'/i, strayWordMessage('NOT')],
  [
    /Invalid clause\(s\) in filter string: '\(/,
    'MLflow’s search has no parentheses around clauses: join the clauses with AND.',
  ],
  [/Invalid clause\(s\) in filter string: '(--|\/\*)/, 'MLflow’s search takes no comments.'],
  [
    /Invalid clause\(s\)/,
    'MLflow could not read a clause: each is a key, a comparison and a value (metrics.rmse < 1), joined by AND.',
  ],
  [/multiple expression/, 'MLflow takes one expression: join clauses with AND, not ";".'],
  [/Invalid entity type/, 'Start each key with metrics., params., tags., attributes. or datasets. (lowercase).'],
  [
    /Invalid attribute key/,
    'Runs are searched by run_id, run_name, status, user_id, artifact_uri, start_time, end_time and created; metrics, params and tags need their prefix.',
  ],
  [/Invalid dataset key/, 'Datasets are searched by name, digest or context.'],
  [/Expected numeric value type for metric/, 'Metrics are compared with numbers, without quotes: metrics.acc > 0.9.'],
  [
    /Expected numeric value type for numeric attribute/,
    'Times are numbers of milliseconds since 1970, without quotes: start_time > 1700000000000.',
  ],
  [
    /Expected a quoted string value|not quoted or unidentified quote/,
    "Params, tags and attributes hold text: put the value in quotes, params.alpha = '0.5'.",
  ],
  [
    /Invalid comparator/,
    'That comparison does not apply to this kind of key: metrics take = != < <= > >=, text takes = != LIKE ILIKE.',
  ],
  [
    /support comparison with a list/,
    'IN (…) and NOT IN (…) work only for run_id and the dataset name, digest and context.',
  ],
  [/IS NULL \/ IS NOT NULL/, 'IS NULL and IS NOT NULL work only for params and tags.'],
  [/While parsing a list/, "A list holds one or more quoted strings: ('a1b2', 'c3d4')."],
  [/Expected 'Identifier'/, 'A key with spaces, dashes or other symbols needs backticks: metrics.`my-key`.'],
];

/** What a filter error from MLflow means, in plain words; undefined for messages about something else. */
export function explainMlflowFilterError(message: string): string | undefined {
  return MLFLOW_MESSAGES.find(([re]) => re.test(message))?.[1];
}

// ---------------------------------------------------------------------------------------------
// Completion at the cursor.

/** Keys (and some values) the experiment's runs actually have. */
export interface FilterKeys {
  readonly metrics: readonly string[];
  readonly params: readonly string[];
  readonly tags: readonly string[];
  /** Values seen per param / tag key. */
  readonly paramValues?: ReadonlyMap<string, readonly string[]>;
  readonly tagValues?: ReadonlyMap<string, readonly string[]>;
}

export interface FilterCompletion {
  /** What the list shows. */
  readonly label: string;
  /** What it is: "metric key", "operator", "value of params.alpha". */
  readonly detail: string;
  /** The text that replaces text.slice(start, end). */
  readonly insert: string;
  readonly start: number;
  readonly end: number;
}

/** Tags MLflow itself sets, worth offering before any run shows them. */
const RESERVED_TAGS = [
  'mlflow.runName',
  'mlflow.user',
  'mlflow.source.name',
  'mlflow.source.type',
  'mlflow.source.git.commit',
  'mlflow.parentRunId',
  'mlflow.note.content',
];
const ATTRIBUTE_KEYS = ['run_name', 'status', 'run_id', 'user_id', 'start_time', 'end_time', 'artifact_uri'];
const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

/** Keys with anything but letters, digits, `_` and `.` need backticks to reach MLflow whole. */
function quoteKey(key: string): string {
  return /^[A-Za-z0-9_.]+$/.test(key) ? key : `\`${key}\``;
}

function quoteValue(value: string): string | undefined {
  // MLflow has no escapes: a value with both quote kinds cannot be written.
  if (!value.includes("'")) return `'${value}'`;
  return value.includes('"') ? undefined : `"${value}"`;
}

type Place =
  | { at: 'key'; start: number }
  | { at: 'operator'; start: number; kind: FilterKind; key: string }
  | { at: 'value'; start: number; kind: FilterKind; key: string; typedKey: string; op: string }
  | { at: 'and'; start: number };

/** Where the cursor is in the grammar, reading only what comes before it; undefined inside a mistake. */
function placeAt(text: string): Place | undefined {
  let at = 0;
  for (;;) {
    at = skipSpace(text, at);
    const w = wordAt(text, at);
    if (w !== undefined && /^and$/i.test(w) && at + w.length < text.length && /\s/.test(text[at + w.length]!)) {
      at += w.length;
      continue;
    }
    if (at >= text.length) return { at: 'key', start: at };
    const id = scanIdentifier(text, at);
    if (!id) return undefined;
    if (id.end >= text.length) return { at: 'key', start: id.start };
    const target = resolve(id);
    if ('message' in target) return undefined;
    const opAt = skipSpace(text, id.end);
    if (opAt === id.end && !/[=<>!]/.test(text[opAt] ?? '')) return undefined;
    const partialOp = /^[A-Za-z]+(?:\s+[A-Za-z]+)*$|^[=<>!]$/.exec(text.slice(opAt));
    if (opAt >= text.length || partialOp) return { at: 'operator', start: opAt, ...target };
    const op = scanOperator(text, opAt);
    if (!op || op.op === 'IS') return undefined;
    at = op.end;
    if (op.op === 'IS NULL' || op.op === 'IS NOT NULL') {
      if (at < text.length && /\s/.test(text[at]!)) {
        at = skipSpace(text, at);
        if (at >= text.length) return { at: 'and', start: at };
        continue;
      }
      return undefined;
    }
    const valueAt = skipSpace(text, at);
    const typedKey = text.slice(id.start, id.end);
    if (valueAt >= text.length) return { at: 'value', start: valueAt, ...target, typedKey, op: op.op };
    const value = scanValue(text, valueAt);
    // An open quote: the user is typing a string value.
    if (value === undefined || isProblem(value) || value.end >= text.length)
      return { at: 'value', start: valueAt, ...target, typedKey, op: op.op };
    at = value.end;
    if (!/\s/.test(text[at] ?? '')) return undefined;
    at = skipSpace(text, at);
    if (at >= text.length) return { at: 'and', start: at };
    if (/^a(n(d)?)?$/i.test(text.slice(at))) return { at: 'and', start: at };
  }
}

/** Completions for the text before `cursor`, best first; each replaces text.slice(start, cursor). */
export function completeFilter(text: string, cursor: number, keys: FilterKeys): FilterCompletion[] {
  const before = text.slice(0, cursor);
  const place = placeAt(before);
  if (!place) return [];
  const typed = before.slice(place.start);
  const make = (label: string, detail: string, insert = label): FilterCompletion => ({
    label,
    detail,
    insert,
    start: place.start,
    end: cursor,
  });
  const starts = (s: string) => s.toLowerCase().startsWith(typed.toLowerCase());
  switch (place.at) {
    case 'and':
      return [make('AND', 'another clause', 'AND ')].filter((c) => starts(c.label));
    case 'operator':
      return operatorsFor(place.kind, place.key)
        .map((op) => make(op, `${describeKey(place.kind, place.key)}`, `${op} `))
        .filter((c) => starts(c.label));
    case 'value':
      return valueCompletions(place, keys)
        .map((v) => make(v.value, v.detail, `${v.value} `))
        .filter((c) => starts(c.label) || typed === '');
    case 'key':
      // A whole key is followed by its operator: the space saves a keystroke before the next list.
      return keyCompletions(typed, keys).map(([label, detail]) =>
        make(label, detail, label.endsWith('.') ? label : `${label} `),
      );
  }
}

function valueCompletions(
  place: Extract<Place, { at: 'value' }>,
  keys: FilterKeys,
): { value: string; detail: string }[] {
  if (place.op === 'IN' || place.op === 'NOT IN') return [];
  let values: readonly string[] = [];
  if (place.kind === 'param') values = keys.paramValues?.get(place.key) ?? [];
  else if (place.kind === 'tag') values = keys.tagValues?.get(place.key) ?? [];
  else if (place.kind === 'attribute' && place.key === 'status') values = RUN_STATUSES;
  const detail = `value of ${place.typedKey}`;
  return values.flatMap((v) => {
    const q = quoteValue(v);
    return q === undefined ? [] : [{ value: q, detail }];
  });
}

function keyCompletions(typed: string, keys: FilterKeys): [string, string][] {
  const dot = typed.indexOf('.');
  const lower = typed.toLowerCase();
  const out: [string, string][] = [];
  const add = (prefix: string, list: Iterable<string>, detail: string) => {
    for (const k of list) out.push([`${prefix}.${quoteKey(k)}`, detail]);
  };
  const all: [string, readonly string[], string][] = [
    ['metrics', keys.metrics, 'metric key'],
    ['params', keys.params, 'param key'],
    ['tags', [...new Set([...keys.tags, ...RESERVED_TAGS])], 'tag key'],
    ['attributes', ATTRIBUTE_KEYS, 'run attribute'],
    ['datasets', [...DATASET_KEYS], 'dataset field'],
  ];
  if (dot < 0) {
    // The kinds first, then bare attributes, then any key whose name starts with what was typed.
    for (const [prefix, , detail] of all) out.push([`${prefix}.`, detail.replace(/ key$| field$/, 's')]);
    for (const a of ATTRIBUTE_KEYS) out.push([a, 'run attribute']);
    const named = out.filter(([l]) => l.toLowerCase().startsWith(lower));
    if (typed === '') return named;
    const byName: [string, string][] = [];
    for (const [prefix, list, detail] of all)
      for (const k of list) if (k.toLowerCase().startsWith(lower)) byName.push([`${prefix}.${quoteKey(k)}`, detail]);
    return [...named, ...byName];
  }
  // Keep the prefix as typed (metric., param., …): it is the user's spelling.
  const typedPrefix = typed.slice(0, dot);
  const kind = PREFIXES.get(typedPrefix);
  const entry = all.find(([p]) => PREFIXES.get(p) === kind);
  if (!entry) return [];
  add(typedPrefix, entry[1], entry[2]);
  const rest = typed
    .slice(dot + 1)
    .replace(/^[`"]/, '')
    .toLowerCase();
  return out.filter(([l]) => {
    const key = l.slice(typedPrefix.length + 1).replace(/^`/, '');
    return key.toLowerCase().startsWith(rest);
  });
}
