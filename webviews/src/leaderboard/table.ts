// The leaderboard table: a plain <table> (rows as text, never HTML) with sortable headers,
// keyboard-reachable rows (Enter reveals the run, Space selects it) and a checkbox per row.
import type { LeaderboardRow, LeaderboardState, SortSpec } from '../../protocol/leaderboard.ts';
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
      h('th', { className: 'select', attrs: { scope: 'col' } }, h('span', { className: 'visually-hidden', text: 'Select' })),
      ...cols.map((c) => this.header(c, state)),
    );
    const body = this.rows.map((row) => this.row(row, cols));
    this.element.dataset['rows'] = String(this.rows.length);
    this.element.replaceChildren(h('thead', {}, head), h('tbody', {}, ...body));
    if (this.rows.length === 0) {
      this.element.append(h('tbody', {}, h('tr', {}, h('td', { className: 'empty muted', text: 'No runs match.', attrs: { colspan: String(cols.length + 1) } }))));
    }
  }

  private columns(state: LeaderboardState): Column[] {
    const cols: Column[] = [
      { id: 'rank', label: '#', numeric: true, cell: (r) => (r.rank === undefined ? '—' : String(r.rank)) },
      { id: 'run', label: 'Run', sort: 'attribute', sortKey: 'run_name', cell: (r) => r.runName, title: (r) => `${r.runName}\n${r.runId}` },
    ];
    if (state.groupBy !== 'none') cols.push({ id: 'group', label: state.groupBy === 'user' ? 'User (group)' : 'Model (group)', cell: (r) => r.group ?? '' });
    cols.push(
      { id: 'user', label: 'User', sort: 'attribute', sortKey: 'user_id', cell: (r) => r.userId },
      { id: 'model', label: 'Model version', cell: (r) => r.models.map((m) => `${m.name} v${m.version}`).join(', ') },
    );
    if (state.experimentIds.length > 1) cols.push({ id: 'experiment', label: 'Experiment', cell: (r) => this.host.experimentName(r.experimentId) });
    if (state.metricKey) cols.push({ id: 'value', label: state.metricKey, sort: 'ranking', numeric: true, cell: (r) => formatMetric(r.value) });
    for (const k of state.metricColumns) if (k !== state.metricKey) cols.push({ id: `m:${k}`, label: k, sort: 'metric', sortKey: k, numeric: true, cell: (r) => formatMetric(r.metrics[k]) });
    for (const k of state.paramColumns) cols.push({ id: `p:${k}`, label: k, sort: 'param', sortKey: k, cell: (r) => r.params[k] ?? '' });
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
    const hint = c.sort === 'ranking' ? `Ranking metric (${state.better} is better); click to flip` : `Sort by ${c.label}`;
    const b = h('button', { className: 'plain sort', title: hint, attrs: { type: 'button' } }, h('span', { className: 'label', text: c.label }), active ? icon(descending ? 'arrow-down' : 'arrow-up') : undefined);
    b.addEventListener('click', () => {
      if (c.sort === 'ranking') this.host.onFlipBetter();
      else this.host.onSort({ kind: c.sort as SortSpec['kind'], key: c.sortKey!, descending: active ? !descending : c.numeric === true });
    });
    th.append(b);
    return th;
  }

  private row(row: LeaderboardRow, cols: readonly Column[]): HTMLElement {
    const selected = this.host.isSelected(row.runId);
    const box = h('input', { attrs: { type: 'checkbox', 'aria-label': `Select ${row.runName}` } });
    box.checked = selected;
    box.addEventListener('click', (e) => e.stopPropagation());
    box.addEventListener('change', () => this.host.onSelect(row.runId, box.checked));
    const tr = h(
      'tr',
      { className: selected ? 'selected' : '', attrs: { tabindex: '0', 'aria-selected': String(selected) }, dataset: { runId: row.runId }, title: 'Enter: reveal in the Experiments view · Space: select' },
      h('td', { className: 'select' }, box),
      ...cols.map((c) => h('td', { className: c.numeric ? 'num' : '', text: c.cell(row), title: c.title?.(row) ?? c.cell(row), dataset: { col: c.id } })),
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
