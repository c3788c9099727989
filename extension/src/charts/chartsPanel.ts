// The metric charts panel: a webview (webviews/src/charts) served by a ChartsController. It
// keeps the view's latest state (so hide/show and window reloads restore it), follows running
// runs while visible, and does the file work for exports (save dialogs, writing).
import * as vscode from 'vscode';
import type { MlflowClient } from '../mlflow/client.ts';
import { describeError } from '../mlflow/errors.ts';
import { readSettings } from '../shared/settings.ts';
import { withCancellableProgress } from '../shared/cancellableProgress.ts';
import { ChartsController } from './chartsController.ts';
import type { ChartsState } from '../../../webviews/protocol/charts.ts';
import {
  CHARTS_VIEW_TYPE,
  ChartsCommands,
  ChartsNotifications,
  ChartsRequests,
  defaultChartsState,
  sanitizeChartsState,
} from '../../../webviews/protocol/charts.ts';
import type { IpcEndpoint } from '../../../webviews/protocol/ipc.ts';
import type { PanelDeps } from '../webview/panelResources.ts';
import { createPanel, WebviewPanelBase } from '../webview/panelBase.ts';
import { defaultSaveUri, saveBytes, safeFileName } from '../webview/saveFile.ts';

/** The shortest poll, whatever the setting says (each round reads every live run). */
const MIN_POLL_MS = 2_000;

export class ChartsPanel extends WebviewPanelBase<ChartsState, ChartsController> {
  private static readonly open = new Set<ChartsPanel>();

  /** Opens a panel for these runs, or reveals the one already showing exactly them. */
  static show(deps: PanelDeps, state: ChartsState, title: string): ChartsPanel {
    const same = [...ChartsPanel.open].find(
      (p) => p.state.serverId === state.serverId && sameSet(p.state.runIds, state.runIds),
    );
    if (same) {
      same.panel.reveal();
      const extra = state.metricKeys.filter((k) => !same.state.metricKeys.includes(k));
      if (extra.length > 0) {
        same.setState({ ...same.state, metricKeys: [...same.state.metricKeys, ...extra] });
        same.connection.endpoint.notify(ChartsNotifications.showMetrics, { metricKeys: extra });
      }
      return same;
    }
    return new ChartsPanel(deps, createPanel(deps, CHARTS_VIEW_TYPE, title), state);
  }

  /** Brings back a panel after a window reload from the state its view saved. */
  static revive(deps: PanelDeps, panel: vscode.WebviewPanel, saved: unknown): ChartsPanel {
    const state = sanitizeChartsState(saved);
    if (!state) deps.logger.warn('A metric chart could not be restored: its saved state is unreadable');
    return new ChartsPanel(
      deps,
      panel,
      state ?? defaultChartsState('', []),
      state ? undefined : 'This chart could not be restored. Open it again from the MLflow view.',
    );
  }

  private readonly restoreError: string | undefined;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private polling: AbortController | undefined;
  private viewLoaded = false;
  private prefetching: AbortController | undefined;

  private constructor(deps: PanelDeps, panel: vscode.WebviewPanel, state: ChartsState, restoreError?: string) {
    super(deps, panel, 'charts', state, ChartsPanel.open as Set<WebviewPanelBase<ChartsState, ChartsController>>);
    this.restoreError = restoreError;
    this.prefetch();
    this.start();
  }

  protected override onHidden(): void {
    // Stop following; the base cancels what the page asked for.
    this.viewLoaded = false;
    this.stopPolling();
    this.prefetching?.abort();
  }

  protected override onShown(): void {
    if (!this.viewLoaded) this.prefetch();
  }

  protected override onDispose(): void {
    this.stopPolling();
    this.prefetching?.abort();
  }

  private setState(state: ChartsState): void {
    this.currentState = state;
    this.controller?.setState(state);
  }

  protected handle(endpoint: IpcEndpoint): void {
    endpoint.onRequest(ChartsRequests.load, async (_p, signal) => {
      const controller = this.ensureController();
      if (typeof controller === 'string')
        return { state: this.currentState, serverName: '', runs: [], metricKeys: [], error: controller };
      const result = await controller.load(signal);
      this.currentState = controller.state;
      this.viewLoaded = true;
      this.schedulePoll();
      return result;
    });
    endpoint.onRequest(ChartsRequests.history, (params, signal) => this.requireController().history(params, signal));
    endpoint.onRequest(ChartsRequests.refreshRuns, async (_p, signal) => {
      const res = await this.requireController().refreshRuns(signal);
      this.schedulePoll();
      return res;
    });
    endpoint.onRequest(ChartsRequests.exportPng, async ({ metricKey, pngBase64 }) => {
      const saved = await saveBytes(
        Buffer.from(pngBase64, 'base64'),
        `${safeFileName(metricKey)}.png`,
        { 'PNG image': ['png'] },
        'Save Chart as PNG',
      );
      return saved ? { saved } : {};
    });
    endpoint.onRequest(ChartsRequests.exportCsv, ({ metricKeys, runIds }, signal) =>
      this.exportCsv(metricKeys, runIds, signal),
    );
    endpoint.onCommand(ChartsCommands.stateChanged, (state) => {
      const clean = sanitizeChartsState(state);
      // A view may only change its presentation, never which server or runs it shows.
      if (clean && clean.serverId === this.currentState.serverId && sameSet(clean.runIds, this.currentState.runIds))
        this.setState(clean);
    });
    endpoint.onCommand(ChartsCommands.painted, ({ ms, points }) =>
      this.deps.logger.debug(`Metric chart painted in ${Math.round(ms)} ms (${points} points)`),
    );
  }

  /** Reads runs and first histories while the webview boots (see ChartsController.prefetch). */
  private prefetch(): void {
    const c = this.ensureController();
    if (typeof c === 'string') return;
    this.prefetching?.abort();
    this.prefetching = new AbortController();
    c.prefetch(this.prefetching.signal);
  }

  protected override ensureController(): ChartsController | string {
    return this.restoreError ?? super.ensureController();
  }

  protected createController(client: () => MlflowClient, serverName: string): ChartsController {
    return new ChartsController({ client, serverName, state: this.currentState });
  }

  protected missingServerMessage(): string {
    return `The tracking server of this chart is no longer configured (id ${this.currentState.serverId}).`;
  }

  private async exportCsv(metricKeys: string[], runIds: string[], signal: AbortSignal): Promise<{ saved?: string }> {
    const controller = this.requireController();
    const name = metricKeys.length === 1 ? safeFileName(metricKeys[0]!) : 'metrics';
    const target = await vscode.window.showSaveDialog({
      defaultUri: defaultSaveUri(`${name}.csv`),
      filters: { CSV: ['csv'] },
      title: 'Export Metric History as CSV',
    });
    if (!target) return {};
    // Cancel in the notification or a closed panel (the request's signal) stops the export.
    const chunks = await withCancellableProgress(
      'Exporting full metric history',
      (exportSignal, progress) => {
        let last = 0;
        return controller.csv(metricKeys, runIds, {
          signal: exportSignal,
          onProgress: (done, total) => {
            const pct = (done / total) * 100;
            progress.report({ increment: pct - last, message: `${done} of ${total} series` });
            last = pct;
          },
        });
      },
      { signal },
    );
    await vscode.workspace.fs.writeFile(target, Buffer.from(chunks.join(''), 'utf8'));
    return { saved: target.fsPath || target.toString() };
  }

  // ---- live following ------------------------------------------------------------------------

  private schedulePoll(): void {
    if (this.pollTimer !== undefined || this.polling) return;
    const seconds = readSettings().refreshIntervalSeconds;
    if (seconds <= 0 || !this.panel.visible || !this.viewLoaded || !this.controller?.anyLive) return;
    this.pollTimer = setTimeout(() => void this.pollOnce(), Math.max(MIN_POLL_MS, seconds * 1000));
  }

  private async pollOnce(): Promise<void> {
    this.pollTimer = undefined;
    const controller = this.controller;
    if (!controller || !this.panel.visible) return;
    const abort = new AbortController();
    this.polling = abort;
    const endpoint = this.connection.endpoint;
    try {
      const res = await controller.poll(abort.signal);
      if (abort.signal.aborted || endpoint.isDisposed) return;
      if (res.runsChanged) endpoint.notify(ChartsNotifications.runsChanged, res.runsChanged);
      for (const a of res.appended) endpoint.notify(ChartsNotifications.appended, a);
    } catch (e) {
      if (!abort.signal.aborted) this.deps.logger.warn(`Following running runs: ${describeError(e)}`);
    } finally {
      if (this.polling === abort) this.polling = undefined;
      this.schedulePoll();
    }
  }

  private stopPolling(): void {
    if (this.pollTimer !== undefined) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    this.polling?.abort();
    this.polling = undefined;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
