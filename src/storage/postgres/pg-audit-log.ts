/** The audit log on the append-only `audit` table. */
import type { AuditEvent, AuditLog } from '../audit-log.js';
import type { Db } from './db.js';
import { toJsonb } from './pg-repository.js';

interface Row {
  at: Date;
  tenant_id: string;
  actor: string | null;
  action: string;
  subject: string | null;
  details: AuditEvent['details'] | null;
}

export class PgAuditLog implements AuditLog {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {}

  record(event: Omit<AuditEvent, 'at'> & { at?: string }): Promise<void> {
    const write = this.db
      .query(
        'audit record',
        'INSERT INTO audit (at, tenant_id, actor, action, subject, details) VALUES ($1, $2, $3, $4, $5, $6::jsonb)',
        [event.at ?? this.now().toISOString(), event.tenantId, event.actor ?? null, event.action, event.subject ?? null, event.details ? toJsonb(event.details) : null],
      )
      .then(() => undefined);
    this.inFlight.add(write);
    const forget = () => this.inFlight.delete(write);
    write.then(forget, forget);
    return write;
  }

  /** Events of the `months` calendar months (UTC) up to the newest event's, oldest first. */
  async recent(filter?: (e: AuditEvent) => boolean, months = 2): Promise<AuditEvent[]> {
    await this.flush();
    const r = await this.db.query<Row>(
      'audit recent',
      `SELECT at, tenant_id, actor, action, subject, details FROM audit
       WHERE at >= (SELECT date_trunc('month', max(at) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(months => $1::int - 1) FROM audit)
       ORDER BY id`,
      [Math.max(1, months)],
    );
    const out: AuditEvent[] = [];
    for (const row of r.rows) {
      const e: AuditEvent = { at: row.at.toISOString(), tenantId: row.tenant_id, action: row.action };
      if (row.actor !== null) e.actor = row.actor;
      if (row.subject !== null) e.subject = row.subject;
      if (row.details !== null) e.details = row.details;
      if (!filter || filter(e)) out.push(e);
    }
    return out;
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
