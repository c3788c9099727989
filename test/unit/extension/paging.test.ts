// PageCursor is the one paging loop; a server's tokens decide how long it runs, so it must end
// on any repeat (not only the last token) and at its page bound, keeping what it read.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectPages, PageCursor } from '../../../extension/src/mlflow/paging.ts';
import type { Page } from '../../../extension/src/mlflow/types.ts';

/** A server answering from a script of next tokens; records the tokens it was asked with. */
function scripted(tokens: (string | undefined)[]) {
  const asked: (string | undefined)[] = [];
  const fetch = async (token: string | undefined): Promise<Page<number>> => {
    asked.push(token);
    const i = asked.length - 1;
    const next = tokens[i];
    return next === undefined ? { items: [i] } : { items: [i], nextPageToken: next };
  };
  return { asked, fetch };
}

describe('PageCursor', () => {
  test('walks to the last page and reports nothing', async () => {
    const s = scripted(['a', 'b', undefined]);
    const all = await collectPages(s.fetch, { what: 'runs' });
    assert.deepEqual([...all], [0, 1, 2]);
    assert.deepEqual(s.asked, [undefined, 'a', 'b']);
    assert.equal(all.incomplete, undefined);
  });

  test('stops when any earlier token comes back, not only the last one', async () => {
    const s = scripted(['a', 'b', 'a', 'c']);
    const all = await collectPages(s.fetch, { what: 'runs' });
    assert.deepEqual([...all], [0, 1, 2], 'the page that repeated is kept');
    assert.deepEqual(s.asked, [undefined, 'a', 'b']);
    assert.match(all.incomplete ?? '', /Stopped reading runs after 3 pages: the server sent the same page token again/);
  });

  test('a resumed walk treats its start token as seen', async () => {
    const s = scripted(['start']);
    const all = await collectPages(s.fetch, { what: 'runs', startToken: 'start' });
    assert.deepEqual(s.asked, ['start']);
    assert.match(all.incomplete ?? '', /same page token/);
  });

  test('ends at its page bound with a message, keeping every page read', async () => {
    const s = scripted(Array.from({ length: 100 }, (_, i) => `t${i}`));
    const all = await collectPages(s.fetch, { what: 'experiments', maxPages: 5 });
    assert.equal(all.length, 5);
    assert.equal(s.asked.length, 5);
    assert.match(all.incomplete ?? '', /Stopped reading experiments after 5 pages, the most one listing reads/);
  });

  test('a failed page can be fetched again from the same place', async () => {
    let fail = true;
    const asked: (string | undefined)[] = [];
    const cursor = new PageCursor<number>(
      async (token) => {
        asked.push(token);
        if (token === 'a' && fail) {
          fail = false;
          throw new Error('reset');
        }
        return token === undefined ? { items: [1], nextPageToken: 'a' } : { items: [2] };
      },
      { what: 'runs' },
    );
    assert.deepEqual(await cursor.next(), [1]);
    await assert.rejects(cursor.next(), /reset/);
    assert.equal(cursor.done, false);
    assert.deepEqual(await cursor.next(), [2]);
    assert.equal(cursor.done, true);
    assert.equal(cursor.stopped, undefined);
    assert.deepEqual(asked, [undefined, 'a', 'a']);
  });
});
