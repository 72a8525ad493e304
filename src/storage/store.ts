/** The embedded store: one lowdb-backed JSON file per concern under DATA_DIR, one writer each, a lock on the folder. */
import fs from 'node:fs';
import path from 'node:path';
import type { Storage } from 'botbuilder';
import { removeStaleTempFiles } from './atomic-file.js';
import { FileAuditLog, type AuditLog } from './audit-log.js';
import { FileBotStorage, isStateDoc, type StateDoc } from './bot-state-storage.js';
import { FileRepository, isCollectionDoc, type ArchiveFiles, type CollectionDoc, type Repository, type Versioned } from './collection.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { StorageWriteError } from './errors.js';
import { cachedRecordsSerializer, JsonFile } from './json-file.js';

export const SCHEMA_VERSION = 1;

export interface LowdbStatus {
  backend: 'lowdb';
  ok: boolean;
  dataDir: string;
  files: string[];
}

export interface PostgresStatus {
  backend: 'postgres';
  /** Last known health: the latest periodic `SELECT 1` or query outcome. */
  ok: boolean;
  /** host:port/database, never the user's password. */
  server: string;
  schemaVersion: number;
  pool: { total: number; idle: number; waiting: number };
  /** Why `ok` is false, when it is. */
  lastError?: string;
}

export type StoreStatus = LowdbStatus | PostgresStatus;

export interface Store {
  readonly botStorage: Storage;
  readonly audit: AuditLog;
  /** The repository of one kind of record; the file is opened (and checked) on first use. */
  collection<R extends Versioned>(name: string): Repository<R>;
  status(): StoreStatus;
  /**
   * True the first time `key` is claimed within `ttlMs` (by any instance sharing the store), false for a repeat:
   * the duplicate-delivery check. Rejects with StorageWriteError when the store cannot answer.
   */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a claim, so a retry of a turn that failed is processed again. */
  releaseClaim(key: string): Promise<void>;
  /**
   * Runs `fn` unless the job `job` is already running here or on another instance (then resolves undefined
   * without running it). Guarantees no two runs at once, not one run per period: a job records what it did.
   */
  runExclusive<T>(job: string, fn: () => Promise<T>): Promise<T | undefined>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Collection names: also the file name (lowdb) and the `collection` column (PostgreSQL). */
export const COLLECTION_NAME = /^[a-z][a-zA-Z0-9-]{1,40}$/;
const MAX_CLAIMS = 200_000;

/** Opens the store in `dataDir`: takes the lock, checks the state file; throws on a corrupt file or a held lock. */
export function openStore(dataDir: string): Store {
  fs.mkdirSync(dataDir, { recursive: true });
  const lock: DataDirLock = lockDataDir(dataDir);
  try {
    removeStaleTempFiles(dataDir);
    return new FileStore(dataDir, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

class FileStore implements Store {
  readonly botStorage: Storage;
  readonly audit: AuditLog;
  private readonly fileAudit: FileAuditLog;
  private readonly files = new Map<string, JsonFile<CollectionDoc<Versioned>> | JsonFile<StateDoc>>();
  private readonly repos = new Map<string, Repository<Versioned>>();
  /** Archive files in use right now (see archiveFiles). */
  private readonly archives = new Map<string, { file: JsonFile<CollectionDoc<Versioned>>; users: number }>();
  private readonly claims = new Map<string, number>();
  private nextClaimSweep = 0;
  private readonly runningJobs = new Set<string>();
  private closed = false;

  constructor(private readonly dataDir: string, private readonly lock: DataDirLock) {
    const state = JsonFile.open<StateDoc>(path.join(dataDir, 'bot-state.json'), () => ({ schemaVersion: SCHEMA_VERSION, items: {} }), isStateDoc);
    this.files.set('bot-state', state);
    this.botStorage = new FileBotStorage(state);
    this.fileAudit = new FileAuditLog(path.join(dataDir, 'audit'));
    this.audit = this.fileAudit;
  }

  collection<R extends Versioned>(name: string): Repository<R> {
    if (!COLLECTION_NAME.test(name) || name === 'bot-state') throw new Error(`Invalid collection name "${name}"`);
    let repo = this.repos.get(name);
    if (!repo) {
      const file = JsonFile.open<CollectionDoc<Versioned>>(
        path.join(this.dataDir, `${name}.json`),
        () => ({ schemaVersion: SCHEMA_VERSION, records: {}, sequences: {} }),
        (v): v is CollectionDoc<Versioned> => isCollectionDoc(v),
        { migrate: (d) => ({ ...d, sequences: d.sequences ?? {} }), serialize: cachedRecordsSerializer<CollectionDoc<Versioned>>(), journal: path.join(this.dataDir, `${name}.journal`) },
      );
      this.files.set(name, file);
      repo = new FileRepository<Versioned>(name, file, this.archiveFiles(name));
      this.repos.set(name, repo);
    }
    return repo as unknown as Repository<R>;
  }

  /**
   * Archive files are opened for one use at a time and closed after it (history must not stay in memory: a
   * year of monthly runs would otherwise keep every month's file loaded). Uses of one file at the same time share
   * one JsonFile, so their writes are serialised.
   */
  private archiveFiles(name: string): ArchiveFiles<Versioned> {
    return {
      use: async <T>(period: string, fn: (file: JsonFile<CollectionDoc<Versioned>>) => Promise<T>): Promise<T> => {
        const key = `archive/${name}/${period}`;
        if (this.closed) throw new StorageWriteError(path.join(this.dataDir, `${key}.json`), new Error('store is closed'));
        let entry = this.archives.get(key);
        if (!entry) {
          const dir = path.join(this.dataDir, 'archive', name);
          fs.mkdirSync(dir, { recursive: true });
          const file = JsonFile.open<CollectionDoc<Versioned>>(
            path.join(dir, `${period}.json`),
            () => ({ schemaVersion: SCHEMA_VERSION, records: {}, sequences: {} }),
            (v): v is CollectionDoc<Versioned> => isCollectionDoc(v),
            { migrate: (d) => ({ ...d, sequences: d.sequences ?? {} }), serialize: cachedRecordsSerializer<CollectionDoc<Versioned>>() },
          );
          entry = { file, users: 0 };
          this.archives.set(key, entry);
        }
        entry.users++;
        try {
          return await fn(entry.file);
        } finally {
          if (--entry.users === 0) {
            this.archives.delete(key);
            await entry.file.flush();
          }
        }
      },
    };
  }

  status(): StoreStatus {
    return { backend: 'lowdb', ok: !this.closed, dataDir: this.dataDir, files: [...this.files.keys()] };
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    if (now >= this.nextClaimSweep || this.claims.size >= MAX_CLAIMS) this.sweepClaims(now);
    const expires = this.claims.get(key);
    if (expires !== undefined && expires > now) return false;
    this.claims.delete(key); // re-insert at the end: the map stays roughly in expiry order
    this.claims.set(key, now + ttlMs);
    return true;
  }

  async releaseClaim(key: string): Promise<void> {
    this.claims.delete(key);
  }

  private sweepClaims(now: number): void {
    this.nextClaimSweep = now + 30_000;
    for (const [k, expires] of this.claims) if (expires <= now) this.claims.delete(k);
    // Still full of live keys: drop the oldest (one process, one memory — the bound matters more than a late duplicate).
    // Trim to 90% so a full map is not rescanned on every following claim.
    if (this.claims.size < MAX_CLAIMS) return;
    for (const k of this.claims.keys()) {
      if (this.claims.size < MAX_CLAIMS * 0.9) break;
      this.claims.delete(k);
    }
  }

  async runExclusive<T>(job: string, fn: () => Promise<T>): Promise<T | undefined> {
    if (this.runningJobs.has(job)) return undefined;
    this.runningJobs.add(job);
    try {
      return await fn();
    } finally {
      this.runningJobs.delete(job);
    }
  }

  async flush(): Promise<void> {
    await Promise.all([...this.files.values(), ...[...this.archives.values()].map((a) => a.file)].map((f) => f.flush()));
    await this.audit.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.files.values(), ...[...this.archives.values()].map((a) => a.file)].map((f) => f.close()));
    await this.fileAudit.close();
    this.lock.release();
  }
}
