//! Sentences for a person as data (issue #28): beside each English sentence the core writes
//! (what a metric needs, a quality finding, why a row was not used, where the forecast's slip
//! came from, a forecast note), a stable code and its parameters, so the page and the element
//! can say it in the reader's language from their own catalogue (www/lib/i18n.js, `msg.*`).
//! The English text stays as it was; the codes are the contract: a code is never reused for a
//! different sentence, and a parameter keeps its name and meaning.

use serde::Serialize;
use std::collections::BTreeMap;

/// One parameter of a [`Message`]: a number (said with the reader's number format), a text
/// taken from the data or a code word (a field, a grain), or a message of its own (a finding's
/// reason).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Param {
    Number(f64),
    Text(String),
    Message(Box<Message>),
}

/// A sentence as a stable code and its named parameters.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq, Default)]
pub struct Message {
    pub code: &'static str,
    pub params: BTreeMap<&'static str, Param>,
}

impl Message {
    /// A message with no parameters.
    pub fn new(code: &'static str) -> Message {
        Message { code, params: BTreeMap::new() }
    }

    /// The message with one more parameter.
    pub fn with(mut self, name: &'static str, value: impl Into<Param>) -> Message {
        self.params.insert(name, value.into());
        self
    }
}

impl From<f64> for Param {
    fn from(v: f64) -> Param {
        Param::Number(v)
    }
}

impl From<usize> for Param {
    fn from(v: usize) -> Param {
        Param::Number(v as f64)
    }
}

impl From<i64> for Param {
    fn from(v: i64) -> Param {
        Param::Number(v as f64)
    }
}

impl From<&str> for Param {
    fn from(v: &str) -> Param {
        Param::Text(v.to_string())
    }
}

impl From<String> for Param {
    fn from(v: String) -> Param {
        Param::Text(v)
    }
}

impl From<Message> for Param {
    fn from(v: Message) -> Param {
        Param::Message(Box::new(v))
    }
}

/// Why rows or cells were not used (ingestion's reasons, [`crate::ingest::report::LineGroup`]),
/// as a code: the reasons are written in few places with few shapes, and this reads each shape
/// once per group (not per row). A reason of no known shape keeps its English text as
/// `{ code: "reason_text", params: { text } }`, which the page shows as it is.
pub fn reason_message(reason: &str) -> Message {
    const FIXED: &[(&str, &str)] = &[
        ("blank line", "reason_blank_line"),
        ("line before the header", "reason_before_header"),
        ("empty row", "reason_empty_row"),
        ("report footer", "reason_report_footer"),
        ("status is not open, won or lost", "reason_bad_status"),
        ("no stage or status: cannot tell open from closed", "reason_no_stage_or_status"),
        ("no id and no dates: not a lead", "reason_not_a_lead"),
        ("no deal id", "reason_no_deal_id"),
        ("no date", "reason_no_date"),
        ("date is not a date", "reason_date_not_a_date"),
        ("no stage", "reason_no_stage"),
        ("a change of a field other than stage, close date or amount (not read)", "reason_other_field_change"),
        ("no customer", "reason_no_customer"),
        ("no recurring amount", "reason_no_recurring_amount"),
        ("month is not a month", "reason_month_not_a_month"),
        ("no start date or month", "reason_no_start"),
        ("no owner", "reason_no_owner"),
        ("period is not a month, quarter or year", "reason_bad_period"),
        ("no period start and end", "reason_no_period"),
        ("unreadable probability (left empty)", "reason_unreadable_probability"),
        ("unreadable stage-entry date (left empty)", "reason_unreadable_stage_date"),
        ("unreadable amount (left empty)", "reason_unreadable_amount"),
    ];
    if let Some((_, code)) = FIXED.iter().find(|(text, _)| *text == reason) {
        return Message::new(code);
    }
    let field = |prefix: &str, suffix: &str| {
        reason
            .strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(suffix))
            .filter(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
    };
    let shapes: [(&str, &str, &'static str); 5] = [
        ("", " is not a number", "reason_not_a_number"),
        ("", " is not a month", "reason_not_a_month"),
        ("unreadable date in ", " (left empty)", "reason_unreadable_date"),
        ("unreadable yes/no in ", " (ignored)", "reason_unreadable_yes_no"),
        ("no ", "", "reason_no_field"),
    ];
    for (prefix, suffix, code) in shapes {
        if let Some(f) = field(prefix, suffix) {
            return Message::new(code).with("field", f);
        }
    }
    if let Some((cells, columns)) = reason
        .strip_prefix("row has ")
        .and_then(|r| r.strip_suffix(" columns"))
        .and_then(|r| r.split_once(" cells but the header has "))
        .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)))
    {
        return Message::new("reason_cell_count").with("cells", cells).with("columns", columns);
    }
    Message::new("reason_text").with("text", reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_of_every_shape_get_a_code() {
        assert_eq!(reason_message("report footer"), Message::new("reason_report_footer"));
        assert_eq!(
            reason_message("amount is not a number"),
            Message::new("reason_not_a_number").with("field", "amount")
        );
        assert_eq!(reason_message("no account"), Message::new("reason_no_field").with("field", "account"));
        assert_eq!(
            reason_message("unreadable date in close (left empty)"),
            Message::new("reason_unreadable_date").with("field", "close")
        );
        assert_eq!(
            reason_message("row has 3 cells but the header has 5 columns"),
            Message::new("reason_cell_count").with("cells", 3usize).with("columns", 5usize)
        );
        assert_eq!(reason_message("something new"), Message::new("reason_text").with("text", "something new"));
        let json = serde_json::to_string(&Message::new("x").with("n", 2usize).with("s", "a")).unwrap();
        assert_eq!(json, r#"{"code":"x","params":{"n":2.0,"s":"a"}}"#);
    }
}
