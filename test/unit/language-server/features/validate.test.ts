// validateMlproject: one test per rule, checking severity, the exact range (as the text it
// covers) and MLflow's wording where MLflow has one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateMlproject } from '../../../../language-server/src/features/validate.ts';
import { Severity, type MlprojectDiagnostic } from '../../../../language-server/src/features/diagnostics.ts';
import type { ProjectContext } from '../../../../language-server/src/model/projectContext.ts';
import { applyEdits, memoryProject, rangeText } from '../support.ts';

interface Found {
  code: string;
  severity: number;
  text: string;
  message: string;
  diagnostic: MlprojectDiagnostic;
}

function check(text: string, ctx: ProjectContext = {}, hintUncheckedTypes = true): Found[] {
  return validateMlproject(text, ctx, { hintUncheckedTypes }).map((d) => ({
    code: d.code,
    severity: d.severity ?? 0,
    text: rangeText(text, d.range),
    message: d.message,
    diagnostic: d,
  }));
}

function one(found: Found[], code: string): Found {
  const hits = found.filter((f) => f.code === code);
  assert.equal(hits.length, 1, `expected one ${code}, got ${JSON.stringify(found.map((f) => [f.code, f.text]))}`);
  return hits[0] as Found;
}

const errors = (found: Found[]): Found[] => found.filter((f) => f.severity === Severity.Error);

const VALID = `name: tutorial
python_env: python_env.yaml
entry_points:
  main:
    parameters:
      alpha: {type: float, default: 0.5}
      data: {type: path, default: data.csv}
    command: "python train.py --alpha {alpha} --data {data}"
`;
const project = memoryProject({ 'python_env.yaml': 'python: "3.11"\n', 'train.py': '', 'data.csv': '' });

test('a valid project has no diagnostics at all', () => {
  assert.deepEqual(check(VALID, project), []);
});

test('MLflow-example style `int` types get hints only, and none when the setting is off', () => {
  const text =
    'name: x\nentry_points:\n  main:\n    parameters:\n      n: {type: int, default: 3}\n    command: "echo {n}"\n';
  const found = check(text);
  assert.deepEqual(
    found.map((f) => [f.code, f.severity, f.text]),
    [['parameter-type-unchecked', Severity.Hint, 'int']],
  );
  assert.deepEqual(check(text, {}, false), []);
});

test('empty file and top level that is not a mapping', () => {
  const empty = one(check(''), 'empty-document');
  assert.equal(empty.severity, Severity.Error);
  assert.match(empty.message, /'NoneType' object has no attribute 'keys'/);
  assert.equal(one(check('# nothing\n'), 'empty-document').severity, Severity.Error);
  const list = one(check('- a\n- b\n'), 'top-level-not-mapping');
  assert.match(list.message, /'list' object has no attribute 'keys'/);
  assert.equal(list.text, '- a\n- b\n');
});

test('several environment fields: MLflow’s message on each key, even a null one, with a remove fix', () => {
  const text = 'name: x\npython_env: python_env.yaml\nconda_env:\nentry_points: {}\n';
  const found = errors(check(text, project)).filter((f) => f.code === 'multiple-environments');
  assert.deepEqual(
    found.map((f) => f.text),
    ['python_env', 'conda_env'],
  );
  assert.ok(
    found.every((f) =>
      f.message.startsWith("Project cannot contain multiple environment fields: {'python_env', 'conda_env'}"),
    ),
  );
  assert.deepEqual(found[1]?.diagnostic.data?.fixes[0]?.title, 'Remove `conda_env`');
});

test('docker_env: image, volumes, environment, shape and name', () => {
  const noImage = one(check('name: x\ndocker_env:\n  volumes: ["/a:/a"]\n'), 'docker-image');
  assert.equal(
    noImage.message,
    'Project configuration (MLproject file) was invalid: Docker environment specified but no image attribute found.',
  );
  const volumes = one(check('name: x\ndocker_env:\n  image: i\n  volumes: "/a:/a"\n'), 'docker-volumes');
  assert.equal(volumes.text, '"/a:/a"');
  assert.match(volumes.message, /Docker volumes must be a list of strings/);
  const env = one(check('name: x\ndocker_env:\n  image: i\n  environment: [{A: b}]\n'), 'docker-environment');
  assert.match(env.message, /environment must be a list containing either strings/);
  const shape = one(check('name: x\ndocker_env: python:3.11\n'), 'docker-not-mapping');
  assert.match(shape.message, /'str' object has no attribute 'get'/);
  const name = one(check('docker_env:\n  image: i\n'), 'docker-name');
  assert.equal(name.severity, Severity.Error);
  assert.match(name.message, /^Project name in MLProject must be specified when using docker for image tagging\./);
  const empty = one(check('name: x\ndocker_env: {}\n'), 'env-empty');
  assert.equal(empty.severity, Severity.Warning);
  const pair = one(
    check('name: x\ndocker_env:\n  image: i\n  environment: [["ONLY_NAME"]]\n'),
    'docker-environment-pair',
  );
  assert.equal(pair.severity, Severity.Warning);
});

test('env files: missing file uses MLflow’s wording with the joined path, plus a did-you-mean fix', () => {
  const ctx = memoryProject({ 'python_env.yaml': 'python: "3.11"\n' });
  const text = 'name: x\npython_env: python_env.yml\n';
  const missing = one(check(text, ctx), 'env-file-missing');
  assert.equal(missing.text, 'python_env.yml');
  assert.ok(
    missing.message.startsWith('Project specified python_env file /proj/python_env.yml, but no such file was found.'),
  );
  assert.equal(missing.diagnostic.data?.fixes[0]?.edits[0]?.newText, 'python_env.yaml');
  const conda = one(check('name: x\nconda_env: env/conda.yaml\n', ctx), 'env-file-missing');
  assert.ok(
    conda.message.startsWith(
      'Project specified conda environment file /proj/env/conda.yaml, but no such file was found.',
    ),
  );
  const inline = one(check('name: x\npython_env:\n  python: "3.11"\n', ctx), 'env-file-type');
  assert.match(inline.message, /not 'dict'/);
  // Unknown project directory: nothing to check against.
  assert.deepEqual(
    check(text).filter((f) => f.code === 'env-file-missing'),
    [],
  );
});

test('python_env.yaml content: `python: 3.10` is a float (warning on the MLproject value)', () => {
  const ctx = memoryProject({ 'python_env.yaml': 'python: 3.10\nextra: 1\n' });
  const found = check('name: x\npython_env: python_env.yaml\n', ctx).filter((f) => f.code === 'python-env-file');
  assert.equal(found.length, 2);
  assert.ok(found.every((f) => f.severity === Severity.Warning && f.text === 'python_env.yaml'));
  assert.ok(found.some((f) => /as the float 3\.1; write `python: "3\.10"`/.test(f.message)));
  assert.ok(found.some((f) => /unexpected keyword argument 'extra'/.test(f.message)));
});

test('near-miss env file names and several MLproject files in one folder', () => {
  const ctx = memoryProject({ 'conda.yml': 'dependencies: []\n', MLproject: '', mlproject: '' });
  const found = check('name: x\nentry_points: {}\n', ctx);
  const near = one(found, 'env-file-near-miss');
  assert.equal(near.text, 'name');
  assert.equal(near.diagnostic.data?.fixes[0]?.edits[0]?.newText, 'conda_env: conda.yml\n');
  assert.equal(one(found, 'several-mlproject-files').severity, Severity.Warning);
});

test('entry_points / entry point / parameters / parameter shapes MLflow cannot load', () => {
  assert.match(
    one(check('name: x\nentry_points:\n'), 'entry-points-shape').message,
    /'NoneType' object has no attribute 'items'/,
  );
  assert.match(
    one(check('name: x\nentry_points: [a]\n'), 'entry-points-shape').message,
    /'list' object has no attribute 'items'/,
  );
  const str = one(check('name: x\nentry_points:\n  main: python train.py\n'), 'entry-point-shape');
  assert.equal(str.text, 'python train.py');
  assert.match(str.message, /'str' object has no attribute 'get'/);
  assert.equal(str.diagnostic.data?.fixes[0]?.edits[0]?.newText, '\n    command: python train.py');
  assert.match(
    one(check('name: x\nentry_points:\n  main:\n'), 'entry-point-shape').message,
    /'NoneType' object has no attribute 'get'/,
  );
  const params = one(
    check('name: x\nentry_points:\n  main:\n    parameters: [a, b]\n    command: echo\n'),
    'parameters-shape',
  );
  assert.equal(params.text, '[a, b]');
  const nullParam = one(
    check('name: x\nentry_points:\n  main:\n    parameters:\n      alpha:\n    command: echo {alpha}\n'),
    'parameter-shape',
  );
  assert.equal(nullParam.text, 'alpha');
  assert.match(nullParam.message, /'NoneType' object has no attribute 'get'/);
  assert.match(
    one(
      check('name: x\nentry_points:\n  main:\n    parameters:\n      alpha: 0.5\n    command: echo {alpha}\n'),
      'parameter-shape',
    ).message,
    /'float' object/,
  );
});

test('commands: missing, or not a string (unquoted `{a}` is a flow mapping)', () => {
  assert.match(
    one(check('name: x\nentry_points:\n  main:\n    parameters: {a: string}\n'), 'command-missing').message,
    /'NoneType' object has no attribute 'format'/,
  );
  const flow = one(
    check('name: x\nentry_points:\n  main:\n    parameters: {a: string}\n    command: {a}\n'),
    'command-type',
  );
  assert.equal(flow.text, '{a}');
  assert.match(flow.message, /'dict' object has no attribute 'format'.*flow mapping/);
  assert.equal(flow.diagnostic.data?.fixes[0]?.edits[0]?.newText, '"{a}"');
  assert.match(
    one(check('name: x\nentry_points:\n  main:\n    command: 42\n'), 'command-type').message,
    /'int' object/,
  );
  assert.match(
    one(check('name: x\nentry_points:\n  main:\n    command: [python, x.py]\n'), 'command-type').message,
    /'list' object/,
  );
});

test('placeholders: undeclared, shell ${VAR}, awk braces — exact ranges and fixes', () => {
  const text =
    'name: x\nentry_points:\n  main:\n    parameters:\n      alpha: {type: float, default: 0.5}\n    command: "python t.py {alpah} ${HOME} awk \'{print $1}\'"\n';
  const found = check(text).filter((f) => f.code === 'placeholder-undeclared');
  assert.deepEqual(
    found.map((f) => f.text),
    ['alpah', 'HOME', 'print $1'],
  );
  const [typo, shell, awk] = found as [Found, Found, Found];
  assert.match(typo.message, /KeyError: 'alpah'.*Did you mean `\{alpha\}`/);
  assert.deepEqual(
    typo.diagnostic.data?.fixes.map((f) => f.title),
    ['Change to `{alpha}`', 'Declare parameter `alpah`', 'Escape as `{{alpah}}` (literal braces)'],
  );
  assert.match(shell.message, /KeyError: 'HOME'.*\$\{\{HOME\}\}/);
  assert.equal(shell.diagnostic.data?.fixes[0]?.title, 'Escape as `${{HOME}}`');
  assert.match(awk.message, /KeyError: 'print \$1'/);
});

test('format errors: stray braces, positional fields, format specs, conversions, attribute access', () => {
  const cmd = (c: string, params = ''): Found[] =>
    check(
      `name: x\nentry_points:\n  main:\n    parameters: {a: {default: v}${params}}\n    command: "echo {a} ${c}"\n`,
    );
  const close = one(cmd('}'), 'command-format');
  assert.equal(close.text, '}');
  assert.match(close.message, /ValueError: Single '\}' encountered in format string/);
  assert.match(one(cmd('{'), 'command-format').message, /Single '\{' encountered/);
  assert.match(one(cmd('{b'), 'command-format').message, /expected '\}' before end of string/);
  const positional = one(cmd('{}'), 'placeholder-positional');
  assert.equal(positional.text, '{}');
  assert.match(positional.message, /IndexError: Replacement index 0 out of range/);
  assert.match(one(cmd('{0}'), 'placeholder-positional').message, /Replacement index 0/);
  const spec = one(cmd('{a:.2f}'), 'placeholder-format-spec');
  assert.equal(spec.text, '.2f');
  assert.match(spec.message, /Unknown format code 'f' for object of type 'str'/);
  assert.equal(one(cmd('{a:>10}'), 'placeholder-format-spec').severity, Severity.Warning);
  assert.match(one(cmd('{a!x}'), 'placeholder-conversion').message, /Unknown conversion specifier x/);
  assert.equal(one(cmd('{a!r}'), 'placeholder-conversion').severity, Severity.Warning);
  const attr = one(cmd('{a.b}'), 'placeholder-attribute');
  assert.equal(attr.text, 'b');
  assert.match(attr.message, /AttributeError: 'str' object has no attribute 'b'/);
  assert.equal(one(cmd('{a[0]}'), 'placeholder-index').severity, Severity.Warning);
  // Only the default is too short: `-P a=<longer value>` runs, so it is no Error.
  const pastDefault = one(cmd('{a[9]}'), 'placeholder-index');
  assert.equal(pastDefault.severity, Severity.Warning);
  assert.match(pastDefault.message, /IndexError.*`-P a=…` overrides it/);
  assert.match(one(cmd('{a[x]}'), 'placeholder-index').message, /string indices must be integers/);
});

test('a dotted parameter name cannot be referenced: KeyError on the part before the dot', () => {
  const found = check(
    'name: x\nentry_points:\n  main:\n    parameters:\n      model.lr: {default: 1}\n    command: "echo {model.lr}"\n',
  );
  assert.match(one(found, 'placeholder-undeclared').message, /KeyError: 'model'.*attribute\/index access/);
  assert.equal(one(found, 'parameter-name-unreferenceable').severity, Severity.Warning);
});

test('parameter types: unknown with did-you-mean and fix; non-string', () => {
  const t = (type: string): Found[] =>
    check(
      `name: x\nentry_points:\n  main:\n    parameters:\n      a: {type: ${type}, default: "1"}\n    command: "echo {a}"\n`,
    );
  for (const [typo, want] of [
    ['flaot', 'float'],
    ['Path', 'path'],
    ['URI', 'uri'],
    ['str', 'string'],
  ] as const) {
    const f = one(t(typo), 'parameter-type-unknown');
    assert.equal(f.severity, Severity.Warning);
    assert.equal(f.text, typo);
    assert.match(f.message, new RegExp(`did you mean \`${want}\``));
    assert.equal(f.diagnostic.data?.fixes[0]?.edits[0]?.newText, want);
  }
  assert.equal(one(t('yes'), 'parameter-type').severity, Severity.Warning);
});

test('unknown keys warn with did-you-mean; a misspelled default makes the parameter required', () => {
  const found = check(
    'name: x\nentrypoints: {}\nentry_points:\n  main:\n    paramters: {}\n    command: echo {a}\n    parameters:\n      a: {type: string, defualt: 1}\n',
  );
  const unknown = found.filter((f) => f.code === 'unknown-key');
  assert.deepEqual(
    unknown.map((f) => f.text),
    ['entrypoints', 'paramters', 'defualt'],
  );
  assert.match(unknown[2]?.message ?? '', /did you mean `default`\?.*has no default and is required/);
  assert.ok(unknown.every((f) => f.severity === Severity.Warning));
  // MLflow ignores every unknown key, so each one silently changes what runs.
  assert.equal(check('name: x\ndescription: hi\n').find((f) => f.code === 'unknown-key')?.severity, Severity.Warning);
});

test('a misspelled entry-point key is a Warning with a did-you-mean quick fix: params, comand', () => {
  const text = 'name: x\nentry_points:\n  main:\n    params:\n      a: {default: 1}\n    comand: echo hi\n';
  const found = check(text);
  const keys = found.filter((f) => f.code === 'unknown-key');
  assert.deepEqual(
    keys.map((f) => [f.text, f.severity]),
    [
      ['params', Severity.Warning],
      ['comand', Severity.Warning],
    ],
  );
  assert.match(keys[0]?.message ?? '', /did you mean `parameters`\?.*no parameters/);
  assert.equal(keys[0]?.diagnostic.data?.fixes[0]?.edits[0]?.newText, 'parameters');
  assert.match(keys[1]?.message ?? '', /did you mean `command`\?.*no command/);
  assert.equal(keys[1]?.diagnostic.data?.fixes[0]?.edits[0]?.newText, 'command');
  // Without `command` every run of `main` fails: that part stays an Error.
  assert.equal(one(found, 'command-missing').severity, Severity.Error);
  const top = one(check('name: x\nentry_point:\n  main:\n    command: echo\n'), 'unknown-key');
  assert.equal(top.severity, Severity.Warning);
  assert.equal(top.diagnostic.data?.fixes[0]?.edits[0]?.newText, 'entry_points');
});

test('defaults: YAML 1.1 coercions, null, non-numeric float, uri without scheme, missing path', () => {
  const text = `name: x
entry_points:
  main:
    parameters:
      flag: {default: yes}
      oct: {default: 010}
      clock: {default: 12:30}
      none: {default: null}
      f: {type: float, default: abc}
      u: {type: uri, default: data.csv}
      p: {type: path, default: missing.csv}
      ok: {type: path, default: train.py}
      remote: {type: path, default: "s3://b/k"}
    command: "echo {flag} {oct} {clock} {none} {f} {u} {p} {ok} {remote}"
`;
  const found = check(text, memoryProject({ 'train.py': '' }));
  const coercions = found.filter((f) => f.code === 'yaml11-coercion');
  assert.deepEqual(
    coercions.map((f) => [f.text, f.severity]),
    [
      ['yes', 2],
      ['010', 2],
      ['12:30', 2],
    ],
  );
  assert.match(coercions[0]?.message ?? '', /MLflow substitutes `True`/);
  assert.equal(coercions[1]?.diagnostic.data?.fixes[0]?.edits[0]?.newText, '"010"');
  assert.equal(one(found, 'default-null').text, 'null');
  assert.equal(one(found, 'default-type').text, 'abc');
  // Only runs that use these defaults fail (-P overrides them): Warnings on the default, not Errors.
  const uri = one(found, 'default-uri');
  assert.equal(uri.severity, Severity.Warning);
  assert.equal(uri.text, 'data.csv');
  assert.ok(uri.message.startsWith('Expected URI for parameter u but got data.csv'));
  assert.match(uri.message, /`-P u=…` overrides it/);
  const path = one(found, 'default-path-missing');
  assert.equal(path.severity, Severity.Warning);
  assert.equal(path.text, 'missing.csv');
  assert.ok(path.message.startsWith('Got value missing.csv for parameter p, but no such file or directory was found.'));
  assert.match(path.message, /`-P p=…` overrides it/);
  assert.deepEqual(errors(found), []);
  assert.equal(one(found, 'default-path-remote').severity, Severity.Information);
});

test('parameter names MLflow cannot log are errors; names YAML turns into booleans too', () => {
  assert.match(
    one(
      check('name: x\nentry_points:\n  main:\n    parameters:\n      a+b: {default: 1}\n    command: echo\n'),
      'parameter-name-invalid',
    ).message,
    /Invalid value "a\+b" for parameter 'params\[0\]\.key' supplied: Names may only contain alphanumerics/,
  );
  const on = one(
    check('name: x\nentry_points:\n  main:\n    parameters:\n      on: string\n    command: echo {on}\n'),
    'parameter-name-type',
  );
  assert.equal(on.severity, Severity.Error);
  assert.equal(on.text, 'on');
  assert.match(on.message, /reads `on` as the boolean True.*No value given for missing parameters: 'True'/);
  assert.equal(on.diagnostic.data?.fixes[0]?.edits[0]?.newText, '"on"');
});

test('unused parameters and missing scripts warn', () => {
  const found = check(
    'name: x\nentry_points:\n  main:\n    parameters:\n      a: {default: 1}\n      b: {default: 2}\n    command: python nope.py {a}\n',
    memoryProject({}),
  );
  const unused = one(found, 'parameter-unused');
  assert.equal(unused.text, 'b');
  assert.equal(unused.diagnostic.data?.fixes[0]?.edits[0]?.newText, ' --b {b}');
  assert.equal(one(found, 'script-missing').text, 'nope.py');
});

test('duplicate keys warn on the overridden occurrence and name the winner’s line', () => {
  const found = check('name: x\nentry_points:\n  main:\n    command: echo 1\n  main:\n    command: echo 2\n');
  const dup = one(found, 'duplicate-key');
  assert.equal(dup.severity, Severity.Warning);
  assert.match(dup.message, /line 5/);
  assert.equal(errors(found).length, 0);
});

test('databricks_spark_job rules use MLflow’s messages', () => {
  assert.equal(
    one(check('name: x\ndatabricks_spark_job: {}\n'), 'databricks').message,
    "Databricks Spark job requires either 'databricks_spark_job.python_file' setting or 'entry_points' setting.",
  );
  const both = check(
    'name: x\ndatabricks_spark_job: {python_file: a.py}\nentry_points:\n  main:\n    parameters: {d: path}\n    command: echo {d}\n',
  );
  const messages = errors(both).map((f) => f.message);
  assert.ok(
    messages.includes(
      "Databricks Spark job does not allow setting both 'databricks_spark_job.python_file' and 'entry_points'.",
    ),
  );
  assert.ok(
    messages.includes(
      "Databricks Spark job does not support entry point parameter of 'path' type. 'd' value type is invalid.",
    ),
  );
  assert.ok(
    errors(check('name: x\ndatabricks_spark_job: {python_file: a.py}\nconda_env: c.yaml\n')).some(
      (f) => f.message === 'Databricks Spark job does not support setting conda environment.',
    ),
  );
});

test('YAML errors: only syntax is reported when the structure is unreliable', () => {
  const found = check('name: x\nentry_points:\n  main:\n    parameters: {alpha: float\n    command: python t.py\n');
  assert.ok(found.length > 0);
  assert.ok(found.every((f) => f.code.startsWith('yaml-')));
  const tab = check('name: x\t\nentry_points: {}\n');
  assert.equal(one(tab, 'yaml-tab').text, '\t');
});

test('positions are UTF-16 and survive CRLF and non-ASCII text', () => {
  const text = 'name: "日本😀"\r\nentry_points:\r\n  main:\r\n    command: "échö {nöpe}"\r\n';
  const f = one(check(text), 'placeholder-undeclared');
  assert.equal(f.text, 'nöpe');
  assert.deepEqual(f.diagnostic.range, { start: { line: 3, character: 20 }, end: { line: 3, character: 24 } });
});

test('a placeholder inside shell quotes warns (MLflow quotes values itself), with a quick fix that removes the quotes', () => {
  const doc = (command: string): string =>
    `name: x\nentry_points:\n  main:\n    parameters:\n      name: {default: world}\n    command: ${command}\n`;
  const dq = one(check(doc(`echo "{name}"`)), 'placeholder-quoted');
  assert.equal(dq.severity, Severity.Warning);
  assert.equal(dq.text, '{name}');
  assert.match(dq.message, /inside double quotes.*MLflow already shell-quotes.*renders `"'\$\(touch \/tmp\/x\)'"`/);
  const fix = dq.diagnostic.data?.fixes[0];
  assert.equal(fix?.title, 'Remove the quotes around `{name}`');
  assert.equal(applyEdits(doc(`echo "{name}"`), fix?.edits ?? []), doc('echo {name}'));
  const sq = one(check(doc(`echo '{name}'`)), 'placeholder-quoted');
  assert.match(sq.message, /inside single quotes.*split into words/);
  assert.equal(applyEdits(doc(`echo '{name}'`), sq.diagnostic.data?.fixes[0]?.edits ?? []), doc('echo {name}'));
  // Quotes holding more than the placeholder are closed before it and reopened after it.
  const partial = one(check(doc(`echo "--greeting=hello {name} !"`)), 'placeholder-quoted');
  assert.equal(
    applyEdits(doc(`echo "--greeting=hello {name} !"`), partial.diagnostic.data?.fixes[0]?.edits ?? []),
    doc(`echo "--greeting=hello "{name}" !"`),
  );
  // Inside a YAML double-quoted scalar the shell quotes are written \" and the fix removes those.
  const yamlQuoted = doc(`"echo \\"{name}\\""`);
  const inYaml = one(check(yamlQuoted), 'placeholder-quoted');
  assert.equal(applyEdits(yamlQuoted, inYaml.diagnostic.data?.fixes[0]?.edits ?? []), doc(`"echo {name}"`));
  // Unquoted, escaped or after a closed quote: nothing to say.
  for (const ok of [`echo {name}`, `echo "x" {name} 'y'`, `echo \\"{name}`, `echo "it's" {name}`]) {
    assert.deepEqual(
      check(doc(ok)).filter((f) => f.code === 'placeholder-quoted'),
      [],
      ok,
    );
  }
});
