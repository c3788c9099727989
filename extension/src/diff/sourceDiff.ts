// "Compare Run's Source with Working Tree": finds the run's script (or, for a project, the files
// of its folder that changed) in a Git repository of the workspace, and opens VS Code's diff of
// the file at the run's commit against the working copy. The file at the commit comes from the
// built-in Git extension (its `git:` documents), so nothing here runs git itself.
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';
import { posix } from 'node:path';
import type { Run } from '../mlflow/types.ts';
import { TAG, tagValue } from '../mlflow/types.ts';
import type { GitApi, GitRepository } from './gitApi.ts';
import { gitApi } from './gitApi.ts';
import { shortSha, sourceDiffTitle } from './diffNames.ts';
import type { RunSource } from './sourceLocation.ts';
import {
  candidateRelativePaths,
  isGitObjectName,
  isInFolder,
  parseRunSource,
  projectFolder,
} from './sourceLocation.ts';

/** A failure the user can act on; shown as a warning (with its actions), not logged as a bug. */
export class SourceDiffProblem extends Error {
  readonly actions: { title: string; run: () => Promise<unknown> }[];
  constructor(message: string, actions: { title: string; run: () => Promise<unknown> }[] = []) {
    super(message);
    this.name = 'SourceDiffProblem';
    this.actions = actions;
  }
}

function repoName(repo: GitRepository): string {
  return posix.basename(repo.rootUri.path) || repo.rootUri.fsPath;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    const st = await vscode.workspace.fs.stat(uri);
    return (st.type & vscode.FileType.File) !== 0;
  } catch {
    return false;
  }
}

async function hasCommit(repo: GitRepository, commit: string): Promise<boolean> {
  try {
    await repo.getCommit(commit);
    return true;
  } catch {
    return false;
  }
}

function fetchAction(
  repo: GitRepository,
  retry: () => Promise<unknown>,
): { title: string; run: () => Promise<unknown> } {
  return {
    title: 'Fetch and Retry',
    run: async () => {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: uiText(`Fetching ${repoName(repo)}…`) },
        () => repo.fetch(),
      );
      return retry();
    },
  };
}

function commitMissing(repos: GitRepository[], commit: string, retry: () => Promise<unknown>): SourceDiffProblem {
  const where =
    repos.length === 1 && repos[0]
      ? `the local repository ${repoName(repos[0])}`
      : 'any Git repository of this workspace';
  const actions = repos.length === 1 && repos[0] ? [fetchAction(repos[0], retry)] : [];
  return new SourceDiffProblem(
    `Commit ${shortSha(commit)} that this run was made from is not in ${where}. Fetch from the remote (git fetch) and try again.`,
    actions,
  );
}

/** Opens the diff; throws SourceDiffProblem for the situations a user can fix. */
export async function diffSourceWithWorkingTree(run: Run, opts: { api?: GitApi } = {}): Promise<void> {
  const commit = tagValue(run.data.tags, TAG.gitCommit);
  const sourceName = tagValue(run.data.tags, TAG.sourceName);
  if (!commit || !sourceName)
    throw new SourceDiffProblem(
      'This run records no Git commit and source file (tags mlflow.source.git.commit and mlflow.source.name), so there is nothing to compare.',
    );
  // Before anything reaches Git: see isGitObjectName for the option injection this stops.
  if (!isGitObjectName(commit)) {
    throw new SourceDiffProblem(
      `This run's tag mlflow.source.git.commit ("${uiText(commit, 80)}") is not a Git commit hash (7 to 64 hex digits), so it was not passed to Git and there is nothing to compare.`,
    );
  }
  const source = parseRunSource(sourceName, tagValue(run.data.tags, TAG.sourceType));
  if (!source) throw new SourceDiffProblem(`This run's source "${uiText(sourceName, 120)}" does not name a file.`);
  const api = opts.api ?? (await gitApi());
  const repos = api.repositories;
  if (repos.length === 0) {
    throw new SourceDiffProblem(
      `No Git repository is open in this workspace. Open the folder (Git work tree) that holds ${uiText(sourceLabel(source), 120)}.`,
    );
  }
  const retry = () => diffSourceWithWorkingTree(run, opts);
  if (source.kind === 'file') await diffFile(api, repos, source, commit, retry);
  else await diffProjectFile(api, repos, source, commit, retry);
}

function sourceLabel(source: RunSource): string {
  return source.kind === 'file' ? source.path : source.subdir || source.worktree || 'the project';
}

async function diffFile(
  api: GitApi,
  repos: GitRepository[],
  source: Extract<RunSource, { kind: 'file' }>,
  commit: string,
  retry: () => Promise<unknown>,
): Promise<void> {
  // The longest recorded suffix that exists in a repository wins: src/train.py over train.py.
  let best: { repo: GitRepository; rel: string } | undefined;
  for (const repo of repos) {
    for (const rel of candidateRelativePaths(source, repo.rootUri.path)) {
      if (best && rel.split('/').length <= best.rel.split('/').length) break;
      if (await exists(vscode.Uri.joinPath(repo.rootUri, rel))) {
        best = { repo, rel };
        break;
      }
    }
  }
  if (!best) {
    throw new SourceDiffProblem(
      `${uiText(posix.basename(source.path), 80)} (recorded as ${uiText(source.path, 160)}) is not in this workspace's Git repositories.`,
    );
  }
  const { repo, rel } = best;
  if (!(await hasCommit(repo, commit))) throw commitMissing([repo], commit, retry);
  const file = vscode.Uri.joinPath(repo.rootUri, rel);
  try {
    await repo.show(commit, file.fsPath);
  } catch {
    throw new SourceDiffProblem(`${rel} did not exist in ${repoName(repo)} at commit ${shortSha(commit)}.`);
  }
  await vscode.commands.executeCommand('vscode.diff', api.toGitUri(file, commit), file, sourceDiffTitle(rel, commit));
}

async function diffProjectFile(
  api: GitApi,
  repos: GitRepository[],
  source: Extract<RunSource, { kind: 'project' }>,
  commit: string,
  retry: () => Promise<unknown>,
): Promise<void> {
  const withCommit: GitRepository[] = [];
  for (const repo of repos) if (await hasCommit(repo, commit)) withCommit.push(repo);
  if (withCommit.length === 0) throw commitMissing(repos, commit, retry);
  // Prefer the repository the project was run from, when it is this one.
  const repo =
    withCommit.find(
      (r) =>
        source.worktree !== undefined && r.rootUri.path.replace(/\/+$/, '') === source.worktree.replace(/\/+$/, ''),
    ) ?? withCommit[0];
  if (!repo) throw commitMissing(repos, commit, retry);
  const folder = projectFolder(source, repo.rootUri.path);
  const rootPath = repo.rootUri.path.replace(/\/+$/, '');
  const changes = (await repo.diffWith(commit))
    .map((c) => ({
      change: c,
      rel: c.uri.path.startsWith(rootPath + '/') ? c.uri.path.slice(rootPath.length + 1) : '',
    }))
    .filter((c) => c.rel !== '' && isInFolder(c.rel, folder))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const where = folder ? `${folder}/` : repoName(repo);
  if (changes.length === 0) {
    void vscode.window.showInformationMessage(
      uiText(`No file in ${where} differs from commit ${shortSha(commit)}, the commit this run was made from.`),
    );
    return;
  }
  let pick = changes[0];
  if (changes.length > 1) {
    const chosen = await vscode.window.showQuickPick(
      changes.map((c) => ({
        label: uiText(posix.basename(c.rel)),
        description: uiText(posix.dirname(c.rel) === '.' ? '' : posix.dirname(c.rel)),
        item: c,
      })),
      {
        title: uiText(`Files of ${where} changed since ${shortSha(commit)}`),
        placeHolder: "Pick a file to compare with the run's commit",
        matchOnDescription: true,
      },
    );
    if (!chosen) return;
    pick = chosen.item;
  }
  if (!pick) return;
  const file = vscode.Uri.joinPath(repo.rootUri, pick.rel);
  const left = api.toGitUri(file, commit);
  // A file added since the commit has no old side; a deleted one no working copy. The diff editor
  // shows an empty side for a missing `git:` blob, and a deleted file is shown at the commit alone.
  if (!(await exists(file))) {
    await vscode.commands.executeCommand('vscode.open', left);
    void vscode.window.showInformationMessage(
      uiText(`${pick.rel} was deleted since commit ${shortSha(commit)}; showing it as it was.`),
    );
    return;
  }
  await vscode.commands.executeCommand('vscode.diff', left, file, sourceDiffTitle(pick.rel, commit));
}
