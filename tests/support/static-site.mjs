// The site as a user would host it: `scripts/site` (buildSite) writes it into a temporary folder
// under a sub-path, and a plain static file server with no revlens code in it serves the parent
// folder (Python's http.server: no headers beyond the content type, no mounts, no rewriting),
// as GitHub Pages serves https://user.github.io/revlens/.
//
//   const site = await startStaticSite({ subPath: 'revlens' });   // site.url ends in /revlens/
//   await site.close();
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSite } from '../../scripts/site.mjs';
import { repoRoot } from './revlens-cli.mjs';

/** Serves `root` with `python3 -m http.server` on a free port; resolves to { url, close() }. */
export function plainStaticServer(root) {
  const child = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', root], { stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`python3 -m http.server did not start: ${seen}`)), 15_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`python3 -m http.server exited (${code}): ${seen}`)));
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = seen.match(/port (\d+)/);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        url: `http://127.0.0.1:${m[1]}/`,
        close: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.stderr.resume(); // the request log
  });
}

/**
 * Builds the site from pkg/ into a fresh temporary folder at `<tmp>/<subPath>/` and serves
 * `<tmp>` plainly. Resolves to { url (of the site), root, site (buildSite's result), close() }.
 */
export async function startStaticSite({ subPath = 'revlens', pkg = path.join(repoRoot, 'pkg') } = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'revlens-site-'));
  const site = buildSite({ out: path.join(root, subPath), pkg });
  const server = await plainStaticServer(root);
  return {
    url: new URL(subPath ? `${subPath}/` : '', server.url).href,
    root,
    site,
    close: async () => {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
