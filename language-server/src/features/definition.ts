// Go to definition: a placeholder goes to its parameter's declaration; a script in a command and
// an env-file value go to the file in the project.
import type { MlprojectModel } from '../model/mlprojectModel.ts';
import { envFileAt, placeholderAt, scriptAt } from '../model/modelLookup.ts';
import { joinPath, type ProjectContext } from '../model/projectContext.ts';
import { pyPathJoin } from '../python/pythonPaths.ts';
import type { OffsetRange } from '../text/textPositions.ts';

export type DefinitionTarget =
  | { kind: 'document'; range: OffsetRange; originRange: OffsetRange }
  | { kind: 'file'; path: string; originRange: OffsetRange };

export function findDefinition(
  model: MlprojectModel,
  offset: number,
  ctx: ProjectContext = {},
): DefinitionTarget | undefined {
  const ph = placeholderAt(model, offset);
  if (ph?.parameter) return { kind: 'document', range: ph.parameter.keyRange, originRange: ph.argRange };
  if (!ctx.projectDir) return undefined;
  const script = scriptAt(model, offset);
  if (script) {
    const path = script.path.startsWith('/') ? script.path : joinPath(ctx, script.path.replace(/^\.\//, ''));
    if (!ctx.files || ctx.files.exists(path)) return { kind: 'file', path, originRange: script.range };
    return undefined;
  }
  const env = envFileAt(model, offset);
  if (env) {
    const path = pyPathJoin(ctx.projectDir, env.path, ctx.pathSeparator ?? '/');
    if (!ctx.files || ctx.files.exists(path)) return { kind: 'file', path, originRange: env.range };
  }
  return undefined;
}
