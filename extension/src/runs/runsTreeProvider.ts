// The Experiments view: servers → experiments → runs (children under their parent) → params,
// metrics, tags and a lazily listed artifact tree. The data, node identity, polling and edits
// live in RunBrowserModel (no `vscode`); this class maps its nodes to TreeItems and redraws.
import * as vscode from 'vscode';
import type { Logger } from '../shared/logger.ts';
import { describeError, isCancellation, MlflowError } from '../mlflow/errors.ts';
import type { Experiment, KeyValue, Run } from '../mlflow/types.ts';
import { isTerminal, runName, TAG, tagValue } from '../mlflow/types.ts';
import { formatBytes } from '../shared/bytes.ts';
import type { ServerConfig } from '../servers/serverConfig.ts';
import type { ServerRegistry } from '../servers/serverRegistry.ts';
import { readSettings } from '../shared/settings.ts';
import { formatMetricValue } from '../../../webviews/protocol/metricValue.ts';
import { formatTimestamp, metricDescription, noteMarkdown, runDescription, statusIcon, tagsCount } from './format.ts';
import { formatFilterInput } from './filterInput.ts';
import type {
  ArtifactNode,
  ExperimentNode,
  GroupNode,
  LoadMoreNode,
  MessageNode,
  RunNode,
  ServerNode,
  TreeNode,
} from './nodes.ts';
import { nodeIds } from './nodes.ts';
import { tooltipMarkdown } from './tooltip.ts';
import type { RunListing } from './runListing.ts';
import { RunBrowserModel } from './runBrowserModel.ts';
import type { AnalysisMemory } from '../shared/analysisMemory.ts';
import { describePrimaryReason } from '../mlflow/primaryMetric.ts';
import { artifactUri } from '../artifacts/artifactUri.ts';
import { escapeHidden, escapeHiddenKeepingLines, uiText } from '../../../webviews/protocol/displayText.ts';

export class RunsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** The runs, their cache, polling and edits; this class only draws them. */
  readonly model: RunBrowserModel;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private view: vscode.TreeView<TreeNode> | undefined;
  private readonly registry: ServerRegistry;
  private readonly logger: Logger;

  constructor(registry: ServerRegistry, logger: Logger, memory?: AnalysisMemory) {
    this.registry = registry;
    this.logger = logger;
    this.model = new RunBrowserModel({
      ...(memory ? { choices: memory } : {}),
      servers: registry,
      pageSize: () => readSettings().runsPageSize,
      refreshIntervalSeconds: () => readSettings().refreshIntervalSeconds,
      isVisible: () => !this.view || this.view.visible,
      log: logger,
      onIncomplete: (message) => void vscode.window.showWarningMessage(uiText(message)),
    });
    this.disposables.push(
      this.model,
      this.model.onDidChange((node) => this.emitter.fire(node)),
      registry.onDidChangeServers(() => this.emitter.fire()),
      registry.onDidChangeState((server) => {
        const node = this.model.findServerNode(server);
        if (node) this.emitter.fire(node);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mlflow.refreshIntervalSeconds')) this.model.schedulePolling();
      }),
    );
  }

  attach(view: vscode.TreeView<TreeNode>): void {
    this.view = view;
  }

  dispose(): void {
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
        return servers.map((s) => this.model.serverNode(s));
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
      case 'param':
        return keyValueItem(node.id, 'Parameter', node.param, 'symbol-parameter', 'param');
      case 'metric': {
        const item = new vscode.TreeItem(uiText(node.metric.key, 80), vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = uiText(metricDescription(node.metric, node.runNode.run.data.metrics));
        item.tooltip = tooltipMarkdown((md) =>
          md
            .appendMarkdown('**Metric** ')
            .appendText(node.metric.key)
            .appendMarkdown('\n\n')
            .appendText(
              `Latest value: ${formatMetricValue(node.metric.value)} at step ${node.metric.step}, ${formatTimestamp(node.metric.timestamp)}`,
            )
            .appendMarkdown('\n\nClick to chart its history.'),
        );
        item.iconPath = new vscode.ThemeIcon('graph-line');
        item.contextValue = 'metric';
        item.command = { command: 'mlflow.openMetricChart', title: 'Open Metric Chart', arguments: [node] };
        return item;
      }
      case 'tag':
        return keyValueItem(
          node.id,
          'Tag',
          node.tag,
          'tag',
          node.system ? 'tag.system' : node.runNode.run.info.lifecycle_stage === 'active' ? 'tag.user' : 'tag.readonly',
        );
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
        item.tooltip =
          escapeHiddenKeepingLines(node.message) +
          (node.action ? `\n\nClick to ${node.action.title.toLowerCase()}.` : '');
        item.iconPath = new vscode.ThemeIcon(
          node.severity === 'error' ? 'warning' : 'info',
          node.severity === 'error' ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined,
        );
        if (node.action)
          item.command = { command: node.action.command, title: node.action.title, arguments: node.action.args ?? [] };
        item.contextValue = 'message';
        return item;
      }
    }
  }

  // ---- refresh and paging ------------------------------------------------------------------

  /** Reloads a node's data (or everything) and redraws it. */
  async refresh(node?: TreeNode): Promise<void> {
    if (!node) {
      this.model.clear();
      for (const s of this.registry.list()) void this.registry.check(s, true);
      this.emitter.fire();
      return;
    }
    if (node.kind === 'server') {
      this.model.forgetServer(node.server);
      void this.registry.check(node.server, true);
    } else if (node.kind === 'experiment') {
      await this.model.reloadListing(node, node.listing);
    } else if (node.kind === 'run') {
      await this.model.reloadRun(node).catch((e: unknown) => this.logger.warn(describeError(e)));
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
        this.model.prune(node.id);
        return true;
      } catch (e) {
        this.registry.report(node.server, e);
        return false;
      }
    });
    this.emitter.fire(node);
    // Expanded either way: the filtered runs (or MLflow's message about the filter) are what the user wants to see.
    if (this.view)
      await this.view.reveal(node, { expand: true, focus: false, select: false }).then(undefined, () => undefined);
    return ok;
  }

  /** Shows a run the user just started or picked elsewhere, loading what leads to it. */
  async revealRun(
    server: ServerConfig,
    run: Run,
    opts: { select?: boolean; focus?: boolean } = {},
  ): Promise<RunNode | undefined> {
    const node = await this.model.revealPath(server, run);
    if (node && this.view) {
      await this.view
        .reveal(node, { select: opts.select ?? true, focus: opts.focus ?? false, expand: false })
        .then(undefined, (e: unknown) => this.logger.warn(`reveal: ${describeError(e)}`));
    }
    return node;
  }

  loadedRunNodes(serverId?: string): RunNode[] {
    return this.model.loadedRunNodes(serverId);
  }

  // ---- children ----------------------------------------------------------------------------

  private async experimentChildren(node: ServerNode): Promise<TreeNode[]> {
    const server = node.server;
    if (server.uri === '') {
      return [
        this.message(node, 'Not running. Start it to browse this store.', 'info', {
          command: 'mlflow.startLocalServer',
          title: 'Start Local MLflow Server',
          args: [node],
        }),
      ];
    }
    let experiments: Experiment[];
    try {
      experiments = await this.model.loadExperiments(node);
    } catch (e) {
      return [this.errorMessage(node, e)];
    }
    if (experiments.length === 0) return [this.message(node, 'No experiments on this server yet.', 'info')];
    return experiments.map((e) => this.model.experimentNode(node, e));
  }

  private async listingChildren(owner: ExperimentNode | RunNode, listing: RunListing): Promise<TreeNode[]> {
    await this.model.ensureListing(owner, listing);
    const out: TreeNode[] = [];
    if (listing.error) {
      // A refused filter: say so, keep the last good runs below, and offer to edit it.
      const refused = owner.kind === 'experiment' && listing.rejected !== undefined;
      const action = refused
        ? { command: 'mlflow.filterRuns', title: 'Edit Filter', args: [owner] }
        : { command: 'mlflow.refresh', title: 'Retry', args: [owner] };
      out.push(
        this.message(
          owner,
          refused ? `Filter rejected: ${listing.error.message}` : listing.error.message,
          'error',
          action,
        ),
      );
    }
    for (const run of listing.topLevel()) out.push(this.model.runNode(owner, owner.server, run));
    if (listing.hasMore) out.push(this.model.loadMoreNode(owner, listing));
    if (out.length === 0 && owner.kind === 'experiment') {
      out.push(
        this.message(
          owner,
          listing.query.filter ? 'No runs match this filter.' : 'No runs in this experiment.',
          'info',
        ),
      );
    }
    return out;
  }

  private async runChildren(node: RunNode): Promise<TreeNode[]> {
    const children = (await this.listingChildren(node, node.children)).filter(
      (n) => n.kind !== 'message' || n.severity === 'error',
    );
    const run = node.run;
    const groups: TreeNode[] = [];
    const userTags = run.data.tags.filter((t) => !t.key.startsWith('mlflow.'));
    const systemTags = run.data.tags.filter((t) => t.key.startsWith('mlflow.'));
    if (run.data.params.length) groups.push(this.model.groupNode(node, 'params'));
    if (run.data.metrics.length) groups.push(this.model.groupNode(node, 'metrics'));
    if (userTags.length || systemTags.length) groups.push(this.model.groupNode(node, 'tags'));
    if (run.inputs.datasets.length) groups.push(this.model.groupNode(node, 'datasets'));
    groups.push(this.model.artifactNode(node, node, { path: '', is_dir: true }));
    // The run's own details first: a sweep's parent can have hundreds of children behind "Load more…".
    return [...groups, ...children];
  }

  private groupChildren(node: GroupNode): TreeNode[] {
    const runNode = node.runNode;
    const run = runNode.run;
    const sorted = <T extends { key: string }>(xs: T[]) => [...xs].sort((a, b) => a.key.localeCompare(b.key));
    switch (node.group) {
      case 'params':
        return sorted(run.data.params).map((p) =>
          this.model.cached(nodeIds.entry(node.id, 'param', p.key), () => ({
            kind: 'param',
            id: nodeIds.entry(node.id, 'param', p.key),
            parent: node,
            runNode,
            param: p,
          })),
        );
      case 'metrics':
        return sorted(run.data.metrics).map((m) => {
          const n = this.model.cached(nodeIds.entry(node.id, 'metric', m.key), () => ({
            kind: 'metric' as const,
            id: nodeIds.entry(node.id, 'metric', m.key),
            parent: node,
            runNode,
            metric: m,
          }));
          // Refreshes replace the run's data; the node shows the latest value.
          (n as { metric: typeof m }).metric = m;
          return n;
        });
      case 'tags': {
        const user = sorted(run.data.tags.filter((t) => !t.key.startsWith('mlflow.'))).map((t) =>
          this.model.tagNode(node, runNode, t, false),
        );
        const hasSystem = run.data.tags.some((t) => t.key.startsWith('mlflow.'));
        return hasSystem ? [...user, this.model.groupNode(runNode, 'systemTags', node)] : user;
      }
      case 'systemTags':
        return sorted(run.data.tags.filter((t) => t.key.startsWith('mlflow.'))).map((t) =>
          this.model.tagNode(node, runNode, t, true),
        );
      case 'datasets':
        return run.inputs.datasets.map((d, i) =>
          this.model.cached(nodeIds.entry(node.id, 'dataset', String(i)), () => ({
            kind: 'param' as const,
            id: nodeIds.entry(node.id, 'dataset', String(i)),
            parent: node,
            runNode,
            param: { key: d.name || d.digest, value: [d.context, d.digest].filter(Boolean).join(' · ') },
          })),
        );
    }
  }

  private async artifactChildren(node: ArtifactNode): Promise<TreeNode[]> {
    const runNode = node.runNode;
    const listing = await this.registry.client(runNode.server).listArtifacts(runNode.run.info.run_id, node.file.path);
    this.registry.report(runNode.server);
    if (listing.files.length === 0)
      return [this.message(node, node.file.path ? 'Empty folder.' : 'No artifacts.', 'info')];
    const files = [...listing.files].sort(
      (a, b) => Number(b.is_dir) - Number(a.is_dir) || a.path.localeCompare(b.path),
    );
    return files.map((f) => this.model.artifactNode(node, runNode, f));
  }

  // ---- items -------------------------------------------------------------------------------

  private serverItem(node: ServerNode): vscode.TreeItem {
    const server = node.server;
    const state = this.registry.state(server);
    const selected = this.registry.selected()?.id === server.id;
    const item = new vscode.TreeItem(uiText(server.name, 120), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    const stateText =
      state.kind === 'connected'
        ? `MLflow ${state.version}`
        : state.kind === 'connecting'
          ? 'connecting…'
          : state.kind === 'error'
            ? 'unreachable'
            : state.kind === 'stopped'
              ? 'not running'
              : '';
    item.description = uiText(
      [server.uri || server.local?.folder, stateText, selected ? '(selected)' : ''].filter(Boolean).join(' · '),
    );
    item.iconPath =
      state.kind === 'error'
        ? new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('problemsErrorIcon.foreground'))
        : state.kind === 'stopped'
          ? new vscode.ThemeIcon('database')
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
    const primary = this.model.primaryMetric(node);
    if (primary)
      extras.push(
        `primary: ${uiText(primary.key, 40)} ${primary.direction.better === 'higher' ? '↑' : '↓'}${primary.direction.guess ? '?' : ''}`,
      );
    item.description = uiText([`#${e.experiment_id}`, ...extras].join(' · '));
    item.iconPath = new vscode.ThemeIcon(q.filter ? 'filter' : 'beaker');
    item.tooltip = tooltipMarkdown((md) => {
      md.appendMarkdown('**Experiment** ').appendText(e.name).appendMarkdown('\n\nID ').appendText(e.experiment_id);
      const note = tagValue(e.tags, TAG.note);
      if (note) md.appendMarkdown('\n\n---\n\n').appendMarkdown(noteMarkdown(note));
      if (e.artifact_location) md.appendMarkdown('\n\nArtifacts: ').appendText(e.artifact_location);
      if (q.filter || q.orderBy.length) md.appendMarkdown('\n\nFilter: ').appendText(formatFilterInput(q));
      if (primary) {
        md.appendMarkdown('\n\nPrimary metric: ').appendText(
          `${primary.key} (${describePrimaryReason(primary.reason)}), ${primary.direction.better} is better`,
        );
        md.appendMarkdown('\n\n').appendText(primary.direction.reason);
      }
    });
    item.contextValue = `experiment${q.filter || q.orderBy.length ? '.filtered' : ''}`;
    return item;
  }

  private runItem(node: RunNode): vscode.TreeItem {
    const run = node.run;
    const item = new vscode.TreeItem(uiText(runName(run), 120), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    // The primary metric's value first: it is what the user compares runs by.
    const primary = this.model.primaryValue(node);
    const metricText = primary ? `${uiText(primary.key, 40)} ${formatMetricValue(primary.value)} · ` : '';
    item.description = metricText + runDescription(run); // ui-text: the key through uiText, runDescription escapes the user name, the rest is ours
    const { icon, color } = statusIcon(run.info.status);
    item.iconPath = new vscode.ThemeIcon(
      run.info.lifecycle_stage === 'deleted' ? 'trash' : icon,
      color ? new vscode.ThemeColor(color) : undefined,
    );
    item.tooltip = tooltipMarkdown((md) => {
      md.appendMarkdown('**Run** ').appendText(runName(run));
      md.appendMarkdown('\n\nID ').appendText(run.info.run_id).appendMarkdown('\n\n');
      md.appendText(`Status: ${run.info.status}${run.info.lifecycle_stage === 'deleted' ? ' (deleted)' : ''}`);
      if (run.info.start_time) md.appendMarkdown('\n\n').appendText(`Started: ${formatTimestamp(run.info.start_time)}`);
      if (run.info.end_time) md.appendMarkdown('\n\n').appendText(`Ended: ${formatTimestamp(run.info.end_time)}`);
      if (run.info.user_id) md.appendMarkdown('\n\n').appendText(`User: ${run.info.user_id}`);
      const source = tagValue(run.data.tags, TAG.sourceName);
      if (source) md.appendMarkdown('\n\n').appendText(`Source: ${source}`);
      const commit = tagValue(run.data.tags, TAG.gitCommit);
      if (commit) md.appendMarkdown('\n\n').appendText(`Git commit: ${commit}`);
      md.appendMarkdown('\n\n').appendText(
        `${run.data.params.length} params · ${run.data.metrics.length} metrics · ${run.data.tags.length} tags`,
      );
      appendKeyValues(
        md,
        'Metrics (latest)',
        run.data.metrics.map((m) => ({ key: m.key, value: formatMetricValue(m.value) })),
        primary?.key,
      );
      appendKeyValues(md, 'Parameters', run.data.params);
      const note = tagValue(run.data.tags, TAG.note);
      if (note) md.appendMarkdown('\n\n---\n\n').appendMarkdown(noteMarkdown(note));
    });
    const hasSource =
      tagValue(run.data.tags, TAG.gitCommit) && tagValue(run.data.tags, TAG.sourceName) ? '.hasSource' : '';
    item.contextValue = `run.${run.info.lifecycle_stage === 'deleted' ? 'deleted' : 'active'}${isTerminal(run.info.status) ? '' : '.live'}${hasSource}`;
    item.accessibilityInformation = { label: uiText(`Run ${runName(run)}, ${run.info.status}`), role: 'treeitem' };
    return item;
  }

  private groupItem(node: GroupNode): vscode.TreeItem {
    const run = node.runNode.run;
    const system = run.data.tags.filter((t) => t.key.startsWith('mlflow.')).length;
    const [label, icon, count] = (
      {
        params: ['Parameters', 'symbol-parameter', String(run.data.params.length)],
        metrics: ['Metrics', 'graph-line', String(run.data.metrics.length)],
        tags: ['Tags', 'tag', tagsCount(run.data.tags.length - system, system)],
        systemTags: ['System tags', 'gear', String(system)],
        datasets: ['Datasets', 'database', String(run.inputs.datasets.length)],
      } as const
    )[node.group];
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed); // ui-text: one of five fixed group names
    item.id = node.id;
    item.description = count; // ui-text: counts
    item.iconPath = new vscode.ThemeIcon(icon);
    item.contextValue = `group.${node.group}`;
    return item;
  }

  private artifactItem(node: ArtifactNode): vscode.TreeItem {
    const f = node.file;
    const isRoot = f.path === '';
    const name = isRoot ? 'Artifacts' : (f.path.split('/').pop() ?? f.path);
    const item = new vscode.TreeItem(
      uiText(name, 120),
      f.is_dir ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.id;
    if (f.is_dir) item.iconPath = new vscode.ThemeIcon(isRoot ? 'archive' : 'folder');
    else {
      // A resourceUri lets the file icon theme pick the icon by extension.
      const experiment = this.model.experimentOf(node.runNode)?.experiment.name;
      item.resourceUri = artifactUri(node.runNode.server.id, node.runNode.run, f.path, experiment);
      item.iconPath = vscode.ThemeIcon.File;
      item.description = f.file_size !== undefined ? formatBytes(f.file_size) : ''; // ui-text: a byte count
      item.command = { command: 'mlflow.openArtifact', title: 'Open Artifact', arguments: [node] };
    }
    item.tooltip = escapeHidden(
      isRoot
        ? node.runNode.run.info.artifact_uri
        : `${f.path}${f.file_size !== undefined ? ` (${formatBytes(f.file_size)})` : ''}`,
    );
    item.contextValue = isRoot ? 'artifact.root' : f.is_dir ? 'artifact.dir' : 'artifact.file';
    return item;
  }

  // ---- node identity -----------------------------------------------------------------------

  private message(
    parent: TreeNode | undefined,
    message: string,
    severity: 'error' | 'info',
    action?: MessageNode['action'],
  ): MessageNode {
    // Not cached: a message is redrawn with the state that produced it.
    const n: MessageNode = {
      kind: 'message',
      id: nodeIds.message(parent?.id ?? '', severity),
      parent,
      message,
      severity,
    };
    if (action) (n as { action?: MessageNode['action'] }).action = action;
    return n;
  }

  private errorMessage(node: ServerNode, e: unknown): MessageNode {
    const err = e instanceof MlflowError ? e : undefined;
    const action: MessageNode['action'] =
      err?.kind === 'auth'
        ? { command: 'mlflow.setCredentials', title: 'Set Credentials', args: [node] }
        : err?.kind === 'response' && node.server.source === 'settings'
          ? { command: 'workbench.action.openSettings', title: 'Edit Settings', args: ['mlflow.servers'] }
          : { command: 'mlflow.refresh', title: 'Retry', args: [node] };
    return this.message(node, describeError(e), 'error', action);
  }

  /** Redraws a node whose look changed without its data (a pinned primary metric). Run edits go through `model.updateRun`. */
  redraw(node: TreeNode): void {
    this.model.changed(node);
  }

  /** Refreshes RUNNING/SCHEDULED runs in place (the model polls on its own timer too). */
  pollLiveRuns(): Promise<number> {
    return this.model.pollLiveRuns();
  }
}

/** A parameter or tag row: the key as label, the value beside it and whole in the tooltip. */
function keyValueItem(
  id: string,
  kind: 'Parameter' | 'Tag',
  { key, value }: KeyValue,
  icon: string,
  contextValue: string,
): vscode.TreeItem {
  const item = new vscode.TreeItem(uiText(key, 80), vscode.TreeItemCollapsibleState.None);
  item.id = id;
  item.description = uiText(value, 120);
  item.tooltip = tooltipMarkdown((md) =>
    md.appendMarkdown(`**${kind}** `).appendText(key).appendMarkdown('\n\n').appendCodeblock(value, 'text'),
  );
  item.iconPath = new vscode.ThemeIcon(icon);
  item.contextValue = contextValue;
  return item;
}

/** Lines a run tooltip lists per group; the rest is counted. */
const TOOLTIP_ENTRIES = 25;

/** A tooltip section of `key: value` lines, sorted by key (`first` leads), every string as text. */
function appendKeyValues(
  md: vscode.MarkdownString,
  title: string,
  entries: readonly { key: string; value: string }[],
  first?: string,
): void {
  if (entries.length === 0) return;
  const sorted = [...entries].sort(
    (a, b) => Number(b.key === first) - Number(a.key === first) || a.key.localeCompare(b.key),
  );
  md.appendMarkdown(`\n\n**${title}**\n`);
  for (const e of sorted.slice(0, TOOLTIP_ENTRIES))
    md.appendMarkdown('\n- ').appendText(`${uiText(e.key, 80)}: ${uiText(e.value, 120)}`);
  if (sorted.length > TOOLTIP_ENTRIES)
    md.appendMarkdown('\n- ').appendText(`… and ${sorted.length - TOOLTIP_ENTRIES} more`);
}
