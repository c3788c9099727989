// What the analysis may know about the project around the MLproject file. The pure modules only
// see this interface; server.ts backs it with node:fs, tests with an in-memory map.

export interface DirEntry {
  name: string;
  isDirectory: boolean;
}

export interface ProjectFiles {
  exists(absPath: string): boolean;
  readText?(absPath: string): string | undefined;
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
