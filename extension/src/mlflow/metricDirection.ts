// Which way a metric is better. MLflow stores no direction per metric; it does define experiment
// tags for the experiment's primary metric, which win over a guess from the metric's name. The
// user's own choice (a flipped column) wins over both. No `vscode` import.
import type { KeyValue } from './types.ts';
import { tagValue } from './types.ts';

export type Better = 'higher' | 'lower';

/** Experiment tags MLflow sets with `mlflow.set_experiment` helpers / Databricks AutoML. */
export const EXPERIMENT_TAG = {
  primaryMetricName: 'mlflow.experiment.primaryMetric.name',
  primaryMetricGreaterIsBetter: 'mlflow.experiment.primaryMetric.greaterIsBetter',
  automlMetric: '_databricks_automl.evaluation_metric',
  automlOrderByAsc: '_databricks_automl.evaluation_metric_order_by_asc',
} as const;

export interface MetricDirection {
  better: Better;
  /** True when nothing but a heuristic (or nothing at all) chose it: the UI says so and offers a flip. */
  guess: boolean;
  source: 'user' | 'experiment' | 'name' | 'unknown';
  /** One sentence for a tooltip: why this direction. */
  reason: string;
}

// Evaluation-stage prefixes, stripped before the name rules and used to rank validation metrics.
const STAGE_PREFIX = /^(validation|valid|val|eval|dev|test|training|train)(?=[_\-./ ]|[A-Z])[_\-./ ]?/;

const HIGHER = new Set([
  'acc',
  'accuracy',
  'auc',
  'roc',
  'f1',
  'r2',
  'precision',
  'recall',
  'score',
  'map',
  'iou',
  'bleu',
  'rouge',
  'ndcg',
  'mrr',
  'sharpe',
]);
const LOWER = new Set([
  'loss',
  'logloss',
  'error',
  'err',
  'rmse',
  'mse',
  'mae',
  'mape',
  'smape',
  'perplexity',
  'ppl',
  'wer',
  'cer',
  'latency',
  'nll',
  'rmsle',
]);
/** Words that take trailing digits in common metric names: rouge1, bleu4, map50, top5. */
const WITH_DIGITS = /^(rouge|bleu|map|ndcg|top|acc|mrr)\d+$/;

/** The stage of a metric from its prefix: `val_loss` → validation, `train/loss` → train. */
export function metricStage(key: string): 'validation' | 'test' | 'train' | 'other' {
  const m = STAGE_PREFIX.exec(baseKey(key));
  if (!m) return 'other';
  const p = m[1]!.toLowerCase();
  return p === 'test' ? 'test' : p === 'train' || p === 'training' ? 'train' : 'validation';
}

/** `system/` metrics (MLflow's system metrics logger) are never a default choice. */
export function isSystemMetric(key: string): boolean {
  return key.startsWith('system/');
}

function baseKey(key: string): string {
  return key.trim();
}

/**
 * The whole parts of a metric name, lower-cased: split on `_ - . / space` and camelCase, after
 * stripping one evaluation-stage prefix. A joined word (`mAP50`, `logloss`) is kept too.
 */
export function metricNameParts(key: string): string[] {
  const stripped = baseKey(key).replace(STAGE_PREFIX, '');
  const out: string[] = [];
  for (const word of stripped.split(/[_\-./\s]+/)) {
    if (!word) continue;
    out.push(word.toLowerCase());
    // camelCase with acronyms: meanIOU → mean, IOU; f1Score → f1, Score.
    const camel = word.match(/[A-Z]+(?![a-z])\d*|[A-Z]?[a-z]+\d*|\d+/g) ?? [];
    if (camel.length > 1) for (const c of camel) out.push(c.toLowerCase());
  }
  return out;
}

/** The direction the name implies, or undefined. The last matching part decides (`f1_loss` is a loss). */
export function directionFromName(key: string): { better: Better; part: string } | undefined {
  const parts = metricNameParts(key);
  let found: { better: Better; part: string } | undefined;
  for (const p of parts) {
    const word = WITH_DIGITS.test(p) ? p.replace(/\d+$/, '') : p;
    if (HIGHER.has(word) || word === 'top') found = { better: 'higher', part: p };
    else if (LOWER.has(word)) found = { better: 'lower', part: p };
  }
  if (!found) return undefined;
  // scikit-learn's scorers negate losses so that higher is better: neg_mean_squared_error.
  if (parts.includes('neg') || parts.includes('negative'))
    found = { better: found.better === 'higher' ? 'lower' : 'higher', part: `neg … ${found.part}` };
  return found;
}

function parseBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const s = v.trim().toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  return undefined;
}

/** Does an experiment tag's metric name mean this key (AutoML names `f1` for `val_f1_score`)? */
function namesMetric(tagMetric: string, key: string): boolean {
  if (tagMetric === key) return true;
  const strip = (s: string) => s.replace(STAGE_PREFIX, '').replace(/_score$/, '');
  return strip(tagMetric) === strip(key);
}

/** The direction the experiment's own tags set for this metric, if they name it. */
function directionFromExperimentTags(
  key: string,
  tags: readonly KeyValue[],
): { better: Better; reason: string } | undefined {
  const name = tagValue(tags, EXPERIMENT_TAG.primaryMetricName);
  const greater = parseBool(tagValue(tags, EXPERIMENT_TAG.primaryMetricGreaterIsBetter));
  if (name !== undefined && greater !== undefined && namesMetric(name, key)) {
    return {
      better: greater ? 'higher' : 'lower',
      reason: `The experiment's tag ${EXPERIMENT_TAG.primaryMetricGreaterIsBetter} is ${greater ? 'true' : 'false'}.`,
    };
  }
  const automl = tagValue(tags, EXPERIMENT_TAG.automlMetric);
  const asc = parseBool(tagValue(tags, EXPERIMENT_TAG.automlOrderByAsc));
  if (automl !== undefined && asc !== undefined && namesMetric(automl, key)) {
    return {
      better: asc ? 'lower' : 'higher',
      reason: `AutoML ranks this experiment by ${automl} (${asc ? 'ascending' : 'descending'}).`,
    };
  }
  return undefined;
}

/**
 * The direction of `key`: the user's choice, else the experiment's tags, else the name rules,
 * else lower (a guess: most logged metrics are losses and errors).
 */
export function inferDirection(
  key: string,
  opts: { experimentTags?: readonly KeyValue[]; userChoice?: Better } = {},
): MetricDirection {
  if (opts.userChoice)
    return {
      better: opts.userChoice,
      guess: false,
      source: 'user',
      reason: `You chose ${opts.userChoice} is better for ${key}.`,
    };
  const tagged = directionFromExperimentTags(key, opts.experimentTags ?? []);
  if (tagged) return { better: tagged.better, guess: false, source: 'experiment', reason: tagged.reason };
  const named = directionFromName(key);
  if (named)
    return {
      better: named.better,
      guess: true,
      source: 'name',
      reason: `Guessed from "${named.part}" in the name: ${named.better} is usually better. Click to flip.`,
    };
  return {
    better: 'lower',
    guess: true,
    source: 'unknown',
    reason: `Nothing says which way ${key} is better; assuming lower. Click to flip.`,
  };
}
