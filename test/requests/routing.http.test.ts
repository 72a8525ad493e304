/** The engine's route as the requester and the help desk see it, per rule, and what "Submitted to Microsoft" counts. */
import { Links } from '../../src/domain/links.js';
import { people } from '../helpers/activities.js';
import { actionsOf, type TestApp } from '../helpers/app.js';
import { act, introduce, open, postedCard, reload, sampleOrg, setChannel, startRequestsApp, textOf } from './support.js';

const TENANT = '7a1c2f10-0000-4000-8000-000000000001';
const CUSTOMER = { for: 'customer', customerName: 'Fabrikam', customerTenantId: '0f0f0f0f-0000-4000-8000-000000000001' };

async function submit(t: TestApp, id: string, caseNumber: string): Promise<void> {
  await act(t, people.helpDesk, 'requests.setStatus', await reload(t, id), { status: 'submitted', caseNumber });
}

describe('routing by the engine (sample org: Gold Cloud Platform)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startRequestsApp();
    await introduce(t, people.staff, people.helpDesk, people.cspOnly, people.helpDesk2);
    await setChannel(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('[R3] a cloud request for a customer without the Admin Agent role is not covered: ask an Admin Agent', async () => {
    const { answer, record } = await open(t, people.staff, { product: 'Azure', ...CUSTOMER });
    expect(record.decision).toMatchObject({ benefit: 'cloudSupport', covered: false, reasonKeys: ['adminAgentRequired'] });
    expect(record.decision.reasons).toContain('R3');
    expect(answer.text).toMatch(/need the Admin Agent role/);
    expect(answer.text).toMatch(/Ask a colleague with the Admin Agent role/);
    expect(answer.text).toMatch(/None: not covered by the benefit/);
    expect(textOf(postedCard(t, record.key)!.activity)).toMatch(/Not covered by Signature Cloud Support/);
  });

  it('[R3][C4] an Admin Agent opens a customer cloud request through Partner Center CSP > Service management', async () => {
    const { answer, record } = await open(t, people.helpDesk2, { product: 'Azure', ...CUSTOMER });
    expect(record.decision).toMatchObject({ covered: true, portal: 'partnerCenterCsp' });
    expect(record.decision.reasons).toEqual(expect.arrayContaining(['R3', 'C4']));
    expect(answer.text).toMatch(/Portal: Partner Center \(CSP > Customers > Service management\)/);
    expect(answer.text).toMatch(/Service management/);
    expect(actionsOf(answer.card).filter((a) => a.type === 'Action.OpenUrl').map((a) => a.url)).toContain(Links.cspCustomers);
    expect(textOf(postedCard(t, record.key)!.activity)).toContain('Partner Center (CSP > Customers > Service management)');
  });

  it('[C3] a CSP admin agent gets the "Cloud Solution Provider" support plan for Azure: no contract, no incident', async () => {
    const { answer, record } = await open(t, people.cspOnly, { product: 'Azure', ...CUSTOMER });
    expect(record.decision).toMatchObject({ benefit: 'cspSupportPlan', covered: true, incidentsConsumed: 0, portal: 'partnerCenterCsp' });
    expect(record.decision.reasons).toEqual(expect.arrayContaining(['C3', 'C4']));
    expect(answer.text).toMatch(/Cloud Solution Provider/);
    expect(answer.text).toMatch(/None: Cloud Solution Provider support plan/);
    await submit(t, record.id, '2606010040002001');
    expect((await t.app.deps.benefits.publicState(TENANT))?.cloudIncidentsRemaining).toBe(9);
    expect((await reload(t, record.id)).incident).toBeUndefined();
  });

  it('[E4] cloud support is unlimited with a cloud competency: submitting counts nothing', async () => {
    const { answer, record } = await open(t, people.staff, { product: 'Azure' });
    expect(record.decision).toMatchObject({ benefit: 'cloudSupport', covered: true, allowance: 'unlimited', incidentsConsumed: 0, portal: 'azurePortal' });
    expect(answer.text).toMatch(/None: unlimited/);
    await submit(t, record.id, '2606010040002002');
    expect((await t.app.deps.benefits.publicState(TENANT))?.cloudIncidentsRemaining).toBe(9);
  });

  it('[E3] a version past N-1 is not covered and submitting it counts nothing', async () => {
    const { answer, record } = await open(t, people.staff, { product: 'SQL Server 2016' });
    expect(record.decision).toMatchObject({ covered: false, incidentsConsumed: 0 });
    expect(answer.text).toMatch(/Paid options/);
    await submit(t, record.id, '2606010040002003');
    expect((await t.app.deps.benefits.publicState(TENANT))?.onPremisesIncidentsRemaining).toBe(17);
  });
});

describe('routing for an organisation without a cloud competency (Gold Data Analytics)', () => {
  let t: TestApp;
  beforeAll(async () => {
    const org = sampleOrg();
    org.competencies = [{ name: 'Data Analytics', level: 'gold' }];
    t = await startRequestsApp({ org });
    await introduce(t, people.staff, people.helpDesk);
    await setChannel(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('[E4] a cloud request uses the 10-pack: "Submitted to Microsoft" decrements cloud incidents once, even after reopen and resubmit', async () => {
    const { answer, record } = await open(t, people.staff, { product: 'Azure' });
    expect(record.decision).toMatchObject({ benefit: 'cloudSupport', covered: true, allowance: 10, incidentsConsumed: 1 });
    expect(answer.text).toMatch(/Uses 1 cloud incident when submitted to Microsoft \(9 left\)/);
    await submit(t, record.id, '2606010040003001');
    expect((await t.app.deps.benefits.publicState(TENANT))?.cloudIncidentsRemaining).toBe(8);
    for (const status of ['closed', 'reopened']) await act(t, people.helpDesk, 'requests.setStatus', await reload(t, record.id), { status });
    await submit(t, record.id, '2606010040003002');
    expect((await t.app.deps.benefits.publicState(TENANT))?.cloudIncidentsRemaining).toBe(8);
    expect((await t.app.deps.benefits.record(TENANT))?.countedRequests).toEqual([record.id]);
    expect((await t.app.deps.benefits.publicState(TENANT))?.onPremisesIncidentsRemaining).toBe(17);
  });
});
