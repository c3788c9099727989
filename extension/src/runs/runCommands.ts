// Commands on experiments and runs: filter, paging, copy, open in the web UI, reveal, rename,
// tags, delete and restore. Edits of a run go through the run browser's model (ctx.runs).
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import { runName } from '../mlflow/types.ts';
import { describeError } from '../mlflow/errors.ts';
import { createFilterKeyIndex, filterRuns } from './filterBox.ts';
import type { LoadMoreNode, RunNode } from './nodes.ts';
import type { CommandContext } from '../commandContext.ts';
import { registerCommand } from '../commandContext.ts';
import { isTreeNode, targetExperiment, targetRun } from './treeSelection.ts';
import { setPrimaryMetric } from './primaryMetricCommand.ts';

export function registerRunCommands(ctx: CommandContext): void {
  const filterKeys = createFilterKeyIndex(ctx);
  registerCommand(ctx, 'mlflow.filterRuns', (arg) => filterRuns(ctx, filterKeys, targetExperiment(ctx, arg)));
  registerCommand(ctx, 'mlflow.setPrimaryMetric', (arg) => setPrimaryMetric(ctx, arg));
  registerCommand(ctx, 'mlflow.clearFilter', async (arg) => {
    const node = targetExperiment(ctx, arg);
    await ctx.tree.applyQuery(node, { ...node.listing.query, filter: '', orderBy: [] });
  });
  registerCommand(ctx, 'mlflow.toggleDeletedRuns', async (arg) => {
    const node = targetExperiment(ctx, arg);
    const viewType = node.listing.query.viewType === 'ACTIVE_ONLY' ? 'ALL' : 'ACTIVE_ONLY';
    await ctx.tree.applyQuery(node, { ...node.listing.query, viewType });
  });
  registerCommand(ctx, 'mlflow.loadMore', async (arg) => {
    if (isTreeNode(arg) && arg.kind === 'loadMore') await ctx.tree.loadMore(arg as LoadMoreNode);
  });
  registerCommand(ctx, 'mlflow.copyRunId', async (arg) => {
    const node = targetRun(ctx, arg);
    await vscode.env.clipboard.writeText(node.run.info.run_id);
    void vscode.window.setStatusBarMessage(uiText(`Copied run ID ${node.run.info.run_id}`), 3000);
  });
  registerCommand(ctx, 'mlflow.copyArtifactUri', async (arg) => {
    const node = targetRun(ctx, arg);
    const root = node.run.info.artifact_uri.replace(/\/+$/, '');
    const uri = isTreeNode(arg) && arg.kind === 'artifact' && arg.file.path ? `${root}/${arg.file.path}` : root;
    await vscode.env.clipboard.writeText(uri);
    void vscode.window.setStatusBarMessage(uiText(`Copied ${uri}`), 3000);
  });
  registerCommand(ctx, 'mlflow.openInWebUi', (arg) => openInWebUi(ctx, arg));
  registerCommand(ctx, 'mlflow.renameRun', (arg) => renameRun(ctx, arg));
  registerCommand(ctx, 'mlflow.setTag', (arg) => setTag(ctx, arg));
  registerCommand(ctx, 'mlflow.deleteTag', async (arg) => {
    if (!isTreeNode(arg) || arg.kind !== 'tag') throw new Error('Pick a tag in the MLflow view to delete it.');
    const node = arg.runNode;
    const key = arg.tag.key;
    await ctx.registry.client(node.server).deleteRunTag(node.run.info.run_id, key);
    ctx.runs.updateRun(node.server.id, node.run.info.run_id, (r) => ({
      data: { ...r.data, tags: r.data.tags.filter((t) => t.key !== key) },
    }));
  });
  registerCommand(ctx, 'mlflow.deleteRun', (arg) => deleteRun(ctx, arg));
  registerCommand(ctx, 'mlflow.revealRun', async (runId: unknown, serverId: unknown) => {
    if (typeof runId !== 'string') return;
    const server = (typeof serverId === 'string' ? ctx.registry.get(serverId) : undefined) ?? ctx.registry.selected();
    if (!server) throw new Error('No MLflow tracking server is selected.');
    const run = await ctx.registry.client(server).getRun(runId);
    await vscode.commands.executeCommand('mlflow.runs.focus');
    await ctx.tree.revealRun(server, run, { select: true, focus: true });
  });
  registerCommand(ctx, 'mlflow.restoreRun', async (arg) => {
    const node = targetRun(ctx, arg);
    await ctx.registry.client(node.server).restoreRun(node.run.info.run_id);
    ctx.runs.markRestored(node.server.id, node.run.info.run_id);
    void vscode.window.setStatusBarMessage(uiText(`Restored ${runName(node.run)}`), 3000);
  });
}

async function openInWebUi(ctx: CommandContext, arg: unknown): Promise<void> {
  let server;
  let fragment = '';
  if (isTreeNode(arg) && arg.kind === 'server') server = arg.server;
  else if (isTreeNode(arg) && arg.kind === 'experiment') {
    server = arg.server;
    fragment = `#/experiments/${encodeURIComponent(arg.experiment.experiment_id)}`;
  } else {
    const node = targetRun(ctx, arg);
    server = node.server;
    fragment = `#/experiments/${encodeURIComponent(node.run.info.experiment_id)}/runs/${encodeURIComponent(node.run.info.run_id)}`;
  }
  const base = (server.webUiUri || server.uri).replace(/\/+$/, '');
  if (!base) throw new Error(`${server.name} is not running.`);
  await vscode.env.openExternal(vscode.Uri.parse(`${base}/${fragment}`));
}

async function renameRun(ctx: CommandContext, arg: unknown): Promise<void> {
  const node = targetRun(ctx, arg);
  const current = node.run.info.run_name;
  const name = await vscode.window.showInputBox({
    title: 'Rename run',
    value: current,
    valueSelection: [0, current.length],
    validateInput: (v) =>
      v.trim() === '' ? 'A run name cannot be empty' : v.length > 250 ? 'At most 250 characters' : undefined,
  });
  if (name === undefined || name === current) return;
  const info = await ctx.registry.client(node.server).updateRun({ runId: node.run.info.run_id, runName: name });
  ctx.runs.updateRun(node.server.id, info.run_id, (r) => ({
    info,
    data: {
      ...r.data,
      tags: [...r.data.tags.filter((t) => t.key !== 'mlflow.runName'), { key: 'mlflow.runName', value: info.run_name }],
    },
  }));
}

async function setTag(ctx: CommandContext, arg: unknown): Promise<void> {
  const node = targetRun(ctx, arg);
  const key = await vscode.window.showInputBox({
    title: 'Set tag (1/2): key',
    placeHolder: 'e.g. candidate',
    ignoreFocusOut: true,
    validateInput: (v) =>
      v.trim() === '' ? 'Enter a tag key' : v.length > 250 ? 'MLflow allows at most 250 characters' : undefined,
  });
  if (!key) return;
  const existing = node.run.data.tags.find((t) => t.key === key)?.value ?? '';
  const value = await vscode.window.showInputBox({
    title: uiText(`Set tag (2/2): value of ${key}`),
    value: existing,
    ignoreFocusOut: true,
    validateInput: (v) => (v.length > 8000 ? 'MLflow allows at most 8,000 characters' : undefined),
  });
  if (value === undefined) return;
  await ctx.registry.client(node.server).setRunTag(node.run.info.run_id, key, value);
  ctx.runs.updateRun(node.server.id, node.run.info.run_id, (r) => ({
    data: { ...r.data, tags: [...r.data.tags.filter((t) => t.key !== key), { key, value }] },
  }));
}

async function deleteRun(ctx: CommandContext, arg: unknown): Promise<void> {
  const node: RunNode = targetRun(ctx, arg);
  const name = runName(node.run);
  const ok = await vscode.window.showWarningMessage(
    uiText(`Delete run "${name}"?`),
    {
      modal: true,
      detail: 'MLflow marks the run deleted; "Restore Run" brings it back until the server garbage-collects it.',
    },
    'Delete',
  );
  if (ok !== 'Delete') return;
  try {
    await ctx.registry.client(node.server).deleteRun(node.run.info.run_id);
  } catch (e) {
    throw new Error(`Could not delete "${name}": ${describeError(e)}`, { cause: e });
  }
  const owner = node.parent;
  ctx.runs.markDeleted(node);
  void vscode.window.showInformationMessage(uiText(`Deleted run "${name}".`), 'Undo').then(async (choice) => {
    if (choice !== 'Undo') return;
    await ctx.registry.client(node.server).restoreRun(node.run.info.run_id);
    ctx.runs.markRestored(node.server.id, node.run.info.run_id);
    if (owner && owner.kind === 'experiment') await ctx.tree.refresh(owner);
  });
}
