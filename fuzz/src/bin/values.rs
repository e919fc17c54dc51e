//! afl target: `revlens::fuzzing::values` (see fuzz/README.md).
fn main() {
    afl::fuzz!(|data: &[u8]| revlens::fuzzing::values(data));
}
