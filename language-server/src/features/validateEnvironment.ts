// Top-level keys and the project environment, checked in load_project's order: the
// several-environments rule, databricks_spark_job, then docker_env / python_env / conda_env and
// the default python_env.yaml / conda.yaml detection. Messages quote MLflow's own exceptions.
import { didYouMean, type DiagnosticSink, type QuickFix } from './diagnostics.ts';
import { entryRange, topLevel, type MlprojectModel } from '../model/mlprojectModel.ts';
import { joinPath, type ProjectContext } from '../model/projectContext.ts';
import {
  dictGet,
  keyName,
  pyStr,
  pyTruthy,
  pyTypeName,
  type PyDict,
  type PyEntry,
  type PyValue,
} from '../python/pythonValues.ts';
import { pyPathJoin } from '../python/pythonPaths.ts';
import { loadMlprojectYaml } from '../yaml/pyyamlLoad.ts';
import { entryLinesRange } from '../text/textEdits.ts';
import type { OffsetRange } from '../text/textPositions.ts';

export const TOP_LEVEL_KEYS = [
  'name',
  'entry_points',
  'python_env',
  'conda_env',
  'docker_env',
  'databricks_spark_job',
] as const;
const ENV_KEYS = ['docker_env', 'python_env', 'conda_env'] as const;
export const DOCKER_KEYS = ['image', 'volumes', 'environment'] as const;
export const DATABRICKS_KEYS = ['python_file', 'parameters', 'python_libraries'] as const;

const PYTHON_ENV_FILE = 'python_env.yaml';
const CONDA_FILE = 'conda.yaml';

const MSG_NO_IMAGE =
  'Project configuration (MLproject file) was invalid: Docker environment specified but no image attribute found.';
const MSG_VOLUMES =
  'Project configuration (MLproject file) was invalid: Docker volumes must be a list of strings, e.g.: \'["/path1/:/path1", "/path2/:/path2"])';
const MSG_ENVIRONMENT =
  'Project configuration (MLproject file) was invalid: environment must be a list containing either strings (to copy environment variables from host system) or lists of string pairs (to define new environment variables).E.g.: \'[["NEW_VAR", "new_value"], "VAR_TO_COPY_FROM_HOST"])';
const MSG_DOCKER_NAME = 'Project name in MLProject must be specified when using docker for image tagging.';

function attributeErrorGet(v: PyValue): string {
  return `AttributeError: '${pyTypeName(v)}' object has no attribute 'get'`;
}

function removeKeyFix(sink: DiagnosticSink, entry: PyEntry, key: string): QuickFix[] {
  const r = entryLinesRange(sink.lines, entryRange(entry), entry.value);
  return r ? [{ title: `Remove \`${key}\``, edits: [sink.edit(r, '')] }] : [];
}

function renameKeyFix(sink: DiagnosticSink, range: OffsetRange, to: string): QuickFix {
  return { title: `Change to \`${to}\``, edits: [sink.edit(range, to)], preferred: true };
}

/**
 * Words people write for a key that are too far from it for an edit distance: `params` for
 * `parameters`, `cmd` for `command`, `entrypoints` is close enough already.
 */
const KEY_ALIASES: Readonly<Record<string, string>> = {
  params: 'parameters',
  param: 'parameters',
  parameter: 'parameters',
  args: 'parameters',
  arguments: 'parameters',
  cmd: 'command',
  commands: 'command',
  run: 'command',
  script: 'command',
  entrypoint: 'entry_points',
  entry: 'entry_points',
  entries: 'entry_points',
  conda: 'conda_env',
  conda_file: 'conda_env',
  conda_yaml: 'conda_env',
  environment: 'python_env',
  docker: 'docker_env',
  project: 'name',
};

export interface UnknownKeyOptions {
  /** Warn even without a suggestion: in an entry point or at the top level an ignored key changes what runs. */
  warnAlways?: boolean;
}

/** Unknown keys of a mapping MLflow reads with .get(): silently ignored, so typos go unnoticed. */
export function checkUnknownKeys(
  sink: DiagnosticSink,
  dict: PyDict,
  known: readonly string[],
  where: string,
  consequence: (suggestion: string) => string,
  options: UnknownKeyOptions = {},
): void {
  for (const e of dict.written) {
    if (e.key.kind !== 'str') continue;
    const k = e.key.value;
    if (known.includes(k)) continue;
    const alias = KEY_ALIASES[k.toLowerCase()];
    const suggestion = alias && known.includes(alias) ? alias : didYouMean(k, known);
    if (suggestion && !dict.entries.some((x) => x.key.kind === 'str' && x.key.value === suggestion)) {
      sink.warning(
        e.key.range,
        'unknown-key',
        `Unknown key \`${k}\` in ${where}; did you mean \`${suggestion}\`? MLflow ignores unknown keys, ${consequence(suggestion)}`,
        [renameKeyFix(sink, e.key.range, suggestion)],
      );
    } else if (suggestion) {
      sink.warning(
        e.key.range,
        'unknown-key',
        `Unknown key \`${k}\` in ${where} (looks like a second \`${suggestion}\`); MLflow ignores it.`,
      );
    } else if (options.warnAlways) {
      sink.warning(
        e.key.range,
        'unknown-key',
        `MLflow ignores the key \`${k}\` in ${where}: it has no effect on what runs. Expected one of ${known.map((x) => `\`${x}\``).join(', ')}.`,
      );
    } else {
      sink.info(e.key.range, 'unknown-key', `MLflow ignores the key \`${k}\` in ${where}.`);
    }
  }
}

function checkTopLevelKeys(model: MlprojectModel, sink: DiagnosticSink): void {
  const root = model.root;
  if (!root) return;
  checkUnknownKeys(
    sink,
    root,
    TOP_LEVEL_KEYS,
    'the MLproject',
    (s) =>
      s === 'entry_points'
        ? 'so this project would have no entry points.'
        : s === 'name'
          ? 'so the project would have no name.'
          : `so this \`${s}\` setting would have no effect.`,
    { warnAlways: true },
  );
  for (const e of root.written) {
    if (e.key.kind !== 'str') {
      sink.info(
        e.key.range,
        'unknown-key',
        `MLflow ignores the top-level key ${keyName(e.key)} (YAML reads it as ${pyTypeName(e.key)}, not a string).`,
      );
    }
  }
}

function checkMultipleEnvironments(model: MlprojectModel, sink: DiagnosticSink): void {
  const present = ENV_KEYS.map((k) => ({ key: k, entry: topLevel(model, k) })).filter(
    (x): x is { key: (typeof ENV_KEYS)[number]; entry: PyEntry } => !!x.entry,
  );
  if (present.length < 2) return;
  const setRepr = `{${present.map((p) => `'${p.key}'`).join(', ')}}`;
  for (const p of present) {
    const empty = !pyTruthy(p.entry.value) ? ' It counts even with an empty value.' : '';
    sink.error(
      entryRange(p.entry),
      'multiple-environments',
      `Project cannot contain multiple environment fields: ${setRepr}. Keep one of ${present.map((x) => `\`${x.key}\``).join(', ')}.${empty}`,
      removeKeyFix(sink, p.entry, p.key),
    );
  }
}

function checkDatabricks(model: MlprojectModel, sink: DiagnosticSink, entry: PyEntry): void {
  const v = entry.value;
  const range = entryRange(entry);
  if (v.kind !== 'dict') {
    sink.error(
      v.range,
      'databricks-not-mapping',
      `\`databricks_spark_job\` must be a mapping; MLflow fails loading the project with ${attributeErrorGet(v)}.`,
    );
    return;
  }
  checkUnknownKeys(sink, v, DATABRICKS_KEYS, '`databricks_spark_job`', () => 'so the setting would have no effect.');
  const pythonFile = dictGet(v, 'python_file');
  const hasPythonFile = !!pythonFile && pythonFile.value.kind !== 'none';
  const hasEntryPoints = model.entryPoints.length > 0;
  if (!hasPythonFile && !hasEntryPoints) {
    sink.error(
      range,
      'databricks',
      "Databricks Spark job requires either 'databricks_spark_job.python_file' setting or 'entry_points' setting.",
    );
  }
  if (hasPythonFile && hasEntryPoints && pythonFile) {
    sink.error(
      entryRange(pythonFile),
      'databricks',
      "Databricks Spark job does not allow setting both 'databricks_spark_job.python_file' and 'entry_points'.",
    );
  }
  for (const ep of model.entryPoints) {
    for (const p of ep.parameters) {
      if (p.type === 'path' && p.typeValue?.kind === 'str') {
        sink.error(
          p.typeValue.range,
          'databricks',
          `Databricks Spark job does not support entry point parameter of 'path' type. '${p.name}' value type is invalid.`,
        );
      }
    }
  }
  const kinds: Array<[string, string]> = [
    ['docker_env', 'docker'],
    ['python_env', 'python'],
    ['conda_env', 'conda'],
  ];
  for (const [key, word] of kinds) {
    const e = topLevel(model, key);
    if (e)
      sink.error(
        entryRange(e),
        'databricks',
        `Databricks Spark job does not support setting ${word} environment.`,
        removeKeyFix(sink, e, key),
      );
  }
  for (const key of ['parameters', 'python_libraries']) {
    const e = dictGet(v, key);
    if (e && e.value.kind !== 'list' && e.value.kind !== 'none') {
      sink.warning(
        e.value.range,
        'databricks-list',
        `\`${key}\` should be a list; MLflow passes it to the Databricks job as is.`,
      );
    }
  }
}

function checkDocker(model: MlprojectModel, sink: DiagnosticSink, entry: PyEntry): void {
  const v = entry.value;
  if (v.kind !== 'dict') {
    sink.error(
      v.range,
      'docker-not-mapping',
      `\`docker_env\` must be a mapping with an \`image\`; MLflow fails loading the project with ${attributeErrorGet(v)}.`,
    );
    return;
  }
  checkUnknownKeys(sink, v, DOCKER_KEYS, '`docker_env`', (s) => `so the \`${s}\` setting would have no effect.`);
  const image = dictGet(v, 'image');
  if (!image || !pyTruthy(image.value)) {
    sink.error(image ? image.value.range : entryRange(entry), 'docker-image', MSG_NO_IMAGE);
  } else if (image.value.kind !== 'str') {
    sink.warning(
      image.value.range,
      'docker-image',
      `\`image\` is ${pyTypeName(image.value)} \`${pyStr(image.value, 200)}\` in YAML 1.1, not a string; quote it.`,
    );
  }
  const volumes = dictGet(v, 'volumes');
  if (volumes && pyTruthy(volumes.value)) {
    const ok =
      volumes.value.kind === 'list' && !volumes.value.tuples && volumes.value.items.every((i) => i.kind === 'str');
    if (!ok) sink.error(volumes.value.range, 'docker-volumes', MSG_VOLUMES);
  }
  const environment = dictGet(v, 'environment');
  if (environment && pyTruthy(environment.value)) {
    const env = environment.value;
    const ok = env.kind === 'list' && !env.tuples && env.items.every((i) => i.kind === 'str' || i.kind === 'list');
    if (!ok) sink.error(env.range, 'docker-environment', MSG_ENVIRONMENT);
    else if (env.kind === 'list') {
      const hasLists = env.items.some((i) => i.kind === 'list');
      const hasStrings = env.items.some((i) => i.kind === 'str');
      for (const item of env.items) {
        if (item.kind !== 'list') continue;
        if (item.items.length < 2) {
          sink.warning(
            item.range,
            'docker-environment-pair',
            'MLflow reads `[NAME, value]` pairs; with fewer than two items `mlflow run` fails with IndexError when it starts the container.',
          );
        } else if (item.items.length > 2) {
          sink.warning(
            item.range,
            'docker-environment-pair',
            'MLflow reads `[NAME, value]` pairs and ignores the items after the second.',
          );
        } else if (item.items.some((x) => x.kind !== 'str')) {
          sink.info(
            item.range,
            'docker-environment-pair',
            'The variable name and value are passed through str(); quote them to keep YAML 1.1 from converting them.',
          );
        }
      }
      if (hasLists && hasStrings) {
        sink.info(
          env.range,
          'docker-environment-mixed',
          'If a host variable in this list is unset, MLflow fails building its error message (TypeError) because the list also holds pairs.',
        );
      }
    }
  }
  const name = topLevel(model, 'name');
  if (!name || !pyTruthy(name.value)) {
    sink.error(
      name ? name.value.range : entryRange(entry),
      'docker-name',
      `${MSG_DOCKER_NAME} Add a \`name:\`; MLflow tags the image with it.`,
    );
  }
}

function checkEnvFile(
  ctx: ProjectContext,
  sink: DiagnosticSink,
  key: 'python_env' | 'conda_env',
  entry: PyEntry,
): void {
  const v = entry.value;
  if (v.kind !== 'str') {
    const got =
      v.kind === 'bytes'
        ? "Can't mix strings and bytes in path components"
        : `join() argument must be str, bytes, or os.PathLike object, not '${pyTypeName(v)}'`;
    const inline =
      v.kind === 'dict' && key === 'python_env'
        ? ` \`${key}\` names a file (e.g. python_env.yaml); it cannot hold the environment inline.`
        : '';
    sink.error(
      v.range,
      'env-file-type',
      `\`${key}\` must be a file path; MLflow fails loading the project with TypeError: ${got}.${inline}`,
    );
    return;
  }
  if (!ctx.projectDir || !ctx.files) return;
  const full = pyPathJoin(ctx.projectDir, v.value, ctx.pathSeparator ?? '/');
  if (!ctx.files.exists(full)) {
    const what = key === 'python_env' ? 'python_env file' : 'conda environment file';
    const fixes: QuickFix[] = [];
    const candidates = (ctx.files.listDir?.(ctx.projectDir) ?? [])
      .filter((d) => !d.isDirectory && /\.ya?ml$/i.test(d.name))
      .map((d) => d.name);
    const suggestion = didYouMean(v.value, candidates);
    if (suggestion)
      fixes.push({ title: `Change to \`${suggestion}\``, edits: [sink.edit(v.range, suggestion)], preferred: true });
    sink.error(
      v.range,
      'env-file-missing',
      `Project specified ${what} ${full}, but no such file was found.${suggestion ? ` Did you mean \`${suggestion}\`?` : ''}`,
      fixes,
    );
    return;
  }
  if (key === 'python_env') checkPythonEnvFile(ctx, sink, full, v.range, v.value);
}

/** python_env.yaml is read only when the env manager builds the environment: problems are warnings. */
function checkPythonEnvFile(
  ctx: ProjectContext,
  sink: DiagnosticSink,
  path: string,
  at: OffsetRange,
  label: string,
): void {
  const text = ctx.files?.readText?.(path);
  if (text === undefined) return;
  if (typeof text !== 'string') {
    if (text.irregular) {
      sink.warning(
        at,
        'env-file-unreadable',
        `${label} is ${text.refused}, so it is not checked; MLflow reads it when it builds the virtualenv and would block or never finish.`,
      );
    } else {
      sink.info(at, 'env-file-unreadable', `${label} is ${text.refused}.`);
    }
    return;
  }
  const loaded = loadMlprojectYaml(text);
  const fail = (msg: string): void => {
    sink.warning(
      at,
      'python-env-file',
      `${label}: ${msg} MLflow fails when it builds the virtualenv (\`--env-manager virtualenv\` or \`uv\`, the default for this project).`,
    );
  };
  const fatal = loaded.problems.find((p) => p.fatal);
  if (fatal) return fail(`not loadable by PyYAML (${fatal.message}).`);
  const root = loaded.root;
  if (!root || root.kind !== 'dict') {
    return fail(
      `must be a mapping with \`python\`, \`build_dependencies\`, \`dependencies\` (TypeError: argument after ** must be a mapping, not ${root ? pyTypeName(root) : 'NoneType'}).`,
    );
  }
  for (const e of root.entries) {
    const k = keyName(e.key);
    if (!['python', 'build_dependencies', 'dependencies'].includes(k)) {
      fail(`unknown key \`${k}\` (TypeError: _PythonEnv.__init__() got an unexpected keyword argument '${k}').`);
    }
  }
  const python = dictGet(root, 'python');
  if (python && python.value.kind !== 'str' && python.value.kind !== 'none') {
    const src = python.value.source ?? pyStr(python.value, 50);
    const hint =
      python.value.kind === 'float'
        ? ` YAML 1.1 reads \`python: ${src}\` as the float ${pyStr(python.value)}; write \`python: "${src}"\`.`
        : ' Quote the version.';
    fail(`TypeError: \`python\` must be a string but got <class '${pyTypeName(python.value)}'>.${hint}`);
  }
  for (const key of ['build_dependencies', 'dependencies']) {
    const e = dictGet(root, key);
    if (e && e.value.kind !== 'list' && e.value.kind !== 'none')
      fail(`TypeError: \`${key}\` must be a list but got <class '${pyTypeName(e.value)}'>.`);
  }
}

function firstKeyRange(model: MlprojectModel): OffsetRange {
  const first = model.root?.written[0];
  return first ? first.key.range : { start: 0, end: 0 };
}

function checkDefaultEnvironment(model: MlprojectModel, ctx: ProjectContext, sink: DiagnosticSink): void {
  if (!ctx.projectDir || !ctx.files) return;
  const at = firstKeyRange(model);
  const pyenv = joinPath(ctx, PYTHON_ENV_FILE);
  if (ctx.files.exists(pyenv)) {
    checkPythonEnvFile(ctx, sink, pyenv, at, PYTHON_ENV_FILE);
    return;
  }
  if (ctx.files.exists(joinPath(ctx, CONDA_FILE))) return;
  for (const [near, key] of [
    ['python_env.yml', 'python_env'],
    ['conda.yml', 'conda_env'],
    ['environment.yml', 'conda_env'],
    ['environment.yaml', 'conda_env'],
  ] as const) {
    if (!ctx.files.exists(joinPath(ctx, near))) continue;
    const insertAt = model.root?.written[0]?.key.range.start ?? 0;
    sink.warning(
      at,
      'env-file-near-miss',
      `MLflow does not pick up \`${near}\`: it only detects \`${PYTHON_ENV_FILE}\` and \`${CONDA_FILE}\`, so this project runs in a virtualenv without dependencies. Reference it with \`${key}: ${near}\`.`,
      [
        {
          title: `Add \`${key}: ${near}\``,
          edits: [sink.edit({ start: insertAt, end: insertAt }, `${key}: ${near}\n`)],
          preferred: true,
        },
      ],
    );
    return;
  }
}

function checkSeveralProjectFiles(ctx: ProjectContext, sink: DiagnosticSink, model: MlprojectModel): void {
  if (!ctx.projectDir || !ctx.files?.listDir) return;
  const variants = ctx.files
    .listDir(ctx.projectDir)
    .filter((d) => !d.isDirectory && d.name.toLowerCase() === 'mlproject');
  if (variants.length > 1) {
    sink.warning(
      firstKeyRange(model),
      'several-mlproject-files',
      `This folder has ${variants.length} MLproject files (${variants.map((d) => d.name).join(', ')}); MLflow uses whichever the file system lists first.`,
    );
  }
}

export function validateEnvironment(model: MlprojectModel, ctx: ProjectContext, sink: DiagnosticSink): void {
  checkTopLevelKeys(model, sink);
  checkSeveralProjectFiles(ctx, sink, model);
  checkMultipleEnvironments(model, sink);

  const name = topLevel(model, 'name');
  if (name && name.value.kind !== 'str' && name.value.kind !== 'none') {
    sink.info(
      name.value.range,
      'name-type',
      `YAML 1.1 reads the name as ${pyTypeName(name.value)} (\`${pyStr(name.value, 100)}\`); quote it to keep the text.`,
    );
  }

  const databricks = topLevel(model, 'databricks_spark_job');
  if (databricks && databricks.value.kind !== 'none') {
    checkDatabricks(model, sink, databricks);
    return;
  }

  const docker = topLevel(model, 'docker_env');
  if (docker) {
    if (pyTruthy(docker.value)) {
      checkDocker(model, sink, docker);
      return;
    }
    sink.warning(
      entryRange(docker),
      'env-empty',
      '`docker_env` is empty, so MLflow ignores it: the project does not run in Docker.',
    );
  }
  for (const key of ['python_env', 'conda_env'] as const) {
    const e = topLevel(model, key);
    if (!e) continue;
    if (pyTruthy(e.value)) {
      checkEnvFile(ctx, sink, key, e);
      return;
    }
    sink.warning(
      entryRange(e),
      'env-empty',
      `\`${key}\` is empty, so MLflow ignores it and falls back to ${PYTHON_ENV_FILE} / ${CONDA_FILE} detection.`,
    );
  }
  checkDefaultEnvironment(model, ctx, sink);
}
