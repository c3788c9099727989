// Which way a metric is better: experiment tags, then the name rules (whole name parts after a
// stage prefix), then the user's choice over all of them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  directionFromName,
  inferDirection,
  metricNameParts,
  metricStage,
} from '../../../extension/src/mlflow/metricDirection.ts';

describe('direction from the metric name', () => {
  const cases: [string, 'higher' | 'lower' | undefined][] = [
    ['val_accuracy', 'higher'],
    ['accuracy', 'higher'],
    ['val_acc', 'higher'],
    ['val_auc', 'higher'],
    ['roc_auc', 'higher'],
    ['f1', 'higher'],
    ['eval_f1_score', 'higher'],
    ['test r2 score', 'higher'],
    ['r2', 'higher'],
    ['precision', 'higher'],
    ['recall', 'higher'],
    ['mAP50', 'higher'],
    ['map', 'higher'],
    ['mean_iou', 'higher'],
    ['bleu', 'higher'],
    ['rouge1', 'higher'],
    ['rougeL', 'higher'],
    ['valAccuracy', 'higher'],
    ['f1Score', 'higher'],
    ['meanIOU', 'higher'],
    ['val_loss', 'lower'],
    ['train_loss', 'lower'],
    ['loss', 'lower'],
    ['val_logloss', 'lower'],
    ['training_error', 'lower'],
    ['val.rmse', 'lower'],
    ['rmse', 'lower'],
    ['mse', 'lower'],
    ['mae', 'lower'],
    ['mape', 'lower'],
    ['perplexity', 'lower'],
    ['wer', 'lower'],
    ['cer', 'lower'],
    ['p95-latency', 'lower'],
    ['valLoss', 'lower'],
    ['neg_mean_squared_error', 'higher'],
    // Whole parts only: a rule word inside another word says nothing.
    ['heatmap', undefined],
    ['heatmap_count', undefined],
    ['accurate_count', undefined],
    ['lossless_ratio', undefined],
    ['scores_seen', undefined],
    ['epoch', undefined],
    ['system/cpu_utilization_percentage', undefined],
    ['learning_rate', undefined],
  ];
  for (const [key, want] of cases) {
    it(`${key} → ${want ?? 'unknown'}`, () => assert.equal(directionFromName(key)?.better, want));
  }

  it('splits on _ - . / space and camelCase after one stage prefix', () => {
    assert.deepEqual(metricNameParts('val_top1-accuracy'), ['top1', 'accuracy']);
    assert.deepEqual(metricNameParts('validation/meanIOU'), ['meaniou', 'mean', 'iou']);
    assert.deepEqual(metricNameParts('f1Score'), ['f1score', 'f1', 'score']);
    assert.deepEqual(metricNameParts('value_loss'), ['value', 'loss']);
  });

  it('knows the stage from the prefix', () => {
    assert.equal(metricStage('val_loss'), 'validation');
    assert.equal(metricStage('valid_acc'), 'validation');
    assert.equal(metricStage('eval/accuracy'), 'validation');
    assert.equal(metricStage('test r2 score'), 'test');
    assert.equal(metricStage('train_logloss'), 'train');
    assert.equal(metricStage('training_loss'), 'train');
    assert.equal(metricStage('value_loss'), 'other');
    assert.equal(metricStage('rmse'), 'other');
  });
});

describe('inferDirection', () => {
  it('a name rule is a guess that says why', () => {
    const d = inferDirection('val_accuracy');
    assert.deepEqual([d.better, d.guess, d.source], ['higher', true, 'name']);
    assert.match(d.reason, /accuracy/);
  });

  it('an unknown name is a guess, lower', () => {
    const d = inferDirection('throughput_items');
    assert.deepEqual([d.better, d.guess, d.source], ['lower', true, 'unknown']);
  });

  it("the experiment's primary-metric tags beat the name and are no guess", () => {
    const tags = [
      { key: 'mlflow.experiment.primaryMetric.name', value: 'val_loss' },
      { key: 'mlflow.experiment.primaryMetric.greaterIsBetter', value: 'True' },
    ];
    const d = inferDirection('val_loss', { experimentTags: tags });
    assert.deepEqual([d.better, d.guess, d.source], ['higher', false, 'experiment']);
    // The tags speak of their own metric only.
    assert.equal(inferDirection('val_accuracy', { experimentTags: tags }).source, 'name');
    const off = inferDirection('val_loss', { experimentTags: [tags[0]!, { key: tags[1]!.key, value: 'false' }] });
    assert.equal(off.better, 'lower');
  });

  it('AutoML tags name the metric without its stage prefix', () => {
    const tags = [
      { key: '_databricks_automl.evaluation_metric', value: 'f1' },
      { key: '_databricks_automl.evaluation_metric_order_by_asc', value: 'False' },
    ];
    const d = inferDirection('val_f1_score', { experimentTags: tags });
    assert.deepEqual([d.better, d.guess, d.source], ['higher', false, 'experiment']);
  });

  it("the user's choice beats the tags and the name", () => {
    const tags = [
      { key: 'mlflow.experiment.primaryMetric.name', value: 'val_loss' },
      { key: 'mlflow.experiment.primaryMetric.greaterIsBetter', value: 'false' },
    ];
    const d = inferDirection('val_loss', { experimentTags: tags, userChoice: 'higher' });
    assert.deepEqual([d.better, d.guess, d.source], ['higher', false, 'user']);
  });
});
