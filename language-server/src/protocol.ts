// The contract between the extension and the MLproject language server: custom requests, the
// commands code lenses invoke, and the settings section the server pulls. Types, string constants
// and one function, so both sides can import it without pulling in a runtime.
import type { RequestType } from 'vscode-jsonrpc';
import type { Range } from 'vscode-languageserver-types';

/** Settings section read with `workspace/configuration`. */
export const CONFIGURATION_SECTION = 'mlflow.mlproject';

/** Commands the code lenses carry; the extension registers them. */
export const RUN_ENTRY_POINT_COMMAND = 'mlflow.runEntryPoint';
export const RUN_ENTRY_POINT_WITH_PARAMETERS_COMMAND = 'mlflow.runEntryPointWithParameters';

/** The single argument of both lens commands. */
export interface RunEntryPointArguments {
  uri: string;
  entryPoint: string;
}

/** The custom requests, each typed with its parameters and result. */
export interface MlflowRequests {
  entryPoints: RequestType<EntryPointsParams, EntryPointsResult, void>;
  renderCommand: RequestType<RenderCommandParams, RenderCommandResult, void>;
}

/**
 * Builds the requests with the `RequestType` class of the side that sends or handles them. Each
 * side needs its own: the extension's vscode-jsonrpc is inside the lazily loaded
 * dist/language-client.js, and a RequestType made by another copy is refused when sent (the
 * copy compares parameter structures by identity: "Unknown parameter structure auto"). Making
 * them here instead would also put vscode-jsonrpc (~54 kB) into what activation loads.
 */
export function mlflowRequests(requestType: typeof RequestType): MlflowRequests {
  return {
    entryPoints: new requestType<EntryPointsParams, EntryPointsResult, void>('mlflow/entryPoints'),
    renderCommand: new requestType<RenderCommandParams, RenderCommandResult, void>('mlflow/renderCommand'),
  };
}

// ---------------------------------------------------------------------------------------------
// mlflow/entryPoints: the entry points of an MLproject, as MLflow would load them.

interface EntryPointsParams {
  /** URI of an MLproject document (open or on disk). */
  uri: string;
}

interface EntryPointParameter {
  name: string;
  /** str(type) as MLflow sees it; `string` when not given. */
  type: string;
  /** str(default) as MLflow renders it (`yes` → `True`, `010` → `8`); null when required. */
  default: string | null;
  required: boolean;
}

export interface EntryPointInfo {
  name: string;
  /** The command template; null when missing or not a string. */
  command: string | null;
  parameters: EntryPointParameter[];
  /** Range of the entry point's name in the document. */
  range: Range;
}

export interface EntryPointsResult {
  /** Directory `mlflow run` should run in; null when the URI is not a file. */
  projectDir: string | null;
  entryPoints: EntryPointInfo[];
  /** The document has Error diagnostics, i.e. `mlflow run` would refuse it. */
  hasErrors: boolean;
  /** Messages of those errors, in document order. */
  errors: string[];
}

// ---------------------------------------------------------------------------------------------
// mlflow/renderCommand: the exact shell command `mlflow run -e <entryPoint> -P k=v …` would run
// (before any environment activation prefix), or the error MLflow would stop with.

interface RenderCommandParams {
  uri: string;
  entryPoint: string;
  /** The `-P name=value` pairs, in order. */
  values: Record<string, string>;
}

export type RenderCommandResult =
  | {
      command: string;
      /** What the command does not show, e.g. that a `path` URI is downloaded first. */
      notes?: string[];
      /**
       * Values the shell would expand or split because the template quotes their placeholder
       * (MLflow quotes each value itself); the launcher asks before running.
       */
      warnings?: string[];
    }
  | { error: string };
