/** The whole request lifecycle over HTTP with the connector stand-in: channel, form, triage card, actions, notifications. */
import { Links } from '../../src/domain/links.js';
import type { RequestRecord } from '../../src/requests/model.js';
import { message, people } from '../helpers/activities.js';
import { actionsOf, cardOf, textOf, type TestApp } from '../helpers/app.js';
import { act, CHANNEL, exec, form, introduce, latestUpdate, open, personalChat, postedCard, reload, requests, setChannel, settings, startRequestsApp, textsTo } from './support.js';

describe('support request lifecycle over HTTP', () => {
  let t: TestApp;
  let record: RequestRecord;
  let postId: string;

  beforeAll(async () => {
    t = await startRequestsApp();
    await introduce(t, people.globalAdmin, people.partnerAdmin, people.staff, people.helpDesk, people.helpDesk2);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('refuses "set help desk channel" from someone who is neither admin nor help desk', async () => {
    const text = await setChannel(t, people.staff);
    expect(text).toMatch(/Only admins/);
    expect((await settings(t).list()).some((s) => s.helpDeskChannel)).toBe(false);
  });

  it('answers "set help desk channel" in personal chat with where to do it', async () => {
    const replies = await t.replies(message('set help desk channel', { from: people.globalAdmin }));
    expect(textOf(replies[0])).toMatch(/Teams channel/);
  });

  it('lets an admin make the channel the help desk channel (English or Korean)', async () => {
    expect(await setChannel(t, people.globalAdmin)).toMatch(/now the help desk channel/);
    const ko = await t.replies(message('헬프데스크 채널 설정', { from: people.partnerAdmin, kind: 'channel', locale: 'ko-KR' }));
    expect(textOf(ko[0])).toMatch(/헬프데스크 채널/);
    // back to English for the rest of the lifecycle
    await setChannel(t, people.globalAdmin);
    const s = await settings(t).list();
    expect(s[0].helpDeskChannel).toMatchObject({ conversationId: CHANNEL, lang: 'en', setBy: { name: 'Alex Wilber' } });
  });

  it('shows the form for "new request", pre-filled from a command button', async () => {
    const replies = await t.replies(message('open a support request'));
    const card = cardOf(replies[0]);
    expect(actionsOf(card).map((a) => a.verb)).toContain('requests.create');
    const pre = await t.replies({ ...message(''), value: { verb: 'command.run', command: 'newRequest', args: 'SQL Server 2022' } });
    expect(JSON.stringify(cardOf(pre[0]))).toContain('"id":"product","label":"Product and version","placeholder":"For example SQL Server 2019, Azure, Exchange Server 2019","value":"SQL Server 2022"');
    const pasted = await t.replies(message('new request Error 0x80071736 when failing over'));
    const desc = JSON.stringify(cardOf(pasted[0]));
    expect(desc).toContain('"value":"Error 0x80071736 when failing over"');
  });

  it('shows validation errors on the card and keeps what was typed', async () => {
    const a = await exec(t, 'requests.create', { formId: 'bad-1', product: '', severity: '', title: 'x', description: '' }, { from: people.staff });
    expect(a.card).toBeDefined();
    expect(a.text).toMatch(/Please fix the fields/);
    expect(a.text).toMatch(/Name the product/);
    expect(a.text).toMatch(/Choose a severity/);
    expect(a.text).toMatch(/title needs 3 to 120/);
    expect(a.text).toMatch(/Describe the problem/);
    expect(await requests(t).count()).toBe(0);
  });

  it('lists the choices on the card when the product is ambiguous', async () => {
    const a = await exec(t, 'requests.create', form({ product: 'SQL Server' }), { from: people.staff });
    expect(a.text).toMatch(/Which version\? .*SQL Server 2022/);
    const pick = JSON.stringify(a.card);
    expect(pick).toContain('"id":"productPick"');
    expect(pick).toContain('"value":"sql-server|2022"');
  });

  it('refuses a customer tenant id that is not a GUID, or is the own tenant', async () => {
    const bad = await exec(t, 'requests.create', form({ for: 'customer', customerName: 'Fabrikam', customerTenantId: 'fabrikam.com' }), { from: people.staff });
    expect(bad.text).toMatch(/GUID/);
    const own = await exec(t, 'requests.create', form({ for: 'customer', customerName: 'Fabrikam', customerTenantId: '7a1c2f10-0000-4000-8000-000000000001' }), { from: people.staff });
    expect(own.text).toMatch(/your own organisation's tenant ID/);
    expect(await requests(t).count()).toBe(0);
  });

  it('[O5][E3] opens the request: number PSA-0001, Support for Business with steps and links, IDs needed first', async () => {
    const { answer, record: r } = await open(t, people.staff, { severity: 'A', description: 'Failover fails: **bold** [link](https://evil.example) ${1+1}' });
    record = r;
    expect(r.key).toBe('PSA-0001');
    expect(answer.text).toMatch(/Request PSA-0001 is open/);
    expect(answer.text).toMatch(/Covered by Microsoft Product Support/);
    expect(answer.text).toMatch(/Portal: Support for Business/);
    expect(answer.text).toMatch(/Access ID and Contract ID/);
    expect(answer.text).toMatch(/has it in their channel/);
    expect(answer.text).toMatch(/Uses 1 on-premises incident when submitted to Microsoft \(17 left\)/);
    const urls = actionsOf(answer.card).filter((x) => x.type === 'Action.OpenUrl').map((x) => x.url);
    expect(urls).toEqual(expect.arrayContaining([Links.supportForBusiness]));
    expect(r.decision).toMatchObject({ benefit: 'productSupport', covered: true, portal: 'supportForBusiness', incidentsConsumed: 1, idsNeededFirst: true });
    expect(r.decision.reasons).toEqual(expect.arrayContaining(['O5', 'E3']));
  });

  it('posts the triage card to the help desk channel, user text as TextRuns only', async () => {
    const post = postedCard(t, 'PSA-0001');
    expect(post).toBeDefined();
    postId = post!.id;
    const card = cardOf(post!.activity);
    const text = textOf(post!.activity);
    for (const s of ['Adele Vance', 'SQL Server 2022', 'Support for Business', 'Covered by Microsoft Product Support', 'Uses 1 on-premises incident', 'A (critical)', 'New', 'Nobody yet']) expect(text).toContain(s);
    const json = JSON.stringify(card);
    expect(json).toContain('"type":"TextRun","text":"Failover fails: **bold** [link](https://evil.example) ${1+1}"');
    expect(json).not.toContain('"text":"2"');
    expect(actionsOf(card).map((a) => a.verb).filter((v) => v && v !== 'requests.refresh')).toEqual(['requests.claim', 'requests.assign', 'requests.setStatus', 'requests.addNote']);
    expect(JSON.stringify(card)).toContain('"title":"Lynne Robbins","value":"7a1c2f10-0000-4000-8000-000000000025"');
    expect((await reload(t, record.id)).channelPost).toEqual({ conversationId: CHANNEL, activityId: postId });
    const audit = await t.app.deps.store.audit.recent((e) => e.subject === record.id);
    expect(audit.map((e) => e.action)).toEqual(['request.created', 'request.posted']);
  });

  it('claims: the clicker gets the fresh card and the channel copy is updated in place', async () => {
    const r = await reload(t, record.id);
    const a = await act(t, people.helpDesk, 'requests.claim', r);
    expect(a.code).toBe(200);
    expect(a.text).toMatch(/You claimed PSA-0001/);
    expect(a.text).toContain('Isaiah Langer');
    const upd = latestUpdate(t, postId);
    expect(upd?.conversationId).toBe(CHANNEL);
    expect(textOf(upd!.activity)).toContain('Isaiah Langer');
    expect(textOf(upd!.activity)).not.toMatch(/You claimed/); // the notice is the clicker's only
    expect((await reload(t, record.id)).assignee?.name).toBe('Isaiah Langer');
  });

  it('assigns to another help desk member, who is notified; the card updates for everyone', async () => {
    const r = await reload(t, record.id);
    const before = textsTo(t, personalChat(people.helpDesk2)).length;
    const a = await act(t, people.helpDesk, 'requests.assign', r, { assignee: people.helpDesk2.aadObjectId });
    expect(a.text).toMatch(/now assigned to Lynne Robbins/);
    const got = textsTo(t, personalChat(people.helpDesk2)).slice(before);
    expect(got.join('\n')).toMatch(/PSA-0001 is assigned to you/);
    expect(got.join('\n')).toMatch(/Isaiah Langer assigned you PSA-0001/);
    expect(textOf(latestUpdate(t, postId)!.activity)).toContain('Lynne Robbins');
  });

  it('refuses to assign to someone outside the help desk', async () => {
    const r = await reload(t, record.id);
    const a = await act(t, people.helpDesk, 'requests.assign', r, { assignee: people.staff.aadObjectId });
    expect(a.text).toMatch(/Choose a member of the help desk/);
    expect((await reload(t, record.id)).assignee?.name).toBe('Lynne Robbins');
  });

  it('requires the Microsoft case number for "Submitted to Microsoft" (error on the card, nothing changed)', async () => {
    const r = await reload(t, record.id);
    const a = await act(t, people.helpDesk2, 'requests.setStatus', r, { status: 'submitted', caseNumber: '' });
    expect(a.card).toBeDefined();
    expect(a.text).toMatch(/needs the Microsoft case number/);
    expect((await reload(t, record.id)).version).toBe(r.version);
  });

  it('[E3] "Submitted to Microsoft" decrements the on-premises incidents once, audited, and tells the requester', async () => {
    const r = await reload(t, record.id);
    const before = textsTo(t, personalChat(people.staff)).length;
    const a = await act(t, people.helpDesk2, 'requests.setStatus', r, { status: 'submitted', caseNumber: '2606010040001234' });
    expect(a.text).toMatch(/PSA-0001 is now: Submitted to Microsoft/);
    expect(a.text).toMatch(/1 on-premises incident used on 2026-06-01 \(16 left\)/);
    expect((await t.app.deps.benefits.publicState(people.staff.tenantId ?? '7a1c2f10-0000-4000-8000-000000000001'))?.onPremisesIncidentsRemaining).toBe(16);
    const told = textsTo(t, personalChat(people.staff)).slice(before).join('\n');
    expect(told).toMatch(/PSA-0001 is now: Submitted to Microsoft/);
    expect(told).toContain('2606010040001234');
    const audit = await t.app.deps.store.audit.recent((e) => e.action === 'request.incidentCounted' && e.subject === record.id);
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ kind: 'onPremises', remaining: 16, key: 'PSA-0001' });
  });

  it('sends a note marked visible to the requester, keeps internal notes internal', async () => {
    let r = await reload(t, record.id);
    const before = textsTo(t, personalChat(people.staff)).length;
    const internal = await act(t, people.helpDesk2, 'requests.addNote', r, { note: 'Internal: customer is on CU12', visibleToRequester: 'false' });
    expect(internal.text).toMatch(/Note added to PSA-0001\./);
    expect(textsTo(t, personalChat(people.staff)).length).toBe(before);
    r = await reload(t, record.id);
    const visible = await act(t, people.helpDesk2, 'requests.addNote', r, { note: 'Please send the cluster log *today*', visibleToRequester: 'true' });
    expect(visible.text).toMatch(/sent to the requester/);
    const got = textsTo(t, personalChat(people.staff)).slice(before).join('\n');
    expect(got).toContain('Please send the cluster log *today*');
    expect(got).not.toContain('Internal: customer is on CU12');
    expect(textOf(latestUpdate(t, postId)!.activity)).toContain('Internal: customer is on CU12');
  });

  it('[E3] resolve, reopen and resubmit do not count the incident again', async () => {
    for (const [status, caseNumber] of [['resolved', ''], ['reopened', ''], ['submitted', '2606010040005678']]) {
      const r = await reload(t, record.id);
      const a = await act(t, people.helpDesk2, 'requests.setStatus', r, { status, caseNumber });
      expect(a.text).toMatch(/PSA-0001 is now/);
    }
    expect((await t.app.deps.benefits.publicState('7a1c2f10-0000-4000-8000-000000000001'))?.onPremisesIncidentsRemaining).toBe(16);
    const counted = await t.app.deps.store.audit.recent((e) => e.action === 'request.incidentCounted' && e.subject === record.id);
    expect(counted).toHaveLength(1);
    const changes = await t.app.deps.store.audit.recent((e) => e.action === 'request.statusChanged' && e.subject === record.id);
    expect(changes.map((e) => e.details?.to)).toEqual(['submitted', 'resolved', 'reopened', 'submitted']);
  });

  it('refuses a status change based on a stale card that someone else changed meanwhile', async () => {
    const shown = await reload(t, record.id);
    await act(t, people.helpDesk2, 'requests.setStatus', shown, { status: 'waitingOnRequester' });
    const stale = await act(t, people.helpDesk, 'requests.setStatus', shown, { status: 'triaged' });
    expect(stale.text).toMatch(/changed to "Waiting on requester" after this card was shown/);
    expect((await reload(t, record.id)).status).toBe('waitingOnRequester');
  });

  it('lets only the requester withdraw, from their status card; the channel card shows it', async () => {
    const r = await reload(t, record.id);
    const other = await exec(t, 'requests.withdraw', { requestId: r.id, version: r.version }, { from: people.partnerAdmin });
    expect(other.code).toBe(403);
    const mine = await exec(t, 'requests.withdraw', { requestId: r.id, version: r.version }, { from: people.staff });
    expect(mine.text).toMatch(/You withdrew PSA-0001/);
    expect(actionsOf(mine.card).some((x) => x.verb === 'requests.withdraw')).toBe(false);
    expect((await reload(t, record.id)).status).toBe('withdrawn');
    expect(textOf(latestUpdate(t, postId)!.activity)).toContain('Withdrawn');
    const again = await exec(t, 'requests.withdraw', { requestId: r.id, version: r.version }, { from: people.staff });
    expect(again.text).toMatch(/is finished/);
  });

  it('refreshes: the help desk gets the triage card, the requester the status card, others nothing', async () => {
    const hd = await exec(t, 'requests.refresh', { requestId: record.id, view: 'triage' }, { from: people.helpDesk, trigger: 'automatic' } as never);
    expect(hd.text).toContain('PSA-0001 · Severity A');
    const req = await exec(t, 'requests.refresh', { requestId: record.id, view: 'status' }, { from: people.staff });
    expect(req.text).toContain('Request PSA-0001');
    const nosy = await exec(t, 'requests.refresh', { requestId: record.id, view: 'triage' }, { from: people.partnerAdmin });
    expect(nosy.code).toBe(403);
  });

  it('[R4] opens an on-premises request for a customer (Support for Business, customer shown as plain text)', async () => {
    const { answer, record: r } = await open(t, people.staff, { for: 'customer', customerName: 'Fabrikam *Ltd*', customerTenantId: '0F0F0F0F-0000-4000-8000-000000000001' });
    expect(r.key).toBe('PSA-0002');
    expect(r.customer).toEqual({ name: 'Fabrikam *Ltd*', tenantId: '0f0f0f0f-0000-4000-8000-000000000001' });
    expect(r.decision.reasons).toEqual(expect.arrayContaining(['R4', 'O5']));
    expect(answer.text).toMatch(/On-premises requests may be opened for a customer/);
    expect(JSON.stringify(answer.card)).toContain('"type":"TextRun","text":"Fabrikam *Ltd* (0f0f0f0f-0000-4000-8000-000000000001)"');
  });

  it('shows the queue to the help desk, straight from the store, and refuses everyone else', async () => {
    const replies = await t.replies(message('queue', { from: people.helpDesk }));
    const text = textOf(replies[0]);
    expect(text).toMatch(/Open requests/);
    expect(text).toContain('PSA-0002');
    expect(text).not.toContain('PSA-0001'); // withdrawn: not open
    const refused = await t.replies(message('queue', { from: people.staff }));
    expect(textOf(refused[0])).toMatch(/Only help desk members/);
  });

  it('answers Korean users in Korean (form, errors, status card)', async () => {
    const replies = await t.replies(message('새 요청', { locale: 'ko-KR' }));
    expect(textOf(replies[0])).toContain('새 지원 요청');
    const bad = await exec(t, 'requests.create', { formId: 'ko-1', product: 'SQL Server 2022' }, { from: people.staff, locale: 'ko-KR' });
    expect(bad.text).toContain('심각도를 고르세요');
    const { answer } = await open(t, people.staff, {}, { locale: 'ko-KR' });
    expect(answer.text).toMatch(/요청 PSA-0003이\(가\) 열렸습니다/);
    expect(answer.text).toContain('Support for Business');
  });
});
