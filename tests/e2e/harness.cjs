//! What every end-to-end suite shares: dnslab-bridge serving the release site on a free loopback
//! port, Debian's Chromium launched with the flags it needs as root, a browser context per test
//! that fails the test on any page or console error, and the loopback helpers (free ports, UDP
//! exchanges, `dnslab serve`, Knot DNS, dig) the Build and Resolve suites check the page against.
//!
//! The one runner, all.test.cjs, launches the browser and the bridge once and hands every test the
//! environment `{ browser, baseUrl, bridgeBin, cliBin, siteDir, screenshotsDir, clipboard }`.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const dgram = require('node:dgram');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const assert = require('node:assert/strict');
const { chromium } = require('playwright-core');

const TIMEOUT = 10000;
const repoRoot = path.resolve(__dirname, '..', '..');

/** Every child process a suite started, so the runner can stop whatever a failing test left. */
const children = new Set();

function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Stops a child (SIGTERM, then SIGKILL after a second) and resolves when it has exited. */
function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function stopAllChildren() {
  await Promise.all([...children].map(stopChild));
}

process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * Starts dnslab-bridge on a free loopback port (with any extra flags, e.g. `--upstream`,
 * `--allow-origin`) and resolves with the child, its URL and a `stop()`.
 */
function startBridge(bridgeBin, siteDir, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const child = track(spawn(bridgeBin, ['--site', siteDir, '--listen', '127.0.0.1:0', ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }));
    let output = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`bridge printed no URL: ${output} ${errors}`)), 15000);
    child.stderr.on('data', (chunk) => {
      errors += chunk;
      if (process.env.DNSLAB_E2E_VERBOSE) process.stderr.write(chunk);
    });
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/serving (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], stop: () => stopChild(child) });
      }
    });
    child.on('exit', (code) => reject(new Error(`bridge exited with ${code}: ${output} ${errors}`)));
  });
}

/** Debian's Chromium, headless; never a downloaded browser. */
function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A lock: `serially(fn)` runs `fn` once every earlier call has finished (the browser has one clipboard). */
function makeLock() {
  let tail = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}

/**
 * Runs `body(open, context, consoleErrors)` with a new browser context; `open(fragment, base)` loads the page
 * (from `base`, the runner's bridge by default) in a new tab. Every page error and console error
 * of every tab fails the test, except console errors matching one of `expectedConsole` (a test
 * that makes the browser log a network failure on purpose says which; `consoleErrors` holds every
 * console error, expected or not).
 */
async function withContext(env, options, body, { expectedConsole = [] } = {}) {
  const context = await env.browser.newContext(options);
  const problems = [];
  const consoleErrors = [];
  const open = async (fragment = '', base = env.baseUrl) => {
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      consoleErrors.push(text);
      if (expectedConsole.some((pattern) => pattern.test(text))) return;
      problems.push(`console error: ${text}`);
    });
    await page.goto(new URL(fragment, base).href);
    await page.getByRole('tablist').waitFor({ timeout: TIMEOUT });
    return page;
  };
  try {
    await body(open, context, consoleErrors);
    assert.deepEqual(problems, [], 'no page error and no console error');
  } finally {
    await context.close();
  }
}

/** A suite module's list of tests: `test(name, async (env, t) => ...)`; the runner registers them. */
function suite() {
  const tests = [];
  const test = (name, fn) => tests.push({ name, fn });
  return { tests, test };
}

// ---------------------------------------------------------------------------------------------
// Loopback helpers

/** A port free for both UDP and TCP on 127.0.0.1 right now. */
async function freePort() {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const server = net.createServer();
    const port = await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server.address().port));
    });
    const udp = dgram.createSocket('udp4');
    const udpFree = await new Promise((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    udp.close();
    await new Promise((resolve) => server.close(resolve));
    if (udpFree) return port;
  }
  throw new Error('no free port on 127.0.0.1');
}

/** Sends `query` over UDP to 127.0.0.1:`port` and resolves with the first datagram back. */
function udpExchange(port, query, timeoutMs = 3000) {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no UDP answer from 127.0.0.1:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('message', (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(message);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.send(query, port, '127.0.0.1');
  });
}

/**
 * A UDP socket on 127.0.0.1 that records every datagram it gets and answers each with the same
 * bytes, QR set (so a client such as dig finishes at once). `datagrams` holds what came.
 */
async function startCatcher() {
  const socket = dgram.createSocket('udp4');
  const datagrams = [];
  socket.on('message', (message, from) => {
    datagrams.push(Buffer.from(message));
    if (message.length >= 12) {
      const reply = Buffer.from(message);
      reply[2] |= 0x80;
      socket.send(reply, from.port, from.address);
    }
  });
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, datagrams, close: () => socket.close() };
}

/** Splits a command line as a POSIX shell would for plain words and single or double quotes. */
function shellWords(line) {
  const words = [];
  const pattern = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\\.|[^\s'"])+|(\s+)/g;
  let word = null;
  for (const match of line.trim().matchAll(pattern)) {
    if (match[4] !== undefined) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      const part = match[1] ?? (match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[0].replace(/\\(.)/g, '$1'));
      word = (word ?? '') + part;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/**
 * Runs real `dig` with `args` (no server in them) against a catcher on loopback and resolves
 * with the one query datagram dig sent. `+tries=1 +timeout=1` keep it short whatever happens.
 */
async function digQueryBytes(args) {
  const catcher = await startCatcher();
  try {
    const full = ['@127.0.0.1', '-p', String(catcher.port), ...args, '+tries=1', '+timeout=1'];
    const run = await new Promise((resolve) => {
      const child = spawn('dig', full, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => { stdout += chunk; });
      child.stderr.on('data', (chunk) => { stderr += chunk; });
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
    assert.equal(catcher.datagrams.length, 1,
      `dig ${full.join(' ')} sent one query (exit ${run.code}): ${run.stderr}${run.stdout}`);
    return { bytes: catcher.datagrams[0], args: full };
  } finally {
    catcher.close();
  }
}

/** Waits for a line matching `pattern` on a child's stdout or stderr; resolves with the match. */
function waitForLine(child, pattern, what, timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${what} printed no ready line: ${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${output}`));
    });
  });
}

/** `dnslab serve` (the built-in mini-internet) on a free loopback port: `{ port, stop() }`. */
async function startServe(cliBin) {
  const child = track(spawn(cliBin, ['serve', '--listen', '127.0.0.1:0', '--udp-workers', '1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  const match = await waitForLine(child, /listening on 127\.0\.0\.1:(\d+)/, 'dnslab serve');
  return { port: Number(match[1]), stop: () => stopChild(child) };
}

const ZONE_FILE = path.join(repoRoot, 'crates/dnslab-core/tests/data/captures/example.com.zone');

/** An `example.com. SOA` query (ID 0x5a5a); Knot is up when it answers. */
const SOA_PROBE = Buffer.concat([
  Buffer.from([0x5a, 0x5a, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
  Buffer.from('\x07example\x03com\x00\x00\x06\x00\x01', 'latin1'),
]);

/**
 * Knot DNS (`knotd`) serving the captured example.com zone on 127.0.0.1:`port` (a free one when
 * not given), as crates/dnslab-bridge/tests/it/knot.rs starts it: `{ port, stop() }`.
 */
async function startKnot(wantedPort) {
  const knotd = ['/usr/sbin/knotd', '/usr/local/sbin/knotd'].find((candidate) => fs.existsSync(candidate));
  assert.ok(knotd, 'knotd is installed (apt-get install -y knot)');
  let lastProblem = '';
  for (let attempt = 0; attempt < (wantedPort ? 10 : 5); attempt += 1) {
    const port = wantedPort || await freePort();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dnslab-e2e-knot-'));
    fs.copyFileSync(ZONE_FILE, path.join(folder, 'example.com.zone'));
    fs.writeFileSync(path.join(folder, 'knot.conf'), [
      'server:', `    rundir: "${folder}"`, `    listen: 127.0.0.1@${port}`,
      '    udp-workers: 1', '    tcp-workers: 1', '    background-workers: 1',
      'database:', `    storage: "${folder}"`,
      'log:', '  - target: stderr', '    any: error',
      'zone:', '  - domain: example.com.', `    storage: "${folder}"`, '    file: "example.com.zone"',
      '    zonefile-sync: -1', '    journal-content: none', '',
    ].join('\n'));
    const child = track(spawn(knotd, ['-c', path.join(folder, 'knot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] }));
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const stop = async () => {
      await stopChild(child);
      fs.rmSync(folder, { recursive: true, force: true });
    };
    const deadline = Date.now() + 10000;
    let up = false;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        const answer = await udpExchange(port, SOA_PROBE, 200);
        if (answer.length > 12 && answer[0] === 0x5a && (answer[2] & 0x80)) {
          up = true;
          break;
        }
      } catch {
        // not yet
      }
    }
    if (up) return { port, stop };
    lastProblem = `knotd on port ${port}: ${child.exitCode !== null ? `exited with ${child.exitCode}` : 'no answer in 10 s'}: ${stderr}`;
    await stop();
    if (wantedPort) await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`knotd did not start: ${lastProblem}`);
}

/** Runs the dnslab CLI synchronously; `{ status, stdout, stderr }`. */
function cli(env, args, input) {
  return spawnSync(env.cliBin, args, { encoding: 'utf8', input });
}

/** Runs the dnslab CLI without blocking the event loop (a test's own sockets keep answering). */
function cliAsync(env, args) {
  return new Promise((resolve) => {
    const child = spawn(env.cliBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `dnslab decode --json` of `text` (through a file): the JSON Lines, parsed. */
function cliDecodeText(env, text) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dnslab-e2e-'));
  try {
    const file = path.join(folder, 'input.txt');
    fs.writeFileSync(file, text);
    const run = cli(env, ['decode', '--json', file]);
    assert.ok(run.status === 0 || run.status === 1, `dnslab decode --json of ${JSON.stringify(text.slice(0, 80))} exited ${run.status}: ${run.stderr}`);
    return run.stdout.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Page helpers shared by the suites (all from the page contract)

/** The bytes of a hex pane (`Bytes`, `Response bytes`, ...) in offset order, as a Buffer. */
async function paneBytes(pane) {
  const bytes = await pane.evaluate((element) => [...element.querySelectorAll('[data-offset]')].map((byte) => ({
    offset: Number(byte.getAttribute('data-offset')),
    hex: byte.textContent.trim(),
  })));
  bytes.sort((a, b) => a.offset - b.offset);
  bytes.forEach((byte, index) => {
    assert.equal(byte.offset, index, 'the hex pane numbers its bytes from 0 without gaps');
    assert.match(byte.hex, /^[0-9a-f]{2}$/, `byte ${index} is two lower-case hex digits`);
  });
  return Buffer.from(bytes.map((byte) => byte.hex).join(''), 'hex');
}

/**
 * A whole frame of the captures' pastes (`paste-example-com/<frame>.ws-hexdump-frame.txt`,
 * Wireshark's "Copy Bytes as Hex Dump") as bytes.
 */
function pastedFrameBytes(frame) {
  const file = path.join(repoRoot, 'crates/dnslab-core/tests/data/captures/paste-example-com', `${frame}.ws-hexdump-frame.txt`);
  const hex = fs.readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/^[0-9a-f]{4,}\s+/i, '').trim())
    .join(' ')
    .replace(/\s+/g, '');
  return Buffer.from(hex, 'hex');
}

/** Polls `read()` until `accept(value)` holds (or the time is up); returns the last value. */
async function until(read, accept, timeoutMs = TIMEOUT, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await read();
  }
  return value;
}

module.exports = {
  TIMEOUT,
  repoRoot,
  pastedFrameBytes,
  track,
  startBridge,
  launchBrowser,
  stopAllChildren,
  makeLock,
  withContext,
  suite,
  freePort,
  udpExchange,
  startCatcher,
  shellWords,
  digQueryBytes,
  startServe,
  startKnot,
  cli,
  cliAsync,
  cliDecodeText,
  paneBytes,
  until,
};
