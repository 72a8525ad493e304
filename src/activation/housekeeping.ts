/** Reminders and expiry of approval requests: one function (tests call it with a pinned clock) and a timer. */
import type { AppDeps } from '../app-deps.js';
import type { Person } from '../domain/org.js';
import { notifyRequester, sendApprovalCards, updateCopies } from './delivery.js';
import { activationRequestsOf } from './handlers.js';
import { activationAdmins, dueActions } from './service.js';

export interface HousekeepingResult {
  reminded: number;
  expired: number;
  /** True when another run (here or on another instance) was busy, so this one did nothing. */
  skipped?: boolean;
}

/** How often the timer looks for due reminders and expiries. */
export const HOUSEKEEPING_INTERVAL_MS = 5 * 60 * 1000;
const JOB = 'activation-housekeeping';

/** Reminds admins of pending requests after config.activation.reminderHours and expires open ones after expiryDays; all audited. */
export async function runActivationHousekeeping(deps: AppDeps, now: Date): Promise<HousekeepingResult> {
  const result = await deps.store.runExclusive(JOB, () => housekeep(deps, now));
  return result ?? { reminded: 0, expired: 0, skipped: true };
}

async function housekeep(deps: AppDeps, now: Date): Promise<HousekeepingResult> {
  const log = deps.logger.child({ component: 'activation' });
  const requests = activationRequestsOf(deps);
  const policy = deps.config.activation;
  let admins: Person[] | undefined;
  const out: HousekeepingResult = { reminded: 0, expired: 0 };
  for (const action of dueActions(await requests.allOpen(), now, policy)) {
    try {
      if (action.kind === 'expire') {
        const res = await requests.expire(action.request.id, now, policy);
        if (!res.won) continue;
        out.expired++;
        await Promise.all([updateCopies(deps, res.request), notifyRequester(deps, res.request)]);
      } else {
        const res = await requests.claimReminder(action.request.id, now, policy);
        if (!res.won) continue;
        admins ??= activationAdmins(await deps.directory.listPeople('globalAdmin'), await deps.directory.listPeople('mpnPartnerAdmin'));
        const delivery = await sendApprovalCards(deps, res.request, admins, { reminder: true });
        const stored = await requests.recordDelivery(res.request.id, delivery, now, 'reminded');
        if (stored.status !== 'pending') await updateCopies(deps, stored);
        out.reminded++;
      }
    } catch (err) {
      log.error({ err, requestId: action.request.id, action: action.kind }, 'activation housekeeping step failed'); // the next run retries it
    }
  }
  return out;
}

/** Runs the housekeeping every few minutes; the timer is unref'd (never keeps the process alive) and skips a closed store. Returns stop(). */
export function startActivationHousekeeping(deps: AppDeps, intervalMs = HOUSEKEEPING_INTERVAL_MS): () => void {
  const log = deps.logger.child({ component: 'activation' });
  const timer = setInterval(() => {
    if (!deps.store.status().ok) return;
    runActivationHousekeeping(deps, deps.now()).then(
      (r) => {
        if (r.reminded || r.expired) log.info({ ...r }, 'activation housekeeping');
      },
      (err: unknown) => log.error({ err }, 'activation housekeeping failed'),
    );
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
