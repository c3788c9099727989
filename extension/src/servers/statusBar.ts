// Shows which tracking server is selected and whether it answers; a click picks another.
import * as vscode from 'vscode';
import { escapeHiddenKeepingLines, uiText } from '../../../webviews/protocol/displayText.ts';
import { describeError } from '../mlflow/errors.ts';
import type { ServerRegistry } from './serverRegistry.ts';

export function createStatusBar(registry: ServerRegistry): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mlflow.server', vscode.StatusBarAlignment.Left, 10);
  item.name = 'MLflow Server';
  item.command = 'mlflow.selectServer';
  const update = () => {
    const server = registry.selected();
    if (!server) {
      item.text = '$(beaker) MLflow: no server';
      item.tooltip = 'No MLflow tracking server. Click to add or select one.';
      item.backgroundColor = undefined;
      item.show();
      return;
    }
    const state = registry.state(server);
    const icon =
      state.kind === 'connected'
        ? '$(beaker)'
        : state.kind === 'connecting' || state.kind === 'unknown'
          ? '$(sync~spin)'
          : state.kind === 'stopped'
            ? '$(debug-stop)'
            : '$(warning)';
    item.text = `${icon} MLflow: ${uiText(server.name, 60)}`; // ui-text: the name goes through uiText; the icon is ours
    const detail =
      state.kind === 'connected'
        ? `Connected · MLflow ${state.version}`
        : state.kind === 'error'
          ? describeError(state.error)
          : state.kind === 'stopped'
            ? 'Local store; the server is not running'
            : 'Connecting…';
    item.tooltip = escapeHiddenKeepingLines(
      `${server.name}${server.uri ? ` (${server.uri})` : ''}\n${detail}\nClick to select another server.`,
    );
    item.backgroundColor =
      state.kind === 'error' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.accessibilityInformation = { label: uiText(`MLflow server ${server.name}: ${detail}`) };
    item.show();
  };
  const subs = [
    registry.onDidChangeServers(update),
    registry.onDidChangeState(update),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('mlflow.selectedServer') && update()),
  ];
  update();
  const selected = registry.selected();
  if (selected) void registry.check(selected);
  return vscode.Disposable.from(item, ...subs);
}
