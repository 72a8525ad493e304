/** Concurrency over HTTP: claim races, forged claims, duplicate deliveries, 1,000 requests from 50 users at once. */
import { execute, people, type TestUser } from '../helpers/activities.js';
import type { TestApp } from '../helpers/app.js';
import type { RequestRecord } from '../../src/requests/model.js';
import { act, CHANNEL, exec, form, introduce, open, pool, reload, requests, sampleOrg, setChannel, startRequestsApp } from './support.js';

const TENANT = '7a1c2f10-0000-4000-8000-000000000001';

describe('claim races and forged claims', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startRequestsApp();
    await introduce(t, people.staff, people.helpDesk, people.helpDesk2);
    await setChannel(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('100 races of two agents claiming the same request: exactly one owner each, the loser told who owns it', async () => {
    const records: RequestRecord[] = [];
    await pool(Array.from({ length: 100 }, (_, i) => i), 20, async (i) => {
      records[i] = (await open(t, people.staff, { title: `Race ${i}` })).record;
    });
    const agents = [people.helpDesk, people.helpDesk2];
    const wins = new Map<string, number>();
    await pool(records, 10, async (r) => {
      const shown = await reload(t, r.id);
      const answers = await Promise.all(agents.map((a) => act(t, a, 'requests.claim', shown)));
      const stored = await reload(t, r.id);
      expect(stored.assignee).toBeDefined();
      const winner = agents.findIndex((a) => a.aadObjectId === stored.assignee?.aadObjectId);
      const loser = 1 - winner;
      expect(answers[winner].text).toMatch(new RegExp(`You claimed ${r.key}`));
      expect(answers[loser].text).toContain(`${r.key} is already claimed by ${agents[winner].name}`);
      expect(stored.version).toBe(shown.version + 1);
      wins.set(agents[winner].name, (wins.get(agents[winner].name) ?? 0) + 1);
    });
    expect([...wins.values()].reduce((a, b) => a + b, 0)).toBe(100);
    const claims = await t.app.deps.store.audit.recent((e) => e.action === 'request.claimed');
    expect(claims).toHaveLength(100);
  }, 30_000);

  it.each([
    ['staff', people.staff],
    ['a CSP-only account', people.cspOnly],
    ['an unknown user', people.unknown],
    ['another tenant', people.otherTenant],
  ])('refuses a forged claim from %s and changes nothing', async (_who, who) => {
    const { record } = await open(t, people.staff, { title: `Forged ${_who}` });
    const before = await reload(t, record.id);
    const a = await exec(t, 'requests.claim', { requestId: record.id, version: before.version }, { from: who, kind: 'channel', conversationId: CHANNEL });
    expect(a.card).toBeUndefined();
    expect(a.text).toMatch(/Only help desk members|one partner organisation/);
    const after = await reload(t, record.id);
    expect(after).toEqual(before);
  });

  it('refuses forged assign, status and note actions from a non-member too', async () => {
    const { record } = await open(t, people.staff, { title: 'Forged actions' });
    const before = await reload(t, record.id);
    for (const [verb, data] of [
      ['requests.assign', { assignee: people.staff.aadObjectId }],
      ['requests.setStatus', { status: 'closed' }],
      ['requests.addNote', { note: 'forged', visibleToRequester: 'true' }],
    ] as const) {
      const a = await act(t, people.globalAdmin, verb, before, data);
      expect(a.code).toBe(403);
    }
    expect(await reload(t, record.id)).toEqual(before);
    const refused = await t.app.deps.store.audit.recent((e) => e.action === 'request.actionRefused' && e.subject === record.id);
    expect(refused).toHaveLength(3);
  });

  it('refuses a claim by card data naming a request of another tenant as not found', async () => {
    const { record } = await open(t, people.staff, { title: 'Other tenant record' });
    await requests(t).mutate(record.id, (cur) => ({ ...cur, tenantId: '9b9b9b9b-0000-4000-8000-000000000099' }));
    const a = await act(t, people.helpDesk, 'requests.claim', record);
    expect(a.code).toBe(404);
    expect((await reload(t, record.id)).assignee).toBeUndefined();
  });
});

describe('duplicate deliveries', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startRequestsApp();
    await setChannel(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('the same activity delivered twice (at once, then again) creates one request and one channel post', async () => {
    const activity = execute('requests.create', form({ title: 'Delivered twice' }), { from: people.staff, id: 'dup-create-1' });
    const [a, b] = await Promise.all([t.post(activity), t.post(activity)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await t.post(activity);
    const stored = await requests(t).list((r) => r.title === 'Delivered twice');
    expect(stored).toHaveLength(1);
    expect(t.connector.sent.filter((s) => s.conversationId === CHANNEL && JSON.stringify(s.activity).includes(stored[0].key))).toHaveLength(1);
  });

  it('a double click (two activities, same form) creates one request; the second answer says it was already opened', async () => {
    const data = form({ title: 'Double click' });
    const [a, b] = await Promise.all([exec(t, 'requests.create', data, { from: people.staff }), exec(t, 'requests.create', data, { from: people.staff })]);
    const stored = await requests(t).list((r) => r.title === 'Double click');
    expect(stored).toHaveLength(1);
    expect([a.text, b.text].filter((x) => /was already opened/.test(x))).toHaveLength(1);
    const again = await exec(t, 'requests.create', data, { from: people.staff });
    expect(again.text).toMatch(/Request PSA-\d{4} was already opened/);
    const numbers = (await requests(t).list()).map((r) => r.number).sort((x, y) => x - y);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1)); // no number taken by a duplicate
  });
});

describe('1,000 requests from 50 concurrent users', () => {
  let t: TestApp;
  const users: TestUser[] = Array.from({ length: 50 }, (_, i) => ({
    aadObjectId: `7a1c2f10-0000-4000-8000-0000000011${String(i).padStart(2, '0')}`,
    name: `Load User ${i}`,
    id: `29:load-${i}`,
  }));
  beforeAll(async () => {
    const org = sampleOrg();
    org.people = [...org.people, ...users.map((u) => ({ aadObjectId: u.aadObjectId, name: u.name, mpnAssociated: true, roles: [] }))];
    t = await startRequestsApp({ org });
    await setChannel(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('stores 1,000 records with unique sequential numbers PSA-0001…PSA-1000 and posts each once', async () => {
    const started = Date.now();
    const failures: string[] = [];
    await pool(Array.from({ length: 1000 }, (_, i) => i), 50, async (i) => {
      const who = users[i % 50];
      const a = await exec(t, 'requests.create', form({ title: `Load ${i}`, severity: ['A', 'B', 'C'][i % 3] }), { from: who });
      if (!/Request PSA-\d{4} is open/.test(a.text)) failures.push(`${i}: ${a.code} ${a.text.slice(0, 120)}`);
    });
    const ms = Date.now() - started;
    process.stdout.write(`1,000 creates by 50 concurrent users: ${ms} ms (${Math.round(1000 / (ms / 1000))} requests/s)\n`);
    expect(failures).toEqual([]);
    const all = await requests(t).list();
    expect(all).toHaveLength(1000);
    const numbers = all.map((r) => r.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(new Set(all.map((r) => r.key)).size).toBe(1000);
    expect(all.every((r) => r.tenantId === TENANT && r.channelPost)).toBe(true);
    expect(new Set(all.map((r) => r.channelPost?.activityId)).size).toBe(1000);
    expect(new Set(all.map((r) => r.requester.aadObjectId)).size).toBe(50);
  }, 60_000);
});
