//! The string unions of `src/wasm_types.d.ts` (the npm package's TypeScript types) against the
//! Rust enums they describe: every variant, serialized as the binding serializes it, must be in
//! the union, and the union must hold nothing else. The `match`es make a new variant a compile
//! error here, so it cannot be forgotten (add it to the list beside the match too).
//! `tests/consumers` checks the struct shapes the same way, against real results, with tsc.

use revlens::ingest::schema::Field;
use revlens::ingest::schema::FileKind;
use revlens::ingest::schema::Source;
use revlens::ingest::text::TextEncoding;
use revlens::ingest::values::DateOrder;
use revlens::ingest::values::DecimalMark;
use revlens::metrics::periods::Grain;
use revlens::metrics::Lens;
use revlens::metrics::Unit;
use revlens::model::Status;
use revlens::quality::Dimension;
use serde::Serialize;
use std::collections::BTreeSet;

/// The serialized names of `list`; `exhaustive` is a `match` naming every variant.
fn variants<T: Serialize>(list: &[T], exhaustive: fn(&T)) -> BTreeSet<String> {
    list.iter()
        .map(|v| {
            exhaustive(v);
            serde_json::to_value(v).unwrap().as_str().expect("a unit variant serializes to a string").to_string()
        })
        .collect()
}

/// The string literals of `export type NAME = "a" | "b" …;` in the declarations.
fn union(declarations: &str, name: &str) -> BTreeSet<String> {
    let start = declarations.find(&format!("export type {name} =")).unwrap_or_else(|| panic!("no type {name}"));
    let body = &declarations[start..start + declarations[start..].find(';').expect("a ; ends the type")];
    body.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

#[test]
fn typescript_unions_match_the_rust_enums() {
    let declarations = include_str!("../src/wasm_types.d.ts");
    let enums: Vec<(&str, BTreeSet<String>)> = vec![
        (
            "FileKind",
            variants(
                &[
                    FileKind::Deals,
                    FileKind::Leads,
                    FileKind::StageHistory,
                    FileKind::RevenueLines,
                    FileKind::Spend,
                    FileKind::Quotas,
                    FileKind::OtherIncome,
                ],
                |v| match v {
                    FileKind::Deals
                    | FileKind::Leads
                    | FileKind::StageHistory
                    | FileKind::RevenueLines
                    | FileKind::Spend
                    | FileKind::Quotas
                    | FileKind::OtherIncome => {}
                },
            ),
        ),
        (
            "Source",
            variants(
                &[
                    Source::Salesforce,
                    Source::Hubspot,
                    Source::Pipedrive,
                    Source::Zoho,
                    Source::Billing,
                    Source::Generic,
                ],
                |v| match v {
                    Source::Salesforce
                    | Source::Hubspot
                    | Source::Pipedrive
                    | Source::Zoho
                    | Source::Billing
                    | Source::Generic => {}
                },
            ),
        ),
        (
            "Field",
            variants(
                &[
                    Field::Id,
                    Field::Name,
                    Field::Account,
                    Field::Owner,
                    Field::Stage,
                    Field::Status,
                    Field::IsWon,
                    Field::IsClosed,
                    Field::Amount,
                    Field::Currency,
                    Field::Probability,
                    Field::Created,
                    Field::Close,
                    Field::WonTime,
                    Field::LostTime,
                    Field::ForecastCategory,
                    Field::LeadSource,
                    Field::DealType,
                    Field::Region,
                    Field::Product,
                    Field::LeadStatus,
                    Field::Mql,
                    Field::Sql,
                    Field::Opportunity,
                    Field::Customer,
                    Field::DealId,
                    Field::IsConverted,
                    Field::At,
                    Field::CustomerId,
                    Field::CustomerName,
                    Field::Subscription,
                    Field::Start,
                    Field::End,
                    Field::Month,
                    Field::Mrr,
                    Field::Arr,
                    Field::Interval,
                    Field::Recurring,
                    Field::Channel,
                    Field::Category,
                    Field::Period,
                    Field::Quota,
                    Field::Date,
                    Field::Memo,
                    Field::Ignore,
                ],
                |v| match v {
                    Field::Id
                    | Field::Name
                    | Field::Account
                    | Field::Owner
                    | Field::Stage
                    | Field::Status
                    | Field::IsWon
                    | Field::IsClosed
                    | Field::Amount
                    | Field::Currency
                    | Field::Probability
                    | Field::Created
                    | Field::Close
                    | Field::WonTime
                    | Field::LostTime
                    | Field::ForecastCategory
                    | Field::LeadSource
                    | Field::DealType
                    | Field::Region
                    | Field::Product
                    | Field::LeadStatus
                    | Field::Mql
                    | Field::Sql
                    | Field::Opportunity
                    | Field::Customer
                    | Field::DealId
                    | Field::IsConverted
                    | Field::At
                    | Field::CustomerId
                    | Field::CustomerName
                    | Field::Subscription
                    | Field::Start
                    | Field::End
                    | Field::Month
                    | Field::Mrr
                    | Field::Arr
                    | Field::Interval
                    | Field::Recurring
                    | Field::Channel
                    | Field::Category
                    | Field::Period
                    | Field::Quota
                    | Field::Date
                    | Field::Memo
                    | Field::Ignore => {}
                },
            ),
        ),
        (
            "DealStatus",
            variants(&[Status::Open, Status::Won, Status::Lost], |v| match v {
                Status::Open | Status::Won | Status::Lost => {}
            }),
        ),
        (
            "Grain",
            variants(&[Grain::Month, Grain::Quarter, Grain::Year], |v| match v {
                Grain::Month | Grain::Quarter | Grain::Year => {}
            }),
        ),
        (
            "Lens",
            variants(&[Lens::Salesops, Lens::Revops], |v| match v {
                Lens::Salesops | Lens::Revops => {}
            }),
        ),
        (
            "Unit",
            variants(
                &[
                    Unit::Currency,
                    Unit::Ratio,
                    Unit::Count,
                    Unit::Days,
                    Unit::Months,
                    Unit::CurrencyPerDay,
                    Unit::Score,
                ],
                |v| match v {
                    Unit::Currency
                    | Unit::Ratio
                    | Unit::Count
                    | Unit::Days
                    | Unit::Months
                    | Unit::CurrencyPerDay
                    | Unit::Score => {}
                },
            ),
        ),
        (
            "TextEncoding",
            variants(
                &[
                    TextEncoding::Utf8,
                    TextEncoding::Utf8Bom,
                    TextEncoding::Utf16Le,
                    TextEncoding::Utf16Be,
                    TextEncoding::Windows1252,
                ],
                |v| match v {
                    TextEncoding::Utf8
                    | TextEncoding::Utf8Bom
                    | TextEncoding::Utf16Le
                    | TextEncoding::Utf16Be
                    | TextEncoding::Windows1252 => {}
                },
            ),
        ),
        (
            "DateOrder",
            variants(&[DateOrder::MonthFirst, DateOrder::DayFirst], |v| match v {
                DateOrder::MonthFirst | DateOrder::DayFirst => {}
            }),
        ),
        (
            "DecimalMark",
            variants(&[DecimalMark::Point, DecimalMark::Comma], |v| match v {
                DecimalMark::Point | DecimalMark::Comma => {}
            }),
        ),
        (
            "Dimension",
            variants(
                &[
                    Dimension::Validity,
                    Dimension::Completeness,
                    Dimension::Uniqueness,
                    Dimension::Consistency,
                    Dimension::Timeliness,
                ],
                |v| match v {
                    Dimension::Validity
                    | Dimension::Completeness
                    | Dimension::Uniqueness
                    | Dimension::Consistency
                    | Dimension::Timeliness => {}
                },
            ),
        ),
    ];
    for (name, rust) in enums {
        assert_eq!(union(declarations, name), rust, "export type {name} in src/wasm_types.d.ts");
    }
}
