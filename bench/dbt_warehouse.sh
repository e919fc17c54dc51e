#!/usr/bin/env bash
# Times `revlens report` and the dbt project over the same sample company, written as exports and
# as Fivetran-shaped Salesforce tables: bench/dbt_warehouse.sh DEALS [WORKDIR]
# (DuckDB: the tables loaded with read_csv, then `dbt build` of package:revlens; prints seconds).
# A WORKDIR that already holds exports/ and warehouse/ (a sample of that size) is used as it is.
set -euo pipefail
deals=${1:?deals}
work=${2:-target/dbt-bench-$deals}
here=$(cd "$(dirname "$0")/.." && pwd)
revlens=$here/target/release/revlens
t() { local s; s=$(date +%s.%N); "$@"; echo "$(echo "$(date +%s.%N) - $s" | bc)"; }
if [ -f "$work/warehouse/seeds.yml" ] && [ -d "$work/exports" ]; then
  rm -rf "$work/host" "$work/revlens_dbt"
else
  rm -rf "$work" && mkdir -p "$work"
  echo "sample+warehouse $(t sh -c "'$revlens' sample --deals $deals --out '$work/exports' --warehouse '$work/warehouse' > /dev/null") s"
fi
du -sh "$work/exports" "$work/warehouse"
echo "report $(t sh -c "'$revlens' report '$work'/exports/*.csv --json --simulations 0 > '$work/report.json'") s"
python3 - "$here" "$work" "$revlens" <<'PY'
import json, os, subprocess, sys, time
here, work, revlens = sys.argv[1:4]
sys.path.insert(0, os.path.join(here, "tests", "sql"))
import check
host = os.path.join(work, "host"); os.makedirs(os.path.join(host, "macros"))
project = os.path.join(work, "revlens_dbt")
subprocess.run([revlens, "dbt", "--out", project], check=True, capture_output=True)
import shutil
shutil.copytree(project, os.path.join(host, "dbt_packages", "revlens"))
open(os.path.join(host, "dbt_project.yml"), "w").write("name: host\nversion: '1.0'\nconfig-version: 2\nprofile: host\nmacro-paths: [macros]\n")
open(os.path.join(host, "packages.yml"), "w").write(f"packages:\n  - local: {project}\n")
open(os.path.join(host, "macros", "generate_schema_name.sql"), "w").write(check.HOST_SCHEMA_MACRO)
db = os.path.join(host, "warehouse.duckdb")
open(os.path.join(host, "profiles.yml"), "w").write(f"host:\n  target: t\n  outputs:\n    t:\n      type: duckdb\n      path: {db}\n      threads: 2\n")
s = time.monotonic(); check.load_warehouse_duckdb(os.path.join(work, "warehouse"), db); print(f"duckdb load {time.monotonic() - s:.1f} s")
lines = [l for l in open(os.path.join(work, "warehouse", "dbt_vars.yml")).read().splitlines() if l and not l.startswith("#")]
vars_ = "{" + ", ".join(lines + ["revlens_crm: salesforce"]) + "}"
env = dict(os.environ, DBT_PROFILES_DIR=host, DBT_SEND_ANONYMOUS_USAGE_STATS="false")
s = time.monotonic()
out = subprocess.run(["dbt", "build", "--vars", vars_], cwd=host, env=env, capture_output=True, text=True)
print(f"dbt build {time.monotonic() - s:.1f} s (rc {out.returncode})")
print("\n".join(l for l in out.stdout.splitlines() if " OK created" in l or "Done." in l or "ERROR" in l or "WARN" in l))
PY
