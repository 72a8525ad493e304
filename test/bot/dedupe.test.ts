/**
 * Duplicate deliveries beyond the basic case of test/bot/http.test.ts: the shared claim (Store.claimOnce) made
 * after authentication, what a delivery already claimed elsewhere gets, what happens when the check or the release
 * fails, and that a refused turn can be retried. On lowdb the claim is an in-memory map of the store.
 */
import { randomUUID } from 'node:crypto';
import { StorageWriteError } from '../../src/storage/errors.js';
import { execute, message } from '../helpers/activities.js';
import { startTestApp, textOf, type TestApp } from '../helpers/app.js';
import { signRs256, startAuthenticatedApp, type FakeIdp } from '../identity/fake-idp.js';

interface LogLine {
  msg?: string;
  level?: string;
  activityId?: string;
}

const linesOf = (t: TestApp): LogLine[] => t.logs.map((l) => JSON.parse(l) as LogLine);
const turnsOf = (t: TestApp, activityId: string) => linesOf(t).filter((l) => l.msg === 'turn' && l.activityId === activityId).length;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An invoke no handler serves: the adapter answers 501, a status that makes the delivery retryable. */
function unknownInvoke(id: string) {
  return { ...message('', { id }), type: 'invoke', name: 'test/notServed', value: {} };
}

/** Unserved invokes get a 200; with no string to answer with (and none for the error either) the adapter says 501. */
function noAnswers(t: TestApp) {
  return jest.spyOn(t.app.deps.i18n, 't').mockImplementation(() => {
    throw new Error('no strings');
  });
}

describe('duplicate deliveries: the shared claim', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('runs one turn for the same activity delivered twice at once; both deliveries get the first answer', async () => {
    const a = message('help', { id: `dd-${randomUUID()}`, expectReplies: true });
    const [r1, r2] = await Promise.all([t.post(a), t.post(a)]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(r1.body.activities).toHaveLength(1);
    expect(r2.body).toEqual(r1.body);
    const r3 = await t.post(a);
    expect(r3.body).toEqual(r1.body);
    expect(turnsOf(t, a.id)).toBe(1);
  });

  it('claims the activity in the store once, after which the key is held for the window (another instance would skip it)', async () => {
    const claim = jest.spyOn(t.app.deps.store, 'claimOnce');
    const a = message('help', { id: `held-${randomUUID()}`, expectReplies: true });
    await t.post(a);
    await t.post(a); // a retry on this instance is answered from its own map, without asking the store
    expect(claim).toHaveBeenCalledTimes(1);
    const [key, ttl] = claim.mock.calls[0];
    expect(key).toContain(a.id);
    expect(key).toContain(a.conversation.id);
    expect(ttl).toBe(10 * 60 * 1000);
    claim.mockRestore();
    expect(await t.app.deps.store.claimOnce(key, ttl)).toBe(false);
  });

  it('answers a delivery another instance already claimed with an empty 200 and runs no turn (message, expectReplies, invoke)', async () => {
    const claim = jest.spyOn(t.app.deps.store, 'claimOnce').mockResolvedValue(false);
    t.connector.clear();
    const plain = message('help', { id: `elsewhere-${randomUUID()}` });
    const replies = message('help', { id: `elsewhere-${randomUUID()}`, expectReplies: true });
    const invoke = execute('requests.claim', { requestId: 'r-x', version: 1 }, { id: `elsewhere-${randomUUID()}` });
    const [p, r, i] = [await t.post(plain), await t.post(replies), await t.post(invoke)];
    expect(p).toEqual({ status: 200, body: undefined });
    expect(r).toEqual({ status: 200, body: { activities: [] } });
    expect(i).toEqual({ status: 200, body: undefined }); // not the adapter's 501 for a turn without an invoke response
    expect(claim).toHaveBeenCalledTimes(3);
    // A retry of it on this instance gets the same empty answer, still without a turn.
    expect(await t.post(replies)).toEqual({ status: 200, body: { activities: [] } });
    await pause(50);
    for (const a of [plain, replies, invoke]) expect(turnsOf(t, a.id)).toBe(0);
    expect(t.connector.sent).toHaveLength(0);
    expect(linesOf(t).filter((l) => l.msg?.startsWith('duplicate delivery: already claimed'))).toHaveLength(3);
  });

  it('processes the activity when the store cannot answer the check (better a rare duplicate than a lost message)', async () => {
    jest.spyOn(t.app.deps.store, 'claimOnce').mockRejectedValueOnce(new StorageWriteError('PostgreSQL db:5432/psa (claimOnce)', new Error('Connection terminated')));
    const a = message('help', { id: `down-${randomUUID()}`, expectReplies: true });
    const r = await t.post(a);
    expect(r.status).toBe(200);
    expect(textOf(r.body.activities[0])).toContain('Partner Support Assistant');
    expect(turnsOf(t, a.id)).toBe(1);
    expect(linesOf(t).some((l) => l.msg === 'duplicate-delivery check unavailable; processing the activity' && l.level === 'warn')).toBe(true);
  });

  it('releases the claim of a turn answered with an error status, so the retry is processed', async () => {
    const release = jest.spyOn(t.app.deps.store, 'releaseClaim');
    const a = unknownInvoke(`refused-${randomUUID()}`);
    const silent = noAnswers(t);
    const first = await t.post(a);
    silent.mockRestore();
    expect(first.status).toBe(501);
    await pause(20);
    expect(release).toHaveBeenCalledTimes(1);
    expect(release.mock.calls[0][0]).toContain(a.id);
    const retry = await t.post(a);
    expect(retry.status).toBe(200); // processed again, this time answered
    expect(turnsOf(t, a.id)).toBe(2);
  });

  it('logs a release that failed instead of failing the answer', async () => {
    jest.spyOn(t.app.deps.store, 'releaseClaim').mockRejectedValueOnce(new StorageWriteError('PostgreSQL db:5432/psa (releaseClaim)', new Error('Connection terminated')));
    const a = unknownInvoke(`release-fails-${randomUUID()}`);
    const silent = noAnswers(t);
    expect((await t.post(a)).status).toBe(501);
    silent.mockRestore();
    await pause(20);
    expect(linesOf(t).some((l) => l.msg?.startsWith('duplicate-delivery claim not released') && l.level === 'warn')).toBe(true);
  });

  it('does not release a claim it did not make (a duplicate, or a check that failed)', async () => {
    const release = jest.spyOn(t.app.deps.store, 'releaseClaim');
    jest.spyOn(t.app.deps.store, 'claimOnce').mockResolvedValueOnce(false).mockRejectedValueOnce(new StorageWriteError('x', new Error('down')));
    expect((await t.post(unknownInvoke(`dup-${randomUUID()}`))).status).toBe(200);
    const silent = noAnswers(t);
    expect((await t.post(unknownInvoke(`unknown-${randomUUID()}`))).status).toBe(501);
    silent.mockRestore();
    await pause(20);
    expect(release).not.toHaveBeenCalled();
  });

  it('claims long ids by a fixed-length hash (a PostgreSQL index entry has a size limit)', async () => {
    const claim = jest.spyOn(t.app.deps.store, 'claimOnce');
    const a = message('help', { id: `long-${'x'.repeat(900)}`, conversationId: `a:${'c'.repeat(1500)}`, expectReplies: true });
    expect((await t.post(a)).status).toBe(200);
    const [key] = claim.mock.calls[0];
    expect(key.length).toBeLessThan(100);
    claim.mockRestore();
    expect(await t.app.deps.store.claimOnce(key, 1000)).toBe(false); // the same key, so another instance skips it too
  });

  it('asks nothing of the store for an activity without an id (nothing to recognise it by)', async () => {
    const claim = jest.spyOn(t.app.deps.store, 'claimOnce');
    const { id: _id, ...a } = message('help', { expectReplies: true });
    expect((await t.post(a)).status).toBe(200);
    expect((await t.post(a)).status).toBe(200);
    expect(claim).not.toHaveBeenCalled();
  });

  it('keeps the claim cheap on lowdb: an in-memory map, microseconds per delivery', async () => {
    const store = t.app.deps.store;
    const n = 20_000;
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await store.claimOnce(`bench|${i}`, 60_000);
    const perClaimUs = Number(process.hrtime.bigint() - started) / 1000 / n;
    process.stdout.write(`lowdb claimOnce: ${perClaimUs.toFixed(2)} µs per claim (${n} claims)\n`);
    expect(perClaimUs).toBeLessThan(50); // generous for a shared CI machine; measured around 1 µs
  });
});

describe('duplicate deliveries: the claim is made only after authentication', () => {
  const APP_ID = 'd0000000-0000-4000-8000-0000000000d1';
  let idp: FakeIdp;
  let t: TestApp;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ idp, t, stop } = await startAuthenticatedApp(APP_ID));
  });
  afterAll(() => stop());

  it('a forged delivery that comes first takes no claim: the real one is still processed once', async () => {
    const claim = jest.spyOn(t.app.deps.store, 'claimOnce');
    const now = Math.floor(Date.now() / 1000);
    const token = signRs256({ iss: idp.issuer, aud: APP_ID, serviceurl: t.connector.url, nbf: now - 60, iat: now - 60, exp: now + 3600 }, idp.key);
    const a = message('help', { id: `forged-first-${randomUUID()}`, expectReplies: true });
    const forged = await t.post(a);
    expect(forged.status).toBe(401);
    expect(claim).not.toHaveBeenCalled();
    const real = await t.post(a, { authorization: `Bearer ${token}` });
    expect(real.status).toBe(200);
    expect(textOf(real.body.activities[0])).toContain('Partner Support Assistant');
    const retry = await t.post(a, { authorization: `Bearer ${token}` });
    expect(retry.body).toEqual(real.body);
    expect(claim).toHaveBeenCalledTimes(1);
    expect(turnsOf(t, a.id)).toBe(1);
  });
});
