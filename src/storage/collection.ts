/** A repository of versioned records: every update is a compare-and-set on `version`. */
import { ConflictError, NotFoundError } from './errors.js';
import { JsonFile } from './json-file.js';

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
  count(): Promise<number>;
}

export interface CollectionDoc<R> {
  schemaVersion: number;
  records: Record<string, R>;
  sequences: Record<string, number>;
}

const clone = <T>(v: T): T => structuredClone(v);

/** Repository over one JSON file. */
export class FileRepository<R extends Versioned> implements Repository<R> {
  constructor(readonly name: string, private readonly file: JsonFile<CollectionDoc<R>>) {}

  async get(id: string): Promise<R | undefined> {
    const r = this.file.data.records[id];
    return r ? clone(r) : undefined;
  }

  async list(filter?: (r: R) => boolean): Promise<R[]> {
    const out: R[] = [];
    for (const r of Object.values(this.file.data.records)) if (!filter || filter(r)) out.push(clone(r));
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
      return clone(stored);
    });
  }

  replace(record: R, expectedVersion: number): Promise<R> {
    return this.file.change((d) => {
      const cur = d.records[record.id];
      if (!cur) throw new NotFoundError(this.name, record.id);
      if (cur.version !== expectedVersion) throw new ConflictError(this.name, record.id);
      const next = { ...clone(record), version: expectedVersion + 1 };
      d.records[record.id] = next;
      return clone(next);
    });
  }

  async mutate(id: string, fn: (current: R) => R | undefined): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      const cur = await this.get(id);
      if (!cur) throw new NotFoundError(this.name, id);
      const next = fn(cur);
      if (next === undefined) return cur;
      try {
        return await this.replace({ ...next, id }, cur.version);
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= 5) throw err;
      }
    }
  }

  async upsert(id: string, fn: (current: R | undefined) => Omit<R, 'version'> | R | undefined): Promise<R | undefined> {
    for (let attempt = 0; ; attempt++) {
      const cur = await this.get(id);
      const next = fn(cur);
      if (next === undefined) return cur;
      try {
        return cur ? await this.replace({ ...(next as R), id, version: cur.version }, cur.version) : await this.insert({ ...next, id });
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= 5) throw err;
      }
    }
  }

  delete(id: string): Promise<boolean> {
    return this.file.change((d) => {
      if (!d.records[id]) return false;
      delete d.records[id];
      return true;
    });
  }

  nextSequence(scope: string): Promise<number> {
    return this.file.change((d) => {
      const n = (d.sequences[scope] ?? 0) + 1;
      d.sequences[scope] = n;
      return n;
    });
  }
}

/** Shape check for a collection file. */
export function isCollectionDoc(v: unknown): v is CollectionDoc<Versioned> {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o.schemaVersion === 'number' && !!o.records && typeof o.records === 'object' && !Array.isArray(o.records) &&
    (o.sequences === undefined || (typeof o.sequences === 'object' && !Array.isArray(o.sequences)));
}
