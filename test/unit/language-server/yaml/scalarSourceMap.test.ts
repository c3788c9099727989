import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMlprojectYaml } from '../../../../language-server/src/yaml/pyyamlLoad.ts';
import { mapScalarSource } from '../../../../language-server/src/yaml/scalarSourceMap.ts';

function placeholdersFound(doc: string): { mapped: boolean; ok: boolean } {
  const loaded = loadMlprojectYaml(doc);
  const v = loaded.root?.kind === 'dict' ? loaded.root.entries[0]?.value : undefined;
  assert.ok(v && v.kind === 'str', doc);
  const map = mapScalarSource(doc, v);
  if (!map?.exact) return { mapped: false, ok: false };
  let ok = true;
  for (const m of v.value.matchAll(/\{[a-z]+\}/g)) {
    const at = map.offsetAt(m.index);
    if (doc.slice(at, at + m[0].length) !== m[0]) ok = false;
  }
  return { mapped: true, ok };
}

const styles: Record<string, string> = {
  plain: 'c: python t.py {alpha} --b {beta}',
  'plain multi-line': 'c: python t.py\n  --a {alpha}\n\n  --b {beta}',
  double: 'c: "python t.py {alpha} --b \\"{beta}\\""',
  'double with escapes and continuation': 'c: "python \\u00e9 \\\n   --a {alpha} \\t {beta}"',
  single: "c: 'it''s {alpha} {beta}'",
  'single multi-line': "c: 'x\n  y {alpha}  \n  z {beta}'",
  literal: 'c: |\n  python t.py \\\n    --a {alpha}\n  echo {beta}\n',
  folded: 'c: >\n  python t.py\n  --a {alpha}\n\n  --b {beta}\n',
  'folded with more-indented lines': 'c: >-\n  python\n    indented {alpha}\n  back {beta}\n',
  'explicit indentation indicator': 'c: |2\n    x {alpha}\n   y {beta}\n',
  'CRLF block': 'c: |\r\n  echo {alpha}\r\n  echo {beta}\r\n',
};

for (const [name, doc] of Object.entries(styles)) {
  test(`value indices map back to the source: ${name}`, () => {
    const r = placeholdersFound(doc);
    assert.ok(r.mapped, 'no map');
    assert.ok(r.ok, 'a placeholder maps to the wrong place');
  });
}

test('non-strings have no map', () => {
  const loaded = loadMlprojectYaml('c: 12');
  const v = loaded.root?.kind === 'dict' ? loaded.root.entries[0]?.value : undefined;
  assert.ok(v);
  assert.equal(mapScalarSource('c: 12', v), undefined);
});
