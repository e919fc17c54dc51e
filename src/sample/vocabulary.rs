//! The company's vocabulary: stages, forecast categories, deal types, products, regions,
//! owners, lead sources and the name tables accounts and people are made from.

pub(super) const STAGES: [&str; 7] = [
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
];
pub(super) const STAGE_PROB: [u8; 7] = [10, 20, 40, 60, 80, 100, 0];
pub(super) const STAGE_PROB_DL: [&str; 7] = ["10.0", "20.0", "40.0", "60.0", "80.0", "100.0", "0.0"];
pub(super) const WON: u8 = 5;
pub(super) const LOST: u8 = 6;
/// Outcome marker for paths of deals still open at the as-of date.
pub(super) const OPEN: u8 = 7;

pub(super) const FORECAST: [&str; 5] = ["Pipeline", "Best Case", "Commit", "Closed", "Omitted"];
pub(super) const FC_PIPELINE: u8 = 0;
pub(super) const FC_BEST: u8 = 1;
pub(super) const FC_COMMIT: u8 = 2;
pub(super) const FC_CLOSED: u8 = 3;
pub(super) const FC_OMITTED: u8 = 4;

pub(super) const TYPES: [&str; 3] = ["New Business", "Existing Business", "Renewal"];
pub(super) const NB: u8 = 0;
pub(super) const EB: u8 = 1;
pub(super) const REN: u8 = 2;

pub(super) const PRODUCTS: [&str; 6] =
    ["Starter", "Professional", "Enterprise", "Analytics Add-on", "Premium Support", "Additional Seats"];
/// Yearly probability that a customer on this plan does not renew.
pub(super) const CHURN_Q: [f64; 3] = [0.22, 0.13, 0.07];

pub(super) const REGIONS: [&str; 3] = ["EMEA", "North America", "APAC"];
/// Working hours in UTC minutes (start, length) per region.
pub(super) const REGION_WINDOW: [(u32, u32); 3] = [(420, 600), (810, 570), (30, 570)];

pub(super) struct Owner {
    pub(super) name: &'static str,
    pub(super) region: usize,
    pub(super) win: f64,
    pub(super) size: f64,
    pub(super) volume: f64,
    pub(super) quota: f64,
}

#[rustfmt::skip]
pub(super) const OWNERS: [Owner; 8] = [
    Owner { name: "Jon Smith", region: 1, win: 1.15, size: 1.10, volume: 1.25, quota: 1.15 },
    Owner { name: "Maria Garcia", region: 1, win: 1.00, size: 1.00, volume: 1.10, quota: 1.05 },
    Owner { name: "Emily Johnson", region: 1, win: 0.78, size: 0.90, volume: 1.00, quota: 1.00 },
    Owner { name: "Sophie Martin", region: 0, win: 1.30, size: 1.05, volume: 0.95, quota: 1.00 },
    Owner { name: "Lukas Weber", region: 0, win: 0.90, size: 1.18, volume: 0.90, quota: 1.00 },
    Owner { name: "Aisha Khan", region: 0, win: 1.05, size: 0.95, volume: 0.85, quota: 0.90 },
    Owner { name: "David Chen", region: 2, win: 0.70, size: 0.85, volume: 0.90, quota: 0.95 },
    Owner { name: "Kenji Tanaka", region: 2, win: 1.00, size: 1.00, volume: 0.80, quota: 0.85 },
];

pub(super) const SOURCES: [&str; 7] = ["Web", "Paid Search", "Event", "Webinar", "Partner", "Outbound", "Referral"];
pub(super) const SRC_OUTBOUND: u8 = 5;
pub(super) const SRC_REFERRAL: u8 = 6;
pub(super) const NB_SOURCE_W: [f64; 7] = [22.0, 18.0, 10.0, 10.0, 12.0, 18.0, 10.0];
pub(super) const EB_SOURCE_W: [f64; 7] = [0.0, 0.0, 15.0, 20.0, 0.0, 50.0, 15.0];
pub(super) const SOURCE_WIN: [f64; 7] = [0.95, 0.75, 1.10, 0.90, 1.40, 0.70, 1.60];
pub(super) const SOURCE_SIZE: [f64; 7] = [0.90, 0.85, 1.15, 0.95, 1.20, 1.10, 1.00];

pub(super) const HS_SOURCES: [&str; 8] = [
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
pub(super) const HS_LEAD_W: [f64; 8] = [24.0, 18.0, 14.0, 12.0, 8.0, 12.0, 8.0, 4.0];
/// Relative funnel conversion of a HubSpot source.
pub(super) const HS_QUALITY: [f64; 8] = [1.1, 0.9, 0.6, 1.0, 1.6, 1.2, 0.9, 0.7];
pub(super) const LIFECYCLE: [&str; 5] =
    ["lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer"];

/// Leads per deal row.
pub(super) const LEADS_PER_DEAL: usize = 8;
/// Share of deal rows created by the "new deal" stream; the rest are renewals and win-backs.
pub(super) const SLOT_FRACTION: f64 = 0.815;

/// Win odds of a New Business deal by the calendar month it would close in.
pub(super) const CLOSE_SEASON: [f64; 12] = [0.9, 0.9, 1.0, 0.95, 0.95, 1.05, 0.9, 0.9, 1.05, 1.1, 1.15, 1.3];

/// Seasonal factor of deal and lead creation by calendar month.
pub(super) const SEASON: [f64; 12] = [0.9, 0.95, 1.0, 0.95, 0.95, 1.0, 0.9, 0.9, 1.05, 1.15, 1.15, 1.0];

#[rustfmt::skip]
pub(super) const ROOTS: [&str; 80] = [
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
pub(super) const NOUNS: [&str; 60] = [
    "Analytics", "Logistics", "Health", "Robotics", "Foods", "Energy", "Software", "Labs",
    "Capital", "Media", "Manufacturing", "Retail", "Insurance", "Biotech", "Freight",
    "Learning", "Hospitality", "Security", "Telecom", "Design", "Consulting", "Materials",
    "Dynamics", "Networks", "Pharma", "Outdoors", "Motors", "Apparel", "Construction",
    "Financial", "Marine", "Aerospace", "Bakeries", "Clinics", "Realty", "Studios", "Systems",
    "Data", "Cloud", "Payments", "Travel", "Farms", "Water", "Solar", "Brewing", "Textiles",
    "Legal", "Dental", "Fitness", "Games", "Publishing", "Chemicals", "Packaging", "Staffing",
    "Semiconductors", "Audio", "Optics", "Mobility", "Interiors", "Supply",
];
pub(super) const QUALIFIERS: [&str; 10] = [
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
pub(super) const SUFFIXES: [[&str; 5]; 3] = [
    [" Ltd", " GmbH", " plc", " AG", " B.V."],
    [" Inc.", ", Inc.", " LLC", " Corp.", ", LLC"],
    [" Pty Ltd", " Pte. Ltd.", " K.K.", " Ltd", " Co., Ltd."],
];
#[rustfmt::skip]
pub(super) const FIRST_NAMES: [&str; 50] = [
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Oliver", "Sophia", "Elijah", "Isabella", "James",
    "Mia", "William", "Amelia", "Benjamin", "Harper", "Lucas", "Evelyn", "Henry", "Abigail",
    "Alexander", "Hannah", "Daniel", "Chloe", "Matthew", "Grace", "Samuel", "Zoe", "David",
    "Nora", "Joseph", "Lily", "Carlos", "Ana", "Mateo", "Lucia", "Hiroshi", "Yuki", "Wei",
    "Mei", "Arjun", "Ananya", "Fatima", "Omar", "Lars", "Ingrid", "Pierre", "Camille", "Giulia",
    "Marco", "Sean",
];
#[rustfmt::skip]
pub(super) const LAST_NAMES: [&str; 50] = [
    "Brown", "Wilson", "Taylor", "Anderson", "Thomas", "Moore", "Jackson", "White", "Harris",
    "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Lopez", "Hill", "Scott",
    "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips",
    "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "O'Brien",
    "Murphy", "Cook", "Rogers", "Nakamura", "Suzuki", "Wang", "Li", "Sharma", "Gupta", "Rossi",
    "Dubois", "Schmidt", "Johansson", "Novak",
];
