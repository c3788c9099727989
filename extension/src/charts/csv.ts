// CSV export of metric histories (RFC 4180): one row per logged point with the columns
// run_id, run_name, metric, step, timestamp, value. Run names and metric keys are user text and
// may hold commas, quotes and newlines, so every field goes through csvField. They may also be
// formulas: a spreadsheet evaluates a cell that starts with =, +, -, @, tab or CR (CSV injection),
// so such a text cell gets a leading ' and quotes, as OWASP recommends. Numbers (step, timestamp,
// value) are written by csvNumber/String and never go through csvField, so -1.5 stays a number.
import type { Metric } from '../mlflow/types.ts';

const CSV_HEADER = ['run_id', 'run_name', 'metric', 'step', 'timestamp', 'value'] as const;

/**
 * A text field: a formula-like start gets a leading ' inside quotes (OWASP CSV injection); a
 * comma, double quote, CR or LF, or edge whitespace makes it quoted; inner quotes are doubled.
 */
export function csvField(value: string): string {
  if (/^[=+\-@\t\r]/.test(value)) return `"'${value.replace(/"/g, '""')}"`;
  if (/[",\r\n]/.test(value) || value !== value.trim()) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

export function csvRow(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}

/** Shortest text that reads back to the same double; NaN and ±Infinity as Python and pandas read them. */
export function csvNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}

export interface CsvSeries {
  runId: string;
  runName: string;
  metricKey: string;
  points: readonly Metric[];
}

/** The file in chunks (one per series), so a million rows never become one giant concatenation chain. */
export function* metricHistoryCsv(series: Iterable<CsvSeries>): Generator<string> {
  yield csvRow(CSV_HEADER);
  for (const s of series) {
    const prefix = `${csvField(s.runId)},${csvField(s.runName)},${csvField(s.metricKey)},`;
    const lines: string[] = [];
    for (const p of s.points) lines.push(`${prefix}${String(p.step)},${String(p.timestamp)},${csvNumber(p.value)}\r\n`);
    yield lines.join('');
  }
}
