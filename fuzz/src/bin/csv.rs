//! afl target: `revlens::fuzzing::csv` (see fuzz/README.md).
fn main() {
    afl::fuzz!(|data: &[u8]| revlens::fuzzing::csv(data));
}
