/**
 * The shared store on PostgreSQL, for several bot instances behind one endpoint: the same Store interface as the
 * embedded lowdb store, on generic tables (records, sequences, bot_state, audit, dedupe).
 */
import type { Storage } from 'botbuilder';
import type { Config } from '../../config.js';
import type { Logger } from '../../logging/logger.js';
import type { AuditLog } from '../audit-log.js';
import type { Repository, Versioned } from '../collection.js';
import { COLLECTION_NAME, type PostgresStatus, type Store } from '../store.js';
import { Db } from './db.js';
import { migrate, MIGRATIONS } from './migrations.js';
import { PgAuditLog } from './pg-audit-log.js';
import { PgBotStorage } from './pg-bot-storage.js';
import { PgRepository } from './pg-repository.js';

/** Advisory lock namespace (first key) of runExclusive jobs: "PSA1". */
export const JOB_LOCK = 0x50534131;

export interface PgStoreOptions {
  logger?: Logger;
  /** How often the health flag is refreshed with `SELECT 1` (and expired duplicate keys swept); default 10 s. */
  healthIntervalMs?: number;
  /** How long to wait for a connection before an operation fails; default 5 s. */
  connectionTimeoutMs?: number;
}

/** Connects, applies migrations and returns the store; throws a message naming the server (never the password) when it cannot. */
export async function openPgStore(config: Pick<Config, 'databaseUrl' | 'pgPoolMax'>, opts: PgStoreOptions = {}): Promise<Store> {
  const log = opts.logger?.child({ component: 'postgres' });
  const db = new Db({ url: config.databaseUrl, poolMax: config.pgPoolMax, connectionTimeoutMs: opts.connectionTimeoutMs, logger: log });
  const giveUp = async (message: string): Promise<never> => {
    await db.end().catch((endErr: unknown) => log?.warn({ error: (endErr as Error).message }, 'closing the pool failed'));
    throw new Error(message);
  };
  try {
    (await db.pool.connect()).release();
  } catch (err) {
    return giveUp(`Cannot connect to PostgreSQL at ${db.server} (from DATABASE_URL): ${db.scrub((err as Error).message)}. Check host, port, firewall, user and password, and that the server is running.`);
  }
  let schema: { version: number; applied: number[] };
  try {
    schema = await migrate(db);
  } catch (err) {
    return giveUp(`Could not migrate the schema of PostgreSQL at ${db.server} (from DATABASE_URL): ${(err as Error).message}`);
  }
  const known = Math.max(...MIGRATIONS.map((m) => m.version));
  if (schema.applied.length) log?.info({ server: db.server, applied: schema.applied }, 'database schema migrated');
  if (schema.version > known) log?.warn({ server: db.server, schemaVersion: schema.version, known }, 'the database schema is newer than this build');
  return new PgStore(db, schema.version, opts.healthIntervalMs ?? 10_000);
}

class PgStore implements Store {
  readonly botStorage: Storage;
  readonly audit: AuditLog;
  private readonly repos = new Map<string, Repository<Versioned>>();
  private readonly timer: NodeJS.Timeout;
  private ticks = 0;
  private closed: Promise<void> | undefined;

  constructor(private readonly db: Db, private readonly schemaVersion: number, healthIntervalMs: number) {
    this.botStorage = new PgBotStorage(db);
    this.audit = new PgAuditLog(db);
    this.timer = setInterval(() => void this.tick(), healthIntervalMs);
    this.timer.unref();
  }

  collection<R extends Versioned>(name: string): Repository<R> {
    if (!COLLECTION_NAME.test(name) || name === 'bot-state') throw new Error(`Invalid collection name "${name}"`);
    let repo = this.repos.get(name);
    if (!repo) {
      repo = new PgRepository<Versioned>(name, this.db);
      this.repos.set(name, repo);
    }
    return repo as unknown as Repository<R>;
  }

  status(): PostgresStatus {
    const p = this.db.pool;
    return {
      backend: 'postgres',
      ...this.db.health(),
      server: this.db.server,
      schemaVersion: this.schemaVersion,
      pool: { total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount },
    };
  }

  /** Health probe; every sixth one also drops expired duplicate-delivery keys. Failures only flip the flag. */
  private async tick(): Promise<void> {
    const sweep = ++this.ticks % 6 === 0;
    try {
      if (sweep) await this.db.query('dedupe sweep', 'DELETE FROM dedupe WHERE expires_at < now()');
      else await this.db.query('health', 'SELECT 1');
    } catch {
      return; // Db.query has recorded the failure in the health flag that /healthz reports
    }
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    // The database clock decides expiry, so instances with drifting clocks agree.
    const r = await this.db.query(
      'claimOnce',
      `INSERT INTO dedupe (key, expires_at) VALUES ($1, now() + make_interval(secs => $2::double precision / 1000))
       ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE dedupe.expires_at <= now()
       RETURNING key`,
      [key, ttlMs],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async releaseClaim(key: string): Promise<void> {
    await this.db.query('releaseClaim', 'DELETE FROM dedupe WHERE key = $1', [key]);
  }

  /**
   * A session-level advisory lock on a connection held for the run: released at the end, or by the server if the
   * connection dies (then another instance may start the job while this run finishes — jobs record their progress).
   */
  runExclusive<T>(job: string, fn: () => Promise<T>): Promise<T | undefined> {
    return this.db.withClient(`job ${job}`, async (query, discard) => {
      const got = await query<{ locked: boolean }>(`job ${job}`, 'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [JOB_LOCK, job]);
      if (!got.rows[0].locked) return undefined;
      try {
        return await fn();
      } finally {
        await query(`job ${job}`, 'SELECT pg_advisory_unlock($1, hashtext($2))', [JOB_LOCK, job]).catch((err: unknown) => {
          // The job's outcome stands; closing the session releases the lock.
          discard(err);
          this.db.note(`unlocking job ${job} failed; its connection is closed to release the lock`, err);
        });
      }
    });
  }

  async flush(): Promise<void> {
    await this.audit.flush();
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      clearInterval(this.timer);
      await this.audit.flush();
      await this.db.end();
    })();
    return this.closed;
  }
}
