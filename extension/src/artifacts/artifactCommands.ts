// Opening run artifacts in editor tabs: text, JSON, YAML and CSV as documents, images in the
// image preview; files over a megabyte download first with progress and a Cancel button. Files
// too large for an editor are offered as Save As, which streams to disk.
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import { isCancellation } from '../mlflow/errors.ts';
import { formatBytes } from '../shared/bytes.ts';
import { withCancellableProgress } from '../shared/cancellableProgress.ts';
import { OPEN_LIMIT } from './artifactFileSystem.ts';
import { artifactUri } from './artifactUri.ts';
import { showMlflowYamlAsYaml } from './artifactLanguage.ts';
import { defaultSaveUri } from '../webview/saveFile.ts';
import type { ArtifactNode } from '../runs/nodes.ts';
import type { CommandContext } from '../commandContext.ts';
import { registerCommand } from '../commandContext.ts';
import { isTreeNode } from '../runs/treeSelection.ts';

const PROGRESS_THRESHOLD = 1024 * 1024;

export function registerArtifactCommands(ctx: CommandContext): void {
  registerCommand(ctx, 'mlflow.openArtifact', async (arg) => {
    if (!isTreeNode(arg) || arg.kind !== 'artifact' || arg.file.is_dir)
      throw new Error('Pick an artifact file in the MLflow view.');
    await openArtifact(ctx, arg);
  });
  // A file refused past the editor's cap, however it was opened (a tab, the diff editor): offer Save As.
  ctx.extension.subscriptions.push(
    ctx.artifacts.onDidRefuseTooLarge(({ uri, message }) => {
      const name = uri.path.split('/').pop() ?? uri.path;
      void vscode.window
        .showWarningMessage(uiText(message), 'Save As…')
        .then((choice) => (choice ? saveAs(ctx, uri, name) : undefined))
        .then(undefined, (e: unknown) => {
          ctx.logger.error('Save As failed', e);
          void vscode.window.showErrorMessage(
            uiText(`Could not save ${name}: ${e instanceof Error ? e.message : String(e)}`),
          );
        });
    }),
  );
}

async function openArtifact(ctx: CommandContext, node: ArtifactNode): Promise<void> {
  const run = node.runNode.run;
  const experiment = ctx.runs.experimentOf(node.runNode)?.experiment.name;
  const uri = artifactUri(node.runNode.server.id, run, node.file.path, experiment);
  const size = node.file.file_size ?? 0;
  const name = node.file.path.split('/').pop() ?? node.file.path;
  if (size > OPEN_LIMIT) {
    const choice = await vscode.window.showWarningMessage(
      uiText(
        `${name} is ${formatBytes(size)}, more than the ${formatBytes(OPEN_LIMIT)} that can be opened in an editor.`,
      ),
      'Save As…',
    );
    if (choice) await saveAs(ctx, uri, name);
    return;
  }
  if (size > PROGRESS_THRESHOLD && !(await download(ctx, uri, name, size))) return;
  await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
  await showMlflowYamlAsYaml([uri]);
}

/** Downloads (into the artifact cache when it fits) with a cancellable progress notification. */
async function download(
  ctx: CommandContext,
  uri: vscode.Uri,
  name: string,
  size: number,
): Promise<Uint8Array | undefined> {
  return withCancellableProgress(`Downloading ${name}`, async (signal, progress) => {
    let reported = 0;
    try {
      return await ctx.artifacts.prefetch(
        uri,
        (p) => {
          const total = p.total ?? size;
          const pct = total > 0 ? (p.received / total) * 100 : 0;
          progress.report({
            increment: pct - reported,
            message: `${formatBytes(p.received)} of ${formatBytes(total)}`,
          });
          reported = pct;
        },
        signal,
      );
    } catch (e) {
      // Refused past the cap (the size the server listed was wrong): Save As was offered already.
      if (signal.aborted || ctx.artifacts.refusedAsTooLarge(e)) return undefined;
      throw e;
    }
  });
}

/** Streams the artifact to a file the user picks, with progress and Cancel; any size. */
async function saveAs(ctx: CommandContext, uri: vscode.Uri, name: string): Promise<void> {
  const target = await vscode.window.showSaveDialog({
    defaultUri: defaultSaveUri(name) ?? vscode.Uri.file(name),
    title: uiText(`Save ${name}`),
  });
  if (!target) return;
  if (target.scheme !== 'file') {
    void vscode.window.showErrorMessage(
      uiText(`Save As streams to a file on this machine; ${target.toString()} is not one.`),
    );
    return;
  }
  const saved = await withCancellableProgress(`Saving ${name}`, async (signal, progress) => {
    let reported = 0;
    try {
      await ctx.artifacts.saveTo(
        uri,
        target.fsPath,
        (p) => {
          const pct = p.total ? (p.received / p.total) * 100 : 0;
          progress.report({
            increment: pct - reported,
            message: p.total ? `${formatBytes(p.received)} of ${formatBytes(p.total)}` : formatBytes(p.received),
          });
          reported = pct;
        },
        signal,
      );
      return true;
    } catch (e) {
      if (signal.aborted || isCancellation(e)) return false;
      throw e;
    }
  });
  if (saved) void vscode.window.showInformationMessage(uiText(`Saved ${name} to ${target.fsPath}.`));
  else void vscode.window.showInformationMessage(uiText(`Saving ${name} was cancelled; the partial file was removed.`));
}
