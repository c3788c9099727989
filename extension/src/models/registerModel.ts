// "Register Model…" on a run: pick the run's model (an artifact folder with an MLmodel file, an
// MLflow 3 logged model, or a typed path), pick or name the registered model, create it when new,
// create the version and wait until the registry says READY, with progress and Cancel.
import * as vscode from 'vscode';
import type { CommandContext } from '../commandContext.ts';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import { isMlflowError } from '../mlflow/errors.ts';
import type { MlflowClient } from '../mlflow/client.ts';
import type { ModelVersion } from '../mlflow/types.ts';
import { withCancellableProgress } from '../shared/cancellableProgress.ts';
import { targetRun } from '../runs/treeSelection.ts';
import { findModelDirs, modelNameProblem } from './modelArtifacts.ts';
import type { ModelsTreeProvider } from './modelsTreeProvider.ts';

const POLL_MS = 1_000;

export async function registerModelFromRun(
  ctx: CommandContext,
  models: ModelsTreeProvider,
  arg: unknown,
): Promise<void> {
  const node = targetRun(ctx, arg);
  const runId = node.run.info.run_id;
  const client = ctx.registry.client(node.server);
  const source = await pickSource(client, runId, node.run.outputs.model_ids);
  if (!source) return;
  const name = await pickModelName(client);
  if (name === undefined) return;

  const version = await withCancellableProgress(`Registering ${name.value}`, async (signal, progress) => {
    if (name.isNew) {
      progress.report({ message: 'creating the registered model…' });
      await client.createRegisteredModel({ name: name.value, signal }).catch((e: unknown) => {
        // Created meanwhile (by someone else, or a second click): register into it.
        if (!(isMlflowError(e) && e.errorCode === 'RESOURCE_ALREADY_EXISTS')) throw e;
      });
    }
    progress.report({ message: 'creating the version…' });
    const created = await client.createModelVersion({ name: name.value, source: source.uri, runId, signal });
    return waitUntilReady(client, created, signal, (m) => progress.report({ message: m }));
  });
  models.refreshModel(name.value);
  if (version.status === 'FAILED_REGISTRATION')
    throw new Error(
      uiText(
        `Version ${version.version} of ${name.value} failed to register: ${version.status_message ?? 'no reason given'}`,
      ),
    );
  const choice = await vscode.window.showInformationMessage(
    uiText(`Registered ${source.what} as version ${version.version} of ${name.value}.`),
    'Show Models',
  );
  if (choice) await vscode.commands.executeCommand('mlflow.models.focus');
}

interface Source {
  uri: string;
  /** How the confirmation names it. */
  what: string;
}

async function pickSource(client: MlflowClient, runId: string, loggedModels: string[]): Promise<Source | undefined> {
  const found = await withCancellableProgress('Looking for models in the run’s artifacts', (signal) =>
    findModelDirs(async (path) => (await client.listArtifacts(runId, path, { signal })).files),
  );
  type Item = vscode.QuickPickItem & { source?: Source };
  const items: Item[] = [
    ...found.dirs.map((dir) => ({
      label: uiText(dir || '(artifact root)'),
      description: 'MLmodel',
      source: { uri: `runs:/${runId}/${dir}`, what: dir || 'the artifact root' },
    })),
    ...loggedModels.map((id) => ({
      label: uiText(id),
      description: 'MLflow 3 logged model',
      source: { uri: `models:/${id}`, what: id },
    })),
    { label: 'Type an artifact path…', alwaysShow: true },
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Register which model of this run?',
    // ui-text: three literals
    placeHolder: found.truncated
      ? 'The artifact tree is large: only its first folders were searched. Type a path if yours is missing.'
      : found.dirs.length + loggedModels.length === 0
        ? 'No MLmodel file in this run’s artifacts: type the path of the model folder.'
        : 'A folder with an MLmodel file',
  });
  if (!pick) return undefined;
  if (pick.source) return pick.source;
  const typed = await vscode.window.showInputBox({
    title: 'Artifact path of the model folder',
    prompt: 'Relative to the run’s artifact root, e.g. model',
    validateInput: (v) =>
      v.trim() === '' ? 'A path is needed' : v.split('/').includes('..') ? "'..' is not allowed" : undefined,
    ignoreFocusOut: true,
  });
  if (typed === undefined) return undefined;
  const path = typed.trim().replace(/^\/+|\/+$/g, '');
  return { uri: `runs:/${runId}/${path}`, what: path };
}

/** An existing model from the quick pick, or a new name typed into its filter. */
async function pickModelName(client: MlflowClient): Promise<{ value: string; isNew: boolean } | undefined> {
  const existing = (await client.searchRegisteredModels({ maxResults: 1000 })).items.map((m) => m.name);
  /** `name` is empty on the row that says why a typed name cannot be used. */
  type Item = vscode.QuickPickItem & { name: string; isNew: boolean };
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'Register as a version of';
  qp.placeholder = 'Pick a registered model, or type a new name';
  qp.ignoreFocusOut = true;
  const known: Item[] = existing.map((n) => ({ label: uiText(n), name: n, isNew: false }));
  const update = (): void => {
    const typed = qp.value.trim();
    const problem = typed ? modelNameProblem(typed) : undefined;
    const fresh: Item[] = problem
      ? [{ label: `$(warning) ${problem}`, name: '', isNew: false, alwaysShow: true }] // ui-text: our own message
      : typed && !existing.includes(typed)
        ? [{ label: uiText(`New model: ${typed}`), name: typed, isNew: true, alwaysShow: true }]
        : [];
    qp.items = [...fresh, ...known];
  };
  update();
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: { value: string; isNew: boolean } | undefined) => {
      if (done) return;
      done = true;
      resolve(v);
      qp.dispose();
    };
    qp.onDidChangeValue(update);
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0];
      if (item?.name) finish({ value: item.name, isNew: item.isNew });
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

/** The OSS stores answer READY at once; other registries copy first and say PENDING_REGISTRATION. */
async function waitUntilReady(
  client: MlflowClient,
  created: ModelVersion,
  signal: AbortSignal,
  report: (message: string) => void,
): Promise<ModelVersion> {
  let v = created;
  while (v.status === 'PENDING_REGISTRATION') {
    report(`version ${v.version} pending${v.status_message ? `: ${v.status_message}` : ''}…`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    signal.throwIfAborted();
    v = await client.getModelVersion(v.name, v.version, { signal });
  }
  return v;
}
