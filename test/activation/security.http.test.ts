import { ActivationVerb } from '../../src/activation/verbs.js';
import { execute, people, submit, type TestUser } from '../helpers/activities.js';
import { auditOf, buttonVerbs, cardsTo, eventually, invoke, requestOf, sayHello, startActivationApp, textOfCard, type ActivationTestApp } from './helpers.js';

const GOOD = { accessId: 'ACCESS-NEW-4K2Q9', contractId: 'CONTRACT-7730012', startDate: '2026-06-01', endDate: '2027-05-31' };

describe('who may decide (the server checks, never the card)', () => {
  let t: ActivationTestApp;
  beforeEach(async () => {
    t = await startActivationApp();
    await sayHello(t, people.globalAdmin, people.partnerAdmin);
    await invoke(t, ActivationVerb.request, {}, people.staff);
    t.connector.clear();
  });
  afterEach(() => t.stop());

  it.each<[string, TestUser]>([
    ['[R1][A3] staff', people.staff],
    ['[R1][A1] a CSP-only Admin Agent', people.cspOnly],
    ['[R1] a help desk Admin Agent', people.helpDesk2],
    ['[R1][A1] someone not in the directory', people.unknown],
  ])('refuses a forged approve from %s and changes nothing', async (_name, who) => {
    const before = await requestOf(t, 'AR-0001');
    for (const verb of [ActivationVerb.approve, ActivationVerb.reject]) {
      const body = await invoke(t, verb, { requestId: 'AR-0001', comment: 'forged' }, who);
      expect(body.statusCode).toBe(403);
      expect(body.type).toBe('application/vnd.microsoft.error');
      expect(body.value.message).toMatch(/Only an MPN-associated Global Admin or MPN Partner Admin/);
    }
    expect(await requestOf(t, 'AR-0001')).toEqual(before);
    expect(await auditOf(t, 'activation.approved')).toHaveLength(0);
    expect(await auditOf(t, 'activation.rejected')).toHaveLength(0);
    expect((await auditOf(t, 'activation.refused', 'AR-0001')).length).toBe(2);
    expect(t.connector.updates).toHaveLength(0);
    expect(t.connector.sent).toHaveLength(0);
  });

  it('[R1] refuses a forged approve from another tenant (tenant gate) and changes nothing', async () => {
    const before = await requestOf(t, 'AR-0001');
    const body = await invoke(t, ActivationVerb.approve, { requestId: 'AR-0001' }, people.otherTenant);
    expect(body.type).toBe('application/vnd.microsoft.activity.message');
    expect(body.value).toMatch(/one partner organisation/);
    expect(await requestOf(t, 'AR-0001')).toEqual(before);
    expect(t.connector.updates).toHaveLength(0);
  });

  it('[R1] refuses a forged approve sent as Action.Submit too', async () => {
    const before = await requestOf(t, 'AR-0001');
    await t.post(submit(ActivationVerb.approve, { requestId: 'AR-0001' }, { from: people.staff }));
    expect(await requestOf(t, 'AR-0001')).toEqual(before);
  });

  it('refuses card data that does not fit (bad id), and an unknown request, without a change', async () => {
    expect((await invoke(t, ActivationVerb.approve, { requestId: '../../x' }, people.globalAdmin)).statusCode).toBe(400);
    expect((await invoke(t, ActivationVerb.approve, { requestId: 'AR-0099' }, people.globalAdmin)).statusCode).toBe(404);
    expect((await requestOf(t, 'AR-0001')).status).toBe('pending');
  });

  it('[R1] refuses the ID form and a forged save from non-admins', async () => {
    expect((await invoke(t, ActivationVerb.openForm, { mode: 'activate' }, people.staff)).statusCode).toBe(403);
    expect((await invoke(t, ActivationVerb.save, { mode: 'update', ...GOOD }, people.staff)).statusCode).toBe(403);
    expect((await invoke(t, ActivationVerb.save, { mode: 'update', ...GOOD }, people.cspOnly)).statusCode).toBe(403);
    expect((await t.app.deps.benefits.publicState(t.app.deps.orgFile.organisation.tenantId))?.activated).toBe(false);
  });

  it('[A3] a second admin clicking after the first gets the final state, "approved by X at T"', async () => {
    t.clock.now = new Date('2026-06-01T11:15:00.000Z');
    await invoke(t, ActivationVerb.approve, { requestId: 'AR-0001' }, people.globalAdmin);
    const second = await invoke(t, ActivationVerb.reject, { requestId: 'AR-0001', comment: 'no' }, people.partnerAdmin);
    expect(second.statusCode).toBe(200);
    expect(textOfCard(second.value)).toContain('This request was already answered.');
    expect(textOfCard(second.value)).toContain('Approved by Alex Wilber at 2026-06-01 11:15 UTC');
    expect(buttonVerbs(second.value)).toEqual([]);
    expect(await requestOf(t, 'AR-0001')).toMatchObject({ status: 'approved', decidedBy: { name: 'Alex Wilber' } });
    expect(await auditOf(t, 'activation.rejected')).toHaveLength(0);
    expect(cardsTo(t, people.partnerAdmin).filter((c) => textOfCard(c).includes('Here is how to activate'))).toHaveLength(0);
  });

  it('[A3] answers a double click (same activity delivered twice) once', async () => {
    const click = execute(ActivationVerb.approve, { requestId: 'AR-0001' }, { from: people.globalAdmin, id: 'click-1' });
    const [a, b] = await Promise.all([t.post(click), t.post(click)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual(b.body);
    await eventually(() => t.connector.updates.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(await auditOf(t, 'activation.approved', 'AR-0001')).toHaveLength(1);
    expect(cardsTo(t, people.globalAdmin).filter((c) => textOfCard(c).includes('Here is how to activate'))).toHaveLength(1);
    expect(cardsTo(t, people.staff).filter((c) => textOfCard(c).includes('was approved'))).toHaveLength(1);
  });
});

describe('[A3] automatic refresh of the approval card', () => {
  let t: ActivationTestApp;
  beforeAll(async () => {
    t = await startActivationApp();
    await sayHello(t, people.globalAdmin, people.partnerAdmin);
    await invoke(t, ActivationVerb.request, {}, people.staff);
  });
  afterAll(() => t.stop());

  const refresh = (who: TestUser) => invoke(t, ActivationVerb.refresh, { requestId: 'AR-0001' }, who, { trigger: 'automatic' });

  it('returns the admin view (Approve / Reject) to admins while pending', async () => {
    for (const admin of [people.globalAdmin, people.partnerAdmin]) {
      const body = await refresh(admin);
      expect(buttonVerbs(body.value)).toEqual([ActivationVerb.approve, ActivationVerb.reject]);
      expect(body.value.refresh.userIds.sort()).toEqual([people.globalAdmin.id, people.partnerAdmin.id].sort());
    }
  });

  it('returns the read-only status to everyone else', async () => {
    for (const who of [people.staff, people.helpDesk, people.cspOnly, people.unknown]) {
      const body = await refresh(who);
      expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
      expect(buttonVerbs(body.value)).toEqual([]);
      expect(textOfCard(body.value)).toContain('Waiting for an admin since');
    }
    expect((await refresh(people.staff)).value.refresh.userIds).toEqual([people.staff.id]);
  });

  it('returns the read-only final state to admins once decided', async () => {
    await invoke(t, ActivationVerb.reject, { requestId: 'AR-0001' }, people.partnerAdmin);
    const body = await refresh(people.globalAdmin);
    expect(buttonVerbs(body.value)).toEqual([]);
    expect(textOfCard(body.value)).toContain('Rejected by Megan Bowen');
    expect(body.value.version).toBe('1.5');
  });

  it('does not show another tenant anything', async () => {
    const body = await refresh(people.otherTenant);
    expect(body.type).toBe('application/vnd.microsoft.activity.message');
  });
});
