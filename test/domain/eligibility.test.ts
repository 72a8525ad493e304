import { loadCatalog } from '../../src/domain/catalog.js';
import type { ProductRef } from '../../src/domain/catalog.js';
import { decide, REASON_KEYS, RULE_IDS, STEP_KEYS } from '../../src/domain/eligibility.js';
import type { DecideInput, Decision } from '../../src/domain/eligibility.js';
import { Links } from '../../src/domain/links.js';
import type { BenefitsState, Competency, Organisation, Person, Role } from '../../src/domain/org.js';
import { loadPolicy } from '../../src/domain/policy.js';

const policy = loadPolicy('mpn-2021');
const policy2025 = loadPolicy('ai-cloud-partner');
const catalog = loadCatalog();
const TODAY = '2026-03-02';

type TierName = 'gold' | 'silver' | 'actionPack' | 'none';
const ORG_COMPETENCIES: Record<TierName, { competencies: Competency[]; actionPack: boolean }> = {
  gold: { competencies: [{ name: 'Data Analytics', level: 'gold' }], actionPack: false },
  silver: { competencies: [{ name: 'Application Development', level: 'silver' }], actionPack: false },
  actionPack: { competencies: [], actionPack: true },
  none: { competencies: [], actionPack: false },
};
function org(tier: TierName, extraCompetencies: Competency[] = []): Organisation {
  const o = ORG_COMPETENCIES[tier];
  return { tenantId: 't-1', name: 'Contoso', program: 'mpn-2021', actionPack: o.actionPack, competencies: [...o.competencies, ...extraCompetencies] };
}
function person(roles: Role[] = [], more: Partial<Person> = {}): Person {
  return { aadObjectId: 'p-1', name: 'Alex', mpnAssociated: true, cspAssociated: false, roles, ...more };
}
const ACTIVE: BenefitsState = { activated: true, accessId: 'a', contractId: 'c', startDate: '2026-01-15', endDate: '2027-02-14' };

function input(over: Partial<DecideInput> & { product: ProductRef }): DecideInput {
  return {
    org: org('gold'),
    benefits: ACTIVE,
    person: person(),
    onBehalfOfCustomer: false,
    today: TODAY,
    policy,
    catalog,
    ...over,
  };
}
const run = (over: Partial<DecideInput> & { product: ProductRef }): Decision => decide(input(over));
const WS2025 = { familyId: 'windows-server', versionId: '2025' };
const AZURE = { familyId: 'azure' };
const M365 = { familyId: 'microsoft-365' };
const DYNAMICS = { familyId: 'dynamics-365' };

describe('activation and membership come first', () => {
  it.each<[string, ProductRef]>([
    ['an on-premises product', WS2025],
    ['a cloud product', AZURE],
    ['an unknown product', { familyId: 'oracle' }],
    ['a version out of support', { familyId: 'sql-server', versionId: '2016' }],
  ])('[E2] nothing is covered before activation: %s', (_label, product) => {
    const d = run({ product, benefits: { activated: false } });
    expect(d.covered).toBe(false);
    expect(d.reasons[0]).toBe('E2');
    expect(d.reasonKeys).toEqual(['notActivated']);
    expect(d.incidentsConsumed).toBe(0);
  });

  it('[E2] a missing benefits record counts as not activated', () => {
    expect(run({ product: WS2025, benefits: undefined }).reasons).toEqual(['E2']);
  });

  it.each<[string, Role[], string]>([
    ['an admin is sent to activate', ['globalAdmin'], 'activation.openTechnicalBenefits'],
    ['anyone else is told to ask an admin', ['helpDesk'], 'activation.askAdmin'],
  ])('[E2] %s', (_label, roles, firstStep) => {
    expect(run({ product: WS2025, benefits: { activated: false }, person: person(roles) }).steps[0].key).toBe(firstStep);
  });

  it('[E2][P1] an organisation without membership gets no benefit, and paid plans instead', () => {
    const d = run({ product: WS2025, org: org('none'), benefits: { activated: false } });
    expect(d.covered).toBe(false);
    expect(d.reasons.slice(0, 2)).toEqual(['A2', 'E2']);
    expect(d.reasonKeys).toEqual(['noMembership', 'notActivated']);
    expect(d.paidAlternatives.map((p) => p.key)).toContain('premierSupportForPartners');
    expect(d.reasons).toContain('P1');
  });
});

describe('specific products and versions', () => {
  it.each<[string, ProductRef, string]>([
    ['an unknown product', { familyId: 'oracle-database' }, 'unknownProduct'],
    ['a versioned product without its version', { familyId: 'sql-server' }, 'versionNeeded'],
    ['a version the catalogue does not know', { familyId: 'windows-server', versionId: '2012' }, 'unknownVersion'],
  ])('[E1] %s is not decided as covered', (_label, product, key) => {
    const d = run({ product });
    expect(d.covered).toBe(false);
    expect(d.reasons[0]).toBe('E1');
    expect(d.reasonKeys).toEqual([key]);
  });
});

describe('on-premises: Microsoft Product Support', () => {
  it.each([
    ['actionPack', 10],
    ['silver', 15],
    ['gold', 20],
  ] as const)('[E3] %s covers a current on-premises product from its %i incidents', (tier, allowance) => {
    const d = run({ product: WS2025, org: org(tier), benefits: { ...ACTIVE, onPremisesIncidentsRemaining: 7 } });
    expect(d).toMatchObject({ covered: true, benefit: 'productSupport', benefitName: 'Microsoft Product Support', allowance, incidentsConsumed: 1, incidentsRemaining: 7 });
    expect(d.reasons).toContain('E3');
  });

  // O1: N = newest released version, N-1 only while in mainstream support, older never.
  it.each<[string, string, string, boolean, string]>([
    ['windows-server', '2022', '2026-10-12', true, 'versionNMinus1InMainstream'],
    ['windows-server', '2022', '2026-10-13', true, 'versionNMinus1InMainstream'],
    ['windows-server', '2022', '2026-10-14', false, 'nMinus1PastMainstream'],
    ['windows-server', '2025', '2026-10-14', true, 'versionN'],
    ['windows-server', '2019', '2026-10-12', false, 'olderThanNMinus1'],
    ['windows-server', '2022', '2024-01-01', true, 'versionN'],
    ['windows-server', '2019', '2024-01-01', true, 'versionNMinus1InMainstream'],
    ['windows-server', '2025', '2024-01-01', false, 'notYetReleased'],
    ['sql-server', '2022', '2026-11-25', true, 'versionNMinus1InMainstream'],
    ['sql-server', '2019', '2026-11-25', false, 'olderThanNMinus1'],
    ['sql-server', '2025', '2026-11-25', true, 'versionN'],
    ['sql-server', '2019', '2025-02-28', true, 'versionNMinus1InMainstream'],
    ['sql-server', '2019', '2025-03-01', false, 'nMinus1PastMainstream'],
    ['exchange-server', 'se', '2026-03-02', true, 'modernCurrentRelease'],
    ['exchange-server', '2019', '2026-03-02', false, 'nMinus1PastMainstream'],
    ['sharepoint-server', 'se', '2026-03-02', true, 'modernCurrentRelease'],
    ['skype-for-business-server', '2019', '2026-03-02', false, 'nPastMainstream'],
    ['office-perpetual', 'ltsc-2021', '2026-03-02', true, 'versionNMinus1InMainstream'],
    ['windows-10', '22h2', '2026-03-02', false, 'modernEnded'],
  ])('[O1] %s %s on %s: covered %s (%s)', (familyId, versionId, today, covered, key) => {
    const d = run({ product: { familyId, versionId }, today });
    expect(d.covered).toBe(covered);
    expect(d.reasonKeys[0]).toBe(key);
    expect(d.reasons).toContain('O1');
  });

  it('[O1] the lifecycle facts used are reported, including unconfirmed dates', () => {
    const d = run({ product: { familyId: 'sql-server', versionId: '2025' }, today: '2026-11-25' });
    expect(d.lifecycle).toMatchObject({ position: 'N', policy: 'fixed', mainstreamEnd: '2031-01-06', confirmed: false, covered: true });
  });

  it.each<[string, ProductRef, string]>([
    ['an old version', { familyId: 'sql-server', versionId: '2016' }, 'olderThanNMinus1'],
    ['N-1 out of mainstream', { familyId: 'exchange-server', versionId: '2019' }, 'nMinus1PastMainstream'],
  ])('[O2][P1][P2] %s goes to paid support, with the N-1 policy and TPD', (_label, product, key) => {
    const d = run({ product });
    expect(d.covered).toBe(false);
    expect(d.reasons).toEqual(expect.arrayContaining(['O1', 'O2', 'P1', 'P2']));
    expect(d.reasonKeys).toEqual([key]);
    expect(d.paidAlternatives.map((p) => p.key)).toEqual(['comparePartnerSupportPlans', 'premierSupportForPartners']);
    expect(d.steps.map((s) => s.link)).toEqual(['nMinusOnePolicy', 'partnerSupportPlans']);
    expect(d.mentionTpd).toBe(true);
    expect(d.incidentsConsumed).toBe(0);
  });

  it.each<[string, BenefitsState, string]>([
    ['an expired contract', { ...ACTIVE, endDate: '2026-03-01' }, 'contractExpired'],
    ['no incidents left', { ...ACTIVE, onPremisesIncidentsRemaining: 0 }, 'noIncidentsRemaining'],
  ])('[O2][P1] %s is not covered and points to paid plans (O3)', (_label, benefits, key) => {
    const d = run({ product: WS2025, benefits });
    expect(d.covered).toBe(false);
    expect(d.reasons[0]).toBe('O3');
    expect(d.reasonKeys).toEqual([key]);
    expect(d.paidAlternatives.length).toBeGreaterThan(0);
    expect(d.steps[0]).toEqual({ key: 'contract.checkIncidentsRemaining', link: 'incidentsRemaining' });
  });

  it('[O2] the contract end date itself is still covered', () => {
    expect(run({ product: WS2025, benefits: { ...ACTIVE, endDate: TODAY } }).covered).toBe(true);
  });

  it.each<[string, Person | undefined, boolean]>([
    ['an MPN user for the organisation', person(), false],
    ['an MPN user for a customer', person(), true],
    ['a Microsoft account (not in the directory) for a customer', undefined, true],
    ['a CSP-only account for the organisation', person([], { mpnAssociated: false, cspAssociated: true }), false],
  ])('[O4][R4] %s may open an on-premises request', (_label, who, onBehalfOfCustomer) => {
    const d = run({ product: WS2025, person: who, onBehalfOfCustomer });
    expect(d.covered).toBe(true);
    expect(d.reasons).toContain('O4');
    if (onBehalfOfCustomer) expect(d.reasons).toContain('R4');
  });

  it('[O4][R4] someone who cannot view the IDs is told to get them from a colleague', () => {
    const d = run({ product: WS2025, person: undefined });
    expect(d.steps[0]).toEqual({ key: 'ids.askColleague' });
    expect(d.idsNeededFirst).toBe(true);
  });

  it.each<[string, string[] | undefined, boolean, string[]]>([
    ['first time: get the IDs, then add the contract', undefined, true, ['ids.get', 'sfb.open', 'sfb.addContract', 'sfb.createRequest']],
    ['already associated: straight to the request', ['p-1'], false, ['sfb.open', 'sfb.createRequest']],
  ])('[O5] Support for Business route, %s', (_label, associatedAccounts, idsNeededFirst, steps) => {
    const d = run({ product: WS2025, benefits: { ...ACTIVE, associatedAccounts } });
    expect(d.portal).toBe('supportForBusiness');
    expect(d.reasons).toContain('O5');
    expect(d.idsNeededFirst).toBe(idsNeededFirst);
    expect(d.steps.map((s) => s.key)).toEqual(steps);
    expect(d.steps.find((s) => s.key === 'sfb.open')?.link).toBe('supportForBusiness');
  });
});

describe('cloud: Signature Cloud Support', () => {
  it.each<[TierName, boolean]>([
    ['actionPack', false],
    ['silver', true],
    ['gold', true],
  ])('[C1] %s: cloud support usable %s', (tier, covered) => {
    const d = run({ product: AZURE, org: org(tier) });
    expect(d.covered).toBe(covered);
    expect(d.reasons[0]).toBe('C1');
  });

  it('[C1][P1][P2] Action Pack gets no cloud support (D4) and is offered Advanced Support for Partners', () => {
    const d = run({ product: DYNAMICS, org: org('actionPack') });
    expect(d.reasons).toEqual(expect.arrayContaining(['C1', 'D4', 'P1', 'P2']));
    expect(d.reasonKeys).toEqual(['actionPackNoCloudSupport']);
    expect(d.paidAlternatives.map((p) => p.key)).toContain('advancedSupportForPartners');
    expect(d.mentionTpd).toBe(true);
  });

  it.each<[string, TierName, Competency[], number | 'unlimited', number]>([
    ['gold with a cloud competency', 'gold', [{ name: 'Cloud Platform', level: 'gold' }], 'unlimited', 0],
    ['silver with a cloud competency', 'silver', [{ name: 'Cloud Productivity', level: 'silver' }], 'unlimited', 0],
    ['gold with other competencies only', 'gold', [], 10, 1],
    ['silver with other competencies only', 'silver', [], 5, 1],
  ])('[E4] %s: allowance %s, consumes %i', (_label, tier, extra, allowance, consumed) => {
    const d = run({ product: AZURE, org: org(tier, extra), benefits: { ...ACTIVE, cloudIncidentsRemaining: 4 } });
    expect(d).toMatchObject({ covered: true, benefit: 'cloudSupport', benefitName: 'Signature Cloud Support', allowance, incidentsConsumed: consumed });
    expect(d.incidentsRemaining).toBe(allowance === 'unlimited' ? undefined : 4);
    expect(d.reasons).toContain('E4');
  });

  it.each(policy.cloudCompetencies)('[E4][E5] holding "%s" makes cloud support unlimited for any cloud product', (name) => {
    const d = run({ product: DYNAMICS, org: org('silver', [{ name, level: 'silver' }]) });
    expect(d.allowance).toBe('unlimited');
    expect(d.reasons).toContain('E5');
    expect(d.reasonKeys).toContain('cloudCompetencyUnlimited');
  });

  it.each<[string, BenefitsState]>([
    ['the pack is used up', { ...ACTIVE, cloudIncidentsRemaining: 0 }],
    ['the contract expired', { ...ACTIVE, endDate: '2026-01-01' }],
  ])('[E4][P1] silver hybrid: not covered when %s (O3/D3)', (_label, benefits) => {
    const d = run({ product: AZURE, org: org('silver'), benefits });
    expect(d.covered).toBe(false);
    expect(d.reasons.slice(0, 2)).toEqual(['O3', 'D3']);
    expect(d.paidAlternatives.length).toBe(3);
  });

  it('[E4] an unlimited cloud competency is not blocked by a zero pack counter', () => {
    const d = run({ product: AZURE, org: org('gold', [{ name: 'Security', level: 'gold' }]), benefits: { ...ACTIVE, cloudIncidentsRemaining: 0 } });
    expect(d.covered).toBe(true);
  });

  it.each<[string, ProductRef, string[] | undefined, boolean]>([
    ['Microsoft 365 never needs the IDs', M365, undefined, false],
    ['Azure needs the IDs the first time', AZURE, undefined, true],
    ['Dynamics 365 needs the IDs the first time', DYNAMICS, undefined, true],
    ['Azure after this person associated them does not', AZURE, ['p-1'], false],
  ])('[C2] %s', (_label, product, associatedAccounts, idsNeededFirst) => {
    const d = run({ product, benefits: { ...ACTIVE, associatedAccounts } });
    expect(d.covered).toBe(true);
    expect(d.idsNeededFirst).toBe(idsNeededFirst);
    if (product === M365) {
      expect(d.reasons).toContain('C2');
      expect(d.steps.map((s) => s.key)).toEqual(['m365.openSupport', 'portal.createRequest']);
    }
  });

  it.each<[string, string[] | undefined, string[]]>([
    ['first time: link support benefits', undefined, ['ids.get', 'azure.openHelpSupport', 'azure.supportPlans', 'azure.linkSupportBenefits', 'azure.newSupportRequest']],
    ['already linked: do not link again', ['p-1'], ['azure.openHelpSupport', 'azure.skipLinking', 'azure.newSupportRequest']],
  ])('[C5] Azure portal route, %s', (_label, associatedAccounts, steps) => {
    const d = run({ product: AZURE, benefits: { ...ACTIVE, associatedAccounts } });
    expect(d.portal).toBe('azurePortal');
    expect(d.reasons).toContain('C5');
    expect(d.steps.map((s) => s.key)).toEqual(steps);
    expect(d.steps.find((s) => s.key === 'azure.openHelpSupport')?.link).toBe('azurePortalSupport');
  });

  it.each<[string, Role[]]>([
    ['a help desk member', ['helpDesk']],
    ['a global admin', ['globalAdmin']],
    ['nobody in particular', []],
  ])('[R3] cloud support for a customer is refused to %s (no Admin Agent role)', (_label, roles) => {
    const d = run({ product: DYNAMICS, person: person(roles), onBehalfOfCustomer: true });
    expect(d.covered).toBe(false);
    expect(d.reasons).toEqual(['R3']);
    expect(d.reasonKeys).toEqual(['adminAgentRequired']);
    expect(d.steps).toEqual([{ key: 'csp.askAdminAgent', link: 'userManagement' }]);
  });

  it('[R3] an unknown person cannot act for a customer on a cloud product', () => {
    expect(run({ product: M365, person: undefined, onBehalfOfCustomer: true }).reasons).toEqual(['R3']);
  });

  it('[C4][R3] an Admin Agent goes through Partner Center > CSP > Customers > Service Management > New request', () => {
    const d = run({ product: DYNAMICS, person: person(['adminAgent']), onBehalfOfCustomer: true });
    expect(d).toMatchObject({ covered: true, benefit: 'cloudSupport', portal: 'partnerCenterCsp', idsNeededFirst: true });
    expect(d.reasons).toEqual(expect.arrayContaining(['R3', 'C4']));
    expect(d.steps.map((s) => s.key)).toEqual([
      'ids.get',
      'csp.openCustomers',
      'csp.serviceManagement',
      'csp.newRequest',
      'csp.chooseWorkload',
      'portal.addContract',
      'portal.createRequest',
    ]);
    expect(d.steps[1].link).toBe('cspCustomers');
  });

  it('[C3][C4] a CSP-associated Admin Agent opening Azure for a customer uses the Cloud Solution Provider plan', () => {
    const d = run({ product: AZURE, person: person(['adminAgent'], { cspAssociated: true }), onBehalfOfCustomer: true });
    expect(d).toMatchObject({
      covered: true,
      benefit: 'cspSupportPlan',
      benefitName: 'Cloud Solution Provider',
      portal: 'partnerCenterCsp',
      idsNeededFirst: false,
      incidentsConsumed: 0,
      cspPlanAvailable: true,
    });
    expect(d.reasons[0]).toBe('C3');
    expect(d.steps.map((s) => s.key)).toContain('csp.chooseCspSupportPlan');
    expect(d.steps.map((s) => s.key)).not.toContain('portal.addContract');
  });

  it.each<[string, Partial<DecideInput>, boolean]>([
    ['Action Pack member on Azure', { org: org('actionPack') }, true],
    ['benefits not activated yet', { benefits: { activated: false } }, true],
    ['own organisation, normal route', {}, true],
    ['not CSP-associated', { person: person(['adminAgent']) }, false],
  ])('[C3] the CSP plan is offered as an alternative: %s -> %s', (_label, over, available) => {
    const who = over.person ?? person(['adminAgent'], { cspAssociated: true });
    const d = run({ product: AZURE, ...over, person: who });
    expect(d.cspPlanAvailable).toBe(available);
  });

  it('[C3] the CSP plan is for Azure only', () => {
    const d = run({ product: DYNAMICS, person: person(['adminAgent'], { cspAssociated: true }), onBehalfOfCustomer: true });
    expect(d.benefit).toBe('cloudSupport');
    expect(d.cspPlanAvailable).toBe(false);
  });
});

describe('policy profile ai-cloud-partner (today\'s programme)', () => {
  const designated: Organisation = { ...org('none'), program: 'ai-cloud-partner', competencies: [{ name: 'Solutions Partner for Modern Work' }] };
  it('[N1] a Solutions Partner designation gets 20 on-premises and 50 cloud incidents under the 2025 names, marked as needing confirmation', () => {
    const onPrem = run({ product: WS2025, org: designated, policy: policy2025 });
    const cloud = run({ product: DYNAMICS, org: designated, policy: policy2025 });
    expect(onPrem).toMatchObject({ covered: true, allowance: 20, benefitName: 'Partner On-premises Support', policyNeedsConfirmation: true, tier: 'designation' });
    expect(cloud).toMatchObject({ covered: true, allowance: 50, incidentsConsumed: 1, benefitName: 'Partner Cloud Support' });
    expect(cloud.reasonKeys).toContain('otherCompetencyPack');
  });

  it.each<[string, Organisation]>([
    ['a legacy Gold competency', { ...org('gold'), program: 'ai-cloud-partner' }],
    ['Action Pack', { ...org('actionPack'), program: 'ai-cloud-partner' }],
  ])('[N1] %s alone gives nothing today, and the answer says the offer has ended', (_label, legacy) => {
    for (const product of [WS2025, DYNAMICS]) {
      const d = run({ product, org: legacy, policy: policy2025 });
      expect(d).toMatchObject({ covered: false, tier: 'none' });
      expect(d.reasons).toEqual(expect.arrayContaining(['A2', 'N1']));
      expect(d.reasonKeys).toContain('legacyOfferRetired');
    }
  });

  it('[N1] mpn-2021 never calls its own offers retired', () => {
    const d = run({ product: WS2025, org: org('gold'), policy: loadPolicy('mpn-2021') });
    expect(d.reasonKeys).not.toContain('legacyOfferRetired');
  });
});

describe('decide over the whole catalogue', () => {
  const tiers: TierName[] = ['gold', 'silver', 'actionPack', 'none'];
  const people: Array<Person | undefined> = [
    undefined,
    person(),
    person(['adminAgent'], { cspAssociated: true }),
    person(['globalAdmin', 'mpnPartnerAdmin']),
    person([], { mpnAssociated: false, cspAssociated: true }),
  ];
  const benefitStates: Array<BenefitsState | undefined> = [undefined, { activated: false }, ACTIVE, { ...ACTIVE, onPremisesIncidentsRemaining: 0, cloudIncidentsRemaining: 0 }];
  const products: ProductRef[] = catalog.families.flatMap((f) =>
    f.versions.length === 0 ? [{ familyId: f.id }] : [{ familyId: f.id }, ...f.versions.map((v) => ({ familyId: f.id, versionId: v.id }))],
  );
  const ruleIds = new Set<string>(RULE_IDS);
  const reasonKeys = new Set<string>(REASON_KEYS);
  const stepKeys = new Set<string>(STEP_KEYS);

  it('[E1][E2][E3][E4][O1][C1][R3][R4] every product x tier x customer flag x person x benefits gives a reasoned decision and never throws', () => {
    let count = 0;
    const problems: string[] = [];
    const check = (ok: boolean, what: string, d: Decision): void => {
      if (!ok && problems.length < 20) problems.push(`${what}: ${JSON.stringify(d)}`);
    };
    for (const p of [policy, policy2025])
      for (const product of products)
        for (const tier of tiers)
          for (const onBehalfOfCustomer of [false, true])
            for (const who of people)
              for (const benefits of benefitStates)
                for (const today of ['2026-03-02', '2030-06-30']) {
                  const d = decide({ org: org(tier), benefits, person: who, product, onBehalfOfCustomer, today, policy: p, catalog });
                  count++;
                  check(d.reasons.length >= 1 && d.reasonKeys.length >= 1, 'has reasons', d);
                  check(d.reasons.every((r) => ruleIds.has(r)), 'known rule ids', d);
                  check(d.reasonKeys.every((k) => reasonKeys.has(k)), 'known reason keys', d);
                  check(d.steps.every((s) => stepKeys.has(s.key) && (!s.link || Links[s.link].startsWith('https://'))), 'known steps and links', d);
                  check(d.covered || (d.incidentsConsumed === 0 && !d.idsNeededFirst), 'nothing consumed when not covered', d);
                  check(!d.covered || d.steps.length > 0, 'a covered request has steps', d);
                  check(d.paidAlternatives.length === 0 || d.reasons.includes('P1'), 'P1 named with paid alternatives', d);
                  check(!d.mentionTpd || d.reasons.includes('P2'), 'P2 named with TPD', d);
                }
    expect(problems).toEqual([]);
    expect(count).toBeGreaterThan(10000);
  });

  it('[E2] a malformed date is a programming error and fails loudly', () => {
    expect(() => run({ product: WS2025, today: '02/03/2026' })).toThrow(/yyyy-mm-dd/);
  });
});
