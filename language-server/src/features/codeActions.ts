// Quick fixes: the fixes each diagnostic carries (computed by the validators), for the
// diagnostics that touch the requested range.
import type { Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import type { MlprojectDiagnostic } from './diagnostics.ts';

export interface QuickFixAction {
  title: string;
  edits: TextEdit[];
  diagnostic: Diagnostic;
  preferred: boolean;
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function intersects(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

export function quickFixes(
  diagnostics: MlprojectDiagnostic[],
  range: Range,
  only?: Array<{ code?: string | number; range: Range }>,
): QuickFixAction[] {
  const out: QuickFixAction[] = [];
  for (const d of diagnostics) {
    if (!d.data?.fixes.length || !intersects(d.range, range)) continue;
    if (only && only.length > 0 && !only.some((o) => o.code === d.code && intersects(o.range, d.range))) continue;
    for (const f of d.data.fixes) out.push({ title: f.title, edits: f.edits, diagnostic: d, preferred: !!f.preferred });
  }
  return out;
}
