// The URIs that name a registered model version (spec §6.1) and its page in the MLflow web UI.
// A `models:/` URI keeps the name as typed: MLflow resolves it by splitting, never by decoding.

/** `models:/<name>/<version>`: exactly that version. */
export function modelVersionUri(name: string, version: string): string {
  return `models:/${name}/${version}`;
}

/** `models:/<name>@<alias>`: whatever version the alias points at when the URI is resolved. */
export function modelAliasUri(name: string, alias: string): string {
  return `models:/${name}@${alias}`;
}

/**
 * The web UI's route (the URL fragment) of a model or one of its versions, unencoded: it goes into
 * vscode.Uri's `fragment`, and VS Code percent-encodes it when it opens the URI (encodeURI of the
 * unencoded form). Encoding it here too would double-encode a space or `%`.
 */
export function modelWebUiRoute(name: string, version?: string): string {
  const model = `/models/${name}`;
  return version === undefined ? model : `${model}/versions/${version}`;
}
