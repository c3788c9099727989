// validateMlproject: every reason `mlflow run` would refuse the file (Error) and every mistake it
// would silently accept (Warning, Information, Hint). Pure: text and a ProjectContext in,
// diagnostics out.
import { DiagnosticSink, type MlprojectDiagnostic } from './diagnostics.ts';
import type { EntryPointDiagnostics } from './entryPointDiagnostics.ts';
import { buildMlprojectModel, type MlprojectModel } from '../model/mlprojectModel.ts';
import { DEFAULT_SETTINGS, type ProjectContext, type ValidationSettings } from '../model/projectContext.ts';
import { pyTypeName } from '../python/pythonValues.ts';
import { validateEntryPoints } from './validateEntryPoints.ts';
import { validateEnvironment } from './validateEnvironment.ts';

function reportLoadProblems(model: MlprojectModel, sink: DiagnosticSink): void {
  for (const p of model.loaded.problems) {
    if (p.fatal) {
      sink.error(p.range, p.code, p.message);
    } else if (p.code === 'yaml-duplicate-key' && p.related) {
      const line = model.lines.positionAt(p.related.start).line + 1;
      sink.warning(
        p.range,
        'duplicate-key',
        `Duplicate key \`${p.keyName ?? ''}\`: PyYAML keeps the last one (line ${line}), so this entry is ignored.`,
      );
    } else {
      sink.warning(p.range, p.code, p.message);
    }
  }
}

function firstLineRange(model: MlprojectModel): { start: number; end: number } {
  return { start: 0, end: model.lines.lineEnd(0) };
}

/**
 * With `memory` (one per document), entry points whose lines did not change since the last call
 * report what they reported then instead of being checked again; the result is the same.
 */
export function validateModel(
  model: MlprojectModel,
  ctx: ProjectContext = {},
  settings: ValidationSettings = DEFAULT_SETTINGS,
  memory?: EntryPointDiagnostics,
): MlprojectDiagnostic[] {
  const sink = new DiagnosticSink(model.lines);
  reportLoadProblems(model, sink);
  const loaded = model.loaded;
  if (loaded.empty) {
    sink.error(
      firstLineRange(model),
      'empty-document',
      "The MLproject has no content: PyYAML loads it as None and MLflow fails with AttributeError: 'NoneType' object has no attribute 'keys'. Add at least `name:` and `entry_points:`.",
    );
  } else if (loaded.root && loaded.root.kind !== 'dict' && !loaded.syntaxBroken) {
    sink.error(
      loaded.root.range,
      'top-level-not-mapping',
      `The MLproject must be a mapping (name:, entry_points:, …); this one is a ${pyTypeName(loaded.root)} and MLflow fails with AttributeError: '${pyTypeName(loaded.root)}' object has no attribute 'keys'.`,
    );
  }
  // With a syntax error the tree is a guess; checking it would mostly report the guess.
  if (model.root && !loaded.syntaxBroken) {
    validateEnvironment(model, ctx, sink);
    const pass = memory?.begin(model, ctx, settings, sink.eol);
    validateEntryPoints(model, ctx, settings, sink, pass);
    pass?.finish();
  }
  const out = dedupeAndSort(sink.items);
  if (sink.dropped > 0) {
    out.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: 3,
      code: 'too-many-problems',
      source: 'MLproject',
      message: `${sink.dropped} more problems are not shown.`,
    });
  }
  return out;
}

function dedupeAndSort(items: MlprojectDiagnostic[]): MlprojectDiagnostic[] {
  // Entry points shared through YAML aliases report the same problem at the same place.
  const seen = new Set<string>();
  const out: MlprojectDiagnostic[] = [];
  for (const d of items) {
    const key = `${d.range.start.line}:${d.range.start.character}:${d.range.end.line}:${d.range.end.character}:${d.code}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  out.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      (a.severity ?? 1) - (b.severity ?? 1),
  );
  return out;
}

export function validateMlproject(
  text: string,
  ctx: ProjectContext = {},
  settings: ValidationSettings = DEFAULT_SETTINGS,
): MlprojectDiagnostic[] {
  return validateModel(buildMlprojectModel(text), ctx, settings);
}
