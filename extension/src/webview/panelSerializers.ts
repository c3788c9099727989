// Brings chart and leaderboard panels back after a window reload, from the state their views
// saved with setState (VS Code hands it to the serializer, without the panel's options).
import * as vscode from 'vscode';
import type { CommandContext } from '../commandContext.ts';
import { CHARTS_VIEW_TYPE } from '../../../webviews/protocol/charts.ts';
import { LEADERBOARD_VIEW_TYPE } from '../../../webviews/protocol/leaderboard.ts';
import { ChartsPanel } from '../charts/chartsPanel.ts';
import { LeaderboardPanel } from '../leaderboard/leaderboardPanel.ts';
import { applyWebviewOptions, panelDeps } from './panelResources.ts';

export function registerPanelSerializers(ctx: CommandContext): void {
  const deps = panelDeps(ctx);
  ctx.extension.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(CHARTS_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        applyWebviewOptions(panel.webview, deps.extensionUri);
        ChartsPanel.revive(deps, panel, state);
      },
    }),
    vscode.window.registerWebviewPanelSerializer(LEADERBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        applyWebviewOptions(panel.webview, deps.extensionUri);
        LeaderboardPanel.revive(deps, panel, state);
      },
    }),
  );
}
