#!/usr/bin/env python3
"""Held-out checks of a point-forecast rule that is on or off (rule 2's damped trend on short
histories in src/forecast/auto.rs), from `forecast_eval --json` runs of the two builds.

BASE and NEW are folders, each holding the output of
    cargo run --release --example forecast_eval -- --json                > full.json
    cargo run --release --example forecast_eval -- --json --seasons S    > sS.json   (S = 4 5 6 8 10)
for the build without the rule (BASE, e.g. its parent commit) and with it (NEW).

Prints:
  * per set and per family of the short set (prison, tourism nights, US employment): mean MASE
    before -> after, series changed and how many of them improved;
  * the two halves of the choice: decided on the long sets cut to S seasons (every series then
    short, so the rule applies to all 55) and checked on the short set's full histories; and
    the reverse (decided on the short set cut, checked on the long sets);
  * a 5-fold cross-validation over the union of 134 series (fold = position mod 5): the rule is
    kept in a fold when it lowers the mean MASE of the other four folds, then scored on the fold.
Standard library only. Usage: python3 bench/forecast_halves.py BASE NEW
"""
import json
import sys

CUTS = [4, 5, 6, 8, 10]
LONG = ["forecast", "forecast_more"]
FAMILIES = ["prison", "visnights", "us_employment"]


def load(folder, name):
    d = json.load(open(f"{folder}/{name}.json"))
    return {(s["name"], r["series"]): r["mase"] for s in d["sets"] for r in s["rows"]}


def mean(v):
    v = list(v)
    return sum(v) / len(v)


def group(k):
    if k[0] == "forecast_short":
        return "forecast_short/" + next((f for f in FAMILIES if k[1].startswith(f)), "other")
    return k[0]


def main():
    base_dir, new_dir = sys.argv[1], sys.argv[2]
    b, n = load(base_dir, "full"), load(new_dir, "full")
    print("full histories: mean MASE before -> after (series changed, of them better)")
    groups = LONG + ["forecast_short"] + [f"forecast_short/{f}" for f in FAMILIES]
    for g in groups:
        ks = [k for k in b if k[0] == g or group(k) == g]
        changed = [k for k in ks if abs(b[k] - n[k]) > 1e-12]
        better = sum(n[k] < b[k] for k in changed)
        print(f"  {g:28} {mean(b[k] for k in ks):.3f} -> {mean(n[k] for k in ks):.3f}  ({len(changed)} changed, {better} better)")
    print("histories cut to S seasons: union / forecast / forecast_more / forecast_short")
    cut_long = [0.0, 0.0, 0]
    cut_short = [0.0, 0.0, 0]
    for s in CUTS:
        bs, ns = load(base_dir, f"s{s}"), load(new_dir, f"s{s}")
        row = [f"{mean(bs.values()):.3f} -> {mean(ns[k] for k in bs):.3f}"]
        for g in LONG + ["forecast_short"]:
            ks = [k for k in bs if k[0] == g]
            row.append(f"{mean(bs[k] for k in ks):.3f} -> {mean(ns[k] for k in ks):.3f}")
            acc = cut_short if g == "forecast_short" else cut_long
            acc[0] += sum(bs[k] for k in ks)
            acc[1] += sum(ns[k] for k in ks)
            acc[2] += len(ks)
        print(f"  S = {s:2}: " + " / ".join(row))
    short = [k for k in b if k[0] == "forecast_short"]
    long_ = [k for k in b if k[0] in LONG]
    print(
        f"half 1: decided on the long sets cut ({cut_long[2]} runs): {cut_long[0] / cut_long[2]:.3f} -> "
        f"{cut_long[1] / cut_long[2]:.3f} ({'keep' if cut_long[1] < cut_long[0] else 'drop'}); "
        f"checked on forecast_short: {mean(b[k] for k in short):.3f} -> {mean(n[k] for k in short):.3f}"
    )
    print(
        f"half 2: decided on forecast_short cut ({cut_short[2]} runs): {cut_short[0] / cut_short[2]:.3f} -> "
        f"{cut_short[1] / cut_short[2]:.3f} ({'keep' if cut_short[1] < cut_short[0] else 'drop'}); checked on "
        + ", ".join(f"{g} {mean(b[k] for k in long_ if k[0] == g):.3f} -> {mean(n[k] for k in long_ if k[0] == g):.3f}" for g in LONG)
    )
    keys = sorted(b, key=lambda k: (["forecast", "forecast_more", "forecast_short"].index(k[0]), k[1]))
    print("5-fold over the union (fold = position mod 5), full histories:")
    tot_b = tot_n = 0.0
    for f in range(5):
        train = [k for i, k in enumerate(keys) if i % 5 != f]
        test = [k for i, k in enumerate(keys) if i % 5 == f]
        keep = mean(n[k] for k in train) < mean(b[k] for k in train)
        pick = n if keep else b
        tot_b += sum(b[k] for k in test)
        tot_n += sum(pick[k] for k in test)
        print(
            f"  fold {f}: fitted {mean(b[k] for k in train):.3f} -> {mean(n[k] for k in train):.3f} "
            f"({'kept' if keep else 'dropped'}); held-out {mean(b[k] for k in test):.3f} -> {mean(pick[k] for k in test):.3f}"
        )
    print(f"  held-out folds pooled: {tot_b / len(keys):.3f} -> {tot_n / len(keys):.3f}")


if __name__ == "__main__":
    main()
