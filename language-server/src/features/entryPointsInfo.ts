// The mlflow/entryPoints answer: every declared entry point with its parameters as MLflow
// renders them, plus whether the file has errors that would stop `mlflow run`.
import { Severity, type MlprojectDiagnostic } from './diagnostics.ts';
import type { MlprojectModel } from '../model/mlprojectModel.ts';
import type { EntryPointsResult } from '../protocol.ts';

export function describeEntryPoints(
  model: MlprojectModel,
  diagnostics: MlprojectDiagnostic[],
  projectDir: string | null,
): EntryPointsResult {
  const errors = diagnostics
    .filter((d) => d.severity === Severity.Error)
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
  return {
    projectDir,
    entryPoints: model.entryPoints.map((ep) => ({
      name: ep.name,
      command: ep.command ?? null,
      parameters: ep.parameters.map((p) => ({
        name: p.name,
        type: p.type,
        default: p.required ? null : p.renderedDefault,
        required: p.required,
      })),
      range: model.lines.rangeOf(ep.keyRange),
    })),
    hasErrors: errors.length > 0,
    errors,
  };
}
