// Binds the shared IPC endpoint to a VS Code webview and turns host failures into the codes the
// view understands. A panel renews its endpoint whenever its webview content is torn down
// (hidden without retainContextWhenHidden, or disposed), which aborts every request in flight.
import type * as vscode from 'vscode';
import { IpcEndpoint } from '../../../webviews/protocol/ipc.ts';
import type { IpcErrorInfo } from '../../../webviews/protocol/ipc.ts';
import { describeError, isCancellation, MlflowError } from '../mlflow/errors.ts';
import type { Logger } from '../shared/logger.ts';

export function describeForView(e: unknown, logger: Logger, method = ''): IpcErrorInfo {
  if (isCancellation(e) || (e instanceof Error && e.name === 'AbortError'))
    return { code: 'cancelled', message: 'Cancelled.' };
  if (e instanceof MlflowError) {
    if (e.notFound) return { code: 'notFound', message: e.message };
    if (e.kind === 'api' && e.status !== undefined && e.status >= 400 && e.status < 500)
      return { code: 'badRequest', message: e.message };
    // A view says what to change for a timeout (the setting, a narrower query), not just "Retry".
    if (e.kind === 'timeout') return { code: 'timeout', message: e.message };
    return { code: 'server', message: e.message };
  }
  logger.error(`Webview request ${method} failed`, e);
  return { code: 'internal', message: describeError(e) };
}

export class WebviewConnection implements vscode.Disposable {
  private endpointValue: IpcEndpoint;
  private readonly webview: vscode.Webview;
  private readonly logger: Logger;
  private readonly listener: vscode.Disposable;
  private readonly setup: (endpoint: IpcEndpoint) => void;

  /** `setup` registers the handlers; it runs again for every renewed endpoint. */
  constructor(webview: vscode.Webview, logger: Logger, setup: (endpoint: IpcEndpoint) => void) {
    this.webview = webview;
    this.logger = logger;
    this.setup = setup;
    this.endpointValue = this.create();
    this.listener = webview.onDidReceiveMessage((m: unknown) => {
      if (!this.endpointValue.receive(m)) logger.debug('Ignored a webview message that is not ours');
    });
  }

  get endpoint(): IpcEndpoint {
    return this.endpointValue;
  }

  /** Cancels everything in flight and starts over (the view's content was torn down). */
  renew(): void {
    this.endpointValue.dispose();
    this.endpointValue = this.create();
  }

  dispose(): void {
    this.listener.dispose();
    this.endpointValue.dispose();
  }

  private create(): IpcEndpoint {
    const endpoint = new IpcEndpoint(
      (m) => {
        void this.webview
          .postMessage(m)
          .then(undefined, (e: unknown) => this.logger.debug(`postMessage: ${describeError(e)}`));
      },
      {
        describeError: (e) => describeForView(e, this.logger),
        onUnhandledError: (e, method) => this.logger.warn(`Webview message ${method}: ${describeError(e)}`),
      },
    );
    this.setup(endpoint);
    return endpoint;
  }
}
