/**
 * Archiving finished requests (issue 10): resolved / closed / withdrawn requests untouched for REQUEST_ARCHIVE_DAYS
 * move to monthly history files (period = month of their last change); the hot file keeps the live work.
 * Card actions on an archived request say so (English and Korean) instead of failing; reopening is refused;
 * numbers stay unique and a form submitted again does not open a second request.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { ARCHIVE_INTERVAL_MS } from '../../src/requests/archive.js';
import { runRequestAgeing, runRequestArchive } from '../../src/requests/index.js';
import type { ArchivedRequestsIndex, RequestRecord, RequestSettings } from '../../src/requests/model.js';
import { RequestService } from '../../src/requests/service.js';
import type { Repository } from '../../src/storage/collection.js';
import { message, people, TENANT } from '../helpers/activities.js';
import type { TestApp } from '../helpers/app.js';
import { act, CHANNEL, exec, form, introduce, open, reload, requests, setChannel, startRequestsApp } from './support.js';

const at = (iso: string) => new Date(iso);

describe('REQUEST_ARCHIVE_DAYS', () => {
  it('defaults to 30 days, takes 1 to 3650, names a bad value', () => {
    expect(loadConfig({}).requests.archiveDays).toBe(30);
    expect(loadConfig({ REQUEST_ARCHIVE_DAYS: '90' }).requests.archiveDays).toBe(90);
    expect(() => loadConfig({ REQUEST_ARCHIVE_DAYS: '0' })).toThrow(/REQUEST_ARCHIVE_DAYS must be an integer from 1 to 3650, got "0"/);
    expect(() => loadConfig({ REQUEST_ARCHIVE_DAYS: 'month' })).toThrow(/REQUEST_ARCHIVE_DAYS/);
  });
});

describe('archiving finished requests', () => {
  let t: TestApp;
  const clock = { now: at('2026-06-01T09:00:00Z') }; // Monday
  const made: Record<string, RequestRecord> = {};
  const forms: Record<string, Record<string, unknown>> = {};

  /** Opens a request from a form we keep (to submit it again later). */
  const openKept = async (name: string, over: Record<string, unknown> = {}) => {
    forms[name] = form(over);
    made[name] = (await open(t, people.staff, forms[name])).record;
    return made[name];
  };

  beforeAll(async () => {
    t = await startRequestsApp({ clock });
    await introduce(t, people.staff, people.helpDesk);
    await setChannel(t);
    await openKept('resolved', { title: 'Resolved in June' }); // PSA-0001
    await openKept('closed', { title: 'Closed in June' }); // PSA-0002
    await openKept('withdrawn', { title: 'Withdrawn in June' }); // PSA-0003
    await openKept('open', { title: 'Still open', severity: 'C' }); // PSA-0004
    await openKept('late', { title: 'Resolved later' }); // PSA-0005
    await act(t, people.helpDesk, 'requests.setStatus', await reload(t, made.resolved.id), { status: 'resolved' });
    await act(t, people.helpDesk, 'requests.setStatus', await reload(t, made.closed.id), { status: 'closed' });
    const w = await reload(t, made.withdrawn.id);
    await exec(t, 'requests.withdraw', { requestId: w.id, version: w.version }, { from: people.staff });
    clock.now = at('2026-06-20T09:00:00Z');
    await act(t, people.helpDesk, 'requests.setStatus', await reload(t, made.late.id), { status: 'resolved' });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('keeps everything before the finished requests have been untouched for 30 days', async () => {
    expect(await runRequestArchive(t.app.deps, at('2026-07-01T08:59:00Z'))).toEqual({ archived: 0, periods: [], tenants: {} });
    expect(await requests(t).count()).toBe(5);
  });

  it('moves finished requests untouched for 30 days into the file of the month of their last change; open ones stay', async () => {
    const run = await runRequestArchive(t.app.deps, at('2026-07-01T10:00:00Z'));
    expect(run).toEqual({ archived: 3, periods: ['2026-06'], tenants: { [TENANT]: 3 } });
    expect(await requests(t).get(made.resolved.id)).toBeUndefined();
    expect((await requests(t).list()).map((r) => r.key).sort()).toEqual(['PSA-0004', 'PSA-0005']);
    const history = await requests(t).listArchived('2026-06');
    expect(history.map((r) => [r.key, r.status]).sort()).toEqual([['PSA-0001', 'resolved'], ['PSA-0002', 'closed'], ['PSA-0003', 'withdrawn']]);
    // On disk: the hot file no longer holds them, the month's history file does.
    const hot = fs.readFileSync(path.join(t.dataDir, 'requests.json'), 'utf8');
    expect(hot).not.toContain(made.resolved.id);
    expect(fs.readFileSync(path.join(t.dataDir, 'archive', 'requests', '2026-06.json'), 'utf8')).toContain(made.resolved.id);
    const audit = await t.app.deps.store.audit.recent((e) => e.action === 'request.archived');
    expect(audit).toEqual([expect.objectContaining({ tenantId: TENANT, details: { requests: 3, periods: '2026-06', days: 30 } })]);
    // Nothing more to do on the next run; the later one follows when its 30 days are over.
    expect((await runRequestArchive(t.app.deps, at('2026-07-02T10:00:00Z'))).archived).toBe(0);
    expect(await runRequestArchive(t.app.deps, at('2026-07-20T09:01:00Z'))).toMatchObject({ archived: 1, periods: ['2026-06'] });
    expect(await requests(t).get(made.late.id)).toBeUndefined();
    expect((await requests(t).list()).map((r) => r.key)).toEqual(['PSA-0004']);
  });

  it('answers every help desk action on an archived request\'s card with "archived" and changes nothing', async () => {
    const shown = made.resolved;
    const before = fs.readFileSync(path.join(t.dataDir, 'archive', 'requests', '2026-06.json'), 'utf8');
    const answers = [
      await act(t, people.helpDesk, 'requests.claim', shown),
      await act(t, people.helpDesk, 'requests.assign', shown, { assignee: people.helpDesk2.aadObjectId }),
      await act(t, people.helpDesk, 'requests.setStatus', shown, { status: 'closed' }),
      await act(t, people.helpDesk, 'requests.addNote', shown, { note: 'Customer called again', visibleToRequester: false }),
      await exec(t, 'requests.refresh', { requestId: shown.id, view: 'triage' }, { from: people.helpDesk, kind: 'channel', conversationId: CHANNEL }),
    ];
    for (const a of answers) {
      expect(a).toMatchObject({ status: 200, code: 200 });
      expect(a.text).toBe('PSA-0001 is archived: it was finished and has not changed for a while, so it is kept as history and can no longer be changed.');
    }
    expect(await requests(t).get(shown.id)).toBeUndefined();
    expect(fs.readFileSync(path.join(t.dataDir, 'archive', 'requests', '2026-06.json'), 'utf8')).toBe(before);
  });

  it('says an archived request cannot be reopened', async () => {
    const a = await act(t, people.helpDesk, 'requests.setStatus', made.closed, { status: 'reopened' });
    expect(a).toMatchObject({ code: 200 });
    expect(a.text).toBe('PSA-0002 is archived, so it cannot be reopened. If the problem is back, open a new request and mention PSA-0002.');
    expect(await requests(t).get(made.closed.id)).toBeUndefined();
  });

  it('answers the requester\'s status card (withdraw, refresh) the same way, and in Korean', async () => {
    const w = await exec(t, 'requests.withdraw', { requestId: made.resolved.id, version: made.resolved.version }, { from: people.staff });
    expect(w).toMatchObject({ code: 200 });
    expect(w.text).toMatch(/^PSA-0001 is archived/);
    const r = await exec(t, 'requests.refresh', { requestId: made.withdrawn.id, view: 'status' }, { from: people.staff, trigger: 'automatic' } as never);
    expect(r.text).toMatch(/^PSA-0003 is archived/);
    const koReopen = await exec(t, 'requests.setStatus', { requestId: made.closed.id, version: made.closed.version, status: 'reopened' }, { from: people.helpDesk, kind: 'channel', conversationId: CHANNEL, locale: 'ko-KR' });
    expect(koReopen.text).toBe('PSA-0002은(는) 보관된 요청이라 다시 열 수 없습니다. 문제가 다시 생겼다면 새 요청을 열고 PSA-0002을(를) 언급하세요.');
    const koClaim = await exec(t, 'requests.claim', { requestId: made.resolved.id, version: made.resolved.version }, { from: people.helpDesk, kind: 'channel', conversationId: CHANNEL, locale: 'ko-KR' });
    expect(koClaim.text).toMatch(/^PSA-0001은\(는\) 보관된 요청입니다/);
  });

  it('shows the queue again with the notice when claimed from a stale queue card', async () => {
    const a = await exec(t, 'requests.claim', { requestId: made.late.id, version: made.late.version, view: 'queue', state: '' }, { from: people.helpDesk, kind: 'channel', conversationId: CHANNEL });
    expect(a.card).toBeDefined();
    expect(a.text).toContain('PSA-0005 is archived');
    expect(a.text).toContain('PSA-0004'); // the live queue
  });

  it('keeps refusing people outside the help desk, and an unknown id is still "not found"', async () => {
    const nosy = await act(t, people.staff, 'requests.claim', made.resolved);
    expect(nosy.code).toBe(403);
    const unknown = await act(t, people.helpDesk, 'requests.claim', { id: `r-${'0'.repeat(32)}`, version: 1 });
    expect(unknown.code).toBe(404);
    const odd = await act(t, people.helpDesk, 'requests.claim', { id: 'PSA-0001', version: 1 });
    expect(odd.code).toBe(404);
  });

  it('keeps numbers unique, and a form submitted again after archiving opens nothing new', async () => {
    const again = await exec(t, 'requests.create', forms.resolved, { from: people.staff });
    expect(again.code).toBe(200);
    expect(again.text).toContain('PSA-0001');
    expect(await requests(t).get(made.resolved.id)).toBeUndefined(); // still history only
    const fresh = await open(t, people.staff, { title: 'A new problem' });
    expect(fresh.record.key).toBe('PSA-0006');
    expect((await requests(t).list()).map((r) => r.key).sort()).toEqual(['PSA-0004', 'PSA-0006']);
  });

  it('leaves the queue and ageing to the live requests', async () => {
    const q = await t.replies(message('queue', { from: people.helpDesk }));
    const text = JSON.stringify(q);
    expect(text).toContain('PSA-0004');
    expect(text).not.toContain('PSA-0001');
    await expect(runRequestAgeing(t.app.deps, at('2026-07-21T10:00:00Z'))).resolves.toEqual(expect.objectContaining({ reminded: expect.any(Number) }));
  });
});

describe('archive run edge cases', () => {
  it('uses REQUEST_ARCHIVE_DAYS and the month of the last change, not of creation', async () => {
    const clock = { now: at('2026-05-29T09:00:00Z') };
    const t = await startRequestsApp({ clock, env: { REQUEST_ARCHIVE_DAYS: '7' } });
    try {
      const { record } = await open(t, people.staff);
      clock.now = at('2026-06-02T09:00:00Z');
      await act(t, people.helpDesk, 'requests.setStatus', record, { status: 'resolved' });
      expect((await runRequestArchive(t.app.deps, at('2026-06-09T08:59:00Z'))).archived).toBe(0);
      expect(await runRequestArchive(t.app.deps, at('2026-06-09T09:00:00Z'))).toMatchObject({ archived: 1, periods: ['2026-06'] });
      expect(await requests(t).listArchived('2026-05')).toEqual([]);
      expect((await requests(t).listArchived('2026-06')).map((r) => r.status)).toEqual(['resolved']);
    } finally {
      await t.stop();
    }
  });

  it('a request reopened while a run indexes it stays live, and actions on it work (the hot set is asked first)', async () => {
    const clock = { now: at('2026-06-01T09:00:00Z') };
    const t = await startRequestsApp({ clock });
    try {
      await setChannel(t);
      const { record } = await open(t, people.staff);
      await act(t, people.helpDesk, 'requests.setStatus', record, { status: 'resolved' });
      clock.now = at('2026-07-10T09:00:00Z');
      const deps = t.app.deps;
      const repo = requests(t);

      // The run lists the request as due, indexes it, and just before the move someone reopens it.
      const racingRepo: Repository<RequestRecord> = Object.assign(Object.create(repo) as Repository<RequestRecord>, {
        archive: async (periodOf: (r: RequestRecord) => string | undefined) => {
          await act(t, people.helpDesk, 'requests.setStatus', await reload(t, record.id), { status: 'reopened' });
          return repo.archive(periodOf);
        },
      });
      const racing = new RequestService({
        requests: racingRepo,
        settings: deps.store.collection<RequestSettings>('request-settings'),
        audit: deps.store.audit,
        benefits: deps.benefits,
        organisation: () => deps.directory.organisation(),
        helpDeskMembers: () => deps.directory.listPeople('helpDesk'),
        policy: deps.policy,
        catalog: deps.catalog,
        archived: deps.store.collection<ArchivedRequestsIndex>('requests-archived'),
      });
      expect((await racing.archiveFinished(clock.now, 30)).archived).toBe(0);
      const index = await deps.store.collection<ArchivedRequestsIndex>('requests-archived').list();
      expect(JSON.stringify(index)).toContain(record.id); // indexed, but not moved
      expect((await reload(t, record.id)).status).toBe('reopened');
      const claim = await act(t, people.helpDesk, 'requests.claim', await reload(t, record.id));
      expect(claim.text).toMatch(/You claimed PSA-0001/);
    } finally {
      await t.stop();
    }
  });

  it('runs one at a time, from an unref\'d hourly timer that stops with the app', async () => {
    const spy = jest.spyOn(global, 'setInterval');
    const clear = jest.spyOn(global, 'clearInterval');
    const clock = { now: at('2026-06-01T09:00:00Z') };
    const t = await startRequestsApp({ clock });
    let cleared = false;
    try {
      const call = spy.mock.calls.findIndex((c) => c[1] === ARCHIVE_INTERVAL_MS);
      expect(call).toBeGreaterThanOrEqual(0);
      const timer = spy.mock.results[call].value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
      const { record } = await open(t, people.staff);
      await act(t, people.helpDesk, 'requests.setStatus', record, { status: 'closed' });
      clock.now = at('2026-07-15T09:00:00Z');
      // Two runs at once: one does the work, the other does nothing.
      const [a, b] = await Promise.all([runRequestArchive(t.app.deps, clock.now), runRequestArchive(t.app.deps, clock.now)]);
      expect([a.archived, b.archived].sort()).toEqual([0, 1]);
      const { record: second } = await open(t, people.staff, { title: 'Second one' });
      await act(t, people.helpDesk, 'requests.setStatus', second, { status: 'closed' });
      clock.now = at('2026-08-20T09:00:00Z');
      (spy.mock.calls[call][0] as () => void)(); // what the timer does; the app stops while it runs
    } finally {
      await t.stop();
      const timer = spy.mock.results[spy.mock.calls.findIndex((c) => c[1] === ARCHIVE_INTERVAL_MS)]?.value as NodeJS.Timeout | undefined;
      cleared = clear.mock.calls.some((c) => c[0] === timer);
      spy.mockRestore();
      clear.mockRestore();
    }
    expect(cleared).toBe(true);
    expect(t.logs.some((l) => l.includes('request archive run failed'))).toBe(false);
    const hot = JSON.parse(fs.readFileSync(path.join(t.dataDir, 'requests.json'), 'utf8')) as { records: object };
    expect(Object.keys(hot.records)).toEqual([]); // the timer's run completed before the store closed
    expect(fs.readdirSync(path.join(t.dataDir, 'archive', 'requests')).sort()).toEqual(['2026-06.json', '2026-07.json']);
  });
});
