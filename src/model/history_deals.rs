//! Which deal each stage-history row is about, found once per dataset: every reader of the
//! history (quality, the pipeline in time, win probability) reads it from here instead of
//! looking each row's deal id up in a hash table of its own.

use super::first_seen::FirstSeen;
use super::records::{Deals, StageChanges};
use super::tag_of_key;

/// No deal row: a history row whose id no deal has, or a deal row without an id.
pub const NO_DEAL: u32 = u32::MAX;

/// Rows looked up at once: their tags are worked out and their slots loaded first, so that the
/// cache misses of a block overlap (see [`FirstSeen::touch`]).
const BLOCK: usize = 512;

/// Each deal row's first row with its id, and each history row's deal row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryDeals {
    /// Per deal row: the first row with the same id (the row itself for the first); [`NO_DEAL`]
    /// when the id is empty.
    pub first_row: Vec<u32>,
    /// Per history row: the first deal row with its id; [`NO_DEAL`] when no deal has it or it is
    /// empty.
    pub deal_row: Vec<u32>,
    /// The history rows with an empty deal id, in row order.
    pub empty_id_rows: Vec<u32>,
    /// Whether some deal row has an empty id.
    pub deal_without_id: bool,
}

impl HistoryDeals {
    /// One first-seen table of the deals' ids, then one lookup per history row (linear in
    /// deals and history rows).
    pub fn new(deals: &Deals, history: &StageChanges) -> HistoryDeals {
        HistoryDeals::with_threads(deals, history, 1)
    }

    /// [`HistoryDeals::new`], the history's halves looked up at once when `threads` > 1
    /// ([`crate::parallel::join`]): the table is only read then.
    pub fn with_threads(deals: &Deals, history: &StageChanges, threads: usize) -> HistoryDeals {
        let rows = deals.id.len();
        let mut table = FirstSeen::with_rows(rows);
        let mut tags = [0u32; BLOCK];
        let mut first_row = Vec::with_capacity(rows);
        let mut deal_without_id = false;
        for start in (0..rows).step_by(BLOCK) {
            let block = &mut tags[..BLOCK.min(rows - start)];
            for (k, t) in block.iter_mut().enumerate() {
                *t = tag_of_key(&deals.id.get(start + k));
            }
            table.touch(block.iter().copied());
            for (k, &t) in block.iter().enumerate() {
                let i = start + k;
                let id = deals.id.get(i);
                if id.is_empty() {
                    deal_without_id = true;
                    first_row.push(NO_DEAL);
                } else {
                    first_row.push(table.first_of(t, i, |j| deals.id.get(j) == id).unwrap_or(i) as u32);
                }
            }
        }
        crate::work::add(rows);
        let table = &table;
        let half = if crate::parallel::runs_parallel(threads) { history.len() / 2 } else { history.len() };
        let ((mut deal_row, mut empty_id_rows), (rest, rest_empty)) = crate::parallel::join(
            threads,
            || look_up(deals, history, table, 0..half),
            || look_up(deals, history, table, half..history.len()),
        );
        deal_row.extend_from_slice(&rest);
        empty_id_rows.extend_from_slice(&rest_empty);
        HistoryDeals { first_row, deal_row, empty_id_rows, deal_without_id }
    }

    /// Whether history row `k` names a deal of the deals (an empty id names the deals without one).
    pub fn known(&self, k: usize) -> bool {
        self.deal_row[k] != NO_DEAL || (self.deal_without_id && self.empty_id_rows.binary_search(&(k as u32)).is_ok())
    }
}

/// The deal row of each history row of `range` ([`NO_DEAL`] for none), and those of its rows
/// without an id.
fn look_up(
    deals: &Deals,
    history: &StageChanges,
    table: &FirstSeen,
    range: std::ops::Range<usize>,
) -> (Vec<u32>, Vec<u32>) {
    let mut tags = [0u32; BLOCK];
    let mut found = [0u32; BLOCK];
    let mut deal_row = Vec::with_capacity(range.len());
    let mut empty_id_rows = Vec::new();
    for start in range.clone().step_by(BLOCK) {
        let block = &mut tags[..BLOCK.min(range.end - start)];
        for (k, t) in block.iter_mut().enumerate() {
            *t = tag_of_key(&history.deal_id.get(start + k));
        }
        table.touch(block.iter().copied());
        // Each row's candidate (the first deal with its tag), then the candidates' ids loaded
        // together: at a million deals each is a cache miss, and so they overlap.
        let candidates = &mut found[..block.len()];
        for (c, &t) in candidates.iter_mut().zip(block.iter()) {
            *c = table.candidate(t).map_or(NO_DEAL, |j| j as u32);
        }
        let loaded = candidates
            .iter()
            .filter(|&&j| j != NO_DEAL)
            .fold(0u8, |sum, &j| sum.wrapping_add(deals.id.get(j as usize).bytes().next().unwrap_or(0)));
        std::hint::black_box(loaded);
        for (k, (&t, &c)) in block.iter().zip(candidates.iter()).enumerate() {
            let i = start + k;
            let id = history.deal_id.get(i);
            if id.is_empty() {
                empty_id_rows.push(i as u32);
                deal_row.push(NO_DEAL);
            } else if c != NO_DEAL && deals.id.get(c as usize) == id {
                deal_row.push(c);
            } else {
                deal_row.push(table.find(t, |j| deals.id.get(j) == id).map_or(NO_DEAL, |j| j as u32));
            }
        }
    }
    crate::work::add(range.len());
    (deal_row, empty_id_rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, StageChange, NO_DAY};

    #[test]
    fn history_rows_find_the_first_deal_row_of_their_id() {
        let mut deals = Deals::default();
        for id in ["a", "b", "", "a", "c"] {
            deals.id.push(id);
        }
        let mut history = StageChanges::default();
        for id in ["c", "x", "a", "", "b", "a"] {
            let origin = Origin { file: 1, line: 2 };
            history.push(StageChange { deal_id: id, stage: "S", at: 0, close: NO_DAY, amount: f64::NAN, origin });
        }
        let found = HistoryDeals::new(&deals, &history);
        assert_eq!(found.first_row, [0, 1, NO_DEAL, 0, 4]);
        assert_eq!(found.deal_row, [4, NO_DEAL, 0, NO_DEAL, 1, 0]);
        assert_eq!(found.empty_id_rows, [3]);
        assert!(found.deal_without_id);
        assert_eq!((0..6).map(|k| found.known(k)).collect::<Vec<_>>(), [true, false, true, true, true, true]);
        assert_eq!(HistoryDeals::with_threads(&deals, &history, 2), found);
    }
}
