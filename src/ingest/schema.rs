//! What a file is: its kind (deals, leads, …), the CRM it came from, and which column holds
//! which canonical field — decided from the header row through synonym tables.
//!
//! Headers are compared in a normal form: letters and digits only, lower case, with a
//! Salesforce custom-field `__c` suffix and a Pipedrive `Deal - ` style prefix removed.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The kinds of file revlens understands (SPEC §2).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Deals,
    Leads,
    StageHistory,
    RevenueLines,
    Spend,
    Quotas,
    OtherIncome,
}

impl FileKind {
    pub const ALL: [FileKind; 7] = [
        FileKind::Deals,
        FileKind::Leads,
        FileKind::StageHistory,
        FileKind::RevenueLines,
        FileKind::Spend,
        FileKind::Quotas,
        FileKind::OtherIncome,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Deals => "deals",
            FileKind::Leads => "leads",
            FileKind::StageHistory => "stage_history",
            FileKind::RevenueLines => "revenue_lines",
            FileKind::Spend => "spend",
            FileKind::Quotas => "quotas",
            FileKind::OtherIncome => "other_income",
        }
    }
}

/// The system that wrote the export, as far as its header tells.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Salesforce,
    Hubspot,
    Pipedrive,
    Zoho,
    Billing,
    Generic,
}

/// The CRM a deals export of this source comes from (whose default stage probabilities apply).
pub fn crm_of(source: Source) -> crate::model::Crm {
    use crate::model::Crm;
    match source {
        Source::Salesforce => Crm::Salesforce,
        Source::Hubspot => Crm::Hubspot,
        Source::Pipedrive => Crm::Pipedrive,
        Source::Zoho => Crm::Zoho,
        Source::Billing | Source::Generic => Crm::Other,
    }
}

/// A canonical field a column can hold. Names are the user's words.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    // deals
    Id,
    Name,
    Account,
    Owner,
    Stage,
    Status,
    IsWon,
    IsClosed,
    Amount,
    Currency,
    Probability,
    Created,
    Close,
    WonTime,
    LostTime,
    ForecastCategory,
    LeadSource,
    DealType,
    Region,
    Product,
    // leads
    LeadStatus,
    Mql,
    Sql,
    Opportunity,
    Customer,
    DealId,
    IsConverted,
    // stage history
    At,
    /// A field-history export's `Field` column: which field the row changed (its `New Value`
    /// is read as the stage, the close date or the amount accordingly).
    HistoryField,
    /// A field-history export's `Old Value`: the close date or amount before a change (so the
    /// first change of either is seen too).
    OldValue,
    // revenue lines
    CustomerId,
    CustomerName,
    Subscription,
    Start,
    End,
    Month,
    Mrr,
    Arr,
    Interval,
    Recurring,
    // spend, quotas, other income
    Channel,
    Category,
    Period,
    Quota,
    Date,
    Memo,
    /// The user said: do not use this column.
    Ignore,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        FIELD_NAMES.iter().find(|(f, _)| *f == self).map_or("?", |(_, n)| n)
    }
}

const FIELD_NAMES: &[(Field, &str)] = &[
    (Field::Id, "id"),
    (Field::Name, "name"),
    (Field::Account, "account"),
    (Field::Owner, "owner"),
    (Field::Stage, "stage"),
    (Field::Status, "status"),
    (Field::IsWon, "is_won"),
    (Field::IsClosed, "is_closed"),
    (Field::Amount, "amount"),
    (Field::Currency, "currency"),
    (Field::Probability, "probability"),
    (Field::Created, "created"),
    (Field::Close, "close"),
    (Field::WonTime, "won_time"),
    (Field::LostTime, "lost_time"),
    (Field::ForecastCategory, "forecast_category"),
    (Field::LeadSource, "lead_source"),
    (Field::DealType, "deal_type"),
    (Field::Region, "region"),
    (Field::Product, "product"),
    (Field::LeadStatus, "lead_status"),
    (Field::Mql, "mql"),
    (Field::Sql, "sql"),
    (Field::Opportunity, "opportunity"),
    (Field::Customer, "customer"),
    (Field::DealId, "deal_id"),
    (Field::IsConverted, "is_converted"),
    (Field::At, "at"),
    (Field::HistoryField, "history_field"),
    (Field::OldValue, "old_value"),
    (Field::CustomerId, "customer_id"),
    (Field::CustomerName, "customer_name"),
    (Field::Subscription, "subscription"),
    (Field::Start, "start"),
    (Field::End, "end"),
    (Field::Month, "month"),
    (Field::Mrr, "mrr"),
    (Field::Arr, "arr"),
    (Field::Interval, "interval"),
    (Field::Recurring, "recurring"),
    (Field::Channel, "channel"),
    (Field::Category, "category"),
    (Field::Period, "period"),
    (Field::Quota, "quota"),
    (Field::Date, "date"),
    (Field::Memo, "memo"),
    (Field::Ignore, "ignore"),
];

/// Normal form of a header: `"Probability (%)"` → `probability`, `Amount__c` → `amount`,
/// `"Deal - Title"` → `title`, `Opportunity.StageName` → `stagename`.
pub fn normalize_header(header: &str) -> String {
    let mut h = header.trim().trim_start_matches('\u{feff}');
    let lower = h.to_ascii_lowercase();
    if lower.ends_with("__c") {
        h = &h[..h.len() - 3];
    }
    // Pipedrive's "Deal - Title", "Organization - Name", "Person - Email": keep the part after the dash.
    if let Some(pos) = h.find(" - ") {
        let prefix = h[..pos].trim().to_ascii_lowercase();
        if matches!(prefix.as_str(), "deal" | "organization" | "organisation" | "person" | "lead" | "activity") {
            h = &h[pos + 3..];
        }
    }
    // Relationship paths "Opportunity.StageName": keep the last part.
    if let Some(pos) = h.rfind('.') {
        if pos + 1 < h.len() && !h[pos + 1..].starts_with(' ') {
            h = &h[pos + 1..];
        }
    }
    h.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Synonyms per kind and field, in priority order (an earlier synonym wins when two columns
/// could hold the same field).
fn synonyms(kind: FileKind) -> &'static [(Field, &'static [&'static str])] {
    use Field::*;
    match kind {
        FileKind::Deals => &[
            (
                Id,
                &[
                    "opportunityid",
                    "oppid",
                    "dealid",
                    "potentialid",
                    "recordid",
                    "id",
                    "opportunityidcasesafe",
                    "opportunity18charid",
                    "dealidnumber",
                ],
            ),
            (
                Name,
                &["opportunityname", "dealname", "potentialname", "title", "dealtitle", "name", "opportunity", "deal"],
            ),
            (
                Account,
                &[
                    "accountname",
                    "account",
                    "companyname",
                    "company",
                    "organization",
                    "organisation",
                    "organizationname",
                    "associatedcompany",
                    "customername",
                    "customer",
                    "client",
                    "accountid",
                ],
            ),
            (
                Owner,
                &[
                    "opportunityowner",
                    "dealowner",
                    "owner",
                    "ownername",
                    "ownerfullname",
                    "salesagent",
                    "salesrep",
                    "salesperson",
                    "rep",
                    "accountexecutive",
                    "assignedto",
                    "user",
                    "ownerid",
                    "hubspotowner",
                    "opportunityinhaber",
                    "inhaber",
                ],
            ),
            (
                Stage,
                &[
                    "stage",
                    "stagename",
                    "dealstage",
                    "opportunitystage",
                    "salesstage",
                    "pipelinestage",
                    "phase",
                    "verkaufsphase",
                ],
            ),
            (Status, &["status", "dealstatus", "outcome", "result", "wonlost", "state"]),
            (IsWon, &["iswon", "won", "isclosedwon", "closedwon"]),
            (IsClosed, &["isclosed", "closed"]),
            (
                Amount,
                &[
                    "amount",
                    "value",
                    "dealvalue",
                    "dealamount",
                    "closevalue",
                    "opportunityamount",
                    "totalamount",
                    "totalcontractvalue",
                    "tcv",
                    "acv",
                    "amountconverted",
                    "dealvaluecurrency",
                    "betrag",
                    "wert",
                ],
            ),
            (
                Currency,
                &[
                    "currency",
                    "currencyisocode",
                    "opportunitycurrency",
                    "dealcurrency",
                    "currencycode",
                    "amountcurrency",
                ],
            ),
            (
                Probability,
                &[
                    "probability",
                    "probabilitypercent",
                    "probabilitypct",
                    "dealprobability",
                    "winprobability",
                    "dealstageprobability",
                    "wahrscheinlichkeit",
                ],
            ),
            (
                Created,
                &[
                    "createddate",
                    "createdate",
                    "created",
                    "createdon",
                    "createdtime",
                    "createdat",
                    "dealcreated",
                    "dealcreatedate",
                    "engagedate",
                    "opendate",
                    "datecreated",
                    "addtime",
                    "erstelldatum",
                    "erstelltam",
                ],
            ),
            (
                Close,
                &[
                    "closedate",
                    "closingdate",
                    "expectedclosedate",
                    "closedon",
                    "closedat",
                    "closetime",
                    "dealclosedon",
                    "expectedclosingdate",
                    "closeddate",
                    "schlusstermin",
                    "abschlussdatum",
                ],
            ),
            (WonTime, &["wontime", "datewon", "wondate", "wonon"]),
            (LostTime, &["losttime", "datelost", "lostdate", "loston"]),
            (ForecastCategory, &["forecastcategory", "forecastcategoryname", "forecast", "forecasttype"]),
            (
                LeadSource,
                &[
                    "leadsource",
                    "originalsource",
                    "source",
                    "dealsource",
                    "opportunitysource",
                    "originalsourcetype",
                    "channel",
                    "sourcechannel",
                    "leadquelle",
                ],
            ),
            (
                DealType,
                &["type", "typ", "dealtype", "opportunitytype", "businesstype", "salestype", "opportunityrecordtype"],
            ),
            (
                Region,
                &[
                    "region",
                    "territory",
                    "salesregion",
                    "regionaloffice",
                    "salesterritory",
                    "geo",
                    "area",
                    "market",
                    "billingcountry",
                    "country",
                ],
            ),
            (Product, &["product", "productname", "productline", "productfamily", "plan"]),
        ],
        FileKind::Leads => &[
            (Id, &["recordid", "leadid", "contactid", "id", "email", "emailaddress"]),
            (
                Created,
                &[
                    "createdate",
                    "createddate",
                    "created",
                    "createdat",
                    "createdon",
                    "becamealeaddate",
                    "leadcreateddate",
                    "datecreated",
                ],
            ),
            (
                LeadSource,
                &[
                    "leadsource",
                    "originalsource",
                    "source",
                    "channel",
                    "originalsourcetype",
                    "utmsource",
                    "sourcechannel",
                ],
            ),
            (LeadStatus, &["leadstatus", "lifecyclestage", "status", "stage"]),
            (
                Account,
                &[
                    "companyname",
                    "company",
                    "companyaccount",
                    "account",
                    "accountname",
                    "associatedcompany",
                    "organization",
                ],
            ),
            (Owner, &["leadowner", "contactowner", "owner", "ownername", "hubspotowner"]),
            (
                Mql,
                &[
                    "becameamarketingqualifiedleaddate",
                    "mqldate",
                    "dateofmql",
                    "marketingqualifieddate",
                    "mqlat",
                    "becameanmqldate",
                ],
            ),
            (
                Sql,
                &[
                    "becameasalesqualifiedleaddate",
                    "sqldate",
                    "dateofsql",
                    "salesqualifieddate",
                    "sqlat",
                    "becameansqldate",
                ],
            ),
            (
                Opportunity,
                &[
                    "becameanopportunitydate",
                    "opportunitydate",
                    "converteddate",
                    "opportunitycreateddate",
                    "dateconverted",
                ],
            ),
            (Customer, &["becameacustomerdate", "customerdate", "closedwondate", "becamecustomerdate", "wondate"]),
            (
                DealId,
                &[
                    "associateddeal",
                    "associateddealids",
                    "convertedopportunityid",
                    "convertedopportunity",
                    "dealid",
                    "opportunityid",
                    "associateddeals",
                ],
            ),
            (IsConverted, &["isconverted", "converted"]),
        ],
        FileKind::StageHistory => &[
            (DealId, &["opportunityid", "dealid", "recordid", "parentid", "id", "potentialid"]),
            (Stage, &["stagename", "stage", "tostage", "newvalue", "dealstage", "newstage"]),
            (HistoryField, &["field", "fieldname", "changedfield", "property", "propertyname"]),
            (OldValue, &["oldvalue", "previousvalue", "fromvalue"]),
            (Close, &["closedate", "close", "expectedclosedate", "estimatedclosedate", "expectedclose"]),
            (Amount, &["amount", "dealamount", "opportunityamount", "value"]),
            (
                At,
                &[
                    "createddate",
                    "date",
                    "changedat",
                    "enteredat",
                    "entered",
                    "dateentered",
                    "timestamp",
                    "changedate",
                    "createdat",
                    "lastmodified",
                    "lastmodifieddate",
                    "editdate",
                    "modifiedtime",
                ],
            ),
        ],
        FileKind::RevenueLines => &[
            (CustomerId, &["customerid", "accountid", "clientid", "customer", "account", "companyid", "customercode"]),
            (CustomerName, &["customername", "accountname", "companyname", "clientname", "company", "name"]),
            (Subscription, &["subscriptionid", "subscription", "invoiceid", "invoicenumber", "lineid", "contractid"]),
            (
                Start,
                &[
                    "startdate",
                    "start",
                    "subscriptionstart",
                    "subscriptionstartdate",
                    "periodstart",
                    "currentperiodstartutc",
                    "currentperiodstart",
                    "servicestart",
                    "startutc",
                    "startedat",
                    "contractstart",
                ],
            ),
            (
                End,
                &[
                    "enddate",
                    "end",
                    "subscriptionend",
                    "subscriptionenddate",
                    "periodend",
                    "endedatutc",
                    "endedat",
                    "canceledatutc",
                    "canceledat",
                    "cancelledat",
                    "cancelleddate",
                    "churndate",
                    "contractend",
                ],
            ),
            (
                Month,
                &[
                    "billingmonth",
                    "month",
                    "invoicemonth",
                    "revenuemonth",
                    "period",
                    "billingperiod",
                    "invoicedate",
                    "date",
                ],
            ),
            (
                Mrr,
                &[
                    "mrr",
                    "mrramount",
                    "monthlyprice",
                    "monthlyamount",
                    "monthlyrecurringrevenue",
                    "monthlyfee",
                    "amount",
                    "price",
                    "revenue",
                    "invoiceamount",
                    "total",
                ],
            ),
            (Arr, &["arr", "arramount", "annualrecurringrevenue", "annualvalue"]),
            (Currency, &["currency", "currencycode", "currencyisocode"]),
            (Status, &["status", "subscriptionstatus", "state"]),
            (
                Interval,
                &["interval", "billingfrequency", "billinginterval", "frequency", "plan interval", "planinterval"],
            ),
            (Recurring, &["recurring", "isrecurring", "revenuetype"]),
        ],
        FileKind::Spend => &[
            (Month, &["month", "period", "date", "spendmonth"]),
            (Channel, &["department", "channel", "team", "function", "costcenter", "budget"]),
            (Category, &["category", "subchannel", "campaign", "item", "type", "lineitem", "expense"]),
            (Amount, &["amount", "spend", "cost", "value", "total", "expense amount"]),
        ],
        FileKind::Quotas => &[
            (
                Owner,
                &["owner", "ownername", "rep", "salesrep", "user", "salesagent", "team", "name", "opportunityowner"],
            ),
            (Period, &["period", "quarter", "month", "fiscalperiod", "year", "fiscalquarter"]),
            (Start, &["startdate", "periodstart", "start"]),
            (End, &["enddate", "periodend", "end"]),
            (Quota, &["quota", "quotaamount", "target", "amount", "goal"]),
        ],
        FileKind::OtherIncome => &[
            (Date, &["date", "postingdate", "transactiondate", "month", "period"]),
            (Category, &["category", "type", "incometype", "account", "source"]),
            (Amount, &["amount", "value", "credit", "income"]),
            (Memo, &["memo", "description", "note", "notes"]),
        ],
    }
}

/// Fields whose presence makes a kind likely, and how much.
fn kind_evidence(kind: FileKind) -> &'static [(Field, i32)] {
    use Field::*;
    match kind {
        FileKind::Deals => &[
            (Stage, 5),
            (IsWon, 4),
            (Status, 1),
            (Amount, 3),
            (Close, 3),
            (Name, 2),
            (Owner, 2),
            (Probability, 2),
            (ForecastCategory, 2),
            (Account, 1),
        ],
        FileKind::Leads => {
            &[(Mql, 5), (Sql, 5), (Opportunity, 3), (Customer, 3), (IsConverted, 3), (LeadStatus, 1), (LeadSource, 1)]
        }
        FileKind::StageHistory => &[(DealId, 3), (Stage, 3), (At, 2)],
        FileKind::RevenueLines => {
            &[(Mrr, 4), (Arr, 3), (Subscription, 3), (Start, 1), (End, 1), (Month, 1), (CustomerId, 1)]
        }
        FileKind::Spend => &[(Channel, 3), (Month, 2), (Amount, 1)],
        FileKind::Quotas => &[(Quota, 6), (Period, 1), (Owner, 1)],
        FileKind::OtherIncome => &[(Date, 1), (Category, 2), (Amount, 1)],
    }
}

/// Which column holds which field (by column index), for one file.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Mapping {
    /// Per column: the field it was mapped to, or `None` when unused.
    pub columns: Vec<Option<Field>>,
    /// Wide "Date entered <stage>" columns (HubSpot): column index → stage name.
    pub stage_entered: Vec<(usize, String)>,
}

impl Mapping {
    /// The first column holding `field` (a scan of the header: rows use a table built once).
    pub fn column(&self, field: Field) -> Option<usize> {
        let found = self.columns.iter().position(|f| *f == Some(field));
        crate::work::add(found.map_or(self.columns.len(), |c| c + 1));
        found
    }
    pub fn has(&self, field: Field) -> bool {
        self.column(field).is_some()
    }
}

/// A user's correction for one file: its kind and/or fields per header.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MappingOverride {
    #[serde(default)]
    pub kind: Option<FileKind>,
    /// Header (as written, or in normal form) → field name (`"ignore"` to drop a column).
    #[serde(default)]
    pub columns: HashMap<String, Field>,
}

/// Maps headers to fields for a kind, applying an override.
pub fn map_headers(kind: FileKind, headers: &[String], over: Option<&MappingOverride>) -> Mapping {
    let normal: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    let mut columns: Vec<Option<Field>> = vec![None; headers.len()];
    let mut taken: HashMap<Field, usize> = HashMap::new();
    if let Some(o) = over {
        for (i, h) in headers.iter().enumerate() {
            let forced = o.columns.get(h).or_else(|| o.columns.get(&normal[i]));
            if let Some(&f) = forced {
                if f != Field::Ignore {
                    taken.insert(f, i);
                }
                columns[i] = Some(f);
            }
        }
    }
    let mut stage_entered = Vec::new();
    if kind == FileKind::Deals {
        for (i, h) in headers.iter().enumerate() {
            if columns[i].is_none() {
                if let Some(stage) = entered_stage_name(h) {
                    stage_entered.push((i, stage));
                    columns[i] = Some(Field::Ignore);
                }
            }
        }
    }
    // Columns by normal form, in order: each synonym is looked up rather than compared with
    // every header, so a header of 100,000 columns costs 100,000 steps, not 100,000 per name.
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::with_capacity(normal.len());
    for (i, n) in normal.iter().enumerate() {
        by_name.entry(n.as_str()).or_default().push(i);
    }
    let mut looked_up = 0;
    for (field, names) in synonyms(kind) {
        if taken.contains_key(field) {
            continue;
        }
        'names: for name in names.iter() {
            looked_up += 1;
            // The first column of that name not mapped yet (at most one per field is).
            if let Some(&i) = by_name.get(name).and_then(|cols| cols.iter().find(|&&i| columns[i].is_none())) {
                columns[i] = Some(*field);
                taken.insert(*field, i);
                break 'names;
            }
        }
    }
    crate::work::add(2 * headers.len() + looked_up);
    for c in columns.iter_mut() {
        if *c == Some(Field::Ignore) {
            *c = None;
        }
    }
    Mapping { columns, stage_entered }
}

/// `Date entered "Closed Won (Sales Pipeline)"` → `Closed Won`.
fn entered_stage_name(header: &str) -> Option<String> {
    let lower = header.trim().to_ascii_lowercase();
    let rest = lower.strip_prefix("date entered")?;
    let start = header.len() - rest.len();
    let mut stage = header[start..].trim().trim_matches(|c| c == '"' || c == '\'' || c == '“' || c == '”').trim();
    if let Some(open) = stage.rfind(" (") {
        if stage.ends_with(')') {
            stage = &stage[..open];
        }
    }
    (!stage.is_empty()).then(|| stage.to_string())
}

/// Evidence beyond the header that helps tell kinds apart.
#[derive(Clone, Debug, Default)]
pub struct KindHints<'a> {
    pub file_name: &'a str,
    /// True when the column mapped to a deal id repeats within the sample rows (a history).
    pub ids_repeat: bool,
}

/// Words of a file name that say it is a stage history.
const HISTORY_NAME_WORDS: &[&str] = &["history", "stage_change", "stagechange"];

/// The most likely kind of a file from its headers, with the score of each kind.
pub fn detect_kind(headers: &[String], hints: &KindHints) -> (FileKind, Vec<(FileKind, i32)>) {
    let name = hints.file_name.to_ascii_lowercase();
    let named_history = HISTORY_NAME_WORDS.iter().any(|w| name.contains(w));
    let deals = map_headers(FileKind::Deals, headers, None);
    let deal_level = deals.has(Field::Name) || deals.has(Field::Owner) || deals.has(Field::Account);
    let mut scores = Vec::new();
    for kind in FileKind::ALL {
        let m = map_headers(kind, headers, None);
        let mut score: i32 = kind_evidence(kind).iter().filter(|(f, _)| m.has(*f)).map(|(_, w)| w).sum();
        score += 2 * m.stage_entered.len().min(3) as i32;
        let name_words: &[&str] = match kind {
            FileKind::Deals => &["opportunit", "deal", "pipeline", "potential"],
            FileKind::Leads => &["lead", "contact"],
            FileKind::StageHistory => HISTORY_NAME_WORDS,
            FileKind::RevenueLines => &["subscription", "mrr", "billing", "invoice", "revenue"],
            FileKind::Spend => &["spend", "cost", "budget", "expense"],
            FileKind::Quotas => &["quota", "target"],
            FileKind::OtherIncome => &["income", "ledger", "interest", "royalt"],
        };
        // A file named a history ("opportunity_history.csv") with no deal-level columns is one:
        // its parent's word ("opportunit") is no evidence of deals, and the name weighs as
        // repeated ids do, since a history sorted by date may repeat no id in the rows sampled
        // (a large one's first rows are each deal's first event).
        if kind == FileKind::StageHistory && named_history && !deal_level {
            score += 10;
        } else if name_words.iter().any(|w| name.contains(w)) && !(kind == FileKind::Deals && named_history) {
            score += 2;
        }
        // Required signatures: without these, the kind is impossible.
        let possible = match kind {
            FileKind::Deals => {
                m.has(Field::Stage) || m.has(Field::IsWon) || (m.has(Field::Status) && m.has(Field::Amount))
            }
            FileKind::Leads => {
                m.has(Field::Mql)
                    || m.has(Field::Sql)
                    || m.has(Field::Opportunity)
                    || m.has(Field::Customer)
                    || m.has(Field::IsConverted)
                    || (m.has(Field::LeadStatus) && m.has(Field::Created) && !m.has(Field::Amount))
            }
            FileKind::StageHistory => m.has(Field::DealId) && m.has(Field::Stage) && m.has(Field::At),
            FileKind::RevenueLines => {
                (m.has(Field::Mrr) || m.has(Field::Arr))
                    && (m.has(Field::Start) || m.has(Field::Month))
                    && (m.has(Field::CustomerId) || m.has(Field::CustomerName))
            }
            FileKind::Spend => m.has(Field::Month) && m.has(Field::Amount) && m.has(Field::Channel),
            FileKind::Quotas => {
                m.has(Field::Quota) && m.has(Field::Owner) && (m.has(Field::Period) || m.has(Field::Start))
            }
            FileKind::OtherIncome => m.has(Field::Date) && m.has(Field::Amount) && m.has(Field::Category),
        };
        if !possible {
            score = i32::MIN / 2;
        }
        // A stage column whose ids repeat, with no deal-level columns: a history, not deals.
        if kind == FileKind::StageHistory && hints.ids_repeat {
            score += 10;
        }
        if kind == FileKind::Deals && hints.ids_repeat && !deal_level {
            score -= 20;
        }
        scores.push((kind, score));
    }
    let best =
        scores.iter().max_by_key(|(k, s)| (*s, std::cmp::Reverse(*k))).map(|(k, _)| *k).unwrap_or(FileKind::Deals);
    (best, scores)
}

/// True when no kind is possible for these headers.
pub fn no_kind_possible(scores: &[(FileKind, i32)]) -> bool {
    scores.iter().all(|(_, s)| *s < -1000)
}

/// The CRM that wrote a header row (and footer), as far as it can be told.
pub fn detect_source(headers: &[String], has_salesforce_footer: bool) -> Source {
    let raw: Vec<String> = headers.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    let normal: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    // Up to 20 passes over the headers below.
    crate::work::add(22 * headers.len());
    let has = |n: &str| normal.iter().any(|h| h == n);
    if raw
        .iter()
        .filter(|h| h.starts_with("deal - ") || h.starts_with("organization - ") || h.starts_with("person - "))
        .count()
        >= 2
    {
        return Source::Pipedrive;
    }
    if has_salesforce_footer
        || has("stagename")
        || has("iswon")
        || has("opportunityowner")
        || has("opportunityname")
        || has("forecastcategoryname")
        || raw.iter().any(|h| h.ends_with("__c"))
    {
        return Source::Salesforce;
    }
    if has("potentialname") || has("dealowner") && has("closingdate") || has("closingdate") && has("createdtime") {
        return Source::Zoho;
    }
    if (has("recordid") && (has("dealstage") || has("createdate") || has("lifecyclestage")))
        || raw.iter().any(|h| h.starts_with("became a") || h.starts_with("date entered"))
    {
        return Source::Hubspot;
    }
    if has("mrr") || has("subscriptionid") || has("currentperiodstartutc") {
        return Source::Billing;
    }
    Source::Generic
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn header_normal_form() {
        assert_eq!(normalize_header("Probability (%)"), "probability");
        assert_eq!(normalize_header("Region__c"), "region");
        assert_eq!(normalize_header("Deal - Title"), "title");
        assert_eq!(normalize_header("Opportunity.StageName"), "stagename");
        assert_eq!(normalize_header("\u{feff}Close Date"), "closedate");
        assert_eq!(normalize_header("close_value"), "closevalue");
    }

    #[test]
    fn maven_headers_map_to_deals() {
        let headers = h(&[
            "opportunity_id",
            "sales_agent",
            "product",
            "account",
            "deal_stage",
            "engage_date",
            "close_date",
            "close_value",
        ]);
        let (kind, _) = detect_kind(&headers, &KindHints::default());
        assert_eq!(kind, FileKind::Deals);
        let m = map_headers(kind, &headers, None);
        assert_eq!(
            m.columns,
            vec![
                Some(Field::Id),
                Some(Field::Owner),
                Some(Field::Product),
                Some(Field::Account),
                Some(Field::Stage),
                Some(Field::Created),
                Some(Field::Close),
                Some(Field::Amount)
            ]
        );
        assert_eq!(detect_source(&headers, false), Source::Generic);
    }

    #[test]
    fn crm_signatures() {
        let sf = h(&["Opportunity ID", "Opportunity Name", "Opportunity Owner", "Stage", "Amount", "Close Date"]);
        assert_eq!(detect_source(&sf, false), Source::Salesforce);
        let api = h(&["Id", "Name", "StageName", "IsWon", "IsClosed", "Amount", "CloseDate", "Region__c"]);
        assert_eq!(detect_source(&api, false), Source::Salesforce);
        let m = map_headers(FileKind::Deals, &api, None);
        assert_eq!(m.column(Field::Region), Some(7));
        let hs = h(&[
            "Record ID",
            "Deal Name",
            "Deal Stage",
            "Amount",
            "Close Date",
            "Create Date",
            "Deal owner",
            "Date entered \"Closed Won (Sales Pipeline)\"",
        ]);
        assert_eq!(detect_source(&hs, false), Source::Hubspot);
        let m = map_headers(FileKind::Deals, &hs, None);
        assert_eq!(m.stage_entered, vec![(7, "Closed Won".to_string())]);
        let pd = h(&["Deal - ID", "Deal - Title", "Deal - Value", "Deal - Status", "Deal - Owner", "Deal - Won time"]);
        assert_eq!(detect_source(&pd, false), Source::Pipedrive);
        assert_eq!(detect_kind(&pd, &KindHints::default()).0, FileKind::Deals);
        let zoho = h(&["Deal Owner", "Deal Name", "Account Name", "Stage", "Amount", "Closing Date", "Created Time"]);
        assert_eq!(detect_source(&zoho, false), Source::Zoho);
    }

    #[test]
    fn kinds_of_other_files() {
        let kind = |list: &[&str], name: &str, ids_repeat: bool| {
            detect_kind(&h(list), &KindHints { file_name: name, ids_repeat }).0
        };
        assert_eq!(
            kind(
                &["Record ID", "Create Date", "Became a Marketing Qualified Lead Date", "Original Source"],
                "x.csv",
                false
            ),
            FileKind::Leads
        );
        let history = ["OPPORTUNITYID", "STAGENAME", "AMOUNT", "PROBABILITY", "CLOSEDATE", "CREATEDDATE"];
        assert_eq!(kind(&history, "x.csv", true), FileKind::StageHistory);
        // Named a history, it is one even when the rows sampled repeat no id (a large history's
        // first rows are each deal's first event); the same columns named otherwise are deals.
        assert_eq!(kind(&history, "salesforce_opportunity_history.csv", false), FileKind::StageHistory);
        assert_eq!(kind(&history, "OpportunityHistory.csv", false), FileKind::StageHistory);
        assert_eq!(kind(&history, "opportunities.csv", false), FileKind::Deals);
        let deals = ["Opportunity ID", "Opportunity Name", "Account Name", "Stage", "Amount", "Close Date"];
        assert_eq!(kind(&deals, "opportunities_history_2026.csv", false), FileKind::Deals);
        let mut with_created = deals.to_vec();
        with_created.push("Created Date");
        assert_eq!(kind(&with_created, "opportunity_history_report.csv", false), FileKind::Deals);
        assert_eq!(
            kind(
                &["customer_id", "subscription_id", "billing_month", "monthly_price", "subscription_status"],
                "x.csv",
                true
            ),
            FileKind::RevenueLines
        );
        assert_eq!(kind(&["Month", "Department", "Category", "Amount"], "x.csv", false), FileKind::Spend);
        assert_eq!(kind(&["Owner", "Period", "Quota"], "x.csv", false), FileKind::Quotas);
        assert_eq!(kind(&["Date", "Category", "Amount", "Memo"], "x.csv", false), FileKind::OtherIncome);
        assert!(no_kind_possible(&detect_kind(&h(&["foo", "bar"]), &KindHints::default()).1));
    }

    #[test]
    fn override_wins() {
        let headers = h(&["Deal Size", "Stage", "Amount"]);
        let mut o = MappingOverride::default();
        o.columns.insert("Deal Size".into(), Field::Amount);
        o.columns.insert("amount".into(), Field::Ignore);
        let m = map_headers(FileKind::Deals, &headers, Some(&o));
        assert_eq!(m.columns, vec![Some(Field::Amount), Some(Field::Stage), None]);
    }
}
