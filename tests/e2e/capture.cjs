//! End-to-end tests of capture files on Decode, against tshark's reading of the same files and
//! /work/shared/PAGE-CONTRACT.md (the `Packets` table, `data-packet`, the filter box): the packet
//! list's columns, query/response pairing, the filter, and a large capture read in steps.
//! A suite of all.test.cjs.
'use strict';

const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { suite, withContext, TIMEOUT, repoRoot, pastedFrameBytes } = require('./harness.cjs');

const { tests, test } = suite();
module.exports = tests;

const captures = path.join(repoRoot, 'crates/dnslab-core/tests/data/captures');
const CAPTURE_FILES = ['example-com-ethernet.pcapng', 'example-com-sll2.pcapng'];

/** tshark's DNS packets of `file`: number, source, destination, length, Info, and pairing. */
function tsharkPackets(file) {
  const run = spawnSync('tshark', ['-r', file, '-Y', 'dns', '-T', 'fields', '-E', 'separator=\t',
    '-e', 'frame.number', '-e', '_ws.col.Source', '-e', '_ws.col.Destination', '-e', 'frame.len',
    '-e', '_ws.col.Info', '-e', 'dns.flags.response', '-e', 'dns.response_to', '-e', 'dns.id'], { encoding: 'utf8' });
  assert.equal(run.status, 0, `tshark reads ${file}: ${run.stderr}`);
  return run.stdout.split('\n').filter((line) => line.trim() !== '').map((line) => {
    const [number, source, destination, length, info, response, responseTo, id] = line.split('\t');
    return { number, source, destination, length, info, response: response === 'True' || response === '1', responseTo, id };
  });
}

/** The rows of the packet list now on screen, by their cells. */
async function shownRows(page) {
  return page.locator('table[aria-label="Packets"] tbody tr[data-packet]').evaluateAll((rows) => rows.map((row) => {
    const cells = [...row.querySelectorAll('td')].map((cell) => cell.innerText.trim());
    return {
      packet: row.dataset.packet,
      selected: row.getAttribute('aria-selected') === 'true',
      cells,
    };
  }));
}

/** Every row of the packet list, scrolling it from top to bottom (it renders the rows in view). */
async function allRows(page) {
  const list = page.locator('.packet-list');
  await list.evaluate((element) => { element.scrollTop = 0; });
  const seen = new Map();
  for (let pass = 0; pass < 1000; pass += 1) {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    for (const row of await shownRows(page)) seen.set(row.packet, row);
    const atEnd = await list.evaluate((element) => {
      if (element.scrollTop + element.clientHeight >= element.scrollHeight - 1) return true;
      element.scrollTop += Math.max(1, element.clientHeight - 40);
      element.dispatchEvent(new Event('scroll'));
      return false;
    });
    if (atEnd) break;
  }
  return [...seen.values()].sort((left, right) => Number(left.packet) - Number(right.packet));
}

async function openCapture(page, file) {
  await page.locator('input[type=file]').setInputFiles(file);
  await page.locator('table[aria-label="Packets"] tr[data-packet]').first().waitFor({ timeout: TIMEOUT });
}

test('each capture file lists its DNS packets as tshark does, and a response selects its query', async (env) => {
  await withContext(env, {}, async (open) => {
    for (const name of CAPTURE_FILES) {
      const file = path.join(captures, name);
      const expected = tsharkPackets(file);
      assert.ok(expected.length >= 8, `${name}: tshark finds DNS packets`);
      const page = await open('#decode');
      await openCapture(page, file);
      const rows = await allRows(page);
      assert.deepEqual(rows.map((row) => row.packet), expected.map((packet) => packet.number), `${name}: the same packets`);
      for (const [index, packet] of expected.entries()) {
        const [number, , source, destination, protocol, length, info] = rows[index].cells;
        assert.equal(number, packet.number, `${name}: No. of ${packet.number}`);
        assert.equal(source, packet.source, `${name}: Source of ${packet.number}`);
        assert.equal(destination, packet.destination, `${name}: Destination of ${packet.number}`);
        assert.equal(protocol, 'DNS');
        assert.equal(length, packet.length, `${name}: Length of ${packet.number}`);
        assert.ok(info.startsWith(packet.info), `${name}: Info of ${packet.number} is tshark's: ${JSON.stringify(info)} vs ${JSON.stringify(packet.info)}`);
        if (packet.responseTo) {
          assert.match(info, new RegExp(`\\[\\d+\\.\\d{6} s\\] answers ${packet.responseTo}$`), `${name}: ${packet.number} answers ${packet.responseTo}, with its time`);
        }
      }
      // Select a response, then follow its link to the query.
      await page.locator('.packet-list').evaluate((element) => { element.scrollTop = 0; element.dispatchEvent(new Event('scroll')); });
      const response = expected.find((packet) => packet.response && packet.responseTo);
      const responseRow = page.locator(`tr[data-packet="${response.number}"]`);
      await responseRow.click();
      await page.locator(`tr[data-packet="${response.number}"][aria-selected="true"]`).waitFor({ timeout: TIMEOUT });
      await page.getByRole('treeitem', { name: /^Domain Name System \(response\)/ }).waitFor({ timeout: TIMEOUT });
      await responseRow.getByText(`answers ${response.responseTo}`).click();
      await page.locator(`tr[data-packet="${response.responseTo}"][aria-selected="true"]`).waitFor({ timeout: TIMEOUT });
      await page.getByRole('treeitem', { name: /^Domain Name System \(query\)/ }).waitFor({ timeout: TIMEOUT });
      const id = Number(response.id).toString(16).padStart(4, '0');
      await page.getByRole('treeitem', { name: new RegExp(`Transaction ID: 0x${id}`) }).waitFor({ timeout: TIMEOUT });
      await page.close();
    }
  });
});

test('the filter box keeps the rows it names: responses, an ID, a type, an rcode', async (env) => {
  const file = path.join(captures, 'example-com-sll2.pcapng');
  const expected = tsharkPackets(file);
  await withContext(env, {}, async (open) => {
    const page = await open('#decode');
    await openCapture(page, file);
    const filter = page.getByLabel('Filter');
    // The rows once the filter has applied: the hint counts the rows it keeps.
    const numbersFor = async (text, expectedCount) => {
      await filter.fill(text);
      await page.waitForFunction((count) => {
        const hint = [...document.querySelectorAll('.packet-tools .hint')].map((element) => element.innerText).join(' ');
        return hint.startsWith(`${count} of `);
      }, expectedCount, { timeout: TIMEOUT }).catch(() => {});
      return (await allRows(page)).map((row) => row.packet);
    };
    const responses = expected.filter((packet) => packet.response).map((packet) => packet.number);
    assert.deepEqual(await numbersFor('response', responses.length), responses, 'response');
    const queries = expected.filter((packet) => !packet.response).map((packet) => packet.number);
    assert.deepEqual(await numbersFor('query', queries.length), queries, 'query');
    const first = expected[0];
    const id = `0x${Number(first.id).toString(16).padStart(4, '0')}`;
    const withId = expected.filter((packet) => packet.id === first.id).map((packet) => packet.number);
    assert.deepEqual(await numbersFor(`id=${id}`, withId.length), withId, `id=${id}`);
    const mx = expected.filter((packet) => / MX /.test(` ${packet.info.split(' ').slice(0, 5).join(' ')} `)).map((packet) => packet.number);
    assert.ok(mx.length >= 2, 'the capture has MX queries and responses');
    assert.deepEqual(await numbersFor('mx', mx.length), mx, 'mx');
    const nxdomain = expected.filter((packet) => packet.info.includes('No such name')).map((packet) => packet.number);
    assert.ok(nxdomain.length >= 1, 'the capture has an NXDOMAIN');
    assert.deepEqual(await numbersFor('nxdomain response', nxdomain.length), nxdomain, 'nxdomain response');
    assert.deepEqual(await numbersFor('no-such-name-anywhere', 0), [], 'a word nothing matches');
    assert.deepEqual(await numbersFor('', expected.length), expected.map((packet) => packet.number), 'an empty filter');
    await page.close();
  });
});

/** A little-endian microsecond pcap of Ethernet `frames`, 100 µs apart. */
function pcapOf(frames) {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20);
  const parts = [header];
  frames.forEach((frame, index) => {
    const record = Buffer.alloc(16);
    record.writeUInt32LE(1700000000 + Math.floor(index / 10000), 0);
    record.writeUInt32LE((index % 10000) * 100, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    parts.push(record, frame);
  });
  return Buffer.concat(parts);
}

test('a large capture is read in steps with its progress shown, then listed whole', async (env) => {
  const query = pastedFrameBytes('f001');
  const response = pastedFrameBytes('f002');
  // 20,000 exchanges, each with its own ID (the DNS ID follows Ethernet, IPv4 and UDP headers).
  const exchanges = 20000;
  const frames = [];
  for (let exchange = 0; exchange < exchanges; exchange += 1) {
    for (const template of [query, response]) {
      const frame = Buffer.from(template);
      frame.writeUInt16BE(exchange, 42);
      frames.push(frame);
    }
  }
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dnslab-e2e-capture-'));
  const file = path.join(directory, 'large.pcap');
  fs.writeFileSync(file, pcapOf(frames));
  try {
    await withContext(env, {}, async (open) => {
      const page = await open('#decode');
      await page.evaluate(() => {
        window.progressTexts = [];
        new MutationObserver(() => {
          const status = document.querySelector('[data-testid="load-progress"]');
          if (status && status.querySelector('progress')) window.progressTexts.push(status.innerText.trim());
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      await openCapture(page, file);
      const progress = await page.evaluate(() => window.progressTexts);
      assert.ok(progress.length >= 2, `the progress was shown as the capture was read: ${JSON.stringify(progress)}`);
      assert.ok(progress.some((text) => /Reading frames: [\d,]+ of 40,000/.test(text)), `frames counted: ${JSON.stringify(progress)}`);
      assert.equal(await page.getByTestId('load-progress').count(), 0, 'the progress is gone once the list shows');
      await page.getByText('40000 of 40000 DNS messages').waitFor({ timeout: TIMEOUT });
      // Every response found its query: the last one answers the frame before it.
      const list = page.locator('.packet-list');
      await page.locator('tr[data-packet="1"]').click();
      await list.press('End');
      const last = page.locator('tr[data-packet="40000"][aria-selected="true"]');
      await last.waitFor({ timeout: TIMEOUT });
      assert.match(await last.innerText(), /answers 39999/);
      await page.getByRole('treeitem', { name: /Transaction ID: 0x4e1f/ }).waitFor({ timeout: TIMEOUT });
      await page.close();
    });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});
