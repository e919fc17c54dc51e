//! revlens: CRM exports in, SalesOps and RevOps views out — privately, in the browser.
//!
//! Layers (each uses only those below it): [`model`] ← [`ingest`] ← [`metrics`],
//! [`quality`] ← [`report`] ← the `wasm` binding and the `revlens` CLI.

pub mod forecast;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod quality;
pub mod report;
pub mod sample;
pub mod sql;
pub mod timings;
pub mod work;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
