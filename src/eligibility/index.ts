/**
 * Eligibility conversation (issue 3, part 5): "is X covered", "which portal for X", "X 지원되나요" and bare
 * product names → the engine's decision as a card; ambiguous or unknown products → a card to pick from.
 */
import { z } from 'zod';
import type { AppDeps } from '../app-deps.js';
import { Intent } from '../bot/intents.js';
import type { CardActionResult } from '../bot/router.js';
import type { BotTurn } from '../bot/turn.js';
import { renderCard } from '../cards/render.js';
import { DirectoryUnavailableError } from '../identity/directory.js';
import { answerCard, AskCard, askCardData, type CardEnv } from './cards.js';
import { answerProduct, answerQuery, answerQuestion, isoDay, mentionsCustomer, scoreFreeText, type Answer, type EligibilityInputs } from './service.js';
import { EligibilityVerb } from './verbs.js';

/** English and Korean ways of asking; `product` is captured where the sentence names one. */
export const ELIGIBILITY_PATTERNS: readonly RegExp[] = [
  // "am i covered", "are we covered for sql 2022", "is my customer eligible for azure"
  /^(?:am i|are we|is my customer|is our customer) (?:still )?(?:covered|eligible|entitled|supported)(?: (?:for|with|on) (?<product>.+))?$/,
  // "is sql server 2022 covered", "is azure supported for a customer", "are exchange servers still covered by our benefits"
  /^(?:is|are) (?<product>.+?) (?:still |currently |also )?(?:covered|supported|eligible|in scope|included)(?: (?:for|by|under|with|on|in|as) .*)?$/,
  // "eligibility", "eligibility for sql 2019", "check coverage of azure"
  /^(?:check )?(?:my |our )?(?:eligibility|coverage|entitlement|support coverage)(?: (?:for|of|on) (?<product>.+))?$/,
  // "what is covered", "what's covered"
  /^what(?:'s| is| does| do)? (?:covered|supported)(?: by (?:our|my|the) (?:benefits?|contract|support))?$/,
  // "can we get support for azure", "could i open support for sql 2019"
  /^(?:can|could|do|does|will|would) (?:we|i|you|my team|our team) (?:get|open|have|use|request|receive) (?:partner |technical |microsoft )?support (?:for|with|on) (?<product>.+)$/,
  // "which portal for azure", "what portal should i use for dynamics 365", "which portal"
  /^(?:which|what) (?:support )?portal(?: (?:do|should|can) (?:i|we) use| to use| is it)?(?: for (?<product>.+))?$/,
  // "where do i open a request for exchange 2019", "where can we create a support ticket"
  /^where (?:do|can|should|would) (?:i|we) (?:open|create|file|raise|log|submit|make) (?:a |an |the )?(?:support )?(?:request|ticket|case|incident)(?: (?:for|about|on) (?<product>.+))?$/,
  // "sql server 2019 지원되나요", "애저는 지원 대상인가요", "윈도우 서버 2022 고객용으로 지원 가능한가요"
  /^(?<product>.+?) ?(?:지원|커버)(?: ?대상)? ?(?:이 ?)?(?:되나요|되나|되니|되는지|되는지요|돼요|돼|되요|됩니까|되냐|될까요|되는 ?건가요|되는 ?거죠|가능한가요|가능해요|가능한지|가능|인가요|인가|인지|인지요|이에요|예요|입니까|이야|이나요|여부)(?: .*)?$/,
  // "exchange 2019 어디서 요청", "애저는 어디에서 지원 요청하나요"
  /^(?<product>.+?) (?:어디서|어디에서|어디에|어디로) ?(?:지원 ?)?(?:요청|문의|신청|케이스|티켓|접수)(?:.*)?$/,
  // "sql 2022 요청은 어디서 하나요"
  /^(?<product>.+?) (?:지원 ?)?(?:요청|문의|케이스|티켓)(?:은|는|을|를)? (?:어디서|어디에서|어디에|어디로)(?:.*)?$/,
  // "애저는 어느 포털", "다이나믹스 어떤 포털에서 요청하나요"
  /^(?<product>.+?) (?:어느|어떤|무슨) ?포털(?:.*)?$/,
  // "지원 범위", "지원 대상 확인", "어느 포털에서 요청하나요"
  /^(?:지원 ?범위|지원 ?대상|지원 ?자격|자격 ?확인|혜택 ?범위|적용 ?범위)(?: ?(?:확인|알려 ?줘|알려 ?주세요|은|는|이 ?뭔가요|가 ?어떻게 ?되나요))?$/,
  /^(?:어느|어떤|무슨) ?포털(?:.*)?$/,
];

const boolish = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const productData = z.object({
  familyId: z.string().min(1).max(64),
  versionId: z
    .string()
    .max(64)
    .optional()
    .transform((v) => (v ? v : undefined)),
  onBehalfOfCustomer: boolish.default(false),
});
const checkData = z.object({
  product: z.string().max(200).default(''),
  onBehalfOfCustomer: boolish.default(false),
});

/** Registers the eligibility intent, the free-text product recognizer, the card verbs and the help entry. */
export function registerEligibility(deps: AppDeps): void {
  const { router, help, catalog, policy } = deps;

  /** The engine's inputs for this turn; an unavailable directory gives general guidance, not a failure. */
  async function inputsFor(ctx: BotTurn): Promise<EligibilityInputs> {
    const org = deps.directory.organisation();
    let person: EligibilityInputs['person'];
    try {
      person = await ctx.person();
    } catch (err) {
      if (!(err instanceof DirectoryUnavailableError)) throw err;
      ctx.log.warn({ error: err.name }, 'directory unavailable: eligibility answered as general guidance');
      person = undefined;
    }
    const benefits = await deps.benefits.publicState(org.tenantId);
    return { org, person, benefits, today: isoDay(ctx.now), policy, catalog };
  }

  function envFor(ctx: BotTurn, inputs: EligibilityInputs, quote: string): CardEnv {
    return {
      t: ctx.t,
      policy,
      catalog,
      benefits: inputs.benefits,
      person: inputs.person,
      commands: { newRequest: router.getIntent(Intent.newRequest) !== undefined, ids: router.getIntent(Intent.ids) !== undefined },
      quote,
      today: inputs.today,
    };
  }

  function logAnswer(ctx: BotTurn, answer: Answer): void {
    if (answer.kind === 'decision') {
      const d = answer.decision;
      ctx.log.info({ answer: answer.kind, familyId: answer.product.familyId, versionId: answer.product.versionId, covered: d.covered, reasons: d.reasons, onBehalfOfCustomer: answer.onBehalfOfCustomer }, 'eligibility');
    } else {
      ctx.log.info({ answer: answer.kind, onBehalfOfCustomer: answer.onBehalfOfCustomer }, 'eligibility');
    }
  }

  async function reply(ctx: BotTurn, answerOf: (inputs: EligibilityInputs) => Answer, quote: string): Promise<void> {
    const inputs = await inputsFor(ctx);
    const answer = answerOf(inputs);
    logAnswer(ctx, answer);
    if (answer.kind === 'decision') {
      const family = catalog.byId.get(answer.product.familyId);
      // "and 2016?" next: the same family, another version.
      if (family) ctx.setTopic({ product: { familyId: family.id, label: answer.label, familyName: family.name } });
    }
    await ctx.send(answerCard(answer, envFor(ctx, inputs, quote)));
  }

  router.intent({
    name: Intent.eligibility,
    patterns: [...ELIGIBILITY_PATTERNS],
    handler: async (ctx, match) => {
      // From a pattern: the captured product; from a command button: its args (possibly the whole message).
      const named = (match.groups?.product ?? match.groups?.args ?? '').trim();
      const onBehalfOfCustomer = mentionsCustomer(ctx.text) || mentionsCustomer(named);
      await reply(ctx, (inputs) => answerQuery(named, onBehalfOfCustomer, inputs), named ? ctx.text : '');
    },
  });

  router.recognizer({
    name: 'eligibility.product',
    intent: Intent.eligibility,
    score: (text) => scoreFreeText(text, catalog),
    handler: (ctx) => reply(ctx, (inputs) => answerQuestion(ctx.text, inputs), ctx.text),
  });

  router.verb({
    verb: EligibilityVerb.check,
    data: checkData,
    handler: async (ctx, data): Promise<CardActionResult> => {
      const product = data.product.trim();
      if (product === '') {
        return { kind: 'card', card: renderCard(AskCard, askCardData(data.onBehalfOfCustomer, ctx, ctx.t('eligibility.ask.empty'))) };
      }
      const inputs = await inputsFor(ctx);
      const answer = answerQuery(product, data.onBehalfOfCustomer || mentionsCustomer(product), inputs);
      logAnswer(ctx, answer);
      return { kind: 'card', card: answerCard(answer, envFor(ctx, inputs, product)) };
    },
  });

  const onProduct = async (ctx: BotTurn, data: z.infer<typeof productData>): Promise<CardActionResult> => {
    const inputs = await inputsFor(ctx);
    const answer = answerProduct({ familyId: data.familyId, versionId: data.versionId }, data.onBehalfOfCustomer, inputs);
    if (!answer) {
      ctx.log.warn({ familyId: data.familyId.slice(0, 64) }, 'eligibility: product not in the catalogue');
      return { kind: 'error', status: 400, text: ctx.t('eligibility.error.unknownProduct') };
    }
    logAnswer(ctx, answer);
    return { kind: 'card', card: answerCard(answer, envFor(ctx, inputs, '')) };
  };
  router.verb({ verb: EligibilityVerb.pick, data: productData, handler: onProduct });
  router.verb({ verb: EligibilityVerb.recheck, data: productData, handler: onProduct });

  help.add({
    intent: Intent.eligibility,
    order: 20,
    titleKey: 'eligibility.help.title',
    descriptionKey: 'eligibility.help.description',
    buttonKey: 'eligibility.help.button',
  });
}
