/** Ageing reminders in the help desk channel: business days per severity, once per period, reset by any change. */
import { AGEING_INTERVAL_MS } from '../../src/requests/ageing.js';
import { runRequestAgeing } from '../../src/requests/index.js';
import { people } from '../helpers/activities.js';
import type { TestApp } from '../helpers/app.js';
import { act, CHANNEL, open, reload, setChannel, startRequestsApp, textsTo } from './support.js';

const at = (iso: string) => new Date(iso);
const reminders = (t: TestApp) => textsTo(t, CHANNEL).filter((x) => / is waiting/.test(x));

describe('request ageing', () => {
  let t: TestApp;
  const clock = { now: at('2026-06-01T09:00:00Z') }; // Monday
  let sevA: string;
  let sevB: string;
  beforeAll(async () => {
    t = await startRequestsApp({ clock });
    sevA = (await open(t, people.staff, { severity: 'A', title: 'Production down' })).record.id;
    sevB = (await open(t, people.staff, { severity: 'B', title: 'Slow queries' })).record.id;
  });
  afterAll(async () => {
    await t.stop();
  });

  it('sends nothing and marks nothing while there is no help desk channel', async () => {
    expect(await runRequestAgeing(t.app.deps, at('2026-06-05T09:00:00Z'))).toEqual({ reminded: 0 });
    expect((await reload(t, sevA)).lastReminder).toBeUndefined();
    await setChannel(t);
  });

  it('reminds about severity A after 1 business day, in the channel, once per period', async () => {
    expect(await runRequestAgeing(t.app.deps, at('2026-06-02T08:59:00Z'))).toEqual({ reminded: 0 });
    expect(await runRequestAgeing(t.app.deps, at('2026-06-02T09:00:00Z'))).toEqual({ reminded: 1 });
    expect(reminders(t).at(-1)).toMatch(/PSA-0001 is waiting[\s\S]*severity A\) has had no change for 1 business days[\s\S]*Assignee: Nobody yet/);
    expect(await runRequestAgeing(t.app.deps, at('2026-06-02T15:00:00Z'))).toEqual({ reminded: 0 });
    expect(await runRequestAgeing(t.app.deps, at('2026-06-03T09:00:00Z'))).toEqual({ reminded: 1 }); // the next business day is a new period
    expect(reminders(t)).toHaveLength(2);
  });

  it('reminds about other severities after 3 business days', async () => {
    expect(await runRequestAgeing(t.app.deps, at('2026-06-04T08:00:00Z'))).toEqual({ reminded: 0 });
    const r = await runRequestAgeing(t.app.deps, at('2026-06-04T09:00:00Z'));
    expect(r.reminded).toBe(2); // A's third period, B's first
    expect(reminders(t).some((x) => /PSA-0002 is waiting/.test(x) && /3 business days/.test(x))).toBe(true);
    const audit = await t.app.deps.store.audit.recent((e) => e.action === 'request.reminded');
    expect(audit).toHaveLength(4);
  });

  it('restarts the clock when someone touches the request', async () => {
    clock.now = at('2026-06-04T10:00:00Z');
    await act(t, people.helpDesk, 'requests.claim', await reload(t, sevA));
    expect(await runRequestAgeing(t.app.deps, at('2026-06-04T23:00:00Z'))).toEqual({ reminded: 0 });
    expect(await runRequestAgeing(t.app.deps, at('2026-06-05T10:00:00Z'))).toEqual({ reminded: 1 });
    expect(reminders(t).at(-1)).toMatch(/PSA-0001[\s\S]*Assignee: Isaiah Langer/);
  });

  it('does not count weekends', async () => {
    clock.now = at('2026-06-05T10:00:00Z'); // Friday
    const { record } = await open(t, people.staff, { severity: 'A', title: 'Friday problem' });
    const before = reminders(t).filter((x) => x.includes(record.key)).length;
    await runRequestAgeing(t.app.deps, at('2026-06-07T10:00:00Z')); // Sunday
    await runRequestAgeing(t.app.deps, at('2026-06-08T09:59:00Z')); // Monday, just before
    expect(reminders(t).filter((x) => x.includes(record.key)).length).toBe(before);
    await runRequestAgeing(t.app.deps, at('2026-06-08T10:00:00Z'));
    expect(reminders(t).filter((x) => x.includes(record.key)).length).toBe(before + 1);
  });

  it('leaves finished requests alone', async () => {
    clock.now = at('2026-06-08T11:00:00Z');
    await act(t, people.helpDesk, 'requests.setStatus', await reload(t, sevB), { status: 'resolved' });
    const before = reminders(t).filter((x) => x.includes('PSA-0002')).length;
    await runRequestAgeing(t.app.deps, at('2026-06-20T11:00:00Z'));
    expect(reminders(t).filter((x) => x.includes('PSA-0002')).length).toBe(before);
  });
});

describe('ageing configuration and timer', () => {
  it('uses REQUEST_AGEING_DAYS_SEV_A / _OTHER and runs from an unref\'d interval timer started by registerRequests', async () => {
    const spy = jest.spyOn(global, 'setInterval');
    const clock = { now: at('2026-06-01T09:00:00Z') };
    const t = await startRequestsApp({ clock, env: { REQUEST_AGEING_DAYS_SEV_A: '2', REQUEST_AGEING_DAYS_OTHER: '5' } });
    try {
      const call = spy.mock.calls.findIndex((c) => c[1] === AGEING_INTERVAL_MS);
      expect(call).toBeGreaterThanOrEqual(0);
      const timer = spy.mock.results[call].value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
      await setChannel(t);
      await open(t, people.staff, { severity: 'A' });
      await open(t, people.staff, { severity: 'C' });
      expect(await runRequestAgeing(t.app.deps, at('2026-06-02T09:00:00Z'))).toEqual({ reminded: 0 });
      clock.now = at('2026-06-03T09:00:00Z');
      (spy.mock.calls[call][0] as () => void)(); // what the timer does
      await t.connector.waitForSent((s) => s.conversationId === CHANNEL && JSON.stringify(s.activity).includes('PSA-0001 is waiting'));
      expect(reminders(t).some((x) => x.includes('PSA-0002'))).toBe(false);
      // The timer's run may still hold the job (runExclusive): a run that finds it busy reminds nobody, so retry briefly.
      let result = await runRequestAgeing(t.app.deps, at('2026-06-08T09:00:00Z'));
      for (let i = 0; i < 100 && result.reminded === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
        result = await runRequestAgeing(t.app.deps, at('2026-06-08T09:00:00Z'));
      }
      expect(result).toEqual({ reminded: 2 });
    } finally {
      spy.mockRestore();
      await t.stop();
    }
  });

  it('stops the timer with the app; a run started just before stopping completes its writes', async () => {
    const spy = jest.spyOn(global, 'setInterval');
    const clear = jest.spyOn(global, 'clearInterval');
    const clock = { now: at('2026-06-01T09:00:00Z') };
    const t = await startRequestsApp({ clock });
    await setChannel(t);
    const { record } = await open(t, people.staff, { severity: 'A' });
    clock.now = at('2026-06-02T09:00:00Z');
    const call = spy.mock.calls.findIndex((c) => c[1] === AGEING_INTERVAL_MS);
    const timer = spy.mock.results[call].value as NodeJS.Timeout;
    let cleared = false;
    try {
      (spy.mock.calls[call][0] as () => void)(); // a run starts, then the app stops
    } finally {
      await t.stop();
      cleared = clear.mock.calls.some((c) => c[0] === timer);
      spy.mockRestore();
      clear.mockRestore();
    }
    expect(cleared).toBe(true);
    expect(t.logs.some((l) => l.includes('request ageing run failed'))).toBe(false);
    expect((await reload(t, record.id)).lastReminder).toBeDefined(); // the run completed before the store closed
  });
});
