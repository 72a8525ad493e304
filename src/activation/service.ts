/** Activation rules (R1, A1–A5, E2) and the life of an approval request, over plain data and repositories. No botbuilder here. */
import { canActivate, type BenefitsState, type Person, type Tier } from '../domain/org.js';
import type { Lang } from '../i18n/i18n.js';
import type { Logger } from '../logging/logger.js';
import type { AuditLog } from '../storage/audit-log.js';
import type { Repository, Versioned } from '../storage/collection.js';
import { ConflictError } from '../storage/errors.js';
import { cleanUserText } from '../text/clean.js';

export const REQUESTS_COLLECTION = 'activation-requests';

export type RequestStatus = 'pending' | 'approved' | 'rejected' | 'completed' | 'expired';

/** Open requests block a second one: pending (waiting for an admin) or approved (an admin is activating). */
export const OPEN_STATUSES: readonly RequestStatus[] = ['pending', 'approved'];

export interface PersonRef {
  aadObjectId: string;
  name: string;
}

/** One admin's copy of the approval card, updated in place when the request is decided. */
export interface CardCopy {
  adminAadObjectId: string;
  conversationId: string;
  activityId: string;
  lang: Lang;
}

export interface Requester extends PersonRef {
  /** Teams user id (29:…) for the status card's refresh.userIds. */
  teamsUserId?: string;
  /** Where the request was made: the fallback for notices when there is no personal chat. */
  conversationId?: string;
  lang: Lang;
}

export interface ActivationRequest extends Versioned {
  tenantId: string;
  seq: number;
  status: RequestStatus;
  requester: Requester;
  /** Teams user ids of the admins (refresh.userIds of the approval card). */
  adminUserIds: string[];
  /** Admins who could not be reached with the approval card. */
  unreachable: PersonRef[];
  cards: CardCopy[];
  decidedBy?: PersonRef;
  decidedAt?: string;
  comment?: string;
  completedBy?: PersonRef;
  completedAt?: string;
  createdAt: string;
  remindedAt?: string;
  expiredAt?: string;
}

export const REQUEST_ID = /^AR-\d{4,9}$/;

/** The id of the request with sequence number `seq` (AR-0001). */
export function requestIdOf(seq: number): string {
  return `AR-${String(seq).padStart(4, '0')}`;
}

/** Whether a request still waits for something (a decision or the activation itself). */
export function isOpen(r: Pick<ActivationRequest, 'status'>): boolean {
  return OPEN_STATUSES.includes(r.status);
}

// ---------------------------------------------------------------------------------------------------------------
// Guidance: what "activate" means for this person.

export type Guidance =
  | { kind: 'notAuthorized'; reason: 'unknown' | 'cspOnly' | 'notMpn' }
  | { kind: 'noBenefits' }
  | { kind: 'activated'; activatedAt?: string; activatedBy?: string; canUpdate: boolean }
  | { kind: 'selfActivate' }
  | { kind: 'askAdmin' };

/** A1 (unknown or not MPN-associated), A2 (no membership), already activated (A4), R1 admin steps, else A3. */
export function guidanceFor(person: Person | undefined, tier: Tier, state: Pick<BenefitsState, 'activated' | 'activatedAt' | 'activatedBy'> | undefined): Guidance {
  if (!person) return { kind: 'notAuthorized', reason: 'unknown' };
  if (!person.mpnAssociated) return { kind: 'notAuthorized', reason: person.cspAssociated ? 'cspOnly' : 'notMpn' };
  if (tier === 'none') return { kind: 'noBenefits' };
  if (state?.activated) return { kind: 'activated', activatedAt: state.activatedAt, activatedBy: state.activatedBy, canUpdate: canActivate(person) };
  if (canActivate(person)) return { kind: 'selfActivate' };
  return { kind: 'askAdmin' };
}

/** The people who may activate (R1) out of the Global Admin and MPN Partner Admin lists, each once, sorted by name. */
export function activationAdmins(...lists: Person[][]): Person[] {
  const byId = new Map<string, Person>();
  for (const p of lists.flat()) if (canActivate(p) && !byId.has(p.aadObjectId.toLowerCase())) byId.set(p.aadObjectId.toLowerCase(), p);
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

// ---------------------------------------------------------------------------------------------------------------
// The Access ID / Contract ID form.

export type ContractField = 'accessId' | 'contractId' | 'startDate' | 'endDate';
export const CONTRACT_FIELDS: readonly ContractField[] = ['accessId', 'contractId', 'startDate', 'endDate'];
export type ContractInput = Partial<Record<ContractField, string>>;
export type ContractValues = Record<ContractField, string>;

export interface FieldError {
  field: ContractField;
  /** i18n key of the problem. */
  key: string;
  vars?: Record<string, string | number>;
}

export type ContractValidation = { ok: true; value: ContractValues } | { ok: false; errors: FieldError[]; echo: ContractValues };

export const ID_MIN = 4;
export const ID_MAX = 64;
/** Printable ASCII (the IDs Partner Center shows), no control or invisible characters. */
const PRINTABLE_ID = /^[\x21-\x7E](?:[\x20-\x7E]*[\x21-\x7E])?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ECHO_MAX = 200;

/** A real calendar date yyyy-mm-dd between 2000 and 2100. */
export function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) return false;
  const year = d.getUTCFullYear();
  return year >= 2000 && year <= 2100;
}

/** Checks the form: IDs trimmed, printable, 4–64 characters and different; dates real, end after start. */
export function validateContract(input: ContractInput): ContractValidation {
  const echo = Object.fromEntries(CONTRACT_FIELDS.map((f) => [f, [...(input[f] ?? '').trim()].slice(0, ECHO_MAX).join('')])) as ContractValues;
  const errors: FieldError[] = [];
  for (const f of ['accessId', 'contractId'] as const) {
    const v = echo[f];
    if (!v) errors.push({ field: f, key: 'activation.form.error.required' });
    else if (!PRINTABLE_ID.test(v)) errors.push({ field: f, key: 'activation.form.error.printable' });
    else if (v.length < ID_MIN || v.length > ID_MAX) errors.push({ field: f, key: 'activation.form.error.length', vars: { min: ID_MIN, max: ID_MAX } });
  }
  if (!errors.length && echo.accessId.toLowerCase() === echo.contractId.toLowerCase()) errors.push({ field: 'contractId', key: 'activation.form.error.sameIds' });
  for (const f of ['startDate', 'endDate'] as const) {
    const v = echo[f];
    if (!v) errors.push({ field: f, key: 'activation.form.error.required' });
    else if (!isIsoDate(v)) errors.push({ field: f, key: 'activation.form.error.date' });
  }
  if (isIsoDate(echo.startDate) && isIsoDate(echo.endDate) && echo.endDate <= echo.startDate) errors.push({ field: 'endDate', key: 'activation.form.error.endBeforeStart' });
  return errors.length ? { ok: false, errors, echo } : { ok: true, value: echo };
}

export const COMMENT_MAX = 500;

/** A decision comment as stored: cleaned like all shared user text (cleanUserText), clipped; undefined when empty. */
export function cleanComment(raw: string | undefined): string | undefined {
  const s = [...cleanUserText(raw)].slice(0, COMMENT_MAX).join('').trim();
  return s || undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Decisions and housekeeping (pure).

/** Thrown inside a compare-and-set when the request is no longer in the state the change needs; carries the current state. */
export class RequestClosedError extends Error {
  constructor(readonly request: ActivationRequest) {
    super(`activation request ${request.id} is ${request.status}`);
    this.name = 'RequestClosedError';
  }
}

export interface Decision {
  outcome: 'approved' | 'rejected';
  by: PersonRef;
  at: string;
  comment?: string;
}

/** The request after a decision; throws RequestClosedError unless it is pending (the first decision wins). */
export function applyDecision(cur: ActivationRequest, d: Decision): ActivationRequest {
  if (cur.status !== 'pending') throw new RequestClosedError(cur);
  return { ...cur, status: d.outcome, decidedBy: d.by, decidedAt: d.at, comment: d.comment };
}

export interface HousekeepingPolicy {
  reminderHours: number;
  expiryDays: number;
}

export type DueAction = { kind: 'expire'; request: ActivationRequest } | { kind: 'remind'; request: ActivationRequest };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Whether an open request is past its expiry: pending since creation, approved since the decision. */
export function isExpired(r: ActivationRequest, now: Date, policy: HousekeepingPolicy): boolean {
  if (!isOpen(r)) return false;
  const since = r.status === 'approved' ? r.decidedAt ?? r.createdAt : r.createdAt;
  return now.getTime() - Date.parse(since) >= policy.expiryDays * DAY;
}

/** Whether a pending request waited reminderHours since it was made or last reminded. */
export function isReminderDue(r: ActivationRequest, now: Date, policy: HousekeepingPolicy): boolean {
  if (r.status !== 'pending') return false;
  return now.getTime() - Date.parse(r.remindedAt ?? r.createdAt) >= policy.reminderHours * HOUR;
}

/** What housekeeping has to do now: expiries first (an expired request gets no reminder). */
export function dueActions(requests: ActivationRequest[], now: Date, policy: HousekeepingPolicy): DueAction[] {
  const out: DueAction[] = [];
  for (const r of requests) {
    if (isExpired(r, now, policy)) out.push({ kind: 'expire', request: r });
    else if (isReminderDue(r, now, policy)) out.push({ kind: 'remind', request: r });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The stored requests: every change is a compare-and-set, every event audited.

export type Outcome = { won: true; request: ActivationRequest } | { won: false; request: ActivationRequest };

export class ActivationRequests {
  constructor(
    private readonly repo: Repository<ActivationRequest>,
    private readonly audit: AuditLog,
    private readonly log: Logger,
  ) {}

  /** The request, or undefined for an unknown id or another tenant's request. */
  async get(tenantId: string, id: string): Promise<ActivationRequest | undefined> {
    if (!REQUEST_ID.test(id)) return undefined;
    const r = await this.repo.get(id);
    return r && r.tenantId.toLowerCase() === tenantId.toLowerCase() ? r : undefined;
  }

  /** Open requests of the tenant, oldest first. */
  async open(tenantId: string): Promise<ActivationRequest[]> {
    const all = await this.repo.list((r) => r.tenantId.toLowerCase() === tenantId.toLowerCase() && isOpen(r));
    return all.sort((a, b) => a.seq - b.seq);
  }

  /** Every request of the tenant still open (for housekeeping across tenants: all of them). */
  async allOpen(): Promise<ActivationRequest[]> {
    return (await this.repo.list(isOpen)).sort((a, b) => a.seq - b.seq);
  }

  /**
   * Makes a new pending request unless one is open (then returns that one, created: false). The open check and
   * the id come from one snapshot, and insert refuses a taken id: two people asking at once get one request.
   */
  async create(tenantId: string, requester: Requester, now: Date): Promise<{ created: boolean; request: ActivationRequest }> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const all = await this.repo.list();
      const open = all.filter((r) => r.tenantId.toLowerCase() === tenantId.toLowerCase() && isOpen(r)).sort((a, b) => a.seq - b.seq);
      if (open.length) return { created: false, request: open[0] };
      const seq = all.reduce((m, r) => Math.max(m, r.seq), 0) + 1;
      try {
        const request = await this.repo.insert({
          id: requestIdOf(seq),
          tenantId,
          seq,
          status: 'pending',
          requester,
          adminUserIds: [],
          unreachable: [],
          cards: [],
          createdAt: now.toISOString(),
        });
        await this.record(request, 'activation.requested', requester.aadObjectId, now);
        return { created: true, request };
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new ConflictError(REQUESTS_COLLECTION, 'new request');
  }

  /** Adds the copies of the approval card just sent (and who could not be reached), whatever the status is now. */
  async recordDelivery(id: string, d: { copies: CardCopy[]; adminUserIds: string[]; unreachable: PersonRef[] }, now: Date, event: 'notified' | 'reminded'): Promise<ActivationRequest> {
    const r = await this.repo.mutate(id, (cur) => ({
      ...cur,
      cards: [...cur.cards, ...d.copies],
      adminUserIds: [...new Set([...cur.adminUserIds, ...d.adminUserIds])],
      unreachable: event === 'notified' ? d.unreachable : cur.unreachable,
    }));
    await this.record(r, `activation.${event}`, undefined, now, { sent: d.copies.length, unreachable: d.unreachable.length });
    return r;
  }

  /** Approves or rejects: the first decision wins; a later one gets won: false and the final state. */
  async decide(id: string, d: Decision): Promise<Outcome> {
    return this.transition(id, (cur) => applyDecision(cur, d), `activation.${d.outcome}`, d.by.aadObjectId, new Date(d.at), { hasComment: !!d.comment });
  }

  /** Marks an open request completed (the benefits are activated). */
  async complete(id: string, by: PersonRef, now: Date): Promise<Outcome> {
    return this.transition(
      id,
      (cur) => {
        if (!isOpen(cur)) throw new RequestClosedError(cur);
        return { ...cur, status: 'completed', completedBy: by, completedAt: now.toISOString() };
      },
      'activation.completed',
      by.aadObjectId,
      now,
    );
  }

  /** Expires a request that is still open and past its time. */
  async expire(id: string, now: Date, policy: HousekeepingPolicy): Promise<Outcome> {
    return this.transition(
      id,
      (cur) => {
        if (!isExpired(cur, now, policy)) throw new RequestClosedError(cur);
        return { ...cur, status: 'expired', expiredAt: now.toISOString() };
      },
      'activation.expired',
      undefined,
      now,
    );
  }

  /** Claims the reminder of a pending request (only one instance sends it); the caller sends it and records the delivery. */
  async claimReminder(id: string, now: Date, policy: HousekeepingPolicy): Promise<Outcome> {
    try {
      const request = await this.repo.mutate(id, (cur) => {
        if (!isReminderDue(cur, now, policy) || isExpired(cur, now, policy)) throw new RequestClosedError(cur);
        return { ...cur, remindedAt: now.toISOString() };
      });
      return { won: true, request };
    } catch (err) {
      if (err instanceof RequestClosedError) return { won: false, request: err.request };
      throw err;
    }
  }

  /** Records an event about activation (refusals, saved contracts) in the audit log. */
  async event(tenantId: string, action: string, actor: string | undefined, now: Date, subject?: string, details?: Record<string, string | number | boolean | null>): Promise<void> {
    try {
      await this.audit.record({ at: now.toISOString(), tenantId, actor, action, subject, details });
    } catch (err) {
      // The change itself is stored; a lost audit line is reported loudly rather than undoing it.
      this.log.error({ err, action, subject }, 'audit record failed');
    }
  }

  private async transition(id: string, fn: (cur: ActivationRequest) => ActivationRequest, action: string, actor: string | undefined, now: Date, details?: Record<string, string | number | boolean | null>): Promise<Outcome> {
    let request: ActivationRequest;
    try {
      request = await this.repo.mutate(id, fn);
    } catch (err) {
      if (err instanceof RequestClosedError) return { won: false, request: err.request };
      throw err;
    }
    await this.record(request, action, actor, now, details);
    return { won: true, request };
  }

  private record(r: ActivationRequest, action: string, actor: string | undefined, now: Date, details?: Record<string, string | number | boolean | null>): Promise<void> {
    return this.event(r.tenantId, action, actor, now, r.id, { status: r.status, requester: r.requester.aadObjectId, ...details });
  }
}
