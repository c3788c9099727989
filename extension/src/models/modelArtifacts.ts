// Where a run logged its models: the artifact directories holding an `MLmodel` file, found by
// listing the run's artifact tree (the API lists one level per call). Pure: the listing is passed
// in, so the same walk runs against a real server in the integration test.
import type { FileInfo } from '../mlflow/types.ts';

export interface ModelDirSearch {
  /** Model directories found, sorted; '' is the artifact root itself. */
  dirs: string[];
  /** Set when the walk stopped at its bound before seeing every directory. */
  truncated: boolean;
}

/**
 * Breadth first, at most `maxListings` calls and `maxDepth` levels: a run with thousands of
 * artifact folders must not cost thousands of requests before the pick opens. A model directory
 * is not descended into (its own subfolders, such as `code/`, are not models).
 */
export async function findModelDirs(
  list: (path: string) => Promise<FileInfo[]>,
  opts: { maxListings?: number; maxDepth?: number } = {},
): Promise<ModelDirSearch> {
  const maxListings = opts.maxListings ?? 200;
  const maxDepth = opts.maxDepth ?? 4;
  const dirs: string[] = [];
  let queue: string[] = [''];
  let listings = 0;
  for (let depth = 0; depth <= maxDepth && queue.length > 0; depth++) {
    const next: string[] = [];
    for (const path of queue) {
      if (listings >= maxListings) return { dirs: dirs.sort(), truncated: true };
      listings++;
      const files = await list(path);
      if (files.some((f) => !f.is_dir && baseName(f.path) === 'MLmodel')) {
        dirs.push(path);
        continue;
      }
      for (const f of files) if (f.is_dir) next.push(f.path);
    }
    queue = next;
  }
  return { dirs: dirs.sort(), truncated: queue.length > 0 };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** MLflow's registry refuses names with `/` or `:` (spec §6.1); an empty one means nothing. */
export function modelNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'A model needs a name.';
  if (/[/:]/.test(name)) return "A model name cannot contain '/' or ':'.";
  return undefined;
}
