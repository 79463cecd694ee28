// Shared set-up for the end-to-end tests: the simulator with the built app on one origin,
// Debian's Chromium through playwright-core, and PFX files made by OpenSSL.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');

export const ADMIN = { user: 'administrator', password: 'Restore-Demo-1' };
export const M365 = { user: 'admin@contoso.onmicrosoft.com', password: 'M365-Demo-1' };
export const CONTOSO_SESSION = '1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01';
export const APPLICATION_ID = '8d8e5ff1-4c38-4b7e-9b77-1c4d8c3f2a10';
export const IMPERSONATION = 'restore@contoso.onmicrosoft.com';

/**
 * Starts the simulator on a free port, serving the built app from `dist/` beside the API.
 * Extra flags go after the defaults, so they can override them.
 */
export async function startSimulator(extraArgs = []) {
  const binary = process.env.SIMULATOR_BIN ?? join(root, 'target/debug/vb365-simulator');
  const args = [
    '--http-port', '0', '--no-https',
    '--static-dir', process.env.APP_DIST ?? join(root, 'dist'),
    '--restore-delay-ms', '300',
    '--device-code-sign-in-after-secs', '0',
    ...extraArgs,
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => { log += chunk; });

  const url = await new Promise((resolveUrl, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`simulator did not start:\n${output}\n${log}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}:\n${log}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
  });

  return {
    url,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
    },
  };
}

/** Calls the simulator's API or control endpoints from Node, outside the browser. */
export function simulatorClient(url) {
  async function call(method, path, { body, token, form } = {}) {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload;
    if (form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(form).toString();
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(url + path, { method, headers, body: payload });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  return {
    call,
    reset: () => call('POST', '/sim/reset'),
    restores: () => call('GET', '/sim/restores'),
    tokenRequests: () => call('GET', '/sim/token-requests'),
    faults: (faults) => call('POST', '/sim/faults', { body: faults }),
    signInDeviceCode: (code) => call('POST', `/sim/device-codes/${code}/sign-in`),
    expireDeviceCode: (code) => call('POST', `/sim/device-codes/${code}/expire`),
    expireAccessTokens: () => call('POST', '/sim/tokens/expire-access'),
    expireAllTokens: () => call('POST', '/sim/tokens/expire-all'),
    /** Returns the first `count` mailboxes of a restore session, in index order. */
    async mailboxes(sessionId, count) {
      const token = await call('POST', '/v6/token', {
        form: { grant_type: 'password', username: ADMIN.user, password: ADMIN.password },
      });
      const page = await call(
        'GET',
        `/v6/RestoreSessions/${sessionId}/organization/mailboxes?offset=0&limit=${count}`,
        { token: token.access_token },
      );
      return page.results;
    },
  };
}

/** Launches Debian's Chromium; the flags keep it off the network, which is closed here. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * Makes a key and self-signed certificate, then exports them as a PFX with OpenSSL.
 * `legacy` selects OpenSSL 3's `-legacy` (RC2/TripleDES, SHA-1 MAC) over its AES-256 default.
 */
export function makePfx({ password = 'Pfx-Pass-1', legacy = false, name = 'app.pfx', exportArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'restore-pfx-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const pfx = join(dir, name);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', '30', '-subj', '/CN=restore-e2e/O=Contoso',
  ], { stdio: 'ignore' });
  execFileSync('openssl', [
    'pkcs12', '-export', ...(legacy ? ['-legacy'] : []), ...exportArgs, '-inkey', key, '-in', cert,
    '-out', pfx, '-passout', `pass:${password}`,
  ], { stdio: 'ignore' });
  const bytes = readFileSync(pfx);
  return {
    path: pfx, bytes, password, certPem: cert, sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** Writes arbitrary bytes to a temporary file, for files that are not certificates. */
export function writeTempFile(name, bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'restore-file-'));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

export async function signIn(page, { user = ADMIN.user, password = ADMIN.password } = {}) {
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Switches to the form that takes pasted IDs, if it is not shown yet. */
export async function openRestoreById(page) {
  const tab = page.getByRole('tab', { name: 'Restore by ID' });
  if ((await tab.getAttribute('aria-selected')) !== 'true') {
    await tab.click();
  }
}

/** Fills the mailbox part of the restore-by-ID form. */
export async function fillMailbox(page, sessionId, mailboxId) {
  await openRestoreById(page);
  await page.getByLabel('Restore session ID').fill(sessionId);
  await page.getByLabel('Mailbox ID').fill(mailboxId);
}

export async function fillUserPassword(page) {
  await page.getByLabel('User name and password').check();
  await page.getByLabel('Microsoft 365 user name').fill(M365.user);
  await page.getByLabel('Microsoft 365 password').fill(M365.password);
}

export async function fillCertificate(page, pfx, { password = pfx.password } = {}) {
  await page.getByLabel('Application certificate').check();
  await page.getByLabel('Entra application ID').fill(APPLICATION_ID);
  await page.getByLabel('Certificate (PFX file)').setInputFiles(pfx.path);
  await page.getByText(`${pfx.bytes.length} bytes`).waitFor();
  await page.getByLabel('Certificate password').fill(password);
  await page.getByLabel('Impersonation account').fill(IMPERSONATION);
}

/** Reads the counts of the newest result on screen. */
export async function shownCounts(page) {
  const record = page.locator('.record').first();
  const read = async (key) => Number(await record.locator(`[data-count="${key}"]`).textContent());
  return {
    createdItemsCount: await read('created'),
    mergedItemsCount: await read('merged'),
    skippedItemsCount: await read('skipped'),
    failedItemsCount: await read('failed'),
    failedFoldersCount: await read('failed-folders'),
  };
}

// ---- Deployment tests: the simulator over HTTPS behind a real nginx ----

const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';

/** Finds a free TCP port on 127.0.0.1 (free when checked; another process could take it). */
export async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the port, or rejects after `ms`. */
async function waitForPort(port, ms = 10_000) {
  const { connect } = await import('node:net');
  const deadline = Date.now() + ms;
  for (;;) {
    const open = await new Promise((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); done(true); });
      socket.once('error', () => done(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

/**
 * Starts the simulator over HTTP and HTTPS on free ports, without static files, and writes
 * its self-signed certificate (for localhost and 127.0.0.1) to a PEM file for nginx.
 * Returns the HTTP URL (for /sim), the HTTPS port (for nginx) and the PEM path.
 */
export async function startTlsSimulator(extraArgs = []) {
  const binary = process.env.SIMULATOR_BIN ?? join(root, 'target/debug/vb365-simulator');
  const certificate = join(mkdtempSync(join(tmpdir(), 'restore-sim-tls-')), 'simulator.pem');
  const args = [
    '--http-port', '0', '--https-port', '0', '--tls-cert-out', certificate,
    '--restore-delay-ms', '300',
    '--device-code-sign-in-after-secs', '0',
    ...extraArgs,
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => { log += chunk; });
  let exit = null;
  const exited = new Promise((done) => child.once('exit', (code, signal) => {
    exit = { code, signal };
    done();
  }));

  const { url, httpsPort } = await new Promise((resolveUrls, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`simulator did not start:\n${output}\n${log}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}:\n${log}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const http = output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      const https = output.match(/listening on https:\/\/127\.0\.0\.1:(\d+)/);
      if (http && https) {
        clearTimeout(timer);
        resolveUrls({ url: http[1], httpsPort: Number(https[1]) });
      }
    });
  });

  return {
    url,
    httpsPort,
    certificate,
    log: () => log,
    /** Exit code and signal once the simulator has exited, else null. */
    exit: () => exit,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Fails with a clear message when nginx is not installed, instead of skipping tests. */
export function requireNginx() {
  try {
    execFileSync(NGINX, ['-v'], { stdio: 'ignore' });
  } catch (error) {
    throw new Error(`nginx not found at ${NGINX} (${error.message}); run scripts/setup.sh, or set NGINX`);
  }
}

/** Makes a self-signed certificate and key for 127.0.0.1 and localhost, for nginx's HTTPS. */
export function makeServerCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'restore-nginx-tls-'));
  const cert = join(dir, 'server.pem');
  const key = join(dir, 'server.key');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], { stdio: 'ignore' });
  return { cert, key };
}

/**
 * Renders deploy/ with deploy/render.sh and runs nginx in the foreground on free ports.
 * `upstreamPort` is the simulator's HTTPS port, verified with `caFile` under the name
 * localhost. `tls` ({cert, key}) adds an HTTPS server beside the HTTP one, which serves the
 * app too. `stop()` and `start()` stop and restart the same nginx on the same ports.
 */
export async function startNginx({
  dist, appPath = '/', upstreamPort, caFile, proxyTimeout = '4h', tls = null,
}) {
  requireNginx();
  const runDir = mkdtempSync(join(tmpdir(), 'restore-nginx-'));
  const httpPort = await freePort();
  const httpsPort = tls ? await freePort() : null;
  const env = {
    ...process.env,
    APP_ROOT: resolve(dist),
    APP_PATH: appPath,
    VB365_HOST: '127.0.0.1',
    VB365_PORT: String(upstreamPort),
    VB365_TLS_VERIFY: 'on',
    VB365_CA_FILE: caFile,
    VB365_TLS_NAME: 'localhost',
    HTTP_LISTEN: `127.0.0.1:${httpPort}`,
    HTTPS_LISTEN: tls ? `127.0.0.1:${httpsPort}` : '',
    HTTP_MODE: 'app',
    TLS_CERT: tls?.cert ?? '',
    TLS_KEY: tls?.key ?? '',
    PROXY_TIMEOUT: proxyTimeout,
    // Workers run as the user running the tests, so they can read a checkout wherever it
    // is, even under a home directory that www-data cannot enter.
    NGINX_USER: userInfo().username,
    NGINX,
  };
  try {
    execFileSync(join(root, 'deploy/render.sh'), [runDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`deploy/render.sh failed:\n${error.stderr}`);
  }

  let child = null;
  let exited = null;
  const errorLog = join(runDir, 'error.log');
  async function start() {
    child = spawn(NGINX, ['-p', runDir, '-e', errorLog, '-c', join(runDir, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    exited = new Promise((done) => child.once('exit', done));
    const failed = exited.then((code) => {
      throw new Error(`nginx exited with ${code}:\n${stderr}\n${readFileSync(errorLog, 'utf8')}`);
    });
    // Only the start-up race below cares; a later exit comes from stop().
    failed.catch(() => {});
    await Promise.race([waitForPort(httpPort), failed]);
    if (httpsPort) await Promise.race([waitForPort(httpsPort), failed]);
  }
  async function stop() {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  }
  await start();

  const origin = `http://127.0.0.1:${httpPort}`;
  return {
    origin,
    url: origin + appPath,
    httpsOrigin: httpsPort ? `https://127.0.0.1:${httpsPort}` : null,
    runDir,
    errorLog: () => readFileSync(errorLog, 'utf8'),
    start,
    stop,
  };
}

/**
 * Keeps a handle on the app's wasm memory, which trunk's start-up script passes along with
 * its `TrunkApplicationStarted` event. Call before the page loads.
 */
export async function watchWasmMemory(page) {
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (event) => {
      window.__appMemory = event.detail.wasm.memory;
    });
  });
}

/**
 * Names the needles found anywhere in the wasm memory of the app and, once loaded, of its
 * certificate module, freed blocks included. Each needle is a string, searched as UTF-8,
 * or a Buffer of raw bytes.
 */
export async function foundInWasmMemory(page, needles) {
  const encoded = Object.entries(needles).map(([name, needle]) => [
    name, Buffer.from(needle).toString('base64'),
  ]);
  return page.evaluate(async (entries) => {
    const memories = [window.__appMemory];
    if (!memories[0]) throw new Error('the wasm memory was not captured; call watchWasmMemory first');
    // A module is loaded once per URL, so this import returns the one the app loaded, and
    // its start function returns the running instance's exports.
    const moduleUrl = new URL('certificate-check.js', document.baseURI).href;
    if (performance.getEntriesByName(moduleUrl).length > 0) {
      const certificateModule = await import(moduleUrl);
      memories.push((await certificateModule.default()).memory);
    }
    // One character per byte, so `includes` finds byte sequences.
    const asText = (bytes) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');
    const texts = memories.map((memory) => {
      const haystack = new Uint8Array(memory.buffer);
      let text = '';
      for (let start = 0; start < haystack.length; start += 1 << 16) {
        text += String.fromCharCode.apply(null, haystack.subarray(start, start + (1 << 16)));
      }
      return text;
    });
    return entries
      .filter(([, base64]) => {
        const needle = asText(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
        return texts.some((text) => text.includes(needle));
      })
      .map(([name]) => name);
  }, encoded);
}

/** Returns whether the page has loaded its certificate module. */
export function certificateModuleLoaded(page) {
  return page.evaluate(() => {
    const moduleUrl = new URL('certificate-check.js', document.baseURI).href;
    return performance.getEntriesByName(moduleUrl).length > 0;
  });
}
