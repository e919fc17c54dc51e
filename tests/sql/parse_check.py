"""The BigQuery and Snowflake queries of `revlens sql`: parsed by sqlglot in their own dialect,
transpiled to DuckDB, and run there on the canonical tables of FILES: every row must equal
what the DuckDB query gives (itself checked against the report by check.py). Spark's query
is parsed and transpiled too (check.py runs it on Spark itself).

    python3 tests/sql/parse_check.py --revlens target/release/revlens FILES...
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import duckdb
import sqlglot
from sqlglot.errors import ErrorLevel


def query(revlens, dialect, grain, fiscal):
    return subprocess.run(
        [revlens, "sql", "--dialect", dialect, "--asof", "2024-06-30", "--grain", grain, "--fiscal-start", fiscal],
        capture_output=True, text=True, check=True,
    ).stdout


def same(a, b):
    if a[:5] != b[:5] or a[6] != b[6]:
        return False
    if a[5] is None or b[5] is None:
        return a[5] is None and b[5] is None
    return abs(a[5] - b[5]) <= 1e-9 * max(1.0, abs(a[5]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--revlens", required=True)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    con = duckdb.connect()
    con.execute("SET threads = 1")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([a.revlens, "canonical", *a.files, "--out", folder], capture_output=True, check=True)
        types = {
            "deals": "{'amount': 'DOUBLE', 'probability': 'DOUBLE', 'created': 'DATE', 'close_date': 'DATE'}",
            "revenue_lines": "{'customer': 'VARCHAR', 'start_date': 'DATE', 'end_date': 'DATE', 'mrr': 'DOUBLE', "
            "'churned': 'BOOLEAN', 'recurring': 'BOOLEAN'}",
            "stage_history": "{'deal_id': 'VARCHAR', 'stage': 'VARCHAR', 'entered_at': 'DATE', 'close_date': 'DATE', "
            "'amount': 'DOUBLE', 'seq': 'BIGINT'}",
            "snapshots": "{'id': 'VARCHAR', 'owner': 'VARCHAR', 'status': 'VARCHAR', 'amount': 'DOUBLE', "
            "'close_date': 'DATE', 'seq': 'BIGINT', 'snapshot_date': 'DATE', 'snapshot': 'BIGINT'}",
            "snapshot_list": "{'snapshot': 'BIGINT', 'file': 'VARCHAR', 'snapshot_date': 'DATE'}",
            "other_income": "{'date': 'DATE', 'category': 'VARCHAR', 'amount': 'DOUBLE'}",
            "spend": "{'month': 'DATE', 'channel': 'VARCHAR', 'category': 'VARCHAR', 'amount': 'DOUBLE'}",
            "quotas": "{'owner': 'VARCHAR', 'start_date': 'DATE', 'end_date': 'DATE', 'amount': 'DOUBLE'}",
            "leads": "{'id': 'VARCHAR', 'created': 'DATE', 'source': 'VARCHAR', 'status': 'VARCHAR', "
            "'account': 'VARCHAR', 'owner': 'VARCHAR', 'mql_date': 'DATE', 'sql_date': 'DATE', "
            "'opportunity_date': 'DATE', 'customer_date': 'DATE', 'deal_id': 'VARCHAR', 'seq': 'BIGINT'}",
        }
        for table, t in types.items():
            path = os.path.join(folder, f"{table}.csv")
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header = true, types = {t})")
    checked = {}
    for grain, fiscal in [("month", "1"), ("quarter", "4"), ("year", "7")]:
        reference = sorted(con.execute(query(a.revlens, "duckdb", grain, fiscal)).fetchall(), key=str)
        for dialect in ["bigquery", "snowflake", "spark"]:
            q = query(a.revlens, dialect, grain, fiscal)
            tree = sqlglot.parse_one(q, read=dialect, error_level=ErrorLevel.RAISE)
            if tree.find(sqlglot.exp.Union) is None:
                sys.exit(f"{dialect}: the parsed query has no UNION ALL of metrics")
            duck = sqlglot.transpile(q, read=dialect, write="duckdb", unsupported_level=ErrorLevel.RAISE)[0]
            if dialect == "spark":
                checked[f"{dialect}/{grain}"] = "parsed"
                continue
            rows = sorted(con.execute(duck).fetchall(), key=str)
            bad = [r for r, s in zip(reference, rows) if not same(r, s)]
            if len(rows) != len(reference) or bad:
                sys.exit(f"{dialect}/{grain}: {len(rows)} rows vs {len(reference)}; first difference {bad[:1]}")
            checked[f"{dialect}/{grain}"] = len(rows)
    print(json.dumps(checked))


if __name__ == "__main__":
    main()
