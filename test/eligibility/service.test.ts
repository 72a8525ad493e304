import { loadCatalog } from '../../src/domain/catalog.js';
import type { Person } from '../../src/domain/org.js';
import { loadPolicy } from '../../src/domain/policy.js';
import {
  answerProduct,
  answerQuery,
  answerQuestion,
  isoDay,
  mentionsCustomer,
  scoreFreeText,
  stripCustomer,
  type Answer,
  type EligibilityInputs,
} from '../../src/eligibility/service.js';
import { loadOrgFile } from '../../src/identity/org-file.js';

const catalog = loadCatalog();
const policy = loadPolicy('mpn-2021');
const sample = loadOrgFile('config/org.mpn-2021.sample.json');
const notActivated = loadOrgFile('config/org.mpn-2021.not-activated.sample.json');

function person(name: string): Person {
  const p = sample.people.find((x) => x.name === name);
  if (!p) throw new Error(`no ${name} in the sample org`);
  return p;
}
const staff = person('Adele Vance');
const cspAdminAgent = person('Patti Fernandez');

function inputs(over: Partial<EligibilityInputs> = {}): EligibilityInputs {
  return { org: sample.organisation, person: staff, benefits: sample.benefits, today: '2026-11-25', policy, catalog, ...over };
}

function decisionOf(answer: Answer) {
  if (answer.kind !== 'decision') throw new Error(`expected a decision, got ${answer.kind}`);
  return answer;
}

describe('who the request is for', () => {
  it.each([
    ['is azure covered for a customer', true],
    ['is azure covered for my customer', true],
    ['can we get support for sql 2022 on behalf of our customer', true],
    ["is it covered for a customer's tenant", true],
    ['애저 고객용으로 지원되나요', true],
    ['고객사 SQL 2022 지원 대상인가요', true],
    ['is azure covered', false],
    ['sql 2019', false],
    ['애저 지원되나요', false],
  ])('[R3][R4] "%s" is for a customer: %s', (text, expected) => {
    expect(mentionsCustomer(text)).toBe(expected);
  });

  it.each([
    ['sql 2022 for a customer', 'sql 2022'],
    ['azure for my customer', 'azure'],
    ['azure on behalf of our customers', 'azure'],
    ['애저 고객용으로', '애저'],
    ['sql server 2022', 'sql server 2022'],
  ])('strips the customer phrase from "%s"', (text, expected) => {
    expect(stripCustomer(text)).toBe(expected);
  });
});

describe('answers', () => {
  it('[O1][E3][O5] answers a recognised product with the decision of the engine', () => {
    const a = decisionOf(answerQuestion('is SQL Server 2022 covered', inputs()));
    expect(a.product).toEqual({ familyId: 'sql-server', versionId: '2022' });
    expect(a.label).toBe('SQL Server 2022');
    expect(a.decision).toMatchObject({ covered: true, benefit: 'productSupport', portal: 'supportForBusiness', incidentsConsumed: 1, incidentsRemaining: 17 });
    expect(a.onBehalfOfCustomer).toBe(false);
  });

  it('[O1][O2][P1] answers an old version as not covered with paid alternatives', () => {
    const a = decisionOf(answerQuestion('is sql 2019 covered', inputs()));
    expect(a.decision.covered).toBe(false);
    expect(a.decision.paidAlternatives.length).toBeGreaterThan(0);
  });

  it('[R3] treats "for a customer" in the message as a request for a customer', () => {
    const a = decisionOf(answerQuestion('is azure covered for a customer', inputs()));
    expect(a.onBehalfOfCustomer).toBe(true);
    expect(a.decision.reasonKeys).toContain('adminAgentRequired');
  });

  it('[C3] gives the CSP admin agent the CSP plan for a customer', () => {
    const a = decisionOf(answerQuestion('azure for my customer', inputs({ person: cspAdminAgent })));
    expect(a.decision).toMatchObject({ covered: true, benefit: 'cspSupportPlan', portal: 'partnerCenterCsp' });
  });

  it('[E1] asks which version when a versioned family is named without one', () => {
    const a = answerQuestion('sql server', inputs());
    expect(a.kind).toBe('pick');
    if (a.kind !== 'pick') return;
    expect(a.reason).toBe('versionMissing');
    expect(a.familyName).toBe('SQL Server');
    expect(a.candidates.map((c) => c.label)).toContain('SQL Server 2022');
  });

  it('[E1] asks which product when several are named', () => {
    const a = answerQuestion('sql server 2019 on windows server 2022', inputs());
    expect(a).toMatchObject({ kind: 'pick', reason: 'severalProducts' });
  });

  it('[E1] names the known versions for an unknown version', () => {
    const a = answerQuestion('is sql 2008 covered', inputs());
    expect(a).toMatchObject({ kind: 'unknown', reason: 'unknownVersion', familyName: 'SQL Server' });
    if (a.kind === 'unknown') expect(a.suggestions.map((s) => s.product.versionId)).toEqual(['2025', '2022', '2019', '2017', '2016']);
  });

  it('[E1] offers suggestions for an unknown product', () => {
    const a = answerQuestion('windows', inputs());
    expect(a).toMatchObject({ kind: 'unknown', reason: 'unknownProduct' });
    if (a.kind === 'unknown') expect(a.suggestions.map((s) => s.product.familyId)).toContain('windows-server');
  });

  it('asks for the product when none is named, keeping the audience', () => {
    expect(answerQuery('', false, inputs())).toEqual({ kind: 'ask', onBehalfOfCustomer: false });
    expect(answerQuery('my customer', true, inputs())).toEqual({ kind: 'ask', onBehalfOfCustomer: true });
  });

  it('[E2] answers "not activated" before looking at the product', () => {
    const before = inputs({ benefits: notActivated.benefits });
    for (const text of ['is sql server 2022 covered', 'sql server', 'windows', '']) {
      const a = decisionOf(answerQuery(text, false, before));
      expect(a.decision.reasonKeys[0]).toBe('notActivated');
      expect(a.decision.reasons).toContain('E2');
    }
  });

  it('[A2] answers "no membership" before looking at the product', () => {
    const none = inputs({ org: { ...sample.organisation, competencies: [], actionPack: false } });
    const a = decisionOf(answerQuery('azure', false, none));
    expect(a.decision.reasonKeys[0]).toBe('noMembership');
  });

  it('decides with no person (general guidance) when the directory does not know them', () => {
    const a = decisionOf(answerQuestion('is sql server 2022 covered', inputs({ person: undefined })));
    expect(a.decision.covered).toBe(true);
    expect(a.decision.steps[0].key).toBe('ids.askColleague');
  });
});

describe('picked products (card data is not trusted)', () => {
  it('[O1] decides for a picked family and version', () => {
    const a = decisionOf(answerProduct({ familyId: 'windows-server', versionId: '2025' }, false, inputs()) as Answer);
    expect(a.decision.covered).toBe(true);
    expect(a.label).toBe('Windows Server 2025');
  });

  it('asks for the version when a versioned family is picked without one', () => {
    expect(answerProduct({ familyId: 'exchange-server' }, true, inputs())).toMatchObject({ kind: 'pick', reason: 'versionMissing', onBehalfOfCustomer: true });
  });

  it.each([
    [{ familyId: 'no-such-family' }],
    [{ familyId: 'sql-server', versionId: '2008' }],
    [{ familyId: 'azure', versionId: '2022' }],
    [{ familyId: '__proto__' }],
  ])('refuses %j', (product) => {
    expect(answerProduct(product, false, inputs())).toBeUndefined();
  });
});

describe('free text', () => {
  it.each([
    'sql 2019',
    'SQL Server 2022',
    'WS2022',
    'Windows Server 2025',
    'Exchange SE',
    'azure',
    'D365',
    '애저',
    '윈도우 서버 2022',
    'sql server',
    'sql 2008',
    'is sql 2019 still ok?',
    'what about azure for a customer?',
    'azure 고객',
    'windos server 2022',
  ])('scores "%s" high (a product, or a question about one)', (text) => {
    expect(scoreFreeText(text, catalog)).toBeGreaterThanOrEqual(0.5);
  });

  it.each([
    'access id is already associated',
    'This Access ID is already associated to an account. Please contact your Technical Account Manager to obtain a new Access ID',
    'You are not authorized for this action',
    'Support plan cannot be used for the specified product',
    'sql server 2019 setup fails with error 0x84b40000',
    'azure portal shows an error when I link support benefits',
    'Windows Server 2022 crashes after the update',
    '애저에서 오류가 발생합니다',
    'SQL 2019 설치 실패',
    'how many incidents do we have left',
    'activate button greyed out',
    'thanks',
    'hello',
    '',
    'we moved our sql server 2022 databases to a new cluster last week and performance dropped a lot since then',
  ])('scores "%s" low (not for eligibility)', (text) => {
    expect(scoreFreeText(text, catalog)).toBeLessThan(0.5);
  });

  it('uses the UTC calendar day as today', () => {
    expect(isoDay(new Date('2026-10-13T23:30:00Z'))).toBe('2026-10-13');
  });
});
