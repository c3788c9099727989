// The one typed accessor for `mlflow.*` settings.
import * as vscode from 'vscode';

export type EnvManager = 'local' | 'virtualenv' | 'uv' | 'conda';

export interface Settings {
  servers: unknown;
  selectedServer: string;
  pythonPath: string;
  runsPageSize: number;
  refreshIntervalSeconds: number;
  requestTimeoutSeconds: number;
  /** The largest answer read from a tracking server, in MiB (a guard against endless bodies). */
  maxResponseMegabytes: number;
  envManager: EnvManager;
  experimentName: string;
}

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('mlflow');
  const envManager = c.get<string>('projects.envManager', 'local');
  return {
    servers: c.get<unknown>('servers', []),
    selectedServer: c.get<string>('selectedServer', ''),
    pythonPath: c.get<string>('pythonPath', '').trim(),
    runsPageSize: clamp(c.get<number>('runsPageSize', 100), 10, 1000),
    refreshIntervalSeconds: Math.max(0, c.get<number>('refreshIntervalSeconds', 10)),
    requestTimeoutSeconds: Math.max(1, c.get<number>('requestTimeoutSeconds', 30)),
    maxResponseMegabytes: clamp(c.get<number>('maxResponseMegabytes', 64), 1, 4096),
    envManager: envManager === 'virtualenv' || envManager === 'uv' || envManager === 'conda' ? envManager : 'local',
    experimentName: c.get<string>('projects.experimentName', '').trim(),
  };
}

/** Writes to the workspace when the workspace already overrides the key, else to user settings. */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  const c = vscode.workspace.getConfiguration('mlflow');
  const inspected = c.inspect(key);
  const target =
    inspected?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await c.update(key, value, target);
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Number.isFinite(n) ? Math.round(n) : lo));
}
