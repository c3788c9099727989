import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  commandType,
  IPC_TAG,
  IpcEndpoint,
  IpcError,
  isWireMessage,
  notificationType,
  requestType,
} from '../../../webviews/protocol/ipc.ts';
import type { WireMessage } from '../../../webviews/protocol/ipc.ts';
import { isInteger, isString, shape } from '../../../webviews/protocol/guards.ts';

/** Two endpoints wired through queues that are flushed on demand, so message order is under test control. */
function pair(): {
  host: IpcEndpoint;
  view: IpcEndpoint;
  toHost: WireMessage[];
  toView: WireMessage[];
  flush: () => Promise<void>;
} {
  const toHost: WireMessage[] = [];
  const toView: WireMessage[] = [];
  // Messages cross as JSON, as VS Code serializes them.
  const host = new IpcEndpoint((m) => toView.push(JSON.parse(JSON.stringify(m)) as WireMessage));
  const view = new IpcEndpoint((m) => toHost.push(JSON.parse(JSON.stringify(m)) as WireMessage), { firstId: 1000 });
  const flush = async (): Promise<void> => {
    for (let round = 0; round < 20 && (toHost.length || toView.length); round++) {
      for (const m of toHost.splice(0)) host.receive(m);
      for (const m of toView.splice(0)) view.receive(m);
      await new Promise((r) => setImmediate(r));
    }
  };
  return { host, view, toHost, toView, flush };
}

const Add = requestType<{ a: number; b: number }, number>('test/add', shape({ a: isInteger, b: isInteger }));
const Slow = requestType<{ id: string }, string>('test/slow', shape({ id: isString }));
const Ping = commandType<{ text: string }>('test/ping', shape({ text: isString }));
const Tick = notificationType<{ n: number }>('test/tick', shape({ n: isInteger }));

describe('IpcEndpoint', () => {
  it('correlates replies with requests by id, even when they come back out of order', async () => {
    const { host, view, flush, toView } = pair();
    const gates = new Map<string, () => void>();
    host.onRequest(Slow, ({ id }) => new Promise<string>((r) => gates.set(id, () => r(`done ${id}`))));
    const first = view.request(Slow, { id: 'one' });
    const second = view.request(Slow, { id: 'two' });
    await flush();
    gates.get('two')!();
    await new Promise((r) => setImmediate(r));
    gates.get('one')!();
    await new Promise((r) => setImmediate(r));
    // Replies were posted two-then-one.
    assert.deepEqual(
      toView.map((m) => (m.kind === 'reply' && m.ok ? m.result : undefined)),
      ['done two', 'done one'],
    );
    await flush();
    assert.equal(await first, 'done one');
    assert.equal(await second, 'done two');
    assert.equal(view.pendingCount, 0);
  });

  it('passes handler failures back as typed errors', async () => {
    const { host, view, flush } = pair();
    host.onRequest(Add, () => {
      throw new IpcError('badRequest', 'Invalid clause(s) in filter string');
    });
    const p = assert.rejects(
      view.request(Add, { a: 1, b: 2 }),
      (e: unknown) =>
        e instanceof IpcError && e.code === 'badRequest' && e.message === 'Invalid clause(s) in filter string',
    );
    await flush();
    await p;
  });

  it('maps unexpected failures with describeError', async () => {
    const toView: WireMessage[] = [];
    const host = new IpcEndpoint((m) => toView.push(m), {
      describeError: (e) => ({ code: 'server', message: `mapped: ${(e as Error).message}` }),
    });
    host.onRequest(Add, () => {
      throw new Error('boom');
    });
    host.receive({ ipc: IPC_TAG, kind: 'request', id: 1, method: 'test/add', params: { a: 1, b: 1 } });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(toView[0], {
      ipc: IPC_TAG,
      kind: 'reply',
      id: 1,
      ok: false,
      error: { code: 'server', message: 'mapped: boom' },
    });
  });

  it('rejects params that fail the guard before the handler runs', async () => {
    const { host, view, flush } = pair();
    let called = false;
    host.onRequest(Add, ({ a, b }) => {
      called = true;
      return a + b;
    });
    const p = assert.rejects(
      view.request(Add, { a: 1, b: 'two' } as unknown as { a: number; b: number }),
      (e: unknown) => e instanceof IpcError && e.code === 'invalidParams',
    );
    await flush();
    await p;
    assert.equal(called, false);
  });

  it('answers unknown methods with an error instead of leaving the caller waiting', async () => {
    const { view, flush } = pair();
    const p = assert.rejects(
      view.request(Add, { a: 1, b: 2 }),
      (e: unknown) => e instanceof IpcError && e.code === 'unknownMethod',
    );
    await flush();
    await p;
  });

  it('cancels: the caller rejects at once, the handler sees its signal abort, no reply is sent', async () => {
    const { host, view, flush, toView } = pair();
    let aborted = false;
    host.onRequest(
      Slow,
      (_p, signal) =>
        new Promise<string>((_r, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          }),
        ),
    );
    const ac = new AbortController();
    const p = assert.rejects(
      view.request(Slow, { id: 'x' }, { signal: ac.signal }),
      (e: unknown) => e instanceof IpcError && e.code === 'cancelled',
    );
    await flush();
    ac.abort();
    await p;
    await flush();
    assert.equal(aborted, true);
    assert.equal(toView.length, 0);
    assert.equal(view.pendingCount, 0);
  });

  it('times out a request that gets no answer and tells the other side', async () => {
    const { host, view, toHost } = pair();
    host.onRequest(Slow, () => new Promise<string>(() => undefined));
    const p = view.request(Slow, { id: 'x' }, { timeoutMs: 20 });
    await assert.rejects(p, (e: unknown) => e instanceof IpcError && e.code === 'timeout');
    assert.ok(toHost.some((m) => m.kind === 'cancel'));
  });

  it('on dispose rejects pending requests and aborts requests being served', async () => {
    const { host, view, flush } = pair();
    let aborted = false;
    host.onRequest(
      Slow,
      (_p, signal) => new Promise<string>(() => signal.addEventListener('abort', () => (aborted = true))),
    );
    const p = assert.rejects(
      view.request(Slow, { id: 'x' }),
      (e: unknown) => e instanceof IpcError && e.code === 'disposed',
    );
    await flush();
    host.dispose();
    assert.equal(aborted, true);
    view.dispose();
    await p;
    await assert.rejects(
      view.request(Add, { a: 1, b: 1 }),
      (e: unknown) => e instanceof IpcError && e.code === 'disposed',
    );
  });

  it('delivers commands and notifications to every handler and drops invalid ones', async () => {
    const { host, view, flush } = pair();
    const pings: string[] = [];
    const ticks: number[] = [];
    host.onCommand(Ping, ({ text }) => pings.push(text));
    const sub = view.onNotification(Tick, ({ n }) => ticks.push(n));
    view.onNotification(Tick, ({ n }) => ticks.push(n * 10));
    view.command(Ping, { text: 'hello' });
    view.command(Ping, { text: 42 } as unknown as { text: string });
    host.notify(Tick, { n: 1 });
    await flush();
    sub.dispose();
    host.notify(Tick, { n: 2 });
    await flush();
    assert.deepEqual(pings, ['hello']);
    assert.deepEqual(ticks, [1, 10, 20]);
  });

  it('ignores messages that are not ours', () => {
    const e = new IpcEndpoint(() => undefined);
    assert.equal(e.receive({ type: 'some-other-extension' }), false);
    assert.equal(e.receive(null), false);
    assert.equal(e.receive('string'), false);
  });

  it('a late reply for a request of a previous page instance does not resolve a new one', async () => {
    const toHost: WireMessage[] = [];
    const view = new IpcEndpoint((m) => toHost.push(m), { firstId: 5000 });
    const p = view.request(Add, { a: 1, b: 1 });
    // A reply to id 1 (what a fresh endpoint would have used) is not ours.
    view.receive({ ipc: IPC_TAG, kind: 'reply', id: 1, ok: true, result: 99 });
    assert.equal(view.pendingCount, 1);
    view.receive({ ipc: IPC_TAG, kind: 'reply', id: 5000, ok: true, result: 2 });
    assert.equal(await p, 2);
  });
});

describe('isWireMessage', () => {
  it('accepts each kind and rejects malformed ones', () => {
    assert.ok(isWireMessage({ ipc: IPC_TAG, kind: 'request', id: 1, method: 'm', params: {} }));
    assert.ok(isWireMessage({ ipc: IPC_TAG, kind: 'reply', id: 1, ok: true, result: null }));
    assert.ok(
      isWireMessage({ ipc: IPC_TAG, kind: 'reply', id: 1, ok: false, error: { code: 'server', message: 'x' } }),
    );
    assert.ok(isWireMessage({ ipc: IPC_TAG, kind: 'cancel', id: 3 }));
    assert.ok(isWireMessage({ ipc: IPC_TAG, kind: 'command', method: 'm', params: 1 }));
    assert.ok(isWireMessage({ ipc: IPC_TAG, kind: 'notification', method: 'm', params: 1 }));
    assert.ok(!isWireMessage({ ipc: 'other', kind: 'request', id: 1, method: 'm' }));
    assert.ok(!isWireMessage({ ipc: IPC_TAG, kind: 'request', id: 0, method: 'm' }));
    assert.ok(!isWireMessage({ ipc: IPC_TAG, kind: 'request', id: 1.5, method: 'm' }));
    assert.ok(!isWireMessage({ ipc: IPC_TAG, kind: 'reply', id: 1, ok: false, error: { code: 'nope', message: 'x' } }));
    assert.ok(!isWireMessage({ ipc: IPC_TAG, kind: 'eval', code: 'alert(1)' }));
  });
});
