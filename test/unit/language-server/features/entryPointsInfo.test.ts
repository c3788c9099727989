import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEntryPoints } from '../../../../language-server/src/features/entryPointsInfo.ts';
import { buildMlprojectModel } from '../../../../language-server/src/model/mlprojectModel.ts';
import { validateModel } from '../../../../language-server/src/features/validate.ts';

test('entry points with parameters rendered as MLflow renders defaults', () => {
  const text = `entry_points:
  main:
    parameters:
      flag: {default: yes}
      oct: {default: 010}
      lr: {type: float, default: 1.0e-3}
      small: {type: float, default: 1e-3}
      data: path
      nothing: {default: null}
    command: "echo {flag} {oct} {lr} {small} {data} {nothing}"
  broken:
    command: 42
`;
  const model = buildMlprojectModel(text);
  const r = describeEntryPoints(model, validateModel(model), '/proj');
  assert.equal(r.projectDir, '/proj');
  assert.deepEqual(
    r.entryPoints.map((e) => e.name),
    ['main', 'broken'],
  );
  assert.deepEqual(r.entryPoints[0]?.parameters, [
    { name: 'flag', type: 'string', default: 'True', required: false },
    { name: 'oct', type: 'string', default: '8', required: false },
    { name: 'lr', type: 'float', default: '0.001', required: false },
    { name: 'small', type: 'float', default: '1e-3', required: false },
    { name: 'data', type: 'path', default: null, required: true },
    { name: 'nothing', type: 'string', default: null, required: true },
  ]);
  assert.equal(r.entryPoints[0]?.command, 'echo {flag} {oct} {lr} {small} {data} {nothing}');
  assert.equal(r.entryPoints[1]?.command, null);
  assert.deepEqual(r.entryPoints[0]?.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 6 } });
  assert.equal(r.hasErrors, true);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0] ?? '', /^12:14 `command` must be a string/);
});
