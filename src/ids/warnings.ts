/** Contract warnings to admins (O3): expired, ≤ 30 days left, ≤ 2 incidents left — each sent once. */
import type { AppDeps } from '../app-deps.js';
import { Intent } from '../bot/intents.js';
import { toActivity } from '../bot/turn.js';
import { MessageCard } from '../cards/common.js';
import { renderCard } from '../cards/render.js';
import type { Person } from '../domain/org.js';
import { langOf } from '../i18n/i18n.js';
import { warningText } from './cards.js';
import { contractWarnings, isContractAdmin, isoDay, warningsToSend } from './service.js';

export type WarningDeps = Pick<AppDeps, 'directory' | 'benefits' | 'notifier' | 'conversations' | 'i18n' | 'policy' | 'store' | 'logger' | 'router' | 'background'>;

const JOB = 'ids.contract-warnings';
export const WARNING_INTERVAL_MS = 15 * 60_000;

async function admins(deps: WarningDeps): Promise<Person[]> {
  const lists = await Promise.all([deps.directory.listPeople('globalAdmin'), deps.directory.listPeople('mpnPartnerAdmin')]);
  const byId = new Map<string, Person>();
  for (const p of lists.flat()) if (isContractAdmin(p)) byId.set(p.aadObjectId.toLowerCase(), p);
  return [...byId.values()];
}

/**
 * Sends the contract warnings not sent yet to every Global Admin and MPN Partner Admin (in the language of their
 * personal chat) and records them in `warningsSent`. A warning nobody could be reached for stays due and is tried
 * again next time. One run at a time (store.runExclusive); returns the keys sent.
 */
export async function checkContractWarnings(deps: WarningDeps, now: Date): Promise<string[]> {
  const org = deps.directory.organisation();
  const tenantId = org.tenantId;
  const today = isoDay(now);
  const log = deps.logger.child({ component: 'ids.warnings' });
  const sent = await deps.store.runExclusive(JOB, async () => {
    const record = await deps.benefits.record(tenantId);
    if (!record) return [];
    const { due, keep } = warningsToSend(record, today);
    const stale = (record.warningsSent ?? []).length !== keep.length;
    if (!due.length) {
      if (stale) await deps.benefits.mutate(tenantId, now, (cur) => ({ ...cur, warningsSent: warningsToSend(cur, today).keep }));
      return [];
    }
    const people = await admins(deps);
    const incidents = deps.router.getIntent(Intent.incidents);
    let reached = 0;
    const unreachable: string[] = [];
    for (const admin of people) {
      const conv = await deps.conversations.personal(tenantId, admin.aadObjectId);
      const t = deps.i18n.forLang(langOf(conv?.reference.locale));
      const env = { t, policy: deps.policy, organisationName: org.name, today };
      const lines = due.map((w) => `- ${warningText(w, env)}`).join('\n');
      const card = renderCard(MessageCard, {
        title: t('ids.warning.adminTitle'),
        text: `${t('ids.warning.adminText', { org: org.name })}\n\n${lines}`,
        quote: '',
        color: 'Warning',
        commands: incidents ? [{ title: t('ids.help.incidents.button'), command: Intent.incidents, args: '' }] : [],
      });
      const r = await deps.notifier.sendToUser(tenantId, admin.aadObjectId, toActivity(card));
      if (r.ok) reached++;
      else unreachable.push(admin.aadObjectId);
    }
    const keys = due.map((w) => w.key);
    if (!reached) {
      log.warn({ warnings: keys, admins: people.length }, 'contract warnings: no admin reachable (needs a personal chat with the bot); will retry');
      return [];
    }
    await deps.benefits.mutate(tenantId, now, (cur) => {
      const active = new Set(contractWarnings(cur, today).map((w) => w.key));
      const next = [...new Set([...warningsToSend(cur, today).keep, ...keys.filter((k) => active.has(k))])];
      return { ...cur, warningsSent: next };
    });
    try {
      await deps.store.audit.record({ at: now.toISOString(), tenantId, action: 'ids.warning.sent', subject: tenantId, details: { warnings: keys.join(','), reached, unreachable: unreachable.length } });
    } catch (err) {
      log.error({ err }, 'audit record failed');
    }
    log.info({ warnings: keys, reached, unreachable: unreachable.length }, 'contract warnings sent');
    return keys;
  });
  return sent ?? [];
}

/**
 * After a change to the contract's figures (an edit, an incident used): checks the warnings without holding up the
 * answer (deps.background; the app's stop waits for it). A failure is logged; the 15-minute timer tries again.
 */
export function checkContractWarningsSoon(deps: WarningDeps, now: Date): void {
  deps.background.run('ids.contractWarnings', async () => {
    await checkContractWarnings(deps, now).catch((err: unknown) => deps.logger.warn({ error: (err as Error).name, message: (err as Error).message }, 'contract warnings check failed'));
  });
}

/** Runs `checkContractWarnings` every 15 minutes on an unref'd timer (it never keeps the process alive); returns a stop function. */
export function startWarningTimer(deps: WarningDeps, now: () => Date, intervalMs = WARNING_INTERVAL_MS): () => void {
  const timer = setInterval(() => {
    checkContractWarnings(deps, now()).catch((err: unknown) => deps.logger.warn({ error: (err as Error).name, message: (err as Error).message }, 'contract warnings check failed'));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
