/**
 * A local stand-in for the Entra ID token endpoint and the Microsoft Graph endpoints the Graph directory calls,
 * on an ephemeral loopback port. It serves users, their directory roles (paged), group membership
 * (checkMemberGroups, transitiveMembers) and role members, counts every request, and lets a test inject failures.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
export const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
export const HELPDESK_ADMIN = '729827e3-9c14-49f7-bb1b-9608f156bbb8';

export interface FakeRole {
  id: string;
  /** null: the app lacks the permission to read role properties (Graph then returns id and type only). */
  roleTemplateId: string | null;
}

export interface FakeUser {
  id: string;
  displayName: string;
  mail?: string;
  userPrincipalName: string;
  /** Pages of directory roles, as /transitiveMemberOf/microsoft.graph.directoryRole returns them. */
  rolePages?: FakeRole[][];
  /** Group ids the user is a transitive member of. */
  groups?: string[];
}

export interface SeenRequest {
  method: string;
  path: string;
  /** Decoded path plus query. */
  url: string;
  body: string;
  authorization?: string;
}

/** What to do instead of the normal answer: a status (with headers/body), a delay, or a dropped connection. */
export type Injection = { status: number; headers?: Record<string, string>; body?: unknown } | { delayMs: number } | { drop: true };

export interface FakeEntra {
  url: string;
  tenantId: string;
  graphBaseUrl: string;
  tokenRequests: SeenRequest[];
  graphRequests: SeenRequest[];
  users: Map<string, FakeUser>;
  /** Members of groups that are not users' own lists (nested groups are flattened already). */
  roleMembers: Map<string, { id: string; type: 'user' | 'group' }[]>;
  /** Consulted before every request; return an injection to replace the normal answer. */
  inject?: (req: SeenRequest) => Injection | undefined;
  /** Page size for group member listings. */
  pageSize: number;
  /** Token lifetime in seconds. */
  tokenLifetime: number;
  graphCallsFor(userId: string): SeenRequest[];
  close(): Promise<void>;
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeEntra(opts: { tenantId: string; users?: FakeUser[] }): Promise<FakeEntra> {
  const tokenRequests: SeenRequest[] = [];
  const graphRequests: SeenRequest[] = [];
  const users = new Map<string, FakeUser>((opts.users ?? []).map((u) => [u.id.toLowerCase(), u]));
  let tokenCounter = 0;
  const issued = new Set<string>();

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = decodeURIComponent(req.url ?? '');
      const seen: SeenRequest = { method: req.method ?? 'GET', path: url.split('?')[0], url, body, authorization: req.headers.authorization };
      const isToken = seen.path.endsWith('/oauth2/v2.0/token');
      (isToken ? tokenRequests : graphRequests).push(seen);
      const injected = fake.inject?.(seen);
      const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(json));
      };
      const normal = () => (isToken ? token(seen, answer) : graph(seen, answer));
      if (!injected) return normal();
      if ('drop' in injected) return req.socket.destroy();
      if ('delayMs' in injected) {
        const t = setTimeout(normal, injected.delayMs);
        res.on('close', () => clearTimeout(t));
        return;
      }
      return answer(injected.status, injected.body ?? { error: { code: 'Injected', message: `status ${injected.status}` } }, injected.headers);
    });
  });

  function token(seen: SeenRequest, answer: (s: number, j: unknown) => void) {
    const form = new URLSearchParams(seen.body);
    if (seen.method !== 'POST' || form.get('grant_type') !== 'client_credentials' || !form.get('client_id')) {
      return answer(400, { error: 'invalid_request', error_description: 'client_credentials expected' });
    }
    if (!form.get('client_secret') && !form.get('client_assertion')) return answer(401, { error: 'invalid_client', error_description: 'no credential' });
    const accessToken = `fake-access-token-${++tokenCounter}`;
    issued.add(accessToken);
    answer(200, { token_type: 'Bearer', expires_in: fake.tokenLifetime, ext_expires_in: fake.tokenLifetime, access_token: accessToken });
  }

  function graph(seen: SeenRequest, answer: (s: number, j: unknown) => void) {
    const bearer = seen.authorization?.replace(/^Bearer /, '');
    if (!bearer || !issued.has(bearer)) return answer(401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty or invalid.' } });
    const p = seen.path.replace(/^\/v1\.0/, '');
    const query = new URLSearchParams(seen.url.split('?')[1] ?? '');
    const page = Number(query.get('$skiptoken') ?? '0');
    const notFound = () => answer(404, { error: { code: 'Request_ResourceNotFound', message: `Resource '${p}' does not exist.` } });
    const paged = (items: unknown[], pages: unknown[][] | undefined, basePath: string) => {
      const all = pages ?? chunk(items, fake.pageSize);
      const value = all[page] ?? [];
      const more = page + 1 < all.length;
      answer(200, { value, ...(more ? { '@odata.nextLink': `${fake.graphBaseUrl}${basePath}?$skiptoken=${page + 1}` } : {}) });
    };
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^\/users\/([^/]+)$/)) && seen.method === 'GET') {
      const u = users.get(m[1].toLowerCase());
      if (!u) return notFound();
      return answer(200, { id: u.id, displayName: u.displayName, mail: u.mail ?? null, userPrincipalName: u.userPrincipalName });
    }
    if ((m = p.match(/^\/users\/([^/]+)\/transitiveMemberOf\/microsoft\.graph\.directoryRole$/)) && seen.method === 'GET') {
      const u = users.get(m[1].toLowerCase());
      if (!u) return notFound();
      const pages = (u.rolePages ?? [[]]).map((pg) => pg.map((r) => ({ '@odata.type': '#microsoft.graph.directoryRole', id: r.id, roleTemplateId: r.roleTemplateId, displayName: r.roleTemplateId ? 'Role' : null })));
      return paged([], pages, p);
    }
    if ((m = p.match(/^\/users\/([^/]+)\/checkMemberGroups$/)) && seen.method === 'POST') {
      const u = users.get(m[1].toLowerCase());
      if (!u) return notFound();
      const asked = (JSON.parse(seen.body || '{}') as { groupIds?: string[] }).groupIds ?? [];
      return answer(200, { value: asked.filter((g) => (u.groups ?? []).includes(g)) });
    }
    if ((m = p.match(/^\/groups\/([^/]+)\/transitiveMembers\/microsoft\.graph\.user$/)) && seen.method === 'GET') {
      const gid = m[1];
      const members = [...users.values()].filter((u) => (u.groups ?? []).includes(gid)).map((u) => ({ '@odata.type': '#microsoft.graph.user', id: u.id }));
      return paged(members, undefined, p);
    }
    if ((m = p.match(/^\/directoryRoles\(roleTemplateId='([^']+)'\)\/members$/)) && seen.method === 'GET') {
      const members = fake.roleMembers.get(m[1]);
      if (!members) return notFound();
      return paged(members.map((x) => ({ '@odata.type': `#microsoft.graph.${x.type}`, id: x.id })), undefined, p);
    }
    return answer(400, { error: { code: 'BadRequest', message: `fake Graph does not serve ${seen.method} ${p}` } });
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeEntra = {
    url,
    tenantId: opts.tenantId,
    graphBaseUrl: `${url}/v1.0`,
    tokenRequests,
    graphRequests,
    users,
    roleMembers: new Map(),
    pageSize: 2,
    tokenLifetime: 3600,
    graphCallsFor: (userId) => graphRequests.filter((r) => r.path.toLowerCase().includes(userId.toLowerCase())),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  return fake;
}

function chunk<T>(items: T[], size: number): T[][] {
  if (items.length === 0) return [[]];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
