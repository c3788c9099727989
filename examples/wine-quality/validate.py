"""Check a wine data file before training on it, and record the check as an MLflow run.

    mlflow run . -e validate --env-manager local -P path=data/wine.csv
"""
import argparse
import os
import sys

import mlflow
import pandas as pd

REQUIRED = [
    "alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids",
    "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue", "od280_od315_of_diluted_wines", "proline",
]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--path", required=True)
    args = p.parse_args()

    data = pd.read_csv(args.path)
    problems = [f"missing column {c!r}" for c in REQUIRED if c not in data.columns]
    present = [c for c in REQUIRED if c in data.columns]
    nulls = int(data[present].isna().sum().sum())
    if nulls:
        problems.append(f"{nulls} empty cells")
    negative = [c for c in present if (data[c] < 0).any()]
    if negative:
        problems.append(f"negative values in {', '.join(negative)}")

    with mlflow.start_run():
        # `mlflow run` logs the `path` parameter as given; the resolved file goes in a tag.
        mlflow.set_tag("validated_file", os.path.abspath(args.path))
        mlflow.log_metrics({"rows": len(data), "columns": len(data.columns), "problems": len(problems)})
        mlflow.set_tag("validation", "failed" if problems else "passed")
        mlflow.log_text("\n".join(problems) + "\n" if problems else "no problems\n", "validation.txt")

    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)
    print(f"{args.path}: {len(data)} rows, {len(data.columns)} columns, no problems")


if __name__ == "__main__":
    main()
