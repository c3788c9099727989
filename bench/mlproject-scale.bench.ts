// The MLproject analysis at scale, in process (no LSP): how parse + validation grow with the
// number of parameters (the curve must stay linear: the per-parameter cost at 100,000 against
// the one at 1,000 is the ratio printed), and how long the hostile inputs of the fuzz test take
// (a test may not assert durations on a shared machine; this prints them instead).
// Run: node bench/mlproject-scale.bench.ts [repeats]
import { buildMlprojectModel, MAX_ANALYSED_CHARS } from '../language-server/src/model/mlprojectModel.ts';
import { loadMlprojectYaml } from '../language-server/src/yaml/pyyamlLoad.ts';
import { validateModel } from '../language-server/src/features/validate.ts';

const REPEATS = Number(process.argv[2] ?? 3);

/** One entry point with `n` short-form parameters, the first 50 used by the command. */
function manyParameters(n: number): string {
  const lines = ['name: wide', 'entry_points:', '  main:', '    parameters:'];
  for (let i = 0; i < n; i++) lines.push(`      p${i}: float`);
  lines.push(
    `    command: "python train.py ${Array.from({ length: Math.min(n, 50) }, (_, i) => `--p${i} {p${i}}`).join(' ')}"`,
  );
  return `${lines.join('\n')}\n`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Median wall-clock ms of `fn` over `repeats` runs, after one warm-up. */
function time(fn: () => unknown, repeats = REPEATS): number {
  fn();
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    fn();
    runs.push(performance.now() - started);
  }
  return median(runs);
}

function printTable(rows: string[][]): void {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
}

function scalingCurve(): void {
  const rows: string[][] = [['parameters', 'MB', 'parse ms', 'validate ms', 'total ms', 'µs/parameter', 'ratio to 1k']];
  let base: number | undefined;
  for (const n of [1_000, 10_000, 100_000]) {
    const text = manyParameters(n);
    if (text.length > MAX_ANALYSED_CHARS) throw new Error(`${n} parameters exceed the analysis cap`);
    const parse = time(() => buildMlprojectModel(text));
    const model = buildMlprojectModel(text);
    const validate = time(() => validateModel(model));
    const diagnostics = validateModel(model);
    if (!diagnostics.some((d) => d.code === 'parameter-unused')) throw new Error('not analysed');
    const perParam = ((parse + validate) * 1000) / n;
    base ??= perParam;
    rows.push([
      n.toLocaleString('en-US'),
      (text.length / 1e6).toFixed(2),
      parse.toFixed(0),
      validate.toFixed(0),
      (parse + validate).toFixed(0),
      perParam.toFixed(1),
      (perParam / base).toFixed(2),
    ]);
  }
  console.log(`Parameter scaling (one entry point, short-form parameters; median of ${REPEATS} after a warm-up)`);
  console.log('');
  printTable(rows);
  console.log('');
  console.log(
    'Linear means a flat µs/parameter: the ratio to 1k stays near 1 (was 3.9 s to validate 20,000 before the fix).',
  );
}

function hostileInputs(): void {
  const entry = (i: number): string =>
    `  ep${i}:\n    parameters:\n      alpha: {type: float, default: 0.5}\n      data: {type: path, default: data/in.csv}\n    command: "python train.py --alpha {alpha} --data {data} --x {nope}"\n`;
  let big = 'name: big\nentry_points:\n';
  for (let i = 0; big.length < 5 * 1024 * 1024; i++) big += entry(i);
  const nearCap = big.slice(0, big.lastIndexOf('\n  ep', MAX_ANALYSED_CHARS - 1000) + 1);
  let laughs = 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i <= 40; i++)
    laughs += `l${i}: &l${i} [${Array(10)
      .fill(`*l${i - 1}`)
      .join(', ')}]\n`;
  const params = `ps: &ps\n${Array.from({ length: 300 }, (_, i) => `  p${i}: {type: string, default: *l40}`).join('\n')}\n`;
  const entries = `entry_points:\n${Array.from({ length: 300 }, (_, i) => `  e${i}: {parameters: *ps, command: &c${i} "echo {p0} {missing}"}`).join('\n')}\n`;
  const merged = `base: &b {a: 1, b: 2}\n${Array.from({ length: 2000 }, (_, i) => `m${i}: &m${i} {<<: [*b${i > 0 ? `, *m${i - 1}` : ''}], k${i}: ${i}}`).join('\n')}\n`;
  const cases: Array<[string, string]> = [
    ['5 MB (over the cap, answered at once)', big],
    [`${(nearCap.length / 1e6).toFixed(1)} MB realistic (just under the cap)`, nearCap],
    ['flow nesting 100k', `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['flow maps 20k', `a: ${'{a: '.repeat(20_000)}x${'}'.repeat(20_000)}`],
    ['block nesting 1500', Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')],
    ['a tab per line, 100k lines', 'a:\t1\n'.repeat(100_000)],
    ['billion laughs (40 levels)', laughs],
    ['laughs as 300 x 300 parameters', laughs + params + entries],
    ['2000 chained merge keys', merged],
    ['5000 duplicate entry points', `entry_points:\n${'  main:\n    command: echo\n'.repeat(5000)}`],
    ['50k placeholders', `entry_points:\n  main:\n    command: "${'{x} '.repeat(50_000)}"\n`],
    ['a 900 KB line', `name: ${'x'.repeat(900_000)}\n`],
  ];
  const rows: string[][] = [['input', 'KB', 'parse + validate ms']];
  for (const [label, text] of cases)
    rows.push([
      label,
      (text.length / 1024).toFixed(0),
      time(() => validateModel(buildMlprojectModel(text)), 1).toFixed(0),
    ]);
  let bomb = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i <= 30; i++)
    bomb += `a${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  rows.push([
    'alias bomb, YAML load only (30 levels)',
    (bomb.length / 1024).toFixed(0),
    time(() => loadMlprojectYaml(bomb), 1).toFixed(0),
  ]);
  console.log('Hostile inputs from the fuzz test (one run each after a warm-up)');
  console.log('');
  printTable(rows);
}

scalingCurve();
console.log('');
hostileInputs();
