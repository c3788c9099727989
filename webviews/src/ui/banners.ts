// Messages at the top of a view (errors with a Retry button, warnings), one per topic id, and the
// helpers that turn a failed request into text.
import { IpcError } from '../../protocol/ipc.ts';
import { h } from './dom.ts';
import { button } from './toolkit.ts';

export type BannerKind = 'error' | 'warning' | 'info';

/** A button on a banner that does what fixes the problem (edit the filter, open a setting). */
export interface BannerAction {
  label: string;
  icon: string;
  title: string;
  onClick: () => void;
}

export class Banners {
  readonly element = h('div', { className: 'banners' });

  /** `actions`: a function is a Retry button; a failure that retrying cannot fix passes its own actions. */
  show(id: string, kind: BannerKind, text: string, actions?: (() => void) | readonly BannerAction[]): void {
    this.clear(id);
    const b = h(
      'div',
      { className: `banner ${kind}`, dataset: { banner: id }, attrs: { role: kind === 'error' ? 'alert' : 'status' } },
      h('span', { className: 'message', text }),
    );
    const list =
      typeof actions === 'function'
        ? [{ label: 'Retry', icon: 'refresh', title: 'Try again', onClick: actions }]
        : (actions ?? []);
    for (const a of list) b.append(button(a));
    b.append(button({ icon: 'close', title: 'Dismiss', onClick: () => b.remove() }));
    this.element.append(b);
  }

  clear(id: string): void {
    this.element.querySelector(`[data-banner="${CSS.escape(id)}"]`)?.remove();
  }
}

/** A request the view itself abandoned (superseded, or the panel went away): not worth a message. */
export function isCancelled(e: unknown): boolean {
  return e instanceof IpcError && (e.code === 'cancelled' || e.code === 'disposed');
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
