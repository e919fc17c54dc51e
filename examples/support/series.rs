//! What the forecast examples share: the series files of a folder, reading a `period,value`
//! series file, and the protocol's held-out split.

use std::path::{Path, PathBuf};

/// The `.csv` files of `dir`, sorted by name.
pub fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    files.sort();
    files
}

/// The values the protocol uses and `h`, the points held out (the last 8 of a quarterly
/// series, the last 12 of a monthly one): with `seasons`, only the last `seasons` seasons before
/// the held-out points; None when that leaves `h + 2` points or fewer.
pub fn held_out(values: Vec<f64>, m: usize, seasons: Option<f64>) -> Option<(Vec<f64>, usize)> {
    let h = if m == 4 { 8 } else { 12 };
    let values = match seasons {
        Some(s) => values[values.len().saturating_sub((s * m as f64) as usize + h)..].to_vec(),
        None => values,
    };
    (values.len() > h + 2).then_some((values, h))
}

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
