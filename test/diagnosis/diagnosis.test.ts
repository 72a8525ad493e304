import {
  resolveAlreadyAssociated,
  type AlreadyAssociatedInput,
  type Answers,
  type DiagnosisFeedback,
  type Resolution,
  type Verdict,
} from '../../src/domain/diagnosis.js';
import type { BenefitsState, Organisation } from '../../src/domain/org.js';

const TODAY = '2026-03-01';
const ME = '7a1c2f10-0000-4000-8000-000000000020';

const org = (tier: 'gold' | 'silver' | 'actionPack'): Organisation => ({
  tenantId: '7a1c2f10-0000-4000-8000-000000000001',
  name: 'Contoso Partners Ltd',
  program: 'mpn-2021',
  actionPack: tier === 'actionPack',
  competencies: tier === 'actionPack' ? [] : [{ name: 'Data Analytics', level: tier }],
});

/** Activated benefits whose end date, counters and associated accounts are all unknown. */
const unknownState = (extra: Partial<BenefitsState> = {}): BenefitsState => ({
  activated: true,
  accessId: 'access-id',
  contractId: 'contract-id',
  ...extra,
});

const input = (extra: Partial<AlreadyAssociatedInput> = {}): AlreadyAssociatedInput => ({
  message: 'generic',
  org: org('gold'),
  benefits: unknownState(),
  person: { aadObjectId: ME },
  today: TODAY,
  ...extra,
});

function verdictOf(resolution: Resolution): Verdict {
  if (resolution.kind !== 'verdict') throw new Error(`expected a verdict, got ${JSON.stringify(resolution)}`);
  return resolution;
}
const stepKeys = (resolution: Resolution): string[] => verdictOf(resolution).steps.map((s) => s.key);
const questionIds = (resolution: Resolution): string[] => (resolution.kind === 'questions' ? resolution.questions.map((q) => q.id) : []);

describe('resolveAlreadyAssociated: decided from known state, no questions', () => {
  it.each<[string, Partial<AlreadyAssociatedInput>, Verdict['scenario'], string]>([
    ['D1', { message: 'tam' }, 'D1', 'diagnosis.resolution.D1.reason'],
    ['D2', { benefits: unknownState({ endDate: '2026-12-31', associatedAccounts: [ME] }) }, 'D2', 'diagnosis.resolution.D2.knownReason'],
    ['D3', { benefits: unknownState({ endDate: '2026-02-28', associatedAccounts: [ME] }) }, 'D3', 'diagnosis.resolution.D3.expiredOnReason'],
    ['D3', { benefits: unknownState({ endDate: '2026-12-31', cloudIncidentsRemaining: 0 }), cloudPack: 'limited' }, 'D3', 'diagnosis.resolution.D3.noIncidentsReason'],
    ['D3', { benefits: unknownState({ cloudIncidentsRemaining: 0 }) }, 'D3', 'diagnosis.resolution.D3.noIncidentsReason'],
    ['D4', { org: org('actionPack'), benefits: unknownState({ endDate: '2026-12-31' }) }, 'D4', 'diagnosis.resolution.D4.reason'],
    ['D4', { org: org('actionPack'), benefits: undefined, person: undefined }, 'D4', 'diagnosis.resolution.D4.reason'],
    ['E2][A3', { benefits: { activated: false } }, 'notActivated', 'diagnosis.resolution.notActivated.reason'],
  ])('[%s] state %j gives the verdict directly', (_rules, extra, scenario, reasonKey) => {
    const result = resolveAlreadyAssociated(input(extra));
    expect(result).toMatchObject({ kind: 'verdict', scenario, reasonKey });
  });

  it('[D1] the TAM message is flagged invalid, then the D2 advice follows (+ New support request)', () => {
    const result = verdictOf(resolveAlreadyAssociated(input({ message: 'tam' })));
    expect(result.steps[0]).toEqual({ key: 'diagnosis.steps.ignoreMessage' });
    expect(result.steps).toContainEqual({ key: 'diagnosis.steps.newSupportRequest', link: 'azurePortalSupport' });
    expect(result.rules).toEqual(['D1', 'D2']);
    expect(result.detailKey).toBeUndefined();
  });

  it('[D1][D2] the TAM message for an account known to be associated stays D1 with the D2 advice', () => {
    const result = verdictOf(resolveAlreadyAssociated(input({ message: 'tam', benefits: unknownState({ associatedAccounts: [ME] }) })));
    expect(result).toMatchObject({ scenario: 'D1', rules: ['D1', 'D2'] });
    expect(result.steps.map((s) => s.key)).toContain('diagnosis.steps.newSupportRequest');
  });

  it.each<[string, Partial<AlreadyAssociatedInput>, string, string]>([
    ['D1][D3', { benefits: unknownState({ endDate: '2025-12-31' }) }, 'diagnosis.resolution.D3.expiredOnReason', 'diagnosis.steps.buySupportPlan'],
    ['D1][D4', { org: org('actionPack') }, 'diagnosis.resolution.D4.reason', 'diagnosis.steps.onPremisesOnly'],
    ['D1][E2', { benefits: { activated: false } }, 'diagnosis.resolution.notActivated.reason', 'diagnosis.steps.activateBenefits'],
  ])('[%s] the TAM message on top of a known problem is still D1, and the problem follows as detail and steps', (_rules, extra, detailKey, step) => {
    const result = verdictOf(resolveAlreadyAssociated(input({ message: 'tam', ...extra })));
    expect(result).toMatchObject({ scenario: 'D1', reasonKey: 'diagnosis.resolution.D1.reason', detailKey });
    expect(result.steps[0]?.key).toBe('diagnosis.steps.ignoreMessage');
    expect(result.steps.map((s) => s.key)).toContain(step);
    expect(result.steps.map((s) => s.key)).not.toContain('diagnosis.steps.newSupportRequest');
    expect(result.rules[0]).toBe('D1');
  });

  it('[D3] an expired contract names its end date and says to buy a new support plan', () => {
    const result = verdictOf(resolveAlreadyAssociated(input({ benefits: unknownState({ endDate: '2026-02-28' }) })));
    expect(result.params).toEqual({ endDate: '2026-02-28' });
    expect(result.steps).toContainEqual({ key: 'diagnosis.steps.buySupportPlan', link: 'partnerSupportPlans' });
    expect(result.rules).toEqual(expect.arrayContaining(['D3', 'P1']));
  });

  it('[D3][O7] the D3 verdict points to "Would you like to see unavailable support plans?" in Support for Business', () => {
    const result = verdictOf(resolveAlreadyAssociated(input({ benefits: unknownState({ endDate: '2026-02-28' }) })));
    expect(result.steps).toContainEqual({ key: 'diagnosis.steps.unavailablePlans', link: 'supportForBusiness' });
    expect(result.rules).toContain('O7');
  });

  it('[D3] a contract ending today is still valid', () => {
    const result = resolveAlreadyAssociated(input({ benefits: unknownState({ endDate: TODAY, associatedAccounts: [ME] }) }));
    expect(result).toMatchObject({ kind: 'verdict', scenario: 'D2' });
  });

  it('[D3][E4] a zero counter is ignored when the policy says the cloud pack is unlimited', () => {
    const result = resolveAlreadyAssociated(input({ benefits: unknownState({ cloudIncidentsRemaining: 0, associatedAccounts: [ME] }), cloudPack: 'unlimited' }));
    expect(result).toMatchObject({ kind: 'verdict', scenario: 'D2' });
  });

  it('[D4][C1] Action Pack gets no cloud support: on-premises support and a paid plan are offered instead', () => {
    const result = verdictOf(resolveAlreadyAssociated(input({ org: org('actionPack') })));
    expect(result.steps).toEqual([
      { key: 'diagnosis.steps.onPremisesOnly', link: 'supportForBusiness' },
      { key: 'diagnosis.steps.buySupportPlan', link: 'partnerSupportPlans' },
    ]);
    expect(result.rules).toEqual(expect.arrayContaining(['D4', 'C1']));
  });

  it('[D2][A5] D2 says to use + New support request, with checking the contract as the fallback', () => {
    const result = resolveAlreadyAssociated(input({ benefits: unknownState({ associatedAccounts: [ME] }) }));
    expect(stepKeys(result)).toEqual(['diagnosis.steps.newSupportRequest', 'diagnosis.steps.checkContract']);
    expect(verdictOf(result).rules).toEqual(['D2', 'A5']);
  });

  it('[E2][R1][A3] not activated: activate, find an admin, or let the bot ask one', () => {
    const result = resolveAlreadyAssociated(input({ benefits: { activated: false } }));
    expect(stepKeys(result)).toEqual(['diagnosis.steps.activateBenefits', 'diagnosis.steps.findAdmin', 'diagnosis.steps.requestActivation']);
  });

  it('[D2] someone else marked as associated does not make it D2 for me', () => {
    const result = resolveAlreadyAssociated(input({ benefits: unknownState({ endDate: '2026-12-31', associatedAccounts: ['someone-else'] }) }));
    expect(result.kind).toBe('questions');
  });
});

describe('resolveAlreadyAssociated: state unknown, decided from answers', () => {
  it.each<[string, Partial<AlreadyAssociatedInput>, string[]]>([
    ['D2][D3', {}, ['associatedBefore', 'contractExpired']],
    ['D2][D3', { cloudPack: 'limited' }, ['associatedBefore', 'contractExpired', 'incidentsLeft']],
    ['D2][D3', { cloudPack: 'unlimited' }, ['associatedBefore', 'contractExpired']],
    ['D2][D3', { benefits: unknownState({ endDate: '2026-12-31' }), cloudPack: 'limited' }, ['associatedBefore', 'incidentsLeft']],
    ['D2][D3', { benefits: unknownState({ cloudIncidentsRemaining: 4 }), cloudPack: 'limited' }, ['associatedBefore', 'contractExpired']],
    ['D2', { benefits: unknownState({ endDate: '2026-12-31', cloudIncidentsRemaining: 4 }), cloudPack: 'limited' }, ['associatedBefore']],
    ['D2][D3', { benefits: undefined }, ['associatedBefore', 'contractExpired']],
    ['D2][D3', { person: undefined }, ['associatedBefore', 'contractExpired']],
  ])('[%s] only what the state does not tell is asked (%j)', (_rules, extra, expected) => {
    const result = resolveAlreadyAssociated(input(extra));
    expect(result.kind).toBe('questions');
    expect(questionIds(result)).toEqual(expected);
    expect(questionIds(result).length).toBeLessThanOrEqual(3);
  });

  it('[D2][D3] each question offers yes / no / not sure and says where to look it up', () => {
    const result = resolveAlreadyAssociated(input({ cloudPack: 'limited' }));
    if (result.kind !== 'questions') throw new Error('expected questions');
    for (const q of result.questions) {
      expect(q.key).toBe(`diagnosis.questions.${q.id}`);
      expect(q.options).toEqual([
        { value: 'yes', key: 'diagnosis.answers.yes' },
        { value: 'no', key: 'diagnosis.answers.no' },
        { value: 'unsure', key: 'diagnosis.answers.unsure' },
      ]);
    }
    expect(result.questions.find((q) => q.id === 'contractExpired')?.link).toBe('supportForBusiness');
    expect(result.questions.find((q) => q.id === 'incidentsLeft')?.link).toBe('incidentsRemaining');
  });

  /** [rules, situation, answers, expected scenario, expected reason] — questions first, then the answers. */
  it.each<[string, Partial<AlreadyAssociatedInput>, Partial<Answers>, Verdict['scenario'], string]>([
    ['D2', {}, { associatedBefore: 'yes', contractExpired: 'no' }, 'D2', 'diagnosis.resolution.D2.answeredReason'],
    ['D2', {}, { associatedBefore: 'yes', contractExpired: 'unsure' }, 'D2', 'diagnosis.resolution.D2.answeredReason'],
    ['D2', {}, { associatedBefore: 'unsure', contractExpired: 'no' }, 'D2', 'diagnosis.resolution.D2.likelyReason'],
    ['D3', {}, { associatedBefore: 'yes', contractExpired: 'yes' }, 'D3', 'diagnosis.resolution.D3.expiredReason'],
    ['D3', { cloudPack: 'limited' }, { associatedBefore: 'yes', contractExpired: 'no', incidentsLeft: 'no' }, 'D3', 'diagnosis.resolution.D3.noIncidentsReason'],
    ['D2', { cloudPack: 'limited' }, { associatedBefore: 'yes', contractExpired: 'no', incidentsLeft: 'yes' }, 'D2', 'diagnosis.resolution.D2.answeredReason'],
    ['D2][D3', {}, { associatedBefore: 'no', contractExpired: 'no' }, 'unknown', 'diagnosis.resolution.unknown.reason'],
    ['D2][D3', {}, { associatedBefore: 'no', contractExpired: 'unsure' }, 'unknown', 'diagnosis.resolution.unknown.reason'],
    ['D1', { message: 'tam' }, { associatedBefore: 'no', contractExpired: 'no' }, 'D1', 'diagnosis.resolution.D1.reason'],
    ['D4', { org: org('actionPack'), benefits: undefined }, { associatedBefore: 'yes', contractExpired: 'no' }, 'D4', 'diagnosis.resolution.D4.reason'],
  ])('[%s] state %j, then answers %j: verdict %s', (_rules, situation, answers, scenario, reasonKey) => {
    const first = resolveAlreadyAssociated(input(situation));
    if (scenario === 'D1' || scenario === 'D4') {
      // D1 (the message) and D4 (the tier) never depend on the benefits state: no question is ever asked.
      expect(first.kind).toBe('verdict');
    } else {
      expect(first.kind).toBe('questions');
      expect(questionIds(first).length).toBeLessThanOrEqual(3);
      expect(Object.keys(answers).sort()).toEqual([...questionIds(first)].sort());
    }
    expect(resolveAlreadyAssociated(input({ ...situation, answers }))).toMatchObject({ kind: 'verdict', scenario, reasonKey });
  });

  it('[D3] "expired: yes" settles it before the other questions are answered', () => {
    expect(resolveAlreadyAssociated(input({ answers: { contractExpired: 'yes' } }))).toMatchObject({ kind: 'verdict', scenario: 'D3' });
  });

  it('[D2][D3] with part of the answers, only the unanswered questions are asked again', () => {
    const result = resolveAlreadyAssociated(input({ cloudPack: 'limited', answers: { associatedBefore: 'yes' } }));
    expect(questionIds(result)).toEqual(['contractExpired', 'incidentsLeft']);
  });

  it('[D3] answers never override the state: a past end date is D3 whatever was answered', () => {
    const result = resolveAlreadyAssociated(input({ benefits: unknownState({ endDate: '2025-06-30' }), answers: { associatedBefore: 'yes', contractExpired: 'no' } }));
    expect(result).toMatchObject({ kind: 'verdict', scenario: 'D3', params: { endDate: '2025-06-30' } });
  });

  it('[D2] an answer to a question that was not relevant is ignored', () => {
    const result = resolveAlreadyAssociated(
      input({ benefits: unknownState({ endDate: '2026-12-31' }), cloudPack: 'unlimited', answers: { associatedBefore: 'yes', incidentsLeft: 'no' } }),
    );
    expect(result).toMatchObject({ kind: 'verdict', scenario: 'D2' });
  });

  it('[O6][O7] never associated and still valid: check the contract, Add Contract, then the help desk', () => {
    const result = resolveAlreadyAssociated(input({ answers: { associatedBefore: 'no', contractExpired: 'no' } }));
    expect(verdictOf(result).steps).toEqual([
      { key: 'diagnosis.steps.checkContract', link: 'supportForBusiness' },
      { key: 'diagnosis.steps.addContract', link: 'supportForBusiness' },
      { key: 'diagnosis.steps.contactHelpDesk' },
    ]);
    expect(verdictOf(result).rules).toEqual(['O6', 'O7']);
  });
});

describe('resolveAlreadyAssociated: input checks', () => {
  it.each(['', '01/03/2026', 'today'])('[D3] a today of %j is refused loudly', (today) => {
    expect(() => resolveAlreadyAssociated(input({ today }))).toThrow(/today must be an ISO date/);
  });

  it('[D3] an ISO timestamp is accepted for today and compared by its date', () => {
    const result = resolveAlreadyAssociated(input({ today: '2026-03-01T23:59:00Z', benefits: unknownState({ endDate: '2026-02-28' }) }));
    expect(result).toMatchObject({ kind: 'verdict', scenario: 'D3' });
  });

  it('[D2] the same input always gives the same resolution', () => {
    const same = input({ cloudPack: 'limited', answers: { associatedBefore: 'unsure' } });
    expect(resolveAlreadyAssociated(same)).toEqual(resolveAlreadyAssociated(same));
  });
});

describe('DiagnosisFeedback', () => {
  it('[D2] a feedback record names the entry, the scenario and who found it helpful', () => {
    const feedback: DiagnosisFeedback = {
      entryId: 'accessIdAlreadyAssociated',
      scenario: 'D2',
      helpful: true,
      at: '2026-03-01T10:00:00.000Z',
      tenantId: '7a1c2f10-0000-4000-8000-000000000001',
      aadObjectId: ME,
    };
    expect(Object.keys(feedback).sort()).toEqual(['aadObjectId', 'at', 'entryId', 'helpful', 'scenario', 'tenantId']);
  });
});
