/**
 * The Graph directory wired into the running bot through createDirectory (as src/app.ts is to do): a turn sees
 * roles from Graph, and an unreachable Graph becomes the translated "try later" answer, not a crash.
 */
import type { AppDeps } from '../../src/app-deps.js';
import { createDirectory, GraphDirectory } from '../../src/identity/index.js';
import { message, people, TENANT } from '../helpers/activities.js';
import { startTestApp, textOf, type TestApp } from '../helpers/app.js';
import { GLOBAL_ADMIN, startFakeEntra, type FakeEntra } from './fake-entra.js';

/** A test-only command that shows what the directory says about the sender. */
function registerWhoAmI(deps: AppDeps): void {
  deps.router.intent({
    name: 'whoami',
    patterns: [/^whoami$/],
    async handler(ctx) {
      const p = await ctx.person();
      await ctx.send(p ? `${p.name}: ${p.roles.join(',') || 'no roles'}` : 'unknown person');
    },
  });
}

describe('Graph directory in the running bot', () => {
  let fake: FakeEntra;
  let t: TestApp;
  beforeAll(async () => {
    fake = await startFakeEntra({
      tenantId: TENANT,
      users: [
        { id: people.globalAdmin.aadObjectId, displayName: 'Alex from Graph', userPrincipalName: 'alexw@contoso.example', rolePages: [[], [{ id: 'r1', roleTemplateId: GLOBAL_ADMIN }]] },
        { id: people.staff.aadObjectId, displayName: 'Adele from Graph', userPrincipalName: 'adelev@contoso.example' },
      ],
    });
    t = await startTestApp({
      env: {
        GRAPH_ENABLED: '1',
        GRAPH_TENANT_ID: TENANT,
        GRAPH_CLIENT_ID: 'b0000000-0000-4000-8000-0000000000b1',
        GRAPH_CLIENT_SECRET: 'fake-client-secret-value',
        GRAPH_AUTHORITY_HOST: fake.url,
        GRAPH_BASE_URL: fake.graphBaseUrl,
        GRAPH_TIMEOUT_MS: '500',
      },
      directory: (d) => createDirectory(d),
      capabilities: [registerWhoAmI],
    });
  });
  afterAll(async () => {
    await t.stop();
    await fake.close();
  });

  it('uses the Graph directory', () => {
    expect(t.app.deps.directory).toBeInstanceOf(GraphDirectory);
  });

  it('gives a turn the roles Graph reports', async () => {
    const replies = await t.replies(message('whoami', { from: people.globalAdmin }));
    expect(replies[0].text).toBe('Alex from Graph: globalAdmin');
  });

  it('treats a person Graph does not know as unknown', async () => {
    const replies = await t.replies(message('whoami', { from: people.unknown }));
    expect(replies[0].text).toBe('unknown person');
  });

  it('answers "try later" when Graph is down and nothing fresh is cached', async () => {
    fake.inject = (r) => (r.path.includes('/v1.0/') ? { status: 503 } : undefined);
    try {
      const r = await t.post({ ...message('whoami', { from: people.staff, id: 'graph-down-1' }), deliveryMode: 'expectReplies' });
      expect(r.status).toBe(200);
      expect(textOf(r.body.activities[0])).toMatch(/can't check your role right now/);
      const turn = t.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'turn' && l.activityId === 'graph-down-1');
      expect(turn).toMatchObject({ outcome: 'error' });
    } finally {
      fake.inject = undefined;
    }
    // and recovers as soon as Graph answers again
    const replies = await t.replies(message('whoami', { from: people.staff }));
    expect(replies[0].text).toBe('Adele from Graph: no roles');
  });

  it('keeps the client secret out of the logs', () => {
    expect(t.logs.join('\n')).not.toContain('fake-client-secret-value');
  });
});
