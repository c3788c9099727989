// The "MLflow" LogOutputChannel. Everything the extension logs goes through here, and here
// secrets are scrubbed a second time in case a message carries one by mistake.
import * as vscode from 'vscode';
import type { MlflowLogger } from './mlflow/transport.ts';

export interface Logger extends MlflowLogger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
  show(): void;
}

const SECRET_PATTERNS: [RegExp, string][] = [
  [/(authorization:\s*)(basic|bearer)\s+[^\s,;]+/gi, '$1$2 ***'],
  [/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 ***'],
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, '$1***@'],
  [/((?:password|token|secret)["']?\s*[:=]\s*["']?)[^"'\s,&]+/gi, '$1***'],
  [/\bdapi[0-9a-f]{20,}\b/gi, 'dapi***'],
];

export function redact(message: string): string {
  let out = message;
  for (const [re, replacement] of SECRET_PATTERNS) out = out.replace(re, replacement);
  return out;
}

export function createLogger(context: vscode.ExtensionContext): Logger {
  const channel = vscode.window.createOutputChannel('MLflow', { log: true });
  context.subscriptions.push(channel);
  return {
    debug: (m) => channel.debug(redact(m)),
    info: (m) => channel.info(redact(m)),
    warn: (m) => channel.warn(redact(m)),
    error: (m, e) => {
      if (e instanceof Error) channel.error(redact(`${m}: ${e.stack ?? e.message}`));
      else if (e !== undefined) channel.error(redact(`${m}: ${String(e)}`));
      else channel.error(redact(m));
    },
    show: () => channel.show(true),
  };
}
