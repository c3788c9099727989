// What the MLflow output channel is given: server text shown, not obeyed, and secrets scrubbed.
// Pure: no `vscode`, so it is tested directly; logger.ts applies it to every message.
import { escapeHiddenKeepingLines } from '../../../webviews/protocol/displayText.ts';

const SECRET_PATTERNS: [RegExp, string][] = [
  [/(authorization:\s*)(basic|bearer)\s+[^\s,;]+/gi, '$1$2 ***'],
  [/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 ***'],
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, '$1***@'],
  [/((?:password|token|secret)["']?\s*[:=]\s*["']?)[^"'\s,&]+/gi, '$1***'],
  [/\bdapi[0-9a-f]{20,}\b/gi, 'dapi***'],
];

function redact(message: string): string {
  let out = message;
  for (const [re, replacement] of SECRET_PATTERNS) out = out.replace(re, replacement);
  return out;
}

/**
 * A log message as written to the channel. Messages carry server text (MLflow's error messages,
 * the last lines of a process's output), and there a CR, ESC or bidi control could overwrite,
 * colour or reorder what the log says. Every hidden or reordering character of the display rule
 * becomes its visible escape, except the line feeds (a CRLF counts as one) and tabs of a
 * multi-line message such as a stack trace. Escaped first, so a hidden character cannot split a
 * secret away from the pattern that scrubs it.
 */
export function logText(message: string): string {
  // Split at the real line breaks; what is left of CR inside a line is one that would act.
  const lines = message.split(/\r?\n/).map((line) => escapeHiddenKeepingLines(line).replace(/\r/g, '\\r'));
  return redact(lines.join('\n'));
}
