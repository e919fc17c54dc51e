//! The `revlens` command line: a thin adapter over `revlens::ingest` and `revlens::report`.

use revlens::ingest::ReadAt;
use revlens::ingest::{table, IngestOptions};
use revlens::report::{analyze_files, analyze_streams, analyze_timed, ReportOptions};
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "revlens — SalesOps and RevOps views of CRM exports, computed locally

Usage:
  revlens report FILES… [--json] [--asof YYYY-MM-DD] [--currency CODE] [--rates JSON]
                        [--grain month|quarter|year] [--fiscal-start MONTH] [--mapping JSON]
  revlens forecast SERIES.csv --horizon H [--json]
  revlens table FILE [--json] [--sheet NAME]
  revlens sample --out DIR [--warehouse DIR] [--deals N] [--seed S] [--snapshots N]
  revlens sql [--dialect duckdb|spark|bigquery|snowflake] [--asof YYYY-MM-DD] [FILES…]
  revlens canonical FILES… --out DIR
  revlens dbt --out DIR [--grain month|quarter|year] [--fiscal-start MONTH]

Run `revlens COMMAND --help` for the details of a command.";

const REPORT_HELP: &str = "revlens report [FILES…] [options]

Reads CRM exports (CSV or XLSX; deals, leads, stage history, subscriptions, spend, quotas,
other income — the kind of each file is detected from its header) and prints the report. With no files, it reports on the embedded sample company.

Options:
  --json               print the whole report as JSON (default: a readable summary)
  --asof YYYY-MM-DD    the as-of date (default: the latest event date in the data)
  --currency CODE      report currency (default: the deals' most common currency)
  --rates JSON         exchange rates to the report currency, e.g. '{\"EUR\":1.08}'
  --grain G            series period: month (default), quarter or year
  --fiscal-start M     first month of the fiscal year, 1–12 (default 1)
  --mapping JSON       per-file corrections, e.g. '{\"deals.csv\":{\"kind\":\"deals\",\"columns\":{\"Deal Size\":\"amount\"}}}'
  --stage-status JSON  stage → open/won/lost, e.g. '{\"Signed\":\"won\"}'
  --sheet NAME         sheet to read from spreadsheets (default: the first)
  --gross-margin F     fraction of revenue kept after cost of service (default 0.8)
  --marketing-sources LIST  comma-separated lead sources that count as marketing
  --commission-plan J  e.g. '{\"base_rate\":0.1,\"tiers\":[{\"above\":1.0,\"rate\":0.15}],\"cap\":50000}'
  --simulations N      Monte Carlo runs of the pipeline forecast (default 10000; 0 = none)
  --seed S             Monte Carlo seed (default fixed: the same files give the same report)
  --filter JSON        a segment of the deals for SalesOps and the forecast, e.g.
                       '{\"owner\":[\"Ann Lee\"],\"region\":[\"EMEA\"]}' (also lead_source, type)
  --spend JSON         spend typed in when there is no spend file (for CAC), e.g.
                       '[{\"month\":\"2024-01\",\"channel\":\"marketing\",\"amount\":12000}]'
  --deal-probabilities keep every open deal's learned and CRM win probability in the JSON
  --timings            measure each stage: the milliseconds go in the JSON (`timings`) and,
                       as a table, to stderr
  --threads N          threads to use (default: the machine's cores): files and a large file's
                       parts are read at once, and the two lenses run side by side. The report
                       is the same with any N; 1 runs everything one after the other
  --snapshot-date FILE=YYYY-MM-DD
                       the date a deals export was taken (repeat for each); exports of the same
                       deals are snapshots, dated otherwise from their names (…-2026-11-30.csv),
                       a \"Generated\" line, or their latest event. The report is computed on the
                       latest; the earlier ones give the waterfall, stage moves and forecast accuracy
  --compare-from DATE  the earlier snapshot to compare with the latest (its date or file name;
                       default: the first taken in the window, else the last before it)
  --window START..END  the waterfall's window, days included (default: the fiscal quarter of
                       the latest snapshot)
  --horizon H          periods of the bookings time-series forecast (default 12 months,
                       4 quarters or 3 years)
  --max-bytes N        the most input bytes (all files together) to read; beyond it the report
                       stops with TOO_LARGE before reading any file. N in bytes, or with a
                       1024-based suffix (500M, 2G); `none` for no limit. Default: the machine's
                       memory (MemTotal in /proc/meminfo) / 2.75, the peak resident memory a report
                       takes per input byte here (measured 2.44–2.72); none where that is unknown";

const TABLE_HELP: &str = "revlens table FILE [--json] [--sheet NAME]

Prints the decoded cells of FILE after encoding, delimiter and quote handling, as an
array of arrays of strings with --json (default: one line per row, cells separated by │).";

const SAMPLE_HELP: &str = "revlens sample --out DIR [--warehouse DIR] [--deals N] [--seed S] [--snapshots N]

Writes the sample company's exports (deals, stage history, contacts, subscriptions, spend,
quotas, other income) to DIR, and N weekly exports of the opportunities before the latest
(salesforce_opportunities-YYYY-MM-DD.csv: snapshots of the pipeline; default 3, 0 for none).
The default set (600 deals, seed 42) is the one embedded in the page and used when `report`
is given no files.

--warehouse DIR also (or, without --out, only) writes what revlens reads from those exports as
a CRM connector lands it in a warehouse: Fivetran's Salesforce schema (DIR/salesforce/,
DIR/salesforce_history/) and HubSpot schema (DIR/hubspot/, DIR/hubspot_history/), the billing
side and what no CRM connector holds as the canonical revenue_lines, leads, other_income,
spend and quotas (DIR/revlens/), a seeds.yml that loads them with dbt seed,
and dbt_vars.yml (the as-of and snapshot dates) for `revlens dbt`'s project.";

const DBT_HELP: &str = "revlens dbt --out DIR [--grain month|quarter|year] [--fiscal-start MONTH]

Writes revlens's metric definitions as a dbt project (a package to add to yours) in DIR:
sources for Fivetran's Salesforce and HubSpot schemas and for revlens's canonical tables,
staging models that map them to the canonical tables by the ingest's rules, the metric model
revlens_metrics (the query of `revlens sql` for dbt-duckdb, dbt-spark/databricks, BigQuery and
Snowflake), and schema tests. Set the vars revlens_crm (salesforce, hubspot or canonical),
revlens_as_of and revlens_snapshot_dates in your project. Periods: --grain (default month) and
--fiscal-start (default 1), fixed when the project is written.";

const FORECAST_HELP: &str = "revlens forecast SERIES.csv --horizon H [--json]

SERIES.csv (or .xlsx) has a period column and a value column, found by header (period, date,
month, quarter, year / value, sales, revenue, amount, bookings, mrr, …) or else the first
column and the first column of numbers. Periods: months (2017-03, Mar 2017, 2017/03, or any
date — its month), quarters (2017-Q1, Q1 2017, or quarter-end dates) or years; values may carry
thousands separators, currency signs or a decimal comma. Missing periods are interpolated.
Prints the chosen model, the forecast with 80% and 95% intervals, and the backtest.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("revlens: {e}");
            ExitCode::from(2)
        }
    }
}

struct Args {
    positional: Vec<String>,
    flags: Vec<(String, Option<String>)>,
}

impl Args {
    fn parse(args: &[String], valued: &[&str]) -> Result<Args, String> {
        let mut positional = Vec::new();
        let mut flags = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if let Some(name) = a.strip_prefix("--") {
                let (name, inline) = match name.split_once('=') {
                    Some((n, v)) => (n.to_string(), Some(v.to_string())),
                    None => (name.to_string(), None),
                };
                if valued.contains(&name.as_str()) {
                    let v = match inline {
                        Some(v) => v,
                        None => {
                            i += 1;
                            args.get(i).cloned().ok_or(format!("--{name} needs a value"))?
                        }
                    };
                    flags.push((name, Some(v)));
                } else {
                    flags.push((name, inline));
                }
            } else {
                positional.push(a.clone());
            }
            i += 1;
        }
        Ok(Args { positional, flags })
    }
    fn has(&self, name: &str) -> bool {
        self.flags.iter().any(|(n, _)| n == name)
    }
    fn value(&self, name: &str) -> Option<&str> {
        self.flags.iter().rev().find(|(n, _)| n == name).and_then(|(_, v)| v.as_deref())
    }
    fn check_known(&self, known: &[&str]) -> Result<(), String> {
        match self.flags.iter().find(|(n, _)| !known.contains(&n.as_str()) && n != "help") {
            Some((n, _)) => Err(format!("unknown option --{n} (see --help)")),
            None => Ok(()),
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let Some(command) = args.first() else {
        println!("{USAGE}");
        return Ok(());
    };
    let rest = &args[1..];
    match command.as_str() {
        "report" => report(rest),
        "table" => table_cmd(rest),
        "sample" => sample(rest),
        "forecast" => forecast(rest),
        "sql" => sql(rest),
        "canonical" => canonical(rest),
        "dbt" => dbt(rest),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        "-V" | "--version" => {
            println!("revlens {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        other => Err(format!("unknown command '{other}'\n\n{USAGE}")),
    }
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{path}: {e}"))
}

fn json_arg<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("--{name}: not valid JSON for this option: {e}"))
}

/// What `report` and `canonical` read: the parsed arguments, the report options and the files'
/// contents (the embedded sample when no file is given). None when --help was printed.
fn report_inputs(
    rest: &[String],
    help: &str,
    switches: &[&str],
    extra_valued: &[&str],
    stream: bool,
) -> Result<Option<ReportInputs>, String> {
    let mut valued = vec![
        "asof",
        "currency",
        "rates",
        "grain",
        "fiscal-start",
        "mapping",
        "stage-status",
        "sheet",
        "commission-plan",
        "gross-margin",
        "marketing-sources",
        "simulations",
        "seed",
        "horizon",
        "filter",
        "spend",
        "max-bytes",
        "snapshot-date",
        "compare-from",
        "window",
        "threads",
    ];
    valued.extend_from_slice(extra_valued);
    let a = Args::parse(rest, &valued)?;
    if a.has("help") {
        println!("{help}");
        return Ok(None);
    }
    let mut known = valued.clone();
    known.extend_from_slice(switches);
    a.check_known(&known)?;
    let mut opts = ReportOptions {
        as_of: a.value("asof").map(str::to_string),
        currency: a.value("currency").map(str::to_string),
        ..Default::default()
    };
    if let Some(r) = a.value("rates") {
        opts.rates = json_arg("rates", r)?;
    }
    if let Some(m) = a.value("gross-margin") {
        let v: f64 = m
            .parse()
            .ok()
            .filter(|v: &f64| (0.0..=1.0).contains(v))
            .ok_or(format!("--gross-margin: '{m}' is not a fraction 0–1"))?;
        opts.gross_margin = Some(v);
    }
    if let Some(m) = a.value("marketing-sources") {
        opts.marketing_sources = Some(m.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect());
    }
    if let Some(p) = a.value("commission-plan") {
        opts.commission_plan = Some(json_arg("commission-plan", p)?);
    }
    opts.deal_probabilities = a.has("deal-probabilities");
    opts.timings = a.has("timings");
    opts.simulations = a.value("simulations").map(|v| count_arg("simulations", v)).transpose()?;
    opts.seed =
        a.value("seed").map(|v| v.parse().map_err(|_| format!("--seed: '{v}' is not a whole number"))).transpose()?;
    opts.horizon = a.value("horizon").map(|v| count_arg("horizon", v)).transpose()?;
    opts.threads = a
        .value("threads")
        .map(|v| {
            count_arg("threads", v).and_then(|n| if n == 0 { Err("--threads: 0 threads".to_string()) } else { Ok(n) })
        })
        .transpose()?;
    if let Some(v) = a.value("spend") {
        opts.spend = json_arg("spend", v)?;
    }
    if let Some(f) = a.value("filter") {
        opts.filter = json_arg("filter", f)?;
    }
    if let Some(g) = a.value("grain") {
        opts.grain = json_arg("grain", &format!("\"{g}\""))?;
    }
    for (name, value) in &a.flags {
        if name == "snapshot-date" {
            let v = value.as_deref().unwrap_or_default();
            let (file, date) = v.rsplit_once('=').ok_or(format!("--snapshot-date: '{v}' is not FILE=YYYY-MM-DD"))?;
            opts.snapshot_dates.insert(file.to_string(), date.to_string());
        }
    }
    opts.compare.from = a.value("compare-from").map(str::to_string);
    if let Some(w) = a.value("window") {
        let (start, end) =
            w.split_once("..").ok_or(format!("--window: '{w}' is not START..END (YYYY-MM-DD..YYYY-MM-DD)"))?;
        opts.compare.window_start = Some(start.to_string()).filter(|s| !s.is_empty());
        opts.compare.window_end = Some(end.to_string()).filter(|s| !s.is_empty());
    }
    if let Some(m) = a.value("fiscal-start") {
        opts.fiscal_year_start_month = Some(fiscal_start(m)?);
    }
    opts.ingest = IngestOptions {
        mappings: a.value("mapping").map(|m| json_arg("mapping", m)).transpose()?.unwrap_or_default(),
        stage_status: a.value("stage-status").map(|m| json_arg("stage-status", m)).transpose()?.unwrap_or_default(),
        sheet: a.value("sheet").map(str::to_string),
    };
    opts.max_bytes = match a.value("max-bytes") {
        Some(v) => byte_count("max-bytes", v)?,
        None => default_max_bytes(),
    };
    // Held to the limit by the files' sizes, before any is read into memory.
    let sizes = a
        .positional
        .iter()
        .map(|p| Ok((p.as_str(), std::fs::metadata(p).map_err(|e| format!("{p}: {e}"))?.len())))
        .collect::<Result<Vec<_>, String>>()?;
    opts.check_input_sizes(sizes).map_err(|e| report_error_message(&e))?;
    let contents: Vec<(String, Vec<u8>)> = if a.positional.is_empty() {
        eprintln!("revlens: no files given: reporting on the embedded sample company (see `revlens sample`)");
        revlens::sample::generate(&revlens::sample::SampleOptions::default())
            .into_iter()
            .map(|f| (f.name, f.bytes))
            .collect()
    } else if stream {
        Vec::new()
    } else {
        read_all(&a.positional)?
    };
    Ok(Some(ReportInputs { args: a, opts, contents }))
}

/// What `report` and `canonical` work on. With `stream` (report), files named on the command
/// line are opened, not read: `contents` holds only the embedded sample, when no file is given.
struct ReportInputs {
    args: Args,
    opts: ReportOptions,
    contents: Vec<(String, Vec<u8>)>,
}

/// The display name of a file: its last path component.
fn file_name(path: &str) -> String {
    Path::new(path).file_name().map_or(path.to_string(), |n| n.to_string_lossy().into_owned())
}

fn report(rest: &[String]) -> Result<(), String> {
    let Some(ReportInputs { args: a, opts, contents }) =
        report_inputs(rest, REPORT_HELP, &["json", "deal-probabilities", "timings"], &[], true)?
    else {
        return Ok(());
    };
    let started = std::time::Instant::now();
    let clock = || started.elapsed().as_secs_f64() * 1000.0;
    let report = if a.positional.is_empty() {
        let files: Vec<(&str, &[u8])> = contents.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        analyze_timed(&files, &opts, Some(&clock))
    } else {
        // Files on disk are streamed a megabyte at a time: only their columns are held.
        let names: Vec<String> = a.positional.iter().map(|p| file_name(p)).collect();
        let mut opened = Vec::with_capacity(a.positional.len());
        for p in &a.positional {
            opened.push(std::fs::File::open(p).map_err(|e| format!("{p}: {e}"))?);
        }
        let sizes: Vec<Option<u64>> =
            opened.iter().map(|f| f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len())).collect();
        let random_access: Option<Vec<&dyn ReadAt>> = opened.iter().map(read_at).collect();
        if let Some(readers) = random_access.filter(|_| sizes.iter().all(Option::is_some)) {
            // Regular files are read from any offset: a large one in parts at once.
            let files: Vec<(&str, &dyn ReadAt)> = names.iter().map(String::as_str).zip(readers).collect();
            analyze_files(&files, &opts, Some(&clock))
        } else {
            // A pipe or a device is read as it comes.
            let mut files: Vec<(&str, Option<u64>, &mut dyn std::io::Read)> = names
                .iter()
                .zip(sizes)
                .zip(opened.iter_mut())
                .map(|((name, size), f)| (name.as_str(), size, f as &mut dyn std::io::Read))
                .collect();
            analyze_streams(&mut files, &opts, Some(&clock))
        }
    }
    .map_err(|e| report_error_message(&e))?;
    if let Some(t) = &report.timings {
        eprint!("{}", timings_table(t));
    }
    if a.has("json") {
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
    } else {
        print_summary(&report);
    }
    Ok(())
}

/// A file on disk read from any offset, where the platform can (`pread`, `seek_read`).
#[cfg(any(unix, windows))]
fn read_at(f: &std::fs::File) -> Option<&dyn ReadAt> {
    Some(f)
}

#[cfg(not(any(unix, windows)))]
fn read_at(_: &std::fs::File) -> Option<&dyn ReadAt> {
    None
}

/// The timings as a table: one line per stage, then per file read.
fn timings_table(t: &revlens::timings::Timings) -> String {
    let mut out = String::from("stage                        ms\n");
    for s in &t.stages {
        out += &format!("{:<24} {:>9.1}\n", s.stage, s.ms);
    }
    out += &format!("{:<24} {:>9.1}\n", "total", t.total_ms);
    for f in &t.files {
        out += &format!("  read {:<40} {:>9.1}\n", f.file, f.ms);
        for s in &f.stages {
            out += &format!("    {:<38} {:>9.1}\n", s.stage, s.ms);
        }
    }
    out
}

/// Peak resident memory per input byte, natively, with a margin: measured 2.50–2.72 on the
/// sample's Salesforce export (100k–1M deals) and 1.70 on its seven files together with the files
/// held in memory (`revlens canonical` holds them); `revlens report` streams them and peaked at
/// 1.29 on the 1M-deal export (`/usr/bin/time -v revlens report … --json`).
const NATIVE_BYTES_PER_INPUT_BYTE: f64 = 2.75;

/// `--max-bytes` when not given: what this machine's memory can hold, from /proc/meminfo's
/// MemTotal (none where there is no such file).
fn default_max_bytes() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib: u64 =
        info.lines().find_map(|l| l.strip_prefix("MemTotal:"))?.trim().strip_suffix("kB")?.trim().parse().ok()?;
    Some((kib as f64 * 1024.0 / NATIVE_BYTES_PER_INPUT_BYTE) as u64)
}

/// `1048576`, `500M`, `2G`, `1.5GiB` (1024-based), or `none` (no limit).
fn byte_count(name: &str, v: &str) -> Result<Option<u64>, String> {
    let bad = || format!("--{name}: '{v}' is not a size in bytes (e.g. 800000000, 500M, 2G) or 'none'");
    let t = v.trim();
    if t.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let lower = t.to_ascii_lowercase();
    let digits = lower.trim_end_matches("ib").trim_end_matches('b');
    let (number, unit) = match digits.chars().last() {
        Some('k') => (&digits[..digits.len() - 1], 1u64 << 10),
        Some('m') => (&digits[..digits.len() - 1], 1 << 20),
        Some('g') => (&digits[..digits.len() - 1], 1 << 30),
        Some('t') => (&digits[..digits.len() - 1], 1 << 40),
        _ => (digits, 1),
    };
    let n: f64 = number.trim().parse().map_err(|_| bad())?;
    if !n.is_finite() || n < 0.0 {
        return Err(bad());
    }
    Ok(Some((n * unit as f64) as u64))
}

/// An analysis error as the CLI says it: `[CODE] message`; TOO_LARGE in the CLI's own words (the
/// core's message points browser users to this tool).
fn report_error_message(e: &revlens::report::ReportError) -> String {
    use revlens::report::{size_text, ReportError};
    match e {
        ReportError::TooLarge { file, bytes, limit } => format!(
            "[{}] {file}: the input is {}, more than the {} of --max-bytes \
             (by default what this machine's memory holds: a report takes about {NATIVE_BYTES_PER_INPUT_BYTE} bytes \
             of memory per input byte). Export fewer columns or a shorter date range, or raise --max-bytes \
             (`--max-bytes none` for no limit)",
            e.code(),
            size_text(*bytes),
            size_text(*limit)
        ),
        other => format!("[{}] {other}", other.code()),
    }
}

fn count_arg(name: &str, v: &str) -> Result<usize, String> {
    v.parse().map_err(|_| format!("--{name}: '{v}' is not a whole number ≥ 0"))
}

fn print_summary(r: &revlens::report::Report) {
    println!("as of {}  ·  currency {}", r.as_of, if r.currency.is_empty() { "(none given)" } else { &r.currency });
    for f in &r.files {
        println!(
            "{:<40} {:>14?} {:>11?}  read {:>8}  used {:>8}  rejected {:>6}",
            f.file, f.kind, f.source, f.rows_read, f.rows_used, f.rows_rejected
        );
    }
    for f in &r.files_not_read {
        println!("{:<40} not read: [{}] {}", f.file, f.code, f.message);
    }
    println!();
    for m in r.metrics.iter().filter(|m| m.period.is_none() && m.by.is_none()) {
        let v = m.value.map_or("—".to_string(), |v| format!("{v:.4}"));
        println!("{:<10?} {:<32} {:>20}  {:?}", m.lens, m.id, v, m.unit);
    }
    if let Some(f) = &r.filter {
        println!("\nsegment: {} of {} deals. {}", f.deals_kept, f.deals_total, f.scope);
    }
    print_forecast(&r.forecast);
    println!("\ndata quality score {:.1}/100", r.quality.score);
    for f in &r.quality.findings {
        println!("  {:>7} × {}", f.count, f.message);
    }
}

fn table_cmd(rest: &[String]) -> Result<(), String> {
    let a = Args::parse(rest, &["sheet"])?;
    if a.has("help") {
        println!("{TABLE_HELP}");
        return Ok(());
    }
    a.check_known(&["json", "sheet"])?;
    let [path] = a.positional.as_slice() else {
        return Err("table needs exactly one file (see `revlens table --help`)".into());
    };
    let bytes = read(path)?;
    let name = Path::new(path).file_name().map_or(path.clone(), |n| n.to_string_lossy().into_owned());
    let opts = IngestOptions { sheet: a.value("sheet").map(str::to_string), ..Default::default() };
    let rows = table(&name, &bytes, &opts).map_err(|e| format!("[{}] {e}", e.code()))?;
    if a.has("json") {
        println!("{}", serde_json::to_string(&rows).map_err(|e| e.to_string())?);
    } else {
        for r in rows {
            println!("{}", r.join(" │ "));
        }
    }
    Ok(())
}

fn sample(rest: &[String]) -> Result<(), String> {
    use revlens::sample::{generate, SampleOptions};
    let valued = ["out", "warehouse", "deals", "seed", "snapshots"];
    let a = Args::parse(rest, &valued)?;
    if a.has("help") {
        println!("{SAMPLE_HELP}");
        return Ok(());
    }
    a.check_known(&valued)?;
    let out = a.value("out");
    let warehouse = a.value("warehouse");
    if out.is_none() && warehouse.is_none() {
        return Err("sample needs --out DIR or --warehouse DIR".into());
    }
    let mut opts = SampleOptions::default();
    if let Some(d) = a.value("deals") {
        opts.deals =
            d.parse().ok().filter(|&n| n > 0).ok_or(format!("--deals: '{d}' is not a positive whole number"))?;
    }
    if let Some(s) = a.value("seed") {
        opts.seed = s.parse().map_err(|_| format!("--seed: '{s}' is not a whole number"))?;
    }
    if let Some(n) = a.value("snapshots") {
        opts.snapshots = n.parse().map_err(|_| format!("--snapshots: '{n}' is not a whole number"))?;
    }
    let files = generate(&opts);
    if let Some(out) = out {
        std::fs::create_dir_all(out).map_err(|e| format!("{out}: {e}"))?;
        for f in &files {
            let path = Path::new(out).join(&f.name);
            std::fs::write(&path, &f.bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            println!("{:<40} {:>12} bytes  ({})", path.display(), f.bytes.len(), f.kind);
        }
    }
    if let Some(dir) = warehouse {
        let inputs: Vec<(&str, &[u8])> = files.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())).collect();
        let (ds, as_of) = revlens::report::prepared_dataset(&inputs, &ReportOptions::default())
            .map_err(|e| report_error_message(&e))?;
        drop(files);
        let written =
            revlens::sql::connectors::write_connector_files(&ds, &as_of, |name| create_in(Path::new(dir), name))?;
        for (name, bytes) in written {
            println!("{:<40} {:>12} bytes  (warehouse)", Path::new(dir).join(name).display(), bytes);
        }
    }
    Ok(())
}

/// A file at `name` (a path relative to `dir`, its folders made), buffered for writing.
fn create_in(dir: &Path, name: &str) -> Result<std::io::BufWriter<std::fs::File>, String> {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(std::io::BufWriter::with_capacity(1 << 16, file))
}

fn dbt(rest: &[String]) -> Result<(), String> {
    let valued = ["out", "grain", "fiscal-start"];
    let a = Args::parse(rest, &valued)?;
    if a.has("help") {
        println!("{DBT_HELP}");
        return Ok(());
    }
    a.check_known(&valued)?;
    let out = a.value("out").ok_or("dbt needs --out DIR (see --help)")?;
    let mut calendar = revlens::metrics::periods::Calendar::default();
    if let Some(g) = a.value("grain") {
        calendar.grain = json_arg("grain", &format!("\"{g}\""))?;
    }
    if let Some(m) = a.value("fiscal-start") {
        calendar.fiscal_year_start_month = fiscal_start(m)?;
    }
    let retention_months = revlens::metrics::revenue::RevenueOptions::default().retention_months;
    let files = revlens::sql::dbt::dbt_project(&revlens::sql::dbt::DbtOptions { calendar, retention_months })?;
    for (name, text) in files {
        let path = Path::new(out).join(&name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!(
        "dbt project written to {out} (revlens_metrics; vars: revlens_crm, revlens_as_of, revlens_snapshot_dates)"
    );
    Ok(())
}

fn forecast(rest: &[String]) -> Result<(), String> {
    use revlens::forecast::series::{forecast_series, PeriodSeries};
    let a = Args::parse(rest, &["horizon", "origins", "seed"])?;
    if a.has("help") {
        println!("{FORECAST_HELP}");
        return Ok(());
    }
    a.check_known(&["horizon", "json", "origins", "seed"])?;
    let [path] = a.positional.as_slice() else {
        return Err("forecast needs exactly one SERIES.csv (see `revlens forecast --help`)".into());
    };
    let horizon: usize = match a.value("horizon") {
        Some(h) => {
            h.parse().ok().filter(|&h| h > 0).ok_or(format!("--horizon: '{h}' is not a positive whole number"))?
        }
        None => return Err("forecast needs --horizon H".into()),
    };
    let mut opts = revlens::forecast::TsOptions::default();
    if let Some(o) = a.value("origins") {
        opts.backtest_origins = o.parse().map_err(|_| format!("--origins: '{o}' is not a whole number"))?;
    }
    if let Some(s) = a.value("seed") {
        opts.seed = s.parse().map_err(|_| format!("--seed: '{s}' is not a whole number"))?;
    }
    let bytes = read(path)?;
    let rows = table(path, &bytes, &IngestOptions::default()).map_err(|e| format!("[{}] {e}", e.code()))?;
    let series = PeriodSeries::from_rows(&rows).map_err(|e| format!("{path}: {e}"))?;
    let f = forecast_series(&series, horizon, &opts).map_err(|e| format!("{path}: {e}"))?;
    if a.has("json") {
        println!("{}", serde_json::to_string_pretty(&f).map_err(|e| e.to_string())?);
    } else {
        println!("model: {}\n{}\n", f.model, f.reason);
        println!("{:<10} {:>14} {:>14} {:>14} {:>14} {:>14}", "period", "forecast", "lo95", "lo80", "hi80", "hi95");
        for p in &f.forecast {
            println!(
                "{:<10} {:>14.2} {:>14.2} {:>14.2} {:>14.2} {:>14.2}",
                p.period, p.value, p.lo95, p.lo80, p.hi80, p.hi95
            );
        }
        let b = &f.backtest;
        if b.origins == 0 {
            println!("\nno backtest: the series is too short to hold any of it out");
        } else {
            println!("\nbacktest ({} origins, horizon {}): MASE {:.3} (seasonal naive {:.3}), sMAPE {:.2}% (seasonal naive {:.2}%)", b.origins, b.horizon, b.mase, b.seasonal_naive_mase, b.smape, b.seasonal_naive_smape);
        }
    }
    Ok(())
}

fn print_forecast(f: &revlens::pipeline::PipelineForecast) {
    let money = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{v:.0}"));
    println!("\nforecast ({} Monte Carlo runs, seed {})", f.simulations, f.seed);
    println!("{:<10} {:>14} {:>14} {:>14} {:>14} {:>14}", "period", "closed", "forecast", "P10", "P50", "P90");
    for p in &f.periods {
        println!(
            "{:<10} {:>14.0} {:>14.0} {:>14} {:>14} {:>14}",
            p.period,
            p.closed_so_far,
            p.forecast,
            money(p.p10),
            money(p.p50),
            money(p.p90)
        );
    }
    let w = &f.win_probability;
    if let (Some(learned), Some(crm)) = (w.brier_learned, w.brier_crm) {
        println!(
            "win probability: Brier {learned:.3} learned vs {crm:.3} CRM on {} later examples",
            w.compared_examples
        );
    }
    let b = &f.bookings;
    match (&b.skipped, &b.model) {
        (Some(why), _) => println!("bookings series: no forecast ({why})"),
        (None, Some(model)) => {
            let bt = b.backtest.as_ref().map_or("no backtest (series too short)".to_string(), |bt| {
                format!("backtest MASE {:.3} (seasonal naive {:.3})", bt.mase, bt.seasonal_naive_mase)
            });
            println!("bookings series: {model}, {} periods ahead; {bt}", b.forecast.len());
        }
        (None, None) => {}
    }
    for note in &f.notes {
        println!("  note: {note}");
    }
}

const SQL_HELP: &str = "revlens sql [--dialect D] [--asof YYYY-MM-DD] [--grain G] [--fiscal-start M] [FILES…]

Prints the metric definitions as one SQL query over the canonical tables `deals` (id, name,
account, owner, stage, status open|won|lost, amount, currency, probability 0–1, created,
close_date, forecast_category, lead_source, type, region, product, seq = file order, crm =
the export's CRM; a hubspot deal without a probability takes HubSpot's default for its stage),
`revenue_lines` (customer, customer_name, subscription, start_date, end_date, mrr, currency,
churned, recurring; when empty, MRR is estimated from recurring-type won deals as the report
does), `stage_history` (deal_id, stage, entered_at, close_date, amount, seq),
`snapshots` (the earlier exports of the deals: the deals columns, snapshot_date, snapshot),
`snapshot_list` (snapshot, file, snapshot_date, date_source, deals), `leads` (id, created,
source, status, account, owner, mql_date, sql_date, opportunity_date, customer_date, deal_id,
seq), `other_income` (date, category, amount), `spend` (month, channel, category, amount) and
`quotas` (owner, start_date, end_date exclusive, amount) —
each may be empty, all are what `revlens canonical` writes. CLV, CAC payback and LTV:CAC use
the report's default gross margin (0.8). It yields the long table
metric_id, lens, period, by_key, by_value, value, unit — the same numbers as the report's
metrics of those ids. `--list` prints every metric id the report can give, each with `SQL`
or why it is not in the query. The formulas are the ones the report computes
with, so a warehouse and the page agree.

Options:
  --dialect D          duckdb (default), spark, bigquery or snowflake
  --asof YYYY-MM-DD    the as-of date; with FILES and no --asof, the one their report uses
  --grain G            series period: month (default), quarter or year
  --fiscal-start M     first month of the fiscal year, 1–12 (default 1)
  --list               print each metric id of the report, one a line: lens, id and `SQL`,
                       `SQL except: …` or `not SQL: …` with the reason (a count on stderr)";

const CANONICAL_HELP: &str = "revlens canonical FILES… --out DIR [report options]

Writes what revlens read from FILES as the canonical tables, one CSV each (deals.csv — the
latest export when several are snapshots of one pipeline —, stage_history.csv, snapshots.csv
and snapshot_list.csv, leads.csv, revenue_lines.csv, spend.csv, quotas.csv, other_income.csv):
headers mapped, values typed, amounts in the report currency, dates as YYYY-MM-DD. Load them
into DuckDB, Spark or a warehouse and run `revlens sql` there. Takes the options of `report`
(--mapping, --currency, --rates, --asof, …); prints the as-of date the report would use.";

fn sql(rest: &[String]) -> Result<(), String> {
    let valued = ["dialect", "asof", "grain", "fiscal-start"];
    let a = Args::parse(rest, &valued)?;
    if a.has("help") {
        println!("{SQL_HELP}");
        return Ok(());
    }
    let mut known = valued.to_vec();
    known.push("list");
    a.check_known(&known)?;
    if a.has("list") {
        let all = revlens::sql::coverage::coverage();
        for e in &all {
            println!("{}", e.line());
        }
        let not = all.iter().filter(|e| matches!(e.status, revlens::sql::coverage::Status::NotSql(_))).count();
        eprintln!("{} of {} metric ids in the query, {not} not", all.len() - not, all.len());
        return Ok(());
    }
    let dialect = a.value("dialect").unwrap_or("duckdb");
    let dialect = revlens::sql::Dialect::parse(dialect)
        .ok_or(format!("--dialect: '{dialect}' is not one of duckdb, spark, bigquery, snowflake"))?;
    let mut calendar = revlens::metrics::periods::Calendar::default();
    if let Some(g) = a.value("grain") {
        calendar.grain = json_arg("grain", &format!("\"{g}\""))?;
    }
    if let Some(m) = a.value("fiscal-start") {
        calendar.fiscal_year_start_month = fiscal_start(m)?;
    }
    let as_of = match (a.value("asof"), a.positional.is_empty()) {
        (Some(d), _) => d.to_string(),
        (None, false) => {
            let contents = read_all(&a.positional)?;
            let files: Vec<(&str, &[u8])> = contents.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
            revlens::report::prepared_dataset(&files, &ReportOptions::default())
                .map_err(|e| format!("[{}] {e}", e.code()))?
                .1
        }
        (None, true) => return Err("sql needs --asof YYYY-MM-DD or the files to take it from (see --help)".into()),
    };
    let retention_months = revlens::metrics::revenue::RevenueOptions::default().retention_months;
    let query = revlens::sql::metrics_sql(&revlens::sql::SqlOptions { dialect, as_of, calendar, retention_months })
        .map_err(|e| format!("--asof: {e}"))?;
    print!("{query}");
    Ok(())
}

fn canonical(rest: &[String]) -> Result<(), String> {
    let Some(ReportInputs { args: a, opts, contents }) = report_inputs(rest, CANONICAL_HELP, &[], &["out"], false)?
    else {
        return Ok(());
    };
    let out = a.value("out").ok_or("canonical needs --out DIR (see --help)")?;
    let files: Vec<(&str, &[u8])> = contents.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let (ds, as_of) = revlens::report::prepared_dataset(&files, &opts).map_err(|e| report_error_message(&e))?;
    // Each table written as its rows are made: at millions of deals, their text is gigabytes.
    revlens::sql::canonical::each_canonical_table(&ds, &mut |name, header, rows| {
        let mut file = create_in(Path::new(out), name)?;
        revlens::sql::canonical::write_table(&mut file, header, rows)
            .and_then(|_| std::io::Write::flush(&mut file))
            .map_err(|e| format!("{}: {e}", Path::new(out).join(name).display()))
    })?;
    // An empty revenue_lines.csv is never silent: say what the query makes of it.
    if ds.revenue_lines.is_empty() {
        match revlens::metrics::revenue::deals_standing_in_count(&ds) {
            Some(n) => eprintln!(
                "revenue_lines.csv is empty (no billing export): the query estimates MRR from the {n} recurring-type \
                 won deals in deals.csv, as the report does (amount ÷ 12 a month for a year from the close date)"
            ),
            None => eprintln!(
                "revenue_lines.csv is empty (no billing export) and no deal has a recurring type: no MRR, in the \
                 report or the query"
            ),
        }
    }
    println!("as_of {as_of}");
    Ok(())
}

fn fiscal_start(m: &str) -> Result<u32, String> {
    m.parse().ok().filter(|v| (1..=12).contains(v)).ok_or(format!("--fiscal-start: '{m}' is not a month number 1–12"))
}

/// Each path's file name and bytes.
fn read_all(paths: &[String]) -> Result<Vec<(String, Vec<u8>)>, String> {
    paths.iter().map(|p| Ok((file_name(p), read(p)?))).collect()
}
