// What scripts/mlflow_seed.py created on a server: the JSON it prints, typed. Tests assert
// against these exact ids and values instead of searching by name. The script and this file
// are one contract: change both together (parseSeedInfo checks the parts tests rely on).

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

/** A metric value as the REST API spells it: JSON has no NaN or Infinity. */
export type MetricValue = number | 'NaN' | 'Infinity' | '-Infinity';

export type SeedProfile = 'test' | 'demo';

export interface SeedExperiment {
  /** The server's experiment id (a decimal string). */
  id: string;
  name: string;
  /** The experiment description: tag `mlflow.note.content`. */
  description: string;
  /** Experiment tags other than `mlflow.note.content`. */
  tags: Record<string, string>;
  /**
   * Runs the seed created in it, minus the one it deleted (runs.deleted). For the deleted
   * experiment: the runs it held when it was deleted (MLflow marks them deleted with it).
   */
  runCount: number;
}

/**
 * Experiments by role.
 * - `main` "wine-quality-elasticnet": the runs in every status, best/diff/artifacts runs, a deleted run.
 * - `nested` "image-classifier": a cross-validation parent with 4 fold children, one grandchild.
 * - `big` "hyperparam-sweep": `big.runCount` (1,200) runs.
 * - `xss`: a name, description and tags full of HTML.
 * - `deleted` "churn-prediction-legacy": soft-deleted (with 2 runs, deleted with it).
 * - `empty` "feature-store-backfill": no runs.
 * - `demoText`, `demoForecast`: only with the demo profile.
 */
export interface SeedExperiments {
  main: SeedExperiment;
  nested: SeedExperiment;
  big: SeedExperiment;
  xss: SeedExperiment;
  deleted: SeedExperiment;
  empty: SeedExperiment;
  demoText?: SeedExperiment;
  demoForecast?: SeedExperiment;
}

export interface SeedRun {
  id: string;
  /** The run name, byte for byte as sent (may hold HTML or control characters). */
  name: string;
  experimentId: string;
  /** `info.user_id` (the `mlflow.user` tag at creation). */
  user: string;
  status: RunStatus;
  /** Milliseconds since the epoch, as sent to runs/create. */
  startTime: number;
  /** Tag `mlflow.parentRunId`, for nested runs. */
  parentId?: string;
}

/**
 * Runs by role. All in `main` unless said otherwise.
 * - `best` FINISHED: the long metric histories (see SeedMetrics), params with dots and spaces,
 *   git source tags (`mlflow.source.git.commit`, `mlflow.source.name`), `model/`; wine v3.
 * - `diffA` (alice) / `diffB` (bob): differ in alpha, l1_ratio, rmse, r2, mae and in their
 *   `config.yaml` / `requirements.txt` artifacts; both have source git tags and `model/`; wine v1, v2.
 * - `running` (never terminated, no end time), `scheduled` (status SCHEDULED, no end time),
 *   `failed` (its `loss` history ends in Infinity, NaN), `killed`.
 * - `deleted`: soft-deleted (lifecycle_stage "deleted"; status stays FINISHED).
 * - `artifacts` FINISHED: every kind of artifact (SeedArtifacts) and the MLflow-3 logged model.
 * - `parent`, `child` (= `nested.childIds[0]`), `grandchild` (child of `child`): experiment `nested`.
 * - `xss` (name `<img src=x onerror=alert(1)>`), `xssControl` (name "\u0007bell\ttab"): experiment `xss`.
 */
export interface SeedRuns {
  best: SeedRun;
  diffA: SeedRun;
  diffB: SeedRun;
  running: SeedRun;
  scheduled: SeedRun;
  failed: SeedRun;
  killed: SeedRun;
  deleted: SeedRun;
  artifacts: SeedRun;
  parent: SeedRun;
  child: SeedRun;
  grandchild: SeedRun;
  xss: SeedRun;
  xssControl: SeedRun;
}

export interface SeedNested {
  parentId: string;
  /** The 4 fold runs (names fold-0 … fold-3), children of `parentId`, in order. */
  childIds: string[];
  grandchildId: string;
  /** = childIds[0] */
  grandchildParentId: string;
}

export interface SeedBig {
  experimentId: string;
  /** Active runs in the experiment: 1,200. */
  runCount: number;
  statusCounts: Partial<Record<RunStatus, number>>;
  /** Runs per user id (spread evenly over `users.all`). */
  userCounts: Record<string, number>;
  paramKeys: string[];
  metricKeys: string[];
  /** trial-0001, the oldest run (start times increase with the trial number). */
  firstRun: { id: string; name: string };
  /** trial-1200, the newest run: first in the default order (start_time DESC). */
  lastRun: { id: string; name: string };
}

export interface SeedMetrics {
  /** The run holding the histories: runs.best. */
  runId: string;
  /**
   * Points per metric key on that run: `loss` 5,000 (steps 0…4,999), `val_loss` and `accuracy`
   * 500 (every 10th step), `system/cpu_utilization_percentage` 720, single-value metrics 1.
   */
  histories: Record<string, number>;
  longest: { key: string; points: number };
  /** A metric whose timestamps are spread over two hours (`intervalMs` apart, step = index). */
  wallClock: { key: string; points: number; firstTimestamp: number; intervalMs: number };
  /** Metric keys on runs.best with dots and spaces ("val.rmse", "test r2 score"). */
  keysWithDotsAndSpaces: string[];
  /** Param keys on runs.best with dots and spaces ("model.fit_intercept", "feature set"). */
  paramKeysWithDotsAndSpaces: string[];
  /**
   * On runs.failed, at steps 0…n-1: `key` ("loss") was logged ending in Infinity, NaN;
   * `otherKey` ("grad_norm") ending in -Infinity, -Infinity. `sent` is what was logged; `values`
   * is what the REST API returns: SQL stores keep no infinities, so ±Infinity comes back as the
   * number ±1.7976931348623157e308 (±Number.MAX_VALUE), while NaN comes back as "NaN".
   */
  nonFinite: {
    runId: string;
    key: string;
    sent: MetricValue[];
    values: MetricValue[];
    otherKey: string;
    otherSent: MetricValue[];
    otherValues: MetricValue[];
  };
}

/** The hostile strings, so tests can compare what the UI shows with what was sent. */
export interface SeedXss {
  experimentName: string;
  runName: string;
  /** A param on runs.xss whose value is `<script>alert(1)</script>`. */
  paramKey: string;
  paramValue: string;
  /** A tag on runs.xss whose value holds a BEL and a TAB. */
  tagKey: string;
  tagValue: string;
  controlRunName: string;
}

export interface SeedArtifactFile {
  /** Relative to the run's artifact root, `/`-separated. */
  path: string;
  /** Bytes. */
  size: number;
}

/** The artifacts of runs.artifacts. Paths are relative to the run's artifact root. */
export interface SeedArtifacts {
  runId: string;
  /** Every file, recursively, sorted by path (includes the `model/` files). */
  files: SeedArtifactFile[];
  /** Every directory, sorted ("checkpoints", "data", "data/raw", …, "model", "plots", …). */
  dirs: string[];
  /** The names at the root (files and directories). */
  topLevel: string[];
  text: string;
  log: string;
  json: string;
  yaml: string;
  csv: string;
  png: string;
  /** A file name with a space. */
  markdown: string;
  /** A 0-byte file. */
  empty: string;
  /** A file four directories deep. */
  deep: string;
  /** 5 MiB of incompressible bytes (the download-with-progress case). */
  large: SeedArtifactFile;
  /** "model": a classic pyfunc model directory in the run's artifacts. */
  modelDir: string;
  /** "model/MLmodel" */
  mlmodel: string;
}

export interface SeedModelVersion {
  /** A decimal string, as the API returns it. */
  version: string;
  runId: string;
  /** The user of the run the version came from. */
  runUser: string;
  /** `<run artifact uri>/model`, or `models:/m-…` for the logged model. */
  source: string;
  /** Only for a version registered from an MLflow-3 logged model. */
  modelId?: string;
}

export interface SeedModel {
  name: string;
  description: string;
  tags: Record<string, string>;
  /** In version order (1, 2, …). */
  versions: SeedModelVersion[];
  /** alias → version */
  aliases: Record<string, string>;
}

/**
 * Registered models by role.
 * - `wine` "wine-quality-regressor": v1 diffA (Archived), v2 diffB, v3 best (Production),
 *   v4 the logged model; aliases champion → 3, challenger → 4.
 * - `image` "image-classifier-resnet": v1 fold-0, v2 fold-1, v3 parent; champion → 3, canary → 2.
 * - `churn` "churn-xgboost": v1, v2 from two big-sweep trials; champion → 2.
 */
export interface SeedModels {
  wine: SeedModel;
  image: SeedModel;
  churn: SeedModel;
}

/** The MLflow-3 logged model (mlflow.pyfunc.log_model(name=…)) on runs.artifacts. */
export interface SeedLoggedModel {
  /** "m-<32 hex>" */
  modelId: string;
  name: string;
  runId: string;
  experimentId: string;
  registeredModel: string;
  version: string;
}

export interface SeedInfo {
  profile: SeedProfile;
  trackingUri: string;
  /** The MLflow version of the seeding client. */
  mlflowVersion: string;
  /** Wall-clock seconds the seed took, in total and per section. */
  seconds: number;
  sections: Record<string, number>;
  /** `default` is what mlflow.start_run() records here (the OS user); `all` = default + others. */
  users: { default: string; others: string[]; all: string[] };
  experiments: SeedExperiments;
  runs: SeedRuns;
  nested: SeedNested;
  big: SeedBig;
  metrics: SeedMetrics;
  xss: SeedXss;
  artifacts: SeedArtifacts;
  models: SeedModels;
  loggedModel: SeedLoggedModel;
}

const EXPERIMENT_ROLES = ['main', 'nested', 'big', 'xss', 'deleted', 'empty'] as const;
const RUN_ROLES = [
  'best',
  'diffA',
  'diffB',
  'running',
  'scheduled',
  'failed',
  'killed',
  'deleted',
  'artifacts',
  'parent',
  'child',
  'grandchild',
  'xss',
  'xssControl',
] as const;
const MODEL_ROLES = ['wine', 'image', 'churn'] as const;

function obj(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`seed JSON: ${where} is not an object`);
  return v as Record<string, unknown>;
}

function str(o: Record<string, unknown>, k: string, where: string): string {
  const v = o[k];
  if (typeof v !== 'string' || v === '') throw new Error(`seed JSON: ${where}.${k} is not a non-empty string`);
  return v;
}

/**
 * Checks that a parsed seed JSON has every role and id tests use (the Python side may drift),
 * then returns it typed. Throws naming the first missing piece.
 */
export function parseSeedInfo(raw: unknown): SeedInfo {
  const root = obj(raw, 'root');
  const exps = obj(root['experiments'], 'experiments');
  for (const role of EXPERIMENT_ROLES) {
    const e = obj(exps[role], `experiments.${role}`);
    str(e, 'id', `experiments.${role}`);
    str(e, 'name', `experiments.${role}`);
  }
  const runs = obj(root['runs'], 'runs');
  for (const role of RUN_ROLES) {
    const r = obj(runs[role], `runs.${role}`);
    for (const k of ['id', 'name', 'experimentId', 'user', 'status']) str(r, k, `runs.${role}`);
  }
  const models = obj(root['models'], 'models');
  for (const role of MODEL_ROLES) {
    const m = obj(models[role], `models.${role}`);
    str(m, 'name', `models.${role}`);
    if (!Array.isArray(m['versions']) || m['versions'].length === 0)
      throw new Error(`seed JSON: models.${role}.versions is empty`);
  }
  const big = obj(root['big'], 'big');
  if (typeof big['runCount'] !== 'number') throw new Error('seed JSON: big.runCount is not a number');
  const art = obj(root['artifacts'], 'artifacts');
  if (!Array.isArray(art['files'])) throw new Error('seed JSON: artifacts.files is not an array');
  for (const k of ['nested', 'metrics', 'xss', 'users', 'loggedModel']) obj(root[k], k);
  return raw as SeedInfo;
}
