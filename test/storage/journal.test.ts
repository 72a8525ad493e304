import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/storage/store.js';
import { CorruptFileError, StorageWriteError } from '../../src/storage/errors.js';
import type { Versioned } from '../../src/storage/collection.js';

interface Thing extends Versioned {
  name: string;
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'psa-journal-'));
const readDoc = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'things.json'), 'utf8')) as { records: Record<string, Thing>; sequences: Record<string, number> };
const journalOf = (dir: string) => path.join(dir, 'things.journal');

/** The data directory as a crash would leave it: what is on disk now, copied while the store is still open. */
function crashCopy(dir: string): string {
  const copy = tmp();
  for (const f of fs.readdirSync(dir)) if (f !== 'bot.lock' && fs.statSync(path.join(dir, f)).isFile()) fs.copyFileSync(path.join(dir, f), path.join(copy, f));
  return copy;
}

describe('collection journal (issue 10: a write costs the size of the change, not of the file)', () => {
  it('appends a change to the journal instead of rewriting the file, and folds it into the file at a clean stop', async () => {
    const dir = tmp();
    const store = openStore(dir);
    const repo = store.collection<Thing>('things');
    await repo.insert({ id: 'a', name: 'A' }); // the first write creates the file
    const fileBefore = fs.readFileSync(path.join(dir, 'things.json'), 'utf8');
    await repo.insert({ id: 'b', name: 'B' });
    await repo.replace({ ...(await repo.get('a'))!, name: 'A2' }, 1);
    await repo.nextSequence('t1');
    expect(fs.readFileSync(path.join(dir, 'things.json'), 'utf8')).toBe(fileBefore);
    const lines = fs.readFileSync(journalOf(dir), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([{ put: { b: { id: 'b', name: 'B', version: 1 } } }, { put: { a: { id: 'a', name: 'A2', version: 2 } } }, { seq: { t1: 1 } }]);
    await store.close();
    expect(fs.existsSync(journalOf(dir))).toBe(false);
    expect(readDoc(dir)).toMatchObject({ records: { a: { name: 'A2', version: 2 }, b: { name: 'B' } }, sequences: { t1: 1 } });
  });

  it('replays the journal after a crash, writes it into the file and starts an empty journal', async () => {
    const dir = tmp();
    const store = openStore(dir);
    const repo = store.collection<Thing>('things');
    await repo.insert({ id: 'a', name: 'A' });
    await Promise.all(Array.from({ length: 20 }, (_, i) => repo.insert({ id: `t${i}`, name: `T${i}` })));
    await repo.delete('a');
    await repo.nextSequence('t1');
    const copy = crashCopy(dir);
    await store.close();
    expect(Object.keys(readDoc(copy).records)).toEqual(['a']); // the file alone is behind
    const again = openStore(copy);
    const things = again.collection<Thing>('things');
    expect((await things.list()).map((t) => t.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `t${i}`).sort());
    expect(Object.keys(readDoc(copy).records)).toHaveLength(20);
    expect(fs.readFileSync(journalOf(copy), 'utf8')).toBe('');
    expect(await things.nextSequence('t1')).toBe(2);
    await again.close();
  });

  it('ignores an unfinished last line (a write that was never acknowledged)', async () => {
    const dir = tmp();
    const store = openStore(dir);
    const repo = store.collection<Thing>('things');
    await repo.insert({ id: 'a', name: 'A' });
    await repo.insert({ id: 'b', name: 'B' });
    const copy = crashCopy(dir);
    await store.close();
    fs.appendFileSync(journalOf(copy), '{"put":{"c":{"id":"c","na');
    const again = openStore(copy);
    expect((await again.collection<Thing>('things').list()).map((t) => t.id)).toEqual(['a', 'b']);
    await again.close();
  });

  it('stops on a journal line that is complete but not valid, and leaves both files untouched', async () => {
    const dir = tmp();
    const store = openStore(dir);
    await store.collection<Thing>('things').insert({ id: 'a', name: 'A' });
    await store.collection<Thing>('things').insert({ id: 'b', name: 'B' });
    const copy = crashCopy(dir);
    await store.close();
    fs.appendFileSync(journalOf(copy), 'not json\n{"put":{}}\n');
    const journal = fs.readFileSync(journalOf(copy), 'utf8');
    const file = fs.readFileSync(path.join(copy, 'things.json'), 'utf8');
    const again = openStore(copy);
    try {
      expect(() => again.collection<Thing>('things')).toThrow(CorruptFileError);
    } finally {
      await again.close();
    }
    expect(fs.readFileSync(journalOf(copy), 'utf8')).toBe(journal);
    expect(fs.readFileSync(path.join(copy, 'things.json'), 'utf8')).toBe(file);
  });

  it('replaying lines the file already holds changes nothing (a crash between writing the file and emptying the journal)', async () => {
    const dir = tmp();
    const store = openStore(dir);
    const repo = store.collection<Thing>('things');
    await repo.insert({ id: 'a', name: 'A' });
    await repo.insert({ id: 'b', name: 'B' });
    let a = await repo.replace({ ...(await repo.get('a'))!, name: 'A2' }, 1);
    a = await repo.replace({ ...a, name: 'A3' }, 2);
    await repo.delete('b');
    await repo.insert({ id: 'b', name: 'B again' });
    const journal = fs.readFileSync(journalOf(dir), 'utf8');
    const expected = await repo.list();
    await store.close(); // folds the journal into the file
    fs.writeFileSync(journalOf(dir), journal); // as if emptying it had not reached the disk
    const again = openStore(dir);
    expect(await again.collection<Thing>('things').list()).toEqual(expected);
    await again.close();
  });

  it('folds the journal into the file once it outgrows the file (at least 1 MB)', async () => {
    const dir = tmp();
    const store = openStore(dir);
    const repo = store.collection<Thing>('things');
    await repo.insert({ id: 'a', name: 'A' });
    const big = 'x'.repeat(50_000);
    for (let i = 0; i < 30; i++) await repo.insert({ id: `big${i}`, name: big }); // 1.5 MB of changes
    await store.flush(); // the fold runs beside the appends: wait for it
    expect(fs.statSync(journalOf(dir)).size).toBeLessThan(1024 * 1024);
    expect(Object.keys(readDoc(dir).records).length).toBeGreaterThan(15); // the fold wrote them into the file
    const copy = crashCopy(dir);
    await store.close();
    const again = openStore(copy);
    expect(await again.collection<Thing>('things').count()).toBe(31);
    await again.close();
  });

  it('keeps appending while a fold writes the file, and drops only what the file holds from the journal', async () => {
    const dir = tmp();
    const store = openStore(dir);
    const repo = store.collection<Thing>('things');
    await repo.insert({ id: 'a', name: 'A' });
    const big = 'y'.repeat(40_000);
    const copies: string[] = [];
    for (let round = 0; round < 6; round++) {
      await Promise.all(Array.from({ length: 10 }, (_, i) => repo.insert({ id: `r${round}-${i}`, name: big })));
      copies.push(crashCopy(dir)); // a crash at any point: mid-fold, between file and journal, after
    }
    const expected = (await repo.list()).map((t) => t.id).sort();
    await store.close();
    expect(expected).toHaveLength(61);
    for (const [k, copy] of copies.entries()) {
      const again = openStore(copy);
      const ids = (await again.collection<Thing>('things').list()).map((t) => t.id);
      expect(ids).toHaveLength(1 + 10 * (k + 1));
      await again.close();
    }
    const doc = readDoc(dir);
    expect(Object.keys(doc.records).sort()).toEqual(expected);
  });

  it('after a failed append, rolls back and writes the whole file next time (nothing of the failed change survives)', async () => {
    const dir = tmp();
    const store = openStore(dir);
    const repo = store.collection<Thing>('things');
    await repo.insert({ id: 'a', name: 'A' });
    await repo.insert({ id: 'b', name: 'B' });
    fs.renameSync(dir, `${dir}.gone`);
    await expect(repo.insert({ id: 'lost', name: 'L' })).rejects.toBeInstanceOf(StorageWriteError);
    fs.renameSync(`${dir}.gone`, dir);
    expect(await repo.get('lost')).toBeUndefined();
    await repo.insert({ id: 'c', name: 'C' });
    expect(Object.keys(readDoc(dir).records)).toEqual(['a', 'b', 'c']); // written whole
    expect(fs.readFileSync(journalOf(dir), 'utf8')).toBe('');
    const copy = crashCopy(dir);
    await store.close();
    const again = openStore(copy);
    expect((await again.collection<Thing>('things').list()).map((t) => t.id)).toEqual(['a', 'b', 'c']);
    await again.close();
  });
});
