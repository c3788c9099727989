// How any string that came from a server is shown: the one display rule shared by the extension
// (tree, notifications, quick picks, prompts, status bar, diff document) and the webviews (chart
// legend, leaderboard). Pure: no `vscode`, no DOM, so both sides import it and it is unit-tested.
//
// The rule: characters that are invisible or that reorder the rest of a line are shown as visible
// escapes (`\n`, `\u0007`, `\u202e`) instead of acting. That is
// - C0 controls, DEL and C1 controls (a newline must not break a one-line label, ESC must not
//   reach a terminal-like renderer);
// - U+2028/U+2029, line and paragraph separators (line breaks in disguise);
// - the bidi embeddings and overrides U+202A–U+202E and isolates U+2066–U+2069: one RLO in a run
//   name reverses the rest of the line, so `evil\u202etxt.exe` reads as `evilexe.txt`;
// - the bidi marks LRM U+200E, RLM U+200F and ALM U+061C. They cannot reverse a line, but they
//   reorder neutral characters around them (digits, `<`, `.`) and are invisible, so two different
//   names can look the same. Hebrew or Arabic text lays out correctly without them (its letters are
//   strongly directional), so the cost of showing them is small next to a spoofed name.
// - the zero-width space U+200B, word joiner U+2060, invisible operators U+2061–U+2064, soft
//   hyphen U+00AD and BOM U+FEFF: invisible, so `train` and `tr\u200bain` would look the same.
// Left alone on purpose: ZWJ U+200D and the variation selectors (they build emoji such as 👩‍💻 and
// ❤️ that people do put in run names) and look-alike spaces; the diff document escapes those too,
// because there an invisible difference is the whole point (see diff/yamlEmitter.ts).
// A backslash is not doubled: Windows paths stay readable, and a literal `\n` in a name is only
// ambiguous to read, never active.

/** Whether a code point is shown as an escape in every view (see the rule above). */
export function isHiddenOrReordering(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0xad ||
    cp === 0x061c ||
    cp === 0x200b ||
    cp === 0x200e ||
    cp === 0x200f ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0xfeff
  );
}

// The same set as a regex, for a fast replace over whole strings.
const HIDDEN =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** The visible escape of one character: `\t`, `\n`, `\r`, else `\u` and four lowercase hex digits. */
export function visibleEscape(ch: string): string {
  if (ch === '\t') return '\\t';
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  return '\\u' + (ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0');
}

/** The string with every hidden or reordering character shown as its escape; nothing else changes. */
export function escapeHidden(s: string): string {
  return s.replace(HIDDEN, visibleEscape);
}

/**
 * The same rule for multi-line text (an MLflow note rendered as Markdown, a multi-line tooltip):
 * tab, LF and CR stay as they are; every other hidden or reordering character becomes its escape.
 */
export function escapeHiddenKeepingLines(s: string): string {
  return s.replace(HIDDEN, (ch) => (ch === '\t' || ch === '\n' || ch === '\r' ? ch : visibleEscape(ch)));
}

/** Cuts to at most `max` UTF-16 units with a trailing `…`, never inside a surrogate pair. */
function capLength(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = Math.max(0, max - 1);
  const last = s.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return s.slice(0, cut) + '…';
}

/** A server string for a label, legend entry or table cell: hidden characters escaped, length capped. */
export function displayText(s: string, max = 200): string {
  return capLength(escapeHidden(s), max);
}

/**
 * A server string for VS Code's own UI: notifications, quick pick items, input box prompts, the
 * status bar and tree labels. On top of displayText, it breaks the `[label](command:…)` link syntax
 * those places render as a clickable link (VS Code's linkedText: `[text](https://…|command:…|file:…)`),
 * so a run name or an MLflow error message can never run a command when clicked. `](` becomes
 * `] (`: the text still reads the same, and no link can form. Codicon syntax `$(name)` is left
 * alone: where it renders (quick picks, status bar) it draws a glyph and cannot act.
 */
export function uiText(s: string, max = 400): string {
  return displayText(s.replace(/\]\(/g, '] ('), max);
}
