// Where a run's source lives, from its tags: `mlflow.source.name` is a script path for runs of
// scripts (absolute, on the machine that ran it) and `file://<work tree>#<subdir>` or
// `<git url>#<subdir>` for MLflow Projects (mlflow-spec §2.4). The machine that ran the code may
// not be this one, so a script path is matched against a local repository by its longest
// suffix that exists there. Pure: the caller checks which candidates exist.

export type RunSource =
  | {
      kind: 'file';
      /** Path segments as recorded, for suffix matching. */ segments: string[];
      /** The path as recorded, '/'-separated. */ path: string;
    }
  | {
      kind: 'project';
      /** The recorded work tree (a local path), if the source was a local folder. */ worktree?: string;
      /** Project folder relative to the repository root ('' = the root). */ subdir: string;
    };

/**
 * Whether a `mlflow.source.git.commit` value is a Git object name: 7 to 64 hex digits (a short or
 * full SHA-1 or SHA-256). Only such a value is handed to Git. The Git extension's getCommit, show and
 * diffWith put the ref before `--`, so a tag such as `--output=/home/me/.bashrc` would be read as
 * an option and make git overwrite that file; anyone who can tag a run could set it.
 */
export function isGitObjectName(commit: string): boolean {
  return /^[0-9a-fA-F]{7,64}$/.test(commit);
}

function splitPath(p: string): string[] {
  return p.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
}

function decodeUriPath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

/**
 * Reads `mlflow.source.name` (with `mlflow.source.type` when known). Returns undefined for a
 * source that names no file or project we could find locally (e.g. an empty value).
 */
export function parseRunSource(sourceName: string, sourceType?: string): RunSource | undefined {
  const name = sourceName.trim();
  if (name === '') return undefined;
  const hash = name.indexOf('#');
  const uriMatch = /^([a-zA-Z][a-zA-Z0-9+.-]+):\/\//.exec(name);
  if (uriMatch) {
    const scheme = (uriMatch[1] ?? '').toLowerCase();
    const beforeHash = hash >= 0 ? name.slice(0, hash) : name;
    const fragment = hash >= 0 ? name.slice(hash + 1) : '';
    if (scheme === 'file') {
      const local = decodeUriPath(beforeHash.slice('file://'.length));
      if (sourceType === 'PROJECT' || hash >= 0)
        return { kind: 'project', worktree: local, subdir: splitPath(fragment).join('/') };
      const segments = splitPath(local);
      return segments.length ? { kind: 'file', segments, path: segments.join('/') } : undefined;
    }
    // A remote Git project: the fragment is the folder inside the repository.
    return { kind: 'project', subdir: splitPath(fragment).join('/') };
  }
  if (sourceType === 'PROJECT') {
    // A local project outside a Git work tree is recorded as its absolute path.
    return { kind: 'project', worktree: name, subdir: '' };
  }
  const segments = splitPath(name);
  return segments.length ? { kind: 'file', segments, path: segments.join('/') } : undefined;
}

/** Whether `path` is `root` or inside it (both '/'-separated, compared segment-wise). */
function relativeTo(root: string, path: string): string | undefined {
  const r = splitPath(root);
  const p = splitPath(path);
  if (p.length < r.length) return undefined;
  for (let i = 0; i < r.length; i++) if (r[i] !== p[i]) return undefined;
  return p.slice(r.length).join('/');
}

/**
 * Repository-relative paths to try for a recorded script path, best first: the exact relative
 * path when the recorded path is inside `repoRoot`, then every suffix of the recorded path from
 * longest to shortest (the run may come from another machine or checkout location).
 */
export function candidateRelativePaths(source: Extract<RunSource, { kind: 'file' }>, repoRoot: string): string[] {
  const out: string[] = [];
  const exact = relativeTo(repoRoot, '/' + source.path);
  if (exact) out.push(exact);
  for (let i = 0; i < source.segments.length; i++) {
    const rel = source.segments.slice(i).join('/');
    if (!out.includes(rel)) out.push(rel);
  }
  return out;
}

/** The project folder relative to the repository root. */
export function projectFolder(source: Extract<RunSource, { kind: 'project' }>, repoRoot: string): string {
  if (source.subdir) return source.subdir;
  if (source.worktree) return relativeTo(repoRoot, source.worktree) ?? '';
  return '';
}

/** Whether a '/'-separated repository-relative path lies inside `folder` ('' = everything). */
export function isInFolder(relPath: string, folder: string): boolean {
  if (folder === '') return true;
  return relPath === folder || relPath.startsWith(folder.replace(/\/+$/, '') + '/');
}
