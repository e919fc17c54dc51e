//! Sorting through few instantiations of the standard library's sort, for a smaller wasm module.
//!
//! Every `slice::sort_by` with its own closure is a separate copy of the standard library's
//! driftsort (a dozen functions): the report's thirty-odd sorts were about a tenth of the wasm
//! module. [`sort_by`] sorts positions with one shared comparator type instead and then moves
//! the elements into place, so all its callers share one copy of the sort.
//!
//! The result is the same as `slice::sort_by`'s, element for element: a stable sort has exactly
//! one result for a given comparator (equal elements keep their order), whichever algorithm
//! finds it. Short slices (the forecaster's simplex, a deal's stage path) are sorted by
//! insertion in place, which is stable too and allocates nothing. [`select_nth_by`] does the same
//! for selections.

use std::cmp::Ordering;

/// Up to this length, an insertion sort: fewer comparisons than building positions, no allocation.
const INSERTION_MAX: usize = 20;

/// Sorts `v` stably by `cmp`: the order `v.sort_by(cmp)` gives. In wasm, through the shared
/// sort; natively, where code size does not matter and a million deals are sorted in place
/// faster than through positions, `slice::sort_by` itself.
#[inline]
pub fn sort_by<T>(v: &mut [T], cmp: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(target_arch = "wasm32")]
    shared_sort_by(v, cmp);
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_by(cmp);
}

/// [`sort_by`] through the one shared copy of the sort (what wasm builds use).
pub fn shared_sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let mut by_position = |a: usize, b: usize| cmp(&v[a], &v[b]);
    let order = if v.len() <= INSERTION_MAX {
        inserted_positions(v.len(), &mut by_position)
    } else {
        sorted_positions(v.len(), &mut by_position)
    };
    permute(order, &mut |a, b| v.swap(a, b));
}

/// Sorts `v` stably by the key `key` gives: the order `v.sort_by_key(key)` gives.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)))
}

/// Sorts numbers by [`f64::total_cmp`] (`-NaN < -inf < … < -0 < +0 < … < inf < NaN`). Numbers
/// that compare equal by it have the same bits, so an unstable sort gives the stable result, and
/// the shared sort the same bits as `sort_unstable_by`.
#[inline(never)]
pub fn sort_f64(v: &mut [f64]) {
    // In the small wasm module (built without the spreadsheet reader, for size; the page sends it
    // inputs under 4 MiB) through the shared sort: one copy of the standard sort fewer, 1.4 KB
    // gzipped. Elsewhere in place: through positions a million numbers sort ~10x slower.
    #[cfg(all(target_arch = "wasm32", not(feature = "spreadsheets")))]
    shared_sort_by(v, f64::total_cmp);
    #[cfg(not(all(target_arch = "wasm32", not(feature = "spreadsheets"))))]
    v.sort_unstable_by(f64::total_cmp);
}

/// Moves the element that belongs at `k` in the order of `cmp` there, with none greater before it
/// and none less after it, and returns it: what `v.select_nth_unstable_by(k, cmp).1` does, through
/// one shared copy of the standard library's selection. Which of several equal elements lands
/// at `k`, and the order on either side, may differ from that call's: the callers use the value
/// at `k` or the set of elements on one side, which a total order decides alike.
///
/// Panics when `k >= v.len()`, as `select_nth_unstable_by` does.
#[inline]
pub fn select_nth_by<T>(v: &mut [T], k: usize, cmp: impl FnMut(&T, &T) -> Ordering) -> &mut T {
    #[cfg(target_arch = "wasm32")]
    return shared_select_nth_by(v, k, cmp);
    #[cfg(not(target_arch = "wasm32"))]
    v.select_nth_unstable_by(k, cmp).1
}

/// [`select_nth_by`] through the one shared copy of the selection (what wasm builds use).
pub fn shared_select_nth_by<T>(v: &mut [T], k: usize, mut cmp: impl FnMut(&T, &T) -> Ordering) -> &mut T {
    let order = selected_positions(v.len(), k, &mut |a, b| cmp(&v[a], &v[b]));
    permute(order, &mut |a, b| v.swap(a, b));
    &mut v[k]
}

/// The positions `0..n` in the order of a stable insertion sort by `cmp` (each moves left past
/// the greater ones only): the order of a stable sort, without its code for a few elements.
#[inline(never)]
fn inserted_positions(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in 1..n {
        let mut j = i;
        while j > 0 && cmp(order[j - 1], order[j]) == Ordering::Greater {
            order.swap(j - 1, j);
            j -= 1;
        }
    }
    order
}

/// The positions `0..n` in the stable order of `cmp` over positions: one copy of the standard
/// library's stable sort, whatever the callers sort.
#[inline(never)]
fn sorted_positions(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// The positions `0..n` arranged by a selection of the `k`-th in the order of `cmp`.
#[inline(never)]
fn selected_positions(n: usize, k: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.select_nth_unstable_by(k, |&a, &b| cmp(a, b));
    order
}

/// Rearranges `v` so that its element `k` is the one that was at `order[k]`, following each
/// cycle of the permutation with `swap` (`order` is used up: a done position is marked `n`); one
/// copy for every element type.
#[inline(never)]
fn permute(mut order: Vec<usize>, swap: &mut dyn FnMut(usize, usize)) {
    let n = order.len();
    for start in 0..n {
        let mut j = start;
        while order[j] != n {
            let from = order[j];
            order[j] = n;
            if from == start {
                break;
            }
            swap(j, from);
            j = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the cases are reproducible.
    fn numbers(seed: u64, n: usize, modulo: u64) -> Vec<u64> {
        let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (0..n)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (x >> 33) % modulo
            })
            .collect()
    }

    #[test]
    fn the_same_order_as_the_standard_stable_sort_with_ties() {
        // (key, original position): ties on the key show whether equal elements kept their order.
        for &n in &[0usize, 1, 2, 7, 20, 21, 64, 1000, 5000] {
            for &modulo in &[1u64, 3, 50, 1 << 40] {
                let keys = numbers(n as u64 * 31 + modulo, n, modulo);
                let items: Vec<(u64, String)> = keys.iter().enumerate().map(|(i, &k)| (k, format!("#{i}"))).collect();
                let mut expected = items.clone();
                expected.sort_by_key(|a| a.0);
                let mut got = items.clone();
                shared_sort_by(&mut got, |a, b| a.0.cmp(&b.0));
                assert_eq!(got, expected, "n {n}, keys mod {modulo}");
                let mut by_key = items.clone();
                sort_by_key(&mut by_key, |a| std::cmp::Reverse(a.0));
                expected.sort_by_key(|a| std::cmp::Reverse(a.0));
                assert_eq!(by_key, expected, "n {n}, keys mod {modulo}, reversed");
            }
        }
    }

    #[test]
    fn a_hand_checked_case() {
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        sort_by_key(&mut v, |p| p.0);
        assert_eq!(v, [(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]);
        // Longer than the insertion sort's limit: the positions path.
        let mut w: Vec<(u8, usize)> = (0..30).map(|i| ((29 - i) as u8 / 10, i)).collect();
        sort_by_key(&mut w, |p| p.0);
        let expected: Vec<(u8, usize)> =
            (0..3u8).flat_map(|k| (0..10).map(move |i| (k, (2 - k as usize) * 10 + i))).collect();
        assert_eq!(w, expected);
    }

    #[test]
    fn selection_puts_the_kth_in_place_and_splits_the_rest() {
        for &n in &[1usize, 2, 5, 21, 300, 4000] {
            let keys = numbers(n as u64 + 7, n, 97);
            let mut sorted = keys.clone();
            sorted.sort();
            for k in [0, n / 3, n / 2, n - 1] {
                let mut v = keys.clone();
                let got = *shared_select_nth_by(&mut v, k, |a, b| a.cmp(b));
                assert_eq!(got, sorted[k], "n {n}, k {k}");
                assert_eq!(v[k], got);
                assert!(v[..k].iter().all(|&x| x <= got) && v[k + 1..].iter().all(|&x| x >= got), "n {n}, k {k}");
                let mut all = v.clone();
                all.sort();
                assert_eq!(all, sorted, "a rearrangement of the same elements");
            }
        }
        // By hand: the 3rd smallest (k = 2) of 5.
        let mut v = [50, 10, 40, 20, 30];
        assert_eq!(*shared_select_nth_by(&mut v, 2, |a, b| a.cmp(b)), 30);
    }

    #[test]
    fn numbers_in_total_order() {
        let mut v = vec![3.0, f64::NAN, -0.0, 0.0, f64::NEG_INFINITY, -1.5, 3.0, f64::INFINITY];
        sort_f64(&mut v);
        let bits: Vec<u64> = v.iter().map(|x| x.to_bits()).collect();
        let expected: Vec<u64> = [f64::NEG_INFINITY, -1.5, -0.0, 0.0, 3.0, 3.0, f64::INFINITY, f64::NAN]
            .iter()
            .map(|x| x.to_bits())
            .collect();
        assert_eq!(bits, expected);
        // The wasm path (the shared sort) gives the same bits, here and on many ties.
        let mut w = vec![3.0, f64::NAN, -0.0, 0.0, f64::NEG_INFINITY, -1.5, 3.0, f64::INFINITY];
        shared_sort_by(&mut w, f64::total_cmp);
        assert_eq!(w.iter().map(|x| x.to_bits()).collect::<Vec<u64>>(), expected);
        let many: Vec<f64> = numbers(5, 3000, 40).iter().map(|&k| k as f64 / 4.0 - 5.0).collect();
        let (mut a, mut b) = (many.clone(), many);
        a.sort_unstable_by(f64::total_cmp);
        shared_sort_by(&mut b, f64::total_cmp);
        assert_eq!(
            a.iter().map(|x| x.to_bits()).collect::<Vec<u64>>(),
            b.iter().map(|x| x.to_bits()).collect::<Vec<u64>>()
        );
    }
}
