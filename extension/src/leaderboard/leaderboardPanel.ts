// The leaderboard panel: a webview (webviews/src/leaderboard) served by a LeaderboardController,
// one panel per tracking server. Row actions become the extension's commands: reveal a run in
// the tree, diff two runs, chart runs.
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import type { MlflowClient } from '../mlflow/client.ts';
import { describeError } from '../mlflow/errors.ts';
import { LeaderboardController } from './leaderboardController.ts';
import type { LeaderboardState } from '../../../webviews/protocol/leaderboard.ts';
import {
  defaultLeaderboardState,
  LEADERBOARD_VIEW_TYPE,
  LeaderboardCommands,
  LeaderboardNotifications,
  LeaderboardRequests,
  sanitizeLeaderboardState,
} from '../../../webviews/protocol/leaderboard.ts';
import type { IpcEndpoint } from '../../../webviews/protocol/ipc.ts';
import type { PanelDeps } from '../webview/panelResources.ts';
import { createPanel, WebviewPanelBase } from '../webview/panelBase.ts';

export class LeaderboardPanel extends WebviewPanelBase<LeaderboardState, LeaderboardController> {
  private static readonly open = new Set<LeaderboardPanel>();

  /** Reveals the server's leaderboard (adding experiments to it when asked) or opens one. */
  static show(deps: PanelDeps, serverId: string, serverName: string, experimentIds: readonly string[]): LeaderboardPanel {
    const existing = [...LeaderboardPanel.open].find((p) => p.state.serverId === serverId);
    if (existing) {
      if (experimentIds.length > 0 && !experimentIds.every((id) => existing.state.experimentIds.includes(id))) {
        // A different experiment was asked for: show it fresh, keeping the layout choices.
        existing.currentState = { ...existing.state, experimentIds: [...experimentIds] };
        existing.controller = undefined;
        existing.render();
      }
      existing.panel.reveal();
      return existing;
    }
    return new LeaderboardPanel(deps, createPanel(deps, LEADERBOARD_VIEW_TYPE, `Leaderboard: ${serverName}`), defaultLeaderboardState(serverId, [...experimentIds]));
  }

  static revive(deps: PanelDeps, panel: vscode.WebviewPanel, saved: unknown): LeaderboardPanel {
    const state = sanitizeLeaderboardState(saved) ?? defaultLeaderboardState(deps.registry.selected()?.id ?? '');
    return new LeaderboardPanel(deps, panel, state);
  }

  private constructor(deps: PanelDeps, panel: vscode.WebviewPanel, state: LeaderboardState) {
    super(deps, panel, 'leaderboard', state, LeaderboardPanel.open as Set<WebviewPanelBase<LeaderboardState, LeaderboardController>>);
    this.start();
  }

  protected handle(endpoint: IpcEndpoint): void {
    endpoint.onRequest(LeaderboardRequests.load, async (_p, signal) => {
      const c = this.ensureController();
      if (typeof c === 'string') return { state: this.currentState, serverName: '', experiments: [], error: c };
      return c.load(this.currentState, signal);
    });
    endpoint.onRequest(LeaderboardRequests.keys, ({ experimentIds }, signal) => this.requireController().keys(experimentIds, signal));
    endpoint.onRequest(LeaderboardRequests.page, ({ state, pageToken, offset }, signal) => this.requireController().page(this.own(state), pageToken, offset, signal));
    endpoint.onRequest(LeaderboardRequests.groups, ({ state }, signal) =>
      this.requireController().groups(this.own(state), (scanned, groups) => endpoint.notify(LeaderboardNotifications.groupProgress, { scanned, groups }), signal),
    );
    endpoint.onCommand(LeaderboardCommands.stateChanged, (state) => {
      const clean = sanitizeLeaderboardState(state);
      if (clean && clean.serverId === this.currentState.serverId) this.currentState = clean;
    });
    endpoint.onCommand(LeaderboardCommands.revealRun, ({ runId }) => this.run('mlflow.revealRun', runId, this.currentState.serverId));
    endpoint.onCommand(LeaderboardCommands.diffRuns, ({ runIds }) => this.run('mlflow.diffRuns', { serverId: this.currentState.serverId, runIds }));
    endpoint.onCommand(LeaderboardCommands.chartRuns, ({ runIds, metricKeys }) => this.run('mlflow.compareRuns', { serverId: this.currentState.serverId, runIds, metricKeys }));
  }

  /** A view never picks the server: queries always go to the panel's own. */
  private own(state: LeaderboardState): LeaderboardState {
    const clean = sanitizeLeaderboardState(state) ?? this.currentState;
    return { ...clean, serverId: this.currentState.serverId };
  }

  private async run(command: string, ...args: unknown[]): Promise<void> {
    try {
      await vscode.commands.executeCommand(command, ...args);
    } catch (e) {
      this.deps.logger.warn(`${command} from the leaderboard: ${describeError(e)}`);
      void vscode.window.showErrorMessage(uiText(describeError(e)));
    }
  }

  protected createController(client: () => MlflowClient, serverName: string): LeaderboardController {
    return new LeaderboardController({ client, serverName });
  }

  protected missingServerMessage(): string {
    const id = this.currentState.serverId;
    return id ? `The tracking server of this leaderboard is no longer configured (id ${id}).` : 'No MLflow tracking server is configured.';
  }
}
