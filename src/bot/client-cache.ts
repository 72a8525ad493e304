/**
 * Reuses the Bot Connector clients that botbuilder would otherwise build anew for every activity.
 *
 * Why: CloudAdapterBase.processActivity (botbuilder-core 4.23) asks the request's ConnectorFactory for a new
 * ConnectorClient and BotFrameworkAuthentication for a new UserTokenClient on every inbound activity, and
 * continueConversationAsync does the same for every proactive send. Each of those builds an @azure/core-client
 * request pipeline (and, with MicrosoftAppId set, the credentials lazily build an msal-node
 * ConfidentialClientApplication on first use). A CPU profile of a simple turn put about 20% of its CPU there
 * (@typespec/ts-http-runtime, @azure/core-rest-pipeline, @azure/core-client, botframework-connector).
 *
 * Why reuse is safe: the clients hold no per-turn state. A ConnectorClient is a base URL, credentials and a request
 * pipeline; a UserTokenClientImpl is an app id, credentials and the OAuth URL; botbuilder never changes them after
 * building them (the turn's data travels in each call's arguments). The credentials fetch a token per request
 * (AppCredentials.signRequest -> getToken, which reads a process-wide cache keyed by app id and scope and refreshes
 * 5 minutes before expiry), so a long-lived client never sends a stale token. What varies between the clients of one
 * BotFrameworkAuthentication is exactly the key used here: the app id taken from the claims (the rule of getAppId in
 * botframework-connector's parameterizedBotFrameworkAuthentication.js: the audience claim, else the appid claim),
 * the serviceUrl and the audience; the rest (login URL, OAuth scope, credential factory, client options) is fixed
 * per instance. Concurrent requests for one client share a single creation; a failed creation is not kept.
 *
 * Bounded (least recently used out): without MicrosoftAppId nothing is authenticated and serviceUrl is whatever the
 * caller sends, so an unbounded map would grow with every new URL.
 *
 * botframework-connector is botbuilder's own dependency (same version, hoisted); botbuilder does not re-export
 * these classes.
 */
import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import type { Activity } from 'botbuilder';

/** Default number of cached ConnectorClients (and, separately, UserTokenClients). */
export const DEFAULT_MAX_CLIENTS = 100;

/** A bounded map of in-flight or settled creations; least recently used out, rejected creations dropped. */
class PromiseLru<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly max: number) {}

  getOrCreate(key: string, create: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      // Map keeps insertion order: re-inserting makes this the most recently used entry.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const created = (async () => create())();
    this.entries.set(key, created);
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    created.catch(() => {
      // Only if it is still ours: it may have been evicted, and a new creation may sit under the key by now.
      if (this.entries.get(key) === created) this.entries.delete(key);
    });
    return created;
  }
}

/** The bot's app id in the claims, as botframework-connector reads it: audience claim, else appid claim. */
function appIdOf(claimsIdentity: ClaimsIdentity): string | undefined {
  return claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? undefined;
}

const keyOf = (...parts: (string | undefined)[]) => JSON.stringify(parts.map((p) => p ?? null));

/** A ConnectorFactory whose clients come from a cache shared by every factory of one CachingBotFrameworkAuthentication. */
class CachingConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly appId: string | undefined,
    private readonly cache: PromiseLru<ConnectorClient>,
  ) {
    super();
  }

  override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.cache.getOrCreate(keyOf(this.appId, serviceUrl, audience), () => this.inner.create(serviceUrl, audience));
  }
}

export interface ClientCacheOptions {
  /** Most ConnectorClients kept, and most UserTokenClients kept (default 100 each). */
  maxClients?: number;
}

/** Decorates a BotFrameworkAuthentication so that ConnectorClients and UserTokenClients are built once and reused. */
export class CachingBotFrameworkAuthentication extends BotFrameworkAuthentication {
  private readonly connectors: PromiseLru<ConnectorClient>;
  private readonly userTokenClients: PromiseLru<UserTokenClient>;

  constructor(
    private readonly inner: BotFrameworkAuthentication,
    opts: ClientCacheOptions = {},
  ) {
    super();
    const max = opts.maxClients ?? DEFAULT_MAX_CLIENTS;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxClients must be a positive integer, got ${max}`);
    this.connectors = new PromiseLru(max);
    this.userTokenClients = new PromiseLru(max);
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateRequest(activity, authHeader);
    if (!result.connectorFactory) return result;
    return { ...result, connectorFactory: this.wrap(result.connectorFactory, result.claimsIdentity) };
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.wrap(this.inner.createConnectorFactory(claimsIdentity), claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.userTokenClients.getOrCreate(keyOf(appIdOf(claimsIdentity)), () => this.inner.createUserTokenClient(claimsIdentity));
  }

  override authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  private wrap(factory: ConnectorFactory, claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new CachingConnectorFactory(factory, appIdOf(claimsIdentity), this.connectors);
  }
}
