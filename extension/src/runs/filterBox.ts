// The "Filter Runs…" box: a quick pick whose value is the filter. Its list says whether MLflow
// will read the filter (checked as you type), completes keys, operators and values from the
// experiment's own runs, and offers the experiment's recent filters. VS Code 1.100's QuickPick
// has no validationMessage, so the check is the list's first row: Enter on it applies the text.
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import { describeError } from '../mlflow/errors.ts';
import type { CommandContext } from '../commandContext.ts';
import { checkFilter, completeFilter, explainMlflowFilterError } from './filterSyntax.ts';
import type { FilterKeys } from './filterSyntax.ts';
import { FilterKeyIndex, KEY_INDEX_PAGE } from './filterKeyIndex.ts';
import { formatFilterInput, parseFilterInput } from './filterInput.ts';
import type { ExperimentNode } from './nodes.ts';

interface BoxItem extends vscode.QuickPickItem {
  /** apply: run the text; complete: put the text in the box; history: run a recent filter. */
  readonly action: 'apply' | 'complete' | 'history';
  readonly text: string;
  /** The box's value the item was made for: a stale item (Enter raced the list) applies the value. */
  readonly forValue: string;
}

const NO_KEYS: FilterKeys = { metrics: [], params: [], tags: [] };

export function createFilterKeyIndex(ctx: CommandContext): FilterKeyIndex {
  return new FilterKeyIndex(async (serverId, experimentId) => {
    const server = ctx.registry.get(serverId);
    if (!server) return [];
    const page = await ctx.registry
      .client(server)
      .searchRuns({ experimentIds: [experimentId], maxResults: KEY_INDEX_PAGE, viewType: 'ACTIVE_ONLY' });
    return page.items;
  });
}

function items(value: string, keys: FilterKeys, history: readonly string[]): BoxItem[] {
  const out: BoxItem[] = [];
  const { filter, orderBy } = parseFilterInput(value);
  // The check reads the filter alone; offsets shift by the spaces parseFilterInput trimmed.
  const lead = value.length - value.trimStart().length;
  const { error, warning } = checkFilter(filter);
  if (error) {
    out.push({
      action: 'apply',
      text: value,
      forValue: value,
      iconPath: new vscode.ThemeIcon('error'),
      label: uiText(error.message),
      description: uiText('Enter sends it anyway: MLflow decides'),
      detail: uiText(`at column ${lead + error.start + 1}: ${value.slice(lead + error.start, lead + error.end)}`),
    });
  } else {
    out.push({
      action: 'apply',
      text: value,
      forValue: value,
      iconPath: new vscode.ThemeIcon(value.trim() === '' ? 'clear-all' : 'filter'),
      label: uiText(value.trim() === '' ? 'Show all runs' : `Apply ${value.trim()}`),
      ...(warning ? { detail: uiText(warning.message) } : {}),
    });
  }
  // Completion reads up to the cursor, which a quick pick keeps at the end; not inside ORDER BY.
  if (orderBy.length === 0) {
    out.push(
      ...completeFilter(value, value.length, keys)
        .slice(0, 200)
        .map((c): BoxItem => ({
          action: 'complete',
          text: value.slice(0, c.start) + c.insert + value.slice(c.end),
          forValue: value,
          label: uiText(c.label),
          description: uiText(c.detail),
        })),
    );
  }
  const recent = history.filter((h) => h !== value.trim());
  if (recent.length > 0) {
    out.push({
      kind: vscode.QuickPickItemKind.Separator,
      label: 'Recent filters',
      action: 'history',
      text: '',
      forValue: value,
    });
    for (const h of recent)
      out.push({
        action: 'history',
        text: h,
        forValue: value,
        iconPath: new vscode.ThemeIcon('history'),
        label: uiText(h),
      });
  }
  // The quick pick matches items against its value; every row here belongs whatever was typed.
  return out.map((i) => ({ ...i, alwaysShow: true }));
}

/** Opens the box on the experiment's filter; resolves with the text to apply, or undefined. */
function askFilter(ctx: CommandContext, index: FilterKeyIndex, node: ExperimentNode): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<BoxItem>();
  const refresh: vscode.QuickInputButton = {
    iconPath: new vscode.ThemeIcon('refresh'),
    tooltip: 'Read the keys of this experiment’s runs again',
  };
  const history = ctx.memory.filterHistory(node.server.id, node.experiment.experiment_id);
  let keys = NO_KEYS;
  qp.title = uiText(`Filter runs of ${node.experiment.name}`);
  qp.placeholder = "metrics.rmse < 0.8 and params.alpha = '0.5' order by metrics.rmse asc";
  qp.ignoreFocusOut = true;
  qp.matchOnDescription = false;
  qp.buttons = [refresh];
  qp.value = formatFilterInput(node.listing.query);
  const render = () => (qp.items = items(qp.value, keys, history));
  const load = (refresh: boolean) => {
    qp.busy = true;
    index
      .keys(node.server.id, node.experiment.experiment_id, { refresh })
      .then(
        (k) => (keys = k),
        // Completion is a help, not the task: the box works without keys.
        (e: unknown) =>
          ctx.logger.warn(`Could not read the keys of ${node.experiment.name} for completion: ${describeError(e)}`),
      )
      .finally(() => {
        qp.busy = false;
        render();
      });
  };
  render();
  load(false);
  return new Promise((resolve) => {
    let result: string | undefined;
    qp.onDidChangeValue(render);
    qp.onDidTriggerButton((b) => b === refresh && load(true));
    qp.onDidAccept(() => {
      const item = qp.activeItems[0];
      if (item?.action === 'complete' && item.forValue === qp.value) {
        qp.value = item.text;
        render();
        return;
      }
      result = item?.action === 'history' && item.forValue === qp.value ? item.text : qp.value;
      qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(result);
    });
    qp.show();
  });
}

export async function filterRuns(ctx: CommandContext, index: FilterKeyIndex, node: ExperimentNode): Promise<void> {
  const input = await askFilter(ctx, index, node);
  if (input === undefined) return;
  const { filter, orderBy } = parseFilterInput(input);
  const ok = await ctx.tree.applyQuery(node, { ...node.listing.query, filter, orderBy });
  if (ok) {
    await ctx.memory.rememberFilter(node.server.id, node.experiment.experiment_id, input);
    return;
  }
  if (!node.listing.error) return;
  // The message also shows inline in the tree, above the list that was kept. MLflow's words are
  // what a search finds; ours say what to change.
  const mlflow = node.listing.error.message;
  const plain = explainMlflowFilterError(mlflow);
  const choice = await vscode.window.showWarningMessage(
    uiText(`Filter not applied: ${plain ? `${plain} MLflow says: ${mlflow}` : mlflow}`),
    'Edit Filter',
  );
  if (choice) await vscode.commands.executeCommand('mlflow.filterRuns', node);
}
