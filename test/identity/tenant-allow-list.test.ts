/** The tenant allow-list (ALLOWED_TENANT_IDS, default: the org file's tenant): a polite refusal, and no data touched. */
import { loadConfig, ConfigError } from '../../src/config.js';
import type { Directory } from '../../src/identity/directory.js';
import { execute, message, OTHER_TENANT, people, TENANT } from '../helpers/activities.js';
import { startTestApp, textOf, type TestApp } from '../helpers/app.js';

const REFUSAL = /one partner organisation/;

/** Wraps the real org-file directory and counts lookups, to show a refused tenant causes none. */
function counting(fallback: Directory, calls: string[]): Directory {
  return {
    organisation: () => fallback.organisation(),
    getPerson: (tenantId, id) => {
      calls.push(`getPerson ${tenantId} ${id}`);
      return fallback.getPerson(tenantId, id);
    },
    listPeople: (role) => {
      calls.push(`listPeople ${role}`);
      return fallback.listPeople(role);
    },
  };
}

const turnLine = (t: TestApp, activityId: string) =>
  t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'turn' && l.activityId === activityId);

const storedConversations = async (t: TestApp) => JSON.stringify(await t.app.deps.store.collection<{ id: string; version: number }>('conversations').list());

describe('tenant allow-list: default (the org file tenant only)', () => {
  let t: TestApp;
  const lookups: string[] = [];
  beforeAll(async () => {
    t = await startTestApp({ directory: ({ fallback }) => counting(fallback, lookups) });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('serves the org file tenant', async () => {
    const replies = await t.replies(message('help', { from: people.staff }));
    expect(textOf(replies[0])).toContain('Partner Support Assistant');
  });

  it('serves the org file tenant whatever the case of its id', async () => {
    const replies = await t.replies(message('help', { from: people.staff, tenantId: TENANT.toUpperCase() }));
    expect(textOf(replies[0])).toContain('Partner Support Assistant');
  });

  it('refuses another tenant politely, logs the refusal, and stores and looks up nothing', async () => {
    lookups.length = 0;
    const a = message('help', { from: people.otherTenant, id: 'other-tenant-msg' });
    const r = await t.post({ ...a, deliveryMode: 'expectReplies' });
    expect(r.status).toBe(200);
    expect(r.body.activities).toHaveLength(1);
    expect(textOf(r.body.activities[0])).toMatch(REFUSAL);
    expect(turnLine(t, 'other-tenant-msg')).toMatchObject({ outcome: 'tenantRefused' });
    expect(lookups).toEqual([]);
    expect(await storedConversations(t)).not.toContain(OTHER_TENANT);
  });

  it('answers a card action from another tenant with the refusal, not the action', async () => {
    const r = await t.post(execute('some.verb', { x: 1 }, { from: people.otherTenant }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(r.body.value).toMatch(REFUSAL);
    expect(await storedConversations(t)).not.toContain(OTHER_TENANT);
  });

  it('refuses an activity that names no tenant at all', async () => {
    const a = message('help', { from: people.staff, id: 'no-tenant-msg' }) as Record<string, any>;
    delete a.conversation.tenantId;
    a.channelData = {};
    const replies = await t.replies(a);
    expect(textOf(replies[0])).toMatch(REFUSAL);
    expect(turnLine(t, 'no-tenant-msg')).toMatchObject({ outcome: 'tenantRefused' });
  });

  it('goes by the conversation tenant, not a tenant claimed only in channelData', async () => {
    const a = message('help', { from: people.otherTenant, id: 'spoofed-channel-data' }) as Record<string, any>;
    a.channelData = { tenant: { id: TENANT } };
    const replies = await t.replies(a);
    expect(textOf(replies[0])).toMatch(REFUSAL);
  });
});

describe('tenant allow-list: ALLOWED_TENANT_IDS set', () => {
  it('serves exactly the listed tenants (the org file tenant is not added implicitly)', async () => {
    const t = await startTestApp({ env: { ALLOWED_TENANT_IDS: OTHER_TENANT } });
    try {
      expect(textOf((await t.replies(message('help', { from: people.otherTenant })))[0])).toContain('Partner Support Assistant');
      expect(textOf((await t.replies(message('help', { from: people.staff })))[0])).toMatch(REFUSAL);
    } finally {
      await t.stop();
    }
  });

  it('serves several tenants listed with spaces and mixed case', async () => {
    const t = await startTestApp({ env: { ALLOWED_TENANT_IDS: ` ${TENANT.toUpperCase()} , ${OTHER_TENANT} ` } });
    try {
      expect(textOf((await t.replies(message('help', { from: people.otherTenant })))[0])).toContain('Partner Support Assistant');
      expect(textOf((await t.replies(message('help', { from: people.staff })))[0])).toContain('Partner Support Assistant');
    } finally {
      await t.stop();
    }
  });

  it('refuses to start with an entry that is not a GUID', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', ALLOWED_TENANT_IDS: `${TENANT},contoso.onmicrosoft.com` } as NodeJS.ProcessEnv)).toThrow(ConfigError);
  });
});
