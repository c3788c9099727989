// The run browser's model: the nodes that exist (one object per id, so VS Code keeps expansion
// and selection), each server's experiments, the path to a run for reveal, live polling of
// running runs, and every edit of a run. No `vscode` import: unit-tested without VS Code;
// RunsTreeProvider only maps these nodes to TreeItems and redraws on `onDidChange`.
import type { MlflowClient } from '../mlflow/client.ts';
import type { ClientSource } from '../mlflow/clientSource.ts';
import { describeError } from '../mlflow/errors.ts';
import type { Experiment, FileInfo, KeyValue, Run } from '../mlflow/types.ts';
import { isTerminal, TAG, tagValue } from '../mlflow/types.ts';
import type { ServerConfig } from '../servers/serverConfig.ts';
import type {
  ArtifactNode,
  ExperimentNode,
  GroupKind,
  GroupNode,
  LoadMoreNode,
  RunNode,
  ServerNode,
  TreeNode,
} from './nodes.ts';
import { nodeIds } from './nodes.ts';
import { RunListing, refreshRuns } from './runListing.ts';
import type { Better, MetricDirection } from '../mlflow/metricDirection.ts';
import { inferDirection } from '../mlflow/metricDirection.ts';
import type { PrimaryMetricChoice } from '../mlflow/primaryMetric.ts';
import { choosePrimaryMetric, metricStats } from '../mlflow/primaryMetric.ts';
import type { MetricStat } from '../mlflow/primaryMetric.ts';

/** What the model needs of the server registry (ServerRegistry fits it). */
interface RunServers {
  client(server: ServerConfig): MlflowClient;
  clientSource(server: ServerConfig): ClientSource;
  /** Records whether a request to the server worked (the tree's connection state). */
  report(server: ServerConfig, error?: unknown): void;
}

export interface RunBrowserDeps {
  readonly servers: RunServers;
  readonly pageSize: () => number;
  /** Seconds between polls of running runs; 0 turns polling off. */
  readonly refreshIntervalSeconds: () => number;
  /** Polling pauses while nobody sees the runs. */
  readonly isVisible: () => boolean;
  readonly log: { debug(message: string): void };
  /** Experiment paging stopped early: the user is told why the list may be short. */
  readonly onIncomplete?: (message: string) => void;
  /** What the user chose: a pinned primary metric, a metric's direction (AnalysisMemory fits). */
  readonly choices?: {
    pinnedMetric(serverId: string, experimentId: string): string | undefined;
    direction(serverId: string, experimentIds: readonly string[], metricKey: string): Better | undefined;
  };
}

/** An experiment's primary metric as the tree shows it, and which way it is better. */
export interface PrimaryMetricInfo extends PrimaryMetricChoice {
  direction: MetricDirection;
}

/** `undefined`: everything changed. */
export type RunBrowserListener = (node: TreeNode | undefined) => void;

interface ServerData {
  experiments?: Experiment[];
  error?: unknown;
  loading?: Promise<void>;
}

export class RunBrowserModel {
  private readonly nodes = new Map<string, TreeNode>();
  private readonly data = new Map<string, ServerData>();
  private readonly listeners = new Set<RunBrowserListener>();
  private readonly deps: RunBrowserDeps;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private polling = false;
  /** Per experiment: its metric stats, kept while its loaded run list is the same. */
  private readonly stats = new WeakMap<ExperimentNode, { runs: readonly Run[]; count: number; stats: MetricStat[] }>();

  constructor(deps: RunBrowserDeps) {
    this.deps = deps;
    this.schedulePolling();
  }

  dispose(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    this.listeners.clear();
  }

  onDidChange(listener: RunBrowserListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  changed(node?: TreeNode): void {
    for (const l of [...this.listeners]) l(node);
  }

  // ---- node identity -----------------------------------------------------------------------

  /** The node with this id, made once; later calls return the same object. */
  cached<T extends TreeNode>(id: string, make: () => T): T {
    const existing = this.nodes.get(id);
    if (existing) return existing as T;
    const n = make();
    this.nodes.set(id, n);
    return n;
  }

  serverNode(server: ServerConfig): ServerNode {
    const id = nodeIds.server(server.id);
    const n = this.cached(id, () => ({ kind: 'server' as const, id, parent: undefined, server }));
    n.server = server;
    return n;
  }

  experimentNode(parent: ServerNode, experiment: Experiment): ExperimentNode {
    const id = nodeIds.experiment(parent.id, experiment.experiment_id);
    const n = this.cached(id, () => ({
      kind: 'experiment' as const,
      id,
      parent,
      server: parent.server,
      experiment,
      listing: new RunListing(this.deps.servers.clientSource(parent.server), {
        experimentId: experiment.experiment_id,
        pageSize: this.deps.pageSize(),
      }),
    }));
    n.experiment = experiment;
    return n;
  }

  runNode(parent: ExperimentNode | RunNode, server: ServerConfig, run: Run): RunNode {
    const id = nodeIds.run(parent.id, run.info.run_id);
    return this.cached(id, () => ({
      kind: 'run' as const,
      id,
      parent,
      server,
      run,
      children: new RunListing(this.deps.servers.clientSource(server), {
        experimentId: run.info.experiment_id,
        pageSize: this.deps.pageSize(),
        parentRunId: run.info.run_id,
      }),
    }));
  }

  groupNode(runNode: RunNode, group: GroupKind, parent: TreeNode = runNode): GroupNode {
    const id = nodeIds.group(parent.id, group);
    return this.cached(id, () => ({ kind: 'group' as const, id, parent, group, runNode }));
  }

  tagNode(parent: GroupNode, runNode: RunNode, tag: KeyValue, system: boolean): TreeNode {
    const id = nodeIds.entry(parent.id, 'tag', tag.key);
    const n = this.cached(id, () => ({ kind: 'tag' as const, id, parent, runNode, tag, system }));
    (n as { tag: KeyValue }).tag = tag;
    return n;
  }

  artifactNode(parent: TreeNode, runNode: RunNode, file: FileInfo): ArtifactNode {
    const id = nodeIds.artifact(runNode.id, file.path);
    return this.cached(id, () => ({ kind: 'artifact' as const, id, parent, runNode, file }));
  }

  loadMoreNode(owner: ExperimentNode | RunNode, listing: RunListing): LoadMoreNode {
    const id = nodeIds.loadMore(owner.id);
    return this.cached(id, () => ({ kind: 'loadMore' as const, id, parent: owner, listing, owner }));
  }

  /** Forgets cached nodes below `prefix`, so a reloaded list gets fresh rows with the same ids. */
  prune(prefix: string): void {
    for (const id of [...this.nodes.keys()]) if (id.startsWith(prefix + '/')) this.nodes.delete(id);
  }

  /** Forgets everything: the next read loads afresh. */
  clear(): void {
    this.data.clear();
    this.nodes.clear();
  }

  /** Forgets one server's experiments and the nodes below it. */
  forgetServer(server: ServerConfig): void {
    this.data.delete(server.id);
    this.prune(nodeIds.server(server.id));
  }

  /** The server's node if it was drawn (nothing is made for a server nobody has seen). */
  findServerNode(server: ServerConfig): ServerNode | undefined {
    const n = this.nodes.get(nodeIds.server(server.id));
    return n?.kind === 'server' ? n : undefined;
  }

  /** Finds the node of a loaded run (for runs launched or picked elsewhere). */
  findRunNode(serverId: string, runId: string): RunNode | undefined {
    for (const n of this.nodes.values())
      if (n.kind === 'run' && n.server.id === serverId && n.run.info.run_id === runId) return n;
    return undefined;
  }

  /** Loaded run nodes (of one server), for commands that pick among runs the user has seen. */
  loadedRunNodes(serverId?: string): RunNode[] {
    const out: RunNode[] = [];
    for (const n of this.nodes.values())
      if (n.kind === 'run' && (serverId === undefined || n.server.id === serverId)) out.push(n);
    return out;
  }

  // ---- primary metric ----------------------------------------------------------------------

  /** The experiment a run row belongs to (its parents up to the experiment). */
  experimentOf(node: TreeNode): ExperimentNode | undefined {
    for (let n: TreeNode | undefined = node; n; n = n.parent) if (n.kind === 'experiment') return n;
    return undefined;
  }

  /** The metric keys of the experiment's loaded runs: how many logged each, and whether all tie. */
  metricStats(node: ExperimentNode): MetricStat[] {
    const runs = node.listing.runs;
    const cached = this.stats.get(node);
    if (cached && cached.runs === runs && cached.count === runs.length) return cached.stats;
    const stats = metricStats(runs);
    this.stats.set(node, { runs, count: runs.length, stats });
    return stats;
  }

  /**
   * The experiment's primary metric: the user's pin, the filter's order-by metric, the
   * experiment's tags, else chosen from its loaded runs (mlflow/primaryMetric.ts). Undefined until
   * something names one or runs are loaded.
   */
  primaryMetric(node: ExperimentNode, opts: { ignorePin?: boolean } = {}): PrimaryMetricInfo | undefined {
    const serverId = node.server.id;
    const experimentId = node.experiment.experiment_id;
    const pinned = opts.ignorePin ? undefined : this.deps.choices?.pinnedMetric(serverId, experimentId);
    const choice = choosePrimaryMetric(this.metricStats(node), {
      ...(pinned ? { pinned } : {}),
      orderBy: node.listing.query.orderBy,
      experimentTags: node.experiment.tags,
    });
    if (!choice) return undefined;
    const userChoice = this.deps.choices?.direction(serverId, [experimentId], choice.key);
    return {
      ...choice,
      direction: inferDirection(choice.key, {
        experimentTags: node.experiment.tags,
        ...(userChoice ? { userChoice } : {}),
      }),
    };
  }

  /** The run's latest value of its experiment's primary metric, for its row. */
  primaryValue(node: RunNode): { key: string; value: number } | undefined {
    const experiment = this.experimentOf(node);
    const primary = experiment ? this.primaryMetric(experiment) : undefined;
    if (!primary) return undefined;
    const m = node.run.data.metrics.find((x) => x.key === primary.key);
    return m ? { key: m.key, value: m.value } : undefined;
  }

  // ---- experiments and listings ------------------------------------------------------------

  /** The server's experiments, loaded once (concurrent callers share the request). */
  async loadExperiments(node: ServerNode): Promise<Experiment[]> {
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
          const experiments = await this.deps.servers
            .client(server)
            .listExperiments({ maxResults: 1000, orderBy: ['last_update_time DESC'] });
          // Paging stopped early (a repeated page token, the page bound): show what arrived, and why.
          if (experiments.incomplete) this.deps.onIncomplete?.(experiments.incomplete);
          entry.experiments = experiments;
          entry.error = undefined;
          this.deps.servers.report(server);
        } catch (e) {
          entry.error = e;
          this.deps.servers.report(server, e);
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

  /** Loads a listing's first page once; a failure stays on the listing for the view to show. */
  async ensureListing(owner: ExperimentNode | RunNode, listing: RunListing): Promise<void> {
    if (listing.loaded || listing.error) return;
    try {
      await listing.reload();
      this.deps.servers.report(owner.server);
    } catch (e) {
      this.deps.servers.report(owner.server, e);
    }
  }

  async reloadListing(owner: ExperimentNode | RunNode, listing: RunListing): Promise<void> {
    try {
      await listing.reload();
      this.prune(owner.id);
      this.deps.servers.report(owner.server);
    } catch (e) {
      this.deps.servers.report(owner.server, e);
    }
  }

  /** Reads a run (and its child list, when loaded) afresh from the server. */
  async reloadRun(node: RunNode): Promise<void> {
    await refreshRuns(this.deps.servers.client(node.server), node.run.info.experiment_id, [node.run]);
    if (node.children.loaded) await this.reloadListing(node, node.children);
  }

  /**
   * The node of `run`, loading what leads to it: the server's experiments (again, when the run's
   * experiment is new), the experiment's first page, its parent run's children. A run not on a
   * loaded page is put first in its list. Undefined when the server has no such experiment.
   */
  async revealPath(server: ServerConfig, run: Run): Promise<RunNode | undefined> {
    const serverNode = this.serverNode(server);
    let experiments = await this.loadExperiments(serverNode);
    if (!experiments.some((e) => e.experiment_id === run.info.experiment_id)) {
      this.data.delete(server.id);
      experiments = await this.loadExperiments(serverNode);
      this.changed(serverNode);
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
    this.changed(owner);
    return node;
  }

  // ---- edits -------------------------------------------------------------------------------

  /**
   * The one way a run's data changes after an edit (rename, tag, delete, restore, a finished
   * launch): `edit` returns the run's new state, which replaces every loaded copy of it in
   * place (nodes and listings share it), and each of its nodes is announced as changed.
   */
  updateRun(serverId: string, runId: string, edit: (run: Run) => Partial<Pick<Run, 'info' | 'data'>>): RunNode[] {
    const touched = new Set<Run>();
    const nodes: RunNode[] = [];
    for (const n of this.nodes.values()) {
      if (n.kind !== 'run' || n.server.id !== serverId || n.run.info.run_id !== runId) continue;
      nodes.push(n);
      if (touched.has(n.run)) continue;
      touched.add(n.run);
      const next = edit(n.run);
      const run = n.run as Run;
      if (next.info) run.info = next.info;
      if (next.data) run.data = next.data;
    }
    for (const n of nodes) this.changed(n);
    return nodes;
  }

  /** Marks a run deleted; a list that shows only active runs drops it. */
  markDeleted(node: RunNode): void {
    const owner = node.parent;
    this.updateRun(node.server.id, node.run.info.run_id, (r) => ({ info: { ...r.info, lifecycle_stage: 'deleted' } }));
    if (owner && (owner.kind === 'experiment' || owner.kind === 'run')) {
      const listing = owner.kind === 'experiment' ? owner.listing : owner.children;
      if (listing.query.viewType === 'ACTIVE_ONLY') listing.remove(node.run.info.run_id);
      this.changed(owner);
    }
  }

  markRestored(serverId: string, runId: string): void {
    this.updateRun(serverId, runId, (r) => ({ info: { ...r.info, lifecycle_stage: 'active' } }));
  }

  // ---- live refresh of running runs --------------------------------------------------------

  /** (Re)starts the poll timer from the current interval setting. */
  schedulePolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    const seconds = this.deps.refreshIntervalSeconds();
    if (seconds > 0) this.pollTimer = setInterval(() => void this.pollLiveRuns(), seconds * 1000);
  }

  /** Refreshes RUNNING/SCHEDULED runs in place; the tree keeps its expansion and selection. */
  async pollLiveRuns(): Promise<number> {
    if (this.polling || !this.deps.isVisible()) return 0;
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
          const changed = await refreshRuns(this.deps.servers.client(server), experimentId, unique);
          changedCount += changed.length;
          const changedIds = new Set(changed.map((r) => r.info.run_id));
          // Only runs the server changed are redrawn: a redraw closes the row's tooltip, so redrawing
          // every RUNNING run to advance its duration would take the tooltip away every poll.
          for (const n of nodes) if (changedIds.has(n.run.info.run_id)) this.changed(n);
        } catch (e) {
          this.deps.log.debug(`refreshing running runs failed: ${describeError(e)}`);
        }
      }
    } finally {
      this.polling = false;
    }
    return changedCount;
  }
}
