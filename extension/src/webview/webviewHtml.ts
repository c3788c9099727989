// The HTML shell every webview panel gets. Strict CSP: nothing is allowed by default; the one
// script runs by a fresh crypto nonce per render (a second one, for style elements, is the only
// nonce the page can read); styles and fonts load only from the
// extension's own dist/webviews (webview.cspSource); no inline styles or handlers. Plain
// strings in and out, so it is tested without VS Code.
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  /** `webview.cspSource`: the origin the webview loads extension resources from. */
  cspSource: string;
  /** The script's nonce: a fresh nonce(); never reuse one across renders. */
  nonce: string;
  /** Text for <title> (escaped here). */
  title: string;
  /** `webview.asWebviewUri(...)` of the view's bundle. */
  scriptUri: string;
  /** Stylesheets (codicons, the view's bundled CSS). */
  styleUris: readonly string[];
  /** data-view attribute on <body>, for styles and tests. */
  view: string;
}

/** 128 bits from the OS CSPRNG, base64 (a valid CSP nonce-source). */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * `webview.cspSource` is a list of source expressions (VS Code: `https://*.vscode-cdn.net`;
 * code-server: `'self' https://*.vscode-cdn.net`). Only 'self', schemes and hosts pass: nothing
 * that could end the directive or loosen it ('unsafe-inline', *, data:).
 */
function checkedSources(cspSource: string): string {
  const tokens = cspSource
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  const ok = (t: string): boolean =>
    t === "'self'" ||
    /^https?:\/\/(\*\.)?[A-Za-z0-9.-]+(:\d+|:\*)?(\/[^\s;,'"]*)?$/.test(t) ||
    /^[a-z][a-z0-9+.-]*-resource:$/.test(t);
  if (tokens.length === 0 || !tokens.every(ok))
    throw new Error(`Unexpected webview cspSource ${JSON.stringify(cspSource)}`);
  return tokens.join(' ');
}

export function contentSecurityPolicy(cspSource: string, scriptNonce: string, styleNonce: string): string {
  for (const nonce of [scriptNonce, styleNonce]) {
    if (!/^[A-Za-z0-9+/]{16,}={0,2}$/.test(nonce)) throw new Error('A CSP nonce must be base64 from a CSPRNG');
  }
  const sources = checkedSources(cspSource);
  return [
    "default-src 'none'",
    `script-src 'nonce-${scriptNonce}'`,
    // A style element needs a nonce: FAST (inside the webview UI toolkit) probes :focus-visible
    // support by inserting one, nonce'd from <meta property="csp-nonce">; without it the CSP
    // refused the probe on every view load and FAST fell back to :focus styling. That meta tag
    // is readable by anything in the page, so it holds a nonce of its own, never the script's:
    // injected markup that read it still could not run a script.
    // Nothing else inserts style elements, and 'unsafe-inline' stays out (no style attributes).
    `style-src ${sources} 'nonce-${styleNonce}'`,
    `font-src ${sources}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function buildWebviewHtml(o: WebviewHtmlOptions): string {
  const styleNonce = newNonce();
  const styles = o.styleUris.map((u) => `  <link rel="stylesheet" href="${escapeHtml(u)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(o.cspSource, o.nonce, styleNonce))}">
  <meta property="csp-nonce" content="${escapeHtml(styleNonce)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>${escapeHtml(o.title)}</title>
${styles}
</head>
<body data-view="${escapeHtml(o.view)}">
  <main id="app" aria-busy="true"></main>
  <script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>`;
}
