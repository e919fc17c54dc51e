//! JavaScript bindings: a thin adapter over [`crate::ingest`] and [`crate::report`].
//!
//! Inputs arrive as `Uint8Array` bytes (no giant strings); results go back as plain objects.
//! Every error is a JS `Error` with a stable `code` property.

use crate::ingest::{ingest_bytes, IngestOptions};
use crate::report::{analyze as analyze_files, ReportError, ReportOptions};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn js_error(code: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    err.into()
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error("SERIALIZE", &e.to_string()))
}

fn parse_options<T: serde::de::DeserializeOwned + Default>(value: JsValue) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| js_error("BAD_OPTIONS", &format!("options: {e}")))
}

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Reads one file and tells what it is: kind, source, column mapping, encoding, delimiter,
/// and its quality report (rows read/used/rejected, with reasons and line numbers).
#[wasm_bindgen]
pub fn detect(bytes: &[u8], name: &str, options: JsValue) -> Result<JsValue, JsValue> {
    let opts: IngestOptions = parse_options(options)?;
    let file = ingest_bytes(name, 0, bytes, &opts).map_err(|e| js_error(e.code(), &e.to_string()))?;
    to_js(&file.report)
}

/// Analyses several files (`[{ name, bytes: Uint8Array }]`) into a full report.
#[wasm_bindgen]
pub fn analyze(files: js_sys::Array, options: JsValue) -> Result<JsValue, JsValue> {
    let opts: ReportOptions = parse_options(options)?;
    let mut owned: Vec<(String, Vec<u8>)> = Vec::with_capacity(files.length() as usize);
    for (i, f) in files.iter().enumerate() {
        let name = js_sys::Reflect::get(&f, &JsValue::from_str("name"))
            .ok()
            .and_then(|v| v.as_string())
            .ok_or_else(|| js_error("BAD_INPUT", &format!("files[{i}] has no name")))?;
        let bytes = js_sys::Reflect::get(&f, &JsValue::from_str("bytes"))
            .ok()
            .filter(|b| b.is_instance_of::<js_sys::Uint8Array>())
            .ok_or_else(|| js_error("BAD_INPUT", &format!("files[{i}] ({name}): bytes must be a Uint8Array")))?;
        owned.push((name, js_sys::Uint8Array::from(bytes).to_vec()));
    }
    let refs: Vec<(&str, &[u8])> = owned.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let report = analyze_files(&refs, &opts).map_err(|e: ReportError| js_error(e.code(), &e.to_string()))?;
    to_js(&report)
}

/// The embedded sample company's exports: `[{ name, kind, bytes: Uint8Array }]`.
#[wasm_bindgen(js_name = sampleFiles)]
pub fn sample_files() -> js_sys::Array {
    let out = js_sys::Array::new();
    for f in crate::sample::generate(&crate::sample::SampleOptions::default()) {
        let o = js_sys::Object::new();
        // Setting properties on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&o, &"name".into(), &JsValue::from_str(&f.name));
        let _ = js_sys::Reflect::set(&o, &"kind".into(), &JsValue::from_str(f.kind));
        let _ = js_sys::Reflect::set(&o, &"bytes".into(), &js_sys::Uint8Array::from(f.bytes.as_slice()).into());
        out.push(&o);
    }
    out
}

/// Installed when the module starts: a panic (a bug, never expected) aborts the current call
/// with a `RuntimeError`, and the module is re-instantiated before the next call, so one bad
/// input never leaves the page or the embedding dashboard with a dead module.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        wasm_bindgen::handler::schedule_reinit();
        web_log(&format!("revlens: internal error (the module restarts for the next call): {info}"));
    }));
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn web_log(message: &str);
}

/// Panics on purpose, to prove (in tests) that the module recovers; never call it otherwise.
#[wasm_bindgen(js_name = __selfTestPanic)]
pub fn self_test_panic() {
    panic!("self-test panic");
}
