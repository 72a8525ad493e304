/** Help desk channel (none yet, set, moved, from a thread) and the queue (filters, paging, claim from the queue). */
import { message, people } from '../helpers/activities.js';
import { actionsOf, cardOf, textOf, type TestApp } from '../helpers/app.js';
import { act, CHANNEL, exec, introduce, open, personalChat, postedCard, reload, requests, sentTo, setChannel, settings, startRequestsApp, textsTo } from './support.js';

describe('help desk channel', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startRequestsApp();
    await introduce(t, people.globalAdmin, people.partnerAdmin, people.staff, people.helpDesk);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('without a channel the request is stored, the requester is told about the queue, admins are told once', async () => {
    const first = await open(t, people.staff, { title: 'Before any channel' });
    expect(first.answer.text).toMatch(/will see your request in their queue/);
    expect(first.record.channelPost).toBeUndefined();
    const second = await open(t, people.staff, { title: 'Still no channel' });
    expect(second.record.key).toBe('PSA-0002');
    for (const admin of [people.globalAdmin, people.partnerAdmin]) {
      const told = textsTo(t, personalChat(admin)).filter((x) => /no help desk channel is set/.test(x));
      expect(told).toHaveLength(1);
      expect(told[0]).toContain('PSA-0001');
    }
    expect(textsTo(t, personalChat(people.staff)).some((x) => /no help desk channel/.test(x))).toBe(false);
    expect((await settings(t).list())[0].adminsToldNoChannelAt).toBeDefined();
  });

  it('a help desk member may set the channel from a thread: the backlog is posted to the channel itself', async () => {
    const text = await setChannel(t, people.helpDesk, { conversationId: `${CHANNEL};messageid=1717232400000` });
    expect(text).toMatch(/now the help desk channel/);
    expect(text).toMatch(/2 open requests were not posted anywhere yet/);
    expect((await settings(t).list())[0].helpDeskChannel?.conversationId).toBe(CHANNEL);
    const posts = sentTo(t, CHANNEL).filter((s) => cardOf(s.activity)?.refresh?.action?.data?.view === 'triage');
    expect(posts.map((s) => textOf(s.activity).match(/PSA-\d{4}/)?.[0])).toEqual(['PSA-0001', 'PSA-0002']);
    expect((await requests(t).list()).every((r) => r.channelPost?.conversationId === CHANNEL)).toBe(true);
  });

  it('is changeable: new requests go to the new channel, older cards keep updating where they are', async () => {
    const other = '19:triage-2@thread.tacv2';
    const text = await setChannel(t, people.globalAdmin, { conversationId: other });
    expect(text).toMatch(/replaces the previous help desk channel/);
    const { record } = await open(t, people.staff, { title: 'After the move' });
    expect(record.channelPost?.conversationId).toBe(other);
    const old = (await requests(t).list()).find((r) => r.key === 'PSA-0001')!;
    await act(t, people.helpDesk, 'requests.claim', old);
    const upd = t.connector.updates.filter((u) => u.id === old.channelPost!.activityId);
    expect(upd.at(-1)?.conversationId).toBe(CHANNEL);
    const audit = await t.app.deps.store.audit.recent((e) => e.action === 'request.helpDeskChannelSet');
    expect(audit.map((e) => e.subject)).toEqual([CHANNEL, other]);
  });
});

describe('queue', () => {
  let t: TestApp;
  const clock = { now: new Date('2026-06-01T09:00:00Z') };
  beforeAll(async () => {
    t = await startRequestsApp({ clock });
    await introduce(t, people.helpDesk, people.helpDesk2);
    await setChannel(t);
    // 24 requests: severities C,A,B… (8 A); the first 12 are 10 days old; 5 claimed by Isaiah, 3 by Lynne, the last 2 (one A) closed
    for (let i = 0; i < 24; i++) {
      clock.now = new Date(i < 12 ? '2026-05-22T09:00:00Z' : '2026-06-01T09:00:00Z');
      await open(t, people.staff, { title: `Queue ${i}`, severity: ['C', 'A', 'B'][i % 3] });
    }
    clock.now = new Date('2026-06-01T10:00:00Z');
    const all = (await requests(t).list()).sort((a, b) => a.number - b.number);
    for (const r of all.slice(0, 5)) await act(t, people.helpDesk, 'requests.claim', r);
    for (const r of all.slice(5, 8)) await act(t, people.helpDesk2, 'requests.claim', r);
    for (const r of all.slice(22)) await act(t, people.helpDesk, 'requests.setStatus', await reload(t, r.id), { status: 'closed' });
  });
  afterAll(async () => {
    await t.stop();
  });

  const lines = (card: unknown) => textOf(card).split('\n').filter((l) => /^PSA-\d{4} ·/.test(l));

  it('lists open requests 10 a page, most severe and oldest first', async () => {
    const replies = await t.replies(message('open requests', { from: people.helpDesk }));
    const card = cardOf(replies[0]);
    expect(textOf(card)).toMatch(/All · 22 open · page 1 of 3/);
    const l = lines(card);
    expect(l).toHaveLength(10);
    expect(l[0]).toMatch(/^PSA-0002 · A/);
    expect(l.every((x) => / · A · /.test(x))).toBe(false);
    expect(actionsOf(card).some((a) => a.verb === 'requests.queue' && a.data?.state === 'u=0;m=0;d=;s=;p=2')).toBe(true);
  });

  it('pages with the state carried by the Next button', async () => {
    const a = await exec(t, 'requests.queue', { state: 'u=0;m=0;d=;s=;p=3' }, { from: people.helpDesk });
    expect(a.text).toMatch(/page 3 of 3/);
    expect(lines(a.card)).toHaveLength(2);
  });

  it.each([
    ['unassigned', { filter: 'unassigned' }, 14, /Unassigned/],
    ['mine', { filter: 'mine' }, 5, /Assigned to me/],
    ['severity A', { filter: 'custom', severity: 'A', olderThanDays: '' }, 7, /Severity A/],
    ['older than 7 days', { filter: 'custom', severity: 'any', olderThanDays: '7' }, 12, /Older than 7 days/],
  ])('filters: %s', async (_name, data, total, label) => {
    const a = await exec(t, 'requests.queue', data, { from: people.helpDesk });
    expect(a.text).toMatch(new RegExp(`· ${total} open ·`));
    expect(a.text).toMatch(label);
  });

  it('claims from the queue: the queue comes back with the same filter and the claim done', async () => {
    const first = await exec(t, 'requests.queue', { filter: 'unassigned' }, { from: people.helpDesk2 });
    const claim = actionsOf(first.card).find((x) => x.verb === 'requests.claim')!;
    const a = await exec(t, 'requests.claim', claim.data, { from: people.helpDesk2 });
    expect(a.text).toMatch(/You claimed PSA-\d{4}/);
    expect(a.text).toMatch(/Unassigned · 13 open/);
    expect((await reload(t, claim.data.requestId)).assignee?.name).toBe('Lynne Robbins');
    expect(postedCard(t, (await reload(t, claim.data.requestId)).key)).toBeDefined();
  });

  it('refuses the queue verb to people outside the help desk', async () => {
    const a = await exec(t, 'requests.queue', { filter: 'all' }, { from: people.globalAdmin });
    expect(a.code).toBe(403);
  });
});
