// `mlflow-artifact:/<server key>/<run id>/<artifact path>` names one artifact file. The server
// key is a short hash of the server's id so tab titles stay readable and editors restored
// after a reload still resolve to the same server.
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';

export const ARTIFACT_SCHEME = 'mlflow-artifact';

export function serverKey(serverId: string): string {
  return 's' + createHash('sha256').update(serverId).digest('hex').slice(0, 10);
}

export function artifactUri(serverId: string, runId: string, path: string): vscode.Uri {
  const segments = path.split('/').filter((s) => s !== '');
  return vscode.Uri.from({ scheme: ARTIFACT_SCHEME, path: '/' + [serverKey(serverId), runId, ...segments].join('/') });
}

export interface ParsedArtifactUri {
  serverKey: string;
  runId: string;
  path: string;
}

export function parseArtifactUri(uri: vscode.Uri): ParsedArtifactUri | undefined {
  if (uri.scheme !== ARTIFACT_SCHEME) return undefined;
  const [key, runId, ...rest] = uri.path.split('/').filter((s) => s !== '');
  if (!key || !runId) return undefined;
  return { serverKey: key, runId, path: rest.join('/') };
}
