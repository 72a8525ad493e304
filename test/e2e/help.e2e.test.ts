import type { Browser, Page } from 'playwright-core';
import { cardCount, freePort, launchBrowser, say, shot, startBot, startPlayground, waitForCards, type Running } from './harness.js';

describe('Agents Playground: first contact', () => {
  let bot: Running;
  let playground: Running;
  let browser: Browser;
  let page: Page;
  let playgroundUrl: string;

  beforeAll(async () => {
    const botPort = await freePort();
    const pgPort = await freePort();
    bot = await startBot({ port: botPort });
    playground = await startPlayground({ botPort, port: pgPort });
    playgroundUrl = `http://127.0.0.1:${pgPort}/`;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
    await bot?.stop();
  });

  it('shows the welcome card, answers "help" and runs a card button', async () => {
    await page.goto(playgroundUrl, { waitUntil: 'networkidle' });
    await waitForCards(page, 1);
    await shot(page, 'e2e-welcome');
    expect(await page.locator('.ac-adaptiveCard').first().innerText()).toContain('Welcome to Partner Support Assistant');

    const before = await cardCount(page);
    await say(page, 'help');
    await waitForCards(page, before + 1);
    const helpCard = page.locator('.ac-adaptiveCard').last();
    expect(await helpCard.innerText()).toContain('I help the people of Contoso Partners');

    const afterHelp = await cardCount(page);
    await helpCard.getByRole('button', { name: 'Help', exact: true }).click();
    await waitForCards(page, afterHelp + 1);
    expect(await page.locator('.ac-adaptiveCard').last().innerText()).toContain('Partner Support Assistant');
    const file = await shot(page, 'e2e-help');
    expect(file).toMatch(/e2e-help\.png$/);
  });
});
