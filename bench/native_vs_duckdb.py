#!/usr/bin/env python3
"""The native CLI's whole report against DuckDB (Python) on the same export, in one run.

    python3 bench/native_vs_duckdb.py FILE.csv [FILE2.csv ...] [--runs 3] [--threads 1,2] [--revlens target/release/revlens]

For each file and each thread count in --threads (default 1 and 2), alternating the engines run by run (so all
see the same machine load):
- revlens: `revlens report FILE --json --threads N > /dev/null` (ingest, both lenses, quality, every forecast), in a
  child process;
- DuckDB: a fresh in-memory database with `threads = N`, `CREATE TABLE t AS SELECT * FROM read_csv_auto(FILE, …)` and
  bench/browser's `GROUP BY` (won bookings, win rate and rows per owner), in a child process too, so its start-up is counted as revlens's is.
Prints wall and CPU seconds (user + system, from the child's rusage) and peak RSS per run, the medians, and the ratio
revlens / DuckDB for each; with two or more files, each engine's growth from the first file to the others.
"""
import argparse, os, resource, statistics, subprocess, sys, time

DUCK = """
import duckdb, sys
con = duckdb.connect(config={"threads": int(sys.argv[2])})
# The hints bench/browser gives DuckDB-WASM for a real Salesforce report: pad the footer's short rows, and read
# Amount as text (one cell is "n/a") to TRY_CAST it in the query; the query is the browser bench's GROUP BY.
con.execute("CREATE TABLE t AS SELECT * FROM read_csv_auto(?, null_padding = true, types = {'Amount': 'VARCHAR'})",
            [sys.argv[1]])
con.execute('''
  SELECT "Opportunity Owner" AS owner,
         coalesce(sum(TRY_CAST("Amount" AS DOUBLE)) FILTER (WHERE "Stage" = 'Closed Won'), 0) AS won,
         count(*) FILTER (WHERE "Stage" = 'Closed Won') AS won_count,
         count(*) FILTER (WHERE "Stage" = 'Closed Lost') AS lost,
         won_count / nullif(won_count + lost, 0) AS win_rate,
         count(*) AS rows
  FROM t WHERE "Stage" IS NOT NULL GROUP BY 1''').fetchall()
"""


def run(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, err = p.communicate()
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {err.decode(errors='replace')[-2000:]}")
    # wait4's rusage for this child alone.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024  # ru_maxrss: the largest child so far, MiB


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts, each engine run with each")
    ap.add_argument("--revlens", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "revlens"))
    a = ap.parse_args()
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average at start {load:.1f}; {a.runs} runs per engine, alternating")
    threads = [int(t) for t in a.threads.split(",")]
    engines = [(f"revlens {t}t", "revlens", t) for t in threads] + [(f"duckdb {t}t", "duckdb", t) for t in threads]
    medians = []
    for f in a.files:
        size = os.path.getsize(f) / 1e6
        res = {name: [] for name, _, _ in engines}
        for _ in range(a.runs):
            for name, engine, t in engines:
                if engine == "revlens":
                    res[name].append(run([a.revlens, "report", f, "--json", "--threads", str(t)]))
                else:
                    res[name].append(run([sys.executable, "-c", DUCK, f, str(t)]))
        m = {k: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v)) for k, v in res.items()}
        medians.append(m)
        print(f"\n{f} ({size:.0f} MB)")
        for k, v in res.items():
            runs = ", ".join(f"{w:.2f}/{c:.2f}" for w, c, _ in v)
            print(f"  {k:11} wall/cpu s per run: {runs}; median wall {m[k][0]:.2f} s, cpu {m[k][1]:.2f} s")
        for r in threads:
            for d in threads:
                rk, dk = f"revlens {r}t", f"duckdb {d}t"
                print(f"  ratio {rk}/{dk}: wall {m[rk][0] / m[dk][0]:.2f}x, cpu {m[rk][1] / m[dk][1]:.2f}x")
    for i in range(1, len(medians)):
        for k in res:
            g = medians[i][k][1] / medians[0][k][1]
            print(f"growth {k} {a.files[i]} / {a.files[0]}: cpu {g:.2f}x, wall {medians[i][k][0] / medians[0][k][0]:.2f}x")
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
