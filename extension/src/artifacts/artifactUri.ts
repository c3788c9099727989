// `mlflow-artifact:/<run name> (<experiment name>)/<artifact path>?server=<key>&run=<id>` names
// one artifact file (artifactPath.ts says why the parts go where they do). The server key is a
// short hash of the server's id so editors restored after a reload still resolve to the same server.
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import type { Run } from '../mlflow/types.ts';
import { runName } from '../mlflow/types.ts';
import type { ArtifactLocation } from './artifactPath.ts';
import { artifactFolderName, artifactUriParts, parseArtifactUriParts } from './artifactPath.ts';

export const ARTIFACT_SCHEME = 'mlflow-artifact';

export function serverKey(serverId: string): string {
  return 's' + createHash('sha256').update(serverId).digest('hex').slice(0, 10);
}

/** The URI of `path` in `run`, named after the run and its experiment (when known). */
export function artifactUri(serverId: string, run: Run, path: string, experiment: string | undefined): vscode.Uri {
  const parts = artifactUriParts(
    { serverKey: serverKey(serverId), runId: run.info.run_id, path },
    artifactFolderName(runName(run), experiment),
  );
  return vscode.Uri.from({ scheme: ARTIFACT_SCHEME, ...parts });
}

export function parseArtifactUri(uri: vscode.Uri): ArtifactLocation | undefined {
  if (uri.scheme !== ARTIFACT_SCHEME) return undefined;
  return parseArtifactUriParts(uri.path, uri.query);
}
