// The Registered Models view of the selected server: models → versions (newest first), each with
// its aliases, status, creation time, user and the run it came from.
import * as vscode from 'vscode';
import { nodeIds } from '../runs/nodes.ts';
import { tooltipMarkdown } from '../runs/tooltip.ts';
import type { Logger } from '../shared/logger.ts';
import { describeError, isMlflowError } from '../mlflow/errors.ts';
import type { KeyValue, ModelVersion, RegisteredModel } from '../mlflow/types.ts';
import type { ServerConfig } from '../servers/serverConfig.ts';
import type { ServerRegistry } from '../servers/serverRegistry.ts';
import { formatTimestamp, noteMarkdown } from '../runs/format.ts';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import { versionsWithAliases } from './aliasRules.ts';
import { modelVersionsFilter } from '../mlflow/modelVersionsFilter.ts';

export interface ModelNode {
  kind: 'model';
  id: string;
  server: ServerConfig;
  /** Replaced by each expansion with what registered-models/get answers; the node keeps its identity. */
  model: RegisteredModel;
}

export interface VersionNode {
  kind: 'version';
  id: string;
  server: ServerConfig;
  /** The model as read with this version, for its other aliases. */
  parent: ModelNode;
  version: ModelVersion;
}

export type ModelTreeNode =
  | ModelNode
  | VersionNode
  | { kind: 'more'; id: string; token: string }
  | { kind: 'message'; id: string; message: string; error: boolean };

/** One page of a model's versions: past it, older versions are rarely what a user looks for. */
const VERSIONS_SHOWN = 200;

export class ModelsTreeProvider implements vscode.TreeDataProvider<ModelTreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ModelTreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private models: ModelNode[] = [];
  private nextToken: string | undefined;
  private loadedFor: string | undefined;
  private readonly subs: vscode.Disposable[];
  private readonly registry: ServerRegistry;
  private readonly logger: Logger;

  constructor(registry: ServerRegistry, logger: Logger) {
    this.registry = registry;
    this.logger = logger;
    this.subs = [
      this.emitter,
      registry.onDidChangeServers(() => this.refresh()),
      vscode.workspace.onDidChangeConfiguration(
        (e) => e.affectsConfiguration('mlflow.selectedServer') && this.refresh(),
      ),
    ];
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }

  refresh(): void {
    this.loadedFor = undefined;
    this.models = [];
    this.nextToken = undefined;
    this.emitter.fire();
  }

  /** Re-reads one model and its versions after a change; a model not listed yet reloads the list. */
  refreshModel(name: string): void {
    const node = this.models.find((m) => m.model.name === name);
    if (node) this.emitter.fire(node);
    else this.refresh();
  }

  /** After a delete: the row goes without reloading the other models. */
  removeModel(name: string): void {
    this.models = this.models.filter((m) => m.model.name !== name);
    this.emitter.fire();
  }

  async loadMore(): Promise<void> {
    const server = this.registry.selected();
    if (!server || !this.nextToken) return;
    const page = await this.registry
      .client(server)
      .searchRegisteredModels({ pageToken: this.nextToken, maxResults: 100 });
    this.models.push(...page.items.map((m) => modelNode(server, m)));
    this.nextToken = page.nextPageToken;
    this.emitter.fire();
  }

  /** The version nodes' parents are model nodes; VS Code asks for them to reveal a version. */
  getParent(node: ModelTreeNode): ModelTreeNode | undefined {
    return node.kind === 'version' ? node.parent : undefined;
  }

  async getChildren(node?: ModelTreeNode): Promise<ModelTreeNode[]> {
    const server = this.registry.selected();
    if (!server || !server.uri) return [];
    try {
      if (!node) {
        if (this.loadedFor !== server.id) {
          const page = await this.registry.client(server).searchRegisteredModels({ maxResults: 100 });
          this.models = page.items.map((m) => modelNode(server, m));
          this.nextToken = page.nextPageToken;
          this.loadedFor = server.id;
        }
        if (this.models.length === 0)
          return [{ kind: 'message', id: 'none', message: `No registered models on ${server.name}.`, error: false }];
        const out: ModelTreeNode[] = [...this.models];
        if (this.nextToken) out.push({ kind: 'more', id: 'more', token: this.nextToken });
        return out;
      }
      if (node.kind === 'model') return await this.versionsOf(node);
      return [];
    } catch (e) {
      this.logger.warn(`Registered models: ${describeError(e)}`);
      this.registry.report(server, e);
      return [{ kind: 'message', id: `${node?.id ?? ''}/error`, message: describeError(e), error: true }];
    }
  }

  private async versionsOf(node: ModelNode): Promise<ModelTreeNode[]> {
    const client = this.registry.client(node.server);
    const name = node.model.name;
    let model: RegisteredModel;
    let versions: ModelVersion[];
    let more = false;
    try {
      [model, versions] = await Promise.all([
        // The versions' aliases come only from here (model-versions/search omits them).
        client.getRegisteredModel(name),
        client
          .searchModelVersions({
            filter: modelVersionsFilter(name),
            orderBy: ['version_number DESC'],
            maxResults: VERSIONS_SHOWN,
          })
          .then((p) => {
            more = p.nextPageToken !== undefined;
            // The filter can match other names (see modelVersionsFilter).
            return p.items.filter((v) => v.name === name);
          }),
      ]);
    } catch (e) {
      if (isMlflowError(e) && e.notFound)
        return [
          {
            kind: 'message',
            id: `${node.id}/gone`,
            message: `${name} no longer exists. Refresh the view.`,
            error: true,
          },
        ];
      throw e;
    }
    node.model = model;
    if (versions.length === 0)
      return [{ kind: 'message', id: `${node.id}/none`, message: 'No versions.', error: false }];
    const out: ModelTreeNode[] = versionsWithAliases(versions, model).map((v) => ({
      kind: 'version',
      id: nodeIds.modelVersion(v.name, v.version),
      server: node.server,
      parent: node,
      version: v,
    }));
    if (more)
      out.push({
        kind: 'message',
        id: `${node.id}/more`,
        message: `The newest ${VERSIONS_SHOWN} versions are shown; the web UI lists them all.`,
        error: false,
      });
    return out;
  }

  getTreeItem(node: ModelTreeNode): vscode.TreeItem {
    if (node.kind === 'model') return modelItem(node);
    if (node.kind === 'version') return versionItem(node);
    if (node.kind === 'more') {
      const item = new vscode.TreeItem('Load more…');
      item.id = node.id;
      item.command = { command: 'mlflow.loadMoreModels', title: 'Load More Models' };
      return item;
    }
    const item = new vscode.TreeItem(uiText(node.message, 300));
    item.id = node.id;
    item.iconPath = new vscode.ThemeIcon(node.error ? 'warning' : 'info');
    return item;
  }
}

function modelNode(server: ServerConfig, model: RegisteredModel): ModelNode {
  return { kind: 'model', id: nodeIds.model(model.name), server, model };
}

function modelItem(node: ModelNode): vscode.TreeItem {
  const m = node.model;
  const item = new vscode.TreeItem(uiText(m.name, 120), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  const latest = m.latest_versions.reduce((a, v) => Math.max(a, Number(v.version) || 0), 0);
  item.description = uiText(
    [latest ? `latest v${latest}` : '', m.aliases.map((a) => `@${a.alias}→v${a.version}`).join(' ')]
      .filter(Boolean)
      .join(' · '),
  );
  item.iconPath = new vscode.ThemeIcon('package');
  item.tooltip = tooltipMarkdown((md) => {
    md.appendMarkdown('**Registered model** ').appendText(m.name);
    if (m.aliases.length)
      md.appendMarkdown('\n\nAliases: ').appendText(m.aliases.map((a) => `@${a.alias} → v${a.version}`).join(', '));
    if (m.last_updated_timestamp)
      md.appendMarkdown('\n\n').appendText(`Updated ${formatTimestamp(m.last_updated_timestamp)}`);
    if (m.description) md.appendMarkdown('\n\n---\n\n').appendMarkdown(noteMarkdown(m.description));
    appendTags(md, m.tags);
  });
  item.contextValue = m.tags.length ? 'model.tagged' : 'model';
  return item;
}

const PENDING = 'PENDING_REGISTRATION';
const FAILED = 'FAILED_REGISTRATION';

function versionItem(node: VersionNode): vscode.TreeItem {
  const v = node.version;
  const item = new vscode.TreeItem(uiText(`Version ${v.version}`), vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  const stage = v.current_stage && v.current_stage !== 'None' ? v.current_stage : '';
  const status = v.status && v.status !== 'READY' ? v.status : '';
  item.description = uiText(
    [
      v.aliases.map((a) => `@${uiText(a, 40)}`).join(' '),
      status,
      stage,
      formatTimestamp(v.creation_timestamp),
      v.user_id ? uiText(v.user_id, 40) : '',
      v.run_id ? `run ${v.run_id.slice(0, 8)}` : '',
    ]
      .filter(Boolean)
      .join(' · '),
  );
  item.iconPath = new vscode.ThemeIcon(
    v.status === PENDING ? 'loading~spin' : v.status === FAILED ? 'error' : v.aliases.length ? 'star-full' : 'versions',
  );
  item.tooltip = tooltipMarkdown((md) => {
    md.appendMarkdown('**').appendText(v.name).appendMarkdown('** ').appendText(`version ${v.version}`);
    if (status) {
      md.appendMarkdown('\n\n**').appendText(status).appendMarkdown('**');
      if (v.status_message) md.appendMarkdown(': ').appendText(v.status_message);
    }
    if (v.aliases.length) md.appendMarkdown('\n\nAliases: ').appendText(v.aliases.map((a) => `@${a}`).join(' '));
    if (stage) md.appendMarkdown('\n\nStage: ').appendText(stage);
    const created = [formatTimestamp(v.creation_timestamp), v.user_id ? `by ${v.user_id}` : ''].filter(Boolean);
    if (created.length) md.appendMarkdown('\n\nCreated ').appendText(created.join(' '));
    if (v.source) md.appendMarkdown('\n\nSource: ').appendText(v.source);
    if (v.run_id) md.appendMarkdown('\n\nRun: ').appendText(v.run_id).appendMarkdown('\n\nClick to show the run.');
    if (v.description) md.appendMarkdown('\n\n---\n\n').appendMarkdown(noteMarkdown(v.description));
    appendTags(md, v.tags);
  });
  item.contextValue = [
    'modelVersion',
    v.run_id ? 'run' : '',
    v.aliases.length ? 'aliased' : '',
    v.tags.length ? 'tagged' : '',
  ]
    .filter(Boolean)
    .join('.');
  if (v.run_id)
    item.command = { command: 'mlflow.revealRun', title: 'Show Run', arguments: [v.run_id, node.server.id] };
  return item;
}

function appendTags(md: vscode.MarkdownString, tags: readonly KeyValue[]): void {
  if (tags.length === 0) return;
  md.appendMarkdown('\n\n---\n\n**Tags**');
  for (const t of tags) md.appendMarkdown('\n\n').appendText(`${t.key}: ${t.value}`);
}
