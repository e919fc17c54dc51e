#!/usr/bin/env python3
"""Independent computation of the pipeline in time (SPEC §3) with pandas, from the raw exports,
for comparison with `revlens report --json` (tests/history_independent.rs).

    history_check.py sample DIR
        The sample company's exports (`revlens sample --out DIR`): the Salesforce
        opportunities, its opportunity history and the three dated snapshots.
    history_check.py maven SALES_PIPELINE.csv HISTORY_OUT.csv
        The Maven export, with a stage history made from its own dates, written to
        HISTORY_OUT.csv (columns opportunity_id, stage, date) for revlens to read beside it:
          - a deal with an engage_date entered "Prospecting" and then "Engaging" that day (two
            rows, in that order: it spent 0 days prospecting as far as the export can tell);
          - a Won or Lost deal entered "Won" / "Lost" on its close_date;
          - a Prospecting deal has no dated event: no rows (its current stage says where it is).

Prints one JSON object: stage_order, stage_conversion (whole-data steps: from, to, reached,
went_on, value), stage_duration_days ({stage: {won|lost: {deals, median, mean, p75, p90}}}),
close_date_pushes, slip_rate and, with snapshots, pipeline_waterfall (window, from, to, bars
{bar: [amount, count]} and by_owner {owner: {bar: [amount, count]}}).

The definitions are written out here from SPEC §3 and the metric docs, not imported:
- a deal is the first row of its id in the deals export; won / lost by its stage name;
- a deal's history is its rows, by date, same-day rows in file order;
- stage order: open stages by their mean relative position (index ÷ length) in the paths of the
  deals of the deals export (a path: the deal's rows with a stage, in order);
- conversion: per deal the furthest step (won = Closed Won; open = its current stage or further
  in its history; lost = the furthest open stage in its history, else left out); reached[k] =
  deals whose furthest ≥ k; value = reached[k+1] ÷ reached[k];
- days in a stage: a visit runs from entering it to entering the next different stage; a deal's
  visits to a stage are added up; median / mean / p75 / p90 (linear, pandas' default) over the
  won and the lost deals;
- close-date pushes: consecutive close dates in a deal's history where the later is later;
  slip rate = closed deals with a push ÷ closed deals whose history carries close dates;
- waterfall: between the earlier export (the first dated inside the window and before the
  latest, else the last before it) and the latest, over the calendar quarter holding the
  latest export's date; amounts in whole cents (half away from zero).
"""
import json
import math
import re
import sys

import numpy as np
import pandas as pd

BARS = ["start", "won", "lost", "pushed_out", "pulled_earlier", "removed", "new", "pulled_in", "reopened",
        "increased", "decreased", "end"]


def status_of(stage):
    s = re.sub(r"[^0-9a-z]", "", str(stage).lower())
    if s == "won" or "closedwon" in s or s.startswith("won"):
        return "won"
    if s == "lost" or "closedlost" in s or s.startswith("lost"):
        return "lost"
    return "open"


# ---------------------------------------------------------------- reading the exports
# A deal is the first row of its id; a row whose amount is not a number is not read.

def read_salesforce_deals(path):
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    # Report footers ("Confidential Information …", "Copyright …"): one cell, the rest empty.
    rest = raw.drop(columns=["Opportunity ID"])
    raw = raw[(rest != "").any(axis=1)]
    # A row whose amount is text that is not a number ("n/a") is not read (a quality finding).
    amount = raw["Amount"].str.strip()
    raw = raw[(amount == "") | pd.to_numeric(amount, errors="coerce").notna()]
    raw = raw.drop_duplicates("Opportunity ID", keep="first")
    out = pd.DataFrame({
        "id": raw["Opportunity ID"].str.strip(),
        "owner": raw["Opportunity Owner"],
        "stage": raw["Stage"].str.strip(),
        "amount": pd.to_numeric(raw["Amount"], errors="coerce"),
        "created": pd.to_datetime(raw["Created Date"].replace("", None), format="%m/%d/%Y"),
        "close": pd.to_datetime(raw["Close Date"].replace("", None), format="%m/%d/%Y"),
    })
    out["status"] = out["stage"].map(status_of)
    return out.reset_index(drop=True)


def read_salesforce_history(path):
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    return pd.DataFrame({
        "id": raw["OPPORTUNITYID"].str.strip(),
        "stage": raw["STAGENAME"].str.strip(),
        "at": pd.to_datetime(raw["CREATEDDATE"].str[:10], format="%Y-%m-%d"),
        "close": pd.to_datetime(raw["CLOSEDATE"].replace("", None), format="%Y-%m-%d"),
        "amount": pd.to_numeric(raw["AMOUNT"].replace("", None), errors="coerce"),
        "seq": range(len(raw)),
    })


def maven(path, history_out):
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    deals = pd.DataFrame({
        "id": raw["opportunity_id"],
        "owner": raw["sales_agent"],
        "stage": raw["deal_stage"],
        "amount": pd.to_numeric(raw["close_value"].replace("", None), errors="coerce"),
        "created": pd.to_datetime(raw["engage_date"].replace("", None)),
        "close": pd.to_datetime(raw["close_date"].replace("", None)),
    }).drop_duplicates("id", keep="first").reset_index(drop=True)
    deals["status"] = deals["stage"].map(status_of)
    rows = []
    for r in raw.itertuples():
        if r.engage_date:
            rows.append((r.opportunity_id, "Prospecting", r.engage_date))
            rows.append((r.opportunity_id, "Engaging", r.engage_date))
        if r.deal_stage in ("Won", "Lost") and r.close_date:
            rows.append((r.opportunity_id, r.deal_stage, r.close_date))
    hist = pd.DataFrame(rows, columns=["opportunity_id", "stage", "date"])
    hist.to_csv(history_out, index=False)
    history = pd.DataFrame({
        "id": hist["opportunity_id"],
        "stage": hist["stage"],
        "at": pd.to_datetime(hist["date"]),
        "close": pd.NaT,
        "amount": np.nan,
        "seq": range(len(hist)),
    })
    return deals, history


# ---------------------------------------------------------------- the pipeline in time

def stage_order(deals, history):
    # The paths of the deals of the deals export: their rows with a stage.
    h = history[history["id"].isin(set(deals["id"])) & (history["stage"] != "")]
    h = h.sort_values(["id", "at", "seq"], kind="stable")
    h = h.assign(k=h.groupby("id").cumcount(), n=h.groupby("id")["id"].transform("size"))
    h = h[h["stage"].map(status_of) == "open"]
    pos = (h["k"] / h["n"]).groupby(h["stage"]).mean()
    return [s for s, _ in sorted(pos.items(), key=lambda kv: (kv[1], kv[0]))]


def conversion(deals, history, order):
    n = len(order)
    index = {s: k for k, s in enumerate(order)}
    mine = history[history["id"].isin(set(deals["id"])) & (history["stage"] != "")]
    step = mine["stage"].map(lambda s: n if status_of(s) == "won" else index.get(s, np.nan))
    from_history = step.groupby(mine["id"]).max()
    furthest = []
    for d in deals.itertuples():
        f = {"won": n, "open": index.get(d.stage), "lost": None}[d.status]
        h = from_history.get(d.id, np.nan)
        if not pd.isna(h):
            f = int(h) if f is None else max(f, int(h))
        if f is not None:
            furthest.append(f)
    furthest = np.array(furthest)
    reached = [int((furthest >= k).sum()) for k in range(n + 1)]
    steps = []
    for k in range(n):
        to = order[k + 1] if k + 1 < n else "Closed Won"
        value = reached[k + 1] / reached[k] if reached[k] else None
        steps.append({"from": order[k], "to": to, "reached": reached[k], "went_on": reached[k + 1], "value": value})
    return steps


def durations(deals, history, order, as_of):
    status = dict(zip(deals["id"], deals["status"]))
    h = history[history["id"].isin(status.keys()) & (history["stage"] != "")]
    h = h.sort_values(["id", "at", "seq"], kind="stable")
    # Runs of the same stage are one visit; it ends when the next run starts.
    run_start = h["stage"].ne(h.groupby("id")["stage"].shift())
    runs = h[run_start].copy()
    runs["left"] = runs.groupby("id")["at"].shift(-1)
    runs = runs[(runs["stage"].map(status_of) == "open") & (runs["at"] <= as_of)]
    runs = runs[runs["left"].notna() & (runs["left"] <= as_of)]
    runs["days"] = (runs["left"] - runs["at"]).dt.days.astype(float)
    per_deal = runs.groupby(["id", "stage"])["days"].sum().reset_index()
    per_deal["status"] = per_deal["id"].map(status)
    out = {}
    for stage in order + sorted(set(per_deal["stage"]) - set(order)):
        out[stage] = {}
        for outcome in ["won", "lost"]:
            x = per_deal[(per_deal["stage"] == stage) & (per_deal["status"] == outcome)]["days"]
            if len(x):
                out[stage][outcome] = {
                    "deals": int(len(x)),
                    "median": float(x.median()),
                    "mean": float(x.mean()),
                    "p75": float(x.quantile(0.75)),
                    "p90": float(x.quantile(0.9)),
                }
    return out


def close_dates(deals, history):
    status = dict(zip(deals["id"], deals["status"]))
    h = history[history["id"].isin(status.keys()) & history["close"].notna()]
    h = h.sort_values(["id", "at", "seq"], kind="stable")
    later = h["close"] > h.groupby("id")["close"].shift()
    pushes = later.groupby(h["id"]).sum()
    closed = pushes[[status[i] != "open" for i in pushes.index]]
    return {
        "close_date_pushes": int(pushes.sum()),
        "deals_measured": int(len(pushes)),
        "closed_measured": int(len(closed)),
        "closed_pushed": int((closed > 0).sum()),
        "slip_rate": float((closed > 0).sum() / len(closed)) if len(closed) else None,
    }


# ---------------------------------------------------------------- the waterfall

def cents(x):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return 0
    return int(math.copysign(math.floor(abs(x) * 100 + 0.5), x))


def quarter(day):
    start = pd.Timestamp(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return start, start + pd.DateOffset(months=3)


def waterfall(snapshots):
    """snapshots: [(date, deals)] oldest first; the last is the latest export."""
    latest_day, b = snapshots[-1]
    first, end = quarter(latest_day)
    earlier = snapshots[:-1]
    pick = [k for k, (day, _) in enumerate(earlier) if first <= day < latest_day]
    a_day, a = earlier[pick[0] if pick else len(earlier) - 1]

    def open_in(row):
        return row is not None and row["status"] == "open" and pd.notna(row["close"]) and first <= row["close"] < end

    before = {r["id"]: r for r in a.to_dict("records")}
    after = {r["id"]: r for r in b.to_dict("records")}
    bars = {bar: [0, 0] for bar in BARS}
    owners = {}

    def add(owner, bar, value):
        for t in (bars, owners.setdefault(owner, {x: [0, 0] for x in BARS})):
            t[bar][0] += value
            t[bar][1] += 1

    for i in sorted(set(before) | set(after)):
        x, y = before.get(i), after.get(i)
        owner = (y if y is not None else x)["owner"]
        amt = lambda r: cents(r["amount"]) if r is not None else 0
        if open_in(x):
            add(owner, "start", amt(x))
        if open_in(y):
            add(owner, "end", amt(y))
        if open_in(x) and open_in(y):
            delta = amt(y) - amt(x)
            if delta > 0:
                add(owner, "increased", delta)
            elif delta < 0:
                add(owner, "decreased", -delta)
        elif open_in(x):
            if y is None:
                bar = "removed"
            elif y["status"] != "open":
                bar = y["status"]
            elif pd.notna(y["close"]) and y["close"] < first:
                bar = "pulled_earlier"
            else:
                bar = "pushed_out"
            add(owner, bar, amt(x))
        elif open_in(y):
            bar = "new" if x is None else ("pulled_in" if x["status"] == "open" else "reopened")
            add(owner, bar, amt(y))
    as_money = lambda t: {bar: [c / 100, n] for bar, (c, n) in t.items()}
    return {
        "from": a_day.strftime("%Y-%m-%d"),
        "to": latest_day.strftime("%Y-%m-%d"),
        "window": [first.strftime("%Y-%m-%d"), (end - pd.Timedelta(days=1)).strftime("%Y-%m-%d")],
        "bars": as_money(bars),
        "by_owner": {o: as_money(t) for o, t in owners.items()},
    }


def sample(folder):
    import glob
    import os

    deals = read_salesforce_deals(os.path.join(folder, "salesforce_opportunities.csv"))
    history = read_salesforce_history(os.path.join(folder, "salesforce_opportunity_history.csv"))
    snaps = []
    for path in sorted(glob.glob(os.path.join(folder, "salesforce_opportunities-*.csv"))):
        day = pd.Timestamp(re.search(r"(\d{4}-\d{2}-\d{2})\.csv$", path).group(1))
        snaps.append((day, read_salesforce_deals(path)))
    # The latest export has no date in its name: its latest event (a creation, a closed deal's close).
    closes = deals.loc[deals["status"] != "open", "close"]
    latest_day = pd.concat([deals["created"], closes]).max()
    snaps.sort(key=lambda s: s[0])
    snaps.append((latest_day, deals))
    return deals, history, snaps


def main():
    mode = sys.argv[1]
    if mode == "sample":
        deals, history, snaps = sample(sys.argv[2])
    elif mode == "maven":
        deals, history = maven(sys.argv[2], sys.argv[3])
        snaps = []
    else:
        sys.exit(__doc__)
    closes = deals.loc[deals["status"] != "open", "close"]
    as_of = pd.concat([deals["created"], closes, history["at"]]).max()
    order = stage_order(deals, history)
    out = {
        "stage_order": order,
        "stage_conversion": conversion(deals, history, order),
        "stage_duration_days": durations(deals, history, order, as_of),
    }
    out.update(close_dates(deals, history))
    if snaps:
        out["pipeline_waterfall"] = waterfall(snaps)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
