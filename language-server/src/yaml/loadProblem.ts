// A reason PyYAML would refuse (or silently reinterpret) MLproject text. Its own module because
// both the loader (pyyamlLoad.ts) and the syntax checks it runs (pyyamlSyntax.ts) produce them.
import type { OffsetRange } from '../text/textPositions.ts';

export type LoadProblemCode =
  | 'yaml-syntax'
  | 'yaml-control-character'
  | 'yaml-tab'
  | 'yaml-multiple-documents'
  | 'yaml-directive'
  | 'yaml-alias'
  | 'yaml-duplicate-anchor'
  | 'yaml-tag'
  | 'yaml-scalar'
  | 'yaml-unhashable-key'
  | 'yaml-merge'
  | 'yaml-too-deep'
  | 'yaml-duplicate-key'
  | 'too-large';

export interface LoadProblem {
  code: LoadProblemCode;
  range: OffsetRange;
  message: string;
  /** false: PyYAML loads it (duplicate keys); true: yaml.safe_load raises. */
  fatal: boolean;
  /** For duplicate keys: the range of the occurrence that wins. */
  related?: OffsetRange;
  keyName?: string;
}
