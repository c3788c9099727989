// Commands on tracking servers: add, remove, select, credentials, local servers, refresh.
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import { describeError } from '../mlflow/errors.ts';
import { parseBaseUrl } from '../mlflow/transport.ts';
import { defaultName } from './serverConfig.ts';
import type { ServerConfig } from './serverConfig.ts';
import type { CommandContext } from '../commandContext.ts';
import { registerCommand } from '../commandContext.ts';
import { isServerNode, isTreeNode, targetServer } from '../runs/treeSelection.ts';

export function registerServerCommands(ctx: CommandContext): void {
  registerCommand(ctx, 'mlflow.addServer', () => addServer(ctx));
  registerCommand(ctx, 'mlflow.removeServer', (arg) => removeServer(ctx, arg));
  registerCommand(ctx, 'mlflow.selectServer', (arg) => selectServer(ctx, arg));
  registerCommand(ctx, 'mlflow.setCredentials', (arg) => setCredentials(ctx, arg));
  registerCommand(ctx, 'mlflow.clearCredentials', async (arg) => {
    const server = await targetServer(ctx, arg);
    if (!server) return;
    await ctx.registry.clearSecret(server);
    void vscode.window.showInformationMessage(uiText(`Forgot the credentials of ${server.name}.`));
  });
  registerCommand(ctx, 'mlflow.startLocalServer', (arg) => startLocal(ctx, arg));
  registerCommand(ctx, 'mlflow.stopLocalServer', async (arg) => {
    const server = await localTarget(ctx, arg, true);
    if (server?.local) ctx.localServers.stop(server.local.folder);
  });
  registerCommand(ctx, 'mlflow.refresh', (arg) => ctx.tree.refresh(isTreeNode(arg) ? arg : undefined));
  registerCommand(ctx, 'mlflow.showLogs', () => ctx.logger.show());
}

async function addServer(ctx: CommandContext): Promise<ServerConfig | undefined> {
  const uri = await vscode.window.showInputBox({
    title: 'Add MLflow Tracking Server (1/2)',
    prompt: 'Tracking server URL',
    placeHolder: 'http://127.0.0.1:5000',
    value: 'http://127.0.0.1:5000',
    valueSelection: [0, 'http://127.0.0.1:5000'.length],
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        const parsed = parseBaseUrl(v);
        return parsed.credentials
          ? 'Leave credentials out of the URL; you can set them securely after adding the server.'
          : undefined;
      } catch (e) {
        return describeError(e);
      }
    },
  });
  if (!uri) return undefined;
  const url = parseBaseUrl(uri).url;
  const name = await vscode.window.showInputBox({
    title: 'Add MLflow Tracking Server (2/2)',
    prompt: 'Name shown in the MLflow view',
    value: defaultName(url),
    ignoreFocusOut: true,
  });
  if (name === undefined) return undefined;
  const server = await ctx.registry.addServer({ uri: url, name: name.trim() || undefined });
  if (!ctx.registry.selected() || ctx.registry.list().filter((s) => s.uri).length === 1)
    await ctx.registry.select(server);
  const state = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: uiText(`Connecting to ${server.name}`) },
    () => ctx.registry.check(server, true),
  );
  if (state.kind === 'error') {
    const actions = state.error.message.includes('credentials')
      ? ['Set Credentials…', 'Edit Settings']
      : ['Retry', 'Edit Settings'];
    void vscode.window
      .showWarningMessage(uiText(`Added ${server.name}, but: ${describeError(state.error)}`), ...actions)
      .then(async (choice) => {
        if (choice === 'Set Credentials…') await vscode.commands.executeCommand('mlflow.setCredentials', server.id);
        if (choice === 'Retry') await ctx.registry.check(server, true);
        if (choice === 'Edit Settings')
          await vscode.commands.executeCommand('workbench.action.openSettings', 'mlflow.servers');
      });
  }
  return server;
}

async function removeServer(ctx: CommandContext, arg: unknown): Promise<void> {
  const server = await targetServer(ctx, arg, 'Server to remove');
  if (!server) return;
  if (server.source !== 'settings') {
    void vscode.window.showInformationMessage(
      uiText(
        server.source === 'environment'
          ? `${server.name} comes from MLFLOW_TRACKING_URI; unset it to remove the server.`
          : `${server.name} is a store in your workspace; it is listed while the folder holds it.`,
      ),
    );
    return;
  }
  const ok = await vscode.window.showWarningMessage(
    uiText(`Remove ${server.name} (${server.uri}) from the MLflow view? Nothing on the server changes.`),
    { modal: true },
    'Remove',
  );
  if (ok === 'Remove') await ctx.registry.removeServer(server);
}

async function selectServer(ctx: CommandContext, arg: unknown): Promise<void> {
  let server: ServerConfig | undefined = isServerNode(arg) ? arg.server : undefined;
  if (!server) {
    const items = ctx.registry.list().map((s) => ({
      label: uiText(s.name),
      description: uiText(s.uri || s.local?.folder || ''),
      detail: uiText(stateText(ctx, s)),
      server: s,
    }));
    if (items.length === 0) {
      const add = await vscode.window.showInformationMessage(
        'No MLflow tracking server is configured yet.',
        'Add Tracking Server…',
      );
      if (add) await vscode.commands.executeCommand('mlflow.addServer');
      return;
    }
    server = (
      await vscode.window.showQuickPick(items, { placeHolder: 'Server for run launches, charts and the status bar' })
    )?.server;
  }
  if (!server) return;
  if (server.source === 'local' && !server.uri) {
    await startLocal(ctx, server);
    server = ctx.registry.get(server.id) ?? server;
  }
  await ctx.registry.select(server);
  void ctx.registry.check(server, true);
}

async function setCredentials(ctx: CommandContext, arg: unknown): Promise<void> {
  const server = typeof arg === 'string' ? ctx.registry.get(arg) : await targetServer(ctx, arg, 'Server');
  if (!server) return;
  const kind = await vscode.window.showQuickPick(
    [
      {
        label: 'Username and password',
        description: 'HTTP Basic (mlflow server --app-name basic-auth)',
        auth: 'basic' as const,
      },
      {
        label: 'Token',
        description: 'Bearer token (MLFLOW_TRACKING_TOKEN, Databricks personal access token)',
        auth: 'bearer' as const,
      },
    ],
    { title: uiText(`Credentials for ${server.name}`), placeHolder: 'How does this server authenticate?' },
  );
  if (!kind) return;
  if (server.source !== 'settings') {
    // The auth kind and user name live in settings; add the server there first.
    await ctx.registry.addServer({ uri: server.uri, name: server.name });
  }
  if (kind.auth === 'basic') {
    const username = await vscode.window.showInputBox({
      title: uiText(`User name for ${server.name}`),
      value: server.username ?? '',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Enter a user name'),
    });
    if (!username) return;
    const password = await vscode.window.showInputBox({
      title: uiText(`Password for ${username.trim()}`),
      password: true,
      ignoreFocusOut: true,
      prompt: 'Kept in VS Code secret storage, never in settings.',
    });
    if (password === undefined) return;
    const updated = await ctx.registry.addServer({ uri: server.uri, auth: 'basic', username: username.trim() });
    await ctx.registry.setSecret(updated, { password });
    await report(ctx, updated);
  } else {
    const token = await vscode.window.showInputBox({
      title: uiText(`Token for ${server.name}`),
      password: true,
      ignoreFocusOut: true,
      prompt: 'Kept in VS Code secret storage, never in settings.',
      validateInput: (v) => (v.trim() ? undefined : 'Enter a token'),
    });
    if (!token) return;
    const updated = await ctx.registry.addServer({ uri: server.uri, auth: 'bearer' });
    await ctx.registry.setSecret(updated, { token: token.trim() });
    await report(ctx, updated);
  }
}

async function report(ctx: CommandContext, server: ServerConfig): Promise<void> {
  const state = await ctx.registry.check(server, true);
  await ctx.tree.refresh();
  if (state.kind === 'connected')
    void vscode.window.showInformationMessage(uiText(`Connected to ${server.name} (MLflow ${state.version}).`));
  else if (state.kind === 'error')
    void vscode.window.showWarningMessage(uiText(`${server.name}: ${describeError(state.error)}`));
}

async function localTarget(ctx: CommandContext, arg: unknown, running: boolean): Promise<ServerConfig | undefined> {
  if (isServerNode(arg) && arg.server.local) return arg.server;
  if (isTreeNode(arg) && arg.kind === 'message' && isServerNode(arg.parent) && arg.parent.server.local)
    return arg.parent.server;
  if (typeof arg === 'object' && arg !== null && 'local' in arg && (arg as ServerConfig).local)
    return arg as ServerConfig;
  const locals = ctx.registry.list().filter((s) => s.local && (running ? s.uri !== '' : s.uri === ''));
  if (locals.length === 0) {
    void vscode.window.showInformationMessage(
      uiText(
        running
          ? 'No local MLflow server is running.'
          : 'No workspace folder holds an MLflow store (an mlflow.db file or an mlruns/ folder).',
      ),
    );
    return undefined;
  }
  if (locals.length === 1) return locals[0];
  return (
    await vscode.window.showQuickPick(
      locals.map((s) => ({ label: uiText(s.name), description: uiText(s.local?.folder ?? ''), server: s })),
    )
  )?.server;
}

async function startLocal(ctx: CommandContext, arg: unknown): Promise<void> {
  const server = await localTarget(ctx, arg, false);
  if (!server?.local) return;
  const uri = await ctx.localServers.start(server.local);
  if (!uri) return;
  // A migrated mlruns/ is an mlflow.db store now; the tree names the store it serves.
  await ctx.registry.detectLocalStores();
  const started = ctx.registry.get(server.id);
  if (started) {
    if (!ctx.registry.selected()?.uri) await ctx.registry.select(started);
    void ctx.registry.check(started, true);
  }
  void vscode.window.showInformationMessage(uiText(`MLflow server for ${server.local.folder} is running at ${uri}.`));
}

function stateText(ctx: CommandContext, s: ServerConfig): string {
  const st = ctx.registry.state(s);
  return st.kind === 'connected'
    ? `Connected · MLflow ${st.version}`
    : st.kind === 'error'
      ? describeError(st.error)
      : st.kind === 'stopped'
        ? 'Local store, not running'
        : '';
}
