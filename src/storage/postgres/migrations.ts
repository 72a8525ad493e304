/**
 * Versioned schema migrations, applied at start-up in one transaction that holds an advisory lock: two instances
 * starting at once apply each migration exactly once (the second waits, then finds nothing to do).
 * Migrations are append-only: never edit a released one, add the next version.
 */
import type { Db } from './db.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Advisory lock namespace (first key) of the migration lock: "PSA0". */
export const MIGRATION_LOCK = 0x50534130;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'generic tables: records, sequences, bot_state, audit, dedupe',
    sql: `
      CREATE TABLE records (
        collection text NOT NULL,
        id text NOT NULL,
        version integer NOT NULL,
        data jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (collection, id)
      );
      CREATE TABLE sequences (
        collection text NOT NULL,
        scope text NOT NULL,
        value bigint NOT NULL,
        PRIMARY KEY (collection, scope)
      );
      CREATE TABLE bot_state (
        key text PRIMARY KEY,
        etag text NOT NULL,
        data jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE audit (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        tenant_id text NOT NULL,
        actor text,
        action text NOT NULL,
        subject text,
        details jsonb
      );
      CREATE INDEX audit_at ON audit (at);
      CREATE TABLE dedupe (
        key text PRIMARY KEY,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX dedupe_expires_at ON dedupe (expires_at);
    `,
  },
  {
    version: 2,
    name: 'archive: per-period history of records moved out of the hot set',
    sql: `
      CREATE TABLE archive (
        collection text NOT NULL,
        period text NOT NULL,
        id text NOT NULL,
        version integer NOT NULL,
        data jsonb NOT NULL,
        archived_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (collection, period, id)
      );
    `,
  },
];

/** Applies the missing migrations; returns the schema version afterwards (may exceed ours after a newer deploy). */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<{ version: number; applied: number[] }> {
  return db.transaction('migrate', async (query) => {
    await query('migrate', 'SELECT pg_advisory_xact_lock($1, 0)', [MIGRATION_LOCK]);
    await query('migrate', 'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await query<{ version: number }>('migrate', 'SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await query(`migration ${m.version}`, m.sql);
      await query('migrate', 'INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
      done.add(m.version);
    }
    return { version: Math.max(0, ...done), applied };
  });
}
