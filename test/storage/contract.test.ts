/**
 * One contract, two backends: every Store behaviour the capabilities rely on, run against the embedded lowdb store
 * and against PostgreSQL (a real server: test/helpers/postgres.ts). Then what only PostgreSQL has to show:
 * migrations under concurrent start-up, several instances on one database, failures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { Versioned } from '../../src/storage/collection.js';
import { ConflictError, NotFoundError, StorageWriteError } from '../../src/storage/errors.js';
import { openStore, type Store } from '../../src/storage/store.js';
import { Db } from '../../src/storage/postgres/db.js';
import { MIGRATIONS } from '../../src/storage/postgres/migrations.js';
import { openPgStore } from '../../src/storage/postgres/pg-store.js';
import { freeLoopbackPort, startPostgres, type PgServer } from '../helpers/postgres.js';

jest.setTimeout(60_000);

interface Thing extends Versioned {
  name: string;
  owner?: string;
  n?: number;
  closedAt?: string;
  nested?: unknown;
}

/** A place a store lives (a data dir, a database) and how to open a store on it. */
interface Backend {
  /** A fresh, empty location. */
  fresh(): Promise<string>;
  open(location: string): Promise<Store>;
  /** Removes what `fresh` made (databases go when the server stops). */
  dispose(location: string): void;
  /** Whether two stores may be open on one location at once (several instances). */
  shared: boolean;
}

let server: PgServer | undefined;

const lowdb: Backend = {
  shared: false,
  fresh: async () => fs.mkdtempSync(path.join(os.tmpdir(), 'psa-contract-')),
  open: async (dir) => openStore(dir),
  dispose: (dir) => fs.rmSync(dir, { recursive: true, force: true }),
};

const postgres: Backend = {
  shared: true,
  fresh: () => server!.createDatabase(),
  open: (url) => openPgStore({ databaseUrl: url, pgPoolMax: 10 }),
  dispose: () => undefined,
};

const settle = <T>(ps: Promise<T>[]) => Promise.allSettled(ps);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each([
  ['lowdb', lowdb],
  ['postgres', postgres],
])('Store contract on %s', (name, backend) => {
  let location: string;
  let store: Store;
  const extra: Store[] = [];

  beforeAll(async () => {
    if (name === 'postgres') server = await startPostgres();
  });
  afterAll(async () => {
    if (name === 'postgres') await server?.stop();
  });
  beforeEach(async () => {
    location = await backend.fresh();
    store = await backend.open(location);
  });
  afterEach(async () => {
    await store.close();
    for (const s of extra.splice(0)) await s.close();
    backend.dispose(location);
  });

  /** Closes the store and opens it again on the same location: what a restart sees. */
  async function reopen(): Promise<Store> {
    await store.close();
    store = await backend.open(location);
    return store;
  }

  describe('records', () => {
    it('inserts at version 1 and reads it back; a missing id is undefined', async () => {
      const repo = store.collection<Thing>('things');
      expect(await repo.insert({ id: 'a', name: 'A' })).toEqual({ id: 'a', name: 'A', version: 1 });
      expect(await repo.get('a')).toEqual({ id: 'a', name: 'A', version: 1 });
      expect(await repo.get('nope')).toBeUndefined();
    });

    it('refuses to insert an id that exists', async () => {
      const repo = store.collection<Thing>('things');
      await repo.insert({ id: 'a', name: 'A' });
      await expect(repo.insert({ id: 'a', name: 'again' })).rejects.toBeInstanceOf(ConflictError);
      expect((await repo.get('a'))?.name).toBe('A');
    });

    it('round-trips nested data, unicode and numbers unchanged', async () => {
      const repo = store.collection<Thing>('things');
      const nested = { list: [1, 2.5, -3, null, true, 'x'], deep: { ko: '파트너 지원', emoji: '🎫', quote: `"'\\` }, empty: {}, none: [] };
      await repo.insert({ id: 'n', name: 'nested', nested });
      expect((await repo.get('n'))?.nested).toEqual(nested);
    });

    it('lists with a filter and counts, per collection', async () => {
      const repo = store.collection<Thing>('things');
      const other = store.collection<Thing>('others');
      for (let i = 0; i < 5; i++) await repo.insert({ id: `t${i}`, name: i % 2 ? 'odd' : 'even' });
      await other.insert({ id: 't0', name: 'elsewhere' });
      expect((await repo.list((r) => r.name === 'odd')).map((r) => r.id).sort()).toEqual(['t1', 't3']);
      expect(await repo.list()).toHaveLength(5);
      expect(await repo.count()).toBe(5);
      expect(await other.count()).toBe(1);
      expect((await other.get('t0'))?.name).toBe('elsewhere');
    });

    it('refuses a compare-and-set on a stale version and on a missing record', async () => {
      const repo = store.collection<Thing>('things');
      const v1 = await repo.insert({ id: 'a', name: 'A' });
      expect(await repo.replace({ ...v1, name: 'B' }, 1)).toEqual({ id: 'a', name: 'B', version: 2 });
      await expect(repo.replace({ ...v1, name: 'C' }, 1)).rejects.toBeInstanceOf(ConflictError);
      await expect(repo.replace({ id: 'zzz', name: 'Z', version: 1 }, 1)).rejects.toBeInstanceOf(NotFoundError);
      expect(await repo.get('a')).toEqual({ id: 'a', name: 'B', version: 2 });
    });

    it('mutate: "no change" keeps the version, a refusal keeps the record, a missing id is NotFound', async () => {
      const repo = store.collection<Thing>('things');
      await repo.insert({ id: 'a', name: 'A' });
      expect((await repo.mutate('a', () => undefined)).version).toBe(1);
      await expect(repo.mutate('a', () => {
        throw new Error('refused');
      })).rejects.toThrow('refused');
      expect(await repo.get('a')).toEqual({ id: 'a', name: 'A', version: 1 });
      await expect(repo.mutate('zzz', (c) => c)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('lets exactly one of two concurrent claims win', async () => {
      const repo = store.collection<Thing>('things');
      await repo.insert({ id: 'r', name: 'request' });
      const claim = (who: string) =>
        repo.mutate('r', (cur) => {
          if (cur.owner) throw new Error(`already claimed by ${cur.owner}`);
          return { ...cur, owner: who };
        });
      const results = await settle([claim('ann'), claim('bob')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(String(refused.reason)).toMatch(/already claimed by (ann|bob)/);
      const final = await repo.get('r');
      expect(['ann', 'bob']).toContain(final?.owner);
      expect(final?.version).toBe(2);
    });

    it('loses no update when 20 increments race: each either lands or reports a conflict', async () => {
      const repo = store.collection<Thing>('things');
      await repo.insert({ id: 'c', name: 'counter', n: 0 });
      const results = await settle(Array.from({ length: 20 }, () => repo.mutate('c', (cur) => ({ ...cur, n: (cur.n ?? 0) + 1 }))));
      const landed = results.filter((r) => r.status === 'fulfilled').length;
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ConflictError);
      expect(landed).toBeGreaterThanOrEqual(1);
      const final = await repo.get('c');
      expect(final?.n).toBe(landed);
      expect(final?.version).toBe(landed + 1);
    });

    it('upsert inserts when absent, changes when present, and "no change" writes nothing', async () => {
      const repo = store.collection<Thing>('things');
      expect(await repo.upsert('u', (cur) => ({ id: 'u', name: cur ? 'again' : 'first' }))).toEqual({ id: 'u', name: 'first', version: 1 });
      expect(await repo.upsert('u', (cur) => ({ ...cur!, name: 'again' }))).toEqual({ id: 'u', name: 'again', version: 2 });
      expect(await repo.upsert('u', () => undefined)).toEqual({ id: 'u', name: 'again', version: 2 });
      expect(await repo.upsert('absent', () => undefined)).toBeUndefined();
      expect(await repo.get('absent')).toBeUndefined();
    });

    it('two concurrent create-if-absent upserts make one record', async () => {
      const repo = store.collection<Thing>('things');
      const create = (who: string) => repo.upsert('x', (cur) => (cur ? undefined : { id: 'x', name: who }));
      const [a, b] = await Promise.all([create('ann'), create('bob')]);
      expect(a?.name).toBe(b?.name);
      expect(await repo.count()).toBe(1);
      expect((await repo.get('x'))?.version).toBe(1);
    });

    it('deletes once', async () => {
      const repo = store.collection<Thing>('things');
      await repo.insert({ id: 'a', name: 'A' });
      expect(await repo.delete('a')).toBe(true);
      expect(await repo.delete('a')).toBe(false);
      expect(await repo.get('a')).toBeUndefined();
      await repo.insert({ id: 'a', name: 'again' });
      expect((await repo.get('a'))?.version).toBe(1);
    });

    it('hands out unique sequence numbers under concurrency, per scope and per collection', async () => {
      const repo = store.collection<Thing>('things');
      const numbers = await Promise.all(Array.from({ length: 200 }, () => repo.nextSequence('tenant-1')));
      expect(new Set(numbers).size).toBe(200);
      expect(Math.max(...numbers)).toBe(200);
      expect(await repo.nextSequence('tenant-2')).toBe(1);
      expect(await store.collection<Thing>('others').nextSequence('tenant-1')).toBe(1);
      expect(await repo.nextSequence('tenant-1')).toBe(201);
    });

    it('inserts numbered records: unique numbers under concurrency, one counter with nextSequence, refused on an existing id', async () => {
      const repo = store.collection<Thing>('things');
      const made = await Promise.all(Array.from({ length: 100 }, (_, i) => repo.insertNumbered('tenant-1', (n) => ({ id: `r${i}`, name: `PSA-${n}` }))));
      expect(new Set(made.map((r) => r.name)).size).toBe(100);
      expect(made.every((r) => r.version === 1)).toBe(true);
      expect(await repo.nextSequence('tenant-1')).toBe(101);
      await expect(repo.insertNumbered('tenant-1', (n) => ({ id: 'r7', name: `PSA-${n}` }))).rejects.toBeInstanceOf(ConflictError);
      expect((await repo.get('r7'))?.name).toBe(made[7].name);
      expect((await repo.insertNumbered('tenant-2', (n) => ({ id: 'other', name: `PSA-${n}` }))).name).toBe('PSA-1');
    });

    it('keeps records and sequences across a restart', async () => {
      await store.collection<Thing>('things').insert({ id: 'a', name: 'A' });
      await store.collection<Thing>('things').nextSequence('s');
      const again = await reopen();
      expect((await again.collection<Thing>('things').get('a'))?.name).toBe('A');
      expect(await again.collection<Thing>('things').nextSequence('s')).toBe(2);
    });

    it('archives records by period out of the hot set', async () => {
      const repo = store.collection<Thing>('requests');
      for (let i = 0; i < 6; i++) await repo.insert({ id: `r${i}`, name: 'x', closedAt: i < 4 ? `2026-${i < 2 ? '09' : '10'}-15` : undefined });
      expect(await repo.archive((r) => r.closedAt?.slice(0, 7))).toBe(4);
      expect(await repo.count()).toBe(2);
      expect(await repo.get('r0')).toBeUndefined();
      expect((await repo.listArchived('2026-09')).map((r) => r.id).sort()).toEqual(['r0', 'r1']);
      expect((await repo.listArchived('2026-10')).map((r) => r.id).sort()).toEqual(['r2', 'r3']);
      expect(await repo.listArchived('../etc')).toEqual([]);
    });

    it('refuses an invalid collection name', () => {
      expect(() => store.collection('../etc')).toThrow(/Invalid collection name/);
      expect(() => store.collection('bot-state')).toThrow(/Invalid collection name/);
    });
  });

  describe('botbuilder Storage', () => {
    it('refuses a write with a stale eTag, accepts "*", deletes', async () => {
      const s = store.botStorage;
      await s.write({ k: { n: 1 } });
      const first = (await s.read(['k'])).k;
      expect(first).toMatchObject({ n: 1, eTag: expect.any(String) });
      await s.write({ k: { ...first, n: 2 } });
      await expect(s.write({ k: { ...first, n: 3 } })).rejects.toThrow(/eTag conflict/);
      await s.write({ k: { n: 4, eTag: '*' } });
      expect((await s.read(['k'])).k.n).toBe(4);
      await s.delete(['k']);
      expect(await s.read(['k', 'never'])).toEqual({});
    });

    it('gives a new eTag on every write and lets one of two writers with the same eTag win', async () => {
      const s = store.botStorage;
      await s.write({ k: { n: 0 } });
      const read = (await s.read(['k'])).k;
      const results = await settle([s.write({ k: { ...read, n: 1 } }), s.write({ k: { ...read, n: 2 } })]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const after = (await s.read(['k'])).k;
      expect(after.eTag).not.toBe(read.eTag);
      expect([1, 2]).toContain(after.n);
    });

    it('writes several items all or none', async () => {
      const s = store.botStorage;
      await s.write({ a: { n: 1 } });
      const a = (await s.read(['a'])).a;
      await s.write({ a: { ...a, n: 2 } });
      await expect(s.write({ b: { n: 1 }, a: { ...a, n: 3 } })).rejects.toThrow(/eTag conflict/);
      expect(await s.read(['b'])).toEqual({});
      expect((await s.read(['a'])).a.n).toBe(2);
      await s.write({ b: { n: 1 }, c: { n: 1 } });
      expect(Object.keys(await s.read(['a', 'b', 'c'])).sort()).toEqual(['a', 'b', 'c']);
    });
  });

  describe('audit log', () => {
    it('records events in order with their fields and filters them', async () => {
      const at = new Date().toISOString();
      await store.audit.record({ tenantId: 't1', actor: 'u1', action: 'activation.requested', subject: 'a-1', details: { tier: 'gold', n: 2, ok: true, none: null }, at });
      await store.audit.record({ tenantId: 't1', action: 'activation.approved', subject: 'a-1' });
      await store.audit.record({ tenantId: 't2', action: 'other' });
      const all = await store.audit.recent();
      expect(all.map((e) => e.action)).toEqual(['activation.requested', 'activation.approved', 'other']);
      expect(all[0]).toEqual({ tenantId: 't1', actor: 'u1', action: 'activation.requested', subject: 'a-1', details: { tier: 'gold', n: 2, ok: true, none: null }, at });
      expect(all[1].actor).toBeUndefined();
      expect(Date.parse(all[1].at)).toBeGreaterThan(Date.now() - 60_000);
      expect((await store.audit.recent((e) => e.tenantId === 't2')).map((e) => e.action)).toEqual(['other']);
    });
  });

  describe('claimOnce (duplicate deliveries)', () => {
    it('is true the first time a key is seen, false for a repeat, true again after release', async () => {
      expect(await store.claimOnce('conv|act-1|message', 60_000)).toBe(true);
      expect(await store.claimOnce('conv|act-1|message', 60_000)).toBe(false);
      expect(await store.claimOnce('conv|act-2|message', 60_000)).toBe(true);
      await store.releaseClaim('conv|act-1|message');
      expect(await store.claimOnce('conv|act-1|message', 60_000)).toBe(true);
    });

    it('forgets a key after its time to live', async () => {
      expect(await store.claimOnce('k', 100)).toBe(true);
      expect(await store.claimOnce('k', 100)).toBe(false);
      await sleep(250);
      expect(await store.claimOnce('k', 100)).toBe(true);
    });

    it('lets exactly one of 20 concurrent claims of one key win', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => store.claimOnce('same', 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('runExclusive (jobs)', () => {
    it('runs the job and returns its value; a second start while it runs does not run', async () => {
      let runs = 0;
      const job = async () => {
        runs++;
        await sleep(200);
        return 'done';
      };
      const [a, b] = await Promise.all([store.runExclusive('reminders', job), (async () => {
        await sleep(50);
        return store.runExclusive('reminders', job);
      })()]);
      expect([a, b].sort()).toEqual(['done', undefined]);
      expect(runs).toBe(1);
      expect(await store.runExclusive('reminders', job)).toBe('done');
      expect(runs).toBe(2);
    });

    it('runs different jobs at the same time', async () => {
      const both = await Promise.all([store.runExclusive('a', async () => (await sleep(100), 1)), store.runExclusive('b', async () => (await sleep(100), 2))]);
      expect(both).toEqual([1, 2]);
    });

    it('releases the job when it throws', async () => {
      await expect(store.runExclusive('failing', async () => {
        throw new Error('job broke');
      })).rejects.toThrow('job broke');
      expect(await store.runExclusive('failing', async () => 'ran')).toBe('ran');
    });
  });

  describe('instances', () => {
    it('reports its backend as healthy', () => {
      expect(store.status()).toMatchObject({ backend: name, ok: true });
    });

    if (!backend.shared) {
      it('refuses a second instance on the same data (one process owns the files)', async () => {
        await expect(backend.open(location)).rejects.toThrow(/in use by another bot process/);
      });
    }

    if (backend.shared) it('shares one data set, one sequence, claims and jobs between two instances', async () => {
      const other = await backend.open(location);
      extra.push(other);
      await store.collection<Thing>('things').insert({ id: 'a', name: 'from one' });
      expect((await other.collection<Thing>('things').get('a'))?.name).toBe('from one');
      const numbers = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? store : other).collection('things').nextSequence('t')));
      expect(new Set(numbers).size).toBe(100);
      expect(Math.max(...numbers)).toBe(100);
      expect(await store.claimOnce('dup', 60_000)).toBe(true);
      expect(await other.claimOnce('dup', 60_000)).toBe(false);
      const claims = await settle(['ann', 'bob'].map((who, i) => (i ? store : other).collection<Thing>('things').mutate('a', (cur) => {
        if (cur.owner) throw new Error('taken');
        return { ...cur, owner: who };
      })));
      expect(claims.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      let running = 0;
      const job = async () => {
        running++;
        await sleep(200);
        return running;
      };
      const ran = await Promise.all([store.runExclusive('expiry', job), other.runExclusive('expiry', job)]);
      expect(ran.filter((r) => r !== undefined)).toEqual([1]);
    });
  });
});

describe('PostgreSQL only', () => {
  let pgServer: PgServer;
  beforeAll(async () => {
    pgServer = await startPostgres();
  });
  afterAll(async () => {
    await pgServer?.stop();
  });

  const admin = async <T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };

  it('applies each migration once when three instances start at the same moment, and nothing on the next start', async () => {
    const url = await pgServer.createDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => openPgStore({ databaseUrl: url, pgPoolMax: 2 })));
    const versions = await admin(url, (c) => c.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version'));
    expect(versions.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    for (const s of stores) expect(s.status()).toMatchObject({ backend: 'postgres', ok: true, schemaVersion: Math.max(...MIGRATIONS.map((m) => m.version)) });
    await Promise.all(stores.map((s) => s.close()));
    const again = await openPgStore({ databaseUrl: url, pgPoolMax: 2 });
    const after = await admin(url, (c) => c.query('SELECT count(*)::int AS n FROM schema_migrations'));
    expect(after.rows[0].n).toBe(MIGRATIONS.length);
    await again.close();
  });

  it('refuses to start when the server is unreachable, naming the host and never the password', async () => {
    const port = await freeLoopbackPort();
    const url = `postgresql://psa:S3cretPassw0rd@127.0.0.1:${port}/psa`;
    const err = (await openPgStore({ databaseUrl: url, pgPoolMax: 2 }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain(`127.0.0.1:${port}/psa`);
    expect(err.message).toContain('DATABASE_URL');
    expect(err.message).not.toContain('S3cretPassw0rd');
  });

  it('refuses to start on a wrong password without echoing it', async () => {
    const url = await pgServer.createDatabase();
    await admin(url, (c) => c.query("CREATE ROLE psa_pw LOGIN PASSWORD 'right-one'"));
    const u = new URL(url);
    u.username = 'psa_pw';
    u.password = 'Wr0ngPassw0rd';
    const err = (await openPgStore({ databaseUrl: u.toString(), pgPoolMax: 1 }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/password authentication failed/);
    expect(err.message).toContain(`${u.host}${u.pathname}`);
    expect(err.message).not.toContain('Wr0ngPassw0rd');
  });

  it('stores a NUL character as U+FFFD (jsonb cannot hold it) instead of refusing the write', async () => {
    const store = await openPgStore({ databaseUrl: await pgServer.createDatabase(), pgPoolMax: 2 });
    await store.collection<Thing>('things').insert({ id: 'z', name: 'a\u0000b' });
    expect((await store.collection<Thing>('things').get('z'))?.name).toBe('a\uFFFDb');
    await store.botStorage.write({ k: { text: 'x\u0000' } });
    expect((await store.botStorage.read(['k'])).k.text).toBe('x\uFFFD');
    await store.close();
  });

  it('rolls a transaction back when its connection dies half way (nothing half-written)', async () => {
    const url = await pgServer.createDatabase();
    const store = await openPgStore({ databaseUrl: url, pgPoolMax: 2 });
    const db = new Db({ url, poolMax: 2 });
    const failure = await db
      .transaction('test', async (query) => {
        await query('insert one', "INSERT INTO records (collection, id, version, data) VALUES ('things', 'half', 1, '{}')");
        const pid = (await query<{ pid: number }>('pid', 'SELECT pg_backend_pid() AS pid')).rows[0].pid;
        await admin(url, (c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
        await query('insert two', "INSERT INTO records (collection, id, version, data) VALUES ('things', 'other-half', 1, '{}')");
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StorageWriteError);
    expect(await store.collection('things').get('half')).toBeUndefined();
    expect(await store.collection('things').get('other-half')).toBeUndefined();
    // The pool replaced the dead connection.
    await db.transaction('again', (query) => query('select', 'SELECT 1'));
    await db.end();
    await store.close();
  });

  it('turns connections the server dropped into StorageWriteError, then reconnects', async () => {
    const url = await pgServer.createDatabase();
    const store = await openPgStore({ databaseUrl: url, pgPoolMax: 4 });
    const repo = store.collection<Thing>('things');
    await Promise.all([1, 2, 3, 4].map((i) => repo.insert({ id: `t${i}`, name: 'x' })));
    await admin(url, (c) => c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()'));
    const outcomes = await settle([1, 2, 3, 4].map((i) => repo.get(`t${i}`)));
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(StorageWriteError);
    expect((await repo.get('t1'))?.name).toBe('x');
    expect(store.status().ok).toBe(true);
    await store.close();
  });

  (process.env.DATABASE_URL ? it.skip : it)('while the server is down: writes reject with StorageWriteError and /healthz says so; afterwards all is well', async () => {
    const url = await pgServer.createDatabase();
    const store = await openPgStore({ databaseUrl: url, pgPoolMax: 2 }, { connectionTimeoutMs: 1000 });
    const repo = store.collection<Thing>('things');
    await repo.insert({ id: 'before', name: 'x' });
    await pgServer.pause();
    try {
      await expect(repo.insert({ id: 'during', name: 'x' })).rejects.toBeInstanceOf(StorageWriteError);
      await expect(repo.nextSequence('s')).rejects.toBeInstanceOf(StorageWriteError);
      await expect(store.botStorage.write({ k: { n: 1 } })).rejects.toBeInstanceOf(StorageWriteError);
      expect(store.status()).toMatchObject({ backend: 'postgres', ok: false, lastError: expect.any(String) });
    } finally {
      await pgServer.resume();
    }
    await repo.insert({ id: 'after', name: 'x' });
    expect((await repo.list()).map((r) => r.id).sort()).toEqual(['after', 'before']);
    expect(store.status().ok).toBe(true);
    await store.close();
  });

  it('keeps a job\'s result when its lock connection dies during the run, and the job can run again', async () => {
    const url = await pgServer.createDatabase();
    const store = await openPgStore({ databaseUrl: url, pgPoolMax: 3 });
    const result = await store.runExclusive('reminders', async () => {
      await admin(url, (c) => c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'partner-support-assistant'"));
      return 'sent 3 reminders';
    });
    expect(result).toBe('sent 3 reminders');
    expect(await store.runExclusive('reminders', async () => 'again')).toBe('again');
    await store.close();
  });

  it('bounds every session: statement timeout, idle-transaction timeout, application name', async () => {
    const url = await pgServer.createDatabase();
    const db = new Db({ url, poolMax: 1 });
    const r = await db.query<{ st: string; it: string; app: string }>('settings', "SELECT current_setting('statement_timeout') AS st, current_setting('idle_in_transaction_session_timeout') AS it, current_setting('application_name') AS app");
    expect(r.rows[0]).toEqual({ st: '15s', it: '30s', app: 'partner-support-assistant' });
    await db.end();
  });

  it('rejects every operation after close with StorageWriteError', async () => {
    const store = await openPgStore({ databaseUrl: await pgServer.createDatabase(), pgPoolMax: 2 });
    await store.close();
    await expect(store.collection('things').get('a')).rejects.toBeInstanceOf(StorageWriteError);
  });
});

describe('choosing the backend (STORAGE, DATABASE_URL, PG_POOL_MAX)', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
      throw err;
    }
    return '';
  };

  it('defaults to lowdb with a pool of 10', () => {
    expect(loadConfig({})).toMatchObject({ storage: 'lowdb', databaseUrl: '', pgPoolMax: 10 });
  });

  it('takes postgres with a URL, a shared key and a pool size', () => {
    const c = loadConfig({ STORAGE: 'postgres', DATABASE_URL: 'postgresql://psa:pw@db.example:5432/psa?sslmode=verify-full', DATA_ENCRYPTION_KEY: key, PG_POOL_MAX: '4' });
    expect(c).toMatchObject({ storage: 'postgres', pgPoolMax: 4 });
  });

  it.each([
    [{ STORAGE: 'mongo' }, /STORAGE: .*received 'mongo'/],
    [{ STORAGE: 'postgres', DATA_ENCRYPTION_KEY: key }, /DATABASE_URL: required when STORAGE=postgres/],
    [{ STORAGE: 'postgres', DATABASE_URL: 'mysql://psa:Hunter2Secret@db.example/psa', DATA_ENCRYPTION_KEY: key }, /DATABASE_URL: "mysql:\/\/psa:\*\*\*@db.example\/psa" is not a postgres/],
    [{ STORAGE: 'postgres', DATABASE_URL: 'postgresql://db.example/psa' }, /DATA_ENCRYPTION_KEY: required when STORAGE=postgres/],
    [{ PG_POOL_MAX: '1' }, /PG_POOL_MAX must be an integer from 2 to 1000, got "1"/],
  ])('names the bad value: %j', (env, message) => {
    const text = problems(env as Record<string, string>);
    expect(text).toMatch(message);
    expect(text).not.toContain('Hunter2Secret');
  });
});
