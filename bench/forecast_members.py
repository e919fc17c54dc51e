#!/usr/bin/env python3
"""Can a new member move the short set? Hindsight ceilings and held-out checks of candidate
members, from `examples/forecast_members.rs` dumps (issue 26, fifth round; see
docs/forecasting.md, "New members for short series").

DUMPS is a folder holding the output of
    cargo run --release --example forecast_members -- D/forecast D/forecast_more D/forecast_short \
        [--seasons S] > full.jsonl | sS.jsonl      (S = 4 5 6 8 10; D = ../shared/data)

Each dump line holds, per series, the hold-out forecast and MASE of the automatic forecast, of
the current members (AutoETS, AutoTheta, AutoARIMA) and of the candidates, with every model's
backtest MASE at the automatic forecast's origins (the current members' rerun with their
fitted parameters, as `auto.rs` does; the candidates refitted at each origin).

The rule is simulated from the dump: where the automatic forecast chose a combination, the
members are ranked by backtest MASE and the best `keep` averaged (with fewer than 6 origins,
the median of all); elsewhere the automatic forecast stands. With no candidate and keep = 2
this is rule 4 and reproduces the automatic forecast's MASE on every series (checked below).

Prints: (1) each candidate alone and the hindsight ceilings (best single member, best pair)
with it added; (2) for each way of adding it, the two halves and the 5-fold of
bench/forecast_halves.py. Standard library only. Usage: python3 bench/forecast_members.py DUMPS
"""
import itertools
import json
import sys

CUTS = [4, 5, 6, 8, 10]
SETS = ["forecast", "forecast_more", "forecast_short"]
FAMILIES = ["prison", "visnights", "us_employment"]
CURRENT = ["AutoETS", "AutoTheta", "AutoARIMA"]
CANDIDATES = ["SHD", "SD", "Dadj", "logETS_adj", "logETS_med", "logTheta_adj", "SNavg3D", "SNavg2D", "SN3bt", "SN2bt", "SNdrift", "SeasonalNaive"]


def load(path):
    rows = [json.loads(line) for line in open(path)]
    for r in rows:
        # SNkbt: the mean of the last k seasons with the drift only where the drift's backtest
        # beats the same member without it (SNavgkD against SNavgkL).
        for k in (2, 3):
            a, b = f"SNavg{k}D", f"SNavg{k}L"
            if all(x in r["c"] and x in r["bt"] for x in (a, b)):
                pick = a if r["bt"][a] < r["bt"][b] else b
                r["c"][f"SN{k}bt"], r["bt"][f"SN{k}bt"] = r["c"][pick], r["bt"][pick]
    return rows


def mean(v):
    v = list(v)
    return sum(v) / len(v)


def mase(r, f):
    y, m = r["scale_train"], r["m"]
    scale = mean(abs(y[t] - y[t - m]) for t in range(m, len(y)))
    return mean(abs(a - b) for a, b in zip(r["test"], f)) / scale


def median(v):
    v, k = sorted(v), len(v)
    return v[k // 2] if k % 2 else 0.5 * (v[k // 2 - 1] + v[k // 2])


def combine(r, ks, how="mean"):
    cols = zip(*(r["c"][k]["mean"] for k in ks))
    return [sum(c) / len(c) if how == "mean" else median(c) for c in cols]


def short(r):
    return r["n"] <= max(12 * r["m"], 60)


def group(r):
    if r["set"] != "forecast_short":
        return r["set"]
    return next(f for f in FAMILIES if r["name"].startswith(f))


def rule(extra, keep=2, gate=False, replace_arima=False):
    """The simulated combination with `extra` members (only on short histories with `gate`)."""

    def f(r):
        if not r["auto_model"].startswith("Combination"):
            return r["c"]["auto"]["mase"]
        on = not gate or short(r)
        pool = CURRENT[:2] if (replace_arima and on) else CURRENT
        pool = [k for k in pool + (extra if on else []) if k in r["c"]]
        if r["origins"] >= 6 and all(k in r["bt"] for k in pool):
            return mase(r, combine(r, sorted(pool, key=lambda k: r["bt"][k])[:keep]))
        return mase(r, combine(r, pool, "median"))

    return f


def by_set(rows, fn):
    out = {}
    for s in SETS + FAMILIES:
        out[s] = mean(fn(r) for r in rows if r["set"] == s or (r["set"] == "forecast_short" and group(r) == s))
    return out


def ceilings(full):
    print("(1) alone and with hindsight: mean MASE " + " ".join(f"{s[:13]:>13}" for s in SETS + FAMILIES))

    def show(name, fn):
        print(f"  {name:33}" + " ".join(f"{v:13.3f}" for v in by_set(full, fn).values()))

    show("automatic forecast", lambda r: r["c"]["auto"]["mase"])
    show("rule 4 simulated (must equal it)", rule([]))
    single = lambda pool: lambda r: min(r["c"][k]["mase"] for k in pool if k in r["c"])
    pair = lambda pool: lambda r: min(
        mase(r, combine(r, ks)) for ks in itertools.combinations([k for k in pool if k in r["c"]], 2)
    )
    for k in CURRENT + CANDIDATES:
        show(f"{k} alone", lambda r, k=k: r["c"][k]["mase"] if k in r["c"] else r["c"]["auto"]["mase"])
    show("best of ETS/Theta/ARIMA", single(CURRENT))
    show("best pair of ETS/Theta/ARIMA", pair(CURRENT))
    for k in CANDIDATES:
        show(f"best member, {k} added", single(CURRENT + [k]))
        show(f"best pair, {k} added", pair(CURRENT + [k]))


def halves(name, fn, full, cuts):
    base = lambda r: r["c"]["auto"]["mase"]
    key = lambda r: (r["set"], r["name"])
    b = {key(r): base(r) for r in full}
    n = {key(r): fn(r) for r in full}
    per = lambda d, s: mean(v for k, v in d.items() if k[0] == s)
    long_cut, short_cut = [0.0, 0.0, 0], [0.0, 0.0, 0]
    for rows in cuts.values():
        for r in rows:
            acc = short_cut if r["set"] == "forecast_short" else long_cut
            acc[0] += base(r)
            acc[1] += fn(r)
            acc[2] += 1
    verdict = lambda a: "keep" if a[1] < a[0] else "drop"
    keys = sorted(b, key=lambda k: (SETS.index(k[0]), k[1]))
    tot_b = tot_n = 0.0
    kept = 0
    for f in range(5):
        train = [k for i, k in enumerate(keys) if i % 5 != f]
        test = [k for i, k in enumerate(keys) if i % 5 == f]
        keep = mean(n[k] for k in train) < mean(b[k] for k in train)
        kept += keep
        tot_b += sum(b[k] for k in test)
        tot_n += sum((n if keep else b)[k] for k in test)
    print(
        f"  {name:34} {per(n, 'forecast'):.3f} {per(n, 'forecast_more'):.3f} {per(n, 'forecast_short'):.3f} | "
        f"half 1: long cut {long_cut[0] / long_cut[2]:.3f} -> {long_cut[1] / long_cut[2]:.3f} {verdict(long_cut)}, "
        f"short {per(b, 'forecast_short'):.3f} -> {per(n, 'forecast_short'):.3f} | "
        f"half 2: short cut {short_cut[0] / short_cut[2]:.3f} -> {short_cut[1] / short_cut[2]:.3f} {verdict(short_cut)}, "
        f"long {per(n, 'forecast'):.3f} / {per(n, 'forecast_more'):.3f} | "
        f"5-fold kept {kept}/5, held-out {tot_b / len(keys):.3f} -> {tot_n / len(keys):.3f}"
    )


def main():
    folder = sys.argv[1]
    full = load(f"{folder}/full.jsonl")
    cuts = {s: load(f"{folder}/s{s}.jsonl") for s in CUTS}
    ceilings(full)
    print("(2) rules: forecast / forecast_more / forecast_short, then the held-out checks")
    for k in CANDIDATES:
        halves(f"+{k}, best two of four", rule([k]), full, cuts)
        halves(f"+{k}, short only", rule([k], gate=True), full, cuts)
        halves(f"+{k} instead of ARIMA, short", rule([k], gate=True, replace_arima=True), full, cuts)
    big = ["SHD", "logETS_adj", "logTheta_adj", "SNdrift", "SNavg3D", "SeasonalNaive"]
    halves("median of nine", lambda r: mase(r, combine(r, [k for k in CURRENT + big if k in r["c"]], "median"))
           if r["auto_model"].startswith("Combination") else r["c"]["auto"]["mase"], full, cuts)
    halves("mean of the best three of nine", rule(big, keep=3), full, cuts)
    halves("mean of the best two of nine", rule(big, keep=2), full, cuts)
    halves("+SHD +logETS, best two of five", rule(["SHD", "logETS_adj"]), full, cuts)


if __name__ == "__main__":
    main()
