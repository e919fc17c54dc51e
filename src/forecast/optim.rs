//! Bounded Nelder–Mead minimiser shared by the model fitters.
//!
//! Bounds are handled by clamping every trial point into the box (as statsforecast does);
//! constraints that are not a box (e.g. `beta < alpha`) are expressed by the objective
//! returning a large penalty.

/// Settings of one Nelder–Mead run.
#[derive(Clone, Debug)]
pub struct NmOptions {
    /// Maximum number of objective evaluations.
    pub max_evals: usize,
    /// Stop when the spread of the simplex values falls below `tol * (|f_best| + tol)`.
    pub rel_tol: f64,
}

impl Default for NmOptions {
    fn default() -> Self {
        NmOptions { max_evals: 2000, rel_tol: 1e-8 }
    }
}

fn clamp_into(x: &mut [f64], lower: &[f64], upper: &[f64]) {
    for ((v, lo), hi) in x.iter_mut().zip(lower).zip(upper) {
        if *v < *lo {
            *v = *lo;
        }
        if *v > *hi {
            *v = *hi;
        }
    }
}

fn sanitize(v: f64) -> f64 {
    if v.is_nan() {
        f64::MAX
    } else {
        v
    }
}

/// Minimises `f` starting at `x0`; `step[i]` is the initial simplex edge along axis `i`.
/// Returns the best point and its value. Never panics; a NaN objective counts as +∞.
pub fn nelder_mead<F: FnMut(&[f64]) -> f64>(
    mut f: F,
    x0: &[f64],
    step: &[f64],
    lower: &[f64],
    upper: &[f64],
    opts: &NmOptions,
) -> (Vec<f64>, f64) {
    minimise(&mut f, x0, step, lower, upper, opts)
}

/// [`nelder_mead`]'s body, one copy for every objective (the objective's own work dwarfs the
/// indirect call; a copy per closure type cost the small wasm module ~8 KB before gzip).
fn minimise(
    f: &mut dyn FnMut(&[f64]) -> f64,
    x0: &[f64],
    step: &[f64],
    lower: &[f64],
    upper: &[f64],
    opts: &NmOptions,
) -> (Vec<f64>, f64) {
    let n = x0.len();
    if n == 0 {
        let v = sanitize(f(x0));
        return (Vec::new(), v);
    }
    let nf = n as f64;
    // Adaptive coefficients (Gao & Han 2012) behave better in higher dimensions.
    let (c_refl, c_exp, c_con, c_shr) = (1.0, 1.0 + 2.0 / nf, 0.75 - 1.0 / (2.0 * nf), 1.0 - 1.0 / nf);
    let mut simplex: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
    let mut start = x0.to_vec();
    clamp_into(&mut start, lower, upper);
    simplex.push(start.clone());
    for i in 0..n {
        let mut v = start.clone();
        let s = if step[i] == 0.0 { 1e-4 } else { step[i] };
        v[i] += s;
        if v[i] > upper[i] {
            v[i] = start[i] - s;
        }
        clamp_into(&mut v, lower, upper);
        simplex.push(v);
    }
    let mut fv: Vec<f64> = simplex.iter().map(|x| sanitize(f(x))).collect();
    let mut evals = n + 1;
    let mut order: Vec<usize> = (0..=n).collect();
    let mut centroid = vec![0.0; n];
    let mut trial = vec![0.0; n];
    let mut trial2 = vec![0.0; n];
    while evals < opts.max_evals {
        crate::sort::sort_by(&mut order, |&a, &b| fv[a].total_cmp(&fv[b]));
        let best = order[0];
        let worst = order[n];
        let second = order[n - 1];
        let spread = (fv[worst] - fv[best]).abs();
        if spread <= opts.rel_tol * (fv[best].abs() + opts.rel_tol) {
            break;
        }
        centroid.iter_mut().for_each(|c| *c = 0.0);
        for &idx in order.iter().take(n) {
            for (c, v) in centroid.iter_mut().zip(&simplex[idx]) {
                *c += v / nf;
            }
        }
        for i in 0..n {
            trial[i] = centroid[i] + c_refl * (centroid[i] - simplex[worst][i]);
        }
        clamp_into(&mut trial, lower, upper);
        let fr = sanitize(f(&trial));
        evals += 1;
        if fr < fv[best] {
            for i in 0..n {
                trial2[i] = centroid[i] + c_exp * (trial[i] - centroid[i]);
            }
            clamp_into(&mut trial2, lower, upper);
            let fe = sanitize(f(&trial2));
            evals += 1;
            if fe < fr {
                simplex[worst].copy_from_slice(&trial2);
                fv[worst] = fe;
            } else {
                simplex[worst].copy_from_slice(&trial);
                fv[worst] = fr;
            }
            continue;
        }
        if fr < fv[second] {
            simplex[worst].copy_from_slice(&trial);
            fv[worst] = fr;
            continue;
        }
        // Contraction: outside if the reflection beat the worst point, inside otherwise.
        let outside = fr < fv[worst];
        for i in 0..n {
            trial2[i] = if outside {
                centroid[i] + c_con * (trial[i] - centroid[i])
            } else {
                centroid[i] - c_con * (centroid[i] - simplex[worst][i])
            };
        }
        clamp_into(&mut trial2, lower, upper);
        let fc = sanitize(f(&trial2));
        evals += 1;
        if (outside && fc <= fr) || (!outside && fc < fv[worst]) {
            simplex[worst].copy_from_slice(&trial2);
            fv[worst] = fc;
            continue;
        }
        // Shrink towards the best vertex.
        let best_pt = simplex[best].clone();
        for &idx in order.iter().skip(1) {
            for (v, b) in simplex[idx].iter_mut().zip(&best_pt) {
                *v = b + c_shr * (*v - b);
            }
            clamp_into(&mut simplex[idx], lower, upper);
            fv[idx] = sanitize(f(&simplex[idx]));
            evals += 1;
        }
    }
    let mut bi = 0;
    for i in 1..=n {
        if fv[i] < fv[bi] {
            bi = i;
        }
    }
    (simplex[bi].clone(), fv[bi])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimises_a_shifted_quadratic() {
        let f = |x: &[f64]| (x[0] - 1.0).powi(2) + 3.0 * (x[1] + 2.0).powi(2);
        let inf = f64::INFINITY;
        let (x, v) = nelder_mead(f, &[0.0, 0.0], &[0.5, 0.5], &[-inf, -inf], &[inf, inf], &NmOptions::default());
        assert!((x[0] - 1.0).abs() < 1e-3 && (x[1] + 2.0).abs() < 1e-3, "{x:?} {v}");
    }

    #[test]
    fn respects_bounds() {
        let f = |x: &[f64]| (x[0] - 5.0).powi(2);
        let (x, _) = nelder_mead(f, &[0.5], &[0.1], &[0.0], &[1.0], &NmOptions::default());
        assert!((x[0] - 1.0).abs() < 1e-6);
    }
}
