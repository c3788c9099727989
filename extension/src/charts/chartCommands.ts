// Commands that open the metric charts. Each accepts tree nodes (a click:
// (clickedNode, selectedNodes[])) or the plain object other features pass:
// mlflow.openMetricChart / mlflow.compareRuns: { serverId, runIds, metricKeys? }.
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import { runName } from '../mlflow/types.ts';
import type { ServerConfig } from '../servers/serverConfig.ts';
import { arrayOf, isString, optional, shape } from '../../../webviews/protocol/guards.ts';
import { defaultChartsState, MAX_CHART_METRICS, MAX_CHART_RUNS } from '../../../webviews/protocol/charts.ts';
import { ChartsPanel } from './chartsPanel.ts';
import type { CommandContext } from '../commandContext.ts';
import { registerCommand } from '../commandContext.ts';
import { isTreeNode, targetRuns } from '../runs/treeSelection.ts';
import { panelDeps } from '../webview/panelResources.ts';

const isChartArgs = shape({ serverId: isString, runIds: arrayOf(isString), metricKeys: optional(arrayOf(isString)) });

interface ChartTarget {
  server: ServerConfig;
  runIds: string[];
  metricKeys: string[];
  title: string;
}

export function registerChartCommands(ctx: CommandContext): void {
  const deps = panelDeps(ctx);
  const openCharts = (arg: unknown, all: unknown): void => {
    const t = chartTarget(ctx, arg, all);
    ChartsPanel.show(deps, defaultChartsState(t.server.id, t.runIds, t.metricKeys), t.title);
  };
  registerCommand(ctx, 'mlflow.openMetricChart', openCharts);
  registerCommand(ctx, 'mlflow.compareRuns', openCharts);
}

/** Which runs and metrics a chart command is about. */
function chartTarget(ctx: CommandContext, arg: unknown, all: unknown): ChartTarget {
  if (isChartArgs(arg)) {
    const server = ctx.registry.get(arg.serverId);
    if (!server) throw new Error(`No configured MLflow server has the id ${arg.serverId}.`);
    const runIds = [...new Set(arg.runIds)];
    if (runIds.length === 0) throw new Error('Pick at least one run to chart.');
    return finish(
      server,
      runIds,
      arg.metricKeys ?? [],
      runIds.length === 1 ? `Metrics: ${runIds[0]!.slice(0, 8)}` : undefined,
    );
  }
  // A metric row charts that metric for its run (or for every selected run, when several are).
  const metricKeys = isTreeNode(arg) && arg.kind === 'metric' ? [arg.metric.key] : [];
  // With several runs selected, series and legend follow the order they were selected in, not
  // which of them was right-clicked (VS Code passes the clicked one inside the selection then).
  const nodes = targetRuns(ctx, Array.isArray(all) && all.length > 1 ? undefined : arg, all);
  if (nodes.length === 0) throw new Error('Select one or more runs in the MLflow Experiments view first.');
  const first = nodes[0]!;
  const sameServer = nodes.filter((n) => n.server.id === first.server.id);
  if (sameServer.length < nodes.length) {
    void vscode.window.showWarningMessage(
      uiText(
        `Only runs of ${first.server.name} are charted together; ${nodes.length - sameServer.length} run(s) of other servers were left out.`,
      ),
    );
  }
  const single = sameServer.length === 1 ? runName(first.run) : undefined;
  return finish(
    first.server,
    sameServer.map((n) => n.run.info.run_id),
    metricKeys,
    single && (metricKeys[0] ? `${metricKeys[0]}: ${single}` : `Metrics: ${single}`),
  );
}

function finish(server: ServerConfig, runIds: string[], metricKeys: string[], title: string | undefined): ChartTarget {
  if (runIds.length > MAX_CHART_RUNS) {
    void vscode.window.showWarningMessage(
      uiText(`A chart shows at most ${MAX_CHART_RUNS} runs; the first ${MAX_CHART_RUNS} selected are shown.`),
    );
  }
  const ids = runIds.slice(0, MAX_CHART_RUNS);
  return {
    server,
    runIds: ids,
    metricKeys: [...new Set(metricKeys)].slice(0, MAX_CHART_METRICS),
    title: uiText(title ?? `Compare ${ids.length} Runs`),
  };
}
