// A small W3C WebDriver client (HTTP + JSON) that drives chromedriver, geckodriver and
// WebKitGTK's WebKitWebDriver alike, with WebDriver BiDi's log (a WebSocket) where the driver
// offers it (chromedriver, geckodriver; not WebKitWebDriver). No dependency: Node's fetch and a
// minimal WebSocket client on node:http (Node 20 has no WebSocket without a flag).
//
//   const driver = await startDriver(ENGINES.firefox);
//   const session = await driver.newSession();
//   await session.navigate(url);
//   const title = await session.execute('return document.title');
//   await session.quit(); await driver.stop();
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const WEBKIT_BROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** The three engines: driver, browser, capabilities; `version()` reads the installed browser's. */
export const ENGINES = {
  chromium: {
    name: 'Chromium',
    driver: process.env.CHROMEDRIVER || '/usr/bin/chromedriver',
    browser: CHROMIUM,
    driverArgs: (port) => [`--port=${port}`],
    capabilities: () => ({
      browserName: 'chrome',
      webSocketUrl: true,
      'goog:chromeOptions': { binary: CHROMIUM, args: [...CHROMIUM_ARGS, '--window-size=1400,900'] },
    }),
    version: () => firstLine(CHROMIUM, ['--version']),
    label: (v) => v && `Chromium ${v}`,
  },
  firefox: {
    name: 'Firefox',
    // cargo install puts it in ~/.cargo/bin (scripts/lib.sh puts that on PATH).
    driver: process.env.GECKODRIVER || (found('geckodriver') ? 'geckodriver' : `${process.env.CARGO_HOME || `${process.env.HOME}/.cargo`}/bin/geckodriver`),
    browser: process.env.FIREFOX || '/usr/bin/firefox-esr',
    driverArgs: (port) => ['--port', String(port), '--host', '127.0.0.1', '--log', 'error'],
    capabilities: () => ({
      browserName: 'firefox',
      webSocketUrl: true,
      'moz:firefoxOptions': {
        binary: process.env.FIREFOX || '/usr/bin/firefox-esr',
        args: ['-headless', '-width=1400', '-height=900'],
        // Quiet on a closed network: no update checks, no telemetry, no remote settings.
        prefs: { 'app.update.enabled': false, 'datareporting.policy.dataSubmissionEnabled': false, 'toolkit.telemetry.enabled': false },
      },
    }),
    version: () => firstLine(process.env.FIREFOX || '/usr/bin/firefox-esr', ['--version']),
    label: (v) => v && `Firefox ${v} ESR`,
  },
  webkit: {
    name: 'WebKit',
    driver: process.env.WEBKITWEBDRIVER || '/usr/bin/WebKitWebDriver',
    browser: WEBKIT_BROWSER,
    // WebKitGTK draws into an X display: without one (DISPLAY unset), the driver runs in its own
    // xvfb-run. scripts/test runs the whole suite under `xvfb-run -a` instead.
    display: true,
    driverArgs: (port) => [`--port=${port}`],
    capabilities: () => ({ 'webkitgtk:browserOptions': { binary: WEBKIT_BROWSER, args: ['--automation'] } }),
    version: () => {
      const v = firstLine('dpkg-query', ['-W', '-f=${Version}', 'libwebkit2gtk-4.1-0']);
      return v ? `WebKitGTK ${v}` : null;
    },
    label: (v) => v && `WebKitGTK ${v} (MiniBrowser)`,
  },
};

function firstLine(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim() || null;
  } catch {
    return null;
  }
}

/** Whether a command is on PATH (or an existing path). */
export function found(cmd) {
  if (cmd.includes('/')) return existsSync(cmd);
  try {
    execFileSync('sh', ['-c', `command -v "$1"`, 'sh', cmd], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export class WebDriverError extends Error {
  constructor(status, value, what) {
    super(`${what}: ${value?.error ?? status}: ${value?.message ?? JSON.stringify(value)}`.slice(0, 2000));
    this.error = value?.error;
  }
}

/** POST/GET/DELETE on a driver URL; resolves to the response's `value`. */
async function call(base, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WebDriverError(res.status, { message: text }, `${method} ${path}`);
  }
  // An error is an HTTP error status (W3C), or a value shaped as one (error, message, stacktrace):
  // not any value that happens to have an `error` field (a script may return one).
  const shapedAsError = typeof json.value?.error === 'string' && 'message' in json.value && 'stacktrace' in json.value;
  if (!res.ok || shapedAsError) throw new WebDriverError(res.status, json.value, `${method} ${path}`);
  return json.value;
}

/**
 * Starts an engine's driver on a free port (in its own process group, so stop() ends it and
 * whatever it started); resolves to { url, newSession(), stop() } once /status says ready.
 */
export async function startDriver(engine, { log = () => {} } = {}) {
  const port = await freePort();
  let cmd = engine.driver;
  let args = engine.driverArgs(port);
  if (engine.display && !process.env.DISPLAY) {
    args = ['-a', cmd, ...args];
    cmd = 'xvfb-run';
  }
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.once('exit', (code, signal) => {
    exited = { code, signal };
  });
  child.once('error', (e) => {
    exited = { error: e };
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`${cmd} exited before it was ready (${JSON.stringify(exited)}): ${output}`);
    try {
      const status = await call(url, 'GET', '/status');
      if (status?.ready !== false) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      kill(child);
      throw new Error(`${cmd} did not answer /status within 30 s: ${output}`);
    }
    await sleep(100);
  }
  log(`${engine.name}: driver ${cmd} on port ${port}`);
  return {
    url,
    output: () => output,
    newSession: (capabilities = engine.capabilities()) => Session.create(url, capabilities),
    stop: async () => {
      if (exited) return;
      const done = new Promise((r) => child.once('exit', r));
      kill(child, 'SIGTERM');
      await Promise.race([done, sleep(5000)]);
      if (!exited) kill(child, 'SIGKILL');
    },
  };
}

function kill(child, signal = 'SIGTERM') {
  try {
    process.kill(-child.pid, signal); // the driver's process group: its browser, Xvfb
  } catch {
    try {
      child.kill(signal);
    } catch {
      // gone already
    }
  }
}

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** One WebDriver session: the W3C commands the tests use, and BiDi's log where offered. */
export class Session {
  constructor(base, id, capabilities) {
    this.base = `${base}/session/${id}`;
    this.driverUrl = base;
    this.id = id;
    this.capabilities = capabilities;
    this.bidi = null;
    this.logEntries = [];
  }

  static async create(base, alwaysMatch) {
    const value = await call(base, 'POST', '/session', { capabilities: { alwaysMatch } });
    const session = new Session(base, value.sessionId, value.capabilities);
    await session.cmd('POST', '/timeouts', { script: 120_000, pageLoad: 120_000, implicit: 0 });
    return session;
  }

  cmd(method, path, body) {
    return call(this.base, method, path, body);
  }

  /** Opens BiDi (when the session has a webSocketUrl) and collects log.entryAdded. */
  async openLog() {
    const wsUrl = this.capabilities?.webSocketUrl;
    if (typeof wsUrl !== 'string') return false;
    this.bidi = await BiDi.connect(wsUrl);
    this.bidi.on('log.entryAdded', (p) => this.logEntries.push(p));
    await this.bidi.send('session.subscribe', { events: ['log.entryAdded'] });
    return true;
  }

  /** Errors the BiDi log saw: uncaught exceptions and console.error, as text. */
  logErrors() {
    return this.logEntries.filter((e) => e.level === 'error').map((e) => `${e.type}: ${e.text}`);
  }

  navigate(url) {
    return this.cmd('POST', '/url', { url });
  }

  refresh() {
    return this.cmd('POST', '/refresh', {});
  }

  /** Runs a function body in the page (`arguments[i]` are the args); its return value. */
  execute(script, ...args) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  /** Runs an async function body: it resolves by calling arguments[arguments.length - 1]. */
  executeAsync(script, ...args) {
    return this.cmd('POST', '/execute/async', { script, args });
  }

  /**
   * Runs a self-contained function (sync or async) in the page with JSON `args`, as playwright's
   * page.evaluate does; resolves to its value, rejects with the page's error.
   */
  async run(fn, ...args) {
    const out = await this.executeAsync(
      `const done = arguments[arguments.length - 1];
       Promise.resolve().then(() => (${fn}).apply(null, [...arguments].slice(0, -1)))
         .then((value) => done({ value }), (e) => done({ error: String(e && e.stack || e) }));`,
      ...args,
    );
    if (out && 'error' in out) throw new Error(`in the page: ${out.error}`);
    return out?.value;
  }

  /** Switch To Frame: the <iframe> element given, or the top-level page with null. */
  frame(element) {
    return this.cmd('POST', '/frame', { id: element === null ? null : { [ELEMENT]: element } });
  }

  async find(css) {
    const value = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return value[ELEMENT];
  }

  /** Element Send Keys: for an <input type=file>, the paths of the files to pick (one per line). */
  sendKeys(element, text) {
    return this.cmd('POST', `/element/${element}/value`, { text });
  }

  click(element) {
    return this.cmd('POST', `/element/${element}/click`, {});
  }

  /** Polls an expression in the page until it is truthy; resolves to its value. */
  async waitFor(expression, { timeout = 60_000, interval = 50, what = expression } = {}) {
    const deadline = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        last = await this.execute(`return (${expression});`);
        if (last) return last;
      } catch (e) {
        // A navigation in progress ("no such window", "javascript error: … unloaded"): retry.
        last = e.message;
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${String(last).slice(0, 300)})`);
      await sleep(interval);
    }
  }

  async quit() {
    this.bidi?.close();
    try {
      await this.cmd('DELETE', '');
    } catch {
      // the browser may be gone already
    }
  }
}

/** WebDriver BiDi over a WebSocket: commands with ids, events to listeners. */
class BiDi {
  constructor(ws) {
    this.ws = ws;
    this.next = 1;
    this.pending = new Map();
    this.listeners = new Map();
    ws.onmessage = (text) => {
      const msg = JSON.parse(text);
      if (msg.id !== undefined && this.pending.has(msg.id)) {
        const { resolve, reject } = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.type === 'error' || msg.error) reject(new Error(`BiDi ${msg.error}: ${msg.message}`));
        else resolve(msg.result);
      } else if (msg.method) {
        for (const fn of this.listeners.get(msg.method) ?? []) fn(msg.params);
      }
    };
  }

  static async connect(url) {
    return new BiDi(await connectWebSocket(url));
  }

  on(method, fn) {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), fn]);
  }

  send(method, params) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  close() {
    this.ws.close();
  }
}

/**
 * A minimal WebSocket client (RFC 6455): text frames, fragmentation, ping/pong, close; no
 * extensions. Enough for BiDi on 127.0.0.1.
 */
function connectWebSocket(url) {
  const u = new URL(url);
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname,
      port: u.port,
      path: u.pathname + u.search,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key },
    });
    req.once('error', reject);
    req.once('response', (res) => reject(new Error(`WebSocket ${url}: HTTP ${res.statusCode}`)));
    req.once('upgrade', (res, socket, head) => {
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      if (res.headers['sec-websocket-accept'] !== accept) {
        socket.destroy();
        reject(new Error(`WebSocket ${url}: bad Sec-WebSocket-Accept`));
        return;
      }
      socket.setNoDelay(true);
      const ws = { onmessage: () => {}, send: (text) => writeFrame(socket, 0x1, Buffer.from(text, 'utf8')), close: () => socket.destroy() };
      let buffer = head && head.length ? Buffer.from(head) : Buffer.alloc(0);
      let parts = [];
      const drain = () => {
        for (;;) {
          if (buffer.length < 2) return;
          const fin = (buffer[0] & 0x80) !== 0;
          const opcode = buffer[0] & 0x0f;
          const masked = (buffer[1] & 0x80) !== 0;
          let len = buffer[1] & 0x7f;
          let at = 2;
          if (len === 126) {
            if (buffer.length < 4) return;
            len = buffer.readUInt16BE(2);
            at = 4;
          } else if (len === 127) {
            if (buffer.length < 10) return;
            len = Number(buffer.readBigUInt64BE(2));
            at = 10;
          }
          const maskAt = at;
          if (masked) at += 4;
          if (buffer.length < at + len) return;
          let payload = buffer.subarray(at, at + len);
          if (masked) payload = Buffer.from(payload.map((b, i) => b ^ buffer[maskAt + (i % 4)]));
          buffer = buffer.subarray(at + len);
          if (opcode === 0x9) writeFrame(socket, 0xa, payload);
          else if (opcode === 0x8) socket.end();
          else if (opcode === 0x1 || opcode === 0x0 || opcode === 0x2) {
            parts.push(Buffer.from(payload));
            if (fin) {
              const text = Buffer.concat(parts).toString('utf8');
              parts = [];
              ws.onmessage(text);
            }
          }
        }
      };
      socket.on('data', (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        drain();
      });
      socket.on('error', () => {});
      resolve(ws);
      drain();
    });
    req.end();
  });
}

function writeFrame(socket, opcode, payload) {
  const mask = randomBytes(4);
  const len = payload.length;
  const header = len < 126 ? Buffer.alloc(2) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (len < 126) header[1] = 0x80 | len;
  else if (len < 65536) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(len, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  socket.write(Buffer.concat([header, mask, body]));
}
