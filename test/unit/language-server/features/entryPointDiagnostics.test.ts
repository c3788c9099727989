// Re-validating only the entry points an edit touches must publish exactly what validating the
// whole file publishes: the same diagnostics, fixes and order, after every edit of a long random
// sequence, while files appear in the project and settings change in between. The document is
// loaded and modelled incrementally too, as the server does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MlprojectDiagnostic } from '../../../../language-server/src/features/diagnostics.ts';
import { EntryPointDiagnostics } from '../../../../language-server/src/features/entryPointDiagnostics.ts';
import { validateMlproject, validateModel } from '../../../../language-server/src/features/validate.ts';
import { buildMlprojectModel } from '../../../../language-server/src/model/mlprojectModel.ts';
import { reloadEntryPoint } from '../../../../language-server/src/yaml/entryPointReload.ts';
import { updateLoadedYaml } from '../../../../language-server/src/yaml/incrementalLoad.ts';
import { loadMlprojectYaml } from '../../../../language-server/src/yaml/pyyamlLoad.ts';
import type { ProjectContext, ValidationSettings } from '../../../../language-server/src/model/projectContext.ts';
import { memoryProject, mulberry32 } from '../support.ts';

/** Entry points with something to report each: the checks that look at parameters, commands and files. */
const TEMPLATES: Array<(i: number) => string[]> = [
  (i) => [
    `  train_${i}:`,
    '    parameters:',
    `      alpha: {type: float, default: 0.5}`,
    `      data: {type: path, default: data_${i}.csv}`,
    `    command: "python train_${i}.py --alpha {alpha} --data {data}"`,
  ],
  (i) => [
    `  eval_${i}:`,
    '    parameters:',
    `      Model: string`,
    `      model: {type: int, default: 010}`,
    `      src: {type: uri, default: no-scheme}`,
    `    command: "python eval.py {model} '{src}' {missing}"`,
  ],
  (i) => [`  typo_${i}:`, '    params:', `      x: {type: flaot, default: yes}`, `    comand: python typo.py {x}`],
  (i) => [
    `  block_${i}:`,
    '    parameters:',
    `      n: {type: integer, default: 3}`,
    `      unused: {type: string, default: "a b"}`,
    '    command: >-',
    `      python block.py`,
    `      --n {n} {0} {{literal}}`,
  ],
  (i) => [`  shape_${i}: python shape.py`],
  (i) => [
    `  nocmd_${i}:`,
    '    parameters:',
    `      p: {type: path, default: data}`,
    `      q: {type: path, default: s3://bucket/${i}}`,
  ],
  (i) => [
    `  fmt_${i}:`,
    '    parameters:',
    '      "1": float',
    `      a.b: {type: string, default: ~}`,
    `    command: "python fmt.py {a.b} {1} {x!r} {y:>3} \${HOME}"`,
  ],
];

function fixture(): string {
  const lines = ['name: randomised', 'python_env: python_env.yaml', 'entry_points:'];
  for (let i = 0; lines.length < 300; i++) {
    lines.push(`  # entry point ${i}`, ...(TEMPLATES[i % TEMPLATES.length] as (i: number) => string[])(i), '');
  }
  lines.push('docker_env:', '  image: python:3.11', '');
  return lines.join('\n');
}

/** Mostly what typing inserts into words and values; some characters that change the YAML structure. */
const INSERTS = [
  'x',
  'e',
  '1',
  '_',
  'a',
  'P',
  '.5',
  ' ',
  ':',
  '{',
  '}',
  '"',
  "'",
  '#',
  '-',
  '\n',
  '\n      ',
  '\n  ',
  'name: {type: path, default: data}',
  '&a ',
  '*a',
];

/** One random edit: typing, deleting, or moving whole lines. */
function edit(text: string, next: () => number): string {
  const pick = (n: number): number => Math.floor(next() * n);
  const lines = text.split('\n');
  const line = pick(lines.length);
  const lineStart = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
  const at = lineStart + pick((lines[line] ?? '').length + 1);
  const kind = next();
  if (kind < 0.5) return text.slice(0, at) + (INSERTS[pick(INSERTS.length)] ?? '') + text.slice(at);
  if (kind < 0.8) return text.slice(0, at) + text.slice(at + 1 + pick(3));
  if (kind < 0.9) return [...lines.slice(0, line), lines[line] ?? '', ...lines.slice(line)].join('\n');
  return [...lines.slice(0, line), ...lines.slice(line + 1)].join('\n');
}

test('re-validating only the edited entry points gives the full validation after every edit of a random sequence', () => {
  const original = fixture();
  assert.ok(original.split('\n').length >= 300);
  const created = new Set<string>();
  const project = memoryProject({ 'python_env.yaml': 'python: "3.11"\n', 'train_3.py': '', 'eval.py': '' });
  const ctx: ProjectContext = {
    projectDir: '/proj',
    files: { exists: (p) => created.has(p) || project.files.exists(p) },
  };
  const memory = new EntryPointDiagnostics();
  let settings: ValidationSettings = { hintUncheckedTypes: true };
  let text = original;
  let clean = original;
  let previous = buildMlprojectModel(original);
  let cleanLoad = previous.loaded;
  let broken = 0;
  let reused = 0;
  let steps = 0;
  for (const seed of [1, 2, 3]) {
    const next = mulberry32(seed);
    for (let step = 0; step < 100; step++) {
      // Typing passes through broken YAML and comes out of it: after two broken steps, go back
      // to the last text that loaded cleanly; now and then (an anchor turns reuse off for as long
      // as it stays) back to the start.
      text = edit(step % 20 === 0 ? original : broken > 1 ? clean : text, next);
      if (step === 30) created.add('/proj/block.py');
      if (step === 50) created.add('/proj/data');
      if (step === 70) settings = { hintUncheckedTypes: !settings.hintUncheckedTypes };
      const label = `seed ${seed}, step ${step}`;
      // Loaded as the server loads it: patched, or one entry point re-parsed, when that is possible.
      // (A broken entry point re-parsed in context is left to entryPointReload.test.ts: the YAML
      // problems it reports are that module's business, not this one's.)
      const fast = updateLoadedYaml(previous.loaded, text) ?? reloadEntryPoint(cleanLoad, text, { consume: true });
      const loaded = fast && !fast.syntaxBroken ? fast : loadMlprojectYaml(text);
      const model = buildMlprojectModel(text, loaded);
      previous = model;
      if (!loaded.syntaxBroken && loaded.problems.length === 0) cleanLoad = loaded;
      const incremental = validateModel(model, ctx, settings, memory);
      assert.deepEqual(incremental, validateMlproject(text, ctx, settings), label);
      if (model.loaded.problems.length === 0 && !model.loaded.syntaxBroken) {
        clean = text;
        broken = 0;
      } else broken++;
      // Validating the same text again replays the entry points: the very same objects.
      const again = validateModel(buildMlprojectModel(text), ctx, settings, memory);
      if (again.some((d, i) => d === incremental[i])) reused++;
      steps++;
    }
    created.clear();
  }
  // Most steps leave a clean load (the edits are small), so the memory was in use.
  assert.ok(reused > steps / 3, `reused on ${reused} of ${steps} steps`);
});

test('an entry point whose lines are unchanged reports the same diagnostic objects, moved with the lines above it', () => {
  const text = fixture();
  const memory = new EntryPointDiagnostics();
  const ctx = memoryProject({ 'python_env.yaml': 'python: "3.11"\n' });
  const inEntryPoints = (ds: MlprojectDiagnostic[]): MlprojectDiagnostic[] =>
    ds.filter((d) => d.code !== 'multiple-environments');
  const first = inEntryPoints(validateModel(buildMlprojectModel(text), ctx, undefined, memory));
  const last = first[first.length - 1];
  assert.ok(last && last.range.start.line > 250);
  // Two lines inserted into the first entry point: the last one's diagnostics move down by two.
  const edited = text.replace(
    '      alpha: {type: float, default: 0.5}',
    '      alpha: {type: float, default: 0.5}\n      beta: float\n      gamma: float',
  );
  const second = validateModel(buildMlprojectModel(edited), ctx, undefined, memory);
  assert.deepEqual(second, validateMlproject(edited, ctx));
  const moved = inEntryPoints(second).at(-1);
  assert.equal(moved?.message, last.message);
  assert.equal(moved?.range.start.line, last.range.start.line + 2);
  // Unchanged again: replayed as they are.
  const third = validateModel(buildMlprojectModel(edited), ctx, undefined, memory);
  assert.equal(inEntryPoints(third).at(-1), moved);
});
