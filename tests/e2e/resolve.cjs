//! End-to-end tests of the Resolve tab (a suite of all.test.cjs), written against
//! /work/shared/PAGE-CONTRACT.md: the `Resolution steps` list and its `data-` attributes, the
//! `Answer` region, the `#resolve=` link and `window.dnslab.resolve`. Expected steps come from the
//! CLI, `dnslab resolve --json` (the same simulated resolver over the same built-in zones).
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { TIMEOUT, suite, withContext, cli, cliDecodeText, paneBytes, until } = require('./harness.cjs');

const { tests, test } = suite();
module.exports = tests;

// ---------------------------------------------------------------------------------------------
// What the CLI says

/** `dnslab resolve --json NAME TYPE`, parsed. */
function cliTrace(env, name, type) {
  const run = cli(env, ['resolve', '--json', name, type]);
  assert.equal(run.status, 0, `dnslab resolve --json ${name} ${type}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** `dnslab resolve --trace NAME TYPE`: the dig +trace text. */
function cliTraceText(env, name, type) {
  const run = cli(env, ['resolve', '--trace', name, type]);
  assert.equal(run.status, 0, `dnslab resolve --trace ${name} ${type}: ${run.stderr}`);
  return run.stdout;
}

/**
 * A step's meaning in the CLI's JSON (`nx_domain`, `serv_fail`, ...) as the page's `data-outcome`.
 * The contract: another error code or an unusable message counts as `servfail`.
 */
function outcomeOf(meaning) {
  const word = meaning.replace(/_/g, '');
  if (word === 'errorrcode' || word === 'malformed') return 'servfail';
  return word;
}

/**
 * The CLI's steps as the page lists them: sub-resolutions (a name server's address looked up
 * first) in place, in order; each `{ server, address, zone, outcome }` plus what the test uses.
 */
function cliSteps(steps, out = []) {
  for (const step of steps) {
    switch (step.kind) {
      case 'query':
        out.push({
          server: step.server.name,
          address: step.server.address,
          zone: step.server.zone,
          outcome: outcomeOf(step.meaning.meaning),
          extra: { name: step.name, qtype: step.qtype.mnemonic, transport: step.transport.toLowerCase(), query: step.query, response: step.response },
        });
        break;
      case 'sub_resolution':
        cliSteps(step.steps, out);
        break;
      case 'cache_hit':
        out.push({ server: '', address: '', zone: (step.found && step.found.zone) || '', outcome: 'cache', extra: {} });
        break;
      case 'fault':
        out.push({ server: step.name_server || '', address: '', zone: step.zone, outcome: 'lame', extra: {} });
        break;
      default:
        assert.fail(`a step kind the test does not know: ${step.kind}`);
    }
  }
  return out;
}

const strip = (steps) => steps.map(({ server, address, zone, outcome }) => ({ server, address, zone, outcome }));

/** RFC 1035 / 6895 response codes a resolution ends with. */
const RCODES = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };

/** The records of `dnslab resolve --trace`'s final response, one normalized line each. */
function finalRecordLines(traceText) {
  const lines = traceText.split('\n');
  const start = lines.findIndex((line) => /response sent to the stub/i.test(line));
  if (start === -1) return [];
  return lines.slice(start + 1).filter((line) => line.trim() !== '' && !line.startsWith(';'))
    .map((line) => line.trim().split(/\s+/).join(' '));
}

// ---------------------------------------------------------------------------------------------
// The page

const stepsList = (page) => page.getByRole('list', { name: 'Resolution steps', exact: true });
const answerRegion = (page) => page.getByRole('region', { name: 'Answer', exact: true });
const button = (page, name) => page.getByRole('button', { name, exact: true });

async function openResolve(open, fragment = '#resolve') {
  const page = await open(fragment);
  await page.getByRole('tab', { name: 'Resolve', exact: true, selected: true }).waitFor({ timeout: TIMEOUT });
  await page.waitForFunction(() => window.dnslab && typeof window.dnslab.resolve === 'function', null, { timeout: TIMEOUT });
  return page;
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

/** Waits for the Answer region (the resolution run to the end) and returns the steps. */
async function finishedSteps(page) {
  await answerRegion(page).waitFor({ timeout: TIMEOUT });
  await page.getByTestId('resolve-status').waitFor({ timeout: TIMEOUT });
  return pageSteps(page);
}

/** The question in the address bar, `#resolve=<name>/<TYPE>`. */
function linkQuestion(page) {
  const match = decodeURIComponent(new URL(page.url()).hash).match(/^#resolve=([^/&]+)\/([^/&]+)$/);
  assert.ok(match, `the address bar holds #resolve=<name>/<TYPE>: ${page.url()}`);
  return { name: match[1], type: match[2] };
}

async function ask(page, name, type, how = 'Resolve') {
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Type', { exact: true }).fill(type);
  await settle(page);
  await button(page, how).click();
}

/** Lets the page's store and its render catch up with an event. */
async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

/** Resolves with the form (the Resolve button) and returns the finished steps. */
async function resolveAgain(page, name, type) {
  await ask(page, name, type);
  await settle(page);
  return finishedSteps(page);
}

/** The cache table's rows: `{ name, type, ttl, data }` (no table: the cache is empty). */
async function cacheRows(page) {
  const table = page.getByRole('table', { name: 'Cache entries', exact: true });
  if (await table.count() === 0) return [];
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => {
    const cells = [...row.querySelectorAll('td')].map((cell) => cell.textContent.trim());
    return { name: cells[0], type: cells[1], ttl: Number.parseInt(cells[2], 10), data: cells[3] };
  }));
}

const rowKey = (row) => `${row.name} ${row.type} ${row.data}`;

// ---------------------------------------------------------------------------------------------
// Tests

test('#resolve=alias.example.com/AAAA: the steps, answer and views are dnslab resolve\'s', async (env) => {
  const name = 'alias.example.com';
  const type = 'AAAA';
  const trace = cliTrace(env, name, type);
  const expected = cliSteps(trace.steps);
  assert.ok(expected.length >= 2, 'the CLI walks more than one server');
  await withContext(env, {}, async (open) => {
    const page = await openResolve(open, `#resolve=${name}/${type}`);
    const steps = await finishedSteps(page);
    assert.deepEqual(strip(steps), strip(expected), 'every step\'s data-server, data-address, data-zone and data-outcome');
    assert.equal((await page.getByLabel('Name', { exact: true }).inputValue()).replace(/\.$/, ''), name, 'the Name input');
    assert.equal((await page.getByLabel('Type', { exact: true }).inputValue()).toUpperCase(), type, 'the Type input');

    const api = await page.evaluate(([n, t]) => window.dnslab.resolve(n, t), [name, type]);
    assert.deepEqual(api, trace, 'dnslab.resolve deep-equals dnslab resolve --json');

    const status = (await page.getByTestId('resolve-status').innerText()).trim();
    assert.ok(status.includes(RCODES[trace.response_code]), `resolve-status names ${RCODES[trace.response_code]}: ${status}`);
    const answer = (await answerRegion(page).innerText()).split('\n').map((line) => line.trim().split(/\s+/).join(' '));
    const records = finalRecordLines(cliTraceText(env, name, type));
    assert.ok(records.length > 0, 'the CLI\'s final response has records');
    for (const record of records) assert.ok(answer.includes(record), `the Answer region shows "${record}": ${answer.join(' | ')}`);

    // The other views: dig +trace is the CLI's --trace text, JSON its --json.
    await button(page, 'dig +trace').click();
    const traceView = page.locator('pre').filter({ hasText: '+trace' }).first();
    await traceView.waitFor({ timeout: TIMEOUT });
    assert.equal((await traceView.innerText()).trim(), cliTraceText(env, name, type).trim(), 'the dig +trace view');
    await button(page, 'JSON').click();
    const jsonView = page.locator('pre').filter({ hasText: '"steps"' }).first();
    await jsonView.waitFor({ timeout: TIMEOUT });
    assert.deepEqual(JSON.parse(await jsonView.innerText()), trace, 'the JSON view');
    await button(page, 'Steps').click();
    await stepsList(page).waitFor({ timeout: TIMEOUT });
  });
});

test('"Show messages" shows a step\'s query and response; the query decodes to that step\'s question', async (env) => {
  const name = 'alias.example.com';
  const type = 'AAAA';
  const expected = cliSteps(cliTrace(env, name, type).steps);
  await withContext(env, {}, async (open) => {
    const page = await openResolve(open, `#resolve=${name}/${type}`);
    await finishedSteps(page);
    const items = stepsList(page).getByRole('listitem');
    // The first step last, so each click changes what is shown.
    for (const index of [...expected.keys()].reverse()) {
      const want = expected[index];
      const show = items.nth(index).getByRole('button', { name: 'Show messages', exact: true });
      await show.click();
      const queryPane = page.getByRole('region', { name: 'Query', exact: true }).getByLabel('Bytes', { exact: true });
      const query = await until(() => paneBytes(queryPane).catch(() => Buffer.alloc(0)), (bytes) => bytes.toString('hex') === want.extra.query);
      assert.equal(query.toString('hex'), want.extra.query, `step ${index + 1}: the Bytes pane holds the query the CLI sent`);
      const [decoded] = cliDecodeText(env, query.toString('hex'));
      assert.equal(decoded.QNAME, want.extra.name, `step ${index + 1}: the query asks for ${want.extra.name}`);
      assert.equal(decoded.QTYPEname, want.extra.qtype, `step ${index + 1}: type ${want.extra.qtype}`);
      assert.equal(decoded.QR, 0, `step ${index + 1}: a query`);
      const tree = await page.getByRole('region', { name: 'Query', exact: true }).getByRole('tree', { name: 'Fields', exact: true }).innerText();
      assert.ok(tree.includes(`Transaction ID: 0x${decoded.ID.toString(16).padStart(4, '0')}`), `step ${index + 1}: the Fields tree shows the query's ID`);
      assert.ok(tree.includes(`Name: ${want.extra.name}`), `step ${index + 1}: the Fields tree shows the name`);

      const responsePane = page.getByRole('region', { name: 'Response', exact: true }).getByLabel('Response bytes', { exact: true });
      const response = await until(() => paneBytes(responsePane).catch(() => Buffer.alloc(0)), (bytes) => bytes.toString('hex') === want.extra.response);
      assert.equal(response.toString('hex'), want.extra.response, `step ${index + 1}: the Response bytes pane holds the CLI's response`);
      await page.getByRole('region', { name: 'Response', exact: true }).getByRole('tree', { name: 'Response fields', exact: true }).waitFor({ timeout: TIMEOUT });
    }

    // "open in Decode" opens Decode with the step's query bytes.
    const link = page.getByRole('region', { name: 'Query', exact: true }).getByRole('link', { name: 'open in Decode' });
    const href = await link.getAttribute('href');
    const decode = await open(href);
    await decode.getByRole('tab', { name: 'Decode', exact: true, selected: true }).waitFor({ timeout: TIMEOUT });
    await decode.getByRole('tree', { name: 'Fields', exact: true }).waitFor({ timeout: TIMEOUT });
    assert.equal((await paneBytes(decode.getByLabel('Bytes', { exact: true }))).toString('hex'), expected[0].extra.query,
      'the query\'s "open in Decode" link decodes the same bytes');
  });
});

/**
 * What a scenario's sentence names, as outcomes: the words a reader sees mapped to `data-outcome`.
 * A sentence naming none of them describes a resolution that ends in an answer.
 */
const SENTENCE_OUTCOMES = [
  [/NXDOMAIN/, 'nxdomain'],
  [/NODATA/, 'nodata'],
  [/times? out|nothing (answers|listens)/i, 'timeout'],
  [/SERVFAIL|\bfails\b/, 'servfail'],
  [/REFUSED|do not serve|lame/i, 'lame'],
  [/TC=1|truncat/i, 'truncated'],
  [/alias/i, 'cname'],
];

test('each scenario button runs and shows the outcome its sentence names', async (env) => {
  await withContext(env, {}, async (open) => {
    const page = await openResolve(open);
    const buttons = page.locator('[data-scenario]');
    const ids = await buttons.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-scenario')));
    assert.ok(ids.length >= 5, `the scenarios are listed: ${ids.join(', ')}`);
    for (const id of ids) {
      // Each scenario from an empty cache, as the CLI starts.
      if (await button(page, 'Flush cache').count() > 0) await button(page, 'Flush cache').click();
      const scenario = page.locator(`[data-scenario="${id}"]`);
      const sentence = (await scenario.getAttribute('title')) || '';
      assert.ok(sentence.length > 0, `${id}: the button carries its sentence (title)`);
      await scenario.click();
      await until(() => page.url(), (url) => /#resolve=/.test(url));
      if (await answerRegion(page).count() === 0 && await button(page, 'Run to the end').isEnabled()) {
        await button(page, 'Run to the end').click();
      }
      let steps = await finishedSteps(page);
      const { name, type } = linkQuestion(page);
      const trace = cliTrace(env, name, type);
      const expected = cliSteps(trace.steps);
      steps = await until(() => pageSteps(page), (value) => value.length === expected.length, 2000);
      assert.deepEqual(strip(steps), strip(expected), `${id} (${name} ${type}): the steps are dnslab resolve's`);

      const named = SENTENCE_OUTCOMES.filter(([pattern]) => pattern.test(sentence)).map(([, outcome]) => outcome);
      const outcomes = steps.map((step) => step.outcome);
      if (named.length === 0) {
        assert.equal(outcomes[outcomes.length - 1], 'answer', `${id}: "${sentence}" names no failure; it ends in an answer: ${outcomes}`);
      }
      for (const outcome of named) {
        assert.ok(outcomes.includes(outcome), `${id}: "${sentence}" names ${outcome}; the steps show ${outcomes.join(', ')}`);
      }
      if (named.includes('truncated')) {
        const at = outcomes.indexOf('truncated');
        assert.ok(at + 1 < steps.length, `${id}: a step follows the truncated one`);
        assert.equal(steps[at + 1].server, steps[at].server, `${id}: the same server is asked again`);
        assert.equal(expected[at + 1].extra.transport, 'tcp', `${id}: over TCP (the CLI says)`);
        assert.match(steps[at + 1].text, /\bTCP\b/, `${id}: the step after the truncated one says TCP: ${steps[at + 1].text}`);
      }
      const status = (await page.getByTestId('resolve-status').innerText()).trim();
      assert.ok(status.includes(RCODES[trace.response_code]), `${id}: resolve-status names ${RCODES[trace.response_code]}: ${status}`);
      if (/answers SERVFAIL/.test(sentence) && /itself/.test(sentence)) {
        assert.match(status, /SERVFAIL/, `${id}: the resolver answers SERVFAIL`);
      }
      const api = await page.evaluate(([n, t]) => window.dnslab.resolve(n, t), [name, type]);
      assert.deepEqual(api, trace, `${id}: dnslab.resolve deep-equals the CLI's JSON`);
    }
  });
});

test('Step through, Next, Back, the Step slider and Run to the end move the step count', async (env) => {
  const name = 'ext.example.com';
  const type = 'AAAA';
  const expected = cliSteps(cliTrace(env, name, type).steps);
  const total = expected.length;
  assert.ok(total >= 4, `${name} ${type} takes several steps (${total})`);
  await withContext(env, {}, async (open) => {
    const page = await openResolve(open);
    const slider = page.getByRole('slider', { name: 'Step', exact: true });
    const count = async () => (await pageSteps(page)).length;
    const expectShown = async (n, what) => {
      const got = await until(count, (value) => value === n, 3000);
      assert.equal(got, n, `${what}: ${n} step(s) shown`);
      assert.equal(Number(await slider.inputValue()), n, `${what}: the Step slider is at ${n}`);
      assert.deepEqual(strip(await pageSteps(page)), strip(expected.slice(0, n)), `${what}: the first ${n} steps`);
      assert.equal(await answerRegion(page).count(), n === total ? 1 : 0, `${what}: the Answer region ${n === total ? 'is' : 'is not yet'} shown`);
    };
    await ask(page, name, type, 'Step through');
    await expectShown(1, 'Step through');
    assert.ok(await button(page, 'Back').isDisabled(), 'Back is disabled at the first step');
    await button(page, 'Next').click();
    await expectShown(2, 'Next');
    await button(page, 'Next').click();
    await expectShown(3, 'Next again');
    await button(page, 'Back').click();
    await expectShown(2, 'Back');
    await slider.fill(String(total - 1));
    await expectShown(total - 1, 'the slider');
    await button(page, 'Run to the end').click();
    await expectShown(total, 'Run to the end');
    assert.ok(await button(page, 'Next').isDisabled(), 'Next is disabled at the end');
    assert.ok(await button(page, 'Run to the end').isDisabled(), 'Run to the end is disabled at the end');
    assert.equal(Number(await slider.getAttribute('max')), total, 'the slider goes up to the last step');
  });
});

test('the cache: a second resolution comes from it; the simulated clock expires it; Flush empties it', async (env) => {
  const name = 'www.example.com';
  const type = 'A';
  const fresh = strip(cliSteps(cliTrace(env, name, type).steps));
  const qname = `${name}.`;
  await withContext(env, {}, async (open) => {
    const page = await openResolve(open);

    let steps = await resolveAgain(page, name, type);
    assert.deepEqual(strip(steps), fresh, 'the first resolution walks from the root, as the CLI');
    let rows = await cacheRows(page);
    assert.ok(rows.length > 0, 'the resolution filled the cache table');
    assert.ok(rows.some((row) => row.name === qname), `the cache holds ${qname}: ${rows.map(rowKey)}`);

    steps = await resolveAgain(page, name, type);
    assert.ok(steps.length > 0 && steps.every((step) => step.outcome === 'cache'),
      `the second resolution is answered from the cache: ${steps.map((step) => step.outcome)}`);

    // +1 h: every TTL left drops by 3600 s; what had no more than that is gone.
    const advance = async (label, seconds) => {
      const before = await cacheRows(page);
      await button(page, label).click();
      const wantLeft = before.filter((row) => row.ttl > seconds).map((row) => ({ ...row, ttl: row.ttl - seconds }));
      const after = await until(() => cacheRows(page), (value) => value.length === wantLeft.length
        && value.every((row, index) => row.ttl === wantLeft[index].ttl), 3000);
      assert.deepEqual(after.map((row) => `${rowKey(row)} ${row.ttl}`).sort(), wantLeft.map((row) => `${rowKey(row)} ${row.ttl}`).sort(),
        `${label}: each entry's TTL left drops by ${seconds} s; expired ones go`);
      return after;
    };
    rows = await advance('+1 h', 3600);
    assert.ok(!rows.some((row) => row.name === qname), `after +1 h the answer for ${qname} (TTL 3600) has expired`);
    const delegations = rows.filter((row) => row.type === 'NS' && qname.endsWith(row.name === '.' ? '' : row.name));
    assert.ok(delegations.length > 0, 'delegations are still cached');
    const deepest = delegations.map((row) => row.name).sort((a, b) => b.length - a.length)[0];
    steps = await resolveAgain(page, name, type);
    assert.equal(steps[0].outcome, 'cache', `a cache step first: ${steps.map((step) => step.outcome)}`);
    assert.equal(steps[0].zone, deepest, `it starts from the deepest cached delegation, ${deepest}`);
    assert.ok(!steps.some((step) => step.zone === '.'), 'no query goes to the root');
    assert.deepEqual(strip(steps.slice(1)), fresh.filter((step) => step.zone === deepest),
      `then only ${deepest}'s server is asked`);

    // +1 day until the table is empty: then nothing comes from the cache.
    rows = await cacheRows(page);
    for (let round = 0; rows.length > 0 && round < 5; round += 1) rows = await advance('+1 day', 86400);
    assert.deepEqual(rows, [], 'a few days later everything has expired');
    steps = await resolveAgain(page, name, type);
    assert.ok(!steps.some((step) => step.outcome === 'cache'), `no cache step once everything expired: ${steps.map((step) => step.outcome)}`);
    assert.deepEqual(strip(steps), fresh, 'the resolution walks from the root again');

    // Flush cache empties it at once.
    steps = await resolveAgain(page, name, type);
    assert.ok(steps.some((step) => step.outcome === 'cache'), 'cached again');
    await button(page, 'Flush cache').click();
    rows = await until(() => cacheRows(page), (value) => value.length === 0, 3000);
    assert.deepEqual(rows, [], 'Flush cache empties the table');
    steps = await resolveAgain(page, name, type);
    assert.deepEqual(strip(steps), fresh, 'after Flush cache the resolution walks from the root');
  });
});

test('screenshots of Resolve (light, dark)', async (env, t) => {
  if (!env.screenshotsDir) {
    t.skip('DNSLAB_SCREENSHOTS_DIR is not set');
    return;
  }
  fs.mkdirSync(env.screenshotsDir, { recursive: true });
  for (const [name, colorScheme] of [['resolve-light.png', 'light'], ['resolve-dark.png', 'dark']]) {
    await withContext(env, { colorScheme }, async (open) => {
      const page = await openResolve(open, '#resolve=ext.example.com/AAAA');
      await finishedSteps(page);
      await page.mouse.move(1, 1);
      const file = path.join(env.screenshotsDir, name);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(fs.statSync(file).size > 0, `${name} was written`);
      t.diagnostic(`${name}: document scrollWidth ${await page.evaluate(() => document.documentElement.scrollWidth)}px`);
    });
  }
});
