/**
 * Eligibility and routing engine (shared/domain.md E, O, C, R, P rules): given an organisation, its
 * benefits, a person and a product, decide which benefit applies, whether it covers the request, and
 * the ordered steps to open it. Pure: no I/O, no clock (today is an input).
 */
import type { Catalog, Deployment, LifecyclePolicy, ProductFamily, ProductPortal, ProductRef, ProductVersion } from './catalog.js';
import { isIsoDate } from './catalog.js';
import type { LinkName } from './links.js';
import type { BenefitsState, Organisation, Person } from './org.js';
import { canActivate, canViewIds } from './org.js';
import type { Allowance, Policy, PolicyTier } from './policy.js';
import { holdsCloudCompetency, holdsOnlyRetiredOffers, policyTier } from './policy.js';

export { RULE_IDS, type RuleId } from './rules.js';
import { RULE_IDS, type RuleId } from './rules.js';

export type Benefit = 'productSupport' | 'cloudSupport' | 'cspSupportPlan' | 'none';
export type Portal = ProductPortal | 'partnerCenterCsp' | 'none';

/** Stable keys the UI translates; one decision carries one or more. */
export const REASON_KEYS = [
  'noMembership', // A2: no offer of the profile (tier none)
  'legacyOfferRetired', // N1: the org file lists only offers the profile no longer has
  'notActivated', // E2
  'unknownProduct', // E1: family not in the catalogue
  'versionNeeded', // E1: versioned family named without a version
  'unknownVersion', // E1: version not in the catalogue
  'versionN', // O1: newest release, in mainstream support
  'versionNMinus1InMainstream', // O1
  'modernCurrentRelease', // O1: modern policy, current release
  'nPastMainstream', // O1: newest release but mainstream ended
  'nMinus1PastMainstream', // O1
  'olderThanNMinus1', // O1
  'notYetReleased', // O1: release date after today
  'modernSuperseded', // O1: modern policy, no longer the current release
  'modernEnded', // O1: modern policy, support ended
  'contractExpired', // O3 / D3
  'noIncidentsRemaining', // O3 / D3
  'noOnPremisesAllowance', // E3: the tier has 0 on-premises incidents
  'noCloudAllowance', // E4: the tier has 0 cloud incidents
  'onPremisesAllowance', // E3: covered from the tier's on-premises incidents
  'anyAccountWithIds', // O4 / R4
  'customerRequestAllowed', // R4: on-premises request for a customer
  'actionPackNoCloudSupport', // C1 / D4
  'cloudCompetencyUnlimited', // E4 / E5
  'otherCompetencyPack', // E4: 5-pack (silver) / 10-pack (gold)
  'designationUnlimited', // later policy profiles: unlimited cloud for a designation
  'adminAgentRequired', // R3
  'adminAgentRoute', // C4
  'cspSupportPlan', // C3
  'noIdsNeeded', // C2: Microsoft 365
  'alreadyAssociated', // A5: this person already entered the IDs
  'idsNeededFirstTime', // A5: enter the IDs the first time
] as const;
export type ReasonKey = (typeof REASON_KEYS)[number];

/** Stable keys of the steps the UI renders, in order. */
export const STEP_KEYS = [
  'membership.checkOffers',
  'activation.openTechnicalBenefits',
  'activation.selectActivate',
  'activation.askAdmin',
  'product.nameProduct',
  'product.chooseVersion',
  'lifecycle.checkNMinus1Policy',
  'paid.comparePlans',
  'contract.checkIncidentsRemaining',
  'cloud.earnCompetency',
  'ids.get',
  'ids.askColleague',
  'sfb.open',
  'sfb.addContract',
  'sfb.createRequest',
  'azure.openHelpSupport',
  'azure.supportPlans',
  'azure.linkSupportBenefits',
  'azure.skipLinking',
  'azure.newSupportRequest',
  'm365.openSupport',
  'powerPlatform.openSupport',
  'portal.addContract',
  'portal.createRequest',
  'csp.openCustomers',
  'csp.serviceManagement',
  'csp.newRequest',
  'csp.chooseWorkload',
  'csp.chooseCspSupportPlan',
  'csp.askAdminAgent',
] as const;
export type StepKey = (typeof STEP_KEYS)[number];

export interface Step {
  readonly key: StepKey;
  readonly link?: LinkName;
}

export type PaidAlternativeKey = 'comparePartnerSupportPlans' | 'premierSupportForPartners' | 'advancedSupportForPartners';
export interface PaidAlternative {
  readonly key: PaidAlternativeKey;
  readonly link: LinkName;
}

/** O1: where a version stands in its family on `today`. */
export type LifecyclePosition = 'N' | 'N-1' | 'older' | 'notReleased';

export interface LifecycleFacts {
  readonly versionId: string;
  readonly label: string;
  readonly position: LifecyclePosition;
  readonly policy: LifecyclePolicy;
  readonly release: string;
  readonly mainstreamEnd: string | null;
  readonly extendedEnd: string | null;
  /** false when the catalogue marks these dates as unconfirmed. */
  readonly confirmed: boolean;
  readonly covered: boolean;
}

export interface Decision {
  /** The benefit that applies to this product ('none' when the product is unknown). */
  readonly benefit: Benefit;
  /** Display name of that benefit in the policy profile ("Signature Cloud Support"). */
  readonly benefitName?: string;
  readonly covered: boolean;
  /** Rule ids that explain the decision, most decisive first; never empty. */
  readonly reasons: readonly RuleId[];
  readonly reasonKeys: readonly ReasonKey[];
  readonly product: ProductRef & { readonly deployment?: Deployment };
  /** Policy tier the organisation was judged under. */
  readonly tier: PolicyTier | 'none';
  /** The tier's allowance for this benefit (E3/E4), when the benefit applies. */
  readonly allowance?: Allowance;
  /** Incidents this request uses: 1, or 0 when unlimited, on the CSP plan, or not covered. */
  readonly incidentsConsumed: number;
  /** Balance known from the benefits record before this request (undefined when unknown or unlimited). */
  readonly incidentsRemaining?: number;
  readonly portal: Portal;
  readonly steps: readonly Step[];
  /** A5/C2: the person must enter the Access ID and Contract ID first (only when covered). */
  readonly idsNeededFirst: boolean;
  /** C3: the "Cloud Solution Provider" support plan is usable here (as the route or as an alternative). */
  readonly cspPlanAvailable: boolean;
  /** P1: partner support plans, filled when the benefit cannot cover this product, version, tier or contract (empty when the fix is activation, naming a version, or a role). */
  readonly paidAlternatives: readonly PaidAlternative[];
  /** P2: mention Technical Presales and Deployment services (link `technicalPresales`). */
  readonly mentionTpd: boolean;
  /** O1 facts for versioned products. */
  readonly lifecycle?: LifecycleFacts;
  /** The policy profile says its numbers are not confirmed. */
  readonly policyNeedsConfirmation: boolean;
}

export interface DecideInput {
  org: Organisation;
  benefits: BenefitsState | undefined;
  /** undefined for a person not in the directory: treated as having no roles (general guidance only). */
  person: Person | undefined;
  product: ProductRef;
  onBehalfOfCustomer: boolean;
  /** yyyy-mm-dd */
  today: string;
  policy: Policy;
  catalog: Catalog;
}

const PAID_ON_PREMISES: readonly PaidAlternative[] = Object.freeze([
  { key: 'comparePartnerSupportPlans', link: 'partnerSupportPlans' },
  { key: 'premierSupportForPartners', link: 'partnerSupportPlans' },
] as const);
const PAID_CLOUD: readonly PaidAlternative[] = Object.freeze([
  ...PAID_ON_PREMISES,
  { key: 'advancedSupportForPartners', link: 'partnerSupportPlans' },
] as const);
const NO_PAID: readonly PaidAlternative[] = [];

/** P1: the partner support plans to offer (Advanced Support for Partners is for cloud products only). */
export function paidAlternativesFor(deployment: Deployment | undefined): readonly PaidAlternative[] {
  return deployment === 'cloud' ? PAID_CLOUD : PAID_ON_PREMISES;
}

export interface LifecycleVerdict {
  position: LifecyclePosition;
  covered: boolean;
  reasonKey: ReasonKey;
}

/** O1: N = newest version released on or before today, N-1 the one before; see shared/lifecycle.md. */
export function evaluateLifecycle(family: ProductFamily, versionIndex: number, today: string): LifecycleVerdict {
  const versions = family.versions;
  let n = -1;
  for (let i = versions.length - 1; i >= 0; i--) {
    if (versions[i].release <= today) {
      n = i;
      break;
    }
  }
  const v = versions[versionIndex];
  const inMainstream = v.mainstreamEnd === null || today <= v.mainstreamEnd;
  if (versionIndex > n) return { position: 'notReleased', covered: false, reasonKey: 'notYetReleased' };
  if (versionIndex === n) {
    if (v.lifecyclePolicy === 'modern') {
      return inMainstream
        ? { position: 'N', covered: true, reasonKey: 'modernCurrentRelease' }
        : { position: 'N', covered: false, reasonKey: 'modernEnded' };
    }
    return inMainstream
      ? { position: 'N', covered: true, reasonKey: 'versionN' }
      : { position: 'N', covered: false, reasonKey: 'nPastMainstream' };
  }
  const position: LifecyclePosition = versionIndex === n - 1 ? 'N-1' : 'older';
  if (v.lifecyclePolicy === 'modern') return { position, covered: false, reasonKey: 'modernSuperseded' };
  if (position === 'older') return { position, covered: false, reasonKey: 'olderThanNMinus1' };
  return inMainstream
    ? { position, covered: true, reasonKey: 'versionNMinus1InMainstream' }
    : { position, covered: false, reasonKey: 'nMinus1PastMainstream' };
}

function lifecycleFacts(v: ProductVersion, verdict: LifecycleVerdict): LifecycleFacts {
  return {
    versionId: v.id,
    label: v.label,
    position: verdict.position,
    policy: v.lifecyclePolicy,
    release: v.release,
    mainstreamEnd: v.mainstreamEnd,
    extendedEnd: v.extendedEnd,
    confirmed: v.confirmed,
    covered: verdict.covered,
  };
}

function activationSteps(person: Person | undefined): Step[] {
  if (canActivate(person)) {
    return [{ key: 'activation.openTechnicalBenefits', link: 'technicalBenefits' }, { key: 'activation.selectActivate' }];
  }
  return [{ key: 'activation.askAdmin', link: 'userManagement' }];
}

function idSteps(person: Person | undefined): Step {
  return canViewIds(person) ? { key: 'ids.get', link: 'technicalBenefits' } : { key: 'ids.askColleague' };
}

/** Ordered steps for a portal route (O5, C4, C5). */
function portalSteps(portal: Portal, idsNeeded: boolean, viaCspPlan: boolean): Step[] {
  switch (portal) {
    case 'supportForBusiness':
      return idsNeeded
        ? [{ key: 'sfb.open', link: 'supportForBusiness' }, { key: 'sfb.addContract' }, { key: 'sfb.createRequest' }]
        : [{ key: 'sfb.open', link: 'supportForBusiness' }, { key: 'sfb.createRequest' }];
    case 'azurePortal':
      return idsNeeded
        ? [
            { key: 'azure.openHelpSupport', link: 'azurePortalSupport' },
            { key: 'azure.supportPlans' },
            { key: 'azure.linkSupportBenefits' },
            { key: 'azure.newSupportRequest' },
          ]
        : [{ key: 'azure.openHelpSupport', link: 'azurePortalSupport' }, { key: 'azure.skipLinking' }, { key: 'azure.newSupportRequest' }];
    case 'm365Admin':
      return idsNeeded
        ? [{ key: 'm365.openSupport', link: 'm365AdminSupport' }, { key: 'portal.addContract' }, { key: 'portal.createRequest' }]
        : [{ key: 'm365.openSupport', link: 'm365AdminSupport' }, { key: 'portal.createRequest' }];
    case 'powerPlatformAdmin':
      return idsNeeded
        ? [{ key: 'powerPlatform.openSupport', link: 'powerPlatformAdmin' }, { key: 'portal.addContract' }, { key: 'portal.createRequest' }]
        : [{ key: 'powerPlatform.openSupport', link: 'powerPlatformAdmin' }, { key: 'portal.createRequest' }];
    case 'partnerCenterCsp': {
      const steps: Step[] = [
        { key: 'csp.openCustomers', link: 'cspCustomers' },
        { key: 'csp.serviceManagement' },
        { key: 'csp.newRequest' },
        { key: 'csp.chooseWorkload' },
      ];
      if (viaCspPlan) steps.push({ key: 'csp.chooseCspSupportPlan' });
      else if (idsNeeded) steps.push({ key: 'portal.addContract' });
      steps.push({ key: 'portal.createRequest' });
      return steps;
    }
    case 'none':
      return [];
  }
}

/** What every decision for one input shares. */
interface Context {
  readonly benefit: Benefit;
  readonly benefitName: string | undefined;
  readonly product: Decision['product'];
  readonly tier: PolicyTier | 'none';
  readonly policyNeedsConfirmation: boolean;
}

/** The fields a branch of `decide` sets; the rest take their defaults. */
interface Outcome {
  covered: boolean;
  reasons: RuleId[];
  reasonKeys: ReasonKey[];
  steps: Step[];
  benefit?: Benefit;
  benefitName?: string;
  allowance?: Allowance;
  incidentsConsumed?: number;
  incidentsRemaining?: number;
  portal?: Portal;
  idsNeededFirst?: boolean;
  cspPlanAvailable?: boolean;
  paidAlternatives?: readonly PaidAlternative[];
  mentionTpd?: boolean;
  lifecycle?: LifecycleFacts;
}

/** Builds the Decision with one fixed shape (kept monomorphic: `decide` is on the hot path). */
function finish(ctx: Context, o: Outcome): Decision {
  const paidAlternatives = o.paidAlternatives ?? NO_PAID;
  const mentionTpd = o.mentionTpd ?? false;
  if (paidAlternatives.length > 0 && !o.reasons.includes('P1')) o.reasons.push('P1');
  if (mentionTpd && !o.reasons.includes('P2')) o.reasons.push('P2');
  return {
    benefit: o.benefit ?? ctx.benefit,
    benefitName: o.benefitName ?? ctx.benefitName,
    covered: o.covered,
    reasons: o.reasons,
    reasonKeys: o.reasonKeys,
    product: ctx.product,
    tier: ctx.tier,
    allowance: o.allowance,
    incidentsConsumed: o.covered ? (o.incidentsConsumed ?? 0) : 0,
    incidentsRemaining: o.incidentsRemaining,
    portal: o.portal ?? 'none',
    steps: o.steps,
    idsNeededFirst: o.covered && (o.idsNeededFirst ?? false),
    cspPlanAvailable: o.cspPlanAvailable ?? false,
    paidAlternatives,
    mentionTpd,
    lifecycle: o.lifecycle,
    policyNeedsConfirmation: ctx.policyNeedsConfirmation,
  };
}

const CONTRACT_STEPS: readonly Step[] = [
  { key: 'contract.checkIncidentsRemaining', link: 'incidentsRemaining' },
  { key: 'paid.comparePlans', link: 'partnerSupportPlans' },
];

/** Decides benefit, coverage, reasons and route for one support request (pure; `today` is injected). */
export function decide(input: DecideInput): Decision {
  const { org, benefits, person, product, onBehalfOfCustomer, today, policy, catalog } = input;
  if (!isIsoDate(today)) throw new Error(`decide: today must be a date yyyy-mm-dd, received "${today}"`);

  const tier = policyTier(org, policy);
  const family = catalog.byId.get(product.familyId);
  const deployment = family?.deployment;
  const isCloud = deployment === 'cloud';
  const benefit: Benefit = family ? (isCloud ? 'cloudSupport' : 'productSupport') : 'none';
  const ctx: Context = {
    benefit,
    benefitName: benefit === 'none' ? undefined : policy.benefitNames[benefit],
    product: { familyId: product.familyId, versionId: product.versionId, deployment },
    tier,
    policyNeedsConfirmation: policy.needsConfirmation || (tier !== 'none' && (policy.tiers[tier]?.needsConfirmation ?? false)),
  };
  const isAdminAgent = person?.roles.includes('adminAgent') ?? false;
  // C3: the CSP plan works for CSP-associated people on Azure; for a customer it is reached through the admin agent route (R3).
  const cspPlanUsable =
    isCloud && family?.cspSupportPlan === true && (person?.cspAssociated ?? false) && (!onBehalfOfCustomer || isAdminAgent);
  const paid = paidAlternativesFor(deployment);

  // A2 / E2 come before anything else.
  if (tier === 'none' || !benefits?.activated) {
    const reasons: RuleId[] = [];
    const reasonKeys: ReasonKey[] = [];
    if (tier === 'none') {
      reasons.push('A2');
      reasonKeys.push('noMembership');
      if (holdsOnlyRetiredOffers(org, policy)) {
        reasons.push('N1');
        reasonKeys.push('legacyOfferRetired');
      }
    }
    if (!benefits?.activated) {
      reasons.push('E2');
      reasonKeys.push('notActivated');
    }
    return tier === 'none'
      ? finish(ctx, { covered: false, reasons, reasonKeys, steps: [{ key: 'membership.checkOffers', link: 'technicalBenefits' }], paidAlternatives: paid, cspPlanAvailable: cspPlanUsable })
      : finish(ctx, { covered: false, reasons, reasonKeys, steps: activationSteps(person), cspPlanAvailable: cspPlanUsable });
  }

  // E1: support is for specific products and versions.
  if (!family) return finish(ctx, { covered: false, reasons: ['E1'], reasonKeys: ['unknownProduct'], steps: [{ key: 'product.nameProduct' }] });

  let lifecycle: LifecycleFacts | undefined;
  let lifecycleKey: ReasonKey | undefined;
  if (family.versions.length > 0) {
    if (product.versionId === undefined) {
      return finish(ctx, { covered: false, reasons: ['E1'], reasonKeys: ['versionNeeded'], steps: [{ key: 'product.chooseVersion' }] });
    }
    const index = family.versionIndex.get(product.versionId);
    if (index === undefined) {
      return finish(ctx, {
        covered: false,
        reasons: ['E1', 'O2'],
        reasonKeys: ['unknownVersion'],
        steps: [{ key: 'product.chooseVersion' }, { key: 'lifecycle.checkNMinus1Policy', link: 'nMinusOnePolicy' }],
        paidAlternatives: paid,
      });
    }
    const verdict = evaluateLifecycle(family, index, today);
    lifecycle = lifecycleFacts(family.versions[index], verdict);
    lifecycleKey = verdict.reasonKey;
    if (!verdict.covered) {
      return finish(ctx, {
        covered: false,
        reasons: ['O1', 'O2'],
        reasonKeys: [verdict.reasonKey],
        steps: [{ key: 'lifecycle.checkNMinus1Policy', link: 'nMinusOnePolicy' }, { key: 'paid.comparePlans', link: 'partnerSupportPlans' }],
        paidAlternatives: paid,
        mentionTpd: true,
        lifecycle,
        cspPlanAvailable: cspPlanUsable,
      });
    }
  }

  const tierRules = policy.tiers[tier];
  if (!tierRules) {
    // policyTier only answers `designation` when the policy defines it; kept for type safety.
    return finish(ctx, { covered: false, reasons: ['A2'], reasonKeys: ['noMembership'], steps: [{ key: 'membership.checkOffers', link: 'technicalBenefits' }], paidAlternatives: paid });
  }
  const associated = !!person && !!benefits.associatedAccounts?.includes(person.aadObjectId);
  const contractExpired = benefits.endDate !== undefined && benefits.endDate < today;

  if (!isCloud) {
    const allowance = tierRules.onPremisesIncidents;
    const remaining = benefits.onPremisesIncidentsRemaining;
    const blocked = (reasons: RuleId[], key: ReasonKey, steps: Step[]): Decision =>
      finish(ctx, { covered: false, reasons, reasonKeys: [key], steps, allowance, incidentsRemaining: remaining, lifecycle, paidAlternatives: paid, mentionTpd: true });
    if (allowance === 0) return blocked(['E3'], 'noOnPremisesAllowance', [{ key: 'paid.comparePlans', link: 'partnerSupportPlans' }]);
    if (contractExpired) return blocked(['O3'], 'contractExpired', [...CONTRACT_STEPS]);
    if (remaining === 0) return blocked(['O3'], 'noIncidentsRemaining', [...CONTRACT_STEPS]);

    const idsNeededFirst = family.idsRequired && !associated;
    const reasons: RuleId[] = ['O1', 'E3', 'O4', 'O5'];
    const reasonKeys: ReasonKey[] = [];
    if (lifecycleKey) reasonKeys.push(lifecycleKey);
    reasonKeys.push('onPremisesAllowance', 'anyAccountWithIds');
    if (onBehalfOfCustomer) {
      reasons.push('R4');
      reasonKeys.push('customerRequestAllowed');
    }
    reasons.push('A5');
    reasonKeys.push(idsNeededFirst ? 'idsNeededFirstTime' : 'alreadyAssociated');
    const steps = portalSteps('supportForBusiness', idsNeededFirst, false);
    if (idsNeededFirst) steps.unshift(idSteps(person));
    return finish(ctx, {
      covered: true,
      reasons,
      reasonKeys,
      steps,
      allowance,
      incidentsConsumed: 1,
      incidentsRemaining: remaining,
      portal: 'supportForBusiness',
      idsNeededFirst,
      lifecycle,
    });
  }

  // Cloud products.
  if (onBehalfOfCustomer && !isAdminAgent) {
    return finish(ctx, { covered: false, reasons: ['R3'], reasonKeys: ['adminAgentRequired'], steps: [{ key: 'csp.askAdminAgent', link: 'userManagement' }], lifecycle });
  }
  if (onBehalfOfCustomer && cspPlanUsable) {
    return finish(ctx, {
      covered: true,
      benefit: 'cspSupportPlan',
      benefitName: policy.benefitNames.cspSupportPlan,
      reasons: ['C3', 'R3', 'C4'],
      reasonKeys: ['cspSupportPlan', 'adminAgentRoute'],
      portal: 'partnerCenterCsp',
      steps: portalSteps('partnerCenterCsp', false, true),
      cspPlanAvailable: true,
      lifecycle,
    });
  }
  if (tierRules.cloudSupport === 'none') {
    return finish(ctx, {
      covered: false,
      reasons: ['C1', 'D4'],
      reasonKeys: ['actionPackNoCloudSupport'],
      steps: [{ key: 'cloud.earnCompetency', link: 'partnerCenterDashboard' }, { key: 'paid.comparePlans', link: 'partnerSupportPlans' }],
      paidAlternatives: paid,
      mentionTpd: true,
      cspPlanAvailable: cspPlanUsable,
      lifecycle,
    });
  }

  const cloudCompetency = holdsCloudCompetency(org, policy);
  const allowance = cloudCompetency ? tierRules.cloudSupport.cloudCompetencies : tierRules.cloudSupport.otherCompetencies;
  const unlimited = allowance === 'unlimited';
  const remaining = unlimited ? undefined : benefits.cloudIncidentsRemaining;
  const blocked = (reasons: RuleId[], key: ReasonKey, steps: Step[]): Decision =>
    finish(ctx, {
      covered: false,
      reasons,
      reasonKeys: [key],
      steps,
      allowance,
      incidentsRemaining: remaining,
      lifecycle,
      paidAlternatives: paid,
      mentionTpd: true,
      cspPlanAvailable: cspPlanUsable,
    });
  if (allowance === 0) return blocked(['E4'], 'noCloudAllowance', [{ key: 'paid.comparePlans', link: 'partnerSupportPlans' }]);
  if (contractExpired) return blocked(['O3', 'D3'], 'contractExpired', [...CONTRACT_STEPS]);
  if (remaining === 0) return blocked(['O3', 'D3'], 'noIncidentsRemaining', [...CONTRACT_STEPS]);

  const idsNeededFirst = family.idsRequired && !associated;
  const reasons: RuleId[] = ['C1', 'E4'];
  const reasonKeys: ReasonKey[] = [];
  if (lifecycleKey) reasonKeys.push(lifecycleKey);
  if (!unlimited) reasonKeys.push('otherCompetencyPack');
  else if (tier === 'designation') reasonKeys.push('designationUnlimited');
  else {
    reasons.push('E5');
    reasonKeys.push('cloudCompetencyUnlimited');
  }
  if (!family.idsRequired) {
    reasons.push('C2');
    reasonKeys.push('noIdsNeeded');
  } else {
    reasons.push('A5');
    reasonKeys.push(idsNeededFirst ? 'idsNeededFirstTime' : 'alreadyAssociated');
  }
  const portal: Portal = onBehalfOfCustomer ? 'partnerCenterCsp' : family.portal;
  if (onBehalfOfCustomer) {
    reasons.push('R3', 'C4');
    reasonKeys.push('adminAgentRoute');
  } else if (portal === 'azurePortal') {
    reasons.push('C5');
  }
  const steps = portalSteps(portal, idsNeededFirst, false);
  if (idsNeededFirst) steps.unshift(idSteps(person));
  return finish(ctx, {
    covered: true,
    reasons,
    reasonKeys,
    steps,
    allowance,
    incidentsConsumed: unlimited ? 0 : 1,
    incidentsRemaining: remaining,
    portal,
    idsNeededFirst,
    cspPlanAvailable: cspPlanUsable,
    lifecycle,
  });
}
