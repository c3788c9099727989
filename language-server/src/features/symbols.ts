// Outline: name, environment keys (docker_env with its image/volumes/environment), and each entry
// point with its parameters and command.
import type { DocumentSymbol, SymbolKind } from 'vscode-languageserver-types';
import { entryRange, type MlprojectModel } from '../model/mlprojectModel.ts';
import { keyName, pyStr, type PyEntry } from '../python/pythonValues.ts';
import type { OffsetRange } from '../text/textPositions.ts';

// LSP SymbolKind values.
const Kind = {
  File: 1,
  Module: 2,
  Namespace: 3,
  Package: 4,
  Property: 7,
  Function: 12,
  Variable: 13,
  String: 15,
  Object: 19,
} as const;

function short(s: string, max = 60): string {
  const one = s
    .slice(0, max * 4)
    .replace(/\s+/g, ' ')
    .trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function render(e: PyEntry): string {
  try {
    return short(pyStr(e.value, 200));
  } catch {
    return '';
  }
}

export function documentSymbols(model: MlprojectModel): DocumentSymbol[] {
  const root = model.root;
  if (!root) return [];
  const lines = model.lines;
  const sym = (
    name: string,
    kind: SymbolKind,
    full: OffsetRange,
    selection: OffsetRange,
    detail?: string,
    children?: DocumentSymbol[],
  ): DocumentSymbol => {
    const start = Math.min(full.start, selection.start);
    const end = Math.max(full.end, selection.end);
    const s: DocumentSymbol = {
      name: name === '' ? '""' : name,
      kind,
      range: lines.rangeOf({ start, end }),
      selectionRange: lines.rangeOf(selection),
    };
    if (detail) s.detail = detail;
    if (children) s.children = children;
    return s;
  };
  const span = (e: PyEntry): OffsetRange => ({
    start: entryRange(e).start,
    end: Math.max(entryRange(e).end, e.value.range.end),
  });
  const out: DocumentSymbol[] = [];
  for (const e of root.entries) {
    const k = keyName(e.key);
    if (k === 'entry_points') {
      const children = model.entryPoints.map((ep) => {
        const params = ep.parameters.map((p) =>
          sym(
            p.name,
            Kind.Variable,
            { start: p.keyRange.start, end: Math.max(p.keyRange.end, p.value.range.end) },
            p.keyRange,
            p.required ? `${p.type} (required)` : `${p.type} = ${short(p.renderedDefault ?? '', 30)}`,
          ),
        );
        if (ep.commandEntry)
          params.push(
            sym('command', Kind.String, span(ep.commandEntry), entryRange(ep.commandEntry), short(ep.command ?? '')),
          );
        return sym(
          ep.name,
          Kind.Function,
          { start: ep.keyRange.start, end: Math.max(ep.keyRange.end, ep.value.range.end) },
          ep.keyRange,
          short(ep.command ?? ''),
          params,
        );
      });
      out.push(
        sym(
          k,
          Kind.Namespace,
          span(e),
          entryRange(e),
          `${model.entryPoints.length} entry point${model.entryPoints.length === 1 ? '' : 's'}`,
          children,
        ),
      );
    } else if ((k === 'docker_env' || k === 'databricks_spark_job') && e.value.kind === 'dict') {
      const children = e.value.entries.map((c) =>
        sym(keyName(c.key), Kind.Property, span(c), entryRange(c), render(c)),
      );
      out.push(
        sym(
          k,
          k === 'docker_env' ? Kind.Package : Kind.Object,
          span(e),
          entryRange(e),
          k === 'docker_env'
            ? render({ key: e.key, value: e.value.entries.find((x) => keyName(x.key) === 'image')?.value ?? e.value })
            : undefined,
          children,
        ),
      );
    } else if (k === 'python_env' || k === 'conda_env') {
      out.push(sym(k, Kind.File, span(e), entryRange(e), render(e)));
    } else {
      out.push(sym(k, Kind.Property, span(e), entryRange(e), render(e)));
    }
  }
  return out;
}
