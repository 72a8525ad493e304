/** [O3][E3] Submitting a request to Microsoft uses an incident; when that leaves few, the admins hear it at once. */
import { people } from '../helpers/activities.js';
import { textOf, type TestApp } from '../helpers/app.js';
import { act, introduce, open, personalChat, sampleOrg, setChannel, startRequestsApp } from './support.js';

describe('incident warnings after a help desk submission', () => {
  let t: TestApp;
  beforeAll(async () => {
    const org = sampleOrg();
    org.benefits = { ...org.benefits, onPremisesIncidentsRemaining: 3 };
    t = await startRequestsApp({ org });
    await introduce(t, people.globalAdmin, people.partnerAdmin, people.staff, people.helpDesk);
    await setChannel(t);
  });
  afterAll(() => t.stop());

  const warningsTo = (u: typeof people.globalAdmin) =>
    t.connector.sent.filter((s) => s.conversationId === personalChat(u) && textOf(s.activity).includes('incidents are left'));

  it('[O3][E3] warns every admin right after the submission that leaves 2 incidents, not at the next 15-minute check', async () => {
    const { record } = await open(t, people.staff);
    expect(warningsTo(people.globalAdmin)).toEqual([]);
    const a = await act(t, people.helpDesk, 'requests.setStatus', record, { status: 'submitted', caseNumber: '2606010040001234' });
    expect(a).toMatchObject({ status: 200, code: 200 });
    expect((await t.app.deps.benefits.record(record.tenantId))?.onPremisesIncidentsRemaining).toBe(2);
    for (const admin of [people.globalAdmin, people.partnerAdmin]) {
      expect(warningsTo(admin)).toHaveLength(1);
      expect(textOf(warningsTo(admin)[0].activity)).toContain('Only 2 Microsoft Product Support incidents are left.');
    }
    expect(warningsTo(people.staff)).toEqual([]);
  });
});
