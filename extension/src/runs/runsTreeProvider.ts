// The Experiments view: servers → experiments → runs (children under their parent) → params,
// metrics, tags and a lazily listed artifact tree. Data comes from RunListing (paged); this
// class only maps it to TreeItems, keeps node identity stable and refreshes RUNNING runs.
import * as vscode from 'vscode';
import type { Logger } from '../shared/logger.ts';
import { describeError, isCancellation, MlflowError } from '../mlflow/errors.ts';
import type { Experiment, FileInfo, Run } from '../mlflow/types.ts';
import { isTerminal, TAG, tagValue } from '../mlflow/types.ts';
import { formatBytes } from '../shared/bytes.ts';
import type { ServerConfig } from '../servers/serverConfig.ts';
import type { ServerRegistry } from '../servers/serverRegistry.ts';
import { readSettings } from '../shared/settings.ts';
import { formatMetricValue, formatTimestamp, metricDescription, noteMarkdown, runDescription, runDisplayName, statusIcon } from './format.ts';
import { formatFilterInput } from './filterInput.ts';
import type { ArtifactNode, ExperimentNode, GroupKind, GroupNode, LoadMoreNode, MessageNode, RunNode, ServerNode, TreeNode } from './nodes.ts';
import { nodeIds } from './nodes.ts';
import { tooltipMarkdown } from './tooltip.ts';
import { RunListing, refreshRuns } from './runListing.ts';
import { artifactUri } from '../artifacts/artifactUri.ts';
import { escapeHidden, escapeHiddenKeepingLines, uiText } from '../../../webviews/protocol/displayText.ts';

interface ServerData {
  experiments?: Experiment[];
  error?: unknown;
  loading?: Promise<void>;
}

export class RunsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly nodes = new Map<string, TreeNode>();
  private readonly data = new Map<string, ServerData>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private pollTimer: NodeJS.Timeout | undefined;
  private polling = false;
  private view: vscode.TreeView<TreeNode> | undefined;
  private readonly registry: ServerRegistry;
  private readonly logger: Logger;

  constructor(registry: ServerRegistry, logger: Logger) {
    this.registry = registry;
    this.logger = logger;
    this.disposables.push(
      registry.onDidChangeServers(() => this.emitter.fire()),
      registry.onDidChangeState((server) => {
        const node = this.nodes.get(serverNodeId(server));
        if (node) this.emitter.fire(node);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mlflow.refreshIntervalSeconds')) this.schedulePolling();
      }),
    );
    this.schedulePolling();
  }

  attach(view: vscode.TreeView<TreeNode>): void {
    this.view = view;
  }

  dispose(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    for (const d of this.disposables) d.dispose();
  }

  // ---- TreeDataProvider --------------------------------------------------------------------

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      if (!node) {
        const servers = this.registry.list();
        // A server row says whether it answers: check the ones nobody has checked yet (the status
        // bar checks only the selected one, and a server can appear later, e.g. a local store).
        for (const s of servers) if (this.registry.state(s).kind === 'unknown') void this.registry.check(s);
        return servers.map((s) => this.serverNode(s));
      }
      switch (node.kind) {
        case 'server':
          return await this.experimentChildren(node);
        case 'experiment':
          return await this.listingChildren(node, node.listing);
        case 'run':
          return await this.runChildren(node);
        case 'group':
          return this.groupChildren(node);
        case 'artifact':
          return await this.artifactChildren(node);
        default:
          return [];
      }
    } catch (e) {
      if (!isCancellation(e)) this.logger.error('Loading the MLflow tree failed', e);
      return [this.message(node, describeError(e), 'error')];
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'server':
        return this.serverItem(node);
      case 'experiment':
        return this.experimentItem(node);
      case 'run':
        return this.runItem(node);
      case 'group':
        return this.groupItem(node);
      case 'param': {
        const item = new vscode.TreeItem(uiText(node.param.key, 80), vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = uiText(node.param.value, 120);
        item.tooltip = tooltipMarkdown((md) => md.appendMarkdown('**Parameter** ').appendText(node.param.key).appendMarkdown('\n\n').appendCodeblock(node.param.value, 'text'));
        item.iconPath = new vscode.ThemeIcon('symbol-parameter');
        item.contextValue = 'param';
        return item;
      }
      case 'metric': {
        const item = new vscode.TreeItem(uiText(node.metric.key, 80), vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = uiText(metricDescription(node.metric));
        item.tooltip = tooltipMarkdown((md) =>
          md
            .appendMarkdown('**Metric** ')
            .appendText(node.metric.key)
            .appendMarkdown('\n\n')
            .appendText(`Latest value: ${formatMetricValue(node.metric.value)} at step ${node.metric.step}, ${formatTimestamp(node.metric.timestamp)}`)
            .appendMarkdown('\n\nClick to chart its history.'),
        );
        item.iconPath = new vscode.ThemeIcon('graph-line');
        item.contextValue = 'metric';
        item.command = { command: 'mlflow.openMetricChart', title: 'Open Metric Chart', arguments: [node] };
        return item;
      }
      case 'tag': {
        const item = new vscode.TreeItem(uiText(node.tag.key, 80), vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = uiText(node.tag.value, 120);
        item.tooltip = tooltipMarkdown((md) => md.appendMarkdown('**Tag** ').appendText(node.tag.key).appendMarkdown('\n\n').appendCodeblock(node.tag.value, 'text'));
        item.iconPath = new vscode.ThemeIcon('tag');
        item.contextValue = node.system ? 'tag.system' : node.runNode.run.info.lifecycle_stage === 'active' ? 'tag.user' : 'tag.readonly';
        return item;
      }
      case 'artifact':
        return this.artifactItem(node);
      case 'loadMore': {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = `${node.listing.runs.length} loaded`; // ui-text: a count
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'mlflow.loadMore', title: 'Load More Runs', arguments: [node] };
        item.contextValue = 'loadMore';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(uiText(node.message, 400), vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.tooltip = escapeHiddenKeepingLines(node.message) + (node.action ? `\n\nClick to ${node.action.title.toLowerCase()}.` : '');
        item.iconPath = new vscode.ThemeIcon(node.severity === 'error' ? 'warning' : 'info', node.severity === 'error' ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
        if (node.action) item.command = { command: node.action.command, title: node.action.title, arguments: node.action.args ?? [] };
        item.contextValue = 'message';
        return item;
      }
    }
  }

  // ---- refresh and paging ------------------------------------------------------------------

  /** Reloads a node's data (or everything) and redraws it. */
  async refresh(node?: TreeNode): Promise<void> {
    if (!node) {
      this.data.clear();
      this.nodes.clear();
      for (const s of this.registry.list()) void this.registry.check(s, true);
      this.emitter.fire();
      return;
    }
    if (node.kind === 'server') {
      this.data.delete(node.server.id);
      this.prune(node.id);
      void this.registry.check(node.server, true);
    } else if (node.kind === 'experiment') {
      await this.reloadListing(node, node.listing);
    } else if (node.kind === 'run') {
      await refreshRuns(this.registry.client(node.server), node.run.info.experiment_id, [node.run]).catch((e: unknown) => this.logger.warn(describeError(e)));
      if (node.children.loaded) await this.reloadListing(node, node.children);
    }
    this.emitter.fire(node);
  }

  async loadMore(node: LoadMoreNode): Promise<void> {
    const server = node.owner.server;
    await vscode.window.withProgress({ location: { viewId: 'mlflow.runs' } }, async () => {
      try {
        await node.listing.loadMore();
        this.registry.report(server);
      } catch (e) {
        this.registry.report(server, e);
        void vscode.window.showErrorMessage(uiText(`Could not load more runs: ${describeError(e)}`));
      }
    });
    this.emitter.fire(node.owner);
  }

  /** Applies a filter/order to an experiment; on failure the old list stays and the message shows inline. */
  async applyQuery(node: ExperimentNode, query: RunListing['query']): Promise<boolean> {
    const ok = await vscode.window.withProgress({ location: { viewId: 'mlflow.runs' } }, async () => {
      try {
        await node.listing.applyQuery(query);
        this.prune(node.id);
        return true;
      } catch (e) {
        this.registry.report(node.server, e);
        return false;
      }
    });
    this.emitter.fire(node);
    if (!ok && this.view) await this.view.reveal(node, { expand: true, focus: false, select: false }).then(undefined, () => undefined);
    return ok;
  }

  /** Shows a run the user just started or picked elsewhere, loading what leads to it. */
  async revealRun(server: ServerConfig, run: Run, opts: { select?: boolean; focus?: boolean } = {}): Promise<RunNode | undefined> {
    const serverNode = this.serverNode(server);
    let experiments = await this.loadExperiments(serverNode);
    if (!experiments.some((e) => e.experiment_id === run.info.experiment_id)) {
      this.data.delete(server.id);
      experiments = await this.loadExperiments(serverNode);
      this.emitter.fire(serverNode);
    }
    const experiment = experiments.find((e) => e.experiment_id === run.info.experiment_id);
    if (!experiment) return undefined;
    const expNode = this.experimentNode(serverNode, experiment);
    if (!expNode.listing.loaded) await expNode.listing.reload().catch(() => undefined);
    const parentId = tagValue(run.data.tags, TAG.parentRunId);
    let owner: ExperimentNode | RunNode = expNode;
    if (parentId) {
      const parent = expNode.listing.find(parentId);
      if (parent) {
        owner = this.runNode(expNode, server, parent);
        if (!owner.children.loaded) await owner.children.reload().catch(() => undefined);
      }
    }
    const listing = owner.kind === 'experiment' ? owner.listing : owner.children;
    const existing = listing.find(run.info.run_id);
    if (!existing) listing.insertFirst(run);
    const node = this.runNode(owner, server, existing ?? run);
    this.emitter.fire(owner);
    if (this.view) {
      await this.view.reveal(node, { select: opts.select ?? true, focus: opts.focus ?? false, expand: false }).then(undefined, (e: unknown) => this.logger.warn(`reveal: ${describeError(e)}`));
    }
    return node;
  }

  /** Redraws a node after an edit made through a command. */
  redraw(node: TreeNode): void {
    this.emitter.fire(node);
  }

  /** Finds the node of a loaded run (for runs launched or picked elsewhere). */
  findRunNode(serverId: string, runId: string): RunNode | undefined {
    for (const n of this.nodes.values()) if (n.kind === 'run' && n.server.id === serverId && n.run.info.run_id === runId) return n;
    return undefined;
  }

  /** Loaded run nodes of one server, for commands that pick among runs the user has seen. */
  loadedRunNodes(serverId?: string): RunNode[] {
    const out: RunNode[] = [];
    for (const n of this.nodes.values()) if (n.kind === 'run' && (serverId === undefined || n.server.id === serverId)) out.push(n);
    return out;
  }

  // ---- children ----------------------------------------------------------------------------

  private async experimentChildren(node: ServerNode): Promise<TreeNode[]> {
    const server = node.server;
    if (server.uri === '') {
      return [this.message(node, 'Not running. Start it to browse this store.', 'info', { command: 'mlflow.startLocalServer', title: 'Start Local MLflow Server', args: [node] })];
    }
    let experiments: Experiment[];
    try {
      experiments = await this.loadExperiments(node);
    } catch (e) {
      return [this.errorMessage(node, e)];
    }
    if (experiments.length === 0) return [this.message(node, 'No experiments on this server yet.', 'info')];
    return experiments.map((e) => this.experimentNode(node, e));
  }

  private async loadExperiments(node: ServerNode): Promise<Experiment[]> {
    const server = node.server;
    let d = this.data.get(server.id);
    if (!d) {
      d = {};
      this.data.set(server.id, d);
    }
    if (d.experiments) return d.experiments;
    if (!d.loading) {
      const entry = d;
      entry.loading = (async () => {
        try {
          const experiments = await this.registry.client(server).listExperiments({ maxResults: 1000, orderBy: ['last_update_time DESC'] });
          // Paging stopped early (a repeated page token, the page bound): show what arrived, and why.
          if (experiments.incomplete) void vscode.window.showWarningMessage(uiText(experiments.incomplete));
          entry.experiments = experiments;
          entry.error = undefined;
          this.registry.report(server);
        } catch (e) {
          entry.error = e;
          this.registry.report(server, e);
        } finally {
          entry.loading = undefined;
        }
      })();
    }
    await d.loading;
    if (d.error !== undefined) {
      const err = d.error;
      // Forget the failure so the next expand (or Retry) tries again.
      this.data.delete(server.id);
      throw err;
    }
    return d.experiments ?? [];
  }

  private async listingChildren(owner: ExperimentNode | RunNode, listing: RunListing): Promise<TreeNode[]> {
    if (!listing.loaded && !listing.error) {
      try {
        await listing.reload();
        this.registry.report(owner.server);
      } catch (e) {
        this.registry.report(owner.server, e);
      }
    }
    const out: TreeNode[] = [];
    if (listing.error) {
      // A refused filter: say so, keep the last good runs below, and offer to edit it.
      const refused = owner.kind === 'experiment' && listing.rejected !== undefined;
      const action = refused ? { command: 'mlflow.filterRuns', title: 'Edit Filter', args: [owner] } : { command: 'mlflow.refresh', title: 'Retry', args: [owner] };
      out.push(this.message(owner, refused ? `Filter rejected: ${listing.error.message}` : listing.error.message, 'error', action));
    }
    for (const run of listing.topLevel()) out.push(this.runNode(owner, owner.server, run));
    if (listing.hasMore) out.push(this.loadMoreNode(owner, listing));
    if (out.length === 0 && owner.kind === 'experiment') {
      out.push(this.message(owner, listing.query.filter ? 'No runs match this filter.' : 'No runs in this experiment.', 'info'));
    }
    return out;
  }

  private async runChildren(node: RunNode): Promise<TreeNode[]> {
    const children = (await this.listingChildren(node, node.children)).filter((n) => n.kind !== 'message' || n.severity === 'error');
    const run = node.run;
    const groups: TreeNode[] = [];
    const userTags = run.data.tags.filter((t) => !t.key.startsWith('mlflow.'));
    const systemTags = run.data.tags.filter((t) => t.key.startsWith('mlflow.'));
    if (run.data.params.length) groups.push(this.groupNode(node, 'params'));
    if (run.data.metrics.length) groups.push(this.groupNode(node, 'metrics'));
    if (userTags.length || systemTags.length) groups.push(this.groupNode(node, 'tags'));
    if (run.inputs.datasets.length) groups.push(this.groupNode(node, 'datasets'));
    groups.push(this.artifactNode(node, node, { path: '', is_dir: true }));
    // The run's own details first: a sweep's parent can have hundreds of children behind "Load more…".
    return [...groups, ...children];
  }

  private groupChildren(node: GroupNode): TreeNode[] {
    const runNode = node.runNode;
    const run = runNode.run;
    const sorted = <T extends { key: string }>(xs: T[]) => [...xs].sort((a, b) => a.key.localeCompare(b.key));
    switch (node.group) {
      case 'params':
        return sorted(run.data.params).map((p) => this.cached(nodeIds.entry(node.id, 'param', p.key), () => ({ kind: 'param', id: nodeIds.entry(node.id, 'param', p.key), parent: node, runNode, param: p })));
      case 'metrics':
        return sorted(run.data.metrics).map((m) => {
          const n = this.cached(nodeIds.entry(node.id, 'metric', m.key), () => ({ kind: 'metric' as const, id: nodeIds.entry(node.id, 'metric', m.key), parent: node, runNode, metric: m }));
          // Refreshes replace the run's data; the node shows the latest value.
          (n as { metric: typeof m }).metric = m;
          return n;
        });
      case 'tags': {
        const user = sorted(run.data.tags.filter((t) => !t.key.startsWith('mlflow.'))).map((t) => this.tagNode(node, runNode, t, false));
        const hasSystem = run.data.tags.some((t) => t.key.startsWith('mlflow.'));
        return hasSystem ? [...user, this.groupNode(runNode, 'systemTags', node)] : user;
      }
      case 'systemTags':
        return sorted(run.data.tags.filter((t) => t.key.startsWith('mlflow.'))).map((t) => this.tagNode(node, runNode, t, true));
      case 'datasets':
        return run.inputs.datasets.map((d, i) =>
          this.cached(nodeIds.entry(node.id, 'dataset', String(i)), () => ({ kind: 'param' as const, id: nodeIds.entry(node.id, 'dataset', String(i)), parent: node, runNode, param: { key: d.name || d.digest, value: [d.context, d.digest].filter(Boolean).join(' · ') } })),
        );
    }
  }

  private async artifactChildren(node: ArtifactNode): Promise<TreeNode[]> {
    const runNode = node.runNode;
    const listing = await this.registry.client(runNode.server).listArtifacts(runNode.run.info.run_id, node.file.path);
    this.registry.report(runNode.server);
    if (listing.files.length === 0) return [this.message(node, node.file.path ? 'Empty folder.' : 'No artifacts.', 'info')];
    const files = [...listing.files].sort((a, b) => Number(b.is_dir) - Number(a.is_dir) || a.path.localeCompare(b.path));
    return files.map((f) => this.artifactNode(node, runNode, f));
  }

  // ---- items -------------------------------------------------------------------------------

  private serverItem(node: ServerNode): vscode.TreeItem {
    const server = node.server;
    const state = this.registry.state(server);
    const selected = this.registry.selected()?.id === server.id;
    const item = new vscode.TreeItem(uiText(server.name, 120), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    const stateText =
      state.kind === 'connected' ? `MLflow ${state.version}`
      : state.kind === 'connecting' ? 'connecting…'
      : state.kind === 'error' ? 'unreachable'
      : state.kind === 'stopped' ? 'not running'
      : '';
    item.description = uiText([server.uri || server.local?.folder, stateText, selected ? '(selected)' : ''].filter(Boolean).join(' · '));
    item.iconPath =
      state.kind === 'error' ? new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('problemsErrorIcon.foreground'))
      : state.kind === 'stopped' ? new vscode.ThemeIcon('database')
      : new vscode.ThemeIcon(selected ? 'server-environment' : 'server');
    item.tooltip = tooltipMarkdown((md) => {
      md.appendMarkdown('**').appendText(server.name).appendMarkdown('**\n\n');
      if (server.uri) md.appendText(server.uri).appendMarkdown('\n\n');
      if (server.local) md.appendText(`Local store: ${server.local.backendStoreUri}`).appendMarkdown('\n\n');
      md.appendText(`Source: ${server.source}${server.auth !== 'none' ? ` · auth: ${server.auth}` : ''}`);
      if (state.kind === 'error') md.appendMarkdown('\n\n').appendText(describeError(state.error));
    });
    const local = server.source === 'local' ? (server.uri ? '.local.running' : '.local.stopped') : '';
    item.contextValue = `server${server.source === 'settings' ? '.configured' : ''}${local}`;
    return item;
  }

  private experimentItem(node: ExperimentNode): vscode.TreeItem {
    const e = node.experiment;
    const item = new vscode.TreeItem(uiText(e.name || e.experiment_id, 120), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    const q = node.listing.query;
    const extras: string[] = [];
    if (q.filter || q.orderBy.length) extras.push(`filter: ${uiText(formatFilterInput(q), 60)}`);
    if (q.viewType !== 'ACTIVE_ONLY') extras.push(q.viewType === 'ALL' ? 'incl. deleted' : 'deleted only');
    item.description = uiText([`#${e.experiment_id}`, ...extras].join(' · '));
    item.iconPath = new vscode.ThemeIcon(q.filter ? 'filter' : 'beaker');
    item.tooltip = tooltipMarkdown((md) => {
      md.appendMarkdown('**Experiment** ').appendText(e.name).appendMarkdown('\n\nID ').appendText(e.experiment_id);
      const note = tagValue(e.tags, TAG.note);
      if (note) md.appendMarkdown('\n\n---\n\n').appendMarkdown(noteMarkdown(note));
      if (e.artifact_location) md.appendMarkdown('\n\nArtifacts: ').appendText(e.artifact_location);
      if (q.filter || q.orderBy.length) md.appendMarkdown('\n\nFilter: ').appendText(formatFilterInput(q));
    });
    item.contextValue = `experiment${q.filter || q.orderBy.length ? '.filtered' : ''}`;
    return item;
  }

  private runItem(node: RunNode): vscode.TreeItem {
    const run = node.run;
    const item = new vscode.TreeItem(runDisplayName(run), vscode.TreeItemCollapsibleState.Collapsed); // ui-text: runDisplayName returns uiText
    item.id = node.id;
    item.description = runDescription(run); // ui-text: runDescription escapes the user name, the rest is ours
    const { icon, color } = statusIcon(run.info.status);
    item.iconPath = new vscode.ThemeIcon(run.info.lifecycle_stage === 'deleted' ? 'trash' : icon, color ? new vscode.ThemeColor(color) : undefined);
    item.tooltip = tooltipMarkdown((md) => {
      md.appendMarkdown('**Run** ').appendText(run.info.run_name || run.info.run_id);
      md.appendMarkdown('\n\nID ').appendText(run.info.run_id).appendMarkdown('\n\n');
      md.appendText(`Status: ${run.info.status}${run.info.lifecycle_stage === 'deleted' ? ' (deleted)' : ''}`);
      if (run.info.start_time) md.appendMarkdown('\n\n').appendText(`Started: ${formatTimestamp(run.info.start_time)}`);
      if (run.info.end_time) md.appendMarkdown('\n\n').appendText(`Ended: ${formatTimestamp(run.info.end_time)}`);
      if (run.info.user_id) md.appendMarkdown('\n\n').appendText(`User: ${run.info.user_id}`);
      const source = tagValue(run.data.tags, TAG.sourceName);
      if (source) md.appendMarkdown('\n\n').appendText(`Source: ${source}`);
      const commit = tagValue(run.data.tags, TAG.gitCommit);
      if (commit) md.appendMarkdown('\n\n').appendText(`Git commit: ${commit}`);
      md.appendMarkdown('\n\n').appendText(`${run.data.params.length} params · ${run.data.metrics.length} metrics · ${run.data.tags.length} tags`);
      const note = tagValue(run.data.tags, TAG.note);
      if (note) md.appendMarkdown('\n\n---\n\n').appendMarkdown(noteMarkdown(note));
    });
    const hasSource = tagValue(run.data.tags, TAG.gitCommit) && tagValue(run.data.tags, TAG.sourceName) ? '.hasSource' : '';
    item.contextValue = `run.${run.info.lifecycle_stage === 'deleted' ? 'deleted' : 'active'}${isTerminal(run.info.status) ? '' : '.live'}${hasSource}`;
    item.accessibilityInformation = { label: uiText(`Run ${run.info.run_name || run.info.run_id}, ${run.info.status}`), role: 'treeitem' };
    return item;
  }

  private groupItem(node: GroupNode): vscode.TreeItem {
    const run = node.runNode.run;
    const [label, icon, count] = (
      {
        params: ['Parameters', 'symbol-parameter', run.data.params.length],
        metrics: ['Metrics', 'graph-line', run.data.metrics.length],
        tags: ['Tags', 'tag', run.data.tags.filter((t) => !t.key.startsWith('mlflow.')).length],
        systemTags: ['System tags', 'gear', run.data.tags.filter((t) => t.key.startsWith('mlflow.')).length],
        datasets: ['Datasets', 'database', run.inputs.datasets.length],
      } as const
    )[node.group];
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed); // ui-text: one of five fixed group names
    item.id = node.id;
    item.description = String(count); // ui-text: a number
    item.iconPath = new vscode.ThemeIcon(icon);
    item.contextValue = `group.${node.group}`;
    return item;
  }

  private artifactItem(node: ArtifactNode): vscode.TreeItem {
    const f = node.file;
    const isRoot = f.path === '';
    const name = isRoot ? 'Artifacts' : (f.path.split('/').pop() ?? f.path);
    const item = new vscode.TreeItem(uiText(name, 120), f.is_dir ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    if (f.is_dir) item.iconPath = new vscode.ThemeIcon(isRoot ? 'archive' : 'folder');
    else {
      // A resourceUri lets the file icon theme pick the icon by extension.
      item.resourceUri = artifactUri(node.runNode.server.id, node.runNode.run.info.run_id, f.path);
      item.iconPath = vscode.ThemeIcon.File;
      item.description = f.file_size !== undefined ? formatBytes(f.file_size) : ''; // ui-text: a byte count
      item.command = { command: 'mlflow.openArtifact', title: 'Open Artifact', arguments: [node] };
    }
    item.tooltip = escapeHidden(isRoot ? node.runNode.run.info.artifact_uri : `${f.path}${f.file_size !== undefined ? ` (${formatBytes(f.file_size)})` : ''}`);
    item.contextValue = isRoot ? 'artifact.root' : f.is_dir ? 'artifact.dir' : 'artifact.file';
    return item;
  }

  // ---- node identity -----------------------------------------------------------------------

  private cached<T extends TreeNode>(id: string, make: () => T): T {
    const existing = this.nodes.get(id);
    if (existing) return existing as T;
    const n = make();
    this.nodes.set(id, n);
    return n;
  }

  private serverNode(server: ServerConfig): ServerNode {
    const n = this.cached(serverNodeId(server), () => ({ kind: 'server' as const, id: serverNodeId(server), parent: undefined, server }));
    n.server = server;
    return n;
  }

  private experimentNode(parent: ServerNode, experiment: Experiment): ExperimentNode {
    const id = nodeIds.experiment(parent.id, experiment.experiment_id);
    const n = this.cached(id, () => ({
      kind: 'experiment' as const,
      id,
      parent,
      server: parent.server,
      experiment,
      listing: new RunListing(this.registry.clientSource(parent.server), { experimentId: experiment.experiment_id, pageSize: readSettings().runsPageSize }),
    }));
    n.experiment = experiment;
    return n;
  }

  private runNode(parent: ExperimentNode | RunNode, server: ServerConfig, run: Run): RunNode {
    const id = nodeIds.run(parent.id, run.info.run_id);
    return this.cached(id, () => ({
      kind: 'run' as const,
      id,
      parent,
      server,
      run,
      children: new RunListing(this.registry.clientSource(server), { experimentId: run.info.experiment_id, pageSize: readSettings().runsPageSize, parentRunId: run.info.run_id }),
    }));
  }

  private groupNode(runNode: RunNode, group: GroupKind, parent: TreeNode = runNode): GroupNode {
    const id = nodeIds.group(parent.id, group);
    return this.cached(id, () => ({ kind: 'group' as const, id, parent, group, runNode }));
  }

  private tagNode(parent: GroupNode, runNode: RunNode, tag: { key: string; value: string }, system: boolean): TreeNode {
    const id = nodeIds.entry(parent.id, 'tag', tag.key);
    const n = this.cached(id, () => ({ kind: 'tag' as const, id, parent, runNode, tag, system }));
    (n as { tag: typeof tag }).tag = tag;
    return n;
  }

  private artifactNode(parent: TreeNode, runNode: RunNode, file: FileInfo): ArtifactNode {
    const id = nodeIds.artifact(runNode.id, file.path);
    return this.cached(id, () => ({ kind: 'artifact' as const, id, parent, runNode, file }));
  }

  private loadMoreNode(owner: ExperimentNode | RunNode, listing: RunListing): LoadMoreNode {
    const id = nodeIds.loadMore(owner.id);
    return this.cached(id, () => ({ kind: 'loadMore' as const, id, parent: owner, listing, owner }));
  }

  private message(parent: TreeNode | undefined, message: string, severity: 'error' | 'info', action?: MessageNode['action']): MessageNode {
    // Not cached: a message is redrawn with the state that produced it.
    const n: MessageNode = { kind: 'message', id: nodeIds.message(parent?.id ?? '', severity), parent, message, severity };
    if (action) (n as { action?: MessageNode['action'] }).action = action;
    return n;
  }

  private errorMessage(node: ServerNode, e: unknown): MessageNode {
    const err = e instanceof MlflowError ? e : undefined;
    const action: MessageNode['action'] =
      err?.kind === 'auth' ? { command: 'mlflow.setCredentials', title: 'Set Credentials', args: [node] }
      : err?.kind === 'response' && node.server.source === 'settings' ? { command: 'workbench.action.openSettings', title: 'Edit Settings', args: ['mlflow.servers'] }
      : { command: 'mlflow.refresh', title: 'Retry', args: [node] };
    return this.message(node, describeError(e), 'error', action);
  }

  /** Forgets cached nodes below `prefix`, so a reloaded list gets fresh rows with the same ids. */
  private prune(prefix: string): void {
    for (const id of [...this.nodes.keys()]) if (id.startsWith(prefix + '/')) this.nodes.delete(id);
  }

  private async reloadListing(owner: ExperimentNode | RunNode, listing: RunListing): Promise<void> {
    try {
      await listing.reload();
      this.prune(owner.id);
      this.registry.report(owner.server);
    } catch (e) {
      this.registry.report(owner.server, e);
    }
  }

  // ---- live refresh of running runs --------------------------------------------------------

  private schedulePolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    const seconds = readSettings().refreshIntervalSeconds;
    if (seconds > 0) this.pollTimer = setInterval(() => void this.pollLiveRuns(), seconds * 1000);
  }

  /** Refreshes RUNNING/SCHEDULED runs in place; the tree keeps its expansion and selection. */
  async pollLiveRuns(): Promise<number> {
    if (this.polling || (this.view && !this.view.visible)) return 0;
    this.polling = true;
    let changedCount = 0;
    try {
      const live = new Map<string, { server: ServerConfig; experimentId: string; nodes: RunNode[] }>();
      for (const n of this.nodes.values()) {
        if (n.kind !== 'run' || isTerminal(n.run.info.status) || n.server.uri === '') continue;
        const key = `${n.server.id}|${n.run.info.experiment_id}`;
        const entry = live.get(key) ?? { server: n.server, experimentId: n.run.info.experiment_id, nodes: [] };
        entry.nodes.push(n);
        live.set(key, entry);
      }
      for (const { server, experimentId, nodes } of live.values()) {
        try {
          const unique = [...new Map(nodes.map((n) => [n.run.info.run_id, n.run])).values()];
          const changed = await refreshRuns(this.registry.client(server), experimentId, unique);
          changedCount += changed.length;
          const changedIds = new Set(changed.map((r) => r.info.run_id));
          for (const n of nodes) if (changedIds.has(n.run.info.run_id)) this.emitter.fire(n);
        } catch (e) {
          this.logger.debug(`refreshing running runs failed: ${describeError(e)}`);
        }
      }
    } finally {
      this.polling = false;
    }
    return changedCount;
  }
}

export function serverNodeId(server: ServerConfig): string {
  return nodeIds.server(server.id);
}

