/** Ageing: open requests untouched for their severity's business days get one reminder per period in the channel. */
import type { AppDeps } from '../app-deps.js';
import { Intent } from '../bot/intents.js';
import { toActivity } from '../bot/turn.js';
import { MessageCard } from '../cards/common.js';
import { escapeMarkdown, renderCard } from '../cards/render.js';
import { runtimeFor } from './runtime.js';
import { statusLabel } from './views.js';

/** How often the ageing job looks (periods are business days, so a quarter of an hour is plenty). */
export const AGEING_INTERVAL_MS = 15 * 60 * 1000;

/** Sends the reminders due at `now` (one run at a time across instances); returns how many were posted. */
export async function runRequestAgeing(deps: AppDeps, now: Date): Promise<{ reminded: number }> {
  const rt = runtimeFor(deps);
  const reminded = await deps.store.runExclusive('requests.ageing', async () => {
    const due = await rt.service.dueReminders(now, { sevA: deps.config.requests.ageingBusinessDaysSevA, other: deps.config.requests.ageingBusinessDaysOther });
    let n = 0;
    for (const { record, period, businessDays } of due) {
      const channel = (await rt.service.settings(record.tenantId))?.helpDeskChannel;
      if (!channel) continue; // reminders start once there is a channel to post them in
      if (!(await rt.service.markReminded(record.id, period))) continue;
      const t = deps.i18n.forLang(channel.lang);
      const card = renderCard(MessageCard, {
        title: t('requests.reminder.title', { key: record.key }),
        text: t('requests.reminder.text', {
          key: record.key,
          severity: record.severity,
          days: businessDays,
          status: statusLabel(t, record.status),
          assignee: record.assignee ? escapeMarkdown(record.assignee.name) : t('requests.triage.nobody'),
        }),
        quote: record.title,
        color: record.severity === 'A' ? 'Attention' : 'Warning',
        commands: [{ title: t('requests.queueButton'), command: Intent.queue, args: '' }],
      });
      const sent = await deps.notifier.sendToConversation(channel.conversationId, toActivity(card));
      if (!sent.ok) {
        rt.log.warn({ request: record.key, reason: sent.reason }, 'ageing reminder not posted');
        continue;
      }
      n++;
      await deps.store.audit.record({ at: now.toISOString(), tenantId: record.tenantId, action: 'request.reminded', subject: record.id, details: { key: record.key, period, businessDays } });
    }
    return n;
  });
  return { reminded: reminded ?? 0 };
}
