// The diagnostic shape every validator produces: an LSP Diagnostic whose `data` carries the
// quick fixes computed alongside it, so code actions need no second analysis.
import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import type { LineIndex, OffsetRange } from '../text/textPositions.ts';

/** More than this helps nobody and slows the editor; the rest is summarised in one line. */
export const MAX_DIAGNOSTICS = 1000;

// LSP DiagnosticSeverity values (the enum object lives in a runtime package we do not import here).
export const Severity = { Error: 1, Warning: 2, Information: 3, Hint: 4 } as const;
export type SeverityValue = (typeof Severity)[keyof typeof Severity];

const DIAGNOSTIC_SOURCE = 'MLproject';

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

export interface MlprojectDiagnostic extends Diagnostic {
  code: string;
  message: string;
  data?: { fixes: QuickFix[] };
}

export class DiagnosticSink {
  readonly items: MlprojectDiagnostic[] = [];
  readonly lines: LineIndex;
  /** The document's line break, for inserted lines. */
  readonly eol: string;
  dropped = 0;

  constructor(lines: LineIndex) {
    this.lines = lines;
    this.eol = lines.text.includes('\r\n') ? '\r\n' : '\n';
  }

  /** Validators stop looking once this is true; further problems would only be counted. */
  get full(): boolean {
    return this.items.length >= MAX_DIAGNOSTICS;
  }

  add(
    range: OffsetRange,
    severity: SeverityValue,
    code: string,
    message: string,
    fixes?: QuickFix[],
  ): MlprojectDiagnostic {
    if (this.items.length >= MAX_DIAGNOSTICS) this.dropped++;
    const d: MlprojectDiagnostic = {
      range: this.lines.rangeOf(range),
      severity,
      code,
      source: DIAGNOSTIC_SOURCE,
      message,
    };
    if (fixes && fixes.length > 0) d.data = { fixes };
    if (this.items.length < MAX_DIAGNOSTICS) this.items.push(d);
    return d;
  }

  error(range: OffsetRange, code: string, message: string, fixes?: QuickFix[]): MlprojectDiagnostic {
    return this.add(range, Severity.Error, code, message, fixes);
  }

  warning(range: OffsetRange, code: string, message: string, fixes?: QuickFix[]): MlprojectDiagnostic {
    return this.add(range, Severity.Warning, code, message, fixes);
  }

  info(range: OffsetRange, code: string, message: string, fixes?: QuickFix[]): MlprojectDiagnostic {
    return this.add(range, Severity.Information, code, message, fixes);
  }

  hint(range: OffsetRange, code: string, message: string, fixes?: QuickFix[]): MlprojectDiagnostic {
    return this.add(range, Severity.Hint, code, message, fixes);
  }

  edit(range: OffsetRange, newText: string): TextEdit {
    return { range: this.lines.rangeOf(range), newText };
  }
}

/** Edit distance counting an adjacent transposition as one edit (`flaot` → `float`), capped. */
export function editDistance(a: string, b: string, cap = 4): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const up = rows[i - 1] as number[];
      let v = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, ((rows[i - 2] as number[])[j - 2] ?? 0) + 1);
      row.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] ?? cap + 1;
}

/** The closest candidate within a distance that scales with length, case-insensitively. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    if (lc === w) return c;
    const limit = Math.max(1, Math.min(3, Math.floor(c.length / 3)));
    const d = editDistance(w, lc, limit);
    const prefixHit = lc.length >= 4 && (w.startsWith(lc) || lc.startsWith(w)) && w.length >= 3;
    const score = prefixHit ? Math.min(d, limit) : d;
    if (score <= limit && score < bestDistance) {
      best = c;
      bestDistance = score;
    }
  }
  return best;
}
