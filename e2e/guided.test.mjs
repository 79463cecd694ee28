// End-to-end: the guided restore, from organization to exported results, in Debian's
// Chromium against the simulator's 20,000-mailbox organization.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, test } from 'node:test';
import { M365, launchBrowser, signIn, simulatorClient, startSimulator } from './harness.mjs';

const FABRIKAM_USER = { user: 'admin@fabrikam.onmicrosoft.com', password: M365.password };

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
  // A fixed time zone east of UTC, so the restore point conversion is visible.
  context = await browser.newContext({ timezoneId: 'Europe/Berlin', acceptDownloads: true });
  page = await context.newPage();
  page.on('dialog', (dialog) => dialog.accept());
});

async function openFabrikam() {
  await page.goto(simulator.url);
  await signIn(page);
  await page.getByRole('button', { name: 'Choose Fabrikam, Inc.' }).click();
}

async function waitForAllMailboxes() {
  await page.locator('#mailbox-load-status').filter({ hasText: 'All loaded.' }).waitFor({ timeout: 60_000 });
}

/** Searches for one e-mail address and selects the one mailbox found. */
async function searchAndCheck(email) {
  await page.getByLabel('Search by name or e-mail').fill(email);
  await page.locator('#mailbox-match-count').filter({ hasText: /^1 shown/ }).waitFor();
  await page.locator('.mailbox-row', { hasText: email }).locator('input[type=checkbox]').check();
}

describe('guided restore', () => {
  test('past point in time opens a session', async () => {
    await openFabrikam();
    await page.getByLabel('Restore point (your time zone)').fill('2026-12-01T10:30');
    const explore = page.waitForRequest((request) => request.url().endsWith('/explore'));
    await page.getByRole('button', { name: 'Start restore session' }).click();
    const body = JSON.parse((await explore).postData());
    assert.equal(body.type, 'Vex');
    // 10:30 in Berlin on 1 December (UTC+1) is 09:30 UTC.
    assert.equal(body.dateTime, '2026-12-01T09:30:00.000Z');
    await waitForAllMailboxes();
    assert.match(await page.locator('#mailbox-load-status').textContent(), /20,000 mailboxes loaded/);
  });

  test('future point in time rejected', async () => {
    await openFabrikam();
    await page.getByLabel('Restore point (your time zone)').fill('2099-01-01T00:00');
    await assert.doesNotReject(page.locator('#point-in-time-error').filter({ hasText: /future/i }).waitFor());
    assert.equal(await page.getByRole('button', { name: 'Start restore session' }).isDisabled(), true);
  });

  test('time before first backup explained', async () => {
    await openFabrikam();
    await page.getByLabel('Restore point (your time zone)').fill('2020-01-01T00:00');
    await assert.doesNotReject(page.locator('#point-in-time-notice').filter({ hasText: 'before the first backup' }).waitFor());
  });

  test('search, restore three, retry, export, stop', async () => {
    await openFabrikam();
    await page.getByRole('button', { name: /^Use session/ }).first().click();
    await waitForAllMailboxes();

    await searchAndCheck('lukasz.zolc3@fabrikam');
    await searchAndCheck('adele.vance0@fabrikam');
    await searchAndCheck('jose.nunez6@fabrikam');
    assert.match(await page.locator('#mailbox-match-count').textContent(), /3 selected/);

    // The first mailbox restored gets a 500; the other two run on.
    await sim.faults({ nextRestore: { status: 500, contentType: 'application/json', body: '{"message":"Mailbox database is offline."}' } });
    await page.getByLabel('Microsoft 365 user name').fill(FABRIKAM_USER.user);
    await page.getByLabel('Microsoft 365 password').fill(FABRIKAM_USER.password);
    await page.getByRole('button', { name: 'Restore 3 mailboxes' }).click();
    const totals = page.locator('#run-totals');
    await totals.filter({ hasText: '3 of 3 done' }).waitFor();

    const rows = page.locator('.run-row');
    assert.equal(await rows.count(), 3);
    assert.equal(await rows.nth(0).getAttribute('data-status'), 'failed');
    assert.match(await rows.nth(0).textContent(), /Mailbox database is offline\./);
    assert.equal(await rows.nth(1).getAttribute('data-status'), 'warning');
    assert.equal(await rows.nth(2).getAttribute('data-status'), 'partial');
    assert.equal(await page.locator('.chart rect').count() > 0, true);
    assert.equal((await sim.restores()).length, 3);

    // The run used the password, so it was dropped. A retry requests it first.
    assert.equal(await page.getByLabel('Microsoft 365 password').inputValue(), '');
    assert.equal(await page.getByLabel('Microsoft 365 user name').inputValue(), FABRIKAM_USER.user);
    await page.getByRole('button', { name: 'Retry Adele Vance' }).click();
    await page.locator('#retry-needs-credentials').waitFor();
    assert.equal(await rows.nth(0).getAttribute('data-status'), 'failed');
    assert.equal((await sim.restores()).length, 3);

    await page.getByLabel('Microsoft 365 password').fill(FABRIKAM_USER.password);
    await page.getByRole('button', { name: 'Retry Adele Vance' }).click();
    await totals.filter({ hasText: '3 of 3 done · 1 succeeded' }).waitFor();
    assert.equal(await rows.nth(0).getAttribute('data-status'), 'succeeded');
    assert.equal((await sim.restores()).length, 4);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    assert.equal(csv[0], '\uFEFF');
    const lines = csv.slice(1).trim().split('\r\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0], /^Mailbox name,/);
    assert.match(lines[1], /^Adele Vance,adele\.vance0@fabrikam\.onmicrosoft\.com,/);
    assert.match(lines[1], /succeeded/);
    assert.match(lines[3], /partial/);
    const sessionInAddress = new URL(page.url()).searchParams.get('session');
    for (const line of lines.slice(1)) assert.ok(line.endsWith(`,"Fabrikam, Inc.",${sessionInAddress}`), line);
    assert.doesNotMatch(readFileSync(file, 'utf8'), new RegExp(FABRIKAM_USER.password));

    const sessionId = new URL(page.url()).searchParams.get('session');
    await page.getByRole('button', { name: 'Stop session' }).click();
    await page.getByRole('heading', { name: '3. Mailboxes' }).waitFor({ state: 'detached' });
    const state = await sim.call('GET', `/sim/restore-sessions/${sessionId}`);
    assert.equal(state.state, 'Stopped');
  });

  test('keyboard reaches each step', async () => {
    await openFabrikam();
    await page.getByRole('button', { name: /^Use session/ }).first().click();
    // The focus follows to the step the button opened.
    await page.waitForFunction(() => document.activeElement?.id === 'mailboxes-heading');
    await waitForAllMailboxes();
    await searchAndCheck('adele.vance0@fabrikam');

    // "Skip to restore" passes the list's rows, and is out of sight until focused.
    const skip = page.getByRole('button', { name: 'Skip to restore' });
    assert.ok((await skip.boundingBox()).width <= 1);
    await skip.focus();
    assert.ok((await skip.boundingBox()).width > 1);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'run-heading');

    // Enter in the password field starts the run, as the button does.
    await page.getByLabel('Microsoft 365 user name').fill(FABRIKAM_USER.user);
    await page.getByLabel('Microsoft 365 password').fill(FABRIKAM_USER.password);
    await page.getByLabel('Microsoft 365 password').press('Enter');
    await page.locator('#run-totals').filter({ hasText: '1 of 1 done · 1 succeeded' }).waitFor();
    assert.equal((await sim.restores()).length, 1);
  });

  test('device code renewed during a run', async () => {
    await page.clock.install();
    await openFabrikam();
    await page.getByRole('button', { name: /^Use session/ }).first().click();
    await waitForAllMailboxes();
    await searchAndCheck('adele.vance0@fabrikam');
    await searchAndCheck('siobhan.obrien2@fabrikam');

    await page.getByLabel('Device code').check();
    await page.getByLabel('Entra application ID').fill('8d8e5ff1-4c38-4b7e-9b77-1c4d8c3f2a10');
    await page.getByRole('button', { name: 'Get code' }).click();
    const codeLocator = page.locator('#device-code-value');
    const firstCode = (await codeLocator.textContent()).trim();
    await sim.signInDeviceCode(firstCode);

    await sim.faults({ restoreDelayMs: 4000 });
    await page.getByRole('button', { name: 'Restore 2 mailboxes' }).click();
    await page.locator('.run-row[data-status="running"]').waitFor();
    // The code runs out while the first mailbox is being restored.
    await page.clock.fastForward('16:00');
    await page.getByText('The device code ran out during the run').waitFor();
    const secondCode = (await codeLocator.textContent()).trim();
    assert.notEqual(secondCode, firstCode);
    assert.match(await page.locator('#run-totals').textContent(), /^1 of 2 done/);

    await sim.signInDeviceCode(secondCode);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#run-totals').filter({ hasText: '2 of 2 done' }).waitFor();
    const codes = (await sim.restores()).map((record) => record.userCode);
    assert.deepEqual(codes, [firstCode, secondCode]);
  });

  test('phone width has no sideways scroll', async () => {
    await page.setViewportSize({ width: 390, height: 900 });
    await openFabrikam();
    await page.getByRole('button', { name: /^Use session/ }).first().click();
    await waitForAllMailboxes();
    await searchAndCheck('adele.vance0@fabrikam');
    await page.getByLabel('Microsoft 365 user name').fill(FABRIKAM_USER.user);
    await page.getByLabel('Microsoft 365 password').fill(FABRIKAM_USER.password);
    await page.getByRole('button', { name: 'Restore 1 mailbox' }).click();
    await page.locator('#run-totals').filter({ hasText: '1 of 1 done' }).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.equal(width, 390);
  });

  test('reload returns to the same place', async () => {
    await openFabrikam();
    await page.getByRole('button', { name: /^Use session/ }).first().click();
    await waitForAllMailboxes();
    await searchAndCheck('adele.vance0@fabrikam');
    const url = page.url();
    assert.match(url, /org=.*&session=.*&mailboxes=/);

    await page.reload();
    await signIn(page);
    await waitForAllMailboxes();
    assert.equal(page.url(), url);
    assert.match(await page.locator('#mailbox-match-count').textContent(), /1 selected/);
    assert.doesNotMatch(page.url(), /password|token/i);
  });

  test('markup in names shown as text', async () => {
    await openFabrikam();
    await page.getByRole('button', { name: /^Use session/ }).first().click();
    await page.getByLabel('Search by name or e-mail').fill('not.bold5@');
    await page.locator('#mailbox-match-count').filter({ hasText: /^1 shown/ }).waitFor();
    assert.equal(await page.locator('.mailbox-name').first().textContent(), '<b>Not bold</b> Test');
    assert.equal(await page.locator('.mailbox-list b').count(), 0);
  });

  test('expired session explained', async () => {
    await openFabrikam();
    await sim.call('POST', '/sim/restore-sessions/2a7d1c88-0b4e-4f6a-8d3e-5e9f7a6b0b02/expire');
    await page.getByRole('button', { name: /^Use session/ }).first().click();
    const alert = page.getByRole('alert').filter({ hasText: 'has probably expired' });
    await assert.doesNotReject(alert.waitFor());
    assert.match(await alert.textContent(), /HTTP 500/);
  });

  test('stopped sessions cannot be used', async () => {
    await page.goto(simulator.url);
    await signIn(page);
    await page.getByRole('button', { name: 'Choose Contoso Ltd.' }).click();
    const stopped = page.getByRole('button', { name: /is stopped$/ });
    await stopped.first().waitFor();
    assert.equal(await stopped.first().isDisabled(), true);
  });
});
