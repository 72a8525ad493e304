/** Drives the real client: the built bot, the Microsoft 365 Agents Playground and headless Chromium. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

const root = path.resolve(__dirname, '..', '..');
export const resultsDir = path.join(root, 'test-results');

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitFor(url: string, ms: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

export interface Running {
  stop(): Promise<void>;
}

function stopProcess(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
    setTimeout(() => p.kill('SIGKILL'), 8000).unref();
  });
}

/** Starts dist/src/index.js (run `npm run build` first). */
export async function startBot(opts: { port: number; dataDir?: string; orgFile?: string; env?: Record<string, string> }): Promise<Running & { dataDir: string; logs: string[] }> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'psa-e2e-'));
  const logs: string[] = [];
  const p = spawn(process.execPath, [path.join(root, 'dist/src/index.js')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'development', PORT: String(opts.port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...(opts.orgFile ? { ORG_FILE: opts.orgFile } : {}), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  p.stdout?.on('data', (d: Buffer) => logs.push(d.toString()));
  p.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
  await waitFor(`http://127.0.0.1:${opts.port}/healthz`, 15000);
  return { dataDir, logs, stop: () => stopProcess(p) };
}

/** Writes a Playground config (the repository's one with another current user) into a temp folder and starts it there. */
export async function startPlayground(opts: { botPort: number; port: number; currentUser?: string; personalChatId?: string }): Promise<Running & { dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-playground-'));
  let yml = fs.readFileSync(path.join(root, '.m365agentsplayground.yml'), 'utf8');
  if (opts.currentUser) yml = swapCurrentUser(yml, opts.currentUser);
  // Two Playgrounds on one bot (two people at once) need distinct personal chats.
  if (opts.personalChatId) yml = yml.replace(/personalChat:\n  id: .*\n/, `personalChat:\n  id: ${opts.personalChatId}\n`);
  fs.writeFileSync(path.join(dir, '.m365agentsplayground.yml'), yml);
  const p = spawn(process.execPath, [path.join(root, 'node_modules/@microsoft/m365agentsplayground/cli.js'), '-e', `http://127.0.0.1:${opts.botPort}/api/messages`, '-c', 'msteams', '-p', String(opts.port), '--dt'], {
    cwd: dir,
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitFor(`http://127.0.0.1:${opts.port}/`, 30000);
  return { dir, stop: () => stopProcess(p) };
}

/** Makes the user whose `id` is `userId` the current user (the previous current user takes their place in `users`). */
export function swapCurrentUser(yml: string, userId: string): string {
  const block = (start: number) => {
    const lines = yml.slice(start).split('\n');
    let n = 1;
    while (n < lines.length && /^ {4}\S/.test(lines[n])) n++;
    return lines.slice(0, n).join('\n');
  };
  const userStart = yml.indexOf(`  - id: ${userId}\n`);
  if (userStart < 0) throw new Error(`user ${userId} not in the Playground config`);
  const userBlock = block(userStart);
  const curStart = yml.indexOf('currentUser:\n');
  const curLines = yml.slice(curStart).split('\n');
  let n = 1;
  while (n < curLines.length && /^ {2}\S/.test(curLines[n])) n++;
  const curBlock = curLines.slice(0, n).join('\n');
  const newCurrent = `currentUser:\n${userBlock.replace(/^ {2}- /, '  ').replace(/\n {4}/g, '\n  ')}`;
  const newUser = curBlock.replace(/^currentUser:\n {2}/, '  - ').replace(/\n {2}/g, '\n    ');
  return yml.replace(userBlock, newUser).replace(curBlock, newCurrent);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Types a message into the Playground's compose box and sends it. */
export async function say(page: Page, text: string): Promise<void> {
  const box = page.locator('[contenteditable="true"][role="textbox"]');
  await box.click();
  await page.keyboard.type(text);
  await page.getByRole('button', { name: 'Send Message' }).click();
}

/** Number of Adaptive Cards rendered in the conversation. */
export function cardCount(page: Page): Promise<number> {
  return page.locator('.ac-adaptiveCard').count();
}

/** Waits until at least `n` cards are rendered. */
export async function waitForCards(page: Page, n: number, ms = 15000): Promise<void> {
  await page.locator('.ac-adaptiveCard').nth(n - 1).waitFor({ timeout: ms });
}

/** Saves a full-page screenshot under test-results/. */
export async function shot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Every rendered card whose text contains `text` (in a chat the newest is last; in a channel the newest post is first). */
export function cardsWith(page: Page, text: string | RegExp): Locator {
  return page.locator('.ac-adaptiveCard', { hasText: text });
}

/** Waits until a card containing `text` is rendered (sent, proactive, or updated in place) and returns all such cards. */
export async function waitForCardWith(page: Page, text: string | RegExp, ms = 20000): Promise<Locator> {
  const cards = cardsWith(page, text);
  await cards.first().waitFor({ timeout: ms });
  return cards;
}

/** Opens a chat or channel from the Playground's left pane ("Personal Chat", "Partner team chat", "General", "Help desk"). */
export async function openConversation(page: Page, name: string): Promise<void> {
  await page.getByText(name, { exact: true }).first().click();
}

/**
 * Starts a new post in the open channel with an @mention picked from the Playground's mention menu (typing "@"
 * opens it), then `text`, and posts it: the message carries a real mention entity, as in Teams.
 */
export async function postWithMention(page: Page, mention: string, text: string): Promise<void> {
  await page.getByRole('button', { name: 'Post', exact: true }).waitFor();
  const box = page.locator('[contenteditable="true"][role="textbox"]').first();
  await box.click();
  await page.keyboard.type('@');
  await page.locator('#typeahead-menu').getByRole('menuitem', { name: mention }).click();
  await page.keyboard.type(` ${text}`);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
}

/** The Playground's own log (devTools/m365agentsplayground.log in its working folder), '' when there is none yet. */
export function playgroundLog(dir: string): string {
  const file = path.join(dir, 'devTools', 'm365agentsplayground.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}
