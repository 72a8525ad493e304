import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../../src/storage/store.js';
import { ConflictError, CorruptFileError, DataDirLockedError, NotFoundError, StorageWriteError } from '../../src/storage/errors.js';
import type { Versioned } from '../../src/storage/collection.js';

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
