// Axis ticks and tooltip text for the three x axes (metric values: protocol/metricValue.ts).
import type { XAxis } from '../../protocol/charts.ts';

/** Seconds as "1h 02m", "3m 05s", "12.5s". */
export function formatDuration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  let s = Math.abs(seconds);
  if (s < 60) return `${sign}${Number(s.toPrecision(3))}s`;
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const hh = Math.floor(s / 3600);
  s -= hh * 3600;
  const mm = Math.floor(s / 60);
  const ss = Math.floor(s - mm * 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${sign}${d}d ${pad(hh)}h`;
  if (hh > 0) return `${sign}${hh}h ${pad(mm)}m`;
  return `${sign}${mm}m ${pad(ss)}s`;
}

/** An x value as text; `span` (the visible range) picks the precision of wall-clock ticks. */
export function formatX(v: number, axis: XAxis, span: number, full = false): string {
  if (axis === 'step') return Number.isInteger(v) ? v.toLocaleString() : full ? v.toLocaleString() : '';
  if (axis === 'relativeTime') return formatDuration(v);
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  if (full) return `${date} ${time}`;
  return span > 86_400_000 ? `${date.slice(5)} ${time.slice(0, 5)}` : time;
}
