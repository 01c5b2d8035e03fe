//! End-to-end tests of what the page teaches (a suite of all.test.cjs): the first-visit guide (a
//! region named `Tour`, remembered in localStorage under `dnslab.guide.v1`), the `Explanation`
//! aside beside the selected field (a heading and a link to the RFC Editor's page of the section
//! that defines it) and the "Why does this matter?" disclosure of each diagnostic. Expected values
//! come from the captures' tshark values (expected.json) and from `dnslab decode --json`.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { TIMEOUT, repoRoot, suite, withContext, cliDecodeText, until } = require('./harness.cjs');

const { tests, test } = suite();
module.exports = tests;

const GUIDE_KEY = 'dnslab.guide.v1';
const pastes = path.join(repoRoot, 'crates/dnslab-core/tests/data/captures/paste-example-com');
const expected = JSON.parse(fs.readFileSync(path.join(pastes, 'expected.json'), 'utf8'));
const readPaste = (name) => fs.readFileSync(path.join(pastes, name), 'utf8');

/** The RFC Editor link every explanation must use (the brief's pattern). */
const RFC_LINK = /^https:\/\/www\.rfc-editor\.org\/rfc\/rfc\d+(#(section|appendix)-[\w.-]+)?$/;
/** Its text: `RFC 1035 §4.1.1` (`RFC 1035` for a whole RFC). */
const RFC_TEXT = /^RFC (\d+)(?: §(\S+))?$/;

/** IANA's mnemonics for the types and response codes in the captures. */
const TYPES = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 41: 'OPT', 255: 'ANY', 257: 'CAA' };
const RCODES = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };

/**
 * Reads one link: its href must have the RFC Editor form and its text must name the same RFC.
 * Returns `{ rfc, section, textProblem }`: `textProblem` says how the text is not like
 * `RFC 1035 §4.1.1` for that href (`null` when it is).
 */
function rfcLinkParts({ href, text }, where) {
  assert.match(href, RFC_LINK, `${where}: the link ${href}`);
  const url = new URL(href);
  const rfc = Number(url.pathname.replace('/rfc/rfc', ''));
  const anchor = url.hash.replace(/^#/, '');
  const section = anchor.replace(/^section-/, '');
  const shown = text.trim();
  assert.match(shown, new RegExp(`^RFC ${rfc}\\b`), `${where}: the link text names RFC ${rfc}, as its href: "${shown}"`);
  const words = shown.match(RFC_TEXT);
  let textProblem = null;
  if (!words) {
    textProblem = `"${shown}" (for ${href}) is not like "RFC 1035 §4.1.1" or "RFC ${rfc}"`;
  } else if (anchor === '' ? words[2] !== undefined : words[2] !== section) {
    textProblem = `"${shown}" does not name the section its link opens (${href})`;
  }
  return { rfc, section, textProblem };
}

/** `rfcLinkParts`, with the text required to be like `RFC 1035 §4.1.1`; returns `{ rfc, section }`. */
function checkRfcLink(link, where) {
  const { rfc, section, textProblem } = rfcLinkParts(link, where);
  assert.equal(textProblem, null, `${where}: ${textProblem}`);
  return { rfc, section };
}

// ---------------------------------------------------------------------------------------------
// The page

const tour = (page) => page.getByRole('region', { name: 'Tour', exact: true });
const button = (scope, name) => scope.getByRole('button', { name, exact: true });
const fieldsTree = (page) => page.getByRole('tree', { name: 'Fields', exact: true });
const explanation = (page) => page.getByRole('complementary', { name: 'Explanation', exact: true });
const diagnostics = (page) => page.getByRole('list', { name: 'Diagnostics', exact: true });

/** Lets the page's store and its render catch up with an event. */
async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

/** The selected tab's name. */
const selectedTab = async (page) => (await page.getByRole('tab', { selected: true }).innerText()).trim();

/** The tab a fragment opens (the page contract's table). */
function tabOfFragment(hash) {
  const match = hash.match(/^#(decode|build|resolve|zones)\b/);
  return match ? match[1][0].toUpperCase() + match[1].slice(1) : 'Decode';
}

/** The tour's step on screen: its heading and what the address bar and tabs show. */
async function tourStep(page) {
  const headings = await tour(page).getByRole('heading').allInnerTexts();
  return { heading: (headings[0] || '').trim(), hash: decodeURIComponent(new URL(page.url()).hash), tab: await selectedTab(page) };
}

/** Checks that the step's tab shows what its link names. */
async function checkStepOpened(page, step) {
  assert.equal(step.tab, tabOfFragment(step.hash), `"${step.heading}": the ${tabOfFragment(step.hash)} tab is selected for ${step.hash}`);
  if (step.tab === 'Build') {
    await page.getByRole('region', { name: 'Query', exact: true }).getByLabel('Bytes', { exact: true }).locator('[data-offset]').first()
      .waitFor({ timeout: TIMEOUT });
  } else if (step.tab === 'Resolve') {
    await page.getByRole('region', { name: 'Answer', exact: true }).waitFor({ timeout: TIMEOUT });
  } else if (step.tab === 'Zones') {
    const origin = step.hash.match(/^#zones=(.+)$/);
    if (origin) {
      await page.getByLabel(`Zone file ${origin[1]}`, { exact: true }).waitFor({ timeout: TIMEOUT });
    }
  } else {
    await page.getByLabel('Paste', { exact: true }).waitFor({ timeout: TIMEOUT });
  }
}

/** Pastes `text` in Decode and waits for the DNS node of the field tree. */
async function paste(page, text) {
  await page.getByLabel('Paste', { exact: true }).fill(text);
  await fieldsTree(page).getByRole('treeitem', { name: /^Domain Name System/ }).first().waitFor({ timeout: TIMEOUT });
}

async function openDecode(open, fragment = '#decode') {
  const page = await open(fragment);
  await page.getByRole('tab', { name: 'Decode', exact: true, selected: true }).waitFor({ timeout: TIMEOUT });
  return page;
}

/** Opens every closed node of the tree with the keyboard (select it, ArrowRight), until none is closed. */
async function expandAll(page) {
  for (let round = 0; round < 500; round += 1) {
    const closed = fieldsTree(page).locator('[role="treeitem"][aria-expanded="false"]');
    if (await closed.count() === 0) return;
    const node = closed.first();
    await node.click();
    await node.press('ArrowRight');
    await settle(page);
  }
  assert.fail('the tree kept closed nodes after 500 ArrowRight presses');
}

/** The tree's nodes: `{ index, text, start, end }` in order. */
function treeNodes(page) {
  return fieldsTree(page).locator('[role="treeitem"]').evaluateAll((items) => items.map((item, index) => ({
    index,
    text: item.textContent.replace(/\s+/g, ' ').trim(),
    start: Number(item.getAttribute('data-start')),
    end: Number(item.getAttribute('data-end')),
  })));
}

/** Selects the node whose text starts with `prefix` (the `nth` such, from 0) and returns its text. */
async function selectNode(page, prefix, nth = 0) {
  const all = await treeNodes(page);
  const dns = all.find((node) => node.text.startsWith('Domain Name System'));
  assert.ok(dns, 'a Domain Name System node');
  const nodes = all.filter((node) => node.index > dns.index && node.start >= dns.start && node.end <= dns.end && node.text.startsWith(prefix));
  assert.ok(nodes.length > nth, `a tree node starting with "${prefix}" (#${nth + 1}); found ${nodes.length}`);
  const item = fieldsTree(page).locator('[role="treeitem"]').nth(nodes[nth].index);
  await item.click();
  await until(() => item.getAttribute('aria-selected'), (value) => value === 'true');
  assert.equal(await item.getAttribute('aria-selected'), 'true', `"${nodes[nth].text}" is selected`);
  await settle(page);
  return nodes[nth].text;
}

/** What the Explanation aside shows: one `{ heading, text, links: [{ href, text }] }` per explanation. */
async function explained(page) {
  const aside = explanation(page);
  if (await aside.count() === 0) return [];
  return aside.evaluate((element) => {
    const headings = [...element.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')];
    return headings.map((heading, index) => {
      // An explanation runs from its heading to the next one.
      const next = headings[index + 1];
      const range = document.createRange();
      range.setStartBefore(heading);
      if (next) range.setEndBefore(next); else range.setEndAfter(element.lastChild);
      const links = [...element.querySelectorAll('a[href]')].filter((link) => range.intersectsNode(link))
        .map((link) => ({ href: link.href, text: link.textContent }));
      return { heading: heading.textContent.trim(), text: range.toString().replace(/\s+/g, ' ').trim(), links };
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The guide

test('a first visit offers the tour; each step opens its link (Build, Resolve, Zones, Decode); Done closes it for good', async (env) => {
  await withContext(env, {}, async (open) => {
    const page = await open('');
    await tour(page).waitFor({ timeout: TIMEOUT });
    assert.equal(await page.evaluate((key) => window.localStorage.getItem(key), GUIDE_KEY), null, `${GUIDE_KEY} is not set yet`);
    const offer = await tour(page).innerText();
    assert.equal(await button(tour(page), 'Take the tour').count(), 1, 'the tour offers "Take the tour"');
    assert.equal(await button(tour(page), 'Skip').count(), 1, 'and "Skip"');
    const promised = offer.match(/(\d+)-step/);

    await button(tour(page), 'Take the tour').click();
    const steps = [];
    for (let index = 0; index < 20; index += 1) {
      await until(() => tourStep(page), (step) => step.heading !== (steps[steps.length - 1] || {}).heading);
      const step = await until(() => tourStep(page), (value) => value.tab === tabOfFragment(value.hash));
      await checkStepOpened(page, step);
      steps.push(step);
      if (await button(tour(page), 'Next').count() === 0) break;
      await button(tour(page), 'Next').click();
    }
    assert.ok(steps.length >= 3, `the tour has steps: ${steps.map((step) => step.heading).join(' | ')}`);
    if (promised) assert.equal(steps.length, Number(promised[1]), `the offer promised ${promised[1]} steps`);
    assert.equal(new Set(steps.map((step) => step.heading)).size, steps.length, 'each step has its own heading');
    const tabs = steps.map((step) => step.tab).filter((tab, index, all) => index === 0 || all[index - 1] !== tab);
    assert.deepEqual(tabs, ['Build', 'Resolve', 'Zones', 'Decode'], `the steps open Build, Resolve, Zones, Decode: ${steps.map((step) => step.hash).join(' ')}`);

    // Back goes to the step before, and opens its link again.
    await button(tour(page), 'Back').click();
    const back = await until(() => tourStep(page), (step) => step.heading === steps[steps.length - 2].heading && step.tab === steps[steps.length - 2].tab);
    assert.equal(back.heading, steps[steps.length - 2].heading, 'Back shows the step before');
    assert.equal(back.tab, steps[steps.length - 2].tab, 'and its tab');
    await button(tour(page), 'Next').click();
    await until(() => tourStep(page), (step) => step.heading === steps[steps.length - 1].heading);

    await button(tour(page), 'Done').click();
    await until(() => tour(page).count(), (count) => count === 0);
    assert.equal(await tour(page).count(), 0, 'Done closes the tour');
    assert.notEqual(await page.evaluate((key) => window.localStorage.getItem(key), GUIDE_KEY), null, `${GUIDE_KEY} is set`);

    await page.goto(new URL('/', env.baseUrl).href);
    await page.getByRole('tablist').waitFor({ timeout: TIMEOUT });
    await settle(page);
    assert.equal(await tour(page).count(), 0, 'a reload of the bare address does not show it again');

    // The header's Guide button offers it again on request.
    await button(page, 'Guide').click();
    await tour(page).waitFor({ timeout: TIMEOUT });
    assert.equal(await button(tour(page), 'Take the tour').count(), 1, 'the Guide button offers the tour again');
  });
});

test('Skip closes the tour; a reload does not show it again', async (env) => {
  await withContext(env, {}, async (open) => {
    const page = await open('');
    await tour(page).waitFor({ timeout: TIMEOUT });
    await button(tour(page), 'Skip').click();
    await until(() => tour(page).count(), (count) => count === 0);
    assert.equal(await tour(page).count(), 0, 'Skip closes the tour');
    assert.notEqual(await page.evaluate((key) => window.localStorage.getItem(key), GUIDE_KEY), null, `${GUIDE_KEY} is set`);
    // The page writes #decode into the address bar; the bare address again is a first visit's.
    await page.goto(new URL('/', env.baseUrl).href);
    await page.getByRole('tablist').waitFor({ timeout: TIMEOUT });
    await settle(page);
    assert.equal(await tour(page).count(), 0, 'not after a reload of the bare address');
    const other = await open('');
    await settle(other);
    assert.equal(await tour(other).count(), 0, 'nor in another tab');
  });
});

test('a first visit through a link (#decode=…, #build=…, #zones) never shows the tour', async (env) => {
  const hex = readPaste('f002.ws-hexstream.txt').trim();
  for (const fragment of [`#decode=${hex}`, '#build=www.example.com/A', '#zones', '#resolve=www.example.com/A']) {
    await withContext(env, {}, async (open) => {
      const page = await open(fragment);
      await page.getByRole('tab', { name: tabOfFragment(fragment), exact: true, selected: true }).waitFor({ timeout: TIMEOUT });
      if (fragment.startsWith('#decode=')) await fieldsTree(page).waitFor({ timeout: TIMEOUT });
      await settle(page);
      assert.equal(await tour(page).count(), 0, `${fragment.slice(0, 24)}…: no Tour region`);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The explanation beside the selected node

test('the Explanation aside: a heading and an RFC link for the selected field; a Type node adds its type, RCODE its code', async (env, t) => {
  await withContext(env, {}, async (open) => {
    const page = await openDecode(open);
    for (const frame of ['f002', 'f014']) {
      const want = expected[frame].expect;
      await paste(page, readPaste(`${frame}.tcpdump-xx.txt`));
      await expandAll(page);

      const id = await selectNode(page, 'Transaction ID');
      assert.equal(id, `Transaction ID: 0x${want.ID.toString(16).padStart(4, '0')}`, `${frame}: the node is the frame's ID`);
      let shown = await until(() => explained(page), (value) => value.length > 0 && value[0].heading === 'Transaction ID');
      assert.equal(shown.length, 1, `${frame} Transaction ID: one explanation: ${JSON.stringify(shown)}`);
      assert.equal(shown[0].heading, 'Transaction ID', 'its heading names the field');
      assert.ok(shown[0].text.length > shown[0].heading.length + 40, `and says something: ${shown[0].text}`);
      assert.equal(shown[0].links.length, 1, 'one link');
      assert.deepEqual(checkRfcLink(shown[0].links[0], 'Transaction ID'), { rfc: 1035, section: '4.1.1' },
        'the header is defined in RFC 1035 §4.1.1');

      // The question's Type, then each answer's: the field's entry and its type's.
      const typed = [['Type (QTYPE)', TYPES[want.QTYPE], 0], ...want.answers.map((answer, index) => ['Type:', TYPES[answer.TYPE], index])];
      for (const [prefix, mnemonic, nth] of typed) {
        const text = await selectNode(page, prefix, nth);
        assert.ok(text.includes(`(${mnemonic})`), `${frame}: "${text}" is a ${mnemonic} (tshark)`);
        shown = await until(() => explained(page), (value) => value.length === 2 && value[1].heading === mnemonic);
        assert.equal(shown.length, 2, `${frame} ${text}: two explanations, the field's and the type's: ${shown.map((entry) => entry.heading)}`);
        assert.match(shown[0].heading, /^Type/, `${frame} ${text}: the field's first`);
        assert.equal(shown[1].heading, mnemonic, `${frame} ${text}: then the ${mnemonic} record's`);
        assert.ok(shown[1].text.length > mnemonic.length + 40, `${frame} ${mnemonic}: says something: ${shown[1].text}`);
        for (const entry of shown) {
          assert.ok(entry.links.length >= 1, `${frame} ${text} / ${entry.heading}: a link`);
          entry.links.forEach((link) => checkRfcLink(link, `${frame} ${text} / ${entry.heading}`));
        }
        const known = { A: [1035, '3.4.1'], CNAME: [1035, '3.3.1'] }[mnemonic];
        if (known) {
          assert.deepEqual(checkRfcLink(shown[1].links[0], mnemonic), { rfc: known[0], section: known[1] },
            `${mnemonic}'s RDATA is defined in RFC ${known[0]} §${known[1]}`);
        }
      }

      // The rcode bit field under Flags (opened with the keyboard).
      const flags = fieldsTree(page).locator('[role="treeitem"]').filter({ hasText: /^Flags:/ }).first();
      if (await flags.getAttribute('aria-expanded') === 'false') {
        await flags.click();
        await flags.press('ArrowRight');
        await until(() => flags.getAttribute('aria-expanded'), (value) => value === 'true');
      }
      const rcode = RCODES[want.RCODE];
      const text = await selectNode(page, 'Response code');
      shown = await until(() => explained(page), (value) => value.length === 2 && value[1].heading === rcode);
      assert.equal(shown.length, 2, `${frame} "${text}": the field's explanation and the code's: ${shown.map((entry) => entry.heading)}`);
      assert.match(shown[0].heading, /RCODE|Response code/, `${frame}: the field's heading`);
      assert.equal(shown[1].heading, rcode, `${frame}: the code's, ${rcode} (tshark's RCODE ${want.RCODE})`);
      for (const entry of shown) entry.links.forEach((link) => checkRfcLink(link, `${frame} RCODE / ${entry.heading}`));
      assert.ok(shown.every((entry) => entry.links.length >= 1), `${frame} RCODE: each explanation links its RFC`);
    }

    await t.test('the RFC links open in a new tab without handing it the page', {}, async () => {
      const links = await explanation(page).locator('a[href]').evaluateAll((all) => all.map((link) => ({ target: link.target, rel: link.rel })));
      assert.ok(links.length > 0, 'links are shown');
      for (const link of links) {
        assert.equal(link.target, '_blank', 'target=_blank');
        assert.match(link.rel, /noopener/, 'rel=noopener');
      }
    });
  });
});

test('20 different nodes each show an explanation whose links are rfc-editor.org section links', async (env, t) => {
  const frames = ['f006', 'f022', 'f010', 'f024'];
  await withContext(env, {}, async (open) => {
    const page = await openDecode(open);
    /** A frame's DNS nodes, every node open: `{ index, text, label }` (label: the text before the value). */
    const dnsNodes = async (frame) => {
      await paste(page, readPaste(`${frame}.tcpdump-xx.txt`));
      await expandAll(page);
      const nodes = await treeNodes(page);
      const dns = nodes.find((node) => node.text.startsWith('Domain Name System'));
      assert.ok(dns, `${frame}: a Domain Name System node`);
      return nodes.filter((item) => item.index > dns.index && item.start >= dns.start && item.end <= dns.end)
        .map((node) => ({ ...node, label: node.text.replace(/^#\d+/, '#').split(/[:(]/)[0].trim() }));
    };
    // Every label once, over all the frames; then 20 of them spread evenly (not just the header's).
    const candidates = [];
    for (const frame of frames) {
      for (const node of await dnsNodes(frame)) {
        if (!candidates.some((other) => other.label === node.label)) candidates.push({ ...node, frame });
      }
    }
    assert.ok(candidates.length >= 20, `20 different labels among the frames' nodes: ${candidates.map((node) => node.label).join(' | ')}`);
    const chosen = Array.from({ length: 20 }, (_, k) => candidates[Math.floor((k * candidates.length) / 20)]);
    const seen = new Map();
    const textProblems = new Set();
    for (const frame of frames) {
      const here = chosen.filter((node) => node.frame === frame);
      if (here.length === 0) continue;
      const nodes = await dnsNodes(frame);
      for (const want of here) {
        const node = nodes.find((item) => item.index === want.index && item.text === want.text);
        assert.ok(node, `${frame}: "${want.text}" is at the same place again`);
        const item = fieldsTree(page).locator('[role="treeitem"]').nth(node.index);
        await item.click();
        await until(() => item.getAttribute('aria-selected'), (value) => value === 'true');
        const shown = await until(() => explained(page), (value) => value.length > 0 && value.every((entry) => entry.links.length > 0), 2000);
        assert.ok(shown.length > 0, `${frame} "${node.text}": the Explanation aside shows an explanation`);
        for (const entry of shown) {
          assert.ok(entry.links.length > 0, `${frame} "${node.text}" / ${entry.heading}: a link`);
          for (const link of entry.links) {
            const { textProblem } = rfcLinkParts(link, `${frame} "${node.text}" / ${entry.heading}`);
            if (textProblem) textProblems.add(`${entry.heading}: ${textProblem}`);
          }
        }
        seen.set(node.label, shown.flatMap((entry) => entry.links.map((link) => link.href)));
      }
    }
    assert.equal(seen.size, 20, `20 different nodes were checked: ${[...seen.keys()].join(' | ')}`);
    await t.test('each link\'s text is like "RFC 1035 §4.1.1" (or "RFC 2782" for a whole RFC)', async () => {
      assert.deepEqual([...textProblems], [], 'every link text names its RFC and section');
    });
    t.diagnostic(`checked: ${[...seen.entries()].map(([label, links]) => `${label} → ${[...new Set(links)].map((link) => link.replace('https://www.rfc-editor.org/rfc/', '')).join(', ')}`).join('; ')}`);
  });
});

// ---------------------------------------------------------------------------------------------
// Diagnostics

/** A cut-off copy of a frame's DNS bytes (`length` bytes) and two hand-made broken messages. */
function brokenMessages() {
  const full = Buffer.from(readPaste('f002.ws-hexstream.txt').replace(/\s+/g, ''), 'hex');
  return [
    ['cut off in the header', full.subarray(0, 7).toString('hex')],
    ['cut off in the question', full.subarray(0, 20).toString('hex')],
    ['cut off in an answer record', full.subarray(0, 40).toString('hex')],
    ['cut off in the last record', full.subarray(0, full.length - 3).toString('hex')],
    // The question name is a compression pointer to itself.
    ['a pointer loop', '1234010000010000000000 00c00c00010001'.replace(/\s+/g, '')],
  ];
}

test('each diagnostic has a "Why does this matter?" disclosure with its text and RFC link', async (env, t) => {
  await withContext(env, {}, async (open) => {
    const openAtFirst = [];
    const page = await openDecode(open);
    for (const [what, hex] of brokenMessages()) {
      const [message] = cliDecodeText(env, hex);
      const want = message.diagnostics;
      assert.ok(want.length > 0, `${what}: dnslab decode reports a diagnostic`);
      await page.getByLabel('Paste', { exact: true }).fill(hex);
      const items = diagnostics(page).getByRole('listitem');
      const got = await until(() => items.evaluateAll((all) => all.map((item) => ({
        start: Number(item.getAttribute('data-start')),
        end: Number(item.getAttribute('data-end')),
        severity: item.getAttribute('data-severity'),
        text: item.textContent,
      }))).catch(() => []), (value) => value.length === want.length && value.every((item, index) => item.text.includes(want[index].message)));
      assert.deepEqual(got.map(({ start, end, severity }) => ({ start, end, severity })),
        want.map((item) => ({ start: item.offset, end: item.offset + item.length, severity: item.severity })),
        `${what}: the Diagnostics items are dnslab decode's`);
      for (const [index, item] of want.entries()) {
        assert.ok(got[index].text.includes(item.message), `${what}: item ${index + 1} says "${item.message}"`);
        const entry = items.nth(index);
        const summary = entry.getByText('Why does this matter?', { exact: true });
        assert.equal(await summary.count(), 1, `${what}: "${item.message}" has a "Why does this matter?" disclosure`);
        const disclosure = entry.locator('details');
        const body = disclosure.locator(':scope > :not(summary)').first();
        if (await disclosure.evaluate((element) => element.open)) {
          openAtFirst.push(`${what}: "${item.message}"`);
          await summary.click();
          await until(() => body.isVisible(), (visible) => !visible);
        }
        assert.equal(await body.isVisible(), false, `${what}: its text is hidden while folded`);
        await summary.click();
        await until(() => body.isVisible(), (visible) => visible);
        assert.equal(await body.isVisible(), true, `${what}: clicking it shows the text`);
        const text = (await body.innerText()).trim();
        assert.ok(text.length > 40, `${what}: the text says something: ${text}`);
        assert.ok(!text.includes(item.message), `${what}: the text explains, it does not repeat the finding`);
        const links = await body.locator('a[href]').evaluateAll((all) => all.map((link) => ({ href: link.href, text: link.textContent })));
        assert.ok(links.length >= 1, `${what}: it links the RFC: ${text}`);
        links.forEach((link) => checkRfcLink(link, `${what} / why`));
      }
    }

    await t.test('a new message\'s disclosures start folded', async () => {
      assert.deepEqual(openAtFirst, [], 'every disclosure of a newly pasted message is folded');
    });
  });
});
