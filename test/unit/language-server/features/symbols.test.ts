import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentSymbols } from '../../../../language-server/src/features/symbols.ts';
import { buildMlprojectModel } from '../../../../language-server/src/model/mlprojectModel.ts';
import { rangeText } from '../support.ts';

test('outline: name, env keys with children, entry points with parameters and command', () => {
  const text = `name: demo
docker_env:
  image: python:3.11
  volumes: ["/a:/a"]
entry_points:
  main:
    parameters:
      alpha: {type: float, default: 0.5}
      data: path
    command: "python t.py {alpha} {data}"
  etl:
    command: python etl.py
`;
  const symbols = documentSymbols(buildMlprojectModel(text));
  assert.deepEqual(
    symbols.map((s) => s.name),
    ['name', 'docker_env', 'entry_points'],
  );
  const docker = symbols[1];
  assert.deepEqual(
    docker?.children?.map((c) => [c.name, c.detail]),
    [
      ['image', 'python:3.11'],
      ['volumes', "['/a:/a']"],
    ],
  );
  const eps = symbols[2];
  assert.deepEqual(
    eps?.children?.map((c) => c.name),
    ['main', 'etl'],
  );
  const main = eps?.children?.[0];
  assert.ok(main);
  assert.equal(rangeText(text, main.selectionRange), 'main');
  assert.deepEqual(
    main.children?.map((c) => [c.name, c.detail]),
    [
      ['alpha', 'float = 0.5'],
      ['data', 'path (required)'],
      ['command', 'python t.py {alpha} {data}'],
    ],
  );
  // Every selection range lies inside its range, as LSP requires.
  const inside = (s: (typeof symbols)[number]): boolean =>
    (s.range.start.line < s.selectionRange.start.line ||
      (s.range.start.line === s.selectionRange.start.line &&
        s.range.start.character <= s.selectionRange.start.character)) &&
    (s.children ?? []).every(inside);
  assert.ok(symbols.every(inside));
});

test('no outline for documents that are not mappings', () => {
  assert.deepEqual(documentSymbols(buildMlprojectModel('- a\n')), []);
  assert.deepEqual(documentSymbols(buildMlprojectModel('')), []);
});
