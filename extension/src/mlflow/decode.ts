// Validates JSON bodies from a tracking server before anything else touches them. MLflow omits
// empty lists and unset fields, sends int64 as numbers and NaN/Infinity as strings; these
// decoders accept exactly that and throw a DecodeError naming the offending field otherwise.
import type {
  ArtifactListing,
  DatasetInput,
  Experiment,
  FileInfo,
  KeyValue,
  LifecycleStage,
  Metric,
  ModelVersion,
  RegisteredModel,
  Run,
  RunInfo,
  RunStatus,
} from './types.ts';
import { RUN_STATUSES } from './types.ts';

export class DecodeError extends Error {
  constructor(path: string, expected: string, got: unknown) {
    super(`${path || 'body'} should be ${expected}, got ${describe(got)}`);
    this.name = 'DecodeError';
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  return typeof v;
}

type Obj = Record<string, unknown>;

export function object(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DecodeError(path, 'an object', v);
  return v as Obj;
}

export function string(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new DecodeError(`${path}.${key}`, 'a string', v);
  return v;
}

function optString(o: Obj, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new DecodeError(`${path}.${key}`, 'a string', v);
  return v;
}

/** int64 fields arrive as numbers; older proxies may stringify them. */
function optInt(o: Obj, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  throw new DecodeError(`${path}.${key}`, 'an integer', v);
}

function optBool(o: Obj, key: string, path: string): boolean {
  const v = o[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new DecodeError(`${path}.${key}`, 'a boolean', v);
  return v;
}

export function list<T>(o: Obj, key: string, path: string, item: (v: unknown, p: string) => T): T[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new DecodeError(`${path}.${key}`, 'a list', v);
  const out = new Array<T>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = item(v[i], `${path}.${key}[${i}]`);
  return out;
}

/** MLflow encodes non-finite doubles as the strings "NaN", "Infinity", "-Infinity". */
function metricValue(v: unknown, path: string): number {
  // SQL stores save ±inf as ±sys.float_info.max; hand back what was logged.
  if (v === Number.MAX_VALUE) return Infinity;
  if (v === -Number.MAX_VALUE) return -Infinity;
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  // Flask's jsonify path (get-history-bulk) and some proxies stringify finite numbers.
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new DecodeError(path, 'a number', v);
}

function keyValue(v: unknown, path: string): KeyValue {
  const o = object(v, path);
  // MLflow omits a value that is the empty string.
  return { key: string(o, 'key', path), value: optString(o, 'value', path) ?? '' };
}

function lifecycle(o: Obj, path: string): LifecycleStage {
  const v = optString(o, 'lifecycle_stage', path) ?? 'active';
  if (v !== 'active' && v !== 'deleted') throw new DecodeError(`${path}.lifecycle_stage`, '"active" or "deleted"', v);
  return v;
}

export function experiment(v: unknown, path = 'experiment'): Experiment {
  const o = object(v, path);
  return {
    experiment_id: string(o, 'experiment_id', path),
    name: optString(o, 'name', path) ?? '',
    artifact_location: optString(o, 'artifact_location', path) ?? '',
    lifecycle_stage: lifecycle(o, path),
    creation_time: optInt(o, 'creation_time', path),
    last_update_time: optInt(o, 'last_update_time', path),
    tags: list(o, 'tags', path, keyValue),
  };
}

export function metric(v: unknown, path = 'metric'): Metric {
  const o = object(v, path);
  const m: Metric = {
    key: string(o, 'key', path),
    value: metricValue(o['value'], `${path}.value`),
    timestamp: optInt(o, 'timestamp', path) ?? 0,
    step: optInt(o, 'step', path) ?? 0,
  };
  const runId = optString(o, 'run_id', path);
  if (runId !== undefined) m.run_id = runId;
  return m;
}

function runStatus(o: Obj, path: string): RunStatus {
  const v = optString(o, 'status', path) ?? 'RUNNING';
  if (!(RUN_STATUSES as readonly string[]).includes(v)) throw new DecodeError(`${path}.status`, 'a run status', v);
  return v as RunStatus;
}

export function runInfo(v: unknown, path = 'run_info'): RunInfo {
  const o = object(v, path);
  const runId = optString(o, 'run_id', path) ?? optString(o, 'run_uuid', path);
  if (runId === undefined) throw new DecodeError(`${path}.run_id`, 'a string', undefined);
  return {
    run_id: runId,
    run_name: optString(o, 'run_name', path) ?? '',
    experiment_id: string(o, 'experiment_id', path),
    user_id: optString(o, 'user_id', path) ?? '',
    status: runStatus(o, path),
    start_time: optInt(o, 'start_time', path),
    end_time: optInt(o, 'end_time', path),
    artifact_uri: optString(o, 'artifact_uri', path) ?? '',
    lifecycle_stage: lifecycle(o, path),
  };
}

function datasetInput(v: unknown, path: string): DatasetInput {
  const o = object(v, path);
  const ds = object(o['dataset'] ?? {}, `${path}.dataset`);
  const tags = list(o, 'tags', path, keyValue);
  const context = tags.find((t) => t.key === 'mlflow.data.context')?.value;
  const d: DatasetInput = {
    name: optString(ds, 'name', `${path}.dataset`) ?? '',
    digest: optString(ds, 'digest', `${path}.dataset`) ?? '',
  };
  if (context !== undefined) d.context = context;
  return d;
}

function modelId(v: unknown, path: string): string {
  return string(object(v, path), 'model_id', path);
}

export function run(v: unknown, path = 'run'): Run {
  const o = object(v, path);
  const data = object(o['data'] ?? {}, `${path}.data`);
  const inputs = object(o['inputs'] ?? {}, `${path}.inputs`);
  const outputs = object(o['outputs'] ?? {}, `${path}.outputs`);
  return {
    info: runInfo(o['info'], `${path}.info`),
    data: {
      metrics: list(data, 'metrics', `${path}.data`, metric),
      params: list(data, 'params', `${path}.data`, keyValue),
      tags: list(data, 'tags', `${path}.data`, keyValue),
    },
    inputs: {
      datasets: list(inputs, 'dataset_inputs', `${path}.inputs`, datasetInput),
      model_ids: list(inputs, 'model_inputs', `${path}.inputs`, modelId),
    },
    outputs: { model_ids: list(outputs, 'model_outputs', `${path}.outputs`, modelId) },
  };
}

function fileInfo(v: unknown, path = 'file'): FileInfo {
  const o = object(v, path);
  const f: FileInfo = { path: string(o, 'path', path), is_dir: optBool(o, 'is_dir', path) };
  const size = optInt(o, 'file_size', path);
  if (size !== undefined) f.file_size = size;
  return f;
}

export function artifactListing(v: unknown): ArtifactListing {
  const o = object(v, '');
  return { root_uri: optString(o, 'root_uri', '') ?? '', files: list(o, 'files', '', fileInfo) };
}

export function modelVersion(v: unknown, path = 'model_version'): ModelVersion {
  const o = object(v, path);
  const aliases = list(o, 'aliases', path, (a, p) => {
    if (typeof a !== 'string') throw new DecodeError(p, 'a string', a);
    return a;
  });
  return {
    name: string(o, 'name', path),
    // version is a string on the wire; tolerate a number from proxies.
    version: String(optInt(o, 'version', path) ?? ''),
    creation_timestamp: optInt(o, 'creation_timestamp', path),
    last_updated_timestamp: optInt(o, 'last_updated_timestamp', path),
    user_id: optString(o, 'user_id', path),
    current_stage: optString(o, 'current_stage', path),
    description: optString(o, 'description', path),
    source: optString(o, 'source', path),
    run_id: optString(o, 'run_id', path) || undefined,
    status: optString(o, 'status', path),
    status_message: optString(o, 'status_message', path) || undefined,
    tags: list(o, 'tags', path, keyValue),
    aliases,
    model_id: optString(o, 'model_id', path),
  };
}

export function registeredModel(v: unknown, path = 'registered_model'): RegisteredModel {
  const o = object(v, path);
  return {
    name: string(o, 'name', path),
    creation_timestamp: optInt(o, 'creation_timestamp', path),
    last_updated_timestamp: optInt(o, 'last_updated_timestamp', path),
    description: optString(o, 'description', path),
    latest_versions: list(o, 'latest_versions', path, modelVersion),
    tags: list(o, 'tags', path, keyValue),
    aliases: list(o, 'aliases', path, (a, p) => {
      const ao = object(a, p);
      return { alias: string(ao, 'alias', p), version: String(optInt(ao, 'version', p) ?? '') };
    }),
  };
}

export function pageToken(o: Obj): string | undefined {
  const t = o['next_page_token'];
  return typeof t === 'string' && t !== '' ? t : undefined;
}
