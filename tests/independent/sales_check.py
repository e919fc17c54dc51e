"""Independent computation of the SalesOps lens with pandas, for comparison with revlens.

Usage: python3 sales_check.py DEALS.csv [AS_OF]  (a Maven-shaped pipeline: opportunity_id,
sales_agent, product, account, deal_stage, engage_date, close_date, close_value)
Prints one JSON object: {metric_id: value, "bookings_by_month": {...}, "by_owner": {...}}.
The definitions follow SPEC §3 and are written out here, not imported from revlens.
"""
import json
import sys

import pandas as pd

path = sys.argv[1]
df = pd.read_csv(path, dtype=str, keep_default_na=False)
df["amount"] = pd.to_numeric(df["close_value"].replace("", None), errors="coerce")
df["created"] = pd.to_datetime(df["engage_date"].replace("", None), errors="coerce")
df["close"] = pd.to_datetime(df["close_date"].replace("", None), errors="coerce")
status = df["deal_stage"].str.lower().map(lambda s: "won" if s == "won" else ("lost" if s == "lost" else "open"))
dates = pd.concat([df["created"], df.loc[status != "open", "close"]])
as_of = pd.Timestamp(sys.argv[2]) if len(sys.argv) > 2 else dates.max()

won = df[status == "won"]
lost = df[status == "lost"]
open_ = df[status == "open"]
cycle = (won["close"] - won["created"]).dt.days.dropna()
out = {
    "won_count": len(won),
    "lost_count": len(lost),
    "open_count": len(open_),
    "bookings": won["amount"].sum(),
    "win_rate": len(won) / (len(won) + len(lost)),
    "win_rate_value": won["amount"].sum() / (won["amount"].sum() + lost["amount"].sum()),
    "avg_deal_size": won["amount"].sum() / won["amount"].notna().sum(),
    "sales_cycle_days_median": float(cycle.median()),
    "sales_cycle_days_mean": float(cycle.mean()),
    "open_pipeline": open_["amount"].sum(),
    "past_due": int(((open_["close"] < as_of) & open_["close"].notna()).sum()),
    "pipeline_created": df["amount"].sum(),
}
out["sales_velocity"] = out["open_count"] * out["win_rate"] * out["avg_deal_size"] / out["sales_cycle_days_mean"]
out["bookings_by_month"] = {str(k): float(v) for k, v in won.groupby(won["close"].dt.strftime("%Y-%m"))["amount"].sum().items()}
out["win_rate_by_owner"] = {
    k: float((g["deal_stage"].str.lower() == "won").sum() / g["deal_stage"].str.lower().isin(["won", "lost"]).sum())
    for k, g in df[status != "open"].groupby("sales_agent")
}
out["bookings_by_owner"] = {k: float(v) for k, v in won.groupby("sales_agent")["amount"].sum().items()}
print(json.dumps({k: (float(v) if not isinstance(v, dict) else v) for k, v in out.items()}))
