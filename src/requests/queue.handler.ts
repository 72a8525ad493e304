/** The help desk queue: open requests read straight from the store, filtered, 10 a page. */
import { z } from 'zod';
import { Intent } from '../bot/intents.js';
import type { BotTurn } from '../bot/turn.js';
import { renderCard, type AdaptiveCard } from '../cards/render.js';
import { MessageCard } from '../cards/common.js';
import { isHelpDesk } from '../domain/org.js';
import { QueueCard } from './cards.js';
import type { RequestsRuntime } from './runtime.js';
import { RequestsVerb } from './verbs.js';
import { decodeQueueState, queueCardData, type QueueState } from './views.js';

/** "queue", "open requests", "큐", "요청 목록". */
export const QUEUE_PATTERNS: RegExp[] = [
  /^(?:show (?:me )?)?(?:the )?(?:request |support |help ?desk )?queue$/,
  /^(?:show (?:me )?)?(?:all )?(?:open|pending|waiting) (?:support )?requests$/,
  /^(?:요청 |지원 요청 )?(?:큐|대기열)(?: 보기)?$/,
  /^(?:열린 |대기 중인 |미처리 )?(?:지원 )?요청 목록(?: 보기)?$/,
];

const QueueData = z
  .object({
    filter: z.enum(['all', 'unassigned', 'mine', 'custom']).optional(),
    severity: z.string().max(5).optional(),
    olderThanDays: z.union([z.number(), z.string().max(10)]).optional(),
    state: z.string().max(100).optional(),
  })
  .passthrough();

/** The filter state a queue action asks for. */
export function queueStateOf(data: z.infer<typeof QueueData>): QueueState {
  if (data.state !== undefined && data.filter === undefined) return decodeQueueState(data.state);
  switch (data.filter) {
    case 'unassigned':
      return { unassigned: true, page: 1 };
    case 'mine':
      return { mine: true, page: 1 };
    case 'custom': {
      const s: QueueState = { page: 1 };
      const sev = (data.severity ?? '').trim().toUpperCase();
      if (sev === 'A' || sev === 'B' || sev === 'C') s.severity = sev;
      const days = Number(String(data.olderThanDays ?? '').trim() || NaN);
      if (Number.isInteger(days) && days >= 0 && days <= 365) s.olderThanDays = days;
      return s;
    }
    default:
      return { page: 1 };
  }
}

/** Registers the queue intent and the queue card's filter and paging verb. */
export function registerQueue(rt: RequestsRuntime): void {
  const { router, help } = rt.deps;

  const queueCard = async (ctx: BotTurn, state: QueueState): Promise<AdaptiveCard> => {
    const page = await rt.service.queue(ctx.actor.tenantId, state, ctx.actor.aadObjectId, ctx.now, state.page);
    return renderCard(QueueCard, queueCardData(ctx.t, page, state, { now: ctx.now }));
  };

  router.intent({
    name: Intent.queue,
    patterns: QUEUE_PATTERNS,
    handler: async (ctx) => {
      if (!isHelpDesk(await ctx.person())) {
        await ctx.send(renderCard(MessageCard, { title: ctx.t('requests.queue.title'), text: ctx.t('requests.error.helpDeskOnly'), quote: '', color: 'Warning', commands: [] }));
        return;
      }
      await ctx.send(await queueCard(ctx, { page: 1 }));
    },
  });
  help.add({ intent: Intent.queue, order: 60, titleKey: 'requests.help.queue.title', descriptionKey: 'requests.help.queue.description', buttonKey: 'requests.help.queue.button' });

  router.verb({
    verb: RequestsVerb.queue,
    data: QueueData,
    handler: async (ctx, data) => {
      if (!isHelpDesk(await ctx.person())) return { kind: 'error', status: 403, text: ctx.t('requests.error.helpDeskOnly') };
      return { kind: 'card', card: await queueCard(ctx, queueStateOf(data)) };
    },
  });
}
