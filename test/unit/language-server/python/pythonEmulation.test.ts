// The Python behaviour the server emulates, checked against CPython 3.11 / PyYAML 6.0.3 output
// recorded in test/fixtures/language-server/python-ground-truth.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groundTruth } from '../support.ts';
import { loadMlprojectYaml } from '../../../../language-server/src/yaml/pyyamlLoad.ts';
import {
  pyFloatRepr,
  pyRepr,
  pyStr,
  pyStrRepr,
  pyTypeName,
} from '../../../../language-server/src/python/pythonValues.ts';
import { shlexQuote } from '../../../../language-server/src/python/shellQuote.ts';
import { localPathOrNone, pyUrlSplit } from '../../../../language-server/src/python/pythonPaths.ts';
import { FormatRenderError, pyFormat } from '../../../../language-server/src/python/pythonFormat.ts';

test(`ground truth comes from ${groundTruth.generator}`, () => {
  assert.match(groundTruth.generator, /^CPython 3\.\d+.*PyYAML 6\./);
});

test('YAML 1.1 scalars resolve and render as PyYAML + str() do', () => {
  assert.ok(groundTruth.scalars.length > 100);
  for (const [source, type, rendered] of groundTruth.scalars) {
    const loaded = loadMlprojectYaml(`a: ${source}`);
    const fatal = loaded.problems.filter((p) => p.fatal);
    if (type === 'error') {
      assert.ok(fatal.length > 0, `PyYAML rejects a: ${source} (${rendered}); we accepted it`);
      continue;
    }
    assert.deepEqual(fatal, [], `a: ${source}`);
    assert.equal(loaded.root?.kind, 'dict');
    const value = loaded.root?.kind === 'dict' ? loaded.root.entries[0]?.value : undefined;
    assert.ok(value);
    assert.equal(pyTypeName(value).replace('datetime.', ''), type, `type of ${JSON.stringify(source)}`);
    assert.equal(pyStr(value), rendered, `str() of ${JSON.stringify(source)}`);
  }
});

test('float repr matches Python, including exponent switch-over points', () => {
  for (const repr of groundTruth.floatReprs) assert.equal(pyFloatRepr(Number(repr)), repr);
  assert.equal(pyFloatRepr(Infinity), 'inf');
  assert.equal(pyFloatRepr(NaN), 'nan');
});

test('str repr matches Python (quote choice, escapes, non-printables)', () => {
  for (const [s, repr] of groundTruth.strReprs) assert.equal(pyStrRepr(s), repr, JSON.stringify(s));
});

test('shlex.quote matches Python for spaces, quotes, ;, $(), newlines, empty and unicode', () => {
  assert.ok(groundTruth.shlexQuote.length >= 30);
  for (const [s, quoted] of groundTruth.shlexQuote) assert.equal(shlexQuote(s), quoted, JSON.stringify(s));
});

test('urlparse scheme/netloc and get_local_path_or_none match Python', () => {
  for (const [url, scheme, netloc, local] of groundTruth.urls) {
    const parts = pyUrlSplit(url);
    assert.equal(parts.scheme, scheme, `scheme of ${JSON.stringify(url)}`);
    assert.equal(parts.netloc, netloc, `netloc of ${JSON.stringify(url)}`);
    assert.equal(localPathOrNone(url) ?? null, local, `local path of ${JSON.stringify(url)}`);
  }
});

test('whole documents load to the same Python object, or fail, as with yaml.safe_load', () => {
  assert.ok(groundTruth.documents.length > 70);
  for (const [doc, ok, repr] of groundTruth.documents) {
    const loaded = loadMlprojectYaml(doc);
    const fatal = loaded.problems.filter((p) => p.fatal);
    if (!ok) {
      assert.ok(fatal.length > 0, `PyYAML raises ${repr} on ${JSON.stringify(doc)}; we did not`);
      continue;
    }
    assert.deepEqual(
      fatal.map((p) => p.message),
      [],
      JSON.stringify(doc),
    );
    if (repr === 'None') {
      assert.ok(loaded.empty, `${JSON.stringify(doc)} is None`);
      continue;
    }
    assert.ok(loaded.root);
    assert.equal(pyRepr(loaded.root), repr, JSON.stringify(doc));
  }
});

test('str.format renders, or raises the same exception and message, as Python', () => {
  const kwargs = new Map(Object.entries(groundTruth.formatKwargs));
  assert.ok(groundTruth.formats.length >= 90);
  for (const [template, kind, expected] of groundTruth.formats) {
    let got: [string, string];
    try {
      got = ['ok', pyFormat(template, kwargs)];
    } catch (e) {
      assert.ok(e instanceof FormatRenderError, String(e));
      got = [e.error.pythonType, e.error.message];
    }
    if (kind === 'ok' && template.includes('.upper')) continue;
    assert.deepEqual(got, [kind, expected], JSON.stringify(template));
  }
});

test('the documented escape for a shell variable is ${{VAR}}, not $${{VAR}}', () => {
  const kwargs = new Map<string, string>();
  assert.equal(pyFormat('echo ${{HOME}}', kwargs), 'echo ${HOME}');
  // `$${{HOME}}` gives `$${HOME}`, where the shell expands `$$` (the PID).
  assert.equal(pyFormat('echo $${{HOME}}', kwargs), 'echo $${HOME}');
});
