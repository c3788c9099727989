#!/usr/bin/env python3
"""Seeds a running MLflow server with benchmark-sized data.

Usage:
  MLFLOW_TRACKING_URI=http://127.0.0.1:PORT python bench/seed_bench.py --db-uri BACKEND_STORE_URI
      [--runs-large 100000] [--runs-medium 10000] [--history-points 1000000]
      [--history-method sql|rest] [--verify-full]

Creates three experiments through the REST API (so the server assigns ids and artifact
locations), then fills them:
  - "bench-runs-100k": --runs-large runs, each with tags, 3 params and 2 metrics;
  - "bench-runs-10k": --runs-medium runs, the same shape;
  - "bench-metric-history": one run with a `loss` history of --history-points steps.
Prints one JSON object with the ids and timings on stdout; progress goes to stderr.

Why the runs are not created through the REST API: every run costs three requests (create,
log-batch, update) and the SQL store spends 50-75 ms of server CPU on them (measured on 2
cores), so 100,000 runs would take well over an hour. Instead the rows are bulk-inserted into the
tables of MLflow's own SQL store models (mlflow.store.tracking.dbmodels), in the server's
database, through the engine of MLflow's SqlAlchemyStore (which also checks the schema is the one
this MLflow expects): SQLAlchemy Core executemany on SQLite, COPY on PostgreSQL. The rows are exactly what SqlAlchemyStore.create_run /
log_batch / update_run_info write: runs, tags (including mlflow.runName and mlflow.user), params,
metrics and latest_metrics (which search filters and ordering read). The script then checks
through the REST API that runs/search sees them.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import math
import os
import random
import sys
import time
import uuid

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")
os.environ.setdefault("MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT", "true")
REAL_STDOUT = sys.stdout
sys.stdout = sys.stderr  # stdout is for the JSON only

import requests  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from mlflow.entities import Metric  # noqa: E402
from mlflow.store.tracking.dbmodels.models import (  # noqa: E402
    SqlLatestMetric,
    SqlMetric,
    SqlParam,
    SqlRun,
    SqlTag,
)
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore  # noqa: E402
from sqlalchemy import insert  # noqa: E402

log = logging.getLogger("seed_bench")
CHUNK = 5000  # runs per transaction
USERS = ["alice", "bob", "carol", "dave"]
OPTIMIZERS = ["adam", "adamw", "sgd", "rmsprop"]


def _copy_text(v) -> str:
    if v is None:
        return "\\N"
    if isinstance(v, bool):
        return "t" if v else "f"
    return str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def bulk_insert(session, table, rows: list[dict]) -> None:
    """Inserts rows into one of the store's tables. On PostgreSQL through COPY, which measured
    about twice as fast as SQLAlchemy's batched INSERT (insertmanyvalues) for the metrics table;
    elsewhere through a Core executemany."""
    if not rows:
        return
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        cols = list(rows[0])
        buf = io.StringIO("".join("\t".join(_copy_text(r[c]) for c in cols) + "\n" for r in rows))
        with conn.connection.dbapi_connection.cursor() as cur:
            cur.copy_expert(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN", buf)
    else:
        session.execute(insert(table), rows)


def bulk_runs(store: SqlAlchemyStore, experiment_id: str, artifact_location: str, n: int, prefix: str, t0: int) -> dict:
    """Inserts n finished runs; start times are t0 + i seconds, so the default order is total."""
    rng = random.Random(n)
    first = last = None
    for lo in range(0, n, CHUNK):
        runs, tags, params, metrics, latest = [], [], [], [], []
        for i in range(lo, min(n, lo + CHUNK)):
            run_id = uuid.uuid4().hex
            name = f"{prefix}-{i:06d}"
            start = t0 + i * 1000
            user = USERS[i % len(USERS)]
            runs.append({
                "run_uuid": run_id,
                "name": name,
                "source_type": "LOCAL",
                "source_name": "bench.py",
                "entry_point_name": "",
                "user_id": user,
                "status": "FINISHED",
                "start_time": start,
                "end_time": start + 900,
                "deleted_time": None,
                "source_version": "",
                "lifecycle_stage": "active",
                "artifact_uri": f"{artifact_location.rstrip('/')}/{run_id}/artifacts",
                "experiment_id": int(experiment_id),
            })
            for k, v in (("mlflow.runName", name), ("mlflow.user", user), ("mlflow.source.name", "bench.py"),
                         ("mlflow.source.type", "LOCAL")):
                tags.append({"key": k, "value": v, "run_uuid": run_id})
            for k, v in (("learning_rate", f"{10 ** rng.uniform(-4, -1):.5f}"), ("batch_size", str(rng.choice([32, 64, 128, 256]))),
                         ("optimizer", rng.choice(OPTIMIZERS))):
                params.append({"key": k, "value": v, "run_uuid": run_id})
            loss = round(rng.uniform(0.05, 1.5), 5)
            acc = round(1 - loss / 2 + rng.uniform(-0.05, 0.05), 5)
            for k, v in (("loss", loss), ("accuracy", acc)):
                row = {"key": k, "value": v, "timestamp": start + 800, "step": 0, "is_nan": False, "run_uuid": run_id}
                metrics.append(row)
                latest.append(dict(row))
            if first is None:
                first = {"id": run_id, "name": name}
            last = {"id": run_id, "name": name}
        with store.ManagedSessionMaker() as session:
            # Parents first: the other tables reference runs.run_uuid.
            bulk_insert(session, SqlRun.__table__, runs)
            bulk_insert(session, SqlTag.__table__, tags)
            bulk_insert(session, SqlParam.__table__, params)
            bulk_insert(session, SqlMetric.__table__, metrics)
            bulk_insert(session, SqlLatestMetric.__table__, latest)
        if (lo // CHUNK) % 4 == 3 or lo + CHUNK >= n:
            log.info("  %s: %d / %d runs", prefix, min(n, lo + CHUNK), n)
    return {"first": first, "last": last}


def loss_at(step: int, n: int) -> float:
    return round(2.5 * math.exp(-6 * step / n) + 0.1 + 0.02 * math.sin(step / 50), 6)


def history_sql(store: SqlAlchemyStore, run_id: str, points: int, t0: int) -> None:
    step_chunk = 50_000
    for lo in range(0, points, step_chunk):
        rows = [{"key": "loss", "value": loss_at(s, points), "timestamp": t0 + s * 10, "step": s, "is_nan": False, "run_uuid": run_id}
                for s in range(lo, min(points, lo + step_chunk))]
        with store.ManagedSessionMaker() as session:
            bulk_insert(session, SqlMetric.__table__, rows)
            if lo + step_chunk >= points:
                bulk_insert(session, SqlLatestMetric.__table__, [dict(rows[-1])])
        if (lo // step_chunk) % 4 == 3:
            log.info("  history: %d / %d points", min(points, lo + step_chunk), points)


def history_rest(client: MlflowClient, run_id: str, points: int, t0: int) -> None:
    # log_batch takes at most 1000 metrics per request; the client does not split for us here.
    for lo in range(0, points, 1000):
        client.log_batch(run_id, metrics=[Metric("loss", loss_at(s, points), t0 + s * 10, s) for s in range(lo, min(points, lo + 1000))])
        if (lo // 1000) % 50 == 49:
            log.info("  history (REST): %d / %d points", lo + 1000, points)


def post(url: str, path: str, body: dict) -> dict:
    r = requests.post(f"{url}/api/2.0/mlflow/{path}", json=body, timeout=600)
    r.raise_for_status()
    return r.json()


def verify_runs(url: str, experiment_id: str, n: int, last_name: str, full: bool) -> dict:
    """What a client sees: the first page is full and has a next page, the newest run is first,
    a filter finds one run by name, and (with --verify-full) paging reaches exactly n."""
    t = time.perf_counter()
    page = post(url, "runs/search", {"experiment_ids": [experiment_id], "max_results": 1000})
    assert len(page.get("runs", [])) == min(n, 1000), f"first page has {len(page.get('runs', []))} runs"
    assert (n > 1000) == ("next_page_token" in page), "next_page_token"
    assert page["runs"][0]["info"]["run_name"] == last_name, "default order is start_time DESC"
    found = post(url, "runs/search", {"experiment_ids": [experiment_id], "max_results": 10,
                                      "filter": f"attributes.run_name = '{last_name}'"})
    assert [r["info"]["run_name"] for r in found.get("runs", [])] == [last_name], "filter by run name"
    out = {"firstPageSeconds": round(time.perf_counter() - t, 2)}
    if full:
        t = time.perf_counter()
        count, token = 0, None
        while True:
            body = {"experiment_ids": [experiment_id], "max_results": 50000}
            if token:
                body["page_token"] = token
            page = post(url, "runs/search", body)
            count += len(page.get("runs", []))
            token = page.get("next_page_token")
            if not token:
                break
        assert count == n, f"paging found {count} runs, expected {n}"
        out["fullPagingSeconds"] = round(time.perf_counter() - t, 2)
    return out


def verify_history(url: str, run_id: str, points: int) -> dict:
    t = time.perf_counter()
    r = requests.get(f"{url}/api/2.0/mlflow/metrics/get-history",
                     params={"run_id": run_id, "metric_key": "loss", "max_results": 25000}, timeout=600)
    r.raise_for_status()
    page = r.json()
    assert len(page["metrics"]) == min(points, 25000), "first history page"
    assert ("next_page_token" in page) == (points > 25000)
    run = requests.get(f"{url}/api/2.0/mlflow/runs/get", params={"run_id": run_id}, timeout=60).json()["run"]
    latest = {m["key"]: m for m in run["data"]["metrics"]}["loss"]
    assert latest["step"] == points - 1, f"latest loss step is {latest['step']}"
    return {"firstPageSeconds": round(time.perf_counter() - t, 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db-uri", required=True, help="the server's --backend-store-uri")
    ap.add_argument("--runs-large", type=int, default=100_000)
    ap.add_argument("--runs-medium", type=int, default=10_000)
    ap.add_argument("--history-points", type=int, default=1_000_000)
    ap.add_argument("--history-method", choices=["sql", "rest"], default="sql")
    ap.add_argument("--verify-full", action="store_true", help="page through every run via REST")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="[bench-seed] %(message)s")
    for noisy in ("mlflow", "alembic", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    url = os.environ.get("MLFLOW_TRACKING_URI", "").rstrip("/")
    if not url:
        print("MLFLOW_TRACKING_URI must point at the server", file=sys.stderr)
        return 2

    t_all = time.perf_counter()
    seconds: dict[str, float] = {}
    client = MlflowClient(url)
    # The server's default artifact root; this store never writes artifacts.
    store = SqlAlchemyStore(args.db_uri, "mlflow-artifacts:/")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    t0 = int(time.time() * 1000) - 30 * 24 * 3600 * 1000
    out: dict = {"trackingUri": url, "historyMethod": args.history_method, "experiments": {}}

    for role, n, prefix in (("runsLarge", args.runs_large, "large"), ("runsMedium", args.runs_medium, "medium")):
        name = f"bench-{prefix}-{n}-runs-{stamp}"
        exp_id = client.create_experiment(name, tags={"mlflow.note.content": f"{n} runs bulk-inserted by bench/seed_bench.py"})
        location = client.get_experiment(exp_id).artifact_location
        t = time.perf_counter()
        ends = bulk_runs(store, exp_id, location, n, prefix, t0)
        seconds[f"{role}Insert"] = round(time.perf_counter() - t, 2)
        log.info("%s: %d runs in %.1f s", name, n, seconds[f"{role}Insert"])
        verify = verify_runs(url, exp_id, n, ends["last"]["name"], args.verify_full)
        seconds[f"{role}Verify"] = verify["firstPageSeconds"]
        if "fullPagingSeconds" in verify:
            seconds[f"{role}FullPaging"] = verify["fullPagingSeconds"]
        out["experiments"][role] = {"id": exp_id, "name": name, "runCount": n, "firstRun": ends["first"], "lastRun": ends["last"]}

    name = f"bench-metric-history-{stamp}"
    exp_id = client.create_experiment(name)
    run = client.create_run(exp_id, run_name="long-training", tags={"mlflow.user": "alice"}, start_time=t0)
    run_id = run.info.run_id
    t = time.perf_counter()
    if args.history_method == "sql":
        history_sql(store, run_id, args.history_points, t0)
    else:
        history_rest(client, run_id, args.history_points, t0)
    client.set_terminated(run_id, "FINISHED", end_time=t0 + args.history_points * 10)
    seconds["historyInsert"] = round(time.perf_counter() - t, 2)
    log.info("history: %d points (%s) in %.1f s", args.history_points, args.history_method, seconds["historyInsert"])
    seconds["historyVerify"] = verify_history(url, run_id, args.history_points)["firstPageSeconds"]
    out["experiments"]["history"] = {"id": exp_id, "name": name, "runCount": 1}
    out["history"] = {"experimentId": exp_id, "runId": run_id, "key": "loss", "points": args.history_points}
    seconds["total"] = round(time.perf_counter() - t_all, 2)
    out["seconds"] = seconds
    log.info("done in %.1f s", seconds["total"])
    REAL_STDOUT.write(json.dumps(out) + "\n")
    REAL_STDOUT.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
