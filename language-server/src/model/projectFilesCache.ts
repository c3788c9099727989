// Existence checks and env-file reads, remembered for a moment: validating a big MLproject asks
// about the same few hundred paths (scripts, `path` defaults) on every keystroke, and those
// system calls were the largest part of an edit's validation. The server clears the cache when
// the client reports file changes; the time limit bounds how stale an unwatched file can be.
import type { DirEntry, FileRefusal, ProjectFiles } from './projectContext.ts';

export interface CachedProjectFiles extends ProjectFiles {
  /** Forget everything (files changed on disk). */
  clear(): void;
}

export function cachedProjectFiles(
  inner: ProjectFiles,
  maxAgeMs: number,
  now: () => number = () => performance.now(),
): CachedProjectFiles {
  let born = now();
  const exists = new Map<string, boolean>();
  const texts = new Map<string, string | FileRefusal | undefined>();
  const dirs = new Map<string, DirEntry[]>();
  const fresh = (): void => {
    if (now() - born <= maxAgeMs) return;
    exists.clear();
    texts.clear();
    dirs.clear();
    born = now();
  };
  const remember = <T>(map: Map<string, T>, key: string, compute: () => T): T => {
    fresh();
    if (map.has(key)) return map.get(key) as T;
    const v = compute();
    map.set(key, v);
    return v;
  };
  const readText = inner.readText?.bind(inner);
  const listDir = inner.listDir?.bind(inner);
  return {
    exists: (p) => remember(exists, p, () => inner.exists(p)),
    ...(readText ? { readText: (p: string) => remember(texts, p, () => readText(p)) } : {}),
    ...(listDir ? { listDir: (d: string) => remember(dirs, d, () => listDir(d)) } : {}),
    clear: () => {
      exists.clear();
      texts.clear();
      dirs.clear();
      born = now();
    },
  };
}
