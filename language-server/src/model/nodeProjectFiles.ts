// ProjectFiles over node:fs for the server (and the differential test). Every call is
// synchronous and bounded: analysis needs a handful of existence checks per keystroke, and a
// file is read only when it is a regular file under a size cap (a FIFO would block the server
// forever, a link to /dev/urandom never ends).
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readSync, type Stats } from 'node:fs';
import type { DirEntry, FileRefusal, ProjectFiles } from './projectContext.ts';

const MAX_ENV_FILE_BYTES = 1_000_000;
const MAX_DIR_ENTRIES = 2_000;

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/**
 * The text of a regular file of at most `maxBytes`, a refusal saying why it was not read, or
 * undefined when it cannot be opened. O_NONBLOCK makes opening a FIFO return at once; fstat on
 * the open descriptor decides (a link is followed to what it names).
 */
export function readRegularFile(absPath: string, maxBytes: number): string | FileRefusal | undefined {
  let fd: number;
  try {
    // O_NONBLOCK is undefined on Windows, where opening a named pipe does not block this way.
    fd = openSync(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const kind = kindOf(st);
      return { refused: kind === 'not a regular file' ? kind : `${kind}, not a regular file`, irregular: true };
    }
    if (st.size > maxBytes)
      return {
        refused: `${(st.size / 2 ** 20).toFixed(1)} MB; files over ${maxBytes / 1e6} MB are not checked`,
        irregular: false,
      };
    // Read at most one byte past the cap: a file that grew since fstat is refused too.
    const buf = Buffer.alloc(st.size + 1);
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n > maxBytes)
      return { refused: `over ${maxBytes / 1e6} MB; files that large are not checked`, irregular: false };
    return buf.toString('utf8', 0, n);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

export const nodeProjectFiles: ProjectFiles = {
  exists(absPath: string): boolean {
    try {
      return absPath !== '' && existsSync(absPath);
    } catch {
      return false;
    }
  },
  readText(absPath: string): string | FileRefusal | undefined {
    return readRegularFile(absPath, MAX_ENV_FILE_BYTES);
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
