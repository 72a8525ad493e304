/**
 * Resolution of the Azure portal error "Access ID is already associated …" (shared/domain.md D1-D4).
 * Decides from what the bot knows (organisation, benefits state, person) and asks only for the rest.
 */
import type { LinkName } from './links.js';
import type { AlreadyAssociatedMessage, I18nKey, RuleId, Step } from './known-errors.js';
import { membershipTier, type BenefitsState, type Organisation } from './org.js';

export type Scenario = 'D1' | 'D2' | 'D3' | 'D4' | 'notActivated' | 'unknown';

export const QUESTION_IDS = ['associatedBefore', 'contractExpired', 'incidentsLeft'] as const;
export type QuestionId = (typeof QUESTION_IDS)[number];
export const ANSWER_VALUES = ['yes', 'no', 'unsure'] as const;
export type AnswerValue = (typeof ANSWER_VALUES)[number];
export type Answers = Record<QuestionId, AnswerValue>;

export interface Question {
  id: QuestionId;
  key: I18nKey;
  options: { value: AnswerValue; key: I18nKey }[];
  /** Where the person can look the answer up. */
  link?: LinkName;
}

/**
 * Signature Cloud Support allowance of the organisation (E4/E5): `limited` is the 5/10-pack of an
 * organisation without a cloud competency, `unlimited` comes with a cloud competency.
 */
export type CloudPack = 'limited' | 'unlimited';

export interface AlreadyAssociatedInput {
  message: AlreadyAssociatedMessage;
  org: Organisation;
  benefits: BenefitsState | undefined;
  person: { aadObjectId: string } | undefined;
  /** ISO date yyyy-mm-dd. */
  today: string;
  /** From the entitlement policy (e.g. holdsCloudCompetency); omitted = not known, so incidents are not asked about. */
  cloudPack?: CloudPack;
  answers?: Partial<Answers>;
}

export interface Verdict {
  kind: 'verdict';
  scenario: Scenario;
  reasonKey: I18nKey;
  /** A second reason, when the D1 message hides a problem the state already shows (D3, D4, not activated). */
  detailKey?: I18nKey;
  /** Placeholders of reasonKey / detailKey, e.g. `{ endDate: '2025-06-30' }`. */
  params?: Record<string, string>;
  steps: Step[];
  rules: RuleId[];
}

export type Resolution = { kind: 'questions'; questions: Question[] } | Verdict;

/** What a person said about a diagnosis ("did this help?"); storage comes later. */
export interface DiagnosisFeedback {
  entryId: string;
  scenario?: Scenario;
  helpful: boolean;
  /** ISO timestamp. */
  at: string;
  tenantId: string;
  aadObjectId?: string;
}

const STEP = {
  ignoreMessage: { key: 'diagnosis.steps.ignoreMessage' },
  newSupportRequest: { key: 'diagnosis.steps.newSupportRequest', link: 'azurePortalSupport' },
  checkContract: { key: 'diagnosis.steps.checkContract', link: 'supportForBusiness' },
  unavailablePlans: { key: 'diagnosis.steps.unavailablePlans', link: 'supportForBusiness' },
  addContract: { key: 'diagnosis.steps.addContract', link: 'supportForBusiness' },
  buySupportPlan: { key: 'diagnosis.steps.buySupportPlan', link: 'partnerSupportPlans' },
  onPremisesOnly: { key: 'diagnosis.steps.onPremisesOnly', link: 'supportForBusiness' },
  activateBenefits: { key: 'diagnosis.steps.activateBenefits', link: 'technicalBenefits' },
  findAdmin: { key: 'diagnosis.steps.findAdmin', link: 'userManagement' },
  requestActivation: { key: 'diagnosis.steps.requestActivation' },
  contactHelpDesk: { key: 'diagnosis.steps.contactHelpDesk' },
} as const satisfies Record<string, Step>;

const REASON = {
  D1: 'diagnosis.resolution.D1.reason',
  D2Known: 'diagnosis.resolution.D2.knownReason',
  D2Answered: 'diagnosis.resolution.D2.answeredReason',
  D2Likely: 'diagnosis.resolution.D2.likelyReason',
  D3ExpiredOn: 'diagnosis.resolution.D3.expiredOnReason',
  D3Expired: 'diagnosis.resolution.D3.expiredReason',
  D3NoIncidents: 'diagnosis.resolution.D3.noIncidentsReason',
  D4: 'diagnosis.resolution.D4.reason',
  notActivated: 'diagnosis.resolution.notActivated.reason',
  unknown: 'diagnosis.resolution.unknown.reason',
} as const;

const QUESTION_TEXT: Record<QuestionId, { key: I18nKey; link?: LinkName }> = {
  associatedBefore: { key: 'diagnosis.questions.associatedBefore' },
  contractExpired: { key: 'diagnosis.questions.contractExpired', link: 'supportForBusiness' },
  incidentsLeft: { key: 'diagnosis.questions.incidentsLeft', link: 'incidentsRemaining' },
};

const ANSWER_KEY: Record<AnswerValue, I18nKey> = {
  yes: 'diagnosis.answers.yes',
  no: 'diagnosis.answers.no',
  unsure: 'diagnosis.answers.unsure',
};

/** Every i18n key the resolution can hand out, so a test can check both locale files hold them. */
export const RESOLUTION_I18N_KEYS: readonly I18nKey[] = [
  ...Object.values(STEP).map((step) => step.key),
  ...Object.values(REASON),
  ...Object.values(QUESTION_TEXT).map((q) => q.key),
  ...Object.values(ANSWER_KEY),
];

const D2_STEPS: Step[] = [STEP.newSupportRequest, STEP.checkContract];

function verdict(scenario: Scenario, reasonKey: I18nKey, steps: Step[], rules: RuleId[], params?: Record<string, string>): Verdict {
  // Copies, so a caller editing a verdict cannot change the shared step table.
  return { kind: 'verdict', scenario, reasonKey, ...(params ? { params } : {}), steps: steps.map((s) => ({ ...s })), rules };
}

const d2 = (reasonKey: I18nKey): Verdict => verdict('D2', reasonKey, D2_STEPS, ['D2', 'A5']);
const d3 = (reasonKey: I18nKey, params?: Record<string, string>): Verdict =>
  verdict('D3', reasonKey, [STEP.buySupportPlan, STEP.unavailablePlans], ['D3', 'O3', 'O7', 'P1'], params);

function isoDate(value: string, field: string): string {
  const date = value.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`resolveAlreadyAssociated: ${field} must be an ISO date (yyyy-mm-dd), got "${value}"`);
  return date;
}

/** Verdicts that need no question: each condition is a fact the bot already holds. */
function decideFromState(input: AlreadyAssociatedInput, today: string): Verdict | undefined {
  if (membershipTier(input.org) === 'actionPack') {
    return verdict('D4', REASON.D4, [STEP.onPremisesOnly, STEP.buySupportPlan], ['D4', 'C1', 'E4', 'P1']);
  }
  const benefits = input.benefits;
  if (!benefits) return undefined;
  if (!benefits.activated) {
    return verdict('notActivated', REASON.notActivated, [STEP.activateBenefits, STEP.findAdmin, STEP.requestActivation], ['E2', 'R1', 'A3']);
  }
  if (benefits.endDate !== undefined) {
    const endDate = isoDate(benefits.endDate, 'benefits.endDate');
    if (endDate < today) return d3(REASON.D3ExpiredOn, { endDate });
  }
  // A recorded zero means a limited pack unless the policy says the pack is unlimited (then it is stale).
  if (benefits.cloudIncidentsRemaining === 0 && input.cloudPack !== 'unlimited') return d3(REASON.D3NoIncidents);
  if (input.person && benefits.associatedAccounts?.includes(input.person.aadObjectId)) return d2(REASON.D2Known);
  return undefined;
}

/** The questions whose answer the state does not already give. */
function relevantQuestions(input: AlreadyAssociatedInput): QuestionId[] {
  const ids: QuestionId[] = ['associatedBefore'];
  if (input.benefits?.endDate === undefined) ids.push('contractExpired');
  if (input.benefits?.cloudIncidentsRemaining === undefined && input.cloudPack === 'limited') ids.push('incidentsLeft');
  return ids;
}

function decideFromAnswers(relevant: QuestionId[], answers: Partial<Answers>): Verdict | undefined {
  const said = (id: QuestionId): AnswerValue | undefined => (relevant.includes(id) ? answers[id] : undefined);
  // An expired or used-up contract settles it whatever else is unanswered: the fix is a new plan either way.
  if (said('contractExpired') === 'yes') return d3(REASON.D3Expired);
  if (said('incidentsLeft') === 'no') return d3(REASON.D3NoIncidents);
  if (relevant.some((id) => said(id) === undefined)) return undefined;
  switch (said('associatedBefore')) {
    case 'yes':
      return d2(REASON.D2Answered);
    case 'unsure':
      // Re-linking an already associated contract (scenario 1) is the common cause, and the D2 steps
      // cost nothing to try; they end with checking the contract in Support for Business.
      return d2(REASON.D2Likely);
    default:
      // Never associated and (as far as anyone knows) still valid: both documented causes (D2, D3) need
      // an earlier association on this account, so the error is unexplained. Checking the contract in
      // Support for Business (O6), adding it there (O7), then the help desk is the honest next step.
      return verdict('unknown', REASON.unknown, [STEP.checkContract, STEP.addContract, STEP.contactHelpDesk], ['O6', 'O7']);
  }
}

function question(id: QuestionId): Question {
  return {
    id,
    key: QUESTION_TEXT[id].key,
    options: ANSWER_VALUES.map((value) => ({ value, key: ANSWER_KEY[value] })),
    ...(QUESTION_TEXT[id].link ? { link: QUESTION_TEXT[id].link } : {}),
  };
}

/**
 * D1 is decided by the message alone; its advice is D2's ("use + New support request") unless the state
 * already shows a problem that advice would not fix (D3, D4, not activated): then that problem's steps follow.
 */
function flagTamMessage(fromState: Verdict | undefined): Verdict {
  const underlying = fromState && fromState.scenario !== 'D2' ? fromState : undefined;
  const rules: RuleId[] = ['D1', ...(underlying?.rules ?? ['D2'])];
  return {
    kind: 'verdict',
    scenario: 'D1',
    reasonKey: REASON.D1,
    ...(underlying ? { detailKey: underlying.reasonKey } : {}),
    ...(underlying?.params ? { params: underlying.params } : {}),
    steps: [STEP.ignoreMessage, ...(underlying?.steps ?? D2_STEPS)].map((s) => ({ ...s })),
    rules,
  };
}

/** Explains "Access ID is already associated …": a verdict from state and answers, or the (≤ 3) questions still open. */
export function resolveAlreadyAssociated(input: AlreadyAssociatedInput): Resolution {
  const today = isoDate(input.today, 'today');
  const fromState = decideFromState(input, today);
  if (input.message === 'tam') return flagTamMessage(fromState);
  if (fromState) return fromState;

  const relevant = relevantQuestions(input);
  const answers = input.answers ?? {};
  const fromAnswers = decideFromAnswers(relevant, answers);
  if (fromAnswers) return fromAnswers;
  return { kind: 'questions', questions: relevant.filter((id) => answers[id] === undefined).map(question) };
}
