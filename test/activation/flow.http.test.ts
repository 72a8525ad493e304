import fs from 'node:fs';
import path from 'node:path';
import { ActivationVerb } from '../../src/activation/verbs.js';
import { message, people } from '../helpers/activities.js';
import { actionsOf, cardOf } from '../helpers/app.js';
import {
  approvalCardsTo,
  auditOf,
  buttonVerbs,
  cardsTo,
  eventually,
  invoke,
  personalOf,
  requestOf,
  sayHello,
  startActivationApp,
  textOfCard,
  type ActivationTestApp,
} from './helpers.js';

const DECIDE = [ActivationVerb.approve, ActivationVerb.reject];
const GOOD = { accessId: 'ACCESS-NEW-4K2Q9', contractId: 'CONTRACT-7730012', startDate: '2026-06-01', endDate: '2027-05-31' };
const later = (t: ActivationTestApp, minutes: number) => (t.clock.now = new Date(t.clock.now.getTime() + minutes * 60_000));
const idsButton = (card: any) => actionsOf(card).find((a) => a.type === 'Action.Submit' && a.data?.verb === 'command.run' && a.data?.command === 'ids');

describe('asking an admin to activate', () => {
  let t: ActivationTestApp;
  beforeEach(async () => {
    t = await startActivationApp();
  });
  afterEach(() => t.stop());

  it('[A3] sends the approval card to every reachable admin and tells the requester who could not be reached', async () => {
    await sayHello(t, people.globalAdmin); // Megan never talked to the bot
    t.connector.clear();
    const body = await invoke(t, ActivationVerb.request, {}, people.staff);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    const status = body.value;
    expect(textOfCard(status)).toContain('Waiting for an admin since 2026-06-01 09:00 UTC');
    expect(textOfCard(status)).toMatch(/couldn't reach these admins[\s\S]*Megan Bowen/);
    expect(buttonVerbs(status)).toEqual([]);
    expect(status.refresh.userIds).toEqual([people.staff.id]);

    const sent = approvalCardsTo(t, people.globalAdmin);
    expect(sent).toHaveLength(1);
    const adminCard = cardOf(sent[0].activity);
    expect(adminCard.refresh).toMatchObject({ action: { type: 'Action.Execute', verb: ActivationVerb.refresh, data: { requestId: 'AR-0001' } }, userIds: [people.globalAdmin.id] });
    expect(buttonVerbs(adminCard)).toEqual(DECIDE);
    expect(adminCard.body.some((e: any) => e.type === 'Input.Text' && e.id === 'comment')).toBe(true);
    expect(textOfCard(adminCard)).toContain('Adele Vance asks you to activate');

    const r = await requestOf(t, 'AR-0001');
    expect(r).toMatchObject({
      status: 'pending',
      requester: { aadObjectId: people.staff.aadObjectId, name: 'Adele Vance', teamsUserId: people.staff.id },
      adminUserIds: [people.globalAdmin.id],
      unreachable: [{ aadObjectId: people.partnerAdmin.aadObjectId, name: 'Megan Bowen' }],
      cards: [{ adminAadObjectId: people.globalAdmin.aadObjectId, conversationId: personalOf(people.globalAdmin), activityId: sent[0].id, lang: 'en' }],
    });
    expect(await auditOf(t, 'activation.requested', 'AR-0001')).toHaveLength(1);
    expect((await auditOf(t, 'activation.notified', 'AR-0001'))[0].details).toMatchObject({ sent: 1, unreachable: 1 });
  });

  it('[A3] keeps the request when no admin can be reached, and says so', async () => {
    const body = await invoke(t, ActivationVerb.request, {}, people.staff);
    expect(textOfCard(body.value)).toMatch(/None of the admins could be reached yet/);
    expect((await requestOf(t, 'AR-0001')).status).toBe('pending');
    expect(t.connector.sent.filter((s) => cardOf(s.activity)?.refresh)).toHaveLength(0);
  });

  it('[A3] points a second request to the pending one instead of making another', async () => {
    await sayHello(t, people.globalAdmin, people.partnerAdmin);
    await invoke(t, ActivationVerb.request, {}, people.staff);
    const sentBefore = t.connector.sent.length;
    const other = await invoke(t, ActivationVerb.request, {}, people.helpDesk);
    expect(textOfCard(other.value)).toMatch(/Adele Vance already asked on 2026-06-01 09:00 UTC \(request AR-0001\)/);
    const again = await invoke(t, ActivationVerb.request, {}, people.staff);
    expect(textOfCard(again.value)).toMatch(/You already asked on 2026-06-01 09:00 UTC \(request AR-0001\)/);
    expect(t.connector.sent.length).toBe(sentBefore);
    expect(await t.app.deps.store.collection('activation-requests').count()).toBe(1);
    const card = cardOf((await t.replies(message('activate', { from: people.helpDesk })))[0]);
    expect(textOfCard(card)).toMatch(/already asked/);
    expect(buttonVerbs(card)).toEqual([]);
  });

  it('[A3][A4][R1] approve → steps → form (errors on the card) → save: requester gets the IDs button, every copy is updated', async () => {
    await sayHello(t, people.globalAdmin, people.partnerAdmin);
    await invoke(t, ActivationVerb.request, {}, people.staff);
    const copies = [...approvalCardsTo(t, people.globalAdmin), ...approvalCardsTo(t, people.partnerAdmin)];
    expect(copies).toHaveLength(2);
    expect(cardOf(copies[0].activity).refresh.userIds.sort()).toEqual([people.globalAdmin.id, people.partnerAdmin.id].sort());

    later(t, 60);
    const decided = await invoke(t, ActivationVerb.approve, { requestId: 'AR-0001', comment: '' }, people.partnerAdmin);
    expect(textOfCard(decided.value)).toContain('Approved by Megan Bowen at 2026-06-01 10:00 UTC');
    expect(buttonVerbs(decided.value)).toEqual([]);

    // Every admin's copy, updated in place to the final state.
    await eventually(() => t.connector.updates.length >= 2);
    expect(t.connector.updates.map((u) => u.id).sort()).toEqual(copies.map((c) => c.id).sort());
    for (const u of t.connector.updates) {
      expect(textOfCard(cardOf(u.activity))).toContain('Approved by Megan Bowen');
      expect(buttonVerbs(cardOf(u.activity))).toEqual([]);
    }
    // The approver gets the steps; the requester is told.
    const steps = cardsTo(t, people.partnerAdmin).find((c) => textOfCard(c).includes('You approved request AR-0001 from Adele Vance'));
    expect(actionsOf(steps).find((a) => a.verb === ActivationVerb.openForm)?.data).toEqual({ mode: 'activate', requestId: 'AR-0001' });
    expect(cardsTo(t, people.staff).some((c) => textOfCard(c).includes('Megan Bowen approved request AR-0001'))).toBe(true);

    const form = await invoke(t, ActivationVerb.openForm, { mode: 'activate', requestId: 'AR-0001' }, people.partnerAdmin);
    expect(form.value.body.filter((e: any) => e.type === 'Input.Text').map((e: any) => e.id)).toEqual(['accessId', 'contractId']);

    const bad = await invoke(t, ActivationVerb.save, { mode: 'activate', requestId: 'AR-0001', accessId: '  ', contractId: 'C\u0007NTRACT', startDate: '2027-01-01', endDate: '2026-12-31' }, people.partnerAdmin);
    const badText = textOfCard(bad.value);
    expect(badText).toContain('Access ID: is required.');
    expect(badText).toMatch(/Contract ID: use only letters, digits and punctuation/);
    expect(badText).toContain('Contract end date: must be after the start date.');
    expect(buttonVerbs(bad.value)).toEqual([ActivationVerb.save]);
    expect((await t.app.deps.benefits.publicState(t.app.deps.orgFile.organisation.tenantId))?.activated).toBe(false);

    later(t, 30);
    const saved = await invoke(t, ActivationVerb.save, { mode: 'activate', requestId: 'AR-0001', ...GOOD, accessId: ` ${GOOD.accessId} ` }, people.partnerAdmin);
    expect(textOfCard(saved.value)).toContain('The benefits are activated');
    expect(textOfCard(saved.value)).toContain('Request AR-0001 from Adele Vance is completed');
    expect(idsButton(saved.value)).toBeDefined();

    const tenantId = t.app.deps.orgFile.organisation.tenantId;
    expect(await t.app.deps.benefits.state(tenantId)).toMatchObject({ activated: true, ...GOOD, activatedBy: people.partnerAdmin.aadObjectId, activatedAt: '2026-06-01T10:30:00.000Z' });
    await t.app.deps.store.flush();
    const raw = fs.readFileSync(path.join(t.dataDir, 'benefits.json'), 'utf8');
    expect(raw).not.toContain(GOOD.accessId);
    expect(raw).not.toContain(GOOD.contractId);
    expect(t.logs.join('\n')).not.toContain(GOOD.accessId);

    expect(await requestOf(t, 'AR-0001')).toMatchObject({ status: 'completed', completedBy: { name: 'Megan Bowen' }, completedAt: '2026-06-01T10:30:00.000Z' });
    const notice = cardsTo(t, people.staff).find((c) => textOfCard(c).includes('The benefits are activated'));
    expect(idsButton(notice)).toBeDefined();
    await eventually(() => t.connector.updates.length >= 4);
    expect(t.connector.updates.slice(2).every((u) => textOfCard(cardOf(u.activity)).includes('Completed: activated by Megan Bowen at 2026-06-01 10:30 UTC'))).toBe(true);

    for (const action of ['activation.requested', 'activation.notified', 'activation.approved', 'activation.completed']) expect(await auditOf(t, action, 'AR-0001')).toHaveLength(1);
    const activated = await auditOf(t, 'activation.activated');
    expect(activated).toHaveLength(1);
    expect(JSON.stringify(activated)).not.toContain(GOOD.accessId);

    const after = cardOf((await t.replies(message('activate', { from: people.helpDesk })))[0]);
    expect(textOfCard(after)).toContain('activated on 2026-06-01 10:30 UTC by Megan Bowen');
  });

  it('[A3] reject: the requester is told why, the comment stays plain text, every copy shows the final state', async () => {
    await sayHello(t, people.globalAdmin, people.partnerAdmin);
    await invoke(t, ActivationVerb.request, {}, people.staff);
    const comment = 'We renew the **membership** first: [details](https://evil.example) ${1+1}';
    const decided = await invoke(t, ActivationVerb.reject, { requestId: 'AR-0001', comment: `  ${comment}\u0000 ` }, people.globalAdmin);
    expect(textOfCard(decided.value)).toContain('Rejected by Alex Wilber at 2026-06-01 09:00 UTC');
    const notice = cardsTo(t, people.staff).find((c) => textOfCard(c).includes('Your activation request was rejected'));
    expect(JSON.stringify(notice)).toContain(JSON.stringify({ type: 'TextRun', text: comment, italic: true }));
    expect(JSON.stringify(notice)).not.toContain('"text":"2"');
    await eventually(() => t.connector.updates.length >= 2);
    expect(t.connector.updates.every((u) => textOfCard(cardOf(u.activity)).includes('Rejected by Alex Wilber'))).toBe(true);
    expect((await requestOf(t, 'AR-0001')).comment).toBe(comment);
    expect(await auditOf(t, 'activation.rejected', 'AR-0001')).toHaveLength(1);
    // A new request is possible once the old one is closed.
    expect(textOfCard((await invoke(t, ActivationVerb.request, {}, people.staff)).value)).toContain('Activation request AR-0002');
  });

  it('[A3] speaks to each person in their own language', async () => {
    await t.replies(message('도움말', { from: people.globalAdmin, locale: 'ko-KR' }));
    const status = await invoke(t, ActivationVerb.request, {}, people.staff, { locale: 'ko-KR' });
    expect(textOfCard(status.value)).toContain('관리자 응답 대기 중');
    expect(textOfCard(cardOf(approvalCardsTo(t, people.globalAdmin)[0].activity))).toContain('승인');
    await invoke(t, ActivationVerb.reject, { requestId: 'AR-0001' }, people.globalAdmin, { locale: 'ko-KR' });
    expect(cardsTo(t, people.staff).some((c) => textOfCard(c).includes('활성화 요청이 거부되었습니다'))).toBe(true);
  });

  it('[A3] an admin asking gets the steps, not a request', async () => {
    const body = await invoke(t, ActivationVerb.request, {}, people.globalAdmin);
    expect(buttonVerbs(body.value)).toEqual([ActivationVerb.openForm]);
    expect(await t.app.deps.store.collection('activation-requests').count()).toBe(0);
  });

  it('[A4] an admin who activates without approving first completes the pending request too', async () => {
    await sayHello(t, people.globalAdmin);
    await invoke(t, ActivationVerb.request, {}, people.staff);
    const card = cardOf((await t.replies(message('activate', { from: people.globalAdmin })))[0]);
    expect(textOfCard(card)).toContain('Adele Vance asked for this (request AR-0001)');
    expect(actionsOf(card).find((a) => a.verb === ActivationVerb.openForm)?.data.requestId).toBe('AR-0001');
    await invoke(t, ActivationVerb.save, { mode: 'activate', requestId: 'AR-0001', ...GOOD }, people.globalAdmin);
    expect((await requestOf(t, 'AR-0001')).status).toBe('completed');
    expect(cardsTo(t, people.staff).some((c) => textOfCard(c).includes('Alex Wilber activated the technical support benefits'))).toBe(true);
  });
});
