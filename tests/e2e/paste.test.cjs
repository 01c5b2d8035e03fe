//! End-to-end test: the release page served by dnslab-bridge, driven in Debian's Chromium.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const repoRoot = path.resolve(__dirname, '..', '..');
const pastes = path.join(repoRoot, 'crates/dnslab-core/tests/data/captures/paste-example-com');
const bridgeBin = process.env.DNSLAB_BRIDGE_BIN;
const siteDir = process.env.DNSLAB_SITE_DIR;

let bridge;
let baseUrl;
let browser;

/** Starts dnslab-bridge on a free loopback port and resolves with the URL it prints. */
function startBridge() {
  return new Promise((resolve, reject) => {
    const child = spawn(bridgeBin, ['--site', siteDir, '--listen', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`bridge printed no URL: ${output}`)), 15000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/serving (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`bridge exited with ${code}: ${output}`)));
  });
}

before(async () => {
  assert.ok(bridgeBin && siteDir, 'run through `make test-e2e`, which sets DNSLAB_BRIDGE_BIN and DNSLAB_SITE_DIR');
  ({ child: bridge, url: baseUrl } = await startBridge());
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (bridge) bridge.kill('SIGTERM');
});

test('the bridge serves the health check and the wasm with its MIME type', async () => {
  const health = await fetch(new URL('healthz', baseUrl));
  assert.equal(health.status, 200);
  const index = await (await fetch(baseUrl)).text();
  const wasmName = fs.readdirSync(siteDir).find((name) => name.endsWith('.wasm'));
  assert.ok(wasmName, 'dist holds a .wasm file');
  assert.ok(index.includes(wasmName), 'index.html loads the wasm');
  const wasm = await fetch(new URL(wasmName, baseUrl));
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
});

test('pasting a real response shows its QNAME and answers', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(baseUrl);
  const hexStream = fs.readFileSync(path.join(pastes, 'f002.ws-hexstream.txt'), 'utf8');
  await page.fill('#paste-input', hexStream);
  const view = page.locator('.message-view');
  await view.waitFor({ timeout: 10000 });
  const text = await view.innerText();
  assert.match(text, /www\.example\.com\./);
  assert.match(text, /CNAME/);
  assert.match(text, /93\.184\.215\.14/);
  assert.match(text, /NOERROR/);
  if (process.env.DNSLAB_SCREENSHOT) {
    await page.screenshot({ path: process.env.DNSLAB_SCREENSHOT, fullPage: true });
  }
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('junk input shows an error and the page keeps working', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(baseUrl);
  await page.fill('#paste-input', 'this is not hex at all');
  await page.locator('.decode-error').waitFor({ timeout: 10000 });
  const hexStream = fs.readFileSync(path.join(pastes, 'f004.ws-hexstream.txt'), 'utf8');
  await page.fill('#paste-input', hexStream);
  await page.locator('.message-view').waitFor({ timeout: 10000 });
  assert.match(await page.locator('.message-view').innerText(), /AAAA/);
  await context.close();
});
