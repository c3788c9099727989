// Which node a command acts on: the clicked tree node, else the Experiments view's selection,
// else (for servers) a pick. Shared by every feature whose commands start from the tree.
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import type { ServerConfig } from '../servers/serverConfig.ts';
import type { CommandContext } from '../commandContext.ts';
import type { ExperimentNode, RunNode, ServerNode, TreeNode } from './nodes.ts';
import { runNodeOf, serverOf } from './nodes.ts';

/** The run a command acts on: the clicked node, else the tree's selection. */
export function targetRun(ctx: CommandContext, arg: unknown): RunNode {
  const node = isTreeNode(arg) ? runNodeOf(arg) : undefined;
  if (node) return node;
  for (const sel of ctx.view.selection) {
    const r = runNodeOf(sel);
    if (r) return r;
  }
  throw new Error('Select a run in the MLflow Experiments view first.');
}

/** Every selected run (for multi-selection commands), led by the clicked one. */
export function targetRuns(ctx: CommandContext, arg: unknown, all: unknown): RunNode[] {
  const picked = Array.isArray(all) ? all.filter(isTreeNode).map(runNodeOf) : [];
  const out: RunNode[] = [];
  const push = (n: RunNode | undefined) => {
    if (n && !out.some((o) => o.run.info.run_id === n.run.info.run_id)) out.push(n);
  };
  if (isTreeNode(arg)) push(runNodeOf(arg));
  picked.forEach(push);
  if (out.length === 0) ctx.view.selection.map(runNodeOf).forEach(push);
  return out;
}

export function targetExperiment(ctx: CommandContext, arg: unknown): ExperimentNode {
  if (isTreeNode(arg) && arg.kind === 'experiment') return arg;
  for (const sel of ctx.view.selection) {
    for (let n: TreeNode | undefined = sel; n; n = n.parent) if (n.kind === 'experiment') return n;
  }
  throw new Error('Select an experiment in the MLflow Experiments view first.');
}

/** The server a command acts on: the clicked node's, else the selected one, else ask. */
export async function targetServer(
  ctx: CommandContext,
  arg: unknown,
  prompt = 'Tracking server',
): Promise<ServerConfig | undefined> {
  if (isTreeNode(arg)) {
    const s = serverOf(arg);
    if (s) return s;
  }
  const servers = ctx.registry.list();
  if (servers.length === 0)
    throw new Error('No MLflow tracking server is configured. Run "MLflow: Add Tracking Server…" first.');
  if (servers.length === 1) return servers[0];
  const pick = await vscode.window.showQuickPick(
    servers.map((s) => ({ label: uiText(s.name), description: uiText(s.uri || s.local?.folder || ''), server: s })),
    { placeHolder: uiText(prompt) },
  );
  return pick?.server;
}

export function isTreeNode(x: unknown): x is TreeNode {
  return (
    typeof x === 'object' && x !== null && 'kind' in x && 'id' in x && typeof (x as { id: unknown }).id === 'string'
  );
}

export function isServerNode(x: unknown): x is ServerNode {
  return isTreeNode(x) && x.kind === 'server';
}
