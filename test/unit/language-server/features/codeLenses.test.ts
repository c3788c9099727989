import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeLenses } from '../../../../language-server/src/features/codeLenses.ts';
import { buildMlprojectModel } from '../../../../language-server/src/model/mlprojectModel.ts';
import {
  RUN_ENTRY_POINT_COMMAND,
  RUN_ENTRY_POINT_WITH_PARAMETERS_COMMAND,
} from '../../../../language-server/src/protocol.ts';
import { rangeText } from '../support.ts';

test('two lenses above each well-formed entry point, with { uri, entryPoint }', () => {
  const text =
    'entry_points:\n  main:\n    command: "echo {undeclared}"\n  broken: python x.py\n  1:\n    command: echo\n  etl:\n    command: echo etl\n';
  const lenses = codeLenses(buildMlprojectModel(text), 'file:///p/MLproject');
  assert.deepEqual(
    lenses.map((l) => [
      rangeText(text, l.range),
      l.command?.title,
      l.command?.command,
      JSON.stringify(l.command?.arguments),
    ]),
    [
      ['main', '▶ Run', RUN_ENTRY_POINT_COMMAND, '[{"uri":"file:///p/MLproject","entryPoint":"main"}]'],
      [
        'main',
        'Run with parameters…',
        RUN_ENTRY_POINT_WITH_PARAMETERS_COMMAND,
        '[{"uri":"file:///p/MLproject","entryPoint":"main"}]',
      ],
      ['etl', '▶ Run', RUN_ENTRY_POINT_COMMAND, '[{"uri":"file:///p/MLproject","entryPoint":"etl"}]'],
      [
        'etl',
        'Run with parameters…',
        RUN_ENTRY_POINT_WITH_PARAMETERS_COMMAND,
        '[{"uri":"file:///p/MLproject","entryPoint":"etl"}]',
      ],
    ],
  );
  assert.equal(RUN_ENTRY_POINT_COMMAND, 'mlflow.runEntryPoint');
  assert.equal(RUN_ENTRY_POINT_WITH_PARAMETERS_COMMAND, 'mlflow.runEntryPointWithParameters');
});
