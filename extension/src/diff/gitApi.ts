// The part of VS Code's built-in Git extension API (`vscode.git`, getAPI(1)) that the source
// diff uses, declared here (the extension ships no types package) with only what we call.
import * as vscode from 'vscode';

interface GitChange {
  readonly uri: vscode.Uri;
  readonly originalUri: vscode.Uri;
  readonly status: number;
}

interface GitCommit {
  readonly hash: string;
  readonly message: string;
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  getCommit(ref: string): Promise<GitCommit>;
  /** The file's text at `ref`; `path` is absolute (the API makes it relative to the root). */
  show(ref: string, path: string): Promise<string>;
  /** Without a path: the files that differ between `ref` and the working tree. */
  diffWith(ref: string): Promise<GitChange[]>;
  fetch(remote?: string, ref?: string): Promise<void>;
}

type GitApiState = 'uninitialized' | 'initialized';

export interface GitApi {
  readonly state?: GitApiState;
  readonly onDidChangeState?: vscode.Event<GitApiState>;
  readonly repositories: GitRepository[];
  toGitUri(uri: vscode.Uri, ref: string): vscode.Uri;
}

interface GitExtensionExports {
  readonly enabled?: boolean;
  getAPI(version: 1): GitApi;
}

export class GitUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitUnavailableError';
  }
}

/** The Git API once it has found the workspace's repositories (it scans after activation). */
export async function gitApi(timeoutMs = 10_000): Promise<GitApi> {
  const ext = vscode.extensions.getExtension<GitExtensionExports>('vscode.git');
  if (!ext)
    throw new GitUnavailableError(
      "VS Code's built-in Git extension is not available, and it is needed to read the run's source at its commit.",
    );
  const exports = ext.isActive ? ext.exports : await ext.activate();
  if (!exports || exports.enabled === false)
    throw new GitUnavailableError(
      'Git is disabled in VS Code (setting "git.enabled"). Enable it to compare a run\'s source with the working tree.',
    );
  let api: GitApi;
  try {
    api = exports.getAPI(1);
  } catch (e) {
    throw new GitUnavailableError(`The Git extension did not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (api.state === 'uninitialized' && api.onDidChangeState) {
    const onChange = api.onDidChangeState;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        sub.dispose();
        resolve();
      }, timeoutMs);
      const sub = onChange((s) => {
        if (s !== 'initialized') return;
        clearTimeout(timer);
        sub.dispose();
        resolve();
      });
    });
  }
  return api;
}
