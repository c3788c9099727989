import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildWebviewHtml,
  contentSecurityPolicy,
  escapeHtml,
  newNonce,
} from '../../../extension/src/webview/webviewHtml.ts';

const CSP_SOURCE = 'https://*.vscode-cdn.net';

function render(title = 'Compare 2 Runs'): string {
  return buildWebviewHtml({
    cspSource: CSP_SOURCE,
    nonce: newNonce(),
    title,
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webviews/charts.js',
    styleUris: [
      'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webviews/codicons/codicon.css',
      'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webviews/charts.css',
    ],
    view: 'charts',
  });
}

function cspOf(html: string): Map<string, string[]> {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'a CSP meta tag');
  const out = new Map<string, string[]>();
  for (const d of m[1]!.replace(/&#39;/g, "'").split(';')) {
    const [name, ...values] = d.trim().split(/\s+/);
    if (name) out.set(name, values);
  }
  return out;
}

describe('webview HTML', () => {
  it('uses a fresh nonce on every render', () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const html = render();
      const n = /<script nonce="([^"]+)"/.exec(html)?.[1];
      assert.ok(n);
      assert.ok(n.length >= 22, 'at least 128 bits');
      nonces.add(n);
      assert.deepEqual(cspOf(html).get('script-src'), [`'nonce-${n}'`]);
    }
    assert.equal(nonces.size, 200);
  });

  it("denies everything by default and never allows inline or eval'd script", () => {
    const html = render();
    const csp = cspOf(html);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    const all = [...csp.values()].flat();
    for (const bad of [
      "'unsafe-inline'",
      "'unsafe-eval'",
      "'unsafe-hashes'",
      "'strict-dynamic'",
      '*',
      'data:',
      'blob:',
      'https:',
      'http:',
    ])
      assert.ok(!all.includes(bad), `${bad} is not allowed`);
    // Stylesheets from the extension, and style elements only with this render's nonce (FAST, in
    // the toolkit, probes :focus-visible with one; without the nonce the CSP refused it).
    const scriptNonce = /<script nonce="([^"]+)"/.exec(html)?.[1];
    const styleNonce = /<meta property="csp-nonce" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(scriptNonce && styleNonce, 'FAST reads the style nonce from the csp-nonce meta tag');
    assert.ok(styleNonce.length >= 22, 'at least 128 bits');
    assert.notEqual(styleNonce, scriptNonce, 'a nonce readable in the DOM never allows a script');
    assert.deepEqual(csp.get('style-src'), [CSP_SOURCE, `'nonce-${styleNonce}'`]);
    assert.deepEqual(csp.get('script-src'), [`'nonce-${scriptNonce}'`]);
    assert.equal(
      html.split(scriptNonce).length - 1,
      2,
      'the script nonce appears only in the CSP and on the script tag',
    );
    assert.deepEqual(csp.get('font-src'), [CSP_SOURCE]);
    assert.ok(!csp.has('connect-src'), 'the view makes no network calls; the host does');
    assert.ok(!csp.has('img-src'));
  });

  it('has one script, nonce-bound, and no inline handlers or inline styles', () => {
    const html = render();
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.ok(!/\son[a-z]+\s*=/i.test(html), 'no on* attributes');
    assert.ok(!/\sstyle\s*=/i.test(html), 'no style attributes');
    assert.ok(!/<style/i.test(html), 'no style elements');
  });

  it('escapes the title (run names are user text)', () => {
    const html = render('<img src=x onerror=alert(1)>');
    assert.ok(html.includes('<title>&lt;img src=x onerror=alert(1)&gt;</title>'));
    assert.ok(!html.includes('<img'));
  });

  it("accepts VS Code's and code-server's cspSource", () => {
    assert.match(
      contentSecurityPolicy('https://*.vscode-cdn.net', newNonce(), newNonce()),
      /style-src https:\/\/\*\.vscode-cdn\.net 'nonce-[^']+';/,
    );
    assert.match(
      contentSecurityPolicy("'self' https://*.vscode-cdn.net", newNonce(), newNonce()),
      /style-src 'self' https:\/\/\*\.vscode-cdn\.net 'nonce-[^']+';/,
    );
    assert.match(contentSecurityPolicy('vscode-resource:', newNonce(), newNonce()), /font-src vscode-resource:;/);
  });

  it('refuses a weak nonce or a cspSource that could smuggle or loosen directives', () => {
    assert.throws(() => contentSecurityPolicy(CSP_SOURCE, '123', newNonce()));
    assert.throws(() => contentSecurityPolicy(CSP_SOURCE, "abc' 'unsafe-inline", newNonce()));
    assert.throws(() => contentSecurityPolicy(CSP_SOURCE, newNonce(), '123'));
    assert.throws(() => contentSecurityPolicy(CSP_SOURCE, newNonce(), "abc' 'unsafe-inline"));
    assert.throws(() => contentSecurityPolicy("x; script-src 'unsafe-inline'", newNonce(), newNonce()));
    assert.throws(() => contentSecurityPolicy("https://a.b 'unsafe-inline'", newNonce(), newNonce()));
    assert.throws(() => contentSecurityPolicy('*', newNonce(), newNonce()));
    assert.throws(() => contentSecurityPolicy('data:', newNonce(), newNonce()));
    assert.throws(() => contentSecurityPolicy('https://a.b;', newNonce(), newNonce()));
    assert.throws(() => contentSecurityPolicy('', newNonce(), newNonce()));
  });

  it('escapes HTML specials', () => {
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
