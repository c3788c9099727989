// MLflow writes some YAML files without an extension (MLmodel, MLproject); an editor would open
// them as plain text. Opening or diffing one of these artifacts switches its document to YAML.
import * as vscode from 'vscode';
import { posix } from 'node:path';

const YAML_NAMES = new Set(['MLmodel', 'MLproject']);

/** Sets the open plain-text documents of these artifact URIs to YAML where the file is one of them. */
export async function showMlflowYamlAsYaml(uris: readonly vscode.Uri[]): Promise<void> {
  const wanted = new Set(uris.filter((u) => YAML_NAMES.has(posix.basename(u.path))).map((u) => u.toString()));
  if (wanted.size === 0) return;
  for (const doc of vscode.workspace.textDocuments) {
    if (wanted.has(doc.uri.toString()) && doc.languageId === 'plaintext')
      await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
  }
}
