// The user's analysis choices survive a reload: kept per experiment set (order does not matter),
// per server, bounded, and read back only through the state's own validation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AnalysisMemory } from '../../../extension/src/shared/analysisMemory.ts';
import { defaultLeaderboardState } from '../../../webviews/protocol/leaderboard.ts';

/** Workspace state as VS Code's Memento keeps it: JSON values by key. */
function store(): {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Promise<void>;
  raw: Map<string, string>;
} {
  const raw = new Map<string, string>();
  return {
    raw,
    get: <T>(key: string) => (raw.has(key) ? (JSON.parse(raw.get(key)!) as T) : undefined),
    update: async (key, value) => void raw.set(key, JSON.stringify(value)),
  };
}

describe('AnalysisMemory', () => {
  it('remembers the leaderboard per experiment set, in any order, per server', async () => {
    const s = store();
    const state = {
      ...defaultLeaderboardState('srv', ['2', '1']),
      metricKey: 'val_auc',
      better: 'higher' as const,
      metricColumns: ['val_logloss'],
      statusFilter: 'all' as const,
    };
    await new AnalysisMemory(s).saveLeaderboard(state);
    // A new instance over the same store: what a reload sees.
    const again = new AnalysisMemory(s);
    assert.deepEqual(again.leaderboard('srv', ['1', '2']), state);
    assert.equal(again.leaderboard('srv', ['1']), undefined);
    assert.equal(again.leaderboard('other', ['1', '2']), undefined);
  });

  it('pins a primary metric per experiment and unpins it', async () => {
    const m = new AnalysisMemory(store());
    await m.pinMetric('srv', '7', 'val_loss');
    assert.equal(m.pinnedMetric('srv', '7'), 'val_loss');
    assert.equal(m.pinnedMetric('srv', '8'), undefined);
    await m.pinMetric('srv', '7', undefined);
    assert.equal(m.pinnedMetric('srv', '7'), undefined);
  });

  it('keeps a direction per metric and experiment set', async () => {
    const m = new AnalysisMemory(store());
    await m.setDirection('srv', ['1', '2'], 'score', 'lower');
    await m.setDirection('srv', ['2', '1'], 'val_auc', 'higher');
    assert.equal(m.direction('srv', ['1', '2'], 'score'), 'lower');
    assert.equal(m.direction('srv', ['1', '2'], 'val_auc'), 'higher');
    assert.equal(m.direction('srv', ['1'], 'score'), undefined);
  });

  it('ignores what it cannot read and keeps at most 200 sets', async () => {
    const s = store();
    s.raw.set('mlflow.analysis.leaderboard', JSON.stringify({ [JSON.stringify(['srv', ['1']])]: { serverId: 42 } }));
    const m = new AnalysisMemory(s);
    assert.equal(m.leaderboard('srv', ['1']), undefined);
    for (let i = 0; i < 205; i++) await m.pinMetric('srv', String(i), 'loss');
    assert.equal(m.pinnedMetric('srv', '0'), undefined, 'the oldest went');
    assert.equal(m.pinnedMetric('srv', '204'), 'loss');
    assert.equal(Object.keys(JSON.parse(s.raw.get('mlflow.analysis.primaryMetric')!) as object).length, 200);
  });

  it('keeps the last ten filters per experiment, newest first, each once, across a reload', async () => {
    const s = store();
    const memory = new AnalysisMemory(s);
    for (let i = 0; i < 12; i++) await memory.rememberFilter('srv', '1', `metrics.rmse < ${i}`);
    await memory.rememberFilter('srv', '1', ' metrics.rmse < 5 ');
    await memory.rememberFilter('srv', '1', '');
    const reloaded = new AnalysisMemory(s);
    const history = reloaded.filterHistory('srv', '1');
    assert.equal(history.length, 10);
    assert.deepEqual(history.slice(0, 3), ['metrics.rmse < 5', 'metrics.rmse < 11', 'metrics.rmse < 10']);
    assert.ok(!history.includes('metrics.rmse < 1'), 'the oldest fell off');
    assert.deepEqual(reloaded.filterHistory('srv', '2'), [], 'another experiment has its own');
    assert.deepEqual(reloaded.filterHistory('other', '1'), [], 'and another server');
  });
});
