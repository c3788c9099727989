// `mlflow-run:/<server key>/<run id>/<run name>.yaml` names the read-only YAML document of one
// run. The server key (as for artifacts) survives reloads; the last segment only makes the tab
// and diff titles read well and is ignored when the URI is resolved.
import * as vscode from 'vscode';
import type { Run } from '../mlflow/types.ts';
import { serverKey } from '../artifacts/artifactUri.ts';
import { documentFileName } from './diffNames.ts';
import { runName } from '../mlflow/types.ts';

export const RUN_SCHEME = 'mlflow-run';

export function runDocumentUri(serverId: string, run: Run): vscode.Uri {
  return runDocumentUriFor(serverId, run.info.run_id, runName(run));
}

function runDocumentUriFor(serverId: string, runId: string, name: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RUN_SCHEME, path: `/${serverKey(serverId)}/${runId}/${documentFileName(name)}` });
}

export interface ParsedRunUri {
  serverKey: string;
  runId: string;
}

export function parseRunDocumentUri(uri: vscode.Uri): ParsedRunUri | undefined {
  if (uri.scheme !== RUN_SCHEME) return undefined;
  const [key, runId] = uri.path.split('/').filter((s) => s !== '');
  if (!key || !runId) return undefined;
  return { serverKey: key, runId };
}
