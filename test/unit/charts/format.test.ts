import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, formatX } from '../../../webviews/src/charts/format.ts';

describe('chart text', () => {
  it('durations for the relative-time axis', () => {
    assert.equal(formatDuration(12.5), '12.5s');
    assert.equal(formatDuration(185), '3m 05s');
    assert.equal(formatDuration(3 * 3600 + 120), '3h 02m');
    assert.equal(formatDuration(2 * 86400 + 3600), '2d 01h');
    assert.equal(formatDuration(-30), '-30s');
  });

  it('step ticks are whole steps only; wall-clock ticks show the time, with the date over long spans', () => {
    assert.equal(formatX(1500, 'step', 0), (1500).toLocaleString());
    assert.equal(formatX(2.5, 'step', 0), '');
    const t = new Date(2026, 10, 23, 9, 5, 7).getTime();
    assert.equal(formatX(t, 'wallTime', 60_000), '09:05:07');
    assert.equal(formatX(t, 'wallTime', 3 * 86_400_000), '11-23 09:05');
    assert.equal(formatX(t, 'wallTime', 0, true), '2026-11-23 09:05:07');
    assert.equal(formatX(90, 'relativeTime', 0), '1m 30s');
  });
});
