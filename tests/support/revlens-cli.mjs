// The native CLI, for node tests that compare against it. scripts/test builds it first
// (`cargo build --release`); REVLENS_BIN overrides the path.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const revlensBin = process.env.REVLENS_BIN || `${repoRoot}target/release/revlens`;

export function requireBin() {
  if (!existsSync(revlensBin)) {
    throw new Error(`${revlensBin} is missing: run \`cargo build --release\` first`);
  }
}

/** Runs `revlens ARGS…` and returns its standard output (throws with stderr on failure). */
export function revlens(args, options = {}) {
  requireBin();
  try {
    return execFileSync(revlensBin, args, { encoding: 'utf8', maxBuffer: 256 << 20, ...options });
  } catch (e) {
    throw new Error(`revlens ${args.join(' ')} failed (${e.status}): ${e.stderr || e.message}`);
  }
}

/** `revlens ARGS… --json`, parsed. */
export function revlensJson(args) {
  return JSON.parse(revlens([...args, '--json']));
}
