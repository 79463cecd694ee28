// End-to-end: an administrator signs in and restores mailboxes through the UI, in Debian's
// Chromium, against the simulator over real HTTP.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  ADMIN, APPLICATION_ID, CONTOSO_SESSION, IMPERSONATION, M365,
  certificateModuleLoaded, fillCertificate, fillMailbox, foundInWasmMemory, fillUserPassword, launchBrowser, makePfx, openRestoreById,
  shownCounts, signIn, simulatorClient, startSimulator, watchWasmMemory, writeTempFile,
} from './harness.mjs';

let simulator;
let sim;
let browser;
let mailboxes;
let context;
let page;

before(async () => {
  simulator = await startSimulator();
  sim = simulatorClient(simulator.url);
  mailboxes = await sim.mailboxes(CONTOSO_SESSION, 10);
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
});

/** Mailbox by its index in the organization; the simulator's outcome follows index % 10. */
const mailbox = (index) => mailboxes[index].id;

async function openSignedIn() {
  await page.goto(simulator.url);
  await signIn(page);
  await page.getByText('Signed in as').waitFor();
  await openRestoreById(page);
}

async function restoreAndWait() {
  const response = page.waitForResponse((r) => r.url().endsWith('/restore'));
  await page.getByRole('button', { name: 'Restore mailbox' }).click();
  return (await response).json().catch(() => null);
}

describe('sign-in', () => {
  test('wrong password shows server message', async () => {
    await page.goto(simulator.url);
    await signIn(page, { password: 'wrong' });
    const alert = page.getByRole('alert');
    await assert.doesNotReject(alert.filter({ hasText: 'The user name or password is incorrect.' }).waitFor());
    assert.match(await alert.textContent(), /HTTP 400/);
    assert.equal(await page.getByLabel('User name').inputValue(), 'administrator');
  });

  test('second press within a second waits', async () => {
    await page.goto(simulator.url);
    await signIn(page, { password: 'wrong' });
    await page.getByRole('alert').filter({ hasText: 'incorrect' }).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: 'Wait a second' }).waitFor());
    assert.equal((await sim.tokenRequests()).password, 1);
  });

  test('correct password shows restore form', async () => {
    await openSignedIn();
    await assert.doesNotReject(page.getByRole('heading', { name: 'Restore a mailbox' }).waitFor());
    assert.equal((await sim.tokenRequests()).password, 1);
  });

  test('throttled sign-in waits without retrying', async () => {
    await sim.faults({ tokenThrottled: true });
    await page.goto(simulator.url);
    await signIn(page);
    await page.getByRole('alert').filter({ hasText: 'Quota Exceeded' }).waitFor();
    const button = page.getByRole('button', { name: /Sign in \(wait/ });
    assert.equal(await button.isDisabled(), true);
    await page.waitForTimeout(1500);
    const counts = await sim.tokenRequests();
    assert.equal(counts.throttled, 1);
    assert.equal(counts.password, 0);
  });
});

describe('restore with user and password', () => {
  test('shows the counts the server returned', async () => {
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    const body = await restoreAndWait();

    await page.locator('.record').first().waitFor();
    assert.equal(await page.locator('.record h3').first().textContent(), 'Restore completed');
    const counts = await shownCounts(page);
    assert.equal(counts.createdItemsCount, body.createdItemsCount);
    assert.equal(counts.mergedItemsCount, body.mergedItemsCount);
    assert.equal(counts.skippedItemsCount, body.skippedItemsCount);
    assert.equal(counts.failedItemsCount, 0);
    assert.ok(body.createdItemsCount > 0);

    const [record] = await sim.restores();
    assert.deepEqual(record.fieldNames, ['userName', 'userPassword']);
    assert.equal(record.userName, M365.user);
    assert.equal(record.mailboxId, mailbox(0));
  });

  test('cannotContinueError shown as failure', async () => {
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(9));
    await fillUserPassword(page);
    await restoreAndWait();
    const record = page.locator('.record').first();
    await record.waitFor();
    assert.equal(await record.locator('h3').textContent(), 'Restore failed');
    assert.equal(await record.getAttribute('data-verdict'), 'failed');
    assert.match(await record.locator('.cannot-continue').textContent(), /Cannot open user mailbox/);
  });

  test('failed items shown as partial', async () => {
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(6));
    await fillUserPassword(page);
    await restoreAndWait();
    const record = page.locator('.record').first();
    await record.waitFor();
    assert.equal(await record.locator('h3').textContent(), 'Restore partly failed');
    assert.match(await record.locator('.exceptions').textContent(), /failed to restore item/);
    assert.equal((await shownCounts(page)).failedItemsCount, 2);
  });

  test('warnings shown as warnings', async () => {
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(3));
    await fillUserPassword(page);
    await restoreAndWait();
    const record = page.locator('.record').first();
    await record.waitFor();
    assert.equal(await record.locator('h3').textContent(), 'Restore completed with warnings');
    assert.equal(await record.locator('.warnings li').count(), 2);
  });
});

describe('secrets after a restore', () => {
  test('password dropped after use, rest kept', async () => {
    await watchWasmMemory(page);
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    // The search finds a secret the page holds, and none that it dropped at sign-in.
    const secrets = { 'Microsoft 365 password': M365.password, 'administrator password': ADMIN.password };
    assert.deepEqual(await foundInWasmMemory(page, secrets), ['Microsoft 365 password']);

    await restoreAndWait();
    await page.locator('.record').first().waitFor();
    await page.locator('#password-used').waitFor();
    assert.equal(await page.getByLabel('Microsoft 365 password').inputValue(), '');
    assert.equal(await page.getByLabel('Microsoft 365 user name').inputValue(), M365.user);
    assert.equal(await page.getByLabel('Restore session ID').inputValue(), CONTOSO_SESSION);
    assert.deepEqual(await foundInWasmMemory(page, secrets), []);

    // The next restore needs only the password typed again.
    await page.getByLabel('Mailbox ID').fill(mailbox(1));
    await page.getByLabel('Microsoft 365 password').fill(M365.password);
    assert.equal(await page.locator('#password-used').count(), 0);
    await restoreAndWait();
    await page.locator('.record').nth(1).waitFor();
    const records = await sim.restores();
    assert.deepEqual(records.map((record) => record.mailboxId), [mailbox(0), mailbox(1)]);
  });

  test('certificate dropped after use, rest kept', async () => {
    const pfx = makePfx({ password: 'Pfx-Secret-Pass-7/typed-key-by-key-so-every-prefix-is-freed' });
    const secrets = {
      'certificate password': pfx.password,
      // The allocator writes its free-list links over the first bytes of a freed block,
      // so a stale copy of the password shows only past them.
      'certificate password tail': pfx.password.slice(16, 40),
      'certificate Base64 excerpt': pfx.bytes.toString('base64').slice(200, 264),
      'certificate bytes excerpt': pfx.bytes.subarray(300, 364),
    };
    await watchWasmMemory(page);
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillCertificate(page, pfx, { password: '' });
    await page.getByLabel('Certificate password').pressSequentially(pfx.password);
    await page.locator('.certificate-check').filter({ hasText: 'CN=restore-e2e' }).waitFor();
    assert.ok(await certificateModuleLoaded(page), 'the search covers the certificate module too');
    assert.deepEqual(await foundInWasmMemory(page, secrets), Object.keys(secrets));

    await restoreAndWait();
    await page.locator('.record[data-verdict="succeeded"]').waitFor();
    await page.locator('#certificate-used').waitFor();
    assert.equal(await page.getByText(`${pfx.bytes.length} bytes`).count(), 0);
    assert.equal(await page.getByLabel('Certificate password').inputValue(), '');
    assert.equal(await page.getByLabel('Entra application ID').inputValue(), APPLICATION_ID);
    assert.equal(await page.getByLabel('Impersonation account').inputValue(), IMPERSONATION);
    assert.deepEqual(await foundInWasmMemory(page, secrets), []);
  });

  test('Clear credentials empties every field', async () => {
    await watchWasmMemory(page);
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await page.getByRole('button', { name: 'Clear credentials' }).click();
    assert.equal(await page.getByLabel('Microsoft 365 user name').inputValue(), '');
    assert.equal(await page.getByLabel('Microsoft 365 password').inputValue(), '');
    assert.deepEqual(await foundInWasmMemory(page, { password: M365.password }), []);
    assert.equal(await page.getByLabel('Mailbox ID').inputValue(), mailbox(0));
    await page.getByRole('button', { name: 'Restore mailbox' }).click();
    await page.getByText('Correct the fields marked below').waitFor();
    assert.equal((await sim.restores()).length, 0);
  });
});

describe('field validation', () => {
  test('invalid GUID explained when typed', async () => {
    await openSignedIn();
    const field = page.getByLabel('Mailbox ID');
    await field.fill('not-a-guid');
    await field.blur();
    await assert.doesNotReject(page.getByText('Not a valid ID.').waitFor());
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
  });

  test('empty form sends nothing', async () => {
    await openSignedIn();
    await page.getByRole('button', { name: 'Restore mailbox' }).click();
    await page.getByRole('alert').filter({ hasText: 'Correct the fields' }).waitFor();
    assert.equal(await page.getByText('Required.').count(), 4);
    assert.equal((await sim.restores()).length, 0);
  });

  test('bad user principal name explained', async () => {
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await page.getByLabel('Microsoft 365 user name').fill('admin');
    await page.getByLabel('Microsoft 365 user name').blur();
    await assert.doesNotReject(page.getByText('Enter a user principal name').waitFor());
  });
});

describe('restore with a device code', () => {
  async function getCode() {
    await page.getByLabel('Device code').check();
    await page.getByLabel('Entra application ID').fill(APPLICATION_ID);
    await page.getByRole('button', { name: 'Get code' }).click();
    const code = (await page.locator('#device-code-value').textContent()).trim();
    return code;
  }

  test('code shown, then restore succeeds', async () => {
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    const code = await getCode();
    assert.match(code, /^[A-Z0-9]{9}$/);
    assert.equal(
      await page.getByRole('link', { name: 'https://microsoft.com/devicelogin' }).getAttribute('href'),
      'https://microsoft.com/devicelogin',
    );
    assert.match(await page.locator('#device-code-countdown').textContent(), /Expires in 1\d min/);

    await sim.signInDeviceCode(code);
    await restoreAndWait();
    await page.locator('.record').first().waitFor();
    assert.equal(await page.locator('.record h3').first().textContent(), 'Restore completed');
    const [record] = await sim.restores();
    assert.deepEqual(record.fieldNames, ['userCode']);
    assert.equal(record.userCode, code);
  });

  test('code not yet used shows server message', async () => {
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await getCode();
    await restoreAndWait();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /HTTP 400/);
  });

  test('code expired on the server is explained', async () => {
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    const code = await getCode();
    await sim.signInDeviceCode(code);
    await sim.expireDeviceCode(code);
    await restoreAndWait();
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: /expired/i }).waitFor());
  });

  test('countdown reaching zero blocks restore', async () => {
    await page.clock.install();
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    const code = await getCode();
    await page.clock.fastForward('16:00');
    const countdown = page.locator('#device-code-countdown');
    await countdown.filter({ hasText: 'has expired' }).waitFor();
    assert.equal(await countdown.textContent(), `Code ${code} has expired. Get a new code.`);
    assert.equal(await page.getByRole('button', { name: 'Restore mailbox' }).isDisabled(), true);
    assert.equal((await sim.restores()).length, 0);
  });
});

describe('restore with an application certificate', () => {
  for (const legacy of [false, true]) {
    const label = legacy ? 'OpenSSL -legacy PFX' : 'OpenSSL 3 default PFX';
    test(`${label} arrives byte for byte`, async () => {
      const pfx = makePfx({ legacy });
      await openSignedIn();
      await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
      await fillCertificate(page, pfx);
      await restoreAndWait();
      await page.locator('.record').first().waitFor();
      assert.equal(await page.locator('.record h3').first().textContent(), 'Restore completed');

      const [record] = await sim.restores();
      assert.equal(record.status, 200);
      assert.equal(record.certificateSha256, pfx.sha256);
      assert.equal(record.certificateLength, pfx.bytes.length);
      assert.equal(record.applicationId, APPLICATION_ID);
      assert.equal(record.impersonationAccountName, IMPERSONATION);
      assert.deepEqual(record.fieldNames, [
        'applicationCertificate', 'applicationCertificatePassword', 'applicationId', 'impersonationAccountName',
      ]);
    });
  }

  test('dropped PFX file is read', async () => {
    const pfx = makePfx();
    await openSignedIn();
    await page.getByLabel('Application certificate').check();
    const transfer = await page.evaluateHandle((bytes) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], 'dropped.pfx', { type: 'application/x-pkcs12' }));
      return data;
    }, [...pfx.bytes]);
    await page.locator('.drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
    await assert.doesNotReject(page.getByText(`dropped.pfx · ${pfx.bytes.length} bytes`).waitFor());
  });

  test('wrong certificate password blocks restore', async () => {
    const pfx = makePfx();
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillCertificate(page, pfx, { password: 'not-the-password' });
    await assert.doesNotReject(page.locator('#certificate-problem').filter({ hasText: 'Wrong certificate password.' }).waitFor());
    assert.equal(await page.getByRole('button', { name: 'Restore mailbox' }).isDisabled(), true);
    assert.equal(
      await page.locator('#restore-status').textContent(),
      'Restore is blocked by the certificate check: Wrong certificate password.',
    );
    assert.equal(await page.getByLabel('Certificate password').inputValue(), 'not-the-password');
    assert.equal(await page.getByLabel('Entra application ID').inputValue(), APPLICATION_ID);
    assert.equal((await sim.restores()).length, 0);
  });

  test('empty file rejected before sending', async () => {
    await openSignedIn();
    await page.getByLabel('Application certificate').check();
    await page.getByLabel('Certificate (PFX file)').setInputFiles(writeTempFile('empty.pfx', Buffer.alloc(0)));
    await assert.doesNotReject(page.getByText('"empty.pfx" is empty.').waitFor());
  });

  test('oversized file rejected', async () => {
    await openSignedIn();
    await page.getByLabel('Application certificate').check();
    const big = writeTempFile('big.pfx', Buffer.alloc(1024 * 1024 + 1, 0x30));
    await page.getByLabel('Certificate (PFX file)').setInputFiles(big);
    await assert.doesNotReject(page.getByText('"big.pfx" is 1048577 bytes').waitFor());
  });
});

describe('sign-in lifetime', () => {
  test('expired access token renewed silently', async () => {
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
    assert.equal(await page.getByLabel('Microsoft 365 password').inputValue(), M365.password);
    await restoreAndWait();
    await page.locator('.record').first().waitFor();
    assert.equal(await page.locator('.record h3').first().textContent(), 'Restore completed');
  });
});

describe('failures', () => {
  test('proxy 504 page says restore may still run', async () => {
    await sim.faults({
      nextRestore: { status: 504, contentType: 'text/html', body: '<html><body><h1>504 Gateway Time-out</h1></body></html>' },
    });
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await restoreAndWait();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.textContent();
    assert.match(text, /HTTP 504/);
    assert.match(text, /may still be running/);
    assert.match(text, new RegExp(CONTOSO_SESSION));
    await page.waitForTimeout(500);
    assert.equal((await sim.restores()).length, 1);
  });

  test('server 500 message shown', async () => {
    await sim.faults({
      nextRestore: { status: 500, contentType: 'application/json', body: '{"message":"Exchange backup proxy is offline."}' },
    });
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await restoreAndWait();
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: 'Exchange backup proxy is offline.' }).waitFor());
  });

  test('unreachable server explained, retry works', async () => {
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await page.route('**/restore', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Restore mailbox' }).click();
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: 'could not be reached' }).waitFor());
    // No response came, so the password was not used: the retry needs no typing.
    assert.equal(await page.getByLabel('Microsoft 365 password').inputValue(), M365.password);

    await page.unroute('**/restore');
    await restoreAndWait();
    await page.locator('.record[data-verdict="succeeded"]').waitFor();
    assert.equal((await sim.restores()).length, 1);
  });
});

describe('one restore per press', () => {
  test('double click sends one request', async () => {
    await sim.faults({ restoreDelayMs: 4000 });
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await page.getByRole('button', { name: 'Restore mailbox' }).dblclick();
    await page.getByLabel('Mailbox ID').press('Enter');
    await page.getByLabel('Mailbox ID').press('Enter');
    await page.locator('.record').first().waitFor();
    assert.equal((await sim.restores()).length, 1);
  });

  test('same mailbox in two tabs sends once', async () => {
    await sim.faults({ restoreDelayMs: 5000 });
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);

    const second = await context.newPage();
    await second.goto(simulator.url);
    await signIn(second);
    await second.getByText('Signed in as').waitFor();
    await fillMailbox(second, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(second);

    await page.getByRole('button', { name: 'Restore mailbox' }).click();
    await page.getByRole('button', { name: 'Restoring…' }).waitFor();
    await second.getByRole('button', { name: 'Restore mailbox' }).click();
    await assert.doesNotReject(second.getByRole('alert').filter({ hasText: 'another tab' }).waitFor());
    await page.locator('.record').first().waitFor();
    assert.equal((await sim.restores()).length, 1);
  });

  test('elapsed time shown while running', async () => {
    await sim.faults({ restoreDelayMs: 6000 });
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await page.getByRole('button', { name: 'Restore mailbox' }).click();
    const status = page.locator('#restore-status');
    await status.filter({ hasText: '2 s elapsed' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Restoring…' }).isDisabled(), true);
  });

  /** Starts a restore of mailbox 0 that the simulator holds for 3 s. */
  async function startSlowRestore() {
    await sim.faults({ restoreDelayMs: 3000 });
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillUserPassword(page);
    await page.getByRole('button', { name: 'Restore mailbox' }).click();
    await page.getByRole('button', { name: 'Restoring…' }).waitFor();
  }

  test('closing during restore asks to confirm', async () => {
    await startSlowRestore();
    // Chromium shows the leave-page dialog only after the user has interacted with the page.
    const dialog = new Promise((resolve) => page.once('dialog', resolve));
    await page.close({ runBeforeUnload: true });
    const shown = await dialog;
    assert.equal(shown.type(), 'beforeunload');
    await shown.dismiss();
    // The page stays open; let the restore end so the next test starts from a quiet context.
    await page.locator('.record').first().waitFor();
  });

  test('reload during restore names it', async () => {
    await startSlowRestore();
    page.once('dialog', (dialog) => dialog.accept());
    await page.reload();

    const notice = page.locator('#interrupted-restore');
    await notice.waitFor();
    const text = await notice.textContent();
    assert.match(text, new RegExp(`mailbox ${mailbox(0)}, started \\d+ s ago`));
    assert.match(text, new RegExp(`Check restore session ${CONTOSO_SESSION}`));
    // The note in sessionStorage contains IDs and a time, no credential.
    const stored = await page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)));
    assert.ok(stored.includes(mailbox(0)));
    assert.ok(!stored.includes(M365.password));
    assert.ok(!stored.includes(M365.user));

    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await page.reload();
    await page.getByLabel('User name').waitFor();
    assert.equal(await notice.count(), 0);
    assert.equal((await sim.restores()).length, 1);
  });
});

describe('secrets', () => {
  test('nothing stored outside memory', async () => {
    const pfx = makePfx();
    await openSignedIn();
    await fillMailbox(page, CONTOSO_SESSION, mailbox(0));
    await fillCertificate(page, pfx);
    await restoreAndWait();
    await page.locator('.record').first().waitFor();

    const storage = await page.evaluate(() => ({
      local: localStorage.length,
      session: sessionStorage.length,
      cookie: document.cookie,
      url: location.href,
    }));
    assert.equal(storage.local, 0);
    assert.equal(storage.session, 0);
    assert.equal(storage.cookie, '');
    assert.equal(storage.url, `${simulator.url}/`);
    assert.equal((await context.cookies()).length, 0);
  });
});
