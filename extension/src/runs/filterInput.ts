// The filter box takes MLflow's search syntax plus an optional `ORDER BY` tail, e.g.
// `metrics.rmse < 0.8 and params.alpha = '0.5' order by metrics.rmse asc, start_time desc`.
// MLflow's own API takes the two separately; this splits and joins them.
import type { RunQuery } from './runListing.ts';

export function parseFilterInput(text: string): { filter: string; orderBy: string[] } {
  const at = findOrderBy(text);
  if (at < 0) return { filter: text.trim(), orderBy: [] };
  const filter = text.slice(0, at).trim();
  const tail = text.slice(at).replace(/^order\s+by/i, '');
  const orderBy = splitOutsideQuotes(tail, ',')
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter((s) => s !== '');
  return { filter, orderBy };
}

export function formatFilterInput(query: Pick<RunQuery, 'filter' | 'orderBy'>): string {
  const parts = [query.filter.trim()];
  if (query.orderBy.length > 0) parts.push(`order by ${query.orderBy.join(', ')}`);
  return parts.filter((p) => p !== '').join(' ');
}

/** Index of an `order by` that is not inside quotes or backticks, or -1. */
function findOrderBy(text: string): number {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      continue;
    }
    if ((i === 0 || /\s/.test(text[i - 1]!)) && /^order\s+by\b/i.test(text.slice(i))) return i;
  }
  return -1;
}

function splitOutsideQuotes(text: string, sep: string): string[] {
  const out: string[] = [];
  let quote: string | undefined;
  let cur = '';
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
      cur += c;
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
      cur += c;
    } else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}
