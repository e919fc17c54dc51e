//! Deterministic sample CRM exports (the sample the page opens on and `revlens sample` writes).
//!
//! [`generate`] invents one coherent B2B SaaS company and writes the files its revenue team
//! would export: a Salesforce opportunity report, the Salesforce opportunity stage history, a
//! HubSpot contacts export, a billing system's subscriptions, a spend sheet, a quota sheet and
//! a finance ledger of other income. The files agree with each other (same opportunity ids,
//! same account names, lead dates that end at the deal they created, subscriptions that start
//! when a deal is won, ...), so every SalesOps and RevOps metric of the spec has something to
//! compute.
//!
//! The output is a pure function of [`SampleOptions`]: no clock, no I/O, no crates, and no
//! transcendental `libm` calls (only `+ - * / sqrt floor`, which IEEE 754 fixes bit for bit),
//! so the native CLI and the wasm build produce the same bytes.

mod bytes;
mod calendar;
mod company;
mod exports;
mod random;
mod vocabulary;

#[cfg(test)]
mod tests;

use bytes::*;
use calendar::*;
use company::*;
use random::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use vocabulary::*;

// ------------------------------------------------------------------------------------------
// Public API
// ------------------------------------------------------------------------------------------

/// How much sample data to generate, and from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SampleOptions {
    /// Approximate number of data rows in `salesforce_opportunities.csv`; every other file
    /// scales with it (leads ≈ 8 × deals).
    pub deals: usize,
    /// Seed of the pseudo-random generator.
    pub seed: u64,
    /// Weekly exports of the opportunities before the latest (`salesforce_opportunities-
    /// YYYY-MM-DD.csv`, 7, 14, … days before the as-of date): snapshots of the pipeline.
    pub snapshots: usize,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions { deals: 600, seed: 42, snapshots: 3 }
    }
}

/// One generated export file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleFile {
    /// File name, e.g. `salesforce_opportunities.csv`.
    pub name: String,
    /// Informational kind: `deals`, `stage_history`, `leads`, `revenue_lines`, `spend`,
    /// `quotas` or `other_income`.
    pub kind: &'static str,
    /// The file content (UTF-8, no BOM).
    pub bytes: Vec<u8>,
}

/// Generates the sample exports of one invented company; deterministic for `(deals, seed)`.
///
/// # The company
///
/// A B2B SaaS vendor; the reporting window runs from 2024-01-01 to the as-of date
/// **2026-06-30**, the latest event date anywhere in the data (deal creations, stage changes,
/// closed deals, lead dates, subscription starts/ends, ledger lines; only the *expected* close
/// dates of open deals and the quotas of the next quarter lie after it). The company already
/// sold in 2023: the deals still open on 2024-01-01 were created then, and billing reaches back
/// to the subscriptions of the 2023 customers, so MRR, renewals and bookings do not start from
/// zero. Eight owners in three regions (Jon Smith, Maria Garcia, Emily Johnson: North America;
/// Sophie Martin, Lukas Weber, Aisha Khan: EMEA; David Chen, Kenji Tanaka: APAC) with
/// different win rates, deal sizes and volumes. Deal creation grows about 1.9× over the
/// window with more deals created in September–November; won New Business deals close more
/// often at quarter ends and most in Q4, some January closes are pulled into December and Q4
/// deals are larger, so bookings grow and peak every Q4. Win decisions use error diffusion
/// (each deal still wins with its own probability on average) so that even the default sample
/// shows that shape instead of noise. New Business deals come from seven lead sources with
/// different win rates (≈ 20 %; Existing Business ≈ 35 %, Renewal ≈ 80 %, overall ≈ 30 %);
/// won ones become customers with a subscription (MRR = amount / 12); won "Existing Business"
/// deals add a subscription (expansion); every customer meets a "Renewal" deal (amount = its
/// ARR) before each anniversary: a lost renewal cancels all its subscriptions on the
/// anniversary (churn), some won renewals drop one add-on subscription (contraction), and a
/// couple of churned customers are won back later by a new New Business deal (reactivation,
/// same Customer ID, new subscription). Leads (exactly 8 × `deals`, created in the window)
/// move lead → MQL → SQL → opportunity → customer with realistic drop-off; each New Business
/// deal except win-backs has one contact whose "Became an Opportunity Date" is the deal's
/// creation time and whose "Associated Deal" is the opportunity id (contacts created before
/// 2024 are not exported). Spend is about 1.3 × the new-business bookings (CAC payback
/// ≈ 20 months at 80 % gross margin), split Marketing 45 % / Sales 55 % plus commissions.
///
/// # Deliberate data-quality problems (all in `salesforce_opportunities.csv`)
///
/// Injected once each (the owner variant twice) when `deals` is large enough (≈ 150 or more;
/// smaller samples carry those for which a candidate deal exists):
///
/// 1. **Exact duplicate row**: one Closed Won New Business row appears twice, the copy directly
///    below the original (same id, every field equal).
/// 2. **Won with zero amount**: one Closed Won New Business deal has `Amount` `0.00` (and
///    `0.0` in its Closed Won history row); billing still has its real subscription.
/// 3. **Close date before created date**: one Closed Lost New Business deal has a `Close Date`
///    3–20 days before its `Created Date` (its history rows stay chronological; their
///    CLOSEDATE carries the same bad date).
/// 4. **Owner name variants**: one row has owner `jon smith` and another `Jon  Smith` (two
///    spaces) instead of `Jon Smith`.
/// 5. **Open deal without close date**: one open deal (Qualification or Needs Analysis) has
///    an empty `Close Date` (and empty CLOSEDATE in its history).
/// 6. **Unparseable amount**: one open New Business deal has `Amount` `n/a` — the row must be
///    rejected by ingest (its history rows carry the real amount).
/// 7. **Probability inconsistent with status**: one Closed Lost deal has probability `100`.
/// 8. **Won deal of an account without a customer record**: one Closed Won "Existing
///    Business" deal belongs to an account that appears in no subscription (and in no other
///    deal).
///
/// Everything else is clean: unique ids, won = 100 / lost = 0 / open = stage default
/// probability, amounts ≥ 1,500 except the zero one, close ≥ created + 7 days, canonical owner
/// names, one account name per account. Open deals whose close date lies before the as-of date
/// (past due, ≈ 15–20 % of open deals) are a normal pipeline fact, not an injected error.
pub fn generate(opts: &SampleOptions) -> Vec<SampleFile> {
    let world = World::build(opts);
    world.files()
}
