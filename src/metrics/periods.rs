//! Calendar periods: month, quarter, year, with a configurable fiscal-year start.

use crate::model::{date_from_day, Day};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

/// The length of a reporting period.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    #[default]
    Month,
    Quarter,
    Year,
}

/// How days fall into periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    pub grain: Grain,
    /// 1 = January. Quarters and years start from this month; a fiscal year is named by the
    /// calendar year it ends in (FY2026 starting April 2025), as most companies do.
    pub fiscal_year_start_month: u32,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar { grain: Grain::Month, fiscal_year_start_month: 1 }
    }
}

/// A period as a sortable key (months since year 0, counting from the fiscal start).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PeriodKey(pub i32);

impl Calendar {
    pub fn with_grain(self, grain: Grain) -> Calendar {
        Calendar { grain, ..self }
    }

    /// The period holding `day` (None for a missing day).
    pub fn key(&self, day: Day) -> Option<PeriodKey> {
        let d = date_from_day(day)?;
        let month_index = d.year() * 12 + d.month0() as i32;
        Some(self.key_of_month(month_index))
    }

    fn key_of_month(&self, month_index: i32) -> PeriodKey {
        let shift = self.fiscal_year_start_month.clamp(1, 12) as i32 - 1;
        let m = month_index - shift;
        PeriodKey(match self.grain {
            Grain::Month => month_index,
            Grain::Quarter => m.div_euclid(3),
            Grain::Year => m.div_euclid(12),
        })
    }

    /// The label: `2017-03`, `2017-Q1`, `2017` (fiscal: `FY2026-Q1`, `FY2026`).
    pub fn label(&self, key: PeriodKey) -> String {
        let fiscal = self.fiscal_year_start_month.clamp(1, 12) != 1;
        let shift = self.fiscal_year_start_month.clamp(1, 12) as i32 - 1;
        match self.grain {
            Grain::Month => format!("{:04}-{:02}", key.0.div_euclid(12), key.0.rem_euclid(12) + 1),
            Grain::Quarter => {
                let first_month = key.0 * 3 + shift;
                let year = first_month.div_euclid(12);
                if fiscal {
                    let fy = (key.0 * 3).div_euclid(12) + i32::from(shift > 0);
                    format!("FY{fy}-Q{}", key.0.rem_euclid(4) + 1)
                } else {
                    format!("{year:04}-Q{}", key.0.rem_euclid(4) + 1)
                }
            }
            Grain::Year => {
                if fiscal {
                    format!("FY{}", key.0 + i32::from(shift > 0))
                } else {
                    format!("{:04}", key.0)
                }
            }
        }
    }

    /// First day of a period.
    pub fn start(&self, key: PeriodKey) -> Day {
        let shift = self.fiscal_year_start_month.clamp(1, 12) as i32 - 1;
        let month_index = match self.grain {
            Grain::Month => key.0,
            Grain::Quarter => key.0 * 3 + shift,
            Grain::Year => key.0 * 12 + shift,
        };
        crate::model::day_from_ymd(month_index.div_euclid(12), month_index.rem_euclid(12) as u32 + 1, 1).unwrap_or(0)
    }

    /// First day after a period.
    pub fn end(&self, key: PeriodKey) -> Day {
        self.start(PeriodKey(key.0 + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::day_from_ymd;

    #[test]
    fn calendar_periods() {
        let cal = Calendar::default();
        let k = cal.key(day_from_ymd(2017, 3, 31).unwrap()).unwrap();
        assert_eq!(cal.label(k), "2017-03");
        assert_eq!(cal.start(k), day_from_ymd(2017, 3, 1).unwrap());
        assert_eq!(cal.end(k), day_from_ymd(2017, 4, 1).unwrap());
        let q = cal.with_grain(Grain::Quarter);
        let k = q.key(day_from_ymd(2017, 5, 2).unwrap()).unwrap();
        assert_eq!(q.label(k), "2017-Q2");
        assert_eq!(q.start(k), day_from_ymd(2017, 4, 1).unwrap());
        let y = cal.with_grain(Grain::Year);
        assert_eq!(y.label(y.key(day_from_ymd(2024, 2, 29).unwrap()).unwrap()), "2024");
    }

    #[test]
    fn fiscal_year_starting_in_april() {
        let q = Calendar { grain: Grain::Quarter, fiscal_year_start_month: 4 };
        let k = q.key(day_from_ymd(2025, 4, 1).unwrap()).unwrap();
        assert_eq!(q.label(k), "FY2026-Q1");
        assert_eq!(q.start(k), day_from_ymd(2025, 4, 1).unwrap());
        let k = q.key(day_from_ymd(2026, 3, 31).unwrap()).unwrap();
        assert_eq!(q.label(k), "FY2026-Q4");
        assert_eq!(q.end(k), day_from_ymd(2026, 4, 1).unwrap());
        let y = q.with_grain(Grain::Year);
        let k = y.key(day_from_ymd(2025, 3, 31).unwrap()).unwrap();
        assert_eq!(y.label(k), "FY2025");
        assert_eq!(y.start(k), day_from_ymd(2024, 4, 1).unwrap());
    }
}
