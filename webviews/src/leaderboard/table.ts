// The leaderboard table: a plain <table> (rows as text, never HTML) with sortable headers,
// keyboard-reachable rows (Enter reveals the run, Space selects it) and a checkbox per row.
import type { Better, DirectionInfo, LeaderboardRow, LeaderboardState, SortSpec } from '../../protocol/leaderboard.ts';
import type { WireNumber } from '../../protocol/metricPoints.ts';
import { fromWireNumber } from '../../protocol/metricPoints.ts';
import { formatMetricValue } from '../../protocol/metricValue.ts';
import { h, icon, setText } from '../ui/dom.ts';

export interface TableHost {
  state(): LeaderboardState;
  experimentName(id: string): string;
  isSelected(runId: string): boolean;
  onSelect(runId: string, selected: boolean): void;
  onReveal(runId: string): void;
  /** The ranking metric's header: flip lower/higher is better. */
  onFlipBetter(): void;
  onSort(sort: SortSpec): void;
  /** Which way a metric is better, when known (colours the best value of its column). */
  direction(metricKey: string): DirectionInfo | undefined;
}

/** A metric cell: a dash where the run has no such metric. */
export function formatMetric(v: WireNumber | undefined): string {
  return v === undefined ? '—' : formatMetricValue(fromWireNumber(v));
}

interface Column {
  id: string;
  label: string;
  sort?: SortSpec['kind'] | 'ranking';
  sortKey?: string;
  numeric?: boolean;
  /** For metric columns: the value, and which way is better, to mark the best cell. */
  metric?: { value: (row: LeaderboardRow) => WireNumber | undefined; better: Better | undefined };
  cell: (row: LeaderboardRow) => string;
  title?: (row: LeaderboardRow) => string;
}

export class LeaderboardTable {
  readonly element: HTMLTableElement;
  private readonly host: TableHost;
  private rows: LeaderboardRow[] = [];

  constructor(host: TableHost) {
    this.host = host;
    this.element = h('table', { className: 'board', attrs: { 'aria-label': 'Leaderboard' } });
  }

  setRows(rows: LeaderboardRow[]): void {
    this.rows = rows;
    this.render();
  }

  render(): void {
    const state = this.host.state();
    const cols = this.columns(state);
    const head = h(
      'tr',
      {},
      h(
        'th',
        { className: 'select', attrs: { scope: 'col' } },
        h('span', { className: 'visually-hidden', text: 'Select' }),
      ),
      ...cols.map((c) => this.header(c, state)),
    );
    const bests = new Map(cols.map((c) => [c.id, bestValue(this.rows, c)]));
    const body = this.rows.map((row) => this.row(row, cols, bests));
    this.element.dataset['rows'] = String(this.rows.length);
    this.element.replaceChildren(h('thead', {}, head), h('tbody', {}, ...body));
    if (this.rows.length === 0) {
      this.element.append(
        h(
          'tbody',
          {},
          h(
            'tr',
            {},
            h('td', { className: 'empty muted', text: 'No runs match.', attrs: { colspan: String(cols.length + 1) } }),
          ),
        ),
      );
    }
  }

  private columns(state: LeaderboardState): Column[] {
    const cols: Column[] = [
      { id: 'rank', label: '#', numeric: true, cell: (r) => (r.rank === undefined ? '—' : String(r.rank)) },
      {
        id: 'run',
        label: 'Run',
        sort: 'attribute',
        sortKey: 'run_name',
        cell: (r) => r.runName,
        title: (r) => `${r.runName}\n${r.runId}`,
      },
    ];
    if (state.groupBy !== 'none')
      cols.push({
        id: 'group',
        label: state.groupBy === 'user' ? 'User (group)' : 'Model (group)',
        cell: (r) => r.group ?? '',
      });
    cols.push(
      { id: 'user', label: 'User', sort: 'attribute', sortKey: 'user_id', cell: (r) => r.userId },
      { id: 'model', label: 'Model version', cell: (r) => r.models.map((m) => `${m.name} v${m.version}`).join(', ') },
    );
    if (state.experimentIds.length > 1)
      cols.push({ id: 'experiment', label: 'Experiment', cell: (r) => this.host.experimentName(r.experimentId) });
    if (state.metricKey)
      cols.push({
        id: 'value',
        label: state.metricKey,
        sort: 'ranking',
        numeric: true,
        metric: { value: (r) => r.value, better: state.better },
        cell: (r) => formatMetric(r.value),
      });
    for (const k of state.metricColumns) {
      if (k !== state.metricKey)
        cols.push({
          id: `m:${k}`,
          label: k,
          sort: 'metric',
          sortKey: k,
          numeric: true,
          metric: { value: (r) => r.metrics[k], better: this.host.direction(k)?.better },
          cell: (r) => formatMetric(r.metrics[k]),
        });
    }
    for (const k of state.paramColumns)
      cols.push({ id: `p:${k}`, label: k, sort: 'param', sortKey: k, cell: (r) => r.params[k] ?? '' });
    cols.push({ id: 'status', label: 'Status', sort: 'attribute', sortKey: 'status', cell: (r) => r.status });
    return cols;
  }

  private header(c: Column, state: LeaderboardState): HTMLElement {
    const th = h('th', { attrs: { scope: 'col' }, className: c.numeric ? 'num' : '', dataset: { col: c.id } });
    if (!c.sort) {
      setText(th, c.label);
      return th;
    }
    let active = false;
    let descending = false;
    if (c.sort === 'ranking') {
      active = !state.sort;
      descending = state.better === 'higher';
    } else if (state.sort && state.sort.kind === c.sort && state.sort.key === c.sortKey) {
      active = true;
      descending = state.sort.descending;
    }
    if (active) th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
    const d = c.sort === 'ranking' ? this.host.direction(state.metricKey) : undefined;
    // A guess says so in the header itself; the tooltip says why. A flip makes it the user's choice.
    const guess = d !== undefined && d.guess && d.better === state.better;
    const why = d && d.better === state.better ? ` ${d.reason}` : '';
    const hint =
      c.sort === 'ranking'
        ? `Ranking metric: ${state.better} is better${guess ? ' (a guess)' : ''}.${why} Click to flip.`
        : `Sort by ${c.label}`;
    const b = h(
      'button',
      { className: 'plain sort', title: hint, attrs: { type: 'button' } },
      h('span', { className: 'label', text: c.label }),
      c.sort === 'ranking'
        ? h('span', {
            className: `direction${guess ? ' guess' : ''}`,
            text: guess ? `${state.better} is better?` : `${state.better} is better`,
          })
        : undefined,
      active ? icon(descending ? 'arrow-down' : 'arrow-up') : undefined,
    );
    if (c.sort === 'ranking') th.dataset['better'] = state.better;
    if (guess) th.dataset['guess'] = 'true';
    b.addEventListener('click', () => {
      if (c.sort === 'ranking') this.host.onFlipBetter();
      else
        this.host.onSort({
          kind: c.sort as SortSpec['kind'],
          key: c.sortKey!,
          descending: active ? !descending : c.numeric === true,
        });
    });
    th.append(b);
    return th;
  }

  private row(
    row: LeaderboardRow,
    cols: readonly Column[],
    bests: ReadonlyMap<string, number | undefined>,
  ): HTMLElement {
    const selected = this.host.isSelected(row.runId);
    const box = h('input', { attrs: { type: 'checkbox', 'aria-label': `Select ${row.runName}` } });
    box.checked = selected;
    box.addEventListener('click', (e) => e.stopPropagation());
    box.addEventListener('change', () => this.host.onSelect(row.runId, box.checked));
    const tr = h(
      'tr',
      {
        className: selected ? 'selected' : '',
        attrs: { tabindex: '0', 'aria-selected': String(selected) },
        dataset: { runId: row.runId },
        title: 'Enter: reveal in the Experiments view · Space: select',
      },
      h('td', { className: 'select' }, box),
      ...cols.map((c) => {
        const best = bests.get(c.id);
        const v = c.metric?.value(row);
        const isBest = best !== undefined && v !== undefined && fromWireNumber(v) === best;
        const title = c.title?.(row) ?? c.cell(row);
        return h('td', {
          className: `${c.numeric ? 'num' : ''}${isBest ? ' best' : ''}`,
          text: c.cell(row),
          title: isBest ? `${title} (best on this page)` : title,
          dataset: { col: c.id },
        });
      }),
    );
    tr.addEventListener('click', () => this.host.onReveal(row.runId));
    tr.addEventListener('keydown', (e) => {
      if (e.target !== tr) return;
      if (e.key === 'Enter') {
        e.preventDefault();
        this.host.onReveal(row.runId);
      } else if (e.key === ' ') {
        e.preventDefault();
        this.host.onSelect(row.runId, !this.host.isSelected(row.runId));
      }
    });
    return tr;
  }
}

/** The best value of a metric column among these rows, by its direction; none without a direction or a spread. */
function bestValue(rows: readonly LeaderboardRow[], c: Column): number | undefined {
  if (!c.metric?.better) return undefined;
  const values = rows
    .map((r) => c.metric!.value(r))
    .filter((v): v is WireNumber => v !== undefined)
    .map(fromWireNumber)
    .filter((n) => !Number.isNaN(n));
  if (values.length < 2) return undefined;
  const best = c.metric.better === 'higher' ? Math.max(...values) : Math.min(...values);
  // Every row the same: nothing stands out.
  return values.every((v) => v === best) ? undefined : best;
}
