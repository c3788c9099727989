// The metric charts view: pick metrics of one or more runs and see one chart per metric. The
// extension host does every network call; this page asks it for histories over the typed
// protocol, keeps the user's choices in VS Code's webview state and tells the host about them.
import '../ui/base.css';
import './charts.css';
import type {
  ChartsState,
  HistoryResult,
  RunSummary,
  SeriesPayload,
  XAxis,
  XRange,
  YScale,
} from '../../protocol/charts.ts';
import { ChartsCommands, ChartsNotifications, ChartsRequests, MAX_CHART_METRICS } from '../../protocol/charts.ts';
import { decodePoints, isEncodedPoints } from '../../protocol/metricPoints.ts';
import { connectToHost } from '../ui/host.ts';
import { Banners, errorText, isCancelled } from '../ui/banners.ts';
import { debounce, h, setText } from '../ui/dom.ts';
import { button, dropdown, registerToolkit } from '../ui/toolkit.ts';
import { onThemeChange, readTheme } from '../ui/theme.ts';
import type { Theme } from '../ui/theme.ts';
import { SearchableList } from '../ui/searchableList.ts';
import { ChartCard } from './chartCard.ts';
import type { CardHost, CardView } from './chartCard.ts';
import { Legend } from './legend.ts';
import { assignRunStyles } from './colors.ts';
import type { RunStyle } from './colors.ts';
import { stepRangeForStepAxis, stepRangeForX, xValues } from './seriesModel.ts';

// Marks for the first-paint bench and for anyone profiling the panel (DevTools › Performance).
performance.mark('charts:script');
registerToolkit();
performance.mark('charts:toolkit');
const host = connectToHost();
const ipc = host.ipc;

class ChartsView implements CardHost {
  private state!: ChartsState;
  private runList: RunSummary[] = [];
  private readonly runMap = new Map<string, RunSummary>();
  private metricKeys: string[] = [];
  private themeValue: Theme = readTheme();
  private readonly cards = new Map<string, ChartCard>();
  private readonly root: HTMLElement;
  private readonly banners = new Banners();
  private readonly toolbar = h('div', { className: 'toolbar' });
  private readonly legend = new Legend((id) => this.toggleRun(id));
  private readonly grid = h('div', { className: 'grid', attrs: { 'aria-label': 'Charts' } });
  private readonly status = h('span', { className: 'muted status', attrs: { 'aria-live': 'polite' } });
  private picker: SearchableList | undefined;
  private pickerCount = h('span', { className: 'muted' });
  private firstPaint = false;
  private styles = new Map<string, RunStyle>();
  private readonly tellHost = debounce(() => ipc.command(ChartsCommands.stateChanged, this.state), 150);
  private readonly fetchDetail = new Map<string, ReturnType<typeof debounce<[]>>>();
  /** First history requests, sent before the page is laid out so the host starts at once. */
  private readonly early = new Map<string, { abort: AbortController; result: Promise<HistoryResult> }>();

  constructor(root: HTMLElement) {
    this.root = root;
    onThemeChange((t) => {
      this.themeValue = t;
      for (const c of this.cards.values()) c.applyTheme(t);
    });
    ipc.onNotification(ChartsNotifications.appended, ({ metricKey, series }) => this.appended(metricKey, series));
    ipc.onNotification(ChartsNotifications.runsChanged, ({ runs, metricKeys }) => this.setRuns(runs, metricKeys));
    ipc.onNotification(ChartsNotifications.showMetrics, ({ metricKeys }) =>
      this.setMetrics([...this.state.metricKeys, ...metricKeys.filter((k) => !this.state.metricKeys.includes(k))]),
    );
    window.addEventListener('beforeunload', () => this.tellHost.flush());
  }

  async start(): Promise<void> {
    this.root.replaceChildren(h('p', { className: 'muted', text: 'Loading runs…' }));
    let loaded;
    try {
      loaded = await ipc.request(ChartsRequests.load, {});
      performance.mark('charts:loaded');
    } catch (e) {
      this.root.replaceChildren(this.banners.element);
      this.banners.show('load', 'error', `The chart could not load: ${errorText(e)}`, () => void this.start());
      return;
    }
    this.state = loaded.state;
    host.setState(this.state);
    this.styles = assignRunStyles(this.state.runIds);
    if (!loaded.error) {
      for (const r of loaded.runs) this.runMap.set(r.runId, r);
      for (const metricKey of this.state.metricKeys) {
        const abort = new AbortController();
        const result = ipc.request(
          ChartsRequests.history,
          { metricKey, runIds: this.chartedRuns(), quality: 'quick' },
          { signal: abort.signal },
        );
        result.catch(() => undefined);
        this.early.set(metricKey, { abort, result });
      }
    }
    this.root.removeAttribute('aria-busy');
    this.layout(loaded.serverName);
    performance.mark('charts:layout');
    if (loaded.error) {
      this.banners.show('load', 'error', loaded.error, () => void this.start());
      return;
    }
    this.setRuns(loaded.runs, loaded.metricKeys);
    this.setMetrics(this.state.metricKeys);
  }

  // ---- CardHost ------------------------------------------------------------------------------

  theme(): Theme {
    return this.themeValue;
  }

  runs(): ReadonlyMap<string, RunSummary> {
    return this.runMap;
  }

  runOrder(): readonly string[] {
    return this.state.runIds;
  }

  runStyle(runId: string): RunStyle {
    return this.styles.get(runId) ?? { color: '#888888', dash: [] };
  }

  view(metricKey: string): CardView {
    return {
      xAxis: this.state.xAxis,
      yScale: this.state.yScale,
      smoothing: this.state.smoothing,
      hiddenRunIds: this.state.hiddenRunIds,
      zoom: this.state.zoom[metricKey],
    };
  }

  onZoom(metricKey: string, range: XRange | undefined): void {
    const zoom = { ...this.state.zoom };
    if (range) zoom[metricKey] = range;
    else delete zoom[metricKey];
    this.commit({ zoom });
    this.cards.get(metricKey)?.render();
    if (range) this.detailFetcher(metricKey)();
  }

  onRetry(metricKey: string): void {
    const card = this.cards.get(metricKey);
    if (card) void this.loadCard(card);
  }

  onRemove(metricKey: string): void {
    this.setMetrics(this.state.metricKeys.filter((k) => k !== metricKey));
  }

  onExportPng(metricKey: string, pngBase64: string): void {
    void this.run(`Saving ${metricKey} as PNG…`, async () => {
      const r = await ipc.request(ChartsRequests.exportPng, { metricKey, pngBase64 });
      return r.saved ? `Saved ${r.saved}` : '';
    });
  }

  onExportCsv(metricKey: string): void {
    const runIds = this.state.runIds.filter(
      (id) => !this.state.hiddenRunIds.includes(id) && this.runMap.get(id)?.state !== 'missing',
    );
    void this.run(`Exporting the full history of ${metricKey}…`, async () => {
      const r = await ipc.request(ChartsRequests.exportCsv, { metricKeys: [metricKey], runIds });
      return r.saved ? `Saved ${r.saved}` : '';
    });
  }

  onPainted(_metricKey: string, points: number): void {
    if (this.firstPaint) return;
    this.firstPaint = true;
    const ms = performance.now();
    performance.mark('charts:first-paint');
    document.body.dataset['firstPaintMs'] = String(Math.round(ms));
    ipc.command(ChartsCommands.painted, { ms, points });
  }

  // ---- layout --------------------------------------------------------------------------------

  private layout(serverName: string): void {
    const xAxis = dropdown<XAxis>({
      label: 'X axis',
      value: this.state.xAxis,
      options: [
        { value: 'step', label: 'Step' },
        { value: 'wallTime', label: 'Wall time' },
        { value: 'relativeTime', label: 'Relative time' },
      ],
      onChange: (v) => {
        // A zoom is in the old axis' units.
        this.commit({ xAxis: v, zoom: {} });
        this.renderAll();
      },
    });
    xAxis.id = 'x-axis';
    const yScale = dropdown<YScale>({
      label: 'Y scale',
      value: this.state.yScale,
      options: [
        { value: 'linear', label: 'Linear' },
        { value: 'log', label: 'Log' },
      ],
      onChange: (v) => {
        this.commit({ yScale: v });
        this.renderAll();
      },
    });
    yScale.id = 'y-scale';
    const smoothing = h('input', {
      attrs: { type: 'range', min: '0', max: '0.99', step: '0.01', id: 'smoothing', 'aria-label': 'Smoothing weight' },
    });
    smoothing.value = String(this.state.smoothing);
    const smoothingValue = h('output', { text: this.state.smoothing.toFixed(2), attrs: { for: 'smoothing' } });
    smoothing.addEventListener('input', () => {
      const v = Number(smoothing.value);
      smoothingValue.textContent = v.toFixed(2);
      this.commit({ smoothing: v });
      this.renderAll();
    });
    this.toolbar.replaceChildren(
      h('label', { className: 'group' }, h('span', { text: 'X axis' }), xAxis),
      h('label', { className: 'group' }, h('span', { text: 'Y scale' }), yScale),
      h('label', { className: 'group' }, h('span', { text: 'Smoothing' }), smoothing, smoothingValue),
      button({
        icon: 'refresh',
        label: 'Refresh',
        title: 'Re-read the runs and reload every chart',
        onClick: () => void this.refresh(),
      }),
      h('span', { className: 'muted', text: serverName }),
      this.status,
    );
    this.picker = new SearchableList({
      label: 'Metrics',
      placeholder: 'Search metrics',
      multi: true,
      selected: this.state.metricKeys,
      search: this.state.search,
      maxSelected: MAX_CHART_METRICS,
      onChange: (sel) => this.setMetrics(sel),
      onSearch: (text) => this.commit({ search: text }),
    });
    const pickerBox = h(
      'details',
      { className: 'picker', attrs: { open: '' } },
      h('summary', {}, h('span', { text: 'Metrics ' }), this.pickerCount),
      this.picker.element,
    );
    this.root.replaceChildren(
      this.banners.element,
      this.toolbar,
      this.legend.element,
      h('div', { className: 'body' }, pickerBox, this.grid),
    );
  }

  private setRuns(runs: RunSummary[], metricKeys: string[]): void {
    this.runList = runs;
    this.runMap.clear();
    for (const r of runs) this.runMap.set(r.runId, r);
    this.metricKeys = metricKeys;
    this.picker?.setItems(metricKeys);
    this.pickerCount.textContent = `(${metricKeys.length.toLocaleString()})`;
    this.legend.render(runs, this.state.hiddenRunIds, (id) => this.runStyle(id));
    const problems = runs.filter((r) => r.error);
    if (problems.length > 0)
      this.banners.show('runs', 'warning', problems.map((r) => r.error!).join('\n'), () => void this.refresh());
    else this.banners.clear('runs');
    this.renderAll();
  }

  private setMetrics(keys: string[]): void {
    const unique = [...new Set(keys)].slice(0, MAX_CHART_METRICS);
    const zoom = Object.fromEntries(Object.entries(this.state.zoom).filter(([k]) => unique.includes(k)));
    this.commit({ metricKeys: unique, zoom });
    this.picker?.setSelected(unique);
    for (const [k, card] of this.cards) {
      if (!unique.includes(k)) {
        card.destroy();
        this.cards.delete(k);
      }
    }
    for (const k of unique) {
      if (this.cards.has(k)) continue;
      const card = new ChartCard(k, this);
      this.cards.set(k, card);
      this.grid.append(card.element);
      card.mount();
      void this.loadCard(card);
    }
    // Keep the grid in the picked order.
    for (const k of unique) this.grid.append(this.cards.get(k)!.element);
    if (unique.length === 0)
      this.grid.replaceChildren(
        h('p', {
          className: 'muted hint',
          text: this.metricKeys.length ? 'Pick one or more metrics to chart.' : 'These runs have no metrics yet.',
        }),
      );
    else this.grid.querySelector(':scope > .hint')?.remove();
  }

  // ---- data ----------------------------------------------------------------------------------

  private chartedRuns(): string[] {
    return this.state.runIds.filter((id) => this.runMap.get(id)?.state !== 'missing');
  }

  /** Overview of every run: a preview first when the host says it is cheaper, then the full sample. */
  private async loadCard(card: ChartCard): Promise<void> {
    card.loadAbort?.abort();
    const early = this.early.get(card.metricKey);
    this.early.delete(card.metricKey);
    const abort = early?.abort ?? new AbortController();
    card.loadAbort = abort;
    card.setStatus({ kind: 'loading' });
    const runIds = this.chartedRuns();
    try {
      let res = await (early?.result ??
        ipc.request(
          ChartsRequests.history,
          { metricKey: card.metricKey, runIds, quality: 'quick' },
          { signal: abort.signal },
        ));
      performance.mark(`charts:history:${card.metricKey}`);
      this.applyOverview(card, res);
      if (!res.complete) {
        card.setStatus({ kind: 'preview', message: 'Preview of a long history; loading the server’s full sample…' });
        res = await ipc.request(
          ChartsRequests.history,
          { metricKey: card.metricKey, runIds, quality: 'full' },
          { signal: abort.signal },
        );
        this.applyOverview(card, res);
      }
      card.setStatus({ kind: 'ready' });
      if (this.state.zoom[card.metricKey]) this.detailFetcher(card.metricKey)();
    } catch (e) {
      if (isCancelled(e)) return;
      card.setStatus({
        kind: 'error',
        message: card.hasData() ? `${errorText(e)} The last data read is shown.` : errorText(e),
        retry: true,
      });
    } finally {
      if (card.loadAbort === abort) card.loadAbort = undefined;
    }
  }

  private applyOverview(card: ChartCard, res: HistoryResult): void {
    for (const s of res.series) {
      if (!isEncodedPoints(s.points)) continue;
      const pts = decodePoints(s.points);
      const last = pts.step.length ? pts.step[pts.step.length - 1]! : -Infinity;
      // Everything up to the answer's last step is replaced; live points past it are kept.
      card.merge(s.runId, pts, -Infinity, pts.step.length ? last : Infinity);
    }
    card.render();
  }

  /** After a zoom: the server's sample of just the visible steps, for finer detail. */
  private detailFetcher(metricKey: string): () => void {
    let f = this.fetchDetail.get(metricKey);
    if (!f) {
      f = debounce(() => void this.loadDetail(metricKey), 250);
      this.fetchDetail.set(metricKey, f);
    }
    return f;
  }

  private async loadDetail(metricKey: string): Promise<void> {
    const card = this.cards.get(metricKey);
    const zoom = this.state.zoom[metricKey];
    if (!card || !zoom) return;
    const runIds = this.chartedRuns().filter((id) => !this.state.hiddenRunIds.includes(id));
    let range = this.state.xAxis === 'step' ? stepRangeForStepAxis(zoom) : undefined;
    if (!range) {
      // A time range maps to the steps held inside it, over all runs.
      let lo = Infinity;
      let hi = -Infinity;
      for (const id of runIds) {
        const p = card.heldPoints(id);
        if (!p) continue;
        const r = stepRangeForX(p, xValues(p, this.state.xAxis, this.runMap.get(id)?.startTime), zoom);
        if (r) {
          lo = Math.min(lo, r.startStep);
          hi = Math.max(hi, r.endStep);
        }
      }
      if (!Number.isFinite(lo)) return;
      range = { startStep: lo, endStep: hi };
    }
    card.detailAbort?.abort();
    const abort = new AbortController();
    card.detailAbort = abort;
    try {
      const res = await ipc.request(
        ChartsRequests.history,
        { metricKey, runIds, quality: 'full', range },
        { signal: abort.signal },
      );
      for (const s of res.series)
        if (isEncodedPoints(s.points)) card.merge(s.runId, decodePoints(s.points), range.startStep, range.endStep);
      card.render();
    } catch (e) {
      if (!isCancelled(e))
        card.setStatus({
          kind: 'error',
          message: `Finer data for the zoomed range could not load: ${errorText(e)}`,
          retry: true,
        });
    } finally {
      if (card.detailAbort === abort) card.detailAbort = undefined;
    }
  }

  private appended(metricKey: string, series: SeriesPayload[]): void {
    const card = this.cards.get(metricKey);
    if (!card) return;
    for (const s of series) {
      if (!isEncodedPoints(s.points)) continue;
      const pts = decodePoints(s.points);
      if (pts.step.length === 0) continue;
      card.merge(s.runId, pts, pts.step[0]!, Infinity);
    }
    card.render();
  }

  private async refresh(): Promise<void> {
    await this.run('Re-reading runs…', async () => {
      const res = await ipc.request(ChartsRequests.refreshRuns, {});
      this.setRuns(res.runs, res.metricKeys);
      for (const card of this.cards.values()) void this.loadCard(card);
      return '';
    });
  }

  // ---- state ---------------------------------------------------------------------------------

  private commit(change: Partial<ChartsState>): void {
    this.state = { ...this.state, ...change };
    host.setState(this.state);
    this.tellHost();
  }

  private toggleRun(runId: string): void {
    const hidden = this.state.hiddenRunIds.includes(runId)
      ? this.state.hiddenRunIds.filter((id) => id !== runId)
      : [...this.state.hiddenRunIds, runId];
    this.commit({ hiddenRunIds: hidden });
    this.legend.render(this.runList, hidden, (id) => this.runStyle(id));
    // Keep keyboard focus on the toggled button after the legend re-renders.
    this.legend.element.querySelector<HTMLElement>(`[data-run-id="${CSS.escape(runId)}"]`)?.focus();
    this.renderAll();
  }

  private renderAll(): void {
    for (const c of this.cards.values()) c.render();
  }

  // ---- messages ------------------------------------------------------------------------------

  private async run(busy: string, fn: () => Promise<string>): Promise<void> {
    this.status.textContent = busy;
    try {
      setText(this.status, await fn());
    } catch (e) {
      this.status.textContent = '';
      if (!isCancelled(e)) this.banners.show('action', 'error', errorText(e));
    }
  }
}

const root = document.getElementById('app');
if (root) void new ChartsView(root).start();
