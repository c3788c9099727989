// Activation: wires the server registry, the trees, the artifact file system, commands, the
// status bar and the lazily started MLproject language client. A failure here is shown to the
// user with a way to the logs, never swallowed.
import * as vscode from 'vscode';
import { uiText } from '../../webviews/protocol/displayText.ts';
import { createLogger } from './shared/logger.ts';
import type { Logger } from './shared/logger.ts';
import { ServerRegistry } from './servers/serverRegistry.ts';
import { LocalServerManager } from './servers/localServer.ts';
import { RunsTreeProvider } from './runs/runsTreeProvider.ts';
import { AnalysisMemory } from './shared/analysisMemory.ts';
import { ModelsTreeProvider } from './models/modelsTreeProvider.ts';
import { registerModelCommands } from './models/modelCommands.ts';
import type { TreeNode } from './runs/nodes.ts';
import { ArtifactFileSystem } from './artifacts/artifactFileSystem.ts';
import type { CommandContext } from './commandContext.ts';
import { registerCommand } from './commandContext.ts';
import { registerServerCommands } from './servers/serverCommands.ts';
import { registerRunCommands } from './runs/runCommands.ts';
import { registerArtifactCommands } from './artifacts/artifactCommands.ts';
import { registerDiffCommands } from './diff/diffCommands.ts';
import { registerChartCommands } from './charts/chartCommands.ts';
import { registerLeaderboardCommands } from './leaderboard/leaderboardCommands.ts';
import { registerPanelSerializers } from './webview/panelSerializers.ts';
import { createStatusBar } from './servers/statusBar.ts';
import { MlprojectLanguageClient } from './languageClient.ts';
import { registerProjectCommands } from './projects/projectCommands.ts';

export interface ExtensionApi {
  registry: ServerRegistry;
  tree: RunsTreeProvider;
}

let logger: Logger | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi | undefined> {
  logger = createLogger(context);
  try {
    return await activateInner(context, logger);
  } catch (e) {
    logger.error('MLflow failed to start', e);
    const choice = await vscode.window.showErrorMessage(
      uiText(`MLflow failed to start: ${e instanceof Error ? e.message : String(e)}`),
      'Show Logs',
    );
    if (choice) logger.show();
    return undefined;
  }
}

async function activateInner(context: vscode.ExtensionContext, log: Logger): Promise<ExtensionApi> {
  log.info(
    `Activating MLflow for VS Code ${String(context.extension.packageJSON.version)} (VS Code ${vscode.version})`,
  );
  const registry = new ServerRegistry(context.secrets, log);
  context.subscriptions.push(registry);
  const localServers = new LocalServerManager(log, (folder, uri) => registry.setLocalUri(folder, uri));
  context.subscriptions.push(localServers);

  const memory = new AnalysisMemory(context.workspaceState);
  const tree = new RunsTreeProvider(registry, log, memory);
  const view = vscode.window.createTreeView<TreeNode>('mlflow.runs', {
    treeDataProvider: tree,
    showCollapseAll: true,
    canSelectMany: true,
  });
  tree.attach(view);
  context.subscriptions.push(tree, view);

  const models = new ModelsTreeProvider(registry, log);
  const modelsView = vscode.window.createTreeView('mlflow.models', { treeDataProvider: models, showCollapseAll: true });
  context.subscriptions.push(models, modelsView);

  const artifacts = new ArtifactFileSystem(registry, log);
  ArtifactFileSystem.register(context, artifacts);

  const ctx: CommandContext = {
    extension: context,
    registry,
    tree,
    runs: tree.model,
    view,
    logger: log,
    artifacts,
    localServers,
    memory,
  };
  registerServerCommands(ctx);
  registerRunCommands(ctx);
  registerArtifactCommands(ctx);
  registerDiffCommands(ctx);
  registerChartCommands(ctx);
  registerLeaderboardCommands(ctx);
  registerPanelSerializers(ctx);
  registerModelCommands(ctx, models, modelsView);

  context.subscriptions.push(createStatusBar(registry));

  const languageClient = new MlprojectLanguageClient(context, log);
  context.subscriptions.push(languageClient);
  registerCommand(ctx, 'mlflow.restartLanguageServer', () => languageClient.restart());
  registerProjectCommands(ctx, languageClient);

  void registry.detectLocalStores();
  return { registry, tree };
}

export function deactivate(): void {
  logger = undefined;
}
