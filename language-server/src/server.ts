// LSP wiring for the MLproject language server (`node dist/language-server.js --stdio`). Each
// handler converts positions, calls one pure module and converts the answer back; every handler
// is wrapped so that no input can take the server down.
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ErrorCodes,
  ProposedFeatures,
  RequestType,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type InitializeResult,
  type Location,
  type LocationLink,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { dirname, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { quickFixes } from './features/codeActions.ts';
import { codeLenses } from './features/codeLenses.ts';
import { completeMlproject } from './features/complete.ts';
import { findDefinition } from './features/definition.ts';
import type { MlprojectDiagnostic } from './features/diagnostics.ts';
import { EntryPointDiagnostics } from './features/entryPointDiagnostics.ts';
import { describeEntryPoints } from './features/entryPointsInfo.ts';
import { hoverMlproject } from './features/hover.ts';
import { buildMlprojectModel, MAX_ANALYSED_CHARS, type MlprojectModel } from './model/mlprojectModel.ts';
import { updateLoadedYaml } from './yaml/incrementalLoad.ts';
import { reloadEntryPoint } from './yaml/entryPointReload.ts';
import type { LoadedYaml } from './yaml/pyyamlLoad.ts';
import { nodeProjectFiles, readRegularFile } from './model/nodeProjectFiles.ts';
import { cachedProjectFiles } from './model/projectFilesCache.ts';
import { DEFAULT_SETTINGS, type ProjectContext, type ValidationSettings } from './model/projectContext.ts';
import { CONFIGURATION_SECTION, mlflowRequests, type RenderCommandResult } from './protocol.ts';
import { parameterReferences, prepareRename, RenameError, renameParameter } from './features/references.ts';
import { renderEntryPointCommand } from './features/renderCommand.ts';
import { documentSymbols } from './features/symbols.ts';
import { validateModel } from './features/validate.ts';

/** Files read from disk for the custom requests (open documents are capped by the model). */
const MAX_READ_BYTES = 8_000_000;
/**
 * Debounce. A validation is scheduled for when the event loop is idle, and one already pending
 * absorbs later edits (it reads the latest text when it runs), so a burst of keystrokes that
 * arrives while the server is busy costs one validation, and a single edit is answered at once.
 * Only documents whose validation is itself slow (near the size cap) also wait for typing to pause.
 */
const SLOW_VALIDATION_MS = 150;
const MAX_DEBOUNCE_MS = 500;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let clientPullsConfiguration = false;
/** Settings pushed with didChangeConfiguration, for clients that cannot be asked. */
let pushedSettings: ValidationSettings = DEFAULT_SETTINGS;
let clientSupportsLinks = false;
let configurationGeneration = 0;
const settingsCache = new Map<string, Promise<ValidationSettings>>();

interface Analysis {
  version: number;
  generation: number;
  model: MlprojectModel;
  diagnostics?: MlprojectDiagnostic[];
  /** The last load without YAML problems: edits are re-parsed per entry point against it. */
  clean?: LoadedYaml;
}
const analyses = new Map<string, Analysis>();
/** Per document: each entry point's last diagnostics, replayed while its lines stay the same. */
const entryPointMemory = new Map<string, EntryPointDiagnostics>();
const pendingValidation = new Map<string, ReturnType<typeof setTimeout>>();
const validationCost = new Map<string, number>();

function log(message: string, error?: unknown): void {
  const detail =
    error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : error === undefined ? '' : String(error);
  connection.console.error(`${message}${detail ? `: ${detail}` : ''}`);
}

/** Run a handler; an unexpected exception is logged and answered with `fallback`. */
function guarded<T>(what: string, fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ResponseError) throw e;
    log(`MLproject ${what} failed`, e);
    return fallback;
  }
}

/** Cleared when the client reports changed files; 2 s bounds staleness for unwatched ones. */
const projectFiles = cachedProjectFiles(nodeProjectFiles, 2000);

function contextFor(uri: string): ProjectContext {
  if (!uri.startsWith('file:')) return {};
  try {
    return { projectDir: dirname(fileURLToPath(uri)), files: projectFiles, pathSeparator: sep === '\\' ? '\\' : '/' };
  } catch {
    return {};
  }
}

function analysisOf(doc: TextDocument): Analysis {
  const cached = analyses.get(doc.uri);
  if (cached && cached.version === doc.version) return cached;
  const text = doc.getText();
  // Typing inside a value patches the previous load; an edit inside one entry point re-parses
  // just that entry point; anything else parses the whole text. A clean result replaces
  // `clean`, so the entry-point reload may reuse it.
  const patched =
    cached && text.length <= MAX_ANALYSED_CHARS
      ? guarded(
          'incremental load',
          undefined,
          () =>
            updateLoadedYaml(cached.model.loaded, text) ??
            (cached.clean ? reloadEntryPoint(cached.clean, text, { consume: true }) : undefined),
        )
      : undefined;
  const model = patched ? buildMlprojectModel(text, patched) : buildMlprojectModel(text);
  const loaded = model.loaded;
  const clean = loaded.problems.length === 0 && !loaded.syntaxBroken && !loaded.empty ? loaded : cached?.clean;
  const fresh: Analysis = {
    version: doc.version,
    generation: configurationGeneration,
    model,
    ...(clean ? { clean } : {}),
  };
  analyses.set(doc.uri, fresh);
  return fresh;
}

function diagnosticsOf(doc: TextDocument, settings: ValidationSettings): MlprojectDiagnostic[] {
  const a = analysisOf(doc);
  if (a.diagnostics && a.generation === configurationGeneration) return a.diagnostics;
  let memory = entryPointMemory.get(doc.uri);
  if (!memory) entryPointMemory.set(doc.uri, (memory = new EntryPointDiagnostics()));
  a.diagnostics = validateModel(a.model, contextFor(doc.uri), settings, memory);
  a.generation = configurationGeneration;
  return a.diagnostics;
}

function toSettings(raw: unknown): ValidationSettings {
  const hint = (raw as { hintUncheckedTypes?: unknown } | null | undefined)?.hintUncheckedTypes;
  return { hintUncheckedTypes: typeof hint === 'boolean' ? hint : DEFAULT_SETTINGS.hintUncheckedTypes };
}

function settingsFor(uri: string): Promise<ValidationSettings> {
  if (!clientPullsConfiguration) return Promise.resolve(pushedSettings);
  let s = settingsCache.get(uri);
  if (!s) {
    s = connection.workspace
      .getConfiguration({ scopeUri: uri, section: CONFIGURATION_SECTION })
      .then(toSettings)
      .catch((e: unknown) => {
        log('Reading settings failed', e);
        return DEFAULT_SETTINGS;
      });
    settingsCache.set(uri, s);
  }
  return s;
}

async function validate(uri: string): Promise<void> {
  const doc = documents.get(uri);
  if (!doc) return;
  const settings = await settingsFor(uri);
  const current = documents.get(uri);
  if (!current || current.version !== doc.version) return;
  const started = performance.now();
  const diagnostics = guarded('validation', [] as MlprojectDiagnostic[], () => diagnosticsOf(current, settings));
  validationCost.set(uri, performance.now() - started);
  await connection.sendDiagnostics({ uri, version: current.version, diagnostics });
}

function scheduleValidation(uri: string): void {
  const cost = validationCost.get(uri) ?? 0;
  const previous = pendingValidation.get(uri);
  if (previous && cost < SLOW_VALIDATION_MS) return;
  if (previous) clearTimeout(previous);
  const delay = cost < SLOW_VALIDATION_MS ? 0 : Math.min(MAX_DEBOUNCE_MS, Math.round(cost));
  pendingValidation.set(
    uri,
    setTimeout(() => {
      pendingValidation.delete(uri);
      validate(uri).catch((e: unknown) => log('Publishing diagnostics failed', e));
    }, delay),
  );
}

function revalidateAll(): void {
  configurationGeneration++;
  settingsCache.clear();
  for (const doc of documents.all()) scheduleValidation(doc.uri);
}

function documentOr404(uri: string): TextDocument {
  const open = documents.get(uri);
  if (open) return open;
  // The extension may ask about an MLproject that is not open in an editor.
  if (uri.startsWith('file:')) {
    let text: ReturnType<typeof readRegularFile>;
    try {
      text = readRegularFile(fileURLToPath(uri), MAX_READ_BYTES);
    } catch {
      text = undefined;
    }
    if (typeof text === 'string') return TextDocument.create(uri, 'mlproject', 0, text);
    if (text) throw new ResponseError(ErrorCodes.InvalidParams, `Cannot read MLproject ${uri}: it is ${text.refused}.`);
  }
  throw new ResponseError(ErrorCodes.InvalidParams, `Cannot read MLproject ${uri}`);
}

connection.onInitialize((params): InitializeResult => {
  clientPullsConfiguration = !!params.capabilities.workspace?.configuration;
  clientSupportsLinks = !!params.capabilities.textDocument?.definition?.linkSupport;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['{', ' ', ':', '/'] },
      hoverProvider: true,
      documentSymbolProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      codeLensProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'mlproject-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (clientPullsConfiguration) {
    connection.client
      .register(DidChangeConfigurationNotification.type, { section: CONFIGURATION_SECTION })
      .catch(() => undefined);
  }
});

connection.onDidChangeConfiguration((p) => {
  if (!clientPullsConfiguration) {
    const all = p.settings as { mlflow?: { mlproject?: unknown } } | null | undefined;
    pushedSettings = toSettings(all?.mlflow?.mlproject);
  }
  revalidateAll();
});
connection.onDidChangeWatchedFiles(() => {
  projectFiles.clear();
  revalidateAll();
});

documents.onDidOpen((e) => scheduleValidation(e.document.uri));
documents.onDidChangeContent((e) => scheduleValidation(e.document.uri));
documents.onDidClose((e) => {
  const pending = pendingValidation.get(e.document.uri);
  if (pending) clearTimeout(pending);
  pendingValidation.delete(e.document.uri);
  analyses.delete(e.document.uri);
  entryPointMemory.delete(e.document.uri);
  settingsCache.delete(e.document.uri);
  validationCost.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

function withModel<T>(uri: string, what: string, fallback: T, fn: (model: MlprojectModel, doc: TextDocument) => T): T {
  const doc = documents.get(uri);
  if (!doc) return fallback;
  return guarded(what, fallback, () => fn(analysisOf(doc).model, doc));
}

connection.onCompletion((p) =>
  withModel(p.textDocument.uri, 'completion', [], (m) =>
    completeMlproject(m, m.lines.offsetAt(p.position), contextFor(p.textDocument.uri)),
  ),
);

connection.onHover((p) =>
  withModel(p.textDocument.uri, 'hover', null, (m) => hoverMlproject(m, m.lines.offsetAt(p.position))),
);

connection.onDocumentSymbol((p) => withModel(p.textDocument.uri, 'document symbols', [], (m) => documentSymbols(m)));

connection.onDefinition((p) =>
  withModel(p.textDocument.uri, 'definition', null, (m): Location[] | LocationLink[] | null => {
    const target = findDefinition(m, m.lines.offsetAt(p.position), contextFor(p.textDocument.uri));
    if (!target) return null;
    const origin = m.lines.rangeOf(target.originRange);
    const uri = target.kind === 'document' ? p.textDocument.uri : pathToFileURL(target.path).toString();
    const range =
      target.kind === 'document'
        ? m.lines.rangeOf(target.range)
        : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (clientSupportsLinks)
      return [{ originSelectionRange: origin, targetUri: uri, targetRange: range, targetSelectionRange: range }];
    return [{ uri, range }];
  }),
);

connection.onReferences((p) =>
  withModel(p.textDocument.uri, 'references', null, (m) => {
    const refs = parameterReferences(m, m.lines.offsetAt(p.position), p.context.includeDeclaration);
    return refs ? refs.map((r) => ({ uri: p.textDocument.uri, range: m.lines.rangeOf(r) })) : null;
  }),
);

function renameFailure(e: unknown): never {
  if (e instanceof RenameError) throw new ResponseError(ErrorCodes.InvalidRequest, e.message);
  throw e;
}

connection.onPrepareRename((p) =>
  withModel(p.textDocument.uri, 'prepare rename', null, (m) => {
    try {
      const r = prepareRename(m, m.lines.offsetAt(p.position));
      return r ? { range: m.lines.rangeOf(r.range), placeholder: r.placeholder } : null;
    } catch (e) {
      return renameFailure(e);
    }
  }),
);

connection.onRenameRequest((p) =>
  withModel(p.textDocument.uri, 'rename', null, (m) => {
    try {
      const edits = renameParameter(m, m.lines.offsetAt(p.position), p.newName);
      return edits ? { changes: { [p.textDocument.uri]: edits } } : null;
    } catch (e) {
      return renameFailure(e);
    }
  }),
);

connection.onCodeAction(async (p) => {
  const doc = documents.get(p.textDocument.uri);
  if (!doc) return [];
  const settings = await settingsFor(p.textDocument.uri);
  return guarded('code actions', [] as CodeAction[], () => {
    const diagnostics = diagnosticsOf(doc, settings);
    const ours = p.context.diagnostics.filter((d) => d.source === 'MLproject');
    return quickFixes(
      diagnostics,
      p.range,
      ours.length
        ? ours.map((d) => ({ ...(d.code !== undefined ? { code: d.code } : {}), range: d.range }))
        : undefined,
    ).map((f): CodeAction => ({
      title: f.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [f.diagnostic],
      isPreferred: f.preferred,
      edit: { changes: { [p.textDocument.uri]: f.edits } },
    }));
  });
});

connection.onCodeLens((p) =>
  withModel(p.textDocument.uri, 'code lenses', [], (m) => codeLenses(m, p.textDocument.uri)),
);

const requests = mlflowRequests(RequestType);

connection.onRequest(requests.entryPoints, async (p) => {
  const doc = documentOr404(p.uri);
  const settings = await settingsFor(p.uri);
  return guarded(
    'entry points',
    {
      projectDir: null,
      entryPoints: [],
      hasErrors: true,
      errors: ['Internal error; see the MLproject language server log.'],
    },
    () => {
      const model = documents.get(p.uri) ? analysisOf(doc).model : buildMlprojectModel(doc.getText());
      const diagnostics = documents.get(p.uri)
        ? diagnosticsOf(doc, settings)
        : validateModel(model, contextFor(p.uri), settings);
      return describeEntryPoints(model, diagnostics, contextFor(p.uri).projectDir ?? null);
    },
  );
});

connection.onRequest(requests.renderCommand, async (p) => {
  const doc = documentOr404(p.uri);
  const settings = await settingsFor(p.uri);
  return guarded<RenderCommandResult>(
    'render command',
    { error: 'Internal error; see the MLproject language server log.' },
    () => {
      const open = !!documents.get(p.uri);
      const model = open ? analysisOf(doc).model : buildMlprojectModel(doc.getText());
      const ctx = contextFor(p.uri);
      const diagnostics = open ? diagnosticsOf(doc, settings) : validateModel(model, ctx, settings);
      const values =
        p.values && typeof p.values === 'object'
          ? Object.fromEntries(Object.entries(p.values).map(([k, v]) => [k, String(v)]))
          : {};
      return renderEntryPointCommand(
        model,
        diagnostics,
        String(p.entryPoint),
        values,
        ctx,
        process.env.SHELL ? { shell: process.env.SHELL } : {},
      );
    },
  );
});

process.on('uncaughtException', (e) => log('Uncaught exception in the MLproject language server', e));
process.on('unhandledRejection', (e) => log('Unhandled rejection in the MLproject language server', e));

documents.listen(connection);
connection.listen();
