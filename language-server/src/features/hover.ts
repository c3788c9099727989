// Hover: what a key means to MLflow, and for a parameter (at its declaration or at a
// `{placeholder}`) its type and default rendered the way MLflow substitutes it.
import type { Hover } from 'vscode-languageserver-types';
import { KEY_DOCS, TYPE_DOCS, UNCHECKED_TYPE_DOC } from '../model/keyDocs.ts';
import type { EntryPointModel, MlprojectModel, ParameterModel } from '../model/mlprojectModel.ts';
import { envFileAt, keyAt, parameterKeyAt, placeholderAt, scriptAt } from '../model/modelLookup.ts';
import { pyStr } from '../python/pythonValues.ts';
import { shlexQuote } from '../python/shellQuote.ts';
import { CHECKED_TYPES } from './validateEntryPoints.ts';
import { describeCoercion } from '../yaml/yamlCoercions.ts';
import type { OffsetRange } from '../text/textPositions.ts';

function code(s: string): string {
  const fence = s.includes('`') ? '``' : '`';
  return `${fence}${s}${fence}`;
}

function describeParameter(ep: EntryPointModel, p: ParameterModel): string {
  const lines = [`**${p.name}** — parameter of entry point \`${ep.name}\``, ''];
  const typeDoc = TYPE_DOCS[p.type] ?? UNCHECKED_TYPE_DOC;
  lines.push(
    `- type: ${code(p.type)}${(CHECKED_TYPES as readonly string[]).includes(p.type) ? '' : ' (not checked by MLflow)'} — ${typeDoc}`,
  );
  if (p.required) {
    lines.push(
      `- required: no default${p.defaultValue?.kind === 'none' ? ' (`default: null` counts as none)' : ''}; \`mlflow run\` needs \`-P ${p.name}=…\``,
    );
  } else if (p.renderError) {
    lines.push(`- default: cannot be rendered (${p.renderError})`);
  } else if (p.renderedDefault !== null) {
    const written = p.defaultValue?.source;
    const coercion = p.defaultValue ? describeCoercion(p.defaultValue) : undefined;
    lines.push(
      `- default: ${code(p.renderedDefault)}${written !== undefined && written !== p.renderedDefault ? ` (written ${code(written)})` : ''}`,
    );
    lines.push(`- substituted as: ${code(shlexQuote(p.renderedDefault))}`);
    if (coercion) lines.push(`- ${coercion}`);
  }
  return lines.join('\n');
}

function describeEntryPoint(ep: EntryPointModel): string {
  const lines = [`**${ep.name}** — entry point (\`mlflow run -e ${ep.name}\`)`];
  if (ep.parameters.length) {
    lines.push(
      '',
      ...ep.parameters.map(
        (p) => `- \`${p.name}\`: ${p.type}${p.required ? ' (required)' : ` = ${p.renderedDefault ?? ''}`}`,
      ),
    );
  }
  if (ep.command !== undefined) lines.push('', '```sh', ep.command, '```');
  return lines.join('\n');
}

function hover(model: MlprojectModel, markdown: string, range: OffsetRange): Hover {
  return { contents: { kind: 'markdown', value: markdown }, range: model.lines.rangeOf(range) };
}

export function hoverMlproject(model: MlprojectModel, offset: number): Hover | null {
  const ph = placeholderAt(model, offset);
  if (ph) {
    if (ph.parameter) return hover(model, describeParameter(ph.entryPoint, ph.parameter), ph.argRange);
    return hover(
      model,
      `\`{${ph.field.arg}}\` is not a parameter of \`${ph.entryPoint.name}\`: MLflow fails with \`KeyError: '${ph.field.arg}'\` when it renders this command.`,
      ph.argRange,
    );
  }
  const param = parameterKeyAt(model, offset);
  if (param) return hover(model, describeParameter(param.entryPoint, param.parameter), param.parameter.keyRange);
  const script = scriptAt(model, offset);
  if (script) return hover(model, `Script ${code(script.path)}, run in the project directory.`, script.range);
  const env = envFileAt(model, offset);
  if (env) return hover(model, `${KEY_DOCS[env.key] ?? ''}`, env.range);

  const hit = keyAt(model, offset);
  if (!hit) return null;
  const path = hit.path.join('.');
  const keyRange = (hit.entry.lastKey ?? hit.entry.key).range;
  if (hit.path.length === 2 && hit.path[0] === 'entry_points' && hit.entryPoint && hit.onKey) {
    return hover(model, describeEntryPoint(hit.entryPoint), hit.entryPoint.keyRange);
  }
  if (hit.onKey) {
    const doc = KEY_DOCS[path];
    return doc ? hover(model, `**${hit.path[hit.path.length - 1]}** — ${doc}`, keyRange) : null;
  }
  const v = hit.entry.value;
  if (path === 'entry_points.*.parameters.*.type' && v.kind === 'str') {
    return hover(model, `**${v.value}** — ${TYPE_DOCS[v.value] ?? UNCHECKED_TYPE_DOC}`, v.range);
  }
  if (path === 'entry_points.*.parameters.*.default' && hit.entryPoint && hit.parameter) {
    return hover(model, describeParameter(hit.entryPoint, hit.parameter), v.range);
  }
  if (path === 'entry_points.*.parameters.*' && hit.entryPoint && hit.parameter && v.kind === 'str') {
    return hover(model, `**${v.value}** — ${TYPE_DOCS[v.value] ?? UNCHECKED_TYPE_DOC}`, v.range);
  }
  if (path === 'name') {
    try {
      return hover(model, `Project name: ${code(pyStr(v, 200))}. ${KEY_DOCS.name}`, v.range);
    } catch {
      return null;
    }
  }
  return null;
}
