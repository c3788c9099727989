// Drives a code-server workbench with Debian's Chromium through playwright-core: the palette,
// the MLflow tree, notifications, quick inputs, editors, Problems, code lenses and webviews.
// Selectors are the ones verified against VS Code 1.139 in /work/shared/testing.md; every wait is
// on a condition in the page, never a fixed delay.
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import type { SuiteContext, TestContext } from 'node:test';
import { chromium } from 'playwright-core';
import type { BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import type { CodeServer } from './codeServer.ts';
import { REPO_ROOT } from './codeServer.ts';
import { isWebviewProblem, isWebviewUrl } from './webviewConsole.ts';
import { waitUntil } from './waitUntil.ts';

export const CHROMIUM = process.env['E2E_CHROMIUM'] || '/usr/bin/chromium';

/**
 * Debian's Chromium on a throwaway profile, for the e2e workbench and the browser benchmarks alike:
 * headless, no sandbox (containers), and nothing that talks to the network on its own. Chromium
 * writes crash reports and dconf into HOME even with its own profile directory, so HOME is the
 * profile too.
 */
export function chromiumOptions(profile: string, viewport?: { width: number; height: number }) {
  return {
    executablePath: CHROMIUM,
    headless: true,
    ...(viewport ? { viewport } : {}),
    env: {
      ...process.env,
      HOME: profile,
      XDG_CONFIG_HOME: join(profile, '.config'),
      XDG_CACHE_HOME: join(profile, '.cache'),
    },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts');

export interface WorkbenchOptions {
  /** Title of the view container whose activity-bar icon means "the extension's manifest is loaded". */
  readyContainer?: string;
  viewport?: { width: number; height: number };
  /** Default timeout of every locator action and wait. */
  timeoutMs?: number;
}

/** Escapes a string for a RegExp that matches it exactly. */
function exact(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

export interface RowInfo {
  label: string;
  description: string;
  /** The row's aria-label: the TreeItem's accessibility label, string tooltip, or label. */
  ariaLabel: string;
  level: number;
  expanded: boolean | undefined;
}

export class Workbench {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Every browser console line, including the extension host's `console.log` ("[Extension Host]"). */
  readonly consoleLines: string[];
  /** CSP violations and errors from our webviews not yet reported (see takeWebviewProblems). */
  private readonly webviewProblems: string[];
  private readonly profileDir: string;

  private constructor(
    page: Page,
    context: BrowserContext,
    consoleLines: string[],
    webviewProblems: string[],
    profileDir: string,
  ) {
    this.page = page;
    this.context = context;
    this.consoleLines = consoleLines;
    this.webviewProblems = webviewProblems;
    this.profileDir = profileDir;
  }

  /**
   * The CSP violations and errors logged or thrown in a webview since the last call (webview
   * iframes' console messages reach the page's console events). failureArtifacts.afterEach fails
   * the test on any, so a blocked style or a crashed view never passes silently.
   */
  takeWebviewProblems(): string[] {
    return this.webviewProblems.splice(0);
  }

  /** Launches Chromium on a fresh profile, opens `url` and waits until the extension's manifest is in. */
  static async open(url: string, opts: WorkbenchOptions = {}): Promise<Workbench> {
    const dir = mkdtempSync(join(tmpdir(), 'mlflow-e2e-chromium-'));
    const context = await chromium.launchPersistentContext(
      dir,
      chromiumOptions(dir, opts.viewport ?? { width: 1400, height: 900 }),
    );
    // Playwright kills Chromium when the test process dies; the profile is only debris then.
    const removeProfile = (): void => rmSync(dir, { recursive: true, force: true });
    process.once('exit', removeProfile);
    context.once('close', () => process.removeListener('exit', removeProfile));
    const consoleLines: string[] = [];
    const problems: string[] = [];
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      const url = m.location().url;
      const line = `[${m.type()}] ${m.text()}${url ? ` (${url}:${m.location().lineNumber})` : ''}`;
      consoleLines.push(line);
      if (isWebviewProblem(m.type(), m.text(), url)) problems.push(line);
    });
    page.on('pageerror', (e) => {
      const line = `[pageerror] ${e.stack ?? e.message}`;
      consoleLines.push(line);
      if (isWebviewUrl(e.stack ?? '')) problems.push(line);
    });
    page.setDefaultTimeout(opts.timeoutMs ?? 15_000);
    const wb = new Workbench(page, context, consoleLines, problems, dir);
    try {
      // The workbench is megabytes of script; on a busy 2-core machine "load" took over 15 s and
      // the icon a minute (4 s when idle).
      // Readiness is the icon below anyway, so only wait for the document itself here.
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
      // The workbench DOM shows up before the extension host has read the manifests; until our
      // activity-bar icon exists the palette does not list MLflow commands yet.
      await wb.activityBarItem(opts.readyContainer ?? 'MLflow').waitFor({ timeout: 120_000 });
    } catch (e) {
      await wb.close();
      throw e;
    }
    return wb;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.profileDir, { recursive: true, force: true });
  }

  /**
   * A screenshot for a person to look at after a green run: saved as `<E2E_SCREENSHOTS>/<name>.png`
   * only when that variable is set (a test passing on a blank panel is worth catching by eye).
   */
  async snapshot(name: string): Promise<string | undefined> {
    const dir = process.env['E2E_SCREENSHOTS'];
    if (!dir) return undefined;
    return this.screenshot(join(dir, `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.png`));
  }

  /** Waits (briefly) for CSS transitions such as a toast fading in, so a screenshot shows the end state. */
  async settle(timeoutMs = 2_000): Promise<void> {
    await this.page
      .waitForFunction(
        () =>
          document
            .getAnimations()
            .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
        undefined,
        { timeout: timeoutMs },
      )
      .catch(() => undefined);
  }

  async screenshot(path: string): Promise<string> {
    mkdirSync(join(path, '..'), { recursive: true });
    await this.settle();
    await this.page.screenshot({ path });
    return path;
  }

  // ---- commands ----------------------------------------------------------------------------

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  get quickInputBox(): Locator {
    return this.quickInput.locator('.quick-input-box input');
  }

  /** Runs a palette command by its full title, e.g. "MLflow: Add Tracking Server…". */
  async runCommand(title: string): Promise<void> {
    // F1 works even while focus is inside a webview.
    await this.page.keyboard.press('F1');
    await this.quickInputBox.waitFor();
    await this.quickInputBox.fill(`>${title}`);
    await this.quickInput.locator('.monaco-list-row.focused', { hasText: title }).waitFor();
    await this.page.keyboard.press('Enter');
    // The palette closes, or the command opens its own quick input in the same widget.
    await this.page.waitForFunction((t) => {
      const w = document.querySelector('.quick-input-widget') as HTMLElement | null;
      const input = w?.querySelector('.quick-input-box input') as HTMLInputElement | null;
      return !w || w.style.display === 'none' || !input || input.value !== `>${t}`;
    }, title);
  }

  // ---- quick input (showInputBox / showQuickPick) --------------------------------------------

  /** Waits for an input box whose title or prompt contains `text`. */
  async waitForQuickInput(text?: string | RegExp): Promise<Locator> {
    const widget = this.quickInput.filter({ visible: true });
    await widget.waitFor();
    if (text !== undefined) await widget.filter({ hasText: text }).waitFor();
    return widget;
  }

  /** Replaces the input box's value with `text`; `accept` presses Enter and waits for the box to go. */
  async typeInQuickInput(text: string, opts: { accept?: boolean } = {}): Promise<void> {
    await this.quickInputBox.waitFor();
    await this.quickInputBox.fill(text);
    if (opts.accept) await this.acceptQuickInput();
  }

  /** Enter: accepts the box (or the focused item) and waits until the value we typed is gone. */
  async acceptQuickInput(): Promise<void> {
    const before = await this.quickInputBox.inputValue();
    const title = await this.quickInput
      .locator('.quick-input-title')
      .textContent()
      .catch(() => '');
    await this.quickInputBox.press('Enter');
    // Accepted: the widget hides, or a next step replaces the title or value (multi-step inputs).
    await this.page
      .waitForFunction(
        ([v, t]) => {
          const w = document.querySelector('.quick-input-widget') as HTMLElement | null;
          if (!w || w.style.display === 'none') return true;
          const input = w.querySelector('.quick-input-box input') as HTMLInputElement | null;
          const title = w.querySelector('.quick-input-title')?.textContent ?? '';
          return (input?.value ?? '') !== v || title !== t;
        },
        [before, title ?? ''] as const,
      )
      .catch(async (e: unknown) => {
        // Usually validateInput refused the value: say what it said.
        throw new Error(
          `the input box did not accept ${JSON.stringify(before)}; its message: ${JSON.stringify(await this.quickInputMessage())}`,
          { cause: e },
        );
      });
  }

  /** The validation message under the input box (showInputBox's validateInput), or ''. */
  async quickInputMessage(): Promise<string> {
    const msg = this.quickInput.locator('.quick-input-message');
    return ((await msg.isVisible()) ? await msg.textContent() : '') ?? '';
  }

  quickPickItems(): Locator {
    return this.quickInput.locator('.quick-input-list .monaco-list-row');
  }

  /** Picks a quick pick item by its label (exact), typing it to filter first. */
  async pickQuickItem(label: string, opts: { filter?: boolean } = {}): Promise<void> {
    if (opts.filter ?? true) await this.quickInputBox.fill(label);
    const item = this.quickPickItems()
      .filter({ has: this.page.locator('.label-name', { hasText: exact(label) }) })
      .first();
    await item.click();
  }

  async dismissQuickInput(): Promise<void> {
    if (await this.quickInput.isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.quickInput.waitFor({ state: 'hidden' });
    }
  }

  // ---- activity bar and views --------------------------------------------------------------

  activityBarItem(title: string): Locator {
    return this.page.locator(`.activitybar a.action-label[aria-label="${title}"]`);
  }

  /** Shows a view container in the side bar (clicking its icon again would hide it). */
  async openViewContainer(title = 'MLflow'): Promise<void> {
    const item = this.activityBarItem(title);
    await item.waitFor();
    const checked = await item.evaluate((el) => el.closest('.action-item')?.classList.contains('checked') ?? false);
    if (!checked) await item.click();
    await this.page.locator('.sidebar .composite.title', { hasText: title }).first().waitFor();
  }

  /** A view pane in the side bar by its name, e.g. "Experiments". */
  viewPane(name: string): Locator {
    return this.page.locator('.sidebar .pane').filter({ has: this.page.locator('.pane-header', { hasText: name }) });
  }

  /** Opens the container and expands the pane if it is collapsed. */
  async showView(name: string, container = 'MLflow'): Promise<Locator> {
    await this.openViewContainer(container);
    const pane = this.viewPane(name);
    const header = pane.locator('.pane-header');
    await header.waitFor();
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    await pane.locator('.pane-body').waitFor();
    return pane;
  }

  /**
   * Waits until `predicate` holds for the element `locator` finds, reading the locator afresh on
   * every look. Never an element handle: trees and lists re-render rows (a refresh, a check that
   * lands), and a handle keeps reading the detached old element forever.
   */
  async waitUntil(
    locator: Locator,
    predicate: (el: Element) => boolean,
    opts: { timeout?: number } = {},
  ): Promise<void> {
    await waitUntil(
      `${String(locator)}: ${predicate.toString()}`,
      () => locator.evaluate(predicate, undefined, { timeout: 2_000 }).catch(() => false),
      { timeoutMs: opts.timeout ?? 15_000 },
    );
  }

  /**
   * Collapses a pane so the others get its height. Trees render only the rows on screen, so a
   * test that walks deep into a tree gives it room first.
   */
  async collapseView(name: string): Promise<void> {
    const header = this.viewPane(name).locator('.pane-header');
    await header.waitFor();
    if ((await header.getAttribute('aria-expanded')) === 'true') {
      await header.click();
      await this.waitUntil(header, (el) => el.getAttribute('aria-expanded') === 'false');
    }
  }

  /** The welcome content of an empty view (viewsWelcome). */
  viewWelcome(name: string): Locator {
    return this.viewPane(name).locator('.welcome-view-content');
  }

  rows(view: string): Locator {
    return this.viewPane(view).locator('.monaco-list-row[role="treeitem"]');
  }

  /** Rows whose label is exactly `label` (a RegExp matches the label as given). */
  row(view: string, label: string | RegExp): Locator {
    return this.rows(view).filter({
      has: this.page.locator('.label-name', { hasText: typeof label === 'string' ? exact(label) : label }),
    });
  }

  /** Waits for a row whose label or description contains `text`. */
  async waitForRow(view: string, text: string | RegExp, opts: { timeout?: number } = {}): Promise<Locator> {
    const row = this.rows(view).filter({ hasText: text }).first();
    await row.waitFor(opts.timeout !== undefined ? { timeout: opts.timeout } : {});
    return row;
  }

  /** Label, description, aria-label, level and expansion of every rendered row, top to bottom. */
  async rowInfos(view: string): Promise<RowInfo[]> {
    return this.rows(view).evaluateAll((els) =>
      els
        .map((el) => ({
          index: Number(el.getAttribute('data-index') ?? '0'),
          label: el.querySelector('.label-name')?.textContent?.trim() ?? '',
          description: el.querySelector('.label-description')?.textContent?.trim() ?? '',
          ariaLabel: el.getAttribute('aria-label') ?? '',
          level: Number(el.getAttribute('aria-level') ?? '0'),
          expanded: el.hasAttribute('aria-expanded') ? el.getAttribute('aria-expanded') === 'true' : undefined,
        }))
        // Rows are recycled and positioned absolutely, so DOM order is not screen order.
        .sort((a, b) => a.index - b.index)
        .map(({ index: _index, ...rest }) => rest),
    );
  }

  /**
   * The row at a path of labels, e.g. ['local', 'wine-quality', 'bold-fox-42', 'Parameters'].
   * Labels repeat across a tree (every run has "Parameters"), so the path disambiguates. The
   * locator is bound to the row's current index: use it before the tree changes above it.
   */
  async rowAt(view: string, path: readonly (string | RegExp)[], opts: { timeout?: number } = {}): Promise<Locator> {
    const findIndex = () =>
      this.rows(view).evaluateAll(
        (els, p) => {
          const rows = els
            .map((el) => ({
              index: Number(el.getAttribute('data-index') ?? '0'),
              label: el.querySelector('.label-name')?.textContent?.trim() ?? '',
              level: Number(el.getAttribute('aria-level') ?? '0'),
            }))
            .sort((a, b) => a.index - b.index);
          const matches = (label: string, want: { s?: string; re?: string }) =>
            want.re !== undefined ? new RegExp(want.re).test(label) : label === want.s;
          let from = 0;
          let level = rows[0]?.level ?? 1;
          let found = -1;
          for (const want of p) {
            found = -1;
            for (let i = from; i < rows.length; i++) {
              const r = rows[i]!;
              if (r.level < level) break;
              if (r.level === level && matches(r.label, want)) {
                found = i;
                break;
              }
            }
            if (found < 0) return -1;
            from = found + 1;
            level = rows[found]!.level + 1;
          }
          return found < 0 ? -1 : rows[found]!.index;
        },
        path.map((s) => (typeof s === 'string' ? { s } : { re: s.source })),
      );
    const found = await waitUntil(
      `a row at ${path.map(String).join(' › ')} in "${view}"`,
      async () => {
        const index = await findIndex();
        return index >= 0 && { index };
      },
      {
        timeoutMs: opts.timeout ?? 15_000,
        lastSeen: async () =>
          (await this.rowInfos(view))
            .map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.label} — ${r.description}`)
            .join('\n'),
      },
    );
    return this.rows(view).and(this.page.locator(`[data-index="${found.index}"]`));
  }

  /**
   * Expands a row (clicking its twistie) and waits until its children have loaded. The locator is
   * read afresh on every look, never through an element handle: a refresh (a server check landing,
   * a settings change rebuilding the client) re-renders the row while its children load, and a
   * handle would keep reading the detached old one.
   */
  async expandRow(row: Locator): Promise<Locator> {
    await this.waitExpanded(() => Promise.resolve(row), 'the row');
    return row;
  }

  /**
   * Clicks the twistie while the row is collapsed (again if a re-render collapsed it, but not
   * while VS Code is still applying the last click) until its children are rendered.
   */
  private async waitExpanded(find: () => Promise<Locator>, what: string): Promise<void> {
    // Children come from a real server: on a loaded 2-core machine a page of runs has taken
    // longer than the page's 15 s default, so this wait gets its own.
    let clickedAt = 0;
    let state = '';
    const look = async (): Promise<boolean> => {
      const row = await find();
      state = await row
        .evaluate(
          (el) => {
            // No aria-expanded: the node turned out to have no children.
            if (!el.hasAttribute('aria-expanded')) return 'done';
            if (el.getAttribute('aria-expanded') !== 'true') return 'collapsed';
            if (el.querySelector('.monaco-tl-twistie.codicon-tree-item-loading')) return 'loading';
            // Expanded is not enough: children are rendered a frame later. Done when the next row
            // is one level deeper.
            const index = Number(el.getAttribute('data-index'));
            const level = Number(el.getAttribute('aria-level'));
            const next = el.parentElement?.querySelector(`[data-index="${index + 1}"]`);
            return next && Number(next.getAttribute('aria-level')) === level + 1 ? 'done' : 'loading';
          },
          undefined,
          { timeout: 5_000 },
        )
        .catch(() => 'gone');
      if (state === 'done') return true;
      if (state === 'collapsed' && Date.now() - clickedAt > 2_000) {
        await row
          .locator('.monaco-tl-twistie')
          .click({ timeout: 5_000 })
          .catch(() => undefined);
        clickedAt = Date.now();
      }
      return false;
    };
    await waitUntil(`${what} to expand with its children`, look, { timeoutMs: 60_000, lastSeen: () => state });
  }

  async collapseRow(row: Locator): Promise<void> {
    if ((await row.getAttribute('aria-expanded')) === 'true') {
      await row.locator('.monaco-tl-twistie').click();
      await this.waitUntil(row, (el) => el.getAttribute('aria-expanded') !== 'true');
    }
  }

  /** Expands each row along a path of labels and returns the last one (expanded unless `leaf`). */
  async expandPath(view: string, path: readonly (string | RegExp)[], opts: { leaf?: boolean } = {}): Promise<Locator> {
    if (path.length === 0) throw new Error('expandPath needs at least one label');
    for (let i = 1; i <= path.length; i++) {
      const sub = path.slice(0, i);
      // Found by its path on every look: a re-render can also move the row to another index.
      if (i < path.length || !opts.leaf)
        await this.waitExpanded(() => this.rowAt(view, sub, { timeout: 60_000 }), sub.map(String).join(' › '));
    }
    return this.rowAt(view, path);
  }

  /** Labels of the direct children of the row at `path` (which must be expanded). */
  async childLabels(view: string, path: readonly (string | RegExp)[]): Promise<string[]> {
    const rows = await this.rowInfos(view);
    const parent = await this.rowAt(view, path);
    const parentIndex = Number(await parent.getAttribute('data-index'));
    const all = await this.rows(view).evaluateAll((els) =>
      els.map((el) => Number(el.getAttribute('data-index') ?? '0')).sort((a, b) => a - b),
    );
    const at = all.indexOf(parentIndex);
    const level = rows[at]?.level ?? 0;
    const out: string[] = [];
    for (let i = at + 1; i < rows.length; i++) {
      const r = rows[i]!;
      if (r.level <= level) break;
      if (r.level === level + 1) out.push(r.label);
    }
    return out;
  }

  async rowLabel(row: Locator): Promise<string> {
    return ((await row.locator('.label-name').textContent()) ?? '').trim();
  }

  async rowDescription(row: Locator): Promise<string> {
    const d = row.locator('.label-description');
    return (await d.count()) ? ((await d.textContent()) ?? '').trim() : '';
  }

  /** Hovers the row and returns the text of the tooltip it shows (Markdown tooltips included). */
  async rowTooltip(row: Locator): Promise<string> {
    // Hover the label itself: VS Code attaches the tree item hover to the label, not the row.
    await row.locator('.monaco-icon-label').hover();
    const hover = this.page
      .locator('.workbench-hover-container .hover-contents, .monaco-hover:not(.hidden) .hover-contents')
      .filter({ visible: true })
      .first();
    await hover.waitFor();
    const text = ((await hover.innerText()) ?? '').trim();
    // Move away so the hover does not cover the next thing a test clicks.
    await this.page.mouse.move(0, 0);
    await this.page.keyboard.press('Escape');
    return text;
  }

  /** Clicks a row's inline action by its title (e.g. "Filter Runs…"), shown on hover. */
  async clickInlineAction(row: Locator, title: string): Promise<void> {
    await row.hover();
    await row.locator(`.actions .action-label[aria-label^="${title.replace(/"/g, '\\"')}"]`).click();
  }

  /** Right-clicks a row and picks a context-menu item by its title. */
  async contextMenu(row: Locator, item: string): Promise<void> {
    await row.click({ button: 'right' });
    const menu = this.page.locator('.monaco-menu-container .monaco-menu').filter({ visible: true }).first();
    await menu.waitFor();
    const entry = menu.locator('.action-item:not(.disabled) .action-label', { hasText: exact(item) });
    await entry.hover();
    await entry.click();
    // A click that lands while the menu is still settling can be swallowed (the menu ignores
    // mouse-ups right after it opens); the item is focused then, so Enter runs it.
    const closed = await menu.waitFor({ state: 'hidden', timeout: 3_000 }).then(
      () => true,
      () => false,
    );
    if (!closed) {
      await entry.focus();
      await this.page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden' });
    }
  }

  /** Titles of the row's context-menu items (then closes the menu). */
  async contextMenuItems(row: Locator): Promise<string[]> {
    await row.click({ button: 'right' });
    const menu = this.page.locator('.monaco-menu-container .monaco-menu').filter({ visible: true }).first();
    await menu.waitFor();
    const labels = await menu.locator('.action-item .action-label').allTextContents();
    await this.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    return labels.map((l) => l.trim()).filter((l) => l !== '');
  }

  // ---- notifications -----------------------------------------------------------------------

  toast(text: string | RegExp): Locator {
    return this.page
      .locator('.notifications-toasts .notification-toast')
      .filter({ has: this.page.locator('.notification-list-item-message', { hasText: text }) });
  }

  /** Waits for a toast; call it right after the action (toasts fade out after a while). */
  async waitForToast(text: string | RegExp, opts: { timeout?: number } = {}): Promise<Locator> {
    const t = this.toast(text).first();
    await t.waitFor(opts.timeout !== undefined ? { timeout: opts.timeout } : {});
    return t;
  }

  async toastMessage(toast: Locator): Promise<string> {
    return ((await toast.locator('.notification-list-item-message').textContent()) ?? '').trim();
  }

  async clickToastButton(text: string | RegExp, button: string): Promise<void> {
    const t = await this.waitForToast(text);
    await t.locator('.notification-list-item-buttons-container .monaco-button', { hasText: exact(button) }).click();
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached' });
  }

  // ---- editors -----------------------------------------------------------------------------

  /** Opens a workspace file with Ctrl+P by (part of) its name. */
  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    await this.quickInputBox.waitFor();
    await this.quickInputBox.fill(name);
    // With a folder in the name, wait until the focused row is that file (not a recent one of
    // the same name that was focused before the results caught up with the query).
    const dir = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : undefined;
    let row = this.quickInput.locator('.monaco-list-row.focused', { hasText: basename(name) });
    if (dir) row = row.filter({ has: this.page.locator('.label-description', { hasText: dir }) });
    await row.waitFor();
    await this.page.keyboard.press('Enter');
    await this.activeTab({ title: basename(name) }).waitFor();
  }

  /**
   * The active editor tab. Its aria-label is the title plus states ("config.yaml, preview"), and
   * the label element splits name and extension, so `title` matches the accessible name.
   */
  activeTab(opts: { title?: string | RegExp } = {}): Locator {
    const tabs = this.page.locator('.editor-group-container.active .tabs-container');
    return opts.title !== undefined
      ? tabs.getByRole('tab', { name: opts.title, selected: true })
      : tabs.locator('.tab.active');
  }

  /**
   * The active tab's title: its aria-label without the states VS Code appends. (Not
   * data-resource-name: for a webview that is an internal id, not the panel title.)
   */
  async activeTabTitle(): Promise<string> {
    const label = (await this.activeTab().getAttribute('aria-label')) ?? '';
    return label.replace(/(, (preview|pinned|modified|read-only))+$/, '');
  }

  /** The text on screen in the active editor, lines in order (only the rendered part of long files). */
  async editorText(): Promise<string> {
    const lines = this.page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines');
    await lines.first().waitFor();
    return lines.first().evaluate((el) =>
      [...el.querySelectorAll<HTMLElement>('.view-line')]
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' '))
        .join('\n'),
    );
  }

  /** Waits until the active editor shows `text`. */
  async waitForEditorText(text: string | RegExp, opts: { timeout?: number } = {}): Promise<string> {
    let got = '';
    return waitUntil(
      `the active editor to show ${String(text)}`,
      async () => {
        got = await this.editorText().catch(() => '');
        return (typeof text === 'string' ? got.includes(text) : text.test(got)) && got;
      },
      { timeoutMs: opts.timeout ?? 15_000, lastSeen: () => got.slice(0, 2000) },
    );
  }

  languageMode(): Locator {
    return this.page.locator('.statusbar-item[id="status.editor.mode"]');
  }

  // ---- Problems, code lenses, webviews -----------------------------------------------------

  async openProblems(): Promise<Locator> {
    await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const panel = this.page.locator('.markers-panel');
    await panel.waitFor();
    return panel;
  }

  problems(text?: string | RegExp): Locator {
    const rows = this.page.locator('.markers-panel .monaco-tl-contents');
    return text === undefined ? rows : rows.filter({ hasText: text });
  }

  codeLens(text: string | RegExp): Locator {
    return this.page.locator('.monaco-editor .codelens-decoration a', { hasText: text });
  }

  async clickCodeLens(text: string | RegExp): Promise<void> {
    await this.codeLens(text).first().click();
  }

  /**
   * The content frame of the visible webview panel titled `title`. Hidden panels with
   * retainContextWhenHidden keep their iframes, hence `:visible` and the title filter.
   */
  webview(title: string): FrameLocator {
    return (
      this.page
        .locator('iframe.webview.ready:visible')
        .contentFrame()
        // A CSS string: quotes and backslashes escaped (a title may show a name's \u202e escape).
        .locator(`iframe#active-frame[title="${title.replace(/["\\]/g, '\\$&')}"]`)
        .contentFrame()
    );
  }
}

// ---- failure artifacts ---------------------------------------------------------------------

export interface ArtifactSources {
  workbench?: Workbench | undefined;
  codeServer?: CodeServer | undefined;
  /** Other log files to keep, e.g. the MLflow server's. */
  extraLogs?: (string | undefined)[];
}

export function artifactDirFor(testName: string): string {
  return join(
    ARTIFACTS_DIR,
    testName
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 120) || 'unnamed',
  );
}

/** Saves a screenshot, the exthost logs, code-server's log, the browser console and extra logs. */
export async function saveArtifacts(testName: string, sources: ArtifactSources, error?: unknown): Promise<string> {
  const dir = artifactDirFor(testName);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (error !== undefined)
    writeFileSync(
      join(dir, 'error.txt'),
      error instanceof Error
        ? `${error.stack ?? error.message}\n${error.cause ? `cause: ${String(error.cause)}` : ''}`
        : String(error),
    );
  const wb = sources.workbench;
  if (wb) {
    await wb
      .screenshot(join(dir, 'screen.png'))
      .catch((e: unknown) => writeFileSync(join(dir, 'screen-failed.txt'), String(e)));
    writeFileSync(join(dir, 'browser-console.log'), wb.consoleLines.join('\n'));
  }
  const cs = sources.codeServer;
  if (cs) {
    if (existsSync(cs.logFile)) copyFileSync(cs.logFile, join(dir, 'code-server.log'));
    const logsRoot = join(cs.root, 'data/logs');
    // Keep the folder structure: exthost1/<extension>/MLflow.log says more than a flat name.
    if (existsSync(logsRoot)) cpSync(logsRoot, join(dir, 'logs'), { recursive: true });
    writeFileSync(
      join(dir, 'where.txt'),
      `code-server root (kept): ${cs.root}\n${cs
        .logFiles()
        .map((f) => relative(cs.root, f))
        .join('\n')}\n`,
    );
  }
  for (const f of sources.extraLogs ?? []) if (f && existsSync(f)) copyFileSync(f, join(dir, basename(f)));
  return dir;
}

/**
 * Failure bookkeeping for one e2e file: `afterEach` saves artifacts for a failed test (only those),
 * and `allPassed` tells `after` whether it may delete the temp roots.
 */
export function failureArtifacts(sources: () => ArtifactSources): {
  afterEach: (t: TestContext | SuiteContext) => Promise<void>;
  /** Wraps a `before` body so a setup failure also leaves artifacts and keeps the temp roots. */
  guard: <T>(name: string, body: () => Promise<T>) => Promise<T>;
  readonly allPassed: boolean;
  readonly saved: string[];
} {
  let failures = 0;
  const saved: string[] = [];
  return {
    async afterEach(t) {
      // Node 24 sets these on the hook's context; @types/node 20 does not declare them yet.
      const outcome = t as { name: string; passed?: boolean; error?: unknown };
      // A CSP violation or an error in a webview fails the test even when what it checked passed:
      // a blocked style or a crashed view is a bug a user sees. (A throwing afterEach fails the test.)
      const problems = sources().workbench?.takeWebviewProblems() ?? [];
      if (outcome.passed !== false && problems.length === 0) return;
      failures++;
      const error =
        problems.length > 0
          ? new Error(`The webview console reported ${problems.length} problem(s):\n${problems.join('\n')}`, {
              cause: outcome.error,
            })
          : outcome.error;
      saved.push(await saveArtifacts(t.name, sources(), error));
      if (problems.length > 0) throw error;
    },
    async guard(name, body) {
      try {
        return await body();
      } catch (e) {
        failures++;
        saved.push(await saveArtifacts(name, sources(), e));
        throw e;
      }
    },
    get allPassed() {
      return failures === 0;
    },
    saved,
  };
}
