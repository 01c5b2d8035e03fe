//! End-to-end tests of the Zones tab (a suite of all.test.cjs), written against
//! /work/shared/PAGE-CONTRACT.md and the tab's own words: one `<details data-origin>` per zone, its
//! editor a textarea labelled `Zone file <origin>`, errors in the `Zone errors` list with
//! `data-line` and `data-column`, edits kept in localStorage under `dnslab.zones.v1`.
//! What an edited zone should answer comes from the CLI over the same zone text: `dnslab resolve
//! --json --zone FILE` (which replaces the built-in zone of that origin) and `dnslab serve --zone
//! FILE` on loopback; where a zone has an error, `dnslab serve`/`resolve` name its line and column.
'use strict';

const assert = require('node:assert/strict');
const { randomInt } = require('node:crypto');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  TIMEOUT, repoRoot, suite, withContext, cli, cliDecodeText, udpExchange, paneBytes, until,
} = require('./harness.cjs');

const { tests, test } = suite();
module.exports = tests;

const STORAGE_KEY = 'dnslab.zones.v1';
const UNREADABLE_KEY = 'dnslab.zones.v1.unreadable';
/** The master files the page compiles in (crates/dnslab-core/src/world/servers.rs include_str!s them). */
const builtinZoneFile = (file) => fs.readFileSync(path.join(repoRoot, 'crates/dnslab-core/src/world/zones', file), 'utf8');

const EXTRA = 'extra 300 IN A 192.0.2.77';
const EXTRA_ADDRESS = '192.0.2.77';

/** A query ID for a test: random, so nothing depends on one value. */
const newId = () => randomInt(1, 0x10000);

/** `text` with `line` added at its end (one newline between). */
const appendLine = (text, line) => `${text.replace(/\n*$/, '\n')}${line}\n`;

// ---------------------------------------------------------------------------------------------
// What the CLI says, over zone files written to a temporary folder

/** Writes each `{ origin, text }` to its own file; returns the folder and the paths. */
function writeZones(zones) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dnslab-e2e-zones-'));
  const files = zones.map(({ origin, text }) => {
    const file = path.join(folder, `${origin === '.' ? 'root.' : origin}zone`);
    fs.writeFileSync(file, text);
    return file;
  });
  return { folder, files, remove: () => fs.rmSync(folder, { recursive: true, force: true }) };
}

/** `dnslab resolve <mode> --zone FILE… NAME TYPE`: `{ status, stdout, stderr }`. */
function cliResolveRun(env, zones, name, type, mode = '--json') {
  const written = writeZones(zones);
  try {
    return cli(env, ['resolve', mode, ...written.files.flatMap((file) => ['--zone', file]), name, type]);
  } finally {
    written.remove();
  }
}

/** `dnslab resolve --json --zone FILE… NAME TYPE`, parsed (the built-in zones when `zones` is empty). */
function cliTrace(env, zones, name, type) {
  const run = cliResolveRun(env, zones, name, type);
  assert.equal(run.status, 0, `dnslab resolve --json ${zones.map((zone) => `--zone <${zone.origin}>`).join(' ')} ${name} ${type}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** The records of `dnslab resolve --trace`'s final response, one normalized line each. */
function cliFinalRecords(env, zones, name, type) {
  const run = cliResolveRun(env, zones, name, type, '--trace');
  assert.equal(run.status, 0, `dnslab resolve --trace ${name} ${type}: ${run.stderr}`);
  const lines = run.stdout.split('\n');
  const start = lines.findIndex((line) => /response sent to the stub/i.test(line));
  if (start === -1) return [];
  return lines.slice(start + 1).filter((line) => line.trim() !== '' && !line.startsWith(';')).map(normalize);
}

/** What `dnslab resolve --zone` says of a zone with errors: `[{ line, column, message }]`. */
function cliZoneErrors(env, origin, text) {
  const run = cliResolveRun(env, [{ origin, text }], origin, 'SOA');
  assert.notEqual(run.status, 0, `dnslab resolve --zone rejects the zone: ${run.stdout}`);
  return [...run.stderr.matchAll(/^\S+?:(\d+):(\d+): (.+)$/gm)]
    .map((match) => ({ line: Number(match[1]), column: Number(match[2]), message: match[3].trim() }));
}

/** `dnslab serve --zone FILE…` on a free loopback port: `{ port, zones, stop() }` (`zones`: what it says it serves). */
async function startServeZones(env, zones) {
  const written = writeZones(zones);
  const args = ['serve', '--listen', '127.0.0.1:0', '--udp-workers', '1', ...written.files.flatMap((file) => ['--zone', file])];
  const child = spawn(env.cliBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const stop = () => new Promise((resolve) => {
    written.remove();
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
  try {
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dnslab serve printed no ready line: ${output}`)), 15000);
      const onData = (chunk) => {
        output += chunk;
        const match = output.match(/listening on 127\.0\.0\.1:(\d+)/);
        // The ready line, and the log line naming the zones (which may come just after it).
        if (match && /serving \d+ zone\(s\): .+\n/.test(output)) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`dnslab serve exited with ${code}: ${output}`));
      });
    });
    const served = output.match(/serving \d+ zone\(s\): (.+)/);
    return { port, zones: served ? served[1].trim().split(/\s+/) : [], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A step's meaning in the CLI's JSON as the page's `data-outcome` (the contract: another error
 * code or an unusable message counts as `servfail`).
 */
function outcomeOf(meaning) {
  const word = meaning.replace(/_/g, '');
  return word === 'errorrcode' || word === 'malformed' ? 'servfail' : word;
}

/** The CLI's steps as the page lists them (sub-resolutions in place): `{ server, address, zone, outcome }`. */
function cliSteps(steps, out = []) {
  for (const step of steps) {
    if (step.kind === 'query') {
      out.push({ server: step.server.name, address: step.server.address, zone: step.server.zone, outcome: outcomeOf(step.meaning.meaning) });
    } else if (step.kind === 'sub_resolution') {
      cliSteps(step.steps, out);
    } else if (step.kind === 'cache_hit') {
      out.push({ server: '', address: '', zone: (step.found && step.found.zone) || '', outcome: 'cache' });
    } else if (step.kind === 'fault') {
      out.push({ server: step.name_server || '', address: '', zone: step.zone, outcome: 'lame' });
    } else {
      assert.fail(`a step kind the test does not know: ${step.kind}`);
    }
  }
  return out;
}

/** The A addresses in the answer section of a response (hex), as `dnslab decode --json` reads it. */
function answerAddresses(env, hex) {
  const [message] = cliDecodeText(env, hex);
  return (message.answerRRs || []).filter((record) => record.TYPE === 1).map((record) => record.rdataA);
}

const normalize = (line) => line.trim().split(/\s+/).join(' ');

// ---------------------------------------------------------------------------------------------
// The page

const zoneDetails = (page, origin) => page.locator(`details[data-origin="${origin}"]`);
const zoneEditor = (page, origin) => page.getByLabel(`Zone file ${origin}`, { exact: true });
const zoneErrors = (page, origin) => zoneDetails(page, origin).getByRole('list', { name: 'Zone errors', exact: true });
const button = (page, name) => page.getByRole('button', { name, exact: true });
const stepsList = (page) => page.getByRole('list', { name: 'Resolution steps', exact: true });
const answerRegion = (page) => page.getByRole('region', { name: 'Answer', exact: true });
const responsePane = (page) => page.getByRole('region', { name: 'Response', exact: true }).getByLabel('Response bytes', { exact: true });
const queryPane = (page) => page.getByRole('region', { name: 'Query', exact: true }).getByLabel('Bytes', { exact: true });

/** Lets the page's store and its render catch up with an event. */
async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

async function openZones(open, fragment = '#zones') {
  const page = await open(fragment);
  await page.getByRole('tab', { name: 'Zones', exact: true, selected: true }).waitFor({ timeout: TIMEOUT });
  await page.locator('details[data-origin]').first().waitFor({ timeout: TIMEOUT });
  await page.waitForFunction(() => window.dnslab && typeof window.dnslab.resolve === 'function', null, { timeout: TIMEOUT });
  return page;
}

/**
 * Puts a whole new text into a zone's editor as a user pasting it over the old one does (select
 * all, Ctrl+V: one `insertFromPaste` input event). Not `fill()`: Chromium inserts multi-line text
 * line by line, one input event per line, which is typing (see the typing test below).
 */
async function editZone(env, page, origin, text) {
  const area = zoneEditor(page, origin);
  await env.clipboard(async () => {
    await page.evaluate((value) => navigator.clipboard.writeText(value), text);
    await area.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+V');
    await until(() => area.inputValue(), (value) => value === text);
  });
  assert.equal(await area.inputValue(), text, `the ${origin} editor holds the pasted text`);
  await settle(page);
}

/** `withContext` with the clipboard the paste in `editZone` uses. */
async function zonesContext(env, options, body) {
  await withContext(env, options, async (open, context, consoleErrors) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.baseUrl).origin });
    await body(open, context, consoleErrors);
  });
}

/** The error items of a zone: `{ line, column, text }` (none when the list is absent). */
async function errorItems(page, origin) {
  if (await zoneErrors(page, origin).count() === 0) return [];
  return zoneErrors(page, origin).getByRole('listitem').evaluateAll((items) => items.map((item) => ({
    line: Number(item.getAttribute('data-line')),
    column: Number(item.getAttribute('data-column')),
    text: item.textContent.trim(),
  })));
}

/**
 * The editor's gutter: the decoration beside the textarea that numbers its lines 1, 2, 3…;
 * `{ lines, marked }` (`marked`: the line numbers drawn as errors), `null` when there is none.
 */
function gutter(page, origin) {
  return zoneDetails(page, origin).evaluate((details) => {
    const candidates = [...details.querySelectorAll('*')].filter((element) => element.children.length > 0
      && [...element.children].every((child, index) => child.textContent.trim() === String(index + 1)));
    if (candidates.length !== 1) return null;
    const rows = [...candidates[0].children];
    return {
      lines: rows.length,
      marked: rows.filter((row) => [...row.classList].some((name) => /error/i.test(name))).map((row) => Number(row.textContent.trim())),
    };
  });
}

/** What localStorage holds under `key` (null when nothing). */
const storedValue = (page, key) => page.evaluate((name) => window.localStorage.getItem(name), key);

/** The stored edits, decoded: `[{ origin, text }]`. */
async function storedEdits(page) {
  const raw = await storedValue(page, STORAGE_KEY);
  if (raw === null) return [];
  const parsed = JSON.parse(raw);
  return parsed.zones;
}

/** The steps on screen: `{ server, address, zone, outcome, text }`. */
async function pageSteps(page) {
  if (await stepsList(page).count() === 0) return [];
  return stepsList(page).getByRole('listitem').evaluateAll((items) => items.map((item) => ({
    server: item.getAttribute('data-server'),
    address: item.getAttribute('data-address'),
    zone: item.getAttribute('data-zone'),
    outcome: item.getAttribute('data-outcome'),
    text: item.innerText,
  })));
}

const strip = (steps) => steps.map(({ server, address, zone, outcome }) => ({ server, address, zone, outcome }));

/** Follows a `#resolve=` link in the same tab (as a user pasting it) and waits for the end of the resolution. */
async function resolveLink(page, name, type) {
  await page.evaluate((hash) => { window.location.hash = hash; }, `#resolve=${name}/${type}`);
  await page.getByRole('tab', { name: 'Resolve', exact: true, selected: true }).waitFor({ timeout: TIMEOUT });
  await until(() => page.url(), (url) => decodeURIComponent(new URL(url).hash).toLowerCase().startsWith(`#resolve=${name.toLowerCase()}`));
  await answerRegion(page).waitFor({ timeout: TIMEOUT });
  await page.getByTestId('resolve-status').waitFor({ timeout: TIMEOUT });
  return pageSteps(page);
}

/** Opens `#build=NAME/TYPE&id=N` in a new tab, sends to the built-in zones; `{ query, response, page }`. */
async function buildAnswer(open, name, type) {
  const id = newId();
  const page = await open(`#build=${name}/${type}&id=${id}`);
  await page.getByRole('tab', { name: 'Build', exact: true, selected: true }).waitFor({ timeout: TIMEOUT });
  const query = await until(() => paneBytes(queryPane(page)).catch(() => Buffer.alloc(0)), (bytes) => bytes.length >= 12 && bytes.readUInt16BE(0) === id);
  assert.equal(query.readUInt16BE(0), id, `${name} ${type}: the query on the Bytes pane has ID ${id}`);
  await button(page, 'Send to built-in zones').click();
  const response = await until(() => paneBytes(responsePane(page)).catch(() => Buffer.alloc(0)),
    (bytes) => bytes.length >= 12 && bytes.readUInt16BE(0) === id);
  assert.equal(response.length >= 12 && response.readUInt16BE(0), id, `${name} ${type}: a response with ID ${id} on "Response bytes"`);
  return { query, response, page };
}

// ---------------------------------------------------------------------------------------------
// Tests

test('#zones lists every zone dnslab serve serves, #zones=<origin> opens one; the address bar follows', async (env) => {
  const serve = await startServeZones(env, []);
  await serve.stop();
  assert.ok(serve.zones.length >= 10, `dnslab serve names its built-in zones: ${serve.zones.join(' ')}`);
  await zonesContext(env, {}, async (open) => {
    const page = await openZones(open, '#zones');
    const origins = await page.locator('details[data-origin]').evaluateAll((all) => all.map((element) => element.getAttribute('data-origin')));
    assert.deepEqual([...origins].sort(), [...serve.zones].sort(), 'one <details data-origin> per zone dnslab serve serves');
    assert.equal(await page.locator('details[data-origin][open]').count(), 0, '#zones opens no zone');
    assert.equal(await zoneEditor(page, 'example.com.').count(), 0, 'a closed zone shows no editor');

    await zoneDetails(page, 'example.com.').locator('summary').click();
    await zoneEditor(page, 'example.com.').waitFor({ timeout: TIMEOUT });
    await until(() => page.url(), (url) => new URL(url).hash === '#zones=example.com.');
    assert.equal(new URL(page.url()).hash, '#zones=example.com.', 'opening a zone puts it in the address bar');
    assert.equal(await zoneEditor(page, 'example.com.').inputValue(), builtinZoneFile('example.com.zone'),
      'the editor holds the built-in example.com. zone file');
    await zoneDetails(page, 'example.com.').locator('summary').click();
    await until(() => page.url(), (url) => new URL(url).hash === '#zones');
    assert.equal(new URL(page.url()).hash, '#zones', 'closing it takes it out of the address bar');

    const linked = await openZones(open, '#zones=test.');
    await zoneEditor(linked, 'test.').waitFor({ timeout: TIMEOUT });
    assert.equal(await zoneDetails(linked, 'test.').evaluate((element) => element.open), true, '#zones=test. opens test.');
    assert.equal(await zoneEditor(linked, 'test.').inputValue(), builtinZoneFile('test.zone'), 'with the built-in test. zone file');
  });
});

test('an added record answers in Resolve and Build as dnslab resolve --zone and dnslab serve --zone answer', async (env) => {
  await zonesContext(env, {}, async (open) => {
    const page = await openZones(open, '#zones=example.com.');
    const before = await zoneEditor(page, 'example.com.').inputValue();
    const edited = appendLine(before, EXTRA);
    const zones = [{ origin: 'example.com.', text: edited }];
    await editZone(env, page, 'example.com.', edited);
    assert.deepEqual(await errorItems(page, 'example.com.'), [], 'the edit has no error');

    // The CLI: --zone replaces the built-in example.com. (so its whole trace can be compared).
    const trace = cliTrace(env, zones, 'extra.example.com', 'A');
    assert.equal(trace.response_code, 0, 'dnslab resolve --zone answers NOERROR');
    assert.deepEqual(answerAddresses(env, trace.response), [EXTRA_ADDRESS], `dnslab resolve --zone answers ${EXTRA_ADDRESS}`);
    assert.equal(cliTrace(env, [], 'extra.example.com', 'A').response_code, 3, 'without --zone the name does not exist (NXDOMAIN)');

    // Resolve, through its link in the same tab.
    const steps = await resolveLink(page, 'extra.example.com', 'A');
    assert.deepEqual(strip(steps), strip(cliSteps(trace.steps)), 'the steps are dnslab resolve --zone\'s');
    const last = steps[steps.length - 1];
    assert.equal(last.outcome, 'answer', 'the last step is an answer');
    assert.equal(last.zone, 'example.com.', 'from example.com.');
    assert.ok(last.text.includes(EXTRA_ADDRESS), `the answer step shows ${EXTRA_ADDRESS}: ${last.text}`);
    const answer = (await answerRegion(page).innerText()).split('\n').map(normalize);
    const records = cliFinalRecords(env, zones, 'extra.example.com', 'A');
    assert.deepEqual(records, ['extra.example.com. 300 IN A 192.0.2.77'], 'the CLI\'s final response');
    for (const record of records) assert.ok(answer.includes(record), `the Answer region shows "${record}": ${answer.join(' | ')}`);
    assert.deepEqual(await page.evaluate(() => window.dnslab.resolve('extra.example.com', 'A')), trace,
      'dnslab.resolve deep-equals dnslab resolve --json --zone <the edited zone>');

    // Build, in another tab (the edit comes from storage): the bytes dnslab serve --zone sends.
    const serve = await startServeZones(env, zones);
    try {
      assert.deepEqual(serve.zones, ['example.com.'], 'dnslab serve serves just the edited zone');
      const { query, response, page: build } = await buildAnswer(open, 'extra.example.com', 'A');
      const served = await udpExchange(serve.port, query);
      assert.deepEqual(answerAddresses(env, served.toString('hex')), [EXTRA_ADDRESS], `dnslab serve --zone answers ${EXTRA_ADDRESS}`);
      assert.deepEqual(answerAddresses(env, response.toString('hex')), [EXTRA_ADDRESS], `the page's answer section holds ${EXTRA_ADDRESS}`);
      assert.equal(response.toString('hex'), served.toString('hex'), 'Send to built-in zones answers with dnslab serve --zone\'s bytes');
      assert.equal(await build.evaluate((hex) => window.dnslab.answer(hex), query.toString('hex')), served.toString('hex'),
        'dnslab.answer(query hex) is dnslab serve --zone\'s answer');
      const tree = await build.getByRole('region', { name: 'Response', exact: true }).getByRole('tree', { name: 'Response fields', exact: true }).innerText();
      assert.ok(tree.includes(EXTRA_ADDRESS), 'the Response fields tree shows the address');
    } finally {
      await serve.stop();
    }
  });
});

test('an error is listed at its line and column, marked in the gutter, and not applied', async (env, t) => {
  await zonesContext(env, {}, async (open) => {
    const page = await openZones(open, '#zones=example.com.');
    const before = await zoneEditor(page, 'example.com.').inputValue();
    const valid = appendLine(before, EXTRA);
    await editZone(env, page, 'example.com.', valid);
    assert.equal((await page.evaluate(() => window.dnslab.resolve('extra.example.com', 'A'))).response_code, 0, 'the valid edit is applied');

    // One bad address on the mail line, and a new record in the same (so unusable) text.
    const lines = valid.split('\n');
    const line = lines.findIndex((text) => /^mail\s+IN\s+A\s+192\.0\.2\.25$/.test(text)) + 1;
    assert.ok(line > 0, 'the built-in example.com. has its mail A line');
    lines[line - 1] = lines[line - 1].replace('192.0.2.25', '192.0.2.999');
    const column = lines[line - 1].indexOf('192.0.2.999') + 1;
    const errored = appendLine(lines.join('\n'), 'extra2 300 IN A 192.0.2.78');
    await editZone(env, page, 'example.com.', errored);

    const cliErrors = cliZoneErrors(env, 'example.com.', errored);
    assert.deepEqual(cliErrors.map(({ line: l, column: c }) => [l, c]), [[line, column]], `dnslab resolve --zone names line ${line}, column ${column}`);
    const items = await until(() => errorItems(page, 'example.com.'), (value) => value.length > 0);
    assert.deepEqual(items.map(({ line: l, column: c }) => [l, c]), [[line, column]], 'one Zone errors item, data-line and data-column where the CLI says');
    assert.ok(items[0].text.includes(cliErrors[0].message), `the item says what the CLI says ("${cliErrors[0].message}"): ${items[0].text}`);
    assert.equal(await zoneEditor(page, 'example.com.').getAttribute('aria-invalid'), 'true', 'the editor is aria-invalid');
    const marks = await gutter(page, 'example.com.');
    assert.ok(marks, 'the editor has a gutter numbering its lines');
    assert.equal(marks.lines, errored.split('\n').length, 'a gutter row per line');
    assert.deepEqual(marks.marked, [line], `the gutter marks line ${line} only`);

    // The errored text is not applied: its new record does not answer, anywhere.
    const lastValid = [{ origin: 'example.com.', text: valid }];
    const extra2 = await page.evaluate(() => window.dnslab.resolve('extra2.example.com', 'A'));
    assert.equal(extra2.response_code, 3, 'extra2.example.com (only in the errored text) does not exist');
    assert.deepEqual(extra2, cliTrace(env, lastValid, 'extra2.example.com', 'A'), 'dnslab.resolve as dnslab resolve --zone <the last valid text>');
    const serve = await startServeZones(env, lastValid);
    try {
      const { query, response } = await buildAnswer(open, 'extra2.example.com', 'A');
      assert.equal(response[3] & 0x0f, 3, 'Build: extra2.example.com is NXDOMAIN');
      assert.equal(response.toString('hex'), (await udpExchange(serve.port, query)).toString('hex'),
        'Build: dnslab serve --zone <the last valid text>\'s bytes');

      await t.test('while the zone has an error, the last valid edit stays applied', async () => {
        const extra = await page.evaluate(() => window.dnslab.resolve('extra.example.com', 'A'));
        assert.deepEqual(extra, cliTrace(env, lastValid, 'extra.example.com', 'A'),
          `dnslab.resolve('extra.example.com', 'A') answers ${EXTRA_ADDRESS} from the last valid text (got response_code ${extra.response_code})`);
        const built = await buildAnswer(open, 'extra.example.com', 'A');
        assert.equal(built.response.toString('hex'), (await udpExchange(serve.port, built.query)).toString('hex'),
          'Build answers extra.example.com A as dnslab serve --zone <the last valid text>');
      });
    } finally {
      await serve.stop();
    }

    // Fixed: the list and the mark go, and the whole text applies.
    const fixed = errored.replace('192.0.2.999', '192.0.2.25');
    await editZone(env, page, 'example.com.', fixed);
    assert.deepEqual(await until(() => errorItems(page, 'example.com.'), (value) => value.length === 0), [], 'fixing the line empties Zone errors');
    assert.equal(await zoneErrors(page, 'example.com.').count(), 0, 'and the list goes');
    assert.deepEqual((await gutter(page, 'example.com.')).marked, [], 'and the gutter mark');
    assert.deepEqual(await page.evaluate(() => window.dnslab.resolve('extra2.example.com', 'A')),
      cliTrace(env, [{ origin: 'example.com.', text: fixed }], 'extra2.example.com', 'A'), 'the fixed text applies (extra2 answers)');
  });
});

test('edits survive a reload (localStorage); Undo my edits and Reset to defaults bring the built-in text back', async (env) => {
  await zonesContext(env, {}, async (open) => {
    const page = await openZones(open, '#zones=example.com.');
    const before = await zoneEditor(page, 'example.com.').inputValue();
    assert.equal(before, builtinZoneFile('example.com.zone'), 'the built-in text');
    const edited = appendLine(before, EXTRA);
    await editZone(env, page, 'example.com.', edited);
    assert.ok(await button(page, 'Reset to defaults').isEnabled(), 'Reset to defaults is enabled once a zone is edited');
    const stored = await until(() => storedEdits(page), (value) => value.length > 0);
    assert.deepEqual(stored, [{ origin: 'example.com.', text: edited }], `${STORAGE_KEY} holds the edit`);

    await page.reload();
    await zoneEditor(page, 'example.com.').waitFor({ timeout: TIMEOUT });
    assert.equal(await zoneEditor(page, 'example.com.').inputValue(), edited, 'after a reload the editor holds the edit');
    await page.waitForFunction(() => window.dnslab && typeof window.dnslab.resolve === 'function', null, { timeout: TIMEOUT });
    const withEdit = cliTrace(env, [{ origin: 'example.com.', text: edited }], 'extra.example.com', 'A');
    assert.deepEqual(await page.evaluate(() => window.dnslab.resolve('extra.example.com', 'A')), withEdit, 'and the edit answers');

    // Undo my edits: this zone only.
    await button(zoneDetails(page, 'example.com.'), 'Undo my edits').click();
    await until(() => zoneEditor(page, 'example.com.').inputValue(), (text) => text === before);
    assert.equal(await zoneEditor(page, 'example.com.').inputValue(), before, 'Undo my edits puts the built-in text back');
    assert.deepEqual(await until(() => storedEdits(page), (value) => value.length === 0), [], 'and nothing edited is stored');
    assert.equal(await button(zoneDetails(page, 'example.com.'), 'Undo my edits').count(), 0, 'Undo my edits goes with the edits');
    await editZone(env, page, 'example.com.', edited);
    await until(() => storedEdits(page), (value) => value.length === 1);

    // Reset to defaults: every zone.
    await button(page, 'Reset to defaults').click();
    await settle(page);
    if (await zoneEditor(page, 'example.com.').count() === 0) await zoneDetails(page, 'example.com.').locator('summary').click();
    await until(() => zoneEditor(page, 'example.com.').inputValue(), (text) => text === before);
    assert.equal(await zoneEditor(page, 'example.com.').inputValue(), before, 'Reset to defaults restores the text from before the edit');
    assert.deepEqual(await until(() => storedEdits(page), (value) => value.length === 0), [], `${STORAGE_KEY} holds no edits`);
    const builtin = cliTrace(env, [], 'extra.example.com', 'A');
    assert.equal(builtin.response_code, 3, 'the built-in zones have no extra.example.com');
    assert.deepEqual(await page.evaluate(() => window.dnslab.resolve('extra.example.com', 'A')), builtin, 'the answer is gone (dnslab resolve without --zone)');
    const steps = await resolveLink(page, 'extra.example.com', 'A');
    assert.deepEqual(strip(steps), strip(cliSteps(builtin.steps)), 'Resolve walks as dnslab resolve over the built-in zones');
    assert.equal(steps[steps.length - 1].outcome, 'nxdomain', 'and ends in NXDOMAIN');
    assert.ok(!(await answerRegion(page).innerText()).includes(EXTRA_ADDRESS), `the Answer region no longer shows ${EXTRA_ADDRESS}`);

    await page.evaluate(() => { window.location.hash = '#zones=example.com.'; });
    await page.reload();
    await zoneEditor(page, 'example.com.').waitFor({ timeout: TIMEOUT });
    assert.equal(await zoneEditor(page, 'example.com.').inputValue(), before, 'and so it stays after a reload');
    assert.ok(await button(page, 'Reset to defaults').isDisabled(), 'Reset to defaults is disabled with nothing edited');
  });
});

test('a record typed key by key into a zone is saved whole, also on a slow machine (CPU ×8)', async (env, t) => {
  const typed = `${EXTRA}\n`;
  const attempts = [];
  for (let attempt = 0; attempt < 2; attempt += 1) {
    await zonesContext(env, {}, async (open, context) => {
      const page = await openZones(open, '#zones=example.com.');
      const area = zoneEditor(page, 'example.com.');
      const before = await area.inputValue();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 8 });
      try {
        await area.focus();
        await page.keyboard.press('Control+End');
        await page.keyboard.type(typed, { delay: 5 });
      } finally {
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      }
      const shown = await until(() => area.inputValue(), (value) => value === before + typed);
      assert.equal(shown, before + typed, 'the editor shows what was typed');
      const stored = await until(() => storedEdits(page).catch(() => []), (value) => value.length === 1 && value[0].text === shown, 5000);
      await page.reload();
      await zoneEditor(page, 'example.com.').waitFor({ timeout: TIMEOUT });
      const reloaded = (await zoneEditor(page, 'example.com.').inputValue()).slice(before.length);
      // Then the same once more without a reload in between, and Reset to defaults after it.
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 8 });
      try {
        await zoneEditor(page, 'example.com.').focus();
        await page.keyboard.press('Control+End');
        await page.keyboard.type('\n; more', { delay: 5 });
      } finally {
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      }
      await button(page, 'Reset to defaults').click();
      const afterReset = await until(() => storedEdits(page).catch(() => []), (value) => value.length === 0, 3000);
      attempts.push({ stored: stored.length === 1 ? stored[0].text.slice(before.length) : null, reloaded, resetSaved: afterReset.length === 0 });
    });
  }
  t.diagnostic(`after a reload the typed line reads: ${attempts.map((attempt) => JSON.stringify(attempt.reloaded)).join(', ')}; `
    + `Reset to defaults saved: ${attempts.map((attempt) => attempt.resetSaved).join(', ')}`);

  await t.test('every keystroke reaches localStorage; after a reload the whole line is there', async () => {
    assert.deepEqual(attempts.map((attempt) => attempt.reloaded), attempts.map(() => typed),
      `each of ${attempts.length} attempts keeps the whole typed line`);
    assert.deepEqual(attempts.map((attempt) => attempt.resetSaved), attempts.map(() => true),
      'and Reset to defaults after more typing is saved');
  });
});

test('Add zone corp.test., accept the delegation offer: test. gets NS and glue, www.corp.test resolves root → test. → corp.test.', async (env) => {
  await zonesContext(env, {}, async (open) => {
    const page = await openZones(open, '#zones');
    const testBefore = builtinZoneFile('test.zone');
    await page.getByLabel('New zone', { exact: true }).fill('corp.test.');
    await settle(page);
    await button(page, 'Add zone').click();
    await zoneEditor(page, 'corp.test.').waitFor({ timeout: TIMEOUT });
    assert.equal(await zoneDetails(page, 'corp.test.').evaluate((element) => element.open), true, 'the new zone is open');
    await until(() => page.url(), (url) => new URL(url).hash === '#zones=corp.test.');
    assert.equal(new URL(page.url()).hash, '#zones=corp.test.', 'and in the address bar');
    const corp = await zoneEditor(page, 'corp.test.').inputValue();
    assert.deepEqual(await errorItems(page, 'corp.test.'), [], 'the new zone has no error');
    assert.equal(cliResolveRun(env, [{ origin: 'corp.test.', text: corp }], 'corp.test', 'SOA').status, 0, 'dnslab resolve --zone accepts its text');
    const ns = corp.match(/^@\s+(?:\d+\s+)?IN\s+NS\s+(\S+)$/m);
    assert.ok(ns, `the new zone names its name server: ${corp}`);
    const nsHost = ns[1].replace(/\.corp\.test\.$/, '');
    const glueMatch = corp.match(new RegExp(`^${nsHost.replace(/\./g, '\\.')}\\s+(?:\\d+\\s+)?IN\\s+A\\s+(\\S+)$`, 'm'));
    assert.ok(glueMatch, `the new zone gives its name server an address: ${corp}`);
    const www = corp.match(/^www\s+(?:\d+\s+)?IN\s+A\s+(\S+)$/m);
    assert.ok(www, `the new zone has a www host: ${corp}`);

    const offer = page.getByRole('region', { name: 'Delegation', exact: true });
    await offer.waitFor({ timeout: TIMEOUT });
    const offered = (await offer.locator('pre').innerText()).split('\n').filter((line) => line.trim() && !line.startsWith(';')).map(normalize);
    assert.deepEqual(offered.sort(), [`${ns[1]} 3600 IN A ${glueMatch[1]}`, `corp.test. 3600 IN NS ${ns[1]}`].sort(),
      'the offer: the NS record and the glue for the name server');
    await offer.getByRole('button', { name: 'Add to test.', exact: true }).click();
    await until(() => offer.count(), (count) => count === 0);
    assert.equal(await offer.count(), 0, 'the offer goes once accepted');
    await zoneEditor(page, 'test.').waitFor({ timeout: TIMEOUT });
    const testAfter = await zoneEditor(page, 'test.').inputValue();
    assert.ok(testAfter.startsWith(testBefore.trimEnd()), 'test. keeps its text');
    const added = testAfter.slice(testBefore.trimEnd().length).split('\n').filter((line) => line.trim() && !line.startsWith(';')).map(normalize);
    assert.deepEqual(added.sort(), offered.sort(), 'and gets the NS and glue lines at its end');
    assert.deepEqual(await errorItems(page, 'test.'), [], 'test. stays valid');
    const stored = await until(() => storedEdits(page), (value) => value.length === 2);
    assert.deepEqual(stored.map((zone) => zone.origin).sort(), ['corp.test.', 'test.'], 'both zones are stored');

    const zones = [{ origin: 'test.', text: testAfter }, { origin: 'corp.test.', text: corp }];
    const trace = cliTrace(env, zones, 'www.corp.test', 'A');
    const steps = await resolveLink(page, 'www.corp.test', 'A');
    assert.deepEqual(steps.map((step) => step.zone), ['.', 'test.', 'corp.test.'], 'the ladder: root → test. → corp.test.');
    assert.deepEqual(steps.map((step) => step.outcome), ['referral', 'referral', 'answer'], 'two referrals, then the answer');
    assert.deepEqual(strip(steps), strip(cliSteps(trace.steps)), 'the steps are dnslab resolve --zone test. --zone corp.test.\'s');
    assert.equal(steps[2].address, glueMatch[1], `corp.test. is asked at its name server's glue address ${glueMatch[1]}`);
    assert.ok(steps[1].text.includes(`corp.test.`) && steps[1].text.includes(ns[1]), `test. refers to ${ns[1]}: ${steps[1].text}`);
    assert.deepEqual(answerAddresses(env, trace.response), [www[1]], `dnslab resolve answers www's ${www[1]}`);
    assert.ok((await answerRegion(page).innerText()).includes(www[1]), `the Answer region shows ${www[1]}`);
    assert.deepEqual(await page.evaluate(() => window.dnslab.resolve('www.corp.test', 'A')), trace, 'dnslab.resolve deep-equals the CLI\'s JSON');

    // Delete zone: corp.test. goes; test. keeps the delegation, to a server nothing answers for.
    await page.evaluate(() => { window.location.hash = '#zones=corp.test.'; });
    await zoneEditor(page, 'corp.test.').waitFor({ timeout: TIMEOUT });
    await button(zoneDetails(page, 'corp.test.'), 'Delete zone').click();
    await until(() => zoneDetails(page, 'corp.test.').count(), (count) => count === 0);
    assert.equal(await zoneDetails(page, 'corp.test.').count(), 0, 'Delete zone removes corp.test.');
    assert.deepEqual((await until(() => storedEdits(page), (value) => value.length === 1)).map((zone) => zone.origin), ['test.'], 'only test. stays stored');
    assert.deepEqual(await page.evaluate(() => window.dnslab.resolve('www.corp.test', 'A')),
      cliTrace(env, [{ origin: 'test.', text: testAfter }], 'www.corp.test', 'A'), 'www.corp.test resolves as with only the edited test.');
  });
});

test('Export gives the editor\'s text; an imported zone file becomes a zone; Export edited zones holds both', async (env) => {
  await zonesContext(env, { acceptDownloads: true }, async (open) => {
    const page = await openZones(open, '#zones=example.com.');
    const edited = appendLine(await zoneEditor(page, 'example.com.').inputValue(), EXTRA);
    await editZone(env, page, 'example.com.', edited);

    const download = async (click) => {
      const [file] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), click()]);
      const where = await file.path().catch(() => null);
      assert.ok(where, `the download of ${file.suggestedFilename()} finished (failure: ${await file.failure()})`);
      return { name: file.suggestedFilename(), text: fs.readFileSync(where, 'utf8') };
    };
    const exported = await download(() => button(zoneDetails(page, 'example.com.'), 'Export').click());
    assert.equal(exported.name, 'example.com.zone', 'the file is named after the zone');
    assert.equal(exported.text, edited, 'Export writes the editor\'s text');
    assert.deepEqual(answerAddresses(env, cliTrace(env, [{ origin: 'example.com.', text: exported.text }], 'extra.example.com', 'A').response),
      [EXTRA_ADDRESS], 'dnslab resolve --zone <the exported file> answers the added record');

    const imported = [
      '$ORIGIN imported.test.', '$TTL 600',
      '@ IN SOA ns1.imported.test. hostmaster.imported.test. 1 7200 3600 1209600 300',
      '@ IN NS ns1.imported.test.', 'ns1 IN A 192.0.2.201', 'www IN A 192.0.2.202', '',
    ].join('\n');
    await page.getByLabel('Import zone file', { exact: true }).setInputFiles({ name: 'imported.test.zone', mimeType: 'text/plain', buffer: Buffer.from(imported) });
    await zoneEditor(page, 'imported.test.').waitFor({ timeout: TIMEOUT });
    assert.equal(await zoneEditor(page, 'imported.test.').inputValue(), imported, 'the imported zone holds the file\'s text');
    const trace = cliTrace(env, [{ origin: 'imported.test.', text: imported }], 'www.imported.test', 'A');
    assert.deepEqual(answerAddresses(env, trace.response), ['192.0.2.202'], 'dnslab resolve --zone <the file> answers www');
    assert.deepEqual(await page.evaluate(() => window.dnslab.resolve('www.imported.test', 'A')), trace, 'and so does the page');

    const all = await download(() => button(page, 'Export edited zones').click());
    for (const [origin, text] of [['example.com.', edited], ['imported.test.', imported]]) {
      assert.ok(all.text.includes(text.trimEnd()), `Export edited zones holds ${origin}'s text`);
    }
  });
});

/** Junk stored before the page loads: shown, kept under its own key, not overwritten by edits. */
for (const [what, junk] of [['text that is not JSON', '{not json at all'], ['another format version', '{"version":2,"zones":[]}']]) {
  test(`stored zone edits that do not read (${what}) are shown in an alert and kept under ${UNREADABLE_KEY}`, async (env) => {
    await zonesContext(env, {}, async (open, context) => {
      await context.addInitScript(([key, value]) => {
        if (!window.sessionStorage.getItem('dnslab-e2e-seeded')) {
          window.localStorage.setItem(key, value);
          window.sessionStorage.setItem('dnslab-e2e-seeded', '1');
        }
      }, [STORAGE_KEY, junk]);
      const page = await openZones(open, '#zones=example.com.');
      const shown = page.getByLabel('Stored zone edits', { exact: true });
      await shown.waitFor({ timeout: TIMEOUT });
      const alert = page.getByRole('alert').filter({ has: shown });
      assert.equal(await alert.count(), 1, 'the stored text is in an alert');
      assert.match(await alert.innerText(), /could not be read|does not read|cannot be read/i, 'which says it could not be read');
      if (/version/.test(junk)) assert.match(await alert.innerText(), /version 2/, 'and names the version it found');
      assert.equal(await shown.inputValue(), junk, 'the textarea "Stored zone edits" holds exactly what was stored');
      assert.equal(await shown.isEditable(), false, 'read-only');
      assert.equal(await storedValue(page, UNREADABLE_KEY), junk, `${UNREADABLE_KEY} holds it`);
      await zoneEditor(page, 'example.com.').waitFor({ timeout: TIMEOUT });
      assert.equal(await zoneEditor(page, 'example.com.').inputValue(), builtinZoneFile('example.com.zone'), 'the zones are the built-in ones');

      const edited = appendLine(builtinZoneFile('example.com.zone'), EXTRA);
      await editZone(env, page, 'example.com.', edited);
      assert.deepEqual(await until(() => storedEdits(page).catch(() => []), (value) => value.length === 1),
        [{ origin: 'example.com.', text: edited }], `a new edit is stored under ${STORAGE_KEY}`);
      assert.equal(await storedValue(page, UNREADABLE_KEY), junk, `${UNREADABLE_KEY} still holds the old text`);
    });
  });
}

test('screenshots of Zones with an error marked (light, dark)', async (env, t) => {
  if (!env.screenshotsDir) {
    t.skip('DNSLAB_SCREENSHOTS_DIR is not set');
    return;
  }
  fs.mkdirSync(env.screenshotsDir, { recursive: true });
  for (const [name, colorScheme] of [['zones-light.png', 'light'], ['zones-dark.png', 'dark']]) {
    await zonesContext(env, { colorScheme }, async (open) => {
      const page = await openZones(open, '#zones=example.com.');
      const text = await zoneEditor(page, 'example.com.').inputValue();
      await editZone(env, page, 'example.com.', text.replace('mail    IN A   192.0.2.25', 'mail    IN A   192.0.2.999'));
      await zoneErrors(page, 'example.com.').waitFor({ timeout: TIMEOUT });
      // Typing leaves the editor scrolled to its end; show it from its first line.
      await zoneEditor(page, 'example.com.').evaluate((area) => {
        area.setSelectionRange(0, 0);
        area.scrollTop = 0;
        area.dispatchEvent(new Event('scroll'));
      });
      await settle(page);
      await page.mouse.move(1, 1);
      const file = path.join(env.screenshotsDir, name);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(fs.statSync(file).size > 0, `${name} was written`);
      t.diagnostic(`${name}: document scrollWidth ${await page.evaluate(() => document.documentElement.scrollWidth)}px`);
    });
  }
});
