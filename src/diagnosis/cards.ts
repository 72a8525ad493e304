/** The diagnosis cards: one typed template per cards/diagnosis.*.json, their i18n keys, and the builders from a Diagnosis. */
import type { CommandButton } from '../cards/common.js';
import { MessageCard } from '../cards/common.js';
import { clip, defineCard, renderCard, type AdaptiveCard } from '../cards/render.js';
import type { Answers, AnswerValue, QuestionId, Scenario, Verdict } from '../domain/diagnosis.js';
import type { AlreadyAssociatedMessage, KnownError, KnownErrorCatalogue, Step } from '../domain/known-errors.js';
import { Links, type LinkName } from '../domain/links.js';
import type { Translate } from '../i18n/i18n.js';
import { MAX_PASTE_CHARS, type Diagnosis } from './service.js';
import type { LinkButton } from '../cards/common.js';
export type { LinkButton };

/** Every i18n key the cards use besides the catalogue's own (explanations, steps, questions). */
export const DiagnosisText = {
  helpTitle: 'diagnosis.help.title',
  helpDescription: 'diagnosis.help.description',
  helpButton: 'diagnosis.help.button',
  askTitle: 'diagnosis.ask.title',
  askIntro: 'diagnosis.ask.intro',
  askLabel: 'diagnosis.ask.label',
  askPlaceholder: 'diagnosis.ask.placeholder',
  askRequired: 'diagnosis.ask.required',
  askEmpty: 'diagnosis.ask.empty',
  askButton: 'diagnosis.ask.button',
  youWrote: 'diagnosis.card.youWrote',
  whatToDo: 'diagnosis.card.whatToDo',
  moreInfo: 'diagnosis.card.moreInfo',
  helpfulQuestion: 'diagnosis.card.helpfulQuestion',
  helpfulYes: 'diagnosis.card.helpfulYes',
  helpfulNo: 'diagnosis.card.helpfulNo',
  thanksHelpful: 'diagnosis.card.thanksHelpful',
  thanksNotHelpful: 'diagnosis.card.thanksNotHelpful',
  stillStuck: 'diagnosis.card.stillStuck',
  requestActivation: 'diagnosis.card.requestActivation',
  chooseTitle: 'diagnosis.choose.title',
  chooseText: 'diagnosis.choose.text',
  chooseButton: 'diagnosis.choose.button',
  noneOfThese: 'diagnosis.choose.noneOfThese',
  questionsIntro: 'diagnosis.questionCard.intro',
  questionsSubmit: 'diagnosis.questionCard.submit',
  questionsRequired: 'diagnosis.questionCard.required',
  questionsIncomplete: 'diagnosis.questionCard.incomplete',
  lookItUp: 'diagnosis.questionCard.lookItUp',
  unknownTitle: 'diagnosis.unknown.title',
  unknownText: 'diagnosis.unknown.text',
  unknownTextNoRequest: 'diagnosis.unknown.textNoRequest',
  unknownRequest: 'diagnosis.unknown.request',
  unknownRetry: 'diagnosis.unknown.retry',
  badCard: 'diagnosis.error.badCard',
} as const;

/** Title of a catalogue entry (its message in a few words). */
export const titleKey = (entryId: string): string => `diagnosis.titles.${entryId}`;
/** Label of a link button. */
export const linkKey = (link: LinkName): string => `diagnosis.links.${link}`;

/** Headline and colour of each verdict. */
const VERDICT_HEADLINE: Record<Scenario, { key: string; color: Colour }> = {
  D1: { key: 'diagnosis.verdicts.D1', color: 'Good' },
  D2: { key: 'diagnosis.verdicts.D2', color: 'Good' },
  D3: { key: 'diagnosis.verdicts.D3', color: 'Attention' },
  D4: { key: 'diagnosis.verdicts.D4', color: 'Attention' },
  notActivated: { key: 'diagnosis.verdicts.notActivated', color: 'Warning' },
  unknown: { key: 'diagnosis.verdicts.unknown', color: 'Default' },
};

/** Every key this module may translate for a catalogue, so tests and start-up can check the locale files. */
export function diagnosisUiKeys(catalogue: KnownErrorCatalogue): string[] {
  return [
    ...Object.values(DiagnosisText),
    ...catalogue.entries.map((e) => titleKey(e.id)),
    ...Object.values(VERDICT_HEADLINE).map((h) => h.key),
    ...(Object.keys(Links) as LinkName[]).map(linkKey),
  ];
}

type Colour = 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';

/** Answers as card data: every question id present, '' when not answered. */
export type AnswerFields = Record<QuestionId, AnswerValue | ''>;

export interface AskCardData {
  title: string;
  intro: string;
  /** A refusal shown above the input ('' for none). */
  error: string;
  label: string;
  placeholder: string;
  requiredMessage: string;
  /** The text to pre-fill ('' for none). */
  value: string;
  maxLength: number;
  button: string;
}
export const AskCard = defineCard<AskCardData>('diagnosis.ask');

export interface StepLine {
  n: string;
  /** Our own text (locale files). */
  text: string;
  hasLink: boolean;
  linkTitle: string;
  url: string;
}

export interface FeedbackData extends AnswerFields {
  entryId: string;
  helpful: boolean;
  text: string;
}

export interface ResultCardData {
  title: string;
  /** The verdict in a few words ('' for a plain explanation). */
  headline: string;
  headlineColor: Colour;
  quoteLabel: string;
  /** The pasted text, shown verbatim in a TextRun ('' for none). */
  quote: string;
  reason: string;
  /** A second reason ('' for none). */
  detail: string;
  stepsTitle: string;
  steps: StepLine[];
  moreTitle: string;
  more: LinkButton[];
  askFeedback: boolean;
  feedbackQuestion: string;
  yesTitle: string;
  noTitle: string;
  yesData: FeedbackData;
  noData: FeedbackData;
  /** The thank-you line after a feedback click ('' before). */
  thanks: string;
  commands: CommandButton[];
}
export const ResultCard = defineCard<ResultCardData>('diagnosis.result');

export interface ChooseCardData {
  title: string;
  text: string;
  quoteLabel: string;
  quote: string;
  candidates: { title: string; explanation: string; button: string; data: { entryId: string; text: string } }[];
  commands: CommandButton[];
}
export const ChooseCard = defineCard<ChooseCardData>('diagnosis.choose');

export interface QuestionsCardData {
  title: string;
  intro: string;
  quoteLabel: string;
  quote: string;
  /** A warning when the card came back incomplete ('' for none). */
  warning: string;
  questions: {
    id: QuestionId;
    label: string;
    value: AnswerValue | '';
    requiredMessage: string;
    choices: { title: string; value: AnswerValue }[];
    hasLink: boolean;
    linkTitle: string;
    url: string;
  }[];
  submitTitle: string;
  submitData: { message: AlreadyAssociatedMessage; text: string };
  commands: CommandButton[];
}
export const QuestionsCard = defineCard<QuestionsCardData>('diagnosis.questions');

/** What the cards need besides the diagnosis: the language, the text, which other commands exist. */
export interface CardEnv {
  t: Translate;
  /** The pasted text ('' when unknown). */
  text: string;
  /** Whether the help desk request command (Intent.newRequest) is registered. */
  canRequest: boolean;
  /** Whether the activation command (Intent.activate) is registered. */
  canActivate: boolean;
  newRequestCommand: string;
  activateCommand: string;
  diagnoseCommand: string;
}

/** Pasted text shown on a card. */
const QUOTE_CHARS = 600;
/** The core command.run verb accepts args up to this length. */
const ARGS_CHARS = 500;

/** The ask card: "paste the message", with an optional refusal line. */
export function askCard(t: Translate, error = '', value = ''): AdaptiveCard {
  return renderCard(AskCard, {
    title: t(DiagnosisText.askTitle),
    intro: t(DiagnosisText.askIntro),
    error,
    label: t(DiagnosisText.askLabel),
    placeholder: t(DiagnosisText.askPlaceholder),
    requiredMessage: t(DiagnosisText.askRequired),
    value,
    maxLength: MAX_PASTE_CHARS,
    button: t(DiagnosisText.askButton),
  });
}

function emptyAnswers(): AnswerFields {
  return { associatedBefore: '', contractExpired: '', incidentsLeft: '' };
}

function answerFields(answers: Partial<Answers>): AnswerFields {
  return { ...emptyAnswers(), ...answers };
}

function stepLines(steps: Step[], t: Translate): StepLine[] {
  return steps.map((s, i) => ({
    n: `${i + 1}.`,
    text: t(s.key),
    hasLink: s.link !== undefined,
    linkTitle: s.link ? t(linkKey(s.link)) : '',
    url: s.link ? Links[s.link] : '',
  }));
}

function requestButton(env: CardEnv, titleKey: string): CommandButton[] {
  return env.canRequest ? [{ title: env.t(titleKey), command: env.newRequestCommand, args: clip(env.text, ARGS_CHARS) }] : [];
}

function quoteOf(env: CardEnv): { quoteLabel: string; quote: string } {
  return { quoteLabel: env.t(DiagnosisText.youWrote), quote: clip(env.text, QUOTE_CHARS) };
}

/** The explanation or verdict card; `helpful` set = the thank-you version after a feedback click. */
export function resultCard(d: Extract<Diagnosis, { kind: 'explanation' | 'verdict' }>, env: CardEnv, helpful?: boolean): AdaptiveCard {
  const { t } = env;
  const entry = d.entry;
  const verdict: Verdict | undefined = d.kind === 'verdict' ? d.verdict : undefined;
  const steps = verdict ? verdict.steps : entry.steps;
  const stepLinks = new Set(steps.map((s) => s.link).filter((l): l is LinkName => l !== undefined));
  const more = entry.links.filter((l) => !stepLinks.has(l)).map((l) => ({ title: t(linkKey(l)), url: Links[l] }));
  const offersActivation = steps.some((s) => s.key === 'diagnosis.steps.requestActivation');
  const feedback = (yes: boolean): FeedbackData => ({
    entryId: entry.id,
    helpful: yes,
    text: clip(env.text, MAX_PASTE_CHARS),
    ...answerFields(d.kind === 'verdict' ? d.answers : {}),
  });
  const headline = verdict ? VERDICT_HEADLINE[verdict.scenario] : undefined;
  return renderCard(ResultCard, {
    title: t(titleKey(entry.id)),
    headline: headline ? t(headline.key) : '',
    headlineColor: headline?.color ?? 'Default',
    ...quoteOf(env),
    reason: verdict ? t(verdict.reasonKey, verdict.params) : t(entry.explanation),
    detail: verdict?.detailKey ? t(verdict.detailKey, verdict.params) : '',
    stepsTitle: t(DiagnosisText.whatToDo),
    steps: stepLines(steps, t),
    moreTitle: t(DiagnosisText.moreInfo),
    more,
    askFeedback: helpful === undefined,
    feedbackQuestion: t(DiagnosisText.helpfulQuestion),
    yesTitle: t(DiagnosisText.helpfulYes),
    noTitle: t(DiagnosisText.helpfulNo),
    yesData: feedback(true),
    noData: feedback(false),
    thanks: helpful === undefined ? '' : t(helpful ? DiagnosisText.thanksHelpful : DiagnosisText.thanksNotHelpful),
    commands: [
      ...(offersActivation && env.canActivate ? [{ title: t(DiagnosisText.requestActivation), command: env.activateCommand, args: '' }] : []),
      ...requestButton(env, DiagnosisText.stillStuck),
    ],
  });
}

/** The questions card: at most three choice sets and one submit carrying the message kind. */
export function questionsCard(d: Extract<Diagnosis, { kind: 'questions' }>, env: CardEnv): AdaptiveCard {
  const { t } = env;
  return renderCard(QuestionsCard, {
    title: t(titleKey(d.entry.id)),
    intro: `${t(d.entry.explanation)} ${t(DiagnosisText.questionsIntro)}`,
    ...quoteOf(env),
    warning: d.incomplete ? t(DiagnosisText.questionsIncomplete) : '',
    questions: d.questions.map((q) => ({
      id: q.id,
      label: t(q.key),
      value: d.answers[q.id] ?? '',
      requiredMessage: t(DiagnosisText.questionsRequired),
      choices: q.options.map((o) => ({ title: t(o.key), value: o.value })),
      hasLink: q.link !== undefined,
      linkTitle: q.link ? `${t(DiagnosisText.lookItUp)}: ${t(linkKey(q.link))}` : '',
      url: q.link ? Links[q.link] : '',
    })),
    submitTitle: t(DiagnosisText.questionsSubmit),
    submitData: { message: d.message, text: clip(env.text, MAX_PASTE_CHARS) },
    commands: requestButton(env, DiagnosisText.stillStuck),
  });
}

/** "Which one did you mean?" with one button per close candidate. */
export function chooseCard(candidates: KnownError[], env: CardEnv): AdaptiveCard {
  const { t } = env;
  return renderCard(ChooseCard, {
    title: t(DiagnosisText.chooseTitle),
    text: t(DiagnosisText.chooseText),
    ...quoteOf(env),
    candidates: candidates.map((c) => ({
      title: t(titleKey(c.id)),
      explanation: t(c.explanation),
      button: t(DiagnosisText.chooseButton),
      data: { entryId: c.id, text: clip(env.text, MAX_PASTE_CHARS) },
    })),
    commands: requestButton(env, DiagnosisText.noneOfThese),
  });
}

/** Not a known message: say so, offer the help desk request with the text, or another try. */
export function unknownCard(env: CardEnv): AdaptiveCard {
  const { t } = env;
  return renderCard(MessageCard, {
    title: t(DiagnosisText.unknownTitle),
    text: t(env.canRequest ? DiagnosisText.unknownText : DiagnosisText.unknownTextNoRequest),
    quote: clip(env.text, QUOTE_CHARS),
    color: 'Default',
    commands: [...requestButton(env, DiagnosisText.unknownRequest), { title: t(DiagnosisText.unknownRetry), command: env.diagnoseCommand, args: '' }],
  });
}

/** The card of any diagnosis. */
export function diagnosisCard(d: Diagnosis, env: CardEnv): AdaptiveCard {
  switch (d.kind) {
    case 'explanation':
    case 'verdict':
      return resultCard(d, env);
    case 'questions':
      return questionsCard(d, env);
    case 'choose':
      return chooseCard(d.candidates, env);
    case 'none':
      return unknownCard(env);
  }
}
