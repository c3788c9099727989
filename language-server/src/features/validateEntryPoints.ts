// entry_points and parameters: the shapes load_project needs (it calls .items() and .get() on
// them), the parameter names MLflow logs, types it checks or silently ignores, and defaults it
// renders or rejects (`uri` without a scheme, `path` that does not exist).
import { didYouMean, type DiagnosticSink, type QuickFix } from './diagnostics.ts';
import { entryRange, type EntryPointModel, type MlprojectModel, type ParameterModel } from '../model/mlprojectModel.ts';
import type { ProjectContext, ValidationSettings } from '../model/projectContext.ts';
import { pyStr, pyStrRepr, pyTypeName, type PyValue } from '../python/pythonValues.ts';
import { localPathOrNone, pyAbsPath, pyIsUri, pyUrlSplit } from '../python/pythonPaths.ts';
import { lineIndentAt } from '../text/textEdits.ts';
import { checkUnknownKeys } from './validateEnvironment.ts';
import { describeCoercion } from '../yaml/yamlCoercions.ts';
import { overridden, validateCommand } from './validateCommand.ts';
import type { EntryPointPass } from './entryPointDiagnostics.ts';

export const CHECKED_TYPES = ['string', 'float', 'path', 'uri'] as const;
/** Types people write that MLflow accepts and never checks (its own examples use `int`). */
const UNCHECKED_TYPES = ['int', 'integer', 'bool', 'boolean', 'long', 'double', 'number'] as const;
const ENTRY_POINT_KEYS = ['parameters', 'command'] as const;
const PARAMETER_KEYS = ['type', 'default'] as const;

const MAX_PARAM_KEY_LENGTH = 250;

function attrError(v: PyValue, attribute: string): string {
  return `AttributeError: '${pyTypeName(v)}' object has no attribute '${attribute}'`;
}

/** mlflow.utils.validation._validate_param_name + the key length limit, run when the run is created. */
export function paramNameProblem(name: string, index: number): string | undefined {
  const path = `params[${index}].key`;
  const json = JSON.stringify(name);
  // Python's `$` also matches before one trailing newline.
  const body = name.endsWith('\n') ? name.slice(0, -1) : name;
  if (!/^[/\p{L}\p{N}_.\- :]*$/u.test(body)) {
    return `Invalid value ${json} for parameter '${path}' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`;
  }
  const norm = posixNormpath(name);
  if (norm !== name || norm === '.' || norm.startsWith('..') || norm.startsWith('/')) {
    return `Invalid value ${json} for parameter '${path}' supplied: Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${norm}'`;
  }
  if (name.length > MAX_PARAM_KEY_LENGTH)
    return `'Param key' exceeds the maximum length of ${MAX_PARAM_KEY_LENGTH} characters`;
  return undefined;
}

/** posixpath.normpath */
function posixNormpath(p: string): string {
  if (p === '') return '.';
  const initial = p.startsWith('/') ? (p.startsWith('//') && !p.startsWith('///') ? 2 : 1) : 0;
  const out: string[] = [];
  for (const comp of p.split('/')) {
    if (comp === '' || comp === '.') continue;
    if (comp !== '..' || (initial === 0 && out.length === 0) || (out.length > 0 && out[out.length - 1] === '..'))
      out.push(comp);
    else if (out.length > 0) out.pop();
  }
  const joined = out.join('/');
  const result = '/'.repeat(initial) + joined;
  return result === '' ? '.' : result;
}

function pyFloatParses(s: string): boolean {
  return (
    /^\s*[+-]?(?:(?:[0-9](?:_?[0-9])*)?\.?(?:[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?|inf|infinity|nan)\s*$/i.test(
      s,
    ) && /[0-9]|inf|nan/i.test(s)
  );
}

/** Parameters of one entry point by lower-cased name, to find case twins without a scan per parameter. */
type CaseIndex = Map<string, ParameterModel[]>;

function caseIndex(ep: EntryPointModel): CaseIndex {
  const index: CaseIndex = new Map();
  for (const p of ep.parameters) {
    const lower = p.name.toLowerCase();
    const list = index.get(lower);
    if (list) list.push(p);
    else index.set(lower, [p]);
  }
  return index;
}

function checkParameterName(sink: DiagnosticSink, p: ParameterModel, index: number, byCase: CaseIndex): void {
  if (p.key.kind !== 'str') {
    const coercion = describeCoercion(p.key);
    const fixes =
      p.key.source !== undefined
        ? [
            {
              title: `Quote as "${p.key.source}"`,
              edits: [sink.edit(p.key.range, `"${p.key.source}"`)],
              preferred: true,
            },
          ]
        : [];
    const base = `${coercion ? `${coercion} ` : ''}The parameter is named \`${p.name}\` (a YAML ${pyTypeName(p.key)}, not a string), so \`-P ${p.name}=…\` never matches it`;
    if (p.required && p.shape !== 'invalid') {
      // -P keys are strings, so a required non-string name can never be satisfied.
      sink.error(
        p.keyRange,
        'parameter-name-type',
        `${base}: every \`mlflow run\` fails with "No value given for missing parameters: '${p.name}'". Quote the name.`,
        fixes,
      );
    } else {
      sink.warning(p.keyRange, 'parameter-name-type', `${base}. Quote the name.`, fixes);
    }
  }
  const problem = paramNameProblem(p.name, index);
  if (problem) {
    sink.error(
      p.keyRange,
      'parameter-name-invalid',
      `MLflow rejects this parameter name when it logs the run's parameters: ${problem}`,
    );
  } else if (p.key.kind === 'str' && (/[.[\]{}:!]/.test(p.name) || p.name === '' || /^\p{Nd}+$/u.test(p.name))) {
    sink.warning(
      p.keyRange,
      'parameter-name-unreferenceable',
      `\`{${p.name}}\` cannot reference this parameter in \`command\`: str.format reads ${/^\p{Nd}+$/u.test(p.name) ? 'digits as a positional index' : '`.` `[` `:` `!` `{` `}` as field syntax'}. Use letters, digits, \`_\` or \`-\`.`,
    );
  }
  const twin = byCase.get(p.name.toLowerCase())?.find((q) => q !== p && q.name !== p.name);
  if (twin)
    sink.info(
      p.keyRange,
      'parameter-name-case',
      `Parameter names are case-sensitive: \`${p.name}\` and \`${twin.name}\` are different parameters.`,
    );
}

function checkParameterType(sink: DiagnosticSink, p: ParameterModel, settings: ValidationSettings): void {
  const tv = p.typeValue;
  if (!tv) return;
  if (tv.kind !== 'str') {
    sink.warning(
      tv.range,
      'parameter-type',
      `The type is ${pyTypeName(tv)} \`${pyStr(tv, 60)}\`, not a name; MLflow treats this parameter as a string. Use string, float, path or uri.`,
    );
    return;
  }
  const t = tv.value;
  if ((CHECKED_TYPES as readonly string[]).includes(t)) return;
  if ((UNCHECKED_TYPES as readonly string[]).includes(t)) {
    if (settings.hintUncheckedTypes) {
      sink.hint(
        tv.range,
        'parameter-type-unchecked',
        `MLflow accepts \`${t}\` but never checks it: the value is passed as a string. Checked types are string, float, path and uri.`,
      );
    }
    return;
  }
  const suggestion =
    t === 'str' || t === 'text'
      ? 'string'
      : t === 'file' || t === 'dir' || t === 'directory'
        ? 'path'
        : t === 'url'
          ? 'uri'
          : didYouMean(t, CHECKED_TYPES);
  const fixes: QuickFix[] = suggestion
    ? [{ title: `Change to \`${suggestion}\``, edits: [sink.edit(tv.range, suggestion)], preferred: true }]
    : [];
  sink.warning(
    tv.range,
    'parameter-type-unknown',
    `Unknown parameter type \`${t}\`${suggestion ? `; did you mean \`${suggestion}\`?` : '.'} MLflow compares types exactly (case-sensitive) and treats \`${t}\` as a plain string${suggestion === 'path' ? ', so a relative path is not resolved or checked' : suggestion === 'uri' ? ', so the value is not checked for a scheme' : ''}.`,
    fixes,
  );
}

function checkDefault(sink: DiagnosticSink, p: ParameterModel, ctx: ProjectContext): void {
  const d = p.defaultValue;
  if (!d || !p.defaultEntry) return;
  if (d.kind === 'none') {
    sink.warning(
      d.source === '' ? entryRange(p.defaultEntry) : d.range,
      'default-null',
      `A null default means no default: MLflow treats \`${p.name}\` as required and fails with "No value given for missing parameters" unless -P gives it. Remove \`default\` or give a value.`,
    );
    return;
  }
  if (p.renderError) {
    sink.warning(
      d.range,
      'default-unrenderable',
      `MLflow cannot render this default: str() raises ${p.renderError}. ${overridden(p)}`,
    );
    return;
  }
  const coercion = describeCoercion(d);
  if (coercion) {
    const quoted = d.source !== undefined ? `"${d.source}"` : undefined;
    const severity = coercion.startsWith('YAML 1.1 reads') ? 'warning' : 'info';
    const msg = `${coercion} MLflow substitutes \`${p.renderedDefault}\` into the command.${quoted ? ` Quote it (${quoted}) to pass the text as written.` : ''}`;
    const fixes: QuickFix[] = quoted ? [{ title: `Quote as ${quoted}`, edits: [sink.edit(d.range, quoted)] }] : [];
    if (severity === 'warning') sink.warning(d.range, 'yaml11-coercion', msg, fixes);
    else sink.info(d.range, 'yaml11-coercion', msg, fixes);
  }
  if (d.kind === 'dict' || d.kind === 'list' || d.kind === 'set') {
    sink.warning(
      d.range,
      'default-collection',
      `The default is a ${pyTypeName(d)}; MLflow substitutes its Python repr \`${(p.renderedDefault ?? '').slice(0, 80)}\`.`,
    );
  }
  const rendered = p.renderedDefault ?? '';
  if (p.type === 'float' && !pyFloatParses(rendered)) {
    sink.warning(
      d.range,
      'default-type',
      `The default \`${rendered}\` is not a number, but the type is \`float\`; MLflow does not check it and passes it as is.`,
    );
  }
  if (p.type === 'uri') {
    if (d.kind !== 'str') {
      sink.warning(
        d.range,
        'default-uri',
        `A \`uri\` default must be a string; MLflow fails checking it with AttributeError: '${pyTypeName(d)}' object has no attribute 'decode'. Quote it. ${overridden(p)}`,
      );
    } else if (!pyIsUri(d.value)) {
      sink.warning(
        d.range,
        'default-uri',
        `Expected URI for parameter ${p.name} but got ${d.value} (a \`uri\` needs a scheme such as file://, s3://, https://). ${overridden(p)}`,
      );
    }
  }
  if (p.type === 'path') {
    if (d.kind !== 'str') {
      sink.warning(
        d.range,
        'default-path',
        `A \`path\` default must be a string; MLflow fails resolving it with AttributeError: '${pyTypeName(d)}' object has no attribute 'decode'. Quote it. ${overridden(p)}`,
      );
      return;
    }
    const local = localPathOrNone(d.value);
    if (local === undefined) {
      sink.info(
        d.range,
        'default-path-remote',
        `MLflow downloads \`${d.value}\` (scheme \`${pyUrlSplit(d.value).scheme}\`) into its storage directory before running and passes the local copy.`,
      );
      return;
    }
    if (!ctx.projectDir || !ctx.files) return;
    const abs = local === '' ? '' : pyAbsPath(ctx.projectDir, local);
    if (abs === '' || !ctx.files.exists(abs)) {
      sink.warning(
        d.range,
        'default-path-missing',
        `Got value ${d.value} for parameter ${p.name}, but no such file or directory was found. (MLflow resolves a \`path\` default against the directory \`mlflow run\` starts in, here the project directory.) ${overridden(p)}`,
      );
    }
  }
}

function checkParameter(
  sink: DiagnosticSink,
  p: ParameterModel,
  index: number,
  byCase: CaseIndex,
  ctx: ProjectContext,
  settings: ValidationSettings,
): void {
  if (p.shape === 'invalid') {
    const fixes: QuickFix[] = [];
    if (p.value.kind === 'none') {
      const at = p.keyRange.end;
      const colon = sink.lines.text.indexOf(':', at);
      if (colon >= 0)
        fixes.push({
          title: 'Declare as a string parameter',
          edits: [sink.edit({ start: colon + 1, end: colon + 1 }, ' string')],
        });
    }
    sink.error(
      p.value.kind === 'none' ? p.keyRange : p.value.range,
      'parameter-shape',
      `Parameter \`${p.name}\` must be a type name (\`${p.name}: float\`) or a mapping (\`${p.name}: {type: float, default: 0.1}\`); MLflow fails loading the project with ${attrError(p.value, 'get')}.`,
      fixes,
    );
    checkParameterName(sink, p, index, byCase);
    return;
  }
  checkParameterName(sink, p, index, byCase);
  checkParameterType(sink, p, settings);
  if (p.shape === 'mapping' && p.value.kind === 'dict') {
    checkUnknownKeys(sink, p.value, PARAMETER_KEYS, `parameter \`${p.name}\``, (s) =>
      s === 'default' ? `so \`${p.name}\` has no default and is required.` : `so \`${p.name}\` is treated as a string.`,
    );
  }
  checkDefault(sink, p, ctx);
}

function checkEntryPoint(
  model: MlprojectModel,
  sink: DiagnosticSink,
  ep: EntryPointModel,
  ctx: ProjectContext,
  settings: ValidationSettings,
  seen: WeakSet<object>,
  seenCommands: WeakMap<PyValue, Set<string>>,
): void {
  if (ep.key.kind !== 'str') {
    const coercion = describeCoercion(ep.key);
    sink.warning(
      ep.keyRange,
      'entry-point-name-type',
      `${coercion ? `${coercion} ` : ''}This entry point is named ${pyTypeName(ep.key)} \`${ep.name}\`, not a string, so \`mlflow run -e ${ep.name}\` cannot select it. Quote the name.`,
    );
  }
  if (!ep.isMapping) {
    const fixes: QuickFix[] = [];
    if (ep.value.kind === 'str' && ep.value.style && ep.value.style !== 'literal' && ep.value.style !== 'folded') {
      const indent = lineIndentAt(sink.lines, ep.keyRange.start);
      const src = sink.lines.text.slice(ep.value.range.start, ep.value.range.end);
      if (!src.includes('\n')) {
        fixes.push({
          title: 'Move the command under `command:`',
          edits: [sink.edit(ep.value.range, `\n${indent}  command: ${src}`)],
          preferred: true,
        });
      }
    }
    sink.error(
      ep.value.kind === 'none' ? ep.keyRange : ep.value.range,
      'entry-point-shape',
      `Entry point \`${ep.name}\` must be a mapping with \`command\` (and optional \`parameters\`); MLflow fails loading the project with ${attrError(ep.value, 'get')}.`,
      fixes,
    );
    return;
  }
  if (ep.value.kind === 'dict') {
    checkUnknownKeys(
      sink,
      ep.value,
      ENTRY_POINT_KEYS,
      `entry point \`${ep.name}\``,
      (s) =>
        s === 'command' ? `so the entry point would have no command.` : `so the entry point would have no parameters.`,
      { warnAlways: true },
    );
  }
  if (ep.parametersShape === 'invalid' && ep.parametersEntry) {
    const v = ep.parametersEntry.value;
    const listHint = v.kind === 'list' ? ' Write one `name: type` line per parameter instead of a list.' : '';
    sink.error(
      v.kind === 'none' ? entryRange(ep.parametersEntry) : v.range,
      'parameters-shape',
      `\`parameters\` of \`${ep.name}\` must be a mapping of parameter names to declarations; MLflow fails loading the project with ${attrError(v, 'items')}.${listHint}`,
    );
  }
  const paramsKey: object = ep.parametersEntry?.value ?? ep.parameters;
  if (!seen.has(paramsKey)) {
    // An aliased parameters mapping reports the same problems at the same places for every user.
    seen.add(paramsKey);
    const byCase = caseIndex(ep);
    ep.parameters.forEach((p, i) => {
      if (!sink.full) checkParameter(sink, p, i, byCase, ctx, settings);
    });
  }
  const commandKey = `${ep.parameters.map((p) => p.name).join('\u0000')}`;
  const users = ep.commandValue ? (seenCommands.get(ep.commandValue) ?? new Set<string>()) : undefined;
  if (ep.commandValue && users) {
    if (users.has(commandKey)) return;
    users.add(commandKey);
    seenCommands.set(ep.commandValue, users);
  }
  validateCommand(model, ep, sink, ctx);
}

export function validateEntryPoints(
  model: MlprojectModel,
  ctx: ProjectContext,
  settings: ValidationSettings,
  sink: DiagnosticSink,
  reuse?: EntryPointPass,
): void {
  const entry = model.entryPointsEntry;
  if (model.entryPointsShape === 'invalid' && entry) {
    sink.error(
      entry.value.kind === 'none' ? entryRange(entry) : entry.value.range,
      'entry-points-shape',
      `\`entry_points\` must be a mapping of entry-point names to definitions; MLflow fails loading the project with ${attrError(entry.value, 'items')}.`,
    );
    return;
  }
  if (model.entryPointsShape === 'absent' || model.entryPoints.length === 0) {
    if (model.root && !model.root.entries.some((e) => e.key.kind === 'str' && e.key.value === 'databricks_spark_job')) {
      sink.info(
        entry ? entryRange(entry) : (model.root.written[0]?.key.range ?? { start: 0, end: 0 }),
        'no-entry-points',
        'No entry points: `mlflow run` can only run script files here (`-e train.py`); `mlflow run .` looks for `main`.',
      );
    }
    return;
  }
  if (!model.entryPoints.some((e) => e.name === 'main' && e.key.kind === 'str') && entry) {
    sink.info(
      entryRange(entry),
      'no-main',
      `No \`main\` entry point: \`mlflow run\` without \`-e\` fails (Could not find main among entry points [${model.entryPoints.map((e) => pyStrRepr(e.name)).join(', ')}] …).`,
    );
  }
  const seen = new WeakSet<object>();
  const seenCommands = new WeakMap<PyValue, Set<string>>();
  for (const ep of model.entryPoints) {
    if (sink.full) break;
    if (reuse)
      reuse.check(ep, sink, ctx, (noted) => checkEntryPoint(model, sink, ep, noted, settings, seen, seenCommands));
    else checkEntryPoint(model, sink, ep, ctx, settings, seen, seenCommands);
  }
}
