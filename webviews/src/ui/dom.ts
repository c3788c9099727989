// Building DOM without HTML strings: every text goes in through textContent or text nodes, so a
// run named `<img src=x onerror=alert(1)>` stays text, and through escapeHidden, the display rule
// shared with the extension, so a U+202E in a run name shows as `\u202e` instead of reversing the line.
import { escapeHidden } from '../../protocol/displayText.ts';

export interface Props {
  className?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
  dataset?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: (Node | string | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.className) el.className = props.className;
  if (props.text !== undefined) el.textContent = escapeHidden(props.text);
  if (props.title !== undefined) el.title = escapeHidden(props.title);
  for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, k === 'aria-label' ? escapeHidden(v) : v);
  for (const [k, v] of Object.entries(props.dataset ?? {})) el.dataset[k] = v;
  for (const c of children) {
    if (c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(escapeHidden(c)) : c);
  }
  return el;
}

/** Sets an element's text by the display rule (for updates after h() built it). */
export function setText(el: Node, text: string): void {
  el.textContent = escapeHidden(text);
}

export function icon(name: string, label?: string): HTMLSpanElement {
  const s = h('span', { className: `codicon codicon-${name}` });
  if (label) {
    s.setAttribute('role', 'img');
    s.setAttribute('aria-label', label);
  } else s.setAttribute('aria-hidden', 'true');
  return s;
}

/** Calls `fn` at most once per animation frame with the latest arguments. */
export function perFrame<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  let pending: A | undefined;
  return (...args: A) => {
    const first = pending === undefined;
    pending = args;
    if (first) {
      requestAnimationFrame(() => {
        const a = pending!;
        pending = undefined;
        fn(...a);
      });
    }
  };
}

export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
): ((...args: A) => void) & { flush(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: A | undefined;
  const run = (): void => {
    timer = undefined;
    if (last) fn(...last);
    last = undefined;
  };
  const d = (...args: A): void => {
    last = args;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  d.flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    run();
  };
  return d;
}
