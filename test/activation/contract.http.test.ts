import { ActivationVerb } from '../../src/activation/verbs.js';
import { message, people } from '../helpers/activities.js';
import { cardOf } from '../helpers/app.js';
import { auditOf, buttonVerbs, cardsTo, invoke, personalOf, sampleOrg, startActivationApp, textOfCard, type ActivationTestApp } from './helpers.js';

const NEW = { accessId: 'ACCESS-RENEWED-99', contractId: 'CONTRACT-9900001', startDate: '2027-03-18', endDate: '2028-03-17' };

describe('"update contract": record or correct the activation later', () => {
  let t: ActivationTestApp;
  let tenantId: string;
  beforeEach(async () => {
    t = await startActivationApp(sampleOrg());
    tenantId = t.app.deps.orgFile.organisation.tenantId;
  });
  afterEach(() => t.stop());

  it('[R1] explains to staff that only an admin can, naming them', async () => {
    const card = cardOf((await t.replies(message('update contract', { from: people.staff })))[0]);
    expect(textOfCard(card)).toContain('Only an admin can update the contract');
    expect(textOfCard(card)).toContain('Alex Wilber');
    expect(buttonVerbs(card)).toEqual([]);
  });

  it('[A1] tells a CSP-only account it is not authorized', async () => {
    const card = cardOf((await t.replies(message('계약 업데이트', { from: people.cspOnly, locale: 'ko-KR' })))[0]);
    expect(textOfCard(card)).toContain('이 작업에 대한 권한이 없습니다');
  });

  it('[R1] gives an admin the form with the current dates (never the IDs)', async () => {
    const card = cardOf((await t.replies(message('update contract', { from: people.globalAdmin })))[0]);
    const inputs = Object.fromEntries(card.body.flatMap((e: any) => (e.type === 'ColumnSet' ? e.columns.flatMap((c: any) => c.items) : [e])).filter((e: any) => e.type?.startsWith('Input.')).map((e: any) => [e.id, e.value]));
    expect(inputs).toEqual({ accessId: '', contractId: '', startDate: '2026-02-15', endDate: '2027-03-17' });
    expect(JSON.stringify(card)).not.toContain('SAMPLE-ACCESS-7F3K9Q');
    expect(buttonVerbs(card)).toEqual([ActivationVerb.save]);
  });

  it('[R1][R2] sends the form to the personal chat when asked in a channel, and refuses to save there', async () => {
    await t.replies(message('help', { from: people.globalAdmin }));
    const replies = await t.replies(message('update contract', { from: people.globalAdmin, kind: 'channel' }));
    expect(replies[0].text).toMatch(/sent the form to our personal chat/);
    expect(cardsTo(t, people.globalAdmin).some((c) => c.body.some((e: any) => e.id === 'accessId'))).toBe(true);
    const fromChannel = await invoke(t, ActivationVerb.openForm, { mode: 'update' }, people.globalAdmin, { kind: 'channel' });
    expect(fromChannel.type).toBe('application/vnd.microsoft.activity.message');
    const save = await invoke(t, ActivationVerb.save, { mode: 'update', ...NEW }, people.globalAdmin, { kind: 'channel' });
    expect(save.statusCode).toBe(400);
    expect((await t.app.deps.benefits.state(tenantId))?.accessId).toBe('SAMPLE-ACCESS-7F3K9Q');
  });

  it('[R1] tells an admin who never opened a personal chat how to open one', async () => {
    const replies = await t.replies(message('update contract', { from: people.partnerAdmin, kind: 'channel' }));
    expect(replies[0].text).toMatch(/type "update contract"/);
    expect(t.connector.sent.filter((s) => s.conversationId === personalOf(people.partnerAdmin))).toHaveLength(0);
  });

  it('[R1][A4] saves corrected IDs and dates, keeps who activated it and when, audited without the IDs', async () => {
    const before = await t.app.deps.benefits.state(tenantId);
    t.clock.now = new Date('2027-03-18T08:00:00.000Z');
    const saved = await invoke(t, ActivationVerb.save, { mode: 'update', requestId: '', ...NEW }, people.partnerAdmin);
    expect(textOfCard(saved.value)).toContain('The contract is updated');
    const after = await t.app.deps.benefits.state(tenantId);
    expect(after).toMatchObject({ activated: true, ...NEW, activatedAt: before?.activatedAt, onPremisesIncidentsRemaining: 17 });
    const rec = await t.app.deps.benefits.record(tenantId);
    expect(rec).toMatchObject({ updatedBy: people.partnerAdmin.aadObjectId, updatedAt: '2027-03-18T08:00:00.000Z' });
    const events = await auditOf(t, 'activation.contractUpdated');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: people.partnerAdmin.aadObjectId, details: { startDate: NEW.startDate, endDate: NEW.endDate } });
    expect(JSON.stringify(events)).not.toContain(NEW.accessId);
  });

  it('[A4] does not let a second "I have activated" overwrite an activation recorded first', async () => {
    const saved = await invoke(t, ActivationVerb.save, { mode: 'activate', ...NEW }, people.globalAdmin);
    expect(textOfCard(saved.value)).toMatch(/Someone recorded the activation before you/);
    expect(buttonVerbs(saved.value)).toEqual([ActivationVerb.openForm]);
    expect((await t.app.deps.benefits.state(tenantId))?.accessId).toBe('SAMPLE-ACCESS-7F3K9Q');
    expect(await auditOf(t, 'activation.activated')).toHaveLength(0);
  });

  it('[R1] shows the problems on the form and keeps the stored contract', async () => {
    const bad = await invoke(t, ActivationVerb.save, { mode: 'update', ...NEW, endDate: '2027-02-30' }, people.globalAdmin);
    expect(textOfCard(bad.value)).toContain('Contract end date: must be a real date (yyyy-mm-dd).');
    expect(JSON.stringify(bad.value)).toContain(NEW.accessId); // what the admin typed stays on their card
    expect((await t.app.deps.benefits.state(tenantId))?.endDate).toBe('2027-03-17');
  });
});
