/**
 * Directory backed by Microsoft Graph (app-only token from @azure/msal-node): who is Global Admin, MPN Partner
 * Admin, help desk, MPN-associated or CSP Admin Agent comes from Entra ID; the organisation (competencies, benefits)
 * still comes from the org file, which is passed in as the fallback directory. See docs/identity.md.
 *
 * Failure policy (fail closed): a person's answer is cached for `cacheTtlSeconds`. While the entry is fresh it is
 * served without calling Graph. Once it is stale (or absent), Graph must answer: when the token endpoint or Graph is
 * down, slow, throttled or refuses us, getPerson throws DirectoryUnavailableError and the bot answers "try later".
 * The Directory interface cannot tell a read-only lookup from a privileged one, so stale roles are never used.
 */
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConfidentialClientApplication,
  LogLevel as MsalLogLevel,
  type Configuration,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { z } from 'zod';
import type { Config } from '../config.js';
import { ROLES, type Organisation, type Person, type Role } from '../domain/org.js';
import type { Logger } from '../logging/logger.js';
import { DirectoryUnavailableError, type Directory } from './directory.js';

/** Role template id of the Global Administrator directory role (the same in every tenant). */
export const GLOBAL_ADMIN_ROLE_TEMPLATE_ID = '62e90394-69f5-4237-9190-012177145e10';

type GraphSettings = Config['graph'];
type GroupName = keyof GraphSettings['groups'];

/** Roles that come from a configured Entra group (Global Admin comes from the directory role). */
const GROUP_ROLES: readonly { role: Exclude<Role, 'globalAdmin'>; group: GroupName }[] = [
  { role: 'mpnPartnerAdmin', group: 'mpnPartnerAdmin' },
  { role: 'helpDesk', group: 'helpDesk' },
  { role: 'adminAgent', group: 'adminAgents' },
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PAGES = 100;
const MAX_CACHE_ENTRIES = 10_000;
const LIST_CONCURRENCY = 4;

const UserSchema = z.object({
  id: z.string(),
  displayName: z.string().nullish(),
  mail: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
});
const PageSchema = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });
const RoleSchema = z.object({ id: z.string().nullish(), roleTemplateId: z.string().nullish() });
const MemberSchema = z.object({ id: z.string(), '@odata.type': z.string().optional() });
const CheckMemberGroupsSchema = z.object({ value: z.array(z.string()) });

export interface GraphDirectoryOptions {
  graph: GraphSettings;
  logger: Logger;
  /** The org-file directory: organisation data, and roles for which no group is configured. */
  fallback: Directory;
  /** Clock in epoch ms (tests move it to expire the cache). */
  now?: () => number;
  /** Longest Retry-After (seconds) waited before the single retry; a longer one fails at once. Default 3. */
  maxRetryAfterSeconds?: number;
}

interface CacheEntry {
  person: Person | undefined;
  at: number;
}

/** Graph said 404 for a person-scoped request: the person does not exist (any more). */
class PersonNotFound extends Error {
  constructor() {
    super('not found');
    this.name = 'PersonNotFound';
  }
}

/** Directory whose roles come from Microsoft Graph; organisation data from the fallback (org file). */
export class GraphDirectory implements Directory {
  private readonly log: Logger;
  private readonly msal: ConfidentialClientApplication;
  private readonly scope: string;
  private readonly base: string;
  private readonly graphOrigin: string;
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly maxRetryAfterSeconds: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<Person | undefined>>();
  private tokenInFlight: Promise<string> | undefined;
  private throttledUntil = 0;

  constructor(private readonly opts: GraphDirectoryOptions) {
    const g = opts.graph;
    this.log = opts.logger;
    this.now = opts.now ?? Date.now;
    this.ttlMs = g.cacheTtlSeconds * 1000;
    this.timeoutMs = g.timeoutMs;
    this.maxRetryAfterSeconds = opts.maxRetryAfterSeconds ?? 3;
    if (!g.tenantId || !g.clientId) throw new Error('Graph directory: GRAPH_TENANT_ID and GRAPH_CLIENT_ID are required');
    for (const [group, id] of Object.entries(g.groups)) {
      if (id && !GUID.test(id)) throw new Error(`Graph directory: the ${group} group id "${id}" is not a GUID (use the group's object id)`);
    }
    const graphUrl = secureUrl(g.graphBaseUrl, 'GRAPH_BASE_URL');
    this.base = graphUrl.toString().replace(/\/+$/, '');
    this.graphOrigin = graphUrl.origin;
    this.scope = `${graphUrl.origin}/.default`;
    this.msal = new ConfidentialClientApplication(this.msalConfiguration());
    const orgTenant = opts.fallback.organisation().tenantId;
    if (GUID.test(g.tenantId) && g.tenantId.toLowerCase() !== orgTenant.toLowerCase()) {
      this.log.warn({ graphTenant: g.tenantId, orgTenant }, 'GRAPH_TENANT_ID differs from the org file tenant: people are looked up in the Graph tenant');
    }
  }

  /** The partner organisation (from the org file). */
  organisation(): Organisation {
    return this.opts.fallback.organisation();
  }

  /** The person with roles from Graph; undefined for other tenants and for ids Graph does not know. */
  async getPerson(tenantId: string, aadObjectId: string): Promise<Person | undefined> {
    if (!tenantId || tenantId.toLowerCase() !== this.organisation().tenantId.toLowerCase()) return undefined;
    const id = (aadObjectId ?? '').toLowerCase();
    if (!GUID.test(id)) return undefined; // Teams always sends a GUID; anything else never reaches a Graph URL
    const hit = this.cache.get(id);
    if (hit && this.now() - hit.at < this.ttlMs) return clone(hit.person);
    let pending = this.inFlight.get(id);
    if (!pending) {
      pending = this.lookup(tenantId, id).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, pending);
    }
    return clone(await pending);
  }

  /**
   * People holding `role`: members of the configured group (or of the Global Administrator directory role), each
   * resolved like getPerson. For a role without a configured group, the org file's people with that role.
   */
  async listPeople(role: Role): Promise<Person[]> {
    const tenantId = this.organisation().tenantId;
    let ids: string[];
    if (role === 'globalAdmin') {
      ids = await this.directoryRoleMembers(GLOBAL_ADMIN_ROLE_TEMPLATE_ID);
    } else {
      const group = this.groupOf(role);
      ids = group ? await this.groupUserIds(group) : (await this.opts.fallback.listPeople(role)).map((p) => p.aadObjectId);
    }
    const people = await mapLimit([...new Set(ids.map((i) => i.toLowerCase()))], LIST_CONCURRENCY, (id) => this.getPerson(tenantId, id));
    return people.filter((p): p is Person => !!p && p.roles.includes(role));
  }

  private groupOf(role: Role): string {
    const entry = GROUP_ROLES.find((r) => r.role === role);
    return entry ? this.opts.graph.groups[entry.group] : '';
  }

  private async lookup(tenantId: string, id: string): Promise<Person | undefined> {
    let person: Person | undefined;
    try {
      person = await this.fetchPerson(tenantId, id);
    } catch (err) {
      if (!(err instanceof PersonNotFound)) {
        this.cache.delete(id); // stale roles are never used (fail closed)
        throw err;
      }
      person = undefined;
    }
    this.remember(id, person);
    return person;
  }

  private async fetchPerson(tenantId: string, id: string): Promise<Person | undefined> {
    const user = UserSchema.safeParse(await this.request('GET', `/users/${id}?$select=id,displayName,mail,userPrincipalName`));
    if (!user.success) throw new DirectoryUnavailableError('Microsoft Graph answered /users with an unexpected shape');
    const [globalAdmin, memberOf, filePerson] = await Promise.all([
      this.isGlobalAdmin(id),
      this.memberGroups(id),
      this.opts.fallback.getPerson(tenantId, id),
    ]);
    const groups = this.opts.graph.groups;
    const held = new Set<Role>();
    if (globalAdmin) held.add('globalAdmin');
    for (const { role, group } of GROUP_ROLES) {
      const groupId = groups[group];
      if (groupId ? memberOf.has(groupId.toLowerCase()) : filePerson?.roles.includes(role)) held.add(role);
    }
    const u = user.data;
    return {
      aadObjectId: id,
      name: u.displayName || filePerson?.name || u.userPrincipalName || id,
      email: u.mail || u.userPrincipalName || filePerson?.email,
      mpnAssociated: groups.mpnAssociated ? memberOf.has(groups.mpnAssociated.toLowerCase()) : (filePerson?.mpnAssociated ?? false),
      // Members of the CSP AdminAgents group are CSP-associated by definition; otherwise the org file says.
      cspAssociated: (filePerson?.cspAssociated ?? false) || (!!groups.adminAgents && memberOf.has(groups.adminAgents.toLowerCase())),
      roles: ROLES.filter((r) => held.has(r)),
    };
  }

  /** Global Admin: the user's transitive directory roles include the Global Administrator template. */
  private async isGlobalAdmin(id: string): Promise<boolean> {
    const roles = await this.collect(`/users/${id}/transitiveMemberOf/microsoft.graph.directoryRole?$select=id,roleTemplateId`, true);
    for (const raw of roles) {
      const role = RoleSchema.safeParse(raw);
      // Without RoleManagement.Read.Directory Graph still lists the roles but with every property null: that is
      // "we cannot tell", never "not an admin".
      if (!role.success || !role.data.roleTemplateId) {
        throw new DirectoryUnavailableError('Microsoft Graph returned a directory role without roleTemplateId: grant the app RoleManagement.Read.Directory (or Directory.Read.All)');
      }
      if (role.data.roleTemplateId.toLowerCase() === GLOBAL_ADMIN_ROLE_TEMPLATE_ID) return true;
    }
    return false;
  }

  /** Which configured groups the user is in (transitively), with one checkMemberGroups call. */
  private async memberGroups(id: string): Promise<Set<string>> {
    const configured = Object.values(this.opts.graph.groups).filter(Boolean);
    if (configured.length === 0) return new Set();
    const answer = CheckMemberGroupsSchema.safeParse(await this.request('POST', `/users/${id}/checkMemberGroups`, { groupIds: [...new Set(configured)] }));
    if (!answer.success) throw new DirectoryUnavailableError('Microsoft Graph answered checkMemberGroups with an unexpected shape');
    return new Set(answer.data.value.map((g) => g.toLowerCase()));
  }

  private async groupUserIds(groupId: string): Promise<string[]> {
    const members = await this.collect(`/groups/${groupId}/transitiveMembers/microsoft.graph.user?$select=id`, false);
    return members.map((m) => MemberSchema.safeParse(m)).flatMap((m) => (m.success ? [m.data.id] : []));
  }

  /** Users holding a directory role, directly or through a role-assignable group. */
  private async directoryRoleMembers(templateId: string): Promise<string[]> {
    let members: unknown[];
    try {
      members = await this.collect(`/directoryRoles(roleTemplateId='${templateId}')/members?$select=id`, true);
    } catch (err) {
      if (err instanceof PersonNotFound) return []; // the role is not activated in this tenant
      throw err;
    }
    const ids: string[] = [];
    for (const raw of members) {
      const m = MemberSchema.safeParse(raw);
      if (!m.success) continue;
      const type = m.data['@odata.type'] ?? '#microsoft.graph.user';
      if (type === '#microsoft.graph.user') ids.push(m.data.id);
      else if (type === '#microsoft.graph.group') ids.push(...(await this.groupUserIds(m.data.id)));
    }
    return ids;
  }

  /** Every `value` of a paged collection, following @odata.nextLink (only within Graph's origin). */
  private async collect(path: string, notFoundIsPerson: boolean): Promise<unknown[]> {
    const out: unknown[] = [];
    let next: string | undefined = `${this.base}${path}`;
    for (let page = 0; next; page++) {
      if (page >= MAX_PAGES) throw new DirectoryUnavailableError(`Microsoft Graph paging did not end after ${MAX_PAGES} pages`);
      const body = PageSchema.safeParse(await this.requestUrl('GET', next, undefined, notFoundIsPerson));
      if (!body.success) throw new DirectoryUnavailableError('Microsoft Graph answered a collection with an unexpected shape');
      out.push(...body.data.value);
      next = body.data['@odata.nextLink'];
      if (next && !sameOrigin(next, this.graphOrigin)) {
        throw new DirectoryUnavailableError('Microsoft Graph sent a nextLink outside its own origin; not followed');
      }
    }
    return out;
  }

  private request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    return this.requestUrl(method, `${this.base}${path}`, body, true);
  }

  /**
   * One Graph request with the app token: a 429/503 with a short Retry-After is retried once after waiting; a
   * longer one fails at once and Graph is left alone until it has passed. A 401 is retried once with a new token.
   */
  private async requestUrl(method: 'GET' | 'POST', url: string, body: unknown, notFoundIsPerson: boolean): Promise<unknown> {
    let throttleRetried = false;
    let tokenRetried = false;
    for (;;) {
      const waitMs = this.throttledUntil - this.now();
      if (waitMs > 0) throw new DirectoryUnavailableError(`Microsoft Graph asked us to wait another ${Math.ceil(waitMs / 1000)} s`);
      const token = await this.token(tokenRetried);
      const pathOnly = new URL(url).pathname;
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (err) {
        this.log.warn({ path: pathOnly, error: errorName(err) }, 'Microsoft Graph request failed');
        throw new DirectoryUnavailableError(isTimeout(err) ? `Microsoft Graph did not answer within ${this.timeoutMs} ms` : 'Microsoft Graph could not be reached', err);
      }
      if (res.ok) return readJson(res, this.timeoutMs);
      await discard(res);
      if (res.status === 404 && notFoundIsPerson) throw new PersonNotFound();
      if (res.status === 401 && !tokenRetried) {
        tokenRetried = true;
        continue;
      }
      if (res.status === 429 || res.status === 503) {
        const retryAfter = retryAfterSeconds(res.headers.get('retry-after'), this.now());
        if (!throttleRetried && retryAfter !== undefined && retryAfter <= this.maxRetryAfterSeconds) {
          throttleRetried = true;
          this.log.info({ path: pathOnly, status: res.status, retryAfter }, 'Microsoft Graph throttled; retrying once');
          await sleep(retryAfter * 1000);
          continue;
        }
        if (retryAfter !== undefined) this.throttledUntil = Math.max(this.throttledUntil, this.now() + retryAfter * 1000);
        this.log.warn({ path: pathOnly, status: res.status, retryAfter }, 'Microsoft Graph throttled');
        throw new DirectoryUnavailableError(`Microsoft Graph is throttling (HTTP ${res.status}, Retry-After ${retryAfter ?? 'absent'})`);
      }
      this.log.warn({ path: pathOnly, status: res.status }, 'Microsoft Graph refused');
      const hint = res.status === 403 ? ': check the app registration has the permissions in docs/identity.md, with admin consent' : '';
      throw new DirectoryUnavailableError(`Microsoft Graph answered HTTP ${res.status}${hint}`);
    }
  }

  /** The app-only token; msal-node caches it until shortly before expiry, and concurrent callers share one request. */
  private token(fresh: boolean): Promise<string> {
    if (this.tokenInFlight && !fresh) return this.tokenInFlight;
    const p = this.acquire(fresh).finally(() => {
      if (this.tokenInFlight === p) this.tokenInFlight = undefined;
    });
    this.tokenInFlight = p;
    return p;
  }

  private async acquire(fresh: boolean): Promise<string> {
    let accessToken: string | undefined;
    try {
      const result = await this.msal.acquireTokenByClientCredential({ scopes: [this.scope], skipCache: fresh });
      accessToken = result?.accessToken;
    } catch (err) {
      const code = errorCode(err);
      this.log.warn({ error: errorName(err), code }, 'no Microsoft Graph token');
      throw new DirectoryUnavailableError(`No Microsoft Graph token (${code})`, err);
    }
    if (!accessToken) throw new DirectoryUnavailableError('The token endpoint returned no access token');
    return accessToken;
  }

  private remember(id: string, person: Person | undefined): void {
    if (this.ttlMs <= 0) return;
    this.cache.delete(id);
    if (this.cache.size >= MAX_CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(id, { person, at: this.now() });
  }

  /**
   * msal-node options that make it call nothing but the token endpoint: endpoint metadata and cloud discovery
   * metadata are given (built from GRAPH_AUTHORITY_HOST), and requests go through global fetch with a timeout.
   */
  private msalConfiguration(): Configuration {
    const g = this.opts.graph;
    const host = secureUrl(g.authorityHost, 'GRAPH_AUTHORITY_HOST');
    const tenantBase = `${host.origin}${host.pathname.replace(/\/+$/, '')}/${encodeURIComponent(g.tenantId)}`;
    // msal-node accepts only https authorities; a loopback test authority on http keeps its real URL in the
    // metadata below (the only URL msal calls), and an https-form name here that is never contacted.
    const authority = `https://${host.host}${host.pathname.replace(/\/+$/, '')}/${encodeURIComponent(g.tenantId)}`;
    const authorityMetadata = {
      token_endpoint: `${tenantBase}/oauth2/v2.0/token`,
      authorization_endpoint: `${tenantBase}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${tenantBase}/oauth2/v2.0/logout`,
      issuer: `${tenantBase}/v2.0`,
    };
    const cloudDiscoveryMetadata = {
      tenant_discovery_endpoint: `${tenantBase}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host.host, preferred_cache: host.host, aliases: [host.host] }],
    };
    const credentials = g.clientSecret ? { clientSecret: g.clientSecret } : { clientCertificate: readCertificate(g.certificatePath, g.certificateThumbprint) };
    return {
      auth: {
        clientId: g.clientId,
        authority,
        knownAuthorities: [host.host],
        authorityMetadata: JSON.stringify(authorityMetadata),
        cloudDiscoveryMetadata: JSON.stringify(cloudDiscoveryMetadata),
        ...credentials,
      },
      system: {
        networkClient: fetchNetworkClient(this.timeoutMs),
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: MsalLogLevel.Warning,
          loggerCallback: (level, message) => {
            if (level <= MsalLogLevel.Warning) this.log.debug({ msal: message.slice(0, 300) }, 'msal');
          },
        },
      },
    };
  }
}

/** msal-node's network module on global fetch, each request bounded by `timeoutMs`. */
function fetchNetworkClient(timeoutMs: number): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    const limit = Math.min(timeout ?? timeoutMs, timeoutMs);
    const res = await fetch(url, { method, headers: options?.headers, body: options?.body, signal: AbortSignal.timeout(limit) });
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch (err) {
      throw new Error(`token endpoint answered HTTP ${res.status} with a body that is not JSON`, { cause: err });
    }
    return { status: res.status, headers, body: body as T };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

/** A certificate credential for msal-node from a PEM file holding the private key (and optionally the certificate). */
function readCertificate(file: string, thumbprint: string): { privateKey: string; thumbprint?: string; thumbprintSha256?: string; x5c?: string } {
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Graph directory: GRAPH_CERTIFICATE_PATH cannot be read: ${(err as Error).message}`);
  }
  const key = pem.match(/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/);
  if (!key) throw new Error('Graph directory: GRAPH_CERTIFICATE_PATH holds no PEM private key');
  const cert = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/);
  const hex = thumbprint.replace(/[^0-9a-f]/gi, '');
  if (hex.length !== 40 && hex.length !== 64) throw new Error('Graph directory: GRAPH_CERTIFICATE_THUMBPRINT must be a SHA-1 (40 hex) or SHA-256 (64 hex) thumbprint');
  return { privateKey: key[0], ...(hex.length === 64 ? { thumbprintSha256: hex } : { thumbprint: hex }), ...(cert ? { x5c: cert[0] } : {}) };
}

/** The URL, required to be https except on a loopback host (local fakes in tests). */
function secureUrl(value: string, name: string): URL {
  const url = new URL(value);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(`Graph directory: ${name} must be an https URL (http only for a loopback test server), got "${value}"`);
  }
  return url;
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false; // not a URL: treated like a foreign one
  }
}

/** Retry-After in seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
function retryAfterSeconds(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

async function readJson(res: Response, timeoutMs: number): Promise<unknown> {
  try {
    return await res.json();
  } catch (err) {
    throw new DirectoryUnavailableError(isTimeout(err) ? `Microsoft Graph did not finish its answer within ${timeoutMs} ms` : 'Microsoft Graph answered with a body that is not JSON', err);
  }
}

/** Reads and drops a body we do not use, so the connection can be reused; a failure here changes nothing. */
async function discard(res: Response): Promise<void> {
  await res.arrayBuffer().catch((err: unknown) => err);
}

function isTimeout(err: unknown): boolean {
  const name = errorName(err);
  return name === 'TimeoutError' || name === 'AbortError';
}

/** The error's name; read structurally, since fetch's DOMException may come from another realm. */
function errorName(err: unknown): string {
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : typeof err;
}

/** msal-node's error code (e.g. invalid_client), else the error's name. */
function errorCode(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { errorCode?: unknown }).errorCode : undefined;
  return typeof code === 'string' && code ? code : errorName(err);
}

function clone(p: Person | undefined): Person | undefined {
  return p ? structuredClone(p) : undefined;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
