// VS Code cancels with a CancellationToken, our requests and processes stop on an AbortSignal.
// These are the one bridge between the two, and the one "notification with Cancel" around a task.
import * as vscode from 'vscode';
import { uiText } from '../../../webviews/protocol/displayText.ts';

export type ProgressReporter = vscode.Progress<{ message?: string; increment?: number }>;

/** A signal that aborts when the token is cancelled (or any of `also` aborts); dispose when done. */
export function abortOnCancel(
  token: vscode.CancellationToken,
  ...also: AbortSignal[]
): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort());
  if (token.isCancellationRequested) abort.abort();
  return {
    signal: also.length > 0 ? AbortSignal.any([abort.signal, ...also]) : abort.signal,
    dispose: () => sub.dispose(),
  };
}

/**
 * Runs `task` under a progress notification with a Cancel button; Cancel aborts the task's
 * signal, as does `opts.signal` (e.g. a webview request that was dropped). `title` may hold
 * server text: it goes through uiText here.
 */
export function withCancellableProgress<R>(
  title: string,
  task: (signal: AbortSignal, progress: ProgressReporter) => Promise<R>,
  opts: { signal?: AbortSignal } = {},
): Promise<R> {
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: uiText(title), cancellable: true },
      async (progress, token) => {
        const link = opts.signal ? abortOnCancel(token, opts.signal) : abortOnCancel(token);
        try {
          return await task(link.signal, progress);
        } finally {
          link.dispose();
        }
      },
    ),
  );
}
