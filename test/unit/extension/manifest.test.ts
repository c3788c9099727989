// The manifest is what VS Code reads before any of our code runs: a missing activation event or
// an unregistered command only shows up as a dead tab or a "command not found" for the user.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = join(import.meta.dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  capabilities?: {
    untrustedWorkspaces?: {
      supported?: boolean | 'limited';
      description?: string;
      restrictedConfigurations?: string[];
    };
    virtualWorkspaces?: boolean | { supported?: boolean | 'limited'; description?: string };
  };
  contributes: {
    commands: { command: string; category?: string }[];
    configuration: { properties: Record<string, unknown> };
  };
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
}

describe('package.json', () => {
  test('a run document or artifact tab restored after a window reload activates the extension', () => {
    // The scheme modules import vscode, so their constants are read from the source.
    const schemes = [
      ...sources(join(ROOT, 'extension/src'))
        .join('\n')
        .matchAll(/export const \w+_SCHEME = '([^']+)'/g),
    ].map((m) => m[1]);
    assert.deepEqual(schemes.sort(), ['mlflow-artifact', 'mlflow-run']);
    for (const scheme of schemes) {
      assert.ok(
        manifest.activationEvents.includes(`onFileSystem:${scheme}`),
        `no onFileSystem:${scheme} activation event`,
      );
    }
  });

  test('every command is in the MLflow category and registered by the extension', () => {
    // Lens commands are named once, in the language server's protocol module the extension imports.
    const code = [
      ...sources(join(ROOT, 'extension/src')),
      readFileSync(join(ROOT, 'language-server/src/protocol.ts'), 'utf8'),
    ].join('\n');
    for (const { command, category } of manifest.contributes.commands) {
      assert.equal(category, 'MLflow', command);
      assert.ok(code.includes(`'${command}'`), `${command} is contributed but never registered`);
    }
  });

  test('Restricted Mode: browsing works; what runs workspace programs is declared and gated', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    // Without this VS Code disables the whole extension in an untrusted workspace.
    assert.equal(untrusted?.supported, 'limited');
    assert.match(untrusted?.description ?? '', /local MLflow server/);
    assert.match(untrusted?.description ?? '', /mlflow run/);
    assert.match(untrusted?.description ?? '', /Python interpreter/);
    // A workspace must not pick the executable the extension runs.
    const restricted = untrusted?.restrictedConfigurations ?? [];
    assert.ok(restricted.includes('mlflow.pythonPath'));
    for (const key of restricted)
      assert.ok(key in manifest.contributes.configuration.properties, `${key} is not a setting`);
    const virtual = manifest.capabilities?.virtualWorkspaces;
    assert.equal(typeof virtual === 'object' ? virtual.supported : virtual, 'limited');
    // Each of the three starts behind the trust gate (the modules import vscode, so their source is read).
    const src = (f: string) => readFileSync(join(ROOT, 'extension/src', f), 'utf8');
    assert.match(
      src('servers/localServer.ts'),
      /async start\([^)]*\)[^{]*\{(?:(?!\n {2}\}).)*requireWorkspaceTrust\('Starting a local MLflow server'\)/s,
    );
    assert.match(src('projects/runEntryPoint.ts'), /async run\([^)]*\)[^{]*\{\s*if \(!\(await requireWorkspaceTrust\(/);
    assert.match(
      src('servers/python.ts'),
      /resolvePython\([^)]*\)[^{]*\{(?:\s*\/\/.*)*\s*if \(!vscode\.workspace\.isTrusted\) throw/,
    );
  });

  test('every setting is under mlflow.*', () => {
    for (const key of Object.keys(manifest.contributes.configuration.properties)) assert.match(key, /^mlflow\./);
  });
});
