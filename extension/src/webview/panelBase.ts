// The lifecycle every webview panel shares: the icon, one IPC connection renewed whenever the
// page is torn down (hidden without retainContextWhenHidden), the view state the host keeps so a
// re-shown or reloaded panel looks the same, the controller for the panel's server, a fresh
// render per show, and disposal. ChartsPanel and LeaderboardPanel add only their requests and
// what they follow.
import * as vscode from 'vscode';
import type { IpcEndpoint } from '../../../webviews/protocol/ipc.ts';
import { IpcError } from '../../../webviews/protocol/ipc.ts';
import type { MlflowClient } from '../mlflow/client.ts';
import { describeError } from '../mlflow/errors.ts';
import { panelOptions, renderView } from './panelResources.ts';
import type { PanelDeps, ViewName } from './panelResources.ts';
import { WebviewConnection } from './webviewIpc.ts';

/** A new panel with the options every view of the extension gets. */
export function createPanel(deps: PanelDeps, viewType: string, title: string): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, panelOptions(deps.extensionUri));
}

/** What a panel's controller must say: which server it was made for (by name, to notice a rename). */
interface ServerController {
  readonly serverName: string;
}

export abstract class WebviewPanelBase<S extends { readonly serverId: string }, C extends ServerController>
  implements vscode.Disposable
{
  readonly panel: vscode.WebviewPanel;
  protected readonly deps: PanelDeps;
  protected readonly connection: WebviewConnection;
  protected readonly disposables: vscode.Disposable[] = [];
  protected currentState: S;
  /** Made on first use and kept while the server keeps its name (see ensureController). */
  protected controller: C | undefined;
  private readonly view: ViewName;
  /** The open panels of this kind (the subclass's static set), to find one to reveal. */
  private readonly openPanels: Set<WebviewPanelBase<S, C>>;

  /** Subclasses call `start()` at the end of their constructor, once their own fields are set. */
  protected constructor(
    deps: PanelDeps,
    panel: vscode.WebviewPanel,
    view: ViewName,
    state: S,
    openPanels: Set<WebviewPanelBase<S, C>>,
  ) {
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
    this.controller = undefined;
    for (const d of this.disposables) d.dispose();
  }

  /** Registers the view's requests and commands on a (renewed) endpoint. */
  protected abstract handle(endpoint: IpcEndpoint): void;

  /** A controller for the panel's server; it gets a client lookup, since it outlives settings changes. */
  protected abstract createController(client: () => MlflowClient, serverName: string): C;

  /** What the view says when the panel's server is no longer configured. */
  protected abstract missingServerMessage(): string;

  /**
   * The panel's controller: the current one while its server keeps its name, else a new one; or,
   * as a string, why there can be none (the server is gone or cannot be reached).
   */
  protected ensureController(): C | string {
    const registry = this.deps.registry;
    const server = registry.get(this.currentState.serverId);
    if (!server) return this.missingServerMessage();
    try {
      // Fails now, with the reason, when the server cannot be reached (a stopped local store).
      registry.client(server);
      if (this.controller?.serverName !== server.name)
        this.controller = this.createController(registry.clientSource(server), server.name);
      return this.controller;
    } catch (e) {
      return describeError(e);
    }
  }

  /** For a request from the view: the controller, or why there is none as the view's error. */
  protected requireController(): C {
    const c = this.ensureController();
    if (typeof c === 'string') throw new IpcError('server', c);
    return c;
  }

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
