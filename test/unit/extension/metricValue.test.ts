import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMetricValue } from '../../../webviews/protocol/metricValue.ts';
import { metricDescription } from '../../../extension/src/runs/format.ts';
import { formatMetric } from '../../../webviews/src/leaderboard/table.ts';
import { toWireNumber } from '../../../webviews/protocol/metricPoints.ts';

test('a metric value keeps 7 significant digits and drops trailing zeros', () => {
  assert.equal(formatMetricValue(0.123456789), '0.1234568');
  assert.equal(formatMetricValue(0.1 + 0.2), '0.3');
  assert.equal(formatMetricValue(-0.5), '-0.5');
  assert.equal(formatMetricValue(1234567.89), '1234568');
  assert.equal(formatMetricValue(0.00015), '0.00015');
});

test('whole numbers read as whole numbers, up to a billion', () => {
  assert.equal(formatMetricValue(42), '42');
  assert.equal(formatMetricValue(0), '0');
  assert.equal(formatMetricValue(-0), '0');
  assert.equal(formatMetricValue(123456789), '123456789');
  assert.equal(formatMetricValue(-987654321), '-987654321');
});

test('very small and very large magnitudes read as exponents', () => {
  assert.equal(formatMetricValue(1e-5), '1e-5');
  assert.equal(formatMetricValue(1.23456789e-7), '1.234568e-7');
  assert.equal(formatMetricValue(2.5e9), '2.5e+9');
  assert.equal(formatMetricValue(1234567890123), '1.234568e+12');
  // A fraction with more whole digits than it keeps would otherwise pass for an exact integer.
  assert.equal(formatMetricValue(12345678.9), '1.234568e+7');
  // Rounding up across the cut-off gives the exponent, not "1000000000".
  assert.equal(formatMetricValue(999999999.96), '1e+9');
});

test('NaN and infinities read as text', () => {
  assert.equal(formatMetricValue(NaN), 'NaN');
  assert.equal(formatMetricValue(Infinity), '∞');
  assert.equal(formatMetricValue(-Infinity), '-∞');
});

test('fewer digits (chart ticks) keep the same cut-offs', () => {
  assert.equal(formatMetricValue(0.123456789, 4), '0.1235');
  assert.equal(formatMetricValue(2.5e9, 4), '2.5e+9');
  assert.equal(formatMetricValue(1e-5, 4), '1e-5');
  assert.equal(formatMetricValue(1500, 4), '1500');
});

test('the tree and the leaderboard read a value the same way', () => {
  for (const v of [0.123456789, 1e-7, 42, 12345678.9, NaN, -Infinity]) {
    const m = { key: 'loss', value: v, step: 3, timestamp: 0 };
    assert.equal(metricDescription(m, [m]), `${formatMetricValue(v)} (step 3)`);
    assert.equal(formatMetric(toWireNumber(v)), formatMetricValue(v));
  }
  assert.equal(formatMetric(undefined), '—');
});
