import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMlprojectModel } from '../../../../language-server/src/model/mlprojectModel.ts';
import {
  parameterReferences,
  prepareRename,
  RenameError,
  renameParameter,
} from '../../../../language-server/src/features/references.ts';
import { validateMlproject } from '../../../../language-server/src/features/validate.ts';
import { applyEdits, cursor } from '../support.ts';

const DOC = `entry_points:
  main:
    parameters:
      alpha: {type: float, default: 0.5}
      beta: float
    command: |
      python train.py --alpha {alpha} \\
        --again {alpha:>8} --beta {beta}
  other:
    parameters:
      alpha: float
    command: "echo {alpha}"
`;

test('references of a parameter: declaration plus placeholders of its own entry point only', () => {
  const { text, offset } = cursor(DOC.replace('--alpha {alpha}', '--alpha {al<|>pha}'));
  const refs = parameterReferences(buildMlprojectModel(text), offset, true);
  assert.ok(refs);
  assert.deepEqual(
    refs.map((r) => text.slice(r.start, r.end)),
    ['alpha', 'alpha', 'alpha'],
  );
  assert.ok(refs.every((r) => r.start < text.indexOf('other:')));
  assert.equal(parameterReferences(buildMlprojectModel(text), offset, false)?.length, 2);
});

test('rename from a placeholder or the declaration updates both, and the result still validates', () => {
  for (const marked of [
    DOC.replace('      alpha: {type', '      al<|>pha: {type'),
    DOC.replace('{alpha:>8}', '{alp<|>ha:>8}'),
  ]) {
    const { text, offset } = cursor(marked);
    const model = buildMlprojectModel(text);
    const prep = prepareRename(model, offset);
    assert.equal(prep?.placeholder, 'alpha');
    const edits = renameParameter(model, offset, 'learning_rate');
    assert.ok(edits);
    const renamed = applyEdits(text, edits);
    assert.equal((renamed.match(/learning_rate/g) ?? []).length, 3);
    assert.match(renamed, /command: "echo \{alpha\}"/);
    assert.deepEqual(
      validateMlproject(renamed).filter((d) => d.severity === 1),
      [],
    );
  }
});

test('rename refuses names str.format cannot reference and duplicates; quotes YAML 1.1 booleans', () => {
  const { text, offset } = cursor(DOC.replace('      beta: float', '      be<|>ta: float'));
  const model = buildMlprojectModel(text);
  assert.throws(() => renameParameter(model, offset, 'a.b'), RenameError);
  assert.throws(() => renameParameter(model, offset, 'alpha'), RenameError);
  const edits = renameParameter(model, offset, 'on');
  assert.ok(edits);
  assert.match(applyEdits(text, edits), /"on": float/);
});

test('no rename outside parameters', () => {
  const { text, offset } = cursor(DOC.replace('python train', 'pyth<|>on train'));
  assert.equal(prepareRename(buildMlprojectModel(text), offset), undefined);
});
