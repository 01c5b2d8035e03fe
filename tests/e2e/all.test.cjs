//! The one end-to-end runner: ONE Chromium process and one dnslab-bridge serving the release site
//! for the whole run. Each suite module (decode.cjs, paste.cjs, build.cjs, resolve.cjs) exports
//! its tests as `{ name, fn(env, t) }`; they are registered here, one `describe` per suite. The
//! suites run side by side (each in its own browser contexts), the tests of one suite one after
//! another. `make test-e2e` runs it; `node --test --test-name-pattern=REGEX` picks tests.
'use strict';

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startBridge, launchBrowser, stopAllChildren, makeLock } = require('./harness.cjs');

const SUITES = ['decode', 'paste', 'capture', 'build', 'resolve', 'zones', 'learn'];
const TEST_TIMEOUT = 180000;
/** Tests of one suite run at once (each in its own browser context); the suites run side by side. */
const PER_SUITE = Number(process.env.DNSLAB_E2E_CONCURRENCY || 1);

/** What every test gets; filled in by `before`. */
const env = {
  bridgeBin: process.env.DNSLAB_BRIDGE_BIN,
  siteDir: process.env.DNSLAB_SITE_DIR,
  cliBin: process.env.DNSLAB_CLI_BIN
    || (process.env.DNSLAB_BRIDGE_BIN && path.join(path.dirname(process.env.DNSLAB_BRIDGE_BIN), 'dnslab')),
  screenshotsDir: process.env.DNSLAB_SCREENSHOTS_DIR,
  /** The browser has one clipboard: tests that copy and read it back take turns. */
  clipboard: makeLock(),
  browser: undefined,
  baseUrl: undefined,
};

let bridge;

before(async () => {
  assert.ok(env.bridgeBin && env.siteDir,
    'run through `make test-e2e`, which sets DNSLAB_BRIDGE_BIN, DNSLAB_CLI_BIN and DNSLAB_SITE_DIR');
  assert.ok(fs.existsSync(env.bridgeBin), `the bridge is built: ${env.bridgeBin}`);
  assert.ok(fs.existsSync(env.cliBin), `the dnslab CLI is built: ${env.cliBin}`);
  [bridge, env.browser] = await Promise.all([startBridge(env.bridgeBin, env.siteDir), launchBrowser()]);
  env.baseUrl = bridge.url;
});

after(async () => {
  if (env.browser) await env.browser.close();
  await stopAllChildren();
});

describe('dnslab page', { concurrency: true }, () => {
  for (const name of SUITES) {
    describe(name, { concurrency: PER_SUITE }, () => {
      for (const { name: testName, fn } of require(`./${name}.cjs`)) {
        test(testName, { timeout: TEST_TIMEOUT }, (t) => fn(env, t));
      }
    });
  }
});
