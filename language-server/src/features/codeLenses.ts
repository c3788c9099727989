// "▶ Run" and "Run with parameters…" above every well-formed entry point (a mapping with a string
// command and a name `-e` can select). The extension runs them and reports errors itself.
import type { CodeLens } from 'vscode-languageserver-types';
import type { MlprojectModel } from '../model/mlprojectModel.ts';
import {
  RUN_ENTRY_POINT_COMMAND,
  RUN_ENTRY_POINT_WITH_PARAMETERS_COMMAND,
  type RunEntryPointArguments,
} from '../protocol.ts';

export function codeLenses(model: MlprojectModel, uri: string): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const ep of model.entryPoints) {
    if (!ep.isMapping || ep.key.kind !== 'str' || ep.command === undefined) continue;
    const range = model.lines.rangeOf(ep.keyRange);
    const args: RunEntryPointArguments[] = [{ uri, entryPoint: ep.name }];
    lenses.push({ range, command: { title: '▶ Run', command: RUN_ENTRY_POINT_COMMAND, arguments: args } });
    lenses.push({
      range,
      command: { title: 'Run with parameters…', command: RUN_ENTRY_POINT_WITH_PARAMETERS_COMMAND, arguments: args },
    });
  }
  return lenses;
}
