// The command `mlflow run -e NAME -P k=v …` executes, computed as EntryPoint.compute_command
// does: missing-parameter check, `uri`/`path` handling, shlex.quote(str(value)), str.format,
// then undeclared -P pairs appended as ` --k v` (key and value quoted, MLflow ≥ 3.17). POSIX
// rules (MLflow uses mslex quoting on Windows).
import { Severity, type MlprojectDiagnostic } from './diagnostics.ts';
import { findEntryPoint, type MlprojectModel } from '../model/mlprojectModel.ts';
import type { ProjectContext } from '../model/projectContext.ts';
import type { RenderCommandResult } from '../protocol.ts';
import { FormatRenderError, pyFormat } from '../python/pythonFormat.ts';
import { localPathOrNone, pyAbsPath, pyIsUri, pyUrlSplit } from '../python/pythonPaths.ts';
import { pyStrRepr, pyTypeName } from '../python/pythonValues.ts';
import { shlexQuote } from '../python/shellQuote.ts';
import { quotedFields, quotingHazard } from '../python/commandQuoting.ts';
import { paramNameProblem } from './validateEntryPoints.ts';

/** Diagnostics for problems load_project raises on, whichever entry point is run. */
const LOAD_ERROR_CODES = new Set([
  'empty-document',
  'top-level-not-mapping',
  'multiple-environments',
  'databricks',
  'databricks-not-mapping',
  'docker-not-mapping',
  'docker-image',
  'docker-volumes',
  'docker-environment',
  'docker-name',
  'env-file-type',
  'env-file-missing',
  'entry-points-shape',
  'entry-point-shape',
  'parameters-shape',
  'parameter-shape',
]);

export interface RenderOptions {
  /** $SHELL of the machine that runs mlflow, for `.sh` file entry points. */
  shell?: string;
}

export function renderEntryPointCommand(
  model: MlprojectModel,
  diagnostics: MlprojectDiagnostic[],
  entryPoint: string,
  values: Record<string, string>,
  ctx: ProjectContext = {},
  options: RenderOptions = {},
): RenderCommandResult {
  const loadError = diagnostics.find(
    (d) => d.severity === Severity.Error && (d.code.startsWith('yaml-') || LOAD_ERROR_CODES.has(d.code)),
  );
  if (loadError)
    return {
      error: `MLflow cannot load this MLproject (line ${loadError.range.start.line + 1}): ${loadError.message}`,
    };

  const ep = findEntryPoint(model, entryPoint);
  if (!ep) {
    const ext = /(\.[^./]*)$/.exec(entryPoint.replace(/^.*\//, ''))?.[1] ?? '';
    const extras = Object.entries(values)
      .map(([k, v]) => ` --${shlexQuote(k)} ${shlexQuote(v)}`)
      .join('');
    if (ext === '.py') return { command: `python ${shlexQuote(entryPoint)}${extras}` };
    if (ext === '.sh') return { command: `${options.shell ?? 'bash'} ${shlexQuote(entryPoint)}${extras}` };
    if (ext === '.R')
      return { command: `Rscript -e "mlflow::mlflow_source('${shlexQuote(entryPoint)}')" --args${extras}` };
    const names = model.entryPoints.map((e) => (e.key.kind === 'str' ? pyStrRepr(e.name) : e.name)).join(', ');
    return {
      error: `Could not find ${entryPoint} among entry points [${names}] or interpret ${entryPoint} as a runnable script. Supported script file extensions: ['.py', '.sh']`,
    };
  }
  const badName = ep.parameters.map((p, i) => paramNameProblem(p.name, i)).find((m) => m !== undefined);
  if (badName) return { error: badName };

  const given = new Map(Object.entries(values));
  const missing = ep.parameters.filter((p) => p.required && !given.has(p.name));
  if (missing.length > 0)
    return { error: `No value given for missing parameters: ${missing.map((p) => `'${p.name}'`).join(', ')}` };

  const notes: string[] = [];
  const kwargs = new Map<string, string>();
  // Every value is checked, but only the ones the template uses need quoting for the output.
  const referenced = new Set<string>();
  const collect = (fields: NonNullable<typeof ep.template>['fields']): void => {
    for (const f of fields) {
      referenced.add(f.arg);
      collect(f.specFields);
    }
  };
  collect(ep.template?.fields ?? []);
  for (const p of ep.parameters) {
    const user = given.get(p.name);
    let value: string;
    if (user !== undefined) {
      value = user;
    } else if (p.renderError) {
      return { error: p.renderError };
    } else {
      value = p.renderedDefault ?? '';
    }
    const raw = user !== undefined ? user : p.defaultValue;
    if (p.type === 'uri') {
      if (typeof raw !== 'string' && raw?.kind !== 'str')
        return { error: `AttributeError: '${raw ? pyTypeName(raw) : 'NoneType'}' object has no attribute 'decode'` };
      if (!pyIsUri(value)) return { error: `Expected URI for parameter ${p.name} but got ${value}` };
    }
    if (p.type === 'path') {
      if (typeof raw !== 'string' && raw?.kind !== 'str')
        return { error: `AttributeError: '${raw ? pyTypeName(raw) : 'NoneType'}' object has no attribute 'decode'` };
      const local = localPathOrNone(value);
      if (local === undefined) {
        notes.push(
          `MLflow downloads ${value} (${pyUrlSplit(value).scheme}) before running and passes the local copy's path instead.`,
        );
      } else if (ctx.projectDir) {
        const abs = local === '' ? '' : pyAbsPath(ctx.projectDir, local);
        if (abs === '' || (ctx.files && !ctx.files.exists(abs))) {
          return { error: `Got value ${value} for parameter ${p.name}, but no such file or directory was found.` };
        }
        value = abs;
      }
    }
    kwargs.set(p.name, referenced.has(p.name) ? shlexQuote(value) : value);
  }
  if (ep.command === undefined) {
    return {
      error: `AttributeError: '${ep.commandValue ? pyTypeName(ep.commandValue) : 'NoneType'}' object has no attribute 'format'`,
    };
  }
  let rendered: string;
  try {
    rendered = pyFormat(ep.command, kwargs);
  } catch (e) {
    if (e instanceof FormatRenderError) return { error: `${e.error.pythonType}: ${e.error.message}` };
    throw e;
  }
  // Values that quotes written around their placeholder would let the shell expand or split.
  const warnings: string[] = [];
  const unquoted = new Map(ep.parameters.map((p) => [p.name, given.get(p.name) ?? p.renderedDefault ?? '']));
  for (const q of quotedFields(ep.command, ep.template?.fields ?? [])) {
    const value = unquoted.get(q.field.arg);
    const hazard = value === undefined || q.field.positional ? undefined : quotingHazard(q.field.arg, q.quote, value);
    if (hazard && !warnings.includes(hazard)) warnings.push(hazard);
  }
  const declared = new Set(ep.parameters.map((p) => p.name));
  const parts = [rendered];
  for (const [k, v] of given) if (!declared.has(k)) parts.push(`--${shlexQuote(k)} ${shlexQuote(v)}`);
  const command = parts.join(' ');
  return { command, ...(notes.length > 0 ? { notes } : {}), ...(warnings.length > 0 ? { warnings } : {}) };
}
