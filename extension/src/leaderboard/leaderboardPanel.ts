// The leaderboard panel: a webview (webviews/src/leaderboard) served by a LeaderboardController,
// one panel per experiment set, titled with the experiments' names; its state is remembered per
// experiment set in the workspace (AnalysisMemory) as well as by the webview (setState). Row actions become the extension's commands: reveal a run in
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
  TIMEOUT_SETTING,
} from '../../../webviews/protocol/leaderboard.ts';
import type { IpcEndpoint } from '../../../webviews/protocol/ipc.ts';
import type { PanelDeps } from '../webview/panelResources.ts';
import { createPanel, WebviewPanelBase } from '../webview/panelBase.ts';
import { experimentSetKey } from '../shared/analysisMemory.ts';
import { leaderboardTitle } from './leaderboardQuery.ts';

export class LeaderboardPanel extends WebviewPanelBase<LeaderboardState, LeaderboardController> {
  private static readonly open = new Set<LeaderboardPanel>();

  /**
   * Reveals the leaderboard of these experiments (any of the server's when none are named) or
   * opens one with the state last used for exactly this set.
   */
  static show(
    deps: PanelDeps,
    serverId: string,
    serverName: string,
    experimentIds: readonly string[],
    experimentNames: readonly string[] = [],
  ): LeaderboardPanel {
    const set = experimentSetKey(serverId, experimentIds);
    const existing = [...LeaderboardPanel.open].find(
      (p) =>
        p.state.serverId === serverId &&
        (experimentIds.length === 0 || experimentSetKey(serverId, p.state.experimentIds) === set),
    );
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const state =
      deps.memory.leaderboard(serverId, experimentIds) ?? defaultLeaderboardState(serverId, [...experimentIds]);
    const title = experimentNames.length > 0 ? leaderboardTitle(experimentNames) : `Leaderboard: ${serverName}`;
    return new LeaderboardPanel(deps, createPanel(deps, LEADERBOARD_VIEW_TYPE, uiText(title)), state);
  }

  static revive(deps: PanelDeps, panel: vscode.WebviewPanel, saved: unknown): LeaderboardPanel {
    const state = sanitizeLeaderboardState(saved) ?? defaultLeaderboardState(deps.registry.selected()?.id ?? '');
    return new LeaderboardPanel(deps, panel, state);
  }

  /** Experiment names from the last load, for the title. */
  private readonly names = new Map<string, string>();

  private constructor(deps: PanelDeps, panel: vscode.WebviewPanel, state: LeaderboardState) {
    super(
      deps,
      panel,
      'leaderboard',
      state,
      LeaderboardPanel.open as Set<WebviewPanelBase<LeaderboardState, LeaderboardController>>,
    );
    this.start();
  }

  protected handle(endpoint: IpcEndpoint): void {
    endpoint.onRequest(LeaderboardRequests.load, async (_p, signal) => {
      const c = this.ensureController();
      if (typeof c === 'string') return { state: this.currentState, serverName: '', experiments: [], error: c };
      const loaded = await c.load(this.currentState, signal);
      for (const e of loaded.experiments) this.names.set(e.experimentId, e.name);
      this.retitle();
      return loaded;
    });
    endpoint.onRequest(LeaderboardRequests.keys, async ({ experimentIds }, signal) => {
      const serverId = this.currentState.serverId;
      const memory = this.deps.memory;
      const keys = await this.requireController().keys(experimentIds, signal, {
        pinned: (id) => memory.pinnedMetric(serverId, id),
        direction: (metric) => memory.direction(serverId, experimentIds, metric),
      });
      const saved = memory.leaderboard(serverId, experimentIds);
      return saved ? { ...keys, saved } : keys;
    });
    endpoint.onRequest(LeaderboardRequests.page, ({ state, pageToken, offset }, signal) =>
      this.requireController().page(this.own(state), pageToken, offset, signal),
    );
    endpoint.onRequest(LeaderboardRequests.groups, ({ state }, signal) =>
      this.requireController().groups(
        this.own(state),
        (scanned, groups) => endpoint.notify(LeaderboardNotifications.groupProgress, { scanned, groups }),
        signal,
      ),
    );
    endpoint.onCommand(LeaderboardCommands.stateChanged, (state) => {
      const clean = sanitizeLeaderboardState(state);
      if (!clean || clean.serverId !== this.currentState.serverId) return;
      this.currentState = clean;
      this.retitle();
      void this.deps.memory
        .saveLeaderboard(clean)
        .then(undefined, (e: unknown) => this.deps.logger.warn(`Remembering the leaderboard: ${describeError(e)}`));
    });
    endpoint.onCommand(LeaderboardCommands.setDirection, ({ metricKey, better }) => {
      const { serverId, experimentIds } = this.currentState;
      void this.deps.memory
        .setDirection(serverId, experimentIds, metricKey, better)
        .then(undefined, (e: unknown) => this.deps.logger.warn(`Remembering a direction: ${describeError(e)}`));
    });
    endpoint.onCommand(LeaderboardCommands.revealRun, ({ runId }) =>
      this.run('mlflow.revealRun', runId, this.currentState.serverId),
    );
    endpoint.onCommand(LeaderboardCommands.diffRuns, ({ runIds }) =>
      this.run('mlflow.diffRuns', { serverId: this.currentState.serverId, runIds }),
    );
    endpoint.onCommand(LeaderboardCommands.chartRuns, ({ runIds, metricKeys }) =>
      this.run('mlflow.compareRuns', { serverId: this.currentState.serverId, runIds, metricKeys }),
    );
    endpoint.onCommand(LeaderboardCommands.openTimeoutSetting, () =>
      this.run('workbench.action.openSettings', TIMEOUT_SETTING),
    );
  }

  private retitle(): void {
    const names = this.currentState.experimentIds.map((id) => this.names.get(id) ?? id);
    if (names.length > 0) this.panel.title = uiText(leaderboardTitle(names));
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
    return id
      ? `The tracking server of this leaderboard is no longer configured (id ${id}).`
      : 'No MLflow tracking server is configured.';
  }
}
