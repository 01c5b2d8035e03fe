//! What every end-to-end test file shares: dnslab-bridge serving the release site on a free
//! loopback port, and Debian's Chromium launched with the flags it needs as root.
'use strict';

const { spawn } = require('node:child_process');
const { chromium } = require('playwright-core');

/** Starts dnslab-bridge on a free loopback port and resolves with the child and its URL. */
function startBridge(bridgeBin, siteDir) {
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

/** Debian's Chromium, headless; never a downloaded browser. */
function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

module.exports = { startBridge, launchBrowser };
