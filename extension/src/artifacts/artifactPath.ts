// Where an artifact's identity and its readable name go in an `mlflow-artifact:` URI. VS Code
// titles tabs with the path's basename and builds breadcrumbs (and the description that tells
// same-named tabs apart) from the path, so the path reads `/<run name> (<experiment name>)/<file>`
// and the ids that resolve it ride in the query. Pure: no `vscode`.
import { pathSegment } from '../diff/diffNames.ts';

export interface ArtifactLocation {
  /** serverKey() of the server's id: survives reloads without putting the URL in the URI. */
  serverKey: string;
  runId: string;
  /** The artifact's path inside the run, '' for the run's artifact root. */
  path: string;
}

/** "elasticnet (wine-quality)": the folder a user sees above the artifact. */
export function artifactFolderName(runName: string, experimentName?: string): string {
  const run = pathSegment(runName, 'run');
  return experimentName === undefined ? run : `${run} (${pathSegment(experimentName, 'experiment')})`;
}

export function artifactUriParts(loc: ArtifactLocation, folder: string): { path: string; query: string } {
  const segments = loc.path.split('/').filter((s) => s !== '');
  const query = new URLSearchParams({ server: loc.serverKey, run: loc.runId }).toString();
  return { path: '/' + [folder, ...segments].join('/'), query };
}

/**
 * Reads both forms: the readable one above and `/<server key>/<run id>/<path>`, which editors
 * restored from before the readable names still carry.
 */
export function parseArtifactUriParts(path: string, query: string): ArtifactLocation | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  const params = new URLSearchParams(query);
  const key = params.get('server');
  const runId = params.get('run');
  if (key && runId) return { serverKey: key, runId, path: segments.slice(1).join('/') };
  const [oldKey, oldRunId, ...rest] = segments;
  if (!oldKey || !oldRunId) return undefined;
  return { serverKey: oldKey, runId: oldRunId, path: rest.join('/') };
}
