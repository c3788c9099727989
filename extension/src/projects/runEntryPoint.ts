// "Run entry point" from a code lens: ask for parameters (typed, last values remembered), pick
// the experiment, create the run on the selected server first (so it shows in the tree at
// once), then start `mlflow run … --run-id <id>` in a terminal and follow the run to its end.
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { delimiter, dirname, isAbsolute } from 'node:path';
import { describeError, MlflowError } from '../mlflow/errors.ts';
import type { MlflowClient } from '../mlflow/client.ts';
import type { Run } from '../mlflow/types.ts';
import { isTerminal, TAG } from '../mlflow/types.ts';
import { readSettings } from '../shared/settings.ts';
import type { ServerConfig } from '../servers/serverConfig.ts';
import { checkMlflow, reportMissingMlflow, resolvePython } from '../servers/python.ts';
import { requireWorkspaceTrust } from '../servers/workspaceTrust.ts';
import type { CommandContext } from '../commandContext.ts';
import {
  displayCommand,
  failureLine,
  mlflowRunArgs,
  paramsMlflowLogs,
  quotingConfirmation,
  runTerminalHeader,
  validateParameterValue,
} from './launchPlan.ts';
import type { EntryPointInfo, RenderCommandResult } from '../../../language-server/src/protocol.ts';
import { startRunTerminal } from './runTerminal.ts';

interface ProjectInfo {
  projectDir: string;
  entryPoints: EntryPointInfo[];
  hasErrors: boolean;
  errors: string[];
}

/** What the launcher needs from the MLproject language server. */
export interface ProjectIntrospection {
  entryPoints(uri: vscode.Uri): Promise<ProjectInfo>;
  renderCommand(uri: vscode.Uri, entryPoint: string, values: Record<string, string>): Promise<RenderCommandResult>;
}

export interface LaunchTarget {
  uri: string;
  entryPoint: string;
}

const EXPERIMENT_KEY = 'mlflow.lastExperiment';

export class EntryPointLauncher {
  private readonly ctx: CommandContext;
  private readonly project: ProjectIntrospection;

  constructor(ctx: CommandContext, project: ProjectIntrospection) {
    this.ctx = ctx;
    this.project = project;
  }

  async run(target: LaunchTarget | undefined, askParameters: boolean): Promise<Run | undefined> {
    if (!(await requireWorkspaceTrust('Running an MLproject (`mlflow run`)'))) return undefined;
    const resolved = target ?? (await this.pickTarget());
    if (!resolved) return undefined;
    const uri = vscode.Uri.parse(resolved.uri);
    const info = await this.project.entryPoints(uri);
    const entry = info.entryPoints.find((e) => e.name === resolved.entryPoint);
    if (!entry) throw new Error(`The MLproject has no entry point "${resolved.entryPoint}".`);
    if (info.hasErrors) {
      const go = await vscode.window.showWarningMessage(
        uiText(`This MLproject has errors that make \`mlflow run\` fail: ${info.errors.slice(0, 3).join('; ')}`),
        { modal: true },
        'Run Anyway',
      );
      if (go !== 'Run Anyway') return undefined;
    }

    const server = this.ctx.registry.selected();
    if (!server || !server.uri) {
      const add = await vscode.window.showErrorMessage(
        'Select an MLflow tracking server for the run first.',
        'Select Server…',
        'Add Server…',
      );
      if (add === 'Select Server…') await vscode.commands.executeCommand('mlflow.selectServer');
      if (add === 'Add Server…') await vscode.commands.executeCommand('mlflow.addServer');
      return undefined;
    }

    const values = await this.parameterValues(info.projectDir, entry, askParameters);
    if (!values) return undefined;
    const experiment = await this.pickExperiment(server);
    if (!experiment) return undefined;

    const python = await resolvePython(uri);
    const check = await checkMlflow(python);
    if (!check.ok) {
      await reportMissingMlflow(check);
      return undefined;
    }

    const rendered = await this.project
      .renderCommand(uri, entry.name, values)
      .catch((e: unknown) => ({ error: describeError(e) }));
    // Before the run exists: a declined launch leaves nothing behind on the server.
    const ask = quotingConfirmation(rendered);
    if (ask) {
      const go = await vscode.window.showWarningMessage(ask.message, { modal: true, detail: ask.detail }, ask.confirm); // ui-text: quotingConfirmation escapes
      if (go !== ask.confirm) return undefined;
    }
    const client = this.ctx.registry.client(server);
    const run = await this.createRun(client, experiment, info.projectDir, entry, values);
    const args = mlflowRunArgs({
      projectDir: info.projectDir,
      entryPoint: entry.name,
      values,
      experimentName: experiment.name,
      runId: run.info.run_id,
      envManager: readSettings().envManager,
    });
    const commandLine = displayCommand(python.path, args);
    this.ctx.logger.info(`Launching: ${commandLine}`);

    const env = await this.childEnv(server, python.path);
    const terminal = startRunTerminal({
      ...runTerminalHeader({
        entryPoint: entry.name,
        runName: run.info.run_name,
        runId: run.info.run_id,
        commandLine,
        rendered,
        serverUri: server.uri,
        experimentName: experiment.name,
      }),
      executable: python.path,
      args,
      cwd: info.projectDir,
      env,
    });
    terminal.terminal.show(true);
    await this.ctx.tree
      .revealRun(server, run, { select: true, focus: false })
      .catch((e: unknown) => this.ctx.logger.warn(`reveal: ${describeError(e)}`));
    void this.follow(server, run, terminal, entry.name);
    return run;
  }

  private async pickTarget(): Promise<LaunchTarget | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'mlproject')
      throw new Error('Open an MLproject file to run one of its entry points.');
    const info = await this.project.entryPoints(editor.document.uri);
    if (info.entryPoints.length === 0) throw new Error('This MLproject declares no entry points.');
    const pick =
      info.entryPoints.length === 1
        ? info.entryPoints[0]
        : (
            await vscode.window.showQuickPick(
              info.entryPoints.map((e) => ({ label: uiText(e.name), description: uiText(e.command ?? ''), e })),
              { placeHolder: 'Entry point to run' },
            )
          )?.e;
    return pick ? { uri: editor.document.uri.toString(), entryPoint: pick.name } : undefined;
  }

  /**
   * Defaults for "▶ Run" (asking only for required parameters); every parameter, prefilled with
   * the last value used for this entry point, for "Run with parameters…".
   */
  private async parameterValues(
    projectDir: string,
    entry: EntryPointInfo,
    askAll: boolean,
  ): Promise<Record<string, string> | undefined> {
    const key = `mlflow.params:${projectDir}#${entry.name}`;
    const remembered = this.ctx.extension.workspaceState.get<Record<string, string>>(key, {});
    const values: Record<string, string> = {};
    const toAsk = entry.parameters.filter((p) => askAll || p.default === null);
    let step = 0;
    for (const p of toAsk) {
      step++;
      const initial = remembered[p.name] ?? p.default ?? '';
      const value = await vscode.window.showInputBox({
        title: uiText(`Run "${entry.name}" (${step}/${toAsk.length})`),
        prompt: uiText(`${p.name} (${p.type}${p.default !== null ? `, default ${p.default}` : ', required'})`),
        value: initial,
        ignoreFocusOut: true,
        validateInput: (v) => validateParameterValue(p.type, v, projectDir, existsSync),
      });
      if (value === undefined) return undefined;
      if (value !== p.default) values[p.name] = value;
    }
    if (toAsk.length > 0)
      await this.ctx.extension.workspaceState.update(key, {
        ...remembered,
        ...Object.fromEntries(toAsk.map((p) => [p.name, values[p.name] ?? p.default ?? ''])),
      });
    return values;
  }

  private async pickExperiment(server: ServerConfig): Promise<{ id: string; name: string } | undefined> {
    const client = this.ctx.registry.client(server);
    const configured = readSettings().experimentName;
    if (configured) return this.ensureExperiment(client, configured);
    const last = this.ctx.extension.workspaceState.get<string>(EXPERIMENT_KEY);
    const experiments = await client.listExperiments({ maxResults: 1000 });
    const items: (vscode.QuickPickItem & { name?: string })[] = [
      { label: '$(add) New experiment…' },
      ...experiments
        .sort((a, b) => Number(b.name === last) - Number(a.name === last))
        .map((e) => ({
          label: uiText(e.name),
          description: uiText(e.name === last ? `#${e.experiment_id} · last used` : `#${e.experiment_id}`),
          name: e.name,
        })),
    ];
    // Paging stopped early (a repeated page token, the page bound): the list is partial, and says so.
    const placeHolder = uiText(
      experiments.incomplete
        ? `Experiment on ${server.name}. ${experiments.incomplete}`
        : `Experiment on ${server.name}`,
    );
    const pick = await vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true });
    if (!pick) return undefined;
    let name = pick.name;
    if (!name) {
      name = (
        await vscode.window.showInputBox({
          prompt: 'New experiment name',
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : 'Enter a name'),
        })
      )?.trim();
      if (!name) return undefined;
    }
    await this.ctx.extension.workspaceState.update(EXPERIMENT_KEY, name);
    return this.ensureExperiment(client, name);
  }

  /** MLflow's `--experiment-name` creates a missing experiment; so does this, to create the run. */
  private async ensureExperiment(client: MlflowClient, name: string): Promise<{ id: string; name: string }> {
    try {
      const e = await client.getExperimentByName(name);
      if (e.lifecycle_stage === 'deleted')
        throw new Error(`The experiment "${name}" is deleted. Restore it or choose another.`);
      return { id: e.experiment_id, name };
    } catch (e) {
      if (e instanceof MlflowError && e.notFound) return { id: await client.createExperiment(name), name };
      throw e;
    }
  }

  private async createRun(
    client: MlflowClient,
    experiment: { id: string },
    projectDir: string,
    entry: EntryPointInfo,
    values: Record<string, string>,
  ): Promise<Run> {
    const tags = [
      { key: TAG.sourceName, value: projectDir },
      { key: TAG.sourceType, value: 'PROJECT' },
      { key: TAG.entryPoint, value: entry.name },
      { key: TAG.user, value: safeUser() },
      { key: 'mlflow.project.backend', value: 'local' },
    ];
    const run = await client.createRun({ experimentId: experiment.id, tags });
    const params = paramsMlflowLogs(entry, values);
    for (let i = 0; i < params.length; i += 100)
      await client.logBatch({ runId: run.info.run_id, params: params.slice(i, i + 100) });
    return client.getRun(run.info.run_id);
  }

  /**
   * Credentials go to the child through its environment, never its arguments. The chosen
   * Python's folder goes first on PATH, as activating its environment would, so `python` in an
   * entry point's command (run by bash with --env-manager local) is that same interpreter.
   */
  private async childEnv(server: ServerConfig, pythonPath: string): Promise<NodeJS.ProcessEnv> {
    const env: NodeJS.ProcessEnv = { ...process.env, MLFLOW_TRACKING_URI: server.uri };
    if (isAbsolute(pythonPath)) env['PATH'] = [dirname(pythonPath), env['PATH']].filter(Boolean).join(delimiter);
    // Both set makes `mlflow run` refuse to start ("Specify only one of …").
    delete env['MLFLOW_EXPERIMENT_ID'];
    delete env['MLFLOW_EXPERIMENT_NAME'];
    delete env['MLFLOW_RUN_ID'];
    const creds = await this.ctx.registry.credentialsFor(server);
    delete env['MLFLOW_TRACKING_USERNAME'];
    delete env['MLFLOW_TRACKING_PASSWORD'];
    delete env['MLFLOW_TRACKING_TOKEN'];
    if (creds.kind === 'basic') {
      env['MLFLOW_TRACKING_USERNAME'] = creds.username;
      env['MLFLOW_TRACKING_PASSWORD'] = creds.password;
    } else if (creds.kind === 'bearer') env['MLFLOW_TRACKING_TOKEN'] = creds.token;
    return env;
  }

  /** Waits for the process, then makes sure the run ends in the right status and says so. */
  private async follow(
    server: ServerConfig,
    run: Run,
    term: ReturnType<typeof startRunTerminal>,
    entryName: string,
  ): Promise<void> {
    const result = await term.done;
    let fresh: Run | undefined;
    try {
      // Looked up now, not at launch: settings or credentials may have changed while it ran.
      const client = this.ctx.registry.client(server);
      fresh = await client.getRun(run.info.run_id);
      // MLflow leaves a reused run RUNNING when it fails before the command starts (env setup).
      if (!isTerminal(fresh.info.status)) {
        await client.updateRun({
          runId: run.info.run_id,
          status: result.code === 0 ? 'FINISHED' : 'FAILED',
          endTime: Date.now(),
        });
        fresh = await client.getRun(run.info.run_id);
      }
    } catch (e) {
      this.ctx.logger.warn(`Following run ${run.info.run_id}: ${describeError(e)}`);
    }
    if (fresh) {
      const { info, data } = fresh;
      this.ctx.runs.updateRun(server.id, run.info.run_id, () => ({ info, data }));
    }
    const name = fresh?.info.run_name ?? run.info.run_name;
    if (result.code === 0) {
      void vscode.window.setStatusBarMessage(uiText(`$(pass) MLflow run "${name}" (${entryName}) finished`), 10_000);
      return;
    }
    const reason =
      failureLine(result.tail) ?? (result.signal ? `stopped (${result.signal})` : `exit code ${result.code}`);
    const choice = await vscode.window.showErrorMessage(
      uiText(`MLflow run "${name}" (${entryName}) failed: ${reason}`),
      'Show Output',
      'Show Run',
    );
    if (choice === 'Show Output') term.terminal.show();
    if (choice === 'Show Run') await vscode.commands.executeCommand('mlflow.revealRun', run.info.run_id, server.id);
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
