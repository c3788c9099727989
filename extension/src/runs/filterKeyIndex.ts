// The metric, param and tag keys (and some param/tag values) the filter box completes. No MLflow
// endpoint lists an experiment's keys, so they come from one page of its runs, fetched once per
// experiment and kept until the user asks for a refresh. No `vscode` import.
import type { Run } from '../mlflow/types.ts';
import type { FilterKeys } from './filterSyntax.ts';

/** Runs read per experiment: enough to see the keys of a sweep, one request. */
export const KEY_INDEX_PAGE = 500;
/** Distinct values kept per param or tag: a completion list, not a histogram. */
const VALUES_PER_KEY = 25;

export function filterKeysOf(runs: readonly Run[]): FilterKeys {
  const metrics = new Set<string>();
  const paramValues = new Map<string, Set<string>>();
  const tagValues = new Map<string, Set<string>>();
  const note = (map: Map<string, Set<string>>, key: string, value: string) => {
    let values = map.get(key);
    if (!values) map.set(key, (values = new Set()));
    // Long values (notes, commands) are no help in a one-line box.
    if (values.size < VALUES_PER_KEY && value.length <= 80) values.add(value);
  };
  for (const r of runs) {
    for (const m of r.data.metrics) metrics.add(m.key);
    for (const p of r.data.params) note(paramValues, p.key, p.value);
    for (const t of r.data.tags) note(tagValues, t.key, t.value);
  }
  const sorted = (keys: Iterable<string>) => [...keys].sort((a, b) => a.localeCompare(b));
  const values = (map: Map<string, Set<string>>) => new Map([...map].map(([k, v]) => [k, sorted(v)] as const));
  return {
    metrics: sorted(metrics),
    params: sorted(paramValues.keys()),
    tags: sorted(tagValues.keys()),
    paramValues: values(paramValues),
    tagValues: values(tagValues),
  };
}

export class FilterKeyIndex {
  private readonly cache = new Map<string, Promise<FilterKeys>>();
  private readonly fetchRuns: (serverId: string, experimentId: string) => Promise<readonly Run[]>;

  /** `fetchRuns` reads one page of the experiment's runs (KEY_INDEX_PAGE). */
  constructor(fetchRuns: (serverId: string, experimentId: string) => Promise<readonly Run[]>) {
    this.fetchRuns = fetchRuns;
  }

  keys(serverId: string, experimentId: string, opts: { refresh?: boolean } = {}): Promise<FilterKeys> {
    const id = JSON.stringify([serverId, experimentId]);
    let keys = this.cache.get(id);
    if (!keys || opts.refresh) {
      keys = this.fetchRuns(serverId, experimentId).then(filterKeysOf);
      this.cache.set(id, keys);
      // A failed read is not cached: the next open of the box tries again.
      keys.catch(() => {
        if (this.cache.get(id) === keys) this.cache.delete(id);
      });
    }
    return keys;
  }
}
