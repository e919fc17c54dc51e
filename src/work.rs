//! A count of the work report building does (rows and examples visited, comparisons made),
//! per thread, so a test can check that every stage grows linearly with its input: counts, not
//! wall time, which is noise on a shared machine.
//!
//! Loops add their iteration counts once per loop (not once per iteration, so counting costs
//! nothing measurable); sorts and selections count the comparisons their comparator makes.

use std::cell::Cell;

thread_local! {
    static DONE: Cell<u64> = const { Cell::new(0) };
}

/// Records `n` units of work.
#[inline]
pub fn add(n: usize) {
    DONE.with(|c| c.set(c.get().wrapping_add(n as u64)));
}

/// Work recorded on this thread so far.
pub fn done() -> u64 {
    DONE.with(Cell::get)
}
