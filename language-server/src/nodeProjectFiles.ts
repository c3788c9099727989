// ProjectFiles over node:fs for the server (and the differential test). Every call is
// synchronous and bounded: analysis needs a handful of existence checks per keystroke.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { DirEntry, ProjectFiles } from './projectContext.ts';

const MAX_ENV_FILE_BYTES = 1_000_000;
const MAX_DIR_ENTRIES = 2_000;

export const nodeProjectFiles: ProjectFiles = {
  exists(absPath: string): boolean {
    try {
      return absPath !== '' && existsSync(absPath);
    } catch {
      return false;
    }
  },
  readText(absPath: string): string | undefined {
    try {
      if (statSync(absPath).size > MAX_ENV_FILE_BYTES) return undefined;
      return readFileSync(absPath, 'utf8');
    } catch {
      return undefined;
    }
  },
  listDir(absDir: string): DirEntry[] {
    try {
      return readdirSync(absDir, { withFileTypes: true })
        .slice(0, MAX_DIR_ENTRIES)
        .map((d) => ({ name: d.name, isDirectory: d.isDirectory() }));
    } catch {
      return [];
    }
  },
};
