/** Composition root: config -> logger -> storage -> directory -> bot -> server. */
import { ConfigurationBotFrameworkAuthentication, ConversationState, UserState } from 'botbuilder';
import { BenefitsStore, type BenefitsRecord } from './benefits/benefits-store.js';
import { AppAdapter } from './bot/adapter.js';
import { BackgroundTasks } from './background.js';
import { stringifyWithCards } from './cards/render.js';
import { CachingBotFrameworkAuthentication } from './bot/client-cache.js';
import { createTurnErrorHandler, PartnerSupportBot } from './bot/bot.js';
import { Router } from './bot/router.js';
import { botFrameworkSettings, type Config } from './config.js';
import { HelpCatalog } from './core/help-catalog.js';
import { loadCommandTitles, registerCore, registerExactPhrases } from './core/index.js';
import { UnrecognisedLog, UNRECOGNISED_COLLECTION, type UnrecognisedRecord } from './core/unrecognised.js';
import { loadKnownErrors } from './domain/known-errors.js';
import { createNlu } from './nlu/index.js';
import { loadEntityPatterns } from './nlu/entities.js';
import { capabilities } from './capabilities.js';
import type { AppDeps } from './app-deps.js';
import { i18nFor } from './i18n/profile-terms.js';
import { OrgFileDirectory, type Directory } from './identity/directory.js';
import { createDirectory } from './identity/index.js';
import { loadOrgFile } from './identity/org-file.js';
import { loadCatalog, loadCatalogWithOrgFile } from './domain/catalog.js';
import { loadPolicy } from './domain/policy.js';
import { fromRoot } from './paths.js';
import { createLogger, SecretRegistry, type LineSink, type Logger } from './logging/logger.js';
import { AdapterNotifier, ConversationDirectory, type ConversationRecord } from './notify/conversations.js';
import { createServer, type BotServer } from './server.js';
import { createSecretBox } from './storage/secret-box.js';
import { openPgStore } from './storage/postgres/pg-store.js';
import { openStore, type Store } from './storage/store.js';

export interface AppOptions {
  /** Where log lines go (stdout by default). */
  logSink?: LineSink;
  now?: () => Date;
  /** Replaces the org-file directory (Graph, or a test double of the external service). */
  directory?: (deps: { config: Config; logger: Logger; fallback: Directory }) => Directory;
  /** Registers only these capabilities (tests isolating one capability); default: all of src/capabilities.ts. */
  capabilities?: ((deps: AppDeps) => void)[];
}

export interface App {
  port: number;
  deps: AppDeps;
  server: BotServer;
  /** Graceful stop: stop accepting, finish turns in flight, flush storage, release the lock. */
  stop(): Promise<void>;
}

/** Builds everything and starts listening; throws (with a clear message) on bad config, org file or data. */
export async function startApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const secrets = new SecretRegistry();
  secrets.add(config.bot.appPassword);
  secrets.add(config.dataEncryptionKey);
  secrets.add(config.graph.clientSecret);
  const logger = createLogger({ level: config.logLevel, secrets, sink: opts.logSink });
  if (config.localMode) {
    logger.warn({}, 'LOCAL MODE: MicrosoftAppId is not set, so inbound requests are NOT authenticated. Use this only on your own machine or with the Agents Playground.');
  }
  const orgFile = loadOrgFile(config.orgFile);
  const dataFiles = fromRoot('data');
  const policy = loadPolicy(orgFile.organisation.program, dataFiles);
  const catalog = config.catalogFile ? loadCatalogWithOrgFile(config.catalogFile, dataFiles) : loadCatalog(undefined, dataFiles);
  const store: Store = config.storage === 'postgres' ? await openPgStore(config, { logger }) : openStore(config.dataDir);
  try {
    const now = opts.now ?? (() => new Date());
    const box = createSecretBox({ keyBase64: config.dataEncryptionKey, dataDir: config.dataDir, allowKeyFile: config.localMode || config.nodeEnv !== 'production' });
    const fileDirectory = new OrgFileDirectory(orgFile);
    const directory = (opts.directory ?? createDirectory)({ config, logger, fallback: fileDirectory });
    const i18n = i18nFor(policy);
    const router = new Router();
    const help = new HelpCatalog();
    const conversations = new ConversationDirectory(store.collection<ConversationRecord>('conversations'));
    const auth = new ConfigurationBotFrameworkAuthentication(botFrameworkSettings(config));
    const adapter = new AppAdapter(new CachingBotFrameworkAuthentication(auth));
    const notifier = new AdapterNotifier(adapter, config.bot.appId, conversations, logger.child({ component: 'notify' }));
    const benefits = new BenefitsStore(store.collection<BenefitsRecord>('benefits'), box, secrets);
    await benefits.seed(orgFile.organisation.tenantId, orgFile.benefits, now());
    await benefits.registerSecrets(orgFile.organisation.tenantId);
    const allowedTenantIds = config.allowedTenantIds.length ? config.allowedTenantIds : [orgFile.organisation.tenantId];

    const stopHooks: (() => void | Promise<void>)[] = [];
    const background = new BackgroundTasks(logger.child({ component: 'background' }));
    const deps: AppDeps = { config, logger, store, directory, orgFile, i18n, router, help, conversations, notifier, benefits, policy, catalog, now, background, onStop: (fn) => stopHooks.push(fn) };
    const knownErrors = loadKnownErrors(dataFiles);
    router.understandWith(createNlu({ catalog, knownErrors }));
    const unrecognised = new UnrecognisedLog(store.collection<UnrecognisedRecord>(UNRECOGNISED_COLLECTION), (s) => secrets.scrub(s));
    const core = registerCore({ router, help, organisationName: orgFile.organisation.name, unrecognised, background });
    for (const register of opts.capabilities ?? capabilities) register(deps);
    registerExactPhrases(router, help, [i18n.forLang('en'), i18n.forLang('ko')], loadCommandTitles());

    const conversationState = new ConversationState(store.botStorage);
    const userState = new UserState(store.botStorage);
    const bot = new PartnerSupportBot({ router, directory, i18n, conversations, logger, allowedTenantIds, conversationState, userState, now, followUps: { patterns: loadEntityPatterns(), catalog }, ...core });
    adapter.onTurnError = createTurnErrorHandler({ i18n, logger, conversationState });

    const server = createServer({
      adapter,
      logic: (ctx) => bot.run(ctx),
      logger,
      maxBodyBytes: config.maxBodyBytes,
      headersTimeoutMs: config.headersTimeoutMs,
      bodyTimeoutMs: config.bodyTimeoutMs,
      storageOk: () => store.status().ok,
      // Shared by every instance on the same store (PostgreSQL); in memory with lowdb (one instance).
      claimOnce: (key, ttlMs) => store.claimOnce(key, ttlMs),
      releaseClaim: (key) => store.releaseClaim(key),
      stringify: stringifyWithCards,
    });
    const port = await server.listen(config.port, config.host);
    server.setReady(true);
    logger.info({ port, dataDir: config.dataDir, orgFile: config.orgFile, version: config.version, localMode: config.localMode }, 'ready');
    let stopping: Promise<void> | undefined;
    return {
      port,
      deps,
      server,
      stop() {
        stopping ??= (async () => {
          const drained = await server.drain(config.shutdownTimeoutMs);
          if (!drained) logger.warn({}, 'turns still running at shutdown timeout');
          await background.settled();
          for (const hook of stopHooks) await hook();
          await store.close();
          logger.info({}, 'stopped');
          logger.flush();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
