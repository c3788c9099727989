// How a run reads in the "Compare with…" pick: its name, when it ran, and which parameters differ
// from the run being compared, so the user can find "the run where I changed lr". Pure.
import type { Run } from '../mlflow/types.ts';
import { compareKeys } from './yamlEmitter.ts';
import { runName } from '../mlflow/types.ts';
import { runDescription } from '../runs/format.ts';
import { uiText } from '../../../webviews/protocol/displayText.ts';

export interface CandidateLabel {
  label: string;
  description: string;
  detail: string;
}

/** "lr 0.01 → 0.1, epochs 10 → 20, +seed, −dropout (and 3 more)" relative to `base`. */
export function paramDifferences(base: Run, other: Run, max = 3): string {
  const a = new Map(base.data.params.map((p) => [p.key, p.value]));
  const b = new Map(other.data.params.map((p) => [p.key, p.value]));
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort(compareKeys);
  const diffs: string[] = [];
  for (const k of keys) {
    const va = a.get(k);
    const vb = b.get(k);
    if (va === vb) continue;
    const key = uiText(k, 30);
    if (va === undefined) diffs.push(`+${key}`);
    else if (vb === undefined) diffs.push(`−${key}`);
    else diffs.push(`${key} ${uiText(va, 20)} → ${uiText(vb, 20)}`);
  }
  if (diffs.length === 0) return 'same parameters';
  const shown = diffs.slice(0, max).join(', ');
  return diffs.length > max ? `${shown} (and ${diffs.length - max} more)` : shown;
}

export function candidateLabel(base: Run, other: Run, now = Date.now()): CandidateLabel {
  return {
    label: uiText(runName(other), 80),
    description: runDescription(other, now), // ui-text: runDescription escapes the user name, the rest is ours
    detail: paramDifferences(base, other), // ui-text: paramDifferences escapes each key and value
  };
}
