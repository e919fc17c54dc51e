# Shared by scripts/setup, scripts/test and scripts/serve: the repository root, PATH, logging.
# Sourced, not run.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

# Tools installed by `cargo install` live here; the npm wasm-opt must come before any other
# (Debian's binaryen 108 breaks the wasm-bindgen output, see shared/TOOLCHAIN.md pitfall 1).
export PATH="$REPO_ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The exact wasm-bindgen version locked in Cargo.lock (the CLI must match it exactly).
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$REPO_ROOT/Cargo.lock"
}

# Major version of the wasm-opt that wasm-pack will find first on PATH (0 when none).
wasm_opt_major() {
  local v
  v="$(wasm-opt --version 2>/dev/null | sed -n 's/^wasm-opt version \([0-9][0-9]*\).*/\1/p')"
  echo "${v:-0}"
}

# Fails unless the wasm-opt on PATH is the npm one and new enough.
check_wasm_opt() {
  local path major
  path="$(command -v wasm-opt || true)"
  major="$(wasm_opt_major)"
  [[ "$path" == "$REPO_ROOT/node_modules/.bin/wasm-opt" ]] ||
    die "wasm-opt on PATH is '${path:-none}', expected node_modules/.bin/wasm-opt (run scripts/setup)"
  ((major >= 116)) || die "wasm-opt $major is too old (need >= 116; Debian's 108 breaks the output)"
}
