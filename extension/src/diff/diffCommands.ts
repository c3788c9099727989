// Diffing in VS Code's own diff editor: two runs as YAML documents ("Compare with…"), one
// artifact file of two runs, and a run's source file at its commit against the working tree.
// Also registers the `mlflow-run:` document provider and keeps open run documents in step with
// the tree (a refreshed or edited run reloads its document).
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import { posix } from 'node:path';
import { describeError, MlflowError } from '../mlflow/errors.ts';
import type { Run } from '../mlflow/types.ts';
import type { ServerConfig } from '../servers/serverConfig.ts';
import type { ArtifactNode, RunNode, TreeNode } from '../runs/nodes.ts';
import { artifactUri } from '../artifacts/artifactUri.ts';
import { showMlflowYamlAsYaml } from '../artifacts/artifactLanguage.ts';
import { RunDocumentProvider } from './runDocumentProvider.ts';
import { runDocumentUri } from './runDocumentUri.ts';
import { artifactDiffTitle, chronological, runDiffTitle } from './diffNames.ts';
import { runName } from '../mlflow/types.ts';
import { candidateLabel } from './candidateLabels.ts';
import { mapPool } from '../shared/mapPool.ts';
import { withCancellableProgress } from '../shared/cancellableProgress.ts';
import { diffSourceWithWorkingTree, SourceDiffProblem } from './sourceDiff.ts';
import { GitUnavailableError } from './gitApi.ts';
import type { CommandContext } from '../commandContext.ts';
import { registerCommand } from '../commandContext.ts';
import { isTreeNode, targetRun, targetRuns } from '../runs/treeSelection.ts';

/** Runs checked for an artifact before the pick opens (each is one listing request). */
const ARTIFACT_CANDIDATE_CAP = 100;

export function registerDiffCommands(ctx: CommandContext): void {
  const documents = new RunDocumentProvider(ctx.registry, ctx.logger);
  RunDocumentProvider.register(ctx.extension, documents);
  ctx.extension.subscriptions.push(
    ctx.tree.onDidChangeTreeData((node) => reloadDocumentsFor(documents, node ?? undefined)),
  );

  registerCommand(ctx, 'mlflow.diffRuns', (arg, all) => diffRuns(ctx, arg, all));
  registerCommand(ctx, 'mlflow.diffArtifact', (arg) => diffArtifact(ctx, arg));
  registerCommand(ctx, 'mlflow.diffSourceWithWorkingTree', (arg) => diffSource(ctx, arg));
}

function reloadDocumentsFor(documents: RunDocumentProvider, node: TreeNode | undefined): void {
  if (!node) documents.refreshScope();
  else if (node.kind === 'server') documents.refreshScope({ serverId: node.server.id });
  else if (node.kind === 'experiment')
    documents.refreshScope({ serverId: node.server.id, experimentId: node.experiment.experiment_id });
  else if (node.kind === 'run') documents.refreshRun(node.server.id, node.run.info.run_id);
}

// ---- arguments -----------------------------------------------------------------------------

interface RunPairRequest {
  serverId: string;
  runIds: string[];
  path?: string;
}

function isRunPairRequest(x: unknown): x is RunPairRequest {
  if (typeof x !== 'object' || x === null || isTreeNode(x)) return false;
  const o = x as Record<string, unknown>;
  return (
    typeof o['serverId'] === 'string' && Array.isArray(o['runIds']) && o['runIds'].every((r) => typeof r === 'string')
  );
}

function serverById(ctx: CommandContext, id: string): ServerConfig {
  const server = ctx.registry.get(id);
  if (!server) throw new Error(`No configured MLflow tracking server has the id ${id}.`);
  return server;
}

async function getRun(ctx: CommandContext, server: ServerConfig, runId: string): Promise<Run> {
  try {
    return await ctx.registry.client(server).getRun(runId);
  } catch (e) {
    if (e instanceof MlflowError && e.notFound)
      throw new Error(`There is no run with ID ${uiText(runId, 64)} on ${server.name}.`, { cause: e });
    throw e;
  }
}

// ---- picking the other run -----------------------------------------------------------------

interface Side {
  server: ServerConfig;
  run: Run;
}

type PickItem = vscode.QuickPickItem & { run?: Run; enterId?: true };

/** Loaded runs of the base run's experiment, without the base and without repeats. */
function siblingRuns(ctx: CommandContext, base: Side): Run[] {
  const seen = new Set([base.run.info.run_id]);
  const out: Run[] = [];
  for (const n of ctx.tree.loadedRunNodes(base.server.id)) {
    const r = n.run;
    if (r.info.experiment_id !== base.run.info.experiment_id || seen.has(r.info.run_id)) continue;
    seen.add(r.info.run_id);
    out.push(r);
  }
  return out.sort((a, b) => (b.info.start_time ?? 0) - (a.info.start_time ?? 0));
}

async function askRunId(ctx: CommandContext, base: Side, title: string): Promise<Run | undefined> {
  const id = await vscode.window.showInputBox({
    title: uiText(title),
    prompt: uiText(`Run ID on ${base.server.name}`),
    placeHolder: 'e.g. 3f2b1c0d9e8a4b7c6d5e4f3a2b1c0d9e',
    ignoreFocusOut: true,
    validateInput: (v) =>
      v.trim() === ''
        ? 'Enter a run ID'
        : /^[A-Za-z0-9_-]+$/.test(v.trim())
          ? undefined
          : 'A run ID has only letters, digits, "-" and "_"',
  });
  if (id === undefined) return undefined;
  return getRun(ctx, base.server, id.trim());
}

async function pickOtherRun(
  ctx: CommandContext,
  base: Side,
  candidates: Run[],
  opts: { title: string; emptyHint: string },
): Promise<Run | undefined> {
  const now = Date.now();
  const items: PickItem[] = candidates.map((r) => ({ ...candidateLabel(base.run, r, now), run: r }));
  if (items.length > 0) items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({
    label: '$(edit) Enter a run ID…',
    description: 'a run of any experiment on this server',
    alwaysShow: true,
    enterId: true,
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: uiText(opts.title),
    placeHolder: uiText(candidates.length > 0 ? 'Pick the run to compare with' : opts.emptyHint),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  if (picked.enterId) return askRunId(ctx, base, opts.title);
  return picked.run;
}

// ---- mlflow.diffRuns -----------------------------------------------------------------------

async function diffRuns(ctx: CommandContext, arg: unknown, all: unknown): Promise<void> {
  if (isRunPairRequest(arg)) {
    const server = serverById(ctx, arg.serverId);
    const [a, b] = arg.runIds;
    if (a === undefined || b === undefined) throw new Error('mlflow.diffRuns needs two run IDs.');
    // The caller chose the sides; keep its order.
    const [left, right] = await Promise.all([getRun(ctx, server, a), getRun(ctx, server, b)]);
    return openRunDiff({ server, run: left }, { server, run: right });
  }
  const nodes = targetRuns(ctx, arg, all);
  const first = nodes[0];
  if (!first) throw new Error('Select a run in the MLflow Experiments view first.');
  const base: Side = { server: first.server, run: first.run };
  let other: Side | undefined;
  if (nodes.length === 2 && nodes[1]) other = { server: nodes[1].server, run: nodes[1].run };
  else {
    const title = `Compare ${uiText(runName(base.run), 60)} with…`;
    const pool = nodes.length > 2 ? nodes.slice(1).map((n: RunNode) => n.run) : siblingRuns(ctx, base);
    const run = await pickOtherRun(ctx, base, pool, {
      title,
      emptyHint: 'No other run of this experiment is loaded in the tree: enter a run ID',
    });
    if (!run) return;
    const fromSelection = nodes.slice(1).find((n) => n.run.info.run_id === run.info.run_id);
    other = { server: fromSelection?.server ?? base.server, run };
  }
  const [left, right] = chronologicalSides(base, other);
  await openRunDiff(left, right);
}

function chronologicalSides(a: Side, b: Side): [Side, Side] {
  const [first] = chronological(a.run, b.run);
  return first === a.run ? [a, b] : [b, a];
}

async function openRunDiff(left: Side, right: Side): Promise<void> {
  const l = runDocumentUri(left.server.id, left.run);
  const r = runDocumentUri(right.server.id, right.run);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Loading MLflow runs…' }, () =>
    vscode.commands.executeCommand('vscode.diff', l, r, runDiffTitle(left.run, right.run, titleTakenBesides(l, r)), {
      preview: false,
    }),
  );
}

/** Whether an open tab other than the diff of `l` and `r` (reopening it keeps its title) has the title. */
function titleTakenBesides(l: vscode.Uri, r: vscode.Uri): (title: string) => boolean {
  return (title) =>
    vscode.window.tabGroups.all.some((g) =>
      g.tabs.some(
        (t) =>
          t.label === title &&
          !(
            t.input instanceof vscode.TabInputTextDiff &&
            t.input.original.toString() === l.toString() &&
            t.input.modified.toString() === r.toString()
          ),
      ),
    );
}

// ---- mlflow.diffArtifact -------------------------------------------------------------------

function parentDir(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

async function hasArtifactFile(
  ctx: CommandContext,
  server: ServerConfig,
  runId: string,
  path: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const listing = await ctx.registry.client(server).listArtifacts(runId, parentDir(path), { signal });
  return listing.files.some((f) => f.path === path && !f.is_dir);
}

async function diffArtifact(ctx: CommandContext, arg: unknown): Promise<void> {
  if (isRunPairRequest(arg)) {
    const server = serverById(ctx, arg.serverId);
    const [a, b] = arg.runIds;
    if (a === undefined || b === undefined || !arg.path)
      throw new Error('mlflow.diffArtifact needs two run IDs and an artifact path.');
    const [left, right] = await Promise.all([getRun(ctx, server, a), getRun(ctx, server, b)]);
    return openArtifactDiff(ctx, server, left, right, arg.path);
  }
  if (!isTreeNode(arg) || arg.kind !== 'artifact' || arg.file.is_dir || arg.file.path === '')
    throw new Error('Pick an artifact file in the MLflow view to compare it.');
  const node: ArtifactNode = arg;
  const server = node.runNode.server;
  const base: Side = { server, run: node.runNode.run };
  const path = node.file.path;
  const file = uiText(posix.basename(path), 60);

  const siblings = siblingRuns(ctx, base);
  const checked = siblings.slice(0, ARTIFACT_CANDIDATE_CAP);
  const having = await withCancellableProgress(`Finding runs that have ${file}…`, async (signal) => {
    const found = await mapPool(
      checked,
      4,
      (r) =>
        hasArtifactFile(ctx, server, r.info.run_id, path, signal).catch((e: unknown) => {
          if (signal.aborted) throw e;
          ctx.logger.warn(`listing artifacts of ${r.info.run_id}: ${describeError(e)}`);
          return false;
        }),
      signal,
    );
    return checked.filter((_r, i) => found[i]);
  });
  const skipped = siblings.length - checked.length;
  const other = await pickOtherRun(ctx, base, having, {
    title: `Compare ${file} of ${uiText(runName(base.run), 50)} with…${skipped > 0 ? ` (checked the ${checked.length} newest loaded runs)` : ''}`, // ui-text: pickOtherRun shows it through uiText
    emptyHint: `No other loaded run of this experiment has ${path}: enter a run ID`,
  });
  if (!other) return;
  if (!having.includes(other) && !(await hasArtifactFile(ctx, server, other.info.run_id, path))) {
    throw new Error(`Run ${uiText(runName(other), 60)} has no artifact ${path}.`);
  }
  const [left, right] = chronological(base.run, other);
  await openArtifactDiff(ctx, server, left, right, path);
}

async function openArtifactDiff(
  ctx: CommandContext,
  server: ServerConfig,
  left: Run,
  right: Run,
  path: string,
): Promise<void> {
  const uriOf = (run: Run): vscode.Uri => {
    const node = ctx.runs.findRunNode(server.id, run.info.run_id);
    return artifactUri(server.id, run, path, node && ctx.runs.experimentOf(node)?.experiment.name);
  };
  const l = uriOf(left);
  const r = uriOf(right);
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: uiText(`Downloading ${posix.basename(path)}…`) },
    () =>
      vscode.commands.executeCommand(
        'vscode.diff',
        l,
        r,
        artifactDiffTitle(path, left, right, titleTakenBesides(l, r)),
        {
          preview: false,
        },
      ),
  );
  await showMlflowYamlAsYaml([l, r]);
}

// ---- mlflow.diffSourceWithWorkingTree ------------------------------------------------------

async function diffSource(ctx: CommandContext, arg: unknown): Promise<void> {
  let run: Run;
  if (
    typeof arg === 'object' &&
    arg !== null &&
    !isTreeNode(arg) &&
    typeof (arg as { serverId?: unknown }).serverId === 'string' &&
    typeof (arg as { runId?: unknown }).runId === 'string'
  ) {
    const req = arg as { serverId: string; runId: string };
    run = await getRun(ctx, serverById(ctx, req.serverId), req.runId);
  } else {
    run = targetRun(ctx, arg).run;
  }
  try {
    await diffSourceWithWorkingTree(run);
  } catch (e) {
    if (!(e instanceof SourceDiffProblem) && !(e instanceof GitUnavailableError)) throw e;
    ctx.logger.info(`Compare source: ${e.message}`);
    const actions = e instanceof SourceDiffProblem ? e.actions : [];
    const choice = await vscode.window.showWarningMessage(uiText(e.message), ...actions.map((a) => a.title));
    const action = actions.find((a) => a.title === choice);
    if (action) await action.run();
  }
}
