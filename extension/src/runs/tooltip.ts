// Tooltips of the MLflow views: untrusted Markdown (no command links, no HTML) in which server
// strings go in through appendText/appendCodeblock, which here also apply the display rule shared
// by every view (escapeHidden), so a U+202E in a run name shows as \u202e instead of reversing
// the tooltip's line. Markdown itself (an MLflow note) goes in only through appendMarkdown.
import * as vscode from 'vscode';
import { escapeHidden } from '../../../webviews/protocol/displayText.ts';

export function tooltipMarkdown(build: (md: vscode.MarkdownString) => void): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.supportHtml = false;
  md.isTrusted = false;
  // Wrapping the instance's own methods keeps every call site as it reads in VS Code's API while
  // no server string can skip the rule.
  const appendText = md.appendText.bind(md);
  const appendCodeblock = md.appendCodeblock.bind(md);
  md.appendText = (value: string) => appendText(escapeHidden(value));
  md.appendCodeblock = (value: string, language?: string) => appendCodeblock(escapeHidden(value), language);
  build(md);
  return md;
}
