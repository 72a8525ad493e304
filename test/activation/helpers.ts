/** Shared pieces of the activation HTTP tests: org variants, a movable clock, reading approval cards off the connector. */
import fs from 'node:fs';
import { registerActivation } from '../../src/activation/index.js';
import { ActivationVerb } from '../../src/activation/verbs.js';
import type { ActivationRequest } from '../../src/activation/service.js';
import { execute, message, type TestUser } from '../helpers/activities.js';
import { actionsOf, cardOf, startTestApp, type TestApp } from '../helpers/app.js';
import type { CapturedActivity } from '../helpers/connector.js';

export const sampleOrg = () => JSON.parse(fs.readFileSync('config/org.mpn-2021.sample.json', 'utf8'));
export const notActivatedOrg = () => JSON.parse(fs.readFileSync('config/org.mpn-2021.not-activated.sample.json', 'utf8'));

export const START = new Date('2026-06-01T09:00:00.000Z');

export interface ActivationTestApp extends TestApp {
  clock: { now: Date };
}

/** The real app with only the activation capability, a pinned clock and the given org. */
export async function startActivationApp(org: object = notActivatedOrg(), env: Record<string, string> = {}): Promise<ActivationTestApp> {
  const clock = { now: START };
  const t = await startTestApp({ org, env, now: () => clock.now, capabilities: [registerActivation] });
  return Object.assign(t, { clock });
}

/** The personal conversation id the activity builders use for `u`. */
export const personalOf = (u: TestUser) => `a:personal-${u.aadObjectId}`;

/** Makes `u` talk to the bot once, so proactive messages can reach them. */
export async function sayHello(t: TestApp, ...users: TestUser[]): Promise<void> {
  for (const u of users) await t.replies(message('help', { from: u }));
}

/** Posts an Action.Execute; returns the invoke response body ({ statusCode, type, value }). */
export async function invoke(t: TestApp, verb: string, data: Record<string, unknown>, from: TestUser, opts: Parameters<typeof execute>[2] = {}): Promise<any> {
  const r = await t.post(execute(verb, data, { from, ...opts }));
  expect(r.status).toBe(200);
  return r.body;
}

/** Every text of a card (TextBlocks, TextRuns, titles), joined. */
export function textOfCard(card: any): string {
  const parts: string[] = [];
  const walk = (n: any) => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    for (const k of ['text', 'title', 'label', 'placeholder', 'value']) if (typeof n[k] === 'string') parts.push(n[k]);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return parts.join('\n');
}

/** The verbs of the Action.Execute buttons of a card (not its refresh action). */
export function buttonVerbs(card: any): string[] {
  const { refresh: _refresh, ...rest } = card ?? {};
  return actionsOf(rest).filter((a) => a.type === 'Action.Execute').map((a) => a.verb);
}

/** The approval cards the bot sent (proactively) into `u`'s personal chat. */
export function approvalCardsTo(t: TestApp, u: TestUser): CapturedActivity[] {
  return t.connector.sent.filter((s) => s.conversationId === personalOf(u) && cardOf(s.activity)?.refresh?.action?.verb === ActivationVerb.refresh);
}

/** Cards sent to `u`'s personal chat (proactive and replies), newest last. */
export function cardsTo(t: TestApp, u: TestUser): any[] {
  return t.connector.sent.filter((s) => s.conversationId === personalOf(u)).map((s) => cardOf(s.activity)).filter(Boolean);
}

/** The stored request. */
export async function requestOf(t: TestApp, id: string): Promise<ActivationRequest> {
  const r = await t.app.deps.store.collection<ActivationRequest>('activation-requests').get(id);
  if (!r) throw new Error(`no request ${id}`);
  return r;
}

/** Audit events of an action. */
export async function auditOf(t: TestApp, action: string, subject?: string) {
  return t.app.deps.store.audit.recent((e) => e.action === action && (subject === undefined || e.subject === subject), 120);
}

/** Waits until `pred` holds (proactive sends finish after the invoke answer in some paths). */
export async function eventually(pred: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const started = Date.now();
  while (!(await pred())) {
    if (Date.now() - started > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
