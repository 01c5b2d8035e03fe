//! bench/tabs.cjs: the Build, Resolve and Zones tabs' speed in headless Chromium (Debian's),
//! against the release site served by dnslab-bridge, which forwards to Knot DNS on loopback.
//! A benchmark, not a test: it prints figures (medians, 95th percentiles, peers measured in the
//! same run) and asserts no timing.
//!
//! Every page-side time is performance.now() read inside the page, so the DevTools protocol's
//! own latency is never in a figure. For each click these instants are read:
//!   dom    the DOM shows the result (a MutationObserver callback sees it, or the action's own
//!          synchronous return when the page rendered inside the event);
//!   layout the same plus the style and layout of the change (a forced reflow right after);
//!   raf    the next requestAnimationFrame callback after that;
//!   frame  that frame's rendering done (a task posted from the callback runs after it), so it
//!          includes waiting for the 60 Hz frame clock: up to 16.7 ms. Clicks are made at a
//!          random point of a frame (as a user's are), 8 ms from the next on average.
//!
//! 1. build   click "Send to built-in zones" → the Response section's tree "Response fields"
//!            shows the new answer; the question alternates between www.example.com/A and
//!            example.com/MX (set through the Name and Type fields, untimed). BUILD_N (200).
//! 2. bridge  click "Send via bridge" → the answer rendered, BRIDGE_N (300) times, with
//!            WebSocket.prototype.send and the socket's message events timestamped by an init
//!            script: the page's WebSocket round trip (send → the binary answer), the bridge's own
//!            rtt_us (its JSON text message), their difference; direct UDP from node to knotd with
//!            the same bytes (the floor), and node's own WebSocket (a second node process with
//!            --experimental-websocket) through the same bridge (the bridge without Chromium).
//! 3. resolve ext.example.com AAAA (a CNAME chain through three zones, 9 steps from the root)
//!            with an empty cache, click Resolve → the Answer region rendered: (a) in a fresh
//!            browser context each run (#resolve, the question typed untimed), so the code is cold
//!            too; (b) the link #resolve=ext.example.com/AAAA, navigation start → Answer; (c) one
//!            page, "Flush cache" before each run (code warm). RESOLVE_N (50) each.
//! 4. zones   #zones=example.com., the textarea "Zone file example.com." set once to the
//!            built-in zone plus 1,000 A records, then real key presses (the DevTools protocol's
//!            Input.dispatchKeyEvent) at the end, timed from the keydown event in the page: the
//!            input event's handlers (Yew's render included), the next frame, no work left;
//!            (a) "x" and Backspace alternately (the zone turns invalid and valid again: the
//!            status text changes each time), (b) letters typed into a trailing comment (nothing
//!            but the text changes on screen; the parse and the world rebuild still run).
//!            ZONES_N (100) each. Peer: the same text and keys in a bare textarea (the site's
//!            stylesheet, no app): what Chromium's own editing and rendering cost.
//!
//! Usage: make bench-tabs (builds dist/ and the bridge first), or
//!   DNSLAB_SITE_DIR=dist DNSLAB_BRIDGE_BIN=…/dnslab-bridge NODE_PATH=…/node_modules node bench/tabs.cjs
//! ONLY=build,bridge,resolve,zones picks sections; BUILD_N, BRIDGE_N, RESOLVE_N, ZONES_N set the
//! counts. PROFILE=dir records a CPU profile of every timed window (console.profile in the page,
//! which slows the page: read the figures of a run without it), writes them there and prints
//! where the time went; wasm functions have names with a site from bench/profiling-site.sh.
'use strict';

const { spawn } = require('node:child_process');
const dgram = require('node:dgram');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const harness = require('../tests/e2e/harness.cjs');

// Processes, free ports, knotd and the browser as the end-to-end tests start them.
const { track, startKnot, launchBrowser } = harness;

const repoRoot = path.resolve(__dirname, '..');
const site = path.resolve(process.env.DNSLAB_SITE_DIR || path.join(repoRoot, 'dist'));
const targetDir = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache/dnslab/target');
const bridgeBin = process.env.DNSLAB_BRIDGE_BIN || path.join(targetDir, 'release/dnslab-bridge');
const only = new Set((process.env.ONLY || 'build,bridge,resolve,zones').split(',').map((word) => word.trim()));
const counts = {
  build: Number(process.env.BUILD_N || 200),
  bridge: Number(process.env.BRIDGE_N || 300),
  resolve: Number(process.env.RESOLVE_N || 50),
  zones: Number(process.env.ZONES_N || 100),
};
const profileDir = process.env.PROFILE ? path.resolve(process.env.PROFILE) : null;
const BUILTIN_EXAMPLE_COM = path.join(repoRoot, 'crates/dnslab-core/src/world/zones/example.com.zone');

// ---------------------------------------------------------------------------------------------
// Figures

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}
const median = (values) => percentile(values, 0.5);
const ms = (value) => `${value.toFixed(2)} ms`;
function line(label, values) {
  return `  ${label.padEnd(44)} median ${ms(median(values)).padStart(9)}, p95 ${ms(percentile(values, 0.95)).padStart(9)}, max ${ms(Math.max(...values)).padStart(9)}  (n=${values.length})`;
}
function report(samples, keys) {
  for (const [key, label] of keys) console.log(line(label, samples.map((sample) => sample[key])));
}

// ---------------------------------------------------------------------------------------------
// Processes on loopback

/** One UDP exchange from `socket` (bound, 127.0.0.1) to `port`; resolves with the answer. */
function exchange(socket, port, query, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { socket.off('message', onMessage); reject(new Error('no UDP answer')); }, timeoutMs);
    const onMessage = (message) => {
      if (message[0] !== query[0] || message[1] !== query[1]) return;
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(message);
    };
    socket.on('message', onMessage);
    socket.send(query, port, '127.0.0.1');
  });
}

/** dnslab-bridge serving `site` on a free loopback port, forwarding to `upstream`. */
function startBridge(upstream) {
  // No rate limit in the way: the benchmark sends queries back to back on one connection.
  return harness.startBridge(bridgeBin, site, ['--upstream', upstream, '--max-queries-per-second', '1000000']);
}

// ---------------------------------------------------------------------------------------------
// In the page (an init script): timing helpers and the WebSocket hooks.

function pageHelpers() {
  const bench = {};
  window.__bench = bench;
  bench.nextTask = () => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(0);
  });
  /** The next frame: resolves in a task posted from requestAnimationFrame (after that frame's rendering). */
  bench.nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => {
    const raf = performance.now();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { bench.lastRaf = raf; resolve(performance.now()); };
    channel.port2.postMessage(0);
  }));
  /**
   * Runs `action()` and resolves with { dom, layout, raf, frame } (performance.now() instants)
   * once `done()` holds: checked right after the action and in every MutationObserver callback.
   */
  bench.measure = (action, done, timeoutMs = 10000) => new Promise((resolve, reject) => {
    let finished = false;
    const observer = new MutationObserver(() => check());
    const timer = setTimeout(() => {
      observer.disconnect();
      if (!finished) reject(new Error(`not rendered within ${timeoutMs} ms`));
    }, timeoutMs);
    const check = () => {
      if (finished || !done()) return;
      finished = true;
      const dom = performance.now();
      observer.disconnect();
      clearTimeout(timer);
      bench.styleAndLayout(); // the change's style and layout, now
      const layout = performance.now();
      bench.windowEnd();
      bench.nextFrame().then((frame) => resolve({ dom, layout, raf: bench.lastRaf, frame }));
    };
    observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    bench.windowStart();
    action();
    check();
  });
  // A named function, so that a CPU profile shows forced style and layout under this name.
  bench.styleAndLayout = function styleAndLayout() { void document.body.offsetHeight; };
  // With PROFILE=dir, each timed window is a console.profile() of its own (see profiler()).
  let windows = 0;
  bench.windowStart = () => { if (window.__benchProfiling) console.profile(`window ${windows += 1}`); };
  bench.windowEnd = () => { if (window.__benchProfiling) console.profileEnd(`window ${windows}`); };
  /** After a frame, a random part of the next one: the action lands anywhere in the frame, as a user's would. */
  bench.randomPhase = async () => {
    await bench.nextFrame();
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 16));
  };
  bench.relative = (times, start) => ({ dom: times.dom - start, layout: times.layout - start, raf: times.raf - start, frame: times.frame - start });
  /**
   * Times every key press from its keydown (a capture listener on the document) into bench.keys:
   * script (the input event's handlers, Yew's render included), paint (the first frame after the
   * key event has been rendered), settled (no work left); dom when the text of `statusSelector`
   * changed.
   */
  bench.timeKeys = (area, statusSelector) => {
    area.setSelectionRange(area.value.length, area.value.length);
    bench.keys = [];
    const statusNow = () => (statusSelector ? document.querySelector(statusSelector)?.textContent : undefined);
    const zeroTimeout = () => new Promise((resolve) => setTimeout(resolve, 0));
    let current = null;
    // The input event from its first listener (capture, on the document) to its last (bubbling,
    // on the window): the app's handler and the render Yew runs in the microtasks after it.
    document.addEventListener('input', () => { if (current) current.inputAt = performance.now(); }, true);
    window.addEventListener('input', () => {
      if (current && current.inputAt !== undefined) current.script = performance.now() - current.inputAt;
    });
    document.addEventListener('keydown', (event) => {
      const start = performance.now();
      const before = statusNow();
      const sample = { key: event.key, eventAge: start - event.timeStamp, script: 0 };
      current = sample;
      // The first frame after the key event's task (which holds the input event and the app's
      // handler): what the user sees next.
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => { sample.paint = performance.now() - start; };
        channel.port2.postMessage(0);
      });
      bench.windowStart();
      let mutations = 0;
      const observer = new MutationObserver(() => {
        mutations += 1;
        if (sample.dom === undefined && statusNow() !== before) sample.dom = performance.now() - start;
      });
      observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
      (async () => {
        // After the key event's task. (Chromium runs the next frame first: after a discrete
        // input its scheduler gives rendering priority over ordinary tasks.)
        await bench.nextTask();
        // Then until the page has nothing left (Yew continues a long render in setTimeout(0)
        // slices, which run in order with these): a zero timeout that comes back at once with no
        // DOM change in between.
        let settled = performance.now();
        for (let round = 0; round < 4; round += 1) {
          const seen = mutations;
          const before = performance.now();
          await zeroTimeout();
          const after = performance.now();
          if (after - before < 2 && mutations === seen) { settled = before; break; }
          settled = after;
        }
        sample.settled = settled - start;
        observer.disconnect();
        bench.styleAndLayout(); // the style and layout still owed, if any
        bench.windowEnd();
        await bench.nextFrame();
        sample.changed = sample.dom !== undefined;
        sample.status = statusNow();
        bench.keys.push(sample);
      })();
    }, true);
  };
  bench.button = (text) => [...document.querySelectorAll('[role=tabpanel] button')].find((button) => button.textContent.trim() === text);
  bench.field = (text) => {
    const label = [...document.querySelectorAll('[role=tabpanel] label')].find((element) => element.textContent.trim() === text);
    return label && document.getElementById(label.htmlFor);
  };
  bench.type = (input, value) => {
    input.value = value;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
  };
  // WebSocket: every send's time and DNS ID, every message's time and content.
  bench.sent = [];
  bench.received = [];
  const originalSend = WebSocket.prototype.send;
  WebSocket.prototype.send = function send(data) {
    const at = performance.now();
    let bytes = null;
    if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
    else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (bytes) bench.sent.push({ at, id: (bytes[0] << 8) | bytes[1], hex: [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('') });
    return originalSend.call(this, data);
  };
  const OriginalWebSocket = window.WebSocket;
  class TimedWebSocket extends OriginalWebSocket {
    constructor(...args) {
      super(...args);
      // Registered before the page sets onmessage, so it runs first in each dispatch.
      this.addEventListener('message', (event) => {
        const at = performance.now();
        if (typeof event.data === 'string') bench.received.push({ at, text: event.data });
        else bench.received.push({ at, bytes: event.data.byteLength ?? event.data.size });
      });
    }
  }
  window.WebSocket = TimedWebSocket;
}

// ---------------------------------------------------------------------------------------------
// CPU profiles (PROFILE=dir)

/**
 * PROFILE=dir: collects a CPU profile of every timed window (console.profile() in the page,
 * started by the action and ended once style and layout are done), so the figures printed are
 * where the timed work goes and nothing else. `attach` a page, then `finish`.
 */
function profiler() {
  const profiles = [];
  return {
    enabled: Boolean(profileDir),
    async attach(page) {
      if (!profileDir) return;
      await page.evaluate(() => { window.__benchProfiling = true; });
      const session = await page.context().newCDPSession(page);
      session.on('Profiler.consoleProfileFinished', (event) => profiles.push(event.profile));
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: 50 });
    },
    finish(name) {
      if (!profileDir) return;
      fs.mkdirSync(profileDir, { recursive: true });
      const file = path.join(profileDir, `${name}-windows.json`);
      fs.writeFileSync(file, JSON.stringify(profiles));
      console.log(`  CPU profiles of the ${profiles.length} timed windows (a JSON array of .cpuprofile objects): ${file}`);
      printProfile(profiles);
    },
  };
}

/**
 * Self and inclusive time per function over CPU profiles (wasm functions are named when the site
 * kept its name section: bench/profiling-site.sh builds one).
 */
function printProfile(profiles, top = 16) {
  const keyOf = (node) => {
    const frame = node.callFrame;
    const where = frame.url ? ` ${path.basename(frame.url).replace(/-[0-9a-f]{16}/, '')}` : '';
    return `${(frame.functionName || '(anonymous)').slice(0, 110)}${where}`;
  };
  const self = new Map();
  const total = new Map();
  let busy = 0;
  let idle = 0;
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const parent = new Map();
    for (const node of profile.nodes) for (const child of node.children || []) parent.set(child, node.id);
    const deltas = profile.timeDeltas || [];
    profile.samples.forEach((id, index) => {
      const time = (deltas[index + 1] ?? 0) / 1000;
      const node = byId.get(id);
      if (node.callFrame.functionName === '(idle)') { idle += time; return; }
      busy += time;
      const key = keyOf(node);
      self.set(key, (self.get(key) || 0) + time);
      const seen = new Set();
      for (let at = id; at !== undefined; at = parent.get(at)) {
        const name = keyOf(byId.get(at));
        if (!seen.has(name)) { seen.add(name); total.set(name, (total.get(name) || 0) + time); }
      }
    });
  }
  const share = (time) => `${time.toFixed(1).padStart(8)} ms ${(100 * time / busy).toFixed(0).padStart(3)}%`;
  console.log(`    ${busy.toFixed(0)} ms busy in ${profiles.length} windows, ${idle.toFixed(0)} ms idle ("(program)": the browser's own work outside script); most self time:`);
  for (const [key, time] of [...self.entries()].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`      ${share(time)}  ${key}`);
  console.log('    most inclusive time in the app\'s own functions (dnslab_*), Yew\'s reconciliation and forced style/layout:');
  const ours = /dnslab_(web|core)::|yew::dom_bundle::.*::(reconcile|attach)|styleAndLayout/;
  for (const [key, time] of [...total.entries()].filter(([key]) => ours.test(key)).sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`      ${share(time)}  ${key}`);
}

// ---------------------------------------------------------------------------------------------
// The sections

async function newPage(browser, url, errors) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(pageHelpers);
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(`console: ${message.text()}`); });
  await page.goto(url);
  await page.getByRole('tablist').waitFor();
  return { context, page };
}

async function benchBuild(browser, base, errors) {
  console.log(`build: click "Send to built-in zones" → the response rendered (${counts.build} clicks, alternating www.example.com/A and example.com/MX)`);
  const { context, page } = await newPage(browser, `${base}#build=www.example.com/A`, errors);
  await page.getByRole('button', { name: 'Send to built-in zones' }).waitFor();
  const profile = profiler();
  await profile.attach(page);
  const samples = await page.evaluate(async (count) => {
    const bench = window.__bench;
    const questions = [['www.example.com', 'A'], ['example.com', 'MX']];
    const out = [];
    for (let index = 0; index < count; index += 1) {
      const [name, type] = questions[index % 2];
      bench.type(bench.field('Name'), name);
      await bench.nextFrame();
      bench.type(bench.field('Type'), type);
      await bench.nextFrame();
      const tree = () => document.querySelector('section[aria-label="Response"] [role=tree][aria-label="Response fields"]');
      const before = tree()?.textContent;
      const button = bench.button('Send to built-in zones');
      if (!button || button.disabled) throw new Error(`the button is missing or disabled for ${name}/${type}`);
      await bench.randomPhase();
      const start = performance.now();
      const times = await bench.measure(() => button.click(), () => {
        const text = tree()?.textContent;
        return text !== undefined && text !== before && text.includes(`#1: ${name}. IN ${type}`);
      });
      out.push({ ...bench.relative(times, start), rows: document.querySelectorAll('tr[data-history]').length });
    }
    return out;
  }, counts.build);
  report(samples, [['dom', 'click → response in the DOM'], ['layout', 'click → DOM + style/layout'], ['raf', 'click → next animation frame callback'], ['frame', 'click → that frame done']]);
  console.log(`  the first click alone (code not yet optimized by V8's tiers): ${ms(samples[0].dom)} to the DOM`);
  const firstTwenty = samples.slice(0, 20).map((sample) => sample.dom);
  const lastTwenty = samples.slice(-20).map((sample) => sample.dom);
  console.log(`  first 20 clicks median ${ms(median(firstTwenty))}, last 20 median ${ms(median(lastTwenty))} (the session history holds ${samples.at(-1).rows} rows at the end)`);
  profile.finish('build');
  await context.close();
}

/** Node's own WebSocket (a child `node --experimental-websocket`) through the bridge: round trips and rtt_us. */
function nodeWebSocketPeer(socketUrl, hexQueries) {
  const program = `
    const queries = JSON.parse(process.argv[1]).map((hex) => Buffer.from(hex, 'hex'));
    const socket = new WebSocket(process.argv[2]);
    socket.binaryType = 'arraybuffer';
    const out = [];
    let index = 0, sent = 0, rtt = 0;
    const next = () => {
      if (index === queries.length) { console.log(JSON.stringify(out)); socket.close(); return; }
      sent = performance.now();
      socket.send(queries[index]);
    };
    socket.onopen = next;
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') { const meta = JSON.parse(event.data); rtt = meta.rtt_us; if (meta.error) { console.error(event.data); process.exit(1); } return; }
      out.push({ ws: performance.now() - sent, bridge: rtt / 1000 });
      index += 1;
      next();
    };
    socket.onerror = (error) => { console.error(String(error.message || error)); process.exit(1); };
  `;
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, ['--experimental-websocket', '--no-warnings', '-e', program, JSON.stringify(hexQueries), socketUrl], { stdio: ['ignore', 'pipe', 'pipe'] }));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(stdout));
      else reject(new Error(`node WebSocket peer exited ${code}: ${stderr}`));
    });
  });
}

async function benchBridge(browser, base, knot, errors) {
  console.log(`bridge: click "Send via bridge" → the answer rendered (${counts.bridge} queries, www.example.com/A, knotd on 127.0.0.1:${knot.port})`);
  const { context, page } = await newPage(browser, `${base}#build=www.example.com/A`, errors);
  const status = page.locator('[data-testid=bridge-status]');
  await status.filter({ hasText: /^open$/ }).waitFor();
  const profile = profiler();
  await profile.attach(page);
  const samples = await page.evaluate(async (count) => {
    const bench = window.__bench;
    const source = () => document.querySelector('[data-testid=response-source]');
    const out = [];
    for (let index = 0; index < count; index += 1) {
      const button = bench.button('Send via bridge');
      if (!button || button.disabled) throw new Error('"Send via bridge" is missing or disabled');
      const sentBefore = bench.sent.length;
      const receivedBefore = bench.received.length;
      await bench.randomPhase();
      const start = performance.now();
      // Each query has a new random ID: done when the response tree shows this query's ID.
      const tree = () => document.querySelector('section[aria-label="Response"] [role=tree][aria-label="Response fields"]');
      let want = null;
      let free = null;
      const times = await bench.measure(() => {
        button.click();
        // A task queued now runs once the click's task, and Yew's render it queued, are done.
        free = bench.nextTask();
        want = `Transaction ID: 0x${bench.sent[sentBefore].id.toString(16).padStart(4, '0')}`;
      }, () => want !== null && (source()?.textContent ?? '').includes('at the bridge') && (tree()?.textContent ?? '').includes(want));
      const sent = bench.sent[sentBefore];
      const messages = bench.received.slice(receivedBefore);
      const meta = messages.find((message) => message.text !== undefined);
      const answer = messages.find((message) => message.bytes !== undefined);
      if (!sent || !meta || !answer) throw new Error(`query ${index}: no send or no answer seen by the hooks`);
      const metadata = JSON.parse(meta.text);
      const shown = source().textContent.match(/([\d.]+) ms at the bridge, ([\d.]+) ms from the page/);
      out.push({
        ...bench.relative(times, start),
        clickToSend: sent.at - start,
        clickToFree: (await free) - start,
        ws: answer.at - sent.at,
        wsText: meta.at - sent.at,
        bridge: metadata.rtt_us / 1000,
        overhead: answer.at - sent.at - metadata.rtt_us / 1000,
        pageShown: Number(shown[2]),
        answerToDom: times.dom - answer.at,
        hex: sent.hex,
        transport: metadata.transport,
      });
    }
    return out;
  }, counts.bridge);
  report(samples, [
    ['dom', 'click → answer in the DOM'],
    ['layout', 'click → DOM + style/layout'],
    ['raf', 'click → next animation frame callback'], ['frame', 'click → that frame done'],
    ['clickToSend', 'click → WebSocket send'],
    ['clickToFree', 'click → main thread free (pending state drawn)'],
    ['ws', 'page WebSocket round trip (send → bytes)'],
    ['wsText', 'page send → bridge JSON text message'],
    ['bridge', 'bridge rtt_us to knotd'],
    ['overhead', 'page WebSocket round trip − bridge rtt'],
    ['answerToDom', 'answer bytes arrive → answer in the DOM'],
    ['pageShown', 'the page\'s own "ms from the page"'],
  ]);
  console.log(`  the first query alone: ${ms(samples[0].dom)} click → DOM, ${ms(samples[0].overhead)} round trip − bridge rtt`);
  // The same page, the same bytes, on a second WebSocket of its own with nothing rendered: what
  // Chromium's WebSocket costs without the app's work on the main thread.
  const raw = await page.evaluate(async (hexQueries) => {
    const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/dns`);
    socket.binaryType = 'arraybuffer';
    await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
    const out = [];
    for (const hex of hexQueries) {
      const bytes = new Uint8Array(hex.match(/../g).map((pair) => parseInt(pair, 16)));
      let rtt = 0;
      const round = await new Promise((resolve) => {
        socket.onmessage = (event) => {
          if (typeof event.data === 'string') { rtt = JSON.parse(event.data).rtt_us / 1000; return; }
          resolve(performance.now() - sent);
        };
        const sent = performance.now();
        socket.send(bytes);
      });
      out.push({ ws: round, bridge: rtt, overhead: round - rtt });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    socket.close();
    return out;
  }, samples.map((sample) => sample.hex));
  report(raw, [['ws', 'same page, bare WebSocket round trip'], ['bridge', '  its bridge rtt_us'], ['overhead', '  its round trip − bridge rtt']]);
  const transports = [...new Set(samples.map((sample) => sample.transport))].join(', ');
  console.log(`  transport(s) the bridge used: ${transports}; ${samples[0].hex.length / 2}-byte query`);
  profile.finish('bridge');
  await context.close();

  // The floor: node → knotd over UDP, the same bytes (each with its own ID), in this run.
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const udp = [];
  for (const sample of samples) {
    const query = Buffer.from(sample.hex, 'hex');
    const start = process.hrtime.bigint();
    await exchange(socket, knot.port, query);
    udp.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  socket.close();
  console.log(line('node dgram → knotd (the floor)', udp));
  // The bridge without Chromium: node's WebSocket client, the same bytes.
  try {
    const socketUrl = `${base.replace(/^http/, 'ws')}dns`;
    const peer = await nodeWebSocketPeer(socketUrl, samples.map((sample) => sample.hex));
    console.log(line('node WebSocket round trip via the bridge', peer.map((sample) => sample.ws)));
    console.log(line('  its bridge rtt_us', peer.map((sample) => sample.bridge)));
    console.log(line('  its round trip − bridge rtt', peer.map((sample) => sample.ws - sample.bridge)));
  } catch (error) {
    console.log(`  (node WebSocket peer unavailable: ${error.message})`);
  }
  console.log(`  ratio page WebSocket round trip / node dgram: ${(median(samples.map((sample) => sample.ws)) / median(udp)).toFixed(2)}`);
}

async function benchResolve(browser, base, errors) {
  console.log(`resolve: ext.example.com AAAA with an empty cache, ${counts.resolve} runs of each kind`);
  const fresh = [];
  const links = [];
  let steps = '';
  const profile = profiler();
  for (let run = 0; run < counts.resolve; run += 1) {
    // (a) A fresh browser context: #resolve, the question typed (untimed), Resolve clicked.
    {
      const { context, page } = await newPage(browser, `${base}#resolve`, errors);
      await page.getByRole('button', { name: 'Resolve', exact: true }).waitFor();
      await profile.attach(page);
      const sample = await page.evaluate(async () => {
        const bench = window.__bench;
        bench.type(bench.field('Name'), 'ext.example.com');
        await bench.nextFrame();
        bench.type(bench.field('Type'), 'AAAA');
        await bench.nextFrame();
        await bench.nextFrame();
        const button = bench.button('Resolve');
        await bench.randomPhase();
        const start = performance.now();
        const times = await bench.measure(() => button.click(), () => document.querySelector('[role=region][aria-label="Answer"]') !== null);
        const outcomes = [...document.querySelectorAll('[aria-label="Resolution steps"] > li')].map((item) => `${item.dataset.zone}:${item.dataset.outcome}`);
        // When the page had its built-in world ready (the mark app.rs sets), from navigation start.
        const ready = performance.getEntriesByName('dnslab:world-ready')[0];
        return { ...bench.relative(times, start), outcomes, nodes: document.querySelectorAll('[role=tabpanel] *').length, worldReady: ready ? ready.startTime : NaN, clickAt: start };
      });
      fresh.push(sample);
      steps = sample.outcomes.join(' → ');
      await context.close();
    }
    // (b) The link in a fresh context, from navigation start (page load included).
    {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addInitScript(() => {
        new MutationObserver((_, observer) => {
          if (document.querySelector('[role=region][aria-label="Answer"]')) {
            window.__answerAt = performance.now();
            observer.disconnect();
          }
        }).observe(document, { subtree: true, childList: true });
      });
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      await page.goto(`${base}#resolve=ext.example.com/AAAA`);
      await page.waitForFunction(() => window.__answerAt !== undefined);
      links.push(await page.evaluate(() => {
        const wasm = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('.wasm'));
        return { answer: window.__answerAt, wasmEnd: wasm ? wasm.responseEnd : NaN };
      }));
      await context.close();
    }
  }
  console.log(`  steps (zone:outcome): ${steps}; ${fresh[0].nodes} elements in the tab after it`);
  console.log(' (a) a fresh page each time: its code runs for the first time (baseline-compiled wasm)');
  report(fresh, [['dom', 'click Resolve → Answer in the DOM'], ['layout', 'click Resolve → DOM + style/layout'], ['raf', 'click Resolve → next animation frame callback'], ['frame', 'click Resolve → that frame done']]);
  const readyFirst = fresh.filter((sample) => sample.worldReady < sample.clickAt).length;
  console.log(`  (the page's built-in world ready before the click in ${readyFirst} of ${fresh.length} runs)`);
  report(fresh, [['worldReady', 'navigation start → world ready (mark)'], ['clickAt', 'navigation start → the click']]);
  console.log(' (b) the link #resolve=ext.example.com/AAAA in a fresh page');
  report(links, [['answer', 'navigation start → Answer in the DOM'], ['wasmEnd', 'navigation start → wasm downloaded']]);
  // (c) One page, the cache flushed before each timed run ("Flush cache"), a different answer
  // (nope.example.com A, NXDOMAIN) on screen before it so that the DOM must change.
  const { context, page } = await newPage(browser, `${base}#resolve`, errors);
  await page.getByRole('button', { name: 'Resolve', exact: true }).waitFor();
  await profile.attach(page);
  const warm = await page.evaluate(async (count) => {
    const bench = window.__bench;
    const answer = () => document.querySelector('[role=region][aria-label="Answer"]')?.textContent ?? '';
    const resolve = async (name, type) => {
      bench.type(bench.field('Name'), name);
      await bench.nextFrame();
      bench.type(bench.field('Type'), type);
      await bench.nextFrame();
    };
    const flush = async () => {
      const button = bench.button('Flush cache');
      if (button) { button.click(); await bench.nextFrame(); }
    };
    const out = [];
    for (let index = 0; index < count; index += 1) {
      await flush();
      await resolve('nope.example.com', 'A');
      bench.button('Resolve').click();
      await bench.nextFrame();
      await flush();
      await resolve('ext.example.com', 'AAAA');
      await bench.nextFrame();
      const before = answer();
      await bench.randomPhase();
      const start = performance.now();
      const times = await bench.measure(() => bench.button('Resolve').click(), () => answer() !== before && answer().includes('web.example.net.'));
      const outcomes = [...document.querySelectorAll('[aria-label="Resolution steps"] > li')].map((item) => item.dataset.outcome);
      out.push({ ...bench.relative(times, start), steps: outcomes.length, cached: outcomes.filter((outcome) => outcome === 'cache').length });
    }
    return out;
  }, counts.resolve);
  await context.close();
  const cached = warm.filter((sample) => sample.cached > 0 || sample.steps !== 9).length;
  console.log(` (c) one page, "Flush cache" before each run (the code warm, the cache empty: ${warm.length - cached} of ${warm.length} runs took the 9 steps from the root)`);
  report(warm, [['dom', 'click Resolve → Answer in the DOM'], ['layout', 'click Resolve → DOM + style/layout'], ['raf', 'click Resolve → next animation frame callback'], ['frame', 'click Resolve → that frame done']]);
  profile.finish('resolve');
}

async function benchZones(browser, base, errors) {
  const records = Array.from({ length: 1000 }, (_, index) => `h${index} IN A 192.0.2.${index % 254 + 1}`).join('\n');
  const text = `${fs.readFileSync(BUILTIN_EXAMPLE_COM, 'utf8').trimEnd()}\n${records}\n`;
  console.log(`zones: key presses at the end of example.com. (${text.split('\n').length - 1} lines, ${text.length} bytes; ${counts.zones} presses each)`);
  const { context, page } = await newPage(browser, `${base}#zones=example.com.`, errors);
  await page.getByLabel('Zone file example.com.', { exact: true }).waitFor();
  // Set once, in the page: one input event with the whole text. (Playwright's fill() types it
  // through Input.insertText, which Chromium's editor takes seconds over for 1,000 lines, even
  // in a bare textarea.)
  const fill = await page.evaluate(async (text) => {
    const bench = window.__bench;
    const area = [...document.querySelectorAll('textarea')].find((element) => element.getAttribute('aria-label') === 'Zone file example.com.');
    const start = performance.now();
    bench.type(area, text);
    const task = (await bench.nextTask()) - start;
    const frame = (await bench.nextFrame()) - start;
    const note = document.querySelector('details[data-origin="example.com."] .view-bar .note')?.textContent;
    const status = document.querySelector('details[data-origin="example.com."] .zone-status')?.textContent;
    return { task, frame, note, status };
  }, text);
  console.log(`  setting the text once: ${ms(fill.task)} to the end of its task, ${ms(fill.frame)} to the next frame; status "${fill.status}", ${fill.note}`);
  await page.getByLabel('Zone file example.com.', { exact: true }).focus();
  await page.evaluate(() => {
    const area = [...document.querySelectorAll('textarea')].find((element) => element.getAttribute('aria-label') === 'Zone file example.com.');
    window.__bench.timeKeys(area, 'details[data-origin="example.com."] .zone-status');
  });
  const profile = profiler();
  await profile.attach(page);
  const runPresses = async (keys, on = page) => {
    const from = await on.evaluate(() => window.__bench.keys.length);
    for (let index = 0; index < keys.length; index += 1) {
      await on.keyboard.press(keys[index]);
      await on.waitForFunction((want) => window.__bench.keys.length >= want, from + index + 1);
    }
    await on.waitForTimeout(200);
    return on.evaluate((from) => window.__bench.keys.slice(from), from);
  };
  const keys = [['script', 'input event → its handlers and render done'], ['paint', 'keydown → the next frame done'], ['settled', 'keydown → no work left']];
  const toggles = await runPresses(Array.from({ length: counts.zones }, (_, index) => (index % 2 === 0 ? 'x' : 'Backspace')));
  const changed = toggles.filter((sample) => sample.changed).length;
  console.log(`  (a) "x" and Backspace alternately: the status text changed on ${changed} of ${toggles.length} presses ("${toggles[0].status}" / "${toggles[1].status}")`);
  report(toggles.filter((sample) => sample.changed), [['dom', 'keydown → status text changed']]);
  report(toggles, keys);
  report(toggles.filter((sample) => sample.key === 'x'), [['settled', '  "x" only (valid → 1 error)']]);
  report(toggles.filter((sample) => sample.key === 'Backspace'), [['settled', '  Backspace only (1 error → valid)']]);
  report(toggles, [['eventAge', 'key event created → keydown listener']]);
  await runPresses([';', ' ']);
  const comment = await runPresses(Array.from({ length: counts.zones }, (_, index) => 'abcdefghij'[index % 10]));
  console.log(`  (b) letters typed into a trailing comment (the zone stays valid: status "${comment.at(-1).status}")`);
  report(comment, keys);
  profile.finish('zones');
  await context.close();

  // The peer: Chromium alone, the same text in a bare textarea (the page's stylesheet, no app).
  const bare = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await bare.addInitScript(pageHelpers);
  const plain = await bare.newPage();
  await plain.goto(`${base}#decode`);
  await plain.getByRole('tablist').waitFor();
  await plain.evaluate((text) => {
    // A new document with the site's stylesheet and one textarea styled as the zone editor's.
    const css = [...document.querySelectorAll('link[rel=stylesheet]')].map((link) => link.outerHTML).join('');
    document.open();
    document.write(`<!doctype html><html><head>${css}</head><body><div class="zone-editor"><div class="editor"><textarea class="zone-text" spellcheck="false" wrap="off" aria-label="bare"></textarea></div></div></body></html>`);
    document.close();
    return new Promise((resolve) => addEventListener('load', resolve, { once: true })).then(() => {
      document.querySelector('textarea').value = text;
    });
  }, text);
  await plain.locator('textarea').focus();
  await plain.evaluate(() => window.__bench.timeKeys(document.querySelector('textarea'), null));
  const bareToggles = await runPresses(Array.from({ length: counts.zones }, (_, index) => (index % 2 === 0 ? 'x' : 'Backspace')), plain);
  console.log(`  peer: the same ${text.length}-byte text in a bare textarea (the site's stylesheet, no app), "x" and Backspace alternately`);
  report(bareToggles, keys);
  await bare.close();
}

(async () => {
  if (!fs.existsSync(path.join(site, 'index.html'))) throw new Error(`no site in ${site}: make dist first`);
  if (!fs.existsSync(bridgeBin)) throw new Error(`no bridge at ${bridgeBin}: make build first`);
  const knot = await startKnot();
  const bridge = await startBridge(`127.0.0.1:${knot.port}`);
  const browser = await launchBrowser();
  const errors = [];
  console.log(`bench/tabs.cjs: site ${site}, served by ${bridge.url} (dnslab-bridge ${bridgeBin}); Chromium ${browser.version()}; ${os.cpus().length} CPUs, load ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  try {
    if (only.has('build')) await benchBuild(browser, bridge.url, errors);
    if (only.has('bridge')) await benchBridge(browser, bridge.url, knot, errors);
    if (only.has('resolve')) await benchResolve(browser, bridge.url, errors);
    if (only.has('zones')) await benchZones(browser, bridge.url, errors);
  } finally {
    console.log(errors.length ? `page errors: ${[...new Set(errors)].join('; ')}` : 'no page errors');
    await browser.close();
    await bridge.stop();
    await knot.stop();
  }
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
