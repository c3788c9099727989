// "MLflow: Set Primary Metric…": pins the metric an experiment's runs are judged by (shown on each
// run row, the leaderboard's default ranking), or hands the choice back to the automatic rule.
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import type { CommandContext } from '../commandContext.ts';
import { describePrimaryReason } from '../mlflow/primaryMetric.ts';
import { inferDirection, isSystemMetric } from '../mlflow/metricDirection.ts';
import { targetExperiment } from './treeSelection.ts';

interface MetricPick extends vscode.QuickPickItem {
  /** undefined: automatic. */
  key: string | undefined;
}

export async function setPrimaryMetric(ctx: CommandContext, arg: unknown): Promise<void> {
  const node = targetExperiment(ctx, arg);
  // The keys come from the experiment's loaded runs (MLflow cannot list an experiment's keys).
  await ctx.runs.ensureListing(node, node.listing);
  const serverId = node.server.id;
  const experimentId = node.experiment.experiment_id;
  const pinned = ctx.memory.pinnedMetric(serverId, experimentId);
  const stats = [...ctx.runs.metricStats(node)].sort((a, b) => b.runs - a.runs || a.key.localeCompare(b.key));
  if (stats.length === 0) throw new Error(`No loaded run of ${node.experiment.name} has logged a metric yet.`);
  const automatic = ctx.runs.primaryMetric(node, { ignorePin: true });
  const items: MetricPick[] = [
    {
      key: undefined,
      label: 'Automatic',
      description: uiText(
        automatic
          ? `now ${automatic.key} (${describePrimaryReason(automatic.reason)})`
          : 'none: every metric ties or is a system metric',
      ),
      picked: pinned === undefined,
    },
    ...stats.map((s): MetricPick => {
      const d = inferDirection(s.key, { experimentTags: node.experiment.tags });
      const notes = [`${s.runs} loaded run${s.runs === 1 ? '' : 's'}`, `${d.better} is better${d.guess ? '?' : ''}`];
      if (s.allTie) notes.push('every run ties');
      if (isSystemMetric(s.key)) notes.push('system metric');
      return {
        key: s.key,
        label: uiText(s.key, 120),
        description: uiText(notes.join(' · ')),
        picked: s.key === pinned,
      };
    }),
  ];
  const choice = await vscode.window.showQuickPick(items, {
    title: uiText(`Primary metric of ${node.experiment.name}`),
    placeHolder: uiText(
      pinned ? `Pinned: ${pinned}` : 'Chosen automatically: a validation metric, else the most logged one',
    ),
    matchOnDescription: true,
  });
  if (!choice) return;
  await ctx.memory.pinMetric(serverId, experimentId, choice.key);
  // The experiment row and every run row below it show the metric.
  ctx.tree.redraw(node);
}
