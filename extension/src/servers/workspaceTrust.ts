// Restricted Mode: browsing tracking servers is safe in any workspace, but starting a local
// server, `mlflow run` and the workspace's Python interpreter run programs the workspace chooses
// (its interpreter, its MLproject commands), so they wait until the user trusts the workspace.
import * as vscode from 'vscode';

/** Why an action is refused in an untrusted workspace, said the same way everywhere. */
export function untrustedMessage(action: string): string {
  return `${action} is disabled in Restricted Mode: it runs programs from this workspace (its Python and MLflow). Trust the workspace to allow it; browsing tracking servers works either way.`;
}

/** True when trusted; otherwise says why the action is refused and offers to manage trust. */
export async function requireWorkspaceTrust(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(untrustedMessage(action), 'Manage Workspace Trust'); // ui-text: action is one of our own literal names
  if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
