/** Opening a request: "new request" (or a pre-filled command button) → form card → route and number. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Intent } from '../bot/intents.js';
import type { BotTurn } from '../bot/turn.js';
import { renderCard } from '../cards/render.js';
import { recognizeProduct } from '../domain/recognize.js';
import { RequestFormCard } from './cards.js';
import type { RequestsRuntime } from './runtime.js';
import type { RequestFormInput } from './service.js';
import { RequestsVerb } from './verbs.js';
import { formCardData } from './views.js';

/** "new request", "open a support request", "support ticket for azure", "새 요청", "지원 요청", "SQL Server 2019 지원 요청". */
export const NEW_REQUEST_PATTERNS: RegExp[] = [
  /^(?:(?:new|open|create|raise|start|file|log|submit)(?: (?:an?|new|a new))? (?:support |help ?desk |technical )?|support |help ?desk |technical support )(?:request|ticket|case)(?:(?: for| about| on)?:? (?<args>.+))?$/,
  /^request (?:technical )?support(?: (?:for|with|on) (?<args>.+))?$/,
  /^(?:새 |신규 )?(?:기술 )?(?:지원 )?(?:요청|티켓|케이스)(?: (?:만들기|생성|열기|등록|하기))?$/,
  /^(?<args>.+?)(?:에 대한|에 관한| 관련)? (?:새 )?(?:기술 )?지원 (?:요청|티켓|케이스)(?: (?:만들기|생성|열기|등록|하기))?$/,
];

const CreateData = z
  .object({
    formId: z.string().max(100).optional(),
    product: z.string().max(1000).optional(),
    productPick: z.string().max(200).optional(),
    for: z.string().max(40).optional(),
    customerName: z.string().max(1000).optional(),
    customerTenantId: z.string().max(200).optional(),
    severity: z.string().max(10).optional(),
    title: z.string().max(2000).optional(),
    description: z.string().max(20000).optional(),
  })
  .passthrough();

/** Text handed to the command, with the user's own capitals when it can be found in what they typed. */
function argsOf(ctx: BotTurn, match: RegExpMatchArray): string {
  const args = (match.groups?.args ?? '').trim();
  if (!args) return '';
  const original = ctx.text.normalize('NFKC').replace(/[\s\u00a0]+/g, ' ');
  const at = original.toLowerCase().lastIndexOf(args);
  return at >= 0 ? original.slice(at, at + args.length) : args;
}

/** Puts pre-filled text where it belongs: a product name in the product field, anything else (a pasted error) in the description. */
export function prefill(text: string, rt: RequestsRuntime): RequestFormInput {
  if (!text) return {};
  const r = recognizeProduct(text, rt.deps.catalog);
  if (r.kind !== 'none' || r.reason === 'unknownVersion') return { product: text.slice(0, 200) };
  return { description: text.slice(0, 4000) };
}

/** Registers the newRequest intent and the form's submit verb. */
export function registerOpen(rt: RequestsRuntime): void {
  const { router, help } = rt.deps;
  router.intent({
    name: Intent.newRequest,
    patterns: NEW_REQUEST_PATTERNS,
    handler: async (ctx, match) => {
      const card = renderCard(RequestFormCard, formCardData(ctx.t, { formId: randomUUID(), values: prefill(argsOf(ctx, match), rt) }));
      await ctx.send(card);
    },
  });
  help.add({
    intent: Intent.newRequest,
    order: 40,
    titleKey: 'requests.help.newRequest.title',
    descriptionKey: 'requests.help.newRequest.description',
    buttonKey: 'requests.help.newRequest.button',
  });

  router.verb({
    verb: RequestsVerb.create,
    data: CreateData,
    handler: async (ctx, data) => {
      const person = await ctx.person();
      if (!person) return { kind: 'error', status: 403, text: ctx.t('requests.error.unknownPerson') };
      const formId = data.formId || ctx.turn.activity.id || randomUUID();
      const checked = rt.service.validate(data, ctx.actor.tenantId);
      if (!checked.ok) {
        const card = renderCard(RequestFormCard, formCardData(ctx.t, { formId, values: data, errors: checked.errors, productChoices: checked.productChoices }));
        return { kind: 'card', card };
      }
      const { record, created } = await rt.service.create({ tenantId: ctx.actor.tenantId, requester: person, lang: ctx.lang, form: checked.value, idempotencyKey: formId, now: ctx.now });
      // The triage post (a call to Teams) runs after the answer: the requester does not wait for the channel.
      const channel = (await rt.service.settings(record.tenantId))?.helpDeskChannel;
      rt.deps.background.run('requests.postTriage', async () => {
        const posted = await rt.postTriage(record);
        if (created && !posted) await rt.tellAdminsNoChannel(record);
      });
      return { kind: 'card', card: await rt.statusCard(record, ctx.lang, { headline: created ? 'opened' : 'duplicate', posted: !!(record.channelPost || channel) }) };
    },
  });
}
