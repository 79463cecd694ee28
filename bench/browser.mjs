// Browser benchmarks of the release build in headless Chromium (playwright-core), against
// simulators started here on 127.0.0.1: start-up against a static baseline page, search
// latency over 10,000 to 50,000 loaded mailboxes, and the app's overhead on a restore
// against curl. Prints one JSON object of raw samples (milliseconds) to stdout.
//
// Usage: node bench/browser.mjs --dist DIR --baseline DIR --simulator BIN
//          [--loads N] [--search-rounds N] [--search-sizes 10000,20000,50000] [--restores N]
import { execFileSync, spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: options } = parseArgs({
  options: {
    dist: { type: 'string' },
    baseline: { type: 'string' },
    simulator: { type: 'string' },
    loads: { type: 'string', default: '15' },
    'search-rounds': { type: 'string', default: '2' },
    'search-sizes': { type: 'string', default: '10000,20000,50000' },
    restores: { type: 'string', default: '15' },
    'restore-delay-ms': { type: 'string', default: '200' },
  },
});
for (const required of ['dist', 'baseline', 'simulator']) {
  if (!options[required]) throw new Error(`missing --${required}`);
}

const ADMIN = { user: 'administrator', password: 'Restore-Demo-1' };
const CONTOSO_SESSION = '1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01';
// Contoso's mailbox 0, a clean success in the simulator.
const CONTOSO_MAILBOX_0 = '5c0e7f1a-bc28-4d9c-b65c-000000000000';
const M365 = { user: 'admin@contoso.onmicrosoft.com', password: 'M365-Demo-1' };

const log = (message) => process.stderr.write(`[bench] ${message}\n`);

/** Starts a simulator on a free HTTP port and resolves with its URL and a stop function. */
async function startSimulator(args) {
  const child = spawn(options.simulator, ['--http-port', '0', '--no-https', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  let errors = '';
  child.stderr.on('data', (chunk) => { errors += chunk; });
  const url = await new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`simulator did not start:\n${errors}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}:\n${errors}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

// Runs in the page before any of its scripts: records performance.now() (milliseconds since
// the navigation started) when the input labelled "User name" exists and is enabled.
const READY_SCRIPT = `
window.__signInReady = new Promise((resolve) => {
  const ready = () => {
    const label = [...document.querySelectorAll('label')]
      .find((element) => element.textContent.trim() === 'User name');
    const input = label && label.control;
    if (input && !input.disabled && input.isConnected) {
      resolve(performance.now());
      return true;
    }
    return false;
  };
  if (ready()) return;
  const observer = new MutationObserver(() => { if (ready()) observer.disconnect(); });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
});`;

/** Loads `url` in a fresh context (empty cache) and returns the sign-in ready time. */
async function timeLoad(browser, url) {
  const context = await browser.newContext();
  try {
    await context.addInitScript(READY_SCRIPT);
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    return await page.evaluate(() => window.__signInReady);
  } finally {
    await context.close();
  }
}

async function measureStartUp(browser, appUrl, baselineUrl, loads) {
  const app = [];
  const baseline = [];
  // One warm-up load each, not counted: the first process-wide load pays one-off costs.
  await timeLoad(browser, appUrl);
  await timeLoad(browser, baselineUrl);
  for (let i = 0; i < loads; i += 1) {
    // Interleaved, so a slow phase of the machine hits both pages alike.
    app.push(await timeLoad(browser, appUrl));
    baseline.push(await timeLoad(browser, baselineUrl));
  }
  return { app, baseline };
}

async function signIn(page, url) {
  await page.goto(url);
  await page.getByLabel('User name').fill(ADMIN.user);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Signed in as').waitFor();
}

// Runs in the page: sets the search box to `text` and dispatches an input event. Returns
// `settled`, the milliseconds until the page runs its next task (the search and the render
// run in the input handler and its microtasks), `dom`, the milliseconds to the last DOM
// change in the mailbox panel (null if nothing changed), and the match count text.
async function timeKeystroke(text) {
  const input = document.querySelector('#mailbox-search');
  const count = document.querySelector('#mailbox-match-count');
  const panel = input.closest('section') ?? document.body;
  let last = null;
  const observer = new MutationObserver(() => { last = performance.now(); });
  observer.observe(panel, { subtree: true, childList: true, characterData: true, attributes: true });
  // A MessageChannel message is a new task without setTimeout's minimum delay.
  const nextTask = () => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });

  const start = performance.now();
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await nextTask();
  const settled = performance.now() - start;

  // Later tasks may still change the DOM: wait until three tasks in a row change nothing.
  let quiet = 0;
  let seen = last;
  while (quiet < 3 && performance.now() - start < 2_000) {
    await nextTask();
    quiet = last === seen ? quiet + 1 : 0;
    seen = last;
  }
  observer.disconnect();
  return { settled, dom: last === null ? null : last - start, shown: count.textContent.trim() };
}

/** Typing and deleting a name, an e-mail fragment and a name without its accents, one key at a time. */
function typingSequence() {
  const steps = [];
  const type = (word) => {
    for (let i = 1; i <= word.length; i += 1) steps.push(word.slice(0, i));
  };
  const erase = (word) => {
    for (let i = word.length - 1; i >= 0; i -= 1) steps.push(word.slice(0, i));
  };
  type('ivanov');
  erase('ivanov');
  type('.vance0@');
  erase('.vance0@');
  type('nunez');
  erase('nunez');
  return steps;
}

async function measureSearch(browser, url, organization, expected, rounds) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.on('dialog', (dialog) => dialog.accept());
    await signIn(page, url);
    await page.getByRole('button', { name: `Choose ${organization}` }).click();
    await page.getByRole('button', { name: /^Use session/ }).first().click();
    const status = page.locator('#mailbox-load-status');
    await status.filter({ hasText: 'All loaded.' }).waitFor({ timeout: 180_000 });
    const loaded = await status.textContent();
    if (!loaded.includes(expected.toLocaleString('en-US'))) {
      throw new Error(`expected ${expected} mailboxes of ${organization}, status: ${loaded}`);
    }
    // `done` per keystroke: the last DOM change, or the next task when nothing changed.
    const done = [];
    const settled = [];
    const dom = [];
    const shown = [];
    for (let round = 0; round < rounds; round += 1) {
      for (const text of typingSequence()) {
        const keystroke = await page.evaluate(timeKeystroke, text);
        done.push(Math.max(keystroke.settled, keystroke.dom ?? 0));
        settled.push(keystroke.settled);
        if (keystroke.dom !== null) dom.push(keystroke.dom);
        if (round === 0) shown.push(`${JSON.stringify(text)}: ${keystroke.shown}`);
      }
    }
    return { done, settled, dom, shown };
  } finally {
    await context.close();
  }
}

async function measureRestore(browser, url, count) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.on('dialog', (dialog) => dialog.accept());
    await signIn(page, url);
    await page.getByRole('tab', { name: 'Restore by ID' }).or(page.getByRole('button', { name: 'Restore by ID' })).first().click();
    await page.getByLabel('Restore session ID').fill(CONTOSO_SESSION);
    await page.getByLabel('Mailbox ID').fill(CONTOSO_MAILBOX_0);
    await page.getByLabel('User name and password').check();
    await page.getByLabel('Microsoft 365 user name').fill(M365.user);
    await page.getByLabel('Microsoft 365 password').fill(M365.password);

    // The app drops the password once a restore has used it, so it is typed again before
    // each restore, outside the timed part.
    const typePassword = () => page.getByLabel('Microsoft 365 password').fill(M365.password);

    // The first restore is a warm-up; its request gives curl the same body.
    const request = page.waitForRequest((r) => r.url().endsWith('/restore'));
    await page.evaluate(clickRestoreAndWait);
    const body = (await request).postData();
    const path = new URL((await request).url()).pathname;

    const token = JSON.parse(execFileSync('curl', [
      '-s', '-X', 'POST', `${url}/v6/token`,
      '--data-urlencode', 'grant_type=password',
      '--data-urlencode', `username=${ADMIN.user}`,
      '--data-urlencode', `password=${ADMIN.password}`,
    ], { encoding: 'utf8' })).access_token;
    const curlOnce = () => {
      const output = execFileSync('curl', [
        '-s', '-o', '/dev/null', '-w', '%{http_code} %{time_total}',
        '-X', 'POST', `${url}${path}`,
        '-H', `Authorization: Bearer ${token}`,
        '-H', 'Content-Type: application/json',
        '--data-binary', body,
      ], { encoding: 'utf8' });
      const [status, seconds] = output.trim().split(' ');
      if (status !== '200') throw new Error(`curl restore returned HTTP ${status}`);
      return Number(seconds) * 1000;
    };
    curlOnce();

    const app = [];
    const curl = [];
    for (let i = 0; i < count; i += 1) {
      await typePassword();
      app.push(await page.evaluate(clickRestoreAndWait));
      curl.push(curlOnce());
    }
    return { app, curl };
  } finally {
    await context.close();
  }
}

// Runs in the page: clicks "Restore mailbox" and returns the milliseconds until one more
// result record is on the page.
async function clickRestoreAndWait() {
  const button = [...document.querySelectorAll('button')]
    .find((element) => element.textContent.trim() === 'Restore mailbox');
  if (!button) throw new Error('no "Restore mailbox" button');
  const before = document.querySelectorAll('.record').length;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no result within 30 s')), 30_000);
    let start = 0;
    const observer = new MutationObserver(() => {
      if (document.querySelectorAll('.record').length > before) {
        const elapsed = performance.now() - start;
        observer.disconnect();
        clearTimeout(timer);
        resolve(elapsed);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true });
    start = performance.now();
    button.click();
  });
}

const sizes = options['search-sizes'].split(',').filter(Boolean).map(Number);
const restoreDelay = options['restore-delay-ms'];
const simulators = [];
const browser = await launchBrowser();
try {
  // Tailspin Toys gets 10,000 mailboxes here; Fabrikam has 20,000 by default.
  const app = await startSimulator([
    '--static-dir', options.dist, '--restore-delay-ms', restoreDelay,
    '--large-organization-mailboxes', '10000',
  ]);
  simulators.push(app);
  const baseline = await startSimulator(['--static-dir', options.baseline]);
  simulators.push(baseline);

  const result = { restoreDelayMs: Number(restoreDelay), search: {} };
  log(`start-up: ${options.loads} loads each of the app and the baseline`);
  result.startUp = await measureStartUp(browser, `${app.url}/`, `${baseline.url}/`, Number(options.loads));

  for (const size of sizes) {
    let url = app.url;
    let organization = 'Tailspin Toys';
    if (size === 20000) {
      organization = 'Fabrikam, Inc.';
    } else if (size !== 10000) {
      const large = await startSimulator([
        '--static-dir', options.dist, '--large-organization-mailboxes', String(size),
      ]);
      simulators.push(large);
      url = large.url;
    }
    log(`search: ${size} mailboxes (${organization})`);
    result.search[size] = await measureSearch(browser, url, organization, size, Number(options['search-rounds']));
  }

  log(`restore: ${options.restores} restores through the app and with curl`);
  result.restore = await measureRestore(browser, app.url, Number(options.restores));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await browser.close();
  for (const simulator of simulators) simulator.stop();
}
