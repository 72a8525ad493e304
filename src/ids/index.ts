/**
 * Access ID and Contract ID (issue 5): "ids" shows them masked (personal chat only, R2 checked on the server),
 * "Reveal" answers the clicker alone, per-portal first-time steps with "I have associated it", the contract's
 * figures ("how many incidents are left") with an admin form, and warnings to admins.
 */
import { z } from 'zod';
import type { AppDeps } from '../app-deps.js';
import { Intent } from '../bot/intents.js';
import type { AdaptiveCard } from '../cards/render.js';
import { DirectoryUnavailableError } from '../identity/directory.js';
import type { Person } from '../domain/org.js';
import type { Lang } from '../i18n/i18n.js';
import { IdsHandlers } from './ids.handler.js';
import { idsAccess, PORTALS, recordIncidentUsed, type Benefit, type IncidentUse } from './service.js';
import { IdsVerb } from './verbs.js';
import { checkContractWarnings, startWarningTimer } from './warnings.js';

export { checkContractWarnings } from './warnings.js';
export { recordIncidentUsed, type Benefit, type IncidentUse } from './service.js';
export { IdsVerb } from './verbs.js';

/** "ids", "access id", "what are our ids", "액세스 id", "ID 알려줘" … (never "partner id", which is the MPN ID). */
export const IDS_PATTERNS: readonly RegExp[] = [
  /^(?:(?:please )?(?:show|get|send|give|tell)(?: me| us)? |what(?:'s| is| are) |where (?:is|are) |i need )?(?:our |my |the )?(?:ids|access ids?|contract ids?|access ids? and contract ids?|access and contract ids?|access ?id ?\/ ?contract ?id)(?: please)?$/,
  /^(?:우리 ?)?(?:(?:액세스|엑세스) ?(?:id|아이디)(?: ?(?:와|랑|하고|및) ?계약 ?(?:id|아이디))?|계약 ?(?:id|아이디)|아이디|id)(?:가|는|를|은|좀)?(?: ?(?:알려 ?줘|알려 ?주세요|알려 ?줄래|보여 ?줘|보여 ?주세요|뭐야|뭐예요|뭔가요|확인|보기))?$/,
];

/** "how many incidents are left", "incidents remaining", "남은 인시던트" … */
export const INCIDENTS_PATTERNS: readonly RegExp[] = [
  /^how many (?:support |partner )?incidents?(?: do we| have we| we)?(?: (?:have|got))?(?: are)?(?: (?:left|remaining))?(?: on (?:our|the) contract)?$/,
  /^(?:show |check )?(?:our |the )?(?:remaining |left ?over )?(?:support |partner )?incidents?(?: (?:left|remaining|count|status))?$/,
  /^(?:show |check )?(?:our |the )?(?:contract status|contract end|when does (?:our|the) contract (?:end|expire))$/,
  /^(?:남은|잔여) ?(?:지원 ?)?인시던트(?: ?(?:수|개수|확인))?(?:는|가|은)?(?: ?(?:몇 ?개|알려 ?줘|알려 ?주세요|보여 ?줘|확인))?(?: ?(?:야|예요|인가요|남았어|남았나요))?$/,
  /^(?:지원 ?)?인시던트(?:가|는|이)? ?(?:몇 ?개 ?)?(?:남았어|남았나요|남았어요|남은 ?거|잔여|남은 ?수|남은 ?개수)(?: ?(?:알려 ?줘|알려 ?주세요|확인))?$/,
  /^계약 ?(?:상태|만료일|종료일)(?: ?(?:알려 ?줘|알려 ?주세요|확인))?$/,
];

const anyValue = z.union([z.string().max(40), z.number()]).optional();
const formData = z.object({
  version: z.coerce.number().int().min(0),
  startDate: anyValue,
  endDate: anyValue,
  onPremises: anyValue,
  cloud: anyValue,
});

/** Registers the `ids` and `incidents` intents, the card verbs, the help entries and the contract warnings timer (stopped with the app). */
export function registerIds(deps: AppDeps): void {
  const { router, help } = deps;
  const h = new IdsHandlers(deps);

  router.intent({ name: Intent.ids, patterns: [...IDS_PATTERNS], handler: (ctx) => h.showIds(ctx) });
  router.intent({ name: Intent.incidents, patterns: [...INCIDENTS_PATTERNS], handler: async (ctx) => ctx.send(await h.showIncidents(ctx)) });

  router.verb({ verb: IdsVerb.reveal, data: z.object({}), handler: (ctx) => h.reveal(ctx) });
  router.verb({ verb: IdsVerb.hide, data: z.object({}), handler: (ctx) => h.hide(ctx) });
  router.verb({ verb: IdsVerb.associate, data: z.object({ portal: z.enum(PORTALS) }), handler: (ctx, data) => h.associate(ctx, data.portal) });
  router.verb({ verb: IdsVerb.editContract, data: z.object({}), handler: (ctx) => h.editContract(ctx) });
  router.verb({ verb: IdsVerb.saveContract, data: formData, handler: (ctx, { version, ...input }) => h.saveContract(ctx, input, version) });
  router.verb({ verb: IdsVerb.incidents, data: z.object({}), handler: async (ctx) => ({ kind: 'card', card: await h.showIncidents(ctx) }) });

  help.add({ intent: Intent.ids, order: 30, titleKey: 'ids.help.ids.title', descriptionKey: 'ids.help.ids.description', buttonKey: 'ids.help.ids.button' });
  help.add({ intent: Intent.incidents, order: 35, titleKey: 'ids.help.incidents.title', descriptionKey: 'ids.help.incidents.description', buttonKey: 'ids.help.incidents.button' });

  const stopTimer = startWarningTimer(deps, deps.now);
  deps.onStop(stopTimer);
}

/**
 * The masked IDs card for a person allowed to see them (R2), e.g. to tell a requester after activation; undefined
 * for anyone else, before activation, when no IDs are stored, or when the directory cannot answer (fails closed).
 */
export async function buildIdsCardFor(deps: AppDeps, ctxLike: { tenantId: string; aadObjectId: string; lang: Lang }): Promise<AdaptiveCard | undefined> {
  const orgTenant = deps.directory.organisation().tenantId;
  let person: Person | undefined;
  try {
    person = ctxLike.tenantId.toLowerCase() === orgTenant.toLowerCase() ? await deps.directory.getPerson(ctxLike.tenantId, ctxLike.aadObjectId) : undefined;
  } catch (err) {
    if (!(err instanceof DirectoryUnavailableError)) throw err;
    deps.logger.warn({ error: err.name }, 'directory unavailable: no IDs card built');
    return undefined;
  }
  const access = idsAccess(ctxLike.tenantId, orgTenant, person);
  if (!access.allowed) return undefined;
  const h = new IdsHandlers(deps);
  const view = { record: await deps.benefits.record(orgTenant), state: await deps.benefits.state(orgTenant) };
  const { card, masked } = h.maskedCardFor(access.person, deps.i18n.forLang(ctxLike.lang), deps.now(), view);
  return masked ? card : undefined;
}

/**
 * Counts one incident for a support request submitted to Microsoft (exactly once per request id) and then sends
 * any contract warning it causes. For the help desk; `recordIncidentUsed` alone skips the warnings until the timer.
 */
export async function countIncident(deps: AppDeps, requestId: string, benefit: Benefit): Promise<IncidentUse> {
  const now = deps.now();
  const use = await recordIncidentUsed(deps.benefits, deps.directory.organisation().tenantId, requestId, benefit, now);
  if (use.counted) {
    await checkContractWarnings(deps, now).catch((err: unknown) => deps.logger.warn({ error: (err as Error).name }, 'contract warnings check failed'));
  }
  return use;
}
