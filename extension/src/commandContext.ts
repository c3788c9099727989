// What every command needs (built once at activation), and the one place commands are
// registered: each runs inside a guard that logs unexpected failures with their stack and shows
// the user one clean message. Which node a command acts on is runs/treeSelection.ts.
import * as vscode from 'vscode';
import { uiText } from '../../webviews/protocol/displayText.ts';
import type { Logger } from './shared/logger.ts';
import { describeError, isCancellation } from './mlflow/errors.ts';
import type { ServerRegistry } from './servers/serverRegistry.ts';
import type { ArtifactFileSystem } from './artifacts/artifactFileSystem.ts';
import type { RunsTreeProvider } from './runs/runsTreeProvider.ts';
import type { RunBrowserModel } from './runs/runBrowserModel.ts';
import type { TreeNode } from './runs/nodes.ts';
import type { LocalServerManager } from './servers/localServer.ts';
import type { AnalysisMemory } from './shared/analysisMemory.ts';

export interface CommandContext {
  readonly extension: vscode.ExtensionContext;
  readonly registry: ServerRegistry;
  readonly tree: RunsTreeProvider;
  /** The run browser's data; every edit of a run goes through it. */
  readonly runs: RunBrowserModel;
  readonly view: vscode.TreeView<TreeNode>;
  readonly logger: Logger;
  readonly artifacts: ArtifactFileSystem;
  readonly localServers: LocalServerManager;
  /** The user's analysis choices: pinned primary metrics, directions, leaderboard states. */
  readonly memory: AnalysisMemory;
}

export function registerCommand(ctx: CommandContext, id: string, handler: (...args: unknown[]) => unknown): void {
  ctx.extension.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (e) {
        if (isCancellation(e) || e instanceof vscode.CancellationError) return undefined;
        ctx.logger.error(`Command ${id} failed`, e);
        const choice = await vscode.window.showErrorMessage(uiText(describeError(e)), 'Show Logs');
        if (choice) ctx.logger.show();
        return undefined;
      }
    }),
  );
}
