// End-to-end through the deployment: nginx, rendered from deploy/ by deploy/render.sh,
// serves the post-built app with its security headers and forwards /v6/ over HTTPS to the
// simulator, verifying the simulator's certificate. Chromium loads the app from nginx.
// The /sim control calls go straight to the simulator's HTTP port; nginx does not forward
// /sim.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  ADMIN, APPLICATION_ID, CONTOSO_SESSION, M365,
  fillCertificate, fillMailbox, fillUserPassword, foundInWasmMemory, launchBrowser, makePfx,
  makeServerCertificate, requireNginx, shownCounts, signIn, simulatorClient, startNginx, startTlsSimulator,
  watchWasmMemory,
} from './harness.mjs';

const root = resolve(import.meta.dirname, '..');
const DIST = resolve(process.env.APP_DIST ?? join(root, 'dist'));
const DIST_RESTORE = resolve(process.env.APP_DIST_RESTORE ?? join(root, 'target/dist-restore'));

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
const IMMUTABLE = 'public, max-age=31536000, immutable';
// trunk writes its hash as hex without leading zeros, so its length varies.
const HASHED = /-[0-9a-f]{1,16}(_bg)?\.(js|wasm|css)$/;

let simulator;
let sim;
let serverTls;
let nginx;
let browser;
let mailboxes;
let context;
let page;
let watch;
const extraServers = [];

/** Fails the suite, naming the command that fixes it, when a dist dir is not ready for nginx. */
function requirePostBuiltDist(dist, publicUrl, buildCommand) {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) {
    throw new Error(`${index} not found; build it with: ${buildCommand} && scripts/post-build.sh ${dist}`);
  }
  const html = readFileSync(index, 'utf8');
  if (html.includes('<script type="module">')) {
    throw new Error(`${index} still has trunk's inline start-up script; run scripts/post-build.sh ${dist}`);
  }
  if (!html.includes(`src="${publicUrl}boot-`)) {
    throw new Error(`${index} does not load ${publicUrl}boot-<hash>.js; build it with: ${buildCommand}`);
  }
}

before(async () => {
  requireNginx();
  requirePostBuiltDist(DIST, '/', 'trunk build --release');
  requirePostBuiltDist(DIST_RESTORE, '/restore/', `trunk build --release --public-url /restore/ --dist ${DIST_RESTORE}`);
  simulator = await startTlsSimulator();
  sim = simulatorClient(simulator.url);
  mailboxes = await sim.mailboxes(CONTOSO_SESSION, 10);
  serverTls = makeServerCertificate();
  nginx = await startNginx({
    dist: DIST, upstreamPort: simulator.httpsPort, caFile: simulator.certificate, tls: serverTls,
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const server of extraServers) await server.stop();
  await nginx?.stop();
  await simulator?.stop();
});

beforeEach(async () => {
  if (simulator.exit()) {
    const tail = simulator.log().split('\n').slice(-20).join('\n');
    throw new Error(`the simulator exited (${JSON.stringify(simulator.exit())}); last log lines:\n${tail}`);
  }
  await sim.reset();
  // A test may leave its context closed already; that is not this test's failure.
  await context?.close().catch(() => {});
  context = await browser.newContext();
  ({ page, watch } = await watchedPage(context));
});

/** Starts a server for one test and stops it after the suite, even when the test fails. */
async function extra(server) {
  extraServers.push(server);
  return server;
}

/**
 * Opens a page that records console messages, page errors, Content-Security-Policy
 * violations and the tokens that /v6/token returned.
 */
async function watchedPage(browserContext) {
  const newPage = await browserContext.newPage();
  const record = { console: [], pageErrors: [], tokens: [] };
  newPage.on('console', (message) => record.console.push({ type: message.type(), text: message.text() }));
  newPage.on('pageerror', (error) => record.pageErrors.push(String(error)));
  newPage.on('response', async (response) => {
    if (!/\/v6\/token$/i.test(new URL(response.url()).pathname) || !response.ok()) return;
    const body = await response.json().catch(() => null);
    if (body?.access_token) record.tokens.push(body.access_token);
    if (body?.refresh_token) record.tokens.push(body.refresh_token);
  });
  await newPage.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(
        `${event.effectiveDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  return { page: newPage, watch: record };
}

const cspViolations = (target = page) => target.evaluate(() => window.__cspViolations);
const consoleErrors = (record = watch) => record.console.filter((m) => m.type === 'error').map((m) => m.text);

/** Mailbox by its index in the organization; the simulator's outcome follows index % 10. */
const mailbox = (index) => mailboxes[index].id;

async function openSignedIn(url = nginx.url, target = page) {
  await target.goto(url);
  await signIn(target);
  await target.getByText('Signed in as').waitFor();
}

async function restoreAndWait(target = page) {
  const response = target.waitForResponse((r) => r.url().endsWith('/restore'));
  await target.getByRole('button', { name: 'Restore mailbox' }).click();
  return (await response).json().catch(() => null);
}

/** Makes the simulator answer the next valid restore with status 200 and `body`. */
async function replaceNextRestoreBody(body, contentType = 'application/json') {
  await sim.faults({ nextRestore: { status: 200, contentType, body } });
}

/** Counts the restores the simulator started, from its log: it logs each one as it begins. */
const restoresStarted = () => simulator.log().match(/restore started/g)?.length ?? 0;

/** Sends a raw GET, so Content-Encoding and the compressed bytes stay as nginx sent them. */
function get(url, headers = {}) {
  const isHttps = url.startsWith('https:');
  const send = isHttps ? httpsRequest : httpRequest;
  const options = isHttps ? { headers, ca: readFileSync(serverTls.cert) } : { headers };
  return new Promise((resolveResponse, reject) => {
    const outgoing = send(url, options, (incoming) => {
      const chunks = [];
      incoming.on('data', (chunk) => chunks.push(chunk));
      incoming.on('end', () => resolveResponse({
        status: incoming.statusCode, headers: incoming.headers, body: Buffer.concat(chunks),
      }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const hashedAssets = () => readdirSync(DIST).filter((name) => HASHED.test(name));
const wasmFile = () => hashedAssets().find((name) => name.endsWith('.wasm'));

describe('nginx headers', () => {
  test('CSP header exact', async () => {
    const response = await get(nginx.url);
    assert.equal(response.headers['content-security-policy'], CSP);
  });

  test('frame-ancestors none', async () => {
    const response = await get(nginx.url);
    assert.match(response.headers['content-security-policy'], /(^|; )frame-ancestors 'none'(;|$)/);
  });

  test('nosniff and no referrer', async () => {
    const response = await get(nginx.url);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['referrer-policy'], 'no-referrer');
  });

  test('wasm served as application/wasm', async () => {
    const response = await get(`${nginx.origin}/${wasmFile()}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/wasm');
  });

  test('brotli sent when accepted', async () => {
    const original = readFileSync(join(DIST, wasmFile()));
    const response = await get(`${nginx.origin}/${wasmFile()}`, { 'Accept-Encoding': 'gzip, br' });
    assert.equal(response.headers['content-encoding'], 'br');
    assert.equal(response.headers.vary, 'Accept-Encoding');
    assert.ok(brotliDecompressSync(response.body).equals(original), 'the .br file decodes to the .wasm file');
  });

  test('gzip sent when accepted', async () => {
    const original = readFileSync(join(DIST, wasmFile()));
    const response = await get(`${nginx.origin}/${wasmFile()}`, { 'Accept-Encoding': 'gzip' });
    assert.equal(response.headers['content-encoding'], 'gzip');
    assert.ok(gunzipSync(response.body).equals(original), 'the .gz file decodes to the .wasm file');
  });

  test('identity without Accept-Encoding', async () => {
    const response = await get(`${nginx.origin}/${wasmFile()}`);
    assert.equal(response.headers['content-encoding'], undefined);
    assert.ok(response.body.equals(readFileSync(join(DIST, wasmFile()))));
  });

  test('hashed assets cached immutable', async () => {
    const assets = hashedAssets();
    assert.ok(assets.some((name) => name.startsWith('boot-')), `no boot-<hash>.js in ${assets}`);
    assert.equal(assets.length, 4, `expected css, glue js, wasm and boot js: ${assets}`);
    for (const name of assets) {
      const response = await get(`${nginx.origin}/${name}`);
      assert.equal(response.headers['cache-control'], IMMUTABLE, name);
    }
  });

  test('index and config not stored', async () => {
    for (const path of ['/', '/index.html', '/config.json', '/some/app/route']) {
      const response = await get(nginx.origin + path);
      assert.equal(response.headers['cache-control'], 'no-store', path);
    }
  });

  test('config.json not precompressed', async () => {
    const response = await get(`${nginx.origin}/config.json`, { 'Accept-Encoding': 'gzip, br' });
    assert.equal(response.headers['content-encoding'], undefined);
    assert.equal(JSON.parse(response.body).apiVersion, 'v6');
  });

  test('app route falls back to index', async () => {
    const response = await get(`${nginx.origin}/some/app/route`);
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'], /^text\/html/);
    assert.equal(response.body.toString(), readFileSync(join(DIST, 'index.html'), 'utf8'));
  });

  test('missing asset is 404', async () => {
    const response = await get(`${nginx.origin}/missing-0123456789abcdef.js`);
    assert.equal(response.status, 404);
    assert.equal(response.headers['cache-control'], undefined);
  });

  test('unknown API route is simulator 404', async () => {
    const response = await get(`${nginx.origin}/v6/No/Such/Route.json`);
    assert.equal(response.status, 404);
    assert.match(response.headers['content-type'], /^application\/json/);
    assert.match(JSON.parse(response.body).message, /No HTTP resource was found/);
  });

  test('v7 and v8 forwarded too', async () => {
    for (const version of ['v7', 'v8']) {
      // The simulator implements v6 only, so its 404 (text/plain, without the app's headers)
      // shows that the request reached it and not the app's files.
      const response = await get(`${nginx.origin}/${version}/Organizations`);
      assert.equal(response.status, 404, version);
      assert.match(response.headers['content-type'], /^text\/plain/, version);
      assert.equal(response.headers['content-security-policy'], undefined, version);
    }
  });

  test('sim control API not forwarded', async () => {
    const response = await get(`${nginx.origin}/sim/restores`);
    assert.notEqual(response.headers['content-type'], 'application/json');
    assert.match(response.body.toString(), /<!DOCTYPE html>/);
  });

  test('HSTS over HTTPS only', async () => {
    const secure = await get(nginx.httpsOrigin + '/');
    assert.equal(secure.status, 200);
    assert.equal(secure.headers['strict-transport-security'], 'max-age=31536000');
    assert.equal(secure.headers['content-security-policy'], CSP);
    const plain = await get(nginx.url);
    assert.equal(plain.headers['strict-transport-security'], undefined);
  });
});

describe('app under CSP', () => {
  test('restore shows no violations', async () => {
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await restoreAndWait();
    await page.locator('.record').first().waitFor();
    assert.equal(await page.locator('.record h3').first().textContent(), 'Restore completed');
    assert.deepEqual(await cspViolations(), []);
    assert.deepEqual(consoleErrors(), []);
    assert.deepEqual(watch.pageErrors, []);
  });

  test('HTTPS page restores', async () => {
    const secureContext = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const secure = await watchedPage(secureContext);
      await openSignedIn(`${nginx.httpsOrigin}/`, secure.page);
      await fillMailbox(secure.page, CONTOSO_SESSION, mailbox(0));
      await fillUserPassword(secure.page);
      await restoreAndWait(secure.page);
      await secure.page.locator('.record').first().waitFor();
      assert.equal(await secure.page.locator('.record h3').first().textContent(), 'Restore completed');
      assert.deepEqual(await cspViolations(secure.page), []);
      assert.deepEqual(consoleErrors(secure.watch), []);
    } finally {
      await secureContext.close();
    }
  });
});

describe('sub-path /restore/', () => {
  let subPath;

  before(async () => {
    subPath = await extra(await startNginx({
      dist: DIST_RESTORE, appPath: '/restore/', upstreamPort: simulator.httpsPort, caFile: simulator.certificate,
    }));
  });

  test('sign-in and restore work', async () => {
    await openSignedIn(subPath.url);
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await restoreAndWait();
    await page.locator('.record').first().waitFor();
    assert.equal(await page.locator('.record h3').first().textContent(), 'Restore completed');
    assert.equal((await sim.restores()).length, 1);
    assert.deepEqual(await cspViolations(), []);
    assert.deepEqual(consoleErrors(), []);
  });

  test('certificate check loads under sub-path', async () => {
    const pfx = makePfx();
    const module = page.waitForResponse((response) =>
      new URL(response.url()).pathname === '/restore/certificate-check_bg.wasm');
    await openSignedIn(subPath.url);
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillCertificate(page, pfx);
    assert.equal((await module).status(), 200);
    await page.locator('#certificate-password-verdict')
      .filter({ hasText: 'The password opens this PFX file.' }).waitFor();
    assert.deepEqual(await cspViolations(), []);
    assert.deepEqual(consoleErrors(), []);
    assert.deepEqual(watch.pageErrors, []);
  });

  test('app route under sub-path loads', async () => {
    const missing = [];
    page.on('response', (response) => { if (response.status() >= 400) missing.push(new URL(response.url()).pathname); });
    const config = page.waitForResponse((response) => new URL(response.url()).pathname === '/restore/config.json');
    const document = await page.goto(`${subPath.origin}/restore/some/app/route`);
    assert.equal(document.status(), 200);
    await assert.doesNotReject(page.getByLabel('User name').waitFor());
    // index.html's <base> makes config.json resolve to /restore/config.json on any route.
    assert.equal((await config).status(), 200);
    assert.deepEqual(missing, []);
    assert.deepEqual(await cspViolations(), []);
  });

  test('path without slash redirects', async () => {
    const response = await get(`${subPath.origin}/restore`);
    assert.equal(response.status, 301);
    assert.match(response.headers.location, /\/restore\/$/);
  });

  test('paths outside sub-path are 404', async () => {
    for (const path of ['/', '/index.html', '/config.json']) {
      const response = await get(subPath.origin + path);
      assert.equal(response.status, 404, path);
    }
  });

  test('hashed asset cached under sub-path', async () => {
    const wasm = readdirSync(DIST_RESTORE).find((name) => HASHED.test(name) && name.endsWith('_bg.wasm'));
    const response = await get(`${subPath.origin}/restore/${wasm}`, { 'Accept-Encoding': 'br' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/wasm');
    assert.equal(response.headers['content-encoding'], 'br');
    assert.equal(response.headers['cache-control'], IMMUTABLE);
  });
});

describe('faults through nginx', () => {
  test('expired access token renewed once', async () => {
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await sim.expireAccessTokens();
    await restoreAndWait();
    await page.locator('.record').first().waitFor();
    assert.equal(await page.locator('.record h3').first().textContent(), 'Restore completed');
    const counts = await sim.tokenRequests();
    assert.equal(counts.refreshToken, 1);
    assert.equal(counts.password, 1);
    assert.equal((await sim.restores()).filter((r) => r.status === 200).length, 1);
  });

  test('rejected refresh asks sign-in, keeps form', async () => {
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await sim.expireAllTokens();
    await page.getByRole('button', { name: 'Restore mailbox' }).click();
    await assert.doesNotReject(page.getByText('Your VB365 sign-in has expired.').waitFor());
    assert.equal((await sim.restores()).length, 0);

    await signIn(page);
    await page.getByText('Signed in as').waitFor();
    assert.equal(await page.getByLabel('Mailbox ID').inputValue(), mailbox(0));
    assert.equal(await page.getByLabel('Microsoft 365 user name').inputValue(), M365.user);
    assert.equal(await page.getByLabel('Microsoft 365 password').inputValue(), M365.password);
    await restoreAndWait();
    await page.locator('.record').first().waitFor();
    assert.equal(await page.locator('.record h3').first().textContent(), 'Restore completed');
  });

  test('throttled sign-in shows wait once', async () => {
    await sim.faults({ tokenThrottled: true });
    await page.goto(nginx.url);
    await signIn(page);
    const alert = page.getByRole('alert').filter({ hasText: 'Quota Exceeded' });
    await alert.waitFor();
    assert.match(await alert.textContent(), /Wait \d+ seconds/);
    assert.equal(await page.getByRole('button', { name: /Sign in \(wait/ }).isDisabled(), true);
    await page.waitForTimeout(2000);
    const counts = await sim.tokenRequests();
    assert.equal(counts.throttled, 1);
    assert.equal(counts.password, 0);
  });

  test('server 500 message shown', async () => {
    await sim.faults({
      nextRestore: { status: 500, contentType: 'application/json', body: '{"message":"Exchange backup proxy is offline."}' },
    });
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await restoreAndWait();
    const alert = page.getByRole('alert').filter({ hasText: 'Exchange backup proxy is offline.' });
    await assert.doesNotReject(alert.waitFor());
    assert.match(await alert.textContent(), /HTTP 500/);
  });

  test('nginx 504 names the session', async () => {
    const shortTimeout = await extra(await startNginx({
      dist: DIST, upstreamPort: simulator.httpsPort, caFile: simulator.certificate, proxyTimeout: '2s',
    }));
    await sim.faults({ restoreDelayMs: 5000 });
    await openSignedIn(shortTimeout.url);
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    const startedBefore = restoresStarted();
    const started = Date.now();
    const response = page.waitForResponse((r) => r.url().endsWith('/restore'));
    await page.getByRole('button', { name: 'Restore mailbox' }).click();
    assert.equal((await response).status(), 504);

    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.textContent();
    assert.match(text, /HTTP 504/);
    assert.match(text, /may still be running/);
    assert.match(text, new RegExp(CONTOSO_SESSION));
    assert.match(shortTimeout.errorLog(), /upstream timed out/);

    // Wait past the simulator's 5 s delay, so a resent request would have shown up.
    await page.waitForTimeout(Math.max(0, started + 6500 - Date.now()));
    assert.equal(restoresStarted() - startedBefore, 1);
    const forwarded = readFileSync(join(shortTimeout.runDir, 'access.log'), 'utf8').match(/"POST [^"]*\/restore /g);
    assert.equal(forwarded?.length, 1);
    // The simulator records a restore as it starts; nginx hung up before the answer.
    const records = await sim.restores();
    assert.equal(records.length, 1);
    assert.equal(records[0].status, 0);
  });

  test('upstream down gives explained 502', async () => {
    const ownSimulator = await extra(await startTlsSimulator());
    const ownNginx = await extra(await startNginx({
      dist: DIST, upstreamPort: ownSimulator.httpsPort, caFile: ownSimulator.certificate,
    }));
    await openSignedIn(ownNginx.url);
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await ownSimulator.stop();

    const response = page.waitForResponse((r) => r.url().endsWith('/restore'));
    await page.getByRole('button', { name: 'Restore mailbox' }).click();
    const gateway = await response;
    assert.equal(gateway.status(), 502);
    assert.match(gateway.headers()['content-type'], /^text\/html/);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.textContent();
    assert.match(text, /HTTP 502/);
    assert.match(text, /proxy, not from VB365/);
    assert.match(text, new RegExp(CONTOSO_SESSION));
  });

  test('nginx down, then retry works', async () => {
    const ownNginx = await extra(await startNginx({
      dist: DIST, upstreamPort: simulator.httpsPort, caFile: simulator.certificate,
    }));
    await openSignedIn(ownNginx.url);
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await ownNginx.stop();

    await page.getByRole('button', { name: 'Restore mailbox' }).click();
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: 'could not be reached' }).waitFor());
    assert.equal((await sim.restores()).length, 0);

    await ownNginx.start();
    assert.equal(await page.getByLabel('Mailbox ID').inputValue(), mailbox(0));
    assert.equal(await page.getByLabel('Microsoft 365 password').inputValue(), M365.password);
    await restoreAndWait();
    await page.locator('.record[data-verdict="succeeded"]').waitFor();
    assert.equal((await sim.restores()).length, 1);
  });

  test('cannotContinueError shown as failure', async () => {
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(9));
    await fillUserPassword(page);
    const body = await restoreAndWait();
    assert.match(body.cannotContinueError, /Cannot open user mailbox/);
    const record = page.locator('.record').first();
    await record.waitFor();
    assert.equal(await record.getAttribute('data-verdict'), 'failed');
    assert.equal(await record.locator('h3').textContent(), 'Restore failed');
    assert.match(await record.locator('.cannot-continue').textContent(), /Cannot open user mailbox/);
  });

  test('malformed JSON explained, page works', async () => {
    await replaceNextRestoreBody('{"createdItemsCount": "many"');
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await restoreAndWait();
    const alert = page.getByRole('alert').filter({ hasText: 'cannot read' });
    await assert.doesNotReject(alert.waitFor());
    assert.match(await alert.textContent(), /HTTP 200/);
    assert.match(await alert.textContent(), new RegExp(`The restore has run: check restore session ${CONTOSO_SESSION}`));
    assert.equal(await page.locator('.record[data-verdict="succeeded"]').count(), 0);

    // The restore ran, so its password was used and dropped.
    assert.equal(await page.getByLabel('Microsoft 365 password').inputValue(), '');
    await page.getByLabel('Mailbox ID').fill(mailbox(1));
    await page.getByLabel('Microsoft 365 password').fill(M365.password);
    await restoreAndWait();
    await assert.doesNotReject(page.locator('.record[data-verdict="succeeded"]').waitFor());
    assert.deepEqual(watch.pageErrors, []);
  });

  test('unknown fields in 200 ignored', async () => {
    const body = {
      createdItemsCount: 7, mergedItemsCount: 1, failedItemsCount: 0, skippedItemsCount: 2,
      failedFoldersCount: 0, warnings: [], exceptions: [], cannotContinueError: null,
      restoredItemsSizeBytes: 1234, details: { future: true }, _links: { self: { href: '/v6/x' } },
    };
    await replaceNextRestoreBody(JSON.stringify(body));
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await restoreAndWait();
    const record = page.locator('.record').first();
    await record.waitFor();
    assert.equal(await record.getAttribute('data-verdict'), 'succeeded');
    assert.equal((await shownCounts(page)).createdItemsCount, 7);
    assert.equal((await shownCounts(page)).skippedItemsCount, 2);
  });
});

describe('secrets', () => {
  /** Reads every place in the browser where the app could have left something. */
  async function browserState() {
    const state = await page.evaluate(async () => ({
      localStorage: JSON.stringify(Object.entries(localStorage)),
      sessionStorage: JSON.stringify(Object.entries(sessionStorage)),
      indexedDB: JSON.stringify(await indexedDB.databases()),
      cacheStorage: JSON.stringify(await caches.keys()),
      documentCookie: document.cookie,
      url: location.href,
      historyLength: history.length,
      historyState: JSON.stringify(history.state),
      historyEntries: JSON.stringify(navigation.entries().map((entry) => entry.url)),
    }));
    state.cookies = JSON.stringify(await context.cookies());
    state.console = watch.console.map((message) => message.text).join('\n');
    return state;
  }

  /** Asserts that no place contains any secret, naming the place and the secret. */
  function assertNoSecrets(state, secrets) {
    for (const [secretName, secret] of Object.entries(secrets)) {
      assert.ok(secret?.length >= 8, `${secretName} is missing or too short to search for`);
      for (const [place, text] of Object.entries(state)) {
        assert.ok(!String(text).includes(secret), `${place} contains the ${secretName}`);
      }
    }
  }

  /** Checks storage, cookies and history for being empty, beside the secret search. */
  async function assertNothingKept(loadedHistoryLength) {
    const state = await browserState();
    assert.equal(state.localStorage, '[]');
    assert.equal(state.sessionStorage, '[]');
    assert.equal(state.indexedDB, '[]');
    assert.equal(state.cacheStorage, '[]');
    assert.equal(state.documentCookie, '');
    assert.equal(state.cookies, '[]');
    assert.equal(state.url, nginx.url);
    assert.equal(state.historyLength, loadedHistoryLength);
    assert.equal(state.historyState, 'null');
    return state;
  }

  const tokenSecrets = () => Object.fromEntries(watch.tokens.map((token, i) => [`token ${i}`, token]));

  test('user and password leave nothing', async () => {
    await watchWasmMemory(page);
    await openSignedIn();
    const loadedHistoryLength = await page.evaluate(() => history.length);
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await sim.expireAccessTokens();
    await restoreAndWait();
    await page.locator('.record[data-verdict="succeeded"]').waitFor();
    assert.equal(watch.tokens.length, 4, 'two token pairs: the sign-in and one renewal');

    const state = await assertNothingKept(loadedHistoryLength);
    assertNoSecrets(state, {
      'administrator password': ADMIN.password, 'Microsoft 365 password': M365.password, ...tokenSecrets(),
    });
    // The page itself keeps only the tokens it still needs.
    const held = await foundInWasmMemory(page, {
      'administrator password': ADMIN.password, 'Microsoft 365 password': M365.password, ...tokenSecrets(),
    });
    assert.deepEqual(held, ['token 2', 'token 3'], 'only the renewed token pair is held');
  });

  test('device code leaves nothing', async () => {
    await watchWasmMemory(page);
    await openSignedIn();
    const loadedHistoryLength = await page.evaluate(() => history.length);
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await page.getByLabel('Device code').check();
    await page.getByLabel('Entra application ID').fill(APPLICATION_ID);
    await page.getByRole('button', { name: 'Get code' }).click();
    const code = (await page.locator('#device-code-value').textContent()).trim();
    await sim.signInDeviceCode(code);
    await restoreAndWait();
    await page.locator('.record[data-verdict="succeeded"]').waitFor();
    assert.equal(watch.tokens.length, 2);

    const state = await assertNothingKept(loadedHistoryLength);
    assertNoSecrets(state, { 'administrator password': ADMIN.password, ...tokenSecrets() });
    assert.deepEqual(await foundInWasmMemory(page, { 'administrator password': ADMIN.password }), []);
  });

  test('certificate leaves nothing', async () => {
    const pfx = makePfx({ password: 'Pfx-Secret-Pass-7' });
    const base64 = pfx.bytes.toString('base64');
    await watchWasmMemory(page);
    await openSignedIn();
    const loadedHistoryLength = await page.evaluate(() => history.length);
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillCertificate(page, pfx);
    await restoreAndWait();
    await page.locator('.record[data-verdict="succeeded"]').waitFor();
    assert.equal((await sim.restores())[0].certificateSha256, pfx.sha256);

    const state = await assertNothingKept(loadedHistoryLength);
    assertNoSecrets(state, {
      'administrator password': ADMIN.password,
      'certificate password': pfx.password,
      'certificate Base64': base64,
      'certificate Base64 excerpt': base64.slice(200, 264),
      ...tokenSecrets(),
    });
    const dropped = {
      'administrator password': ADMIN.password,
      'certificate password': pfx.password,
      'certificate Base64 excerpt': base64.slice(200, 264),
      'certificate bytes excerpt': pfx.bytes.subarray(300, 364),
    };
    assert.deepEqual(await foundInWasmMemory(page, dropped), []);
  });
});

describe('markup from the server', () => {
  const IMG = '<img src=x onerror=window.__pwned=1>';

  async function assertNothingRan(container) {
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await container.locator('img, script, b').count(), 0);
    assert.deepEqual(await cspViolations(), []);
  }

  test('error message shown as text', async () => {
    await sim.faults({
      nextRestore: { status: 500, contentType: 'application/json', body: JSON.stringify({ message: IMG }) },
    });
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await restoreAndWait();
    const alert = page.getByRole('alert').filter({ hasText: IMG });
    await assert.doesNotReject(alert.waitFor());
    await assertNothingRan(alert);
  });

  test('warnings and exceptions shown as text', async () => {
    const warning = '<b>bold</b><script>window.__pwned=2</script>';
    const exception = '<img src=y onerror="window.__pwned=3">';
    const cannotContinue = '<svg onload=window.__pwned=4></svg>';
    const body = {
      createdItemsCount: 1, mergedItemsCount: 0, failedItemsCount: 1, skippedItemsCount: 0,
      failedFoldersCount: 0, warnings: [warning], exceptions: [exception], cannotContinueError: cannotContinue,
    };
    await replaceNextRestoreBody(JSON.stringify(body));
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await restoreAndWait();
    const record = page.locator('.record').first();
    await record.waitFor();
    const text = await record.textContent();
    assert.ok(text.includes(warning), `warning not shown literally: ${text}`);
    assert.ok(text.includes(exception), `exception not shown literally: ${text}`);
    assert.ok(text.includes(cannotContinue), `cannotContinueError not shown literally: ${text}`);
    assert.equal(await record.locator('svg').count(), 0);
    await assertNothingRan(record);
  });
});
