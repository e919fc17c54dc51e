#!/usr/bin/env python3
"""Independent RevOps computation with pandas, for tests/revenue_independent.rs.

Same definitions as src/metrics/revenue.rs (module doc), formulated differently: instead of
spreading each line over its active months, it takes a snapshot per month.

- snapshot day of month M = last day of M, or the as-of date for the as-of month;
- a line is active on day d when start <= d and (end missing or end > d), and it is not a
  churned billing row; a billing row (customer-month) runs from the 1st to the next 1st;
- customer MRR = sum of its active lines, floored at 0; paying when > 1e-9;
- as-of date = the latest start date (what revlens uses for a revenue-only dataset);
- movements M vs M-1: new / reactivated / expansion / contraction / churned;
- NRR, GRR at the as-of month against 12 months before; logo churn at the as-of month.

Usage:
  revops_check.py FILE --customer COL --mrr COL (--month COL | --start COL --end COL)
                  [--status COL]
Prints JSON.
"""
import argparse
import json
import sys

import pandas as pd

CHURN_WORDS = ["churn", "cancel", "ended", "expired", "inactive", "terminated", "lost"]
PAYING = 1e-9


def lines(args):
    df = pd.read_csv(args.file, dtype=str, keep_default_na=False)
    out = pd.DataFrame({"customer": df[args.customer]})
    out["mrr"] = pd.to_numeric(df[args.mrr])
    status = df[args.status].str.lower() if args.status else pd.Series([""] * len(df))
    churned_status = status.apply(lambda s: any(w in s for w in CHURN_WORDS))
    if args.month:
        start = pd.to_datetime(df[args.month], format="%Y-%m")
        out["start"] = start
        out["end"] = start + pd.offsets.MonthBegin(1)
        out["churned"] = churned_status
    else:
        out["start"] = pd.to_datetime(df[args.start], format="%Y-%m-%d")
        out["end"] = pd.to_datetime(df[args.end].replace("", None), format="%Y-%m-%d")
        # A cancelled subscription with no end date carries no revenue.
        out["churned"] = churned_status & out["end"].isna()
    return out


def compute(ln):
    as_of = ln["start"].max()
    live = ln[~ln["churned"]]
    first = live["start"].min().to_period("M")
    last = as_of.to_period("M")
    months = pd.period_range(first, last, freq="M")
    cols = {}
    for p in months:
        snap = min(p.end_time.normalize(), as_of)
        active = live[(live["start"] <= snap) & (live["end"].isna() | (live["end"] > snap))]
        cols[str(p)] = active.groupby("customer")["mrr"].sum()
    table = pd.DataFrame(cols).reindex(ln["customer"].unique()).fillna(0.0).clip(lower=0.0)
    names = list(table.columns)
    paying = table > PAYING
    ever_before = paying.cumsum(axis=1).shift(1, axis=1).fillna(0) > 0
    rows = []
    for i, mo in enumerate(names):
        cur = table[mo]
        prev = table[names[i - 1]] if i > 0 else cur * 0.0
        is_ = paying[mo]
        was = paying[names[i - 1]] if i > 0 else is_ & False
        before = ever_before[mo]
        both = was & is_
        diff = cur - prev
        rows.append({
            "month": mo,
            "mrr": float(cur.sum()),
            "new": float(cur[is_ & ~was & ~before].sum()),
            "reactivated": float(cur[is_ & ~was & before].sum()),
            "expansion": float(diff[both & (diff > 0)].sum()),
            "contraction": float(-diff[both & (diff < 0)].sum()),
            "churned": float(prev[was & ~is_].sum()),
            "customers": int(is_.sum()),
        })
    now, then = names[-1], (names[-13] if len(names) >= 13 else None)
    nrr = grr = None
    if then is not None:
        cohort = paying[then]
        base = table.loc[cohort, then].sum()
        if base > 0:
            nrr = float(table.loc[cohort, now].sum() / base)
            grr = float(table.loc[cohort, [now, then]].min(axis=1).sum() / base)
    logo = None
    if len(names) >= 2:
        was = paying[names[-2]]
        if was.sum() > 0:
            logo = float((was & ~paying[now]).sum() / was.sum())
    return {
        "as_of": as_of.strftime("%Y-%m-%d"),
        "mrr": rows[-1]["mrr"],
        "arr": rows[-1]["mrr"] * 12,
        "customers": rows[-1]["customers"],
        "nrr": nrr,
        "grr": grr,
        "logo_churn_rate": logo,
        "months": rows,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--customer", required=True)
    ap.add_argument("--mrr", required=True)
    ap.add_argument("--month")
    ap.add_argument("--start")
    ap.add_argument("--end")
    ap.add_argument("--status")
    args = ap.parse_args()
    json.dump(compute(lines(args)), sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
