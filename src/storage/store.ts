/** The embedded store: one lowdb-backed JSON file per concern under DATA_DIR, one writer each, a lock on the folder. */
import fs from 'node:fs';
import path from 'node:path';
import type { Storage } from 'botbuilder';
import { removeStaleTempFiles } from './atomic-file.js';
import { FileAuditLog, type AuditLog } from './audit-log.js';
import { FileBotStorage, isStateDoc, type StateDoc } from './bot-state-storage.js';
import { FileRepository, isCollectionDoc, type CollectionDoc, type Repository, type Versioned } from './collection.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { JsonFile } from './json-file.js';

export const SCHEMA_VERSION = 1;

export interface StoreStatus {
  backend: 'lowdb';
  ok: boolean;
  dataDir: string;
  files: string[];
}

export interface Store {
  readonly botStorage: Storage;
  readonly audit: AuditLog;
  /** The repository of one kind of record; the file is opened (and checked) on first use. */
  collection<R extends Versioned>(name: string): Repository<R>;
  status(): StoreStatus;
  flush(): Promise<void>;
  close(): Promise<void>;
}

const NAME = /^[a-z][a-zA-Z0-9-]{1,40}$/;

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
  private readonly files = new Map<string, JsonFile<CollectionDoc<Versioned>> | JsonFile<StateDoc>>();
  private readonly repos = new Map<string, Repository<Versioned>>();
  private closed = false;

  constructor(private readonly dataDir: string, private readonly lock: DataDirLock) {
    const state = JsonFile.open<StateDoc>(path.join(dataDir, 'bot-state.json'), () => ({ schemaVersion: SCHEMA_VERSION, items: {} }), isStateDoc);
    this.files.set('bot-state', state);
    this.botStorage = new FileBotStorage(state);
    this.audit = new FileAuditLog(path.join(dataDir, 'audit'));
  }

  collection<R extends Versioned>(name: string): Repository<R> {
    if (!NAME.test(name) || name === 'bot-state') throw new Error(`Invalid collection name "${name}"`);
    let repo = this.repos.get(name);
    if (!repo) {
      const file = JsonFile.open<CollectionDoc<Versioned>>(
        path.join(this.dataDir, `${name}.json`),
        () => ({ schemaVersion: SCHEMA_VERSION, records: {}, sequences: {} }),
        (v): v is CollectionDoc<Versioned> => isCollectionDoc(v),
        (d) => ({ ...d, sequences: d.sequences ?? {} }),
      );
      this.files.set(name, file);
      repo = new FileRepository<Versioned>(name, file);
      this.repos.set(name, repo);
    }
    return repo as unknown as Repository<R>;
  }

  status(): StoreStatus {
    return { backend: 'lowdb', ok: !this.closed, dataDir: this.dataDir, files: [...this.files.keys()] };
  }

  async flush(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => f.flush()));
    await this.audit.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.files.values()].map((f) => f.close()));
    await this.audit.flush();
    this.lock.release();
  }
}
