//! The memory ceiling: how many input bytes an analysis may read ([`WASM_MAX_BYTES`] in
//! WebAssembly), what a spreadsheet counts as ([`input_size`]: what it expands to), and sizes
//! as people read them. The check itself is `ReportOptions::check_input_size`.

/// The default of `max_bytes` in WebAssembly: the most input bytes a report reads there, to stay
/// well inside wasm32's 4 GiB of linear memory. Measured on the sample company's 1M-deal
/// Salesforce export (`bench/wasm_memory.mjs`), a whole report peaks at 1.6–1.7 bytes of wasm
/// memory per input byte, streamed in by the worker, the page and the element or read from the
/// caller's arrays a chunk at a time by `analyze` (which copied them in whole before: 2.7): 4 GiB
/// would hold about 2.3 GiB of CSV. 1 GiB keeps a margin for the next doubling of the largest
/// columns, for files that cost more per byte, and for a spreadsheet, which is read whole.
pub const WASM_MAX_BYTES: u64 = 1 << 30;

/// `max_bytes` when the options leave it unset: [`WASM_MAX_BYTES`] in WebAssembly, none natively
/// (the CLI sets its own from the machine's memory, see `revlens report --help`).
pub const DEFAULT_MAX_BYTES: Option<u64> = if cfg!(target_arch = "wasm32") { Some(WASM_MAX_BYTES) } else { None };

/// `1.5 GiB`, `200 MiB`, `12 KiB`, `900 bytes`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if n >= size {
            let v = n as f64 / size as f64;
            let text = if v >= 100.0 || (v - v.round()).abs() < 0.05 { format!("{v:.0}") } else { format!("{v:.1}") };
            return format!("{text} {unit}");
        }
    }
    format!("{n} bytes")
}

/// `22 MiB (23052694 bytes)`, or `900 bytes`: a size as a person reads it, and exactly.
pub fn size_text(n: u64) -> String {
    if n < 1 << 10 {
        format!("{n} bytes")
    } else {
        format!("{} ({n} bytes)", human_bytes(n))
    }
}

/// The bytes an input counts as against the limit: its length, or for a zip archive (XLSX, ODS)
/// the total its entries declare they expand to, when that is more: the sheet's XML is what is
/// decoded and stored, at several times the zip's size.
/// Without the spreadsheet reader (the small wasm module) a spreadsheet is refused unread, so
/// every input counts as its length.
pub fn input_size(bytes: &[u8]) -> u64 {
    let len = bytes.len() as u64;
    #[cfg(feature = "spreadsheets")]
    if bytes.starts_with(b"PK\x03\x04") {
        return zip_expanded_size(bytes).map_or(len, |n| n.max(len));
    }
    len
}

#[cfg(feature = "spreadsheets")]
fn le16(b: &[u8], at: usize) -> Option<u64> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?) as u64)
}

#[cfg(feature = "spreadsheets")]
fn le32(b: &[u8], at: usize) -> Option<u64> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?) as u64)
}

#[cfg(feature = "spreadsheets")]
fn le64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

#[cfg(feature = "spreadsheets")]
/// The sum of the uncompressed sizes a zip archive's central directory declares (ZIP64
/// included), or None when there is no readable central directory (the spreadsheet reader then
/// reports the archive as unreadable). Reads only the directory, never an entry.
pub fn zip_expanded_size(b: &[u8]) -> Option<u64> {
    // The end-of-central-directory record: 22 bytes and a comment of at most 65,535.
    let lowest = b.len().saturating_sub(22 + 0xFFFF);
    let eocd = (lowest..=b.len().checked_sub(22)?).rev().find(|&i| b[i..].starts_with(b"PK\x05\x06"))?;
    let (mut entries, mut offset) = (le16(b, eocd + 10)?, le32(b, eocd + 16)?);
    if entries == 0xFFFF || offset == 0xFFFF_FFFF {
        // ZIP64: a locator just before the record points to the ZIP64 end record.
        let locator = eocd.checked_sub(20).filter(|&l| b[l..].starts_with(b"PK\x06\x07"))?;
        let end64 = usize::try_from(le64(b, locator + 8)?).ok()?;
        if !b.get(end64..)?.starts_with(b"PK\x06\x06") {
            return None;
        }
        entries = le64(b, end64 + 32)?;
        offset = le64(b, end64 + 48)?;
    }
    let mut at = usize::try_from(offset).ok()?;
    let mut total = 0u64;
    for _ in 0..entries {
        if !b.get(at..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let (name, extra, comment) =
            (le16(b, at + 28)? as usize, le16(b, at + 30)? as usize, le16(b, at + 32)? as usize);
        let mut size = le32(b, at + 24)?;
        if size == 0xFFFF_FFFF {
            // The real size is the first field of the ZIP64 extra block (id 1).
            let mut e = at + 46 + name;
            let end = e + extra;
            while e + 4 <= end {
                let (id, len) = (le16(b, e)?, le16(b, e + 2)? as usize);
                if id == 1 {
                    size = le64(b, e + 4)?;
                    break;
                }
                e += 4 + len;
            }
        }
        total = total.saturating_add(size);
        at += 46 + name + extra + comment;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "spreadsheets")]
    /// A stored (uncompressed) zip of one entry `name` holding `data`, with its central directory.
    fn stored_zip(name: &str, data: &[u8], declared: u32) -> Vec<u8> {
        let mut z = Vec::new();
        let local = |z: &mut Vec<u8>| {
            z.extend_from_slice(b"PK\x03\x04");
            z.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // version, flags, method 0, time, date
            z.extend_from_slice(&[0; 4]); // crc (not checked here)
            z.extend_from_slice(&(data.len() as u32).to_le_bytes());
            z.extend_from_slice(&declared.to_le_bytes());
            z.extend_from_slice(&(name.len() as u16).to_le_bytes());
            z.extend_from_slice(&[0, 0]);
            z.extend_from_slice(name.as_bytes());
        };
        local(&mut z);
        z.extend_from_slice(data);
        let cd = z.len();
        z.extend_from_slice(b"PK\x01\x02");
        z.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // made by, needed, flags, method, time, date
        z.extend_from_slice(&[0; 4]);
        z.extend_from_slice(&(data.len() as u32).to_le_bytes());
        z.extend_from_slice(&declared.to_le_bytes());
        z.extend_from_slice(&(name.len() as u16).to_le_bytes());
        z.extend_from_slice(&[0; 12]); // extra, comment, disk, internal attrs, external attrs (4)
        z.extend_from_slice(&0u32.to_le_bytes()); // local header offset
        z.extend_from_slice(name.as_bytes());
        let cd_size = z.len() - cd;
        z.extend_from_slice(b"PK\x05\x06");
        z.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
        z.extend_from_slice(&(cd_size as u32).to_le_bytes());
        z.extend_from_slice(&(cd as u32).to_le_bytes());
        z.extend_from_slice(&[0, 0]);
        z
    }

    #[cfg(feature = "spreadsheets")]
    #[test]
    fn a_zip_counts_as_what_its_directory_says_it_expands_to() {
        let z = stored_zip("xl/worksheets/sheet1.xml", b"<x/>", 4);
        assert_eq!(zip_expanded_size(&z), Some(4));
        assert_eq!(input_size(&z), z.len() as u64, "never less than its own length");
        let bomb = stored_zip("xl/worksheets/sheet1.xml", b"<x/>", 3_000_000_000);
        assert_eq!(zip_expanded_size(&bomb), Some(3_000_000_000));
        assert_eq!(input_size(&bomb), 3_000_000_000);
        // Not a zip, or a zip with no directory: its length.
        assert_eq!(input_size(b"a,b\n1,2\n"), 8);
        assert_eq!(input_size(&z[..z.len() - 22]), (z.len() - 22) as u64);
        assert_eq!(zip_expanded_size(b"PK\x03\x04"), None);
    }

    #[test]
    fn sizes_people_read() {
        assert_eq!(human_bytes(2047), "2 KiB");
        assert_eq!(size_text(1536), "1.5 KiB (1536 bytes)");
    }
}
