/** "my requests" (the requester's own, with their status) and "status of PSA-12" (the requester or the help desk). */
import { Intent } from '../bot/intents.js';
import type { BotTurn } from '../bot/turn.js';
import { MessageCard } from '../cards/common.js';
import { escapeMarkdown, renderCard } from '../cards/render.js';
import { isHelpDesk } from '../domain/org.js';
import { loadEntityPatterns } from '../nlu/entities.js';
import type { RequestRecord } from './model.js';
import type { RequestsRuntime } from './runtime.js';

/** The newest requests "my requests" lists; each gets a button to its status card. */
const MINE_SHOWN = 5;

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Registers the myRequests and requestStatus intents (reached by the classifier and by their buttons). */
export function registerMine(rt: RequestsRuntime): void {
  const { router } = rt.deps;
  const numberPatterns = loadEntityPatterns().requestNumber;
  const numberIn = (text: string): number | undefined => {
    for (const p of numberPatterns) {
      const n = p.exec(text)?.groups?.n;
      if (n) return Number(n);
    }
    const bare = /^\s*(\d{1,6})\s*$/.exec(text);
    return bare ? Number(bare[1]) : undefined;
  };
  const requests = rt.deps.store.collection<RequestRecord>('requests');

  const statusName = (ctx: BotTurn, r: RequestRecord) => ctx.t(`requests.statusName.${r.status}`);

  router.intent({
    name: Intent.myRequests,
    patterns: [/^my (?:support )?requests$/, /^내 (?:지원 )?요청(?: 목록)?$/],
    handler: async (ctx) => {
      const me = ctx.actor.aadObjectId;
      const mine = me ? await requests.list((r) => sameId(r.tenantId, ctx.actor.tenantId) && sameId(r.requester.aadObjectId, me)) : [];
      mine.sort((a, b) => b.number - a.number);
      if (!mine.length) {
        return ctx.send(renderCard(MessageCard, { title: ctx.t('mine.title'), text: ctx.t('mine.none'), quote: '', color: 'Default', commands: [{ title: ctx.t('talk.intent.newRequest'), command: Intent.newRequest, args: '' }] }));
      }
      const lines = mine.slice(0, MINE_SHOWN * 2).map((r) => ctx.t('mine.line', { key: r.key, status: statusName(ctx, r), product: escapeMarkdown(r.product.label) }));
      await ctx.send(
        renderCard(MessageCard, {
          title: ctx.t('mine.title'),
          text: [ctx.t('mine.count', { count: mine.length }), ...lines.map((l) => `- ${l}`)].join('\n'),
          quote: '',
          color: 'Default',
          commands: mine.slice(0, MINE_SHOWN).map((r) => ({ title: r.key, command: Intent.requestStatus, args: r.key })),
        }),
      );
    },
  });

  router.intent({
    name: Intent.requestStatus,
    patterns: [/^(?:status(?: of)? )?psa[ -]?(?<args>\d{1,6})$/],
    handler: async (ctx, match) => {
      const n = numberIn(match.groups?.args ?? ctx.text);
      if (n === undefined) return ctx.send(renderCard(MessageCard, { title: ctx.t('mine.statusTitle'), text: ctx.t('mine.askNumber'), quote: '', color: 'Default', commands: [{ title: ctx.t('talk.intent.myRequests'), command: Intent.myRequests, args: '' }] }));
      const person = await ctx.person();
      const found = (await requests.list((r) => sameId(r.tenantId, ctx.actor.tenantId) && r.number === n))[0];
      // Somebody else's request is "not found" too: the answer does not tell whether it exists.
      const mayRead = found && (isHelpDesk(person) || (!!ctx.actor.aadObjectId && sameId(found.requester.aadObjectId, ctx.actor.aadObjectId)));
      if (!found || !mayRead) {
        return ctx.send(renderCard(MessageCard, { title: ctx.t('mine.statusTitle'), text: ctx.t('mine.notFound', { number: n }), quote: '', color: 'Warning', commands: [{ title: ctx.t('talk.intent.myRequests'), command: Intent.myRequests, args: '' }] }));
      }
      await ctx.send(await rt.statusCard(found, ctx.lang, { headline: 'current' }));
    },
  });
}
