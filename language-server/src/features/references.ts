// References and rename of a parameter: its declaration key and every `{placeholder}` naming it
// in its entry point's command. Works from either end.
import type { TextEdit } from 'vscode-languageserver-types';
import type { MlprojectModel } from '../model/mlprojectModel.ts';
import { parameterAt, placeholdersOf, type ParameterHit } from '../model/modelLookup.ts';
import { resolvePlainScalar } from '../yaml/pyyamlScalars.ts';
import type { OffsetRange } from '../text/textPositions.ts';

export function parameterReferences(
  model: MlprojectModel,
  offset: number,
  includeDeclaration: boolean,
): OffsetRange[] | undefined {
  const hit = parameterAt(model, offset);
  if (!hit) return undefined;
  const refs = placeholdersOf(hit.entryPoint, hit.parameter.name).map((h) => h.argRange);
  return includeDeclaration ? [hit.parameter.keyRange, ...refs] : refs;
}

export interface PrepareRenameResult {
  range: OffsetRange;
  placeholder: string;
}

/** Why a rename is refused, for the client to show. */
export class RenameError extends Error {}

function renamable(hit: ParameterHit): void {
  if (hit.parameter.key.kind !== 'str') throw new RenameError('Only parameters with string names can be renamed.');
  const ep = hit.entryPoint;
  if (ep.command !== undefined && !ep.commandMap?.exact) {
    throw new RenameError(
      'The command is written in a way whose placeholders cannot be located exactly; rename it by hand.',
    );
  }
}

export function prepareRename(model: MlprojectModel, offset: number): PrepareRenameResult | undefined {
  const hit = parameterAt(model, offset);
  if (!hit) return undefined;
  renamable(hit);
  const atKey = offset >= hit.parameter.keyRange.start && offset <= hit.parameter.keyRange.end;
  const range = atKey
    ? hit.parameter.keyRange
    : (placeholdersOf(hit.entryPoint, hit.parameter.name).find(
        (h) => offset >= h.argRange.start && offset <= h.argRange.end,
      )?.argRange ?? hit.parameter.keyRange);
  return { range, placeholder: hit.parameter.name };
}

const VALID_PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function renameParameter(model: MlprojectModel, offset: number, newName: string): TextEdit[] | undefined {
  const hit = parameterAt(model, offset);
  if (!hit) return undefined;
  renamable(hit);
  if (!VALID_PARAMETER_NAME.test(newName)) {
    throw new RenameError(
      `\`${newName}\` cannot be referenced as a placeholder; use letters, digits, \`_\` and \`-\`, starting with a letter or \`_\`.`,
    );
  }
  if (newName !== hit.parameter.name && hit.entryPoint.parameters.some((p) => p.name === newName)) {
    throw new RenameError(`Entry point \`${hit.entryPoint.name}\` already has a parameter \`${newName}\`.`);
  }
  const key = hit.parameter.key;
  const needsQuotes = resolvePlainScalar(newName) !== 'str';
  const keyText =
    key.style === 'double' || (needsQuotes && key.style !== 'single')
      ? `"${newName}"`
      : key.style === 'single'
        ? `'${newName}'`
        : newName;
  const lines = model.lines;
  const edits: TextEdit[] = [{ range: lines.rangeOf(hit.parameter.keyRange), newText: keyText }];
  for (const h of placeholdersOf(hit.entryPoint, hit.parameter.name))
    edits.push({ range: lines.rangeOf(h.argRange), newText: newName });
  return edits;
}
