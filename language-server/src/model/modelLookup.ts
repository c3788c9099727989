// What sits at a document offset: a `{placeholder}` in a command, a parameter's declaration, a
// known key, a script path in a command, an env file value. Hover, definition, references and
// rename all start here.
import { findScriptReferences } from './commandScripts.ts';
import {
  commandRange,
  entryRange,
  topLevel,
  type EntryPointModel,
  type MlprojectModel,
  type ParameterModel,
} from './mlprojectModel.ts';
import type { FormatField } from '../python/pythonFormat.ts';
import type { PyEntry, PyValue } from '../python/pythonValues.ts';
import type { OffsetRange } from '../text/textPositions.ts';

function contains(r: OffsetRange, offset: number): boolean {
  return offset >= r.start && offset <= r.end;
}

export interface PlaceholderHit {
  entryPoint: EntryPointModel;
  field: FormatField;
  /** Document range of the field's argument name (`alpha` in `{alpha:>4}`). */
  argRange: OffsetRange;
  parameter?: ParameterModel;
}

function allFields(fields: FormatField[]): FormatField[] {
  return fields.flatMap((f) => [f, ...allFields(f.specFields)]);
}

/** Every placeholder of an entry point's command that names `name`, with document ranges. */
export function placeholdersOf(ep: EntryPointModel, name?: string): PlaceholderHit[] {
  if (!ep.template || !ep.commandMap?.exact) return [];
  const hits: PlaceholderHit[] = [];
  for (const f of allFields(ep.template.fields)) {
    if (f.positional || (name !== undefined && f.arg !== name)) continue;
    const parameter = ep.parameterByName.get(f.arg);
    hits.push({
      entryPoint: ep,
      field: f,
      argRange: commandRange(ep, f.argStart, f.argEnd),
      ...(parameter ? { parameter } : {}),
    });
  }
  return hits;
}

export function placeholderAt(model: MlprojectModel, offset: number): PlaceholderHit | undefined {
  for (const ep of model.entryPoints) {
    if (!ep.commandValue || !contains(ep.commandValue.range, offset)) continue;
    for (const hit of placeholdersOf(ep)) {
      const whole = commandRange(ep, hit.field.start, hit.field.end);
      if (contains(whole, offset)) return hit;
    }
  }
  return undefined;
}

export interface ParameterHit {
  entryPoint: EntryPointModel;
  parameter: ParameterModel;
}

export function parameterKeyAt(model: MlprojectModel, offset: number): ParameterHit | undefined {
  for (const ep of model.entryPoints) {
    for (const p of ep.parameters) if (contains(p.keyRange, offset)) return { entryPoint: ep, parameter: p };
  }
  return undefined;
}

/** The parameter a placeholder or a declaration at `offset` refers to. */
export function parameterAt(model: MlprojectModel, offset: number): ParameterHit | undefined {
  const key = parameterKeyAt(model, offset);
  if (key) return key;
  const ph = placeholderAt(model, offset);
  if (ph?.parameter && contains(ph.argRange, offset)) return { entryPoint: ph.entryPoint, parameter: ph.parameter };
  return undefined;
}

export interface KeyHit {
  /** Key path from the root, e.g. ['entry_points', '*', 'parameters', '*', 'type']. */
  path: string[];
  entry: PyEntry;
  onKey: boolean;
  entryPoint?: EntryPointModel;
  parameter?: ParameterModel;
}

function hitIn(dict: PyValue, offset: number): { entry: PyEntry; onKey: boolean } | undefined {
  if (dict.kind !== 'dict') return undefined;
  for (const e of dict.entries) {
    const keyRange = entryRange(e);
    if (contains(keyRange, offset)) return { entry: e, onKey: true };
    if (contains(e.value.range, offset) && e.value.range.start >= keyRange.end) return { entry: e, onKey: false };
  }
  return undefined;
}

/** The known MLproject key (or its value) under `offset`, following the MLproject's fixed shape. */
export function keyAt(model: MlprojectModel, offset: number): KeyHit | undefined {
  const root = model.root;
  if (!root) return undefined;
  const top = hitIn(root, offset);
  if (!top) return undefined;
  const name = top.entry.key.kind === 'str' ? top.entry.key.value : '';
  if (top.onKey || (name !== 'entry_points' && name !== 'docker_env' && name !== 'databricks_spark_job')) {
    return { path: [name], entry: top.entry, onKey: top.onKey };
  }
  if (name === 'docker_env' || name === 'databricks_spark_job') {
    const inner = hitIn(top.entry.value, offset);
    if (!inner) return { path: [name], entry: top.entry, onKey: false };
    return {
      path: [name, inner.entry.key.kind === 'str' ? inner.entry.key.value : ''],
      entry: inner.entry,
      onKey: inner.onKey,
    };
  }
  for (const ep of model.entryPoints) {
    if (contains(ep.keyRange, offset))
      return { path: ['entry_points', '*'], entry: { key: ep.key, value: ep.value }, onKey: true, entryPoint: ep };
    if (!contains(ep.value.range, offset)) continue;
    const inner = hitIn(ep.value, offset);
    if (!inner)
      return { path: ['entry_points', '*'], entry: { key: ep.key, value: ep.value }, onKey: false, entryPoint: ep };
    const k = inner.entry.key.kind === 'str' ? inner.entry.key.value : '';
    if (k !== 'parameters' || inner.onKey)
      return { path: ['entry_points', '*', k], entry: inner.entry, onKey: inner.onKey, entryPoint: ep };
    for (const p of ep.parameters) {
      if (contains(p.keyRange, offset))
        return {
          path: ['entry_points', '*', 'parameters', '*'],
          entry: { key: p.key, value: p.value },
          onKey: true,
          entryPoint: ep,
          parameter: p,
        };
      if (!contains(p.value.range, offset)) continue;
      if (p.shape === 'short')
        return {
          path: ['entry_points', '*', 'parameters', '*'],
          entry: { key: p.key, value: p.value },
          onKey: false,
          entryPoint: ep,
          parameter: p,
        };
      const pk = hitIn(p.value, offset);
      if (pk) {
        const pkName = pk.entry.key.kind === 'str' ? pk.entry.key.value : '';
        return {
          path: ['entry_points', '*', 'parameters', '*', pkName],
          entry: pk.entry,
          onKey: pk.onKey,
          entryPoint: ep,
          parameter: p,
        };
      }
    }
    return { path: ['entry_points', '*', 'parameters'], entry: inner.entry, onKey: false, entryPoint: ep };
  }
  return { path: ['entry_points'], entry: top.entry, onKey: false };
}

export interface ScriptHit {
  path: string;
  range: OffsetRange;
  entryPoint: EntryPointModel;
}

export function scriptAt(model: MlprojectModel, offset: number): ScriptHit | undefined {
  for (const ep of model.entryPoints) {
    if (!ep.command || !ep.commandMap?.exact || !ep.commandValue || !contains(ep.commandValue.range, offset)) continue;
    for (const ref of findScriptReferences(ep.command)) {
      const range = commandRange(ep, ref.start, ref.end);
      if (contains(range, offset)) return { path: ref.path, range, entryPoint: ep };
    }
  }
  return undefined;
}

export interface EnvFileHit {
  key: 'python_env' | 'conda_env';
  path: string;
  range: OffsetRange;
}

export function envFileAt(model: MlprojectModel, offset: number): EnvFileHit | undefined {
  for (const key of ['python_env', 'conda_env'] as const) {
    const e = topLevel(model, key);
    if (e && e.value.kind === 'str' && contains(e.value.range, offset))
      return { key, path: e.value.value, range: e.value.range };
  }
  return undefined;
}
