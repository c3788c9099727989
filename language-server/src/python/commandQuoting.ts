// Which `{placeholders}` of a command template sit inside shell quotes. MLflow shell-quotes each
// value itself (shlex.quote), so quotes written around a placeholder fight MLflow's: inside
// "…" its single quotes are literal and `$(…)` in a value runs; inside '…' its quotes close
// the user's, leaving the value unquoted (split into words, `$` and `;` interpreted).
import type { FormatField } from './pythonFormat.ts';
import { shlexQuote } from './shellQuote.ts';

export type ShellQuote = 'single' | 'double';

export interface QuotedField {
  field: FormatField;
  quote: ShellQuote;
  /** Index in the template of the opening quote character. */
  open: number;
  /** Index of the closing quote; undefined when the quote never closes. */
  close: number | undefined;
}

/**
 * The top-level fields of `template` that the shell (bash, POSIX rules) sees inside quotes once
 * MLflow has substituted them. A field's own text is skipped: it is replaced by a value.
 */
export function quotedFields(template: string, fields: readonly FormatField[]): QuotedField[] {
  const sorted = [...fields].sort((a, b) => a.start - b.start);
  const out: QuotedField[] = [];
  let pending: QuotedField[] = [];
  let state: 'none' | ShellQuote = 'none';
  let open = 0;
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    const f = sorted[next];
    if (f && i === f.start) {
      if (state !== 'none') pending.push({ field: f, quote: state, open, close: undefined });
      i = f.end - 1;
      next++;
      continue;
    }
    const c = template[i];
    if (state === 'none') {
      if (c === '\\') i++;
      else if (c === "'" || c === '"') {
        state = c === "'" ? 'single' : 'double';
        open = i;
      }
    } else if (state === 'double' && c === '\\') {
      i++;
    } else if ((state === 'single' && c === "'") || (state === 'double' && c === '"')) {
      for (const q of pending) q.close = i;
      out.push(...pending);
      pending = [];
      state = 'none';
    }
  }
  out.push(...pending);
  return out;
}

/** Characters the shell still interprets inside double quotes. */
const EXPANDS_IN_DOUBLE = /[$`\\"]/;
/** Characters that mean something to the shell outside quotes (besides whitespace). */
const SPECIAL_UNQUOTED = /[$`\\"';&|<>()*?[\]{}~#!]/;

/**
 * Why `value`, substituted into a placeholder inside `quote`, does not reach the program as
 * typed; undefined when it does (shlex.quote leaves safe values bare, so the quotes are harmless).
 */
export function quotingHazard(placeholder: string, quote: ShellQuote, value: string): string | undefined {
  const quoted = shlexQuote(value);
  if (quoted === value) return undefined;
  if (quote === 'double') {
    const expands = EXPANDS_IN_DOUBLE.test(value) ? ', and the shell expands `$`, backticks and `\\` in it' : '';
    return `\`{${placeholder}}\` is inside double quotes in the command. MLflow already shell-quotes the value as ${quoted}; inside double quotes those quotes are literal characters${expands}.`;
  }
  const effects: string[] = [];
  if (/\s/.test(value)) effects.push('it is split into words at spaces');
  if (SPECIAL_UNQUOTED.test(value.replace(/'/g, '')))
    effects.push('the shell interprets `$`, `;`, `*` and the like in it');
  if (effects.length === 0) effects.push('its quote characters change');
  return `\`{${placeholder}}\` is inside single quotes in the command; MLflow's own quotes (${quoted}) close and reopen them, so the value is unquoted: ${effects.join(' and ')}.`;
}
