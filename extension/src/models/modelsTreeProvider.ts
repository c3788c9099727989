// The Registered Models view of the selected server: models → versions (newest first), with
// aliases, stage and the run each version came from.
import * as vscode from 'vscode';
import { nodeIds } from '../runs/nodes.ts';
import { tooltipMarkdown } from '../runs/tooltip.ts';
import type { Logger } from '../shared/logger.ts';
import { describeError } from '../mlflow/errors.ts';
import type { ModelVersion, RegisteredModel } from '../mlflow/types.ts';
import type { ServerRegistry } from '../servers/serverRegistry.ts';
import { formatTimestamp } from '../runs/format.ts';
import { uiText } from '../../../webviews/protocol/displayText.ts';

export type ModelTreeNode =
  | { kind: 'model'; id: string; model: RegisteredModel }
  | { kind: 'version'; id: string; version: ModelVersion }
  | { kind: 'more'; id: string; token: string }
  | { kind: 'message'; id: string; message: string; error: boolean };

export class ModelsTreeProvider implements vscode.TreeDataProvider<ModelTreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ModelTreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private models: RegisteredModel[] = [];
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

  async loadMore(): Promise<void> {
    const server = this.registry.selected();
    if (!server || !this.nextToken) return;
    const page = await this.registry
      .client(server)
      .searchRegisteredModels({ pageToken: this.nextToken, maxResults: 100 });
    this.models.push(...page.items);
    this.nextToken = page.nextPageToken;
    this.emitter.fire();
  }

  async getChildren(node?: ModelTreeNode): Promise<ModelTreeNode[]> {
    const server = this.registry.selected();
    if (!server || !server.uri) return [];
    try {
      if (!node) {
        if (this.loadedFor !== server.id) {
          const page = await this.registry.client(server).searchRegisteredModels({ maxResults: 100 });
          this.models = page.items;
          this.nextToken = page.nextPageToken;
          this.loadedFor = server.id;
        }
        if (this.models.length === 0)
          return [{ kind: 'message', id: 'none', message: `No registered models on ${server.name}.`, error: false }];
        const out: ModelTreeNode[] = this.models.map((m) => ({ kind: 'model', id: nodeIds.model(m.name), model: m }));
        if (this.nextToken) out.push({ kind: 'more', id: 'more', token: this.nextToken });
        return out;
      }
      if (node.kind === 'model') {
        const page = await this.registry.client(server).searchModelVersions({
          filter: `name = '${node.model.name.replace(/'/g, '')}'`,
          orderBy: ['version_number DESC'],
          maxResults: 200,
        });
        // A name holding a quote cannot be filtered exactly; keep only its own versions.
        return page.items
          .filter((v) => v.name === node.model.name)
          .map((v) => ({ kind: 'version', id: nodeIds.modelVersion(v.name, v.version), version: v }));
      }
      return [];
    } catch (e) {
      this.logger.warn(`Registered models: ${describeError(e)}`);
      this.registry.report(server, e);
      return [{ kind: 'message', id: `${node?.id ?? ''}/error`, message: describeError(e), error: true }];
    }
  }

  getTreeItem(node: ModelTreeNode): vscode.TreeItem {
    if (node.kind === 'model') {
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
        if (m.description) md.appendMarkdown('\n\n').appendText(m.description);
        if (m.last_updated_timestamp)
          md.appendMarkdown('\n\n').appendText(`Updated ${formatTimestamp(m.last_updated_timestamp)}`);
      });
      item.contextValue = 'model';
      return item;
    }
    if (node.kind === 'version') {
      const v = node.version;
      const item = new vscode.TreeItem(uiText(`Version ${v.version}`), vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      const stage = v.current_stage && v.current_stage !== 'None' ? v.current_stage : '';
      item.description = uiText(
        [
          v.aliases.map((a) => `@${uiText(a, 40)}`).join(' '),
          stage,
          v.status && v.status !== 'READY' ? v.status : '',
          v.user_id ? uiText(v.user_id, 40) : '',
          formatTimestamp(v.creation_timestamp),
        ]
          .filter(Boolean)
          .join(' · '),
      );
      item.iconPath = new vscode.ThemeIcon(v.aliases.length ? 'star-full' : 'versions');
      item.tooltip = tooltipMarkdown((md) => {
        md.appendMarkdown('**').appendText(v.name).appendMarkdown('** ').appendText(`version ${v.version}`);
        if (v.source) md.appendMarkdown('\n\nSource: ').appendText(v.source);
        if (v.run_id) md.appendMarkdown('\n\nRun: ').appendText(v.run_id).appendMarkdown('\n\nClick to show the run.');
        if (v.description) md.appendMarkdown('\n\n').appendText(v.description);
      });
      item.contextValue = v.run_id ? 'modelVersion.withRun' : 'modelVersion';
      if (v.run_id) item.command = { command: 'mlflow.revealRun', title: 'Show Run', arguments: [v.run_id] };
      return item;
    }
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
