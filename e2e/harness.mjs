// Shared set-up for the end-to-end tests: the simulator with the built app on one origin,
// Debian's Chromium through playwright-core, and PFX files made by OpenSSL.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
export function makePfx({ password = 'Pfx-Pass-1', legacy = false, name = 'app.pfx' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'restore-pfx-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const pfx = join(dir, name);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', '30', '-subj', '/CN=restore-e2e/O=Contoso',
  ], { stdio: 'ignore' });
  execFileSync('openssl', [
    'pkcs12', '-export', ...(legacy ? ['-legacy'] : []), '-inkey', key, '-in', cert,
    '-out', pfx, '-passout', `pass:${password}`,
  ], { stdio: 'ignore' });
  const bytes = readFileSync(pfx);
  return { path: pfx, bytes, password, sha256: createHash('sha256').update(bytes).digest('hex') };
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

/** Fills the mailbox part of the restore form. */
export async function fillMailbox(page, sessionId, mailboxId) {
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
