/**
 * CachingBotFrameworkAuthentication (src/bot/client-cache.ts): ConnectorClients and UserTokenClients are built once
 * per app id, serviceUrl and audience and reused, within a bound, without keeping failures; replies and proactive
 * sends still reach the connector stand-in through the running app, with and without inbound authentication.
 *
 * The decorated authentication is botbuilder's real ConfigurationBotFrameworkAuthentication; where a test has to
 * count or fail client creations it gets a credentials factory (botframework-connector's extension point) that
 * counts its calls and hands out the library's empty credentials.
 */
import { randomUUID } from 'node:crypto';
import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import {
  AppCredentials,
  AuthenticationConstants,
  ClaimsIdentity,
  MicrosoftAppCredentials,
  ServiceClientCredentialsFactory,
  type ServiceClientCredentials,
} from 'botframework-connector';
import { CachingBotFrameworkAuthentication, DEFAULT_MAX_CLIENTS } from '../../src/bot/client-cache.js';
import { message } from '../helpers/activities.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { signRs256, startAuthenticatedApp, type FakeIdp } from '../identity/fake-idp.js';

const SERVICE_URL = 'https://smba.trafficmanager.net/amer/';
const OTHER_SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
const AUDIENCE = AuthenticationConstants.ToChannelFromBotOAuthScope;

/** Auth disabled; counts credential creations (one per client built) and fails the next `failNext` of them. */
class CountingCredentials extends ServiceClientCredentialsFactory {
  created = 0;
  failNext = 0;
  async isValidAppId(): Promise<boolean> {
    return true;
  }
  async isAuthenticationDisabled(): Promise<boolean> {
    return true;
  }
  async createCredentials(): Promise<ServiceClientCredentials> {
    this.created++;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('credentials unavailable');
    }
    return MicrosoftAppCredentials.Empty;
  }
}

function counting(opts: { maxClients?: number } = {}) {
  const credentials = new CountingCredentials();
  const auth = new CachingBotFrameworkAuthentication(new ConfigurationBotFrameworkAuthentication({}, credentials), opts);
  return { credentials, auth };
}

/** The claims continueConversationAsync builds for a bot app id. */
const botClaims = (appId: string) =>
  new ClaimsIdentity([
    { type: AuthenticationConstants.AudienceClaim, value: appId },
    { type: AuthenticationConstants.AppIdClaim, value: appId },
  ]);

const activity = (serviceUrl = SERVICE_URL) => message('help', { serviceUrl }) as unknown as Activity;

/** What CloudAdapterBase.processActivity does for an inbound activity: authenticate, then ask for a connector. */
async function inboundClient(auth: CachingBotFrameworkAuthentication, serviceUrl = SERVICE_URL) {
  const result = await auth.authenticateRequest(activity(serviceUrl), '');
  return result.connectorFactory!.create(serviceUrl, result.audience);
}

describe('CachingBotFrameworkAuthentication: ConnectorClients', () => {
  it('gives the same client for the same app id and serviceUrl across two authenticated requests', async () => {
    const inner = new ConfigurationBotFrameworkAuthentication({});
    const auth = new CachingBotFrameworkAuthentication(inner);
    const first = await inboundClient(auth);
    const second = await inboundClient(auth);
    expect(second).toBe(first);
    // Without the cache each request builds its own client: the comparison above means something.
    const plain = await inner.authenticateRequest(activity(), '');
    expect(await plain.connectorFactory!.create(SERVICE_URL, AUDIENCE)).not.toBe(await plain.connectorFactory!.create(SERVICE_URL, AUDIENCE));
  });

  it('builds the client once: later requests do not reach the inner factory', async () => {
    const { credentials, auth } = counting();
    for (let i = 0; i < 5; i++) await inboundClient(auth);
    expect(credentials.created).toBe(1);
  });

  it('gives a different client for a different serviceUrl', async () => {
    const { auth } = counting();
    const amer = await inboundClient(auth, SERVICE_URL);
    const emea = await inboundClient(auth, OTHER_SERVICE_URL);
    expect(emea).not.toBe(amer);
    expect(await inboundClient(auth, SERVICE_URL)).toBe(amer);
  });

  it('gives a different client for a different app id or audience', async () => {
    const { auth } = counting();
    const a = await auth.createConnectorFactory(botClaims('app-a')).create(SERVICE_URL, AUDIENCE);
    expect(await auth.createConnectorFactory(botClaims('app-a')).create(SERVICE_URL, AUDIENCE)).toBe(a);
    expect(await auth.createConnectorFactory(botClaims('app-b')).create(SERVICE_URL, AUDIENCE)).not.toBe(a);
    expect(await auth.createConnectorFactory(botClaims('app-a')).create(SERVICE_URL, 'api://another-bot')).not.toBe(a);
  });

  it('takes the app id from the audience claim, else from the appid claim', async () => {
    const { auth } = counting();
    const byAudience = await auth.createConnectorFactory(new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: 'app-a' }])).create(SERVICE_URL, AUDIENCE);
    const byAppId = await auth.createConnectorFactory(new ClaimsIdentity([{ type: AuthenticationConstants.AppIdClaim, value: 'app-a' }])).create(SERVICE_URL, AUDIENCE);
    expect(byAppId).toBe(byAudience);
    const both = await auth.createConnectorFactory(new ClaimsIdentity([
      { type: AuthenticationConstants.AudienceClaim, value: 'app-b' },
      { type: AuthenticationConstants.AppIdClaim, value: 'app-a' },
    ])).create(SERVICE_URL, AUDIENCE);
    expect(both).not.toBe(byAudience);
  });

  it('shares one creation between concurrent requests for the same client', async () => {
    const { credentials, auth } = counting();
    const [a, b, c] = await Promise.all([inboundClient(auth), inboundClient(auth), inboundClient(auth)]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(credentials.created).toBe(1);
  });

  it(`keeps at most ${DEFAULT_MAX_CLIENTS} clients by default, dropping the least recently used`, async () => {
    const { credentials, auth } = counting();
    const url = (i: number) => `http://127.0.0.1:1/caller-${i}/`;
    const first = await inboundClient(auth, url(0));
    const second = await inboundClient(auth, url(1));
    for (let i = 2; i < DEFAULT_MAX_CLIENTS; i++) await inboundClient(auth, url(i));
    expect(credentials.created).toBe(DEFAULT_MAX_CLIENTS);
    expect(await inboundClient(auth, url(0))).toBe(first); // a hit: url(0) is now the most recently used
    await inboundClient(auth, url(DEFAULT_MAX_CLIENTS)); // one over the bound: url(1), the least recently used, goes
    expect(credentials.created).toBe(DEFAULT_MAX_CLIENTS + 1);
    expect(await inboundClient(auth, url(0))).toBe(first);
    const again = await inboundClient(auth, url(1));
    expect(again).not.toBe(second);
    expect(credentials.created).toBe(DEFAULT_MAX_CLIENTS + 2);
  });

  it('keeps at most maxClients clients', async () => {
    const { credentials, auth } = counting({ maxClients: 2 });
    const a = await inboundClient(auth, 'http://a.test/');
    await inboundClient(auth, 'http://b.test/');
    await inboundClient(auth, 'http://c.test/'); // a goes
    expect(await inboundClient(auth, 'http://c.test/')).toBeDefined();
    expect(credentials.created).toBe(3);
    expect(await inboundClient(auth, 'http://a.test/')).not.toBe(a);
    expect(credentials.created).toBe(4);
  });

  it('refuses a bound that is not a positive integer', () => {
    const inner = new ConfigurationBotFrameworkAuthentication({});
    expect(() => new CachingBotFrameworkAuthentication(inner, { maxClients: 0 })).toThrow(RangeError);
    expect(() => new CachingBotFrameworkAuthentication(inner, { maxClients: 1.5 })).toThrow(RangeError);
  });

  it('does not keep a failed creation: the next request builds the client again', async () => {
    const { credentials, auth } = counting();
    credentials.failNext = 1;
    await expect(inboundClient(auth)).rejects.toThrow('credentials unavailable');
    const client = await inboundClient(auth);
    expect(client).toBeDefined();
    expect(await inboundClient(auth)).toBe(client);
    expect(credentials.created).toBe(2);
  });

  it('fails every request that was waiting on a failed creation, then recovers', async () => {
    const { credentials, auth } = counting();
    credentials.failNext = 1;
    const results = await Promise.allSettled([inboundClient(auth), inboundClient(auth)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(credentials.created).toBe(1);
    await expect(inboundClient(auth)).resolves.toBeDefined();
  });

  it('reuses the client across proactive sends (continueConversationAsync passes no audience)', async () => {
    const { credentials, auth } = counting();
    const proactive = await auth.createConnectorFactory(botClaims('app-a')).create(SERVICE_URL, undefined);
    const again = await auth.createConnectorFactory(botClaims('app-a')).create(SERVICE_URL, undefined);
    expect(again).toBe(proactive);
    expect(credentials.created).toBe(1);
  });
});

describe('CachingBotFrameworkAuthentication: UserTokenClients and the rest', () => {
  it('reuses one UserTokenClient per app id', async () => {
    const { credentials, auth } = counting();
    const a = await auth.createUserTokenClient(botClaims('app-a'));
    expect(await auth.createUserTokenClient(botClaims('app-a'))).toBe(a);
    expect(await auth.createUserTokenClient(botClaims('app-b'))).not.toBe(a);
    expect(credentials.created).toBe(2);
  });

  it('does not keep a failed UserTokenClient creation', async () => {
    const { credentials, auth } = counting();
    credentials.failNext = 1;
    await expect(auth.createUserTokenClient(botClaims('app-a'))).rejects.toThrow('credentials unavailable');
    const client = await auth.createUserTokenClient(botClaims('app-a'));
    expect(await auth.createUserTokenClient(botClaims('app-a'))).toBe(client);
    expect(credentials.created).toBe(2);
  });

  it('passes the authentication result through apart from the connector factory', async () => {
    const inner = new ConfigurationBotFrameworkAuthentication({});
    const auth = new CachingBotFrameworkAuthentication(inner);
    const expected = await inner.authenticateRequest(activity(), '');
    const got = await auth.authenticateRequest(activity(), '');
    expect(got.audience).toBe(expected.audience);
    expect(got.callerId).toBe(expected.callerId);
    expect(got.claimsIdentity.claims).toEqual(expected.claimsIdentity.claims);
    expect(got.connectorFactory).toBeDefined();
  });

  it('delegates streaming and channel authentication, the originating audience and the skill client', async () => {
    const inner = new ConfigurationBotFrameworkAuthentication({});
    const auth = new CachingBotFrameworkAuthentication(inner);
    // ConfigurationBotFrameworkAuthentication leaves getOriginatingAudience to the base class, which throws.
    const outcome = (f: () => unknown) => {
      try {
        return { value: f() };
      } catch (err) {
        return { error: (err as Error).message };
      }
    };
    expect(outcome(() => auth.getOriginatingAudience())).toEqual(outcome(() => inner.getOriginatingAudience()));
    const settled = async (f: () => Promise<unknown>) => {
      try {
        return { value: await f() };
      } catch (err) {
        return { error: (err as Error).message };
      }
    };
    expect(await settled(() => auth.authenticateStreamingRequest('', 'msteams'))).toEqual(await settled(() => inner.authenticateStreamingRequest('', 'msteams')));
    expect(await settled(() => auth.authenticateChannelRequest(''))).toEqual(await settled(() => inner.authenticateChannelRequest('')));
    expect(auth.createBotFrameworkClient().constructor).toBe(inner.createBotFrameworkClient().constructor);
  });
});

/** The adapter's authentication in a running app (CloudAdapterBase keeps it as botFrameworkAuthentication). */
const authOf = (t: TestApp) => (t.app.deps.notifier as unknown as { adapter: { botFrameworkAuthentication: unknown } }).adapter.botFrameworkAuthentication;

/** A normal reply (through the connector), a second one in another conversation, then a proactive send. */
async function repliesAndProactiveSendReachTheConnector(t: TestApp, headers: () => Record<string, string>) {
  expect(authOf(t)).toBeInstanceOf(CachingBotFrameworkAuthentication);
  t.connector.clear();
  const conversations = [`a:cache-${randomUUID()}`, `a:cache-${randomUUID()}`];
  for (const conversationId of conversations) {
    const r = await t.post(message('help', { conversationId }), headers());
    expect(r.status).toBe(200);
    await t.connector.waitForSent((s) => s.conversationId === conversationId);
  }
  const text = `proactive ${randomUUID()}`;
  const sent = await t.app.deps.notifier.sendToConversation(conversations[0], { type: 'message', text });
  expect(sent.ok).toBe(true);
  await t.connector.waitForSent((s) => s.conversationId === conversations[0] && s.activity.text === text);
  // And the reply path still works after the proactive send, from its cached client.
  const r = await t.post(message('help', { conversationId: conversations[1] }), headers());
  expect(r.status).toBe(200);
  await t.connector.waitForSent(() => t.connector.sent.filter((s) => s.conversationId === conversations[1]).length >= 2);
}

describe('a running app with the client cache', () => {
  it('delivers replies and proactive sends to the connector in local mode', async () => {
    const t = await startTestApp();
    try {
      await repliesAndProactiveSendReachTheConnector(t, () => ({}));
    } finally {
      await t.stop();
    }
  });

  describe('with authentication on', () => {
    const APP_ID = 'd0000000-0000-4000-8000-0000000000c1';
    // The outbound token comes from AAD (login.microsoftonline.com) through msal-node. botframework-connector looks in
    // its process-wide token cache first (AppCredentials.cache, keyed by app id and scope); filling that cache keeps
    // the test off the network while every other step of the outbound path runs for real.
    // The cache is private in the typings, hence the cast.
    const tokenCache = (AppCredentials as unknown as { cache: Map<string, { accessToken: string; expiresOn: Date }> }).cache;
    const tokenKey = `${APP_ID}${AuthenticationConstants.ToChannelFromBotOAuthScope}-cache`;
    let idp: FakeIdp;
    let t: TestApp;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      tokenCache.set(tokenKey, { accessToken: 'outbound-test-token', expiresOn: new Date(Date.now() + 3_600_000) });
      ({ idp, t, stop } = await startAuthenticatedApp(APP_ID));
    });
    afterAll(async () => {
      await stop();
      tokenCache.delete(tokenKey);
    });

    const bearer = () => {
      const now = Math.floor(Date.now() / 1000);
      return { authorization: `Bearer ${signRs256({ iss: idp.issuer, aud: APP_ID, serviceurl: t.connector.url, nbf: now - 60, iat: now - 60, exp: now + 3600 }, idp.key)}` };
    };

    it('delivers replies and proactive sends to the connector', async () => {
      await repliesAndProactiveSendReachTheConnector(t, bearer);
    });

    it('still refuses an unauthenticated request', async () => {
      const r = await t.post(message('help', { conversationId: `a:cache-${randomUUID()}` }));
      expect(r.status).toBe(401);
    });
  });
});
