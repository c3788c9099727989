// One chart: a metric's series for every shown run, drawn by chart.js on a canvas. It holds the
// points fetched so far per run, reduces them to the plot's pixel width on every draw, and
// implements zoom (drag a range, wheel, keys) and pan (shift-drag, arrow keys) on the x scale
// itself. All text on it (run names in tooltips) is drawn on the canvas, never as HTML.
import { Chart, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip } from 'chart.js';
import type { ChartDataset, TooltipItem } from 'chart.js';
import type { RunSummary, XAxis, XRange, YScale } from '../../protocol/charts.ts';
import type { Points } from '../../protocol/metricPoints.ts';
import { escapeHidden } from '../../protocol/displayText.ts';
import { h, icon, perFrame, setText } from '../ui/dom.ts';
import { button } from '../ui/toolkit.ts';
import type { Theme } from '../ui/theme.ts';
import { withAlpha } from './colors.ts';
import type { RunStyle } from './colors.ts';
import type { PlotPoint } from './seriesModel.ts';
import { extentOf, mergeRange, prepareSeries, xValues } from './seriesModel.ts';
import { clampRange, isFullRange, pan, selectionRange, zoomAt } from './zoomMath.ts';
import { formatX } from './format.ts';
import { formatMetricValue } from '../../protocol/metricValue.ts';

/** Significant digits on a y-axis tick: enough to tell ticks apart, few enough to keep the axis narrow. */
const TICK_DIGITS = 4;

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip);

export interface CardView {
  xAxis: XAxis;
  yScale: YScale;
  smoothing: number;
  hiddenRunIds: readonly string[];
  zoom: XRange | undefined;
}

export interface CardHost {
  theme(): Theme;
  runs(): ReadonlyMap<string, RunSummary>;
  /** Run order of the legend. */
  runOrder(): readonly string[];
  /** The run's colour and dash, the same in every chart of the panel and in the legend. */
  runStyle(runId: string): RunStyle;
  view(metricKey: string): CardView;
  /** The user zoomed or panned (undefined: back to everything). */
  onZoom(metricKey: string, range: XRange | undefined): void;
  onRetry(metricKey: string): void;
  onRemove(metricKey: string): void;
  onExportPng(metricKey: string, pngBase64: string): void;
  onExportCsv(metricKey: string): void;
  /** Called after each draw with the number of points drawn. */
  onPainted(metricKey: string, points: number): void;
}

export type CardStatus =
  | { kind: 'loading' }
  | { kind: 'preview'; message: string }
  | { kind: 'ready' }
  | { kind: 'error'; message: string; retry: boolean };

/** What a card publishes on its `data-series` attribute, for tests and tooling to read. */
export interface SeriesSummary {
  runId: string;
  name: string;
  held: number;
  drawn: number;
  hidden: boolean;
  smoothed: boolean;
}

type Dataset = ChartDataset<'line', PlotPoint[]> & { runId: string; smoothedLine: boolean };

export class ChartCard {
  readonly element: HTMLElement;
  readonly metricKey: string;
  private readonly host: CardHost;
  private readonly held = new Map<string, Points>();
  private chart: Chart<'line', PlotPoint[]> | undefined;
  private readonly canvas: HTMLCanvasElement;
  private readonly plot: HTMLElement;
  private readonly selection: HTMLElement;
  private readonly notes: HTMLElement;
  private readonly statusLine: HTMLElement;
  private readonly empty: HTMLElement;
  private status: CardStatus = { kind: 'loading' };
  /** A pan in progress: drawn live, committed on release. */
  private liveRange: XRange | undefined;
  private drag: { mode: 'select' | 'pan'; startPx: number; range: XRange | undefined } | undefined;
  private paints = 0;
  readonly render: () => void;
  /** Set by the view while a request for this card is in flight. */
  loadAbort: AbortController | undefined;
  detailAbort: AbortController | undefined;

  constructor(metricKey: string, host: CardHost) {
    this.metricKey = metricKey;
    this.host = host;
    this.render = perFrame(() => this.draw());
    this.canvas = h('canvas', { attrs: { 'aria-hidden': 'true' } });
    this.selection = h('div', { className: 'zoom-selection', attrs: { hidden: '' } });
    this.empty = h('div', { className: 'plot-empty muted', attrs: { hidden: '' } });
    this.plot = h(
      'div',
      {
        className: 'plot',
        attrs: {
          tabindex: '0',
          role: 'img',
          'aria-roledescription': 'chart',
          'aria-label': `Chart of ${metricKey}. Drag to zoom, Shift+drag or arrow keys to pan, + and - to zoom, 0 to reset.`,
        },
      },
      this.canvas,
      this.selection,
      this.empty,
    );
    this.notes = h('div', { className: 'notes muted', attrs: { 'aria-live': 'polite' } });
    this.statusLine = h('div', { className: 'card-status', attrs: { 'aria-live': 'polite' } });
    const title = h('h2', { className: 'card-title', text: metricKey, title: metricKey });
    const actions = h(
      'div',
      { className: 'card-actions' },
      button({ icon: 'zoom-out', title: 'Reset zoom (0)', onClick: () => this.resetZoom() }),
      button({ icon: 'device-camera', title: 'Export chart as PNG', onClick: () => this.exportPng() }),
      button({ icon: 'export', title: 'Export full history as CSV', onClick: () => host.onExportCsv(metricKey) }),
      button({ icon: 'close', title: `Remove ${metricKey}`, onClick: () => host.onRemove(metricKey) }),
    );
    this.element = h(
      'section',
      { className: 'card', dataset: { metric: metricKey, state: 'loading', painted: '0' } },
      h('header', { className: 'card-header' }, title, actions),
      this.statusLine,
      this.plot,
      this.notes,
    );
    this.attachInteractions();
  }

  /** Creates the chart once the card is in the document (chart.js measures its parent). */
  mount(): void {
    if (this.chart) return;
    const theme = this.host.theme();
    this.chart = new Chart<'line', PlotPoint[]>(this.canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        elements: { line: { borderWidth: 1.5, tension: 0 }, point: { radius: 0, hitRadius: 6, hoverRadius: 3 } },
        scales: { x: { type: 'linear' }, y: { type: 'linear' } },
        plugins: { tooltip: this.tooltipOptions(theme) },
        // Re-reduce to the new width when the plot resizes (narrow editors, split views).
        onResize: () => this.render(),
      },
    });
    this.render();
  }

  destroy(): void {
    this.loadAbort?.abort();
    this.detailAbort?.abort();
    this.chart?.destroy();
    this.chart = undefined;
    this.element.remove();
  }

  // ---- data ----------------------------------------------------------------------------------

  /** Merges fetched points of a run into what is held, replacing the step range [lo, hi]. */
  merge(runId: string, incoming: Points, lo: number, hi: number): void {
    const held = this.held.get(runId) ?? { step: [], timestamp: [], value: [] };
    this.held.set(runId, mergeRange(held, incoming, lo, hi));
  }

  heldPoints(runId: string): Points | undefined {
    return this.held.get(runId);
  }

  hasData(): boolean {
    for (const p of this.held.values()) if (p.step.length > 0) return true;
    return false;
  }

  setStatus(status: CardStatus): void {
    this.status = status;
    this.element.dataset['state'] = status.kind;
    this.statusLine.replaceChildren();
    this.statusLine.className = `card-status ${status.kind}`;
    if (status.kind === 'loading') this.statusLine.append(icon('loading codicon-modifier-spin'), ' Loading…');
    else if (status.kind === 'preview')
      this.statusLine.append(icon('loading codicon-modifier-spin'), ` ${status.message}`);
    else if (status.kind === 'error') {
      this.statusLine.append(icon('error'), h('span', { className: 'message', text: ` ${status.message}` }));
      if (status.retry)
        this.statusLine.append(
          button({
            label: 'Retry',
            icon: 'refresh',
            title: `Retry loading ${this.metricKey}`,
            onClick: () => this.host.onRetry(this.metricKey),
          }),
        );
    }
    this.render();
  }

  // ---- drawing -------------------------------------------------------------------------------

  /** The theme is read on every draw; a theme switch only needs one. */
  applyTheme(_theme: Theme): void {
    this.render();
  }

  private tooltipOptions(theme: Theme) {
    return {
      backgroundColor: theme.hoverBackground,
      titleColor: theme.hoverForeground,
      bodyColor: theme.hoverForeground,
      borderColor: theme.hoverBorder,
      borderWidth: 1,
      titleFont: { family: theme.fontFamily },
      bodyFont: { family: theme.fontFamily },
      // Chart.js draws tooltips on the canvas; these callbacks return plain strings.
      callbacks: {
        title: (items: TooltipItem<'line'>[]) => this.tooltipTitle(items),
        label: (item: TooltipItem<'line'>) => this.tooltipLabel(item),
      },
    };
  }

  private currentRange(view: CardView): XRange | undefined {
    return this.liveRange ?? view.zoom;
  }

  private draw(): void {
    const c = this.chart;
    if (!c) return;
    const view = this.host.view(this.metricKey);
    const runs = this.host.runs();
    const theme = this.host.theme();
    const width = Math.max(
      50,
      Math.floor(c.chartArea ? c.chartArea.right - c.chartArea.left : this.plot.clientWidth || 400),
    );
    const range = this.currentRange(view);
    const datasets: Dataset[] = [];
    const summaries: SeriesSummary[] = [];
    let dropped = 0;
    let nonFinite = 0;
    let drawnTotal = 0;
    const lineWidth = theme.kind.startsWith('high-contrast') ? 2.5 : 1.5;
    for (const runId of this.host.runOrder()) {
      const points = this.held.get(runId);
      if (!points) continue;
      const run = runs.get(runId);
      const hidden = view.hiddenRunIds.includes(runId);
      // Drawn on the canvas (tooltips), where a bidi override would reorder the text too.
      const name = escapeHidden(run?.name ?? runId);
      const summary: SeriesSummary = { runId, name, held: points.step.length, drawn: 0, hidden, smoothed: false };
      summaries.push(summary);
      if (hidden || points.step.length === 0) continue;
      const prep = prepareSeries(points, {
        axis: view.xAxis,
        yScale: view.yScale,
        smoothing: view.smoothing,
        runStart: run?.startTime,
        view: range,
        budget: width,
      });
      summary.drawn = prep.drawn;
      summary.smoothed = prep.smoothed !== undefined;
      dropped += prep.droppedNonPositive;
      nonFinite += prep.nonFinite;
      drawnTotal += prep.drawn;
      const { color, dash } = this.host.runStyle(runId);
      const pointRadius = prep.single ? 3 : isolatedRadii(prep.raw);
      datasets.push({
        runId,
        smoothedLine: false,
        label: name,
        data: prep.raw,
        borderColor: prep.smoothed ? withAlpha(color, 0.3) : color,
        backgroundColor: prep.smoothed ? withAlpha(color, 0.3) : color,
        borderWidth: prep.smoothed ? 1 : lineWidth,
        borderDash: dash,
        pointRadius,
        order: 2,
      });
      if (prep.smoothed) {
        datasets.push({
          runId,
          smoothedLine: true,
          label: `${name} (smoothed)`,
          data: prep.smoothed,
          borderColor: color,
          backgroundColor: color,
          borderWidth: lineWidth,
          borderDash: dash,
          pointRadius: prep.single ? 3 : 0,
          order: 1,
        });
      }
    }
    const extent = this.extent(view);
    const min = range?.min ?? extent?.min;
    const max = range?.max ?? extent?.max;
    const span = min !== undefined && max !== undefined ? max - min : 0;
    // Options are replaced whole on every draw (chart.js option objects are proxies; patching
    // them piecemeal loses callbacks), with the theme's colours and font read just now.
    const font = { family: theme.fontFamily, size: Math.max(10, theme.fontSize - 1) };
    const grid = { color: theme.grid };
    const border = { color: theme.grid };
    c.options.scales = {
      x: {
        type: 'linear',
        min,
        max,
        grid,
        border,
        ticks: {
          color: theme.mutedForeground,
          font,
          maxRotation: 0,
          callback: (v: string | number) => (typeof v === 'number' ? formatX(v, view.xAxis, span) : String(v)),
        },
      },
      y: {
        type: view.yScale === 'log' ? 'logarithmic' : 'linear',
        grid,
        border,
        ticks: {
          color: theme.mutedForeground,
          font,
          callback: (v: string | number) => (typeof v === 'number' ? formatMetricValue(v, TICK_DIGITS) : String(v)),
        },
      },
    };
    c.options.plugins = { tooltip: this.tooltipOptions(theme) };
    c.data.datasets = datasets;
    c.update('none');

    this.element.dataset['series'] = JSON.stringify(summaries);
    this.element.dataset['xAxis'] = view.xAxis;
    this.element.dataset['yScale'] = view.yScale;
    this.element.dataset['zoomed'] = range ? 'true' : 'false';
    this.updateNotes(view, dropped, nonFinite, summaries);
    if (drawnTotal > 0) {
      this.paints++;
      this.element.dataset['painted'] = String(this.paints);
      this.host.onPainted(this.metricKey, drawnTotal);
    }
  }

  private updateNotes(view: CardView, dropped: number, nonFinite: number, summaries: readonly SeriesSummary[]): void {
    const notes: string[] = [];
    if (dropped > 0)
      notes.push(
        `${dropped.toLocaleString()} value${dropped === 1 ? ' is' : 's are'} zero or negative and cannot be shown on a log scale; they are left out.`,
      );
    if (nonFinite > 0)
      notes.push(
        `${nonFinite.toLocaleString()} NaN or infinite value${nonFinite === 1 ? ' is' : 's are'} drawn as a gap.`,
      );
    const without = summaries.filter((s) => s.held === 0).map((s) => s.name);
    if (without.length > 0 && this.status.kind !== 'loading')
      notes.push(`Not logged by ${without.length === 1 ? without[0]! : `${without.length} runs`}.`);
    setText(this.notes, notes.join(' '));
    const visible = summaries.some((s) => !s.hidden && s.drawn > 0);
    this.empty.hidden = visible || this.status.kind === 'loading';
    if (!visible) {
      setText(
        this.empty,
        summaries.every((s) => s.held === 0)
          ? `No run here logged “${this.metricKey}”.`
          : summaries.every((s) => s.hidden || s.held === 0)
            ? 'Every run with this metric is hidden; toggle one in the legend.'
            : view.yScale === 'log'
              ? 'No value above zero to show on a log scale.'
              : 'Nothing to draw in this range.',
      );
    }
  }

  private extent(view: CardView): XRange | undefined {
    const runs = this.host.runs();
    const all: number[][] = [];
    for (const [runId, p] of this.held) {
      if (view.hiddenRunIds.includes(runId)) continue;
      const xs = xValues(p, view.xAxis, runs.get(runId)?.startTime);
      if (xs.length) all.push(sampleEnds(xs));
    }
    return extentOf(all);
  }

  private tooltipTitle(items: TooltipItem<'line'>[]): string {
    const first = items[0];
    if (!first) return '';
    const raw = first.raw as PlotPoint;
    const view = this.host.view(this.metricKey);
    if (view.xAxis === 'step') return `Step ${raw.step.toLocaleString()}`;
    return formatX(raw.x, view.xAxis, 0, true);
  }

  private tooltipLabel(item: TooltipItem<'line'>): string {
    const ds = item.dataset as Dataset;
    const raw = item.raw as PlotPoint;
    const name = escapeHidden(this.host.runs().get(ds.runId)?.name ?? ds.runId);
    const view = this.host.view(this.metricKey);
    const step = view.xAxis === 'step' ? '' : ` (step ${raw.step.toLocaleString()})`;
    return `${name}${ds.smoothedLine ? ' (smoothed)' : ''}: ${raw.y === null ? 'gap' : formatMetricValue(raw.y)}${step}`;
  }

  // ---- zoom and pan --------------------------------------------------------------------------

  private resetZoom(): void {
    this.liveRange = undefined;
    this.host.onZoom(this.metricKey, undefined);
  }

  private commitRange(r: XRange | undefined): void {
    const view = this.host.view(this.metricKey);
    const extent = this.extent(view);
    if (!r || !extent || isFullRange(r, extent)) this.host.onZoom(this.metricKey, undefined);
    else this.host.onZoom(this.metricKey, clampRange(r, extent, view.xAxis === 'step' ? 2 : 0));
  }

  private visibleRange(): { range: XRange; extent: XRange } | undefined {
    const view = this.host.view(this.metricKey);
    const extent = this.extent(view);
    if (!extent) return undefined;
    return { range: this.currentRange(view) ?? extent, extent };
  }

  private pxToValue(px: number): number {
    return this.chart?.scales['x']?.getValueForPixel(px) ?? 0;
  }

  private attachInteractions(): void {
    const plot = this.plot;
    plot.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || !this.chart) return;
      const area = this.chart.chartArea;
      const x = e.offsetX;
      if (x < area.left || x > area.right) return;
      plot.setPointerCapture(e.pointerId);
      this.drag = { mode: e.shiftKey ? 'pan' : 'select', startPx: x, range: this.visibleRange()?.range };
    });
    plot.addEventListener('pointermove', (e) => {
      const d = this.drag;
      const c = this.chart;
      if (!d || !c) return;
      const area = c.chartArea;
      const x = Math.min(area.right, Math.max(area.left, e.offsetX));
      if (d.mode === 'select') {
        this.selection.hidden = false;
        this.selection.style.left = `${Math.min(d.startPx, x)}px`;
        this.selection.style.width = `${Math.abs(x - d.startPx)}px`;
        this.selection.style.top = `${area.top}px`;
        this.selection.style.height = `${area.bottom - area.top}px`;
      } else if (d.range) {
        const vr = this.visibleRange();
        if (!vr) return;
        const perPx = (d.range.max - d.range.min) / Math.max(1, area.right - area.left);
        this.liveRange = pan(d.range, (d.startPx - x) * perPx, vr.extent);
        this.render();
      }
    });
    const finish = (e: PointerEvent): void => {
      const d = this.drag;
      this.drag = undefined;
      this.selection.hidden = true;
      if (!d || !this.chart) return;
      if (d.mode === 'select') {
        const area = this.chart.chartArea;
        const x = Math.min(area.right, Math.max(area.left, e.offsetX));
        const r = selectionRange(d.startPx, x, (px) => this.pxToValue(px));
        if (r) this.commitRange(r);
      } else if (this.liveRange) {
        const r = this.liveRange;
        this.liveRange = undefined;
        this.commitRange(r);
      }
    };
    plot.addEventListener('pointerup', finish);
    plot.addEventListener('pointercancel', () => {
      this.drag = undefined;
      this.selection.hidden = true;
      this.liveRange = undefined;
    });
    plot.addEventListener('dblclick', () => this.resetZoom());
    plot.addEventListener(
      'wheel',
      (e) => {
        const vr = this.visibleRange();
        if (!vr || !this.chart) return;
        e.preventDefault();
        const factor = Math.exp(Math.max(-1, Math.min(1, e.deltaY * 0.002)));
        this.commitRange(zoomAt(vr.range, this.pxToValue(e.offsetX), factor, vr.extent));
      },
      { passive: false },
    );
    plot.addEventListener('keydown', (e) => {
      const vr = this.visibleRange();
      if (!vr) return;
      const span = vr.range.max - vr.range.min;
      const mid = (vr.range.min + vr.range.max) / 2;
      let next: XRange | undefined;
      switch (e.key) {
        case '+':
        case '=':
          next = zoomAt(vr.range, mid, 0.8, vr.extent);
          break;
        case '-':
        case '_':
          next = zoomAt(vr.range, mid, 1.25, vr.extent);
          break;
        case 'ArrowLeft':
          next = pan(vr.range, -span * 0.1, vr.extent);
          break;
        case 'ArrowRight':
          next = pan(vr.range, span * 0.1, vr.extent);
          break;
        case '0':
        case 'Home':
        case 'Escape':
          next = undefined;
          break;
        default:
          return;
      }
      e.preventDefault();
      if (next === undefined) this.resetZoom();
      else this.commitRange(next);
    });
  }

  private exportPng(): void {
    const c = this.chart;
    if (!c) return;
    // The canvas is transparent; paint the editor background under it so the file reads anywhere.
    const out = document.createElement('canvas');
    out.width = this.canvas.width;
    out.height = this.canvas.height;
    const g = out.getContext('2d');
    if (!g) return;
    g.fillStyle = this.host.theme().background;
    g.fillRect(0, 0, out.width, out.height);
    g.drawImage(this.canvas, 0, 0);
    const url = out.toDataURL('image/png');
    this.host.onExportPng(this.metricKey, url.slice(url.indexOf(',') + 1));
  }
}

/** First and last x (data is ordered for the axis, but a time axis of an odd run may not be). */
function sampleEnds(xs: readonly number[]): number[] {
  let min = Infinity;
  let max = -Infinity;
  for (const x of xs) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return [min, max];
}

/** A point between two gaps would be invisible as a line; give it a dot. */
function isolatedRadii(points: readonly PlotPoint[]): number | number[] {
  let any = false;
  const radii = points.map((p, i) => {
    if (p.y === null) return 0;
    const prev = points[i - 1];
    const next = points[i + 1];
    const alone = (!prev || prev.y === null) && (!next || next.y === null);
    if (alone) any = true;
    return alone ? 3 : 0;
  });
  return any ? radii : 0;
}
