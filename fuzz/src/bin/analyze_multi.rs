//! afl target: `revlens::fuzzing::analyze_multi` (see fuzz/README.md).
fn main() {
    afl::fuzz!(|data: &[u8]| revlens::fuzzing::analyze_multi(data));
}
