// Diffing runs in VS Code's own diff editor, as a user does it: the packaged extension in a real
// code-server, driven by Chromium, against the shared MLflow server (runs of an experiment this
// file creates; the seeded diff pair is covered by the integration test). Two runs selected in the
// tree → "Compare with…"; an artifact both runs have → "Compare Artifact with Another Run…";
// one run → "Compare with…" → pick; a refresh that updates an open run document; a run's source
// at its commit against the working tree of a real Git repository (the workspace), and the
// message when the commit is not there; and a server that goes away under open documents.
// The tests run in order and share one workbench.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ensureVsix, startCodeServer } from '../support/codeServer.ts';
import { sharedSeededServer } from '../support/mlflowServer.ts';
import type { SeededServer } from '../support/mlflowServer.ts';
import { e2eSession } from '../support/e2eSession.ts';
import { api } from '../support/restCall.ts';
import { waitUntil } from '../support/waitUntil.ts';

const VIEW = 'Experiments';
const SERVER = 'seeded';
/** The same server reached through a relay the last test cuts. */
const FLAKY = 'flaky';
/** What a file outside the repository holds; a git option smuggled in a commit tag must not change it. */
const VICTIM_TEXT = 'precious data\n';

// ---- state this file creates ---------------------------------------------------------------

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync(
    'git',
    ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    { cwd, encoding: 'utf8', shell: false },
  );
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A Git work tree (the workspace): src/train.py committed with lr = 0.01, then edited to 0.1. */
function makeRepo(): { root: string; dir: string; commit: string; victim: string } {
  const root = mkdtempSync(join(tmpdir(), 'mlflow-e2e-diff-'));
  const dir = join(root, 'wine');
  mkdirSync(join(dir, 'src'), { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'src/train.py'), 'import sys\n\nlr = 0.01\nepochs = 10\nprint(lr, epochs)\n');
  writeFileSync(join(dir, 'README.md'), '# wine\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'train with lr 0.01');
  const commit = git(dir, 'rev-parse', 'HEAD');
  writeFileSync(join(dir, 'src/train.py'), 'import sys\n\nlr = 0.1\nepochs = 10\nprint(lr, epochs)\n');
  writeFileSync(join(dir, 'README.md'), '# wine\n\nTrains with lr 0.1.\n');
  return { root, dir, commit, victim: join(root, 'victim.txt') };
}

interface OwnRun {
  id: string;
  name: string;
}

interface OwnRuns {
  experiment: string;
  /** Oldest; lr 0.5; no artifacts; source at `commit`. */
  bare: OwnRun;
  /** lr 0.01; config.yaml; source at `commit`. */
  older: OwnRun;
  /** Newest; lr 0.1; a different config.yaml; source at a commit this repository lacks. */
  newer: OwnRun;
  /** An MLflow Project run from the repository's root folder at `commit`. */
  project: OwnRun;
  /** A run whose commit tag is a git option (`--output=<victim>`): anyone who can tag a run can set it. */
  hostile: OwnRun;
}

/** PUT through the server's artifact proxy (the seeded server serves artifacts). */
async function uploadArtifact(url: string, artifactUri: string, path: string, content: string): Promise<void> {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(artifactUri);
  if (!m) throw new Error(`this test uploads through the artifact proxy; the run's artifact URI is ${artifactUri}`);
  const res = await fetch(`${url}/api/2.0/mlflow-artifacts/artifacts/${m[1]}/${path}`, {
    method: 'PUT',
    body: content,
  });
  if (!res.ok) throw new Error(`artifact upload: HTTP ${res.status} ${await res.text()}`);
}

/**
 * An experiment of this file's own (the newest, so it is the first row under the server): three
 * runs recorded from src/train.py on another machine's checkout. Its own, so the tests can change
 * a run and depend on nothing other files do to the shared server.
 */
async function makeRuns(url: string, commit: string, victim: string): Promise<OwnRuns> {
  const experiment = `e2e-diff-${Date.now().toString(36)}`;
  const { experiment_id } = await api<{ experiment_id: string }>(url, 'experiments/create', { name: experiment });
  const t0 = Date.now() - 120_000;
  const script = { type: 'LOCAL', name: '/home/ci/checkout/wine/src/train.py' };
  const make = async (
    name: string,
    lr: string,
    sha: string,
    start: number,
    config?: string,
    source = script,
  ): Promise<OwnRun> => {
    const created = await api<{ run: { info: { run_id: string; artifact_uri: string } } }>(url, 'runs/create', {
      experiment_id,
      run_name: name,
      start_time: start,
      tags: [
        { key: 'mlflow.user', value: 'e2e' },
        { key: 'mlflow.source.type', value: source.type },
        { key: 'mlflow.source.name', value: source.name },
        { key: 'mlflow.source.git.commit', value: sha },
      ],
    });
    const id = created.run.info.run_id;
    await api(url, 'runs/log-batch', {
      run_id: id,
      params: [
        { key: 'lr', value: lr },
        { key: 'epochs', value: '10' },
      ],
      metrics: [{ key: 'loss', value: 0.5, timestamp: start, step: 0 }],
    });
    if (config !== undefined) await uploadArtifact(url, created.run.info.artifact_uri, 'config.yaml', config);
    await api(url, 'runs/update', { run_id: id, status: 'FINISHED', end_time: start + 2_000 });
    return { id, name };
  };
  const bare = await make('own-bare', '0.5', commit, t0);
  // How `mlflow run .` records a project at the root of a Git work tree (mlflow-spec §2.4).
  const project = await make('own-project', '0.2', commit, t0 + 10_000, undefined, {
    type: 'PROJECT',
    name: 'file:///home/ci/checkout/wine',
  });
  const older = await make('own-older', '0.01', commit, t0 + 20_000, 'model: mlp\nlr: 0.01\nepochs: 10\n');
  const newer = await make(
    'own-newer',
    '0.1',
    'f'.repeat(40),
    t0 + 40_000,
    'model: mlp\nlr: 0.1\nepochs: 10\nwarmup: 5\n',
  );
  const hostile = await make('own-hostile', '0.3', `--output=${victim}`, t0 - 10_000);
  return { experiment, bare, older, newer, project, hostile };
}

/**
 * A TCP relay to the MLflow server that the test can cut: a server that goes away under open
 * documents, without stopping the shared server other files use.
 */
async function startRelay(target: string): Promise<{ url: string; cut: () => Promise<void> }> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const relay = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    sockets.add(client);
    sockets.add(upstream);
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    relay.once('error', reject);
    relay.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = relay.address();
  const relayPort = typeof addr === 'object' && addr ? addr.port : 0;
  let cut = false;
  return {
    url: `http://127.0.0.1:${relayPort}`,
    cut: async () => {
      if (cut) return;
      cut = true;
      const closed = new Promise<void>((resolve) => relay.close(() => resolve()));
      // Keep-alive connections would otherwise keep working.
      for (const sock of sockets) sock.destroy();
      await closed;
    },
  };
}

// ---- reading VS Code's diff editor ---------------------------------------------------------

interface DiffLine {
  text: string;
  /** The diff editor marks the line as removed (original side) or added (modified side). */
  changed: boolean;
}

interface DiffSides {
  original: DiffLine[];
  modified: DiffLine[];
}

/**
 * The rendered lines of the visible diff editor, each with whether VS Code decorated it as a
 * changed line: `.line-delete` / `.line-insert` overlays (VS Code 1.139) sit at the same `top` as
 * the line they mark.
 */
async function diffSides(page: Page): Promise<DiffSides> {
  const editor = page.locator('.editor-group-container.active .monaco-diff-editor').filter({ visible: true }).first();
  await editor.waitFor();
  return editor.evaluate((root) => {
    const side = (cls: string, mark: string): { text: string; changed: boolean }[] => {
      const ed = root.querySelector(`.monaco-editor.${cls}`);
      if (!ed) return [];
      const marked = new Set<number>();
      for (const o of ed.querySelectorAll<HTMLElement>('.view-overlays > div')) {
        if (o.querySelector(`.${mark}`)) marked.add(Math.round(parseFloat(o.style.top)));
      }
      return [...ed.querySelectorAll<HTMLElement>('.view-lines .view-line')]
        .map((l) => ({ top: Math.round(parseFloat(l.style.top)), text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((l) => ({ text: l.text, changed: marked.has(l.top) }));
    };
    return {
      original: side('original-in-monaco-diff-editor', 'line-delete'),
      modified: side('modified-in-monaco-diff-editor', 'line-insert'),
    };
  });
}

/** Polls the diff editor until `ok` holds (documents load and the diff is computed asynchronously). */
async function waitForDiff(
  page: Page,
  ok: (d: DiffSides) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<DiffSides> {
  let last: DiffSides = { original: [], modified: [] };
  const show = (ls: DiffLine[]) => ls.map((l) => `${l.changed ? '±' : ' '} ${l.text}`).join('\n');
  return waitUntil(
    `the diff editor to show ${what}`,
    async () => {
      last = await diffSides(page).catch(() => last);
      return ok(last) && last;
    },
    { timeoutMs, lastSeen: () => `--- original\n${show(last.original)}\n--- modified\n${show(last.modified)}` },
  );
}

/** The labels of the quick pick's rows on screen (the list keeps recycled rows of earlier picks hidden). */
async function pickLabels(page: Page): Promise<string[]> {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row').evaluateAll((rows) =>
    rows
      .filter((r) => (r as HTMLElement).offsetHeight > 0 && getComputedStyle(r).display !== 'none')
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
      .map((r) => r.querySelector('.label-name')?.textContent?.trim() ?? ''),
  );
}

function line(lines: DiffLine[], text: string): DiffLine | undefined {
  return lines.find((l) => l.text.trimEnd() === text);
}

// ---- the tests -----------------------------------------------------------------------------

describe('diff runs in the editor', () => {
  let seeded: SeededServer | undefined;
  let repo: ReturnType<typeof makeRepo> | undefined;
  let own: OwnRuns | undefined;
  let relay: Awaited<ReturnType<typeof startRelay>> | undefined;

  const s = (): SeededServer => {
    if (!seeded) throw new Error('no seeded server');
    return seeded;
  };
  const o = (): OwnRuns => {
    if (!own) throw new Error('own runs were not created');
    return own;
  };

  const session = e2eSession('diff setup', {
    timeoutMs: 900_000,
    setup: async () => {
      const [server, vsix] = await Promise.all([sharedSeededServer('sqlite'), ensureVsix()]);
      seeded = server;
      repo = makeRepo();
      writeFileSync(repo.victim, VICTIM_TEXT);
      own = await makeRuns(server.url, repo.commit, repo.victim);
      relay = await startRelay(server.url);
      return startCodeServer({
        vsix,
        workspace: repo.dir,
        settings: {
          'mlflow.servers': [
            { uri: server.url, name: SERVER },
            { uri: relay.url, name: FLAKY },
          ],
        },
      });
    },
    afterOpen: async (wb) => {
      await wb.showView(VIEW);
    },
    beforeClose: async () => {
      await relay?.cut();
    },
    teardown: async (allPassed) => {
      if (repo && allPassed) rmSync(repo.root, { recursive: true, force: true });
    },
  });
  const w = session.w;

  test('two runs selected → Compare with… opens the diff titled with both names; the changed param is a marked line', async () => {
    const { experiment, older, newer } = o();
    await w().expandPath(VIEW, [SERVER, experiment]);
    // Select the newer one first: the older run still goes on the left.
    const first = await w().rowAt(VIEW, [SERVER, experiment, newer.name]);
    await first.click();
    // A click also expands the run; let its children load so the rows below stop moving.
    await w().expandRow(first);
    const a = await w().rowAt(VIEW, [SERVER, experiment, older.name]);
    await a.click({ modifiers: ['Control'] });
    await w().contextMenu(a, 'Compare with…');

    await w()
      .activeTab({ title: `${older.name} ↔ ${newer.name}` })
      .waitFor({ timeout: 30_000 });
    // The text shows before the diff is computed: wait for the marks, not just the lines.
    const d = await waitForDiff(
      w().page,
      (x) => line(x.modified, '  lr: "0.1"')?.changed === true,
      'the changed lr of own-newer marked',
    );
    assert.ok(line(d.original, '  lr: "0.01"')?.changed, 'lr on the left is marked as removed');
    assert.ok(line(d.modified, '  lr: "0.1"')?.changed, 'lr on the right is marked as added');
    assert.equal(line(d.original, '  epochs: "10"')?.changed, false, 'an equal param is unmarked on the left');
    assert.equal(line(d.modified, '  epochs: "10"')?.changed, false, 'an equal param is unmarked on the right');
    assert.ok(line(d.original, `  name: ${older.name}`)?.changed, 'the older run is on the left');
    assert.ok(line(d.modified, '  config.yaml: 40 # 40 B')?.changed, 'artifact sizes are listed and compared');
    assert.equal(((await w().languageMode().textContent()) ?? '').trim(), 'YAML');
    await w().snapshot('diff-1-runs');
  });

  test('an artifact both runs have → Compare Artifact with Another Run… diffs the two files', async () => {
    const { experiment, bare, older, newer } = o();
    await w().expandPath(VIEW, [SERVER, experiment, older.name, 'Artifacts']);
    const file = await w().rowAt(VIEW, [SERVER, experiment, older.name, 'Artifacts', 'config.yaml']);
    await w().contextMenu(file, 'Compare Artifact with Another Run…');
    await w().waitForQuickInput(`Compare config.yaml of ${older.name} with…`);
    await w().quickPickItems().filter({ hasText: newer.name }).first().waitFor();
    const offered = await pickLabels(w().page);
    assert.deepEqual(
      offered.filter((l) => l.startsWith('own-')),
      [newer.name],
      `only runs that have config.yaml are offered (not ${bare.name})`,
    );
    await w().pickQuickItem(newer.name);

    await w()
      .activeTab({ title: `config.yaml (${older.name} ↔ ${newer.name})` })
      .waitFor({ timeout: 30_000 });
    const d = await waitForDiff(
      w().page,
      (x) => line(x.modified, 'warmup: 5')?.changed === true,
      "own-newer's config.yaml marked",
    );
    assert.ok(line(d.original, 'lr: 0.01')?.changed);
    assert.ok(line(d.modified, 'lr: 0.1')?.changed);
    assert.ok(line(d.modified, 'warmup: 5')?.changed, 'the line only the newer run has is marked as added');
    assert.equal(line(d.original, 'model: mlp')?.changed, false);
    await w().snapshot('diff-2-artifact');
  });

  test('one run → Compare with… offers the other runs with their param changes; a refresh updates the open document', async () => {
    const { experiment, bare, older, newer } = o();
    const row = await w().rowAt(VIEW, [SERVER, experiment, newer.name]);
    await row.click();
    await w().contextMenu(row, 'Compare with…');
    await w().waitForQuickInput(`Compare ${newer.name} with…`);
    const item = w().quickPickItems().filter({ hasText: bare.name }).first();
    await item.waitFor();
    assert.match((await item.textContent()) ?? '', /lr 0\.1 → 0\.5/, 'the pick says which param differs');
    assert.match(
      (await w().quickPickItems().filter({ hasText: older.name }).first().textContent()) ?? '',
      /lr 0\.1 → 0\.01/,
    );
    assert.equal(
      await w().quickPickItems().filter({ hasText: 'Enter a run ID…' }).count(),
      1,
      'a run can also be given by its ID',
    );
    await w().pickQuickItem(bare.name);

    await w()
      .activeTab({ title: `${bare.name} ↔ ${newer.name}` })
      .waitFor({ timeout: 30_000 });
    let d = await waitForDiff(
      w().page,
      (x) => line(x.original, '  lr: "0.5"')?.changed === true,
      'own-bare on the left, lr marked',
    );
    assert.ok(line(d.original, '  lr: "0.5"')?.changed);
    assert.ok(line(d.original, 'tags: {}'), 'no user tags yet');

    // A change on the server shows once the run is refreshed in the MLflow view.
    await api(s().url, 'runs/set-tag', { run_id: bare.id, key: 'review', value: 'approved' });
    await w().runCommand('MLflow: Refresh');
    d = await waitForDiff(
      w().page,
      (x) => line(x.original, '  review: approved')?.changed === true,
      'the new tag after a refresh, marked',
    );
    assert.ok(line(d.original, '  review: approved')?.changed, 'the tag only the left run has is marked');
    assert.ok(line(d.modified, 'tags: {}'));
    await w().snapshot('diff-3-refreshed');
  });

  test("Compare Run's Source with Working Tree: the script at the run's commit against the edited working copy", async () => {
    const { experiment, older } = o();
    const row = await w().rowAt(VIEW, [SERVER, experiment, older.name]);
    await row.click();
    await w().contextMenu(row, "Compare Run's Source with Working Tree");
    const sha = repo?.commit.slice(0, 7) ?? '';
    await w()
      .activeTab({ title: `train.py @ ${sha} ↔ working tree` })
      .waitFor({ timeout: 30_000 });
    const d = await waitForDiff(
      w().page,
      (x) => line(x.original, 'lr = 0.01')?.changed === true && line(x.modified, 'lr = 0.1')?.changed === true,
      'train.py at both versions, lr marked',
    );
    assert.ok(line(d.original, 'lr = 0.01')?.changed);
    assert.ok(line(d.modified, 'lr = 0.1')?.changed);
    assert.equal(line(d.modified, 'epochs = 10')?.changed, false);
    await w().snapshot('diff-4-source');
  });

  test("a project run: Compare Run's Source with Working Tree offers the project's changed files", async () => {
    const { experiment, project } = o();
    const row = await w().rowAt(VIEW, [SERVER, experiment, project.name]);
    await row.click();
    await w().contextMenu(row, "Compare Run's Source with Working Tree");
    const sha = repo?.commit.slice(0, 7) ?? '';
    await w().waitForQuickInput(`Files of wine changed since ${sha}`);
    await w().quickPickItems().filter({ hasText: 'train.py' }).first().waitFor();
    assert.deepEqual(await pickLabels(w().page), ['README.md', 'train.py']);
    await w().pickQuickItem('README.md');
    await w()
      .activeTab({ title: `README.md @ ${sha} ↔ working tree` })
      .waitFor({ timeout: 30_000 });
    const d = await waitForDiff(
      w().page,
      (x) => line(x.modified, 'Trains with lr 0.1.')?.changed === true,
      'the README line added since the commit',
    );
    assert.equal(line(d.original, '# wine')?.changed, false);
    await w().snapshot('diff-5-project-source');
  });

  test('a run made from a commit this repository lacks: a message that says so and offers to fetch', async () => {
    const { experiment, newer } = o();
    const row = await w().rowAt(VIEW, [SERVER, experiment, newer.name]);
    await row.click();
    await w().contextMenu(row, "Compare Run's Source with Working Tree");
    const toast = await w().waitForToast(
      /Commit fffffff that this run was made from is not in the local repository wine/,
    );
    assert.match(await w().toastMessage(toast), /Fetch from the remote \(git fetch\) and try again\./);
    assert.equal(await toast.locator('.monaco-button', { hasText: 'Fetch and Retry' }).count(), 1);
    await w().snapshot('diff-6-missing-commit');
    await w().clearNotifications();
  });
  test('a commit tag that is a git option (--output=<file>) is refused with a message; the file is untouched', async () => {
    const { experiment, hostile } = o();
    await w().expandPath(VIEW, [SERVER, experiment]);
    const row = await w().rowAt(VIEW, [SERVER, experiment, hostile.name]);
    await row.click();
    await w().contextMenu(row, "Compare Run's Source with Working Tree");
    const toast = await w().waitForToast(/is not a Git commit hash/);
    assert.match(await w().toastMessage(toast), /mlflow\.source\.git\.commit/);
    assert.equal(readFileSync(repo!.victim, 'utf8'), VICTIM_TEXT, 'the file named in the tag is untouched');
    await w().snapshot('diff-6b-hostile-commit');
    await w().clearNotifications();
  });

  test('a server that goes away under open run documents: the documents say so, no error toasts', async () => {
    const { experiment, older, newer } = o();
    // Fold the first server so the second one's rows are on screen.
    const first = await w().rowAt(VIEW, [SERVER]);
    if ((await first.getAttribute('aria-expanded')) === 'true') await first.locator('.monaco-tl-twistie').click();
    await w().expandPath(VIEW, [FLAKY, experiment]);
    const a = await w().rowAt(VIEW, [FLAKY, experiment, older.name]);
    await a.click();
    await w().expandRow(a);
    const b = await w().rowAt(VIEW, [FLAKY, experiment, newer.name]);
    await b.click({ modifiers: ['Control'] });
    await w().contextMenu(b, 'Compare with…');
    // The first test left "own-older ↔ own-newer" of the first server open: two comparison tabs are
    // never titled alike, so this one names both sides with their short run ids.
    await w()
      .activeTab({ title: new RegExp(`^${older.name} \\([0-9a-f]{7}\\) ↔ ${newer.name} \\([0-9a-f]{7}\\)`) })
      .waitFor({ timeout: 30_000 });
    await waitForDiff(
      w().page,
      (x) =>
        x.original.some((l) => l.text.startsWith(`# Server: ${FLAKY} <`)) &&
        line(x.modified, '  lr: "0.1"')?.changed === true,
      'both runs through the relay',
    );

    await relay?.cut();
    await w().runCommand('MLflow: Refresh');
    const d = await waitForDiff(
      w().page,
      (x) =>
        x.original.some((l) => l.text.startsWith('# Could not load this run: ')) &&
        x.modified.some((l) => l.text.startsWith('# Could not load this run: ')),
      'the error comment on both sides',
    );
    assert.ok(
      d.original.some((l) => l.text.startsWith('# Refresh the run in the MLflow view')),
      'the document says how to retry',
    );
    assert.ok(!d.original.some((l) => l.text.startsWith('params:')), 'no stale content under the error');
    assert.equal(
      await w().page.locator('.notifications-toasts .notification-toast').count(),
      0,
      'failed reloads do not raise toasts',
    );
    await w().snapshot('diff-7-server-gone');
  });
});
