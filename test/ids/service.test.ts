import type { BenefitsRecord } from '../../src/benefits/benefits-store.js';
import type { Person } from '../../src/domain/org.js';
import {
  contractWarnings,
  idsAccess,
  maskId,
  recordAssociation,
  recordIncidentUsed,
  saveContractEdit,
  ContractChangedError,
  validateContractEdit,
  warningsToSend,
  withAssociation,
} from '../../src/ids/service.js';
import { ACCESS_ID, benefitsOnDisk, CONTRACT_ID, NOW } from './support.js';

const TENANT = '7a1c2f10-0000-4000-8000-000000000001';
const person = (over: Partial<Person> = {}): Person => ({ aadObjectId: 'p-1', name: 'P', mpnAssociated: true, cspAssociated: false, roles: [], ...over });

describe('who may see the IDs', () => {
  it.each([
    ['[R2] an MPN-associated member', TENANT, person(), true, undefined],
    ['[R2] an MPN-associated admin', TENANT.toUpperCase(), person({ roles: ['globalAdmin'] }), true, undefined],
    ['[R2] a CSP-only account', TENANT, person({ mpnAssociated: false, cspAssociated: true, roles: ['adminAgent'] }), false, 'cspOnly'],
    ['[R2] a member not associated with MPN', TENANT, person({ mpnAssociated: false }), false, 'notMpnAssociated'],
    ['[R2] an unknown person or guest', TENANT, undefined, false, 'unknown'],
    ['[R2] another tenant, even with a matching directory entry', '9b9b9b9b-0000-4000-8000-000000000099', person(), false, 'otherTenant'],
    ['[R2] no tenant at all', '', person(), false, 'otherTenant'],
  ])('%s', (_label, tenant, who, allowed, reason) => {
    const a = idsAccess(tenant, TENANT, who);
    expect(a.allowed).toBe(allowed);
    if (!a.allowed) expect(a.reason).toBe(reason);
  });
});

describe('masking', () => {
  it('[R2] shows the first two and last two characters of a long ID, the rest hidden', () => {
    expect(maskId(ACCESS_ID)).toBe(`SA${'•'.repeat(ACCESS_ID.length - 4)}9Q`);
    expect(maskId(CONTRACT_ID)).toBe(`SA${'•'.repeat(CONTRACT_ID.length - 4)}01`);
  });

  it('[R2] hides short IDs completely', () => {
    expect(maskId('ABC123')).toBe('••••••');
    expect(maskId('AB')).toBe('••••');
  });
});

describe('contract warnings', () => {
  const base = { activated: true, endDate: '2027-03-17', onPremisesIncidentsRemaining: 17, cloudIncidentsRemaining: 9 };
  it.each([
    ['[O3] none for a healthy contract', base, []],
    ['[O3] 30 days before the end', { ...base, endDate: '2026-12-25' }, ['expiresSoon:2026-12-25']],
    ['[O3] not 31 days before the end', { ...base, endDate: '2026-12-26' }, []],
    ['[O3] on the last day', { ...base, endDate: '2026-11-25' }, ['expiresSoon:2026-11-25']],
    ['[O3] the day after the end', { ...base, endDate: '2026-11-24' }, ['expired:2026-11-24']],
    ['[O3] two on-premises incidents left', { ...base, onPremisesIncidentsRemaining: 2 }, ['lowIncidents:onPremises:2027-03-17']],
    ['[O3] three left is fine', { ...base, onPremisesIncidentsRemaining: 3 }, []],
    ['[O3] no cloud incidents left', { ...base, cloudIncidentsRemaining: 0 }, ['noIncidents:cloud:2027-03-17']],
    ['[O3] cloud not counted (unlimited)', { ...base, cloudIncidentsRemaining: undefined }, []],
    ['[O3] nothing before activation', { ...base, activated: false, endDate: '2020-01-01' }, []],
  ])('%s', (_label, state, keys) => {
    expect(contractWarnings(state, '2026-11-25').map((w) => w.key)).toEqual(keys);
  });

  it('[O3] a warning already sent is not due again; one that cleared is forgotten so it can come back', () => {
    const rec = { activated: true, endDate: '2027-03-17', onPremisesIncidentsRemaining: 1, cloudIncidentsRemaining: 9, warningsSent: ['lowIncidents:onPremises:2027-03-17', 'lowIncidents:cloud:2027-03-17'] };
    const r = warningsToSend(rec, '2026-11-25');
    expect(r.due).toEqual([]);
    expect(r.keep).toEqual(['lowIncidents:onPremises:2027-03-17']);
  });
});

describe('the contract form', () => {
  it('[O3] accepts real dates and whole numbers; an empty cloud count means "not counted"', () => {
    const v = validateContractEdit({ startDate: '2026-02-15', endDate: '2027-03-17', onPremises: '15', cloud: '' });
    expect(v).toMatchObject({ ok: true, value: { startDate: '2026-02-15', endDate: '2027-03-17', onPremisesIncidentsRemaining: 15, cloudIncidentsRemaining: undefined } });
  });

  it.each([
    ['missing dates', { onPremises: '1' }, ['startDate:ids.form.error.required', 'endDate:ids.form.error.required']],
    ['an impossible date', { startDate: '2026-02-30', endDate: '2027-01-01', onPremises: '1' }, ['startDate:ids.form.error.date']],
    ['the end before the start', { startDate: '2027-01-01', endDate: '2026-01-01', onPremises: '1' }, ['endDate:ids.form.error.endBeforeStart']],
    ['a negative count', { startDate: '2026-01-01', endDate: '2027-01-01', onPremises: '-1' }, ['onPremises:ids.form.error.count']],
    ['a fraction', { startDate: '2026-01-01', endDate: '2027-01-01', onPremises: '1.5', cloud: 'ten' }, ['onPremises:ids.form.error.count', 'cloud:ids.form.error.count']],
    ['too many', { startDate: '2026-01-01', endDate: '2027-01-01', onPremises: '1000' }, ['onPremises:ids.form.error.count']],
    ['no on-premises count', { startDate: '2026-01-01', endDate: '2027-01-01' }, ['onPremises:ids.form.error.required']],
  ])('[O3] refuses %s', (_label, input, errors) => {
    const v = validateContractEdit(input);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors.map((e) => `${e.field}:${e.key}`)).toEqual(errors);
  });
});

describe('associations', () => {
  const rec = (): BenefitsRecord => ({ id: TENANT, version: 3, activated: true, associatedAccounts: ['a-1'], associations: [], updatedAt: NOW.toISOString() });

  it('[A5] records the portal once per person, and the person joins associatedAccounts once', () => {
    const once = withAssociation(rec(), 'p-2', 'azure', NOW)!;
    expect(once.associations).toEqual([{ aadObjectId: 'p-2', portal: 'azure', at: NOW.toISOString() }]);
    expect(once.associatedAccounts).toEqual(['a-1', 'p-2']);
    expect(withAssociation(once, 'P-2', 'azure', NOW)).toBeUndefined();
    const second = withAssociation(once, 'p-2', 'supportForBusiness', NOW)!;
    expect(second.associatedAccounts).toEqual(['a-1', 'p-2']);
    expect(second.associations.map((a) => a.portal)).toEqual(['azure', 'supportForBusiness']);
  });

  it('[A5] records nothing before activation', () => {
    expect(withAssociation({ ...rec(), activated: false }, 'p-2', 'azure', NOW)).toBeUndefined();
  });
});

describe('incidents on disk', () => {
  let env: Awaited<ReturnType<typeof benefitsOnDisk>>;
  beforeEach(async () => {
    env = await benefitsOnDisk();
  });
  afterEach(async () => {
    await env.close();
  });

  it('[O3] counts a request exactly once: called twice, one decrement', async () => {
    const first = await recordIncidentUsed(env.benefits, env.tenantId, 'HD-0001', 'onPremises', NOW);
    const again = await recordIncidentUsed(env.benefits, env.tenantId, 'HD-0001', 'onPremises', NOW);
    expect(first).toEqual({ counted: true, remaining: 16 });
    expect(again).toEqual({ counted: false, remaining: 16 });
    const r = await env.benefits.record(env.tenantId);
    expect(r?.onPremisesIncidentsRemaining).toBe(16);
    expect(r?.cloudIncidentsRemaining).toBe(9);
    expect(r?.countedRequests).toEqual(['HD-0001']);
  });

  it('[O3] counts each request once when the help desk calls at the same moment', async () => {
    const calls = Array.from({ length: 6 }, (_, i) => recordIncidentUsed(env.benefits, env.tenantId, `HD-${i % 3}`, 'cloud', NOW));
    const results = await Promise.all(calls);
    expect(results.filter((r) => r.counted)).toHaveLength(3);
    expect((await env.benefits.record(env.tenantId))?.cloudIncidentsRemaining).toBe(6);
  });

  it('[O3] never goes below zero and updates the last-updated time', async () => {
    await env.close();
    env = await benefitsOnDisk({ onPremisesIncidentsRemaining: 1 });
    const later = new Date('2026-11-26T08:00:00Z');
    await recordIncidentUsed(env.benefits, env.tenantId, 'A', 'onPremises', later);
    const r = await recordIncidentUsed(env.benefits, env.tenantId, 'B', 'onPremises', later);
    expect(r).toEqual({ counted: true, remaining: 0 });
    expect((await env.benefits.record(env.tenantId))?.updatedAt).toBe(later.toISOString());
  });

  it('[O3] remembers a request on an uncounted (unlimited) benefit without inventing a number', async () => {
    await env.close();
    env = await benefitsOnDisk({ cloudIncidentsRemaining: undefined });
    expect(await recordIncidentUsed(env.benefits, env.tenantId, 'C', 'cloud', NOW)).toEqual({ counted: true, remaining: undefined });
  });

  it('[O3] refuses an empty request id', async () => {
    await expect(recordIncidentUsed(env.benefits, env.tenantId, '  ', 'cloud', NOW)).rejects.toThrow(/request id/);
  });

  it('[O3] a contract save made on an old version is refused with the current record', async () => {
    const r = await env.benefits.record(env.tenantId);
    await recordIncidentUsed(env.benefits, env.tenantId, 'HD-9', 'onPremises', NOW);
    const edit = { startDate: '2026-02-15', endDate: '2027-03-17', onPremisesIncidentsRemaining: 20, cloudIncidentsRemaining: 9 };
    await expect(saveContractEdit(env.benefits, env.tenantId, edit, r!.version, 'admin', NOW)).rejects.toBeInstanceOf(ContractChangedError);
    expect((await env.benefits.record(env.tenantId))?.onPremisesIncidentsRemaining).toBe(16);
  });

  it('[A5] recordAssociation stores it once', async () => {
    expect((await recordAssociation(env.benefits, env.tenantId, 'p-9', 'dynamics365', NOW)).added).toBe(true);
    expect((await recordAssociation(env.benefits, env.tenantId, 'p-9', 'dynamics365', NOW)).added).toBe(false);
    const r = await env.benefits.record(env.tenantId);
    expect(r?.associations).toHaveLength(1);
    expect(r?.associatedAccounts).toContain('p-9');
  });
});
