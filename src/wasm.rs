//! JavaScript bindings: a thin adapter over [`crate::ingest`], [`crate::report`] and
//! [`crate::forecast`].
//!
//! Inputs arrive as `Uint8Array` bytes (no giant strings) and `Float64Array` series; results go
//! back as plain objects (through JSON, see [`to_js`]), with long numeric series as typed
//! arrays. Every error is a JS `Error` with a stable `code` property. The TypeScript
//! declarations of the core's types (the report, the options, the file reports) come from their
//! `tsify` derives (wasm32 only, with `missing_as_null` and `hashmap_as_object`, as `to_js`
//! serializes); the binding's own shapes are in `src/wasm_types.d.ts` ([`TS_TYPES`]).
//! `tests/consumers` checks all of them against real results with `tsc`. The npm package's own
//! JS (`js/`) wraps these raw exports into the public API.

use crate::forecast::{auto_forecast, ForecastError, TsOptions};
use crate::ingest::{table_head, FileIngest, IngestError, IngestOptions, IngestedFile};
use crate::report::{analyze_streams, report_from_timed, FileNotRead, ReportError, ReportOptions};
use crate::timings::FileTiming;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

fn js_error(code: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    err.into()
}

/// An Error with the code and, as `params`, the parameters of the message ([`crate::message::Message`]),
/// from which a page says it in the reader's language.
fn coded_error(coded: &crate::message::Message, message: &str) -> JsValue {
    let err = js_error(coded.code, message);
    if let Ok(params) = to_js_small(&coded.params) {
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&err, &"params".into(), &params);
    }
    err
}

fn report_error(e: ReportError) -> JsValue {
    let err = coded_error(&e.coded(), &e.to_string());
    if let ReportError::TooLarge { file, bytes, limit } = &e {
        // What the page needs to say it in the reader's language. Setting properties on a fresh
        // Error object cannot fail.
        let _ = js_sys::Reflect::set(&err, &"file".into(), &JsValue::from_str(file));
        let _ = js_sys::Reflect::set(&err, &"bytes".into(), &JsValue::from_f64(*bytes as f64));
        let _ = js_sys::Reflect::set(&err, &"limit".into(), &JsValue::from_f64(*limit as f64));
    }
    err
}

fn forecast_error(e: ForecastError) -> JsValue {
    let code = match e {
        ForecastError::EmptySeries => "EMPTY_SERIES",
        ForecastError::NonFinite { .. } => "NON_FINITE_VALUE",
        ForecastError::HorizonZero => "BAD_HORIZON",
        ForecastError::SeasonLengthZero => "BAD_SEASON_LENGTH",
    };
    js_error(code, &e.to_string())
}

/// A result as a plain JS object: written as JSON text (as the CLI's `--json` writes it) and
/// parsed by the JS engine. One string crosses the boundary instead of a call per field, and
/// the module carries serde_json's small writer instead of a JS-object serializer per type
/// (about a tenth of the module's size).
/// A small value as a JS object, without a JSON round trip (serde-wasm-bindgen; JSON-compatible:
/// maps as plain objects, no `undefined`). Its code grows with each type it serializes, so the
/// report itself goes through [`to_js`].
fn to_js_small<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error("SERIALIZE", &e.to_string()))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| js_error("SERIALIZE", &e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| js_error("SERIALIZE", "the result is not valid JSON"))
}

fn parse_options<T: serde::de::DeserializeOwned + Default>(value: JsValue) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    // Through JSON rather than serde-wasm-bindgen, which reads only the fields it knows: a
    // misspelt option (`{ filter: { regio: … } }`) must be an error, not silently ignored.
    let text: String =
        js_sys::JSON::stringify(&value).map_err(|_| js_error("BAD_OPTIONS", "options: not a plain object"))?.into();
    serde_json::from_str(&text).map_err(|e| js_error("BAD_OPTIONS", &format!("options: {e}")))
}

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Reads one file and tells what it is: kind, source, column mapping, encoding, delimiter,
/// and its quality report (rows read/used/rejected, with reasons and line numbers).
/// The bytes are read from the JS array a chunk at a time ([`JsBytes`]), never copied whole into
/// wasm memory.
#[wasm_bindgen(unchecked_return_type = "FileReport")]
pub fn detect(
    bytes: js_sys::Uint8Array,
    name: &str,
    #[wasm_bindgen(unchecked_param_type = "IngestOptions | null | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let opts: IngestOptions = parse_options(options)?;
    let ingest_error = |e: IngestError| coded_error(&e.coded(), &e.to_string());
    let mut file = FileIngest::new(name, 0, &opts);
    file.expect_size(bytes.length() as u64);
    file.push_reader(&mut JsBytes::new(bytes)).map_err(ingest_error)?;
    to_js(&file.finish().map_err(ingest_error)?.report)
}

/// A JS `Uint8Array` read a chunk at a time into wasm memory: a 235 MB export costs a 1 MiB
/// buffer here, not a 235 MB copy beside the typed columns (wasm memory never shrinks, so the
/// copy would stay for the page's life).
struct JsBytes {
    array: js_sys::Uint8Array,
    at: u32,
}

impl JsBytes {
    fn new(array: js_sys::Uint8Array) -> JsBytes {
        JsBytes { array, at: 0 }
    }
}

impl std::io::Read for JsBytes {
    /// Copies the next bytes into `buf`; how many (0 at the end).
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (self.array.length() - self.at).min(buf.len() as u32);
        if n > 0 {
            self.array.subarray(self.at, self.at + n).copy_to(&mut buf[..n as usize]);
            self.at += n;
        }
        Ok(n as usize)
    }
}

/// The first `max_rows` records of a file as decoded cells (encoding, delimiter and quotes
/// handled; title lines and the header included), each `{ line, cells }`: the CLI's `table`,
/// for previewing a column mapping.
#[wasm_bindgen(unchecked_return_type = "{ line: number; cells: string[] }[]")]
pub fn table(
    bytes: &[u8],
    name: &str,
    #[wasm_bindgen(unchecked_param_type = "IngestOptions | null | undefined")] options: JsValue,
    max_rows: u32,
) -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Record {
        line: u32,
        cells: Vec<String>,
    }
    let opts: IngestOptions = parse_options(options)?;
    let records =
        table_head(name, bytes, &opts, max_rows as usize).map_err(|e| coded_error(&e.coded(), &e.to_string()))?;
    to_js(&records.into_iter().map(|(line, cells)| Record { line, cells }).collect::<Vec<_>>())
}

/// Analyses several files (`[{ name, bytes: Uint8Array }]`) into a full report.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn analyze(
    #[wasm_bindgen(unchecked_param_type = "InputFile[]")] files: js_sys::Array,
    #[wasm_bindgen(unchecked_param_type = "Options | null | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let opts: ReportOptions = parse_options(options)?;
    let mut given: Vec<(String, js_sys::Uint8Array)> = Vec::with_capacity(files.length() as usize);
    let mut total = 0u64;
    for (i, f) in files.iter().enumerate() {
        let name = js_sys::Reflect::get(&f, &JsValue::from_str("name"))
            .ok()
            .and_then(|v| v.as_string())
            .ok_or_else(|| js_error("BAD_INPUT", &format!("files[{i}] has no name")))?;
        let bytes = js_sys::Reflect::get(&f, &JsValue::from_str("bytes"))
            .ok()
            .filter(|b| b.is_instance_of::<js_sys::Uint8Array>())
            .ok_or_else(|| js_error("BAD_INPUT", &format!("files[{i}] ({name}): bytes must be a Uint8Array")))?;
        let bytes = js_sys::Uint8Array::from(bytes);
        // Held to the limit before any byte is copied into wasm memory.
        total += bytes.length() as u64;
        opts.check_input_size(&name, total).map_err(report_error)?;
        given.push((name, bytes));
    }
    // A spreadsheet is read whole (a zip) and counts as what it expands to; any other file is
    // streamed from its JS array a chunk at a time, never copied whole into wasm memory.
    let mut readers: Vec<(String, u64, Box<dyn std::io::Read>)> = Vec::with_capacity(given.len());
    let mut sizes: Vec<u64> = Vec::with_capacity(given.len());
    for (name, bytes) in given {
        let length = bytes.length() as u64;
        let mut head = [0u8; 8];
        let n = bytes.length().min(8);
        bytes.subarray(0, n).copy_to(&mut head[..n as usize]);
        if crate::ingest::is_spreadsheet(&head[..n as usize]) {
            let whole = bytes.to_vec();
            sizes.push(crate::limits::input_size(&whole));
            readers.push((name, length, Box::new(std::io::Cursor::new(whole))));
        } else {
            sizes.push(length);
            readers.push((name, length, Box::new(JsBytes::new(bytes))));
        }
    }
    opts.check_input_sizes(readers.iter().map(|(name, _, _)| name.as_str()).zip(sizes)).map_err(report_error)?;
    let mut streams: Vec<(&str, Option<u64>, &mut dyn std::io::Read)> = readers
        .iter_mut()
        .map(|(name, length, r)| (name.as_str(), Some(*length), r.as_mut() as &mut dyn std::io::Read))
        .collect();
    let report = analyze_streams(&mut streams, &opts, Some(&performance_now)).map_err(report_error)?;
    to_js(&report)
}

/// Fails with the core's `TOO_LARGE` error when files of these sizes (bytes, in order) would pass
/// the analysis's limit (`options.max_bytes`, default 1 GiB here): for a caller that knows the
/// sizes before reading anything (the worker, with File objects).
#[wasm_bindgen(js_name = checkInputSize)]
pub fn check_input_size(
    names: Vec<String>,
    sizes: &[f64],
    #[wasm_bindgen(unchecked_param_type = "Options | null | undefined")] options: JsValue,
) -> Result<(), JsValue> {
    let opts: ReportOptions = parse_options(options)?;
    opts.check_input_sizes(names.iter().map(String::as_str).zip(sizes.iter().map(|&s| s.max(0.0) as u64)))
        .map_err(report_error)
}

/// A report built from files that arrive chunk by chunk ([`FileIngest`]): only the file being
/// read is buffered (up to its first 256 KB, or whole for a spreadsheet), never all of them.
/// Files that cannot be read are handled as [`analyze_files`] handles them: alone, the file's
/// error is the error; beside readable ones, it is listed in `files_not_read`.
#[wasm_bindgen]
pub struct StreamingAnalysis {
    options: ReportOptions,
    done: Vec<IngestedFile>,
    current: Option<FileIngest>,
    current_name: String,
    /// Files begun so far (a file's index in the report, as in `analyze`).
    begun: u32,
    not_read: Vec<FileNotRead>,
    first_error: Option<IngestError>,
    last: JsValue,
    /// Milliseconds spent reading each file begun (only with `options.timings`).
    read_ms: Vec<FileTiming>,
    /// Bytes pushed so far, all files together (held to `options.max_bytes`).
    bytes_in: u64,
}

#[wasm_bindgen]
impl StreamingAnalysis {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Options | null | undefined")] options: JsValue,
    ) -> Result<StreamingAnalysis, JsValue> {
        Ok(StreamingAnalysis {
            options: parse_options(options)?,
            done: Vec::new(),
            current: None,
            current_name: String::new(),
            begun: 0,
            not_read: Vec::new(),
            first_error: None,
            last: JsValue::UNDEFINED,
            read_ms: Vec::new(),
            bytes_in: 0,
        })
    }

    /// Ends the file being read (if any) and starts the next one. `size`, the file's size in
    /// bytes when known (a `File`'s), lets its columns be sized once instead of growing.
    #[wasm_bindgen(js_name = beginFile)]
    pub fn begin_file(&mut self, name: &str, size: Option<f64>) -> Result<(), JsValue> {
        self.end_file()?;
        // Its index is its place among the files read (unreadable ones are not), which rows'
        // origins point into.
        let mut file = FileIngest::new(name, self.done.len() as u32, &self.options.ingest);
        if let Some(size) = size.filter(|s| s.is_finite() && *s >= 0.0) {
            file.expect_size(size as u64);
        }
        self.current = Some(file);
        self.current_name = name.to_string();
        self.begun += 1;
        if self.options.timings {
            self.read_ms.push(FileTiming { file: name.to_string(), ms: 0.0, stages: Vec::new() });
        }
        self.last = JsValue::UNDEFINED;
        Ok(())
    }

    /// Feeds the next chunk of the current file; returns how far that file has been read. After
    /// the file turned out unreadable, its further chunks are skipped (`finish` tells why).
    #[wasm_bindgen(unchecked_return_type = "{ bytes: number; rows: number }")]
    pub fn push(&mut self, chunk: &[u8]) -> Result<JsValue, JsValue> {
        if self.begun == 0 {
            return Err(js_error("NO_FILE", "push before beginFile(name)"));
        }
        // Past the limit, before the chunk is decoded or stored: TOO_LARGE ends the analysis.
        self.bytes_in += chunk.len() as u64;
        self.options.check_input_size(&self.current_name, self.bytes_in).map_err(report_error)?;
        let Some(file) = self.current.as_mut() else {
            return Ok(self.last.clone());
        };
        let started = self.options.timings.then(performance_now);
        let pushed = file.push(chunk);
        self.charge_read(started);
        match pushed {
            Ok(progress) => {
                self.last = to_js_small(&progress)?;
                Ok(self.last.clone())
            }
            Err(e) => {
                self.current = None;
                self.not_read_file(e);
                Ok(self.last.clone())
            }
        }
    }

    /// Ends the last file and builds the report (the analysis cannot be used afterwards).
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn finish(mut self) -> Result<JsValue, JsValue> {
        let done = self.files_read()?;
        let read_ms = std::mem::take(&mut self.read_ms);
        let mut report =
            report_from_timed(done, &self.options, Some(&performance_now), read_ms).map_err(report_error)?;
        report.files_not_read = std::mem::take(&mut self.not_read);
        to_js(&report)
    }

    /// Ends the last file and computes the report's company side only (quality and RevOps): what
    /// a second worker that read the same files gives the first ([`SalesHalf::join`]).
    #[cfg(feature = "two-workers")]
    #[wasm_bindgen(js_name = finishCompany, unchecked_return_type = "CompanySide")]
    pub fn finish_company(mut self) -> Result<JsValue, JsValue> {
        let done = self.files_read()?;
        to_js(&crate::report::company_side_of(done, &self.options, Some(&performance_now)).map_err(report_error)?)
    }

    /// Ends the last file and computes the report's SalesOps side (lens, pipeline in time,
    /// forecast, snapshots), to be joined with the company side a second worker computes.
    #[cfg(feature = "two-workers")]
    #[wasm_bindgen(js_name = finishSales)]
    pub fn finish_sales(mut self) -> Result<SalesHalf, JsValue> {
        let done = self.files_read()?;
        let read_ms = std::mem::take(&mut self.read_ms);
        let apart =
            crate::report::sales_side_of(done, &self.options, Some(&performance_now), read_ms).map_err(report_error)?;
        Ok(SalesHalf {
            apart,
            options: std::mem::take(&mut self.options),
            not_read: std::mem::take(&mut self.not_read),
        })
    }

    /// Whether the rest of the file being read can be read in two parts, the later one by a
    /// second worker (text in UTF-8 or Windows-1252 whose rows are being typed, of a kind that
    /// comes in large files); two workers reading the same file answer alike.
    #[cfg(feature = "two-workers")]
    #[wasm_bindgen(js_name = canSplit)]
    pub fn can_split(&self) -> bool {
        self.current.as_ref().is_some_and(FileIngest::can_split)
    }

    /// Reads the chunks pushed from here on as the later part of the file being read: its
    /// bytes from `from` (just after a line break) to its end, while another worker reads the
    /// part before. False, and nothing changes, unless `canSplit()`.
    #[cfg(feature = "two-workers")]
    #[wasm_bindgen(js_name = beginLaterPart)]
    pub fn begin_later_part(&mut self, from: f64) -> bool {
        self.current.as_mut().is_some_and(|f| from >= 0.0 && f.begin_later_part(from as u64))
    }

    /// Ends the later part (the file's last record read) and gives it as chunks of bytes for
    /// the worker that read the part before (`joinLaterPart`); undefined when no later part was
    /// begun.
    #[cfg(feature = "two-workers")]
    #[wasm_bindgen(js_name = exportLaterPart, unchecked_return_type = "Uint8Array[] | undefined")]
    pub fn export_later_part(&mut self) -> JsValue {
        self.export_with(|f, sink| f.export_later_part(PART_CHUNK, sink).unwrap_or(false))
    }

    /// The file's rows read so far as chunks of bytes, for the worker that read the rest
    /// (`adoptPart`); undefined when the chunks so far did not end between two records.
    #[cfg(feature = "two-workers")]
    #[wasm_bindgen(js_name = exportPart, unchecked_return_type = "Uint8Array[] | undefined")]
    pub fn export_part(&mut self) -> JsValue {
        self.export_with(|f, sink| f.export_part(PART_CHUNK, sink))
    }

    /// Ends the text of the file being read and gives all of it as chunks of bytes (`adoptPart`
    /// with `thenOwn` false): for the other worker when the part before could not be cut off.
    #[cfg(feature = "two-workers")]
    #[wasm_bindgen(js_name = exportWhole, unchecked_return_type = "Uint8Array[] | undefined")]
    pub fn export_whole(&mut self) -> JsValue {
        self.export_with(|f, sink| f.export_whole(PART_CHUNK, sink).unwrap_or(false))
    }

    /// Joins the later part another worker read from where this one stopped
    /// (`exportLaterPart`'s chunks).
    #[cfg(feature = "two-workers")]
    #[wasm_bindgen(js_name = joinLaterPart)]
    pub fn join_later_part(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array[]")] chunks: js_sys::Array,
    ) -> Result<(), JsValue> {
        self.take_with(|f| f.join_later_part(&mut chunk_source(&chunks)))
    }

    /// Takes the part another worker read from the file's start (`exportPart`'s chunks) in
    /// place of what this one read before its later part, then joins its own later part
    /// (`thenOwn`); or takes the whole file another worker read (`exportWhole`, `thenOwn` false).
    #[cfg(feature = "two-workers")]
    #[wasm_bindgen(js_name = adoptPart)]
    pub fn adopt_part(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array[]")] chunks: js_sys::Array,
        then_own: bool,
    ) -> Result<(), JsValue> {
        self.take_with(|f| f.adopt_part(&mut chunk_source(&chunks), then_own))
    }

    /// What `write` writes of the file being read, as an array of chunks copied out of this
    /// module's memory (undefined when it writes nothing), its time charged to the file.
    #[cfg(feature = "two-workers")]
    fn export_with(&mut self, write: impl FnOnce(&mut FileIngest, &mut dyn FnMut(&[u8])) -> bool) -> JsValue {
        let started = self.options.timings.then(performance_now);
        let chunks = js_sys::Array::new();
        let written = self.current.as_mut().is_some_and(|f| {
            write(f, &mut |c: &[u8]| {
                chunks.push(&js_sys::Uint8Array::from(c));
            })
        });
        self.charge_read(started);
        if written {
            chunks.into()
        } else {
            JsValue::UNDEFINED
        }
    }

    /// `take` on the file being read (a part another worker wrote), its time charged to the file.
    #[cfg(feature = "two-workers")]
    fn take_with(
        &mut self,
        take: impl FnOnce(&mut FileIngest) -> Result<(), crate::model::wire::WireError>,
    ) -> Result<(), JsValue> {
        let started = self.options.timings.then(performance_now);
        let Some(file) = self.current.as_mut() else { return Err(js_error("NO_FILE", "no file is being read")) };
        let taken = take(file);
        self.charge_read(started);
        taken.map_err(|e| js_error("INTERNAL", &e.to_string()))
    }

    /// Ends the last file: the files read, or the error when none could be.
    fn files_read(&mut self) -> Result<Vec<IngestedFile>, JsValue> {
        self.end_file()?;
        if self.done.is_empty() {
            let error = match (self.begun, self.first_error.take()) {
                (0, _) => ReportError::NoFiles,
                (1, Some(e)) => ReportError::Ingest(e),
                _ => ReportError::NoFileRead {
                    first: self.not_read[0].message.clone(),
                    first_coded: self.not_read[0].coded.clone(),
                    others: self.not_read.len() - 1,
                },
            };
            return Err(report_error(error));
        }
        Ok(std::mem::take(&mut self.done))
    }

    /// Adds the time since `started` to the file being read.
    fn charge_read(&mut self, started: Option<f64>) {
        if let (Some(t0), Some(f)) = (started, self.read_ms.last_mut()) {
            f.ms += (performance_now() - t0).max(0.0);
        }
    }

    fn end_file(&mut self) -> Result<(), JsValue> {
        if let Some(file) = self.current.take() {
            if let Some(sheet) = file.spreadsheet_bytes() {
                // A spreadsheet counts as what it expands to, checked before it is decoded.
                self.bytes_in = self.bytes_in - sheet.len() as u64 + crate::limits::input_size(sheet);
                self.options.check_input_size(&self.current_name, self.bytes_in).map_err(report_error)?;
            }
            let started = self.options.timings.then(performance_now);
            let finished = file.finish();
            self.charge_read(started);
            match finished {
                Ok(f) => self.done.push(f),
                Err(e) => self.not_read_file(e),
            }
        }
        Ok(())
    }

    fn not_read_file(&mut self, error: IngestError) {
        let file = self.current_name.clone();
        self.not_read.push(FileNotRead { file, code: error.code(), message: error.to_string(), coded: error.coded() });
        self.first_error.get_or_insert(error);
    }
}

/// Bytes per chunk of a part of a file two workers read in halves: each chunk is copied out of
/// this worker's memory, and into the other's, one at a time.
#[cfg(feature = "two-workers")]
const PART_CHUNK: usize = 4 << 20;

/// The chunks of a part, copied into this module's memory one at a time as they are read
/// (anything in the array that is not bytes ends the part).
#[cfg(feature = "two-workers")]
fn chunk_source(chunks: &js_sys::Array) -> impl FnMut() -> Option<Vec<u8>> + '_ {
    let mut i = 0;
    move || {
        let chunk = chunks.get(i).dyn_into::<js_sys::Uint8Array>().ok()?;
        i += 1;
        Some(chunk.to_vec())
    }
}

/// A report's SalesOps side, computed by [`StreamingAnalysis::finish_sales`] while a second
/// worker computes its company side from the same files: [`SalesHalf::join`] makes the report
/// [`StreamingAnalysis::finish`] would have made.
#[cfg(feature = "two-workers")]
#[wasm_bindgen]
pub struct SalesHalf {
    apart: crate::report::Apart<'static>,
    options: ReportOptions,
    not_read: Vec<FileNotRead>,
}

#[cfg(feature = "two-workers")]
#[wasm_bindgen]
impl SalesHalf {
    /// The report, with the company side the other worker gave (`finishCompany`). Its parts
    /// go into the report as they came: the metrics are put in the report's order (the rule of
    /// [`crate::report::ordered_metrics`]), not read again.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn join(
        self,
        #[wasm_bindgen(unchecked_param_type = "CompanySide")] company: JsValue,
    ) -> Result<JsValue, JsValue> {
        use crate::report::{ordered_metrics, score_metric, SalesParts};
        use js_sys::{Array, Reflect};
        let get = |o: &JsValue, key: &str| Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
        let given = |o: &JsValue, key: &str| {
            let value = get(o, key);
            !value.is_undefined() && !value.is_null()
        };
        let not_company = || js_error("BAD_INPUT", "join(company): not a company side (finishCompany)");
        let (quality, revops) = (get(&company, "quality"), get(&company, "revops"));
        let lens: Array = get(&company, "sales_metrics").dyn_into().map_err(|_| not_company())?;
        let score = get(&quality, "score").as_f64().ok_or_else(not_company)?;
        let theirs: Array = match get(&revops, "metrics") {
            // A RevOps lens without metrics has none listed.
            none if none.is_undefined() => Array::new(),
            listed => listed.dyn_into().map_err(|_| not_company())?,
        };
        // The report's RevOps section holds no metrics: they are in its one list.
        Reflect::delete_property(revops.unchecked_ref::<js_sys::Object>(), &JsValue::from_str("metrics"))
            .map_err(|_| not_company())?;
        let stages = serde_wasm_bindgen::from_value(get(&company, "stages")).map_err(|_| not_company())?;
        let SalesParts { mut report, mut metrics, snapshot_metrics } = self.apart.parts(stages);
        report.files_not_read = self.not_read;
        // Each metric as (where it is: 0 here, 1 the lens's, 2 RevOps's; its index; by period
        // or breakdown), in the report's order.
        let (sales_count, ours_count) = (metrics.len(), metrics.len() + snapshot_metrics.len());
        metrics.extend(snapshot_metrics);
        let split: Vec<bool> = metrics.iter().map(|m| m.period.is_some() || m.by.is_some()).collect();
        let ours = |range: std::ops::Range<usize>| range.map(|i| (0u8, i, split[i])).collect::<Vec<_>>();
        let listed = |list: &Array, from: u8| {
            (0..list.length() as usize)
                .map(|i| {
                    let m = list.get(i as u32);
                    (from, i, given(&m, "period") || given(&m, "by"))
                })
                .collect::<Vec<_>>()
        };
        let groups = [listed(&lens, 1), ours(0..sales_count), listed(&theirs, 2), ours(sales_count..ours_count)];
        let order = ordered_metrics(groups, (0, ours_count, false), |m| m.2);
        metrics.push(score_metric(score));
        let ours_js: Array = to_js(&metrics)?.unchecked_into();
        let all = Array::new_with_length(order.len() as u32);
        for (k, (from, i, _)) in order.into_iter().enumerate() {
            let list = match from {
                0 => &ours_js,
                1 => &lens,
                _ => &theirs,
            };
            all.set(k as u32, list.get(i as u32));
        }
        let out = to_js(&report)?;
        for (key, value) in [("metrics", all.into()), ("quality", quality), ("revops", revops)] {
            Reflect::set(&out, &JsValue::from_str(key), &value).map_err(|_| js_error("SERIALIZE", "the report"))?;
        }
        Ok(out)
    }

    /// The report, with the company side computed here after the SalesOps side: when the other
    /// worker could not give it (it stopped, or ran out of memory).
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn alone(self) -> Result<JsValue, JsValue> {
        let mut report = self.apart.finish_alone(&self.options);
        report.files_not_read = self.not_read;
        to_js(&report)
    }
}

/// What [`forecast`] takes besides the series.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ForecastOptions {
    horizon: Option<usize>,
    season_length: Option<usize>,
    seed: Option<u64>,
    backtest_origins: Option<usize>,
}

/// Forecasts an equally spaced series (oldest first) with the automatic model choice of
/// [`auto_forecast`]. Point forecasts, intervals and fitted values come back as `Float64Array`s.
#[wasm_bindgen(unchecked_return_type = "ForecastResult")]
pub fn forecast(
    series: &[f64],
    #[wasm_bindgen(unchecked_param_type = "ForecastOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let opts: ForecastOptions = parse_options(options)?;
    let defaults = TsOptions::default();
    let ts = TsOptions {
        seed: opts.seed.unwrap_or(defaults.seed),
        backtest_origins: opts.backtest_origins.unwrap_or(defaults.backtest_origins),
    };
    let horizon = opts.horizon.ok_or_else(|| js_error("BAD_OPTIONS", "options.horizon is required"))?;
    let season_length = opts.season_length.unwrap_or(12);
    let f = auto_forecast(series, season_length, horizon, &ts).map_err(forecast_error)?;
    let column = |pick: fn(&crate::forecast::ForecastPoint) -> f64| -> JsValue {
        let values: Vec<f64> = f.forecast.iter().map(pick).collect();
        js_sys::Float64Array::from(values.as_slice()).into()
    };
    let out = js_sys::Object::new();
    let set = |key: &str, value: &JsValue| {
        // Setting properties on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&out, &JsValue::from_str(key), value);
    };
    set("model", &JsValue::from_str(&f.model));
    set("reason", &JsValue::from_str(&f.reason));
    set("mean", &column(|p| p.value));
    set("lo80", &column(|p| p.lo80));
    set("hi80", &column(|p| p.hi80));
    set("lo95", &column(|p| p.lo95));
    set("hi95", &column(|p| p.hi95));
    set("fitted", &js_sys::Float64Array::from(f.fitted.as_slice()).into());
    set("backtest", &to_js_small(&f.backtest)?);
    set("candidates", &to_js_small(&f.candidates)?);
    Ok(out.into())
}

/// What [`to_sql`] takes: the dialect, the as-of date and the calendar.
#[cfg(feature = "sql")]
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SqlRequest {
    dialect: Option<crate::sql::Dialect>,
    as_of: Option<String>,
    grain: Option<crate::metrics::periods::Grain>,
    fiscal_year_start_month: Option<u32>,
}

/// The SalesOps metric definitions as one SQL query over the canonical `deals` table (see
/// [`crate::sql`]): `{ dialect?: "duckdb" | "spark" | "bigquery" | "snowflake", as_of: "YYYY-MM-DD",
/// grain?, fiscal_year_start_month? }`.
#[cfg(feature = "sql")]
#[wasm_bindgen(js_name = toSql)]
pub fn to_sql(#[wasm_bindgen(unchecked_param_type = "SqlOptions")] options: JsValue) -> Result<String, JsValue> {
    let req: SqlRequest = parse_options(options)?;
    let as_of = req.as_of.ok_or_else(|| js_error("BAD_OPTIONS", "options.as_of (YYYY-MM-DD) is required"))?;
    let fiscal = req.fiscal_year_start_month.unwrap_or(1);
    if !(1..=12).contains(&fiscal) {
        return Err(js_error("BAD_OPTIONS", "options.fiscal_year_start_month is a month number 1–12"));
    }
    let calendar =
        crate::metrics::periods::Calendar { grain: req.grain.unwrap_or_default(), fiscal_year_start_month: fiscal };
    crate::sql::metrics_sql(&crate::sql::SqlOptions {
        dialect: req.dialect.unwrap_or(crate::sql::Dialect::Duckdb),
        as_of,
        calendar,
        retention_months: crate::metrics::revenue::RevenueOptions::default().retention_months,
    })
    .map_err(|e| js_error("BAD_AS_OF", &e.to_string()))
}

/// The embedded sample company's exports: `[{ name, kind, bytes: Uint8Array }]`.
#[wasm_bindgen(js_name = sampleFiles, unchecked_return_type = "SampleFile[]")]
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

/// Does nothing, so that calling it runs wasm-bindgen's call guard, which re-instantiates the
/// module if a panic scheduled it. The generated glue of an export with arguments copies them
/// into the (old, poisoned) memory before its guard runs; the package's JS calls this first.
#[wasm_bindgen(js_name = __restartIfPanicked, skip_typescript)]
pub fn restart_if_panicked() {}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn web_log(message: &str);
    /// The clock of `options.timings` (milliseconds; in pages, workers and Node alike).
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Internal: panics on purpose, to prove (in tests) that the module recovers; never call it.
#[wasm_bindgen(js_name = __selfTestPanic, skip_typescript)]
pub fn self_test_panic() {
    panic!("self-test panic");
}

/// TypeScript declarations of the binding's own shapes (inputs, forecast result, error codes)
/// and the package's names for some generated types.
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("wasm_types.d.ts");
