// The nodes of the Experiments tree. Each has a stable `id` (so VS Code keeps expansion and
// selection across refreshes) and a `parent` (so a run can be revealed).
import type { ServerConfig } from '../servers/serverConfig.ts';
import type { Experiment, FileInfo, KeyValue, Metric, Run } from '../mlflow/types.ts';
import type { RunListing } from './runListing.ts';

interface Base {
  readonly id: string;
  readonly parent: TreeNode | undefined;
}

export interface ServerNode extends Base {
  readonly kind: 'server';
  server: ServerConfig;
}

export interface ExperimentNode extends Base {
  readonly kind: 'experiment';
  readonly server: ServerConfig;
  experiment: Experiment;
  readonly listing: RunListing;
}

export interface RunNode extends Base {
  readonly kind: 'run';
  readonly server: ServerConfig;
  /** Mutated in place by refreshes; the node keeps its identity. */
  readonly run: Run;
  /** This run's child runs. */
  readonly children: RunListing;
}

export type GroupKind = 'params' | 'metrics' | 'tags' | 'systemTags' | 'datasets';

export interface GroupNode extends Base {
  readonly kind: 'group';
  readonly group: GroupKind;
  readonly runNode: RunNode;
}

interface ParamNode extends Base {
  readonly kind: 'param';
  readonly runNode: RunNode;
  readonly param: KeyValue;
}

interface MetricNode extends Base {
  readonly kind: 'metric';
  readonly runNode: RunNode;
  readonly metric: Metric;
}

interface TagNode extends Base {
  readonly kind: 'tag';
  readonly runNode: RunNode;
  readonly tag: KeyValue;
  readonly system: boolean;
}

export interface ArtifactNode extends Base {
  readonly kind: 'artifact';
  readonly runNode: RunNode;
  /** Empty path = the run's artifact root. */
  readonly file: FileInfo;
}

export interface LoadMoreNode extends Base {
  readonly kind: 'loadMore';
  readonly listing: RunListing;
  /** The node whose children this pages (experiment or run). */
  readonly owner: ExperimentNode | RunNode;
}

export interface MessageNode extends Base {
  readonly kind: 'message';
  readonly message: string;
  readonly severity: 'error' | 'info';
  /** A command the row runs when clicked, e.g. retry or edit settings. */
  readonly action?: { command: string; title: string; args?: unknown[] };
}

export type TreeNode =
  | ServerNode
  | ExperimentNode
  | RunNode
  | GroupNode
  | ParamNode
  | MetricNode
  | TagNode
  | ArtifactNode
  | LoadMoreNode
  | MessageNode;

export function serverOf(node: TreeNode): ServerConfig | undefined {
  for (let n: TreeNode | undefined = node; n; n = n.parent) {
    if (n.kind === 'server') return n.server;
    if (n.kind === 'experiment' || n.kind === 'run') return n.server;
  }
  return undefined;
}

export function runNodeOf(node: TreeNode): RunNode | undefined {
  if (node.kind === 'run') return node;
  if ('runNode' in node) return node.runNode;
  return undefined;
}

// ---- node ids ------------------------------------------------------------------------------
// An id is a path of segments: the server's, then a (kind, value) pair per level, where the kind
// is a fixed letter and the value a server string percent-encoded so it never holds a `/`. So a
// user tag named `g/systemTags` is one segment (`g%2FsystemTags`) after the tag kind `t`, and can
// never equal the System tags group's id; any two distinct nodes get distinct ids whatever the
// server sends (a property test checks it). encodeURIComponent is injective, which is all this needs.

const seg = (s: string): string => encodeURIComponent(s);

export type EntryKind = 'param' | 'metric' | 'tag' | 'dataset';
const ENTRY_LETTER: Record<EntryKind, string> = { param: 'p', metric: 'm', tag: 't', dataset: 'd' };

export const nodeIds = {
  server: (serverId: string): string => `s:${seg(serverId)}`,
  experiment: (parentId: string, experimentId: string): string => `${parentId}/e/${seg(experimentId)}`,
  run: (parentId: string, runId: string): string => `${parentId}/r/${seg(runId)}`,
  group: (parentId: string, group: GroupKind): string => `${parentId}/g/${group}`,
  /** A param, metric, tag (by key) or dataset (by position) of a group. */
  entry: (groupId: string, kind: EntryKind, key: string): string => `${groupId}/${ENTRY_LETTER[kind]}/${seg(key)}`,
  /** An artifact by its path in the run (the root is ''). */
  artifact: (runId: string, path: string): string => `${runId}/a/${seg(path)}`,
  loadMore: (ownerId: string): string => `${ownerId}/more`,
  message: (parentId: string, severity: 'error' | 'info'): string => `${parentId}/msg/${severity}`,
  /** The Registered Models view: a model by name, and one of its versions. */
  model: (name: string): string => `m/${seg(name)}`,
  modelVersion: (name: string, version: string): string => `m/${seg(name)}/v/${seg(version)}`,
};
