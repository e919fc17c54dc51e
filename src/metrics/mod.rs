//! The metric lenses: pure functions over a [`Dataset`](crate::model::Dataset) and options.

pub mod history;
pub mod periods;
pub mod revenue;
pub mod sales;
pub mod snapshots;

use serde::Serialize;
use std::collections::BTreeMap;

/// Which view a metric belongs to.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lens {
    Salesops,
    Revops,
}

/// What a metric's value is measured in.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Money in the report currency.
    Currency,
    /// A fraction (0.42 = 42%).
    Ratio,
    Count,
    Days,
    Months,
    /// Money per day (sales velocity).
    CurrencyPerDay,
    /// A 0–100 score (data quality).
    Score,
}

/// One number of the report: the whole-data value, a period's value, or a breakdown's.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Metric {
    pub id: &'static str,
    pub lens: Lens,
    /// `None` (JSON null) when the data has nothing to compute it from (e.g. a win rate with
    /// no closed deals).
    pub value: Option<f64>,
    pub unit: Unit,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<BTreeMap<String, String>>,
    /// Rows the metric was computed from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<usize>,
    /// Rows left out because they lack what the metric needs (e.g. no close date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded: Option<usize>,
    /// The counts behind a ratio, by name (stage conversion: `reached`, `went_on`).
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<BTreeMap<&'static str, usize>>,
}

impl Metric {
    pub fn new(id: &'static str, lens: Lens, unit: Unit, value: Option<f64>) -> Metric {
        Metric {
            id,
            lens,
            value: value.filter(|v| v.is_finite()),
            unit,
            period: None,
            by: None,
            rows: None,
            excluded: None,
            counts: None,
        }
    }
    pub fn period(mut self, label: String) -> Metric {
        self.period = Some(label);
        self
    }
    pub fn by(mut self, dimension: &str, key: &str) -> Metric {
        self.by = Some(BTreeMap::from([(dimension.to_string(), key.to_string())]));
        self
    }
    /// Adds dimension `dimension` = `key` to the breakdown.
    pub fn and_by(mut self, dimension: &str, key: &str) -> Metric {
        self.by.get_or_insert_with(BTreeMap::new).insert(dimension.to_string(), key.to_string());
        self
    }
    pub fn counts(mut self, counts: &[(&'static str, usize)]) -> Metric {
        // Inserted one by one (a later name's count wins, as `collect` gives) rather than
        // collected: `collect` into a map brings its own copy of the standard stable sort.
        let mut map = BTreeMap::new();
        for &(name, n) in counts {
            map.insert(name, n);
        }
        self.counts = Some(map);
        self
    }
    pub fn rows(mut self, used: usize, excluded: usize) -> Metric {
        self.rows = Some(used);
        self.excluded = (excluded > 0).then_some(excluded);
        self
    }
}

/// A ratio that is undefined (None) for an empty denominator.
pub fn ratio(num: f64, den: f64) -> Option<f64> {
    (den != 0.0).then(|| num / den)
}
