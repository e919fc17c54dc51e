//! Pseudo-random numbers (SplitMix64) and deterministic floating-point helpers: only
//! `+ - * / sqrt floor`, so the native and wasm builds draw the same numbers.

#[derive(Clone)]
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(super) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [0, n); 0 when n = 0.
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in [lo, hi] (inclusive); `lo` when `hi < lo`.
    pub(super) fn between(&mut self, lo: i32, hi: i32) -> i32 {
        if hi <= lo {
            lo
        } else {
            lo + self.below((hi - lo) as u64 + 1) as i32
        }
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Approximately standard normal (Irwin–Hall of four uniforms, bounded at ±3.46).
    pub(super) fn normal(&mut self) -> f64 {
        (self.unit() + self.unit() + self.unit() + self.unit() - 2.0) * SQRT_3
    }

    pub(super) fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * det_exp(sigma * self.normal())
    }

    pub(super) fn weighted(&mut self, w: &[f64]) -> usize {
        let total: f64 = w.iter().sum();
        let mut x = self.unit() * total;
        for (i, &wi) in w.iter().enumerate() {
            if x < wi {
                return i;
            }
            x -= wi;
        }
        w.len() - 1
    }

    /// A duration in minutes, log-normal around `median_days`, at most `max_days`.
    pub(super) fn gap(&mut self, median_days: f64, max_days: f64) -> u32 {
        (self.lognormal(median_days, 0.8).min(max_days) * 1440.0) as u32
    }
}

pub(super) const SQRT_3: f64 = 1.732_050_807_568_877_2;

pub(super) fn mix(a: u64, b: u64) -> u64 {
    Rng(a ^ b.wrapping_mul(0xD1B5_4A32_D192_ED03).rotate_left(23)).next_u64()
}

/// `exp` from basic IEEE operations only, so results are identical on every platform.
pub(super) fn det_exp(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    let k = (x * std::f64::consts::LOG2_E).floor();
    let r = x - k * std::f64::consts::LN_2;
    // Horner form of the Taylor series on [0, ln 2): relative error below 1e-14.
    let mut sum = 1.0;
    for &c in INV_N.iter().rev() {
        sum = 1.0 + r * c * sum;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

pub(super) const INV_N: [f64; 15] = [
    1.0,
    1.0 / 2.0,
    1.0 / 3.0,
    1.0 / 4.0,
    1.0 / 5.0,
    1.0 / 6.0,
    1.0 / 7.0,
    1.0 / 8.0,
    1.0 / 9.0,
    1.0 / 10.0,
    1.0 / 11.0,
    1.0 / 12.0,
    1.0 / 13.0,
    1.0 / 14.0,
    1.0 / 15.0,
];
