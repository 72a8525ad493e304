/** The Repository contract on the generic `records` table: compare-and-set on the row version, sequences in SQL. */
import { mutateWithCas, upsertWithCas, type Repository, type Versioned } from '../collection.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Db } from './db.js';

interface Row {
  id: string;
  version: number;
  data: Record<string, unknown>;
}

const MAX_ATTEMPTS = 10;
/** Same rule as the file store's archive periods ("2026-11"). */
const PERIOD = /^[0-9A-Za-z-]{1,20}$/;

/**
 * JSON text for a jsonb parameter. PostgreSQL's jsonb cannot hold U+0000, so a NUL inside a string is stored
 * as U+FFFD (it carries no meaning in chat text; refusing the whole write would lose the user's action).
 */
export function toJsonb(value: unknown): string {
  const text = JSON.stringify(value);
  return text.includes('\\u0000') ? JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' ? v.replaceAll('\u0000', '\uFFFD') : v)) : text;
}

/** A short random pause that grows with the attempt, so racing writers spread out instead of colliding again. */
function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
}

export class PgRepository<R extends Versioned> implements Repository<R> {
  constructor(readonly name: string, private readonly db: Db) {}

  private what(op: string): string {
    return `${this.name}.${op}`;
  }

  private toRecord(row: Row): R {
    return { ...row.data, id: row.id, version: row.version } as R;
  }

  private toData(record: Omit<R, 'version'> | R): string {
    const { version: _version, ...data } = record as R;
    return toJsonb(data);
  }

  async get(id: string): Promise<R | undefined> {
    const r = await this.db.query<Row>(this.what('get'), 'SELECT id, version, data FROM records WHERE collection = $1 AND id = $2', [this.name, id]);
    return r.rows[0] ? this.toRecord(r.rows[0]) : undefined;
  }

  async list(filter?: (r: R) => boolean): Promise<R[]> {
    const r = await this.db.query<Row>(this.what('list'), 'SELECT id, version, data FROM records WHERE collection = $1 ORDER BY id', [this.name]);
    const out: R[] = [];
    for (const row of r.rows) {
      const rec = this.toRecord(row);
      if (!filter || filter(rec)) out.push(rec);
    }
    return out;
  }

  async count(): Promise<number> {
    const r = await this.db.query<{ n: number }>(this.what('count'), 'SELECT count(*)::int AS n FROM records WHERE collection = $1', [this.name]);
    return r.rows[0].n;
  }

  async insert(record: Omit<R, 'version'>): Promise<R> {
    const r = await this.db.query<Row>(
      this.what('insert'),
      'INSERT INTO records (collection, id, version, data) VALUES ($1, $2, 1, $3::jsonb) ON CONFLICT DO NOTHING RETURNING id, version, data',
      [this.name, record.id, this.toData(record)],
    );
    if (!r.rows[0]) throw new ConflictError(this.name, record.id);
    return this.toRecord(r.rows[0]);
  }

  async replace(record: R, expectedVersion: number): Promise<R> {
    const r = await this.db.query<Row>(
      this.what('replace'),
      'UPDATE records SET data = $3::jsonb, version = version + 1, updated_at = now() WHERE collection = $1 AND id = $2 AND version = $4 RETURNING id, version, data',
      [this.name, record.id, this.toData(record), expectedVersion],
    );
    if (r.rows[0]) return this.toRecord(r.rows[0]);
    const exists = await this.db.query(this.what('replace'), 'SELECT 1 FROM records WHERE collection = $1 AND id = $2', [this.name, record.id]);
    throw exists.rowCount ? new ConflictError(this.name, record.id) : new NotFoundError(this.name, record.id);
  }

  mutate(id: string, fn: (current: R) => R | undefined): Promise<R> {
    return mutateWithCas(this, id, fn, { attempts: MAX_ATTEMPTS, pause: backoff });
  }

  upsert(id: string, fn: (current: R | undefined) => Omit<R, 'version'> | R | undefined): Promise<R | undefined> {
    return upsertWithCas(this, id, fn, { attempts: MAX_ATTEMPTS, pause: backoff });
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.query(this.what('delete'), 'DELETE FROM records WHERE collection = $1 AND id = $2', [this.name, id]);
    return (r.rowCount ?? 0) > 0;
  }

  async archive(periodOf: (r: R) => string | undefined): Promise<number> {
    const ids: string[] = [];
    const versions: number[] = [];
    const periods: string[] = [];
    for (const r of await this.list()) {
      const period = periodOf(r);
      if (period === undefined) continue;
      if (!PERIOD.test(period)) throw new Error(`Invalid archive period "${period}"`);
      ids.push(r.id);
      versions.push(r.version);
      periods.push(period);
    }
    if (ids.length === 0) return 0;
    // One statement, so atomic: a record moves only if unchanged since it was read, and is never in both places.
    const r = await this.db.query(
      this.what('archive'),
      `WITH moved AS (
         DELETE FROM records r USING unnest($2::text[], $3::int[], $4::text[]) AS m(id, version, period)
         WHERE r.collection = $1 AND r.id = m.id AND r.version = m.version
         RETURNING r.id, r.version, r.data, m.period)
       INSERT INTO archive (collection, period, id, version, data) SELECT $1, period, id, version, data FROM moved
       ON CONFLICT (collection, period, id) DO UPDATE SET version = excluded.version, data = excluded.data, archived_at = now()`,
      [this.name, ids, versions, periods],
    );
    return r.rowCount ?? 0;
  }

  async listArchived(period: string): Promise<R[]> {
    if (!PERIOD.test(period)) return [];
    const r = await this.db.query<Row>(this.what('listArchived'), 'SELECT id, version, data FROM archive WHERE collection = $1 AND period = $2 ORDER BY id', [this.name, period]);
    return r.rows.map((row) => this.toRecord(row));
  }

  async insertNumbered(scope: string, build: (n: number) => Omit<R, 'version'>): Promise<R> {
    return this.insert(build(await this.nextSequence(scope)));
  }

  async nextSequence(scope: string): Promise<number> {
    // One statement: atomic on the row, unique across every instance sharing the database.
    const r = await this.db.query<{ value: string }>(
      this.what('nextSequence'),
      'INSERT INTO sequences (collection, scope, value) VALUES ($1, $2, 1) ON CONFLICT (collection, scope) DO UPDATE SET value = sequences.value + 1 RETURNING value',
      [this.name, scope],
    );
    return Number(r.rows[0].value);
  }
}
