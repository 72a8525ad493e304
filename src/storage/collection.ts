/** A repository of versioned records: every update is a compare-and-set on `version`. */
import { ConflictError, NotFoundError } from './errors.js';
import { JsonFile } from './json-file.js';
import { deepFreeze } from '../freeze.js';

export interface Versioned {
  id: string;
  version: number;
}

/** The contract every backend (lowdb file, PostgreSQL) implements for one kind of record. */
export interface Repository<R extends Versioned> {
  readonly name: string;
  get(id: string): Promise<R | undefined>;
  list(filter?: (r: R) => boolean): Promise<R[]>;
  /** Inserts a new record at version 1; ConflictError when the id exists. */
  insert(record: Omit<R, 'version'>): Promise<R>;
  /** Replaces the record if its stored version is `expectedVersion`; ConflictError otherwise. */
  replace(record: R, expectedVersion: number): Promise<R>;
  /**
   * Re-reads the record and applies `fn` to a copy; `fn` may throw to refuse, or return undefined for "no change".
   * The write is a compare-and-set on the version it read; a lost race is retried with the new record.
   */
  mutate(id: string, fn: (current: R) => R | undefined): Promise<R>;
  /** Inserts, or mutates an existing record (fn gets undefined when absent). */
  upsert(id: string, fn: (current: R | undefined) => Omit<R, 'version'> | R | undefined): Promise<R | undefined>;
  delete(id: string): Promise<boolean>;
  /** Next value of a per-collection counter (request numbers), durable and unique. */
  nextSequence(scope: string): Promise<number>;
  /**
   * Takes the next number of `scope` and inserts the record `build` makes with it (request PSA-0042). On lowdb both
   * are one change, made durable by one write; PostgreSQL takes the number, then inserts. ConflictError when the id
   * exists (lowdb then takes no number; PostgreSQL leaves it unused).
   */
  insertNumbered(scope: string, build: (n: number) => Omit<R, 'version'>): Promise<R>;
  count(): Promise<number>;
  /**
   * Moves records out of the hot set into per-period history (e.g. closed requests by month): `periodOf` returns
   * the period for a record to move ("2026-11") or undefined to keep it. Returns how many moved. Archived records
   * are history: `get`/`list` no longer see them; `listArchived(period)` does.
   */
  archive(periodOf: (r: R) => string | undefined): Promise<number>;
  listArchived(period: string): Promise<R[]>;
}

export interface CollectionDoc<R> {
  schemaVersion: number;
  records: Record<string, R>;
  sequences: Record<string, number>;
}

const clone = <T>(v: T): T => structuredClone(v);

type CasRepo<R extends Versioned> = Pick<Repository<R>, 'name' | 'get' | 'insert' | 'replace'>;

/** How many compare-and-set rounds `mutate`/`upsert` try, and what they do between rounds. */
export interface CasRetry {
  attempts: number;
  pause?: (attempt: number) => Promise<void>;
}

/** Repository.mutate for any backend: re-read, apply, compare-and-set on the version read; retry a lost race. */
export async function mutateWithCas<R extends Versioned>(repo: CasRepo<R>, id: string, fn: (current: R) => R | undefined, retry: CasRetry): Promise<R> {
  for (let attempt = 0; ; attempt++) {
    const cur = await repo.get(id);
    if (!cur) throw new NotFoundError(repo.name, id);
    const next = fn(cur);
    if (next === undefined) return cur;
    try {
      return await repo.replace({ ...next, id }, cur.version);
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= retry.attempts - 1) throw err;
    }
    await retry.pause?.(attempt);
  }
}

/** Repository.upsert for any backend: insert when absent, else compare-and-set; a record deleted in between is inserted next round. */
export async function upsertWithCas<R extends Versioned>(
  repo: CasRepo<R>,
  id: string,
  fn: (current: R | undefined) => Omit<R, 'version'> | R | undefined,
  retry: CasRetry,
): Promise<R | undefined> {
  for (let attempt = 0; ; attempt++) {
    const cur = await repo.get(id);
    const next = fn(cur);
    if (next === undefined) return cur;
    try {
      return cur ? await repo.replace({ ...(next as R), id, version: cur.version }, cur.version) : await repo.insert({ ...next, id });
    } catch (err) {
      if (!(err instanceof ConflictError || err instanceof NotFoundError) || attempt >= retry.attempts - 1) throw err;
    }
    await retry.pause?.(attempt);
  }
}

/**
 * The archive files of one collection: `use` opens a period's file (creating it when missing), runs `fn`, and lets
 * the file go when no one else uses it, so history is read from disk when asked for, never held in memory.
 */
export interface ArchiveFiles<R> {
  use<T>(period: string, fn: (file: JsonFile<CollectionDoc<R>>) => Promise<T>): Promise<T>;
}

const PERIOD = /^[0-9A-Za-z-]{1,20}$/;

/** Repository over one JSON file (the hot set) plus per-period archive files. */
export class FileRepository<R extends Versioned> implements Repository<R> {
  constructor(
    readonly name: string,
    private readonly file: JsonFile<CollectionDoc<R>>,
    private readonly archives?: ArchiveFiles<R>,
  ) {}

  async archive(periodOf: (r: R) => string | undefined): Promise<number> {
    const history = this.archives;
    if (!history) return 0;
    const byPeriod = new Map<string, R[]>();
    for (const r of Object.values(this.file.data.records)) {
      const period = periodOf(r);
      if (period === undefined) continue;
      if (!PERIOD.test(period)) throw new Error(`Invalid archive period "${period}"`);
      let records = byPeriod.get(period);
      if (!records) byPeriod.set(period, (records = []));
      records.push(clone(r));
    }
    if (byPeriod.size === 0) return 0;
    // History first (every period's file), then the hot file in one write: a crash in between leaves a record in
    // both, never in neither. History files are let go once written: they are not kept in memory.
    await Promise.all(
      [...byPeriod].map(([period, records]) =>
        history.use(period, (file) =>
          file.change((d) => {
            for (const r of records) d.records[r.id] = r;
          }),
        ),
      ),
    );
    return this.file.change((d) => {
      let n = 0;
      for (const records of byPeriod.values()) {
        for (const r of records) {
          if (d.records[r.id]?.version === r.version) {
            delete d.records[r.id];
            n++;
          }
        }
      }
      return n;
    }, { wholeFile: true, touches: { ids: [...byPeriod.values()].flatMap((rs) => rs.map((r) => r.id)) } }); // the point of archiving is a smaller hot file
  }

  async listArchived(period: string): Promise<R[]> {
    if (!this.archives || !PERIOD.test(period)) return [];
    return this.archives.use(period, async (file) => Object.values(file.data.records).map(clone));
  }

  /**
   * Stored records are replaced, never changed in place (the file's serialiser and journal rely on it), so a read
   * hands out the stored object itself instead of a copy (structuredClone was 3 % of a turn's CPU): frozen, so a
   * caller that tries to change what it read fails loudly instead of changing the store behind its back.
   */
  async get(id: string): Promise<R | undefined> {
    const r = this.file.data.records[id];
    return r ? deepFreeze(r) : undefined;
  }

  async list(filter?: (r: R) => boolean): Promise<R[]> {
    const out: R[] = [];
    for (const r of Object.values(this.file.data.records)) if (!filter || filter(deepFreeze(r))) out.push(r);
    return out;
  }

  async count(): Promise<number> {
    return Object.keys(this.file.data.records).length;
  }

  insert(record: Omit<R, 'version'>): Promise<R> {
    const stored = { ...clone(record), version: 1 } as R;
    return this.file.change((d) => {
      if (d.records[stored.id]) throw new ConflictError(this.name, stored.id);
      d.records[stored.id] = stored;
      return deepFreeze(stored);
    }, { touches: { ids: [stored.id] } });
  }

  replace(record: R, expectedVersion: number): Promise<R> {
    return this.file.change((d) => {
      const cur = d.records[record.id];
      if (!cur) throw new NotFoundError(this.name, record.id);
      if (cur.version !== expectedVersion) throw new ConflictError(this.name, record.id);
      const next = { ...clone(record), version: expectedVersion + 1 };
      d.records[record.id] = next;
      return deepFreeze(next);
    }, { touches: { ids: [record.id] } });
  }

  mutate(id: string, fn: (current: R) => R | undefined): Promise<R> {
    return mutateWithCas(this.forChange(), id, fn, { attempts: 6 });
  }

  upsert(id: string, fn: (current: R | undefined) => Omit<R, 'version'> | R | undefined): Promise<R | undefined> {
    return upsertWithCas(this.forChange(), id, fn, { attempts: 6 });
  }

  /** mutate/upsert hand `fn` a copy it may change (the contract), not the frozen stored record. */
  private forChange(): CasRepo<R> {
    return {
      name: this.name,
      get: async (id) => {
        const r = this.file.data.records[id];
        return r ? clone(r) : undefined;
      },
      insert: (record) => this.insert(record),
      replace: (record, expectedVersion) => this.replace(record, expectedVersion),
    };
  }

  delete(id: string): Promise<boolean> {
    return this.file.change((d) => {
      if (!d.records[id]) return false;
      delete d.records[id];
      return true;
    }, { touches: { ids: [id] } });
  }

  insertNumbered(scope: string, build: (n: number) => Omit<R, 'version'>): Promise<R> {
    // Built just before the change, which runs at once (same tick): the number read here is the one it takes.
    const n = (this.file.data.sequences[scope] ?? 0) + 1;
    const stored = { ...clone(build(n)), version: 1 } as R;
    return this.file.change((d) => {
      if (d.records[stored.id]) throw new ConflictError(this.name, stored.id);
      d.sequences[scope] = n;
      d.records[stored.id] = stored;
      return deepFreeze(stored);
    }, { touches: { ids: [stored.id], seqs: [scope] } });
  }

  nextSequence(scope: string): Promise<number> {
    return this.file.change((d) => {
      const n = (d.sequences[scope] ?? 0) + 1;
      d.sequences[scope] = n;
      return n;
    }, { touches: { ids: [], seqs: [scope] } });
  }
}

/** Shape check for a collection file. */
export function isCollectionDoc(v: unknown): v is CollectionDoc<Versioned> {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.schemaVersion === 'number' && !!o.records && typeof o.records === 'object' && !Array.isArray(o.records) &&
    (o.sequences === undefined || (typeof o.sequences === 'object' && !Array.isArray(o.sequences)));
}
