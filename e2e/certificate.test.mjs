// End-to-end: the certificate check in the browser. Files are made by OpenSSL at test time,
// dropped or picked in the UI, and the verdict is read as the administrator sees it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  APPLICATION_ID, CONTOSO_SESSION, fillMailbox, launchBrowser, makePfx, openRestoreById,
  signIn, simulatorClient, startSimulator, writeTempFile,
} from './harness.mjs';

let simulator;
let sim;
let browser;
let context;
let page;

before(async () => {
  simulator = await startSimulator();
  sim = simulatorClient(simulator.url);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await simulator?.stop();
});

beforeEach(async () => {
  await sim.reset();
  // A test may leave its context closed already; that is not this test's failure.
  await context?.close().catch(() => {});
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(simulator.url);
  await signIn(page);
  await page.getByText('Signed in as').waitFor();
  await openRestoreById(page);
  await page.getByLabel('Application certificate').check();
});

/** Drops a file on the certificate drop zone, as a user dragging it from the desktop. */
async function dropFile(name, bytes) {
  const transfer = await page.evaluateHandle(([fileName, content]) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(content)], fileName));
    return data;
  }, [name, [...bytes]]);
  await page.locator('.drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
}

/** The SHA-1 thumbprint as OpenSSL prints it, without colons. */
function opensslThumbprint(certPem) {
  const output = execFileSync('openssl', ['x509', '-in', certPem, '-noout', '-fingerprint', '-sha1']).toString();
  return output.trim().split('=')[1].replaceAll(':', '');
}

const verdict = () => page.locator('#certificate-password-verdict');

describe('certificate check', () => {
  test('chosen file named once, by keyboard', async () => {
    const pfx = makePfx();
    assert.equal(await page.locator('#certificate-file-selected').textContent(), 'No file chosen.');
    await page.getByLabel('Entra application ID').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'certificate-file');
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Space');
    await (await chooser).setFiles(pfx.path);

    await page.getByText(`app.pfx · ${pfx.bytes.length} bytes`).waitFor();
    assert.equal(await page.getByText('No file chosen').count(), 0);
    assert.equal(await page.getByLabel('Certificate (PFX file)').count(), 1);
  });

  test('right password shows the certificate', async () => {
    const pfx = makePfx();
    await dropFile('app.pfx', pfx.bytes);
    await page.getByLabel('Certificate password').fill(pfx.password);
    await verdict().filter({ hasText: 'The password opens this PFX file.' }).waitFor();

    const detail = (name) => page.locator(`[data-detail="${name}"]`).textContent();
    assert.match(await detail('Subject'), /CN=restore-e2e/);
    assert.equal(await detail('SHA-1 thumbprint'), opensslThumbprint(pfx.certPem));
    assert.equal(await detail('Private key'), 'present');
    assert.match(await detail('Certificate encryption'), /AES-256-CBC, PBKDF2/);
    assert.match(await page.locator('.certificate-warnings').textContent(), /-legacy/);
  });

  test('legacy PFX with wrong password blocked', async () => {
    const pfx = makePfx({ legacy: true });
    await fillMailbox(page, CONTOSO_SESSION, '9e9b7199-f547-467a-b580-9d283a75eaad');
    await page.getByLabel('Application certificate').check();
    await page.getByLabel('Entra application ID').fill(APPLICATION_ID);
    await page.getByLabel('Certificate (PFX file)').setInputFiles(pfx.path);
    await page.getByLabel('Certificate password').fill('wrong');
    await page.locator('#certificate-problem').filter({ hasText: 'does not open' }).waitFor();
    // The problem states it once, and no separate verdict repeats it.
    assert.equal(await verdict().count(), 0);
    assert.equal(await page.getByText('does not open').count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Restore mailbox' }).isDisabled(), true);

    await page.getByLabel('Certificate password').fill(pfx.password);
    await verdict().filter({ hasText: 'The password opens this PFX file.' }).waitFor();
    assert.match(await page.locator('[data-detail="Key encryption"]').textContent(), /TripleDES/);
    assert.equal(await page.getByRole('button', { name: 'Restore mailbox' }).isDisabled(), false);
  });

  test('key-less PFX blocked', async () => {
    const pfx = makePfx({ exportArgs: ['-nokeys'] });
    await dropFile('nokey.pfx', pfx.bytes);
    await page.getByLabel('Certificate password').fill(pfx.password);
    await assert.doesNotReject(page.locator('#certificate-problem').filter({ hasText: 'no private key' }).waitFor());
    assert.equal(await page.locator('[data-detail="Private key"]').textContent(), 'missing');
  });

  test('PEM file rejected with advice', async () => {
    const pfx = makePfx();
    const pem = execFileSync('cat', [pfx.certPem]);
    await dropFile('cert.pem', pem);
    const error = page.locator('#certificate-file-error');
    await error.filter({ hasText: 'openssl pkcs12 -export' }).waitFor();
    assert.match(await error.textContent(), /CERTIFICATE/);
  });

  test('UTF-16 Base64 text accepted', async () => {
    const pfx = makePfx();
    // What Windows PowerShell 5.1's Out-File writes: UTF-16LE with a byte-order mark.
    const text = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${pfx.bytes.toString('base64')}\r\n`, 'utf16le')]);
    await page.getByLabel('Certificate (PFX file)').setInputFiles(writeTempFile('base64.txt', text));
    await page.getByText(/base64\.txt · \d+ bytes\..*Base64/).waitFor();
    await page.getByLabel('Certificate password').fill(pfx.password);
    await assert.doesNotReject(verdict().filter({ hasText: 'The password opens this PFX file.' }).waitFor());
  });
});
