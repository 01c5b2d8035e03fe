//! End-to-end tests: the release page served by dnslab-bridge, driven in Debian's Chromium (a suite
//! of all.test.cjs, which launches both once).
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { suite, TIMEOUT } = require('./harness.cjs');

const { tests, test } = suite();
module.exports = tests;

const repoRoot = path.resolve(__dirname, '..', '..');
const pastes = path.join(repoRoot, 'crates/dnslab-core/tests/data/captures/paste-example-com');

test('the bridge serves the health check and the wasm with its MIME type', async (env) => {
  const health = await fetch(new URL('healthz', env.baseUrl));
  assert.equal(health.status, 200);
  const index = await (await fetch(env.baseUrl)).text();
  const wasmName = fs.readdirSync(env.siteDir).find((name) => name.endsWith('.wasm'));
  assert.ok(wasmName, 'dist holds a .wasm file');
  assert.ok(index.includes(wasmName), 'index.html loads the wasm');
  const wasm = await fetch(new URL(wasmName, env.baseUrl));
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
});

/** A new context and page that record page errors and console errors. */
async function openPage(env, options = {}) {
  const context = await env.browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(env.baseUrl);
  await page.getByRole('tablist').waitFor({ timeout: TIMEOUT });
  return { context, page, problems };
}

const fieldsTree = (page) => page.getByRole('tree', { name: 'Fields', exact: true });
const dnsNode = (page) => fieldsTree(page).getByRole('treeitem', { name: /^Domain Name System/ }).first();

test('pasting a real response shows its QNAME and answers in the tree, dig and JSON views', async (env) => {
  const { context, page, problems } = await openPage(env);
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.baseUrl).origin });
    const hexStream = fs.readFileSync(path.join(pastes, 'f002.ws-hexstream.txt'), 'utf8');
    await page.getByLabel('Paste', { exact: true }).fill(hexStream);
    await dnsNode(page).waitFor({ timeout: TIMEOUT });
    const tree = await fieldsTree(page).innerText();
    assert.match(tree, /www\.example\.com/);

    await page.getByRole('button', { name: 'dig', exact: true }).click();
    const dig = page.locator('pre').filter({ hasText: 'www.example.com.' }).first();
    await dig.waitFor({ timeout: TIMEOUT });
    const digText = await dig.innerText();
    assert.match(digText, /www\.example\.com\./);
    assert.match(digText, /CNAME/);
    assert.match(digText, /93\.184\.215\.14/);
    assert.match(digText, /NOERROR/);
    if (process.env.DNSLAB_SCREENSHOT) {
      await page.screenshot({ path: process.env.DNSLAB_SCREENSHOT, fullPage: true });
    }
    const copied = await env.clipboard(async () => {
      await page.getByRole('button', { name: 'Copy', exact: true }).click();
      await page.waitForFunction(async (want) => (await navigator.clipboard.readText()) === want, digText, { timeout: TIMEOUT })
        .catch(() => {});
      return page.evaluate(() => navigator.clipboard.readText());
    });
    assert.equal(copied.trim(), digText.trim(), 'Copy puts the dig text on the clipboard');

    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    const json = page.locator('pre').filter({ hasText: '"QNAME"' }).first();
    await json.waitFor({ timeout: TIMEOUT });
    const message = JSON.parse(await json.innerText());
    assert.equal(message.ID, 14857);
    assert.match(message.QNAME, /^www\.example\.com\.?$/);
    assert.equal(message.ANCOUNT, 2);

    await page.getByRole('button', { name: 'Tree', exact: true }).click();
    await dnsNode(page).waitFor({ timeout: TIMEOUT });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('junk input decodes to nothing and the page keeps working', async (env) => {
  const { context, page, problems } = await openPage(env);
  try {
    const box = page.getByLabel('Paste', { exact: true });
    await box.fill(fs.readFileSync(path.join(pastes, 'f002.ws-hexstream.txt'), 'utf8'));
    await dnsNode(page).waitFor({ timeout: TIMEOUT });
    await box.fill('this is not hex at all');
    await fieldsTree(page).waitFor({ state: 'detached', timeout: TIMEOUT });
    const panel = (await page.getByRole('tabpanel').innerText()).trim();
    assert.ok(panel.length > 0, 'the panel still shows something');
    const hexStream = fs.readFileSync(path.join(pastes, 'f004.ws-hexstream.txt'), 'utf8');
    await box.fill(hexStream);
    await dnsNode(page).waitFor({ timeout: TIMEOUT });
    assert.match(await fieldsTree(page).innerText(), /AAAA/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
