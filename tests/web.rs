//! The JavaScript surface (`src/wasm.rs`), run as WebAssembly by wasm-bindgen-test.
//!
//! The same test binary runs twice (see `scripts/test`): in Node (`wasm-pack test --node`)
//! and in headless Chromium (`wasm-pack test --headless --chrome` with
//! `WASM_BINDGEN_USE_BROWSER=1`). There is deliberately no
//! `wasm_bindgen_test_configure!(run_in_browser)`: without it the test runner picks Node by
//! default and the browser when `WASM_BINDGEN_USE_BROWSER` is set, so one build serves both
//! runs (a cfg flag through RUSTFLAGS would rebuild every dependency for each run).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect, Uint8Array};
use revlens::wasm::{analyze, detect, forecast, version, StreamingAnalysis};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// A Salesforce-style opportunities export: 2 won (1000 + 300), 1 lost, 1 open, and one row
/// whose amount is not a number (rejected, line 6).
const DEALS: &str = "\
Opportunity ID,Opportunity Name,Account Name,Owner,Stage,Amount,Created Date,Close Date
D-1,Acme renewal,Acme,Ann,Closed Won,1000,2024-01-05,2024-02-01
D-2,Beta new,Beta,Bo,Closed Lost,500,2024-01-10,2024-03-01
D-3,Gamma pilot,Gamma,Ann,Prospecting,700,2024-02-01,2024-06-30
D-4,Delta,Delta,Bo,Closed Won,300,2024-02-11,2024-03-15
D-5,\"Epsilon, Inc.\",Epsilon,Bo,Closed Won,lots,2024-02-12,2024-03-16
";

const LEADS: &str = "\
Lead ID,Email,Created Date,Lead Source,Status
L-1,a@example.com,2024-01-01,Web,Open
L-2,b@example.com,2024-01-03,Event,Converted
";

const JUNK: &str = "foo,bar,baz\n";

fn bytes(b: &[u8]) -> Uint8Array {
    Uint8Array::from(b)
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or_else(|_| panic!("no property {key}"))
}

fn num(obj: &JsValue, key: &str) -> f64 {
    get(obj, key).as_f64().unwrap_or_else(|| panic!("{key} is not a number: {:?}", get(obj, key)))
}

fn text(obj: &JsValue, key: &str) -> String {
    get(obj, key).as_string().unwrap_or_else(|| panic!("{key} is not a string: {:?}", get(obj, key)))
}

fn array(obj: &JsValue, key: &str) -> Array {
    get(obj, key).dyn_into::<Array>().unwrap_or_else(|v| panic!("{key} is not an array: {v:?}"))
}

/// `{ name, bytes: Uint8Array }`, the shape `analyze` takes.
fn file(name: &str, bytes: &[u8]) -> JsValue {
    let obj = Object::new();
    Reflect::set(&obj, &"name".into(), &name.into()).unwrap();
    Reflect::set(&obj, &"bytes".into(), &Uint8Array::from(bytes).into()).unwrap();
    obj.into()
}

fn files(list: &[(&str, &str)]) -> Array {
    list.iter().map(|(name, body)| file(name, body.as_bytes())).collect()
}

/// The whole-data value of a metric (no period, no breakdown).
fn metric(report: &JsValue, id: &str) -> JsValue {
    array(report, "metrics")
        .iter()
        .find(|m| text(m, "id") == id && get(m, "period").is_undefined() && get(m, "by").is_undefined())
        .unwrap_or_else(|| panic!("no metric {id}"))
}

/// Asserts `result` is a JS `Error` with the given `code` and a message naming the file.
fn assert_error(result: Result<JsValue, JsValue>, code: &str, file_name: &str) {
    let err = match result {
        Ok(v) => panic!("expected error {code}, got {v:?}"),
        Err(e) => e,
    };
    assert!(err.is_instance_of::<js_sys::Error>(), "not an Error: {err:?}");
    assert_eq!(text(&err, "code"), code);
    let message = String::from(err.unchecked_ref::<js_sys::Error>().message());
    assert!(message.contains(file_name), "message should name {file_name}: {message}");
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn detect_reads_a_deals_export() {
    let r = detect(bytes(DEALS.as_bytes()), "deals.csv", JsValue::UNDEFINED).expect("detect");
    assert_eq!(text(&r, "file"), "deals.csv");
    assert_eq!(text(&r, "kind"), "deals");
    assert_eq!(text(&r, "source"), "salesforce");
    assert_eq!(text(&r, "format"), "csv");
    assert_eq!(text(&r, "delimiter"), ",");
    assert_eq!(num(&r, "header_line"), 1.0);
    assert_eq!(num(&r, "bytes"), DEALS.len() as f64);
    assert_eq!(num(&r, "rows_read"), 5.0);
    assert_eq!(num(&r, "rows_used"), 4.0);
    assert_eq!(num(&r, "rows_rejected"), 1.0);

    let columns = array(&r, "columns");
    assert_eq!(columns.length(), 8);
    let amount = columns.get(5);
    assert_eq!(num(&amount, "column"), 6.0);
    assert_eq!(text(&amount, "header"), "Amount");
    assert_eq!(text(&amount, "field"), "amount");

    let rejected = array(&r, "rejected");
    assert_eq!(rejected.length(), 1);
    let group = rejected.get(0);
    assert_eq!(text(&group, "header"), "Amount");
    assert_eq!(num(&group, "count"), 1.0);
    assert_eq!(array(&group, "lines").to_vec().iter().map(|l| l.as_f64().unwrap()).collect::<Vec<_>>(), vec![6.0]);
}

/// `detect` and `analyze` read a JS array a 1 MiB chunk at a time: a file of several chunks,
/// records cut at every chunk edge, reads as the core reads it whole.
#[wasm_bindgen_test]
fn large_arrays_are_read_in_chunks_as_the_core_reads_them_whole() {
    let mut csv = String::from(DEALS);
    let mut i = 0;
    while csv.len() < 3 * (1 << 20) + 12_345 {
        i += 1;
        csv.push_str(&format!(
            "X-{i},\"Deal {i}, a long name\",Account {},Owner {},Closed {},{}.5,2024-01-{:02},2024-03-{:02}\n",
            i % 977,
            i % 7,
            if i % 3 == 0 { "Won" } else { "Lost" },
            i % 1000,
            1 + i % 28,
            1 + i % 28
        ));
    }
    let whole = revlens::ingest::ingest_bytes("deals.csv", 0, csv.as_bytes(), &Default::default()).expect("core");
    let r = detect(bytes(csv.as_bytes()), "deals.csv", JsValue::UNDEFINED).expect("detect");
    assert_eq!(num(&r, "bytes"), csv.len() as f64);
    assert_eq!(num(&r, "rows_read"), whole.report.rows_read as f64);
    assert_eq!(num(&r, "rows_used"), whole.report.rows_used as f64);
    assert_eq!(num(&r, "rows_used"), (4 + i) as f64);
    let report = analyze(files(&[("deals.csv", &csv)]), JsValue::UNDEFINED).expect("analyze");
    let file = Array::from(&get(&report, "files")).get(0);
    assert_eq!(num(&file, "rows_used"), (4 + i) as f64);
}

#[wasm_bindgen_test]
fn detect_accepts_null_and_empty_options() {
    let a = detect(bytes(DEALS.as_bytes()), "deals.csv", JsValue::NULL).expect("null options");
    let b = detect(bytes(DEALS.as_bytes()), "deals.csv", Object::new().into()).expect("{} options");
    assert_eq!(num(&a, "rows_used"), num(&b, "rows_used"));
}

#[wasm_bindgen_test]
fn analyze_joins_two_files() {
    let r = analyze(files(&[("deals.csv", DEALS), ("leads.csv", LEADS)]), JsValue::UNDEFINED).expect("analyze");
    let summaries = array(&r, "files");
    assert_eq!(summaries.length(), 2);
    let kinds: Vec<String> = summaries.iter().map(|f| text(&f, "kind")).collect();
    assert_eq!(kinds, ["deals", "leads"]);
    assert_eq!(num(&summaries.get(0), "rows_rejected"), 1.0);
    assert_eq!(num(&summaries.get(1), "rows_used"), 2.0);

    assert_eq!(num(&metric(&r, "won_count"), "value"), 2.0);
    assert_eq!(num(&metric(&r, "lost_count"), "value"), 1.0);
    assert_eq!(num(&metric(&r, "open_count"), "value"), 1.0);
    assert_eq!(num(&metric(&r, "bookings"), "value"), 1300.0);
    assert!((num(&metric(&r, "win_rate"), "value") - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(text(&metric(&r, "win_rate"), "lens"), "salesops");
    assert_eq!(text(&metric(&r, "win_rate"), "unit"), "ratio");

    let quality = get(&r, "quality");
    let score = num(&quality, "score");
    assert!((0.0..=100.0).contains(&score), "score {score}");
    assert_eq!(array(&quality, "files").length(), 2);
}

#[wasm_bindgen_test]
fn as_of_option_is_used() {
    let options: JsValue = Object::new().into();
    Reflect::set(&options, &"as_of".into(), &"2024-12-31".into()).unwrap();
    let r = analyze(files(&[("deals.csv", DEALS)]), options).expect("analyze");
    assert_eq!(text(&r, "as_of"), "2024-12-31");
}

#[wasm_bindgen_test]
fn empty_file_is_an_error_with_a_code() {
    assert_error(detect(bytes(&[]), "empty.csv", JsValue::UNDEFINED), "EMPTY_FILE", "empty.csv");
    assert_error(analyze(files(&[("empty.csv", "")]), JsValue::UNDEFINED), "EMPTY_FILE", "empty.csv");
}

#[wasm_bindgen_test]
fn unknown_header_is_an_error_with_a_code() {
    assert_error(detect(bytes(JUNK.as_bytes()), "junk.csv", JsValue::UNDEFINED), "UNKNOWN_FILE_KIND", "junk.csv");
    assert_error(analyze(files(&[("junk.csv", JUNK)]), JsValue::UNDEFINED), "UNKNOWN_FILE_KIND", "junk.csv");
    // Beside a readable file, it is listed with its code and the report is made from the other.
    let both = files(&[("deals.csv", DEALS), ("junk.csv", JUNK)]);
    let report = analyze(both, JsValue::UNDEFINED).expect("report from deals.csv");
    let not_read = Array::from(&get(&report, "files_not_read"));
    assert_eq!(not_read.length(), 1);
    assert_eq!(text(&not_read.get(0), "file"), "junk.csv");
    assert_eq!(text(&not_read.get(0), "code"), "UNKNOWN_FILE_KIND");
    assert_eq!(Array::from(&get(&report, "files")).length(), 1);
}

#[wasm_bindgen_test]
fn malformed_arguments_are_errors_with_a_code() {
    let no_bytes: JsValue = Object::new().into();
    Reflect::set(&no_bytes, &"name".into(), &"x.csv".into()).unwrap();
    assert_error(analyze(Array::of1(&no_bytes), JsValue::UNDEFINED), "BAD_INPUT", "x.csv");

    let string_bytes: JsValue = Object::new().into();
    Reflect::set(&string_bytes, &"name".into(), &"y.csv".into()).unwrap();
    Reflect::set(&string_bytes, &"bytes".into(), &DEALS.into()).unwrap();
    assert_error(analyze(Array::of1(&string_bytes), JsValue::UNDEFINED), "BAD_INPUT", "y.csv");

    let err =
        detect(bytes(DEALS.as_bytes()), "deals.csv", JsValue::from_str("not an object")).expect_err("string options");
    assert_eq!(text(&err, "code"), "BAD_OPTIONS");

    // A misspelt option is an error naming it, at any depth, not silently ignored.
    for json in [r#"{"as_off":"2024-01-01"}"#, r#"{"filter":{"regio":["EMEA"]}}"#, r#"{"ingest":{"mapings":{}}}"#] {
        let options = js_sys::JSON::parse(json).unwrap();
        let err = analyze(files(&[("deals.csv", DEALS)]), options).expect_err(json);
        assert_eq!(text(&err, "code"), "BAD_OPTIONS", "{json}");
        let field =
            json.split('"').nth(if json.contains("filter") || json.contains("ingest") { 3 } else { 1 }).unwrap();
        assert!(text(&err, "message").contains(field), "{json}: {}", text(&err, "message"));
    }
}

#[wasm_bindgen_test]
fn module_keeps_working_after_errors() {
    let before = analyze(files(&[("deals.csv", DEALS)]), JsValue::UNDEFINED).expect("first analyze");
    for _ in 0..3 {
        assert!(detect(bytes(&[]), "empty.csv", JsValue::UNDEFINED).is_err());
        assert!(detect(bytes(JUNK.as_bytes()), "junk.csv", JsValue::UNDEFINED).is_err());
        assert!(analyze(files(&[("junk.csv", JUNK)]), JsValue::UNDEFINED).is_err());
    }
    let after = analyze(files(&[("deals.csv", DEALS)]), JsValue::UNDEFINED).expect("analyze after errors");
    assert_eq!(num(&metric(&before, "bookings"), "value"), num(&metric(&after, "bookings"), "value"));
    assert_eq!(num(&metric(&after, "won_count"), "value"), 2.0);
}

#[wasm_bindgen_test]
fn streaming_analysis_matches_analyze() {
    let whole = analyze(files(&[("deals.csv", DEALS), ("leads.csv", LEADS)]), JsValue::UNDEFINED).expect("analyze");
    let mut s = StreamingAnalysis::new(JsValue::UNDEFINED).expect("new");
    for (name, body) in [("deals.csv", DEALS), ("leads.csv", LEADS)] {
        s.begin_file(name, None).expect("begin_file");
        for chunk in body.as_bytes().chunks(9) {
            s.push(chunk).expect("push");
        }
    }
    let streamed = s.finish().expect("finish");
    let json = |v: &JsValue| String::from(js_sys::JSON::stringify(v).expect("stringify"));
    assert_eq!(json(&streamed), json(&whole));

    // An unreadable file beside readable ones is listed, as analyze lists it; alone, it is the error.
    let list = [("deals.csv", DEALS), ("junk.csv", JUNK), ("leads.csv", LEADS)];
    let whole = analyze(files(&list), JsValue::UNDEFINED).expect("analyze with a junk file");
    let mut s = StreamingAnalysis::new(JsValue::UNDEFINED).expect("new");
    for (name, body) in list {
        s.begin_file(name, None).expect("begin_file");
        s.push(body.as_bytes()).expect("push");
    }
    let streamed = s.finish().expect("finish with a junk file");
    assert_eq!(json(&streamed), json(&whole));
    assert_eq!(text(&array(&streamed, "files_not_read").get(0), "code"), "UNKNOWN_FILE_KIND");
    // Rows point at their own file even after an unreadable one: quality as without it.
    let clean = analyze(files(&[("deals.csv", DEALS), ("leads.csv", LEADS)]), JsValue::UNDEFINED).expect("analyze");
    let mut s = StreamingAnalysis::new(JsValue::UNDEFINED).expect("new");
    for (name, body) in [("junk.csv", JUNK), ("deals.csv", DEALS), ("leads.csv", LEADS)] {
        s.begin_file(name, None).expect("begin_file");
        s.push(body.as_bytes()).expect("push");
    }
    let streamed = s.finish().expect("finish with a junk file first");
    assert_eq!(json(&get(&streamed, "quality")), json(&get(&clean, "quality")));
    assert!(
        json(&get(&clean, "quality")).contains(r#""rows":[{"file":0,"line":6}]"#),
        "{}",
        json(&get(&clean, "quality"))
    );
    let mut alone = StreamingAnalysis::new(JsValue::UNDEFINED).expect("new");
    alone.begin_file("junk.csv", None).expect("begin_file");
    alone.push(JUNK.as_bytes()).expect("push");
    assert_eq!(text(&alone.finish().expect_err("only a junk file"), "code"), "UNKNOWN_FILE_KIND");

    let mut empty = StreamingAnalysis::new(JsValue::NULL).expect("new");
    assert_eq!(text(&empty.push(b"x").expect_err("push before a file"), "code"), "NO_FILE");
    assert_eq!(text(&empty.finish().expect_err("no files"), "code"), "NO_FILES");
}

#[wasm_bindgen_test]
fn forecast_returns_typed_arrays() {
    let series: Vec<f64> = (0..36).map(|i| 100.0 + i as f64 + 10.0 * (i as f64 * 0.5).sin()).collect();
    let options = Object::new();
    Reflect::set(&options, &"horizon".into(), &JsValue::from_f64(5.0)).unwrap();
    let f = forecast(&series, options.into()).expect("forecast");
    for key in ["mean", "lo80", "hi80", "lo95", "hi95"] {
        let a = get(&f, key).dyn_into::<js_sys::Float64Array>().unwrap_or_else(|v| panic!("{key}: {v:?}"));
        assert_eq!(a.length(), 5, "{key}");
    }
    assert_eq!(get(&f, "fitted").dyn_into::<js_sys::Float64Array>().expect("fitted").length(), 36);
    assert!(!text(&f, "model").is_empty());
    assert!(num(&get(&f, "backtest"), "mase").is_finite());
    let err = forecast(&[], JsValue::UNDEFINED).expect_err("no horizon");
    assert_eq!(text(&err, "code"), "BAD_OPTIONS");
    let options = Object::new();
    Reflect::set(&options, &"horizon".into(), &JsValue::from_f64(3.0)).unwrap();
    assert_eq!(text(&forecast(&[], options.into()).expect_err("empty"), "code"), "EMPTY_SERIES");
}

#[wasm_bindgen_test]
fn timings_come_with_the_option_from_analyze_and_streaming() {
    let stages = |r: &JsValue| -> Vec<String> {
        array(&get(r, "timings"), "stages").iter().map(|s| text(&s, "stage")).collect()
    };
    let options = js_sys::JSON::parse(r#"{"timings": true}"#).unwrap();
    let r = analyze(files(&[("deals.csv", DEALS), ("leads.csv", LEADS)]), options.clone()).expect("analyze");
    let t = get(&r, "timings");
    assert!(stages(&r).iter().any(|s| s == "win_probability"), "{:?}", stages(&r));
    assert!(num(&t, "total_ms") >= 0.0);
    let read: Vec<String> = array(&t, "files").iter().map(|f| text(&f, "file")).collect();
    assert_eq!(read, ["deals.csv", "leads.csv"]);
    let mut s = StreamingAnalysis::new(options).expect("new");
    for (name, body) in [("deals.csv", DEALS), ("leads.csv", LEADS)] {
        s.begin_file(name, None).expect("begin_file");
        for chunk in body.as_bytes().chunks(9) {
            s.push(chunk).expect("push");
        }
    }
    let streamed = s.finish().expect("finish");
    assert_eq!(stages(&streamed), stages(&r));
    assert_eq!(array(&get(&streamed, "timings"), "files").length(), 2);
    // Without the option: none (a report stays reproducible).
    let plain = analyze(files(&[("deals.csv", DEALS)]), JsValue::UNDEFINED).expect("analyze");
    assert!(get(&plain, "timings").is_undefined());
}
