import { message, people, submit } from '../helpers/activities.js';
import { actionsOf, cardOf, textOf } from '../helpers/app.js';
import { IdsVerb } from '../../src/ids/verbs.js';
import { invoke, leaksOutsideReplies, orgWith, PLAIN, sayHello, startIdsApp, type IdsTestApp, ACCESS_ID, CONTRACT_ID } from './support.js';

const personalOf = (aad: string) => `a:personal-${aad}`;

describe('IDs over HTTP (allowed people)', () => {
  let t: IdsTestApp;
  beforeEach(async () => {
    t = await startIdsApp();
  });
  afterEach(async () => {
    await t.stop();
  });

  it('[R2][A4] an MPN-associated member gets the masked card in personal chat, with Reveal', async () => {
    const [reply] = await t.replies(message('ids', { from: people.staff }));
    const card = cardOf(reply);
    const text = JSON.stringify(card);
    for (const v of PLAIN) expect(text).not.toContain(v);
    expect(text).toContain('SA••');
    expect(actionsOf(card).map((a) => a.verb)).toContain(IdsVerb.reveal);
    expect(leaksOutsideReplies(t)).toEqual([]);
  });

  it('[R2] a Korean request gets the Korean card', async () => {
    const [reply] = await t.replies(message('ID 알려줘', { from: people.helpDesk, locale: 'ko-KR' }));
    expect(textOf(reply)).toContain('액세스 ID');
  });

  it('[R2] Reveal answers the clicker alone with the full values, audited; Hide masks them again', async () => {
    const body = await invoke(t, IdsVerb.reveal, {}, people.staff);
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const revealed = JSON.stringify(body.value);
    for (const v of PLAIN) expect(revealed).toContain(v);
    expect(actionsOf(body.value).map((a) => a.verb)).toContain(IdsVerb.hide);

    const audit = await t.app.deps.store.audit.recent((e) => e.action === 'ids.revealed');
    expect(audit).toEqual([expect.objectContaining({ actor: people.staff.aadObjectId, at: '2026-11-25T10:00:00.000Z', details: { conversation: 'personal' } })]);

    const hidden = await invoke(t, IdsVerb.hide, {}, people.staff);
    for (const v of PLAIN) expect(JSON.stringify(hidden.value)).not.toContain(v);
    expect(leaksOutsideReplies(t)).toEqual([]);
  });

  it('[R2] each reveal is audited with who and when', async () => {
    await invoke(t, IdsVerb.reveal, {}, people.staff);
    t.clock.now = new Date('2026-11-25T11:00:00.000Z');
    await invoke(t, IdsVerb.reveal, {}, people.globalAdmin);
    const audit = await t.app.deps.store.audit.recent((e) => e.action === 'ids.revealed');
    expect(audit.map((e) => [e.actor, e.at])).toEqual([
      [people.staff.aadObjectId, '2026-11-25T10:00:00.000Z'],
      [people.globalAdmin.aadObjectId, '2026-11-25T11:00:00.000Z'],
    ]);
  });

  it('[R2] a Reveal sent as a chat message (Action.Submit) or as an automatic refresh shows no values', async () => {
    const replies = await t.replies(submit(IdsVerb.reveal, {}, { from: people.staff }));
    expect(textOf(replies[0])).toMatch(/Reveal button/);
    const refresh = await invoke(t, IdsVerb.reveal, {}, people.staff, { trigger: 'automatic' });
    for (const v of PLAIN) {
      expect(JSON.stringify(replies)).not.toContain(v);
      expect(JSON.stringify(refresh)).not.toContain(v);
    }
    expect(await t.app.deps.store.audit.recent((e) => e.action === 'ids.revealed')).toEqual([]);
  });

  it('[R2] never reveals outside personal chat, even to an allowed person', async () => {
    for (const kind of ['groupChat', 'channel'] as const) {
      const body = await invoke(t, IdsVerb.reveal, {}, people.staff, { kind });
      expect(body.type).toBe('application/vnd.microsoft.activity.message');
      expect(body.value).toMatch(/personal chat/);
    }
  });

  it('[R2] in a group chat or channel the card goes to the personal chat, masked', async () => {
    await sayHello(t, people.staff);
    t.connector.clear();
    for (const kind of ['groupChat', 'channel'] as const) {
      const replies = await t.replies(message('what are our ids', { from: people.staff, kind }));
      expect(textOf(replies[0])).toMatch(/sent them to you in our personal chat/);
      for (const v of PLAIN) expect(JSON.stringify(replies)).not.toContain(v);
    }
    const sent = t.connector.sent.filter((s) => s.conversationId === personalOf(people.staff.aadObjectId));
    expect(sent).toHaveLength(2);
    expect(actionsOf(cardOf(sent[0].activity)).map((a) => a.verb)).toContain(IdsVerb.reveal);
    expect(leaksOutsideReplies(t)).toEqual([]);
  });

  it('[R2] in a channel, without a personal chat yet, asks to open one first and sends nothing', async () => {
    const replies = await t.replies(message('access id', { from: people.partnerAdmin, kind: 'channel' }));
    expect(textOf(replies[0])).toMatch(/Open a chat with me first/);
    expect(t.connector.sent).toEqual([]);
  });

  it('[A5][C2][C5][O7] "I have associated it in <portal>" is recorded for the diagnosis and audited', async () => {
    const body = await invoke(t, IdsVerb.associate, { portal: 'azure' }, people.staff);
    expect(JSON.stringify(body.value)).toContain('Noted: the contract is associated with your account in the Azure portal');
    const again = await invoke(t, IdsVerb.associate, { portal: 'azure' }, people.staff);
    expect(JSON.stringify(again.value)).toContain('Already noted');
    const r = await t.app.deps.benefits.record(t.app.deps.orgFile.organisation.tenantId);
    expect(r?.associations).toEqual([{ aadObjectId: people.staff.aadObjectId, portal: 'azure', at: '2026-11-25T10:00:00.000Z' }]);
    expect(r?.associatedAccounts).toContain(people.staff.aadObjectId);
    expect((await t.app.deps.benefits.publicState(r!.id))?.associatedAccounts).toContain(people.staff.aadObjectId);
    const audit = await t.app.deps.store.audit.recent((e) => e.action === 'ids.associated');
    expect(audit).toEqual([expect.objectContaining({ actor: people.staff.aadObjectId, details: { portal: 'azure' } })]);
    for (const v of PLAIN) expect(JSON.stringify(body)).not.toContain(v);
  });

  it('[A5] an automatic refresh records no association', async () => {
    await invoke(t, IdsVerb.associate, { portal: 'azure' }, people.staff, { trigger: 'automatic' });
    const r = await t.app.deps.benefits.record(t.app.deps.orgFile.organisation.tenantId);
    expect(r?.associations).toEqual([]);
  });

  it('[A5] refuses a portal it does not know', async () => {
    const body = await invoke(t, IdsVerb.associate, { portal: 'microsoft365' }, people.staff);
    expect(body.statusCode).toBe(400);
  });

  it('[O6] "how many incidents are left" gives the local figures, last update, the Support for Business check and the article', async () => {
    const [reply] = await t.replies(message('how many incidents are left', { from: people.cspOnly }));
    const text = JSON.stringify(cardOf(reply));
    expect(text).toContain('17');
    expect(text).toContain('2026-11-25 10:00 UTC');
    expect(text).toContain('Windows Server 2025'); // [N5] a product covered today, never Windows 10
    expect(text).not.toContain('Windows 10');
    expect(text).toContain('how-many-partner-support-incidents-are-remaining');
    for (const v of PLAIN) expect(text).not.toContain(v);
  });

  it('[O3] admins edit the contract: form, errors on the card, saved and audited, stale forms refused', async () => {
    const form = await invoke(t, IdsVerb.editContract, {}, people.partnerAdmin);
    expect(form.type).toBe('application/vnd.microsoft.card.adaptive');
    const save = actionsOf(form.value).find((a) => a.verb === IdsVerb.saveContract);
    const version = save.data.version;
    expect(typeof version).toBe('number');

    const bad = await invoke(t, IdsVerb.saveContract, { version, startDate: '2027-01-01', endDate: '2026-01-01', onPremises: 'x', cloud: '' }, people.partnerAdmin);
    const badText = JSON.stringify(bad.value);
    expect(badText).toContain('The end date must be after the start date.');
    expect(badText).toContain('Enter a whole number from 0 to 999.');

    const ok = await invoke(t, IdsVerb.saveContract, { version, startDate: '2026-02-15', endDate: '2027-03-17', onPremises: '12', cloud: '' }, people.partnerAdmin);
    expect(JSON.stringify(ok.value)).toContain('Saved.');
    const r = await t.app.deps.benefits.record(t.app.deps.orgFile.organisation.tenantId);
    expect(r).toMatchObject({ onPremisesIncidentsRemaining: 12, updatedBy: people.partnerAdmin.aadObjectId });
    expect(r?.cloudIncidentsRemaining).toBeUndefined();
    const audit = await t.app.deps.store.audit.recent((e) => e.action === 'ids.contract.updated');
    expect(audit).toEqual([expect.objectContaining({ actor: people.partnerAdmin.aadObjectId, details: { fields: 'onPremisesIncidentsRemaining,cloudIncidentsRemaining' } })]);

    const stale = await invoke(t, IdsVerb.saveContract, { version, startDate: '2026-02-15', endDate: '2027-03-17', onPremises: '1', cloud: '' }, people.partnerAdmin);
    expect(JSON.stringify(stale.value)).toContain('Someone changed the contract');
    expect((await t.app.deps.benefits.record(r!.id))?.onPremisesIncidentsRemaining).toBe(12);
  });

  it('[O3] a member who is not an admin cannot open or save the contract form', async () => {
    const form = await invoke(t, IdsVerb.editContract, {}, people.staff);
    expect(form.statusCode).toBe(403);
    const before = await t.app.deps.benefits.record(t.app.deps.orgFile.organisation.tenantId);
    const save = await invoke(t, IdsVerb.saveContract, { version: before!.version, startDate: '2026-02-15', endDate: '2027-03-17', onPremises: '99' }, people.helpDesk);
    expect(save.statusCode).toBe(403);
    expect((await t.app.deps.benefits.record(before!.id))?.version).toBe(before!.version);
  });

  it('[R2] logs never hold the plain values, even after reveals by everyone allowed', async () => {
    for (const who of [people.globalAdmin, people.partnerAdmin, people.staff, people.helpDesk, people.helpDesk2]) {
      await t.replies(message('ids', { from: who }));
      const body = await invoke(t, IdsVerb.reveal, {}, who);
      expect(JSON.stringify(body.value)).toContain(ACCESS_ID);
      expect(JSON.stringify(body.value)).toContain(CONTRACT_ID);
    }
    expect(t.logs.length).toBeGreaterThan(5);
    expect(leaksOutsideReplies(t)).toEqual([]);
  });
});

describe('IDs before activation', () => {
  let t: IdsTestApp;
  beforeAll(async () => {
    t = await startIdsApp({ org: orgWith({ activated: false, accessId: undefined, contractId: undefined }) });
  });
  afterAll(async () => {
    await t.stop();
  });

  it.each(['ids', 'how many incidents are left'])('[A4][E2] "%s" says the benefits are not activated yet and points to "activate"', async (text) => {
    const [reply] = await t.replies(message(text, { from: people.staff }));
    expect(textOf(reply)).toMatch(/not activated/);
    expect(textOf(reply)).toMatch(/type \*\*activate\*\*/);
    for (const v of PLAIN) expect(JSON.stringify(reply)).not.toContain(v);
  });

  it('[A4] a forged association before activation records nothing', async () => {
    await invoke(t, IdsVerb.associate, { portal: 'azure' }, people.staff);
    const r = await t.app.deps.benefits.record(t.app.deps.orgFile.organisation.tenantId);
    expect(r?.associations ?? []).toEqual([]);
  });
});
