// The "MLflow" LogOutputChannel. Everything the extension logs goes through here, and here
// (logText) server text is escaped line by line and secrets are scrubbed a second time in case a
// message carries one by mistake.
import * as vscode from 'vscode';
import type { MlflowLogger } from '../mlflow/transport.ts';
import { logText } from './logText.ts';

export interface Logger extends MlflowLogger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
  show(): void;
}

export function createLogger(context: vscode.ExtensionContext): Logger {
  const channel = vscode.window.createOutputChannel('MLflow', { log: true });
  context.subscriptions.push(channel);
  return {
    debug: (m) => channel.debug(logText(m)),
    info: (m) => channel.info(logText(m)),
    warn: (m) => channel.warn(logText(m)),
    error: (m, e) => {
      if (e instanceof Error) channel.error(logText(`${m}: ${e.stack ?? e.message}`));
      else if (e !== undefined) channel.error(logText(`${m}: ${String(e)}`));
      else channel.error(logText(m));
    },
    show: () => channel.show(true),
  };
}
