/** RequestService over plain data and a real file store: validation, numbering, compare-and-set actions, incidents, ageing maths. */
import { i18nFor } from '../../src/i18n/profile-terms.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BenefitsStore, type BenefitsRecord } from '../../src/benefits/benefits-store.js';
import { loadCatalog } from '../../src/domain/catalog.js';
import type { Organisation, Person } from '../../src/domain/org.js';
import { loadPolicy } from '../../src/domain/policy.js';
import { I18n } from '../../src/i18n/i18n.js';
import { SecretRegistry } from '../../src/logging/logger.js';
import type { RequestRecord, RequestSettings } from '../../src/requests/model.js';
import { requestKey } from '../../src/requests/model.js';
import { businessDaysBetween, canMoveTo, incidentKind, maySetHelpDeskChannel, RequestService, type ValidRequestForm } from '../../src/requests/service.js';
import { decodeQueueState, encodeQueueState, incidentText, statusCardData, triageCardData } from '../../src/requests/views.js';
import { createSecretBox } from '../../src/storage/secret-box.js';
import { openStore, type Store } from '../../src/storage/store.js';

const TENANT = '7a1c2f10-0000-4000-8000-000000000001';
const catalog = loadCatalog(undefined, path.resolve('data'));
const policy = loadPolicy('mpn-2021', path.resolve('data'));
const org: Organisation = { tenantId: TENANT, name: 'Contoso', program: 'mpn-2021', actionPack: false, competencies: [{ name: 'Cloud Platform', level: 'gold' }] };
const person = (n: string, roles: Person['roles'] = [], extra: Partial<Person> = {}): Person => ({ aadObjectId: `7a1c2f10-0000-4000-8000-0000000000${n}`, name: `Person ${n}`, mpnAssociated: true, cspAssociated: false, roles, ...extra });
const staff = person('22');
const hd1 = person('23', ['helpDesk']);
const hd2 = person('25', ['helpDesk', 'adminAgent']);
const admin = person('20', ['globalAdmin']);
const NOW = new Date('2026-06-01T09:00:00Z');
const t = i18nFor(loadPolicy('mpn-2021')).forLang('en');

describe('RequestService', () => {
  let dir: string;
  let store: Store;
  let service: RequestService;
  let benefits: BenefitsStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-req-'));
    store = openStore(dir);
    benefits = new BenefitsStore(store.collection<BenefitsRecord>('benefits'), createSecretBox({ keyBase64: Buffer.alloc(32, 7).toString('base64'), dataDir: dir, allowKeyFile: false }), new SecretRegistry());
    await benefits.seed(TENANT, { activated: true, accessId: 'A-1', contractId: 'C-1', endDate: '2027-03-17', onPremisesIncidentsRemaining: 3, cloudIncidentsRemaining: 2, associatedAccounts: [] }, NOW);
    service = new RequestService({
      requests: store.collection<RequestRecord>('requests'),
      settings: store.collection<RequestSettings>('request-settings'),
      audit: store.audit,
      benefits,
      organisation: () => org,
      helpDeskMembers: async () => [hd1, hd2],
      policy,
      catalog,
    });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const valid = (over: Record<string, string> = {}) => service.validate({ product: 'SQL Server 2022', severity: 'B', title: 'Failover fails', description: 'It fails with an error since the update.', ...over }, TENANT);
  const formOf = (over: Record<string, string> = {}): ValidRequestForm => {
    const v = valid(over);
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    return v.value;
  };
  const create = (key: string, over: Record<string, string> = {}, who: Person = staff) => service.create({ tenantId: TENANT, requester: who, lang: 'en', form: formOf(over), idempotencyKey: key, now: NOW });

  describe('validation', () => {
    it.each([
      ['no product', { product: '' }, 'product', 'requests.form.error.productRequired'],
      ['a family without version', { product: 'sql server' }, 'product', 'requests.form.error.versionMissing'],
      ['two products', { product: 'sql server 2022 on windows server 2022' }, 'product', 'requests.form.error.severalProducts'],
      ['an unknown version', { product: 'sql server 2008' }, 'product', 'requests.form.error.unknownVersion'],
      ['an unknown product', { product: 'lotus notes' }, 'product', 'requests.form.error.unknownProduct'],
      ['no severity', { severity: '' }, 'severity', 'requests.form.error.severityRequired'],
      ['a severity D', { severity: 'D' }, 'severity', 'requests.form.error.severityRequired'],
      ['a 2-letter title', { title: 'ab' }, 'title', 'requests.form.error.titleLength'],
      ['a short description', { description: 'broken' }, 'description', 'requests.form.error.descriptionLength'],
      ['a customer without name', { for: 'customer', customerName: '', customerTenantId: '0f0f0f0f-0000-4000-8000-000000000001' }, 'customerName', 'requests.form.error.customerNameRequired'],
      ['a customer tenant that is not a GUID', { for: 'customer', customerName: 'Fabrikam', customerTenantId: 'fabrikam' }, 'customerTenantId', 'requests.form.error.customerTenantInvalid'],
      ['the own tenant as customer', { for: 'customer', customerName: 'Fabrikam', customerTenantId: TENANT.toUpperCase() }, 'customerTenantId', 'requests.form.error.customerTenantOwn'],
      ['an unknown "for"', { for: 'partner' }, 'for', 'requests.form.error.forRequired'],
    ])('refuses %s', (_name, over, field, key) => {
      const v = valid(over);
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.errors[field as keyof typeof v.errors]?.key).toBe(key);
    });

    it('offers the candidates of an ambiguous product and accepts a pick', () => {
      const v = valid({ product: 'sql server' });
      expect(v.ok).toBe(false);
      if (v.ok) return;
      expect(v.productChoices.map((c) => c.label)).toContain('SQL Server 2022');
      const picked = valid({ product: 'sql server', productPick: 'sql-server|2022' });
      expect(picked.ok && picked.value.product).toEqual({ familyId: 'sql-server', versionId: '2022', label: 'SQL Server 2022' });
      expect(valid({ product: '', productPick: 'sql-server|1999' }).ok).toBe(false);
      expect(valid({ product: '', productPick: 'azure|' }).ok).toBe(true);
    });

    it('cleans control characters and collapses title whitespace', () => {
      const v = valid({ title: '  Fail\u0000over   fails  ', description: 'Line one\r\nline two \u0007with a bell' });
      expect(v.ok && v.value.title).toBe('Failover fails');
      expect(v.ok && v.value.description).toBe('Line one\nline two with a bell');
    });
  });

  it('numbers requests per organisation and stores the decision', async () => {
    const a = await create('k1');
    const b = await create('k2', { product: 'Azure' });
    expect([a.record.key, b.record.key]).toEqual(['PSA-0001', 'PSA-0002']);
    expect(a.record.decision).toMatchObject({ benefit: 'productSupport', covered: true, incidentsConsumed: 1, portal: 'supportForBusiness' });
    expect(b.record.decision).toMatchObject({ benefit: 'cloudSupport', incidentsConsumed: 0 });
    expect(requestKey(12345)).toBe('PSA-12345');
  });

  it('creates once per idempotency key, also when both arrive at once', async () => {
    const [x, y] = await Promise.all([create('same'), create('same')]);
    expect(x.record.id).toBe(y.record.id);
    expect([x.created, y.created].sort()).toEqual([false, true]);
    const again = await create('same');
    expect(again.created).toBe(false);
    expect(await store.collection('requests').count()).toBe(1);
    expect((await create('other')).record.number).toBe(2);
  });

  it('lets only help desk members act, and never on another tenant\'s request', async () => {
    const { record } = await create('k');
    for (const who of [undefined, staff, admin, person('24', ['adminAgent'], { mpnAssociated: false, cspAssociated: true })]) {
      expect((await service.claim(TENANT, who, record.id, NOW)).kind).toBe('forbidden');
      expect((await service.setStatus(TENANT, who, record.id, 'closed', undefined, record.version, NOW)).kind).toBe('forbidden');
      expect((await service.addNote(TENANT, who, record.id, 'x', true, NOW)).kind).toBe('forbidden');
      expect((await service.assign(TENANT, who, record.id, hd1.aadObjectId, record.version, NOW)).kind).toBe('forbidden');
    }
    expect((await service.claim('9b9b9b9b-0000-4000-8000-000000000099', hd1, record.id, NOW)).kind).toBe('notFound');
    expect((await service.claim(TENANT, hd1, 'r-missing', NOW)).kind).toBe('notFound');
    expect((await service.get(TENANT, record.id))?.version).toBe(1);
  });

  it('claims once: the second claimer is refused with the owner\'s name; the owner claiming again changes nothing', async () => {
    const { record } = await create('k');
    const first = await service.claim(TENANT, hd1, record.id, NOW);
    expect(first.kind).toBe('changed');
    const second = await service.claim(TENANT, hd2, record.id, NOW);
    expect(second).toMatchObject({ kind: 'refused', reason: { key: 'requests.refused.claimedBy', vars: { name: 'Person 23' } } });
    expect((await service.claim(TENANT, hd1, record.id, NOW)).kind).toBe('unchanged');
  });

  it('refuses an assignment from a stale card when the assignee changed since, accepts it when only other fields changed', async () => {
    const { record } = await create('k');
    const shown = record.version;
    await service.addNote(TENANT, hd1, record.id, 'unrelated change', false, NOW);
    expect((await service.assign(TENANT, hd1, record.id, hd2.aadObjectId, shown, NOW)).kind).toBe('changed');
    const stale = await service.assign(TENANT, hd2, record.id, hd1.aadObjectId, shown, NOW);
    expect(stale).toMatchObject({ kind: 'refused', reason: { key: 'requests.refused.assigneeChanged', vars: { name: 'Person 25' } } });
    expect((await service.assign(TENANT, hd1, record.id, staff.aadObjectId, 99, NOW)).kind).toBe('invalid');
  });

  it.each([
    ['new', 'triaged', true],
    ['new', 'submitted', true],
    ['submitted', 'resolved', true],
    ['resolved', 'closed', true],
    ['resolved', 'reopened', true],
    ['closed', 'reopened', true],
    ['withdrawn', 'reopened', true],
    ['closed', 'triaged', false],
    ['withdrawn', 'submitted', false],
    ['new', 'reopened', false],
    ['triaged', 'triaged', false],
  ] as const)('status %s → %s allowed: %s', (from, to, ok) => {
    expect(canMoveTo(from, to)).toBe(ok);
  });

  it('[E3] counts the on-premises incident once per request across resubmits, never below zero', async () => {
    const one = (await create('a')).record;
    const two = (await create('b')).record;
    const submit = async (id: string, n: string) => {
      const cur = await service.get(TENANT, id);
      return service.setStatus(TENANT, hd1, id, 'submitted', n, cur!.version, NOW);
    };
    expect((await service.setStatus(TENANT, hd1, one.id, 'submitted', '', one.version, NOW)).kind).toBe('invalid');
    expect((await service.setStatus(TENANT, hd1, one.id, 'submitted', 'bad number!', one.version, NOW)).kind).toBe('invalid');
    const s1 = await submit(one.id, '111111111');
    expect(s1.kind === 'changed' && s1.record.incident).toMatchObject({ kind: 'onPremises', remainingAfter: 2 });
    for (const status of ['resolved', 'reopened']) {
      const cur = await service.get(TENANT, one.id);
      await service.setStatus(TENANT, hd1, one.id, status, undefined, cur!.version, NOW);
    }
    await submit(one.id, '222222222');
    expect((await benefits.publicState(TENANT))?.onPremisesIncidentsRemaining).toBe(2);
    await submit(two.id, '333333333');
    expect((await benefits.publicState(TENANT))?.onPremisesIncidentsRemaining).toBe(1);
    const counted = await store.audit.recent((e) => e.action === 'request.incidentCounted');
    expect(counted.map((e) => e.details?.key)).toEqual(['PSA-0001', 'PSA-0002']);
  });

  it('[E3] counts once when two agents submit the same request at the same moment', async () => {
    const r = (await create('a')).record;
    await Promise.all([service.setStatus(TENANT, hd1, r.id, 'submitted', '444444444', r.version, NOW), service.setStatus(TENANT, hd2, r.id, 'submitted', '444444444', r.version, NOW)]);
    expect((await benefits.publicState(TENANT))?.onPremisesIncidentsRemaining).toBe(2);
    expect((await benefits.record(TENANT))?.countedRequests).toEqual([r.id]);
  });

  it('withdraws only for the requester, only while open', async () => {
    const r = (await create('a')).record;
    expect((await service.withdraw(TENANT, hd1.aadObjectId, r.id, NOW)).kind).toBe('forbidden');
    expect((await service.withdraw(TENANT, staff.aadObjectId.toUpperCase(), r.id, NOW)).kind).toBe('changed');
    expect((await service.withdraw(TENANT, staff.aadObjectId, r.id, NOW)).kind).toBe('refused');
  });

  it('queue: filters, order and pages of 10', async () => {
    for (let i = 0; i < 13; i++) await create(`q${i}`, { severity: ['C', 'B', 'A'][i % 3] });
    const p1 = await service.queue(TENANT, {}, hd1.aadObjectId, NOW, 1);
    expect(p1).toMatchObject({ total: 13, page: 1, pages: 2 });
    expect(p1.items.map((r) => r.severity).join('')).toBe('AAAABBBBCC');
    const p9 = await service.queue(TENANT, {}, hd1.aadObjectId, NOW, 9);
    expect(p9.page).toBe(2);
    expect(p9.items).toHaveLength(3);
    expect((await service.queue(TENANT, { severity: 'A' }, hd1.aadObjectId, NOW)).total).toBe(4);
    expect((await service.queue(TENANT, { olderThanDays: 1 }, hd1.aadObjectId, new Date('2026-06-02T10:00:00Z'))).total).toBe(13);
    expect((await service.queue(TENANT, { olderThanDays: 2 }, hd1.aadObjectId, new Date('2026-06-02T10:00:00Z'))).total).toBe(0);
  });

  it('channel settings: admins told once while no channel is set, and only then', async () => {
    expect(await service.claimAdminNotice(TENANT, NOW)).toBe(true);
    expect(await service.claimAdminNotice(TENANT, NOW)).toBe(false);
    await service.setChannel(TENANT, { conversationId: '19:x@thread.tacv2', lang: 'en', setBy: { aadObjectId: admin.aadObjectId, name: admin.name }, setAt: NOW.toISOString() }, NOW);
    expect((await service.settings(TENANT))?.helpDeskChannel?.conversationId).toBe('19:x@thread.tacv2');
  });
});

describe('pure helpers', () => {
  it.each([
    ['2026-06-01T09:00:00Z', '2026-06-02T08:59:59Z', 0], // Mon → Tue just before
    ['2026-06-01T09:00:00Z', '2026-06-02T09:00:00Z', 1],
    ['2026-06-05T10:00:00Z', '2026-06-08T09:59:00Z', 0], // Fri → Mon, weekend skipped
    ['2026-06-05T10:00:00Z', '2026-06-08T10:00:00Z', 1],
    ['2026-06-01T09:00:00Z', '2026-06-15T09:00:00Z', 10], // two weeks
    ['2026-06-06T12:00:00Z', '2026-06-08T12:00:00Z', 1], // Sat → Mon
  ])('business days from %s to %s: %s', (from, to, n) => {
    expect(businessDaysBetween(new Date(from), new Date(to))).toBe(n);
  });

  it('round-trips the queue state and ignores junk', () => {
    const s = { unassigned: true, mine: false, olderThanDays: 3, severity: 'A' as const, page: 4 };
    expect(decodeQueueState(encodeQueueState(s))).toEqual(s);
    expect(decodeQueueState('p=-3;s=Z;d=abc;x=1')).toEqual({ page: 1 });
  });

  it('decides who may choose the help desk channel', () => {
    expect([admin, person('21', ['mpnPartnerAdmin']), hd1].every(maySetHelpDeskChannel)).toBe(true);
    expect([staff, person('24', ['adminAgent']), undefined].some(maySetHelpDeskChannel)).toBe(false);
  });

  it('[E3][E4] describes the incident impact of a decision', () => {
    const base = { benefit: 'productSupport', covered: true, incidentsConsumed: 1 } as RequestRecord['decision'];
    const r = { decision: base } as RequestRecord;
    expect(incidentKind(base)).toBe('onPremises');
    expect(incidentText(t, r, { onPremises: 4 })).toBe('Uses 1 on-premises incident when submitted to Microsoft (4 left).');
    expect(incidentText(t, { ...r, incident: { at: '2026-06-01T10:00:00Z', kind: 'onPremises', remainingAfter: 3 } })).toBe('1 on-premises incident used on 2026-06-01 (3 left).');
    expect(incidentKind({ ...base, benefit: 'cloudSupport' })).toBe('cloud');
    expect(incidentKind({ ...base, benefit: 'cspSupportPlan' })).toBeUndefined();
    expect(incidentText(t, { decision: { ...base, incidentsConsumed: 0, benefit: 'cloudSupport' } } as RequestRecord)).toMatch(/unlimited/);
    expect(incidentText(t, { decision: { ...base, covered: false } } as RequestRecord)).toMatch(/not covered/);
  });

  it('puts user text only where it is rendered verbatim (title, description, notes, customer)', () => {
    const r: RequestRecord = {
      id: 'r-1', version: 3, tenantId: TENANT, number: 1, key: 'PSA-0001', requester: { aadObjectId: staff.aadObjectId, name: 'Adele *Vance*' }, lang: 'en',
      createdAt: NOW.toISOString(), touchedAt: NOW.toISOString(), updatedAt: NOW.toISOString(), product: { familyId: 'sql-server', versionId: '2022', label: 'SQL Server 2022' },
      forCustomer: true, customer: { name: '[x](https://evil.example)', tenantId: '0f0f0f0f-0000-4000-8000-000000000001' }, severity: 'A', title: '# Title', description: '**desc**',
      decision: { benefit: 'productSupport', benefitName: 'Microsoft Product Support', covered: true, reasons: ['O5'], reasonKeys: ['versionN'], incidentsConsumed: 1, portal: 'supportForBusiness', steps: [{ key: 'sfb.open', link: 'supportForBusiness' }], idsNeededFirst: false, cspPlanAvailable: false, paidAlternatives: [], mentionTpd: false },
      status: 'new', notes: [{ id: 'n1', at: NOW.toISOString(), by: { aadObjectId: hd1.aadObjectId, name: 'Isaiah' }, text: '_note_', visibleToRequester: true }], changedAt: { status: 1, assignee: 1 },
    };
    const triage = triageCardData(t, r, { now: NOW, members: [hd1] });
    expect(triage.facts.find((f) => f.title === 'Requester')?.value).toBe('Adele \\*Vance\\*');
    expect([triage.titleText, triage.description, triage.notes[0].text, triage.customer]).toEqual(['# Title', '**desc**', '_note_', '[x](https://evil.example) (0f0f0f0f-0000-4000-8000-000000000001)']);
    const status = statusCardData(t, r, { headline: 'note', noteId: 'n1' });
    expect(status.note).toEqual({ header: 'Note from Isaiah', text: '_note_' });
    expect(status.route.steps[0]).toMatchObject({ hasUrl: true, url: 'https://support.serviceshub.microsoft.com/supportforbusiness/create' });
  });
});
