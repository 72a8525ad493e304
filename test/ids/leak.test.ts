/**
 * THE LEAK TEST (R2): every kind of person who must not see the IDs, in every conversation type, sends every
 * ID-related command and every card action (forged with plausible data). The plain values must be in no reply,
 * no connector send or update, no log line and no file under DATA_DIR.
 */
import { Intent } from '../../src/bot/intents.js';
import { CoreVerb } from '../../src/core/index.js';
import { IdsVerb } from '../../src/ids/verbs.js';
import { OTHER_TENANT, TENANT, execute, message, people, submit, type ConversationKind, type TestUser } from '../helpers/activities.js';
import { textOf } from '../helpers/app.js';
import { leaksOutsideReplies, PLAIN, sayHello, startIdsApp, type IdsTestApp } from './support.js';

const FORBIDDEN: [string, TestUser][] = [
  ['CSP-only', people.cspOnly],
  ['unknown', people.unknown],
  ['guest', people.guest],
  ['other tenant', people.otherTenant],
];
const KINDS: ConversationKind[] = ['personal', 'groupChat', 'channel'];
const TYPED = ['ids', 'access id', 'contract id', 'what are our ids', 'our ids', 'show me the access id and contract id', '액세스 id', '계약 id', '아이디', 'ID 알려줘', 'how many incidents are left', 'incidents remaining', '남은 인시던트'];
const RUN = [Intent.ids, Intent.incidents];

/** Every card action, with data a forger would send (a real version number included). */
function actions(version: number): [string, Record<string, unknown>][] {
  return [
    [IdsVerb.reveal, {}],
    [IdsVerb.hide, {}],
    ...(['supportForBusiness', 'azure', 'dynamics365', 'powerPlatform'] as const).map((portal): [string, Record<string, unknown>] => [IdsVerb.associate, { portal }]),
    [IdsVerb.editContract, {}],
    [IdsVerb.saveContract, { version, startDate: '2026-02-15', endDate: '2030-12-31', onPremises: '999', cloud: '999' }],
    [IdsVerb.incidents, {}],
  ];
}

/** Sends everything as `who` in `kind`; returns every reply and invoke response body as JSON text. */
async function sendEverything(t: IdsTestApp, who: TestUser, kind: ConversationKind): Promise<string[]> {
  const out: string[] = [];
  const opts = { from: who, kind };
  for (const text of TYPED) out.push(JSON.stringify(await t.replies(message(text, opts))));
  for (const command of RUN) out.push(JSON.stringify(await t.replies(submit(CoreVerb.runCommand, { command, args: '' }, opts))));
  const version = (await t.app.deps.benefits.record(TENANT))!.version;
  for (const [verb, data] of actions(version)) {
    for (const trigger of ['manual', 'automatic'] as const) {
      const r = await t.post(execute(verb, data, { ...opts, trigger }));
      expect(r.status).toBe(200);
      out.push(JSON.stringify(r.body));
    }
    out.push(JSON.stringify(await t.replies(submit(verb, data, opts))));
  }
  return out;
}

describe.each([
  ['tenant gate on (default)', {}],
  ['the other tenant allowed in too', { ALLOWED_TENANT_IDS: `${TENANT},${OTHER_TENANT}` }],
])('[R2] the leak test, %s', (_label, env) => {
  let t: IdsTestApp;
  beforeAll(async () => {
    t = await startIdsApp({ env });
    // Everyone has a personal chat, so nothing fails for lack of one.
    await sayHello(t, ...FORBIDDEN.map(([, u]) => u), people.staff);
  });
  afterAll(async () => {
    await t.stop();
  });

  describe.each(FORBIDDEN)('%s', (_who, who) => {
    it.each(KINDS)('[R2] in %s: no plain value in any reply, send, update, log line or data file; nothing changed', async (kind) => {
      const before = await t.app.deps.benefits.record(TENANT);
      const replies = await sendEverything(t, who, kind);
      expect(replies.length).toBeGreaterThan(30);
      for (const r of replies) for (const v of PLAIN) expect(r).not.toContain(v);
      expect(leaksOutsideReplies(t)).toEqual([]);
      const after = await t.app.deps.benefits.record(TENANT);
      expect(after).toEqual(before);
      expect(await t.app.deps.store.audit.recent((e) => e.action === 'ids.revealed' || e.action === 'ids.associated' || e.action === 'ids.contract.updated')).toEqual([]);
    });
  });

  it('[R2] nothing needed scrubbing: no log line was ever redacted', () => {
    expect(t.logs.filter((l) => l.includes('[REDACTED]'))).toEqual([]);
  });
});

describe('[R2] refusals explain why', () => {
  let t: IdsTestApp;
  beforeAll(async () => {
    t = await startIdsApp({ env: { ALLOWED_TENANT_IDS: `${TENANT},${OTHER_TENANT}` } });
  });
  afterAll(async () => {
    await t.stop();
  });

  it.each([
    ['[R2] CSP-only: use the MPN-associated account (A1)', people.cspOnly, /associated only with the Cloud Solution Provider.*sign in with your MPN-associated account/s],
    ['[R2] unknown: not among the people of the organisation', people.unknown, /can't find you among the people of Contoso Partners/],
    ['[R2] guest: guests cannot see them', people.guest, /not to guests/],
    ['[R2] other tenant: another organisation', people.otherTenant, /another organisation's account/],
  ])('%s', async (_label, who, expected) => {
    const [reply] = await t.replies(message('ids', { from: who }));
    expect(textOf(reply)).toMatch(expected);
    const body = (await t.post(execute(IdsVerb.reveal, {}, { from: who }))).body;
    expect(body.statusCode).toBe(403);
    expect(body.value.message).toMatch(expected);
  });
});

describe('[R2] allowed people: values only in the reveal invoke response', () => {
  let t: IdsTestApp;
  beforeAll(async () => {
    t = await startIdsApp();
    await sayHello(t, people.staff, people.globalAdmin);
  });
  afterAll(async () => {
    await t.stop();
  });

  it.each(KINDS)('[R2] in %s: every message reply and proactive send is masked; only Reveal (personal, manual) carries the values', async (kind) => {
    for (const who of [people.staff, people.globalAdmin]) {
      const opts = { from: who, kind };
      const messages: string[] = [];
      for (const text of TYPED) messages.push(JSON.stringify(await t.replies(message(text, opts))));
      for (const command of RUN) messages.push(JSON.stringify(await t.replies(submit(CoreVerb.runCommand, { command, args: '' }, opts))));
      const version = (await t.app.deps.benefits.record(TENANT))!.version;
      for (const [verb, data] of actions(version)) {
        if (verb === IdsVerb.saveContract) continue; // covered in the HTTP tests; here it would change the contract
        messages.push(JSON.stringify(await t.replies(submit(verb, data, opts))));
        const body = JSON.stringify((await t.post(execute(verb, data, { ...opts, trigger: 'automatic' }))).body);
        for (const v of PLAIN) expect(body).not.toContain(v);
        const manual = JSON.stringify((await t.post(execute(verb, data, opts))).body);
        const shouldHold = verb === IdsVerb.reveal && kind === 'personal';
        for (const v of PLAIN) expect(manual.includes(v)).toBe(shouldHold);
      }
      for (const m of messages) for (const v of PLAIN) expect(m).not.toContain(v);
    }
    expect(leaksOutsideReplies(t)).toEqual([]);
    expect(t.logs.filter((l) => l.includes('[REDACTED]'))).toEqual([]);
  });
});
