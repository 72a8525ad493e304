/**
 * The IDs cards: one typed template each (cards/ids.*.json) and the builders that fill them. The plain IDs reach a
 * card only through `idsCard(..., { revealed: true })`, which only the reveal verb asks for.
 */
import type { BenefitsRecord } from '../benefits/benefits-store.js';
import { defineCard, renderCard, type AdaptiveCard } from '../cards/render.js';
import { Links, type LinkName } from '../domain/links.js';
import type { BenefitsState, Person } from '../domain/org.js';
import type { Policy } from '../domain/policy.js';
import type { Translate } from '../i18n/i18n.js';
import {
  associationsOf,
  canEditContract,
  contractWarnings,
  daysBetween,
  formatTimestamp,
  INCIDENTS_MAX,
  maskId,
  PORTAL_GUIDES,
  PORTALS,
  type Benefit,
  type ContractEditEcho,
  type ContractWarning,
  type EditError,
  type Portal,
} from './service.js';
import type { Line, Fact, LinkButton } from '../cards/common.js';
export type { Line, Fact, LinkButton };

export interface PortalRow {
  id: Portal;
  name: string;
  steps: Line[];
  linkTitle: string;
  url: string;
  associated: boolean;
  /** "You marked this on …", '' when not associated. */
  associatedText: string;
  markTitle: string;
}

export interface IdsCardData {
  title: string;
  intro: string;
  warnings: Line[];
  /** A confirmation (e.g. an association recorded), '' for none. */
  notice: string;
  accessIdLabel: string;
  /** Masked, or the plain value in the reveal response only. */
  accessId: string;
  contractIdLabel: string;
  contractId: string;
  revealed: boolean;
  idsHint: string;
  contractTitle: string;
  contractFacts: Fact[];
  firstTimeText: string;
  revealTitle: string;
  hideTitle: string;
  portalsTitle: string;
  portalsIntro: string;
  portals: PortalRow[];
  m365Note: string;
  incidentsTitle: string;
  canEdit: boolean;
  editTitle: string;
}
export const IdsCard = defineCard<IdsCardData>('ids.card');

export interface IncidentsCardData {
  title: string;
  notice: string;
  warnings: Line[];
  facts: Fact[];
  localNote: string;
  verifyTitle: string;
  verifySteps: Line[];
  addContractText: string;
  unavailableText: string;
  links: LinkButton[];
  canEdit: boolean;
  editTitle: string;
}
export const IncidentsCard = defineCard<IncidentsCardData>('ids.incidents');

export interface ContractFormData {
  title: string;
  intro: string;
  errorsTitle: string;
  errors: Line[];
  requiredMessage: string;
  countMessage: string;
  labels: { startDate: string; endDate: string; onPremises: string; cloud: string };
  cloudPlaceholder: string;
  values: ContractEditEcho;
  /** The record version the form was opened on (compare-and-set on save). */
  version: number;
  saveTitle: string;
  cancelTitle: string;
}
export const ContractForm = defineCard<ContractFormData>('ids.contract');

/** What every builder needs. */
export interface CardEnv {
  t: Translate;
  policy: Policy;
  organisationName: string;
  /** yyyy-mm-dd. */
  today: string;
}

type Figures = Pick<BenefitsState, 'startDate' | 'endDate' | 'onPremisesIncidentsRemaining' | 'cloudIncidentsRemaining' | 'activated'>;

function link(t: Translate, name: LinkName): LinkButton {
  return { title: t(`ids.link.${name}`), url: Links[name] };
}

function benefitName(env: CardEnv, benefit: Benefit): string {
  return benefit === 'onPremises' ? env.policy.benefitNames.productSupport : env.policy.benefitNames.cloudSupport;
}

/** The sentence of one contract warning. */
export function warningText(w: ContractWarning, env: CardEnv): string {
  const { t } = env;
  switch (w.kind) {
    case 'expired':
      return t('ids.warning.expired', { endDate: w.endDate });
    case 'expiresSoon':
      return t(w.days === 0 ? 'ids.warning.expiresToday' : w.days === 1 ? 'ids.warning.expiresTomorrow' : 'ids.warning.expiresSoon', { endDate: w.endDate, days: w.days });
    case 'noIncidents':
      return t('ids.warning.noIncidents', { benefit: benefitName(env, w.benefit) });
    case 'lowIncidents':
      return t(w.remaining === 1 ? 'ids.warning.lowIncidentsOne' : 'ids.warning.lowIncidents', { benefit: benefitName(env, w.benefit), remaining: w.remaining });
  }
}

/** The contract's facts: period (with days left), incidents per benefit, last update. */
export function contractFacts(state: Figures, updatedAt: string | undefined, env: CardEnv): Fact[] {
  const { t } = env;
  const out: Fact[] = [];
  if (state.startDate || state.endDate) {
    const period = t('ids.contract.period', { start: state.startDate ?? '?', end: state.endDate ?? '?' });
    let left = '';
    if (state.endDate) {
      const days = daysBetween(env.today, state.endDate);
      left = days < 0 ? t('ids.contract.ended') : t(days === 1 ? 'ids.contract.dayLeft' : 'ids.contract.daysLeft', { days });
    }
    out.push({ title: t('ids.contract.periodLabel'), value: left ? `${period} (${left})` : period });
  }
  const count = (n: number | undefined, unknownKey: string) => (n === undefined ? t(unknownKey) : String(n));
  out.push({ title: t('ids.contract.incidentsLabel', { benefit: benefitName(env, 'onPremises') }), value: count(state.onPremisesIncidentsRemaining, 'ids.contract.notRecorded') });
  out.push({ title: t('ids.contract.incidentsLabel', { benefit: benefitName(env, 'cloud') }), value: count(state.cloudIncidentsRemaining, 'ids.contract.notCounted') });
  const updated = formatTimestamp(updatedAt);
  if (updated) out.push({ title: t('ids.contract.updatedLabel'), value: updated });
  return out;
}

function warningLines(state: Figures, env: CardEnv): Line[] {
  return contractWarnings(state, env.today).map((w) => ({ text: warningText(w, env) }));
}

function portalRows(person: Person, record: BenefitsRecord | undefined, env: CardEnv): PortalRow[] {
  const { t } = env;
  const done = associationsOf(record, person.aadObjectId);
  return PORTALS.map((id) => {
    const guide = PORTAL_GUIDES[id];
    const at = done[id];
    return {
      id,
      name: t(`ids.portal.${id}.name`),
      steps: Array.from({ length: guide.steps }, (_, i) => ({ text: `${i + 1}. ${t(`ids.portal.${id}.steps.${i + 1}`)}` })),
      linkTitle: t(`ids.link.${guide.link}`),
      url: Links[guide.link],
      associated: at !== undefined,
      associatedText: at ? t('ids.portal.associatedOn', { date: formatTimestamp(at) }) : '',
      markTitle: t('ids.portal.mark', { portal: t(`ids.portal.${id}.short`) }),
    };
  });
}

/** The values a card shows: masked, or (reveal response only) plain. */
export interface IdValues {
  accessId: string;
  contractId: string;
}

/** The IDs card for an allowed person (R2): masked unless `revealed`; warnings, contract facts, per-portal steps. */
export function idsCard(
  ids: IdValues,
  state: Figures,
  record: BenefitsRecord | undefined,
  person: Person,
  env: CardEnv,
  opts: { revealed: boolean; notice?: string },
): AdaptiveCard {
  const { t } = env;
  const shown = opts.revealed ? ids : { accessId: maskId(ids.accessId), contractId: maskId(ids.contractId) };
  const data: IdsCardData = {
    title: t('ids.card.title', { org: env.organisationName }),
    intro: t('ids.card.intro'),
    warnings: warningLines(state, env),
    notice: opts.notice ?? '',
    accessIdLabel: t('ids.card.accessId'),
    accessId: shown.accessId,
    contractIdLabel: t('ids.card.contractId'),
    contractId: shown.contractId,
    revealed: opts.revealed,
    idsHint: t(opts.revealed ? 'ids.card.hintRevealed' : 'ids.card.hintMasked'),
    contractTitle: t('ids.contract.title'),
    contractFacts: contractFacts(state, record?.updatedAt, env),
    firstTimeText: t('ids.card.firstTime'),
    revealTitle: t('ids.card.reveal'),
    hideTitle: t('ids.card.hide'),
    portalsTitle: t('ids.portal.title'),
    portalsIntro: t('ids.portal.intro'),
    portals: portalRows(person, record, env),
    m365Note: t('ids.portal.m365'),
    incidentsTitle: t('ids.card.incidents'),
    canEdit: canEditContract(person),
    editTitle: t('ids.contract.edit'),
  };
  return renderCard(IdsCard, data);
}

/** "How many incidents are left": the local figures with their last update, and the O6 way to check them. */
export function incidentsCard(state: Figures, updatedAt: string | undefined, env: CardEnv, opts: { canEdit: boolean; notice?: string }): AdaptiveCard {
  const { t } = env;
  const data: IncidentsCardData = {
    title: t('ids.incidents.title', { org: env.organisationName }),
    notice: opts.notice ?? '',
    warnings: warningLines(state, env),
    facts: contractFacts(state, updatedAt, env),
    localNote: t('ids.incidents.localNote'),
    verifyTitle: t('ids.incidents.verifyTitle'),
    verifySteps: [1, 2, 3, 4, 5].map((n) => ({ text: `${n}. ${t(`ids.incidents.verify.${n}`)}` })),
    addContractText: t('ids.incidents.addContract'),
    unavailableText: t('ids.incidents.unavailable'),
    links: [link(t, 'supportForBusiness'), link(t, 'incidentsRemaining')],
    canEdit: opts.canEdit,
    editTitle: t('ids.contract.edit'),
  };
  return renderCard(IncidentsCard, data);
}

/** The admin's contract form, with the stored figures or the values just sent back and their errors. */
export function contractForm(values: ContractEditEcho, version: number, env: CardEnv, errors: EditError[] = [], intro?: string): AdaptiveCard {
  const { t } = env;
  const labels = {
    startDate: t('ids.form.startDate'),
    endDate: t('ids.form.endDate'),
    onPremises: t('ids.contract.incidentsLabel', { benefit: benefitName(env, 'onPremises') }),
    cloud: t('ids.contract.incidentsLabel', { benefit: benefitName(env, 'cloud') }),
  };
  const data: ContractFormData = {
    title: t('ids.form.title'),
    intro: intro ?? t('ids.form.intro'),
    errorsTitle: t('ids.form.errorsTitle'),
    errors: errors.map((e) => ({ text: `${labels[e.field]}: ${t(e.key, e.vars)}` })),
    requiredMessage: t('ids.form.error.required'),
    countMessage: t('ids.form.error.count', { max: INCIDENTS_MAX }),
    labels,
    cloudPlaceholder: t('ids.form.cloudPlaceholder'),
    values,
    version,
    saveTitle: t('ids.form.save'),
    cancelTitle: t('ids.form.cancel'),
  };
  return renderCard(ContractForm, data);
}

/** The form's values from the stored record. */
export function formValues(record: Figures): ContractEditEcho {
  const n = (v: number | undefined) => (v === undefined ? '' : String(v));
  return { startDate: record.startDate ?? '', endDate: record.endDate ?? '', onPremises: n(record.onPremisesIncidentsRemaining), cloud: n(record.cloudIncidentsRemaining) };
}
