// Commands of the Registered Models view: aliases, descriptions, tags, deletes, copying a model
// URI and opening the web UI. Each acts on the clicked node, else the view's selection, asks the
// server for the current state where a decision depends on it, and refreshes the model it changed.
import * as vscode from 'vscode';
import type { CommandContext } from '../commandContext.ts';
import { registerCommand } from '../commandContext.ts';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import { isMlflowError } from '../mlflow/errors.ts';
import type { KeyValue } from '../mlflow/types.ts';
import { modelAliasUri, modelVersionUri, modelWebUiRoute } from '../mlflow/modelUris.ts';
import { aliasChange, aliasNameProblem } from './aliasRules.ts';
import { registerModelFromRun } from './registerModel.ts';
import type { ModelNode, ModelTreeNode, ModelsTreeProvider, VersionNode } from './modelsTreeProvider.ts';

type View = vscode.TreeView<ModelTreeNode>;

export function registerModelCommands(ctx: CommandContext, models: ModelsTreeProvider, view: View): void {
  const on = (id: string, handler: (arg: unknown) => Promise<void>) => registerCommand(ctx, id, (arg) => handler(arg));
  registerCommand(ctx, 'mlflow.loadMoreModels', () => models.loadMore());
  on('mlflow.setModelAlias', (arg) => setAlias(ctx, models, targetVersion(view, arg)));
  on('mlflow.removeModelAlias', (arg) => removeAlias(ctx, models, targetVersion(view, arg)));
  on('mlflow.copyModelUri', (arg) => copyModelUri(targetVersion(view, arg)));
  on('mlflow.editModelDescription', (arg) => editDescription(ctx, models, targetEntry(view, arg)));
  on('mlflow.setModelTag', (arg) => setTag(ctx, models, targetEntry(view, arg)));
  on('mlflow.deleteModelTag', (arg) => deleteTag(ctx, models, targetEntry(view, arg)));
  on('mlflow.deleteModelVersion', (arg) => deleteVersion(ctx, models, targetVersion(view, arg)));
  on('mlflow.deleteModel', (arg) => deleteModel(ctx, models, targetModel(view, arg)));
  on('mlflow.openModelInWebUi', (arg) => openInWebUi(targetEntry(view, arg)));
  on('mlflow.registerModel', (arg) => registerModelFromRun(ctx, models, arg));
  on('mlflow.revealModelSourceRun', async (arg) => {
    const node = targetVersion(view, arg);
    if (!node.version.run_id) throw new Error(uiText(`Version ${node.version.version} has no source run.`));
    await vscode.commands.executeCommand('mlflow.revealRun', node.version.run_id, node.server.id);
  });
}

// ---- which node ----------------------------------------------------------------------------

function picked(view: View, arg: unknown): ModelTreeNode | undefined {
  if (typeof arg === 'object' && arg !== null && 'kind' in arg) return arg as ModelTreeNode;
  return view.selection[0];
}

function targetVersion(view: View, arg: unknown): VersionNode {
  const node = picked(view, arg);
  if (node?.kind === 'version') return node;
  throw new Error('Select a model version in the Registered Models view first.');
}

function targetModel(view: View, arg: unknown): ModelNode {
  const node = picked(view, arg);
  if (node?.kind === 'model') return node;
  if (node?.kind === 'version') return node.parent;
  throw new Error('Select a registered model in the Registered Models view first.');
}

/** A model or a version: what descriptions, tags and the web UI apply to. */
function targetEntry(view: View, arg: unknown): ModelNode | VersionNode {
  const node = picked(view, arg);
  if (node?.kind === 'model' || node?.kind === 'version') return node;
  throw new Error('Select a registered model or version in the Registered Models view first.');
}

function nameOf(node: ModelNode | VersionNode): string {
  return node.kind === 'model' ? node.model.name : node.version.name;
}

function what(node: ModelNode | VersionNode): string {
  return node.kind === 'model' ? `"${node.model.name}"` : `version ${node.version.version} of "${node.version.name}"`;
}

/**
 * Runs a change and refreshes the model; a failure says what was being done. A model or version
 * that is gone (404) also refreshes, so the view stops showing it.
 */
async function change(
  models: ModelsTreeProvider,
  name: string,
  doing: string,
  act: () => Promise<void>,
): Promise<void> {
  try {
    await act();
  } catch (e) {
    if (isMlflowError(e) && e.notFound) models.refreshModel(name);
    throw new Error(`Could not ${doing}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  models.refreshModel(name);
}

// ---- aliases -------------------------------------------------------------------------------

async function setAlias(ctx: CommandContext, models: ModelsTreeProvider, node: VersionNode): Promise<void> {
  const { name, version } = node.version;
  const alias = await vscode.window.showInputBox({
    title: uiText(`Set an alias on version ${version} of ${name}`),
    prompt: 'Points models:/<name>@<alias> at this version. An alias on another version moves here.',
    placeHolder: 'champion',
    validateInput: (v) => aliasNameProblem(v.trim()),
    ignoreFocusOut: true,
  });
  if (alias === undefined) return;
  const trimmed = alias.trim();
  const client = ctx.registry.client(node.server);
  // Decide on the server's state, not the tree's: someone may have moved the alias since.
  const decision = aliasChange(await client.getRegisteredModel(name), trimmed, version);
  if (decision.kind === 'unchanged') {
    void vscode.window.showInformationMessage(uiText(`@${trimmed} already points at version ${version} of ${name}.`));
    return;
  }
  if (decision.kind === 'move') {
    const ok = await vscode.window.showWarningMessage(
      uiText(`Move @${trimmed} from version ${decision.from} to version ${version} of ${name}?`),
      {
        modal: true,
        detail: uiText(
          `Version ${decision.from} loses @${trimmed}; models:/${name}@${trimmed} then loads version ${version}.`,
        ),
      },
      'Move Alias',
    );
    if (ok !== 'Move Alias') return;
  }
  await change(models, name, `set @${trimmed} on version ${version}`, () =>
    client.setModelAlias(name, trimmed, version),
  );
  void vscode.window.setStatusBarMessage(uiText(`@${trimmed} → version ${version} of ${name}`), 3000);
}

async function removeAlias(ctx: CommandContext, models: ModelsTreeProvider, node: VersionNode): Promise<void> {
  const { name, version, aliases } = node.version;
  if (aliases.length === 0) throw new Error(uiText(`Version ${version} of ${name} has no alias.`));
  const pick = await vscode.window.showQuickPick(
    aliases.map((a) => ({ label: uiText(`@${a}`), alias: a })),
    { title: uiText(`Remove an alias from version ${version} of ${name}`) },
  );
  if (!pick) return;
  await change(models, name, `remove @${pick.alias}`, () =>
    ctx.registry.client(node.server).deleteModelAlias(name, pick.alias),
  );
}

async function copyModelUri(node: VersionNode): Promise<void> {
  const { name, version, aliases } = node.version;
  const uris = [
    { uri: modelVersionUri(name, version), note: 'this version, always' },
    ...aliases.map((a) => ({ uri: modelAliasUri(name, a), note: `whatever @${a} points at when loaded` })),
  ];
  const pick =
    uris.length === 1
      ? uris[0]
      : await vscode.window.showQuickPick(
          uris.map((u) => ({ label: uiText(u.uri), description: uiText(u.note), uri: u.uri })),
          { title: 'Copy model URI' },
        );
  if (!pick) return;
  await vscode.env.clipboard.writeText(pick.uri);
  void vscode.window.setStatusBarMessage(uiText(`Copied ${pick.uri}`), 3000);
}

// ---- descriptions and tags -----------------------------------------------------------------

async function editDescription(
  ctx: CommandContext,
  models: ModelsTreeProvider,
  node: ModelNode | VersionNode,
): Promise<void> {
  const current = (node.kind === 'model' ? node.model.description : node.version.description) ?? '';
  const text = await vscode.window.showInputBox({
    title: uiText(`Description of ${what(node)}`),
    prompt: 'Markdown, as in the MLflow web UI. Empty clears it.',
    value: current,
    ignoreFocusOut: true,
  });
  if (text === undefined || text === current) return;
  const client = ctx.registry.client(node.server);
  await change(models, nameOf(node), `edit the description of ${what(node)}`, () =>
    node.kind === 'model'
      ? client.updateRegisteredModel(node.model.name, text)
      : client.updateModelVersion(node.version.name, node.version.version, text),
  );
}

function tagsOf(node: ModelNode | VersionNode): KeyValue[] {
  return node.kind === 'model' ? node.model.tags : node.version.tags;
}

async function setTag(ctx: CommandContext, models: ModelsTreeProvider, node: ModelNode | VersionNode): Promise<void> {
  const key = await vscode.window.showInputBox({
    title: uiText(`Tag ${what(node)}`),
    prompt: 'Tag key',
    validateInput: (v) =>
      v.trim() === '' ? 'A tag needs a key' : v.length > 250 ? 'At most 250 characters' : undefined,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  const existing = tagsOf(node).find((t) => t.key === key.trim());
  const value = await vscode.window.showInputBox({
    title: uiText(`Value of ${key.trim()}`),
    value: existing?.value ?? '',
    ignoreFocusOut: true,
  });
  if (value === undefined) return;
  const client = ctx.registry.client(node.server);
  await change(models, nameOf(node), `tag ${what(node)}`, () =>
    node.kind === 'model'
      ? client.setRegisteredModelTag(node.model.name, key.trim(), value)
      : client.setModelVersionTag(node.version.name, node.version.version, key.trim(), value),
  );
}

async function deleteTag(
  ctx: CommandContext,
  models: ModelsTreeProvider,
  node: ModelNode | VersionNode,
): Promise<void> {
  const tags = tagsOf(node);
  if (tags.length === 0) throw new Error(uiText(`${what(node)} has no tags.`));
  const pick = await vscode.window.showQuickPick(
    tags.map((t) => ({ label: uiText(t.key), description: uiText(t.value, 80), key: t.key })),
    { title: uiText(`Delete a tag of ${what(node)}`) },
  );
  if (!pick) return;
  const client = ctx.registry.client(node.server);
  await change(models, nameOf(node), `delete the tag ${pick.key}`, () =>
    node.kind === 'model'
      ? client.deleteRegisteredModelTag(node.model.name, pick.key)
      : client.deleteModelVersionTag(node.version.name, node.version.version, pick.key),
  );
}

// ---- deletes and the web UI ----------------------------------------------------------------

async function deleteVersion(ctx: CommandContext, models: ModelsTreeProvider, node: VersionNode): Promise<void> {
  const { name, version, aliases } = node.version;
  const ok = await vscode.window.showWarningMessage(
    uiText(`Delete version ${version} of ${name}?`),
    {
      modal: true,
      detail: uiText(
        [
          aliases.length ? `Its aliases go with it: ${aliases.map((a) => `@${a}`).join(' ')}.` : '',
          'The registry entry is deleted; the run and its artifacts stay.',
        ]
          .filter(Boolean)
          .join(' '),
      ),
    },
    'Delete Version',
  );
  if (ok !== 'Delete Version') return;
  await change(models, name, `delete version ${version} of ${name}`, () =>
    ctx.registry.client(node.server).deleteModelVersion(name, version),
  );
}

async function deleteModel(ctx: CommandContext, models: ModelsTreeProvider, node: ModelNode): Promise<void> {
  const name = node.model.name;
  const ok = await vscode.window.showWarningMessage(
    uiText(`Delete the registered model ${name} and all its versions?`),
    { modal: true, detail: 'Its aliases and tags go with it; the runs and their artifacts stay.' },
    'Delete Model',
  );
  if (ok !== 'Delete Model') return;
  try {
    await ctx.registry.client(node.server).deleteRegisteredModel(name);
  } catch (e) {
    throw new Error(`Could not delete ${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  models.removeModel(name);
}

async function openInWebUi(node: ModelNode | VersionNode): Promise<void> {
  const base = (node.server.webUiUri || node.server.uri).replace(/\/+$/, '');
  if (!base) throw new Error(uiText(`${node.server.name} is not running.`));
  const route = modelWebUiRoute(nameOf(node), node.kind === 'version' ? node.version.version : undefined);
  await vscode.env.openExternal(vscode.Uri.parse(`${base}/`).with({ fragment: route }));
}
