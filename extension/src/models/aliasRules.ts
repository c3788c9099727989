// What an alias may be called and what setting one does, decided before any request so the input
// box can say it as the user types and a move is confirmed before it happens. Pure: no `vscode`.
import type { ModelVersion, RegisteredModel } from '../mlflow/types.ts';

/** MLflow's own rules (spec §3.8): the message it would answer with, or undefined when valid. */
export function aliasNameProblem(alias: string): string | undefined {
  if (alias === '') return 'An alias needs a name.';
  if (alias.length > 255) return 'An alias has at most 255 characters.';
  if (!/^[\w-]+$/.test(alias)) return 'Only letters, digits, underscores (_) and dashes (-).';
  if (alias.toLowerCase() === 'latest') return "'latest' is reserved (models:/<name>@latest is the newest version).";
  if (/^v\d+$/i.test(alias)) return `'${alias}' is reserved: v<number> names a version.`;
  return undefined;
}

export type AliasChange =
  | { kind: 'create' }
  /** The alias already points at this version: nothing to do. */
  | { kind: 'unchanged' }
  /** The alias points at another version, which loses it. */
  | { kind: 'move'; from: string };

export function aliasChange(model: Pick<RegisteredModel, 'aliases'>, alias: string, version: string): AliasChange {
  const current = model.aliases.find((a) => a.alias === alias);
  if (!current) return { kind: 'create' };
  return current.version === version ? { kind: 'unchanged' } : { kind: 'move', from: current.version };
}

/**
 * The versions with the aliases the model lists for them: model-versions/search leaves every
 * version's `aliases` empty, and registered-models/get has them all. Newest first, by number.
 */
export function versionsWithAliases(
  versions: readonly ModelVersion[],
  model: Pick<RegisteredModel, 'aliases'>,
): ModelVersion[] {
  return versions
    .map((v) => {
      const aliases = model.aliases
        .filter((a) => a.version === v.version)
        .map((a) => a.alias)
        .sort();
      return { ...v, aliases };
    })
    .sort((a, b) => Number(b.version) - Number(a.version));
}
