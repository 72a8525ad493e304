/**
 * The connection pool behind the PostgreSQL store: every statement goes through here, so a database failure
 * always surfaces as StorageWriteError (the user is told the action did not save) and the health flag follows
 * what the last statement saw. Secrets in the URL never reach a message.
 */
import pg from 'pg';
import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import type { Logger } from '../../logging/logger.js';
import { StorageWriteError } from '../errors.js';

/** Runs one statement (through the pool, or on the client of a transaction). */
export type Querier = <T extends QueryResultRow>(what: string, text: string, values?: unknown[]) => Promise<QueryResult<T>>;

export interface DbOptions {
  url: string;
  poolMax: number;
  connectionTimeoutMs?: number;
  statementTimeoutMs?: number;
  logger?: Logger;
}

/** Node socket errors and SQLSTATE classes that mean "the server is not reachable", not "this statement is wrong". */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOENT']);
const CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|connection error|Client has encountered a connection error|Cannot use a pool after calling end|server closed the connection/i;

/** True when `err` says the database cannot be reached (socket error, shutdown, too many connections). */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (CONNECTION_CODES.has(code) || code.startsWith('08') || code.startsWith('57P') || code === '53300') return true;
  return typeof e?.message === 'string' && CONNECTION_MESSAGES.test(e.message);
}

/** `host:port/database` of a connection URL, without user or password (for messages and /healthz). */
export function describeServer(url: string): string {
  try {
    const u = new URL(url);
    const socketHost = u.searchParams.get('host');
    const host = u.hostname || socketHost || 'localhost';
    const port = u.port || u.searchParams.get('port') || '5432';
    const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default database)';
    return `${host}:${port}/${database}`;
  } catch {
    return '(unparsable DATABASE_URL)'; // never echo it: it may hold the password
  }
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return ''; // config.ts only lets a parsable URL through; nothing to hide in anything else
  }
}

export class Db {
  readonly pool: pg.Pool;
  readonly server: string;
  private ok = true;
  private lastError: string | undefined;
  private readonly password: string;
  private readonly log: Logger | undefined;

  constructor(opts: DbOptions) {
    this.server = describeServer(opts.url);
    this.password = passwordOf(opts.url);
    this.log = opts.logger;
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolMax,
      connectionTimeoutMillis: opts.connectionTimeoutMs ?? 5000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'partner-support-assistant',
      statement_timeout: opts.statementTimeoutMs ?? 15_000,
      // A transaction left open by a crashed turn must not hold row locks for long.
      idle_in_transaction_session_timeout: 30_000,
    });
    // An idle connection the server dropped: without a listener this would crash the process.
    this.pool.on('error', (err) => {
      this.markBroken(err);
      this.log?.warn({ error: this.scrub(err.message) }, 'PostgreSQL connection lost; the pool will reconnect');
    });
  }

  /** Replaces the password (if it appears) in a message from the driver. */
  scrub(text: string): string {
    return this.password.length >= 3 ? text.split(this.password).join('***') : text;
  }

  /** Health as last observed. */
  health(): { ok: boolean; lastError?: string } {
    return this.ok ? { ok: true } : { ok: false, lastError: this.lastError };
  }

  markHealthy(): void {
    this.ok = true;
    this.lastError = undefined;
  }

  markBroken(err: unknown): void {
    this.ok = false;
    this.lastError = this.scrub((err as Error)?.message ?? String(err));
  }

  /** Wraps a driver failure: connection trouble flips the health flag; every failure becomes StorageWriteError. */
  fail(what: string, err: unknown): StorageWriteError {
    if (isConnectionError(err)) this.markBroken(err);
    const cause = new Error(this.scrub((err as Error)?.message ?? String(err)));
    return new StorageWriteError(`PostgreSQL ${this.server} (${what})`, cause);
  }

  /** One statement through the pool. */
  readonly query: Querier = async <T extends QueryResultRow>(what: string, text: string, values?: unknown[]) => {
    let r: QueryResult<T>;
    try {
      r = await this.pool.query<T>(text, values);
    } catch (err) {
      throw this.fail(what, err);
    }
    this.markHealthy();
    return r;
  };

  /** A client of its own for `fn` (advisory locks, transactions); a broken client is discarded, not reused. */
  async withClient<T>(what: string, fn: (query: Querier, discard: (why: unknown) => void) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw this.fail(what, err);
    }
    let broken: Error | undefined;
    // While we hold it, the pool does not listen for its errors: a dropped connection must not crash the process.
    const onError = (err: Error) => {
      broken = err;
      this.markBroken(err);
    };
    client.on('error', onError);
    const query: Querier = async <R extends QueryResultRow>(w: string, text: string, values?: unknown[]) => {
      try {
        const r = await client.query<R>(text, values);
        this.markHealthy();
        return r;
      } catch (err) {
        if (isConnectionError(err)) broken = err as Error;
        throw this.fail(w, err);
      }
    };
    // A client whose session state is unknown (a lock not released, a transaction not ended) must not be reused.
    const discard = (why: unknown) => {
      broken ??= why instanceof Error ? why : new Error(String(why));
    };
    try {
      return await fn(query, discard);
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  /** Runs `fn` inside BEGIN … COMMIT; any failure rolls everything back (nothing half-written). */
  transaction<T>(what: string, fn: (query: Querier) => Promise<T>): Promise<T> {
    return this.withClient(what, async (query, discard) => {
      await query(what, 'BEGIN');
      let result: T;
      try {
        result = await fn(query);
      } catch (err) {
        await query(what, 'ROLLBACK').catch((rollbackErr: unknown) => {
          // Usually the connection is gone and the server has rolled back already; either way, drop this session.
          discard(rollbackErr);
          this.log?.warn({ error: (rollbackErr as Error).message }, 'ROLLBACK failed; the connection is discarded');
        });
        throw err;
      }
      await query(what, 'COMMIT');
      return result;
    });
  }

  /** Logs a failure that does not fail the operation (e.g. an unlock on a connection that is discarded anyway). */
  note(message: string, err: unknown): void {
    this.log?.warn({ error: this.scrub((err as Error)?.message ?? String(err)) }, message);
  }

  async end(): Promise<void> {
    await this.pool.end();
  }
}
