/**
 * Diagnosis conversation (issue 6): "diagnose" / "오류" asks for the message, a pasted or described error
 * anywhere is recognised, "Access ID is already associated" is resolved from what the bot knows plus at
 * most three questions, and "Was this helpful?" is recorded.
 */
import { z } from 'zod';
import type { AppDeps } from '../app-deps.js';
import { Intent } from '../bot/intents.js';
import { normalise, type CardActionResult } from '../bot/router.js';
import type { BotTurn } from '../bot/turn.js';
import { ANSWER_VALUES, RESOLUTION_I18N_KEYS } from '../domain/diagnosis.js';
import { loadKnownErrors, type KnownErrorCatalogue } from '../domain/known-errors.js';
import { DirectoryUnavailableError } from '../identity/directory.js';
import { fromRoot } from '../paths.js';
import { askCard, diagnosisCard, diagnosisUiKeys, DiagnosisText, resultCard, type CardEnv } from './cards.js';
import { answersOf, cloudPackOf, DiagnosisService, FEEDBACK_COLLECTION, MAX_PASTE_CHARS, type Diagnosis, type DiagnosisFacts, type FeedbackRecord } from './service.js';
import { DiagnosisVerb } from './verbs.js';

/** Command words; text after them ("diagnose <message>") is diagnosed at once. Fragments of normalised text. */
const EN_COMMANDS = [
  'diagnose',
  'diagnosis',
  'troubleshoot(?:ing)?',
  'error message',
  'errors?',
  '(?:explain|check) (?:this |an |my )?error',
  "(?:i |we )?(?:got|get|have|see|am getting|(?:i|we)['’]?(?:m|re) getting|are getting) (?:an|this|the|a) error(?: message)?",
];
const KO_COMMANDS = [
  '진단',
  '(?:오류|에러) ?(?:진단|메시지|해결)?',
  '문제 ?해결',
  '트러블 ?슈팅',
  '(?:오류|에러)가 ?(?:났어요|나요|났습니다|납니다|발생했어요|발생했습니다|떠요|떴어요|있어요)',
];
/** After the command: nothing, or a separator (": ", " - ", a space) and the text. */
const ARGS = '(?:(?: ?[:\\-–] ?| )(?<args>.+))?';

/** The intent patterns (normalised text), English then Korean. */
export const DIAGNOSE_PATTERNS: readonly RegExp[] = [
  new RegExp(`^(?:${EN_COMMANDS.join('|')})${ARGS}$`, 'u'),
  new RegExp(`^(?:${KO_COMMANDS.join('|')})${ARGS}$`, 'u'),
];
const COMMAND_PREFIX = new RegExp(`^\\s*(?:${[...EN_COMMANDS, ...KO_COMMANDS].join('|')})(?:\\s*[:\\-–]\\s*|\\s+)`, 'iu');

/** The text after the command as the person wrote it (case and punctuation kept), else the normalised args. */
export function pastedText(original: string, args: string): string {
  const text = original.trim();
  if (normalise(text) === args) return text; // a command button handed the text over as is
  const rest = text.replace(COMMAND_PREFIX, '');
  return rest !== text && normalise(rest) === args ? rest.trim() : args;
}

const answerField = z
  .enum([...ANSWER_VALUES, ''])
  .optional()
  .transform((v) => (v ? v : undefined));
const answerFields = { associatedBefore: answerField, contractExpired: answerField, incidentsLeft: answerField };
const pasted = z.string().max(MAX_PASTE_CHARS);
const entryId = z.string().min(1).max(64);
const boolish = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

const runData = z.object({ text: pasted.default('') });
const chooseData = z.object({ entryId, text: pasted.min(1) });
const answerData = z.object({ message: z.enum(['tam', 'generic']), text: pasted.default(''), ...answerFields });
const feedbackData = z.object({ entryId, helpful: boolish, text: pasted.default(''), ...answerFields });

/** Registers the diagnose intent, the free-text error recognizer, the card verbs and the help entry. */
export function registerDiagnosis(deps: AppDeps, catalogue: KnownErrorCatalogue = loadKnownErrors(fromRoot('data'))): void {
  const { router, help, policy } = deps;
  checkStrings(deps, catalogue);
  const service = new DiagnosisService(catalogue);
  const feedback = deps.store.collection<FeedbackRecord>(FEEDBACK_COLLECTION);

  /** What the bot knows for this turn; an unavailable directory only means the person is not known. */
  async function factsFor(ctx: BotTurn): Promise<DiagnosisFacts> {
    const org = deps.directory.organisation();
    let person: DiagnosisFacts['person'];
    try {
      const found = await ctx.person();
      person = found ? { aadObjectId: found.aadObjectId } : undefined;
    } catch (err) {
      if (!(err instanceof DirectoryUnavailableError)) throw err;
      ctx.log.warn({ error: err.name }, 'directory unavailable: diagnosis asks instead');
    }
    const benefits = await deps.benefits.publicState(org.tenantId);
    return { org, benefits, person, today: ctx.now.toISOString().slice(0, 10), cloudPack: cloudPackOf(org, policy) };
  }

  function envFor(ctx: BotTurn, text: string): CardEnv {
    return {
      t: ctx.t,
      text,
      canRequest: router.getIntent(Intent.newRequest) !== undefined,
      canActivate: router.getIntent(Intent.activate) !== undefined,
      newRequestCommand: Intent.newRequest,
      activateCommand: Intent.activate,
      diagnoseCommand: Intent.diagnose,
    };
  }

  /** One log line per diagnosis: kinds and ids only, never the pasted text (it may hold IDs). */
  function logged(ctx: BotTurn, d: Diagnosis, via: string): Diagnosis {
    ctx.log.info(
      {
        via,
        diagnosis: d.kind,
        entryId: 'entry' in d ? d.entry.id : undefined,
        scenario: d.kind === 'verdict' ? d.verdict.scenario : undefined,
        questions: d.kind === 'questions' ? d.questions.length : undefined,
        candidates: d.kind === 'choose' ? d.candidates.map((c) => c.id) : undefined,
      },
      'diagnosis',
    );
    return d;
  }

  async function diagnose(ctx: BotTurn, text: string, via: string) {
    const d = logged(ctx, service.diagnose(text, await factsFor(ctx)), via);
    return diagnosisCard(d, envFor(ctx, text));
  }

  router.intent({
    name: Intent.diagnose,
    patterns: [...DIAGNOSE_PATTERNS],
    handler: async (ctx, match) => {
      const args = (match.groups?.args ?? '').trim();
      if (!args) return ctx.send(askCard(ctx.t));
      await ctx.send(await diagnose(ctx, pastedText(ctx.text, args), 'command'));
    },
  });

  router.recognizer({
    name: 'diagnosis.error',
    intent: Intent.diagnose,
    score: (text) => service.score(text),
    handler: async (ctx) => ctx.send(await diagnose(ctx, ctx.text, 'freeText')),
  });

  router.verb({
    verb: DiagnosisVerb.run,
    data: runData,
    handler: async (ctx, data): Promise<CardActionResult> => {
      const text = data.text.trim();
      if (!text) return { kind: 'card', card: askCard(ctx.t, ctx.t(DiagnosisText.askEmpty)) };
      return { kind: 'card', card: await diagnose(ctx, text, 'askCard') };
    },
  });

  router.verb({
    verb: DiagnosisVerb.choose,
    data: chooseData,
    handler: async (ctx, data): Promise<CardActionResult> => {
      const entry = service.chosen(data.text, data.entryId);
      if (!entry) return refuse(ctx, 'choice not among the candidates of the text');
      const d = logged(ctx, service.explain(entry, await factsFor(ctx)), 'choose');
      return { kind: 'card', card: diagnosisCard(d, envFor(ctx, data.text)) };
    },
  });

  router.verb({
    verb: DiagnosisVerb.answer,
    data: answerData,
    handler: async (ctx, data): Promise<CardActionResult> => {
      const entry = service.entryFor(data.message);
      if (!entry) return refuse(ctx, 'no catalogue entry for the message kind');
      const d = logged(ctx, service.explain(entry, await factsFor(ctx), answersOf(data)), 'answers');
      return { kind: 'card', card: diagnosisCard(d, envFor(ctx, data.text)) };
    },
  });

  router.verb({
    verb: DiagnosisVerb.feedback,
    data: feedbackData,
    handler: async (ctx, data): Promise<CardActionResult> => {
      const entry = service.entry(data.entryId);
      if (!entry) return refuse(ctx, 'unknown entry');
      if (ctx.trigger === 'automatic') return refuse(ctx, 'feedback is a click, never a refresh');
      // The verdict is worked out again from the current state and the answers: the card's word is not taken for it.
      const d = service.explain(entry, await factsFor(ctx), answersOf(data));
      const env = envFor(ctx, data.text);
      if (d.kind !== 'explanation' && d.kind !== 'verdict') return { kind: 'card', card: diagnosisCard(d, env) };
      const scenario = d.kind === 'verdict' ? d.verdict.scenario : undefined;
      const record = await feedback.insert(
        service.feedbackRecord({ entryId: entry.id, scenario, helpful: data.helpful, at: ctx.now, tenantId: ctx.actor.tenantId, aadObjectId: ctx.actor.aadObjectId }),
      );
      await deps.store.audit.record({
        tenantId: ctx.actor.tenantId,
        actor: ctx.actor.aadObjectId,
        action: 'diagnosis.feedback',
        subject: record.id,
        details: { entryId: entry.id, scenario: scenario ?? null, helpful: data.helpful },
      });
      ctx.log.info({ entryId: entry.id, scenario, helpful: data.helpful }, 'diagnosis feedback');
      return { kind: 'card', card: resultCard(d, env, data.helpful) };
    },
  });

  help.add({
    intent: Intent.diagnose,
    order: 40,
    titleKey: DiagnosisText.helpTitle,
    descriptionKey: DiagnosisText.helpDescription,
    buttonKey: DiagnosisText.helpButton,
  });

  /** A refusal of card data that does not fit (forged, or from an older catalogue). */
  function refuse(ctx: BotTurn, why: string): CardActionResult {
    ctx.log.warn({ why }, 'diagnosis card data refused');
    return { kind: 'error', status: 400, text: ctx.t(DiagnosisText.badCard) };
  }
}

/** Start-up check: every string the catalogue and the cards need exists in English and Korean. */
function checkStrings(deps: AppDeps, catalogue: KnownErrorCatalogue): void {
  const keys = [
    ...catalogue.entries.flatMap((e) => [e.explanation, ...e.steps.map((s) => s.key)]),
    ...RESOLUTION_I18N_KEYS,
    ...diagnosisUiKeys(catalogue),
  ];
  const missing = keys.filter((k) => !deps.i18n.has('en', k) || !deps.i18n.has('ko', k));
  if (missing.length > 0) throw new Error(`Diagnosis: strings missing in src/i18n/locales/{en,ko}/diagnosis.json: ${[...new Set(missing)].join(', ')}`);
}
