// The code-lens commands: "▶ Run" and "Run with parameters…", backed by the MLproject
// language server's knowledge of the file (entry points, typed parameters, rendered command).
import { registerCommand, type CommandContext } from '../commandContext.ts';
import type { MlprojectLanguageClient } from '../languageClient.ts';
import {
  RUN_ENTRY_POINT_COMMAND,
  RUN_ENTRY_POINT_WITH_PARAMETERS_COMMAND,
} from '../../../language-server/src/protocol.ts';
import type { RunEntryPointArguments } from '../../../language-server/src/protocol.ts';
import { EntryPointLauncher } from './runEntryPoint.ts';
import type { LaunchTarget, ProjectIntrospection } from './runEntryPoint.ts';

export function registerProjectCommands(
  ctx: CommandContext,
  languageClient: MlprojectLanguageClient,
): EntryPointLauncher {
  const project: ProjectIntrospection = {
    async entryPoints(uri) {
      const { client, requests } = await languageClient.connection();
      const res = await client.sendRequest(requests.entryPoints, { uri: uri.toString() });
      if (!res.projectDir)
        throw new Error('Save the MLproject file to a folder first: `mlflow run` runs a project directory.');
      return { projectDir: res.projectDir, entryPoints: res.entryPoints, hasErrors: res.hasErrors, errors: res.errors };
    },
    async renderCommand(uri, entryPoint, values) {
      const { client, requests } = await languageClient.connection();
      return client.sendRequest(requests.renderCommand, { uri: uri.toString(), entryPoint, values });
    },
  };
  const launcher = new EntryPointLauncher(ctx, project);
  registerCommand(ctx, RUN_ENTRY_POINT_COMMAND, (arg) => launcher.run(asTarget(arg), false));
  registerCommand(ctx, RUN_ENTRY_POINT_WITH_PARAMETERS_COMMAND, (arg) => launcher.run(asTarget(arg), true));
  return launcher;
}

function asTarget(arg: unknown): LaunchTarget | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as Partial<RunEntryPointArguments>;
  // Anything else (e.g. the editor-title button's document URI) means: ask which entry point.
  return typeof a.uri === 'string' && typeof a.entryPoint === 'string'
    ? { uri: a.uri, entryPoint: a.entryPoint }
    : undefined;
}
