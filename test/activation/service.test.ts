import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Person, Tier } from '../../src/domain/org.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openStore, type Store } from '../../src/storage/store.js';
import {
  ActivationRequests,
  activationAdmins,
  applyDecision,
  cleanComment,
  COMMENT_MAX,
  dueActions,
  guidanceFor,
  isIsoDate,
  RequestClosedError,
  REQUESTS_COLLECTION,
  requestIdOf,
  validateContract,
  type ActivationRequest,
  type Requester,
} from '../../src/activation/service.js';

const person = (name: string, over: Partial<Person> = {}): Person => ({ aadObjectId: `id-${name}`, name, mpnAssociated: true, cspAssociated: false, roles: [], ...over });
const alex = person('Alex Wilber', { roles: ['globalAdmin'] });
const megan = person('Megan Bowen', { roles: ['mpnPartnerAdmin'] });
const adele = person('Adele Vance');
const isaiah = person('Isaiah Langer', { roles: ['helpDesk'] });
const patti = person('Patti Fernandez', { mpnAssociated: false, cspAssociated: true, roles: ['adminAgent'] });
const lynne = person('Lynne Robbins', { roles: ['helpDesk', 'adminAgent'] });
const ghostAdmin = person('Ghost Admin', { mpnAssociated: false, roles: ['globalAdmin'] });
const noCsp = person('No Csp', { mpnAssociated: false });

const notActivated = { activated: false };
const activated = { activated: true, activatedAt: '2026-02-15T00:00:00.000Z', activatedBy: alex.aadObjectId };

describe('guidance for "activate"', () => {
  it.each<[string, Person | undefined, Tier, { activated: boolean }, string]>([
    ['[A1] an unknown user is not authorized', undefined, 'gold', notActivated, 'notAuthorized:unknown'],
    ['[A1] a CSP-only account is not authorized', patti, 'gold', notActivated, 'notAuthorized:cspOnly'],
    ['[A1] an account not associated with MPN is not authorized', noCsp, 'gold', notActivated, 'notAuthorized:notMpn'],
    ['[A1][R1] a Global Admin without MPN association is not authorized either', ghostAdmin, 'gold', notActivated, 'notAuthorized:notMpn'],
    ['[A2] an organisation without membership has no benefits yet (staff)', adele, 'none', notActivated, 'noBenefits'],
    ['[A2] an organisation without membership has no benefits yet (admin)', alex, 'none', notActivated, 'noBenefits'],
    ['[A4] already activated: staff see when and by whom', adele, 'gold', activated, 'activated'],
    ['[A4] already activated: an admin may correct it', megan, 'silver', activated, 'activated:update'],
    ['[R1] a Global Admin activates', alex, 'gold', notActivated, 'selfActivate'],
    ['[R1] an MPN Partner Admin activates', megan, 'actionPack', notActivated, 'selfActivate'],
    ['[A3] staff ask an admin', adele, 'gold', notActivated, 'askAdmin'],
    ['[A3] help desk members ask an admin', isaiah, 'gold', notActivated, 'askAdmin'],
    ['[A3][R1] an Admin Agent is not an activating admin', lynne, 'gold', notActivated, 'askAdmin'],
  ])('%s', (_name, who, tier, state, expected) => {
    const g = guidanceFor(who, tier, state);
    const label = g.kind === 'notAuthorized' ? `${g.kind}:${g.reason}` : g.kind === 'activated' && g.canUpdate ? 'activated:update' : g.kind;
    expect(label).toBe(expected);
  });

  it('[A4] reports when and by whom it was activated', () => {
    expect(guidanceFor(adele, 'gold', activated)).toEqual({ kind: 'activated', activatedAt: activated.activatedAt, activatedBy: alex.aadObjectId, canUpdate: false });
  });

  it('[R1][A3] lists only MPN-associated Global Admins and MPN Partner Admins, each once, by name', () => {
    const both = person('Zed Both', { roles: ['globalAdmin', 'mpnPartnerAdmin'] });
    expect(activationAdmins([megan, alex, ghostAdmin, both], [megan, both]).map((p) => p.name)).toEqual(['Alex Wilber', 'Megan Bowen', 'Zed Both']);
  });
});

describe('[R1][A4] the Access ID / Contract ID form', () => {
  const good = { accessId: 'ACCESS-7F3K9Q', contractId: 'CONTRACT-2286401', startDate: '2026-02-15', endDate: '2027-03-17' };

  it('accepts good values and trims them', () => {
    expect(validateContract({ ...good, accessId: '  ACCESS-7F3K9Q \n' })).toEqual({ ok: true, value: good });
  });

  it.each<[string, Record<string, string>, string, string]>([
    ['an empty Access ID', { accessId: '   ' }, 'accessId', 'activation.form.error.required'],
    ['a missing Contract ID', { contractId: '' }, 'contractId', 'activation.form.error.required'],
    ['a control character', { accessId: 'ACC\u0007ESS' }, 'accessId', 'activation.form.error.printable'],
    ['an invisible direction override', { contractId: 'CON\u202eTRACT' }, 'contractId', 'activation.form.error.printable'],
    ['non-Latin characters', { accessId: '액세스아이디' }, 'accessId', 'activation.form.error.printable'],
    ['a too short ID', { accessId: 'abc' }, 'accessId', 'activation.form.error.length'],
    ['a too long ID', { contractId: 'C'.repeat(65) }, 'contractId', 'activation.form.error.length'],
    ['the same value twice', { contractId: 'access-7f3k9q' }, 'contractId', 'activation.form.error.sameIds'],
    ['a missing start date', { startDate: '' }, 'startDate', 'activation.form.error.required'],
    ['a date that does not exist', { startDate: '2026-02-30' }, 'startDate', 'activation.form.error.date'],
    ['a date in another format', { endDate: '17/03/2027' }, 'endDate', 'activation.form.error.date'],
    ['an end before the start', { endDate: '2026-01-01' }, 'endDate', 'activation.form.error.endBeforeStart'],
    ['an end on the start day', { endDate: '2026-02-15' }, 'endDate', 'activation.form.error.endBeforeStart'],
  ])('refuses %s with a message for that field', (_name, change, field, key) => {
    const r = validateContract({ ...good, ...change });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([expect.objectContaining({ field, key })]);
  });

  it('reports every problem at once and echoes the (trimmed, clipped) input for the card', () => {
    const r = validateContract({ accessId: ` ${'x'.repeat(500)} `, contractId: '', startDate: 'soon', endDate: '' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field)).toEqual(['accessId', 'contractId', 'startDate', 'endDate']);
    expect(r.echo.accessId).toHaveLength(200);
  });

  it.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['1999-12-31', false],
    ['2026-1-01', false],
  ])('knows whether %s is a real date', (s, ok) => {
    expect(isIsoDate(s)).toBe(ok);
  });
});

describe('decision comments', () => {
  it('keeps the text and line breaks, drops control and direction-override characters', () => {
    expect(cleanComment('  Renew\r\nfirst\u0000 \u202e[x](y)  ')).toBe('Renew\nfirst [x](y)');
  });

  it('clips long comments and treats blank ones as none', () => {
    expect(cleanComment('a'.repeat(2000))).toHaveLength(COMMENT_MAX);
    expect(cleanComment(' \n ')).toBeUndefined();
    expect(cleanComment(undefined)).toBeUndefined();
  });
});

const requester: Requester = { aadObjectId: adele.aadObjectId, name: adele.name, teamsUserId: '29:user-22', conversationId: 'a:1', lang: 'en' };

function request(over: Partial<ActivationRequest> = {}): ActivationRequest {
  return { id: 'AR-0001', version: 1, tenantId: 't', seq: 1, status: 'pending', requester, adminUserIds: [], unreachable: [], cards: [], createdAt: '2026-06-01T00:00:00.000Z', ...over };
}

describe('decisions and housekeeping (pure)', () => {
  const by = { aadObjectId: megan.aadObjectId, name: megan.name };

  it('[A3] approves or rejects a pending request', () => {
    expect(applyDecision(request(), { outcome: 'rejected', by, at: '2026-06-02T00:00:00.000Z', comment: 'later' })).toMatchObject({ status: 'rejected', decidedBy: by, comment: 'later' });
  });

  it.each(['approved', 'rejected', 'completed', 'expired'] as const)('[A3] refuses to decide a request that is %s, returning its state', (status) => {
    const cur = request({ status, decidedBy: by });
    expect(() => applyDecision(cur, { outcome: 'approved', by, at: 'x' })).toThrow(RequestClosedError);
    try {
      applyDecision(cur, { outcome: 'approved', by, at: 'x' });
    } catch (err) {
      expect((err as RequestClosedError).request).toBe(cur);
    }
  });

  const policy = { reminderHours: 24, expiryDays: 7 };
  const at = (iso: string) => new Date(iso);
  const kinds = (rs: ActivationRequest[], now: string) => dueActions(rs, at(now), policy).map((a) => `${a.kind}:${a.request.id}`);

  it('reminds after reminderHours, then again reminderHours after the last reminder', () => {
    expect(kinds([request()], '2026-06-01T23:59:00.000Z')).toEqual([]);
    expect(kinds([request()], '2026-06-02T00:00:00.000Z')).toEqual(['remind:AR-0001']);
    expect(kinds([request({ remindedAt: '2026-06-02T00:00:00.000Z' })], '2026-06-02T12:00:00.000Z')).toEqual([]);
    expect(kinds([request({ remindedAt: '2026-06-02T00:00:00.000Z' })], '2026-06-03T00:00:00.000Z')).toEqual(['remind:AR-0001']);
  });

  it('expires pending requests after expiryDays (no reminder then), approved ones expiryDays after the decision', () => {
    expect(kinds([request()], '2026-06-08T00:00:00.000Z')).toEqual(['expire:AR-0001']);
    const approved = request({ id: 'AR-0002', status: 'approved', decidedAt: '2026-06-05T00:00:00.000Z' });
    expect(kinds([approved], '2026-06-08T00:00:00.000Z')).toEqual([]);
    expect(kinds([approved], '2026-06-12T00:00:00.000Z')).toEqual(['expire:AR-0002']);
  });

  it('leaves closed requests alone', () => {
    const closed = (['rejected', 'completed', 'expired'] as const).map((status, i) => request({ id: requestIdOf(i + 1), status }));
    expect(kinds(closed, '2027-01-01T00:00:00.000Z')).toEqual([]);
  });
});

describe('stored requests (compare-and-set, audit)', () => {
  let dir: string;
  let store: Store;
  let requests: ActivationRequests;
  const now = new Date('2026-06-01T09:00:00.000Z');
  const by = { aadObjectId: megan.aadObjectId, name: megan.name };
  const audit = async (action: string) => (await store.audit.recent((e) => e.action === action, 120)).length;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-activation-'));
    store = openStore(dir);
    requests = new ActivationRequests(store.collection<ActivationRequest>(REQUESTS_COLLECTION), store.audit, silentLogger());
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('[A3] a second request while one is open points to the open one', async () => {
    const first = await requests.create('t', requester, now);
    const second = await requests.create('t', { ...requester, aadObjectId: 'someone-else', name: 'Someone Else' }, now);
    expect(first.created).toBe(true);
    expect(second).toEqual({ created: false, request: first.request });
    expect(await audit('activation.requested')).toBe(1);
  });

  it('[A3] ten people asking at the same moment make one request', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => requests.create('t', { ...requester, aadObjectId: `p${i}` }, now)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.request.id)).size).toBe(1);
    expect(await store.collection(REQUESTS_COLLECTION).count()).toBe(1);
  });

  it('[A3] numbers requests AR-0001, AR-0002 … once the previous one is closed', async () => {
    const a = await requests.create('t', requester, now);
    await requests.decide(a.request.id, { outcome: 'rejected', by, at: now.toISOString() });
    const b = await requests.create('t', requester, now);
    expect([a.request.id, b.request.id]).toEqual(['AR-0001', 'AR-0002']);
  });

  it('[A3] two admins deciding at once: exactly one decision wins and is audited once', async () => {
    const { request: r } = await requests.create('t', requester, now);
    const alexRef = { aadObjectId: alex.aadObjectId, name: alex.name };
    const [x, y] = await Promise.all([
      requests.decide(r.id, { outcome: 'approved', by, at: now.toISOString() }),
      requests.decide(r.id, { outcome: 'rejected', by: alexRef, at: now.toISOString() }),
    ]);
    expect([x.won, y.won].sort()).toEqual([false, true]);
    const winner = x.won ? x : y;
    const loser = x.won ? y : x;
    expect(loser.request).toMatchObject({ status: winner.request.status, decidedBy: winner.request.decidedBy });
    expect((await requests.get('t', r.id))?.status).toBe(winner.request.status);
    expect((await audit('activation.approved')) + (await audit('activation.rejected'))).toBe(1);
  });

  it('[A4] completes an approved request once; an expired one cannot be completed', async () => {
    const { request: r } = await requests.create('t', requester, now);
    await requests.decide(r.id, { outcome: 'approved', by, at: now.toISOString() });
    expect((await requests.complete(r.id, by, now)).won).toBe(true);
    expect((await requests.complete(r.id, by, now)).won).toBe(false);
    expect(await audit('activation.completed')).toBe(1);
  });

  it('expires and reminds only when due, once', async () => {
    const policy = { reminderHours: 24, expiryDays: 7 };
    const { request: r } = await requests.create('t', requester, now);
    expect((await requests.claimReminder(r.id, new Date('2026-06-01T10:00:00.000Z'), policy)).won).toBe(false);
    const later = new Date('2026-06-02T09:00:00.000Z');
    const claims = await Promise.all([requests.claimReminder(r.id, later, policy), requests.claimReminder(r.id, later, policy)]);
    expect(claims.filter((c) => c.won)).toHaveLength(1);
    expect((await requests.expire(r.id, later, policy)).won).toBe(false);
    const end = new Date('2026-06-08T09:00:00.000Z');
    expect((await requests.expire(r.id, end, policy)).request.status).toBe('expired');
    expect(await audit('activation.expired')).toBe(1);
  });

  it('does not show one tenant the request of another, nor unknown ids', async () => {
    const { request: r } = await requests.create('t', requester, now);
    expect(await requests.get('other', r.id)).toBeUndefined();
    expect(await requests.get('t', '../etc/passwd')).toBeUndefined();
    expect(await requests.get('t', 'AR-9999')).toBeUndefined();
  });
});
