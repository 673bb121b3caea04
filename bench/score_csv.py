"""Train and evaluate the addon's win model (crm_cn_lifecycle/tools/win_model.py)
on any CSV of past deals, without Odoo or a database, and print its AUC and
Brier score on the newest deals beside the base rate's.

    .venv/bin/python bench/score_csv.py --csv deals.csv --target won \
        [--time closed_on] [--drop id,name]

Columns whose every value is a number are numeric features, the others are
categories. The target is true for 1/true/yes/y/won (any case). With --time,
the newest quarter of rows (by that column, ISO dates sort as text) is held
out; without it, the last quarter of the file.
"""
import argparse
import csv
import importlib.util
import math
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRUE = {"1", "true", "yes", "y", "won", "win", "t"}


def load_tool():
    """tools/win_model.py with its sibling modules, without Odoo: the tools
    folder loaded as a package of its own."""
    tools = os.path.join(REPO, "crm_cn_lifecycle", "tools")
    spec = importlib.util.spec_from_file_location(
        "cn_tools", os.path.join(tools, "__init__.py"), submodule_search_locations=[tools])
    package = importlib.util.module_from_spec(spec)
    sys.modules["cn_tools"] = package
    spec.loader.exec_module(package)
    return importlib.import_module("cn_tools.win_model")


def is_number(text):
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def read_rows(path, target, time_column, drop):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        records = list(csv.DictReader(handle))
    if not records:
        sys.exit("score_csv: %s has no rows" % path)
    missing = [name for name in [target, time_column] if name and name not in records[0]]
    if missing:
        sys.exit("score_csv: no column %s in %s (columns: %s)" % (
            ", ".join(missing), path, ", ".join(records[0])))
    features = [name for name in records[0] if name not in {target, time_column} | drop]
    numeric = {name for name in features
               if all(is_number(record[name]) for record in records if record[name] != "")}
    frame = {"won": [record[target].strip().lower() in TRUE for record in records],
             "close_date": [record[time_column] if time_column else "%09d" % index
                            for index, record in enumerate(records)]}
    for name in features:
        if name in numeric:
            frame[name] = [float(record[name]) if record[name] != "" else 0.0 for record in records]
        else:
            frame[name] = [record[name] or "(none)" for record in records]
    return frame, features, numeric


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", required=True, help="the CSV file of past deals (UTF-8)")
    parser.add_argument("--target", required=True, help="the column saying whether the deal was won")
    parser.add_argument("--time", help="the column to split on: older deals train, newer test")
    parser.add_argument("--drop", default="", help="comma-separated columns to leave out")
    args = parser.parse_args(argv)
    tool = load_tool()
    drop = {name.strip() for name in args.drop.split(",") if name.strip()}
    frame, features, numeric = read_rows(args.csv, args.target, args.time, drop)
    print("score_csv: %d rows, %d features (%d numeric), %d won" % (
        len(frame["won"]), len(features), len(numeric), sum(frame["won"])))
    encoder = tool.FeatureEncoder(categorical=tuple(name for name in features if name not in numeric),
                                  numeric=tuple(name for name in features if name in numeric),
                                  log_scaled=(), flags=())
    result = tool.train(frame, encoder=encoder)
    print("score_csv: %s" % result["message"])
    if result["fallback"] or "model" not in result["metrics"]:
        return 1
    metrics = dict(result["metrics"])
    print("score_csv: held out %d newest rows, trained on %d older" % (result["test"], result["train"]))
    rows = [("model", "model (%s)" % result["kind"])]
    if result["kind"] != tool.LOGISTIC or result["offset"]:
        # the same run without boosting nor drift correction, as a baseline
        plain = tool.train(frame, encoder=encoder, candidates=(tool.LOGISTIC,), drift=False)
        metrics["logistic"] = plain["metrics"]["model"]
        rows.append(("logistic", "logistic regression alone"))
    rows.append(("base_rate", "base rate"))
    for name, label in rows:
        auc = metrics[name]["auc"]
        print("score_csv: %-27s AUC %s  Brier %.4f" % (
            label, "n/a" if auc is None else "%.4f" % auc, metrics[name]["brier"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
