import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodePoints,
  encodePoints,
  fromWireNumber,
  isEncodedPoints,
  toWireNumber,
} from '../../../webviews/protocol/metricPoints.ts';
import { defaultChartsState, sanitizeChartsState } from '../../../webviews/protocol/charts.ts';
import { defaultLeaderboardState, sanitizeLeaderboardState } from '../../../webviews/protocol/leaderboard.ts';

describe('metric points across JSON', () => {
  it('keep NaN and ±Infinity (JSON alone would turn them into null)', () => {
    const points = [
      { step: 0, timestamp: 10, value: 1.5 },
      { step: 1, timestamp: 11, value: NaN },
      { step: 2, timestamp: 12, value: Infinity },
      { step: 3, timestamp: 13, value: -Infinity },
      { step: -4, timestamp: 14, value: -0.25 },
    ];
    const wire: unknown = JSON.parse(JSON.stringify(encodePoints(points)));
    assert.ok(isEncodedPoints(wire));
    const back = decodePoints(wire);
    assert.deepEqual(back.step, [0, 1, 2, 3, -4]);
    assert.deepEqual(back.timestamp, [10, 11, 12, 13, 14]);
    assert.equal(back.value[0], 1.5);
    assert.ok(Number.isNaN(back.value[1]));
    assert.equal(back.value[2], Infinity);
    assert.equal(back.value[3], -Infinity);
    assert.equal(back.value[4], -0.25);
  });

  it('rejects columns of different lengths or out-of-range exceptions', () => {
    assert.ok(!isEncodedPoints({ step: [1], timestamp: [], value: [1] }));
    assert.ok(!isEncodedPoints({ step: [1], timestamp: [1], value: [1], nonFinite: [[5, 'NaN']] }));
    assert.ok(!isEncodedPoints({ step: [1], timestamp: [1], value: [null] }));
  });

  it('single numbers round-trip', () => {
    for (const n of [0, -1.5, NaN, Infinity, -Infinity])
      assert.ok(Object.is(fromWireNumber(JSON.parse(JSON.stringify(toWireNumber(n))) as never), n));
  });
});

describe('saved state', () => {
  it('charts: keeps valid choices, defaults the rest, drops zooms of metrics not shown', () => {
    const s = sanitizeChartsState({
      serverId: 's',
      runIds: ['a', 'b'],
      metricKeys: ['loss'],
      xAxis: 'relativeTime',
      yScale: 'bogus',
      smoothing: 5,
      zoom: { loss: { min: 1, max: 2 }, gone: { min: 1, max: 2 } },
      hiddenRunIds: ['b', 'not-shown'],
      search: 'lo',
    });
    assert.deepEqual(s, {
      ...defaultChartsState('s', ['a', 'b'], ['loss']),
      xAxis: 'relativeTime',
      smoothing: 0.99,
      zoom: { loss: { min: 1, max: 2 } },
      hiddenRunIds: ['b'],
      search: 'lo',
    });
  });

  it('charts: unreadable without a server and runs', () => {
    assert.equal(sanitizeChartsState(undefined), undefined);
    assert.equal(sanitizeChartsState({ serverId: 's', runIds: [] }), undefined);
    assert.equal(sanitizeChartsState({ runIds: ['a'] }), undefined);
  });

  it('charts: an inverted zoom is dropped', () => {
    assert.deepEqual(
      sanitizeChartsState({ serverId: 's', runIds: ['a'], metricKeys: ['m'], zoom: { m: { min: 5, max: 1 } } })?.zoom,
      {},
    );
  });

  it('leaderboard: keeps valid choices', () => {
    const s = sanitizeLeaderboardState({
      serverId: 's',
      experimentIds: ['1'],
      metricKey: 'rmse',
      better: 'higher',
      filter: "params.a = '1'",
      groupBy: 'model',
      pageSize: 25,
      paramColumns: ['a'],
      metricColumns: ['b'],
      sort: { kind: 'param', key: 'a', descending: true },
    });
    assert.deepEqual(s, {
      ...defaultLeaderboardState('s', ['1']),
      metricKey: 'rmse',
      better: 'higher',
      filter: "params.a = '1'",
      groupBy: 'model',
      pageSize: 25,
      paramColumns: ['a'],
      metricColumns: ['b'],
      sort: { kind: 'param', key: 'a', descending: true },
    });
    assert.equal(sanitizeLeaderboardState({ serverId: 's', pageSize: 7 })?.pageSize, 50);
    assert.equal(sanitizeLeaderboardState({}), undefined);
  });
});
