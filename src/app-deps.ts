/** What every capability's register function receives. */
import type { BackgroundTasks } from './background.js';
import type { BenefitsStore } from './benefits/benefits-store.js';
import type { Config } from './config.js';
import type { HelpCatalog } from './core/help-catalog.js';
import type { Router } from './bot/router.js';
import type { I18n } from './i18n/i18n.js';
import type { Directory } from './identity/directory.js';
import type { OrgFile } from './identity/org-file.js';
import type { Logger } from './logging/logger.js';
import type { ConversationDirectory, Notifier } from './notify/conversations.js';
import type { Store } from './storage/store.js';
import type { Catalog } from './domain/catalog.js';
import type { Policy } from './domain/policy.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  store: Store;
  directory: Directory;
  orgFile: OrgFile;
  i18n: I18n;
  router: Router;
  help: HelpCatalog;
  conversations: ConversationDirectory;
  notifier: Notifier;
  benefits: BenefitsStore;
  /** The entitlement policy chosen by the org file's `program`. */
  policy: Policy;
  /** The product catalogue (shipped data plus the organisation's CATALOG_FILE). */
  catalog: Catalog;
  /** The clock (tests pin it). */
  now: () => Date;
  /** Work started by a turn that its answer does not wait for; a stop waits for it. */
  background: BackgroundTasks;
  /** Registers work to run when the app stops (timers, background jobs), before storage closes. */
  onStop(fn: () => void | Promise<void>): void;
}
