/** Append-only audit log: one JSON line per event in a file per month (history never sits in a hot file). */
import fs from 'node:fs';
import path from 'node:path';
import { StorageWriteError } from './errors.js';

export interface AuditEvent {
  at: string; // ISO timestamp
  tenantId: string;
  actor?: string; // aadObjectId
  action: string; // e.g. activation.requested
  subject?: string; // record id
  details?: Record<string, string | number | boolean | null>;
}

export interface AuditLog {
  record(event: Omit<AuditEvent, 'at'> & { at?: string }): Promise<void>;
  /** Events of the last `months` months (newest last), optionally filtered. */
  recent(filter?: (e: AuditEvent) => boolean, months?: number): Promise<AuditEvent[]>;
  flush(): Promise<void>;
}

/** Audit log in DATA_DIR/audit/YYYY-MM.jsonl, appended and fsynced in order. */
export class FileAuditLog implements AuditLog {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string, private readonly now: () => Date = () => new Date()) {
    fs.mkdirSync(dir, { recursive: true });
  }

  record(event: Omit<AuditEvent, 'at'> & { at?: string }): Promise<void> {
    const full: AuditEvent = { ...event, at: event.at ?? this.now().toISOString() };
    const file = path.join(this.dir, `${full.at.slice(0, 7)}.jsonl`);
    const line = `${JSON.stringify(full)}\n`;
    const write = this.chain.then(async () => {
      try {
        const h = await fs.promises.open(file, 'a', 0o600);
        try {
          await h.appendFile(line, 'utf8');
          await h.sync();
        } finally {
          await h.close();
        }
      } catch (err) {
        throw new StorageWriteError(file, err);
      }
    });
    this.chain = write.catch(() => undefined);
    return write;
  }

  async recent(filter?: (e: AuditEvent) => boolean, months = 2): Promise<AuditEvent[]> {
    await this.flush();
    const files = fs.readdirSync(this.dir).filter((f) => /^\d{4}-\d{2}\.jsonl$/.test(f)).sort().slice(-months);
    const out: AuditEvent[] = [];
    for (const f of files) {
      for (const line of fs.readFileSync(path.join(this.dir, f), 'utf8').split('\n')) {
        if (!line) continue;
        let e: AuditEvent;
        try {
          e = JSON.parse(line) as AuditEvent;
        } catch {
          continue; // a line cut by a crash mid-append: skip it, the rest of the file is intact
        }
        if (!filter || filter(e)) out.push(e);
      }
    }
    return out;
  }

  flush(): Promise<void> {
    return this.chain;
  }
}
