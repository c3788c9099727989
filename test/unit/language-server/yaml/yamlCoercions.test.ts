import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCoercion } from '../../../../language-server/src/yaml/yamlCoercions.ts';
import { loadMlprojectYaml } from '../../../../language-server/src/yaml/pyyamlLoad.ts';

function coercion(source: string): string | undefined {
  const root = loadMlprojectYaml(`a: ${source}`).root;
  const v = root?.kind === 'dict' ? root.entries[0]?.value : undefined;
  assert.ok(v);
  return describeCoercion(v);
}

test('YAML 1.1 surprises are explained; plain text and exact numbers are not', () => {
  assert.match(coercion('yes') ?? '', /^YAML 1\.1 reads `yes` as the boolean True\.$/);
  assert.match(coercion('off') ?? '', /boolean False/);
  assert.match(coercion('010') ?? '', /integer 8 \(octal\)/);
  assert.match(coercion('0x1F') ?? '', /integer 31 \(hexadecimal\)/);
  assert.match(coercion('12:30') ?? '', /integer 750 \(base 60\)/);
  assert.match(coercion('1_000') ?? '', /integer 1000 \(underscores are dropped\)/);
  assert.match(coercion('.inf') ?? '', /^YAML 1\.1 reads `.inf` as the float inf/);
  assert.match(coercion('0.10') ?? '', /^YAML reads `0\.10` as the float 0\.1/);
  assert.match(coercion('true') ?? '', /^YAML reads `true` as the boolean True/);
  for (const quiet of ['5', '0.5', '1e-3', '2020-01-01', 'text', '"yes"', 'True'])
    assert.equal(coercion(quiet), undefined, quiet);
});
