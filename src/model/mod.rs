//! Canonical records, stored column by column.
//!
//! The model knows no file format. Each kind of record (deals, leads, stage changes,
//! revenue lines, spend, quotas, other income) is a struct of columns: amounts as `f64`
//! (NaN when missing), dates as day numbers ([`Day`], [`NO_DAY`] when missing), and the
//! repetitive text (owner, stage, account, …) interned as [`Sym`] codes. Free text that is
//! unique per row (ids, names) lives in one arena per column ([`TextColumn`]), so a million
//! rows cost a handful of allocations, not millions.
//!
//! [`Deal`] and friends are borrowed row views for code that wants a record at a time.
//!
//! The room holds the columnar storage apart from the records:
//! - storage: day numbers ([`Day`]); [`Codes`] as narrow as a dictionary; [`SymbolColumn`]s with
//!   their hash index; [`TextColumn`]s; the short texts' cache ([`ShortTexts`]); the tags and the
//!   first-seen table that find repeated keys; which deal each history row is about
//!   ([`HistoryDeals`]);
//! - records: [`Deals`], [`Leads`], [`StageChanges`], [`RevenueLines`], [`Spend`], [`Quotas`],
//!   [`OtherIncome`], and the [`Dataset`] joining them.
//!
//! Everything is re-exported here: code outside the room names `crate::model::X`.

mod codes;
mod dataset;
mod day;
mod first_seen;
mod hash;
mod history_deals;
mod records;
mod short;
mod symbols;
mod text;
pub mod wire;

pub use codes::*;
pub use dataset::*;
pub use day::*;
pub(crate) use first_seen::later_copies;
pub(crate) use hash::{hash_text, tag_of, tag_of_key};
pub use history_deals::*;
pub use records::*;
pub use short::*;
pub use symbols::*;
pub use text::*;

/// Makes room in a column for `rows` rows in all, in one allocation.
fn reserve_to<T>(column: &mut Vec<T>, rows: usize) {
    column.reserve_exact(rows.saturating_sub(column.len()));
}

/// Keeps the elements whose `keep` flag is set (elements past the end of `keep` are kept).
fn retain_by<T>(values: &mut Vec<T>, keep: &[bool]) {
    let mut flags = keep.iter();
    values.retain(|_| flags.next().copied().unwrap_or(true));
}
