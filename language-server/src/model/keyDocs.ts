// Short reference text for each MLproject key and parameter type, stating what MLflow actually
// does (source of truth: mlflow/projects/_project_spec.py), shown on hover and in completion.

export const KEY_DOCS: Record<string, string> = {
  name: 'Project name. Any value; MLflow only requires it for `docker_env` projects, where it names the built image (`<name>:<git sha>`).',
  entry_points:
    'Mapping of entry-point names to `{parameters, command}`. `mlflow run` runs `main` unless `-e NAME` is given; a name ending in `.py`/`.sh` that is not declared runs that script.',
  python_env:
    'Path (relative to the project) of a `python_env.yaml` with `python`, `build_dependencies`, `dependencies`. The file must exist when the project loads. Default env manager: virtualenv (needs pyenv). Only one of `python_env`, `conda_env`, `docker_env` may be present.',
  conda_env:
    'Path (relative to the project) of a conda environment YAML. The file must exist when the project loads. Default env manager: conda. Only one of `python_env`, `conda_env`, `docker_env` may be present.',
  docker_env:
    'Run the project in a Docker container: `image` (required), optional `volumes` (list of `host:container` strings) and `environment` (host variable names, or `[NAME, value]` pairs). Needs a top-level `name`. An empty `docker_env` is ignored.',
  databricks_spark_job:
    'Databricks Spark job: `python_file` **or** `entry_points` (not both), optional `parameters` and `python_libraries` lists. No environment keys and no `path` parameters allowed.',
  'docker_env.image':
    'Base image (required, non-empty). Without `--build-image` MLflow runs it as is and does not copy the project into it.',
  'docker_env.volumes': 'List of strings, each passed as `docker run -v <item>`. Host paths are not checked.',
  'docker_env.environment':
    'List of host variable names to copy (`"HOME"`, must be set when running) and/or `[NAME, value]` pairs to define.',
  'databricks_spark_job.python_file': 'Python file the Databricks job runs; `-e` is ignored when it is set.',
  'databricks_spark_job.parameters': 'List of command-line arguments passed to `python_file`.',
  'databricks_spark_job.python_libraries': 'List of libraries installed on the cluster.',
  'entry_points.*.parameters':
    'Mapping of parameter names to a type (`alpha: float`, required) or `{type, default}`. A parameter without a default (or with `default: null`) is required.',
  'entry_points.*.command':
    'Shell command run with `bash -c` in the project directory, after Python `str.format` fills `{name}` with each parameter **shell-quoted**. Write `{{`/`}}` for literal braces (`${{HOME}}`). Parameters given with `-P` but not declared are appended as `--name value`.',
  'entry_points.*.parameters.*.type':
    'One of `string` (default), `float`, `path`, `uri`. MLflow checks only `path` (must exist, made absolute) and `uri` (must have a scheme); anything else is treated as a string.',
  'entry_points.*.parameters.*.default':
    'Value used when `-P` does not give one; rendered with Python `str()` of the YAML 1.1 value (`yes` → `True`, `010` → `8`). `null` means no default (required).',
};

export const TYPE_DOCS: Record<string, string> = {
  string: 'Passed as is (shell-quoted). The default type.',
  float: 'Not checked or converted: `-P alpha=abc` is accepted. Documents intent only.',
  path: 'A local path must exist relative to the directory `mlflow run` is started in and is replaced by its absolute path; `s3://`, `gs://`, `https://`, … are downloaded first and replaced by the local copy.',
  uri: 'Must have a URI scheme (`file:///…`, `s3://…`); `data.csv` or `/abs/path` fail with "Expected URI for parameter …". Not converted.',
};

export const UNCHECKED_TYPE_DOC = 'Accepted by MLflow but never checked: treated exactly like `string`.';
