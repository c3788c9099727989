// Per-entry-point diagnostics kept between validations of one document. Typing changes one entry
// point at a time; the others report exactly what they reported before, moved by the lines
// inserted or removed above them, so their checks need not run again. An entry point is
// identified by the text of its lines. That text determines what it reports only when nothing
// else reaches into it, so the reuse is on only for a clean load (no YAML problems: no duplicate
// keys, nothing truncated) without anchors (no alias shares nodes across entry points), with the
// same settings, line break and project directory, and while every file-system answer its checks
// relied on is still the same.
import { MAX_DIAGNOSTICS, type DiagnosticSink, type MlprojectDiagnostic } from './diagnostics.ts';
import type { EntryPointModel, MlprojectModel } from '../model/mlprojectModel.ts';
import type { ProjectContext, ProjectFiles, ValidationSettings } from '../model/projectContext.ts';
import { hasAnchors } from '../yaml/incrementalLoad.ts';
import { entryPointSegments } from '../yaml/entryPointReload.ts';
import type { PyValue } from '../python/pythonValues.ts';
import type { Position, Range, TextEdit } from 'vscode-languageserver-types';

interface Remembered {
  /** The line the entry point starts on, which `items` are positioned for. */
  line: number;
  items: MlprojectDiagnostic[];
  /** Every existence check the entry point's validation made, with its answer. */
  files: Array<[string, boolean]>;
}

interface Segment {
  text: string;
  start: Position;
  end: Position;
}

export class EntryPointDiagnostics {
  /** By the entry point's text; only the entry points of the last validation are kept. */
  private remembered = new Map<string, Remembered>();
  private conditions = '';

  /**
   * A validation pass that replays what it can, or undefined when reuse is not safe for this
   * model (then the caller validates every entry point and the memory is kept for later).
   */
  begin(
    model: MlprojectModel,
    ctx: ProjectContext,
    settings: ValidationSettings,
    eol: string,
  ): EntryPointPass | undefined {
    const loaded = model.loaded;
    const root = model.root;
    const eps = model.entryPointsEntry;
    if (!root || !eps || loaded.problems.length > 0 || loaded.syntaxBroken || model.entryPointsShape !== 'mapping')
      return undefined;
    const dict = eps.value;
    if (
      dict.kind !== 'dict' ||
      dict.flow ||
      dict.written.length !== dict.entries.length ||
      dict.entries.some((e) => e.merged)
    )
      return undefined;
    if (root.written.length !== root.entries.length || hasAnchors(root)) return undefined;
    const segs = entryPointSegments(model.text, root, eps, dict);
    if (!segs) return undefined;
    const conditions = `${settings.hintUncheckedTypes}\u0000${eol}\u0000${ctx.projectDir ?? ''}\u0000${ctx.pathSeparator ?? ''}`;
    if (conditions !== this.conditions) {
      this.remembered = new Map();
      this.conditions = conditions;
    }
    const byKey = new Map<PyValue, Segment>();
    for (const s of segs) {
      byKey.set(s.entry.key, {
        text: model.text.slice(s.start, s.end),
        start: model.lines.positionAt(s.start),
        end: model.lines.positionAt(s.end),
      });
    }
    return new EntryPointPass(this, byKey);
  }

  /** @internal the pass hands over what it used. */
  replace(next: Map<string, Remembered>): void {
    this.remembered = next;
  }

  /** @internal */
  lookup(text: string): Remembered | undefined {
    return this.remembered.get(text);
  }
}

export class EntryPointPass {
  private readonly owner: EntryPointDiagnostics;
  private readonly segments: Map<PyValue, Segment>;
  private readonly next = new Map<string, Remembered>();

  constructor(owner: EntryPointDiagnostics, segments: Map<PyValue, Segment>) {
    this.owner = owner;
    this.segments = segments;
  }

  /**
   * Adds `ep`'s diagnostics to the sink: the remembered ones when still valid, else by running
   * `check` (with a context that notes the file-system answers) and remembering the result.
   */
  check(ep: EntryPointModel, sink: DiagnosticSink, ctx: ProjectContext, check: (ctx: ProjectContext) => void): void {
    const seg = this.segments.get(ep.key);
    if (!seg) {
      check(ctx);
      return;
    }
    const line = seg.start.line;
    const old = this.owner.lookup(seg.text);
    // Below the cap the checks never saw a full sink, so they ran to the end and would again.
    if (
      old &&
      sink.items.length + old.items.length < MAX_DIAGNOSTICS &&
      old.files.every(([path, answer]) => ctx.files?.exists(path) === answer)
    ) {
      const items = old.line === line ? old.items : old.items.map((d) => shifted(d, line - old.line));
      for (const d of items) sink.items.push(d);
      this.next.set(seg.text, { line, items, files: old.files });
      return;
    }
    const before = sink.items.length;
    const dropped = sink.dropped;
    const files: Array<[string, boolean]> = [];
    const inner = ctx.files;
    const noted: ProjectFiles | undefined = inner && {
      exists: (path) => {
        const answer = inner.exists(path);
        files.push([path, answer]);
        return answer;
      },
    };
    check(noted ? { ...ctx, files: noted } : ctx);
    if (sink.dropped !== dropped || sink.items.length >= MAX_DIAGNOSTICS) return;
    const items = sink.items.slice(before);
    if (items.every((d) => within(d, seg))) this.next.set(seg.text, { line, items, files });
  }

  /** The entry points seen in this pass are what the next one can reuse. */
  finish(): void {
    this.owner.replace(this.next);
  }
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function rangeWithin(r: Range, seg: Segment): boolean {
  return before(seg.start, r.start) && before(r.end, seg.end);
}

/** Whether the diagnostic and its fixes stay inside the entry point's lines, so move with them. */
function within(d: MlprojectDiagnostic, seg: Segment): boolean {
  if (!rangeWithin(d.range, seg)) return false;
  return !d.data || d.data.fixes.every((f) => f.edits.every((e) => rangeWithin(e.range, seg)));
}

function shiftRange(r: Range, by: number): Range {
  return {
    start: { line: r.start.line + by, character: r.start.character },
    end: { line: r.end.line + by, character: r.end.character },
  };
}

function shifted(d: MlprojectDiagnostic, by: number): MlprojectDiagnostic {
  const out: MlprojectDiagnostic = { ...d, range: shiftRange(d.range, by) };
  if (d.data)
    out.data = {
      fixes: d.data.fixes.map((f) => ({
        ...f,
        edits: f.edits.map((e): TextEdit => ({ ...e, range: shiftRange(e.range, by) })),
      })),
    };
  return out;
}
