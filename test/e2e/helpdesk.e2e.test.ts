/**
 * Support requests and help desk triage (issue 7) in the real client: one bot on the (activated) sample organisation,
 * two Agents Playgrounds on it at once — Adele Vance (staff) and Isaiah Langer (help desk) — each in its own page.
 *
 * Isaiah makes "Help desk" (team "Contoso Support") the help desk channel with a real @mention picked from the
 * Playground's mention menu; Adele opens a request in her personal chat; the triage card appears in Isaiah's channel;
 * he claims it and the card changes in place.
 *
 * Order matters with two Playgrounds: each one is a separate "Teams" with its own connector, and the bot keeps the
 * channel's conversation reference of the last activity it saw there. Isaiah's @mention is the last channel activity,
 * so the triage card is posted to his Playground (a Playground loaded later would announce the channel again).
 */
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  cardCount,
  cardsWith,
  freePort,
  launchBrowser,
  openConversation,
  playgroundLog,
  postWithMention,
  say,
  shot,
  startBot,
  startPlayground,
  waitForCardWith,
  type Running,
} from './harness.js';

describe('Agents Playground: a support request reaches the help desk channel and is claimed there', () => {
  let bot: Running & { dataDir: string; logs: string[] };
  let adelePg: Running & { dir: string };
  let isaiahPg: Running & { dir: string };
  let browser: Browser;
  let adeleContext: BrowserContext;
  let isaiahContext: BrowserContext;
  let adele: Page;
  let isaiah: Page;
  let adeleUrl: string;
  let isaiahUrl: string;

  beforeAll(async () => {
    const [botPort, adelePort, isaiahPort] = await Promise.all([freePort(), freePort(), freePort()]);
    bot = await startBot({ port: botPort });
    [adelePg, isaiahPg] = await Promise.all([
      startPlayground({ botPort, port: adelePort, personalChatId: 'personal-adele' }),
      startPlayground({ botPort, port: isaiahPort, currentUser: 'user-isaiah', personalChatId: 'personal-isaiah' }),
    ]);
    adeleUrl = `http://127.0.0.1:${adelePort}/`;
    isaiahUrl = `http://127.0.0.1:${isaiahPort}/`;
    browser = await launchBrowser();
    adeleContext = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    // Taller, so the whole triage card fits in the channel screenshot.
    isaiahContext = await browser.newContext({ viewport: { width: 1400, height: 1400 } });
    [adele, isaiah] = await Promise.all([adeleContext.newPage(), isaiahContext.newPage()]);
  }, 90000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([adelePg?.stop(), isaiahPg?.stop()]);
    await bot?.stop();
    for (const dir of [bot?.dataDir, adelePg?.dir, isaiahPg?.dir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 30000);

  const diagnostics = () =>
    [`--- bot ---\n${bot.logs.join('').slice(-6000)}`, `--- Adele's Playground ---\n${playgroundLog(adelePg.dir).slice(-3000)}`, `--- Isaiah's Playground ---\n${playgroundLog(isaiahPg.dir).slice(-3000)}`].join('\n');

  it('Isaiah sets the channel with an @mention, Adele opens a request, Isaiah claims it on the triage card', async () => {
    try {
      await adele.goto(adeleUrl, { waitUntil: 'networkidle' });
      await waitForCardWith(adele, 'Welcome to Partner Support Assistant');
      await isaiah.goto(isaiahUrl, { waitUntil: 'networkidle' });
      await waitForCardWith(isaiah, 'Welcome to Partner Support Assistant');

      // The help desk channel: "@Partner Support set help desk channel" in "Help desk". The bot answers channel
      // messages only when they @mention it, so its answer proves the Playground sent a real mention entity.
      await openConversation(isaiah, 'Help desk');
      await postWithMention(isaiah, 'Partner Support', 'set help desk channel');
      const set = (await waitForCardWith(isaiah, 'Help desk channel set')).first();
      expect(await set.innerText()).toContain('This channel is now the help desk channel');
      await shot(isaiah, 'e2e-helpdesk-1-isaiah-channel-set');
      const channelCards = await cardCount(isaiah);

      // Adele opens a request in her personal chat.
      await adele.bringToFront();
      await say(adele, 'new request');
      const form = (await waitForCardWith(adele, 'New support request')).last();
      await form.getByLabel('Product and version').fill('SQL Server 2022');
      await form.getByRole('radio', { name: 'Our own organisation' }).check();
      await form.getByRole('combobox', { name: /Severity/ }).click();
      await adele.getByRole('option', { name: /^B: moderate/ }).click();
      await form.getByLabel('Short title').fill('Cluster failover fails after the update');
      await form.getByLabel('Description').fill('Since the cumulative update, failover of the availability group stops with error 41131. Restarting the nodes did not help.');
      await shot(adele, 'e2e-helpdesk-2-adele-form');
      await form.getByRole('button', { name: 'Open request' }).click();

      // The form turns into her status card, with the request number.
      const status = (await waitForCardWith(adele, /Request PSA-\d{4} is open/)).last();
      const statusText = await status.innerText();
      const key = /Request (PSA-\d{4}) is open/.exec(statusText)![1];
      expect(statusText).toContain('Cluster failover fails after the update');
      expect(statusText).toContain('SQL Server 2022');
      expect(statusText).toContain('B (moderate)');
      expect(statusText).toContain('The help desk has it in their channel and will follow up.');
      await shot(adele, 'e2e-helpdesk-3-adele-request-open');

      // Isaiah's "Help desk" channel receives the triage card as a new post.
      await isaiah.bringToFront();
      const headline = `${key} · Severity B`;
      const triage = (await waitForCardWith(isaiah, headline)).first();
      let triageText = await triage.innerText();
      expect(triageText).toContain('Cluster failover fails after the update');
      expect(triageText).toContain('Adele Vance');
      expect(triageText).toContain('Nobody yet');
      expect(await cardCount(isaiah)).toBe(channelCards + 1);
      await triage.getByRole('button', { name: 'Claim', exact: true }).waitFor();
      await shot(isaiah, 'e2e-helpdesk-4-isaiah-triage-card');

      // Claim: the same card now says who has it, and offers no Claim any more. The card changes twice — the bot
      // updates the channel copy (updateActivity) and answers the click with the same card plus "You claimed …" for
      // the clicker — and the Playground shows whichever arrives last, so only the notice may be missing.
      await triage.getByRole('button', { name: 'Claim', exact: true }).click();
      const claimed = (await waitForCardWith(isaiah, /Assignee\s*Isaiah Langer/)).first();
      triageText = await claimed.innerText();
      expect(triageText).toContain(headline);
      expect(triageText).not.toContain('Nobody yet');
      expect(await claimed.getByRole('button', { name: 'Claim', exact: true }).count()).toBe(0);
      // In place: still one card for the request and no new post in the channel.
      expect(await cardsWith(isaiah, headline).count()).toBe(1);
      expect(await cardCount(isaiah)).toBe(channelCards + 1);
      // The bot's own update of the channel copy (updateActivity through the Playground's connector) went through.
      expect(bot.logs.join('')).not.toContain('triage card not updated in place');
      await shot(isaiah, 'e2e-helpdesk-5-isaiah-claimed');
    } catch (err) {
      console.error(diagnostics());
      await Promise.all([shot(adele, 'e2e-helpdesk-failure-adele').catch(() => undefined), shot(isaiah, 'e2e-helpdesk-failure-isaiah').catch(() => undefined)]);
      throw err;
    }
  }, 90000);
});
