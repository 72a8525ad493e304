/** Proactive side of the approval flow: approval cards to admins, in-place updates of every copy, notices to the requester. */
import type { AppDeps } from '../app-deps.js';
import { toActivity } from '../bot/turn.js';
import type { Person } from '../domain/org.js';
import { langOf } from '../i18n/i18n.js';
import type { ActivationRequest, CardCopy, PersonRef } from './service.js';
import { approvalCard, requesterNotice } from './views.js';

export interface Delivery {
  copies: CardCopy[];
  adminUserIds: string[];
  unreachable: PersonRef[];
}

/** Sends the approval card (admin view) to every admin's personal chat; admins who never chatted with the bot are unreachable. */
export async function sendApprovalCards(deps: AppDeps, request: ActivationRequest, admins: Person[], opts: { reminder?: boolean } = {}): Promise<Delivery> {
  const org = deps.directory.organisation().name;
  const targets = await Promise.all(
    admins.map(async (person) => {
      const rec = await deps.conversations.personal(request.tenantId, person.aadObjectId);
      return { person, rec };
    }),
  );
  const adminUserIds = [...new Set([...request.adminUserIds, ...targets.map((x) => x.rec?.reference.user?.id).filter((id): id is string => !!id)])];
  const copies: CardCopy[] = [];
  const unreachable: PersonRef[] = [];
  await Promise.all(
    targets.map(async ({ person, rec }) => {
      const ref = { aadObjectId: person.aadObjectId, name: person.name };
      if (!rec) {
        unreachable.push(ref);
        return;
      }
      const lang = langOf(rec.reference.locale);
      const card = approvalCard(deps.i18n.forLang(lang), request, { view: 'admin', userIds: adminUserIds, org, reminder: opts.reminder });
      const sent = await deps.notifier.sendToUser(request.tenantId, person.aadObjectId, toActivity(card));
      if (sent.ok) copies.push({ adminAadObjectId: person.aadObjectId, conversationId: sent.conversationId, activityId: sent.activityId, lang });
      else unreachable.push(ref);
    }),
  );
  unreachable.sort((a, b) => a.name.localeCompare(b.name));
  return { copies, adminUserIds, unreachable };
}

/** Replaces every admin's copy of the approval card with the request's current state (read-only once decided). */
export async function updateCopies(deps: AppDeps, request: ActivationRequest): Promise<number> {
  const org = deps.directory.organisation().name;
  const log = deps.logger.child({ component: 'activation' });
  const results = await Promise.all(
    request.cards.map(async (copy) => {
      const card = approvalCard(deps.i18n.forLang(copy.lang), request, { view: 'status', userIds: request.adminUserIds, org });
      const ok = await deps.notifier.update(copy.conversationId, copy.activityId, toActivity(card));
      if (!ok) log.warn({ requestId: request.id, conversationId: copy.conversationId }, 'approval card copy not updated');
      return ok;
    }),
  );
  return results.filter(Boolean).length;
}

/** Tells the requester about the request's new state: personal chat first, else the conversation they asked in. */
export async function notifyRequester(deps: AppDeps, request: ActivationRequest): Promise<boolean> {
  const t = deps.i18n.forLang(request.requester.lang);
  const card = requesterNotice(t, request, { org: deps.directory.organisation().name, expiryDays: deps.config.activation.expiryDays });
  if (!card) return false;
  const activity = toActivity(card);
  let sent = await deps.notifier.sendToUser(request.tenantId, request.requester.aadObjectId, activity);
  if (!sent.ok && sent.reason === 'noConversation' && request.requester.conversationId) {
    sent = await deps.notifier.sendToConversation(request.requester.conversationId, activity);
  }
  if (!sent.ok) deps.logger.child({ component: 'activation' }).warn({ requestId: request.id, reason: sent.reason }, 'requester not notified');
  return sent.ok;
}
