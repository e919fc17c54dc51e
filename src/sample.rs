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

use std::cmp::Reverse;
use std::collections::BinaryHeap;

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
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions { deals: 600, seed: 42 }
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

// ------------------------------------------------------------------------------------------
// Calendar (days relative to 2023-01-01, minutes relative to 2023-01-01T00:00Z)
// ------------------------------------------------------------------------------------------

const fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe as i32 - 719_468
}

/// Day 0 of the simulation: the company already sells in 2023 (a warm-up year that only shows
/// through the deals still open on 2024-01-01 and the subscriptions of earlier customers).
const START_ABS: i32 = days_from_civil(2023, 1, 1);
/// First day of the reporting window, 2024-01-01.
const HIST_START: i32 = days_from_civil(2024, 1, 1) - START_ABS;
/// The as-of date, 2026-06-30.
const ASOF_DAY: i32 = days_from_civil(2026, 6, 30) - START_ABS;
const DAYS: usize = (ASOF_DAY + 1) as usize;
const MONTHS: usize = 30;
/// Last minute of the as-of date.
const ASOF_END: u32 = (ASOF_DAY as u32 + 1) * 1440 - 1;
const NO_DAY: i32 = i32::MIN;
const NEVER: i32 = i32::MAX;
const NIL: u32 = u32::MAX;

/// (year, month, day) of a relative day.
fn civil(rel: i32) -> (i32, u32, u32) {
    let z = rel + START_ABS + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn rel_day(y: i32, m: u32, d: u32) -> i32 {
    days_from_civil(y, m, d) - START_ABS
}

fn add_years(rel: i32, k: i32) -> i32 {
    let (y, m, d) = civil(rel);
    let d = if m == 2 && d == 29 { 28 } else { d };
    rel_day(y + k, m, d)
}

/// Months since 2024-01 of a relative day (0 for earlier days).
fn month_index(rel: i32) -> usize {
    let (y, m, _) = civil(rel);
    ((y - 2024) * 12 + m as i32 - 1).max(0) as usize
}

fn month_start(index: usize) -> i32 {
    rel_day(2024 + (index / 12) as i32, (index % 12) as u32 + 1, 1)
}

/// 0 = Sunday.
fn weekday(rel: i32) -> i32 {
    (rel + START_ABS + 4).rem_euclid(7)
}

// ------------------------------------------------------------------------------------------
// Pseudo-random numbers (SplitMix64) and deterministic floating point helpers
// ------------------------------------------------------------------------------------------

#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [0, n); 0 when n = 0.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in [lo, hi] (inclusive); `lo` when `hi < lo`.
    fn between(&mut self, lo: i32, hi: i32) -> i32 {
        if hi <= lo {
            lo
        } else {
            lo + self.below((hi - lo) as u64 + 1) as i32
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Approximately standard normal (Irwin–Hall of four uniforms, bounded at ±3.46).
    fn normal(&mut self) -> f64 {
        (self.unit() + self.unit() + self.unit() + self.unit() - 2.0) * SQRT_3
    }

    fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * det_exp(sigma * self.normal())
    }

    fn weighted(&mut self, w: &[f64]) -> usize {
        let total: f64 = w.iter().sum();
        let mut x = self.unit() * total;
        for (i, &wi) in w.iter().enumerate() {
            if x < wi {
                return i;
            }
            x -= wi;
        }
        w.len() - 1
    }

    /// A duration in minutes, log-normal around `median_days`, at most `max_days`.
    fn gap(&mut self, median_days: f64, max_days: f64) -> u32 {
        (self.lognormal(median_days, 0.8).min(max_days) * 1440.0) as u32
    }
}

const SQRT_3: f64 = 1.732_050_807_568_877_2;

fn mix(a: u64, b: u64) -> u64 {
    Rng(a ^ b.wrapping_mul(0xD1B5_4A32_D192_ED03).rotate_left(23)).next_u64()
}

/// `exp` from basic IEEE operations only, so results are identical on every platform.
fn det_exp(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    let k = (x * std::f64::consts::LOG2_E).floor();
    let r = x - k * std::f64::consts::LN_2;
    // Horner form of the Taylor series on [0, ln 2): relative error below 1e-14.
    let mut sum = 1.0;
    for &c in INV_N.iter().rev() {
        sum = 1.0 + r * c * sum;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

const INV_N: [f64; 15] = [
    1.0,
    1.0 / 2.0,
    1.0 / 3.0,
    1.0 / 4.0,
    1.0 / 5.0,
    1.0 / 6.0,
    1.0 / 7.0,
    1.0 / 8.0,
    1.0 / 9.0,
    1.0 / 10.0,
    1.0 / 11.0,
    1.0 / 12.0,
    1.0 / 13.0,
    1.0 / 14.0,
    1.0 / 15.0,
];

/// Once `done` rows of `total` are written, reserves what the rows so far predict for the
/// rest, so large files grow without repeated reallocation.
fn reserve_rest(b: &mut Vec<u8>, done: usize, total: usize) {
    if done > 0 && total > done {
        let rest = (b.len() / done + 1) * (total - done);
        b.reserve(rest + rest / 32);
    }
}

/// Rows written before [`reserve_rest`] sizes the buffer.
const PROBE_ROWS: usize = 2048;

// ------------------------------------------------------------------------------------------
// The company's vocabulary
// ------------------------------------------------------------------------------------------

const STAGES: [&str; 7] = [
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
];
const STAGE_PROB: [u8; 7] = [10, 20, 40, 60, 80, 100, 0];
const STAGE_PROB_DL: [&str; 7] = ["10.0", "20.0", "40.0", "60.0", "80.0", "100.0", "0.0"];
const WON: u8 = 5;
const LOST: u8 = 6;
/// Outcome marker for paths of deals still open at the as-of date.
const OPEN: u8 = 7;

const FORECAST: [&str; 5] = ["Pipeline", "Best Case", "Commit", "Closed", "Omitted"];
const FC_PIPELINE: u8 = 0;
const FC_BEST: u8 = 1;
const FC_COMMIT: u8 = 2;
const FC_CLOSED: u8 = 3;
const FC_OMITTED: u8 = 4;

const TYPES: [&str; 3] = ["New Business", "Existing Business", "Renewal"];
const NB: u8 = 0;
const EB: u8 = 1;
const REN: u8 = 2;

const PRODUCTS: [&str; 6] =
    ["Starter", "Professional", "Enterprise", "Analytics Add-on", "Premium Support", "Additional Seats"];
/// Yearly probability that a customer on this plan does not renew.
const CHURN_Q: [f64; 3] = [0.22, 0.13, 0.07];

const REGIONS: [&str; 3] = ["EMEA", "North America", "APAC"];
/// Working hours in UTC minutes (start, length) per region.
const REGION_WINDOW: [(u32, u32); 3] = [(420, 600), (810, 570), (30, 570)];

struct Owner {
    name: &'static str,
    region: usize,
    win: f64,
    size: f64,
    volume: f64,
    quota: f64,
}

#[rustfmt::skip]
const OWNERS: [Owner; 8] = [
    Owner { name: "Jon Smith", region: 1, win: 1.15, size: 1.10, volume: 1.25, quota: 1.15 },
    Owner { name: "Maria Garcia", region: 1, win: 1.00, size: 1.00, volume: 1.10, quota: 1.05 },
    Owner { name: "Emily Johnson", region: 1, win: 0.78, size: 0.90, volume: 1.00, quota: 1.00 },
    Owner { name: "Sophie Martin", region: 0, win: 1.30, size: 1.05, volume: 0.95, quota: 1.00 },
    Owner { name: "Lukas Weber", region: 0, win: 0.90, size: 1.18, volume: 0.90, quota: 1.00 },
    Owner { name: "Aisha Khan", region: 0, win: 1.05, size: 0.95, volume: 0.85, quota: 0.90 },
    Owner { name: "David Chen", region: 2, win: 0.70, size: 0.85, volume: 0.90, quota: 0.95 },
    Owner { name: "Kenji Tanaka", region: 2, win: 1.00, size: 1.00, volume: 0.80, quota: 0.85 },
];

const SOURCES: [&str; 7] = ["Web", "Paid Search", "Event", "Webinar", "Partner", "Outbound", "Referral"];
const SRC_OUTBOUND: u8 = 5;
const SRC_REFERRAL: u8 = 6;
const NB_SOURCE_W: [f64; 7] = [22.0, 18.0, 10.0, 10.0, 12.0, 18.0, 10.0];
const EB_SOURCE_W: [f64; 7] = [0.0, 0.0, 15.0, 20.0, 0.0, 50.0, 15.0];
const SOURCE_WIN: [f64; 7] = [0.95, 0.75, 1.10, 0.90, 1.40, 0.70, 1.60];
const SOURCE_SIZE: [f64; 7] = [0.90, 0.85, 1.15, 0.95, 1.20, 1.10, 1.00];

const HS_SOURCES: [&str; 8] = [
    "Organic Search",
    "Paid Search",
    "Paid Social",
    "Direct Traffic",
    "Referrals",
    "Offline Sources",
    "Email Marketing",
    "Social Media",
];
/// Mix of HubSpot sources among leads that never became opportunities.
const HS_LEAD_W: [f64; 8] = [24.0, 18.0, 14.0, 12.0, 8.0, 12.0, 8.0, 4.0];
/// Relative funnel conversion of a HubSpot source.
const HS_QUALITY: [f64; 8] = [1.1, 0.9, 0.6, 1.0, 1.6, 1.2, 0.9, 0.7];
const LIFECYCLE: [&str; 5] = ["lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer"];

/// Leads per deal row.
const LEADS_PER_DEAL: usize = 8;
/// Share of deal rows created by the "new deal" stream; the rest are renewals and win-backs.
const SLOT_FRACTION: f64 = 0.815;

/// Win odds of a New Business deal by the calendar month it would close in.
const CLOSE_SEASON: [f64; 12] = [0.9, 0.9, 1.0, 0.95, 0.95, 1.05, 0.9, 0.9, 1.05, 1.1, 1.15, 1.3];

/// Seasonal factor of deal and lead creation by calendar month.
const SEASON: [f64; 12] = [0.9, 0.95, 1.0, 0.95, 0.95, 1.0, 0.9, 0.9, 1.05, 1.15, 1.15, 1.0];

#[rustfmt::skip]
const ROOTS: [&str; 80] = [
    "Blue Canyon", "Northwind", "Summit", "Ironwood", "Brightline", "Cedar Point", "Harborview",
    "Keystone", "Silver Birch", "Redwood", "Granite Peak", "Evergreen", "Lakeshore", "Pinnacle",
    "Bluewater", "Oakridge", "Crescent", "Highland", "Riverbend", "Stonebridge", "Sunrise",
    "Westfield", "Eastgate", "Maple Leaf", "Falcon", "Orion", "Vertex", "Nimbus", "Helix",
    "Quantum", "Atlas", "Beacon", "Cobalt", "Driftwood", "Emerald", "Fjord", "Golden Gate",
    "Horizon", "Juniper", "Kestrel", "Lumen", "Meridian", "Northstar", "Obsidian", "Polaris",
    "Quarry", "Rainier", "Sequoia", "Tidewater", "Uplands", "Valiant", "Willow Creek", "Zephyr",
    "Alder", "Bramble", "Coral Bay", "Delta", "Ember", "Foxglove", "Glacier", "Hawthorn",
    "Indigo", "Jasper", "Kingfisher", "Larkspur", "Monarch", "Nova", "Osprey", "Prairie",
    "Quill", "Rosewood", "Sapphire", "Thornbury", "Umber", "Vantage", "Wavecrest",
    "Yellowstone", "Zenith", "Arcadia", "Bristol",
];
#[rustfmt::skip]
const NOUNS: [&str; 60] = [
    "Analytics", "Logistics", "Health", "Robotics", "Foods", "Energy", "Software", "Labs",
    "Capital", "Media", "Manufacturing", "Retail", "Insurance", "Biotech", "Freight",
    "Learning", "Hospitality", "Security", "Telecom", "Design", "Consulting", "Materials",
    "Dynamics", "Networks", "Pharma", "Outdoors", "Motors", "Apparel", "Construction",
    "Financial", "Marine", "Aerospace", "Bakeries", "Clinics", "Realty", "Studios", "Systems",
    "Data", "Cloud", "Payments", "Travel", "Farms", "Water", "Solar", "Brewing", "Textiles",
    "Legal", "Dental", "Fitness", "Games", "Publishing", "Chemicals", "Packaging", "Staffing",
    "Semiconductors", "Audio", "Optics", "Mobility", "Interiors", "Supply",
];
const QUALIFIERS: [&str; 10] = [
    " Global",
    " International",
    " Holdings",
    " Partners",
    " Solutions",
    " Technologies",
    " Digital",
    " Worldwide",
    " Ventures",
    " Industries",
];
const SUFFIXES: [[&str; 5]; 3] = [
    [" Ltd", " GmbH", " plc", " AG", " B.V."],
    [" Inc.", ", Inc.", " LLC", " Corp.", ", LLC"],
    [" Pty Ltd", " Pte. Ltd.", " K.K.", " Ltd", " Co., Ltd."],
];
#[rustfmt::skip]
const FIRST_NAMES: [&str; 50] = [
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Oliver", "Sophia", "Elijah", "Isabella", "James",
    "Mia", "William", "Amelia", "Benjamin", "Harper", "Lucas", "Evelyn", "Henry", "Abigail",
    "Alexander", "Hannah", "Daniel", "Chloe", "Matthew", "Grace", "Samuel", "Zoe", "David",
    "Nora", "Joseph", "Lily", "Carlos", "Ana", "Mateo", "Lucia", "Hiroshi", "Yuki", "Wei",
    "Mei", "Arjun", "Ananya", "Fatima", "Omar", "Lars", "Ingrid", "Pierre", "Camille", "Giulia",
    "Marco", "Sean",
];
#[rustfmt::skip]
const LAST_NAMES: [&str; 50] = [
    "Brown", "Wilson", "Taylor", "Anderson", "Thomas", "Moore", "Jackson", "White", "Harris",
    "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Lopez", "Hill", "Scott",
    "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips",
    "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "O'Brien",
    "Murphy", "Cook", "Rogers", "Nakamura", "Suzuki", "Wang", "Li", "Sharma", "Gupta", "Rossi",
    "Dubois", "Schmidt", "Johansson", "Novak",
];

// ------------------------------------------------------------------------------------------
// Records of the simulation
// ------------------------------------------------------------------------------------------

const F_DUP: u16 = 1;
const F_ZERO: u16 = 2;
const F_NA: u16 = 4;
const F_OWNER_CASE: u16 = 8;
const F_OWNER_SPACE: u16 = 16;
const F_BACKDATED: u16 = 32;
const F_ORPHAN: u16 = 64;
const F_WINBACK: u16 = 128;
const F_NO_CLOSE: u16 = 256;
const F_PROB: u16 = 512;
/// Flags that make a deal unusable as a candidate for another injected problem.
const F_SPECIAL: u16 =
    F_DUP | F_ZERO | F_NA | F_OWNER_CASE | F_OWNER_SPACE | F_BACKDATED | F_ORPHAN | F_WINBACK | F_NO_CLOSE | F_PROB;

#[derive(Clone, Copy)]
struct Deal {
    /// Seed of the deal's own random choices (history path, lead, forecast category).
    seed: u64,
    /// Creation minute.
    created: u32,
    /// Day the deal closed (closed deals) or is planned to close (open deals).
    end: i32,
    /// The `Close Date` field (`NO_DAY` = empty).
    close: i32,
    /// Whole dollars.
    amount: u32,
    account: u32,
    flags: u16,
    owner: u8,
    stage: u8,
    kind: u8,
    source: u8,
    product: u8,
    fc: u8,
    prob: u8,
}

impl Deal {
    fn created_day(&self) -> i32 {
        (self.created / 1440) as i32
    }
    fn is_open(&self) -> bool {
        self.stage < WON
    }
    fn outcome(&self) -> u8 {
        if self.is_open() {
            OPEN
        } else {
            self.stage
        }
    }
}

#[derive(Clone, Copy)]
struct Account {
    owner: u8,
}

struct Customer {
    account: u32,
    owner: u8,
    plan: u8,
    start: i32,
    /// Anniversary whose renewal is lost (`NEVER` = renews for ever).
    churn: i32,
    churn_k: i32,
    churned: bool,
    first_sub: u32,
    last_sub: u32,
}

struct Sub {
    customer: u32,
    plan: u8,
    start: i32,
    end: i32,
    /// Cents.
    mrr: u64,
    next: u32,
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Event {
    at: u32,
    kind: u8,
    a: u32,
    b: u32,
}
const EV_ACTIVATE: u8 = 0;
const EV_PROSPECT: u8 = 1;
const EV_RENEWAL: u8 = 2;

/// Indices (into the sorted deal list) of the injected problems.
#[derive(Default, Debug)]
#[cfg_attr(not(test), allow(dead_code))]
struct Problems {
    duplicate: Option<usize>,
    zero_amount: Option<usize>,
    backdated: Option<usize>,
    owner_case: Option<usize>,
    owner_space: Option<usize>,
    no_close: Option<usize>,
    amount_na: Option<usize>,
    prob_lost_100: Option<usize>,
    orphan: Option<usize>,
}

/// Cumulative creation weights per day from day `from` to the as-of date, for stratified
/// sampling of creation times.
struct Cdf {
    from: i32,
    w: Vec<f64>,
    cum: Vec<f64>,
}

impl Cdf {
    fn new(from: i32) -> Cdf {
        let mut w = Vec::with_capacity(DAYS);
        let mut cum = Vec::with_capacity(DAYS);
        let mut acc = 0.0;
        for d in from..DAYS as i32 {
            let (_, m, _) = civil(d);
            let growth = 0.8 + 1.5 * f64::from(d) / DAYS as f64;
            let wd = weekday(d);
            let weekend = if wd == 0 || wd == 6 { 0.12 } else { 1.0 };
            let x = growth * SEASON[m as usize - 1] * weekend;
            acc += x;
            w.push(x);
            cum.push(acc);
        }
        Cdf { from, w, cum }
    }

    fn total(&self) -> f64 {
        self.cum[self.cum.len() - 1]
    }

    /// The day holding cumulative weight `x`, and the position inside that day in [0, 1).
    fn locate(&self, x: f64) -> (i32, f64) {
        let d = self.cum.partition_point(|&c| c <= x).min(self.cum.len() - 1);
        let frac = (x - (self.cum[d] - self.w[d])) / self.w[d];
        (d as i32 + self.from, frac.clamp(0.0, 0.999_999))
    }
}

/// One step of error diffusion: adds `p` to `acc` and reports (and removes) a whole unit.
fn diffuse(acc: &mut f64, p: f64) -> bool {
    *acc += p;
    if *acc >= 1.0 {
        *acc -= 1.0;
        true
    } else {
        false
    }
}

fn work_minute(r: &mut Rng, region: usize) -> u32 {
    let (start, len) = REGION_WINDOW[region];
    start + r.below(u64::from(len)) as u32
}

fn round_amount(x: f64) -> u32 {
    let step = if x < 10_000.0 {
        100.0
    } else if x < 50_000.0 {
        500.0
    } else {
        1000.0
    };
    ((x / step + 0.5).floor() * step) as u32
}

fn plan_for(amount: u32) -> u8 {
    if amount < 12_000 {
        0
    } else if amount < 45_000 {
        1
    } else {
        2
    }
}

fn mrr_cents(amount: u32) -> u64 {
    (u64::from(amount) * 100 + 6) / 12
}

// ------------------------------------------------------------------------------------------
// Stage history of one deal
// ------------------------------------------------------------------------------------------

struct Path {
    stage: [u8; 7],
    at: [u32; 7],
    len: usize,
    /// Entries before this index carry `est_amount` instead of the final amount.
    est_until: usize,
    est_amount: u32,
}

/// The stages a deal entered and when; `outcome` is `WON`, `LOST` or `OPEN` (then the path is
/// the planned one cut at the as-of date).
fn deal_path(d: &Deal, outcome: u8) -> Path {
    let mut r = Rng(d.seed);
    let top: u8 = if outcome == LOST { r.weighted(&[30.0, 30.0, 20.0, 12.0, 8.0]) as u8 } else { 4 };
    let first: u8 = if top >= 1 && r.chance(0.2) { 1 } else { 0 };
    let mut p = Path { stage: [0; 7], at: [0; 7], len: 0, est_until: 0, est_amount: 0 };
    p.stage[0] = first;
    p.len = 1;
    for s in first + 1..top {
        if r.chance(0.8) {
            p.stage[p.len] = s;
            p.len += 1;
        }
    }
    if top > first {
        p.stage[p.len] = top;
        p.len += 1;
    }
    let mids = p.len - 1;
    if outcome == WON || outcome == LOST {
        p.stage[p.len] = outcome;
        p.len += 1;
    }
    // Times: the first entry at creation, the middle ones spread over the cycle, the terminal
    // one on the close day.
    let region = OWNERS[d.owner as usize].region;
    let created_day = d.created_day();
    let span = (d.end - created_day).max(1);
    let mut fr = [0.0f64; 6];
    for f in fr.iter_mut().take(mids) {
        *f = r.unit();
    }
    fr[..mids].sort_by(|a, b| a.total_cmp(b));
    p.at[0] = d.created;
    for i in 1..p.len {
        let day = if i <= mids { created_day + (fr[i - 1] * f64::from(span)).floor() as i32 } else { d.end };
        let t = day as u32 * 1440 + work_minute(&mut r, region);
        p.at[i] = t.max(p.at[i - 1] + 1);
    }
    if outcome == OPEN {
        while p.len > 1 && p.at[p.len - 1] > ASOF_END {
            p.len -= 1;
        }
    }
    if r.chance(0.3) {
        let f = 0.7 + 0.6 * r.unit();
        p.est_amount = round_amount(f64::from(d.amount) * f).max(1000);
        p.est_until = p.stage[..p.len].iter().position(|&s| s >= 3).unwrap_or(p.len);
    }
    p
}

// ------------------------------------------------------------------------------------------
// Simulation
// ------------------------------------------------------------------------------------------

struct World {
    seed: u64,
    rng: Rng,
    deals: Vec<Deal>,
    accounts: Vec<Account>,
    customers: Vec<Customer>,
    subs: Vec<Sub>,
    events: BinaryHeap<Reverse<Event>>,
    active: Vec<u32>,
    lost_pool: Vec<u32>,
    orphan_done: bool,
    /// Error-diffusion accumulators of win decisions (New Business, Existing Business): a
    /// deal wins when its probability carries the accumulator over 1, so every period wins
    /// about its expected share even in a small sample (a clear, forecastable signal) while
    /// each deal still wins with its own probability on average.
    win_acc: [f64; 2],
    problems: Problems,
    target_deals: usize,
    dates: DateFmt,
    lower: Lower,
}

impl World {
    fn empty(opts: &SampleOptions) -> World {
        let n = opts.deals;
        let mut rng = Rng(mix(opts.seed, 0x5EED_0001));
        let win_acc = [rng.unit(), rng.unit()];
        World {
            seed: opts.seed,
            rng,
            deals: Vec::with_capacity(n + n / 8 + 16),
            accounts: Vec::with_capacity(n),
            customers: Vec::with_capacity(n / 4 + 8),
            subs: Vec::with_capacity(n / 3 + 8),
            events: BinaryHeap::new(),
            active: Vec::new(),
            lost_pool: Vec::new(),
            orphan_done: false,
            win_acc,
            problems: Problems::default(),
            target_deals: n,
            dates: DateFmt::new(),
            lower: Lower::new(),
        }
    }

    fn build(opts: &SampleOptions) -> World {
        let n = opts.deals;
        let mut w = World::empty(opts);
        let in_window = Cdf::new(HIST_START).total() / Cdf::new(0).total();
        let slots = (n as f64 * SLOT_FRACTION / in_window).round() as usize;
        w.simulate(slots);
        // Renewals, win-backs and the warm-up year are not planned ahead: when they moved the
        // row count off target, simulate again with a corrected number of new-deal slots.
        let got = w.deals.len();
        if got.abs_diff(n) > (n / 50).max(2) && got > 0 {
            let slots = (slots as f64 * n as f64 / got as f64).round() as usize;
            w = World::empty(opts);
            w.simulate(slots);
        }
        // Deal order (and ids) follow creation time.
        w.deals.sort_by_key(|d| d.created);
        w.finalize();
        w.inject();
        w
    }

    /// Runs the company from 2023-01-01 to the as-of date and keeps the deals of the
    /// reporting window (created in it, or closing / still open in it).
    fn simulate(&mut self, slots: usize) {
        self.run(slots);
        self.win_backs();
        self.deals.retain(|d| d.created_day() >= HIST_START || d.end >= HIST_START);
    }

    fn run(&mut self, slots: usize) {
        let cdf = Cdf::new(0);
        let total = cdf.total();
        for i in 0..slots {
            let x = (i as f64 + self.rng.unit()) / slots as f64 * total;
            let (day, _) = cdf.locate(x);
            self.drain(day as u32 * 1440);
            let n_active = self.active.len() as f64;
            let p_eb = (0.025 * n_active).min(0.20);
            if !(self.rng.chance(p_eb) && self.expansion(day)) {
                self.new_business(day);
            }
        }
        self.drain(ASOF_END);
    }

    fn drain(&mut self, until: u32) {
        while let Some(Reverse(ev)) = self.events.peek() {
            if ev.at > until {
                break;
            }
            let Some(Reverse(ev)) = self.events.pop() else {
                break;
            };
            match ev.kind {
                EV_ACTIVATE => self.active.push(ev.a),
                EV_PROSPECT => self.lost_pool.push(ev.a),
                _ => self.renewal(ev.at, ev.a, ev.b as i32),
            }
        }
    }

    fn new_account(&mut self, owner: u8) -> u32 {
        self.accounts.push(Account { owner });
        (self.accounts.len() - 1) as u32
    }

    /// Records a deal; sets stage and close date from its outcome at the as-of date.
    fn push_deal(&mut self, mut d: Deal, won: bool) -> usize {
        d.close = d.end;
        if d.end <= ASOF_DAY {
            d.stage = if won { WON } else { LOST };
        } else {
            let p = deal_path(&d, OPEN);
            d.stage = p.stage[p.len - 1];
        }
        self.deals.push(d);
        self.deals.len() - 1
    }

    fn blank_deal(&mut self, day: i32, owner: u8, account: u32, kind: u8) -> Deal {
        let region = OWNERS[owner as usize].region;
        Deal {
            seed: self.rng.next_u64(),
            created: day as u32 * 1440 + work_minute(&mut self.rng, region),
            end: day,
            close: day,
            amount: 0,
            account,
            flags: 0,
            owner,
            stage: 0,
            kind,
            source: SRC_OUTBOUND,
            product: 0,
            fc: FC_PIPELINE,
            prob: 0,
        }
    }

    fn new_business(&mut self, day: i32) {
        let r = &mut self.rng;
        let source = r.weighted(&NB_SOURCE_W) as u8;
        let reuse = !self.lost_pool.is_empty() && r.chance(0.08);
        let (account, owner) = if reuse {
            let i = r.below(self.lost_pool.len() as u64) as usize;
            let a = self.lost_pool.swap_remove(i);
            (a, self.accounts[a as usize].owner)
        } else {
            let owner = r.weighted(&OWNERS.map(|o| o.volume)) as u8;
            (self.new_account(owner), owner)
        };
        let mut d = self.blank_deal(day, owner, account, NB);
        let r = &mut self.rng;
        let o = &OWNERS[owner as usize];
        let growth = 1.0 + 0.12 * f64::from(day - HIST_START) / 365.0;
        let mut base = r.lognormal(14_000.0 * o.size * SOURCE_SIZE[source as usize] * growth, 0.55);
        // The cycle a won deal would have; the month it would close in sets the odds
        // (quarter ends, and above all the fourth quarter, close more).
        let size = (base / 15_000.0).sqrt().sqrt();
        let won_cycle = r.lognormal(65.0 * size, 0.45).clamp(20.0, 150.0);
        let natural_month = civil(day + won_cycle as i32).1;
        let p_win = 0.19 * o.win * SOURCE_WIN[source as usize] * CLOSE_SEASON[natural_month as usize - 1];
        let won = diffuse(&mut self.win_acc[0], p_win.min(0.9));
        let cycle = if won { won_cycle } else { r.lognormal(70.0, 0.5).clamp(7.0, 150.0) };
        let mut end = day + cycle as i32;
        if won {
            // Year-end push: part of January closes are pulled into late December.
            let (_, m, dd) = civil(end);
            if m == 1 && r.chance(0.35) {
                let pulled = end - dd as i32 - r.between(0, 10);
                if pulled - day >= 20 {
                    end = pulled;
                }
            }
        }
        if civil(end).1 >= 10 {
            base *= 1.08;
        }
        d.amount = round_amount(base.clamp(2_500.0, 150_000.0));
        d.source = source;
        d.product = plan_for(d.amount);
        d.end = end;
        self.push_deal(d, won);
        if end <= ASOF_DAY {
            if won {
                self.new_customer(account, owner, d.product, end, d.amount);
            } else {
                self.events.push(Reverse(Event { at: end as u32 * 1440 + 1439, kind: EV_PROSPECT, a: account, b: 0 }));
            }
        }
    }

    fn new_customer(&mut self, account: u32, owner: u8, plan: u8, start: i32, amount: u32) {
        let c = self.customers.len() as u32;
        let q = CHURN_Q[plan as usize];
        let mut k = 1;
        while k < 12 && !self.rng.chance(q) {
            k += 1;
        }
        let (churn, churn_k) = if k >= 12 { (NEVER, 99) } else { (add_years(start, k), k) };
        self.customers.push(Customer {
            account,
            owner,
            plan,
            start,
            churn,
            churn_k,
            churned: false,
            first_sub: NIL,
            last_sub: NIL,
        });
        self.add_sub(c, plan, start, amount);
        self.events.push(Reverse(Event { at: start as u32 * 1440 + 1439, kind: EV_ACTIVATE, a: c, b: 0 }));
        self.schedule_renewal(c, 1);
    }

    fn add_sub(&mut self, c: u32, plan: u8, start: i32, amount: u32) {
        let s = self.subs.len() as u32;
        self.subs.push(Sub { customer: c, plan, start, end: NEVER, mrr: mrr_cents(amount), next: NIL });
        let cust = &mut self.customers[c as usize];
        if cust.last_sub == NIL {
            cust.first_sub = s;
        } else {
            self.subs[cust.last_sub as usize].next = s;
        }
        cust.last_sub = s;
    }

    fn schedule_renewal(&mut self, c: u32, k: i32) {
        let cust = &self.customers[c as usize];
        let anniversary = add_years(cust.start, k);
        let region = OWNERS[cust.owner as usize].region;
        let t = anniversary - self.rng.between(60, 90);
        if t <= ASOF_DAY && k <= 12 {
            let at = t as u32 * 1440 + work_minute(&mut self.rng, region);
            self.events.push(Reverse(Event { at, kind: EV_RENEWAL, a: c, b: k as u32 }));
        }
    }

    /// Annual recurring revenue (cents) of customer `c` on `day`, and one random add-on
    /// subscription active that day (`NIL` if none).
    fn arr_on(&mut self, c: u32, day: i32) -> (u64, u32) {
        let cust = &self.customers[c as usize];
        let mut arr = 0;
        let mut addon = NIL;
        let mut n_addon = 0;
        let mut s = cust.first_sub;
        while s != NIL {
            let sub = &self.subs[s as usize];
            if sub.start <= day && sub.end > day {
                arr += sub.mrr * 12;
                if s != cust.first_sub {
                    n_addon += 1;
                    if self.rng.below(n_addon) == 0 {
                        addon = s;
                    }
                }
            }
            s = sub.next;
        }
        (arr, addon)
    }

    fn renewal(&mut self, at: u32, c: u32, k: i32) {
        let day = (at / 1440) as i32;
        let (account, owner, plan, start, churn_k) = {
            let cu = &self.customers[c as usize];
            (cu.account, cu.owner, cu.plan, cu.start, cu.churn_k)
        };
        let anniversary = add_years(start, k);
        let won = k < churn_k;
        let close = if won { anniversary - self.rng.between(0, 10) } else { anniversary };
        let closed = close <= ASOF_DAY;
        let (mut arr, addon) = self.arr_on(c, day);
        if closed && won && anniversary <= ASOF_DAY && addon != NIL && self.rng.chance(0.3) {
            // Contraction: the customer renews without one add-on.
            self.subs[addon as usize].end = anniversary;
            arr -= self.subs[addon as usize].mrr * 12;
        }
        if closed && !won {
            let mut s = self.customers[c as usize].first_sub;
            while s != NIL {
                let sub = &mut self.subs[s as usize];
                if sub.end == NEVER {
                    sub.end = anniversary;
                }
                s = sub.next;
            }
            self.customers[c as usize].churned = true;
        }
        if closed && won {
            self.schedule_renewal(c, k + 1);
        }
        let d = Deal {
            seed: self.rng.next_u64(),
            created: at,
            end: close,
            close,
            amount: ((arr + 50) / 100) as u32,
            account,
            flags: 0,
            owner,
            stage: 0,
            kind: REN,
            source: SRC_OUTBOUND,
            product: plan,
            fc: FC_PIPELINE,
            prob: 0,
        };
        self.push_deal(d, won);
    }

    /// An "Existing Business" deal on a random active customer; false if there is none.
    fn expansion(&mut self, day: i32) -> bool {
        let mut tries = 0;
        let c = loop {
            if self.active.is_empty() || tries >= 6 {
                return false;
            }
            tries += 1;
            let i = self.rng.below(self.active.len() as u64) as usize;
            let c = self.active[i];
            if self.customers[c as usize].churn <= day + 45 {
                self.active.swap_remove(i);
                continue;
            }
            break c;
        };
        let (account, owner, churn) = {
            let cu = &self.customers[c as usize];
            (cu.account, cu.owner, cu.churn)
        };
        let (arr, _) = self.arr_on(c, day);
        let mut d = self.blank_deal(day, owner, account, EB);
        let r = &mut self.rng;
        let o = &OWNERS[owner as usize];
        let growth = 1.0 + 0.12 * f64::from(day - HIST_START) / 365.0;
        let median = (0.4 * arr as f64 / 100.0).max(3_000.0) * growth;
        let base = r.lognormal(median, 0.6).clamp(1_500.0, 120_000.0);
        d.amount = round_amount(base);
        d.source = r.weighted(&EB_SOURCE_W) as u8;
        d.product = 3 + r.weighted(&[40.0, 25.0, 35.0]) as u8;
        let mut won = diffuse(&mut self.win_acc[1], 0.35 * o.win.sqrt());
        let cycle =
            if won { r.lognormal(40.0, 0.4).clamp(20.0, 120.0) } else { r.lognormal(40.0, 0.6).clamp(7.0, 120.0) };
        let mut end = day + cycle as i32;
        if end >= churn - 1 {
            // The customer is leaving: the expansion is lost before the churn.
            won = false;
            end = (churn - 1).max(day + 7);
        }
        d.end = end;
        let closed_won = won && end <= ASOF_DAY;
        if closed_won && !self.orphan_done && day >= HIST_START + 400 {
            // Injected problem 8: an expansion booked on an account billing never heard of.
            self.orphan_done = true;
            d.account = self.new_account(owner);
            d.flags |= F_ORPHAN;
        } else if closed_won {
            self.add_sub(c, d.product, end, d.amount);
        }
        self.push_deal(d, won);
        true
    }

    /// A couple of churned customers come back with a new New Business deal.
    fn win_backs(&mut self) {
        let mut cands: Vec<u32> = (0..self.customers.len() as u32)
            .filter(|&c| {
                let cu = &self.customers[c as usize];
                cu.churned && cu.churn <= ASOF_DAY - 200
            })
            .collect();
        let want = (cands.len() / 40).max(2).min(cands.len());
        for i in 0..want {
            let j = i + self.rng.below((cands.len() - i) as u64) as usize;
            cands.swap(i, j);
            let c = cands[i];
            let (account, owner, churn, first_sub) = {
                let cu = &self.customers[c as usize];
                (cu.account, cu.owner, cu.churn, cu.first_sub)
            };
            let lo = (churn + 60).max(ASOF_DAY - 300);
            let day = self.rng.between(lo, ASOF_DAY - 120);
            let cycle = self.rng.between(25, 90);
            let before = self.subs[first_sub as usize].mrr as f64 * 12.0 / 100.0;
            let mut d = self.blank_deal(day, owner, account, NB);
            let base = self.rng.lognormal(0.8 * before, 0.3);
            d.amount = round_amount(base.clamp(2_500.0, 150_000.0));
            d.product = plan_for(d.amount);
            d.source = if self.rng.chance(0.5) { SRC_REFERRAL } else { SRC_OUTBOUND };
            d.end = day + cycle;
            d.flags |= F_WINBACK;
            self.push_deal(d, true);
            self.add_sub(c, d.product, d.end, d.amount);
        }
    }

    /// Probabilities, forecast categories and past-due close dates.
    fn finalize(&mut self) {
        for d in &mut self.deals {
            let mut r = Rng(mix(d.seed, 0xF1_0A11));
            d.prob = STAGE_PROB[d.stage as usize];
            let mut past_due = false;
            if d.is_open() {
                let cday = d.created_day();
                let span = ASOF_DAY - 1 - (cday + 7);
                if cday <= ASOF_DAY - 30 && span >= 0 && r.chance(0.3) {
                    d.close = ASOF_DAY - 1 - r.between(0, span.min(45));
                    past_due = true;
                }
            }
            let u = r.unit();
            d.fc = match d.stage {
                0 | 1 => FC_PIPELINE,
                2 if u < 0.25 => FC_BEST,
                2 => FC_PIPELINE,
                3 if u < 0.2 => FC_COMMIT,
                3 if u < 0.3 => FC_PIPELINE,
                3 => FC_BEST,
                4 if u < 0.8 => FC_COMMIT,
                4 => FC_BEST,
                WON => FC_CLOSED,
                _ => FC_OMITTED,
            };
            if past_due && r.chance(0.3) {
                d.fc = FC_OMITTED;
            }
        }
    }

    fn pick(&mut self, ok: impl Fn(&Deal) -> bool) -> Option<usize> {
        let in_2025 = |d: &Deal| (HIST_START + 366..HIST_START + 731).contains(&d.created_day());
        let mut c: Vec<usize> = (0..self.deals.len())
            .filter(|&i| {
                let d = &self.deals[i];
                d.flags & F_SPECIAL == 0 && in_2025(d) && ok(d)
            })
            .collect();
        if c.is_empty() {
            c = (0..self.deals.len()).filter(|&i| self.deals[i].flags & F_SPECIAL == 0 && ok(&self.deals[i])).collect();
        }
        if c.is_empty() {
            None
        } else {
            Some(c[self.rng.below(c.len() as u64) as usize])
        }
    }

    fn inject(&mut self) {
        let mut p = Problems { orphan: self.deals.iter().position(|d| d.flags & F_ORPHAN != 0), ..Problems::default() };
        let won_nb = |d: &Deal| d.kind == NB && d.stage == WON;
        p.duplicate = self.pick(won_nb);
        if let Some(i) = p.duplicate {
            self.deals[i].flags |= F_DUP;
        }
        p.zero_amount = self.pick(won_nb);
        if let Some(i) = p.zero_amount {
            self.deals[i].flags |= F_ZERO;
        }
        p.backdated = self.pick(|d| d.kind == NB && d.stage == LOST && d.created_day() >= 30);
        if let Some(i) = p.backdated {
            let back = self.rng.between(3, 20);
            let d = &mut self.deals[i];
            d.close = d.created_day() - back;
            d.flags |= F_BACKDATED;
        }
        p.owner_case = self.pick(|d| d.owner == 0 && !d.is_open());
        if let Some(i) = p.owner_case {
            self.deals[i].flags |= F_OWNER_CASE;
        }
        p.owner_space = self.pick(|d| d.owner == 0);
        if let Some(i) = p.owner_space {
            self.deals[i].flags |= F_OWNER_SPACE;
        }
        p.no_close = self.pick(|d| (1..=2).contains(&d.stage) && d.close > ASOF_DAY);
        if let Some(i) = p.no_close {
            self.deals[i].close = NO_DAY;
            self.deals[i].flags |= F_NO_CLOSE;
        }
        p.amount_na =
            self.pick(|d| d.kind == NB && d.stage == 0).or_else(|| self.pick(|d| d.kind == NB && d.is_open()));
        if let Some(i) = p.amount_na {
            self.deals[i].flags |= F_NA;
        }
        p.prob_lost_100 = self.pick(|d| d.stage == LOST);
        if let Some(i) = p.prob_lost_100 {
            self.deals[i].prob = 100;
            self.deals[i].flags |= F_PROB;
        }
        self.problems = p;
    }
}

// ------------------------------------------------------------------------------------------
// Byte writing helpers
// ------------------------------------------------------------------------------------------

fn push_uint(b: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    b.extend_from_slice(&tmp[i..]);
}

fn push_padded(b: &mut Vec<u8>, v: u64, width: usize) {
    let mut tmp = [b'0'; 20];
    let mut i = tmp.len();
    let mut v = v;
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let start = i.min(tmp.len() - width.min(tmp.len()));
    b.extend_from_slice(&tmp[start..]);
}

/// Cents as `1234.56`.
fn push_money(b: &mut Vec<u8>, cents: u64) {
    push_uint(b, cents / 100);
    b.push(b'.');
    push_padded(b, cents % 100, 2);
}

/// `M/D/YYYY`.
fn push_mdy(b: &mut Vec<u8>, day: i32) {
    let (y, m, d) = civil(day);
    push_uint(b, u64::from(m));
    b.push(b'/');
    push_uint(b, u64::from(d));
    b.push(b'/');
    push_uint(b, y as u64);
}

/// `YYYY-MM-DD`.
fn push_iso(b: &mut Vec<u8>, day: i32) {
    let (y, m, d) = civil(day);
    push_padded(b, y as u64, 4);
    b.push(b'-');
    push_padded(b, u64::from(m), 2);
    b.push(b'-');
    push_padded(b, u64::from(d), 2);
}

fn push_hhmm(b: &mut Vec<u8>, minute: u32) {
    let m = minute % 1440;
    push_padded(b, u64::from(m / 60), 2);
    b.push(b':');
    push_padded(b, u64::from(m % 60), 2);
}

/// Pre-formatted dates and times: the writers of the big files copy fixed-size pieces
/// instead of converting every date.
struct DateFmt {
    iso: Vec<[u8; 10]>,
    mdy: Vec<([u8; 10], u8)>,
    hhmm: Vec<[u8; 5]>,
}

/// Days after the as-of date covered by [`DateFmt`] (expected close dates of open deals).
const FMT_FUTURE_DAYS: usize = 400;

impl DateFmt {
    fn new() -> DateFmt {
        let days = DAYS + FMT_FUTURE_DAYS;
        let mut iso = Vec::with_capacity(days);
        let mut mdy = Vec::with_capacity(days);
        let mut tmp = Vec::with_capacity(10);
        for d in 0..days as i32 {
            tmp.clear();
            push_iso(&mut tmp, d);
            let mut a = [0u8; 10];
            a.copy_from_slice(&tmp);
            iso.push(a);
            tmp.clear();
            push_mdy(&mut tmp, d);
            let mut a = [0u8; 10];
            a[..tmp.len()].copy_from_slice(&tmp);
            mdy.push((a, tmp.len() as u8));
        }
        let hhmm = (0..1440u32)
            .map(|m| {
                tmp.clear();
                push_hhmm(&mut tmp, m);
                let mut a = [0u8; 5];
                a.copy_from_slice(&tmp);
                a
            })
            .collect();
        DateFmt { iso, mdy, hhmm }
    }

    fn iso(&self, b: &mut Vec<u8>, day: i32) {
        match usize::try_from(day).ok().and_then(|d| self.iso.get(d)) {
            Some(s) => b.extend_from_slice(s),
            None => push_iso(b, day),
        }
    }

    fn mdy(&self, b: &mut Vec<u8>, day: i32) {
        match usize::try_from(day).ok().and_then(|d| self.mdy.get(d)) {
            Some((s, n)) => b.extend_from_slice(&s[..*n as usize]),
            None => push_mdy(b, day),
        }
    }

    /// `2025-03-04 10:22`.
    fn hs_time(&self, b: &mut Vec<u8>, minute: u32) {
        self.iso(b, (minute / 1440) as i32);
        b.push(b' ');
        b.extend_from_slice(&self.hhmm[(minute % 1440) as usize]);
    }

    /// `2025-03-04T10:22:00.000Z`.
    fn iso_time(&self, b: &mut Vec<u8>, minute: u32) {
        self.iso(b, (minute / 1440) as i32);
        b.push(b'T');
        b.extend_from_slice(&self.hhmm[(minute % 1440) as usize]);
        b.extend_from_slice(b":00.000Z");
    }
}

/// Always quoted, as Salesforce writes every field.
fn push_quoted(b: &mut Vec<u8>, s: &[u8]) {
    b.push(b'"');
    for &c in s {
        if c == b'"' {
            b.push(b'"');
        }
        b.push(c);
    }
    b.push(b'"');
}

/// Quoted only when needed (RFC 4180).
fn push_field(b: &mut Vec<u8>, s: &[u8]) {
    if s.iter().any(|&c| c == b',' || c == b'"' || c == b'\n' || c == b'\r') {
        push_quoted(b, s);
    } else {
        b.extend_from_slice(s);
    }
}

const B62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SF_SUFFIX: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// An 18-character Salesforce Opportunity id (with the real case-checksum suffix), increasing
/// with `serial`.
fn deal_id(seed: u64, serial: usize) -> [u8; 18] {
    let mut id = *b"0065g00000AAAAAAAA";
    let mut v = 4_000_000 + serial as u64 * 5 + mix(seed, serial as u64) % 5;
    for p in (9..15).rev() {
        id[p] = B62[(v % 62) as usize];
        v /= 62;
    }
    sf_checksum(&mut id);
    id
}

/// Fills characters 15..18 of a Salesforce id with the case-checksum of characters 0..15.
fn sf_checksum(id: &mut [u8; 18]) {
    for chunk in 0..3 {
        let mut bits = 0;
        for j in 0..5 {
            if id[chunk * 5 + j].is_ascii_uppercase() {
                bits |= 1 << j;
            }
        }
        id[15 + chunk] = SF_SUFFIX[bits];
    }
}

fn scramble(idx: u32) -> (usize, usize, usize) {
    let base_n = (ROOTS.len() * NOUNS.len()) as u64;
    let tier = u64::from(idx) / base_n;
    let base = ((u64::from(idx) % base_n) * 1031 + tier * 7) % base_n;
    ((base % ROOTS.len() as u64) as usize, (base / ROOTS.len() as u64) as usize, tier as usize)
}

fn suffix_for(idx: u32, region: usize) -> &'static str {
    let h = mix(0xACC0_0000, u64::from(idx));
    if h % 10 < 4 {
        ""
    } else {
        SUFFIXES[region][((h >> 8) % 5) as usize]
    }
}

fn push_account(b: &mut Vec<u8>, idx: u32, region: usize) {
    let (r, n, tier) = scramble(idx);
    b.extend_from_slice(ROOTS[r].as_bytes());
    b.push(b' ');
    b.extend_from_slice(NOUNS[n].as_bytes());
    if tier > 0 {
        b.extend_from_slice(QUALIFIERS[(tier - 1) % QUALIFIERS.len()].as_bytes());
        if tier > QUALIFIERS.len() {
            b.push(b' ');
            push_uint(b, ((tier - 1) / QUALIFIERS.len() + 1) as u64);
        }
    }
    b.extend_from_slice(suffix_for(idx, region).as_bytes());
}

fn push_lower_alpha(b: &mut Vec<u8>, s: &str) {
    for c in s.bytes() {
        if c.is_ascii_alphanumeric() {
            b.push(c.to_ascii_lowercase());
        }
    }
}

/// Lower-case, alphanumeric-only forms of the name parts, for e-mail addresses and domains.
struct Lower {
    first: Vec<Vec<u8>>,
    last: Vec<Vec<u8>>,
    roots: Vec<Vec<u8>>,
    nouns: Vec<Vec<u8>>,
    qualifiers: Vec<Vec<u8>>,
}

impl Lower {
    fn new() -> Lower {
        let low = |words: &[&str]| -> Vec<Vec<u8>> {
            words
                .iter()
                .map(|w| {
                    let mut v = Vec::with_capacity(w.len());
                    push_lower_alpha(&mut v, w);
                    v
                })
                .collect()
        };
        Lower {
            first: low(&FIRST_NAMES),
            last: low(&LAST_NAMES),
            roots: low(&ROOTS),
            nouns: low(&NOUNS),
            qualifiers: low(&QUALIFIERS),
        }
    }

    /// The web domain of account `idx`, e.g. `bluecanyonanalytics.com`.
    fn domain(&self, b: &mut Vec<u8>, idx: u32) {
        let (r, n, tier) = scramble(idx);
        b.extend_from_slice(&self.roots[r]);
        b.extend_from_slice(&self.nouns[n]);
        if tier > 0 {
            b.extend_from_slice(&self.qualifiers[(tier - 1) % QUALIFIERS.len()]);
            if tier > QUALIFIERS.len() {
                push_uint(b, ((tier - 1) / QUALIFIERS.len() + 1) as u64);
            }
        }
        let h = mix(0xD0A1_0000, u64::from(idx)) % 10;
        b.extend_from_slice(match h {
            0..=6 => b".com".as_slice(),
            7 | 8 => b".io".as_slice(),
            _ => b".co".as_slice(),
        });
    }
}

// ------------------------------------------------------------------------------------------
// Leads
// ------------------------------------------------------------------------------------------

const NONE_T: u32 = u32::MAX;

struct Lead {
    create: u32,
    lead: u32,
    mql: u32,
    sql: u32,
    opp: u32,
    customer: u32,
    source: u8,
    first: u8,
    last: u8,
    style: u8,
    company: u32,
    deal: u32,
}

/// HubSpot original source of a contact that created a deal with this lead source.
fn hs_source_for(source: u8, r: &mut Rng) -> u8 {
    match source {
        0 => [0, 0, 0, 0, 0, 0, 3, 3, 3, 7][r.below(10) as usize],
        1 => [1, 1, 1, 1, 2][r.below(5) as usize],
        2 | 5 => 5,
        3 => 6,
        _ => 4,
    }
}

fn person(l: &mut Lead, r: &mut Rng) {
    l.first = r.below(FIRST_NAMES.len() as u64) as u8;
    l.last = r.below(LAST_NAMES.len() as u64) as u8;
    l.style = r.weighted(&[60.0, 25.0, 15.0]) as u8;
}

// ------------------------------------------------------------------------------------------
// Output
// ------------------------------------------------------------------------------------------

impl World {
    fn region_of(&self, account: u32) -> usize {
        match self.accounts.get(account as usize) {
            Some(a) => OWNERS[a.owner as usize].region,
            None => (mix(0x2E61_0000, u64::from(account)) % 3) as usize,
        }
    }

    fn push_account_name(&self, b: &mut Vec<u8>, account: u32) {
        push_account(b, account, self.region_of(account));
    }

    fn files(&self) -> Vec<SampleFile> {
        let ids: Vec<[u8; 18]> = (0..self.deals.len()).map(|i| deal_id(self.seed, i)).collect();
        let file = |name: &str, kind: &'static str, mut bytes: Vec<u8>| {
            bytes.shrink_to_fit();
            SampleFile { name: name.to_string(), kind, bytes }
        };
        vec![
            file("salesforce_opportunities.csv", "deals", self.deals_csv(&ids)),
            file("salesforce_opportunity_history.csv", "stage_history", self.history_csv()),
            file("hubspot_contacts.csv", "leads", self.leads_csv(&ids)),
            file("subscriptions.csv", "revenue_lines", self.subscriptions_csv()),
            file("marketing_sales_spend.csv", "spend", self.spend_csv()),
            file("quotas.csv", "quotas", self.quotas_csv()),
            file("other_income.csv", "other_income", self.other_income_csv()),
        ]
    }

    fn deals_csv(&self, ids: &[[u8; 18]]) -> Vec<u8> {
        let mut b = Vec::with_capacity(self.deals.len().min(PROBE_ROWS) * 240 + 1024);
        b.extend_from_slice(
            b"\"Opportunity ID\",\"Opportunity Name\",\"Account Name\",\"Opportunity Owner\",\
\"Stage\",\"Amount\",\"Probability (%)\",\"Created Date\",\"Close Date\",\"Forecast Category\",\
\"Lead Source\",\"Type\",\"Region\",\"Product\"\r\n",
        );
        let mut row = Vec::with_capacity(512);
        let mut tmp = Vec::with_capacity(128);
        for (i, d) in self.deals.iter().enumerate() {
            row.clear();
            push_quoted(&mut row, &ids[i]);
            row.push(b',');
            tmp.clear();
            self.push_account_name(&mut tmp, d.account);
            let account_len = tmp.len();
            tmp.extend_from_slice(b" - ");
            if d.flags & F_WINBACK != 0 {
                tmp.extend_from_slice(b"Win-back - ");
            }
            match d.kind {
                EB => {
                    tmp.extend_from_slice(b"Expansion - ");
                    tmp.extend_from_slice(PRODUCTS[d.product as usize].as_bytes());
                }
                REN => {
                    tmp.extend_from_slice(b"Renewal ");
                    push_uint(&mut tmp, civil(d.end).0 as u64);
                }
                _ => tmp.extend_from_slice(PRODUCTS[d.product as usize].as_bytes()),
            }
            push_quoted(&mut row, &tmp);
            row.push(b',');
            push_quoted(&mut row, &tmp[..account_len]);
            row.push(b',');
            let owner: &[u8] = if d.flags & F_OWNER_CASE != 0 {
                b"jon smith"
            } else if d.flags & F_OWNER_SPACE != 0 {
                b"Jon  Smith"
            } else {
                OWNERS[d.owner as usize].name.as_bytes()
            };
            push_quoted(&mut row, owner);
            row.push(b',');
            push_quoted(&mut row, STAGES[d.stage as usize].as_bytes());
            row.extend_from_slice(b",\"");
            if d.flags & F_NA != 0 {
                row.extend_from_slice(b"n/a");
            } else if d.flags & F_ZERO != 0 {
                row.extend_from_slice(b"0.00");
            } else {
                push_money(&mut row, u64::from(d.amount) * 100);
            }
            row.extend_from_slice(b"\",\"");
            push_uint(&mut row, u64::from(d.prob));
            row.extend_from_slice(b"\",\"");
            self.dates.mdy(&mut row, d.created_day());
            row.extend_from_slice(b"\",\"");
            if d.close != NO_DAY {
                self.dates.mdy(&mut row, d.close);
            }
            row.extend_from_slice(b"\",");
            push_quoted(&mut row, FORECAST[d.fc as usize].as_bytes());
            row.push(b',');
            push_quoted(&mut row, SOURCES[d.source as usize].as_bytes());
            row.push(b',');
            push_quoted(&mut row, TYPES[d.kind as usize].as_bytes());
            row.push(b',');
            push_quoted(&mut row, REGIONS[OWNERS[d.owner as usize].region].as_bytes());
            row.push(b',');
            push_quoted(&mut row, PRODUCTS[d.product as usize].as_bytes());
            row.extend_from_slice(b"\r\n");
            b.extend_from_slice(&row);
            if d.flags & F_DUP != 0 {
                b.extend_from_slice(&row);
            }
            if i + 1 == PROBE_ROWS {
                reserve_rest(&mut b, PROBE_ROWS, self.deals.len() + 4);
            }
        }
        b.extend_from_slice(
            b"\r\n\"Confidential Information - Do Not Distribute\"\r\n\
\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\r\n",
        );
        b
    }

    fn history_csv(&self) -> Vec<u8> {
        // (minute, deal, amount, close day, stage), written in chronological order like a Data
        // Loader export of OpportunityHistory ordered by Id. Rows carry what they print, and
        // ids are recomputed, so the writing loop does not jump around the deal list.
        let mut rows: Vec<(u32, u32, u32, i32, u8)> = Vec::with_capacity(self.deals.len() * 4);
        for (i, d) in self.deals.iter().enumerate() {
            let p = deal_path(d, d.outcome());
            for k in 0..p.len {
                let amount = if k < p.est_until {
                    p.est_amount
                } else if d.flags & F_ZERO != 0 && p.stage[k] == WON {
                    0
                } else {
                    d.amount
                };
                rows.push((p.at[k], i as u32, amount, d.close, p.stage[k]));
            }
        }
        rows.sort_unstable();
        let mut b = Vec::with_capacity(rows.len().min(PROBE_ROWS) * 110 + 128);
        b.extend_from_slice(
            b"\"OPPORTUNITYID\",\"STAGENAME\",\"AMOUNT\",\"PROBABILITY\",\"CLOSEDATE\",\"CREATEDDATE\"\n",
        );
        for (n, &(at, deal, amount, close, stage)) in rows.iter().enumerate() {
            if n == PROBE_ROWS {
                reserve_rest(&mut b, n, rows.len());
            }
            push_quoted(&mut b, &deal_id(self.seed, deal as usize));
            b.push(b',');
            push_quoted(&mut b, STAGES[stage as usize].as_bytes());
            b.extend_from_slice(b",\"");
            push_uint(&mut b, u64::from(amount));
            b.extend_from_slice(b".0\",\"");
            b.extend_from_slice(STAGE_PROB_DL[stage as usize].as_bytes());
            b.extend_from_slice(b"\",\"");
            if close != NO_DAY {
                self.dates.iso(&mut b, close);
            }
            b.extend_from_slice(b"\",\"");
            self.dates.iso_time(&mut b, at);
            b.extend_from_slice(b"\"\n");
        }
        b
    }

    /// The contact behind New Business deal `i`.
    fn opp_lead(&self, i: usize) -> Lead {
        let d = &self.deals[i];
        let mut r = Rng(mix(d.seed, 0x1EAD));
        let opp = d.created;
        let sql = opp.saturating_sub(r.gap(1.5, 14.0));
        let mql = sql.saturating_sub(r.gap(5.0, 30.0) + 30);
        let lead = mql.saturating_sub(r.gap(6.0, 45.0));
        let create = if r.chance(0.12) { lead.saturating_sub(r.gap(20.0, 120.0)) } else { lead };
        let customer = if d.stage == WON {
            let p = deal_path(d, WON);
            p.at[p.len - 1]
        } else {
            NONE_T
        };
        let mut l = Lead {
            create,
            lead,
            mql,
            sql,
            opp,
            customer,
            source: hs_source_for(d.source, &mut r),
            first: 0,
            last: 0,
            style: 0,
            company: d.account,
            deal: i as u32,
        };
        person(&mut l, &mut r);
        l
    }

    fn leads_csv(&self, ids: &[[u8; 18]]) -> Vec<u8> {
        // Contacts that created a deal, by creation time. Like the contacts of the other
        // stages, only those created in the reporting window are exported (the contacts of
        // deals created in late 2023 are not in the file).
        let mut opp: Vec<Lead> = self
            .deals
            .iter()
            .enumerate()
            .filter(|(_, d)| d.kind == NB && d.flags & F_WINBACK == 0)
            .map(|(i, _)| self.opp_lead(i))
            .filter(|l| l.create >= HIST_START as u32 * 1440)
            .collect();
        opp.sort_unstable_by_key(|l| (l.create, l.deal));
        let n_opp = opp.len();
        let total = LEADS_PER_DEAL * self.target_deals;
        let m = total.saturating_sub(n_opp);
        let n_sql = (n_opp as f64 * 0.6).round();
        let n_mql = ((n_opp as f64 + n_sql) * 1.4).round();
        let (p_sql, p_mql) = if m == 0 {
            (0.0, 0.0)
        } else {
            let scale = ((n_sql + n_mql) / m as f64).max(0.9) / 0.9;
            (n_sql / m as f64 / scale, n_mql / m as f64 / scale)
        };
        let n_companies = (self.accounts.len() as u64 * 2).max(50);
        let cdf = Cdf::new(HIST_START);
        let cdf_total = cdf.total();
        let lead_seed = mix(self.seed, 0x1EAD_0000);

        let mut b = Vec::with_capacity((n_opp + m).min(PROBE_ROWS) * 180 + 512);
        let mut written = 0;
        b.extend_from_slice(
            b"Record ID,First Name,Last Name,Email,Company Name,Create Date,Original Source,\
Lifecycle Stage,Became a Lead Date,Became a Marketing Qualified Lead Date,\
Became a Sales Qualified Lead Date,Became an Opportunity Date,Became a Customer Date,\
Associated Deal\n",
        );
        let mut id_rng = Rng(mix(self.seed, 0x1D5));
        let mut record_id: u64 = 1000;
        let mut tmp = Vec::with_capacity(128);
        let mut next_plain = 0usize;
        let mut plain: Option<Lead> = None;
        let mut next_opp = 0usize;
        loop {
            if plain.is_none() && next_plain < m {
                let mut r = Rng(mix(lead_seed, next_plain as u64));
                let x = (next_plain as f64 + r.unit()) / m as f64 * cdf_total;
                let (day, frac) = cdf.locate(x);
                let create = day as u32 * 1440 + 360 + (frac * 900.0) as u32;
                let source = r.weighted(&HS_LEAD_W) as u8;
                let q = HS_QUALITY[source as usize];
                let u = r.unit();
                let target = if u < p_sql * q {
                    2
                } else if u < (p_sql + p_mql) * q {
                    1
                } else {
                    0
                };
                let mut l = Lead {
                    create,
                    lead: create,
                    mql: NONE_T,
                    sql: NONE_T,
                    opp: NONE_T,
                    customer: NONE_T,
                    source,
                    first: 0,
                    last: 0,
                    style: 0,
                    company: r.below(n_companies) as u32,
                    deal: NIL,
                };
                if target >= 1 {
                    let t = create + r.gap(3.0, 30.0);
                    if t <= ASOF_END {
                        l.mql = t;
                        if target >= 2 {
                            let t = t + r.gap(6.0, 40.0) + 30;
                            if t <= ASOF_END {
                                l.sql = t;
                            }
                        }
                    }
                }
                person(&mut l, &mut r);
                plain = Some(l);
                next_plain += 1;
            }
            let take_opp = match (&plain, opp.get(next_opp)) {
                (None, None) => break,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(p), Some(o)) => o.create < p.create,
            };
            record_id += 1 + id_rng.below(3);
            if take_opp {
                self.push_lead(&mut b, &mut tmp, &opp[next_opp], record_id, ids);
                next_opp += 1;
            } else if let Some(l) = plain.take() {
                self.push_lead(&mut b, &mut tmp, &l, record_id, ids);
            }
            written += 1;
            if written == PROBE_ROWS {
                reserve_rest(&mut b, written, n_opp + m);
            }
        }
        b
    }

    fn push_lead(&self, b: &mut Vec<u8>, tmp: &mut Vec<u8>, l: &Lead, id: u64, ids: &[[u8; 18]]) {
        let first = FIRST_NAMES[l.first as usize];
        let last = LAST_NAMES[l.last as usize];
        push_uint(b, id);
        b.push(b',');
        b.extend_from_slice(first.as_bytes());
        b.push(b',');
        b.extend_from_slice(last.as_bytes());
        b.push(b',');
        let (first_low, last_low) = (&self.lower.first[l.first as usize], &self.lower.last[l.last as usize]);
        match l.style {
            0 => {
                b.extend_from_slice(first_low);
                b.push(b'.');
                b.extend_from_slice(last_low);
            }
            1 => {
                b.push(first_low[0]);
                b.extend_from_slice(last_low);
            }
            _ => {
                b.extend_from_slice(first_low);
                b.push(b'.');
                b.push(last_low[0]);
            }
        }
        b.push(b'@');
        self.lower.domain(b, l.company);
        b.push(b',');
        tmp.clear();
        self.push_account_name(tmp, l.company);
        push_field(b, tmp);
        b.push(b',');
        self.dates.hs_time(b, l.create);
        b.push(b',');
        b.extend_from_slice(HS_SOURCES[l.source as usize].as_bytes());
        b.push(b',');
        let stage = if l.customer != NONE_T {
            4
        } else if l.opp != NONE_T {
            3
        } else if l.sql != NONE_T {
            2
        } else if l.mql != NONE_T {
            1
        } else {
            0
        };
        b.extend_from_slice(LIFECYCLE[stage].as_bytes());
        for t in [l.lead, l.mql, l.sql, l.opp, l.customer] {
            b.push(b',');
            if t != NONE_T {
                self.dates.hs_time(b, t);
            }
        }
        b.push(b',');
        if l.deal != NIL {
            b.extend_from_slice(&ids[l.deal as usize]);
        }
        b.push(b'\n');
    }

    fn subscriptions_csv(&self) -> Vec<u8> {
        let mut order: Vec<u32> = (0..self.subs.len() as u32).collect();
        order.sort_by_key(|&s| (self.subs[s as usize].start, s));
        let mut cust_id = vec![NIL; self.customers.len()];
        let mut next_cust = 0u32;
        let width = if self.customers.len() < 99_999 { 5 } else { 7 };
        let mut b = Vec::with_capacity(self.subs.len() * 96 + 128);
        b.extend_from_slice(
            b"Customer ID,Customer Name,Subscription ID,Plan,Status,Start Date,End Date,MRR,Currency\n",
        );
        let mut tmp = Vec::with_capacity(128);
        for (n, &s) in order.iter().enumerate() {
            let sub = &self.subs[s as usize];
            let c = sub.customer as usize;
            if cust_id[c] == NIL {
                next_cust += 1;
                cust_id[c] = next_cust;
            }
            b.extend_from_slice(b"CUS-");
            push_padded(&mut b, u64::from(cust_id[c]), width);
            b.push(b',');
            tmp.clear();
            self.push_account_name(&mut tmp, self.customers[c].account);
            push_field(&mut b, &tmp);
            b.extend_from_slice(b",SUB-");
            push_padded(&mut b, n as u64 + 1, width + 1);
            b.push(b',');
            b.extend_from_slice(PRODUCTS[sub.plan as usize].as_bytes());
            let cancelled = sub.end <= ASOF_DAY;
            b.extend_from_slice(if cancelled { b",Cancelled,".as_slice() } else { b",Active,".as_slice() });
            self.dates.iso(&mut b, sub.start);
            b.push(b',');
            if cancelled {
                self.dates.iso(&mut b, sub.end);
            }
            b.push(b',');
            push_money(&mut b, sub.mrr);
            b.extend_from_slice(b",USD\n");
        }
        b
    }

    /// Won amount (dollars) per month of close: (all types, New Business only).
    fn monthly_bookings(&self) -> (Vec<f64>, Vec<f64>) {
        let mut all = vec![0.0; MONTHS];
        let mut nb = vec![0.0; MONTHS];
        for d in &self.deals {
            if d.stage == WON && d.flags & F_ZERO == 0 {
                let m = month_index(d.end).min(MONTHS - 1);
                all[m] += f64::from(d.amount);
                if d.kind == NB {
                    nb[m] += f64::from(d.amount);
                }
            }
        }
        (all, nb)
    }

    fn spend_csv(&self) -> Vec<u8> {
        let (bookings, nb) = self.monthly_bookings();
        let total_nb: f64 = nb.iter().sum();
        let budget = (1.3 * total_nb).max(30_000.0 * MONTHS as f64);
        // Spend leads bookings by a month: weight of month m = creation weight of month m + 1.
        let cdf = Cdf::new(HIST_START);
        let mut month_w = vec![0.0; MONTHS];
        for (d, &w) in cdf.w.iter().enumerate() {
            let m = month_index(d as i32 + HIST_START).min(MONTHS - 1);
            month_w[m.saturating_sub(1)] += w;
        }
        month_w[MONTHS - 1] = month_w[MONTHS - 2];
        let w_total: f64 = month_w.iter().sum();
        const EVENTS: [f64; 12] = [0.3, 0.5, 2.2, 0.6, 0.8, 1.6, 0.3, 0.3, 1.2, 2.4, 1.0, 0.8];
        let marketing: [(&str, f64); 7] = [
            ("Paid Search", 0.26),
            ("Paid Social", 0.12),
            ("Events", 0.18),
            ("Content", 0.10),
            ("Webinars", 0.06),
            ("Salaries", 0.22),
            ("Tools", 0.06),
        ];
        let sales: [(&str, f64); 3] = [("Salaries", 0.78), ("Tools", 0.07), ("Travel", 0.15)];
        let mut r = Rng(mix(self.seed, 0x5BE4D));
        let mut b = Vec::with_capacity(MONTHS * 12 * 40 + 64);
        b.extend_from_slice(b"Month,Department,Category,Amount\n");
        let row = |b: &mut Vec<u8>, m: usize, dept: &str, cat: &str, dollars: f64| {
            push_padded(b, 2024 + (m / 12) as u64, 4);
            b.push(b'-');
            push_padded(b, (m % 12) as u64 + 1, 2);
            b.push(b',');
            b.extend_from_slice(dept.as_bytes());
            b.push(b',');
            b.extend_from_slice(cat.as_bytes());
            b.push(b',');
            push_money(b, (dollars * 100.0 + 0.5).floor().max(0.0) as u64);
            b.push(b'\n');
        };
        for m in 0..MONTHS {
            let month_budget = budget * month_w[m] / w_total;
            for &(cat, share) in &marketing {
                let noise = if cat == "Salaries" { 0.98 + 0.04 * r.unit() } else { 0.9 + 0.2 * r.unit() };
                let lump = if cat == "Events" { EVENTS[m % 12] } else { 1.0 };
                row(&mut b, m, "Marketing", cat, 0.45 * month_budget * share * lump * noise);
            }
            for &(cat, share) in &sales {
                let noise = if cat == "Salaries" { 0.98 + 0.04 * r.unit() } else { 0.85 + 0.3 * r.unit() };
                row(&mut b, m, "Sales", cat, 0.55 * month_budget * share * noise);
            }
            row(&mut b, m, "Sales", "Commissions", 0.08 * bookings[m]);
        }
        b
    }

    fn quotas_csv(&self) -> Vec<u8> {
        const SEASONAL: [f64; 4] = [0.92, 0.98, 0.95, 1.15];
        const QUARTERS: usize = MONTHS / 3 + 1;
        let (bookings, _) = self.monthly_bookings();
        let hist = MONTHS / 3;
        let q: Vec<f64> = (0..hist).map(|i| bookings[3 * i..3 * i + 3].iter().sum::<f64>() / SEASONAL[i % 4]).collect();
        // Least-squares trend of deseasonalised team bookings.
        let n = hist as f64;
        let mx = (n - 1.0) / 2.0;
        let my = q.iter().sum::<f64>() / n;
        let sxy: f64 = q.iter().enumerate().map(|(i, y)| (i as f64 - mx) * (y - my)).sum();
        let sxx: f64 = (0..hist).map(|i| (i as f64 - mx) * (i as f64 - mx)).sum();
        let slope = sxy / sxx;
        let weights: f64 = OWNERS.iter().map(|o| o.quota).sum();
        let mut b = Vec::with_capacity(QUARTERS * OWNERS.len() * 32 + 32);
        b.extend_from_slice(b"Owner,Period,Quota\n");
        for o in &OWNERS {
            for i in 0..QUARTERS {
                let trend = (my + slope * (i as f64 - mx)).max(my * 0.3);
                let team = trend * SEASONAL[i % 4] * 1.1;
                let raw = team * o.quota / weights;
                let step = if raw >= 100_000.0 { 5_000.0 } else { 1_000.0 };
                let quota = ((raw / step + 0.5).floor() * step).max(5_000.0);
                b.extend_from_slice(o.name.as_bytes());
                b.push(b',');
                push_uint(&mut b, 2024 + (i / 4) as u64);
                b.extend_from_slice(b"-Q");
                push_uint(&mut b, (i % 4) as u64 + 1);
                b.push(b',');
                push_money(&mut b, quota as u64 * 100);
                b.push(b'\n');
            }
        }
        b
    }

    fn other_income_csv(&self) -> Vec<u8> {
        let (bookings, _) = self.monthly_bookings();
        let scale = (bookings.iter().sum::<f64>() / MONTHS as f64).max(20_000.0);
        let mut r = Rng(mix(self.seed, 0x07E4));
        let mut rows: Vec<(i32, &str, f64, &str)> = Vec::new();
        for m in 0..MONTHS {
            let last = month_start(m + 1) - 1;
            let growth = 1.0 + 0.5 * m as f64 / MONTHS as f64;
            let interest = scale * 0.012 * growth * (0.9 + 0.2 * r.unit());
            rows.push((last, "Interest", interest, "Bank interest - operating account"));
            if m % 3 == 2 {
                let mmf = scale * 0.02 * growth * (0.9 + 0.2 * r.unit());
                rows.push((last, "Interest", mmf, "Money market fund, quarterly interest"));
                let royalty_day = month_start(m + 1) + 14;
                if royalty_day <= ASOF_DAY {
                    let royalty = scale * 0.04 * growth * (0.8 + 0.4 * r.unit());
                    rows.push((royalty_day, "Royalty", royalty, "OEM licensing royalty"));
                }
            }
        }
        let fixed: [(i32, &str, f64, &str); 7] = [
            (rel_day(2024, 9, 16), "Investment", 0.18, "Realized gain on sale of T-bills"),
            (rel_day(2025, 3, 20), "Investment", 0.35, "Gain on strategic investment (Series B mark-up)"),
            (rel_day(2025, 11, 12), "Investment", 0.12, "Realized gain, corporate bond fund"),
            (rel_day(2024, 5, 31), "Other", 0.03, "Sublease income - Austin office"),
            (rel_day(2024, 12, 20), "Other", 0.02, "Insurance reimbursement"),
            (rel_day(2025, 7, 31), "Other", 0.06, "R&D tax credit refund"),
            (rel_day(2026, 2, 27), "Other", 0.01, "Sale of surplus office equipment"),
        ];
        for (day, cat, f, memo) in fixed {
            rows.push((day, cat, scale * f * (0.9 + 0.2 * r.unit()), memo));
        }
        rows.sort_by_key(|row| row.0);
        let mut b = Vec::with_capacity(rows.len() * 64 + 32);
        b.extend_from_slice(b"Date,Category,Amount,Memo\n");
        for (day, cat, dollars, memo) in rows {
            push_iso(&mut b, day);
            b.push(b',');
            b.extend_from_slice(cat.as_bytes());
            b.push(b',');
            push_money(&mut b, (dollars * 100.0 + 0.5).floor() as u64);
            b.push(b',');
            push_field(&mut b, memo.as_bytes());
            b.push(b'\n');
        }
        b
    }
}

// ------------------------------------------------------------------------------------------
// Tests
// ------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    /// RFC 4180 reader (quotes, doubled quotes, CRLF or LF); a blank line gives `[""]`.
    fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
        let text = std::str::from_utf8(bytes).expect("utf-8");
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut field = String::new();
        let mut chars = text.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            if quoted {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        field.push('"');
                        chars.next();
                    } else {
                        quoted = false;
                    }
                } else {
                    field.push(c);
                }
            } else {
                match c {
                    '"' => quoted = true,
                    ',' => row.push(std::mem::take(&mut field)),
                    '\r' => {}
                    '\n' => {
                        row.push(std::mem::take(&mut field));
                        rows.push(std::mem::take(&mut row));
                    }
                    _ => field.push(c),
                }
            }
        }
        assert!(field.is_empty() && row.is_empty(), "file must end with a newline");
        rows
    }

    struct Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        trailer: Vec<Vec<String>>,
    }

    impl Table {
        fn col(&self, name: &str) -> usize {
            self.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
        }
    }

    fn table(files: &[SampleFile], kind: &str) -> Table {
        let f = files.iter().find(|f| f.kind == kind).expect("kind present");
        let mut rows = parse_csv(&f.bytes);
        let header = rows.remove(0);
        let end = rows.iter().position(|r| r.len() == 1 && r[0].is_empty()).unwrap_or(rows.len());
        let trailer = rows.split_off(end);
        for r in &rows {
            assert_eq!(r.len(), header.len(), "{kind}: ragged row {r:?}");
        }
        Table { header, rows, trailer }
    }

    fn mdy(s: &str) -> (i32, u32, u32) {
        let p: Vec<&str> = s.split('/').collect();
        assert_eq!(p.len(), 3, "M/D/YYYY expected: {s}");
        assert!(!p[0].starts_with('0') && !p[1].starts_with('0'), "{s}");
        (p[2].parse().unwrap(), p[0].parse().unwrap(), p[1].parse().unwrap())
    }

    fn iso(s: &str) -> (i32, u32, u32) {
        assert!(s.len() >= 10 && &s[4..5] == "-" && &s[7..8] == "-", "ISO date expected: {s}");
        (s[0..4].parse().unwrap(), s[5..7].parse().unwrap(), s[8..10].parse().unwrap())
    }

    fn default_files() -> Vec<SampleFile> {
        generate(&SampleOptions::default())
    }

    fn subscription_accounts(files: &[SampleFile]) -> HashSet<String> {
        let subs = table(files, "revenue_lines");
        let name = subs.col("Customer Name");
        subs.rows.iter().map(|r| r[name].clone()).collect()
    }

    #[test]
    fn deterministic_and_seed_sensitive() {
        let a = default_files();
        let b = default_files();
        assert_eq!(a, b);
        let c = generate(&SampleOptions { deals: 600, seed: 43 });
        assert_eq!(a.len(), c.len());
        for (x, y) in a.iter().zip(&c) {
            assert_eq!(x.name, y.name);
            assert_ne!(x.bytes, y.bytes, "{} ignores the seed", x.name);
        }
        let names: Vec<&str> = a.iter().map(|f| f.kind).collect();
        assert_eq!(names, ["deals", "stage_history", "leads", "revenue_lines", "spend", "quotas", "other_income"]);
    }

    #[test]
    fn deal_and_lead_counts_follow_the_request() {
        for n in [600usize, 2500] {
            let files = generate(&SampleOptions { deals: n, seed: 7 });
            let deals = table(&files, "deals");
            let got = deals.rows.len();
            assert!(got.abs_diff(n) <= n / 25, "{n} requested, {got} rows");
            let leads = table(&files, "leads");
            assert_eq!(leads.rows.len(), LEADS_PER_DEAL * n);
        }
        let total: usize = default_files().iter().map(|f| f.bytes.len()).sum();
        assert!(total < 1_300_000, "default sample is {total} bytes");
    }

    #[test]
    fn tiny_requests_do_not_panic() {
        for n in [0usize, 1, 2, 5, 20, 60] {
            let files = generate(&SampleOptions { deals: n, seed: 1 });
            assert_eq!(files.len(), 7);
            let deals = table(&files, "deals");
            assert!(deals.rows.len() <= n + 6, "{n}: {}", deals.rows.len());
            for f in &files {
                assert!(f.bytes.ends_with(b"\n"));
            }
        }
    }

    #[test]
    fn deals_file_looks_like_a_salesforce_report() {
        let files = default_files();
        let f = &files[0];
        assert!(f.bytes.starts_with(b"\"Opportunity ID\",\"Opportunity Name\","));
        assert!(f.bytes.ends_with(
            b"\r\n\r\n\"Confidential Information - Do Not Distribute\"\r\n\
\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\r\n"
        ));
        let lf = f.bytes.iter().filter(|&&c| c == b'\n').count();
        let crlf = f.bytes.windows(2).filter(|w| w == b"\r\n").count();
        assert_eq!(lf, crlf, "CRLF line endings");
        for other in &files[1..] {
            assert!(!other.bytes.contains(&b'\r'), "{} uses LF", other.name);
        }
        let deals = table(&files, "deals");
        assert_eq!(
            deals.trailer,
            vec![
                vec![String::new()],
                vec!["Confidential Information - Do Not Distribute".to_string()],
                vec!["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.".to_string()],
            ]
        );
        // Every field quoted: each line starts with a quote and has 14 quoted fields.
        let text = std::str::from_utf8(&f.bytes).unwrap();
        for line in text.split("\r\n").skip(1).take(deals.rows.len()) {
            assert!(line.starts_with('"') && line.ends_with('"'), "{line}");
        }
        let id = deals.col("Opportunity ID");
        let stage = deals.col("Stage");
        let mut open_stages = HashSet::new();
        for r in &deals.rows {
            assert_eq!(r[id].len(), 18);
            assert!(r[id].starts_with("0065g"));
            assert!(STAGES.contains(&r[stage].as_str()), "{}", r[stage]);
            if !r[stage].starts_with("Closed") {
                open_stages.insert(r[stage].clone());
            }
            mdy(&r[deals.col("Created Date")]);
            assert!(FORECAST.contains(&r[deals.col("Forecast Category")].as_str()));
            assert!(SOURCES.contains(&r[deals.col("Lead Source")].as_str()));
            assert!(TYPES.contains(&r[deals.col("Type")].as_str()));
            assert!(REGIONS.contains(&r[deals.col("Region")].as_str()));
            assert!(PRODUCTS.contains(&r[deals.col("Product")].as_str()));
        }
        assert_eq!(open_stages.len(), 5, "open deals in every open stage");
    }

    #[test]
    fn default_bookings_grow_with_a_q4_lift() {
        let files = default_files();
        let deals = table(&files, "deals");
        let (stage, amount, close) = (deals.col("Stage"), deals.col("Amount"), deals.col("Close Date"));
        let mut quarters: HashMap<(i32, u32), f64> = HashMap::new();
        for r in &deals.rows {
            if r[stage] == "Closed Won" {
                let (y, m, _) = mdy(&r[close]);
                *quarters.entry((y, (m - 1) / 3 + 1)).or_default() += r[amount].parse::<f64>().unwrap();
            }
        }
        let q = |y: i32, n: u32| quarters.get(&(y, n)).copied().unwrap_or(0.0);
        for y in [2024, 2025] {
            for n in 1..=3 {
                assert!(q(y, 4) > q(y, n), "Q4 {y} below Q{n}");
            }
            assert!(q(y, 4) > q(y + 1, 1), "Q4 {y} below the next Q1");
        }
        let year = |y: i32| (1..=4).map(|n| q(y, n)).sum::<f64>();
        assert!(year(2025) > 1.3 * year(2024));
        assert!(q(2026, 1) + q(2026, 2) > q(2025, 1) + q(2025, 2));
    }

    #[test]
    fn salesforce_id_checksum() {
        let mut id = *b"001A0000006Vm9rAAA";
        sf_checksum(&mut id);
        assert_eq!(&id, b"001A0000006Vm9rIAC");
        let ids: HashSet<[u8; 18]> = (0..10_000).map(|i| deal_id(42, i)).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(deal_id(1, 5) < deal_id(1, 6));
    }

    #[test]
    fn deterministic_exp() {
        for i in -200..=200 {
            let x = f64::from(i) / 37.0;
            let rel = (det_exp(x) - x.exp()).abs() / x.exp();
            assert!(rel < 1e-13, "{x}: {rel}");
        }
    }

    #[test]
    fn history_matches_deals() {
        let files = default_files();
        let deals = table(&files, "deals");
        let hist = table(&files, "stage_history");
        assert_eq!(hist.header, ["OPPORTUNITYID", "STAGENAME", "AMOUNT", "PROBABILITY", "CLOSEDATE", "CREATEDDATE"]);
        let (id, stage, created, close) =
            (deals.col("Opportunity ID"), deals.col("Stage"), deals.col("Created Date"), deals.col("Close Date"));
        let by_id: HashMap<&str, &Vec<String>> = deals.rows.iter().map(|r| (r[id].as_str(), r)).collect();
        let mut per_deal: HashMap<&str, Vec<&Vec<String>>> = HashMap::new();
        let mut last_ts = String::new();
        for h in &hist.rows {
            assert!(by_id.contains_key(h[0].as_str()), "history id {} not in deals", h[0]);
            assert!(h[5] >= last_ts, "history is chronological");
            last_ts = h[5].clone();
            assert_eq!(h[5].len(), 24);
            assert!(h[5].ends_with(":00.000Z"));
            per_deal.entry(h[0].as_str()).or_default().push(h);
        }
        let backdated = deals
            .rows
            .iter()
            .find(|r| !r[close].is_empty() && mdy(&r[close]) < mdy(&r[created]))
            .map(|r| r[id].clone());
        for (deal_id, entries) in &per_deal {
            let d = by_id[deal_id];
            assert_eq!(iso(&entries[0][5]), mdy(&d[created]), "first entry at creation");
            let last = entries.last().unwrap();
            assert_eq!(last[1], d[stage], "last history stage is the deal's stage");
            if d[stage].starts_with("Closed") && Some(&d[id]) != backdated.as_ref() {
                assert_eq!(iso(&last[5]), mdy(&d[close]), "closed at close date");
            }
            for e in entries.iter() {
                if d[close].is_empty() {
                    assert!(e[4].is_empty());
                } else {
                    assert_eq!(iso(&e[4]), mdy(&d[close]));
                }
                let s = STAGES.iter().position(|&s| s == e[1]).unwrap();
                assert_eq!(e[3], STAGE_PROB_DL[s]);
                assert!(e[2].ends_with(".0"));
            }
            let order: Vec<usize> = entries.iter().map(|e| STAGES.iter().position(|&s| s == e[1]).unwrap()).collect();
            assert!(order.windows(2).all(|w| w[0] < w[1]), "stages move forward");
        }
        // Every deal has history.
        for r in &deals.rows {
            assert!(per_deal.contains_key(r[id].as_str()));
        }
    }

    #[test]
    fn won_new_business_accounts_are_customers() {
        let files = default_files();
        let deals = table(&files, "deals");
        let customers = subscription_accounts(&files);
        let (stage, kind, account) = (deals.col("Stage"), deals.col("Type"), deals.col("Account Name"));
        let mut won_nb = 0;
        for r in &deals.rows {
            if r[stage] == "Closed Won" && r[kind] == "New Business" {
                won_nb += 1;
                assert!(customers.contains(&r[account]), "{} has no subscription", r[account]);
            }
        }
        assert!(won_nb > 50);
    }

    #[test]
    fn subscriptions_are_sane() {
        let files = default_files();
        let subs = table(&files, "revenue_lines");
        assert_eq!(
            subs.header,
            [
                "Customer ID",
                "Customer Name",
                "Subscription ID",
                "Plan",
                "Status",
                "Start Date",
                "End Date",
                "MRR",
                "Currency"
            ]
        );
        let mut per_customer: HashMap<&str, Vec<&Vec<String>>> = HashMap::new();
        let mut names: HashMap<&str, &str> = HashMap::new();
        for r in &subs.rows {
            let mrr: f64 = r[7].parse().unwrap();
            assert!(mrr > 0.0, "MRR must be positive: {r:?}");
            assert_eq!(r[7].split('.').nth(1).map(str::len), Some(2));
            assert_eq!(r[8], "USD");
            match r[4].as_str() {
                "Active" => assert!(r[6].is_empty()),
                "Cancelled" => assert!(iso(&r[6]) > iso(&r[5]) && iso(&r[6]) <= (2026, 6, 30)),
                other => panic!("status {other}"),
            }
            assert!(iso(&r[5]) <= (2026, 6, 30));
            assert_eq!(*names.entry(&r[0]).or_insert(&r[1]), r[1].as_str());
            per_customer.entry(&r[0]).or_default().push(r);
        }
        // Churn, contraction and reactivation are all present.
        let mut churned = 0;
        let mut contracted = 0;
        let mut reactivated = 0;
        for rows in per_customer.values() {
            let cancelled: Vec<_> = rows.iter().filter(|r| r[4] == "Cancelled").collect();
            if !cancelled.is_empty() && cancelled.len() == rows.len() {
                churned += 1;
            }
            if !cancelled.is_empty() && cancelled.len() < rows.len() {
                let last_end = cancelled.iter().map(|r| iso(&r[6])).max().unwrap();
                if rows.iter().any(|r| r[4] == "Active" && iso(&r[5]) > last_end) {
                    reactivated += 1;
                } else {
                    contracted += 1;
                }
            }
        }
        assert!(churned >= 5, "churned {churned}");
        assert!(contracted >= 1, "contracted {contracted}");
        assert!(reactivated >= 2, "reactivated {reactivated}");
    }

    #[test]
    fn leads_progress_through_the_funnel() {
        let files = default_files();
        let deals = table(&files, "deals");
        let leads = table(&files, "leads");
        assert_eq!(leads.header.len(), 14);
        let (id, stage, created, kind) =
            (deals.col("Opportunity ID"), deals.col("Stage"), deals.col("Created Date"), deals.col("Type"));
        let by_id: HashMap<&str, &Vec<String>> = deals.rows.iter().map(|r| (r[id].as_str(), r)).collect();
        let mut seen_ids = HashSet::new();
        let mut counts = [0usize; 5];
        let mut deals_with_lead = HashSet::new();
        for l in &leads.rows {
            assert!(seen_ids.insert(l[0].clone()), "duplicate record id");
            assert!(HS_SOURCES.contains(&l[6].as_str()));
            let stage_idx = LIFECYCLE.iter().position(|&s| s == l[7]).expect("lifecycle");
            counts[stage_idx] += 1;
            // create <= lead <= mql <= sql <= opp <= customer, present up to the stage.
            let dates: Vec<&str> = (8..13).map(|c| l[c].as_str()).collect();
            assert!(l[5] <= l[8] || l[8].is_empty());
            for (k, d) in dates.iter().enumerate() {
                assert_eq!(!d.is_empty(), k <= stage_idx, "stage dates of {l:?}");
                if !d.is_empty() {
                    assert_eq!(d.len(), 16);
                    assert!(*d <= "2026-06-30 23:59");
                }
            }
            let present: Vec<&&str> = dates.iter().filter(|d| !d.is_empty()).collect();
            assert!(present.windows(2).all(|w| w[0] <= w[1]), "monotone {l:?}");
            if stage_idx >= 3 {
                let d = by_id.get(l[13].as_str()).expect("associated deal exists");
                assert_eq!(d[kind], "New Business");
                assert_eq!(iso(&l[11]), mdy(&d[created]));
                assert!(deals_with_lead.insert(l[13].clone()), "one contact per deal");
                if stage_idx == 4 {
                    assert_eq!(d[stage], "Closed Won");
                } else {
                    assert_ne!(d[stage], "Closed Won");
                }
            } else {
                assert!(l[13].is_empty());
            }
        }
        // Realistic drop-off.
        let reached = |k: usize| counts[k..].iter().sum::<usize>() as f64;
        let mql = reached(1) / reached(0);
        let sql = reached(2) / reached(1);
        let opp = reached(3) / reached(2);
        assert!((0.2..0.45).contains(&mql), "lead->MQL {mql}");
        assert!((0.25..0.6).contains(&sql), "MQL->SQL {sql}");
        assert!((0.45..0.8).contains(&opp), "SQL->opp {opp}");
        assert!(counts[4] > 30);
    }

    #[test]
    fn spend_quotas_and_other_income() {
        let files = default_files();
        let spend = table(&files, "spend");
        assert_eq!(spend.header, ["Month", "Department", "Category", "Amount"]);
        let months: HashSet<&str> = spend.rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(months.len(), 30);
        assert!(months.contains("2024-01") && months.contains("2026-06"));
        for r in &spend.rows {
            assert!(r[1] == "Marketing" || r[1] == "Sales");
            assert!(r[3].parse::<f64>().unwrap() >= 0.0);
        }
        let quotas = table(&files, "quotas");
        assert_eq!(quotas.header, ["Owner", "Period", "Quota"]);
        assert_eq!(quotas.rows.len(), 8 * 11);
        for o in &OWNERS {
            let periods: Vec<&str> = quotas.rows.iter().filter(|r| r[0] == o.name).map(|r| r[1].as_str()).collect();
            assert_eq!(periods.len(), 11);
            assert_eq!(periods[0], "2024-Q1");
            assert_eq!(periods[10], "2026-Q3");
        }
        let other = table(&files, "other_income");
        assert_eq!(other.header, ["Date", "Category", "Amount", "Memo"]);
        let mut cats = HashSet::new();
        for r in &other.rows {
            assert!(["Interest", "Investment", "Royalty", "Other"].contains(&r[1].as_str()));
            cats.insert(r[1].clone());
            assert!(iso(&r[0]) <= (2026, 6, 30));
        }
        assert_eq!(cats.len(), 4);
        assert_eq!(iso(&other.rows.last().unwrap()[0]), (2026, 6, 30));
    }

    #[test]
    fn as_of_date_is_the_latest_event() {
        let files = default_files();
        let asof = (2026, 6, 30);
        let deals = table(&files, "deals");
        let created = deals.col("Created Date");
        assert!(deals.rows.iter().all(|r| mdy(&r[created]) <= asof));
        let hist = table(&files, "stage_history");
        assert!(hist.rows.iter().all(|r| iso(&r[5]) <= asof));
        let subs = table(&files, "revenue_lines");
        assert!(subs.rows.iter().all(|r| iso(&r[5]) <= asof));
    }

    #[test]
    fn quality_problems_are_exactly_as_documented() {
        let opts = SampleOptions::default();
        let world = World::build(&opts);
        let p = &world.problems;
        for (what, ix) in [
            ("duplicate", p.duplicate),
            ("zero", p.zero_amount),
            ("backdated", p.backdated),
            ("owner case", p.owner_case),
            ("owner space", p.owner_space),
            ("no close", p.no_close),
            ("n/a", p.amount_na),
            ("prob", p.prob_lost_100),
            ("orphan", p.orphan),
        ] {
            assert!(ix.is_some(), "{what} not injected");
        }
        let files = world.files();
        let deals = table(&files, "deals");
        let c = |n: &str| deals.col(n);
        let (id, owner, stage, amount, prob, created, close, kind, account) = (
            c("Opportunity ID"),
            c("Opportunity Owner"),
            c("Stage"),
            c("Amount"),
            c("Probability (%)"),
            c("Created Date"),
            c("Close Date"),
            c("Type"),
            c("Account Name"),
        );
        let rows = &deals.rows;

        // 1. Exactly one exact duplicate row, adjacent to its original.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut dups = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            if let Some(&j) = seen.get(r[id].as_str()) {
                dups.push((j, i));
            } else {
                seen.insert(&r[id], i);
            }
        }
        assert_eq!(dups.len(), 1);
        let (a, b) = dups[0];
        assert_eq!(b, a + 1);
        assert_eq!(rows[a], rows[b]);
        assert_eq!(rows[a][stage], "Closed Won");
        assert_eq!(rows[a][kind], "New Business");
        // Same name + account + amount + close date happens only there.
        let keys: HashSet<(&str, &str, &str, &str)> =
            rows.iter().map(|r| (r[1].as_str(), r[account].as_str(), r[amount].as_str(), r[close].as_str())).collect();
        assert_eq!(keys.len(), rows.len() - 1);

        // 2. One won deal with amount 0.00; every other amount is a number >= 1500.
        let zero: Vec<_> = rows.iter().filter(|r| r[amount] == "0.00").collect();
        assert_eq!(zero.len(), 1);
        assert_eq!(zero[0][stage], "Closed Won");
        assert!(subscription_accounts(&files).contains(&zero[0][account]));

        // 6. One amount "n/a" on an open deal.
        let na: Vec<_> = rows.iter().filter(|r| r[amount] == "n/a").collect();
        assert_eq!(na.len(), 1);
        assert!(!na[0][stage].starts_with("Closed"));
        for r in rows {
            if r[amount] != "n/a" && r[amount] != "0.00" {
                let v: f64 = r[amount].parse().expect("numeric amount");
                assert!(v >= 1500.0);
                assert!(r[amount].ends_with(".00"));
            }
        }

        // 3. One close date before created date, on a Closed Lost deal.
        let back: Vec<_> = rows.iter().filter(|r| !r[close].is_empty() && mdy(&r[close]) < mdy(&r[created])).collect();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0][stage], "Closed Lost");

        // 4. Owner variants: one "jon smith", one "Jon  Smith"; all others canonical.
        let canonical: HashSet<&str> = OWNERS.iter().map(|o| o.name).collect();
        let odd: Vec<&str> = rows.iter().map(|r| r[owner].as_str()).filter(|o| !canonical.contains(o)).collect();
        let mut odd_sorted = odd.clone();
        odd_sorted.sort_unstable();
        assert_eq!(odd_sorted, ["Jon  Smith", "jon smith"]);

        // 5. One open deal without close date.
        let empty: Vec<_> = rows.iter().filter(|r| r[close].is_empty()).collect();
        assert_eq!(empty.len(), 1);
        assert!(["Qualification", "Needs Analysis"].contains(&empty[0][stage].as_str()));

        // 7. Probability inconsistent with status exactly once: Closed Lost at 100.
        let mut bad = Vec::new();
        for r in rows {
            let s = STAGES.iter().position(|&s| s == r[stage]).unwrap();
            if r[prob] != STAGE_PROB[s].to_string() {
                bad.push(r);
            }
        }
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0][stage], "Closed Lost");
        assert_eq!(bad[0][prob], "100");

        // 8. Exactly one won deal whose account has no subscription: an expansion.
        let customers = subscription_accounts(&files);
        let orphans: Vec<_> =
            rows.iter().filter(|r| r[stage] == "Closed Won" && !customers.contains(&r[account])).collect();
        assert_eq!(orphans.len(), 1);
        assert_eq!(orphans[0][kind], "Existing Business");
        assert_eq!(rows.iter().filter(|r| r[account] == orphans[0][account]).count(), 1);

        // Past-due open deals exist (a pipeline fact, not an injected error).
        let past_due = rows
            .iter()
            .filter(|r| !r[stage].starts_with("Closed") && !r[close].is_empty() && mdy(&r[close]) < (2026, 6, 30))
            .count();
        assert!(past_due >= 3, "past due {past_due}");
    }
}
