import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../../src/storage/store.js';
import { ConflictError, CorruptFileError, DataDirLockedError, NotFoundError, StorageWriteError } from '../../src/storage/errors.js';
import type { CollectionDoc, Versioned } from '../../src/storage/collection.js';
import { cachedRecordsSerializer } from '../../src/storage/json-file.js';

interface Thing extends Versioned {
  name: string;
  owner?: string;
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'psa-store-'));

describe('lowdb store', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = tmp();
    store = openStore(dir);
  });
  afterEach(async () => {
    await store.close();
    fs.chmodSync(dir, 0o700);
  });

  it('writes one JSON file per collection with a schema version', async () => {
    await store.collection<Thing>('things').insert({ id: 'a', name: 'A' });
    const file = JSON.parse(fs.readFileSync(path.join(dir, 'things.json'), 'utf8'));
    expect(file.schemaVersion).toBe(1);
    expect(file.records.a).toEqual({ id: 'a', name: 'A', version: 1 });
  });

  it('leaves no temp files behind after writes', async () => {
    const repo = store.collection<Thing>('things');
    await Promise.all(Array.from({ length: 50 }, (_, i) => repo.insert({ id: `t${i}`, name: 'x' })));
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await repo.count()).toBe(50);
  });

  it('refuses a compare-and-set on a stale version', async () => {
    const repo = store.collection<Thing>('things');
    const v1 = await repo.insert({ id: 'a', name: 'A' });
    await repo.replace({ ...v1, name: 'B' }, 1);
    await expect(repo.replace({ ...v1, name: 'C' }, 1)).rejects.toBeInstanceOf(ConflictError);
    expect((await repo.get('a'))?.name).toBe('B');
  });

  it('lets exactly one of two concurrent claims win', async () => {
    const repo = store.collection<Thing>('things');
    await repo.insert({ id: 'r', name: 'request' });
    const claim = (who: string) =>
      repo.mutate('r', (cur) => {
        if (cur.owner) throw new Error(`already claimed by ${cur.owner}`);
        return { ...cur, owner: who };
      });
    const results = await Promise.allSettled([claim('ann'), claim('bob')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const final = await repo.get('r');
    expect(['ann', 'bob']).toContain(final?.owner);
    expect(final?.version).toBe(2);
  });

  it('refuses to insert an existing id and to mutate a missing one', async () => {
    const repo = store.collection<Thing>('things');
    await repo.insert({ id: 'a', name: 'A' });
    await expect(repo.insert({ id: 'a', name: 'again' })).rejects.toBeInstanceOf(ConflictError);
    await expect(repo.mutate('zzz', (c) => c)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('hands out unique sequence numbers under concurrency', async () => {
    const repo = store.collection<Thing>('things');
    const numbers = await Promise.all(Array.from({ length: 200 }, () => repo.nextSequence('tenant-1')));
    expect(new Set(numbers).size).toBe(200);
    expect(Math.max(...numbers)).toBe(200);
  });

  it('keeps data across a restart', async () => {
    await store.collection<Thing>('things').insert({ id: 'a', name: 'A' });
    await store.close();
    store = openStore(dir);
    expect((await store.collection<Thing>('things').get('a'))?.name).toBe('A');
  });

  it('tells the caller a write did not save and keeps nothing of it (read-only directory)', async () => {
    const repo = store.collection<Thing>('things');
    await repo.insert({ id: 'a', name: 'A' });
    fs.chmodSync(dir, 0o500);
    if (process.getuid?.() === 0) {
      // root ignores directory permissions: simulate the failure by removing the directory instead
      fs.chmodSync(dir, 0o700);
      fs.renameSync(dir, `${dir}.gone`);
      await expect(repo.insert({ id: 'b', name: 'B' })).rejects.toBeInstanceOf(StorageWriteError);
      fs.renameSync(`${dir}.gone`, dir);
    } else {
      await expect(repo.insert({ id: 'b', name: 'B' })).rejects.toBeInstanceOf(StorageWriteError);
      fs.chmodSync(dir, 0o700);
    }
    expect(await repo.get('b')).toBeUndefined();
    expect(await repo.get('a')).toBeDefined();
    await repo.insert({ id: 'c', name: 'C' });
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, 'things.json'), 'utf8'));
    expect(Object.keys(onDisk.records).sort()).toEqual(['a', 'c']);
  });
});

describe('store start-up checks', () => {
  it('stops on a corrupt file and leaves it untouched', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'things.json'), '{"schemaVersion":1,"records":{"a":');
    const store = openStore(dir);
    expect(() => store.collection('things')).toThrow(CorruptFileError);
    expect(fs.readFileSync(path.join(dir, 'things.json'), 'utf8')).toBe('{"schemaVersion":1,"records":{"a":');
    await store.close();
  });

  it('stops on a corrupt state file at open', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'bot-state.json'), 'garbage');
    expect(() => openStore(dir)).toThrow(/bot-state\.json is corrupt/);
    expect(fs.existsSync(path.join(dir, 'bot.lock'))).toBe(false);
  });

  it('refuses a second store on the same data directory', async () => {
    const dir = tmp();
    const store = openStore(dir);
    expect(() => openStore(dir)).toThrow(DataDirLockedError);
    await store.close();
    const again = openStore(dir);
    await again.close();
  });

  it('takes over a lock left by a dead process', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'bot.lock'), '999999');
    const store = openStore(dir);
    expect(fs.readFileSync(path.join(dir, 'bot.lock'), 'utf8')).toBe(String(process.pid));
    await store.close();
  });

  it('refuses a lock held by a live process', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'bot.lock'), String(process.ppid));
    expect(() => openStore(dir)).toThrow(/in use by another bot process/);
  });
});

describe('botbuilder Storage on the store', () => {
  it('refuses a write with a stale eTag and accepts "*"', async () => {
    const dir = tmp();
    const store = openStore(dir);
    const s = store.botStorage;
    await s.write({ k: { n: 1 } });
    const first = (await s.read(['k'])).k;
    await s.write({ k: { ...first, n: 2 } });
    await expect(s.write({ k: { ...first, n: 3 } })).rejects.toThrow(/eTag conflict/);
    await s.write({ k: { n: 4, eTag: '*' } });
    expect((await s.read(['k'])).k.n).toBe(4);
    await s.delete(['k']);
    expect(await s.read(['k'])).toEqual({});
    await store.close();
  });
});

describe('archiving history out of the hot file', () => {
  it('moves closed records into per-period files and keeps the hot file small', async () => {
    const dir = tmp();
    const store = openStore(dir);
    const repo = store.collection<Thing & { closedAt?: string }>('requests');
    for (let i = 0; i < 30; i++) await repo.insert({ id: `r${i}`, name: 'x', closedAt: i < 20 ? `2026-${i < 10 ? '09' : '10'}-15` : undefined });
    const moved = await repo.archive((r) => r.closedAt?.slice(0, 7));
    expect(moved).toBe(20);
    expect(await repo.count()).toBe(10);
    expect((await repo.listArchived('2026-09')).map((r) => r.id).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
    expect(fs.existsSync(path.join(dir, 'archive', 'requests', '2026-10.json'))).toBe(true);
    const hot = JSON.parse(fs.readFileSync(path.join(dir, 'requests.json'), 'utf8'));
    expect(Object.keys(hot.records)).toHaveLength(10);
    await store.close();
    const again = openStore(dir);
    expect(await again.collection('requests').count()).toBe(10);
    expect(await again.collection('requests').listArchived('2026-10')).toHaveLength(10);
    await again.close();
  });
});

describe('writing big hot files (issue 10: measured in bench/storage.ts)', () => {
  const bytesOf = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8');

  it('serialises a collection document to exactly the bytes of JSON.stringify, also after changes', () => {
    const serialize = cachedRecordsSerializer<CollectionDoc<Versioned & Record<string, unknown>>>();
    const doc: CollectionDoc<Versioned & Record<string, unknown>> = {
      schemaVersion: 1,
      records: {
        a: { id: 'a', version: 1, text: 'Grüße, 안녕하세요 "quoted" \\ back\nslash \u2028 \u0000', n: 1.5, nested: { list: [1, null, 'x'], empty: {} }, gone: undefined },
        'odd "id"\n': { id: 'odd "id"\n', version: 3, emoji: '🎉' },
      },
      sequences: { 'tenant-1': 42 },
    };
    expect(bytesOf(serialize(doc))).toBe(JSON.stringify(doc));
    // Records are replaced, never changed in place: the new object is serialised, the unchanged one reused.
    doc.records.a = { ...doc.records.a, version: 2, text: 'changed' };
    doc.records.b = { id: 'b', version: 1 };
    delete doc.records['odd "id"\n'];
    doc.sequences['tenant-1'] = 43;
    expect(bytesOf(serialize(doc))).toBe(JSON.stringify(doc));
    // The same record object under another key (an archive file built from hot records) keeps its own key.
    const copy = { schemaVersion: 1, records: { c: doc.records.b }, sequences: {} };
    expect(bytesOf(serialize(copy as typeof doc))).toBe(JSON.stringify(copy));
    expect(bytesOf(serialize({ schemaVersion: 1, records: {}, sequences: {} }))).toBe('{"schemaVersion":1,"records":{},"sequences":{}}');
  });

  it('writes files of thousands of records (more chunks than one writev takes) completely', async () => {
    const dir = tmp();
    const store = openStore(dir);
    const repo = store.collection<Thing>('things');
    await Promise.all(Array.from({ length: 3000 }, (_, i) => repo.insert({ id: `t${i}`, name: `thing ${i} ${'x'.repeat(i % 50)}` })));
    await repo.replace({ ...(await repo.get('t7'))!, name: 'seven' }, 1);
    await store.close();
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'things.json'), 'utf8'));
    expect(Object.keys(doc.records)).toHaveLength(3000);
    expect(doc.records.t7).toEqual({ id: 't7', name: 'seven', version: 2 });
    expect(doc.records.t2999.name).toBe(`thing 2999 ${'x'.repeat(2999 % 50)}`);
  });

  it('rolls a failed write back to what is on disk, then writes again', async () => {
    const dir = tmp();
    const store = openStore(dir);
    const repo = store.collection<Thing>('things');
    await repo.insert({ id: 'a', name: 'A' });
    await repo.replace({ ...(await repo.get('a'))!, name: 'A2' }, 1);
    fs.renameSync(dir, `${dir}.gone`);
    await expect(repo.replace({ ...(await repo.get('a'))!, name: 'lost' }, 2)).rejects.toBeInstanceOf(StorageWriteError);
    fs.renameSync(`${dir}.gone`, dir);
    expect(await repo.get('a')).toEqual({ id: 'a', name: 'A2', version: 2 });
    await repo.insert({ id: 'b', name: 'B' });
    await store.close();
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'things.json'), 'utf8')).records).toEqual({ a: { id: 'a', name: 'A2', version: 2 }, b: { id: 'b', name: 'B', version: 1 } });
  });

  it('writes every archive period first and the hot file once, and reads history from disk (not kept in memory)', async () => {
    const dir = tmp();
    const store = openStore(dir);
    const repo = store.collection<Thing & { closedAt?: string }>('requests');
    await Promise.all(Array.from({ length: 120 }, (_, i) => repo.insert({ id: `r${i}`, name: 'x', closedAt: i < 100 ? `2026-${String(1 + (i % 10)).padStart(2, '0')}-15` : undefined })));
    const renames = jest.spyOn(fs.promises, 'rename');
    try {
      expect(await repo.archive((r) => r.closedAt?.slice(0, 7))).toBe(100);
      const targets = renames.mock.calls.map((c) => path.relative(dir, String(c[1])));
      expect(targets.filter((f) => f === 'requests.json')).toHaveLength(1);
      expect(targets.indexOf('requests.json')).toBe(targets.length - 1); // history first
      expect(targets.filter((f) => f.startsWith('archive'))).toHaveLength(10);
    } finally {
      renames.mockRestore();
    }
    expect(store.status()).toMatchObject({ files: expect.not.arrayContaining([expect.stringMatching(/^archive/)]) });
    // Another hand edits history on disk: the next read sees it, nothing stale was held.
    const file = path.join(dir, 'archive', 'requests', '2026-03.json');
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    doc.records.r2.name = 'edited on disk';
    fs.writeFileSync(file, JSON.stringify(doc));
    expect((await repo.listArchived('2026-03')).find((r) => r.id === 'r2')?.name).toBe('edited on disk');
    // A later run adds to the period's file instead of replacing it.
    await repo.insert({ id: 'late', name: 'x', closedAt: '2026-03-20' });
    expect(await repo.archive((r) => r.closedAt?.slice(0, 7))).toBe(1);
    expect((await repo.listArchived('2026-03')).map((r) => r.id).sort()).toEqual(['late', 'r12', 'r2', 'r22', 'r32', 'r42', 'r52', 'r62', 'r72', 'r82', 'r92']);
    await store.close();
    // A closed store neither reads nor writes history.
    await expect(repo.listArchived('2026-03')).rejects.toBeInstanceOf(StorageWriteError);
    await expect(repo.archive(() => '2027-01')).rejects.toBeInstanceOf(StorageWriteError);
    expect(fs.existsSync(path.join(dir, 'archive', 'requests', '2027-01.json'))).toBe(false);
  });
});
