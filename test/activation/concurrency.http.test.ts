import { ActivationVerb } from '../../src/activation/verbs.js';
import type { ActivationRequest } from '../../src/activation/service.js';
import { execute, people } from '../helpers/activities.js';
import { cardOf } from '../helpers/app.js';
import { auditOf, invoke, requestOf, sayHello, startActivationApp, textOfCard, type ActivationTestApp } from './helpers.js';

const RUNS = 100;

describe('[A3] two admins approving at the same moment', () => {
  let t: ActivationTestApp;
  beforeAll(async () => {
    t = await startActivationApp();
    await sayHello(t, people.globalAdmin, people.partnerAdmin);
  });
  afterAll(() => t.stop());

  it(`makes exactly one decision per request, ${RUNS} times over`, async () => {
    const repo = t.app.deps.store.collection<ActivationRequest>('activation-requests');
    const winners: Record<string, number> = {};
    for (let run = 1; run <= RUNS; run++) {
      const created = await invoke(t, ActivationVerb.request, {}, people.staff);
      const id = `AR-${String(run).padStart(4, '0')}`;
      expect(textOfCard(created.value)).toContain(`Activation request ${id}`);
      const [a, b] = await Promise.all([
        t.post(execute(ActivationVerb.approve, { requestId: id }, { from: people.globalAdmin })),
        t.post(execute(ActivationVerb.approve, { requestId: id }, { from: people.partnerAdmin })),
      ]);
      expect([a.body.statusCode, b.body.statusCode]).toEqual([200, 200]);
      const answered = [a, b].filter((r) => textOfCard(r.body.value).includes('This request was already answered.'));
      expect(answered).toHaveLength(1);
      const r = await requestOf(t, id);
      expect(r.status).toBe('approved');
      winners[r.decidedBy!.name] = (winners[r.decidedBy!.name] ?? 0) + 1;
      // Close it (as if activated elsewhere) so the next run can ask again.
      await repo.mutate(id, (cur) => ({ ...cur, status: 'completed' }));
    }
    const approved = await auditOf(t, 'activation.approved');
    expect(approved).toHaveLength(RUNS);
    expect(new Set(approved.map((e) => e.subject)).size).toBe(RUNS);
    expect(Object.values(winners).reduce((s, n) => s + n, 0)).toBe(RUNS);
    // Only the winner gets the activation steps.
    const steps = t.connector.sent.filter((s) => textOfCard(cardOf(s.activity)).includes('Here is how to activate'));
    expect(steps).toHaveLength(RUNS);
  }, 120_000);
});
