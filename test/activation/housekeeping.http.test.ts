import { HOUSEKEEPING_INTERVAL_MS, startActivationHousekeeping } from '../../src/activation/housekeeping.js';
import { registerActivation, runActivationHousekeeping } from '../../src/activation/index.js';
import { ActivationVerb } from '../../src/activation/verbs.js';
import { people } from '../helpers/activities.js';
import { actionsOf, cardOf } from '../helpers/app.js';
import { approvalCardsTo, auditOf, buttonVerbs, cardsTo, eventually, invoke, requestOf, sayHello, startActivationApp, textOfCard, type ActivationTestApp } from './helpers.js';

const HOUR = 3_600_000;

describe('reminders and expiry of activation requests', () => {
  let t: ActivationTestApp;
  const at = (hours: number) => new Date(t.clock.now.getTime() + hours * HOUR);
  beforeEach(async () => {
    t = await startActivationApp(undefined, { ACTIVATION_REMINDER_HOURS: '24', ACTIVATION_EXPIRY_DAYS: '3' });
    await sayHello(t, people.globalAdmin);
    await invoke(t, ActivationVerb.request, {}, people.staff);
  });
  afterEach(() => t.stop());

  it('[A3] does nothing before the reminder is due', async () => {
    expect(await runActivationHousekeeping(t.app.deps, at(23))).toEqual({ reminded: 0, expired: 0 });
    expect(approvalCardsTo(t, people.globalAdmin)).toHaveLength(1);
  });

  it('[A3] reminds the admins after ACTIVATION_REMINDER_HOURS (also one who started talking since), once per period, audited', async () => {
    await sayHello(t, people.partnerAdmin);
    expect(await runActivationHousekeeping(t.app.deps, at(24))).toEqual({ reminded: 1, expired: 0 });
    expect(await runActivationHousekeeping(t.app.deps, at(25))).toEqual({ reminded: 0, expired: 0 });
    const reminders = [...approvalCardsTo(t, people.globalAdmin), ...approvalCardsTo(t, people.partnerAdmin)].filter((s) => textOfCard(cardOf(s.activity)).includes('Reminder: activation request AR-0001'));
    expect(reminders).toHaveLength(2);
    expect(buttonVerbs(cardOf(reminders[0].activity))).toEqual([ActivationVerb.approve, ActivationVerb.reject]);
    const r = await requestOf(t, 'AR-0001');
    expect(r.remindedAt).toBe(at(24).toISOString());
    expect(r.cards).toHaveLength(3);
    expect([...r.adminUserIds].sort()).toEqual([people.globalAdmin.id, people.partnerAdmin.id].sort());
    expect((await auditOf(t, 'activation.reminded', 'AR-0001'))[0].details).toMatchObject({ sent: 2 });
    expect(await runActivationHousekeeping(t.app.deps, at(48))).toEqual({ reminded: 1, expired: 0 });
  });

  it('[A3] expires after ACTIVATION_EXPIRY_DAYS: every copy updated, the requester told and offered to ask again, audited', async () => {
    await runActivationHousekeeping(t.app.deps, at(24));
    t.connector.clear();
    expect(await runActivationHousekeeping(t.app.deps, at(72))).toEqual({ reminded: 0, expired: 1 });
    expect(await requestOf(t, 'AR-0001')).toMatchObject({ status: 'expired', expiredAt: at(72).toISOString() });
    await eventually(() => t.connector.updates.length >= 2);
    expect(t.connector.updates.every((u) => textOfCard(cardOf(u.activity)).includes('Expired at') && buttonVerbs(cardOf(u.activity)).length === 0)).toBe(true);
    const notice = cardsTo(t, people.staff).find((c) => textOfCard(c).includes('Your activation request expired'));
    expect(textOfCard(notice)).toContain('within 3 days');
    expect(actionsOf(notice).some((a) => a.verb === ActivationVerb.request)).toBe(true);
    expect(await auditOf(t, 'activation.expired', 'AR-0001')).toHaveLength(1);
    expect(await runActivationHousekeeping(t.app.deps, at(100))).toEqual({ reminded: 0, expired: 0 });
    // Clicking Approve on an expired request shows the final state.
    const late = await invoke(t, ActivationVerb.approve, { requestId: 'AR-0001' }, people.globalAdmin);
    expect(textOfCard(late.value)).toContain('This request was already answered.');
    // And a new request can be made.
    expect(textOfCard((await invoke(t, ActivationVerb.request, {}, people.staff)).value)).toContain('AR-0002');
  });

  it('[A3] expires an approved request that was never completed, so the next one can be asked', async () => {
    await invoke(t, ActivationVerb.approve, { requestId: 'AR-0001' }, people.globalAdmin);
    expect(await runActivationHousekeeping(t.app.deps, at(71))).toEqual({ reminded: 0, expired: 0 });
    expect(await runActivationHousekeeping(t.app.deps, at(72))).toEqual({ reminded: 0, expired: 1 });
  });

  it('skips a run while another one is busy (one instance at a time)', async () => {
    const [a, b] = await Promise.all([runActivationHousekeeping(t.app.deps, at(24)), runActivationHousekeeping(t.app.deps, at(24))]);
    expect([a, b].filter((r) => r.skipped)).toHaveLength(1);
    expect((await requestOf(t, 'AR-0001')).cards).toHaveLength(2);
  });
});

describe('the housekeeping timer', () => {
  const fakeDeps = (calls: string[], ok: { value: boolean }): any => ({
    logger: { child: () => ({ info: () => calls.push('info'), error: () => calls.push('error') }) },
    store: { status: () => ({ ok: ok.value }), runExclusive: async () => (calls.push('run'), { reminded: 0, expired: 0 }) },
    now: () => new Date(),
  });

  it('runs on its interval without keeping the process alive, skips a closed store, and stops', async () => {
    const calls: string[] = [];
    const ok = { value: false };
    const spy = jest.spyOn(global, 'setInterval');
    const stop = startActivationHousekeeping(fakeDeps(calls, ok), 10);
    try {
      const timer = spy.mock.results[0].value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
      await new Promise((r) => setTimeout(r, 50));
      expect(calls).toEqual([]); // store closed: nothing runs
      ok.value = true;
      await eventually(() => calls.includes('run'));
    } finally {
      stop();
      spy.mockRestore();
    }
    const before = calls.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.length).toBe(before);
  });

  it('is started by registerActivation, which hands back a stop()', () => {
    const onStop = jest.fn();
    const deps: any = { ...fakeDeps([], { value: true }), router: { intent: () => undefined, verb: () => undefined }, help: { add: () => undefined }, onStop };
    const spy = jest.spyOn(global, 'setInterval');
    const { stop } = registerActivation({ ...deps, store: { ...deps.store, collection: () => ({}), audit: {} } });
    try {
      expect(spy).toHaveBeenCalledWith(expect.any(Function), HOUSEKEEPING_INTERVAL_MS);
      expect(onStop).toHaveBeenCalledWith(stop);
    } finally {
      stop();
      spy.mockRestore();
    }
  });
});
