//! afl target: `revlens::fuzzing::spreadsheet` (see fuzz/README.md).
fn main() {
    afl::fuzz!(|data: &[u8]| revlens::fuzzing::spreadsheet(data));
}
