//! bench/first-render.cjs: dnslab's first render in headless Chromium (Debian's) against a Yew
//! hello-world built the same way (bench/hello/; bench/first-render.sh builds it). A benchmark,
//! not a test: it prints medians and ratios and asserts nothing.
//!
//! Both sites are served by the same small static server in this process, each on its own
//! loopback port, uncompressed. RUNS (30) fresh browser contexts per site, alternating (a fresh
//! context has an empty HTTP cache, so no compiled-wasm cache either). Read in the page,
//! relative to navigation start (performance.now()):
//!   html     the document's response end;
//!   wasm     the .wasm file's response end (resource timing);
//!   started  Trunk's TrunkApplicationStarted event (the module instantiated, main() returned);
//!   root     the app's root element exists: dnslab's role=tablist, the hello-world's #hello;
//!   fcp      first-contentful-paint (paint timing);
//!   frame    the first animation frame after the root element existed has run.
//!
//! Usage: bench/first-render.sh (or `make bench-first-render`). DNSLAB_SITE_DIR and
//! HELLO_SITE_DIR name the two sites; PROFILE=dir also writes one CPU profile of each.
'use strict';

const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { chromium } = require('playwright-core');

const repoRoot = path.resolve(__dirname, '..');
const sites = {
  dnslab: { dir: path.resolve(process.env.DNSLAB_SITE_DIR || path.join(repoRoot, 'dist')), root: '[role=tablist]' },
  hello: { dir: path.resolve(process.env.HELLO_SITE_DIR || path.join(os.homedir(), '.cache/dnslab/hello/dist')), root: '#hello' },
};
const runs = Number(process.env.RUNS || 30);
const profileDir = process.env.PROFILE ? path.resolve(process.env.PROFILE) : null;
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml' };

function serve(dir) {
  const server = http.createServer((request, response) => {
    const name = decodeURIComponent(request.url.split(/[?#]/)[0].slice(1)) || 'index.html';
    const file = path.join(dir, path.basename(name));
    fs.readFile(file, (error, body) => {
      if (error) { response.writeHead(404); response.end(); return; }
      response.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
      response.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}
const median = (values) => percentile(values, 0.5);

function sizes(dir) {
  const files = fs.readdirSync(dir).filter((file) => /\.(wasm|js|css|html)$/.test(file));
  return files.map((file) => {
    const body = fs.readFileSync(path.join(dir, file));
    return `${path.extname(file).slice(1)} ${(body.length / 1024).toFixed(0)} KiB (${(zlib.gzipSync(body, { level: 9 }).length / 1024).toFixed(0)} gzip)`;
  }).join(', ');
}

/** In the page from its first script: when the root element appears, and Trunk's start event. */
function probe(rootSelector) {
  window.__firstRender = {};
  const marks = window.__firstRender;
  addEventListener('TrunkApplicationStarted', () => { marks.started = performance.now(); });
  const check = () => {
    if (marks.root !== undefined || !document.querySelector(rootSelector)) return false;
    marks.root = performance.now();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { marks.frame = performance.now(); };
      channel.port2.postMessage(0);
    });
    return true;
  };
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document, { subtree: true, childList: true });
}

async function once(browser, name, url, profile) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(probe, sites[name].root);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  let session = null;
  if (profile) {
    session = await context.newCDPSession(page);
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: 100 });
    await session.send('Profiler.start');
  }
  await page.goto(url);
  await page.waitForFunction(() => window.__firstRender.frame !== undefined
    && performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 30000 });
  const sample = await page.evaluate(() => {
    const marks = window.__firstRender;
    const navigation = performance.getEntriesByType('navigation')[0];
    const wasm = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith('.wasm'));
    return {
      html: navigation.responseEnd,
      wasm: wasm ? wasm.responseEnd : NaN,
      started: marks.started ?? NaN,
      root: marks.root,
      fcp: performance.getEntriesByName('first-contentful-paint')[0].startTime,
      frame: marks.frame,
    };
  });
  if (session) {
    const { profile: cpu } = await session.send('Profiler.stop');
    fs.mkdirSync(profileDir, { recursive: true });
    const file = path.join(profileDir, `first-render-${name}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(cpu));
    console.log(`  CPU profile of one ${name} load: ${file}`);
  }
  await context.close();
  if (errors.length) throw new Error(`${name}: page errors: ${errors.join('; ')}`);
  return sample;
}

(async () => {
  for (const [name, site] of Object.entries(sites)) {
    if (!fs.existsSync(path.join(site.dir, 'index.html'))) throw new Error(`no ${name} site in ${site.dir}`);
  }
  const servers = {};
  for (const name of Object.keys(sites)) servers[name] = await serve(sites[name].dir);
  const urls = Object.fromEntries(Object.entries(servers).map(([name, server]) => [name, `http://127.0.0.1:${server.address().port}/`]));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  console.log(`bench/first-render.cjs: Chromium ${browser.version()}; ${os.cpus().length} CPUs, load ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}; ${runs} fresh contexts per site, alternating`);
  for (const [name, site] of Object.entries(sites)) console.log(`  ${name.padEnd(6)} ${site.dir}: ${sizes(site.dir)}`);
  // One untimed load of each first (the browser process's own warm-up).
  for (const name of Object.keys(sites)) await once(browser, name, urls[name], false);
  const samples = { dnslab: [], hello: [] };
  for (let run = 0; run < runs; run += 1) {
    const order = run % 2 === 0 ? ['dnslab', 'hello'] : ['hello', 'dnslab'];
    for (const name of order) samples[name].push(await once(browser, name, urls[name], profileDir && run === 0));
  }
  const keys = [
    ['html', 'navigation start → HTML response end'],
    ['wasm', 'navigation start → wasm response end'],
    ['started', 'navigation start → TrunkApplicationStarted'],
    ['root', 'navigation start → root element exists'],
    ['fcp', 'navigation start → first contentful paint'],
    ['frame', 'navigation start → frame after root done'],
  ];
  console.log(`  ${''.padEnd(44)} ${'dnslab median (p95)'.padStart(22)} ${'hello median (p95)'.padStart(22)}  ratio of medians`);
  for (const [key, label] of keys) {
    const a = samples.dnslab.map((sample) => sample[key]);
    const b = samples.hello.map((sample) => sample[key]);
    const cell = (values) => `${median(values).toFixed(1)} ms (${percentile(values, 0.95).toFixed(1)})`.padStart(22);
    console.log(`  ${label.padEnd(44)} ${cell(a)} ${cell(b)}  ${(median(a) / median(b)).toFixed(2)}×`);
  }
  const between = (name, from, to) => median(samples[name].map((sample) => sample[to] - sample[from]));
  for (const name of Object.keys(sites)) {
    console.log(`  ${name}: wasm end → started ${between(name, 'wasm', 'started').toFixed(1)} ms (compile + instantiate + main), started → root ${between(name, 'started', 'root').toFixed(1)} ms, root → FCP ${between(name, 'root', 'fcp').toFixed(1)} ms`);
  }
  console.log(`ratio dnslab / hello-world, first contentful paint: ${(median(samples.dnslab.map((s) => s.fcp)) / median(samples.hello.map((s) => s.fcp))).toFixed(2)}× (goal ≤ 1.5×); root element: ${(median(samples.dnslab.map((s) => s.root)) / median(samples.hello.map((s) => s.root))).toFixed(2)}×`);
  await browser.close();
  for (const server of Object.values(servers)) server.close();
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
