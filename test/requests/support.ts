/** Helpers for the request tests: the app with only this capability, form data, invoke calls, store reads. */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { registerRequests } from '../../src/requests/index.js';
import type { RequestRecord, RequestSettings } from '../../src/requests/model.js';
import { execute, message, people, type ActivityOptions, type TestUser } from '../helpers/activities.js';
import { cardOf, startTestApp, textOf, type TestApp, type TestAppOptions } from '../helpers/app.js';
import type { CapturedActivity } from '../helpers/connector.js';

/** A Monday: SQL Server 2022 is N-1 in mainstream, the sample contract runs until 2027-03-17. */
export const MONDAY = new Date('2026-06-01T09:00:00Z');
export const CHANNEL = '19:helpdesk@thread.tacv2';
export const personalChat = (u: TestUser) => `a:personal-${u.aadObjectId}`;

/** The sample organisation (config/org.mpn-2021.sample.json) as an object, for variations. */
export function sampleOrg(): { people: object[]; competencies: object[]; benefits: Record<string, unknown> } & Record<string, unknown> {
  return JSON.parse(fs.readFileSync('config/org.mpn-2021.sample.json', 'utf8'));
}

/** The app with the core and the requests capability only, on a clock the test controls. */
export async function startRequestsApp(opts: TestAppOptions & { clock?: { now: Date } } = {}): Promise<TestApp> {
  const clock = opts.clock ?? { now: MONDAY };
  return startTestApp({ ...opts, now: () => clock.now, capabilities: [registerRequests] });
}

/** A valid request form (SQL Server 2022 for the organisation) with a fresh form id. */
export function form(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    formId: randomUUID(),
    product: 'SQL Server 2022',
    for: 'organisation',
    customerName: '',
    customerTenantId: '',
    severity: 'B',
    title: 'Failover fails after the May update',
    description: 'Cluster failover fails with error 0x80071736 since the May cumulative update.',
    ...over,
  };
}

export interface InvokeAnswer {
  status: number;
  /** The invoke body's statusCode (200, or the error status). */
  code: number;
  card?: any;
  text: string;
}

/** Posts an Action.Execute and reads the invoke response (card, message or error). */
export async function exec(t: TestApp, verb: string, data: Record<string, unknown>, opts: ActivityOptions = {}): Promise<InvokeAnswer> {
  const r = await t.post(execute(verb, data, opts));
  const body = r.body ?? {};
  const card = body.type === 'application/vnd.microsoft.card.adaptive' ? body.value : undefined;
  const text = card ? textOf(card) : typeof body.value === 'string' ? body.value : String(body.value?.message ?? '');
  return { status: r.status, code: body.statusCode ?? r.status, card, text };
}

/** Everyone says "help" in personal chat, so proactive messages can reach them. */
export async function introduce(t: TestApp, ...users: TestUser[]): Promise<void> {
  for (const u of users) await t.replies(message('help', { from: u }));
}

/** An admin makes CHANNEL the help desk channel; returns the reply text. */
export async function setChannel(t: TestApp, who: TestUser = people.globalAdmin, opts: ActivityOptions = {}): Promise<string> {
  const replies = await t.replies(message('set help desk channel', { from: who, kind: 'channel', ...opts }));
  return replies.map(textOf).join('\n');
}

/** Opens a request through the form's verb in personal chat; returns the answer and the stored record. */
export async function open(t: TestApp, who: TestUser, over: Record<string, unknown> = {}, opts: ActivityOptions = {}): Promise<{ answer: InvokeAnswer; record: RequestRecord }> {
  const answer = await exec(t, 'requests.create', form(over), { from: who, ...opts });
  const id = answer.card?.refresh?.action?.data?.requestId;
  if (!id) throw new Error(`no request opened: ${answer.code} ${answer.text.slice(0, 400)}`);
  const record = await requests(t).get(id);
  if (!record) throw new Error(`request ${id} not stored`);
  return { answer, record };
}

/** The requests repository of the running app. */
export function requests(t: TestApp) {
  return t.app.deps.store.collection<RequestRecord>('requests');
}

/** The request settings repository of the running app. */
export function settings(t: TestApp) {
  return t.app.deps.store.collection<RequestSettings>('request-settings');
}

/** A request read back from the store (throws when missing). */
export async function reload(t: TestApp, id: string): Promise<RequestRecord> {
  const r = await requests(t).get(id);
  if (!r) throw new Error(`request ${id} missing`);
  return r;
}

/** Help desk action on the channel card. */
export function act(t: TestApp, who: TestUser, verb: string, r: Pick<RequestRecord, 'id' | 'version'>, data: Record<string, unknown> = {}): Promise<InvokeAnswer> {
  return exec(t, verb, { requestId: r.id, version: r.version, ...data }, { from: who, kind: 'channel', conversationId: CHANNEL });
}

/** Activities sent to a conversation so far. */
export function sentTo(t: TestApp, conversationId: string): CapturedActivity[] {
  return t.connector.sent.filter((s) => s.conversationId === conversationId);
}

/** Text of every activity sent to a conversation. */
export function textsTo(t: TestApp, conversationId: string): string[] {
  return sentTo(t, conversationId).map((s) => textOf(s.activity));
}

/** The triage card posted to the channel for a request. */
export function postedCard(t: TestApp, key: string): CapturedActivity | undefined {
  return sentTo(t, CHANNEL).find((s) => textOf(s.activity).includes(key) && cardOf(s.activity)?.refresh?.action?.data?.view === 'triage');
}

/** The latest in-place update of an activity. */
export function latestUpdate(t: TestApp, activityId: string): CapturedActivity | undefined {
  return [...t.connector.updates].reverse().find((u) => u.id === activityId);
}

/** Runs `fn` over `items` with at most `n` at a time. */
export async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

export { cardOf, textOf };
