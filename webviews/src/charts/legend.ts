// The runs legend shared by every chart in the panel: one toggle button per run with its colour,
// name (as text) and status. Buttons are natively focusable; Enter and Space toggle them.
import type { RunSummary } from '../../protocol/charts.ts';
import { h, icon } from '../ui/dom.ts';
import type { RunStyle } from './colors.ts';

export class Legend {
  readonly element: HTMLElement;
  private readonly onToggle: (runId: string) => void;

  constructor(onToggle: (runId: string) => void) {
    this.onToggle = onToggle;
    this.element = h('div', {
      className: 'legend',
      attrs: { role: 'group', 'aria-label': 'Runs (toggle to show or hide)' },
    });
  }

  render(runs: readonly RunSummary[], hidden: readonly string[], styleOf: (runId: string) => RunStyle): void {
    this.element.replaceChildren(
      ...runs.map((r) => {
        const off = hidden.includes(r.runId);
        const swatch = h('span', { className: 'swatch', attrs: { 'aria-hidden': 'true' } });
        const style = styleOf(r.runId);
        swatch.style.background = style.color;
        // A dashed run (more runs than colours) shows as an outlined swatch.
        if (style.dash.length > 0) {
          swatch.style.background = 'transparent';
          swatch.style.border = `2px dashed ${style.color}`;
        }
        const b = h(
          'button',
          {
            className: `plain legend-item${off ? ' off' : ''}${r.state !== 'active' ? ' gone' : ''}`,
            title: `${r.name} (${r.runId})${r.state === 'active' ? ` · ${r.status}` : ` · ${r.state}`}`,
            attrs: { type: 'button', 'aria-pressed': off ? 'false' : 'true' },
            dataset: { runId: r.runId },
          },
          swatch,
          h('span', { className: 'legend-name', text: r.name }),
          r.status === 'RUNNING' && r.state === 'active' ? icon('pulse', 'running') : undefined,
          r.state !== 'active' ? icon('warning', r.state === 'deleted' ? 'deleted' : 'missing') : undefined,
        );
        b.addEventListener('click', () => this.onToggle(r.runId));
        return b;
      }),
    );
  }
}
