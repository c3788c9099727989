// Opening run artifacts in editor tabs: text, JSON, YAML and CSV as documents, images in the
// image preview; files over a megabyte download first with progress and a Cancel button.
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import { formatBytes } from '../util/bytes.ts';
import { artifactUri } from '../artifacts/artifactUri.ts';
import type { ArtifactNode } from '../tree/nodes.ts';
import type { CommandContext } from './commandContext.ts';
import { isTreeNode, registerCommand } from './commandContext.ts';

const PROGRESS_THRESHOLD = 1024 * 1024;
/** Past this, editors struggle; the user saves the file instead. */
const OPEN_LIMIT = 64 * 1024 * 1024;

/** Artifacts MLflow writes without an extension that read best as YAML. */
const YAML_NAMES = new Set(['MLmodel', 'MLproject']);

export function registerArtifactCommands(ctx: CommandContext): void {
  registerCommand(ctx, 'mlflow.openArtifact', async (arg) => {
    if (!isTreeNode(arg) || arg.kind !== 'artifact' || arg.file.is_dir) throw new Error('Pick an artifact file in the MLflow view.');
    await openArtifact(ctx, arg);
  });
}

export async function openArtifact(ctx: CommandContext, node: ArtifactNode): Promise<void> {
  const run = node.runNode.run;
  const uri = artifactUri(node.runNode.server.id, run.info.run_id, node.file.path);
  const size = node.file.file_size ?? 0;
  const name = node.file.path.split('/').pop() ?? node.file.path;
  if (size > OPEN_LIMIT) {
    const choice = await vscode.window.showWarningMessage(uiText(`${name} is ${formatBytes(size)}, too large to open in an editor.`), 'Save As…');
    if (choice) await saveAs(ctx, uri, name, size);
    return;
  }
  if (size > PROGRESS_THRESHOLD && !(await download(ctx, uri, name, size))) return;
  await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
  if (YAML_NAMES.has(name)) {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc && doc.languageId === 'plaintext') await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
  }
}

/** Downloads (into the artifact cache when it fits) with a cancellable progress notification. */
async function download(ctx: CommandContext, uri: vscode.Uri, name: string, size: number): Promise<Uint8Array | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: uiText(`Downloading ${name}`), cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      let reported = 0;
      try {
        return await ctx.artifacts.prefetch(
          uri,
          (p) => {
            const total = p.total ?? size;
            const pct = total > 0 ? (p.received / total) * 100 : 0;
            progress.report({ increment: pct - reported, message: `${formatBytes(p.received)} of ${formatBytes(total)}` });
            reported = pct;
          },
          abort.signal,
        );
      } catch (e) {
        if (token.isCancellationRequested) return undefined;
        throw e;
      } finally {
        sub.dispose();
      }
    },
  );
}

async function saveAs(ctx: CommandContext, uri: vscode.Uri, name: string, size: number): Promise<void> {
  const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(name), title: uiText(`Save ${name}`) });
  if (!target) return;
  const bytes = await download(ctx, uri, name, size);
  if (!bytes) return;
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.showInformationMessage(uiText(`Saved ${name} to ${target.fsPath}.`));
}
