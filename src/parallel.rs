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

/// Runs every job and returns their results in order: the first on this thread, each other
/// on a thread of its own (natively; one after the other in WebAssembly). The work the others
/// count is added to this thread's count, as in [`join`].
pub fn all<R: Send, F: FnOnce() -> R + Send>(jobs: Vec<F>) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    if jobs.len() > 1 {
        return std::thread::scope(|s| {
            let mut jobs = jobs.into_iter();
            let first = jobs.next().expect("more than one job");
            let handles: Vec<_> = jobs
                .map(|job| {
                    s.spawn(move || {
                        let before = work::done();
                        let out = job();
                        (out, work::done().wrapping_sub(before))
                    })
                })
                .collect();
            let mut out = vec![first()];
            for handle in handles {
                let (r, counted) = handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                work::add(counted as usize);
                out.push(r);
            }
            out
        });
    }
    jobs.into_iter().map(|job| job()).collect()
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
    fn all_in_order_with_their_work() {
        let before = work::done();
        let jobs: Vec<_> = (1..=4)
            .map(|i| {
                move || {
                    work::add(i);
                    i * 10
                }
            })
            .collect();
        assert_eq!(all(jobs), [10, 20, 30, 40]);
        assert_eq!(work::done() - before, 10);
    }

    #[test]
    #[should_panic(expected = "in a")]
    fn a_panic_on_the_other_thread_comes_back() {
        join(2, || panic!("in a"), || ());
    }
}
