//! bench/page.cjs: the Decode tab's speed in headless Chromium (Debian's), against the release site.
//!
//! 1. Keystroke: pastes DNS messages of 100 B to 4 KB into the paste box, one input event each,
//!    and times each from the event to the end of the page's work (decode + render), read by a
//!    MessageChannel task queued after the event (it runs once Yew's render has finished), then
//!    the browser's part of the next frame (from its animation frame callback to the first task
//!    after it: style, layout, paint). Prints the median and 95th percentile of the page's work
//!    and of both together, per size; goal: p95 under 16 ms for both together.
//! 2. Capture (when CAPTURE=path is given, e.g. the one `KEEP=1 bench/decode-vs-tshark.sh` keeps):
//!    time from choosing the file to its packet list on screen, next to `tshark -r FILE` reading
//!    the same file in the same run, RUNS times each; prints medians and the ratio (goal ≤ 0.5),
//!    and the longest main-thread task while the capture opened (how long the page stopped
//!    answering).
//!
//! `PROFILE=dir` writes a `.cpuprofile` of each size's pastes there (DevTools opens them; with
//! the site of `bench/profiling-site.sh` the wasm functions have names). It slows the page: take
//! figures from a run without it.
//!
//! Usage: make dist && node bench/page.cjs  (NODE_PATH must hold playwright-core; the Makefile's
//! `make bench-page` sets it). It serves dist/ itself on a free loopback port.
'use strict';

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { chromium } = require('playwright-core');

const site = process.env.DNSLAB_SITE_DIR || path.resolve(__dirname, '..', 'dist');
const runs = Number(process.env.RUNS || 5);
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml' };

function serve() {
  const server = http.createServer((request, response) => {
    const name = request.url === '/' ? 'index.html' : decodeURIComponent(request.url.slice(1).split('?')[0]);
    const file = path.join(site, path.basename(name));
    fs.readFile(file, (error, body) => {
      if (error) { response.writeHead(404); response.end(); return; }
      response.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
      response.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A DNS response of about `size` bytes: one question, then TXT answers (owner a pointer). */
function responseOfSize(size, id) {
  const header = [id >> 8, id & 255, 0x85, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
  const question = [4, ...Buffer.from('test'), 7, ...Buffer.from('example'), 3, ...Buffer.from('com'), 0, 0, 16, 0, 1];
  const records = [];
  let count = 0;
  while (header.length + question.length + records.length + 60 <= size && count < 65535) {
    const text = Buffer.from(`record ${count} `.padEnd(45, 'x'));
    records.push(0xc0, 12, 0, 16, 0, 1, 0, 0, 14, 16, 0, text.length + 1, text.length, ...text);
    count += 1;
  }
  header[6] = count >> 8; header[7] = count & 255;
  return Buffer.from([...header, ...question, ...records]).toString('hex');
}

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

(async () => {
  const server = await serve();
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.getByLabel('Paste').waitFor();
  const profileDir = process.env.PROFILE ? path.resolve(process.env.PROFILE) : null;
  const cdp = profileDir ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    fs.mkdirSync(profileDir, { recursive: true });
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  }
  for (const size of [100, 512, 1500, 4096]) {
    const messages = [responseOfSize(size, 0x1111), responseOfSize(size, 0x2222)];
    if (cdp) await cdp.send('Profiler.start');
    const times = await page.evaluate(async (messages) => {
      const area = document.querySelector('textarea');
      const nextTask = () => new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(0);
      });
      const samples = [];
      for (let index = 0; index < 200; index += 1) {
        const text = messages[index % 2];
        const start = performance.now();
        area.value = text;
        area.dispatchEvent(new Event('input', { bubbles: true }));
        await nextTask();
        const worked = performance.now();
        const origin = document.querySelector('[data-testid="input-origin"]');
        if (!origin) throw new Error('nothing rendered');
        // The browser's part of the frame: from the frame's start (its animation frame callback)
        // to the first task after it (style, layout, paint and commit ran in between). The wait
        // for the frame to start is idle time, not counted.
        const frameStart = await new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
        await nextTask();
        samples.push([worked - start, worked - start + performance.now() - frameStart]);
      }
      return samples;
    }, messages);
    const bytes = messages[0].length / 2;
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      const file = path.join(profileDir, `keystroke-${bytes}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(profile));
      console.log(`  CPU profile of the ${bytes}-byte pastes: ${file}`);
    }
    const work = times.map(([worked]) => worked);
    const frame = times.map(([, framed]) => framed);
    console.log(`keystroke, ${bytes}-byte message: page's work median ${percentile(work, 0.5).toFixed(2)} ms, p95 ${percentile(work, 0.95).toFixed(2)} ms; with the browser's style, layout and paint median ${percentile(frame, 0.5).toFixed(2)} ms, p95 ${percentile(frame, 0.95).toFixed(2)} ms (200 pastes)`);
  }
  if (process.env.CAPTURE) {
    const capture = process.env.CAPTURE;
    const pageTimes = [];
    const tsharkTimes = [];
    const longestTasks = [];
    for (let run = 0; run < runs; run += 1) {
      const fresh = await browser.newPage();
      await fresh.goto(url);
      await fresh.getByLabel('Paste').waitFor();
      const freshCdp = profileDir ? await fresh.context().newCDPSession(fresh) : null;
      if (freshCdp) {
        await freshCdp.send('Profiler.enable');
        await freshCdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await freshCdp.send('Profiler.start');
      }
      await fresh.evaluate(() => {
        window.longestTask = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) window.longestTask = Math.max(window.longestTask, entry.duration);
        }).observe({ type: 'longtask' });
      });
      const start = Date.now();
      await fresh.setInputFiles('input[type=file]', capture);
      await fresh.locator('tr[data-packet="1"]').waitFor({ timeout: 600000 });
      pageTimes.push(Date.now() - start);
      // Long tasks are reported after they end; the next frame has them all.
      await fresh.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
      longestTasks.push(await fresh.evaluate(() => window.longestTask));
      if (freshCdp) {
        const { profile } = await freshCdp.send('Profiler.stop');
        const file = path.join(profileDir, `capture-${run}.cpuprofile`);
        fs.writeFileSync(file, JSON.stringify(profile));
        console.log(`  CPU profile of opening the capture: ${file}`);
      }
      await fresh.close();
      const tsharkStart = Date.now();
      execFileSync('tshark', ['-r', capture], { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 });
      tsharkTimes.push(Date.now() - tsharkStart);
    }
    const pageMedian = percentile(pageTimes, 0.5);
    const tsharkMedian = percentile(tsharkTimes, 0.5);
    console.log(`capture ${path.basename(capture)}: page ${pageMedian} ms, tshark -r ${tsharkMedian} ms (medians of ${runs}); ratio page/tshark ${(pageMedian / tsharkMedian).toFixed(2)}`);
    console.log(`capture ${path.basename(capture)}: longest main-thread task while it opened ${percentile(longestTasks, 0.5).toFixed(0)} ms (median; the page reads captures in steps of about 30 ms)`);
  }
  console.log(errors.length ? `page errors: ${errors.join('; ')}` : 'no page errors');
  await browser.close();
  server.close();
})();
