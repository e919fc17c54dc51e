//! afl target: `revlens::fuzzing::series` (see fuzz/README.md).
fn main() {
    afl::fuzz!(|data: &[u8]| revlens::fuzzing::series(data));
}
