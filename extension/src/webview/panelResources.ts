// What every webview panel of the extension shares: its options (scripts on, resources only from
// dist/webviews, no command URIs) and its HTML with a fresh nonce per render.
import * as vscode from 'vscode';
import type { Logger } from '../shared/logger.ts';
import type { ServerRegistry } from '../servers/serverRegistry.ts';
import { buildWebviewHtml, newNonce } from './webviewHtml.ts';
import { AnalysisMemory } from '../shared/analysisMemory.ts';

export type ViewName = 'charts' | 'leaderboard';

/** What a panel needs from the extension: where its files are, the servers, the log. */
export interface PanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly registry: ServerRegistry;
  readonly logger: Logger;
  /** The user's analysis choices (pinned metrics, directions, leaderboard states). */
  readonly memory: AnalysisMemory;
}

/** The panel dependencies out of the command context every command and serializer has. */
export function panelDeps(ctx: {
  extension: vscode.ExtensionContext;
  registry: ServerRegistry;
  logger: Logger;
}): PanelDeps {
  return {
    extensionUri: ctx.extension.extensionUri,
    registry: ctx.registry,
    logger: ctx.logger,
    memory: new AnalysisMemory(ctx.extension.workspaceState),
  };
}

function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webviews');
}

/**
 * Not retainContextWhenHidden: a hidden panel's page is torn down and comes back from the state
 * the view saved (getState) and the host kept, which is also what a window reload needs.
 */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [webviewRoot(extensionUri)],
    retainContextWhenHidden: false,
    enableFindWidget: true,
  };
}

/** Applies the options to a panel VS Code restored (the serializer gets it without them). */
export function applyWebviewOptions(webview: vscode.Webview, extensionUri: vscode.Uri): void {
  webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [webviewRoot(extensionUri)] };
}

export function renderView(webview: vscode.Webview, extensionUri: vscode.Uri, view: ViewName, title: string): string {
  const root = webviewRoot(extensionUri);
  const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(root, ...p)).toString();
  return buildWebviewHtml({
    cspSource: webview.cspSource,
    nonce: newNonce(),
    title,
    scriptUri: uri(`${view}.js`),
    styleUris: [uri('codicons', 'codicon.css'), uri(`${view}.css`)],
    view,
  });
}
