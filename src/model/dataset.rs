//! The dataset: every record a user dropped in, joined, with the earlier exports of its deals
//! when several exports of the same deals were given (snapshots).

use super::day::{Day, NO_DAY};
use super::records::{Deals, Leads, OtherIncome, Quotas, RevenueLines, Spend, StageChanges, Status};

/// Everything a user dropped in, joined.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// File names, indexed by [`Origin::file`](super::Origin::file).
    pub files: Vec<String>,
    pub deals: Deals,
    pub leads: Leads,
    pub stage_changes: StageChanges,
    pub revenue_lines: RevenueLines,
    pub spend: Spend,
    pub quotas: Quotas,
    pub other_income: OtherIncome,
    /// Exports of the same deals taken on different dates: `deals` is the latest of them, the
    /// earlier ones are kept here (empty when the deals come from one export).
    pub snapshots: Snapshots,
}

/// How a snapshot's date was found.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotDateSource {
    /// Given by the user (`--snapshot-date FILE=DATE`, option `snapshot_dates`).
    Given,
    /// A date in the file's name (`…-2026-11-30.csv`, Salesforce's `report<epoch ms>.csv`).
    FileName,
    /// A "Generated …" line in the file (a report's header or footer).
    GeneratedLine,
    /// None of those: the latest event (creation, close, stage change) in the file.
    LatestEvent,
}

/// One export of the deals: its file, its date and how that date was found.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SnapshotInfo {
    pub file: String,
    pub date: String,
    #[serde(skip)]
    pub day: Day,
    pub date_source: SnapshotDateSource,
    /// Rows (deals) in the export.
    pub deals: usize,
}

/// The deals exports that are snapshots of one pipeline, oldest first.
#[derive(Clone, Debug, Default)]
pub struct Snapshots {
    /// Every snapshot, oldest first; the last is the one in [`Dataset::deals`].
    pub list: Vec<SnapshotInfo>,
    /// The deals of every snapshot but the last, in the order of `list`.
    pub earlier: Vec<Deals>,
}

impl Snapshots {
    pub fn is_empty(&self) -> bool {
        self.earlier.is_empty()
    }
}

impl Dataset {
    /// The latest event date in the data: the default as-of date (SPEC §3).
    ///
    /// Open deals' close dates are intentions, not events, so they do not count; nor do
    /// subscription end dates in the future of every other event.
    pub fn latest_event_day(&self) -> Option<Day> {
        let d = &self.deals;
        let deal_days = (0..d.len()).flat_map(|i| {
            let close = if d.status[i] == Status::Open { NO_DAY } else { d.close[i] };
            [d.created[i], close]
        });
        let l = &self.leads;
        let lead_days = (0..l.len()).flat_map(|i| [l.created[i], l.mql[i], l.sql[i], l.opportunity[i], l.customer[i]]);
        let days = deal_days
            .chain(lead_days)
            .chain(self.stage_changes.at.iter().copied())
            .chain(self.revenue_lines.start.iter().copied())
            .chain(self.other_income.date.iter().copied())
            .filter(|&day| day != NO_DAY);
        days.max()
    }
}
