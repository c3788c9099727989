#!/usr/bin/env python3
"""Ask real MLflow whether `mlflow run` would accept each MLproject fixture.

Usage: mlproject_verdict.py DIR [DIR ...]   (prints one JSON object to stdout)

For each project directory this replays what `mlflow run` does with the file before the entry
point's command starts, with MLflow's own functions:
  1. mlflow.projects._project_spec.load_project(dir)       (YAML load, env fields, shapes)
  2. mlflow.projects.docker.validate_docker_env(project)   (docker projects need `name`)
  3. for every declared entry point:
     - EntryPoint.compute_parameters(values, storage_dir=None) and the store's
       _validate_batch_log_data on the params it logs      (what _create_run does)
     - EntryPoint.compute_command(values, storage_dir)      (what the local backend runs)
     with a value for each required parameter that satisfies its type ('.' for path,
     'file:///tmp' for uri, 'x' otherwise), cwd = the project directory.
If that fails, step 3 is replayed once more with such a value for *every* parameter, as
`mlflow run -P` would override each default: a project that then passes fails only because of a
default ("defaults_error"), and is still runnable ("accepted").
For projects accepted with their defaults it also records, per entry point, the command
compute_command renders with those values plus one undeclared pair (EXTRA), so the editor's
rendering can be compared.
Output: {"<dir basename>": {"accepted": bool, "error": "<ExceptionType>: <message>",
                            "defaults_error": "<ExceptionType>: <message>",
                            "commands": {"<entry point>": "<command>"}}, ...,
         "__mlflow_version__": "<version>"}
"""

import json
import os
import sys
import tempfile

# An undeclared -P pair with shell metacharacters in key and value.
EXTRA = {"extra key": "it's $HOME"}


def _value_for(param, long=False):
    if param.type == "path":
        return "."
    if param.type == "uri":
        return "file:///tmp"
    # A longer value when overriding defaults, for templates that index into it ({p[5]}).
    return "x" * 32 if long else "x"


def _describe(e):
    # KeyError's str() is the repr of the key; keep it as Python prints it.
    return f"{type(e).__name__}: {e}"


def _run_entry_points(project, override_defaults):
    from mlflow.entities import Param
    from mlflow.utils.validation import _validate_batch_log_data

    for entry_point in (project._entry_points or {}).values():
        # `mlflow run -P name=value` always gives string keys.
        values = {
            str(name): _value_for(param, long=override_defaults)
            for name, param in entry_point.parameters.items()
            if override_defaults or param.default is None
        }
        final, extra = entry_point.compute_parameters(values, storage_dir=None)
        params = [Param(k, v) for k, v in list(final.items()) + list(extra.items())]
        _validate_batch_log_data([], params, [])
        with tempfile.TemporaryDirectory() as storage_dir:
            entry_point.compute_command(values, storage_dir)


def _verdict(project_dir):
    from mlflow.projects import _project_spec
    from mlflow.projects.docker import validate_docker_env

    previous = os.getcwd()
    os.chdir(project_dir)
    try:
        project = _project_spec.load_project(project_dir)
        if project.docker_env:
            validate_docker_env(project)
        try:
            _run_entry_points(project, override_defaults=False)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as defaults_failure:  # noqa: BLE001 - retried with -P for every parameter
            try:
                _run_entry_points(project, override_defaults=True)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException:  # noqa: BLE001 - fails whatever -P gives: reported below
                raise defaults_failure from None
            return {"accepted": True, "defaults_error": _describe(defaults_failure)}
        commands = {}
        for name, entry_point in (project._entry_points or {}).items():
            if not isinstance(name, str):
                continue
            values = {
                str(n): _value_for(p) for n, p in entry_point.parameters.items() if p.default is None
            }
            with tempfile.TemporaryDirectory() as storage_dir:
                commands[name] = entry_point.compute_command({**values, **EXTRA}, storage_dir)
        return {"accepted": True, "commands": commands}
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # noqa: BLE001 - every failure is a rejection to report
        return {"accepted": False, "error": _describe(e)}
    finally:
        os.chdir(previous)


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    import mlflow

    out = {"__mlflow_version__": mlflow.__version__}
    for d in argv:
        project_dir = os.path.abspath(d)
        out[os.path.basename(project_dir.rstrip(os.sep))] = _verdict(project_dir)
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
