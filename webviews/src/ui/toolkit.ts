// The only module that imports @vscode/webview-ui-toolkit (pinned at 1.4.0; deprecated upstream
// since 2025-01-01). Views build controls through these functions, so swapping the toolkit (for
// @vscode-elements/elements) touches this file alone.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';
import { escapeHidden } from '../../protocol/displayText.ts';

let registered = false;

/** Registers the custom elements once per page. */
export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodeProgressRing(),
    vsCodeTextField(),
  );
}

export interface ButtonOptions {
  label?: string;
  /** A codicon name, e.g. 'refresh'. */
  icon?: string;
  /** Tooltip and accessible name (required for icon-only buttons). */
  title: string;
  appearance?: 'primary' | 'secondary' | 'icon';
  onClick: () => void;
}

export interface ToolkitButton extends HTMLElement {
  disabled: boolean;
}

export function button(o: ButtonOptions): ToolkitButton {
  const b = document.createElement('vscode-button') as ToolkitButton;
  b.setAttribute('appearance', o.appearance ?? (o.label ? 'secondary' : 'icon'));
  b.title = escapeHidden(o.title);
  b.setAttribute('aria-label', escapeHidden(o.title));
  if (o.icon) {
    const i = document.createElement('span');
    i.className = `codicon codicon-${o.icon}`;
    if (o.label) i.setAttribute('slot', 'start');
    b.append(i);
  }
  if (o.label) b.append(document.createTextNode(escapeHidden(o.label)));
  b.addEventListener('click', () => {
    if (!b.disabled) o.onClick();
  });
  return b;
}

export interface ToolkitTextField extends HTMLElement {
  value: string;
}

export function textField(o: {
  placeholder: string;
  value: string;
  label: string;
  onInput?: (v: string) => void;
  onEnter?: (v: string) => void;
  icon?: string;
}): ToolkitTextField {
  const f = document.createElement('vscode-text-field') as ToolkitTextField;
  f.setAttribute('placeholder', o.placeholder);
  f.setAttribute('aria-label', o.label);
  f.value = o.value;
  if (o.icon) {
    const i = document.createElement('span');
    i.className = `codicon codicon-${o.icon}`;
    i.setAttribute('slot', 'start');
    f.append(i);
  }
  if (o.onInput) f.addEventListener('input', () => o.onInput!(f.value));
  if (o.onEnter)
    f.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') o.onEnter!(f.value);
    });
  return f;
}

export interface ToolkitDropdown extends HTMLElement {
  value: string;
  disabled: boolean;
}

export function dropdown<V extends string>(o: {
  label: string;
  options: readonly { value: V; label: string }[];
  value: V;
  onChange: (v: V) => void;
}): ToolkitDropdown {
  const d = document.createElement('vscode-dropdown') as ToolkitDropdown;
  d.setAttribute('aria-label', o.label);
  d.title = o.label;
  setDropdownOptions(d, o.options, o.value);
  d.addEventListener('change', () => o.onChange(d.value as V));
  return d;
}

function setDropdownOptions(
  d: ToolkitDropdown,
  options: readonly { value: string; label: string }[],
  value: string,
): void {
  d.replaceChildren(
    ...options.map((opt) => {
      const el = document.createElement('vscode-option') as HTMLElement & { value: string };
      el.value = opt.value;
      el.textContent = escapeHidden(opt.label);
      if (opt.value === value) el.setAttribute('selected', '');
      return el;
    }),
  );
  d.value = value;
}

export function progressRing(label: string): HTMLElement {
  const r = document.createElement('vscode-progress-ring');
  r.setAttribute('aria-label', label);
  return r;
}
