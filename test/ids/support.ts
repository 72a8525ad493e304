/** Shared pieces of the IDs tests: the sample IDs, org variants, a pinned clock, and "everything the bot let out". */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BenefitsStore, type BenefitsRecord } from '../../src/benefits/benefits-store.js';
import { registerIds } from '../../src/ids/index.js';
import { SecretRegistry } from '../../src/logging/logger.js';
import { createSecretBox } from '../../src/storage/secret-box.js';
import { openStore, type Store } from '../../src/storage/store.js';
import { execute, message, type TestUser } from '../helpers/activities.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../helpers/app.js';

export const ACCESS_ID = 'SAMPLE-ACCESS-7F3K9Q';
export const CONTRACT_ID = 'SAMPLE-CONTRACT-2286401';
export const PLAIN = [ACCESS_ID, CONTRACT_ID];
export const NOW = new Date('2026-11-25T10:00:00.000Z');

export const sampleOrg = () => JSON.parse(fs.readFileSync('config/org.mpn-2021.sample.json', 'utf8'));

/** The sample org with its benefits changed. */
export function orgWith(benefits: Record<string, unknown>) {
  const org = sampleOrg();
  org.benefits = { ...org.benefits, ...benefits };
  return org;
}

export interface IdsTestApp extends TestApp {
  clock: { now: Date };
}

/** The real app with only the IDs capability and a pinned clock (default org: config/org.mpn-2021.sample.json, read in place). */
export async function startIdsApp(opts: Omit<TestAppOptions, 'now' | 'capabilities'> = {}): Promise<IdsTestApp> {
  const clock = { now: NOW };
  const t = await startTestApp({ ...opts, now: () => clock.now, capabilities: [registerIds] });
  return Object.assign(t, { clock });
}

/** Makes `u` talk to the bot once in personal chat, so proactive messages can reach them. */
export async function sayHello(t: TestApp, ...users: TestUser[]): Promise<void> {
  for (const u of users) await t.replies(message('help', { from: u }));
}

/** Posts an Action.Execute; returns the invoke response body ({ statusCode, type, value }). */
export async function invoke(t: TestApp, verb: string, data: Record<string, unknown>, from: TestUser, opts: Parameters<typeof execute>[2] = {}): Promise<any> {
  const r = await t.post(execute(verb, data, { from, ...opts }));
  expect(r.status).toBe(200);
  return r.body;
}

/** The org file the test helper writes into DATA_DIR for org variants: the test's input, not something the bot wrote. */
const TEST_INPUT = 'org.test-input.json';

/** Every file under `dir` (recursively) as text. */
export function filesUnder(dir: string): { file: string; text: string }[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile())
    .map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
}

/** Where a plain ID was found: connector sends and updates, log lines, data files. */
export function leaksOutsideReplies(t: TestApp): string[] {
  const found: string[] = [];
  const check = (where: string, text: string) => {
    for (const v of PLAIN) if (text.includes(v)) found.push(`${where} contains ${v}`);
  };
  for (const s of t.connector.sent) check(`sent to ${s.conversationId}`, JSON.stringify(s.activity));
  for (const u of t.connector.updates) check(`update of ${u.id}`, JSON.stringify(u.activity));
  for (const c of t.connector.created) check('created conversation', JSON.stringify(c));
  t.logs.forEach((l, i) => check(`log line ${i}`, l));
  for (const f of filesUnder(t.dataDir)) {
    const name = path.relative(t.dataDir, f.file);
    if (name !== TEST_INPUT) check(`file ${name}`, f.text);
  }
  return found;
}

/** A BenefitsStore over a real file store in a temp dir, seeded with the sample benefits. */
export async function benefitsOnDisk(benefits: Record<string, unknown> = {}): Promise<{ store: Store; benefits: BenefitsStore; dir: string; tenantId: string; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-ids-'));
  const store = openStore(dir);
  const box = createSecretBox({ keyBase64: '', dataDir: dir, allowKeyFile: true });
  const b = new BenefitsStore(store.collection<BenefitsRecord>('benefits'), box, new SecretRegistry());
  const org = orgWith(benefits);
  await b.seed(org.tenantId, org.benefits, NOW);
  return { store, benefits: b, dir, tenantId: org.tenantId, close: () => store.close() };
}
