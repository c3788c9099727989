// A searchable pick list (one or many) that stays fast with tens of thousands of items: it
// filters a lower-cased copy and renders only the first `limit` matches, saying how many more
// there are. Native checkboxes/radios keep it keyboard-reachable without extra code.
import { h } from './dom.ts';
import { textField } from './toolkit.ts';

export interface SearchableListOptions {
  /** Accessible name of the list. */
  label: string;
  placeholder: string;
  multi: boolean;
  selected: readonly string[];
  search?: string;
  /** Matches rendered at most. */
  limit?: number;
  maxSelected?: number;
  /** Display text of an item (default: the item). */
  describe?: (item: string) => string;
  onChange: (selected: string[]) => void;
  onSearch?: (text: string) => void;
}

let nextListId = 0;

export class SearchableList {
  readonly element: HTMLElement;
  private items: readonly string[] = [];
  private lower: string[] = [];
  private selected: string[];
  private search: string;
  private readonly o: SearchableListOptions;
  private readonly list: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly name = `sl-${nextListId++}`;

  constructor(o: SearchableListOptions) {
    this.o = o;
    this.selected = [...o.selected];
    this.search = o.search ?? '';
    const field = textField({
      placeholder: o.placeholder,
      label: `Search ${o.label}`,
      value: this.search,
      icon: 'search',
      onInput: (v) => {
        this.search = v;
        o.onSearch?.(v);
        this.render();
      },
    });
    this.list = h('div', { className: 'sl-items', attrs: { role: 'group', 'aria-label': o.label } });
    this.summary = h('div', { className: 'sl-summary', attrs: { 'aria-live': 'polite' } });
    this.element = h('div', { className: 'searchable-list' }, field, this.summary, this.list);
  }

  setItems(items: readonly string[]): void {
    this.items = items;
    const describe = this.o.describe;
    this.lower = items.map((i) => (describe ? `${describe(i)} ${i}` : i).toLowerCase());
    this.render();
  }

  setSelected(selected: readonly string[]): void {
    this.selected = [...selected];
    this.render();
  }

  private render(): void {
    const limit = this.o.limit ?? 200;
    const q = this.search.trim().toLowerCase();
    const matches: number[] = [];
    let total = 0;
    for (let i = 0; i < this.items.length; i++) {
      if (q && !this.lower[i]!.includes(q)) continue;
      total++;
      if (matches.length < limit) matches.push(i);
    }
    // Chosen items stay visible even when the search hides them.
    const shown = new Set(matches.map((i) => this.items[i]!));
    const pinned = this.selected.filter((s) => !shown.has(s) && this.items.includes(s));
    const rows = [...pinned, ...matches.map((i) => this.items[i]!)].map((item) => this.row(item));
    this.list.replaceChildren(...rows);
    const n = this.items.length;
    this.summary.textContent =
      n === 0
        ? 'Nothing to pick yet.'
        : total === 0
          ? `No match for "${this.search.trim()}".`
          : total > matches.length
            ? `Showing ${matches.length} of ${total.toLocaleString()} matches; type to narrow.`
            : q
              ? `${total.toLocaleString()} of ${n.toLocaleString()} match.`
              : `${n.toLocaleString()} to pick from.`;
  }

  private row(item: string): HTMLElement {
    const input = h('input', { attrs: { type: this.o.multi ? 'checkbox' : 'radio', name: this.name } });
    input.checked = this.selected.includes(item);
    input.addEventListener('change', () => this.toggle(item, input.checked));
    const text = this.o.describe ? this.o.describe(item) : item;
    return h('label', { className: 'sl-item', title: text }, input, h('span', { className: 'sl-text', text }));
  }

  private toggle(item: string, on: boolean): void {
    if (!this.o.multi) this.selected = on ? [item] : [];
    else if (on) {
      if (this.o.maxSelected !== undefined && this.selected.length >= this.o.maxSelected) {
        this.summary.textContent = `At most ${this.o.maxSelected} can be picked; remove one first.`;
        this.render();
        return;
      }
      this.selected = [...this.selected.filter((s) => s !== item), item];
    } else this.selected = this.selected.filter((s) => s !== item);
    this.render();
    this.o.onChange([...this.selected]);
  }
}
