// Colours and fonts from VS Code's CSS variables, re-read whenever the theme changes (VS Code
// swaps the body's vscode-light / vscode-dark / vscode-high-contrast class).

type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface Theme {
  kind: ThemeKind;
  foreground: string;
  mutedForeground: string;
  background: string;
  grid: string;
  fontFamily: string;
  fontSize: number;
  hoverBackground: string;
  hoverForeground: string;
  hoverBorder: string;
  focusBorder: string;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v || fallback;
}

function themeKind(body: HTMLElement = document.body): ThemeKind {
  const c = body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readTheme(): Theme {
  const s = getComputedStyle(document.body);
  const kind = themeKind();
  const dark = kind === 'dark' || kind === 'high-contrast';
  const foreground = cssVar(s, '--vscode-editor-foreground', dark ? '#cccccc' : '#333333');
  return {
    kind,
    foreground,
    mutedForeground: cssVar(s, '--vscode-descriptionForeground', foreground),
    background: cssVar(s, '--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    grid: cssVar(s, '--vscode-editorWidget-border', cssVar(s, '--vscode-panel-border', dark ? '#454545' : '#c8c8c8')),
    fontFamily: cssVar(s, '--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: parseFloat(cssVar(s, '--vscode-font-size', '13')) || 13,
    hoverBackground: cssVar(s, '--vscode-editorHoverWidget-background', dark ? '#252526' : '#f3f3f3'),
    hoverForeground: cssVar(s, '--vscode-editorHoverWidget-foreground', foreground),
    hoverBorder: cssVar(s, '--vscode-editorHoverWidget-border', dark ? '#454545' : '#c8c8c8'),
    focusBorder: cssVar(s, '--vscode-focusBorder', '#007fd4'),
  };
}

/** Calls `fn` with the new theme after each theme switch; returns a stop function. */
export function onThemeChange(fn: (theme: Theme) => void): () => void {
  let last = document.body.className;
  const obs = new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    fn(readTheme());
  });
  obs.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  return () => obs.disconnect();
}
