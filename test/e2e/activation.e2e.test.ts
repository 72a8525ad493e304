/**
 * Activation with approval (issue 4) in the real client: one bot on the not-yet-activated sample organisation, two
 * Agents Playgrounds on it at once — Adele Vance (staff) and Alex Wilber (Global Admin) — each in its own browser page.
 *
 * Adele asks, Alex gets the approval card proactively, approves, records the IDs; Adele is told and sees the masked IDs.
 *
 * Not covered here, because the Playground can't: Teams refreshes Adele's own copy of the approval card (its
 * `refresh` goes to her) when it is shown again; the Playground sends no automatic `refresh` invokes, so her copy keeps
 * "Waiting for an admin" and the test checks her notices instead. The refresh verb (what Teams would send) is tested
 * over HTTP in test/activation/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { freePort, launchBrowser, playgroundLog, say, shot, startBot, startPlayground, waitForCardWith, type Running } from './harness.js';

const root = path.resolve(__dirname, '..', '..');

/** Local calendar date as yyyy-mm-dd (the Playground's date input works in local time). */
const isoDate = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** Types a date into an Adaptive Card Input.Date (a Fluent date picker with text input) and commits it. */
async function typeDate(page: Page, input: Locator, d: Date): Promise<void> {
  // "July 1, 2026" is parsed in local time; "2026-07-01" would be UTC midnight, the day before west of Greenwich.
  await input.fill(d.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric' }));
  await input.press('Tab');
  await page.keyboard.press('Escape'); // closes the calendar pop-up if it opened
}

describe('Agents Playground: activation with an admin\'s approval (two people at once)', () => {
  let bot: Running & { dataDir: string; logs: string[] };
  let adelePg: Running & { dir: string };
  let alexPg: Running & { dir: string };
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let adele: Page;
  let alex: Page;
  let adeleUrl: string;
  let alexUrl: string;

  beforeAll(async () => {
    const [botPort, adelePort, alexPort] = await Promise.all([freePort(), freePort(), freePort()]);
    bot = await startBot({ port: botPort, orgFile: path.join(root, 'config/org.mpn-2021.not-activated.sample.json') });
    [adelePg, alexPg] = await Promise.all([
      startPlayground({ botPort, port: adelePort, personalChatId: 'personal-adele' }),
      startPlayground({ botPort, port: alexPort, currentUser: 'user-alex', personalChatId: 'personal-alex' }),
    ]);
    adeleUrl = `http://127.0.0.1:${adelePort}/`;
    alexUrl = `http://127.0.0.1:${alexPort}/`;
    browser = await launchBrowser();
    for (let i = 0; i < 2; i++) contexts.push(await browser.newContext({ viewport: { width: 1400, height: 1000 } }));
    [adele, alex] = await Promise.all(contexts.map((c) => c.newPage()));
  }, 90000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([adelePg?.stop(), alexPg?.stop()]);
    await bot?.stop();
    for (const dir of [bot?.dataDir, adelePg?.dir, alexPg?.dir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 30000);

  /** On failure, what the bot and the Playgrounds said. */
  const diagnostics = () =>
    [`--- bot ---\n${bot.logs.join('').slice(-6000)}`, `--- Adele's Playground ---\n${playgroundLog(adelePg.dir).slice(-3000)}`, `--- Alex's Playground ---\n${playgroundLog(alexPg.dir).slice(-3000)}`].join('\n');

  it('Adele asks, Alex approves and records the IDs, Adele is told', async () => {
    try {
      // Alex first: the Playground installs the bot on load (installationUpdate + conversationUpdate), so the bot
      // stores his personal conversation and welcomes him. Only then can it reach him proactively.
      await alex.goto(alexUrl, { waitUntil: 'networkidle' });
      await waitForCardWith(alex, 'Welcome to Partner Support Assistant');
      await shot(alex, 'e2e-activation-1-alex-welcome');

      await adele.goto(adeleUrl, { waitUntil: 'networkidle' });
      await waitForCardWith(adele, 'Welcome to Partner Support Assistant');

      // A3: the greyed-out Activate button, explained, with the people who can activate.
      await say(adele, 'activate');
      const ask = (await waitForCardWith(adele, 'Only an admin can activate')).last();
      const askText = await ask.innerText();
      expect(askText).toContain('If the Activate button on the Technical benefits page is greyed out for you');
      expect(askText).toContain('People in Contoso Partners who can activate:');
      expect(askText).toContain('Alex Wilber');
      expect(askText).toContain('Megan Bowen');
      await shot(adele, 'e2e-activation-2-adele-greyed-out');

      // "Ask an admin to activate" (activation.ask.button): the card becomes the request's status.
      await ask.getByRole('button', { name: 'Ask an admin to activate' }).click();
      const status = (await waitForCardWith(adele, /Activation request AR-\d{4}/)).last();
      const statusText = await status.innerText();
      const requestId = /Activation request (AR-\d{4})/.exec(statusText)![1];
      expect(statusText).toContain('Waiting for an admin since');
      expect(statusText).toContain('I asked the admins of Contoso Partners.');
      // Megan never opened a chat with the bot: the requester is told who could not be reached.
      expect(statusText).toContain("I couldn't reach these admins");
      expect(statusText).toContain('Megan Bowen');
      await shot(adele, 'e2e-activation-3-adele-request-sent');

      // Alex's page gets the approval card proactively, with Approve / Reject.
      await alex.bringToFront();
      const approval = (await waitForCardWith(alex, `Activation request ${requestId}`)).last();
      const approvalText = await approval.innerText();
      expect(approvalText).toContain('Adele Vance asks you to activate the technical support benefits of Contoso Partners.');
      expect(approvalText).toContain('Requested by: Adele Vance');
      await approval.getByRole('button', { name: 'Approve' }).waitFor();
      await approval.getByRole('button', { name: 'Reject' }).waitFor();
      await shot(alex, 'e2e-activation-4-alex-approval-card');

      await approval.getByRole('button', { name: 'Approve' }).click();
      // His copy turns read-only in place, and the steps follow.
      await waitForCardWith(alex, 'Approved by Alex Wilber at');
      const steps = (await waitForCardWith(alex, `You approved request ${requestId} from Adele Vance.`)).last();
      const stepsText = await steps.innerText();
      expect(stepsText).toContain('Activate the technical support benefits');
      expect(stepsText).toContain('3. Select Activate.');
      expect(await alex.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
      await shot(alex, 'e2e-activation-5-alex-steps');

      // Adele hears about the approval.
      const approvedNotice = (await waitForCardWith(adele, 'Your activation request was approved')).last();
      expect(await approvedNotice.innerText()).toContain(`Alex Wilber approved request ${requestId}`);

      // "I have activated" → the ID form (replaces the steps card).
      await steps.getByRole('button', { name: 'I have activated' }).click();
      const form = (await waitForCardWith(alex, 'Record the activation')).last();
      const accessId = 'AID-7788-E2E';
      const contractId = 'CID-1122-E2E';
      const start = new Date();
      start.setDate(start.getDate() - 30);
      const end = new Date(start);
      end.setFullYear(end.getFullYear() + 1);
      await form.getByLabel('Access ID').fill(accessId);
      await form.getByLabel('Contract ID').fill(contractId);
      const dates = form.locator('input[role="combobox"]'); // start date, end date
      await typeDate(alex, dates.nth(0), start);
      await typeDate(alex, dates.nth(1), end);
      expect(await form.getByLabel('Access ID').inputValue()).toBe(accessId);
      await shot(alex, 'e2e-activation-6-alex-form');

      await form.getByRole('button', { name: 'Save' }).click();
      const saved = (await waitForCardWith(alex, 'The benefits are activated')).last();
      expect(await saved.innerText()).toContain(`Request ${requestId} from Adele Vance is completed and they have been told.`);
      // His approval card copy says completed.
      await waitForCardWith(alex, 'Completed: activated by Alex Wilber at');
      await shot(alex, 'e2e-activation-7-alex-saved');

      // Adele's page receives the notification proactively, and the IDs are there for her (masked).
      await adele.bringToFront();
      const done = (await waitForCardWith(adele, `(request ${requestId})`)).last();
      const doneText = await done.innerText();
      expect(doneText).toContain('The benefits are activated');
      expect(doneText).toContain('Alex Wilber activated the technical support benefits of Contoso Partners');
      await shot(adele, 'e2e-activation-8-adele-notified');

      await done.getByRole('button', { name: 'Show the IDs' }).click();
      const ids = (await waitForCardWith(adele, 'Access ID and Contract ID of Contoso Partners')).last();
      const idsText = await ids.innerText();
      expect(idsText).toContain(`${isoDate(start)} to ${isoDate(end)}`);
      expect(idsText).toMatch(/Access ID: AI•+2E/);
      expect(idsText).not.toContain(accessId);
      expect(idsText).not.toContain(contractId);
      await shot(adele, 'e2e-activation-9-adele-ids');
    } catch (err) {
      console.error(diagnostics());
      await Promise.all([shot(adele, 'e2e-activation-failure-adele').catch(() => undefined), shot(alex, 'e2e-activation-failure-alex').catch(() => undefined)]);
      throw err;
    }
  }, 90000);
});
