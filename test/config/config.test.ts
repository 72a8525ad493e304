import { ConfigError, loadConfig } from '../../src/config.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env as NodeJS.ProcessEnv);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('config', () => {
  it('runs in local mode with the embedded defaults', () => {
    const c = loadConfig({} as NodeJS.ProcessEnv);
    expect(c).toMatchObject({ port: 3978, localMode: true, logLevel: 'info', maxBodyBytes: 256 * 1024 });
    expect(c.orgFile).toMatch(/config\/org\.sample\.json$/);
    expect(c.dataDir).toMatch(/data$/);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ MicrosoftAppId: 'not-a-guid', MicrosoftAppPassword: 'x' }, 'MicrosoftAppId'],
    [{ MicrosoftAppId: '11111111-1111-4111-8111-111111111111' }, 'MicrosoftAppPassword'],
    [{ MicrosoftAppType: 'SingleTenant', MicrosoftAppId: '11111111-1111-4111-8111-111111111111', MicrosoftAppPassword: 'x' }, 'MicrosoftAppTenantId'],
    [{ ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1/openid' }, 'ToBotFromChannelTokenIssuer'],
    [{ DATA_ENCRYPTION_KEY: 'c2hvcnQ=' }, 'DATA_ENCRYPTION_KEY'],
    [{ ALLOWED_TENANT_IDS: 'abc' }, 'ALLOWED_TENANT_IDS'],
    [{ GRAPH_ENABLED: '1' }, 'GRAPH_TENANT_ID'],
  ])('names the bad value in %j', (env, name) => {
    expect(problemsOf(env).join('\n')).toContain(name);
  });

  it('lists every problem at once', () => {
    expect(problemsOf({ PORT: 'x', LOG_LEVEL: 'y' }).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses production without an app id unless ALLOW_LOCAL_MODE=1', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).join()).toContain('MicrosoftAppId');
    expect(loadConfig({ NODE_ENV: 'production', ALLOW_LOCAL_MODE: '1' } as NodeJS.ProcessEnv).localMode).toBe(true);
  });

  it('passes the standard Bot Framework keys through', () => {
    const c = loadConfig({ ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:1/openid', ToBotFromChannelTokenIssuer: 'https://api.botframework.com' } as NodeJS.ProcessEnv);
    expect(c.bot.extra).toEqual({ ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:1/openid', ToBotFromChannelTokenIssuer: 'https://api.botframework.com' });
  });
});
