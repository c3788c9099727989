// Export targets: the save dialog (starting in the first workspace folder) and the write.
import * as vscode from 'vscode';

/** A file name from user text (metric keys may hold slashes, colons, HTML…). */
export function safeFileName(s: string): string {
  const clean = s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|_+$/g, '');
  return clean.slice(0, 100) || 'chart';
}

export function defaultSaveUri(name: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, name) : undefined;
}

/** Asks where to save and writes; undefined when the user cancelled. */
export async function saveBytes(
  bytes: Uint8Array,
  name: string,
  filters: Record<string, string[]>,
  title: string,
): Promise<string | undefined> {
  const target = await vscode.window.showSaveDialog({ defaultUri: defaultSaveUri(name), filters, title });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, bytes);
  return target.fsPath || target.toString();
}
