/**
 * GraphDirectory against a local fake of the Entra token endpoint and Microsoft Graph (no mocks of our code):
 * roles, unknown people, missing permissions, throttling, timeouts, outages and the per-person cache.
 */
import { constants, generateKeyPairSync, verify } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { OrgFileDirectory } from '../../src/identity/directory.js';
import { createDirectory, DirectoryUnavailableError, GraphDirectory } from '../../src/identity/index.js';
import { loadOrgFile } from '../../src/identity/org-file.js';
import { createLogger, type Logger } from '../../src/logging/logger.js';
import { OTHER_TENANT, people, TENANT } from '../helpers/activities.js';
import { GLOBAL_ADMIN, HELPDESK_ADMIN, startFakeEntra, USER_ADMIN, type FakeEntra, type FakeUser } from './fake-entra.js';

const GROUPS = {
  partnerAdmin: 'a0000000-0000-4000-8000-0000000000a1',
  helpDesk: 'a0000000-0000-4000-8000-0000000000a2',
  mpn: 'a0000000-0000-4000-8000-0000000000a3',
  adminAgents: 'a0000000-0000-4000-8000-0000000000a4',
};
const GRAPH_ONLY = '7a1c2f10-0000-4000-8000-000000000030';
const NO_PERMISSION = '7a1c2f10-0000-4000-8000-000000000031';

const role = (n: number, roleTemplateId: string | null) => ({ id: `r0000000-0000-4000-8000-00000000000${n}`, roleTemplateId });
const USERS: FakeUser[] = [
  // Global Admin, but only on the second page of directory roles
  { id: people.globalAdmin.aadObjectId, displayName: 'Alex Wilber (Graph)', mail: 'alex@graph.example', userPrincipalName: 'alexw@contoso.example', rolePages: [[role(1, USER_ADMIN)], [role(2, GLOBAL_ADMIN)]], groups: [GROUPS.mpn] },
  { id: people.partnerAdmin.aadObjectId, displayName: 'Megan Bowen', userPrincipalName: 'meganb@contoso.example', groups: [GROUPS.partnerAdmin, GROUPS.mpn] },
  { id: people.staff.aadObjectId, displayName: 'Adele Vance', mail: 'adelev@contoso.example', userPrincipalName: 'adelev@contoso.example', rolePages: [[role(3, HELPDESK_ADMIN)]], groups: [GROUPS.mpn] },
  { id: people.helpDesk.aadObjectId, displayName: 'Isaiah Langer', userPrincipalName: 'isaiahl@contoso.example', groups: [GROUPS.helpDesk, GROUPS.mpn] },
  { id: people.cspOnly.aadObjectId, displayName: 'Patti Fernandez', userPrincipalName: 'pattif@contoso.example', groups: [GROUPS.adminAgents] },
  { id: people.helpDesk2.aadObjectId, displayName: 'Lynne Robbins', userPrincipalName: 'lynner@contoso.example', groups: [GROUPS.helpDesk, GROUPS.adminAgents, GROUPS.mpn] },
  { id: GRAPH_ONLY, displayName: 'Nestor Wilke', userPrincipalName: 'nestorw@contoso.example', groups: [GROUPS.helpDesk] },
  { id: NO_PERMISSION, displayName: 'Limited View', userPrincipalName: 'limited@contoso.example', rolePages: [[role(4, null)]] },
];

const fallback = () => new OrgFileDirectory(loadOrgFile(path.resolve('config/org.mpn-2021.sample.json')));

function graphEnv(fake: FakeEntra, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    GRAPH_ENABLED: '1',
    GRAPH_TENANT_ID: TENANT,
    GRAPH_CLIENT_ID: 'b0000000-0000-4000-8000-0000000000b1',
    GRAPH_CLIENT_SECRET: 'fake-client-secret-value',
    GRAPH_AUTHORITY_HOST: fake.url,
    GRAPH_BASE_URL: fake.graphBaseUrl,
    GRAPH_GROUP_MPN_PARTNER_ADMIN: GROUPS.partnerAdmin,
    GRAPH_GROUP_HELP_DESK: GROUPS.helpDesk,
    GRAPH_GROUP_MPN_ASSOCIATED: GROUPS.mpn,
    GRAPH_GROUP_ADMIN_AGENTS: GROUPS.adminAgents,
    GRAPH_TIMEOUT_MS: '400',
    ...extra,
  };
}

describe('GraphDirectory (local fake token endpoint and Graph)', () => {
  let fake: FakeEntra;
  let logs: string[];
  let logger: Logger;
  beforeAll(async () => {
    fake = await startFakeEntra({ tenantId: TENANT, users: USERS });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.tokenRequests.length = 0;
    fake.graphRequests.length = 0;
    fake.inject = undefined;
    fake.roleMembers.clear();
    logs = [];
    logger = createLogger({ level: 'debug', sink: { write: (l) => logs.push(l) } });
  });

  const config = (extra: Record<string, string> = {}): Config => loadConfig(graphEnv(fake, extra) as NodeJS.ProcessEnv, 'test');
  const make = (extra: Record<string, string> = {}) => createDirectory({ config: config(extra), logger, fallback: fallback() });
  const withClock = (clock: { t: number }, extra: Record<string, string> = {}) =>
    new GraphDirectory({ graph: config(extra).graph, logger, fallback: fallback(), now: () => clock.t });

  describe('roles', () => {
    it('finds a Global Admin whose role is on the second page of transitiveMemberOf', async () => {
      const p = await make().getPerson(TENANT, people.globalAdmin.aadObjectId);
      expect(p).toEqual({
        aadObjectId: people.globalAdmin.aadObjectId,
        name: 'Alex Wilber (Graph)',
        email: 'alex@graph.example',
        mpnAssociated: true,
        cspAssociated: false,
        roles: ['globalAdmin'],
      });
      const rolePages = fake.graphRequests.filter((r) => r.path.endsWith('/microsoft.graph.directoryRole'));
      expect(rolePages).toHaveLength(2);
    });

    it('gives a plain user no roles (another directory role is not Global Admin)', async () => {
      const p = await make().getPerson(TENANT, people.staff.aadObjectId);
      expect(p).toMatchObject({ name: 'Adele Vance', mpnAssociated: true, cspAssociated: false, roles: [] });
    });

    it.each([
      ['MPN Partner Admin', people.partnerAdmin.aadObjectId, ['mpnPartnerAdmin'], true, false],
      ['help desk', people.helpDesk.aadObjectId, ['helpDesk'], true, false],
      ['CSP Admin Agent (not MPN-associated)', people.cspOnly.aadObjectId, ['adminAgent'], false, true],
      ['help desk and Admin Agent', people.helpDesk2.aadObjectId, ['adminAgent', 'helpDesk'], true, true],
    ])('reads %s from the configured groups with one checkMemberGroups call', async (_name, id, roles, mpn, csp) => {
      const p = await make().getPerson(TENANT, id);
      expect(p?.roles).toEqual(roles);
      expect(p?.mpnAssociated).toBe(mpn);
      expect(p?.cspAssociated).toBe(csp);
      const checks = fake.graphRequests.filter((r) => r.path.endsWith('/checkMemberGroups'));
      expect(checks).toHaveLength(1);
      expect(JSON.parse(checks[0].body).groupIds.sort()).toEqual(Object.values(GROUPS).sort());
    });

    it('knows a person Graph knows even when the org file does not (name and email from Graph)', async () => {
      const p = await make().getPerson(TENANT, GRAPH_ONLY);
      expect(p).toEqual({ aadObjectId: GRAPH_ONLY, name: 'Nestor Wilke', email: 'nestorw@contoso.example', mpnAssociated: false, cspAssociated: false, roles: ['helpDesk'] });
    });

    it('ignores the org file roles where a group is configured (Graph is the truth)', async () => {
      // Megan is mpnPartnerAdmin in the org file; remove her from the Graph group and she loses the role.
      const megan = fake.users.get(people.partnerAdmin.aadObjectId)!;
      const saved = megan.groups;
      megan.groups = [GROUPS.mpn];
      try {
        const p = await make().getPerson(TENANT, people.partnerAdmin.aadObjectId);
        expect(p?.roles).toEqual([]);
      } finally {
        megan.groups = saved;
      }
    });

    it('takes a role from the org file where no group is configured', async () => {
      const p = await make({ GRAPH_GROUP_MPN_PARTNER_ADMIN: '', GRAPH_GROUP_MPN_ASSOCIATED: '' }).getPerson(TENANT, people.partnerAdmin.aadObjectId);
      expect(p?.roles).toEqual(['mpnPartnerAdmin']);
      expect(p?.mpnAssociated).toBe(true); // org file
      const checks = fake.graphRequests.filter((r) => r.path.endsWith('/checkMemberGroups'));
      expect(JSON.parse(checks[0].body).groupIds.sort()).toEqual([GROUPS.adminAgents, GROUPS.helpDesk].sort());
    });

    it('keeps the organisation from the org file', () => {
      expect(make().organisation()).toMatchObject({ tenantId: TENANT, name: 'Contoso Partners' });
    });
  });

  describe('unknown people', () => {
    it('answers undefined for a user Graph does not know (404), and remembers it', async () => {
      const d = make();
      expect(await d.getPerson(TENANT, people.unknown.aadObjectId)).toBeUndefined();
      expect(await d.getPerson(TENANT, people.unknown.aadObjectId)).toBeUndefined();
      expect(fake.graphCallsFor(people.unknown.aadObjectId)).toHaveLength(1);
    });

    it('answers undefined for another tenant without calling anyone', async () => {
      expect(await make().getPerson(OTHER_TENANT, people.otherTenant.aadObjectId)).toBeUndefined();
      expect(fake.tokenRequests).toHaveLength(0);
      expect(fake.graphRequests).toHaveLength(0);
    });

    it.each(['', 'not-a-guid', '../users?$top=999', `${people.staff.aadObjectId}/memberOf`])('answers undefined for the id %j without calling Graph', async (id) => {
      expect(await make().getPerson(TENANT, id)).toBeUndefined();
      expect(fake.graphRequests).toHaveLength(0);
    });
  });

  describe('failures fail closed', () => {
    it('throws DirectoryUnavailableError for a role without roleTemplateId (missing permission), not "not an admin"', async () => {
      const err = await make().getPerson(TENANT, NO_PERMISSION).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DirectoryUnavailableError);
      expect((err as Error).message).toMatch(/RoleManagement\.Read\.Directory/);
    });

    it('throws DirectoryUnavailableError when Graph refuses with 403', async () => {
      fake.inject = (r) => (r.path.endsWith('/checkMemberGroups') ? { status: 403, body: { error: { code: 'Authorization_RequestDenied' } } } : undefined);
      await expect(make().getPerson(TENANT, people.staff.aadObjectId)).rejects.toBeInstanceOf(DirectoryUnavailableError);
    });

    it('honours a short Retry-After on 429: waits, retries once, succeeds', async () => {
      let throttled = 0;
      fake.inject = (r) => (r.path.endsWith(people.staff.aadObjectId) && throttled++ === 0 ? { status: 429, headers: { 'retry-after': '1' } } : undefined);
      const started = Date.now();
      const p = await make().getPerson(TENANT, people.staff.aadObjectId);
      expect(p?.name).toBe('Adele Vance');
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(fake.graphRequests.filter((r) => r.path.endsWith(`/users/${people.staff.aadObjectId}`))).toHaveLength(2);
    });

    it('gives up after the one retry when Graph keeps throttling', async () => {
      fake.inject = (r) => (r.path.includes('/v1.0/') ? { status: 429, headers: { 'retry-after': '1' } } : undefined);
      await expect(make().getPerson(TENANT, people.staff.aadObjectId)).rejects.toBeInstanceOf(DirectoryUnavailableError);
      expect(fake.graphRequests).toHaveLength(2);
    });

    it('fails at once on a long Retry-After and leaves Graph alone until it has passed', async () => {
      const clock = { t: Date.now() };
      const d = withClock(clock);
      fake.inject = (r) => (r.path.includes('/v1.0/') ? { status: 429, headers: { 'retry-after': '120' } } : undefined);
      const started = Date.now();
      await expect(d.getPerson(TENANT, people.staff.aadObjectId)).rejects.toThrow(/throttling/);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(fake.graphRequests).toHaveLength(1);
      fake.inject = undefined;
      await expect(d.getPerson(TENANT, people.helpDesk.aadObjectId)).rejects.toThrow(/wait another/);
      expect(fake.graphRequests).toHaveLength(1);
      clock.t += 121_000;
      expect((await d.getPerson(TENANT, people.helpDesk.aadObjectId))?.roles).toEqual(['helpDesk']);
    });

    it('times out a slow Graph after GRAPH_TIMEOUT_MS', async () => {
      fake.inject = (r) => (r.path.includes('/users/') ? { delayMs: 3000 } : undefined);
      const started = Date.now();
      const err = await make().getPerson(TENANT, people.staff.aadObjectId).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DirectoryUnavailableError);
      expect((err as Error).message).toMatch(/within 400 ms/);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('times out a slow token endpoint', async () => {
      fake.inject = (r) => (r.path.endsWith('/token') ? { delayMs: 3000 } : undefined);
      const started = Date.now();
      await expect(make().getPerson(TENANT, people.staff.aadObjectId)).rejects.toBeInstanceOf(DirectoryUnavailableError);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(fake.graphRequests).toHaveLength(0);
    });

    it.each([
      ['answers 500', { status: 500, body: { error: 'server_error', error_description: 'down' } }],
      ['refuses the client (401)', { status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } }],
      ['drops the connection', { drop: true as const }],
    ])('throws DirectoryUnavailableError when the token endpoint %s', async (_name, injection) => {
      fake.inject = (r) => (r.path.endsWith('/token') ? injection : undefined);
      await expect(make().getPerson(TENANT, people.staff.aadObjectId)).rejects.toBeInstanceOf(DirectoryUnavailableError);
      expect(fake.graphRequests).toHaveLength(0);
    });

    it('throws DirectoryUnavailableError when Graph is down (connection refused)', async () => {
      const closed = await closedPort();
      const d = make({ GRAPH_BASE_URL: `http://127.0.0.1:${closed}/v1.0` });
      await expect(d.getPerson(TENANT, people.staff.aadObjectId)).rejects.toThrow(/could not be reached/);
    });

    it('does not follow a nextLink to another origin, so the token never leaves Graph', async () => {
      const evil = await startRecorder();
      try {
        fake.inject = (r) =>
          r.path.endsWith('/microsoft.graph.directoryRole') ? { status: 200, body: { value: [], '@odata.nextLink': `${evil.url}/v1.0/steal` } } : undefined;
        await expect(make().getPerson(TENANT, people.staff.aadObjectId)).rejects.toThrow(/outside its own origin/);
        expect(evil.requests).toHaveLength(0);
      } finally {
        await evil.close();
      }
    });

    it('never logs the client secret or the access token', async () => {
      fake.inject = (r) => (r.path.endsWith('/checkMemberGroups') ? { status: 503 } : undefined);
      await make().getPerson(TENANT, people.staff.aadObjectId).catch((e: unknown) => e);
      const all = logs.join('\n');
      expect(all).toContain('Microsoft Graph');
      expect(all).not.toContain('fake-client-secret-value');
      expect(all).not.toContain('fake-access-token');
    });
  });

  describe('cache', () => {
    it('asks the token endpoint once for many lookups', async () => {
      const d = make();
      await Promise.all(USERS.filter((u) => u.id !== NO_PERMISSION).map((u) => d.getPerson(TENANT, u.id)));
      await d.getPerson(TENANT, people.unknown.aadObjectId);
      expect(fake.tokenRequests).toHaveLength(1);
      expect(new URLSearchParams(fake.tokenRequests[0].body).get('scope')).toContain(`${fake.url}/.default`);
      // msal-node made no discovery or instance-metadata calls: everything else it or we sent went to Graph.
      expect(fake.graphRequests.every((r) => r.path.startsWith('/v1.0/'))).toBe(true);
    });

    it('gets a new token once when Graph says the cached one is invalid (401)', async () => {
      const d = make();
      await d.getPerson(TENANT, people.staff.aadObjectId);
      let refused = 0;
      fake.inject = (r) => (r.path.endsWith(`/users/${people.helpDesk.aadObjectId}`) && refused++ === 0 ? { status: 401 } : undefined);
      expect((await d.getPerson(TENANT, people.helpDesk.aadObjectId))?.roles).toEqual(['helpDesk']);
      expect(fake.tokenRequests).toHaveLength(2);
    });

    it('calls Graph for a person once within the TTL, concurrent lookups included', async () => {
      const d = make();
      await Promise.all([d.getPerson(TENANT, people.staff.aadObjectId), d.getPerson(TENANT, people.staff.aadObjectId)]);
      const first = fake.graphCallsFor(people.staff.aadObjectId).length;
      expect(first).toBe(3); // user, directory roles, checkMemberGroups
      for (let i = 0; i < 5; i++) await d.getPerson(TENANT, people.staff.aadObjectId);
      expect(fake.graphCallsFor(people.staff.aadObjectId)).toHaveLength(first);
    });

    it('hands out copies: changing an answer does not change the cache', async () => {
      const d = make();
      const p = await d.getPerson(TENANT, people.staff.aadObjectId);
      p!.roles.push('globalAdmin');
      expect((await d.getPerson(TENANT, people.staff.aadObjectId))?.roles).toEqual([]);
    });

    it('asks Graph again after the TTL (GRAPH_CACHE_TTL_SECONDS)', async () => {
      const clock = { t: Date.now() };
      const d = withClock(clock, { GRAPH_CACHE_TTL_SECONDS: '60' });
      await d.getPerson(TENANT, people.staff.aadObjectId);
      clock.t += 59_000;
      await d.getPerson(TENANT, people.staff.aadObjectId);
      expect(fake.graphCallsFor(people.staff.aadObjectId)).toHaveLength(3);
      clock.t += 2_000;
      await d.getPerson(TENANT, people.staff.aadObjectId);
      expect(fake.graphCallsFor(people.staff.aadObjectId)).toHaveLength(6);
    });

    it('answers from a fresh entry while Graph is down, and refuses once the entry is stale', async () => {
      const clock = { t: Date.now() };
      const d = withClock(clock);
      expect((await d.getPerson(TENANT, people.partnerAdmin.aadObjectId))?.roles).toEqual(['mpnPartnerAdmin']);
      fake.inject = (r) => (r.path.includes('/v1.0/') ? { status: 503 } : undefined);
      clock.t += 599_000;
      expect((await d.getPerson(TENANT, people.partnerAdmin.aadObjectId))?.roles).toEqual(['mpnPartnerAdmin']);
      clock.t += 2_000;
      await expect(d.getPerson(TENANT, people.partnerAdmin.aadObjectId)).rejects.toBeInstanceOf(DirectoryUnavailableError);
      fake.inject = undefined;
      expect((await d.getPerson(TENANT, people.partnerAdmin.aadObjectId))?.roles).toEqual(['mpnPartnerAdmin']);
    });

    it('does not cache at all with GRAPH_CACHE_TTL_SECONDS=0', async () => {
      const d = make({ GRAPH_CACHE_TTL_SECONDS: '0' });
      await d.getPerson(TENANT, people.staff.aadObjectId);
      await d.getPerson(TENANT, people.staff.aadObjectId);
      expect(fake.graphCallsFor(people.staff.aadObjectId)).toHaveLength(6);
      expect(fake.tokenRequests).toHaveLength(1);
    });
  });

  describe('listPeople', () => {
    it('lists a configured group (paged transitiveMembers), each person resolved through Graph', async () => {
      const list = await make().listPeople('helpDesk');
      expect(list.map((p) => p.name).sort()).toEqual(['Isaiah Langer', 'Lynne Robbins', 'Nestor Wilke']);
      expect(fake.graphRequests.filter((r) => r.path.includes(`/groups/${GROUPS.helpDesk}/transitiveMembers`)).length).toBe(2);
    });

    it('lists Global Admins from the directory role, expanding a role-assignable group', async () => {
      fake.users.get(GRAPH_ONLY)!.groups = [GROUPS.helpDesk, 'c0000000-0000-4000-8000-0000000000c1'];
      fake.users.get(GRAPH_ONLY)!.rolePages = [[role(5, GLOBAL_ADMIN)]];
      fake.roleMembers.set(GLOBAL_ADMIN, [
        { id: people.globalAdmin.aadObjectId, type: 'user' },
        { id: 'c0000000-0000-4000-8000-0000000000c1', type: 'group' },
      ]);
      try {
        const list = await make().listPeople('globalAdmin');
        expect(list.map((p) => p.aadObjectId).sort()).toEqual([people.globalAdmin.aadObjectId, GRAPH_ONLY].sort());
      } finally {
        fake.users.get(GRAPH_ONLY)!.groups = [GROUPS.helpDesk];
        fake.users.get(GRAPH_ONLY)!.rolePages = undefined;
      }
    });

    it('falls back to the org file people for a role without a configured group', async () => {
      const list = await make({ GRAPH_GROUP_MPN_PARTNER_ADMIN: '' }).listPeople('mpnPartnerAdmin');
      expect(list.map((p) => p.name)).toEqual(['Megan Bowen']);
    });

    it('throws DirectoryUnavailableError when Graph cannot list', async () => {
      fake.inject = (r) => (r.path.includes('/transitiveMembers') ? { status: 500 } : undefined);
      await expect(make().listPeople('helpDesk')).rejects.toBeInstanceOf(DirectoryUnavailableError);
    });
  });

  describe('certificate credential', () => {
    it('signs a client assertion with the certificate key instead of sending a secret', async () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-cert-'));
      const pemFile = path.join(dir, 'graph.pem');
      fs.writeFileSync(pemFile, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
      const thumbprint = 'ab'.repeat(32);
      const d = make({ GRAPH_CLIENT_SECRET: '', GRAPH_CERTIFICATE_PATH: pemFile, GRAPH_CERTIFICATE_THUMBPRINT: thumbprint });
      expect((await d.getPerson(TENANT, people.staff.aadObjectId))?.name).toBe('Adele Vance');
      const form = new URLSearchParams(fake.tokenRequests[0].body);
      expect(form.get('client_secret')).toBeNull();
      expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      const [h, p, sig] = form.get('client_assertion')!.split('.');
      const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
      expect(header).toMatchObject({ alg: 'PS256', 'x5t#S256': Buffer.from(thumbprint, 'hex').toString('base64url') });
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
      expect(claims).toMatchObject({ iss: 'b0000000-0000-4000-8000-0000000000b1', sub: 'b0000000-0000-4000-8000-0000000000b1' });
      expect(claims.aud).toBe(`${fake.url}/${TENANT}/oauth2/v2.0/token`);
      const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Buffer.from(sig, 'base64url'));
      expect(ok).toBe(true);
    });

    it('refuses to start with a certificate file that holds no private key', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-cert-'));
      const pemFile = path.join(dir, 'empty.pem');
      fs.writeFileSync(pemFile, 'nothing here');
      expect(() => make({ GRAPH_CLIENT_SECRET: '', GRAPH_CERTIFICATE_PATH: pemFile, GRAPH_CERTIFICATE_THUMBPRINT: 'ab'.repeat(20) })).toThrow(/no PEM private key/);
    });
  });

  describe('configuration', () => {
    it('returns the fallback itself when GRAPH_ENABLED is off', () => {
      const fb = fallback();
      expect(createDirectory({ config: loadConfig({ NODE_ENV: 'test' } as NodeJS.ProcessEnv), logger, fallback: fb })).toBe(fb);
    });

    it('refuses a plain-http Graph or authority that is not loopback', () => {
      expect(() => make({ GRAPH_BASE_URL: 'http://graph.example/v1.0' })).toThrow(/https/);
      expect(() => make({ GRAPH_AUTHORITY_HOST: 'http://login.example' })).toThrow(/https/);
    });

    it('refuses a group id that is not a GUID', () => {
      expect(() => make({ GRAPH_GROUP_HELP_DESK: 'Help Desk' })).toThrow(/not a GUID/);
    });
  });
});

async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function startRecorder(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const s = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    res.end('{}');
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => s.close(() => r())),
  };
}
