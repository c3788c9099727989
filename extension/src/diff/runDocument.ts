// One run as a stable YAML document, so VS Code's diff editor can compare two runs line by line:
// fixed section order, sorted keys inside every section, one line per value. Pure: the data is
// fetched by collectRunDocument.ts and the text served by runDocumentProvider.ts.
import { formatBytes } from '../shared/bytes.ts';
import type { DatasetInput, Metric, Run } from '../mlflow/types.ts';
import { runName, TAG, tagValue } from '../mlflow/types.ts';
import { formatDuration } from '../runs/format.ts';
import type { YamlEntry, YamlMap, YamlValue } from './yamlEmitter.ts';
import { compareKeys, emitComments, emitYaml, sortedEntries, yamlList, yamlMap } from './yamlEmitter.ts';

/** What the history of one metric says beyond its latest value. */
export interface MetricSummary {
  min: number;
  max: number;
  /** Rows in the history (several rows may share a step). */
  points: number;
}

export interface ArtifactEntry {
  path: string;
  isDir: boolean;
  size?: number;
  /** A directory left unlisted because the listing bounds were reached. */
  unlisted?: boolean;
}

export interface RunDocumentData {
  server: { name: string; uri: string };
  experiment: { id: string; name?: string };
  run: Run;
  /** By metric key; a key with no entry was not summarized (over the cap or its history failed). */
  summaries: Map<string, MetricSummary>;
  /** Metric keys whose history was not fetched because of the cap. */
  summariesSkipped: number;
  summaryCap: number;
  /** Metric keys whose history request failed, with the reason. */
  summaryErrors: Map<string, string>;
  /** Undefined when the listing failed (see artifactsError). */
  artifacts?: ArtifactEntry[];
  artifactsTruncated?: string;
  artifactsError?: string;
}

/** Min, max and count over a history; NaN rows count as points but not toward min/max (all NaN → NaN). */
export function summarizeHistory(history: readonly Metric[]): MetricSummary {
  let min = Infinity;
  let max = -Infinity;
  let seen = false;
  for (const m of history) {
    if (Number.isNaN(m.value)) continue;
    seen = true;
    if (m.value < min) min = m.value;
    if (m.value > max) max = m.value;
  }
  return seen ? { min, max, points: history.length } : { min: NaN, max: NaN, points: history.length };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function iso(ms: number | undefined): string | null {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function runSection(data: RunDocumentData): YamlMap {
  const info = data.run.info;
  const tags = data.run.data.tags;
  const entries: YamlEntry[] = [
    { key: 'name', value: info.run_name || tagValue(tags, TAG.runName) || '' },
    { key: 'id', value: info.run_id },
    { key: 'experiment', value: data.experiment.name ?? null },
    { key: 'experiment_id', value: data.experiment.id },
    { key: 'status', value: info.status },
    { key: 'user', value: info.user_id || tagValue(tags, TAG.user) || null },
    { key: 'start_time', value: iso(info.start_time) },
    { key: 'end_time', value: iso(info.end_time) },
    { key: 'duration', value: duration(data.run) },
    { key: 'lifecycle', value: info.lifecycle_stage },
    { key: 'artifact_uri', value: info.artifact_uri || null },
    { key: 'parent_run', value: tagValue(tags, TAG.parentRunId) ?? null },
  ];
  return yamlMap(entries);
}

function duration(run: Run): string | null {
  const { start_time: start, end_time: end } = run.info;
  if (start === undefined || start <= 0) return null;
  if (end === undefined || end <= 0)
    return run.info.status === 'RUNNING' || run.info.status === 'SCHEDULED' ? 'still running' : null;
  const ms = end - start;
  if (ms < 0) return null;
  // Sub-second runs would read "0s"; a diff of quick runs should still show a difference.
  return ms < 1000 ? `${ms}ms` : formatDuration(ms);
}

function paramsSection(run: Run): YamlMap {
  return yamlMap(sortedEntries(run.data.params.map((p) => ({ key: p.key, value: p.value }))));
}

function metricsSection(data: RunDocumentData): YamlMap {
  const latest = [...data.run.data.metrics].sort((a, b) => compareKeys(a.key, b.key));
  return yamlMap(
    latest.map((m) => {
      const entries: YamlEntry[] = [
        { key: 'last', value: m.value },
        { key: 'step', value: m.step },
      ];
      const s = data.summaries.get(m.key);
      if (s)
        entries.push({ key: 'min', value: s.min }, { key: 'max', value: s.max }, { key: 'points', value: s.points });
      const error = data.summaryErrors.get(m.key);
      return {
        key: m.key,
        value: yamlMap(entries),
        ...(error !== undefined ? { comment: `history not loaded: ${error}` } : {}),
      };
    }),
  );
}

function tagsSection(run: Run, system: boolean): YamlMap {
  const tags = run.data.tags.filter((t) => t.key.startsWith('mlflow.') === system);
  return yamlMap(sortedEntries(tags.map((t) => ({ key: t.key, value: t.value }))));
}

function datasetKey(d: DatasetInput): string {
  return `${d.name}\u0000${d.digest}\u0000${d.context ?? ''}`;
}

function datasetsSection(run: Run): YamlValue {
  const sorted = [...run.inputs.datasets].sort((a, b) => compareKeys(datasetKey(a), datasetKey(b)));
  return yamlList(
    sorted.map((d) =>
      yamlMap([
        { key: 'name', value: d.name },
        { key: 'digest', value: d.digest },
        { key: 'context', value: d.context ?? null },
      ]),
    ),
  );
}

function artifactsSection(data: RunDocumentData): YamlMap {
  const files = [...(data.artifacts ?? [])].sort((a, b) => compareKeys(a.path, b.path));
  return yamlMap(
    files.map((f): YamlEntry => {
      if (f.isDir) return { key: f.path + '/', value: f.unlisted ? 'not listed' : 'empty folder' };
      // The API leaves file_size out for an empty file (proto default) and for stores that do not report it.
      if (f.size === undefined)
        return { key: f.path, value: null, comment: 'no size reported (empty, or unknown to the store)' };
      return { key: f.path, value: f.size, comment: formatBytes(f.size) };
    }),
  );
}

/** The comment lines at the top: what this is and where it came from. */
function headerLines(data: RunDocumentData): string[] {
  const info = data.run.info;
  const lines = [
    `MLflow run ${runName(data.run)} (${info.run_id})`,
    `Server: ${data.server.name} <${data.server.uri}>`,
    `Experiment: ${data.experiment.name ?? '(name unavailable)'} (id ${data.experiment.id})`,
    'Read-only snapshot. Refresh the run in the MLflow view to update it.',
  ];
  if (info.lifecycle_stage === 'deleted')
    lines.push('This run was DELETED. Restore it in the MLflow view (show deleted runs) to edit it again.');
  return lines;
}

export function renderRunDocument(data: RunDocumentData): string {
  const run = data.run;
  const metricCount = run.data.metrics.length;
  const notes: string[] = [];
  if (data.summariesSkipped > 0) {
    notes.push(
      `min/max/points shown for the first ${data.summaryCap} of ${metricCount} metrics (by key); ${data.summariesSkipped} show only their latest value.`,
    );
  }
  const systemTags = tagsSection(run, true);
  const sections: YamlEntry[] = [
    { key: 'run', value: runSection(data) },
    { key: 'params', value: paramsSection(run), comment: count(run.data.params.length, 'param') },
    {
      key: 'metrics',
      value: metricsSection(data),
      comment: `${count(metricCount, 'metric')}: latest value and step; min, max, points over the history`,
    },
    { key: 'tags', value: tagsSection(run, false) },
    { key: 'system_tags', value: systemTags, comment: 'mlflow.* tags' },
    { key: 'datasets', value: datasetsSection(run) },
  ];
  if (data.artifacts) {
    const files = data.artifacts.filter((a) => !a.isDir).length;
    sections.push({
      key: 'artifacts',
      value: artifactsSection(data),
      comment: data.artifactsTruncated ?? `${count(files, 'file')}, sizes in bytes`,
    });
  } else {
    sections.push({
      key: 'artifacts',
      value: null,
      comment: `could not list artifacts: ${data.artifactsError ?? 'unknown error'}`,
    });
  }
  return emitYaml(yamlMap(sections), [...headerLines(data), ...notes]);
}

/** Splits a long comment at spaces so it reads without scrolling sideways; words are never cut. */
function wrapText(text: string, width = 100): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  out.push(line);
  return out;
}

/** The document shown when the run itself could not be loaded: comments only, so it still parses. */
export function renderRunErrorDocument(opts: {
  serverName: string;
  serverUri: string;
  runId: string;
  message: string;
  notFound?: boolean;
}): string {
  const lines = [
    `MLflow run ${opts.runId}`,
    `Server: ${opts.serverName}${opts.serverUri ? ` <${opts.serverUri}>` : ''}`,
    '',
  ];
  if (opts.notFound) {
    lines.push(
      'This run does not exist on the server (it may have been deleted permanently).',
      ...wrapText(`Server said: ${opts.message}`),
    );
  } else {
    lines.push(
      ...wrapText(`Could not load this run: ${opts.message}`),
      'Refresh the run in the MLflow view (or reopen this document) to try again.',
    );
  }
  return emitComments(lines);
}
