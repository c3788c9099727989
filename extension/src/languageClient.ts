// Starts the MLproject language server lazily, on the first MLproject document, so people who
// never open one never pay for it. The server reads its settings via workspace/configuration.
// vscode-languageclient itself is loaded on that first start, not at activation: it is a third of
// what activation would otherwise parse (the build bundles it as dist/language-client.js).
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import type { Logger } from './shared/logger.ts';
import { mlflowRequests, type MlflowRequests } from '../../language-server/src/protocol.ts';

export class MlprojectLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private requests: MlflowRequests | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private readonly subs: vscode.Disposable[] = [];
  private readonly context: vscode.ExtensionContext;
  private readonly logger: Logger;
  /**
   * Live as long as the extension, not a client: a client does not dispose a channel or a watcher
   * it was given, so making them per start leaked one of each on every restart.
   */
  private lifetime: { outputChannel: vscode.LogOutputChannel; fileEvents: vscode.FileSystemWatcher } | undefined;

  constructor(context: vscode.ExtensionContext, logger: Logger) {
    this.context = context;
    this.logger = logger;
    const maybeStart = (doc: vscode.TextDocument) => {
      if (doc.languageId === 'mlproject') void this.ensureStarted();
    };
    this.subs.push(vscode.workspace.onDidOpenTextDocument(maybeStart));
    vscode.workspace.textDocuments.forEach(maybeStart);
  }

  /** The running client, started on demand (code lenses and commands need it). */
  ensureStarted(): Promise<LanguageClient> {
    if (this.client) return Promise.resolve(this.client);
    if (!this.starting) {
      this.starting = this.start().then(
        (c) => {
          this.client = c;
          this.starting = undefined;
          return c;
        },
        (e: unknown) => {
          this.starting = undefined;
          this.logger.error('The MLproject language server did not start', e);
          throw e;
        },
      );
    }
    return this.starting;
  }

  /** The running client and the custom requests, made with that client's copy of vscode-jsonrpc. */
  async connection(): Promise<{ client: LanguageClient; requests: MlflowRequests }> {
    const client = await this.ensureStarted();
    // Loaded by the start already; this is the module cache, not a second load.
    const { RequestType } = await import('vscode-languageclient/node');
    this.requests ??= mlflowRequests(RequestType);
    return { client, requests: this.requests };
  }

  async restart(): Promise<void> {
    const old = this.client;
    this.client = undefined;
    if (old) await old.stop().catch((e: unknown) => this.logger.warn(`Stopping the language server: ${String(e)}`));
    old?.dispose();
    await this.ensureStarted();
  }

  async dispose(): Promise<void> {
    for (const s of this.subs) s.dispose();
    const c = this.client;
    this.client = undefined;
    if (c) await c.stop().catch(() => undefined);
    this.lifetime?.fileEvents.dispose();
    this.lifetime?.outputChannel.dispose();
    this.lifetime = undefined;
  }

  private async start(): Promise<LanguageClient> {
    const loadStarted = performance.now();
    // Bundled, this is a require of dist/language-client.js (see esbuild.mjs).
    const { LanguageClient, TransportKind } = await import('vscode-languageclient/node');
    this.logger.info(`Loaded the language client in ${Math.round(performance.now() - loadStarted)} ms`);
    this.lifetime ??= {
      outputChannel: vscode.window.createOutputChannel('MLproject Language Server', { log: true }),
      // Environment files and scripts appearing or vanishing change what is valid.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,py,sh,R,txt}'),
    };
    const module = this.context.asAbsolutePath('dist/language-server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'mlproject' },
        { scheme: 'untitled', language: 'mlproject' },
      ],
      synchronize: { fileEvents: this.lifetime.fileEvents },
      outputChannel: this.lifetime.outputChannel,
    };
    const client = new LanguageClient('mlflow.mlproject', 'MLproject Language Server', serverOptions, clientOptions);
    await client.start();
    this.logger.info('MLproject language server started');
    return client;
  }
}
