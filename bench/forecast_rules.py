#!/usr/bin/env python3
"""Held-out checks of the forecaster's interval rule (rule 8 in src/forecast/auto.rs).

Input: the JSON lines of `cargo run --release --example forecast_dump -- DIR...` run on the
three development sets *without* rule 8 (at commit b87ff78, the parent of issue 26's work:
copy examples/forecast_dump.rs there; it uses the public API only). Each line holds a series'
training and held-out values and the automatic forecast with its 80%/95% intervals.

Prints, for the floor `max(model band, lambda * q_p(|y_t - y_{t-k}|))` of rule 8:
  * the 5-fold cross-validation over the short series (history inside the fit window) of the
    three sets that chose lambda: each fold's lambda, the coverage it was fitted to and the
    coverage on the fold it did not see;
  * the rejected variant without the length gate, chosen on two sets and checked on the third;
  * coverage and mean scaled interval score (MSIS, M4 competition) per set before and after.
Standard library only.

Usage: python3 bench/forecast_rules.py DUMP.jsonl
"""
import json
import sys

SETS = ["forecast", "forecast_more", "forecast_short"]
LAMBDAS = [x / 20 for x in range(0, 61)]
LEVELS = [("80", 0.8), ("95", 0.95)]


def quantile(values, p):
    v = sorted(values)
    pos = p * (len(v) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def spread(r, p, cache={}):
    """p-quantile of |y_t - y_{t-k}| per step, k the seasonal-naive lag of the step."""
    key = (r["set"], r["name"], p)
    if key not in cache:
        y, m = r["train"], r["m"]
        out = []
        for j in range(1, r["h"] + 1):
            k = m * ((j - 1) // m + 1)
            moves = [abs(y[t] - y[t - k]) for t in range(k, len(y))]
            out.append(quantile(moves, p) if len(moves) >= 4 else 0.0)
        cache[key] = out
    return cache[key]


def is_short(r):
    return len(r["train"]) <= max(12 * r["m"], 60)  # max_fit_points: the whole history is fitted


def bands(r, lam, lvl, p, gated):
    lam = lam if (is_short(r) or not gated) else 0.0
    e = spread(r, p)
    for j, pt in enumerate(r["auto"]["forecast"]):
        v = pt["value"]
        yield min(pt["lo" + lvl], v - lam * e[j]), max(pt["hi" + lvl], v + lam * e[j])


def coverage(rows, lam, lvl, p, gated=True):
    n = inside = 0
    for r in rows:
        for a, (lo, hi) in zip(r["test"], bands(r, lam, lvl, p, gated)):
            n += 1
            inside += lo <= a <= hi
    return inside / max(n, 1)


def msis(rows, lam, lvl, p, gated=True):
    alpha = 1 - p
    total = 0.0
    for r in rows:
        y, m = r["train"], r["m"]
        scale = sum(abs(y[t] - y[t - m]) for t in range(m, len(y))) / (len(y) - m)
        s = 0.0
        for a, (lo, hi) in zip(r["test"], bands(r, lam, lvl, p, gated)):
            s += (hi - lo) + 2 / alpha * max(0.0, lo - a) + 2 / alpha * max(0.0, a - hi)
        total += s / len(r["test"]) / scale
    return total / len(rows)


def fit(rows, lvl, p, gated=True):
    return min(LAMBDAS, key=lambda l: abs(coverage(rows, l, lvl, p, gated) - p))


def main():
    rows = [json.loads(line) for line in open(sys.argv[1])]
    by_set = {s: [r for r in rows if r["set"] == s] for s in SETS}
    short = [r for r in rows if is_short(r)]
    print("short series (history inside the fit window):", {s: sum(map(is_short, v)) for s, v in by_set.items()})
    chosen = {}
    for lvl, p in LEVELS:
        print(f"\n{lvl}% band: 5-fold CV over the {len(short)} short series (fold = position mod 5)")
        held_in = held_n = 0
        for f in range(5):
            train = [r for i, r in enumerate(short) if i % 5 != f]
            test = [r for i, r in enumerate(short) if i % 5 == f]
            lam = fit(train, lvl, p)
            c_fit, c_held = coverage(train, lam, lvl, p), coverage(test, lam, lvl, p)
            pts = sum(len(r["test"]) for r in test)
            held_in += c_held * pts
            held_n += pts
            print(f"  fold {f}: lambda {lam:.2f}, fitted coverage {c_fit:.3f}, held-out coverage {c_held:.3f} ({len(test)} series)")
        chosen[lvl] = fit(short, lvl, p)
        print(f"  held-out folds pooled: {held_in / held_n:.3f}; lambda on all short series: {chosen[lvl]:.2f}")
        print("  the same rule, lambda fitted on the short series of two sets, coverage on the third set")
        for hold in SETS:
            train = [r for s in SETS if s != hold for r in by_set[s] if is_short(r)]
            lam = fit(train, lvl, p)
            print(
                f"    held out {hold:15}: lambda {lam:.2f} from {len(train)} series, fitted {coverage(train, lam, lvl, p):.3f}, "
                f"held-out {coverage(by_set[hold], lam, lvl, p):.3f}"
            )
        print("  rejected variant, no length gate: lambda fitted on two sets, coverage on the third")
        for hold in SETS:
            train = [r for s in SETS if s != hold for r in by_set[s]]
            lam = fit(train, lvl, p, gated=False)
            print(
                f"    held out {hold:15}: lambda {lam:.2f}, fitted {coverage(train, lam, lvl, p, False):.3f}, "
                f"held-out {coverage(by_set[hold], lam, lvl, p, False):.3f}"
            )
    print(f"\nper set, 80% / 95%: coverage and MSIS before -> after (lambda {chosen['80']:.2f} / {chosen['95']:.2f})")
    for s in SETS:
        rs = by_set[s]
        before = [coverage(rs, 0, "80", 0.8), coverage(rs, 0, "95", 0.95), msis(rs, 0, "80", 0.8), msis(rs, 0, "95", 0.95)]
        after = [
            coverage(rs, chosen["80"], "80", 0.8),
            coverage(rs, chosen["95"], "95", 0.95),
            msis(rs, chosen["80"], "80", 0.8),
            msis(rs, chosen["95"], "95", 0.95),
        ]
        print(
            f"  {s:15} coverage {before[0]:.3f}/{before[1]:.3f} -> {after[0]:.3f}/{after[1]:.3f}; "
            f"MSIS {before[2]:.2f}/{before[3]:.2f} -> {after[2]:.2f}/{after[3]:.2f}"
        )


if __name__ == "__main__":
    main()
