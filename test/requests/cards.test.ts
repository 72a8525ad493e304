/** Request cards built from real records (en and ko) are valid Adaptive Cards 1.5, and their verbs are the served ones. */
import { i18nFor } from '../../src/i18n/profile-terms.js';
import fs from 'node:fs';
import path from 'node:path';
import { loadCatalog } from '../../src/domain/catalog.js';
import { decide } from '../../src/domain/eligibility.js';
import { loadPolicy } from '../../src/domain/policy.js';
import { renderCard } from '../../src/cards/render.js';
import { I18n, LANGUAGES } from '../../src/i18n/i18n.js';
import { QueueCard, RequestFormCard, RequestStatusCard, TriageCard } from '../../src/requests/cards.js';
import type { RequestRecord } from '../../src/requests/model.js';
import { snapshot } from '../../src/requests/service.js';
import { RequestsVerb } from '../../src/requests/verbs.js';
import { formCardData, queueCardData, statusCardData, triageCardData } from '../../src/requests/views.js';
import { cardProblems } from '../cards/validate.js';
import { requestCardFixtures } from './card-fixtures.js';

const catalog = loadCatalog(undefined, path.resolve('data'));
const policy = loadPolicy('mpn-2021', path.resolve('data'));
const i18n = i18nFor(loadPolicy('mpn-2021'));
const NOW = new Date('2026-06-03T12:00:00Z');
const TENANT = '7a1c2f10-0000-4000-8000-000000000001';

function recordFor(product: { familyId: string; versionId?: string }, label: string, over: Partial<RequestRecord> = {}): RequestRecord {
  const decision = decide({
    org: { tenantId: TENANT, name: 'Contoso', program: 'mpn-2021', actionPack: false, competencies: [{ name: 'Data Analytics', level: 'gold' }] },
    benefits: { activated: true, endDate: '2027-03-17', onPremisesIncidentsRemaining: 5, cloudIncidentsRemaining: 5, associatedAccounts: [] },
    person: { aadObjectId: 'a', name: 'A', mpnAssociated: true, cspAssociated: false, roles: [] },
    product,
    onBehalfOfCustomer: false,
    today: '2026-06-01',
    policy,
    catalog,
  });
  return {
    id: 'r-abc', version: 4, tenantId: TENANT, number: 7, key: 'PSA-0007', requester: { aadObjectId: 'a', name: 'Adele Vance' }, lang: 'en',
    createdAt: '2026-06-01T09:00:00Z', touchedAt: '2026-06-01T09:00:00Z', updatedAt: '2026-06-01T09:00:00Z', product: { ...product, label },
    forCustomer: false, severity: 'A', title: 'Title ${x}', description: 'Description {{DATE(2017-02-14T06:08:39Z)}}',
    decision: snapshot(decision), status: 'new', notes: [], changedAt: { status: 1, assignee: 1 }, ...over,
  };
}

const records: [string, RequestRecord][] = [
  ['covered on-premises, new', recordFor({ familyId: 'sql-server', versionId: '2022' }, 'SQL Server 2022')],
  ['not covered (older than N-1), claimed, with notes', recordFor({ familyId: 'sql-server', versionId: '2016' }, 'SQL Server 2016', {
    assignee: { aadObjectId: 'b', name: 'Isaiah Langer' },
    status: 'waitingOnRequester',
    notes: [{ id: 'n', at: '2026-06-02T10:00:00Z', by: { aadObjectId: 'b', name: 'Isaiah' }, text: 'Send logs', visibleToRequester: true }],
  })],
  ['cloud pack, submitted and counted, customer', recordFor({ familyId: 'azure' }, 'Azure', {
    status: 'submitted', microsoftCaseNumber: '2606010040001234', incident: { at: '2026-06-02T10:00:00Z', kind: 'cloud', remainingAfter: 4 },
    forCustomer: true, customer: { name: 'Fabrikam', tenantId: '0f0f0f0f-0000-4000-8000-000000000001' },
  })],
  ['closed', recordFor({ familyId: 'microsoft-365' }, 'Microsoft 365', { status: 'closed' })],
];

/** A card's problems, ignoring template data that came from user text (it is bound verbatim, never evaluated). */
const problemsOf = (card: object) => cardProblems(JSON.parse(JSON.stringify(card).split('${x}').join('x')));

describe.each(LANGUAGES)('request cards in %s', (lang) => {
  const t = i18n.forLang(lang);

  it.each(records)('triage and status cards are valid for: %s', (_name, r) => {
    expect(problemsOf(renderCard(TriageCard, triageCardData(t, r, { now: NOW, members: [{ aadObjectId: 'b', name: 'Isaiah Langer' }], remaining: { onPremises: 5, cloud: 5 }, notice: { key: 'requests.refused.claimedBy', vars: { key: r.key, name: 'Lynne' } } })))).toEqual([]);
    for (const headline of ['opened', 'changed', 'note', 'withdrawn'] as const) {
      expect(problemsOf(renderCard(RequestStatusCard, statusCardData(t, r, { headline, posted: true, noteId: 'n', remaining: { onPremises: 5 } })))).toEqual([]);
    }
  });

  it('the form is valid empty, and with every error and a "which one?" list', () => {
    expect(problemsOf(renderCard(RequestFormCard, formCardData(t, { formId: 'f' })))).toEqual([]);
    const errors = Object.fromEntries(['product', 'for', 'customerName', 'customerTenantId', 'severity', 'title', 'description'].map((f) => [f, { key: 'requests.form.error.titleLength', vars: { min: 3, max: 120 } }]));
    const card = renderCard(RequestFormCard, formCardData(t, { formId: 'f', values: { product: 'sql', for: 'customer' }, errors, productChoices: [{ label: 'SQL Server 2022', product: { familyId: 'sql-server', versionId: '2022' } }] }));
    expect(problemsOf(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('"value":"sql-server|2022"');
  });

  it('the queue is valid with rows, empty, and with paging', () => {
    const page = { items: records.map(([, r]) => r), total: 24, page: 2, pages: 3 };
    expect(problemsOf(renderCard(QueueCard, queueCardData(t, page, { page: 2, severity: 'A', olderThanDays: 3 }, { now: NOW, notice: { key: 'requests.notice.claimed', vars: { key: 'PSA-0007' } } })))).toEqual([]);
    expect(problemsOf(renderCard(QueueCard, queueCardData(t, { items: [], total: 0, page: 1, pages: 1 }, { page: 1 }, { now: NOW })))).toEqual([]);
  });
});

describe('request card verbs', () => {
  const verbs = new Set<string>();
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const o = n as Record<string, unknown>;
    if (o.type === 'Action.Execute' && typeof o.verb === 'string') verbs.add(o.verb);
    Object.values(o).forEach(walk);
  };
  for (const f of fs.readdirSync('cards').filter((x) => /^requests\..+\.json$/.test(x))) walk(JSON.parse(fs.readFileSync(path.join('cards', f), 'utf8')));

  it('uses exactly the verbs of src/requests/verbs.ts', () => {
    expect([...verbs].sort()).toEqual(Object.values(RequestsVerb).sort());
  });

  it('has a fixture for every request template', () => {
    const templates = fs.readdirSync('cards').filter((x) => /^requests\..+\.json$/.test(x)).map((x) => x.slice(0, -5)).sort();
    expect(Object.keys(requestCardFixtures).sort()).toEqual(templates);
  });
});
