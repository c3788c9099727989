// Completion: keys valid at the cursor's place in the MLproject shape, parameter types,
// `{parameter}` names inside commands, entry-point names after `-e`, and files of the project
// for env-file values and scripts run by a command.
import type { CompletionItem, CompletionItemKind, Range } from 'vscode-languageserver-types';
import { cursorContext, type CursorContext } from './cursorContext.ts';
import { KEY_DOCS, TYPE_DOCS, UNCHECKED_TYPE_DOC } from '../model/keyDocs.ts';
import type { EntryPointModel, MlprojectModel } from '../model/mlprojectModel.ts';
import { placeholdersOf } from '../model/modelLookup.ts';
import { joinPath, type ProjectContext } from '../model/projectContext.ts';
import { CHECKED_TYPES } from './validateEntryPoints.ts';
import { DATABRICKS_KEYS, DOCKER_KEYS, TOP_LEVEL_KEYS } from './validateEnvironment.ts';

// LSP CompletionItemKind values.
const Kind = {
  Text: 1,
  Field: 5,
  Variable: 6,
  Property: 10,
  Value: 12,
  Enum: 13,
  Keyword: 14,
  File: 17,
  Folder: 19,
  EnumMember: 20,
} as const;

const MAX_FILES = 200;

function item(
  label: string,
  kind: CompletionItemKind,
  range: Range,
  insert: string,
  doc?: string,
  detail?: string,
  sortText?: string,
): CompletionItem {
  const c: CompletionItem = { label, kind, textEdit: { range, newText: insert } };
  if (doc) c.documentation = { kind: 'markdown', value: doc };
  if (detail) c.detail = detail;
  if (sortText) c.sortText = sortText;
  return c;
}

function keyItems(
  keys: readonly string[],
  present: Set<string>,
  range: Range,
  docPrefix: string,
  withColon: boolean,
): CompletionItem[] {
  return keys
    .filter((k) => !present.has(k))
    .map((k) => item(k, Kind.Property, range, withColon ? `${k}: ` : k, KEY_DOCS[docPrefix ? `${docPrefix}.${k}` : k]));
}

function presentKeys(model: MlprojectModel, path: string[]): Set<string> {
  const out = new Set<string>();
  let dict = model.root;
  for (const seg of path) {
    if (!dict) return out;
    const e = dict.entries.find((x) => x.key.kind === 'str' && x.key.value === seg);
    dict = e?.value.kind === 'dict' ? e.value : undefined;
  }
  for (const e of dict?.entries ?? []) if (e.key.kind === 'str') out.add(e.key.value);
  return out;
}

function typeItems(range: Range): CompletionItem[] {
  return [
    ...CHECKED_TYPES.map((t, i) =>
      item(
        t,
        Kind.EnumMember,
        range,
        t,
        TYPE_DOCS[t],
        'checked by MLflow' + (t === 'string' || t === 'float' ? ' (no check)' : ''),
        `0${i}`,
      ),
    ),
    item('int', Kind.EnumMember, range, 'int', UNCHECKED_TYPE_DOC, 'not checked', '10'),
  ];
}

function fileItems(
  ctx: ProjectContext,
  typed: string,
  range: Range,
  filter: (name: string) => boolean,
): CompletionItem[] {
  if (!ctx.projectDir || !ctx.files?.listDir) return [];
  const slash = typed.lastIndexOf('/');
  const dirPart = slash >= 0 ? typed.slice(0, slash + 1) : '';
  if (dirPart.startsWith('/') || dirPart.split('/').includes('..')) return [];
  const entries = ctx.files.listDir(dirPart ? joinPath(ctx, dirPart) : ctx.projectDir).slice(0, MAX_FILES);
  return entries
    .filter((e) => !e.name.startsWith('.') && (e.isDirectory || filter(e.name)))
    .map((e) => {
      const c = item(
        e.isDirectory ? `${e.name}/` : e.name,
        e.isDirectory ? Kind.Folder : Kind.File,
        range,
        `${dirPart}${e.name}${e.isDirectory ? '/' : ''}`,
        undefined,
        undefined,
        `${e.isDirectory ? 1 : 0}${e.name}`,
      );
      c.filterText = `${dirPart}${e.name}`;
      if (e.isDirectory) c.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
      return c;
    });
}

function entryPointFor(model: MlprojectModel, ctx: CursorContext): EntryPointModel | undefined {
  const name = ctx.path[0] === 'entry_points' ? ctx.path[1] : undefined;
  return name === undefined ? undefined : model.entryPoints.find((e) => e.name === name);
}

function commandCompletions(
  model: MlprojectModel,
  c: CursorContext,
  offset: number,
  lineRange: (start: number) => Range,
  ctx: ProjectContext,
): CompletionItem[] {
  const ep = entryPointFor(model, c);
  const before = c.valueBefore;
  // Inside an unclosed `{`: parameter names.
  const open = before.lastIndexOf('{');
  if (open >= 0 && !before.slice(open).includes('}') && before[open - 1] !== '{') {
    const typed = before.slice(open + 1);
    if (/^[^\s:!.[]*$/.test(typed)) {
      const range = lineRange(offset - typed.length);
      const after = model.text.slice(offset, offset + 1);
      const close = after === '}' ? '' : '}';
      return (ep?.parameters ?? []).map((p) =>
        item(
          p.name,
          Kind.Variable,
          range,
          `${p.name}${close}`,
          undefined,
          `${p.type}${p.required ? ', required' : `, default ${p.renderedDefault ?? ''}`}`,
        ),
      );
    }
  }
  const words = before.split(/\s+/);
  const prev = words[words.length - 2] ?? '';
  const typed = words[words.length - 1] ?? '';
  const range = lineRange(offset - typed.length);
  if (prev === '-e' || prev === '--entry-point') {
    return model.entryPoints
      .filter((e) => e.key.kind === 'str')
      .map((e) => item(e.name, Kind.Value, range, e.name, undefined, 'entry point'));
  }
  if (/^(?:python[0-9.]*|Rscript|bash|sh|source)$/.test(prev) || typed.startsWith('./')) {
    const ext =
      prev === 'Rscript'
        ? /\.[Rr]$/
        : prev === 'bash' || prev === 'sh' || prev === 'source'
          ? /\.(?:sh|bash)$/
          : /\.py$/;
    return fileItems(
      ctx,
      typed.replace(/^\.\//, ''),
      range,
      (n) => ext.test(n) || (typed.startsWith('./') && /\.(?:sh|py)$/.test(n)),
    );
  }
  // Offer `{param}` for parameters the command does not use yet.
  if (ep && !typed.includes('{')) {
    const used = new Set(placeholdersOf(ep).map((h) => h.field.arg));
    return ep.parameters
      .filter((p) => !used.has(p.name))
      .map((p) =>
        item(`{${p.name}}`, Kind.Variable, range, `{${p.name}}`, undefined, `parameter (${p.type})`, `1${p.name}`),
      );
  }
  return [];
}

export function completeMlproject(model: MlprojectModel, offset: number, ctx: ProjectContext = {}): CompletionItem[] {
  const lines = model.lines;
  const c = cursorContext(lines, offset);
  const lineRange = (start: number): Range => ({ start: lines.positionAt(start), end: lines.positionAt(offset) });
  const range = lineRange(c.prefixStart);
  const path = c.path;
  const depth = path.length;

  if (c.position === 'key') {
    if (depth === 0) return keyItems(TOP_LEVEL_KEYS, presentKeys(model, []), range, '', true);
    if (depth === 1 && path[0] === 'docker_env')
      return keyItems(DOCKER_KEYS, presentKeys(model, path), range, 'docker_env', true);
    if (depth === 1 && path[0] === 'databricks_spark_job')
      return keyItems(DATABRICKS_KEYS, presentKeys(model, path), range, 'databricks_spark_job', true);
    if (depth === 1 && path[0] === 'entry_points') {
      const present = presentKeys(model, path);
      return present.has('main') ? [] : [item('main', Kind.Property, range, 'main:', KEY_DOCS.entry_points)];
    }
    if (depth === 2 && path[0] === 'entry_points') {
      return keyItems(['parameters', 'command'], presentKeys(model, path), range, 'entry_points.*', true).map((i) => {
        i.documentation = { kind: 'markdown', value: KEY_DOCS[`entry_points.*.${i.label}`] ?? '' };
        return i;
      });
    }
    if (depth === 3 && path[0] === 'entry_points' && path[2] === 'parameters') {
      // Placeholders the command uses but no parameter declares.
      const ep = entryPointFor(model, c);
      if (!ep) return [];
      const declared = new Set(ep.parameters.map((p) => p.name));
      const names = [...new Set(placeholdersOf(ep).map((h) => h.field.arg))].filter((n) => !declared.has(n));
      return names.map((n) =>
        item(n, Kind.Variable, range, `${n}: {type: string}`, undefined, 'used in command, not declared'),
      );
    }
    if (depth === 4 && path[0] === 'entry_points' && path[2] === 'parameters') {
      const docs = (k: string): string | undefined => KEY_DOCS[`entry_points.*.parameters.*.${k}`];
      const present = c.inFlowMapping ? new Set<string>() : presentKeys(model, path);
      return ['type', 'default']
        .filter((k) => !present.has(k))
        .map((k) => item(k, Kind.Property, range, `${k}: `, docs(k)));
    }
    return [];
  }

  const key = c.key ?? '';
  if (depth === 0 && (key === 'python_env' || key === 'conda_env')) {
    return fileItems(
      ctx,
      c.valueBefore.trim().replace(/^["']/, ''),
      lineRange(offset - c.valueBefore.trim().replace(/^["']/, '').length),
      (n) => /\.ya?ml$/i.test(n) && n.toLowerCase() !== 'mlproject',
    );
  }
  if (
    path[0] === 'entry_points' &&
    ((depth === 4 && path[2] === 'parameters' && key === 'type') || (depth === 3 && path[2] === 'parameters'))
  ) {
    return typeItems(range);
  }
  if (path[0] === 'entry_points' && depth === 2 && key === 'command') {
    return commandCompletions(model, c, offset, lineRange, ctx);
  }
  if (depth === 1 && path[0] === 'databricks_spark_job' && key === 'python_file') {
    return fileItems(ctx, c.prefix, range, (n) => n.endsWith('.py'));
  }
  return [];
}
