// What the analysis may know about the project around the MLproject file. The pure modules only
// see this interface; server.ts backs it with node:fs, tests with an in-memory map.

export interface DirEntry {
  name: string;
  isDirectory: boolean;
}

/** Why a file that exists was not read (not a regular file, or too large). */
export interface FileRefusal {
  refused: string;
  /** A FIFO, device or socket: MLflow itself would block or never finish reading it. */
  irregular: boolean;
}

export interface ProjectFiles {
  exists(absPath: string): boolean;
  /** undefined: unreadable; a FileRefusal: deliberately not read. */
  readText?(absPath: string): string | FileRefusal | undefined;
  listDir?(absDir: string): DirEntry[];
}

export interface ProjectContext {
  /** Absolute directory holding the MLproject; undefined for unsaved documents. */
  projectDir?: string;
  files?: ProjectFiles;
  pathSeparator?: '/' | '\\';
}

export interface ValidationSettings {
  /** `mlflow.mlproject.hintUncheckedTypes`: hint on `int`, `bool`, … which MLflow never checks. */
  hintUncheckedTypes: boolean;
}

export const DEFAULT_SETTINGS: ValidationSettings = { hintUncheckedTypes: true };

export function joinPath(ctx: ProjectContext, ...parts: string[]): string {
  const sep = ctx.pathSeparator ?? '/';
  let out = ctx.projectDir ?? '';
  for (const p of parts) {
    if (p.startsWith('/') || (sep === '\\' && /^[A-Za-z]:[\\/]/.test(p))) out = p;
    else out = out === '' || out.endsWith(sep) || out.endsWith('/') ? out + p : out + sep + p;
  }
  return out;
}
