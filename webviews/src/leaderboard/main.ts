// The leaderboard view: pick experiments and a metric, see the runs ranked by it (sorted and
// paged on the server), narrow them with an MLflow filter, choose columns, group by user or
// model, reveal a run in the tree, diff or chart the selected ones. The host does every call.
import '../ui/base.css';
import './leaderboard.css';
import type {
  Better,
  DirectionInfo,
  GroupBy,
  GroupsResult,
  LeaderboardRow,
  LeaderboardState,
  PageResult,
  SortSpec,
  StatusFilter,
} from '../../protocol/leaderboard.ts';
import {
  LeaderboardCommands,
  LeaderboardNotifications,
  LeaderboardRequests,
  PAGE_SIZES,
  TIMEOUT_SETTING,
} from '../../protocol/leaderboard.ts';
import { IpcError } from '../../protocol/ipc.ts';
import { connectToHost } from '../ui/host.ts';
import { Banners, errorText, isCancelled } from '../ui/banners.ts';
import { h, setText } from '../ui/dom.ts';
import { button, dropdown, progressRing, registerToolkit, textField } from '../ui/toolkit.ts';
import type { ToolkitButton, ToolkitDropdown } from '../ui/toolkit.ts';
import { SearchableList } from '../ui/searchableList.ts';
import { LeaderboardTable } from './table.ts';

registerToolkit();
const host = connectToHost();
const ipc = host.ipc;

class LeaderboardView {
  private state!: LeaderboardState;
  private readonly root: HTMLElement;
  private readonly experimentNames = new Map<string, string>();
  private readonly selected = new Set<string>();
  private readonly selectedNames = new Map<string, string>();
  private rows: LeaderboardRow[] = [];
  /** Page tokens of the pages before the current one (index 0: the first page, no token). */
  private tokens: (string | undefined)[] = [undefined];
  private nextToken: string | undefined;
  private offset = 0;
  private query: AbortController | undefined;
  private readonly banners = new Banners();
  /** Which way each metric is better, from the host (experiment tags, name rules, the user's flips). */
  private directions: Record<string, DirectionInfo> = {};
  private readonly status = h('span', { className: 'muted status', attrs: { 'aria-live': 'polite' } });
  private readonly busy = h('span', { className: 'busy', attrs: { hidden: '' } }, progressRing('Loading'));
  private readonly table = new LeaderboardTable({
    state: () => this.state,
    experimentName: (id) => this.experimentNames.get(id) ?? id,
    isSelected: (id) => this.selected.has(id),
    onSelect: (id, on) => this.select(id, on),
    onReveal: (id) => ipc.command(LeaderboardCommands.revealRun, { runId: id }),
    onFlipBetter: () => void this.setBetter(this.state.better === 'lower' ? 'higher' : 'lower'),
    direction: (key) => this.directions[key],
    onSort: (sort: SortSpec) => this.apply({ sort }),
  });
  private readonly pager = h('div', { className: 'pager' });
  private readonly actions = h('div', { className: 'toolbar actions' });
  private experimentList: SearchableList | undefined;
  private metricList: SearchableList | undefined;
  private paramColumns: SearchableList | undefined;
  private metricColumns: SearchableList | undefined;
  private metricSummary = h('span', { className: 'muted' });
  private experimentSummary = h('span', { className: 'muted' });
  private filterField: HTMLElement & { value: string } = textField({ placeholder: '', label: '', value: '' });
  private betterControl: ToolkitDropdown | undefined;
  private groupControl: ToolkitDropdown | undefined;
  private pageSizeControl: ToolkitDropdown | undefined;
  private statusControl: ToolkitDropdown | undefined;
  private metricDetails: HTMLDetailsElement | undefined;

  constructor(root: HTMLElement) {
    this.root = root;
    ipc.onNotification(LeaderboardNotifications.groupProgress, ({ scanned, groups }) => {
      this.status.textContent = `Scanning runs best-first: ${scanned.toLocaleString()} read, ${groups.toLocaleString()} groups so far…`;
    });
  }

  async start(): Promise<void> {
    this.root.replaceChildren(h('p', { className: 'muted', text: 'Loading experiments…' }));
    let loaded;
    try {
      loaded = await ipc.request(LeaderboardRequests.load, {});
    } catch (e) {
      this.root.replaceChildren(this.banners.element);
      this.banners.show('load', 'error', `The leaderboard could not load: ${errorText(e)}`, () => void this.start());
      return;
    }
    this.state = loaded.state;
    host.setState(this.state);
    for (const e of loaded.experiments) this.experimentNames.set(e.experimentId, e.name);
    this.root.removeAttribute('aria-busy');
    this.layout(loaded.serverName);
    if (loaded.error) {
      this.banners.show('load', 'error', loaded.error, () => void this.start());
      return;
    }
    this.experimentList!.setItems(loaded.experiments.map((e) => e.experimentId));
    await this.loadKeys();
    await this.refresh();
  }

  // ---- layout --------------------------------------------------------------------------------

  private layout(serverName: string): void {
    this.experimentList = new SearchableList({
      label: 'Experiments',
      placeholder: 'Search experiments',
      multi: true,
      selected: this.state.experimentIds,
      describe: (id) => this.experimentNames.get(id) ?? id,
      onChange: (ids) => void this.changeExperiments(ids),
    });
    this.metricList = new SearchableList({
      label: 'Ranking metric',
      placeholder: 'Search metrics',
      multi: false,
      selected: this.state.metricKey ? [this.state.metricKey] : [],
      onChange: (sel) => {
        // A newly picked metric ranks in its own direction.
        if (sel[0])
          void this.apply({
            metricKey: sel[0],
            better: this.directions[sel[0]]?.better ?? this.state.better,
            sort: undefined,
          });
      },
    });
    this.paramColumns = new SearchableList({
      label: 'Parameter columns',
      placeholder: 'Search params',
      multi: true,
      maxSelected: 50,
      selected: this.state.paramColumns,
      onChange: (sel) => void this.apply({ paramColumns: sel }),
    });
    this.metricColumns = new SearchableList({
      label: 'Metric columns',
      placeholder: 'Search metrics',
      multi: true,
      maxSelected: 50,
      selected: this.state.metricColumns,
      onChange: (sel) => void this.apply({ metricColumns: sel }),
    });

    const better = dropdown<Better>({
      label: 'Which is better',
      value: this.state.better,
      options: [
        { value: 'lower', label: 'Lower is better' },
        { value: 'higher', label: 'Higher is better' },
      ],
      onChange: (v) => void this.setBetter(v),
    });
    better.id = 'better';
    const statusFilter = dropdown<StatusFilter>({
      label: 'Statuses',
      value: this.state.statusFilter,
      options: [
        { value: 'finished', label: 'Without failed and killed runs' },
        { value: 'all', label: 'All statuses' },
      ],
      onChange: (v) => void this.apply({ statusFilter: v }),
    });
    statusFilter.id = 'status-filter';
    this.statusControl = statusFilter;
    const groupBy = dropdown<GroupBy>({
      label: 'Group by',
      value: this.state.groupBy,
      options: [
        { value: 'none', label: 'No grouping' },
        { value: 'user', label: 'Best per user' },
        { value: 'model', label: 'Best per registered model' },
      ],
      onChange: (v) => void this.apply({ groupBy: v }),
    });
    groupBy.id = 'group-by';
    const pageSize = dropdown<string>({
      label: 'Rows per page',
      value: String(this.state.pageSize),
      options: PAGE_SIZES.map((n) => ({ value: String(n), label: `${n} rows` })),
      onChange: (v) => void this.apply({ pageSize: Number(v) }),
    });
    this.filterField = textField({
      placeholder: "MLflow filter, e.g. params.lr = '0.01' and metrics.acc > 0.8",
      label: 'Filter',
      value: this.state.filter,
      icon: 'filter',
      onEnter: (v) => void this.apply({ filter: v }),
    });
    this.filterField.id = 'filter';
    const applyFilter = button({
      label: 'Apply',
      title: 'Apply the filter',
      appearance: 'primary',
      onClick: () => void this.apply({ filter: this.filterField.value }),
    });
    const clearFilter = button({
      icon: 'clear-all',
      title: 'Clear the filter',
      onClick: () => {
        this.filterField.value = '';
        void this.apply({ filter: '' });
      },
    });

    this.betterControl = better;
    this.groupControl = groupBy;
    this.pageSizeControl = pageSize;
    this.metricDetails = h(
      'details',
      { className: 'box', attrs: this.state.metricKey ? {} : { open: '' } },
      h('summary', {}, h('span', { text: 'Metric ' }), this.metricSummary),
      this.metricList.element,
    );
    const pickers = h(
      'div',
      { className: 'pickers' },
      h(
        'details',
        { className: 'box', attrs: this.state.experimentIds.length ? {} : { open: '' } },
        h('summary', {}, h('span', { text: 'Experiments ' }), this.experimentSummary),
        this.experimentList.element,
      ),
      this.metricDetails,
      h(
        'details',
        { className: 'box columns' },
        h('summary', { text: 'Columns' }),
        h('div', { className: 'column-lists' }, this.paramColumns.element, this.metricColumns.element),
      ),
    );
    this.root.replaceChildren(
      this.banners.element,
      h(
        'div',
        { className: 'toolbar' },
        h('label', { className: 'group' }, better),
        h('label', { className: 'group' }, statusFilter),
        h('label', { className: 'group' }, groupBy),
        h('label', { className: 'group' }, pageSize),
        h('span', { className: 'muted', text: serverName }),
        this.busy,
        this.status,
      ),
      h('div', { className: 'toolbar filter' }, this.filterField, applyFilter, clearFilter),
      pickers,
      this.actions,
      h('div', { className: 'table-wrap' }, this.table.element),
      this.pager,
    );
    this.updateSummaries();
    this.renderActions();
  }

  /** Brings every control in line with the state (a header click can change "better"). */
  private updateSummaries(): void {
    if (this.betterControl && this.betterControl.value !== this.state.better)
      this.betterControl.value = this.state.better;
    if (this.groupControl && this.groupControl.value !== this.state.groupBy)
      this.groupControl.value = this.state.groupBy;
    if (this.pageSizeControl && this.pageSizeControl.value !== String(this.state.pageSize))
      this.pageSizeControl.value = String(this.state.pageSize);
    if (this.statusControl && this.statusControl.value !== this.state.statusFilter)
      this.statusControl.value = this.state.statusFilter;
    const n = this.state.experimentIds.length;
    setText(
      this.experimentSummary,
      n === 0
        ? '(none picked)'
        : n === 1
          ? `(${this.experimentNames.get(this.state.experimentIds[0]!) ?? this.state.experimentIds[0]!})`
          : `(${n} picked)`,
    );
    setText(
      this.metricSummary,
      this.state.metricKey
        ? `(${this.state.metricKey}, ${this.state.better} is better${this.isGuess() ? '?' : ''})`
        : '(none picked)',
    );
  }

  private async changeExperiments(ids: string[]): Promise<void> {
    this.state = { ...this.state, experimentIds: ids };
    this.updateSummaries();
    await this.loadKeys(true);
    await this.refresh();
  }

  /** The ranking direction is a guess while it is the host's guess and the user has not flipped it. */
  private isGuess(): boolean {
    const d = this.directions[this.state.metricKey];
    return d !== undefined && d.guess && d.better === this.state.better;
  }

  /** A flip of the ranking metric's direction: ranked again, and remembered for this experiment set. */
  private async setBetter(better: Better): Promise<void> {
    const metricKey = this.state.metricKey;
    if (!(await this.apply({ better, sort: undefined })) || !metricKey) return;
    this.directions[metricKey] = { better, guess: false, reason: `You chose ${better} is better for ${metricKey}.` };
    ipc.command(LeaderboardCommands.setDirection, { metricKey, better });
    this.updateSummaries();
    this.table.render();
  }

  /** Puts every picker in line with a state read back (another experiment set's saved one). */
  private syncPickers(): void {
    this.metricList?.setSelected(this.state.metricKey ? [this.state.metricKey] : []);
    this.paramColumns?.setSelected(this.state.paramColumns);
    this.metricColumns?.setSelected(this.state.metricColumns);
    this.filterField.value = this.state.filter;
  }

  /** `switched`: the experiment set changed here, so the state it was last used with applies. */
  private async loadKeys(switched = false): Promise<void> {
    if (this.state.experimentIds.length === 0) {
      this.metricList?.setItems([]);
      return;
    }
    try {
      const keys = await ipc.request(LeaderboardRequests.keys, { experimentIds: this.state.experimentIds });
      this.directions = { ...keys.directions };
      if (switched && keys.saved) {
        this.state = { ...keys.saved, serverId: this.state.serverId, experimentIds: this.state.experimentIds };
        this.syncPickers();
      }
      this.metricList!.setItems(keys.metricKeys);
      this.paramColumns!.setItems(keys.paramKeys);
      this.metricColumns!.setItems(keys.metricKeys);
      // No metric yet, or one none of these experiments' runs logged (it would rank nothing): the
      // experiments' primary metric, ranked in its direction.
      if (!keys.metricKeys.includes(this.state.metricKey)) {
        // None (every metric ties, or only system/ metrics): the user picks one.
        const first = keys.primaryMetric ?? '';
        this.state = { ...this.state, metricKey: first, better: this.directions[first]?.better ?? this.state.better };
        if (this.state.sort?.kind === 'metric' && !keys.metricKeys.includes(this.state.sort.key))
          delete this.state.sort;
        this.metricList!.setSelected(first ? [first] : []);
        if (first && this.metricDetails) this.metricDetails.open = false;
      }
      this.updateSummaries();
    } catch (e) {
      if (!isCancelled(e))
        this.banners.show('keys', 'warning', `Metric and parameter names could not be read: ${errorText(e)}`);
    }
  }

  // ---- querying ------------------------------------------------------------------------------

  /** Runs the query with the change; commits the state only when the server accepted it. */
  private async apply(change: Partial<LeaderboardState>): Promise<boolean> {
    const next = { ...this.state, ...change };
    if ('sort' in change && change.sort === undefined) delete next.sort;
    const before = this.state;
    this.state = next;
    this.updateSummaries();
    this.table.render();
    const ok = await this.refresh();
    if (!ok) {
      // Keep the last good table and its query; the field keeps what the user typed.
      this.state = before;
      this.updateSummaries();
      this.table.render();
    }
    return ok;
  }

  private async refresh(): Promise<boolean> {
    this.tokens = [undefined];
    this.offset = 0;
    return this.loadPage(undefined, 0);
  }

  private async loadPage(pageToken: string | undefined, offset: number): Promise<boolean> {
    if (this.state.experimentIds.length === 0) {
      this.rows = [];
      this.table.setRows([]);
      this.status.textContent = 'Pick one or more experiments.';
      this.renderPager();
      this.commit();
      return true;
    }
    this.query?.abort();
    const abort = new AbortController();
    this.query = abort;
    this.busy.hidden = false;
    this.status.textContent = this.state.groupBy === 'none' ? 'Loading…' : 'Scanning runs best-first…';
    try {
      if (this.state.groupBy === 'none') {
        const res: PageResult = await ipc.request(
          LeaderboardRequests.page,
          { state: this.state, pageToken, offset },
          { signal: abort.signal },
        );
        this.rows = res.rows;
        this.offset = res.offset;
        this.nextToken = res.nextPageToken;
        this.status.textContent = res.rows.length
          ? `Runs ${(res.offset + 1).toLocaleString()}–${(res.offset + res.rows.length).toLocaleString()}`
          : '';
        this.modelWarning(res.modelError);
      } else {
        const res: GroupsResult = await ipc.request(
          LeaderboardRequests.groups,
          { state: this.state },
          { signal: abort.signal },
        );
        this.rows = res.rows;
        this.offset = 0;
        this.nextToken = undefined;
        this.status.textContent = `${res.rows.length.toLocaleString()} groups from ${res.scanned.toLocaleString()} runs${res.truncated ? ' (stopped at the scan limit; later runs are not considered)' : ''}.`;
        this.modelWarning(res.modelError);
      }
      this.banners.clear('query');
      this.markStale(false);
      this.table.setRows(this.rows);
      this.renderPager();
      this.commit();
      return true;
    } catch (e) {
      if (isCancelled(e)) return true;
      this.queryFailed(e, () => void this.loadPage(pageToken, offset));
      return false;
    } finally {
      if (this.query === abort) {
        this.query = undefined;
        this.busy.hidden = true;
      }
    }
  }

  /**
   * A query that failed leaves the last good rows on screen, marked stale, with a banner that
   * offers what fixes it: a rejected filter is edited (retrying it cannot help), a timeout is
   * given more time (the setting) or less work (a filter); only other failures offer Retry.
   */
  private queryFailed(e: unknown, retry: () => void): void {
    const editFilter = {
      label: 'Edit filter',
      icon: 'edit',
      title: 'Focus the filter field',
      onClick: () => this.filterField.focus(),
    };
    if (this.rows.length > 0) this.markStale(true);
    else this.status.textContent = '';
    if (e instanceof IpcError && e.code === 'badRequest') {
      // MLflow's own message, e.g. "Invalid clause(s) in filter string: 'OR'".
      this.banners.show('query', 'error', `MLflow rejected the query: ${errorText(e)}`, [editFilter]);
    } else if (e instanceof IpcError && e.code === 'timeout') {
      const openSettings = {
        label: 'Open Settings',
        icon: 'settings-gear',
        title: `Open the ${TIMEOUT_SETTING} setting`,
        onClick: () => ipc.command(LeaderboardCommands.openTimeoutSetting, {}),
      };
      this.banners.show(
        'query',
        'error',
        `${errorText(e)} Sorting every run of a large experiment by a metric can take the server longer: raise ${TIMEOUT_SETTING}, or add a filter (e.g. a date or a parameter) so the server has fewer runs to sort.`,
        [openSettings, editFilter],
      );
    } else this.banners.show('query', 'error', errorText(e), retry);
  }

  /** Rows from an earlier query stay readable but are visibly not the answer to the current one. */
  private markStale(stale: boolean): void {
    this.table.element.classList.toggle('stale', stale);
    if (stale) this.status.textContent = 'Showing the last results that loaded; the query above them failed.';
  }

  private renderPager(): void {
    const page = this.tokens.length;
    const prev = button({
      icon: 'chevron-left',
      label: 'Previous',
      title: 'Previous page',
      onClick: () => void this.previous(),
    });
    const next = button({ icon: 'chevron-right', label: 'Next', title: 'Next page', onClick: () => void this.next() });
    prev.disabled = page <= 1 || this.state.groupBy !== 'none';
    next.disabled = !this.nextToken || this.state.groupBy !== 'none';
    this.pager.replaceChildren(
      prev,
      h('span', { className: 'muted', text: this.state.groupBy === 'none' ? `Page ${page}` : '' }),
      next,
    );
  }

  private async next(): Promise<void> {
    if (!this.nextToken) return;
    const token = this.nextToken;
    const offset = this.offset + this.rows.length;
    if (await this.loadPage(token, offset)) this.tokens.push(token);
  }

  private async previous(): Promise<void> {
    if (this.tokens.length <= 1) return;
    const token = this.tokens[this.tokens.length - 2];
    const offset = Math.max(0, this.offset - this.state.pageSize);
    if (await this.loadPage(token, offset)) this.tokens.pop();
  }

  // ---- selection and actions -----------------------------------------------------------------

  private select(runId: string, on: boolean): void {
    if (on) {
      this.selected.add(runId);
      const row = this.rows.find((r) => r.runId === runId);
      if (row) this.selectedNames.set(runId, row.runName);
    } else {
      this.selected.delete(runId);
      this.selectedNames.delete(runId);
    }
    this.table.render();
    this.table.element.querySelector<HTMLElement>(`tr[data-run-id="${CSS.escape(runId)}"]`)?.focus();
    this.renderActions();
  }

  private renderActions(): void {
    const ids = [...this.selected];
    const diff: ToolkitButton = button({
      icon: 'diff',
      label: 'Diff selected',
      title: 'Compare the two selected runs',
      onClick: () => ipc.command(LeaderboardCommands.diffRuns, { runIds: [ids[0]!, ids[1]!] }),
    });
    diff.disabled = ids.length !== 2;
    const chart: ToolkitButton = button({
      icon: 'graph-line',
      label: 'Chart selected',
      title: 'Chart the ranking metric of the selected runs',
      onClick: () =>
        ipc.command(LeaderboardCommands.chartRuns, {
          runIds: ids.slice(0, 100),
          metricKeys: this.state.metricKey ? [this.state.metricKey] : [],
        }),
    });
    chart.disabled = ids.length === 0;
    const clear = button({
      icon: 'close',
      title: 'Clear the selection',
      onClick: () => {
        this.selected.clear();
        this.selectedNames.clear();
        this.table.render();
        this.renderActions();
      },
    });
    clear.disabled = ids.length === 0;
    const names = ids.map((id) => this.selectedNames.get(id) ?? id);
    const text =
      ids.length === 0
        ? 'Select two runs to diff them; click a row to reveal it in the Experiments view.'
        : `Selected: ${names.join(', ')}`;
    this.actions.replaceChildren(diff, chart, clear, h('span', { className: 'muted selection', text }));
  }

  // ---- state and messages --------------------------------------------------------------------

  private commit(): void {
    host.setState(this.state);
    ipc.command(LeaderboardCommands.stateChanged, this.state);
  }

  private modelWarning(error: string | undefined): void {
    if (error) this.banners.show('models', 'warning', error);
    else this.banners.clear('models');
  }
}

const root = document.getElementById('app');
if (root) void new LeaderboardView(root).start();
