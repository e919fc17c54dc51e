"""Runs `revlens sql` on a real SQL engine and compares every row with `revlens report --json`.

    python3 tests/sql/check.py --revlens target/release/revlens --engine duckdb|spark \
        [--grain month|quarter|year] [--fiscal-start M] [--asof YYYY-MM-DD] FILES...

Loads the canonical tables that `revlens canonical` writes from FILES into the engine, runs
the query `revlens sql` emits for the report's as-of date and calendar, and checks that the
long table and the report's metrics of the emitted ids hold the same keys (metric, period,
breakdown) and the same values: counts exactly, amounts and ratios to 1e-9 relative.
Prints one JSON line with the number of values compared; exits 1 on any difference.

With `--dbt salesforce|hubspot --warehouse DIR` the rows come instead from the dbt project
`revlens dbt` writes, run by dbt (dbt-duckdb, or dbt-spark's session method) over the
connector-shaped tables `revlens sample --warehouse DIR` wrote for the same FILES: they are
loaded as a connector lands them (each file of DIR/seeds.yml into its schema, with its column
types, by DuckDB's or Spark's CSV reader), a host project adds the revlens project as a local
package, and `dbt build` runs its models and tests; the metrics are read back from
`revlens_metrics`.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

DEALS_SCHEMA = [
    ("id", "string"),
    ("name", "string"),
    ("account", "string"),
    ("owner", "string"),
    ("stage", "string"),
    ("status", "string"),
    ("amount", "double"),
    ("currency", "string"),
    ("probability", "double"),
    ("created", "date"),
    ("close_date", "date"),
    ("forecast_category", "string"),
    ("lead_source", "string"),
    ("type", "string"),
    ("region", "string"),
    ("product", "string"),
    ("seq", "bigint"),
    ("crm", "string"),
]

HISTORY_SCHEMA = [
    ("deal_id", "string"),
    ("stage", "string"),
    ("entered_at", "date"),
    ("close_date", "date"),
    ("amount", "double"),
    ("seq", "bigint"),
]

SNAPSHOTS_SCHEMA = DEALS_SCHEMA + [("snapshot_date", "date"), ("snapshot", "bigint")]

SNAPSHOT_LIST_SCHEMA = [
    ("snapshot", "bigint"),
    ("file", "string"),
    ("snapshot_date", "date"),
    ("date_source", "string"),
    ("deals", "bigint"),
]


LINES_SCHEMA = [
    ("customer", "string"),
    ("customer_name", "string"),
    ("subscription", "string"),
    ("start_date", "date"),
    ("end_date", "date"),
    ("mrr", "double"),
    ("currency", "string"),
    ("churned", "boolean"),
    ("recurring", "boolean"),
]

OTHER_INCOME_SCHEMA = [("date", "date"), ("category", "string"), ("amount", "double")]

SPEND_SCHEMA = [("month", "date"), ("channel", "string"), ("category", "string"), ("amount", "double")]

QUOTAS_SCHEMA = [("owner", "string"), ("start_date", "date"), ("end_date", "date"), ("amount", "double")]

LEADS_SCHEMA = [
    ("id", "string"),
    ("created", "date"),
    ("source", "string"),
    ("status", "string"),
    ("account", "string"),
    ("owner", "string"),
    ("mql_date", "date"),
    ("sql_date", "date"),
    ("opportunity_date", "date"),
    ("customer_date", "date"),
    ("deal_id", "string"),
    ("seq", "bigint"),
]

TABLES = {
    "deals": DEALS_SCHEMA,
    "other_income": OTHER_INCOME_SCHEMA,
    "spend": SPEND_SCHEMA,
    "quotas": QUOTAS_SCHEMA,
    "leads": LEADS_SCHEMA,
    "revenue_lines": LINES_SCHEMA,
    "stage_history": HISTORY_SCHEMA,
    "snapshots": SNAPSHOTS_SCHEMA,
    "snapshot_list": SNAPSHOT_LIST_SCHEMA,
}


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stderr}")
    return out.stdout


def duckdb_rows(query, folder):
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 1")
    start = time.monotonic()
    for table, schema in TABLES.items():
        types = ", ".join(f"'{c}': '{'VARCHAR' if t == 'string' else t.upper()}'" for c, t in schema)
        path = os.path.join(folder, f"{table}.csv")
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header = true, columns = {{{types}}}, "
            "quote = '\"', escape = '\"', dateformat = '%Y-%m-%d')"
        )
    load = time.monotonic() - start
    start = time.monotonic()
    rows = con.execute(query).fetchall()
    print(json.dumps({"duckdb_seconds": {"load": round(load, 1), "query": round(time.monotonic() - start, 1)}}), file=sys.stderr)
    return rows


def spark_session(hive=False):
    """A local Spark session for the checks (one core, UTC, a 6 GiB driver); `hive`: with the
    Hive metastore of the working folder, as dbt-spark's session method keeps it."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master("local[1]")
        .appName("revlens-sql-check")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        # The query holds many joins of small tables, each broadcast, and aggregates over one read
        # of each heavy table: 3g ran out (BytesToBytesMap) by fiscal quarter once spend and
        # HubSpot stage defaults joined the query.
        .config("spark.driver.memory", "6g")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        # REVLENS_SPARK_CONF="key=value,key=value": more settings for a run by hand.
        .config(map=dict(kv.split("=", 1) for kv in os.environ.get("REVLENS_SPARK_CONF", "").split(",") if kv))
    )
    spark = (builder.enableHiveSupport() if hive else builder).getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def spark_reader(spark, columns):
    """Spark's reader of the CSV files the check loads (a header, RFC 4180 quotes, ISO dates and
    times; an empty cell is null), typed by `columns` [(name, type)], the types named as in
    TABLES and seeds.yml."""
    from pyspark.sql.types import (
        BooleanType,
        DateType,
        DoubleType,
        LongType,
        StringType,
        StructField,
        StructType,
        TimestampType,
    )

    kinds = {
        "string": StringType(),
        "double": DoubleType(),
        "date": DateType(),
        "timestamp": TimestampType(),
        "boolean": BooleanType(),
        "bigint": LongType(),
    }
    return (
        spark.read.option("header", True)
        .option("multiLine", True)
        .option("escape", '"')
        .option("dateFormat", "yyyy-MM-dd")
        .option("timestampFormat", "yyyy-MM-dd HH:mm:ss")
        .schema(StructType([StructField(c, kinds[t], True) for c, t in columns]))
    )


def spark_rows(query, folder):
    spark = spark_session()
    start = time.monotonic()
    for table, columns in TABLES.items():
        df = spark_reader(spark, columns).csv(os.path.join(folder, f"{table}.csv"))
        df.cache().createOrReplaceTempView(table)
        df.count()  # read into the cache now, so that the load is timed apart from the query
    load = time.monotonic() - start
    start = time.monotonic()
    rows = [tuple(r) for r in spark.sql(query.rstrip().rstrip(";")).collect()]
    timings = {"load": round(load, 1), "query": round(time.monotonic() - start, 1)}
    print(json.dumps({"spark_seconds": timings, "master": spark.sparkContext.master}), file=sys.stderr)
    spark.stop()
    return rows


HOST_SCHEMA_MACRO = """{% macro generate_schema_name(custom_schema_name, node) -%}
{{ custom_schema_name if custom_schema_name else target.schema }}
{%- endmacro %}
"""


def dbt_rows(a, as_of, calendar, work):
    """Writes the revlens dbt project and a host project around it, loads the warehouse tables,
    runs `dbt build`, and returns revlens_metrics' rows."""
    import shutil

    project = os.path.join(work, "revlens_dbt")
    run([a.revlens, "dbt", "--out", project, *calendar])
    host = os.path.join(work, "host")
    os.makedirs(os.path.join(host, "macros"))
    with open(os.path.join(host, "dbt_project.yml"), "w") as f:
        f.write("name: host\nversion: '1.0'\nconfig-version: 2\nprofile: host\nmacro-paths: [macros]\n")
    with open(os.path.join(host, "packages.yml"), "w") as f:
        f.write(f"packages:\n  - local: {project}\n")
    with open(os.path.join(host, "macros", "generate_schema_name.sql"), "w") as f:
        f.write(HOST_SCHEMA_MACRO)
    database = os.path.join(host, "warehouse.duckdb")
    with open(os.path.join(host, "profiles.yml"), "w") as f:
        if a.engine == "duckdb":
            f.write(f"host:\n  target: t\n  outputs:\n    t:\n      type: duckdb\n      path: {database}\n      threads: 1\n")
        else:
            f.write(
                "host:\n  target: t\n  outputs:\n    t:\n      type: spark\n      method: session\n"
                "      schema: analytics\n      host: NA\n      threads: 1\n      server_side_parameters:\n"
                '        "spark.sql.session.timeZone": "UTC"\n        "spark.sql.shuffle.partitions": "1"\n'
                '        "spark.ui.enabled": "false"\n        "spark.driver.host": "127.0.0.1"\n'
                '        "spark.driver.bindAddress": "127.0.0.1"\n'
                # As in spark_rows: the default 1g driver ran out in an aggregation
                # (AGGREGATE_OUT_OF_MEMORY, 2026-12-07).
                '        "spark.driver.memory": "6g"\n'
            )
    with open(os.path.join(a.warehouse, "dbt_vars.yml")) as f:
        lines = [line for line in f.read().splitlines() if line and not line.startswith("#")]
    lines = [line for line in lines if not line.startswith("revlens_as_of:")]
    lines += [f"revlens_crm: {a.dbt}", f"revlens_as_of: '{as_of}'"]
    dbt_vars = "{" + ", ".join(lines) + "}"
    env = dict(os.environ, DBT_PROFILES_DIR=host, DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    # What `dbt deps` does for a local package, without its start-up time.
    shutil.copytree(project, os.path.join(host, "dbt_packages", "revlens"))
    timings = {}
    if a.engine == "duckdb":
        # The connector's tables, loaded as a connector would (dbt seed takes ~20 s for these).
        start = time.monotonic()
        load_warehouse_duckdb(a.warehouse, database)
        timings["load"] = round(time.monotonic() - start, 1)
    else:
        # dbt-spark's session keeps its tables in a Hive metastore in the working folder (host).
        # The tables are loaded there by Spark's CSV reader, in a process of its own (the
        # metastore takes one process at a time), not by `dbt seed`: dbt-spark's session seeds
        # write an empty text cell as the text 'None' (2026-12-07), a value no connector lands.
        start = time.monotonic()
        out = subprocess.run(
            [sys.executable, os.path.abspath(__file__), LOAD_SPARK_WAREHOUSE, os.path.abspath(a.warehouse)],
            cwd=host,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            sys.exit(f"loading the connector's tables into Spark failed:\n{out.stderr[-4000:]}")
        timings["load"] = round(time.monotonic() - start, 1)
    steps = [["build"]]
    if a.docs:
        steps.append(["docs", "generate"])
    for step in steps:
        start = time.monotonic()
        cmd = ["dbt", *step, "--vars", dbt_vars]
        out = subprocess.run(cmd, cwd=host, env=env, capture_output=True, text=True)
        timings[step[0]] = round(time.monotonic() - start, 1)
        if out.returncode != 0:
            sys.exit(f"dbt {' '.join(step)} failed:\n{out.stdout[-6000:]}\n{out.stderr[-2000:]}")
        if step[0] == "build" and "WARN" in out.stdout:
            print(f"dbt build warned:\n" + "\n".join(l for l in out.stdout.splitlines() if "WARN" in l), file=sys.stderr)
    if a.docs:
        with open(os.path.join(host, "target", "catalog.json")) as f:
            catalog = json.load(f)
        if not any(k.endswith(".revlens_metrics") for k in catalog["nodes"]):
            sys.exit("dbt docs generate: revlens_metrics is not in the catalog")
    print(json.dumps({"dbt_seconds": timings}), file=sys.stderr)
    if a.engine == "duckdb":
        import duckdb

        con = duckdb.connect(database, read_only=True)
        return con.execute("SELECT metric_id, lens, period, by_key, by_value, value, unit FROM main.revlens_metrics").fetchall()
    return spark_dbt_rows(host)


def load_warehouse_duckdb(folder, database):
    """Each table of seeds.yml into its schema, with its column types."""
    import duckdb

    con = duckdb.connect(database)
    con.execute("SET threads = 1")
    for schema, name, path, columns in seed_tables(folder):
        types = ", ".join(f"'{col}': '{t.upper()}'" for col, t in columns)
        con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        con.execute(
            f'CREATE TABLE "{schema}"."{name}" AS SELECT * FROM read_csv(\'{path}\', '
            f"header = true, columns = {{{types}}}, quote = '\"', escape = '\"')"
        )
    con.close()


LOAD_SPARK_WAREHOUSE = "--load-spark-warehouse"


def seed_tables(folder):
    """(schema, table, CSV path, [(column, type)]) for each table of seeds.yml."""
    import yaml

    with open(os.path.join(folder, "seeds.yml")) as f:
        seeds = yaml.safe_load(f)["seeds"]
    files = {}
    for root, _, names in os.walk(folder):
        for n in names:
            if n.endswith(".csv"):
                files[n[: -len(".csv")]] = os.path.join(root, n)
    return [(s["config"]["schema"], s["config"]["alias"], files[s["name"]], list(s["config"]["column_types"].items())) for s in seeds]


def load_warehouse_spark(folder):
    """Each table of seeds.yml into the Hive metastore of the working folder, as dbt-spark's
    session finds it: Spark's CSV reader with the column types (an empty cell is null)."""
    spark = spark_session(hive=True)
    for schema, name, path, columns in seed_tables(folder):
        df = spark_reader(spark, columns).option("mode", "FAILFAST").csv(path)
        spark.sql(f"CREATE DATABASE IF NOT EXISTS `{schema}`")
        df.write.mode("overwrite").saveAsTable(f"`{schema}`.`{name}`")
    spark.stop()


def spark_dbt_rows(host):
    """revlens_metrics as dbt-spark's session left it (the metastore and warehouse in `host`)."""
    from pyspark.sql import SparkSession

    here = os.getcwd()
    os.chdir(host)
    try:
        spark = (
            SparkSession.builder.master("local[1]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .enableHiveSupport()
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        rows = [tuple(r) for r in spark.sql("SELECT metric_id, lens, period, by_key, by_value, value, unit FROM analytics.revlens_metrics").collect()]
        spark.stop()
    finally:
        os.chdir(here)
    return rows


def tamper(folder, table):
    import csv
    import datetime

    path = os.path.join(folder, "stage_history.csv" if table == "history" else "snapshots.csv")
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0].keys()) if rows else []
    for r in rows:
        if table == "history" and any(w in r["stage"].lower() for w in ("won", "lost")) and r["entered_at"]:
            day = datetime.date.fromisoformat(r["entered_at"]) + datetime.timedelta(days=1)
            r["entered_at"] = day.isoformat()
        if table == "snapshots" and r["amount"]:
            r["amount"] = repr(float(r["amount"]) + 0.01)
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def key_of_report(m):
    """(id, lens, period, by_key, by_value); several keys are joined by | in alphabetical order,
    as the SQL writes them."""
    by = m.get("by") or {}
    if not by:
        return (m["id"], m["lens"], m.get("period"), None, None)
    keys = sorted(by)
    return (m["id"], m["lens"], m.get("period"), "|".join(keys), "|".join(by[k] for k in keys))


# Read from field history (close dates, amounts), which Fivetran's HubSpot `deal_stage` does not
# carry: over the dbt project's HubSpot tables these are SQL except (src/sql/coverage.rs).
FIELD_HISTORY_IDS = {"close_date_pushes", "slip_rate", "amount_change_rate"}


# The data-quality checks the query counts (src/sql/quality.rs, `CHECKS`); the report's others
# (validity, history rows for unknown deals) read the exports as uploaded.
QUALITY_FINDING = "data_quality_finding"
QUALITY_CHECKS = {
    "won_missing_amount",
    "closed_missing_close_date",
    "open_missing_close_date",
    "missing_created_date",
    "missing_owner",
    "missing_account",
    "duplicate_deal_id",
    "duplicate_deal_content",
    "won_zero_amount",
    "close_before_created",
    "probability_vs_status",
    "owner_variants",
    "account_variants",
    "stage_variants",
    "product_variants",
    "unknown_stage",
    "lead_unknown_deal",
    "won_account_without_customer",
    "past_due_open",
}


def covered(m, inferred_order, dbt):
    """Stage conversion inferred without stage history (`method: inferred`) is not in SQL, nor
    are the stage moves ranked by that inferred order, nor field-history figures over HubSpot's
    connector tables, nor the pipeline forecast's P50 in forecast accuracy."""
    if m["id"] == "stage_moves" and inferred_order:
        return False
    if m["id"] in FIELD_HISTORY_IDS and dbt == "hubspot":
        return False
    if m["id"] == "forecast_accuracy" and (m.get("by") or {}).get("forecast") == "revlens_p50":
        return False
    return (m.get("by") or {}).get("method") != "inferred"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--revlens", required=True)
    ap.add_argument("--engine", choices=["duckdb", "spark"], required=True)
    ap.add_argument("--grain", default="month")
    ap.add_argument("--fiscal-start", default="1")
    ap.add_argument("--asof", help="the report's as-of date (default: the latest date in the data)")
    ap.add_argument("--sql-asof", help="run the query for another as-of date (the test that this check can fail)")
    ap.add_argument(
        "--tamper",
        choices=["history", "snapshots"],
        help="change the canonical table before it is loaded (the test that this check can fail): history: "
        "closed stages entered a day later; snapshots: every earlier amount a cent higher",
    )
    ap.add_argument("--dbt", choices=["salesforce", "hubspot"], help="run the dbt project over the connector's tables")
    ap.add_argument("--warehouse", help="the folder `revlens sample --warehouse` wrote (with --dbt)")
    ap.add_argument("--docs", action="store_true", help="with --dbt: also build the docs (dbt docs generate)")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    if bool(a.dbt) != bool(a.warehouse) or (a.dbt and a.tamper):
        ap.error("--dbt and --warehouse go together (and without --tamper)")

    calendar = ["--grain", a.grain, "--fiscal-start", a.fiscal_start]
    asof = ["--asof", a.asof] if a.asof else []
    report = json.loads(run([a.revlens, "report", *a.files, "--json", "--simulations", "0", *calendar, *asof]))
    # `sql --list`: "lens id SQL", "lens id SQL except: …" or "lens id not SQL: …".
    listed = [line.split(" ", 2) for line in run([a.revlens, "sql", "--list"]).splitlines()]
    ids = {(lens, i) for lens, i, status in listed if status.startswith("SQL")}
    unlisted = sorted({(m["lens"], m["id"]) for m in report["metrics"]} - {(lens, i) for lens, i, _ in listed})
    if unlisted:
        sys.exit(f"the report gives ids `sql --list` does not name (neither SQL nor a reason): {unlisted}")
    as_of = a.sql_asof or report["as_of"]
    with tempfile.TemporaryDirectory() as folder:
        if a.dbt:
            rows = dbt_rows(a, as_of, calendar, folder)
        else:
            run([a.revlens, "canonical", *a.files, "--out", folder])
            if a.tamper:
                tamper(folder, a.tamper)
            query = run([a.revlens, "sql", "--dialect", a.engine, "--asof", as_of, *calendar])
            rows = duckdb_rows(query, folder) if a.engine == "duckdb" else spark_rows(query, folder)

    expected = {}
    inferred_order = any((m.get("by") or {}).get("method") == "inferred" for m in report["metrics"])
    for m in report["metrics"]:
        if (m["lens"], m["id"]) in ids and covered(m, inferred_order, a.dbt):
            k = key_of_report(m)
            if k in expected:
                sys.exit(f"the report has {k} twice")
            expected[k] = (m["value"], m["unit"])
    # The data-quality checks' counts (`data_quality_finding` by `check`) against the report's
    # findings: a check the report found nothing for is 0.
    found = {}
    for f in report["quality"]["findings"]:
        found[f["id"]] = found.get(f["id"], 0) + f["count"]
    quality_rows = [r for r in rows if r[0] == QUALITY_FINDING]
    rows = [r for r in rows if r[0] != QUALITY_FINDING]
    checked = set()
    if a.dbt == "hubspot":
        # The warehouse's one leads table names deals by the exports' ids, which the HubSpot
        # connector tables number anew (`revlens sample --warehouse`): no lead finds its deal there.
        quality_rows = [r for r in quality_rows if r[4] != "lead_unknown_deal"]
        found.pop("lead_unknown_deal", None)
    for metric_id, lens, period, by_key, by_value, value, unit in quality_rows:
        k = (metric_id, lens, period, by_key, by_value)
        if k in expected or by_key != "check" or by_value in checked:
            sys.exit(f"the SQL has {k} twice")
        checked.add(by_value)
        expected[k] = (float(found.get(by_value, 0)), "count")
    for check_id in sorted(QUALITY_CHECKS - checked):
        if found.get(check_id, 0) > 0:
            expected[(QUALITY_FINDING, "revops", None, "check", check_id)] = (float(found[check_id]), "count")
    got = {}
    for metric_id, lens, period, by_key, by_value, value, unit in rows + quality_rows:
        if metric_id in FIELD_HISTORY_IDS and a.dbt == "hubspot":
            continue
        k = (metric_id, lens, period, by_key, by_value)
        if k in got:
            sys.exit(f"the SQL has {k} twice")
        if value is not None and (math.isnan(value) or math.isinf(value)):
            value = None
        got[k] = (value, unit)

    problems = []
    for k in sorted(set(expected) | set(got), key=str):
        if k not in got:
            problems.append(f"missing in SQL: {k} = {expected[k][0]}")
            continue
        if k not in expected:
            problems.append(f"not in the report: {k} = {got[k][0]}")
            continue
        (ev, eu), (gv, gu) = expected[k], got[k]
        if eu != gu:
            problems.append(f"{k}: unit {eu} vs SQL {gu}")
        if ev is None or gv is None:
            if ev is not None or gv is not None:
                problems.append(f"{k}: report {ev} vs SQL {gv}")
        elif eu == "count":
            if ev != gv:
                problems.append(f"{k}: report {ev} vs SQL {gv}")
        elif abs(ev - gv) > 1e-9 * max(1.0, abs(ev)):
            problems.append(f"{k}: report {ev!r} vs SQL {gv!r}")
    if problems:
        print(f"{len(problems)} differences ({a.engine}):", file=sys.stderr)
        for p in problems[:40]:
            print("  " + p, file=sys.stderr)
        sys.exit(1)
    print(
        json.dumps(
            {
                "engine": a.engine,
                "dbt": a.dbt,
                "compared": len(expected),
                "ids": sorted({k[0] for k in expected}),
                "quality_checks": sorted(k[4] for k in expected if k[0] == QUALITY_FINDING),
                # Coverage: of the report's (lens, id) pairs and rows, how many the SQL gave equal.
                "report_ids": len({(m["lens"], m["id"]) for m in report["metrics"]}),
                "sql_ids": len({(k[1], k[0]) for k in expected if k[0] != QUALITY_FINDING}),
                "report_rows": len(report["metrics"]),
                "mrr_source": report["revops"].get("mrr_source"),
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1:2] == [LOAD_SPARK_WAREHOUSE]:
        load_warehouse_spark(sys.argv[2])
    else:
        main()
