"""Train an ElasticNet on the bundled wine data and track it with MLflow.

Predicts a wine's alcohol content from its other chemical measurements. Runs offline in about a
second: the data is data/wine.csv (the UCI Wine data that ships with scikit-learn), nothing is
downloaded. Usage:

    mlflow run . --env-manager local -P alpha=0.3
    python train.py --alpha 0.3 --l1-ratio 0.1 --max-iter 1000
"""
import argparse
import json
import warnings
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

HERE = Path(__file__).resolve().parent
TARGET = "alcohol"
# The fit runs in this many chunks so the run gets a short metric history (one point per chunk).
STEPS = 10


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--alpha", type=float, default=0.5, help="overall regularisation strength")
    p.add_argument("--l1-ratio", type=float, default=0.1, help="0 = ridge, 1 = lasso")
    p.add_argument("--max-iter", type=int, default=1000, help="coordinate-descent iterations in total")
    p.add_argument("--data", type=Path, default=HERE / "data" / "wine.csv")
    return p.parse_args()


def rmse(y, y_hat):
    return float(np.sqrt(mean_squared_error(y, y_hat)))


def main():
    args = parse_args()
    data = pd.read_csv(args.data)
    features = [c for c in data.columns if c not in (TARGET, "cultivar")]
    x_train, x_test, y_train, y_test = train_test_split(data[features], data[TARGET], test_size=0.25, random_state=42)
    scaler = StandardScaler().fit(x_train)
    x_train, x_test = scaler.transform(x_train), scaler.transform(x_test)

    with mlflow.start_run() as run:
        # `mlflow run` has already logged the entry point's parameters as typed (e.g. "-P alpha=.3"
        # as ".3"); MLflow refuses to change a logged value, so only fill in what is missing.
        params = {"alpha": args.alpha, "l1_ratio": args.l1_ratio, "max_iter": args.max_iter}
        mlflow.log_params({k: v for k, v in params.items() if k not in run.data.params})
        mlflow.set_tags({"model": "ElasticNet", "dataset": "uci-wine", "target": TARGET})

        # warm_start continues coordinate descent where the previous chunk stopped, so the
        # history shows the fit converging rather than ten independent fits.
        per_step = max(1, args.max_iter // STEPS)
        model = ElasticNet(alpha=args.alpha, l1_ratio=args.l1_ratio, max_iter=per_step, warm_start=True, random_state=42)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            for step in range(STEPS):
                model.fit(x_train, y_train)
                mlflow.log_metrics(
                    {"train_rmse": rmse(y_train, model.predict(x_train)), "val_rmse": rmse(y_test, model.predict(x_test))},
                    step=step,
                )

        predicted = model.predict(x_test)
        scores = {"rmse": rmse(y_test, predicted), "mae": float(mean_absolute_error(y_test, predicted)), "r2": float(r2_score(y_test, predicted))}
        mlflow.log_metrics(scores)

        summary = {
            "model": "ElasticNet",
            "target": TARGET,
            "alpha": args.alpha,
            "l1_ratio": args.l1_ratio,
            "intercept": round(float(model.intercept_), 6),
            "coefficients": {f: round(float(c), 6) + 0.0 for f, c in zip(features, model.coef_)},  # + 0.0 turns -0.0 into 0.0
            "scores": {k: round(v, 6) for k, v in scores.items()},
        }
        mlflow.log_text(to_yaml(summary), "model_summary.yaml")
        mlflow.log_text(json.dumps(summary["coefficients"], indent=2), "coefficients.json")
        sample = pd.DataFrame({"actual": y_test.to_numpy(), "predicted": np.round(predicted, 3)}).head(20)
        mlflow.log_text(sample.to_csv(index=False), "predictions/sample.csv")

        print(f"ElasticNet(alpha={args.alpha}, l1_ratio={args.l1_ratio}): rmse={scores['rmse']:.4f} mae={scores['mae']:.4f} r2={scores['r2']:.4f}")


def to_yaml(d, indent=0):
    # A tiny writer for flat/nested dicts of scalars, so the project needs no PyYAML import.
    lines = []
    for k, v in d.items():
        if isinstance(v, dict):
            lines.append(" " * indent + f"{k}:")
            lines.append(to_yaml(v, indent + 2).rstrip("\n"))
        else:
            lines.append(" " * indent + f"{k}: {v}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
