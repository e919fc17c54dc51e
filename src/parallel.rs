//! Two pieces of work at once, natively: the report's independent stages and a large file's
//! halves run on two threads when the machine has them. In WebAssembly (one thread per worker)
//! and with `threads` 1 they run one after the other, on the calling thread; the results are
//! the same either way, since every piece is a pure function of what it reads.

use crate::work;

/// The threads to use when the caller did not say: the machine's (natively), one in
/// WebAssembly.
pub fn default_threads() -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
    #[cfg(target_arch = "wasm32")]
    {
        1
    }
}

/// Whether [`join`] runs its two pieces at once with `threads`.
pub fn runs_parallel(threads: usize) -> bool {
    cfg!(not(target_arch = "wasm32")) && threads > 1
}

/// Runs `a` and `b` and returns both results: `a` on a second thread when `threads > 1`
/// (natively), else `a` then `b` on this one. The work `a` counts ([`crate::work`]) is added to
/// this thread's count, so a caller counting the work of both sees it all; a panic in `a` is
/// resumed here.
pub fn join<RA: Send, RB>(threads: usize, a: impl FnOnce() -> RA + Send, b: impl FnOnce() -> RB) -> (RA, RB) {
    #[cfg(not(target_arch = "wasm32"))]
    if runs_parallel(threads) {
        return std::thread::scope(|s| {
            let handle = s.spawn(move || {
                let before = work::done();
                let out = a();
                (out, work::done().wrapping_sub(before))
            });
            let rb = b();
            let (ra, counted) = handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            work::add(counted as usize);
            (ra, rb)
        });
    }
    let _ = (runs_parallel(threads), work::done);
    (a(), b())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_results_in_order_and_the_other_threads_work_counted_here() {
        for threads in [1, 2] {
            let before = work::done();
            let (a, b) = join(
                threads,
                || {
                    work::add(7);
                    "a"
                },
                || {
                    work::add(5);
                    "b"
                },
            );
            assert_eq!((a, b), ("a", "b"));
            assert_eq!(work::done() - before, 12, "threads {threads}");
        }
    }

    #[test]
    #[should_panic(expected = "in a")]
    fn a_panic_on_the_other_thread_comes_back() {
        join(2, || panic!("in a"), || ());
    }
}
