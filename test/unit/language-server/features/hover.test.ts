import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoverMlproject } from '../../../../language-server/src/features/hover.ts';
import { buildMlprojectModel } from '../../../../language-server/src/model/mlprojectModel.ts';
import { cursor, rangeText } from '../support.ts';

function hover(withCursor: string): { markdown: string; covers: string } | null {
  const { text, offset } = cursor(withCursor);
  const h = hoverMlproject(buildMlprojectModel(text), offset);
  if (!h) return null;
  const contents = h.contents as { value: string };
  return { markdown: contents.value, covers: h.range ? rangeText(text, h.range) : '' };
}

const DOC = `name: demo
python_env: python_env.yaml
entry_points:
  main:
    parameters:
      flag: {type: string, default: yes}
      alpha: float
      n: {type: int, default: 010}
    command: "python t.py --flag {flag} --alpha {alpha} --n {n} {missing}"
`;

test('at a placeholder: the parameter, its default as MLflow renders and quotes it', () => {
  const h = hover(DOC.replace('{flag}', '{fl<|>ag}'));
  assert.ok(h);
  assert.equal(h.covers, 'flag');
  assert.match(h.markdown, /default: `True` \(written `yes`\)/);
  assert.match(h.markdown, /substituted as: `True`/);
  assert.match(h.markdown, /reads `yes` as the boolean True/);
  const n = hover(DOC.replace('{n}', '{<|>n}'));
  assert.match(n?.markdown ?? '', /default: `8` \(written `010`\)/);
  assert.match(n?.markdown ?? '', /not checked by MLflow/);
  const required = hover(DOC.replace('{alpha}', '{alpha<|>}'));
  assert.match(required?.markdown ?? '', /required: no default.*-P alpha=/);
  assert.match(hover(DOC.replace('{missing}', '{mis<|>sing}'))?.markdown ?? '', /KeyError: 'missing'/);
});

test('at a parameter declaration: the same description', () => {
  const h = hover(DOC.replace('      flag:', '      fl<|>ag:'));
  assert.equal(h?.covers, 'flag');
  assert.match(h?.markdown ?? '', /\*\*flag\*\* — parameter of entry point `main`/);
});

test('at keys: what MLflow does with them', () => {
  assert.match(
    hover(DOC.replace('python_env:', 'python_<|>env:'))?.markdown ?? '',
    /must exist when the project loads/,
  );
  assert.match(hover(DOC.replace('    command:', '    comm<|>and:'))?.markdown ?? '', /str\.format/);
  assert.match(hover(DOC.replace('  main:', '  ma<|>in:'))?.markdown ?? '', /entry point \(`mlflow run -e main`\)/);
  assert.match(hover(DOC.replace('type: string', 'type: str<|>ing'))?.markdown ?? '', /Passed as is/);
  assert.match(hover(DOC.replace('alpha: float', 'alpha: flo<|>at'))?.markdown ?? '', /Not checked or converted/);
  assert.equal(hover(DOC.replace('name: demo', 'name: de<|>mo'))?.covers, 'demo');
});
