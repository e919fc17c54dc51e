//! revlens: CRM exports in, SalesOps and RevOps views out — privately, in the browser.
//!
//! Layers (each uses only those below it): [`model`] ← [`ingest`] ← [`metrics`], [`quality`],
//! [`forecast`] (time series), [`pipeline`] (the pipeline forecast, over `metrics` and the series
//! forecaster) ← [`report`] ← the `wasm` binding and the `revlens` CLI. Beside them: [`sql`] (the
//! metric definitions as SQL, from `metrics`), [`sample`] (the sample company's exports, no
//! other module), [`timings`] and [`work`] (measuring the report's stages), [`limits`] (the
//! memory ceiling: how much input an analysis may read), [`sort`] (the standard library's stable
//! sort, shared by every caller in wasm: a smaller module).

pub mod forecast;
/// The fuzz targets' bodies (`fuzz/`, `tests/fuzz_corpus.rs`); not part of the API.
#[cfg(not(target_arch = "wasm32"))]
#[doc(hidden)]
pub mod fuzzing;
pub mod ingest;
pub mod limits;
pub mod message;
pub mod metrics;
pub mod model;
pub mod parallel;
pub mod pipeline;
pub mod quality;
pub mod report;
pub mod sample;
pub mod sort;
#[cfg(feature = "sql")]
pub mod sql;
pub mod timings;
pub mod work;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
