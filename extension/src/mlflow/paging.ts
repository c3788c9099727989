// The one loop that walks a paged MLflow search. Every paged read goes through PageCursor, so a
// server that repeats a next_page_token, or never stops handing out new ones, cannot keep the
// client asking forever while the results pile up in memory.
import { createHash } from 'node:crypto';
import type { Page } from './types.ts';

/** The most pages one operation reads (1,000 × MLflow's usual 1,000 per page is a million items). */
export const DEFAULT_MAX_PAGES = 1000;

/** A list read page by page; `incomplete` says, for the user, why reading stopped early. */
export type Collected<T> = T[] & { incomplete?: string };

export interface PageCursorOptions {
  /** What is being listed, for the message: "experiments", "runs", "points of loss". */
  what: string;
  maxPages?: number;
  startToken?: string;
}

export class PageCursor<T> {
  /** Why the walk stopped before the server's last page (shown to the user), if it did. */
  stopped: string | undefined;
  private readonly fetchPage: (pageToken: string | undefined, signal?: AbortSignal) => Promise<Page<T>>;
  private readonly what: string;
  private readonly maxPages: number;
  // Digests, not the tokens: a hostile server's tokens can be megabytes each.
  private readonly seen = new Set<string>();
  private token: string | undefined;
  private pages = 0;
  private finished = false;

  constructor(
    fetchPage: (pageToken: string | undefined, signal?: AbortSignal) => Promise<Page<T>>,
    opts: PageCursorOptions,
  ) {
    this.fetchPage = fetchPage;
    this.what = opts.what;
    this.maxPages = Math.max(1, opts.maxPages ?? DEFAULT_MAX_PAGES);
    this.token = opts.startToken;
    if (this.token !== undefined) this.seen.add(digest(this.token));
  }

  /** True after the last page, or after the walk was stopped (see `stopped`). */
  get done(): boolean {
    return this.finished;
  }

  get pagesRead(): number {
    return this.pages;
  }

  /** The next page's items; an empty list once done. A failed fetch can be retried by calling again. */
  async next(signal?: AbortSignal): Promise<T[]> {
    if (this.finished) return [];
    const page = await this.fetchPage(this.token, signal);
    this.pages++;
    const next = page.nextPageToken;
    if (!next) {
      this.finish(undefined);
    } else if (this.seen.has(digest(next))) {
      this.finish(
        `Stopped reading ${this.what} after ${plural(this.pages, 'page')}: the server sent the same page token again, so later pages would repeat. Showing what arrived until then.`,
      );
    } else if (this.pages >= this.maxPages) {
      this.finish(
        `Stopped reading ${this.what} after ${plural(this.pages, 'page')}, the most one listing reads. Showing what arrived until then; narrow the search to see the rest.`,
      );
    } else {
      this.seen.add(digest(next));
      this.token = next;
    }
    return page.items;
  }

  private finish(reason: string | undefined): void {
    this.finished = true;
    this.token = undefined;
    this.stopped = reason;
  }
}

/** Every page, or as many as the cursor allows (then `incomplete` says why). */
export async function collectPages<T>(
  fetchPage: (pageToken: string | undefined, signal?: AbortSignal) => Promise<Page<T>>,
  opts: PageCursorOptions,
): Promise<Collected<T>> {
  const cursor = new PageCursor(fetchPage, opts);
  const all: Collected<T> = [];
  while (!cursor.done) {
    // One push per item: a spread of a 25,000-point page can overflow the stack.
    for (const item of await cursor.next()) all.push(item);
  }
  if (cursor.stopped !== undefined) all.incomplete = cursor.stopped;
  return all;
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
