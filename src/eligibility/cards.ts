/**
 * The eligibility cards: one typed template each (cards/eligibility.*.json), and the builders that turn an
 * answer of the service into translated card data. Rule ids never reach the user: every reason and step
 * is a sentence from the locale files.
 */
import { clip, defineCard, renderCard, type AdaptiveCard } from '../cards/render.js';
import type { Catalog } from '../domain/catalog.js';
import type { Decision } from '../domain/eligibility.js';
import { Links, type LinkName } from '../domain/links.js';
import { canViewIds, type BenefitsState, type Person } from '../domain/org.js';
import type { Policy } from '../domain/policy.js';
import type { Candidate } from '../domain/recognize.js';
import type { Translate, Vars } from '../i18n/i18n.js';
import type { Answer } from './service.js';
import type { Line, Fact, LinkButton } from '../cards/common.js';
export type { Line, Fact, LinkButton };

export interface StepRow {
  /** "1." */
  n: string;
  text: string;
  hasLink: boolean;
  /** '' when the step has no link. */
  linkTitle: string;
  url: string;
}
/** A product button: Action.Execute `eligibility.pick` with this data. */
export interface PickButton {
  title: string;
  familyId: string;
  /** '' for families without versions (or a family picked before its version). */
  versionId: string;
  onBehalfOfCustomer: boolean;
}

export interface DecisionCardData {
  title: string;
  verdict: string;
  verdictColor: 'Good' | 'Attention' | 'Warning';
  facts: Fact[];
  whyTitle: string;
  reasons: Line[];
  idsFirst: boolean;
  idsText: string;
  showIdsButton: boolean;
  idsButton: string;
  hasSteps: boolean;
  stepsTitle: string;
  steps: StepRow[];
  hasPaid: boolean;
  paidText: string;
  paid: LinkButton[];
  tpd: boolean;
  tpdText: string;
  tpdLinks: LinkButton[];
  notes: Line[];
  openRequest: boolean;
  openRequestTitle: string;
  /** Handed to the request flow as the command's args. */
  productLabel: string;
  recheck: boolean;
  recheckTitle: string;
  familyId: string;
  versionId: string;
  /** The audience the recheck button asks about (the opposite of this card's). */
  recheckCustomer: boolean;
}
export const DecisionCard = defineCard<DecisionCardData>('eligibility.decision');

/** Fields of the "name a product" form (also on the "unknown product" card). */
export interface ProductForm {
  inputLabel: string;
  placeholder: string;
  requiredMessage: string;
  productValue: string;
  customerTitle: string;
  /** Input.Toggle value: "true" or "false". */
  customerValue: 'true' | 'false';
  checkTitle: string;
}

export interface AskCardData extends ProductForm {
  title: string;
  text: string;
  /** '' for none. */
  error: string;
}
export const AskCard = defineCard<AskCardData>('eligibility.ask');

export interface PickCardData {
  title: string;
  text: string;
  /** The person's words, shown verbatim ('' for none). */
  quote: string;
  audience: string;
  candidates: PickButton[];
}
export const PickCard = defineCard<PickCardData>('eligibility.pick');

export interface UnknownCardData extends ProductForm {
  title: string;
  text: string;
  quote: string;
  hasSuggestions: boolean;
  suggestionsTitle: string;
  suggestions: PickButton[];
  links: LinkButton[];
  retryTitle: string;
}
export const UnknownCard = defineCard<UnknownCardData>('eligibility.unknown');

/** What a card builder needs besides the answer. */
export interface CardEnv {
  t: Translate;
  policy: Policy;
  catalog: Catalog;
  benefits: BenefitsState | undefined;
  person: Person | undefined;
  /** The other capabilities' commands that exist in this bot (buttons only for those). */
  commands: { newRequest: boolean; ids: boolean };
  /** What the person typed ('' from a card). */
  quote: string;
  /** yyyy-mm-dd, to say "ends" or "ended". */
  today: string;
}

const QUOTE_MAX = 300;

function link(t: Translate, name: LinkName): LinkButton {
  return { title: t(`eligibility.link.${name}`), url: Links[name] };
}

function audience(t: Translate, onBehalfOfCustomer: boolean): string {
  return t(onBehalfOfCustomer ? 'eligibility.audience.customer' : 'eligibility.audience.organisation');
}

function pickButtons(candidates: readonly Candidate[], onBehalfOfCustomer: boolean): PickButton[] {
  return candidates.map((c) => ({ title: c.label, familyId: c.product.familyId, versionId: c.product.versionId ?? '', onBehalfOfCustomer }));
}

function productForm(t: Translate, onBehalfOfCustomer: boolean, productValue = ''): ProductForm {
  return {
    inputLabel: t('eligibility.ask.label'),
    placeholder: t('eligibility.ask.placeholder'),
    requiredMessage: t('eligibility.ask.required'),
    productValue,
    customerTitle: t('eligibility.ask.customer'),
    customerValue: onBehalfOfCustomer ? 'true' : 'false',
    checkTitle: t('eligibility.ask.check'),
  };
}

/** The placeholders every reason and step sentence may use. */
function decisionVars(decision: Decision, label: string, env: CardEnv): Vars {
  const { t, policy, catalog, benefits } = env;
  const family = catalog.byId.get(decision.product.familyId);
  const lifecycle = decision.lifecycle;
  const tierLabel = decision.tier === 'none' ? '' : (policy.tiers[decision.tier]?.label ?? '');
  const noDate = t('eligibility.lifecycle.noDate');
  return {
    product: label || family?.name || t('eligibility.decision.generalProduct'),
    benefit: decision.benefitName ?? '',
    cspPlan: policy.benefitNames.cspSupportPlan,
    tier: tierLabel,
    allowance: decision.allowance === undefined ? '' : decision.allowance === 'unlimited' ? t('eligibility.impact.unlimitedWord') : decision.allowance,
    remaining: decision.incidentsRemaining,
    release: lifecycle?.release ?? noDate,
    mainstreamEnd: lifecycle?.mainstreamEnd ?? noDate,
    extendedEnd: lifecycle?.extendedEnd ?? noDate,
    endDate: benefits?.endDate ?? noDate,
    competency: family?.cloudCompetency ?? '',
    policy: policy.name,
  };
}

function verdictOf(decision: Decision, t: Translate, vars: Vars): Pick<DecisionCardData, 'verdict' | 'verdictColor'> {
  if (decision.covered) {
    return { verdict: t(decision.benefit === 'cspSupportPlan' ? 'eligibility.verdict.coveredCspPlan' : 'eligibility.verdict.covered', vars), verdictColor: 'Good' };
  }
  if (decision.reasonKeys.includes('noMembership')) return { verdict: t('eligibility.verdict.noMembership'), verdictColor: 'Attention' };
  if (decision.reasonKeys.includes('notActivated')) return { verdict: t('eligibility.verdict.notActivated'), verdictColor: 'Warning' };
  if (decision.reasonKeys.includes('adminAgentRequired')) return { verdict: t('eligibility.verdict.needsAdminAgent'), verdictColor: 'Warning' };
  return { verdict: t(decision.benefitName ? 'eligibility.verdict.notCoveredBy' : 'eligibility.verdict.notCovered', vars), verdictColor: 'Attention' };
}

/** "Uses 1 of 17 remaining on-premises incidents", "Unlimited for your cloud competency", "No incidents used". */
export function incidentImpact(decision: Decision, t: Translate, vars: Vars): string {
  if (!decision.covered) return t('eligibility.impact.none');
  if (decision.benefit === 'cspSupportPlan') return t('eligibility.impact.cspPlan', vars);
  const onPremises = decision.benefit === 'productSupport';
  if (decision.incidentsConsumed === 0) {
    if (decision.allowance !== 'unlimited') return t('eligibility.impact.none');
    return t(decision.tier === 'designation' ? 'eligibility.impact.unlimitedDesignation' : 'eligibility.impact.unlimitedCloud', vars);
  }
  if (decision.incidentsRemaining !== undefined) {
    return t(onPremises ? 'eligibility.impact.onPremisesRemaining' : 'eligibility.impact.cloudRemaining', vars);
  }
  return t(onPremises ? 'eligibility.impact.onPremisesAllowance' : 'eligibility.impact.cloudAllowance', vars);
}

function facts(decision: Decision, onBehalfOfCustomer: boolean, env: CardEnv, vars: Vars): Fact[] {
  const { t } = env;
  const out: Fact[] = [{ title: t('eligibility.fact.for'), value: audience(t, onBehalfOfCustomer) }];
  if (decision.benefitName) out.push({ title: t('eligibility.fact.benefit'), value: decision.benefitName });
  if (decision.portal !== 'none') out.push({ title: t('eligibility.fact.portal'), value: t(`eligibility.portal.${decision.portal}`) });
  out.push({ title: t('eligibility.fact.incidents'), value: incidentImpact(decision, t, vars) });
  const lifecycle = decision.lifecycle;
  if (lifecycle) {
    const position = t(`eligibility.lifecycle.position.${lifecycle.position}`);
    let mainstream: string;
    if (lifecycle.mainstreamEnd === null) mainstream = t('eligibility.lifecycle.ongoing');
    else mainstream = t(lifecycle.mainstreamEnd < env.today ? 'eligibility.lifecycle.mainstreamEnded' : 'eligibility.lifecycle.mainstreamEnd', vars);
    out.push({ title: t('eligibility.fact.lifecycle'), value: `${position} · ${mainstream}` });
  }
  return out;
}

function notes(decision: Decision, label: string, env: CardEnv, vars: Vars): Line[] {
  const { t } = env;
  const out: Line[] = [];
  if (!env.person) out.push({ text: t('eligibility.note.generalGuidance') });
  if (decision.cspPlanAvailable && decision.benefit !== 'cspSupportPlan') out.push({ text: t('eligibility.note.cspPlanAvailable', vars) });
  if (decision.lifecycle && !decision.lifecycle.confirmed) out.push({ text: t('eligibility.note.lifecycleUnconfirmed', { ...vars, product: label || String(vars.product) }) });
  if (decision.policyNeedsConfirmation) out.push({ text: t('eligibility.note.policyUnconfirmed', vars) });
  return out;
}

/** The decision card's data: verdict, plain-word reasons, incident impact, steps with links, paid options, notes. */
export function decisionCardData(answer: Extract<Answer, { kind: 'decision' }>, env: CardEnv): DecisionCardData {
  const { t } = env;
  const { decision, label, onBehalfOfCustomer } = answer;
  const vars = decisionVars(decision, label, env);
  const steps = decision.steps.map((s, i) => ({
    n: `${i + 1}.`,
    text: t(`eligibility.step.${s.key}`, vars),
    hasLink: s.link !== undefined,
    linkTitle: s.link ? t(`eligibility.link.${s.link}`) : '',
    url: s.link ? Links[s.link] : '',
  }));
  const paid = decision.paidAlternatives.map((p) => ({ title: t(`eligibility.paid.${p.key}`), url: Links[p.link] }));
  const mayViewIds = canViewIds(env.person);
  const known = answer.product.familyId !== '' && env.catalog.byId.has(answer.product.familyId);
  return {
    title: label || t('eligibility.decision.generalTitle'),
    ...verdictOf(decision, t, vars),
    facts: facts(decision, onBehalfOfCustomer, env, vars),
    whyTitle: t('eligibility.decision.why'),
    reasons: decision.reasonKeys.map((k) => ({ text: t(`eligibility.reason.${k}`, vars) })),
    idsFirst: decision.idsNeededFirst,
    idsText: t(mayViewIds ? 'eligibility.ids.needed' : 'eligibility.ids.neededAskColleague'),
    showIdsButton: decision.idsNeededFirst && mayViewIds && env.commands.ids,
    idsButton: t('eligibility.ids.button'),
    hasSteps: steps.length > 0,
    stepsTitle: t('eligibility.decision.steps'),
    steps,
    hasPaid: paid.length > 0,
    paidText: t('eligibility.paid.text'),
    paid,
    tpd: decision.mentionTpd,
    tpdText: t('eligibility.tpd.text'),
    tpdLinks: decision.mentionTpd ? [link(t, 'technicalPresales')] : [],
    notes: notes(decision, label, env, vars),
    openRequest: decision.covered && known && env.commands.newRequest,
    openRequestTitle: t('eligibility.decision.openRequest'),
    productLabel: label,
    recheck: known,
    recheckTitle: t(onBehalfOfCustomer ? 'eligibility.decision.recheckOrganisation' : 'eligibility.decision.recheckCustomer'),
    familyId: answer.product.familyId,
    versionId: answer.product.versionId ?? '',
    recheckCustomer: !onBehalfOfCustomer,
  };
}

/** The "which product?" form. */
export function askCardData(onBehalfOfCustomer: boolean, env: Pick<CardEnv, 't'>, error = '', productValue = ''): AskCardData {
  const { t } = env;
  return { title: t('eligibility.ask.title'), text: t('eligibility.ask.text'), error, ...productForm(t, onBehalfOfCustomer, productValue) };
}

/** The "which one?" list. */
export function pickCardData(answer: Extract<Answer, { kind: 'pick' }>, env: Pick<CardEnv, 't' | 'quote'>): PickCardData {
  const { t } = env;
  const versions = answer.reason === 'versionMissing';
  return {
    title: versions ? t('eligibility.pick.titleVersion', { family: answer.familyName ?? '' }) : t('eligibility.pick.titleSeveral'),
    text: t(versions ? 'eligibility.pick.textVersion' : 'eligibility.pick.textSeveral'),
    quote: clip(env.quote, QUOTE_MAX),
    audience: audience(t, answer.onBehalfOfCustomer),
    candidates: pickButtons(answer.candidates, answer.onBehalfOfCustomer),
  };
}

/** "I don't know that product" (with suggestions) or "I don't know that version" (naming the known ones). */
export function unknownCardData(answer: Extract<Answer, { kind: 'unknown' }>, env: Pick<CardEnv, 't' | 'quote'>): UnknownCardData {
  const { t } = env;
  const version = answer.reason === 'unknownVersion';
  const family = answer.familyName ?? '';
  const versions = answer.suggestions.map((s) => s.label).join(', ');
  let text: string;
  if (version) text = t('eligibility.unknown.textVersion', { family, versions });
  else text = t(answer.suggestions.length > 0 ? 'eligibility.unknown.textProduct' : 'eligibility.unknown.textProductNoSuggestions');
  return {
    title: version ? t('eligibility.unknown.titleVersion', { family }) : t('eligibility.unknown.titleProduct'),
    text,
    quote: clip(env.quote, QUOTE_MAX),
    hasSuggestions: answer.suggestions.length > 0,
    suggestionsTitle: t(version ? 'eligibility.unknown.versionsTitle' : 'eligibility.unknown.suggestionsTitle'),
    suggestions: pickButtons(answer.suggestions, answer.onBehalfOfCustomer),
    links: version ? [link(t, 'nMinusOnePolicy')] : [],
    retryTitle: t('eligibility.unknown.retry'),
    ...productForm(t, answer.onBehalfOfCustomer),
  };
}

/** The card for any answer of the service. */
export function answerCard(answer: Answer, env: CardEnv): AdaptiveCard {
  switch (answer.kind) {
    case 'decision':
      return renderCard(DecisionCard, decisionCardData(answer, env));
    case 'ask':
      return renderCard(AskCard, askCardData(answer.onBehalfOfCustomer, env));
    case 'pick':
      return renderCard(PickCard, pickCardData(answer, env));
    case 'unknown':
      return renderCard(UnknownCard, unknownCardData(answer, env));
  }
}
