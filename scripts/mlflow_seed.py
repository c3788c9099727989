#!/usr/bin/env python3
"""Seeds an MLflow tracking server with realistic data for the tests and the demo.

Usage: MLFLOW_TRACKING_URI=http://127.0.0.1:PORT python scripts/mlflow_seed.py [--profile test|demo]

Writes one JSON object (the SeedInfo declared in test/support/seed.ts) to stdout and nothing
else; progress and timings go to stderr. Everything goes through MLflow's own Python client
(the REST API), so the server stores exactly what a real user's training code would produce.
The shape of the output is a contract with test/support/seed.ts: change both together.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import io
import json
import logging
import math
import os
import random
import struct
import sys
import tempfile
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# Quiet the client before importing it: no telemetry (loopback only here), no git probing.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
# set_terminated() would otherwise fetch the whole run (an extra request) just to print its URL.
os.environ.setdefault("MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT", "true")

# MLflow and its dependencies print to stdout in places (run links, deprecation notices);
# stdout is reserved for the JSON, so everything else is sent to stderr until the end.
REAL_STDOUT = sys.stdout
sys.stdout = sys.stderr

import mlflow  # noqa: E402
import mlflow.pyfunc  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from mlflow.entities import Metric, Param  # noqa: E402

log = logging.getLogger("mlflow_seed")

USERS = ["alice", "bob", "carol"]
BIG_RUNS = 1200
LOSS_STEPS = 5000
VAL_EVERY = 10  # val_loss / accuracy are logged every VAL_EVERY training steps
WALL_CLOCK_POINTS = 720  # one sample every 10 s over two hours
WALL_CLOCK_INTERVAL_MS = 10_000
LARGE_FILE_BYTES = 5 * 1024 * 1024

XSS_RUN_NAME = "<img src=x onerror=alert(1)>"
XSS_PARAM = "<script>alert(1)</script>"
CONTROL_CHARS = "\u0007bell\ttab"
XSS_EXPERIMENT = 'xss-lab <b>bold</b> & "quotes"'


def now_ms() -> int:
    return int(time.time() * 1000)


def default_user() -> str:
    # What mlflow.start_run() records as mlflow.user on this machine.
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no passwd entry in some containers
        return "unknown"


class Timer:
    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.sections: dict[str, float] = {}

    @contextlib.contextmanager
    def section(self, name: str):
        t = time.perf_counter()
        yield
        self.sections[name] = round(time.perf_counter() - t, 2)
        log.info("%-24s %6.2f s", name, self.sections[name])

    def total(self) -> float:
        return round(time.perf_counter() - self.start, 2)


class TrivialModel(mlflow.pyfunc.PythonModel):
    """Predicts the mean training quality for every row: the seed needs a loadable model, not a good one."""

    def predict(self, context, model_input, params=None):  # noqa: ANN001
        return [5.6 for _ in range(len(model_input))]


class Seeder:
    def __init__(self, client: MlflowClient, tmp: Path) -> None:
        self.client = client
        self.tmp = tmp
        self.rng = random.Random(20240601)
        self.user = default_user()
        self.base = now_ms() - 7 * 24 * 3600 * 1000  # runs are spread over the last week
        self.experiments: dict[str, dict] = {}
        self.runs: dict[str, dict] = {}
        self.model_dir: Path | None = None

    # ---- helpers ---------------------------------------------------------------------------

    def experiment(self, role: str, name: str, description: str, tags: dict[str, str]) -> str:
        all_tags = {**tags, "mlflow.note.content": description}
        exp_id = self.client.create_experiment(name, tags=all_tags)
        self.experiments[role] = {
            "id": exp_id,
            "name": name,
            "description": description,
            "tags": tags,
            "runCount": 0,
        }
        return exp_id

    def run(
        self,
        role: str | None,
        exp_role: str,
        name: str,
        *,
        user: str | None = None,
        status: str = "FINISHED",
        start: int | None = None,
        duration_ms: int = 15 * 60 * 1000,
        params: dict[str, str] | None = None,
        metrics: dict[str, float] | None = None,
        tags: dict[str, str] | None = None,
        parent: str | None = None,
        histories: list[Metric] | None = None,
    ) -> dict:
        exp = self.experiments[exp_role]
        user = user or self.user
        start = start if start is not None else self.base + self.rng.randint(0, 6 * 24 * 3600 * 1000)
        all_tags = {"mlflow.user": user, "mlflow.source.type": "LOCAL", **(tags or {})}
        if parent:
            # What mlflow.start_run(nested=True) records.
            all_tags["mlflow.parentRunId"] = parent
        created = self.client.create_run(exp["id"], start_time=start, tags=all_tags, run_name=name)
        run_id = created.info.run_id
        ts = start + 60_000
        batch_metrics = [Metric(k, v, ts, 0) for k, v in (metrics or {}).items()] + (histories or [])
        batch_params = [Param(k, str(v)) for k, v in (params or {}).items()]
        if batch_metrics or batch_params:
            self.client.log_batch(run_id, metrics=batch_metrics, params=batch_params)
        if status in ("FINISHED", "FAILED", "KILLED"):
            self.client.set_terminated(run_id, status=status, end_time=start + duration_ms)
        elif status == "SCHEDULED":
            # Never started: no end time, just the status.
            self.client.update_run(run_id, status="SCHEDULED")
        # RUNNING is what create_run leaves.
        info = {
            "id": run_id,
            "name": name,
            "experimentId": exp["id"],
            "user": user,
            "status": status,
            "startTime": start,
        }
        if parent:
            info["parentId"] = parent
        exp["runCount"] += 1
        if role:
            self.runs[role] = info
        return info

    def pyfunc_model_dir(self) -> Path:
        """A classic model directory (MLmodel, python_model.pkl, …), saved once, logged often."""
        if self.model_dir is None:
            path = self.tmp / "pyfunc-model"
            mlflow.pyfunc.save_model(
                str(path),
                python_model=TrivialModel(),
                # Explicit requirements: inferring them spawns a subprocess that imports the model.
                pip_requirements=[f"mlflow=={mlflow.__version__}"],
            )
            self.model_dir = path
        return self.model_dir

    def log_model_dir(self, run_id: str) -> None:
        self.client.log_artifacts(run_id, str(self.pyfunc_model_dir()), "model")

    # ---- data ------------------------------------------------------------------------------

    def seed_main(self) -> None:
        self.experiment(
            "main",
            "wine-quality-elasticnet",
            "ElasticNet regression on the UCI wine-quality data set.\n\n"
            "Tracks **alpha** and **l1_ratio** sweeps; the best run is registered as "
            "`wine-quality-regressor`.",
            {"team": "ds-core", "project": "wine-quality", "dataset": "winequality-red.csv"},
        )
        rng = self.rng
        t0 = self.base

        # The best run: long training histories, keys with dots and spaces, git source tags.
        histories: list[Metric] = []
        loss = 2.5
        for step in range(LOSS_STEPS):
            loss = max(0.35, loss * 0.9993 + rng.uniform(-0.004, 0.004))
            histories.append(Metric("loss", round(loss, 6), t0 + step * 200, step))
        for step in range(0, LOSS_STEPS, VAL_EVERY):
            frac = step / LOSS_STEPS
            histories.append(Metric("val_loss", round(0.42 + 2.2 * math.exp(-5 * frac) + rng.uniform(0, 0.02), 6), t0 + step * 200 + 50, step))
            histories.append(Metric("accuracy", round(0.97 - 0.6 * math.exp(-4 * frac) - rng.uniform(0, 0.01), 6), t0 + step * 200 + 50, step))
        # A system metric: what the x-axis "wall time" / "relative time" views are for.
        wall_start = t0
        for i in range(WALL_CLOCK_POINTS):
            cpu = 55 + 30 * math.sin(i / 40) + rng.uniform(-5, 5)
            histories.append(Metric("system/cpu_utilization_percentage", round(cpu, 2), wall_start + i * WALL_CLOCK_INTERVAL_MS, i))
        best_metrics = {"rmse": 0.6284, "r2": 0.4102, "mae": 0.4913, "val.rmse": 0.6412, "test r2 score": 0.3987}
        self.run(
            "best",
            "main",
            "elasticnet-alpha-0.05",
            start=t0,
            duration_ms=LOSS_STEPS * 200 + 60_000,
            params={"alpha": 0.05, "l1_ratio": 0.1, "max_iter": LOSS_STEPS, "model.fit_intercept": True, "feature set": "all-11", "random_state": 42},
            metrics=best_metrics,
            histories=histories,
            tags={
                "mlflow.source.name": "train.py",
                "mlflow.source.git.commit": "4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39",
                "mlflow.source.git.branch": "main",
                "mlflow.source.git.repoURL": "https://github.com/example/wine-quality.git",
                "stage": "candidate",
            },
        )

        # Two runs that differ in a few params and metrics, each with config.yaml and
        # requirements.txt, for the diff views.
        diff_common = {"max_iter": 1000, "random_state": 42, "feature set": "all-11"}
        for role, user, alpha, l1, rmse, r2, mae, commit, dt in (
            ("diffA", "alice", 0.1, 0.2, 0.6612, 0.3541, 0.5102, "a3c9e1f0b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0", 1),
            ("diffB", "bob", 0.5, 0.7, 0.7105, 0.2817, 0.5533, "b7d2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c1e3b5d7", 2),
        ):
            r = self.run(
                role,
                "main",
                f"elasticnet-alpha-{alpha}-l1-{l1}",
                user=user,
                start=t0 + dt * 3600_000,
                params={"alpha": alpha, "l1_ratio": l1, **diff_common},
                metrics={"rmse": rmse, "r2": r2, "mae": mae},
                tags={
                    "mlflow.source.name": "train.py",
                    "mlflow.source.git.commit": commit,
                    "mlflow.source.git.branch": "feature/regularisation",
                    "mlflow.note.content": f"Sweep point alpha={alpha}, l1_ratio={l1}.",
                },
            )
            d = self.tmp / role
            d.mkdir()
            (d / "config.yaml").write_text(
                "model:\n"
                "  type: ElasticNet\n"
                f"  alpha: {alpha}\n"
                f"  l1_ratio: {l1}\n"
                "  max_iter: 1000\n"
                "data:\n"
                "  path: data/winequality-red.csv\n"
                "  test_size: 0.25\n"
                + ("  stratify: false\n" if role == "diffB" else "")
                + "seed: 42\n"
            )
            (d / "requirements.txt").write_text(
                "mlflow==3.17.2\n"
                + ("scikit-learn==1.5.2\n" if role == "diffA" else "scikit-learn==1.6.1\n")
                + "pandas==2.2.3\n"
                + "numpy==2.1.3\n"
            )
            self.client.log_artifacts(r["id"], str(d))
            self.log_model_dir(r["id"])

        # One run per remaining status; RUNNING and SCHEDULED are left unterminated.
        self.run("running", "main", "elasticnet-alpha-0.01-live", user="carol", status="RUNNING", start=now_ms() - 20 * 60_000,
                 params={"alpha": 0.01, "l1_ratio": 0.5}, metrics={"rmse": 0.7012})
        self.run("scheduled", "main", "elasticnet-nightly-queued", status="SCHEDULED", start=now_ms() - 5 * 60_000,
                 params={"alpha": 0.2, "l1_ratio": 0.5})
        # The failed run diverged: its loss history ends in Infinity then NaN.
        diverged = [1.9, 1.4, 1.1, 3.8, 27.5, 1.2e9, math.inf, math.nan]
        grad = [0.8, 1.7, 6.4, 88.0, 4.1e4, 3.3e12, -math.inf, -math.inf]
        failed_hist = [Metric("loss", v, t0 + i * 1000, i) for i, v in enumerate(diverged)]
        failed_hist += [Metric("grad_norm", v, t0 + i * 1000, i) for i, v in enumerate(grad)]
        self.run("failed", "main", "elasticnet-lr-too-high", user="alice", status="FAILED", start=t0 + 3 * 3600_000,
                 params={"alpha": 0.05, "l1_ratio": 0.1, "learning_rate": 5.0}, histories=failed_hist,
                 tags={"error": "ValueError: Input contains NaN, infinity or a value too large for dtype('float64')."})
        self.nonfinite = {"key": "loss", "values": diverged, "otherKey": "grad_norm", "otherValues": grad}
        self.run("killed", "main", "elasticnet-cancelled", user="bob", status="KILLED", start=t0 + 4 * 3600_000,
                 duration_ms=90_000, params={"alpha": 0.3, "l1_ratio": 0.9}, metrics={"rmse": 0.9})
        deleted = self.run("deleted", "main", "elasticnet-typo-in-config", user="carol", start=t0 + 5 * 3600_000,
                           params={"alpha": "0.o5"})
        self.client.delete_run(deleted["id"])
        self.experiments["main"]["runCount"] -= 1
        # A few ordinary sweep points so the experiment looks lived-in.
        for i, (alpha, l1) in enumerate([(0.02, 0.1), (0.08, 0.3), (0.15, 0.5), (0.3, 0.7), (0.9, 0.9)]):
            self.run(None, "main", f"elasticnet-alpha-{alpha}-l1-{l1}", user=USERS[i % 3], start=t0 + (6 + i) * 3600_000,
                     params={"alpha": alpha, "l1_ratio": l1, **diff_common},
                     metrics={"rmse": round(0.63 + alpha * 0.12 + rng.uniform(0, 0.02), 4), "r2": round(0.41 - alpha * 0.15, 4)})

    def seed_artifacts_run(self) -> dict:
        r = self.run("artifacts", "main", "elasticnet-with-artifacts", start=self.base + 12 * 3600_000, status="RUNNING",
                     params={"alpha": 0.05, "l1_ratio": 0.1}, metrics={"rmse": 0.6301, "r2": 0.4077},
                     tags={"mlflow.source.name": "train.py", "mlflow.source.git.commit": "4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39"})
        d = self.tmp / "artifacts"
        files: dict[str, bytes] = {
            "notes.txt": b"Trained on winequality-red.csv (1599 rows), 25% held out.\nBest alpha=0.05.\n",
            "empty.txt": b"",
            "logs/train.log": "".join(
                f"2024-06-01 12:{i // 60:02d}:{i % 60:02d} INFO epoch={i} loss={2.5 * 0.97 ** i:.4f}\n" for i in range(200)
            ).encode(),
            "metrics/summary.json": json.dumps({"rmse": 0.6301, "r2": 0.4077, "mae": 0.4901, "n_test": 400}, indent=2).encode(),
            "config.yaml": b"model:\n  type: ElasticNet\n  alpha: 0.05\n  l1_ratio: 0.1\ndata:\n  path: data/winequality-red.csv\n",
            "data/predictions.csv": ("id,actual,predicted\n" + "".join(
                f"{i},{5 + i % 3},{5.6 + (i % 7) / 10:.2f}\n" for i in range(100))).encode(),
            "data/raw/2024/06/part-0001.csv": b"fixed_acidity,volatile_acidity,quality\n7.4,0.70,5\n7.8,0.88,5\n",
            "reports/evaluation report.md": "# Evaluation\n\n| metric | value |\n|---|---|\n| rmse | 0.6301 |\n\nQuality ≥ 7 is rare.\n".encode(),
            "plots/residuals.png": make_png(),
            # Incompressible (deterministic) bytes, so transfer sizes are real.
            "checkpoints/model-weights.bin": random.Random(7).randbytes(LARGE_FILE_BYTES),
        }
        for rel, data in files.items():
            p = d / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        self.client.log_artifacts(r["id"], str(d))
        self.log_model_dir(r["id"])
        model_files = sorted(str(p.relative_to(self.pyfunc_model_dir())) for p in self.pyfunc_model_dir().rglob("*") if p.is_file())
        all_files = {rel: len(data) for rel, data in files.items()}
        for m in model_files:
            all_files[f"model/{m}"] = (self.pyfunc_model_dir() / m).stat().st_size
        dirs = sorted({str(parent) for p in all_files for parent in Path(p).parents if str(parent) != "."})
        self.artifacts = {
            "runId": r["id"],
            "files": [{"path": p, "size": all_files[p]} for p in sorted(all_files)],
            "dirs": dirs,
            "topLevel": sorted({p.split("/")[0] for p in all_files}),
            "text": "notes.txt",
            "log": "logs/train.log",
            "json": "metrics/summary.json",
            "yaml": "config.yaml",
            "csv": "data/predictions.csv",
            "png": "plots/residuals.png",
            "markdown": "reports/evaluation report.md",
            "empty": "empty.txt",
            "deep": "data/raw/2024/06/part-0001.csv",
            "large": {"path": "checkpoints/model-weights.bin", "size": LARGE_FILE_BYTES},
            "modelDir": "model",
            "mlmodel": "model/MLmodel",
        }
        return r

    def seed_logged_model(self) -> None:
        """An MLflow-3 logged model from the artifacts run, registered as a new version."""
        run_id = self.runs["artifacts"]["id"]
        with mlflow.start_run(run_id=run_id):
            info = mlflow.pyfunc.log_model(
                name="wine-quality-pyfunc",
                python_model=TrivialModel(),
                pip_requirements=[f"mlflow=={mlflow.__version__}"],
                registered_model_name="wine-quality-regressor",
                params={"alpha": "0.05", "l1_ratio": "0.1"},
                tags={"framework": "pyfunc"},
            )
        self.runs["artifacts"]["status"] = "FINISHED"
        self.logged_model = {
            "modelId": info.model_id,
            "name": "wine-quality-pyfunc",
            "runId": run_id,
            "experimentId": self.runs["artifacts"]["experimentId"],
            "registeredModel": "wine-quality-regressor",
            "version": str(info.registered_model_version),
        }

    def seed_nested(self) -> None:
        self.experiment(
            "nested",
            "image-classifier",
            "ResNet-50 fine-tuning on a 10-class product-photo data set, 4-fold cross-validation. "
            "Each fold is a child run of the cross-validation run.",
            {"team": "vision", "framework": "pytorch", "dataset": "product-photos-v3"},
        )
        t0 = self.base + 24 * 3600_000
        common = {"model": "resnet50", "epochs": 20, "batch_size": 64, "optimizer": "adamw", "lr": 3e-4}
        parent = self.run("parent", "nested", "resnet50-4fold-cv", user="carol", start=t0, duration_ms=4 * 3600_000,
                          params={**common, "folds": 4}, metrics={"mean_val_accuracy": 0.9121, "std_val_accuracy": 0.0087})
        children = []
        for k in range(4):
            acc = [0.9035, 0.9214, 0.9102, 0.9133][k]
            hist = [Metric("val_accuracy", round(acc - 0.4 * math.exp(-e / 4), 4), t0 + k * 3600_000 + e * 60_000, e) for e in range(20)]
            hist += [Metric("train_loss", round(2.3 * math.exp(-e / 5) + 0.05, 4), t0 + k * 3600_000 + e * 60_000, e) for e in range(20)]
            c = self.run("child" if k == 0 else None, "nested", f"fold-{k}", user=["carol", "alice", "carol", "bob"][k],
                         start=t0 + k * 3600_000 + 1000, duration_ms=3500_000, params={**common, "fold": k},
                         metrics={"val_accuracy_final": acc}, histories=hist, parent=parent["id"])
            children.append(c)
        self.run("grandchild", "nested", "fold-0-lr-finder", start=t0 + 2000, duration_ms=300_000,
                 params={"lr_min": 1e-6, "lr_max": 1.0, "num_iter": 100}, metrics={"suggested_lr": 3e-4},
                 parent=children[0]["id"])
        # An unrelated top-level run so the parent is not alone at the root.
        self.run(None, "nested", "resnet18-baseline", user="bob", start=t0 - 3600_000, params={**common, "model": "resnet18"},
                 metrics={"val_accuracy": 0.8712})
        for c in children[:2]:
            self.log_model_dir(c["id"])
        self.log_model_dir(parent["id"])
        self.nested = {
            "parentId": parent["id"],
            "childIds": [c["id"] for c in children],
            "grandchildId": self.runs["grandchild"]["id"],
            "grandchildParentId": children[0]["id"],
        }
        self.children = children

    def seed_big(self, threads: int) -> None:
        self.experiment(
            "big",
            "hyperparam-sweep",
            f"Random search over {BIG_RUNS} gradient-boosting configurations for churn prediction.",
            {"team": "growth", "sweep": "random-search", "budget": str(BIG_RUNS)},
        )
        exp_id = self.experiments["big"]["id"]
        users = [self.user] + USERS
        t0 = self.base + 2 * 24 * 3600_000
        # Decided up front with one RNG so the data does not depend on thread scheduling.
        plans = []
        for i in range(BIG_RUNS):
            lr = round(10 ** self.rng.uniform(-3.5, -0.5), 5)
            depth = self.rng.choice([3, 4, 6, 8, 10])
            n_est = self.rng.choice([100, 200, 400, 800])
            auc = round(min(0.95, 0.78 + 0.03 * math.log10(n_est) + self.rng.uniform(-0.04, 0.04) - abs(math.log10(lr) + 1.5) * 0.02), 4)
            status = "FAILED" if i % 97 == 13 else "KILLED" if i % 211 == 5 else "FINISHED"
            plans.append((i, users[i % len(users)], lr, depth, n_est, auc, status))

        def one(plan) -> tuple[str, str, str, str]:
            i, user, lr, depth, n_est, auc, status = plan
            # Distinct, increasing start times: the default order (start_time DESC) is then total.
            start = t0 + i * 60_000
            name = f"trial-{i + 1:04d}"
            run = self.client.create_run(exp_id, start_time=start, run_name=name, tags={
                "mlflow.user": user,
                "mlflow.source.type": "LOCAL",
                "mlflow.source.name": "sweep.py",
                "sweep_id": "sweep-2024-06-03",
                "trial": str(i + 1),
            })
            rid = run.info.run_id
            metrics = [Metric("val_auc", auc, start + 50_000, n_est), Metric("val_logloss", round(0.7 - auc * 0.5, 4), start + 50_000, n_est)]
            metrics += [Metric("train_logloss", round(0.69 * math.exp(-s / (n_est / 4)) + 0.1, 4), start + s * 100, s) for s in range(0, n_est, n_est // 5)]
            self.client.log_batch(rid, metrics=metrics, params=[
                Param("learning_rate", str(lr)), Param("max_depth", str(depth)), Param("n_estimators", str(n_est)),
                Param("subsample", "0.8"), Param("objective", "binary:logistic"),
            ])
            self.client.set_terminated(rid, status=status, end_time=start + 45_000 + n_est * 20)
            return rid, name, user, status

        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(one, plans))
        status_counts: dict[str, int] = {}
        user_counts: dict[str, int] = {}
        for _, _, user, status in results:
            status_counts[status] = status_counts.get(status, 0) + 1
            user_counts[user] = user_counts.get(user, 0) + 1
        self.experiments["big"]["runCount"] = BIG_RUNS
        self.big_results = results
        self.big = {
            "experimentId": exp_id,
            "runCount": BIG_RUNS,
            "statusCounts": status_counts,
            "userCounts": user_counts,
            "paramKeys": ["learning_rate", "max_depth", "n_estimators", "objective", "subsample"],
            "metricKeys": ["train_logloss", "val_auc", "val_logloss"],
            "firstRun": {"id": results[0][0], "name": results[0][1]},
            "lastRun": {"id": results[-1][0], "name": results[-1][1]},
        }
        # Two sweep trials get model directories: they back registry versions.
        for idx in (6, 419):
            self.log_model_dir(results[idx][0])

    def seed_xss(self) -> None:
        self.experiment(
            "xss",
            XSS_EXPERIMENT,
            '<script>alert("description")</script> **markdown** <img src=x onerror=alert(2)>',
            {"owner": "<b>security</b>", "note": "</textarea><svg onload=alert(3)>"},
        )
        self.run("xss", "xss", XSS_RUN_NAME, user="alice", params={"payload": XSS_PARAM, "query": "a=1&b=<2>"},
                 metrics={"score": 1.0},
                 tags={"control": CONTROL_CHARS, "html": '<a href="javascript:alert(4)">click</a>',
                       "mlflow.note.content": "<iframe src=javascript:alert(5)></iframe>"})
        self.run("xssControl", "xss", CONTROL_CHARS, user="bob", params={"payload": CONTROL_CHARS}, metrics={"score": 0.0})

    def seed_deleted_and_empty(self) -> None:
        self.experiment("deleted", "churn-prediction-legacy", "Superseded by hyperparam-sweep.", {"team": "growth"})
        for i in range(2):
            self.run(None, "deleted", f"legacy-logreg-{i}", params={"C": 1.0 / (i + 1)}, metrics={"auc": 0.71 + i / 100})
        self.client.delete_experiment(self.experiments["deleted"]["id"])
        self.experiment("empty", "feature-store-backfill", "No runs yet.", {"team": "platform"})

    def seed_demo_extras(self) -> None:
        """Only with --profile demo: two more experiments with handfuls of runs."""
        self.experiment("demoText", "text-sentiment-distilbert", "DistilBERT fine-tuned on product reviews.",
                        {"team": "nlp", "framework": "transformers"})
        t0 = self.base + 3 * 24 * 3600_000
        for i in range(20):
            lr = [1e-5, 2e-5, 3e-5, 5e-5][i % 4]
            hist = [Metric("eval_f1", round(0.8 + 0.1 * (1 - math.exp(-e / 2)) + self.rng.uniform(-0.01, 0.01), 4), t0 + i * 7200_000 + e * 600_000, e) for e in range(10)]
            self.run(None, "demoText", f"distilbert-lr{lr}-seed{i}", user=([self.user] + USERS)[i % 4], start=t0 + i * 7200_000,
                     params={"learning_rate": lr, "epochs": 10, "max_seq_length": 256, "seed": i}, histories=hist,
                     metrics={"eval_accuracy": round(0.88 + self.rng.uniform(0, 0.05), 4)})
        self.experiment("demoForecast", "sales-forecast-prophet", "Weekly sales forecast per store.",
                        {"team": "forecasting", "framework": "prophet"})
        for i in range(15):
            self.run(None, "demoForecast", f"store-{i + 1:02d}", user=USERS[i % 3], start=t0 + i * 3600_000,
                     params={"seasonality_mode": ["additive", "multiplicative"][i % 2], "changepoint_prior_scale": 0.05},
                     metrics={"mape": round(0.08 + self.rng.uniform(0, 0.06), 4), "rmse": round(120 + self.rng.uniform(0, 40), 2)})

    def seed_registry(self) -> None:
        c = self.client
        models: dict[str, dict] = {}

        def version(name: str, run: dict, description: str, tags: dict[str, str] | None = None) -> dict:
            art = c.get_run(run["id"]).info.artifact_uri
            mv = c.create_model_version(name, f"{art}/model", run_id=run["id"], description=description, tags=tags or {})
            return {"version": str(mv.version), "runId": run["id"], "runUser": run["user"], "source": mv.source}

        def model(role: str, name: str, description: str, tags: dict[str, str]) -> dict:
            c.create_registered_model(name, tags=tags, description=description)
            models[role] = {"name": name, "description": description, "tags": tags, "versions": [], "aliases": {}}
            return models[role]

        wine = model("wine", "wine-quality-regressor", "ElasticNet that predicts wine quality (0-10) from 11 physico-chemical features.",
                     {"task": "regression", "team": "ds-core"})
        wine["versions"].append(version(wine["name"], self.runs["diffA"], "alpha=0.1 baseline", {"validation": "passed"}))
        wine["versions"].append(version(wine["name"], self.runs["diffB"], "alpha=0.5, stronger L1", {"validation": "failed"}))
        wine["versions"].append(version(wine["name"], self.runs["best"], "best rmse so far", {"validation": "passed"}))
        # Stages are deprecated but still served; the tree shows them.
        with warnings_off():
            c.transition_model_version_stage(wine["name"], "1", "Archived")
            c.transition_model_version_stage(wine["name"], "3", "Production")

        image = model("image", "image-classifier-resnet", "ResNet-50 product-photo classifier (10 classes).",
                      {"task": "image-classification", "team": "vision"})
        for k, run in enumerate(self.children[:2]):
            image["versions"].append(version(image["name"], run, f"fold {k} checkpoint"))
        image["versions"].append(version(image["name"], self.runs["parent"], "cross-validated ensemble"))

        churn = model("churn", "churn-xgboost", "Gradient-boosted churn model from the June sweep.", {"task": "classification"})
        for idx in (6, 419):
            rid, name, user, status = self.big_results[idx]
            churn["versions"].append(version(churn["name"], {"id": rid, "user": user}, f"sweep {name}"))

        # The MLflow-3 logged model becomes the next wine version.
        self.seed_logged_model()
        wine["versions"].append({
            "version": self.logged_model["version"],
            "runId": self.logged_model["runId"],
            "runUser": self.runs["artifacts"]["user"],
            "source": f"models:/{self.logged_model['modelId']}",
            "modelId": self.logged_model["modelId"],
        })

        for m, aliases in ((wine, {"champion": "3", "challenger": self.logged_model["version"]}),
                           (image, {"champion": "3", "canary": "2"}),
                           (churn, {"champion": "2"})):
            for alias, v in aliases.items():
                c.set_registered_model_alias(m["name"], alias, v)
            m["aliases"] = aliases
        c.set_model_version_tag(churn["name"], "1", "validation", "passed")
        self.models = models


@contextlib.contextmanager
def warnings_off():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def make_png() -> bytes:
    """A real residual plot when matplotlib is there, else a small gradient written by hand."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        rng = random.Random(3)
        xs = [5 + rng.random() * 3 for _ in range(200)]
        ys = [rng.gauss(0, 0.6) for _ in xs]
        fig, ax = plt.subplots(figsize=(4, 3), dpi=80)
        ax.scatter(xs, ys, s=6, alpha=0.6)
        ax.axhline(0, color="k", lw=0.8)
        ax.set_xlabel("predicted quality")
        ax.set_ylabel("residual")
        ax.set_title("Residuals")
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
        return buf.getvalue()
    except ImportError:
        w, h = 64, 48
        # One filter byte (0 = none) per row, then RGB triples: a red/green gradient.
        raw = b"".join(b"\x00" + bytes(v for x in range(w) for v in (x * 4 % 256, y * 5 % 256, 128)) for y in range(h))

        def chunk(tag: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def json_number(v: float):
    # JSON has no NaN/Infinity: spelled as the REST API spells them.
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def stored_number(v: float):
    """What a SQL-backed server returns for a logged value: SQL has no infinities, so
    SqlAlchemyStore.sanitize_metric_value stores +/-Infinity as +/-1.7976931348623157e308 (the
    largest double) and NaN as 0 with is_nan set, which comes back as "NaN"."""
    if math.isinf(v):
        return sys.float_info.max if v > 0 else -sys.float_info.max
    return json_number(v)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profile", choices=["test", "demo"], default="test")
    ap.add_argument("--threads", type=int, default=8, help="threads for the big experiment (default 8)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="[seed] %(message)s")
    for noisy in ("mlflow", "urllib3", "alembic", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    uri = os.environ.get("MLFLOW_TRACKING_URI")
    if not uri:
        print("MLFLOW_TRACKING_URI must point at the server to seed", file=sys.stderr)
        return 2
    mlflow.set_tracking_uri(uri)
    client = MlflowClient(uri)
    timer = Timer()
    with tempfile.TemporaryDirectory(prefix="mlflow-seed-") as tmp:
        s = Seeder(client, Path(tmp))
        with timer.section("main experiment"):
            s.seed_main()
        with timer.section("artifacts run"):
            s.seed_artifacts_run()
        with timer.section("nested runs"):
            s.seed_nested()
        with timer.section(f"big ({BIG_RUNS} runs)"):
            s.seed_big(args.threads)
        with timer.section("xss, deleted, empty"):
            s.seed_xss()
            s.seed_deleted_and_empty()
        if args.profile == "demo":
            with timer.section("demo extras"):
                s.seed_demo_extras()
        with timer.section("registry"):
            s.seed_registry()
    # The artifacts run was counted when created; the logged model did not add a run.
    best = s.runs["best"]
    out = {
        "profile": args.profile,
        "trackingUri": uri,
        "mlflowVersion": mlflow.__version__,
        "seconds": timer.total(),
        "sections": timer.sections,
        "users": {"default": s.user, "others": USERS, "all": [s.user] + USERS},
        "experiments": s.experiments,
        "runs": s.runs,
        "nested": s.nested,
        "big": s.big,
        "metrics": {
            "runId": best["id"],
            "histories": {
                "loss": LOSS_STEPS,
                "val_loss": LOSS_STEPS // VAL_EVERY,
                "accuracy": LOSS_STEPS // VAL_EVERY,
                "system/cpu_utilization_percentage": WALL_CLOCK_POINTS,
                "rmse": 1, "r2": 1, "mae": 1, "val.rmse": 1, "test r2 score": 1,
            },
            "longest": {"key": "loss", "points": LOSS_STEPS},
            "wallClock": {
                "key": "system/cpu_utilization_percentage",
                "points": WALL_CLOCK_POINTS,
                "firstTimestamp": s.base,
                "intervalMs": WALL_CLOCK_INTERVAL_MS,
            },
            "keysWithDotsAndSpaces": ["val.rmse", "test r2 score"],
            "paramKeysWithDotsAndSpaces": ["model.fit_intercept", "feature set"],
            "nonFinite": {
                "runId": s.runs["failed"]["id"],
                "key": s.nonfinite["key"],
                "sent": [json_number(v) for v in s.nonfinite["values"]],
                "values": [stored_number(v) for v in s.nonfinite["values"]],
                "otherKey": s.nonfinite["otherKey"],
                "otherSent": [json_number(v) for v in s.nonfinite["otherValues"]],
                "otherValues": [stored_number(v) for v in s.nonfinite["otherValues"]],
            },
        },
        "xss": {
            "experimentName": XSS_EXPERIMENT,
            "runName": XSS_RUN_NAME,
            "paramKey": "payload",
            "paramValue": XSS_PARAM,
            "tagKey": "control",
            "tagValue": CONTROL_CHARS,
            "controlRunName": CONTROL_CHARS,
        },
        "artifacts": s.artifacts,
        "models": s.models,
        "loggedModel": s.logged_model,
    }
    log.info("seeded %s in %.1f s", uri, out["seconds"])
    REAL_STDOUT.write(json.dumps(out, ensure_ascii=False) + "\n")
    REAL_STDOUT.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
