/** Append-only audit log: one JSON line per event in a file per month (history never sits in a hot file). */
import fs from 'node:fs';
import path from 'node:path';
import { DurableAppender } from './appender.js';
import { GroupCommit } from './group-commit.js';
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

/**
 * Audit log in DATA_DIR/audit/YYYY-MM.jsonl, appended and fsynced in order. Group commit: events recorded while
 * a write runs go out together in the next one (one append and one fsync for the batch), so many concurrent
 * turns do not queue behind one fsync each.
 */
export class FileAuditLog implements AuditLog {
  private pending: { file: string; line: string; resolve(): void; reject(err: Error): void }[] = [];
  /** Events recorded during one turn of the event loop go out in one append (drain). */
  private readonly commit = new GroupCommit(() => this.drain(), () => this.pending.length > 0);
  /** The month's file, kept open (one descriptor: the month changes rarely). */
  private appender: DurableAppender | undefined;

  constructor(private readonly dir: string, private readonly now: () => Date = () => new Date()) {
    fs.mkdirSync(dir, { recursive: true });
  }

  record(event: Omit<AuditEvent, 'at'> & { at?: string }): Promise<void> {
    const full: AuditEvent = { ...event, at: event.at ?? this.now().toISOString() };
    const file = path.join(this.dir, `${full.at.slice(0, 7)}.jsonl`);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ file, line: `${JSON.stringify(full)}\n`, resolve, reject });
      this.commit.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      const byFile = new Map<string, typeof batch>();
      for (const item of batch) byFile.set(item.file, [...(byFile.get(item.file) ?? []), item]);
      for (const [file, items] of byFile) {
        try {
          this.appenderFor(file).append(Buffer.from(items.map((i) => i.line).join(''), 'utf8'));
          for (const i of items) i.resolve();
        } catch (err) {
          const e = new StorageWriteError(file, err);
          for (const i of items) i.reject(e);
        }
      }
    }
  }

  private appenderFor(file: string): DurableAppender {
    if (this.appender?.file !== file) {
      this.appender?.close();
      this.appender = new DurableAppender(file, true);
    }
    return this.appender;
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

  async flush(): Promise<void> {
    await this.commit.idle();
  }

  /** Flushes and lets the file go. */
  async close(): Promise<void> {
    await this.flush();
    this.appender?.close();
    this.appender = undefined;
  }
}
