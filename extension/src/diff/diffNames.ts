// Names that appear in tab and diff-editor titles: a run's name made safe for one line and for a
// URI path segment, the "A ↔ B" titles, and which run goes on which side. Pure.
import type { Run } from '../mlflow/types.ts';
import { runName } from '../mlflow/types.ts';
import { uiText } from '../../../webviews/protocol/displayText.ts';

/** Run names, keys and file names in tab and diff titles (uiText, the one display rule, caps them). */
const TITLE_MAX = 60;

/**
 * The last path segment of a run document's URI: the run's name as a file name ending in
 * `.yaml` (so the editor picks YAML and the tab reads well). Slashes and characters that file
 * names or URIs treat specially are replaced; the run id elsewhere in the URI identifies the run.
 */
export function documentFileName(name: string): string {
  return `${pathSegment(name, 'run')}.yaml`;
}

/** A name as one URI path segment that reads as itself in tabs and breadcrumbs (`fallback` when empty). */
export function pathSegment(name: string, fallback: string): string {
  const base = uiText(name.trim(), 80)
    .replace(/[/\\:*?"<>|#%]/g, '_')
    .replace(/^\.+/, '_');
  return base || fallback;
}

/** "name" or, when the two names are the same, "name (1a2b3c4)" so the sides can be told apart. */
function sideNames(a: Run, b: Run): [string, string] {
  const na = uiText(runName(a), TITLE_MAX);
  const nb = uiText(runName(b), TITLE_MAX);
  if (na !== nb) return [na, nb];
  return [`${na} (${a.info.run_id.slice(0, 7)})`, `${nb} (${b.info.run_id.slice(0, 7)})`];
}

/**
 * `taken(title)`: whether another comparison's tab already has that title. Then both sides carry
 * their short ids, so two comparisons of same-named runs (a re-run sweep) are never titled alike.
 */
export function runDiffTitle(left: Run, right: Run, taken: (title: string) => boolean = () => false): string {
  const [a, b] = sideNames(left, right);
  const title = `${a} ↔ ${b}`;
  if (!taken(title)) return title;
  const [ia, ib] = withIds(left, right);
  return `${ia} ↔ ${ib}`;
}

export function artifactDiffTitle(
  path: string,
  left: Run,
  right: Run,
  taken: (title: string) => boolean = () => false,
): string {
  const file = uiText(path.split('/').pop() || path, TITLE_MAX);
  const [a, b] = sideNames(left, right);
  const title = `${file} (${a} ↔ ${b})`;
  if (!taken(title)) return title;
  const [ia, ib] = withIds(left, right);
  return `${file} (${ia} ↔ ${ib})`;
}

function withIds(a: Run, b: Run): [string, string] {
  return [
    `${uiText(runName(a), TITLE_MAX)} (${a.info.run_id.slice(0, 7)})`,
    `${uiText(runName(b), TITLE_MAX)} (${b.info.run_id.slice(0, 7)})`,
  ];
}

/** Older run on the left, so the diff reads as "what changed from the earlier run". */
export function chronological(a: Run, b: Run): [Run, Run] {
  const ta = a.info.start_time ?? 0;
  const tb = b.info.start_time ?? 0;
  if (ta !== tb) return ta < tb ? [a, b] : [b, a];
  return a.info.run_id <= b.info.run_id ? [a, b] : [b, a];
}

export function shortSha(commit: string): string {
  return commit.slice(0, 7);
}

export function sourceDiffTitle(relativePath: string, commit: string): string {
  return `${uiText(relativePath.split('/').pop() || relativePath, TITLE_MAX)} @ ${shortSha(commit)} ↔ working tree`;
}
