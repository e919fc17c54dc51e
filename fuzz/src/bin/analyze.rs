//! afl target: `revlens::fuzzing::analyze_one` (see fuzz/README.md).
fn main() {
    afl::fuzz!(|data: &[u8]| revlens::fuzzing::analyze_one(data));
}
