// An entry point's `command`: MLflow renders it with Python's str.format over the declared
// parameters (values shell-quoted strings), so every template error, undeclared placeholder and
// format spec a string cannot take fails `mlflow run`. Also warns on declared-but-unused
// parameters and scripts missing from the project.
import type { TextEdit } from 'vscode-languageserver-types';
import { didYouMean, type DiagnosticSink, type QuickFix } from './diagnostics.ts';
import {
  commandRange,
  type EntryPointModel,
  type MlprojectModel,
  type ParameterModel,
} from '../model/mlprojectModel.ts';
import { joinPath, type ProjectContext } from '../model/projectContext.ts';
import { parseStrFormatSpec, STR_ATTRIBUTES, type FormatError, type FormatField } from '../python/pythonFormat.ts';
import { pyStrRepr, pyTypeName } from '../python/pythonValues.ts';
import { shlexQuote } from '../python/shellQuote.ts';
import { findScriptReferences } from '../model/commandScripts.ts';
import { quotedFields, type QuotedField } from '../python/commandQuoting.ts';
import { afterLine, lineIndentAt, yamlDoubleQuoted } from '../text/textEdits.ts';
import type { OffsetRange } from '../text/textPositions.ts';

/**
 * Errors are for what fails every `mlflow run`; a bad default fails only the runs that use it,
 * since `-P` replaces it before MLflow looks at it.
 */
export function overridden(p: ParameterModel): string {
  return `Only runs that use the default fail: \`-P ${p.name}=…\` overrides it.`;
}

/** Edits wrapping a field in one more pair of braces (`{x}` → `{{x}}`), when positions are exact. */
function escapeEdits(sink: DiagnosticSink, ep: EntryPointModel, from: number, to: number): TextEdit[] | undefined {
  const map = ep.commandMap;
  if (!map?.exact) return undefined;
  const open = map.offsetAt(from);
  const close = map.offsetAt(to - 1);
  return [sink.edit({ start: open, end: open }, '{'), sink.edit({ start: close + 1, end: close + 1 }, '}')];
}

/** Insert `name: {type: string}` under the entry point's `parameters:` (creating it if needed). */
function declareParameterEdits(sink: DiagnosticSink, ep: EntryPointModel, name: string): TextEdit[] | undefined {
  const lines = sink.lines;
  const text = lines.text;
  const eol = sink.eol;
  const decl = `${/^[A-Za-z_][\w-]*$/.test(name) ? name : yamlDoubleQuoted(name)}: {type: string}`;
  const atLineStart = (offset: number, body: string): TextEdit => {
    const needsBreak = offset === text.length && text.length > 0 && !text.endsWith('\n');
    return sink.edit({ start: offset, end: offset }, `${needsBreak ? eol : ''}${body}${eol}`);
  };
  const params = ep.parametersEntry;
  if (params && params.value.kind === 'dict') {
    const dict = params.value;
    if (dict.flow) {
      const close = dict.range.end - 1;
      if (text[close] !== '}') return undefined;
      return [sink.edit({ start: close, end: close }, `${dict.written.length ? ', ' : ''}${decl}`)];
    }
    const last = dict.written.reduce(
      (a, b) => (b.value.range.end > a.value.range.end ? b : a),
      dict.written[0] ?? { key: dict, value: dict },
    );
    const indent = lineIndentAt(lines, (dict.written[0]?.key ?? dict).range.start);
    return [atLineStart(afterLine(lines, Math.max(last.value.range.end - 1, last.key.range.end)), `${indent}${decl}`)];
  }
  if (params && params.value.kind === 'none') {
    const indent = lineIndentAt(lines, (params.lastKey ?? params.key).range.start);
    return [atLineStart(afterLine(lines, (params.lastKey ?? params.key).range.end), `${indent}  ${decl}`)];
  }
  if (params || ep.value.kind !== 'dict' || ep.value.flow) return undefined;
  const first = ep.value.written[0];
  if (!first) return undefined;
  const indent = lineIndentAt(lines, first.key.range.start);
  const at = lines.lineStart(lines.positionAt(first.key.range.start).line);
  if (text.slice(at, first.key.range.start).trim() !== '') return undefined;
  return [sink.edit({ start: at, end: at }, `${indent}parameters:${eol}${indent}  ${decl}${eol}`)];
}

function formatErrorFix(sink: DiagnosticSink, ep: EntryPointModel, e: FormatError): QuickFix[] {
  const map = ep.commandMap;
  if (!map?.exact) return [];
  if (e.message.startsWith("Single '}'") || e.message.startsWith("Single '{'")) {
    const at = map.offsetAt(e.start);
    const brace = e.message.startsWith("Single '}'") ? '}' : '{';
    return [
      {
        title: `Write \`${brace}${brace}\` for a literal brace`,
        edits: [sink.edit({ start: at, end: at }, brace)],
        preferred: true,
      },
    ];
  }
  if (e.message === "expected '}' before end of string" || e.message === "unmatched '{' in format spec") {
    const at = map.offsetAt(e.start);
    return [{ title: 'Write `{{` for a literal brace', edits: [sink.edit({ start: at, end: at }, '{')] }];
  }
  return [];
}

function checkField(
  model: MlprojectModel,
  ep: EntryPointModel,
  f: FormatField,
  sink: DiagnosticSink,
  declared: Set<string>,
  inSpec: boolean,
): void {
  const command = ep.command ?? '';
  // Ranges cost a source-map build; only problems need them.
  const whole = (): OffsetRange => commandRange(ep, f.start, f.end);
  const text = command.slice(f.start, f.end);
  if (f.nameError) {
    sink.error(
      commandRange(ep, f.nameError.start, f.nameError.end),
      'command-format',
      `${f.nameError.pythonType}: ${f.nameError.message} — MLflow renders \`command\` with Python's str.format.`,
    );
    return;
  }
  if (f.positional) {
    const index = f.arg === '' ? 0 : Number(f.arg);
    const escape = escapeEdits(sink, ep, f.start, f.end);
    sink.error(
      whole(),
      'placeholder-positional',
      `\`${text}\` is a positional field: MLflow passes parameters by name only and fails with IndexError: Replacement index ${index} out of range for positional args tuple. Name a parameter (\`{alpha}\`) or write \`{${text}}\` for literal braces.`,
      escape ? [{ title: `Write \`{${text}}\` for literal braces`, edits: escape }] : [],
    );
    return;
  }
  if (!declared.has(f.arg)) {
    const argRange = commandRange(ep, f.argStart, f.argEnd);
    const fixes: QuickFix[] = [];
    const escape = escapeEdits(sink, ep, f.start, f.end);
    const shellVar = f.start > 0 && command[f.start - 1] === '$';
    const looksLikeCode = /[\s$'"()]/.test(f.arg);
    const dotted = [...declared].find((d) => d.startsWith(`${f.arg}.`) || d.startsWith(`${f.arg}[`));
    let message: string;
    if (shellVar) {
      message = `\`\${${f.name}}\` is shell syntax, but MLflow first renders the command with Python's str.format, which fails with KeyError: ${pyStrRepr(f.arg)}. Write \`\${{${f.name}}}\` to pass \`\${${f.name}}\` to the shell.`;
      if (escape) fixes.push({ title: `Escape as \`\${{${f.name}}}\``, edits: escape, preferred: true });
    } else if (looksLikeCode) {
      message = `MLflow renders the command with Python's str.format, which reads \`${text}\` as a placeholder and fails with KeyError: ${pyStrRepr(f.arg)}. Double the braces (\`{${text}}\`) for literal ones.`;
      if (escape) fixes.push({ title: `Escape as \`{${text}}\``, edits: escape, preferred: true });
    } else {
      const suggestion = didYouMean(f.arg, [...declared]);
      message = `\`{${f.arg}}\` is not a parameter of entry point \`${ep.name}\`: MLflow fails with KeyError: ${pyStrRepr(f.arg)} when it renders the command.`;
      if (dotted)
        message += ` A \`.\` or \`[\` in a placeholder is attribute/index access, so \`{${dotted}}\` cannot reach the parameter \`${dotted}\`.`;
      else if (suggestion) message += ` Did you mean \`{${suggestion}}\`?`;
      if (suggestion && !dotted)
        fixes.push({
          title: `Change to \`{${suggestion}}\``,
          edits: [sink.edit(argRange, suggestion)],
          preferred: true,
        });
      const declare = declareParameterEdits(sink, ep, f.arg);
      if (declare && !inSpec)
        fixes.push({ title: `Declare parameter \`${f.arg}\``, edits: declare, preferred: !suggestion });
      if (escape) fixes.push({ title: `Escape as \`{${text}}\` (literal braces)`, edits: escape });
    }
    sink.error(argRange.start === argRange.end ? whole() : argRange, 'placeholder-undeclared', message, fixes);
    return;
  }
  const param = ep.parameterByName.get(f.arg);
  for (const a of f.accessors) {
    const r = commandRange(ep, a.start, a.end);
    if (a.kind === 'attribute') {
      if (STR_ATTRIBUTES.has(a.text)) {
        sink.warning(
          r,
          'placeholder-attribute',
          `\`${text}\` renders a Python method object (\`<built-in method ${a.text} of str object at 0x…>\`), not the value.`,
        );
      } else {
        sink.error(
          r,
          'placeholder-attribute',
          `\`.${a.text}\` is attribute access in str.format: MLflow fails with AttributeError: 'str' object has no attribute '${a.text}'.`,
        );
      }
      return;
    }
    if (!/^\p{Nd}+$/u.test(a.text)) {
      sink.error(
        r,
        'placeholder-index',
        `\`[${a.text}]\` indexes the parameter's string value: MLflow fails with TypeError: string indices must be integers, not 'str'.`,
      );
      return;
    }
    if (param && !param.required && param.renderedDefault !== null) {
      const quoted = [...shlexQuote(param.renderedDefault)];
      if (Number(a.text) >= quoted.length) {
        sink.warning(
          r,
          'placeholder-index',
          `With the default value, \`${text}\` fails with IndexError: string index out of range (the shell-quoted value is ${quoted.length} characters). ${overridden(param)}`,
        );
        return;
      }
    }
    sink.warning(
      r,
      'placeholder-index',
      `\`${text}\` picks one character of the shell-quoted value, not the value itself.`,
    );
    return;
  }
  if (f.conversion !== null) {
    const r = commandRange(ep, f.conversionStart, f.conversionStart + 1);
    if (f.conversion === 'r' || f.conversion === 'a') {
      sink.warning(
        r,
        'placeholder-conversion',
        `\`!${f.conversion}\` wraps the already shell-quoted value in Python quotes (e.g. \`'0.5'\` becomes \`"'0.5'"\`).`,
      );
    } else if (f.conversion !== 's') {
      const shown = /^[\x21-\x7e]$/.test(f.conversion)
        ? f.conversion
        : `\\x${(f.conversion.codePointAt(0) ?? 0).toString(16)}`;
      sink.error(
        r,
        'placeholder-conversion',
        `ValueError: Unknown conversion specifier ${shown} — only !s, !r and !a exist.`,
      );
      return;
    }
  }
  if (f.spec !== null && f.spec !== '') {
    const r = commandRange(ep, f.specStart, f.specEnd);
    if (f.specFields.length > 0) {
      for (const nested of f.specFields) checkField(model, ep, nested, sink, declared, true);
      sink.warning(
        r,
        'placeholder-format-spec',
        'This format spec is computed from parameter values at run time; MLflow fails if the result is not a valid string format.',
      );
      return;
    }
    const spec = parseStrFormatSpec(f.spec);
    if ('pythonType' in spec) {
      sink.error(
        r,
        'placeholder-format-spec',
        `ValueError: ${spec.message}. MLflow substitutes shell-quoted strings, never numbers, so numeric formats like \`:.2f\` fail; format the value in your script instead.`,
      );
    } else {
      sink.warning(
        r,
        'placeholder-format-spec',
        `\`:${f.spec}\` pads or truncates the shell-quoted string (quotes included), which is rarely what you want.`,
      );
    }
  }
}

/** The quick fix for a quoted placeholder: drop quotes that hold only it, else close them around it. */
function unquoteEdits(sink: DiagnosticSink, ep: EntryPointModel, q: QuotedField): QuickFix[] {
  const map = ep.commandMap;
  if (!map?.exact || q.close === undefined || !ep.commandValue) return [];
  const f = q.field;
  const title = `Remove the quotes around \`${ep.command?.slice(f.start, f.end) ?? ''}\``;
  const style = ep.commandValue.style;
  const value = ep.commandValue;
  const length = ep.command?.length ?? 0;
  // Where the quote character is written: one character, or an escape (\" in "…", '' in '…').
  const written = (i: number): OffsetRange | undefined => {
    const start = map.offsetAt(i);
    const end =
      i + 1 < length ? map.offsetAt(i + 1) : style === 'double' || style === 'single' ? value.range.end - 1 : start + 1;
    return ['"', "'", '\\"', "''"].includes(sink.lines.text.slice(start, end)) ? { start, end } : undefined;
  };
  if (q.open + 1 === f.start && q.close === f.end) {
    const open = written(q.open);
    const close = written(q.close);
    return open && close ? [{ title, edits: [sink.edit(open, ''), sink.edit(close, '')], preferred: true }] : [];
  }
  const mark = q.quote === 'double' ? (style === 'double' ? '\\"' : '"') : style === 'single' ? "''" : "'";
  const before = map.offsetAt(f.start);
  const after = map.offsetAt(f.end - 1) + 1;
  return [
    {
      title,
      edits: [sink.edit({ start: before, end: before }, mark), sink.edit({ start: after, end: after }, mark)],
      preferred: true,
    },
  ];
}

function checkQuotedPlaceholders(ep: EntryPointModel, sink: DiagnosticSink, declared: Set<string>): void {
  const template = ep.template;
  if (!template || ep.command === undefined) return;
  for (const q of quotedFields(ep.command, template.fields)) {
    const f = q.field;
    if (f.positional || f.nameError || !declared.has(f.arg)) continue;
    const text = ep.command.slice(f.start, f.end);
    const message =
      q.quote === 'double'
        ? `\`${text}\` is inside double quotes, but MLflow already shell-quotes each value: the single quotes it adds are literal inside double quotes, so a value with a space arrives with quote characters and a value such as \`$(touch /tmp/x)\` runs (MLflow renders \`"'$(touch /tmp/x)'"\`). Remove the quotes around the placeholder.`
        : `\`${text}\` is inside single quotes, but MLflow already shell-quotes each value: its quotes close yours, so a value with a space is split into words and \`$(…)\` in a value runs (MLflow renders \`''$(touch /tmp/x)''\`). Remove the quotes around the placeholder.`;
    sink.warning(commandRange(ep, f.start, f.end), 'placeholder-quoted', message, unquoteEdits(sink, ep, q));
  }
}

function referencedNames(fields: FormatField[], into: Set<string>): Set<string> {
  for (const f of fields) {
    if (!f.positional) into.add(f.arg);
    referencedNames(f.specFields, into);
  }
  return into;
}

export function validateCommand(
  model: MlprojectModel,
  ep: EntryPointModel,
  sink: DiagnosticSink,
  ctx: ProjectContext,
): void {
  if (!ep.commandEntry) {
    sink.error(
      ep.keyRange,
      'command-missing',
      `Entry point \`${ep.name}\` has no \`command\`; MLflow fails with AttributeError: 'NoneType' object has no attribute 'format' when it runs it.`,
    );
    return;
  }
  const v = ep.commandValue;
  if (!v || v.kind !== 'str') {
    if (!v) return;
    const src = sink.lines.text.slice(v.range.start, v.range.end);
    const fixes: QuickFix[] = [];
    if (v.kind !== 'none' && !src.includes('\n') && src.trim() !== '') {
      fixes.push({ title: 'Quote the command', edits: [sink.edit(v.range, yamlDoubleQuoted(src))], preferred: true });
    }
    const why =
      v.kind === 'dict'
        ? ' A command starting with `{` is a YAML flow mapping; quote it.'
        : v.kind === 'list'
          ? ' Write the command as one string, not a list.'
          : v.kind === 'none'
            ? ''
            : ` YAML read it as ${pyTypeName(v)}; quote it.`;
    sink.error(
      v.kind === 'none' ? (ep.commandEntry.lastKey ?? ep.commandEntry.key).range : v.range,
      'command-type',
      `\`command\` must be a string; MLflow fails with AttributeError: '${pyTypeName(v)}' object has no attribute 'format' when it runs \`${ep.name}\`.${why}`,
      fixes,
    );
    return;
  }
  const template = ep.template;
  if (!template) return;
  for (const e of template.errors) {
    sink.error(
      commandRange(ep, e.start, e.end),
      'command-format',
      `${e.pythonType}: ${e.message} — MLflow renders \`command\` with Python's str.format; write \`{{\` and \`}}\` for literal braces.`,
      formatErrorFix(sink, ep, e),
    );
  }
  const declared = new Set(ep.parameters.map((p) => p.name));
  for (const f of template.fields) checkField(model, ep, f, sink, declared, false);
  checkQuotedPlaceholders(ep, sink, declared);

  const used = referencedNames(template.fields, new Set());
  for (const p of ep.parameters) {
    if (used.has(p.name) || p.shape === 'invalid') continue;
    const fixes: QuickFix[] = [];
    const map = ep.commandMap;
    if (map?.exact && !ep.command?.includes('\n') && /^[A-Za-z_][\w-]*$/.test(p.name)) {
      const at = map.offsetAt((ep.command ?? '').length);
      fixes.push({
        title: `Append \`--${p.name} {${p.name}}\` to the command`,
        edits: [sink.edit({ start: at, end: at }, ` --${p.name} {${p.name}}`)],
      });
    }
    sink.warning(
      p.keyRange,
      'parameter-unused',
      `Parameter \`${p.name}\` is not used in the command of \`${ep.name}\`; MLflow still ${p.required ? 'requires a value for it and ' : ''}logs it as a run parameter.`,
      fixes,
    );
  }

  if (ctx.projectDir && ctx.files) {
    for (const ref of findScriptReferences(ep.command ?? '')) {
      if (ref.path.startsWith('/') || ref.path.startsWith('~')) continue;
      if (!ctx.files.exists(joinPath(ctx, ref.path))) {
        sink.warning(
          commandRange(ep, ref.start, ref.end),
          'script-missing',
          `\`${ref.path}\` is not in the project directory; \`mlflow run\` runs the command there, so it would fail.`,
        );
      }
    }
  }
}
