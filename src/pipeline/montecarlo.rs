//! Monte Carlo of period bookings over open deals (SPEC §4): each deal wins or not, slips to
//! the following period or not, and its amount varies; seeded and reproducible.
//!
//! A large pipeline is not simulated deal by deal: the [`EXACT_DEALS`] deals that add the most
//! variance are drawn in every run, and the long tail of the others is summed analytically.
//! Their total is a sum of many independent, individually small terms (amount × multiplier ×
//! Bernoulli), close to normal by the Lyapunov central limit theorem; it is drawn as a normal
//! with the tail's exact mean, variance and cross-period covariance, with a Cornish–Fisher
//! correction for its exact skewness. A run then costs [`EXACT_DEALS`] draws however many deals
//! there are, so every run requested is made.

use crate::forecast::prng::SplitMix64;
use serde::Serialize;

/// An open deal as the simulation sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct SimDeal {
    /// Deal amount (finite).
    pub amount: f64,
    /// Win probability, 0..=1.
    pub p: f64,
    /// Period it is dated in: 0 = current, 1 = next.
    pub period: usize,
    /// If won, the chance it closes in the current and in the next period (the rest: later).
    pub land: [f64; 2],
}

impl SimDeal {
    /// A deal dated in `period` that, if won, closes one period late with probability `slip`.
    pub fn dated(amount: f64, p: f64, period: usize, slip: f64) -> SimDeal {
        let s = slip.clamp(0.0, 1.0);
        let land = if period == 0 { [1.0 - s, s] } else { [0.0, 1.0 - s] };
        SimDeal { amount, p, period, land }
    }

    /// A deal already past its close date: it closes in the current period only within the
    /// `remaining` fraction of it, and otherwise is dated anew in the next period, where it
    /// may slip again.
    pub fn past_due(amount: f64, p: f64, slip: f64, remaining: f64) -> SimDeal {
        let s = slip.clamp(0.0, 1.0);
        let now = (1.0 - s) * remaining.clamp(0.0, 1.0);
        SimDeal { amount, p, period: 0, land: [now, (1.0 - now) * (1.0 - s)] }
    }
}

/// Deals simulated one by one in every run; a pipeline with more has its remaining (smaller)
/// deals summed analytically (see the module docs).
pub const EXACT_DEALS: usize = 400;

/// Everything the simulation draws from.
#[derive(Clone, Debug)]
pub struct SimInput {
    /// Bookings already certain per period (closed so far).
    pub base: [f64; 2],
    /// Historical run-rate outcomes per period; each simulation draws one (empty = 0).
    pub run_rate_draws: [Vec<f64>; 2],
    pub deals: Vec<SimDeal>,
    /// σ of the lognormal amount multiplier (mean 1).
    pub dispersion: f64,
    pub simulations: usize,
    pub seed: u64,
}

/// Chance that a deal lands (is won and closes) in `period`.
pub fn landing_probability(deal: &SimDeal, period: usize) -> f64 {
    deal.p.clamp(0.0, 1.0) * deal.land.get(period).copied().unwrap_or(0.0)
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

/// Analytic expectation of each period's bookings.
pub fn expectation(input: &SimInput) -> [f64; 2] {
    let mut e = [0.0; 2];
    for (j, ej) in e.iter_mut().enumerate() {
        *ej = input.base[j]
            + mean(&input.run_rate_draws[j])
            + input.deals.iter().map(|d| d.amount * landing_probability(d, j)).sum::<f64>();
    }
    e
}

/// Variance a deal adds to a period's bookings: amount² · (q·e^{σ²} − q²), with q its landing
/// probability and e^{σ²} the second moment of the amount multiplier.
pub fn deal_variance(deal: &SimDeal, dispersion: f64, period: usize) -> f64 {
    let q = landing_probability(deal, period);
    let m2 = (dispersion * dispersion).exp();
    (deal.amount * deal.amount * (q * m2 - q * q)).max(0.0)
}

/// Points of the amount-multiplier table (a power of two: indexed by 12 random bits).
const MULTIPLIERS: usize = 4096;

/// The lognormal amount multiplier (σ = `sigma`, mean 1) as `MULTIPLIERS` equally likely
/// quantiles, scaled so their mean is exactly 1: drawing one is a table lookup, and the
/// simulation stays unbiased.
fn multiplier_table(sigma: f64) -> Vec<f64> {
    use statrs::distribution::{ContinuousCDF, Normal};
    let std_normal = Normal::standard();
    let mut t: Vec<f64> = (0..MULTIPLIERS)
        .map(|i| (sigma * std_normal.inverse_cdf((i as f64 + 0.5) / MULTIPLIERS as f64)).exp())
        .collect();
    let mean = t.iter().sum::<f64>() / MULTIPLIERS as f64;
    t.iter_mut().for_each(|m| *m /= mean);
    t
}

/// How a distribution of period bookings was obtained.
#[derive(Clone, Debug, PartialEq)]
pub enum Method {
    /// Every deal drawn in every run.
    Simulation,
    /// The `simulated` deals with the most variance drawn in every run; the other `tail` deals
    /// summed analytically.
    SimulationAndMoments { simulated: usize, tail: usize },
}

/// Simulated bookings of the two periods (one value per run, in run order) and how.
#[derive(Clone, Debug)]
pub struct Distribution {
    pub runs: [Vec<f64>; 2],
    pub method: Method,
}

/// The exact moments of a set of deals' contribution to each period's bookings.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TailMoments {
    pub mean: [f64; 2],
    pub variance: [f64; 2],
    /// Covariance of the two periods' sums (negative: a deal lands in one period at most).
    pub covariance: f64,
    /// Third central moment per period.
    pub third: [f64; 2],
}

/// Moments of Σ amount × M × [lands in period j] over `deals`, M the mean-1 lognormal
/// multiplier with σ = `dispersion` (E[Mᵏ] = e^{k(k−1)σ²/2}). Per deal, with q its landing
/// probability: mean a·q, variance a²(q·m₂ − q²), third central moment
/// a³(q·m₃ − 3q²·m₂ + 2q³), covariance −a²·q₀·q₁.
pub fn tail_moments<'a>(deals: impl Iterator<Item = &'a SimDeal>, dispersion: f64) -> TailMoments {
    let s2 = dispersion * dispersion;
    let (m2, m3) = (s2.exp(), (3.0 * s2).exp());
    let mut t = TailMoments::default();
    for d in deals {
        let q = [landing_probability(d, 0), landing_probability(d, 1)];
        let a = d.amount;
        for (j, &qj) in q.iter().enumerate() {
            t.mean[j] += a * qj;
            t.variance[j] += a * a * (qj * m2 - qj * qj);
            t.third[j] += a * a * a * (qj * m3 - 3.0 * qj * qj * m2 + 2.0 * qj * qj * qj);
        }
        t.covariance -= a * a * q[0] * q[1];
    }
    t
}

/// The distribution of period bookings: [`simulate`] for a pipeline of at most `exact_deals`
/// deals, otherwise the largest-variance `exact_deals` simulated and the rest summed from their
/// moments (see the module docs). `input.simulations` runs either way.
pub fn distribution(input: &SimInput, exact_deals: usize) -> Distribution {
    let n = input.deals.len();
    if n <= exact_deals {
        return Distribution { runs: simulate(input), method: Method::Simulation };
    }
    let sigma = if input.dispersion.is_finite() { input.dispersion.max(0.0) } else { 0.0 };
    // The deals that move the result: the largest variance over both periods (ties: the
    // earlier deal), found by selection, not a sort.
    let var: Vec<f64> = input.deals.iter().map(|d| deal_variance(d, sigma, 0) + deal_variance(d, sigma, 1)).collect();
    let mut order: Vec<usize> = (0..n).collect();
    let mut comparisons = 0usize;
    crate::sort::select_nth_by(&mut order, exact_deals, |&a, &b| {
        comparisons += 1;
        var[b].total_cmp(&var[a]).then(a.cmp(&b))
    });
    crate::work::add(2 * n + comparisons);
    let mut simulated = vec![false; n];
    order[..exact_deals].iter().for_each(|&k| simulated[k] = true);
    // Drawn in their input order, as a plain simulation would draw them.
    let heavy = SimInput {
        deals: input.deals.iter().zip(&simulated).filter(|(_, s)| **s).map(|(d, _)| d.clone()).collect(),
        ..input.clone()
    };
    let tail = tail_moments(input.deals.iter().zip(&simulated).filter(|(_, s)| !**s).map(|(d, _)| d), sigma);
    let mut runs = simulate(&heavy);
    add_tail(&mut runs, &tail, input.seed);
    Distribution { runs, method: Method::SimulationAndMoments { simulated: exact_deals, tail: n - exact_deals } }
}

/// Adds one draw of the tail's sum to every run: a bivariate normal with the tail's means,
/// variances and covariance, each margin corrected for its skewness γ by the Cornish–Fisher
/// expansion z + γ(z² − 1)/6 (from its own seeded stream, so the simulated deals' draws are
/// those a plain simulation of them would make).
fn add_tail(runs: &mut [Vec<f64>; 2], tail: &TailMoments, seed: u64) {
    let mut rng = SplitMix64::new(seed ^ 0x7A11_5EED_0F7A_1100);
    let sd = [tail.variance[0].max(0.0).sqrt(), tail.variance[1].max(0.0).sqrt()];
    let rho = if sd[0] > 0.0 && sd[1] > 0.0 { (tail.covariance / (sd[0] * sd[1])).clamp(-1.0, 1.0) } else { 0.0 };
    let skew = |j: usize| if sd[j] > 0.0 { tail.third[j] / (sd[j] * sd[j] * sd[j]) } else { 0.0 };
    let gamma = [skew(0), skew(1)];
    let cornish_fisher = |z: f64, g: f64| z + g * (z * z - 1.0) / 6.0;
    let [first, second] = runs;
    crate::work::add(first.len());
    for (x0, x1) in first.iter_mut().zip(second.iter_mut()) {
        let z0 = rng.next_normal();
        let z1 = rho * z0 + (1.0 - rho * rho).max(0.0).sqrt() * rng.next_normal();
        *x0 += tail.mean[0] + sd[0] * cornish_fisher(z0, gamma[0]);
        *x1 += tail.mean[1] + sd[1] * cornish_fisher(z1, gamma[1]);
    }
}

/// Simulated bookings of the two periods, one value per simulation (in simulation order).
///
/// Each deal takes exactly one 64-bit draw per simulation, so one deal's outcome never shifts
/// another's stream: 24 bits decide whether it is won, 24 where it lands, 12 pick its amount
/// multiplier.
pub fn simulate(input: &SimInput) -> [Vec<f64>; 2] {
    const U24: f64 = (1u64 << 24) as f64;
    let n = input.simulations;
    crate::work::add(n * (input.deals.len() + 1));
    let mut rng = SplitMix64::new(input.seed);
    let mut out = [Vec::with_capacity(n), Vec::with_capacity(n)];
    let sigma = if input.dispersion.is_finite() { input.dispersion.max(0.0) } else { 0.0 };
    let table = multiplier_table(sigma);
    // Thresholds in 24-bit units, computed once: the inner loop only compares integers.
    let deals: Vec<(f64, u64, u64, u64)> = input
        .deals
        .iter()
        .map(|d| {
            let p = (d.p.clamp(0.0, 1.0) * U24) as u64;
            let l0 = (d.land[0].clamp(0.0, 1.0) * U24) as u64;
            let l1 = ((d.land[0] + d.land[1]).clamp(0.0, 1.0) * U24) as u64;
            (d.amount, p, l0, l1)
        })
        .collect();
    for _ in 0..n {
        let mut total = input.base;
        for (j, t) in total.iter_mut().enumerate() {
            let draws = &input.run_rate_draws[j];
            let u = rng.next_u64();
            if !draws.is_empty() {
                *t += draws[(u % draws.len() as u64) as usize];
            }
        }
        for &(amount, p, l0, l1) in &deals {
            let r = rng.next_u64();
            if r & 0xFF_FFFF < p {
                let v = (r >> 24) & 0xFF_FFFF;
                let lands = if v < l0 {
                    0
                } else if v < l1 {
                    1
                } else {
                    continue;
                };
                total[lands] += amount * table[(r >> 52) as usize];
            }
        }
        out[0].push(total[0]);
        out[1].push(total[1]);
    }
    out
}

/// One bar of a histogram of simulated outcomes.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct HistogramBin {
    pub lo: f64,
    pub hi: f64,
    pub count: usize,
}

/// Histogram of `sorted` values over `bins` equal-width bins from min to max.
pub fn histogram(sorted: &[f64], bins: usize) -> Vec<HistogramBin> {
    let (Some(&lo), Some(&hi)) = (sorted.first(), sorted.last()) else { return Vec::new() };
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || bins == 0 {
        return vec![HistogramBin { lo, hi, count: sorted.len() }];
    }
    let width = (hi - lo) / bins as f64;
    let mut out: Vec<HistogramBin> = (0..bins)
        .map(|k| HistogramBin {
            lo: lo + width * k as f64,
            hi: if k + 1 == bins { hi } else { lo + width * (k + 1) as f64 },
            count: 0,
        })
        .collect();
    for v in sorted {
        let k = (((v - lo) / width) as usize).min(bins - 1);
        out[k].count += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(seed: u64) -> SimInput {
        SimInput {
            base: [100.0, 0.0],
            run_rate_draws: [vec![], vec![10.0, 30.0]],
            deals: vec![
                SimDeal::dated(1000.0, 0.5, 0, 0.2),
                SimDeal::dated(500.0, 0.9, 0, 0.2),
                SimDeal::dated(2000.0, 0.2, 1, 0.2),
            ],
            dispersion: 0.1,
            simulations: 20_000,
            seed,
        }
    }

    #[test]
    fn expectation_by_hand() {
        let e = expectation(&input(1));
        // current: 100 + 0.8·(500 + 450) = 860; next: 20 + 0.2·(500 + 450) + 0.8·400 = 530
        assert!((e[0] - 860.0).abs() < 1e-9 && (e[1] - 530.0).abs() < 1e-9, "{e:?}");
    }

    #[test]
    fn simulation_is_seeded_and_unbiased() {
        let a = simulate(&input(7));
        assert_eq!(a, simulate(&input(7)));
        assert_ne!(a, simulate(&input(8)));
        let e = expectation(&input(7));
        for j in 0..2 {
            let m = a[j].iter().sum::<f64>() / a[j].len() as f64;
            let sd = input(7).deals.iter().map(|d| deal_variance(d, 0.1, j)).sum::<f64>().sqrt();
            assert!((m - e[j]).abs() < 4.0 * sd / (a[j].len() as f64).sqrt() + 15.0, "{j}: {m} vs {}", e[j]);
        }
    }

    #[test]
    fn multiplier_table_has_mean_one_and_the_right_spread() {
        let t = multiplier_table(0.1);
        let mean = t.iter().sum::<f64>() / t.len() as f64;
        assert!((mean - 1.0).abs() < 1e-12);
        // Lognormal with mean 1 and σ = 0.1: variance e^{σ²} − 1 ≈ 0.01005.
        let var = t.iter().map(|m| (m - 1.0).powi(2)).sum::<f64>() / t.len() as f64;
        assert!((var - (0.01f64.exp() - 1.0)).abs() < 2e-4, "{var}");
        assert!(t.windows(2).all(|w| w[0] <= w[1]));
        assert!(multiplier_table(0.0).iter().all(|&m| (m - 1.0).abs() < 1e-12));
    }

    #[test]
    fn past_due_deals_close_in_the_time_left() {
        // Half the period left, slip 0.2: now 0.8·0.5 = 0.4; next (1 − 0.4)·0.8 = 0.48.
        let d = SimDeal::past_due(100.0, 0.5, 0.2, 0.5);
        assert!((landing_probability(&d, 0) - 0.2).abs() < 1e-12);
        assert!((landing_probability(&d, 1) - 0.24).abs() < 1e-12);
        assert_eq!(landing_probability(&d, 2), 0.0);
    }

    #[test]
    fn tail_moments_by_hand() {
        // 100 at p = 0.5, dated now, slip 0.2: lands now with q0 = 0.4, next with q1 = 0.1.
        // Without amount dispersion each period is 100 × Bernoulli(q): mean 100q, variance
        // 100²·q(1 − q), third central moment 100³·q(1 − q)(1 − 2q); covariance −100²·q0·q1.
        let d = SimDeal::dated(100.0, 0.5, 0, 0.2);
        let t = tail_moments([&d].into_iter(), 0.0);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
        assert!(close(t.mean[0], 40.0) && close(t.mean[1], 10.0), "{t:?}");
        assert!(close(t.variance[0], 2400.0) && close(t.variance[1], 900.0), "{t:?}");
        assert!(close(t.third[0], 48_000.0) && close(t.third[1], 72_000.0), "{t:?}");
        assert!(close(t.covariance, -400.0), "{t:?}");
        // With dispersion σ the variance is 100²·(q·e^{σ²} − q²), as deal_variance says.
        let t = tail_moments([&d, &d].into_iter(), 0.1);
        assert!(close(t.variance[0], 2.0 * deal_variance(&d, 0.1, 0)), "{t:?}");
    }

    #[test]
    fn a_small_pipeline_is_simulated_a_large_one_has_a_tail() {
        let small = input(3);
        let d = distribution(&small, 3);
        assert_eq!(d.method, Method::Simulation);
        assert_eq!(d.runs, simulate(&small));
        let d = distribution(&small, 1);
        assert_eq!(d.method, Method::SimulationAndMoments { simulated: 1, tail: 2 });
        assert_eq!(d.runs[0].len(), small.simulations);
        // Seeded: the same input gives the same runs.
        assert_eq!(d.runs, distribution(&small, 1).runs);
        // The tail's mean is exact, so the runs' mean stays the analytic expectation.
        let e = expectation(&small);
        let m = d.runs[1].iter().sum::<f64>() / d.runs[1].len() as f64;
        assert!((m - e[1]).abs() < 0.02 * e[1], "{m} vs {}", e[1]);
    }

    #[test]
    fn histogram_counts_everything() {
        let h = histogram(&[1.0, 2.0, 2.5, 4.0], 3);
        assert_eq!(h.iter().map(|b| b.count).sum::<usize>(), 4);
        assert_eq!(h[2].count, 1);
        assert_eq!(histogram(&[3.0, 3.0], 5).len(), 1);
        assert!(histogram(&[], 5).is_empty());
    }
}
