/** The only reader of process.env: builds a frozen, validated Config and names every bad value. */
import path from 'node:path';
import { z } from 'zod';
import { fromRoot } from './paths.js';
import { deepFreeze } from './freeze.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly orgFile: string;
  /** Optional organisation catalogue file whose families add to or replace the shipped catalogue. */
  readonly catalogFile: string;
  readonly logLevel: LogLevel;
  readonly nodeEnv: string;
  readonly localMode: boolean;
  readonly bot: {
    readonly appId: string;
    readonly appPassword: string;
    readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    readonly appTenantId: string;
    /** Extra Bot Framework settings passed through unchanged (e.g. ToBotFromChannelOpenIdMetadataUrl). */
    readonly extra: Readonly<Record<string, string>>;
  };
  /** Key for Access ID / Contract ID encryption (base64, 32 bytes); empty → key file in dataDir (local mode only). */
  readonly dataEncryptionKey: string;
  readonly allowedTenantIds: readonly string[];
  readonly maxBodyBytes: number;
  /** A request's headers, and then its body, must arrive within these (a slow client cannot hold a connection). */
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly activation: { readonly reminderHours: number; readonly expiryDays: number };
  /** Ageing reminders (business days per severity); finished requests untouched for `archiveDays` move to history. */
  readonly requests: { readonly ageingBusinessDaysSevA: number; readonly ageingBusinessDaysOther: number; readonly archiveDays: number };
  readonly graph: {
    readonly enabled: boolean;
    readonly tenantId: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly certificatePath: string;
    readonly certificateThumbprint: string;
    readonly authorityHost: string;
    readonly graphBaseUrl: string;
    readonly groups: { readonly mpnPartnerAdmin: string; readonly helpDesk: string; readonly mpnAssociated: string; readonly adminAgents: string };
    readonly cacheTtlSeconds: number;
    readonly timeoutMs: number;
  };
  /** Where records live: the embedded lowdb files (one instance) or PostgreSQL (several instances). */
  readonly storage: 'lowdb' | 'postgres';
  /** PostgreSQL connection URL (STORAGE=postgres); holds the password, so never log it. */
  readonly databaseUrl: string;
  /** Connections per instance; PG_POOL_MAX × instances must stay under the server's max_connections. */
  readonly pgPoolMax: number;
  readonly version: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const PASS_THROUGH_KEYS = [
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'OAuthUrl',
  'ValidateAuthority',
  'MicrosoftAppCertificateThumbprint',
  'MicrosoftAppCertificatePrivateKey',
  'ChannelService',
  'CallerId',
] as const;

const intIn = (name: string, min: number, max: number, dflt: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return dflt;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${name} must be an integer from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const EnvSchema = z.object({
  PORT: intIn('PORT', 0, 65535, 3978),
  HOST: z.string().optional(),
  DATA_DIR: z.string().optional(),
  ORG_FILE: z.string().optional(),
  CATALOG_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).optional(),
  NODE_ENV: z.string().optional(),
  ALLOW_LOCAL_MODE: z.enum(['0', '1', 'true', 'false', '']).optional(),
  MicrosoftAppId: z.string().optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI', '']).optional(),
  MicrosoftAppTenantId: z.string().optional(),
  DATA_ENCRYPTION_KEY: z.string().optional(),
  ALLOWED_TENANT_IDS: z.string().optional(),
  MAX_BODY_KB: intIn('MAX_BODY_KB', 1, 10240, 256),
  HEADERS_TIMEOUT_MS: intIn('HEADERS_TIMEOUT_MS', 100, 120000, 10000),
  BODY_TIMEOUT_MS: intIn('BODY_TIMEOUT_MS', 100, 120000, 10000),
  SHUTDOWN_TIMEOUT_MS: intIn('SHUTDOWN_TIMEOUT_MS', 100, 60000, 9000),
  ACTIVATION_REMINDER_HOURS: intIn('ACTIVATION_REMINDER_HOURS', 1, 24 * 30, 24),
  ACTIVATION_EXPIRY_DAYS: intIn('ACTIVATION_EXPIRY_DAYS', 1, 365, 7),
  REQUEST_AGEING_DAYS_SEV_A: intIn('REQUEST_AGEING_DAYS_SEV_A', 1, 60, 1),
  REQUEST_AGEING_DAYS_OTHER: intIn('REQUEST_AGEING_DAYS_OTHER', 1, 60, 3),
  REQUEST_ARCHIVE_DAYS: intIn('REQUEST_ARCHIVE_DAYS', 1, 3650, 30),
  GRAPH_ENABLED: z.enum(['0', '1', 'true', 'false', '']).optional(),
  GRAPH_TENANT_ID: z.string().optional(),
  GRAPH_CLIENT_ID: z.string().optional(),
  GRAPH_CLIENT_SECRET: z.string().optional(),
  GRAPH_CERTIFICATE_PATH: z.string().optional(),
  GRAPH_CERTIFICATE_THUMBPRINT: z.string().optional(),
  GRAPH_AUTHORITY_HOST: z.string().url().optional(),
  GRAPH_BASE_URL: z.string().url().optional(),
  GRAPH_GROUP_MPN_PARTNER_ADMIN: z.string().optional(),
  GRAPH_GROUP_HELP_DESK: z.string().optional(),
  GRAPH_GROUP_MPN_ASSOCIATED: z.string().optional(),
  GRAPH_GROUP_ADMIN_AGENTS: z.string().optional(),
  GRAPH_CACHE_TTL_SECONDS: intIn('GRAPH_CACHE_TTL_SECONDS', 0, 86400, 600),
  GRAPH_TIMEOUT_MS: intIn('GRAPH_TIMEOUT_MS', 100, 60000, 5000),
  STORAGE: z.enum(['lowdb', 'postgres', '']).optional(),
  DATABASE_URL: z.string().optional(),
  // At least 2: a running job (runExclusive) holds one connection while its own statements need another.
  PG_POOL_MAX: intIn('PG_POOL_MAX', 2, 1000, 10),
});

const truthy = (v: string | undefined) => v === '1' || v === 'true';

/** Reads and validates the environment; throws ConfigError naming every bad or missing value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, version = '0.0.0'): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const appId = (e.MicrosoftAppId ?? '').trim();
  const nodeEnv = e.NODE_ENV ?? 'development';
  const localMode = appId === '';
  if (localMode && nodeEnv === 'production' && !truthy(e.ALLOW_LOCAL_MODE)) {
    problems.push('MicrosoftAppId: missing while NODE_ENV=production; set it, or set ALLOW_LOCAL_MODE=1 to run without inbound authentication');
  }
  if (!localMode && !e.MicrosoftAppPassword && (e.MicrosoftAppType ?? 'MultiTenant') !== 'UserAssignedMSI' && !env.MicrosoftAppCertificateThumbprint) {
    problems.push('MicrosoftAppPassword: missing while MicrosoftAppId is set');
  }
  if (!localMode && appId && !GUID.test(appId)) problems.push(`MicrosoftAppId: "${appId}" is not a GUID`);
  const appType = (e.MicrosoftAppType || 'MultiTenant') as Config['bot']['appType'];
  if (appType === 'SingleTenant' && !e.MicrosoftAppTenantId) problems.push('MicrosoftAppTenantId: required when MicrosoftAppType=SingleTenant');
  const openId = env.ToBotFromChannelOpenIdMetadataUrl;
  const issuer = env.ToBotFromChannelTokenIssuer;
  if (!!openId !== !!issuer) {
    problems.push('ToBotFromChannelOpenIdMetadataUrl and ToBotFromChannelTokenIssuer: set both or neither');
  }
  const key = (e.DATA_ENCRYPTION_KEY ?? '').trim();
  if (key && Buffer.from(key, 'base64').length !== 32) problems.push('DATA_ENCRYPTION_KEY: must be 32 bytes encoded in base64');
  if (!localMode && nodeEnv === 'production' && !key) problems.push('DATA_ENCRYPTION_KEY: required in production with MicrosoftAppId set');
  const tenants = (e.ALLOWED_TENANT_IDS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const t of tenants) if (!GUID.test(t)) problems.push(`ALLOWED_TENANT_IDS: "${t}" is not a GUID`);

  const graphEnabled = truthy(e.GRAPH_ENABLED);
  if (graphEnabled) {
    if (!e.GRAPH_TENANT_ID) problems.push('GRAPH_TENANT_ID: required when GRAPH_ENABLED=1');
    if (!e.GRAPH_CLIENT_ID) problems.push('GRAPH_CLIENT_ID: required when GRAPH_ENABLED=1');
    if (!e.GRAPH_CLIENT_SECRET && !e.GRAPH_CERTIFICATE_PATH) problems.push('GRAPH_CLIENT_SECRET or GRAPH_CERTIFICATE_PATH: one is required when GRAPH_ENABLED=1');
    if (e.GRAPH_CERTIFICATE_PATH && !e.GRAPH_CERTIFICATE_THUMBPRINT) problems.push('GRAPH_CERTIFICATE_THUMBPRINT: required with GRAPH_CERTIFICATE_PATH');
  }
  const storage = e.STORAGE || 'lowdb';
  const databaseUrl = (e.DATABASE_URL ?? '').trim();
  if (storage === 'postgres') {
    if (!databaseUrl) problems.push('DATABASE_URL: required when STORAGE=postgres');
    else if (!isPostgresUrl(databaseUrl)) problems.push(`DATABASE_URL: "${withoutPassword(databaseUrl)}" is not a postgres:// or postgresql:// URL`);
    // Every instance must open what another sealed: a key file per DATA_DIR would differ between instances.
    if (!key) problems.push('DATA_ENCRYPTION_KEY: required when STORAGE=postgres (every instance must use the same key)');
  }
  if (problems.length) throw new ConfigError(problems);

  const extra: Record<string, string> = {};
  for (const k of PASS_THROUGH_KEYS) {
    const v = env[k];
    if (v) extra[k] = v;
  }
  const config: Config = {
    port: e.PORT,
    host: e.HOST || '0.0.0.0',
    dataDir: path.resolve(e.DATA_DIR || './data'),
    orgFile: path.resolve(e.ORG_FILE || fromRoot('config', 'org.sample.json')),
    catalogFile: e.CATALOG_FILE ? path.resolve(e.CATALOG_FILE) : '',
    logLevel: e.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    nodeEnv,
    localMode,
    bot: { appId, appPassword: e.MicrosoftAppPassword ?? '', appType, appTenantId: e.MicrosoftAppTenantId ?? '', extra },
    dataEncryptionKey: key,
    allowedTenantIds: tenants,
    maxBodyBytes: e.MAX_BODY_KB * 1024,
    headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: e.BODY_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    activation: { reminderHours: e.ACTIVATION_REMINDER_HOURS, expiryDays: e.ACTIVATION_EXPIRY_DAYS },
    requests: { ageingBusinessDaysSevA: e.REQUEST_AGEING_DAYS_SEV_A, ageingBusinessDaysOther: e.REQUEST_AGEING_DAYS_OTHER, archiveDays: e.REQUEST_ARCHIVE_DAYS },
    graph: {
      enabled: graphEnabled,
      tenantId: e.GRAPH_TENANT_ID ?? '',
      clientId: e.GRAPH_CLIENT_ID ?? '',
      clientSecret: e.GRAPH_CLIENT_SECRET ?? '',
      certificatePath: e.GRAPH_CERTIFICATE_PATH ?? '',
      certificateThumbprint: e.GRAPH_CERTIFICATE_THUMBPRINT ?? '',
      authorityHost: e.GRAPH_AUTHORITY_HOST ?? 'https://login.microsoftonline.com',
      graphBaseUrl: e.GRAPH_BASE_URL ?? 'https://graph.microsoft.com/v1.0',
      groups: {
        mpnPartnerAdmin: e.GRAPH_GROUP_MPN_PARTNER_ADMIN ?? '',
        helpDesk: e.GRAPH_GROUP_HELP_DESK ?? '',
        mpnAssociated: e.GRAPH_GROUP_MPN_ASSOCIATED ?? '',
        adminAgents: e.GRAPH_GROUP_ADMIN_AGENTS ?? '',
      },
      cacheTtlSeconds: e.GRAPH_CACHE_TTL_SECONDS,
      timeoutMs: e.GRAPH_TIMEOUT_MS,
    },
    storage,
    databaseUrl,
    pgPoolMax: e.PG_POOL_MAX,
    version,
  };
  return deepFreeze(config);
}

function isPostgresUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'postgres:' || u.protocol === 'postgresql:';
  } catch {
    return false; // not a URL at all
  }
}

/** The URL as it may be shown: the password replaced (or the text cut where it cannot be parsed). */
function withoutPassword(v: string): string {
  try {
    const u = new URL(v);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return v.replace(/:[^:@/]*@/, ':***@').slice(0, 200);
  }
}


/** Bot Framework settings in the shape ConfigurationBotFrameworkAuthentication expects. */
export function botFrameworkSettings(config: Config): Record<string, string> {
  return {
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.appTenantId,
    ...config.bot.extra,
  };
}
