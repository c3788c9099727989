// The command that opens a server's leaderboard. It accepts a tree node (its experiment or
// server) or the plain object other features pass: mlflow.openLeaderboard: { serverId, experimentIds? }.
import type { ServerConfig } from '../servers/serverConfig.ts';
import { arrayOf, isString, optional, shape } from '../../../webviews/protocol/guards.ts';
import type { CommandContext } from '../commandContext.ts';
import { registerCommand } from '../commandContext.ts';
import { isTreeNode } from '../runs/treeSelection.ts';
import { panelDeps } from '../webview/panelResources.ts';
import { LeaderboardPanel } from './leaderboardPanel.ts';

const isLeaderboardArgs = shape({ serverId: isString, experimentIds: optional(arrayOf(isString)) });

export function registerLeaderboardCommands(ctx: CommandContext): void {
  const deps = panelDeps(ctx);
  registerCommand(ctx, 'mlflow.openLeaderboard', (arg) => {
    const { server, experimentIds, experimentNames } = leaderboardTarget(ctx, arg);
    LeaderboardPanel.show(deps, server.id, server.name, experimentIds, experimentNames);
  });
}

function leaderboardTarget(
  ctx: CommandContext,
  arg: unknown,
): { server: ServerConfig; experimentIds: string[]; experimentNames?: string[] } {
  if (isLeaderboardArgs(arg)) {
    const server = ctx.registry.get(arg.serverId);
    if (!server) throw new Error(`No configured MLflow server has the id ${arg.serverId}.`);
    return { server, experimentIds: arg.experimentIds ?? [] };
  }
  const from = isTreeNode(arg) ? [arg] : [...ctx.view.selection];
  for (const node of from) {
    for (let n: typeof node | undefined = node; n; n = n.parent) {
      if (n.kind === 'experiment')
        return { server: n.server, experimentIds: [n.experiment.experiment_id], experimentNames: [n.experiment.name] };
      if (n.kind === 'run') return { server: n.server, experimentIds: [n.run.info.experiment_id] };
      if (n.kind === 'server') return { server: n.server, experimentIds: [] };
    }
  }
  const server = ctx.registry.selected();
  if (!server) throw new Error('No MLflow tracking server is configured. Run "MLflow: Add Tracking Server…" first.');
  return { server, experimentIds: [] };
}
