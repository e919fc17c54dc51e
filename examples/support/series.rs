//! What the forecast examples share: reading a `period,value` series file.

use std::path::Path;

/// The values of a `period,value` CSV and their season length (4 when a period is `YYYY-Qn`,
/// else 12); None when the file cannot be read as one.
pub fn read_series(path: &Path) -> Option<(Vec<f64>, usize)> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut values = Vec::new();
    let mut quarterly = false;
    for line in text.lines().skip(1) {
        let mut parts = line.split(',');
        let period = parts.next()?.trim();
        let value: f64 = parts.next()?.trim().parse().ok()?;
        quarterly |= period.contains('Q');
        values.push(value);
    }
    Some((values, if quarterly { 4 } else { 12 }))
}
