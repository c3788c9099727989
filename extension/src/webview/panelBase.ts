// The lifecycle every webview panel shares: the icon, one IPC connection renewed whenever the
// page is torn down (hidden without retainContextWhenHidden), the view state the host keeps so a
// re-shown or reloaded panel looks the same, a fresh render per show, and disposal. ChartsPanel
// and LeaderboardPanel add only their requests and what they follow.
import * as vscode from 'vscode';
import type { IpcEndpoint } from '../../../webviews/protocol/ipc.ts';
import { panelOptions, renderView } from './panelResources.ts';
import type { PanelDeps, ViewName } from './panelResources.ts';
import { WebviewConnection } from './webviewIpc.ts';

/** A new panel with the options every view of the extension gets. */
export function createPanel(deps: PanelDeps, viewType: string, title: string): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, panelOptions(deps.extensionUri));
}

export abstract class WebviewPanelBase<S> implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  protected readonly deps: PanelDeps;
  protected readonly connection: WebviewConnection;
  protected readonly disposables: vscode.Disposable[] = [];
  protected currentState: S;
  private readonly view: ViewName;
  /** The open panels of this kind (the subclass's static set), to find one to reveal. */
  private readonly openPanels: Set<WebviewPanelBase<S>>;

  /** Subclasses call `start()` at the end of their constructor, once their own fields are set. */
  protected constructor(deps: PanelDeps, panel: vscode.WebviewPanel, view: ViewName, state: S, openPanels: Set<WebviewPanelBase<S>>) {
    this.deps = deps;
    this.panel = panel;
    this.view = view;
    this.currentState = state;
    this.openPanels = openPanels;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'mlflow.svg');
    // `handle` only registers handlers here; they run once the view asks.
    this.connection = new WebviewConnection(panel.webview, deps.logger, (endpoint) => this.handle(endpoint));
    this.disposables.push(
      this.connection,
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) {
          // The page is torn down: cancel what it asked for.
          this.onHidden();
          this.connection.renew();
        } else this.onShown();
      }),
    );
  }

  get state(): S {
    return this.currentState;
  }

  dispose(): void {
    if (!this.openPanels.delete(this)) return;
    this.onDispose();
    for (const d of this.disposables) d.dispose();
  }

  /** Registers the view's requests and commands on a (renewed) endpoint. */
  protected abstract handle(endpoint: IpcEndpoint): void;

  protected onHidden(): void {}

  protected onShown(): void {}

  protected onDispose(): void {}

  protected start(): void {
    this.render();
    this.openPanels.add(this);
  }

  /** Loads the view's page afresh (with a new nonce). */
  protected render(): void {
    this.panel.webview.html = renderView(this.panel.webview, this.deps.extensionUri, this.view, this.panel.title);
  }
}
