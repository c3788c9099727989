// The MLflow REST entities, declared once. Field names follow the wire format (snake_case) so a
// reader can check them against MLflow's proto files; decode.ts turns raw JSON into these shapes,
// filling lists MLflow omits when empty and turning "NaN"/"Infinity" strings into numbers.

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];
export type LifecycleStage = 'active' | 'deleted';
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export interface KeyValue {
  key: string;
  value: string;
}

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: LifecycleStage;
  creation_time?: number;
  last_update_time?: number;
  tags: KeyValue[];
}

export interface RunInfo {
  run_id: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: RunStatus;
  start_time?: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: LifecycleStage;
}

export interface Metric {
  key: string;
  /** NaN and ±Infinity arrive as strings on the wire and are numbers here. */
  value: number;
  timestamp: number;
  step: number;
  run_id?: string;
}

interface RunData {
  /** Latest value per key (greatest step, then timestamp, then value). */
  metrics: Metric[];
  params: KeyValue[];
  tags: KeyValue[];
}

export interface DatasetInput {
  name: string;
  digest: string;
  context?: string;
}

export interface Run {
  info: RunInfo;
  data: RunData;
  inputs: { datasets: DatasetInput[]; model_ids: string[] };
  outputs: { model_ids: string[] };
}

export interface FileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

export interface ArtifactListing {
  root_uri: string;
  files: FileInfo[];
}

export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  /** PENDING_REGISTRATION, FAILED_REGISTRATION or READY. */
  status?: string;
  /** Why a registration is pending or failed. */
  status_message?: string;
  tags: KeyValue[];
  aliases: string[];
  model_id?: string;
}

export interface RegisteredModel {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  latest_versions: ModelVersion[];
  tags: KeyValue[];
  aliases: { alias: string; version: string }[];
}

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

/** Reserved tags the extension reads. */
export const TAG = {
  runName: 'mlflow.runName',
  user: 'mlflow.user',
  parentRunId: 'mlflow.parentRunId',
  note: 'mlflow.note.content',
  sourceName: 'mlflow.source.name',
  sourceType: 'mlflow.source.type',
  gitCommit: 'mlflow.source.git.commit',
  gitRepoUrl: 'mlflow.source.git.repoURL',
  entryPoint: 'mlflow.project.entryPoint',
  loggedModels: 'mlflow.log-model.history',
} as const;

export function tagValue(tags: readonly KeyValue[], key: string): string | undefined {
  for (const t of tags) if (t.key === key) return t.value;
  return undefined;
}

/**
 * What a run is called: its name, else the `mlflow.runName` tag (older clients set only that),
 * else its id. Raw server text: escape it for where it is shown (uiText).
 */
export function runName(run: Run): string {
  return run.info.run_name || tagValue(run.data.tags, TAG.runName) || run.info.run_id;
}

export function isTerminal(status: RunStatus): boolean {
  return status === 'FINISHED' || status === 'FAILED' || status === 'KILLED';
}
