//! End-to-end tests of the Decode workbench, written against /work/shared/PAGE-CONTRACT.md only:
//! ARIA roles and names, the `data-` attributes, the URL fragment and `window.dnslab`.
//! A suite of all.test.cjs (one Chromium for the whole run); a new context per test, the page
//! served by dnslab-bridge on loopback.
'use strict';

const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { suite, withContext, TIMEOUT, pastedFrameBytes } = require('./harness.cjs');

const { tests, test } = suite();
module.exports = tests;

const repoRoot = path.resolve(__dirname, '..', '..');
const pastes = path.join(repoRoot, 'crates/dnslab-core/tests/data/captures/paste-example-com');

// ---------------------------------------------------------------------------------------------
// Test data

function readPaste(name) {
  return fs.readFileSync(path.join(pastes, name), 'utf8');
}

/** Every pasted format of one frame: `[format, file name]`, from the directory listing. */
function formatsOf(frame) {
  const files = fs.readdirSync(pastes).filter((name) => name.startsWith(`${frame}.`) && name.endsWith('.txt')).sort();
  assert.ok(files.length >= 10, `${frame} has its formats (${files.length} found)`);
  return files.map((name) => [name.slice(frame.length + 1, -'.txt'.length), name]);
}

/** The DNS message of a frame as bytes (Wireshark's hex stream of the DNS layer). */
function dnsBytes(frame) {
  return Buffer.from(readPaste(`${frame}.ws-hexstream.txt`).replace(/\s+/g, ''), 'hex');
}

function base64url(bytes) {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function range(start, end) {
  return Array.from({ length: Math.max(0, end - start) }, (_, index) => start + index);
}

/**
 * Walks a complete DNS message: each record's byte span (`start`..`end`, end exclusive) and each
 * compression pointer (`at`, `target`), offsets from the message's first byte.
 */
function walkDns(buf) {
  const pointers = [];
  const records = [];
  const name = (at) => {
    let p = at;
    for (let guard = 0; guard < 128; guard += 1) {
      const length = buf[p];
      assert.ok(length !== undefined, `name at ${at} runs past the message`);
      if ((length & 0xc0) === 0xc0) {
        pointers.push({ at: p, target: ((length & 0x3f) << 8) | buf[p + 1] });
        return p + 2;
      }
      if (length === 0) return p + 1;
      p += 1 + length;
    }
    throw new Error(`name at ${at} is too long`);
  };
  const count = (index) => buf.readUInt16BE(4 + 2 * index);
  let p = 12;
  for (let index = 0; index < count(0); index += 1) {
    const start = p;
    p = name(p) + 4;
    records.push({ section: 'question', index, start, end: p });
  }
  ['answer', 'authority', 'additional'].forEach((section, k) => {
    for (let index = 0; index < count(k + 1); index += 1) {
      const start = p;
      p = name(p);
      const type = buf.readUInt16BE(p);
      const rdlength = buf.readUInt16BE(p + 8);
      const rdata = p + 10;
      if ([2, 5, 12].includes(type)) name(rdata);
      if (type === 15) name(rdata + 2);
      p = rdata + rdlength;
      records.push({ section, index, start, end: p, type });
    }
  });
  assert.equal(p, buf.length, 'the walk ends at the end of the message');
  return { pointers, records };
}

/** `dnslab decode --json FILE`: the JSON Lines, parsed. */
function cliDecode(env, file) {
  const run = spawnSync(env.cliBin, ['decode', '--json', file], { encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, `dnslab decode --json ${file} exited ${run.status}: ${run.stderr}`);
  const lines = run.stdout.split('\n').filter((line) => line.trim() !== '');
  assert.ok(lines.length > 0, `dnslab decode --json ${file} printed nothing`);
  return lines.map((line) => JSON.parse(line));
}

// ---------------------------------------------------------------------------------------------
// The page

const fieldsTree = (page) => page.getByRole('tree', { name: 'Fields', exact: true });
const bytesPane = (page) => page.getByLabel('Bytes', { exact: true });
const pasteBox = (page) => page.getByLabel('Paste', { exact: true });
const dnsNode = (page) => fieldsTree(page).getByRole('treeitem', { name: /^Domain Name System/ }).first();
const treeItems = (page) => fieldsTree(page).locator('[role="treeitem"]');

/** Pastes `text` and waits for the DNS node of the field tree. */
async function paste(page, text) {
  await pasteBox(page).fill(text);
  await dnsNode(page).waitFor({ timeout: TIMEOUT });
}

/**
 * Every treeitem in the DOM, in document order: own text (without nested items, buttons and
 * aria-hidden decoration), span, level, state, and the index of its parent item (from nesting
 * when the tree nests its items, from aria-level when it is rendered flat).
 */
async function treeSnapshot(page) {
  const items = await fieldsTree(page).evaluate((tree) => {
    const elements = [...tree.querySelectorAll('[role="treeitem"]')];
    const ownText = (element) => {
      let text = '';
      const walk = (node) => {
        for (const child of node.childNodes) {
          if (child.nodeType === Node.TEXT_NODE) {
            text += child.data;
          } else if (child.nodeType === Node.ELEMENT_NODE) {
            const role = child.getAttribute('role');
            if (role === 'treeitem' || role === 'group' || child.tagName === 'BUTTON'
                || child.getAttribute('aria-hidden') === 'true') continue;
            walk(child);
          }
        }
      };
      walk(element);
      return text.replace(/\s+/g, ' ').trim();
    };
    return elements.map((element, index) => {
      const outer = element.parentElement && element.parentElement.closest('[role="treeitem"]');
      return {
        index,
        text: ownText(element),
        start: Number(element.getAttribute('data-start')),
        end: Number(element.getAttribute('data-end')),
        level: element.hasAttribute('aria-level') ? Number(element.getAttribute('aria-level')) : null,
        expanded: element.getAttribute('aria-expanded'),
        selected: element.getAttribute('aria-selected') === 'true',
        visible: element.checkVisibility(),
        nestedParent: outer ? elements.indexOf(outer) : -1,
      };
    });
  });
  const nested = items.some((item) => item.nestedParent !== -1);
  for (const item of items) {
    if (nested) {
      item.parent = item.nestedParent;
    } else {
      item.parent = -1;
      if (item.level !== null) {
        for (let k = item.index - 1; k >= 0; k -= 1) {
          if (items[k].level !== null && items[k].level < item.level) {
            item.parent = k;
            break;
          }
        }
      }
    }
  }
  return items;
}

function isDescendant(items, item, ancestor) {
  for (let k = item.parent; k !== -1; k = items[k].parent) {
    if (k === ancestor.index) return true;
  }
  return false;
}

/** The DNS node and the items under it (visible ones only unless `all`). */
function dnsSubtree(items, all = false) {
  const dns = items.find((item) => item.text.startsWith('Domain Name System'));
  assert.ok(dns, `a treeitem starts with "Domain Name System": ${items.map((item) => item.text).join(' | ')}`);
  const under = items.filter((item) => isDescendant(items, item, dns) && (all || item.visible));
  assert.ok(under.length > 0, 'the DNS node has items under it');
  return { dns, under };
}

/** The hex pane's bytes in offset order: `{ offset, hex, hl }`. */
async function bytesSnapshot(page) {
  const bytes = await bytesPane(page).evaluate((pane) => [...pane.querySelectorAll('[data-offset]')].map((element) => ({
    offset: Number(element.getAttribute('data-offset')),
    hex: element.textContent.trim(),
    hl: element.classList.contains('hl'),
  })));
  return bytes.sort((a, b) => a.offset - b.offset);
}

async function hlOffsets(page) {
  return (await bytesSnapshot(page)).filter((byte) => byte.hl).map((byte) => byte.offset);
}

/** Waits (up to TIMEOUT) until exactly `expected` bytes carry `hl`, then returns the bytes that do. */
async function waitForHl(page, expected) {
  const pane = await bytesPane(page).elementHandle({ timeout: TIMEOUT });
  await page.waitForFunction(([element, want]) => {
    const got = [...element.querySelectorAll('[data-offset]')]
      .filter((byte) => byte.classList.contains('hl'))
      .map((byte) => Number(byte.getAttribute('data-offset')))
      .sort((a, b) => a - b);
    return got.length === want.length && got.every((offset, index) => offset === want[index]);
  }, [pane, expected], { timeout: TIMEOUT }).catch(() => {});
  return hlOffsets(page);
}

/** Waits until the selected treeitem's data-start is `start` (or, with `covers`, its span covers it). */
async function waitForSelection(page, offset, covers) {
  const tree = await fieldsTree(page).elementHandle({ timeout: TIMEOUT });
  await page.waitForFunction(([element, at, inside]) => {
    const selected = element.querySelector('[role="treeitem"][aria-selected="true"]');
    if (!selected) return false;
    const start = Number(selected.getAttribute('data-start'));
    const end = Number(selected.getAttribute('data-end'));
    return inside ? start <= at && at < end : start === at;
  }, [tree, offset, covers], { timeout: TIMEOUT }).catch(() => {});
  const selected = (await treeSnapshot(page)).filter((item) => item.selected);
  assert.equal(selected.length, 1, `exactly one treeitem has aria-selected="true": ${JSON.stringify(selected)}`);
  return selected[0];
}

async function clickByte(page, offset) {
  await bytesPane(page).locator(`[data-offset="${offset}"]`).click();
}

/**
 * Opens every closed node under the DNS node. First the contract's way (clicking a byte selects the
 * innermost node covering it and expands its ancestors: the node's first byte), then, when that byte
 * selects nothing under it (flag bits, say), the WAI-ARIA tree's way: select the node, ArrowRight.
 * Returns the texts of the nodes that stayed closed.
 */
async function openDnsSubtree(page) {
  const key = (item) => `${item.start}-${item.end}-${item.text}`;
  const stateOf = async (wanted) => (await treeSnapshot(page)).find((item) => key(item) === wanted);
  const tried = new Set();
  const unopened = [];
  for (let round = 0; round < 300; round += 1) {
    const closed = dnsSubtree(await treeSnapshot(page)).under
      .find((item) => item.expanded === 'false' && !tried.has(key(item)));
    if (!closed) break;
    tried.add(key(closed));
    await clickByte(page, closed.start);
    await waitForSelection(page, closed.start, true);
    let opened = (await stateOf(key(closed)))?.expanded === 'true';
    if (!opened) {
      const now = await stateOf(key(closed));
      const tree = await fieldsTree(page).elementHandle();
      await treeItems(page).nth(now.index).click();
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(([element, index]) => element.querySelectorAll('[role="treeitem"]')[index]
        .getAttribute('aria-expanded') === 'true', [tree, now.index], { timeout: TIMEOUT }).catch(() => {});
      opened = (await stateOf(key(closed)))?.expanded === 'true';
    }
    if (!opened) unopened.push(closed.text);
  }
  return unopened;
}

/** Moves the pointer off the tree and the hex pane, so nothing is hovered. */
async function moveAway(page) {
  await page.mouse.move(1, 1);
}

// ---------------------------------------------------------------------------------------------
// Tests

test('every pasted format of a response gives the same DNS tree', async (env, t) => {
  const frame = 'f002';
  const expected = JSON.parse(readPaste('expected.json'))[frame].expect;
  const dns = dnsBytes(frame);
  await withContext(env, {}, async (open) => {
    let reference;
    for (const [format, file] of formatsOf(frame)) {
      const page = await open();
      await paste(page, readPaste(file));

      const origin = (await page.getByTestId('input-origin').innerText()).trim();
      assert.match(origin, /^[^:]+: .*DNS/, `${format}: input-origin names the format and the layers: ${origin}`);

      const unopened = await openDnsSubtree(page);
      if (unopened.length > 0) t.diagnostic(`${format}: nodes that stayed closed: ${unopened.join(' | ')}`);

      const items = await treeSnapshot(page);
      const { dns: root, under } = dnsSubtree(items);
      assert.equal(root.end - root.start, dns.length, `${format}: the DNS node spans the ${dns.length} bytes of the message`);
      const bytes = await bytesSnapshot(page);
      assert.deepEqual(bytes.map((byte) => byte.offset), range(0, bytes.length), `${format}: the hex pane numbers its bytes from 0`);
      assert.ok(bytes.every((byte) => /^[0-9a-f]{2}$/.test(byte.hex)), `${format}: each byte is two lower-case hex digits`);
      assert.equal(
        bytes.slice(root.start, root.end).map((byte) => byte.hex).join(''),
        dns.toString('hex'),
        `${format}: the hex pane shows the DNS message at the DNS node's data-start`,
      );
      const layerNodes = items.filter((item) => item.index < root.index && item.parent === -1);
      if (origin.includes('→')) {
        assert.ok(layerNodes.length > 0, `${format}: the layers of "${origin}" are top-level nodes before the DNS node`);
        assert.ok(root.start > 0, `${format}: with layers the hex pane shows the whole frame`);
      } else {
        assert.equal(layerNodes.length, 0, `${format}: DNS bytes only, no layer nodes: ${layerNodes.map((item) => item.text)}`);
        assert.equal(root.start, 0, `${format}: DNS bytes only, the DNS node starts at offset 0`);
      }
      if (origin.includes('Ethernet')) {
        assert.ok(layerNodes.some((item) => item.text.startsWith('Ethernet')), `${format}: an Ethernet node: ${layerNodes.map((item) => item.text)}`);
      }

      const shape = under.map((item) => ({
        text: item.text,
        start: item.start - root.start,
        end: item.end - root.start,
        depth: items.filter((other) => isDescendant(items, item, other)).length,
      }));
      const texts = shape.map((item) => item.text);
      const id = `0x${expected.ID.toString(16).padStart(4, '0')}`;
      assert.ok(texts.includes(`Transaction ID: ${id}`), `${format}: "Transaction ID: ${id}" in ${JSON.stringify(texts)}`);
      assert.ok(texts.some((text) => text.startsWith(`Name: ${expected.QNAME}`)), `${format}: the QNAME ${expected.QNAME}`);
      assert.ok(texts.some((text) => text.includes('93.184.215.14')), `${format}: the A record's address`);
      if (reference === undefined) {
        reference = { format, shape };
      } else {
        assert.deepEqual(shape, reference.shape, `${format} and ${reference.format} give the same DNS subtree`);
      }
      await page.close();
    }
  });
});

test('hovering a node highlights exactly its bytes; the selected node keeps them highlighted', async (env) => {
  await withContext(env, {}, async (open) => {
    const page = await open();
    await paste(page, readPaste('f002.tshark-x.txt'));
    assert.deepEqual(await hlOffsets(page), [], 'nothing hovered or selected: no byte has hl');

    // A leaf shown without any click: the question's name.
    const items = await treeSnapshot(page);
    const { dns, under } = dnsSubtree(items);
    const leaf = under.find((item) => item.visible && item.expanded === null && item.text.startsWith('Type'));
    assert.ok(leaf, `a leaf "Type…" is shown under the DNS node: ${under.map((item) => item.text).join(' | ')}`);
    await treeItems(page).nth(leaf.index).hover();
    assert.deepEqual(await waitForHl(page, range(leaf.start, leaf.end)), range(leaf.start, leaf.end),
      `hovering "${leaf.text}" highlights bytes ${leaf.start}..${leaf.end}`);
    await moveAway(page);
    assert.deepEqual(await waitForHl(page, []), [], 'the pointer left the tree: no byte has hl');

    // The Transaction ID: its first byte selects it (innermost node), then hovering it.
    await clickByte(page, dns.start);
    const selected = await waitForSelection(page, dns.start, true);
    assert.ok(selected.text.startsWith('Transaction ID'), `byte ${dns.start} selects the Transaction ID: ${selected.text}`);
    assert.equal(selected.end - selected.start, 2, 'the Transaction ID is two bytes');
    await moveAway(page);
    assert.deepEqual(await waitForHl(page, range(selected.start, selected.end)), range(selected.start, selected.end),
      'the selected Transaction ID keeps its bytes highlighted');
    await treeItems(page).nth(selected.index).hover();
    assert.deepEqual(await waitForHl(page, range(selected.start, selected.end)), range(selected.start, selected.end),
      'hovering the Transaction ID highlights exactly its bytes');
  });
});

test('clicking a byte selects the innermost node covering it', async (env, t) => {
  await withContext(env, {}, async (open) => {
    const page = await open();
    await paste(page, readPaste('f002.tcpdump-xx.txt'));
    const { dns } = dnsSubtree(await treeSnapshot(page));
    const total = (await bytesSnapshot(page)).length;
    assert.ok(dns.start > 0, 'tcpdump -xx carries the link layer: the DNS message does not start at 0');
    // Ethernet, IPv4, UDP, then DNS: header flags, a label of the QNAME, a pointer, the last byte.
    const offsets = [0, 13, 14 + 9, dns.start - 8, dns.start - 1, dns.start + 2, dns.start + 3, dns.start + 13,
      dns.start + 34, dns.start + 40, total - 1];
    for (const offset of offsets) {
      await clickByte(page, offset);
      const selected = await waitForSelection(page, offset, true);
      assert.ok(selected.start <= offset && offset < selected.end,
        `byte ${offset}: the selected node "${selected.text}" (${selected.start}..${selected.end}) covers it`);
      const items = await treeSnapshot(page);
      const covering = items.filter((item) => item.start <= offset && offset < item.end);
      const span = selected.end - selected.start;
      const smaller = covering.filter((item) => item.end - item.start < span);
      assert.deepEqual(smaller.map((item) => `${item.text} ${item.start}..${item.end}`), [],
        `byte ${offset}: no node smaller than "${selected.text}" covers it`);
      const deeper = covering.filter((item) => item.end - item.start === span && isDescendant(items, item, selected));
      if (deeper.length > 0) t.diagnostic(`byte ${offset}: "${selected.text}" selected; under it, with the same span: ${deeper.map((item) => item.text).join(' | ')}`);
      assert.ok(items[selected.index].visible, `byte ${offset}: the selected node is shown (its ancestors are open)`);
      assert.ok(covering.some((item) => item.index === selected.index), 'the selected node is among the covering ones');
      // Selecting scrolls the node into view, which can slide a tree row under the pointer (a hover).
      await moveAway(page);
      assert.deepEqual(await waitForHl(page, range(selected.start, selected.end)), range(selected.start, selected.end),
        `byte ${offset}: the selected node's bytes carry hl`);
    }
  });
});

test('following a compression pointer selects the name it points to', async (env) => {
  const frame = 'f002';
  const { pointers } = walkDns(dnsBytes(frame));
  assert.ok(pointers.length >= 2, `${frame} has compression pointers`);
  await withContext(env, {}, async (open) => {
    const page = await open();
    await paste(page, readPaste(`${frame}.tcpdump-xx.txt`));
    const { dns } = dnsSubtree(await treeSnapshot(page));
    for (const { at, target } of pointers) {
      const offset = dns.start + at;
      await clickByte(page, offset);
      await waitForSelection(page, offset, true);
      const items = await treeSnapshot(page);
      const pointer = items.find((item) => item.visible && item.text.startsWith('Compression pointer:')
        && item.start <= offset && offset < item.end);
      assert.ok(pointer, `a "Compression pointer:" node covers byte ${offset}: ${items.filter((item) => item.visible
        && item.start <= offset && offset < item.end).map((item) => item.text).join(' | ')}`);
      assert.ok(pointer.text.includes(`continues at offset ${target}`),
        `the pointer at DNS offset ${at} says "continues at offset ${target}": ${pointer.text}`);
      assert.equal(pointer.end - pointer.start, 2, 'a pointer is two bytes');
      await treeItems(page).nth(pointer.index).getByRole('button', { name: 'Follow pointer', exact: true }).first().click();
      const selected = await waitForSelection(page, dns.start + target, false);
      assert.equal(selected.start, dns.start + target,
        `following the pointer at ${at} selects the node at DNS offset ${target} (hex offset ${dns.start + target}): got "${selected.text}" at ${selected.start}`);
      assert.ok(selected.visible, 'the pointed-to node is shown');
      await moveAway(page);
      const hl = await waitForHl(page, range(selected.start, selected.end));
      assert.deepEqual(hl, range(selected.start, selected.end), 'the pointed-to node\'s bytes carry hl');
    }
  });
});

test('#decode= links open Decode with those bytes (hex, base64url, whole frame)', async (env) => {
  const cases = [
    ['hex of a DNS message', `#decode=${dnsBytes('f002').toString('hex')}`, dnsBytes('f002'), 0],
    ['base64url of a DNS message', `#decode=b64:${base64url(dnsBytes('f004'))}`, dnsBytes('f004'), 0],
    ['hex of a whole Ethernet frame', `#decode=${pastedFrameBytes('f002').toString('hex')}`, pastedFrameBytes('f002'), 42],
  ];
  await withContext(env, {}, async (open) => {
    for (const [what, fragment, bytes, dnsStart] of cases) {
      const page = await open(fragment);
      await dnsNode(page).waitFor({ timeout: TIMEOUT });
      const decodeTab = page.getByRole('tab', { name: 'Decode', exact: true });
      assert.equal(await decodeTab.getAttribute('aria-selected'), 'true', `${what}: the Decode tab is selected`);
      for (const name of ['Build', 'Resolve', 'Zones']) {
        assert.notEqual(await page.getByRole('tab', { name, exact: true }).getAttribute('aria-selected'), 'true',
          `${what}: the ${name} tab is not selected`);
      }
      const shown = (await bytesSnapshot(page)).map((byte) => byte.hex).join('');
      assert.equal(shown, bytes.toString('hex'), `${what}: the hex pane shows the link's bytes`);
      const { dns } = dnsSubtree(await treeSnapshot(page));
      assert.equal(dns.start, dnsStart, `${what}: the DNS node starts at ${dnsStart}`);
      assert.notEqual((await page.getByTestId('input-origin').innerText()).trim(), '', `${what}: input-origin is shown`);
      await page.close();
    }

    // Tabs follow the fragment; a malformed fragment still shows the page.
    const zones = await open('#zones');
    await zones.getByRole('tab', { name: 'Zones', exact: true, selected: true }).waitFor({ timeout: TIMEOUT });
    assert.equal(await zones.getByRole('tab', { name: 'Decode', exact: true }).getAttribute('aria-selected'), 'false');
    await zones.getByRole('tab', { name: 'Decode', exact: true }).click();
    await zones.getByRole('tab', { name: 'Decode', exact: true, selected: true }).waitFor({ timeout: TIMEOUT });
    await zones.close();
    const broken = await open('#decode=zz-not-hex');
    await broken.getByRole('tab', { name: 'Decode', exact: true, selected: true }).waitFor({ timeout: TIMEOUT });
    assert.ok((await broken.getByRole('tabpanel').innerText()).trim().length > 0, 'a malformed link does not blank the panel');
    await broken.close();
  });
});

test('a message cut short mid-record shows an error diagnostic at the right byte', async (env) => {
  const full = dnsBytes('f002');
  const { records } = walkDns(full);
  const record = records.find((item) => item.section === 'answer' && item.index === 1);
  assert.ok(record, 'f002 has a second answer record');
  const cut = full.subarray(0, record.start + 8); // inside the record's TTL
  await withContext(env, {}, async (open) => {
    const page = await open();
    await pasteBox(page).fill(cut.toString('hex'));
    const list = page.getByRole('list', { name: 'Diagnostics', exact: true });
    await list.locator('[data-severity="error"]').first().waitFor({ timeout: TIMEOUT });
    const diagnostics = await list.locator('[data-severity]').evaluateAll((elements) => elements.map((element) => ({
      start: Number(element.getAttribute('data-start')),
      end: Number(element.getAttribute('data-end')),
      severity: element.getAttribute('data-severity'),
      text: element.textContent.trim(),
    })));
    assert.ok(diagnostics.every((item) => ['error', 'warning', 'note'].includes(item.severity)),
      `severities are error, warning or note: ${JSON.stringify(diagnostics)}`);
    const errors = diagnostics.filter((item) => item.severity === 'error');
    const found = errors.find((item) => item.start >= record.start && item.start <= cut.length);
    assert.ok(found, `an error starts inside the cut record (bytes ${record.start}..${cut.length}): ${JSON.stringify(diagnostics)}`);
    assert.ok(found.end >= found.start, 'data-end is not before data-start');

    const index = diagnostics.indexOf(found);
    await list.locator('[data-severity]').nth(index).click();
    await moveAway(page); // the selection scrolls; keep the pointer off the tree
    const want = range(found.start, Math.min(found.end, cut.length));
    if (want.length > 0) {
      assert.deepEqual(await waitForHl(page, want), want, `clicking "${found.text}" highlights its bytes`);
    }
  });
});

test('window.dnslab.decode gives the CLI\'s JSON objects for the same text', async (env) => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnslab-e2e-'));
  try {
    const cutFile = path.join(temp, 'cut.txt');
    fs.writeFileSync(cutFile, dnsBytes('f002').subarray(0, 55).toString('hex'));
    const files = [
      ...formatsOf('f002').map(([, name]) => path.join(pastes, name)),
      ...formatsOf('f034').map(([, name]) => path.join(pastes, name)), // TCP, with a length prefix in one format
      cutFile,
    ];
    await withContext(env, {}, async (open) => {
      const page = await open();
      await page.waitForFunction(() => window.dnslab && typeof window.dnslab.decode === 'function', null, { timeout: TIMEOUT });
      const version = await page.evaluate(() => window.dnslab.version);
      const cliVersion = spawnSync(env.cliBin, ['--version'], { encoding: 'utf8' }).stdout.trim().split(/\s+/).pop();
      assert.equal(version, cliVersion, 'dnslab.version is the crate version');
      for (const file of files) {
        const text = fs.readFileSync(file, 'utf8');
        const result = await page.evaluate((input) => window.dnslab.decode(input), text);
        assert.equal(typeof result.format, 'string', `${path.basename(file)}: format is a string`);
        assert.ok(result.format.length > 0, `${path.basename(file)}: format is not empty`);
        const cli = cliDecode(env, file);
        assert.deepEqual(result.messages, cli, `${path.basename(file)}: the same objects as dnslab decode --json`);
        // `layers` is the first message's `input.layers`, as the page contract says.
        assert.deepEqual(result.layers, (cli[0].input && cli[0].input.layers) || [], `${path.basename(file)}: layers`);
      }
      const thrown = await page.evaluate(() => {
        try {
          window.dnslab.decode('this is not hex at all');
          return null;
        } catch (error) {
          return { isError: error instanceof Error, message: String(error.message) };
        }
      });
      assert.ok(thrown, 'dnslab.decode throws when no DNS message is found');
      assert.ok(thrown.isError, 'what it throws is an Error');
      assert.ok(thrown.message.length > 0, 'with a message');
    });
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
});

test('screenshots of a decoded response (light, dark, phone) when DNSLAB_SCREENSHOTS_DIR is set', async (env, t) => {
  const dir = env.screenshotsDir;
  if (!dir) {
    t.skip('DNSLAB_SCREENSHOTS_DIR is not set');
    return;
  }
  fs.mkdirSync(dir, { recursive: true });
  const shots = [
    ['decode-light.png', { colorScheme: 'light' }],
    ['decode-dark.png', { colorScheme: 'dark' }],
    ['decode-phone.png', { viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true }],
  ];
  for (const [name, options] of shots) {
    await withContext(env, options, async (open) => {
      const page = await open();
      await paste(page, readPaste('f002.tshark-x.txt'));
      await fieldsTree(page).waitFor({ state: 'visible', timeout: TIMEOUT });
      const file = path.join(dir, name);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(fs.statSync(file).size > 0, `${name} was written`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      t.diagnostic(`${name}: document scrollWidth ${width}px`);
    });
  }
});
