#!/usr/bin/env bash
# Times `revlens report` and the same metrics as SQL in DuckDB over the same exports:
#   bench/sql_duckdb.sh EXPORT...
# (the report; `revlens canonical`; the canonical tables loaded with read_csv; the query of
# `revlens sql`, on 1 and 2 threads; prints seconds and peak memory). tests/sql/check.py checks
# the values are equal.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
revlens=$here/target/release/revlens
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/time -f "revlens report: %e s, peak %M KB" "$revlens" report "$@" --json --simulations 0 > "$work/report.json"
as_of=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['as_of'])" "$work/report.json")
/usr/bin/time -f "revlens canonical: %e s, peak %M KB" "$revlens" canonical "$@" --out "$work/canonical" > /dev/null
"$revlens" sql --dialect duckdb --asof "$as_of" > "$work/metrics.sql"
du -sh "$work/canonical"
python3 - "$here" "$work" <<'PY'
import os, sys, time
here, work = sys.argv[1:3]
sys.path.insert(0, os.path.join(here, "tests", "sql"))
import check, duckdb
query = open(os.path.join(work, "metrics.sql")).read()
for threads in (1, 2):
    con = duckdb.connect(os.path.join(work, f"t{threads}.duckdb"))
    con.execute(f"SET threads = {threads}")
    s = time.monotonic()
    for table, schema in check.TABLES.items():
        types = ", ".join(f"'{c}': '{'VARCHAR' if t == 'string' else t.upper()}'" for c, t in schema)
        path = os.path.join(work, "canonical", f"{table}.csv")
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header = true, columns = {{{types}}}, "
            "quote = '\"', escape = '\"', dateformat = '%Y-%m-%d')"
        )
    load = time.monotonic() - s
    s = time.monotonic()
    rows = con.execute(query).fetchall()
    print(f"duckdb {duckdb.__version__}, {threads} thread(s): load {load:.1f} s, query {time.monotonic() - s:.1f} s, {len(rows)} rows")
    con.close()
    os.remove(os.path.join(work, f"t{threads}.duckdb"))
PY
