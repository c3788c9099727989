// Which browser console messages mean a webview of ours is broken: a Content Security Policy
// violation (the styling or script it blocked silently did not apply) or an error/uncaught
// exception in a webview. Every e2e test (through failureArtifacts.afterEach) and the charts
// benchmark fail on one. Pure, so the rule is read in one place.

/**
 * Known harmless noise (see /work/shared/testing.md): the built-in extension-gallery update check
 * (no network here), VS Code's vsda files that code-server does not ship, and Chromium's warning
 * about the webview iframes' sandbox flags. None of them comes from our webviews' code.
 */
export const HARMLESS_CONSOLE_NOISE: readonly RegExp[] = [
  /getaddrinfo ENOTFOUND/,
  /vsda/,
  /allow-scripts and allow-same-origin/,
];

/** Whether a URL belongs to a webview: VS Code's webview host pages or a resource of ours. */
export function isWebviewUrl(url: string): boolean {
  return /\/webview\/browser\/pre\/|vscode-resource|vscode-remote-resource|vscode-webview|\/dist\/webviews\/|\/webviews\//.test(
    url,
  );
}

/**
 * Whether a console message is a webview problem: any CSP violation (wherever it is reported) or
 * an error logged from a webview frame or script, unless it is known noise.
 */
export function isWebviewProblem(type: string, text: string, url: string): boolean {
  if (HARMLESS_CONSOLE_NOISE.some((re) => re.test(text))) return false;
  if (/Content Security Policy/i.test(text)) return true;
  return type === 'error' && isWebviewUrl(url);
}
