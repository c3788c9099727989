// How a metric value reads everywhere: the runs tree, chart tooltips and ticks, the leaderboard.
// One rule so a value reads the same in every view. Pure: both the host and the webviews import it.

/** Enough to tell apart values a float32 metric can hold (about 7 decimal digits). */
const METRIC_SIGNIFICANT_DIGITS = 7;

/** Below this magnitude a value switches to an exponent (0.0001 reads fine, 0.00001234 does not). */
const SMALL = 1e-4;
/** From this magnitude on a value switches to an exponent (counts up to a billion stay whole). */
const LARGE = 1e9;

/**
 * `significant` digits at most, trailing zeros dropped; whole numbers below a billion in full;
 * fractions too large to show their digits plainly (12345678.9) as an exponent;
 * an exponent for very small and very large magnitudes; NaN and ±∞ as text. Chart ticks pass
 * fewer digits, so an axis stays narrow, with the same cut-offs as everywhere else.
 */
export function formatMetricValue(v: number, significant = METRIC_SIGNIFICANT_DIGITS): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  const a = Math.abs(v);
  if (a === 0) return '0';
  // Rounding first keeps 9.9999999e8 from reading as "1000000000" on one side and "1e+9" on the other.
  const rounded = Number(v.toPrecision(significant));
  const r = Math.abs(rounded);
  if (r < SMALL || r >= LARGE) return rounded.toExponential();
  if (Number.isInteger(v)) return String(v);
  // A fraction rounded to more whole digits than it keeps would read as an exact integer.
  return r >= 10 ** significant ? rounded.toExponential() : String(rounded);
}
