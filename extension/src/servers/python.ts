// Which Python runs `mlflow server` and `mlflow run`: the `mlflow.pythonPath` setting, else the
// Python extension's active interpreter, else `python3` on PATH. Processes get argument arrays.
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import { execFile } from 'node:child_process';
import { readSettings } from '../shared/settings.ts';
import { untrustedMessage } from './workspaceTrust.ts';

export interface PythonChoice {
  path: string;
  source: 'setting' | 'python extension' | 'PATH';
}

export async function resolvePython(resource?: vscode.Uri): Promise<PythonChoice> {
  // Callers ask for trust first (requireWorkspaceTrust); this is the backstop.
  if (!vscode.workspace.isTrusted) throw new Error(untrustedMessage("Using this workspace's Python interpreter"));
  const configured = readSettings().pythonPath;
  if (configured) return { path: configured, source: 'setting' };
  const fromExtension = await activeInterpreter(resource).catch(() => undefined);
  if (fromExtension) return { path: fromExtension, source: 'python extension' };
  return { path: process.platform === 'win32' ? 'python' : 'python3', source: 'PATH' };
}

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
    resolveEnvironment(env: { path: string } | string): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
  };
}

async function activeInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!ext) return undefined;
  const api = ext.isActive ? ext.exports : await ext.activate();
  const envs = api?.environments;
  if (!envs) return undefined;
  const active = envs.getActiveEnvironmentPath(resource);
  const resolved = await envs.resolveEnvironment(active);
  return resolved?.executable.uri?.fsPath ?? active.path;
}

export type MlflowCheck = { ok: true; version: string } | { ok: false; message: string; installCommand: string };

/** Asks the interpreter for its MLflow version; a missing module or Python becomes a message. */
export function checkMlflow(python: PythonChoice): Promise<MlflowCheck> {
  const installCommand = `${quoteForDisplay(python.path)} -m pip install mlflow`;
  return new Promise((resolve) => {
    execFile(
      python.path,
      ['-c', 'import mlflow; print(mlflow.__version__)'],
      { timeout: 60_000, windowsHide: true },
      (err, stdout, stderr) => {
        if (!err) return resolve({ ok: true, version: stdout.trim() });
        const missingPython = (err as NodeJS.ErrnoException).code === 'ENOENT';
        const message = missingPython
          ? `Python was not found at "${python.path}" (from ${python.source}). Set "mlflow.pythonPath" to a Python with MLflow installed.`
          : /No module named ['"]?mlflow/.test(stderr)
            ? `MLflow is not installed for ${python.path} (from ${python.source}). Install it with: ${installCommand}`
            : `Could not run MLflow with ${python.path}: ${stderr.trim().split('\n').pop() ?? err.message}`;
        resolve({ ok: false, message, installCommand });
      },
    );
  });
}

export async function reportMissingMlflow(check: Extract<MlflowCheck, { ok: false }>): Promise<void> {
  const choice = await vscode.window.showErrorMessage(uiText(check.message), 'Copy Install Command', 'Choose Python…');
  if (choice === 'Copy Install Command') await vscode.env.clipboard.writeText(check.installCommand);
  if (choice === 'Choose Python…')
    await vscode.commands.executeCommand('workbench.action.openSettings', 'mlflow.pythonPath');
}

function quoteForDisplay(p: string): string {
  return /[\s"'$`\\]/.test(p) ? `"${p.replace(/(["\\$`])/g, '\\$1')}"` : p;
}
