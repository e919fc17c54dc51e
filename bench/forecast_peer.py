#!/usr/bin/env python3
"""Side-by-side peer run: statsforecast AutoETS / AutoARIMA / AutoTheta / SeasonalNaive on the
same protocol as `examples/forecast_eval.rs` (hold out the last h = 12 monthly / 8 quarterly
points, fit on the rest, MASE scaled by the in-sample seasonal-naive MAE), with timings.

Usage: python3 bench/forecast_peer.py [DIR] [--json]
Needs `pip install statsforecast`. Timings exclude numba's one-off JIT compilation (a warm-up
fit runs first) and are wall-clock per series and model.
"""
import csv
import json
import os
import sys
import time

import numpy as np
from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, SeasonalNaive


def read_series(path):
    vals, quarterly = [], False
    with open(path) as f:
        for row in csv.DictReader(f):
            quarterly |= "Q" in row["period"]
            vals.append(float(row["value"]))
    return np.array(vals), (4 if quarterly else 12)


def mase(actual, fc, insample, m):
    scale = np.mean(np.abs(insample[m:] - insample[:-m]))
    return float(np.mean(np.abs(actual - fc)) / scale)


def smape(actual, fc):
    d = np.abs(actual) + np.abs(fc)
    t = np.where(d > 0, 2 * np.abs(actual - fc) / np.where(d > 0, d, 1), 0.0)
    return float(100 * np.mean(t))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    as_json = "--json" in sys.argv
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "shared", "data", "forecast")
    if not os.path.isdir(default):
        default = "/work/shared/data/forecast"
    d = args[0] if args else default
    makers = {
        "SeasonalNaive": lambda m: SeasonalNaive(season_length=m),
        "AutoETS": lambda m: AutoETS(season_length=m),
        "AutoARIMA": lambda m: AutoARIMA(season_length=m),
        "AutoTheta": lambda m: AutoTheta(season_length=m),
    }
    # warm-up (numba JIT)
    warm = np.abs(np.sin(np.arange(60))) + 10
    for mk in makers.values():
        mk(12).fit(warm).predict(h=3, level=[80, 95])
    rows = []
    for name in sorted(os.listdir(d)):
        if not name.endswith(".csv"):
            continue
        y, m = read_series(os.path.join(d, name))
        h = 8 if m == 4 else 12
        train, test = y[:-h], y[-h:]
        row = {"series": name}
        for label, mk in makers.items():
            t0 = time.perf_counter()
            fc = mk(m).fit(train).predict(h=h, level=[80, 95])
            ms = (time.perf_counter() - t0) * 1e3
            mean = fc["mean"]
            row[label] = {
                "mase": mase(test, mean, train, m),
                "smape": smape(test, mean),
                "coverage80": float(np.mean((test >= fc["lo-80"]) & (test <= fc["hi-80"]))),
                "coverage95": float(np.mean((test >= fc["lo-95"]) & (test <= fc["hi-95"]))),
                "millis": ms,
            }
        rows.append(row)
    if as_json:
        print(json.dumps(rows, indent=1))
        return
    labels = list(makers)
    print(f"{'series':20} " + " ".join(f"{l + ' MASE':>18} {'ms':>8}" for l in labels))
    for r in rows:
        print(f"{r['series']:20} " + " ".join(f"{r[l]['mase']:18.3f} {r[l]['millis']:8.1f}" for l in labels))
    k = len(rows)
    print(f"{'MEAN':20} " + " ".join(
        f"{sum(r[l]['mase'] for r in rows) / k:18.3f} {sum(r[l]['millis'] for r in rows) / k:8.1f}" for l in labels))
    for l in labels:
        c80 = sum(r[l]["coverage80"] for r in rows) / k
        c95 = sum(r[l]["coverage95"] for r in rows) / k
        print(f"coverage {l:14} 80%: {c80:.2f}  95%: {c95:.2f}")


if __name__ == "__main__":
    main()
