// The MLproject as MLflow's load_project sees it: entry points, their parameters (type, default,
// required) and command template, each tied to the ranges it was written at. Tolerant of every
// malformed shape so the editor features keep working on broken files; whether a shape is one
// MLflow accepts is recorded, not enforced (validation decides what to report).
import { LineIndex, type OffsetRange } from '../text/textPositions.ts';
import { loadMlprojectYaml, type LoadedYaml } from '../yaml/pyyamlLoad.ts';
import {
  PythonError,
  dictGet,
  keyName,
  pyStr,
  type PyDict,
  type PyEntry,
  type PyValue,
} from '../python/pythonValues.ts';
import { parseFormatString, type ParsedFormat } from '../python/pythonFormat.ts';
import { mapScalarSource, valueRangeToDocument, type ScalarSourceMap } from '../yaml/scalarSourceMap.ts';
import { hasAnchors } from '../yaml/incrementalLoad.ts';

export interface ParameterModel {
  /** str(key): the name MLflow formats the command with and logs. */
  name: string;
  key: PyValue;
  /** Range of the key occurrence whose declaration is in effect. */
  keyRange: OffsetRange;
  value: PyValue;
  /** `alpha: float` (short), `alpha: {type: …}` (mapping), anything else fails at load. */
  shape: 'short' | 'mapping' | 'invalid';
  /** str(type) as MLflow sees it: the short form's value or `.get("type", "string")`. */
  type: string;
  /** Where the type is written (short form: the value itself); absent when defaulted. */
  typeValue?: PyValue;
  typeEntry?: PyEntry;
  /** undefined: no `default` key. */
  defaultEntry?: PyEntry;
  defaultValue?: PyValue;
  /** MLflow asks for a value when the default is absent or None. */
  required: boolean;
  /** str(default) as substituted into the command; null when required. */
  renderedDefault: string | null;
  /** str(default) itself raised (e.g. an int past Python's 4300-digit limit). */
  renderError?: string;
}

export interface EntryPointModel {
  name: string;
  key: PyValue;
  keyRange: OffsetRange;
  value: PyValue;
  isMapping: boolean;
  parametersEntry?: PyEntry;
  /** absent: no `parameters` key (MLflow uses {}); invalid: MLflow fails calling .items(). */
  parametersShape: 'absent' | 'mapping' | 'invalid';
  parameters: ParameterModel[];
  /** By name, the first declaration of each (str() of two keys can coincide: `1` and `"1"`). */
  parameterByName: Map<string, ParameterModel>;
  commandEntry?: PyEntry;
  /** The command when it is a string; MLflow fails calling .format() on anything else. */
  command?: string;
  commandValue?: PyValue;
  template?: ParsedFormat;
  commandMap?: ScalarSourceMap;
}

export interface MlprojectModel {
  text: string;
  lines: LineIndex;
  loaded: LoadedYaml;
  /** The top level when it is a mapping (anything else fails at load). */
  root?: PyDict;
  entryPointsEntry?: PyEntry;
  entryPointsShape: 'absent' | 'mapping' | 'invalid';
  entryPoints: EntryPointModel[];
}

export function entryRange(e: PyEntry): OffsetRange {
  return (e.lastKey ?? e.key).range;
}

/**
 * `keyRange` read from the entry each time: incremental loads move a node's range when text
 * before it changes, and a model kept for the next edit must follow.
 */
function withKeyRange<T extends object>(model: T, entry: PyEntry): T & { readonly keyRange: OffsetRange } {
  return Object.defineProperty(model, 'keyRange', {
    get: () => entryRange(entry),
    enumerable: true,
    configurable: true,
  }) as T & { readonly keyRange: OffsetRange };
}

function buildParameter(entry: PyEntry): ParameterModel {
  const name = keyName(entry.key);
  const value = entry.value;
  const base = { name, key: entry.key, value };
  if (value.kind === 'str') {
    return withKeyRange(
      { ...base, shape: 'short', type: value.value, typeValue: value, required: true, renderedDefault: null },
      entry,
    );
  }
  if (value.kind !== 'dict') {
    return withKeyRange({ ...base, shape: 'invalid', type: 'string', required: true, renderedDefault: null }, entry);
  }
  const typeEntry = dictGet(value, 'type');
  const defaultEntry = dictGet(value, 'default');
  const defaultValue = defaultEntry?.value;
  const required = !defaultValue || defaultValue.kind === 'none';
  let renderedDefault: string | null = null;
  let renderError: string | undefined;
  if (!required && defaultValue) {
    try {
      renderedDefault = pyStr(defaultValue);
    } catch (e) {
      if (!(e instanceof PythonError)) throw e;
      renderError = e.text;
    }
  }
  let type = 'string';
  if (typeEntry) {
    try {
      type = pyStr(typeEntry.value, 200);
    } catch {
      type = '<unprintable>';
    }
  }
  return withKeyRange(
    {
      ...base,
      shape: 'mapping',
      type,
      ...(typeEntry ? { typeValue: typeEntry.value, typeEntry } : {}),
      ...(defaultEntry ? { defaultEntry, defaultValue } : {}),
      required,
      renderedDefault,
      ...(renderError ? { renderError } : {}),
    },
    entry,
  );
}

/**
 * Aliases let a few lines declare thousands of entry points sharing one parameters mapping or
 * command; parsing each shared object once keeps the work linear in the text.
 */
interface BuildMemo {
  parameters: WeakMap<PyEntry, ParameterModel>;
  commands: WeakMap<PyValue, { template: ParsedFormat; map?: ScalarSourceMap }>;
  parameterBudget: number;
  truncated: boolean;
}

/**
 * Parameters kept over all entry points; past this the model stops adding them. Above the
 * 100,000 a single file can declare within MAX_ANALYSED_CHARS; it bounds what aliases multiply.
 */
const MAX_MODEL_PARAMETERS = 200_000;

function buildEntryPoint(text: string, entry: PyEntry, memo: BuildMemo): EntryPointModel {
  const value = entry.value;
  const model: EntryPointModel = withKeyRange(
    {
      name: keyName(entry.key),
      key: entry.key,
      value,
      isMapping: value.kind === 'dict',
      parametersShape: 'absent' as EntryPointModel['parametersShape'],
      parameters: [],
      parameterByName: new Map<string, ParameterModel>(),
    },
    entry,
  );
  if (value.kind !== 'dict') return model;
  const params = dictGet(value, 'parameters');
  if (params) {
    model.parametersEntry = params;
    if (params.value.kind === 'dict') {
      model.parametersShape = 'mapping';
      for (const e of params.value.entries) {
        if (memo.parameterBudget <= 0) {
          memo.truncated = true;
          break;
        }
        memo.parameterBudget--;
        let p = memo.parameters.get(e);
        if (!p) {
          p = buildParameter(e);
          memo.parameters.set(e, p);
        }
        model.parameters.push(p);
        if (!model.parameterByName.has(p.name)) model.parameterByName.set(p.name, p);
      }
    } else {
      model.parametersShape = 'invalid';
    }
  }
  const command = dictGet(value, 'command');
  if (command) {
    model.commandEntry = command;
    model.commandValue = command.value;
    if (command.value.kind === 'str') {
      model.command = command.value.value;
      let parsed = memo.commands.get(command.value);
      if (!parsed) {
        const map = mapScalarSource(text, command.value);
        parsed = { template: parseFormatString(command.value.value), ...(map ? { map } : {}) };
        memo.commands.set(command.value, parsed);
      }
      model.template = parsed.template;
      if (parsed.map) model.commandMap = parsed.map;
    }
  }
  return model;
}

/**
 * Entry points built for earlier models, by the PyEntry they were built from. Incremental loads
 * keep the nodes of entry points an edit did not touch (moving their ranges) and patch a changed
 * scalar in place, so an entry point whose source text is unchanged has the same contents.
 */
const builtEntryPoints = new WeakMap<PyEntry, { source: string; model: EntryPointModel }>();

function rebuiltEntryPoint(text: string, entry: PyEntry, memo: BuildMemo): EntryPointModel {
  const start = entry.key.range.start;
  const end = entry.value.range.end;
  const built = builtEntryPoints.get(entry);
  // Compared in place: slicing every entry point's text on each keystroke is garbage.
  if (
    built &&
    built.source.length === end - start &&
    text.startsWith(built.source, start) &&
    memo.parameterBudget >= built.model.parameters.length
  ) {
    memo.parameterBudget -= built.model.parameters.length;
    // A copy, since the command's source map holds the text it was built for.
    const model = withKeyRange({ ...built.model }, entry);
    const map = model.commandValue?.kind === 'str' ? mapScalarSource(text, model.commandValue) : undefined;
    if (map) model.commandMap = map;
    builtEntryPoints.set(entry, { source: built.source, model });
    return model;
  }
  const model = buildEntryPoint(text, entry, memo);
  builtEntryPoints.set(entry, { source: text.slice(start, end), model });
  return model;
}

/**
 * Past this size a document is not analysed: real MLprojects are a few KB, and the YAML parser
 * alone needs seconds per MB, which would freeze diagnostics for everything else.
 */
export const MAX_ANALYSED_CHARS = 3_000_000;

function notAnalysed(text: string): LoadedYaml {
  return {
    text,
    root: undefined,
    empty: false,
    syntaxBroken: true,
    problems: [
      {
        code: 'too-large',
        range: { start: 0, end: 0 },
        message: `This file is ${(text.length / 1e6).toFixed(1)} MB; MLproject checks stop at ${MAX_ANALYSED_CHARS / 1e6} MB.`,
        fatal: false,
      },
    ],
  };
}

export function buildMlprojectModel(
  text: string,
  loaded: LoadedYaml = text.length > MAX_ANALYSED_CHARS ? notAnalysed(text) : loadMlprojectYaml(text),
): MlprojectModel {
  const model: MlprojectModel = {
    text,
    lines: new LineIndex(text),
    loaded,
    entryPointsShape: 'absent',
    entryPoints: [],
  };
  if (loaded.root?.kind !== 'dict') return model;
  model.root = loaded.root;
  const eps = dictGet(loaded.root, 'entry_points');
  if (eps) {
    model.entryPointsEntry = eps;
    if (eps.value.kind === 'dict') {
      model.entryPointsShape = 'mapping';
      const memo: BuildMemo = {
        parameters: new WeakMap(),
        commands: new WeakMap(),
        parameterBudget: MAX_MODEL_PARAMETERS,
        truncated: false,
      };
      // Without anchors no entry point shares nodes with another, so its source text says whether
      // it changed.
      const reuse = !hasAnchors(loaded.root);
      model.entryPoints = eps.value.entries.map((e) =>
        reuse ? rebuiltEntryPoint(text, e, memo) : buildEntryPoint(text, e, memo),
      );
      if (memo.truncated) {
        loaded.problems.push({
          code: 'too-large',
          range: eps.key.range,
          message: `More than ${MAX_MODEL_PARAMETERS} parameters in total: only the first ones are analysed.`,
          fatal: false,
        });
      }
    } else {
      model.entryPointsShape = 'invalid';
    }
  }
  return model;
}

export function topLevel(model: MlprojectModel, key: string): PyEntry | undefined {
  return model.root ? dictGet(model.root, key) : undefined;
}

/** Document range of [from, to) in the command's value. */
export function commandRange(ep: EntryPointModel, from: number, to: number): OffsetRange {
  const v = ep.commandValue;
  if (!v) return ep.keyRange;
  return valueRangeToDocument(ep.commandMap, v, from, to);
}

export function findEntryPoint(model: MlprojectModel, name: string): EntryPointModel | undefined {
  // MLflow looks entry points up by the -e string; a non-string key never matches one.
  return model.entryPoints.find((e) => e.name === name && e.key.kind === 'str');
}
