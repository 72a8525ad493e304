/**
 * Support requests (issue 7): validation of the request form, routing by the eligibility engine, per-organisation
 * numbers, help desk actions as compare-and-set changes, incident counting once per request, the queue and ageing.
 * No botbuilder here: handlers turn activities into calls and outcomes into cards.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { BenefitsStore } from '../benefits/benefits-store.js';
import { productLabel, type Catalog, type ProductRef } from '../domain/catalog.js';
import { decide, type Decision } from '../domain/eligibility.js';
import { isHelpDesk, type Organisation, type Person } from '../domain/org.js';
import { recordIncidentUsed } from '../ids/service.js';
import type { Policy } from '../domain/policy.js';
import { recognizeProduct, type Candidate } from '../domain/recognize.js';
import type { Lang } from '../i18n/i18n.js';
import type { AuditEvent, AuditLog } from '../storage/audit-log.js';
import type { Repository } from '../storage/collection.js';
import { ConflictError, NotFoundError } from '../storage/errors.js';
import { cleanUserLine, cleanUserText } from '../text/clean.js';
import {
  FINISHED_STATUSES,
  HELP_DESK_STATUSES,
  archiveShardOf,
  isOpen,
  lastChangeOf,
  requestKey,
  SEVERITIES,
  type ArchivedRequestsIndex,
  type DecisionSnapshot,
  type HelpDeskStatus,
  type PersonRef,
  type RequestRecord,
  type RequestSettings,
  type RequestStatus,
  type Severity,
} from './model.js';

export interface RequestServiceDeps {
  requests: Repository<RequestRecord>;
  settings: Repository<RequestSettings>;
  audit: AuditLog;
  benefits: BenefitsStore;
  organisation: () => Organisation;
  /** Help desk members now (assignment targets are checked against it). */
  helpDeskMembers: () => Promise<Person[]>;
  policy: Policy;
  catalog: Catalog;
  /**
   * Which requests moved to history (see archiveFinished). Without it nothing is archived and a request missing
   * from the hot set is simply not found.
   */
  archived?: Repository<ArchivedRequestsIndex>;
}

/** A translatable message: an i18n key and its placeholders. */
export interface Message {
  key: string;
  vars?: Record<string, string | number>;
}

/** The request form as submitted (every field optional: validation says what is missing). */
export interface RequestFormInput {
  product?: string;
  /** "familyId|versionId" picked from the "which one?" list. */
  productPick?: string;
  for?: string;
  customerName?: string;
  customerTenantId?: string;
  severity?: string;
  title?: string;
  description?: string;
}

/** The form's fields, in card order (each may carry an error). */
export const FORM_FIELDS = ['product', 'for', 'customerName', 'customerTenantId', 'severity', 'title', 'description'] as const;
export type FormField = (typeof FORM_FIELDS)[number];
export type FormErrors = Partial<Record<FormField, Message>>;

export interface ValidRequestForm {
  product: ProductRef & { label: string };
  forCustomer: boolean;
  customer?: { name: string; tenantId: string };
  severity: Severity;
  title: string;
  description: string;
}

export type FormValidation = { ok: true; value: ValidRequestForm } | { ok: false; errors: FormErrors; productChoices: Candidate[] };

/** Length limits of user text, in characters. */
export const LIMITS = { title: { min: 3, max: 120 }, description: { min: 10, max: 4000 }, customerName: { min: 2, max: 100 }, note: { min: 1, max: 2000 } } as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Microsoft support case numbers are long digit strings; letters and dashes are tolerated for other formats. */
const CASE_NUMBER = /^[A-Za-z0-9][A-Za-z0-9-]{5,39}$/;

/** The outcome of a help desk or requester action on one request. */
export type ActionOutcome =
  | { kind: 'changed'; record: RequestRecord; before: RequestRecord }
  | { kind: 'unchanged'; record: RequestRecord; reason: Message }
  | { kind: 'refused'; record: RequestRecord; reason: Message }
  | { kind: 'invalid'; record: RequestRecord; reason: Message }
  | { kind: 'forbidden' }
  | { kind: 'notFound' }
  /** The request is history (finished, then unchanged for REQUEST_ARCHIVE_DAYS): nothing can change it any more. */
  | { kind: 'archived'; key: string; reason: Message };

export interface QueueFilter {
  unassigned?: boolean;
  mine?: boolean;
  olderThanDays?: number;
  severity?: Severity;
}

export interface QueuePage {
  items: RequestRecord[];
  total: number;
  page: number;
  pages: number;
}

/** What one archive run did: requests moved, the periods written, requests handed to history per tenant. */
export interface ArchiveRun {
  archived: number;
  periods: string[];
  tenants: Record<string, number>;
}

/** Requests per queue page. */
export const QUEUE_PAGE_SIZE = 10;

/** A refusal raised inside a compare-and-set function, carrying the record it saw. */
class Refusal extends Error {
  constructor(readonly outcome: 'refused' | 'unchanged' | 'invalid' | 'notFound', readonly reason: Message, readonly record?: RequestRecord) {
    super(reason.key);
    this.name = 'Refusal';
  }
}

/** Human person reference from a directory entry (or the Teams name when unknown). */
export function personRef(p: Pick<Person, 'aadObjectId' | 'name'>): PersonRef {
  return { aadObjectId: p.aadObjectId.toLowerCase(), name: p.name };
}

const sameId = (a: string | undefined, b: string | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/** Whole UTC business days (Mon–Fri) between two instants: a 24-hour step that lands on a weekday counts. */
export function businessDaysBetween(from: Date, to: Date): number {
  const day = 24 * 3600 * 1000;
  let n = 0;
  let steps = 0;
  for (let t = from.getTime() + day; t <= to.getTime() && steps < 3660; t += day, steps++) {
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) n++;
  }
  return n;
}

/** yyyy-mm-dd (UTC) of an instant. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The decision fields a request keeps. */
export function snapshot(d: Decision): DecisionSnapshot {
  return {
    benefit: d.benefit,
    benefitName: d.benefitName,
    covered: d.covered,
    reasons: [...d.reasons],
    reasonKeys: [...d.reasonKeys],
    allowance: d.allowance,
    incidentsConsumed: d.incidentsConsumed,
    incidentsRemaining: d.incidentsRemaining,
    portal: d.portal,
    steps: d.steps.map((s) => (s.link ? { key: s.key, link: s.link } : { key: s.key })),
    idsNeededFirst: d.idsNeededFirst,
    cspPlanAvailable: d.cspPlanAvailable,
    paidAlternatives: d.paidAlternatives.map((p) => p.key),
    mentionTpd: d.mentionTpd,
  };
}

/** Which contract counter a request uses when submitted, if any (E3 on-premises, E4 cloud packs). */
export function incidentKind(d: DecisionSnapshot): 'onPremises' | 'cloud' | undefined {
  if (!d.covered || d.incidentsConsumed <= 0) return undefined;
  if (d.benefit === 'productSupport') return 'onPremises';
  if (d.benefit === 'cloudSupport') return 'cloud';
  return undefined;
}

/** Which status changes the help desk may make. */
export function canMoveTo(from: RequestStatus, to: HelpDeskStatus): boolean {
  if (from === to) return false;
  if (to === 'reopened') return FINISHED_STATUSES.has(from);
  if (FINISHED_STATUSES.has(from)) return from === 'resolved' && to === 'closed';
  return true;
}

/**
 * Who may choose the help desk channel: admins (Global Admin, MPN Partner Admin — the issue asks for an admin) and
 * help desk members (they own the queue and move channels in practice). MPN association is not needed: this is a
 * Teams setting, not a partner benefit.
 */
export function maySetHelpDeskChannel(p: Person | undefined): boolean {
  return !!p && (p.roles.includes('globalAdmin') || p.roles.includes('mpnPartnerAdmin') || isHelpDesk(p));
}

/** Request logic over repositories: every change is a compare-and-set on the re-read record, audited. */
export class RequestService {
  /** Creates of one idempotency key in flight in this process (a double click must not take two numbers). */
  private readonly creating = new Map<string, Promise<{ record: RequestRecord; created: boolean }>>();

  constructor(private readonly deps: RequestServiceDeps) {}

  /** Checks the form; on success the product is a catalogue reference and texts are cleaned. */
  validate(input: RequestFormInput, ownTenantId: string): FormValidation {
    const errors: FormErrors = {};
    let productChoices: Candidate[] = [];
    let product: (ProductRef & { label: string }) | undefined;

    const pick = (input.productPick ?? '').trim();
    const text = cleanUserText(input.product);
    if (pick) {
      const [familyId, versionId] = pick.split('|');
      const family = this.deps.catalog.byId.get(familyId ?? '');
      const versionOk = family && (family.versions.length === 0 ? !versionId : !!versionId && family.versionIndex.has(versionId));
      if (family && versionOk) {
        const ref: ProductRef = versionId ? { familyId: family.id, versionId } : { familyId: family.id };
        product = { ...ref, label: productLabel(this.deps.catalog, ref) };
      }
    }
    if (!product) {
      if (!text) errors.product = { key: 'requests.form.error.productRequired' };
      else {
        const r = recognizeProduct(text, this.deps.catalog);
        if (r.kind === 'match') product = { ...r.product, label: r.label };
        else if (r.kind === 'ambiguous') {
          productChoices = [...r.candidates];
          const key = r.reason === 'versionMissing' ? 'requests.form.error.versionMissing' : 'requests.form.error.severalProducts';
          errors.product = { key, vars: { choices: labels(productChoices) } };
        } else {
          productChoices = [...r.suggestions];
          const key = r.reason === 'unknownVersion' ? 'requests.form.error.unknownVersion' : productChoices.length ? 'requests.form.error.unknownProductSuggest' : 'requests.form.error.unknownProduct';
          errors.product = { key, vars: { choices: labels(productChoices) } };
        }
      }
    }

    const forValue = (input.for ?? '').trim() || 'organisation';
    let forCustomer = false;
    let customer: ValidRequestForm['customer'];
    if (forValue === 'customer') {
      forCustomer = true;
      const name = cleanUserLine(input.customerName);
      const tenantId = (input.customerTenantId ?? '').trim();
      if (!name) errors.customerName = { key: 'requests.form.error.customerNameRequired' };
      else if ([...name].length < LIMITS.customerName.min || [...name].length > LIMITS.customerName.max) {
        errors.customerName = { key: 'requests.form.error.customerNameLength', vars: LIMITS.customerName };
      }
      if (!tenantId) errors.customerTenantId = { key: 'requests.form.error.customerTenantRequired' };
      else if (!GUID.test(tenantId)) errors.customerTenantId = { key: 'requests.form.error.customerTenantInvalid' };
      else if (tenantId.toLowerCase() === ownTenantId.toLowerCase()) errors.customerTenantId = { key: 'requests.form.error.customerTenantOwn' };
      if (name && tenantId) customer = { name, tenantId: tenantId.toLowerCase() };
    } else if (forValue !== 'organisation') {
      errors.for = { key: 'requests.form.error.forRequired' };
    }

    const severity = (input.severity ?? '').trim().toUpperCase();
    if (!SEVERITIES.includes(severity as Severity)) errors.severity = { key: 'requests.form.error.severityRequired' };

    const title = cleanUserLine(input.title);
    const titleLen = [...title].length;
    if (!title) errors.title = { key: 'requests.form.error.titleRequired' };
    else if (titleLen < LIMITS.title.min || titleLen > LIMITS.title.max) errors.title = { key: 'requests.form.error.titleLength', vars: LIMITS.title };

    const description = cleanUserText(input.description);
    const descLen = [...description].length;
    if (!description) errors.description = { key: 'requests.form.error.descriptionRequired' };
    else if (descLen < LIMITS.description.min || descLen > LIMITS.description.max) {
      errors.description = { key: 'requests.form.error.descriptionLength', vars: LIMITS.description };
    }

    if (Object.keys(errors).length > 0 || !product) return { ok: false, errors, productChoices };
    return { ok: true, value: { product, forCustomer, customer, severity: severity as Severity, title, description } };
  }

  /** The engine's route for a validated form (R3, R4, O5, C3, C4, E3, E4). */
  async route(tenantId: string, person: Person | undefined, form: ValidRequestForm, now: Date): Promise<Decision> {
    const benefits = await this.deps.benefits.publicState(tenantId);
    const product: ProductRef = form.product.versionId ? { familyId: form.product.familyId, versionId: form.product.versionId } : { familyId: form.product.familyId };
    return decide({
      org: this.deps.organisation(),
      benefits,
      person,
      product,
      onBehalfOfCustomer: form.forCustomer,
      today: isoDay(now),
      policy: this.deps.policy,
      catalog: this.deps.catalog,
    });
  }

  /** Stable record id of a create: the same form submitted twice (double click, redelivery) is one request. */
  static requestId(tenantId: string, requesterId: string, idempotencyKey: string): string {
    const h = createHash('sha256').update(`${tenantId.toLowerCase()}|${requesterId.toLowerCase()}|${idempotencyKey}`).digest('hex');
    return `r-${h.slice(0, 32)}`;
  }

  /** Stores a new request with the next number of the organisation; a repeat of the same key returns the first one. */
  create(input: { tenantId: string; requester: Person; lang: Lang; form: ValidRequestForm; idempotencyKey: string; now: Date }): Promise<{ record: RequestRecord; created: boolean }> {
    const id = RequestService.requestId(input.tenantId, input.requester.aadObjectId, input.idempotencyKey);
    const inFlight = this.creating.get(id);
    if (inFlight) return inFlight.then((r) => ({ record: r.record, created: false }));
    const run = this.createOnce(id, input).finally(() => this.creating.delete(id));
    this.creating.set(id, run);
    return run;
  }

  private async createOnce(id: string, input: { tenantId: string; requester: Person; lang: Lang; form: ValidRequestForm; idempotencyKey: string; now: Date }): Promise<{ record: RequestRecord; created: boolean }> {
    const existing = (await this.deps.requests.get(id)) ?? (await this.archivedRecord(input.tenantId, id));
    if (existing) return { record: existing, created: false };
    const { tenantId, requester, form, now } = input;
    const decision = await this.route(tenantId, requester, form, now);
    const at = now.toISOString();
    // The audit line is written alongside the record (both durable before the answer), not after it: a create waits
    // for one round of writes instead of two. When the record then does not save, a second line says so.
    let audited: Promise<void> | undefined;
    let record: RequestRecord;
    try {
      record = await this.deps.requests.insertNumbered(tenantId.toLowerCase(), (number) => {
        const built: Omit<RequestRecord, 'version'> = {
          id,
          tenantId,
          number,
          key: requestKey(number),
          requester: personRef(requester),
          lang: input.lang,
          createdAt: at,
          touchedAt: at,
          updatedAt: at,
          product: { familyId: form.product.familyId, versionId: form.product.versionId, label: form.product.label },
          forCustomer: form.forCustomer,
          customer: form.customer,
          severity: form.severity,
          title: form.title,
          description: form.description,
          decision: snapshot(decision),
          status: 'new',
          notes: [],
          changedAt: { status: 1, assignee: 1 },
        };
        audited = this.deps.audit.record(createdEvent(built, at));
        audited.catch(() => undefined); // awaited below; a failure there is the caller's
        return built;
      });
    } catch (err) {
      if (audited) await this.deps.audit.record({ at: new Date().toISOString(), tenantId, actor: requester.aadObjectId, action: 'request.notCreated', subject: id, details: { reason: (err as Error).name } }).catch(() => undefined);
      // Another instance stored the same key first: that one is the request.
      if (err instanceof ConflictError) {
        const first = await this.deps.requests.get(id);
        if (first) return { record: first, created: false };
      }
      throw err;
    }
    await audited;
    return { record, created: true };
  }

  /** One request of the tenant, or undefined. */
  async get(tenantId: string, id: string): Promise<RequestRecord | undefined> {
    const r = await this.deps.requests.get(id);
    return r && sameId(r.tenantId, tenantId) ? r : undefined;
  }

  /** Help desk: take the request. Refused when someone else has it (the loser learns who). */
  claim(tenantId: string, actor: Person | undefined, id: string, now: Date): Promise<ActionOutcome> {
    return this.change(tenantId, actor, id, now, 'request.claimed', (cur, me) => {
      if (!isOpen(cur)) throw new Refusal('refused', { key: 'requests.refused.finished', vars: { key: cur.key } }, cur);
      if (cur.assignee && sameId(cur.assignee.aadObjectId, me.aadObjectId)) throw new Refusal('unchanged', { key: 'requests.notice.alreadyYours', vars: { key: cur.key } }, cur);
      if (cur.assignee) throw new Refusal('refused', { key: 'requests.refused.claimedBy', vars: { key: cur.key, name: cur.assignee.name } }, cur);
      return { ...cur, assignee: me, changedAt: { ...cur.changedAt, assignee: cur.version + 1 } };
    }, (r) => ({ assignee: r.assignee?.aadObjectId ?? null }));
  }

  /** Help desk: give the request to a help desk member; refused when the card's assignee is stale. */
  assign(tenantId: string, actor: Person | undefined, id: string, targetId: string, shownVersion: number, now: Date): Promise<ActionOutcome> {
    return this.withHelpDesk(tenantId, actor, id, async (me) => {
      const members = await this.deps.helpDeskMembers();
      const target = members.find((m) => sameId(m.aadObjectId, targetId));
      if (!target) {
        const cur = await this.get(tenantId, id);
        return cur ? { kind: 'invalid', record: cur, reason: { key: 'requests.invalid.assigneeNotHelpDesk' } } : this.missing(tenantId, id);
      }
      const to = personRef(target);
      return this.change(tenantId, actor, id, now, 'request.assigned', (cur) => {
        if (!isOpen(cur)) throw new Refusal('refused', { key: 'requests.refused.finished', vars: { key: cur.key } }, cur);
        if (cur.assignee && sameId(cur.assignee.aadObjectId, to.aadObjectId)) throw new Refusal('unchanged', { key: 'requests.notice.alreadyAssigned', vars: { key: cur.key, name: to.name } }, cur);
        if (cur.changedAt.assignee > shownVersion) {
          throw new Refusal('refused', { key: cur.assignee ? 'requests.refused.assigneeChanged' : 'requests.refused.assigneeChangedNobody', vars: { key: cur.key, name: cur.assignee?.name ?? '' } }, cur);
        }
        return { ...cur, assignee: to, changedAt: { ...cur.changedAt, assignee: cur.version + 1 } };
      }, (r) => ({ assignee: r.assignee?.aadObjectId ?? null, by: me.aadObjectId }));
    });
  }

  /** Help desk: move the request to a status; "Submitted to Microsoft" needs the case number and counts the incident once. */
  async setStatus(tenantId: string, actor: Person | undefined, id: string, status: string, caseNumberInput: string | undefined, shownVersion: number, now: Date): Promise<ActionOutcome> {
    // An archived request cannot come back: reopening one is refused with its own words.
    const archivedReason = status === 'reopened' ? 'requests.archived.reopen' : undefined;
    const outcome = await this.withHelpDesk(tenantId, actor, id, async () => {
      const cur = await this.get(tenantId, id);
      if (!cur) return this.missing(tenantId, id, archivedReason);
      if (!(HELP_DESK_STATUSES as readonly string[]).includes(status)) return { kind: 'invalid', record: cur, reason: { key: 'requests.invalid.status' } };
      const to = status as HelpDeskStatus;
      const caseNumber = (caseNumberInput ?? '').trim();
      if (to === 'submitted' && !caseNumber) return { kind: 'invalid', record: cur, reason: { key: 'requests.invalid.caseNumberRequired' } };
      if (caseNumber && !CASE_NUMBER.test(caseNumber)) return { kind: 'invalid', record: cur, reason: { key: 'requests.invalid.caseNumber' } };
      return this.change(tenantId, actor, id, now, 'request.statusChanged', (c) => {
        const newCase = to === 'submitted' ? caseNumber : c.microsoftCaseNumber;
        if (c.status === to && newCase === c.microsoftCaseNumber) throw new Refusal('unchanged', { key: 'requests.notice.sameStatus', vars: { key: c.key } }, c);
        if (c.changedAt.status > shownVersion && c.status !== to) {
          throw new Refusal('refused', { key: 'requests.refused.statusChanged', vars: { key: c.key, status: c.status } }, c);
        }
        if (c.status !== to && !canMoveTo(c.status, to)) throw new Refusal('invalid', { key: 'requests.invalid.transition', vars: { from: c.status, to } }, c);
        return { ...c, status: to, microsoftCaseNumber: newCase, changedAt: { ...c.changedAt, status: c.version + 1 } };
      }, (r, before) => ({ from: before.status, to: r.status, caseNumber: r.microsoftCaseNumber ?? null }));
    }, archivedReason);
    if (outcome.kind === 'changed' && outcome.record.status === 'submitted') {
      const counted = await this.countIncident(outcome.record, actor, now);
      if (counted) return { ...outcome, record: counted };
    }
    return outcome;
  }

  /** Help desk: add a note, optionally shown to the requester. */
  addNote(tenantId: string, actor: Person | undefined, id: string, text: string | undefined, visibleToRequester: boolean, now: Date): Promise<ActionOutcome> {
    const note = cleanUserText(text);
    const len = [...note].length;
    return this.withHelpDesk(tenantId, actor, id, async (me) => {
      if (len < LIMITS.note.min || len > LIMITS.note.max) {
        const cur = await this.get(tenantId, id);
        return cur ? { kind: 'invalid', record: cur, reason: { key: 'requests.invalid.noteLength', vars: LIMITS.note } } : this.missing(tenantId, id);
      }
      return this.change(tenantId, actor, id, now, 'request.noteAdded', (cur) => ({
        ...cur,
        notes: [...cur.notes, { id: randomUUID(), at: now.toISOString(), by: me, text: note, visibleToRequester }],
      }), () => ({ visibleToRequester, length: len }));
    });
  }

  /** The requester withdraws their own open request. */
  async withdraw(tenantId: string, requesterId: string, id: string, now: Date): Promise<ActionOutcome> {
    const cur = await this.get(tenantId, id);
    if (!cur) return this.missing(tenantId, id);
    if (!sameId(cur.requester.aadObjectId, requesterId)) return { kind: 'forbidden' };
    return this.mutate(tenantId, id, now, requesterId, 'request.withdrawn', (c) => {
      if (!isOpen(c)) throw new Refusal('refused', { key: 'requests.refused.finished', vars: { key: c.key } }, c);
      return { ...c, status: 'withdrawn', changedAt: { ...c.changedAt, status: c.version + 1 } };
    }, (r, before) => ({ from: before.status }));
  }

  /** E3/E4: decrements the contract's incidents once per request (src/ids recordIncidentUsed); returns the updated request when it counted now. */
  async countIncident(record: RequestRecord, actor: Person | undefined, now: Date): Promise<RequestRecord | undefined> {
    const kind = incidentKind(record.decision);
    if (!kind || record.incident) return undefined;
    const use = await recordIncidentUsed(this.deps.benefits, record.tenantId, record.id, kind, now);
    if (!use.counted) return undefined;
    await this.deps.audit.record({
      at: now.toISOString(),
      tenantId: record.tenantId,
      actor: actor?.aadObjectId,
      action: 'request.incidentCounted',
      subject: record.id,
      details: { key: record.key, kind, remaining: use.remaining ?? null, caseNumber: record.microsoftCaseNumber ?? null },
    });
    return this.deps.requests.mutate(record.id, (cur) => (cur.incident ? undefined : { ...cur, incident: { at: now.toISOString(), kind, remainingAfter: use.remaining } }));
  }

  /** Open requests of the tenant, filtered, most severe then oldest first, one page of 10. */
  async queue(tenantId: string, filter: QueueFilter, me: string, now: Date, page = 1): Promise<QueuePage> {
    const cutoff = filter.olderThanDays !== undefined ? now.getTime() - filter.olderThanDays * 24 * 3600 * 1000 : undefined;
    const items = await this.deps.requests.list(
      (r) =>
        sameId(r.tenantId, tenantId) &&
        isOpen(r) &&
        (!filter.unassigned || !r.assignee) &&
        (!filter.mine || sameId(r.assignee?.aadObjectId, me)) &&
        (cutoff === undefined || Date.parse(r.createdAt) <= cutoff) &&
        (!filter.severity || r.severity === filter.severity),
    );
    items.sort((a, b) => a.severity.localeCompare(b.severity) || a.createdAt.localeCompare(b.createdAt) || a.number - b.number);
    const pages = Math.max(1, Math.ceil(items.length / QUEUE_PAGE_SIZE));
    const p = Math.min(Math.max(1, Math.floor(page)), pages);
    return { items: items.slice((p - 1) * QUEUE_PAGE_SIZE, p * QUEUE_PAGE_SIZE), total: items.length, page: p, pages };
  }

  /** Open requests untouched for their severity's number of business days, with the period not yet reminded. */
  async dueReminders(now: Date, days: { sevA: number; other: number }): Promise<{ record: RequestRecord; period: string; businessDays: number }[]> {
    const out: { record: RequestRecord; period: string; businessDays: number }[] = [];
    for (const r of await this.deps.requests.list(isOpen)) {
      const limit = r.severity === 'A' ? days.sevA : days.other;
      const elapsed = businessDaysBetween(new Date(r.touchedAt), now);
      if (limit <= 0 || elapsed < limit) continue;
      const period = `${r.touchedAt}#${Math.floor(elapsed / limit)}`;
      if (r.lastReminder !== period) out.push({ record: r, period, businessDays: elapsed });
    }
    return out;
  }

  /** Marks a reminder period as sent; false when another run marked it first (then do not send). */
  async markReminded(id: string, period: string): Promise<boolean> {
    let marked = false;
    await this.deps.requests.mutate(id, (cur) => {
      marked = false;
      if (cur.lastReminder === period || !isOpen(cur)) return undefined;
      marked = true;
      return { ...cur, lastReminder: period };
    });
    return marked;
  }

  /** Records where the triage card was posted (first post wins). */
  markPosted(id: string, post: { conversationId: string; activityId: string }): Promise<RequestRecord> {
    return this.deps.requests.mutate(id, (cur) => (cur.channelPost ? undefined : { ...cur, channelPost: post }));
  }

  /** Open requests of the tenant that were never posted to a channel, oldest first. */
  async unposted(tenantId: string, limit: number): Promise<RequestRecord[]> {
    const items = await this.deps.requests.list((r) => sameId(r.tenantId, tenantId) && isOpen(r) && !r.channelPost);
    return items.sort((a, b) => a.number - b.number).slice(0, limit);
  }

  /**
   * Moves finished requests (resolved, closed, withdrawn) whose last change is at least `days` days before `now`
   * out of the hot set into monthly history (period = month of the last change). The index is written first: a
   * crash between the two leaves an index entry for a request still in the hot set, which is harmless (the hot
   * set is always asked first) and completed by the next run. Run it through runRequestArchive (one at a time).
   */
  async archiveFinished(now: Date, days: number): Promise<ArchiveRun> {
    const index = this.deps.archived;
    if (!index) return { archived: 0, periods: [], tenants: {} };
    const cutoff = now.getTime() - days * 24 * 3600 * 1000;
    const due = (r: RequestRecord) => !isOpen(r) && Date.parse(lastChangeOf(r)) <= cutoff;
    const periodOf = new Map<string, string>();
    const shards = new Map<string, Map<string, Record<string, [string, string]>>>();
    for (const r of await this.deps.requests.list(due)) {
      const shard = archiveShardOf(r.id);
      if (!shard) continue; // not a request this service made: leave it where it is
      const period = lastChangeOf(r).slice(0, 7);
      const tenant = r.tenantId.toLowerCase();
      const byTenant = shards.get(shard) ?? new Map<string, Record<string, [string, string]>>();
      shards.set(shard, byTenant);
      const entries = byTenant.get(tenant) ?? {};
      byTenant.set(tenant, entries);
      entries[r.id] = [period, r.key];
      periodOf.set(r.id, period);
    }
    if (periodOf.size === 0) return { archived: 0, periods: [], tenants: {} };
    // All shards at once: on the file store their writes share one group commit.
    await Promise.all(
      [...shards].map(([shard, byTenant]) =>
        index.upsert(shard, (cur) => {
          const tenants = { ...(cur?.tenants ?? {}) };
          for (const [tenant, entries] of byTenant) tenants[tenant] = { ...(tenants[tenant] ?? {}), ...entries };
          return { ...(cur ?? { id: shard }), tenants };
        }),
      ),
    );
    // Only what was indexed, and only if still due (a request reopened meanwhile stays).
    const tenants: Record<string, number> = {};
    const archived = await this.deps.requests.archive((r) => {
      const period = due(r) ? periodOf.get(r.id) : undefined;
      if (period) tenants[r.tenantId.toLowerCase()] = (tenants[r.tenantId.toLowerCase()] ?? 0) + 1;
      return period;
    });
    return { archived, periods: [...new Set(periodOf.values())].sort(), tenants };
  }

  /** The key of an archived request of the tenant (undefined when it is not in history). */
  async archivedKey(tenantId: string, id: string): Promise<string | undefined> {
    return (await this.archivedEntry(tenantId, id))?.key;
  }

  /** Where an archived request of the tenant went, from the index. */
  private async archivedEntry(tenantId: string, id: string): Promise<{ period: string; key: string } | undefined> {
    const shard = archiveShardOf(id);
    if (!this.deps.archived || !shard) return undefined;
    const entries = (await this.deps.archived.get(shard))?.tenants[tenantId.toLowerCase()];
    const entry = entries && Object.hasOwn(entries, id) ? entries[id] : undefined;
    return entry ? { period: entry[0], key: entry[1] } : undefined;
  }

  /** An archived request read back from history (rare: a form submitted again after its request was archived). */
  private async archivedRecord(tenantId: string, id: string): Promise<RequestRecord | undefined> {
    const entry = await this.archivedEntry(tenantId, id);
    if (!entry) return undefined;
    return (await this.deps.requests.listArchived(entry.period)).find((x) => x.id === id && sameId(x.tenantId, tenantId));
  }

  /** The outcome for a request the hot set does not have: archived (with why nothing can change) or not found. */
  private async missing(tenantId: string, id: string, reasonKey = 'requests.archived.action'): Promise<ActionOutcome> {
    const key = await this.archivedKey(tenantId, id);
    return key ? { kind: 'archived', key, reason: { key: reasonKey, vars: { key } } } : { kind: 'notFound' };
  }

  /** The help desk settings of a tenant. */
  settings(tenantId: string): Promise<RequestSettings | undefined> {
    return this.deps.settings.get(tenantId.toLowerCase());
  }

  /** Makes a channel the help desk channel (replacing any earlier one). */
  async setChannel(tenantId: string, channel: NonNullable<RequestSettings['helpDeskChannel']>, now: Date): Promise<{ previous?: string }> {
    let previous: string | undefined;
    await this.deps.settings.upsert(tenantId.toLowerCase(), (cur) => {
      previous = cur?.helpDeskChannel?.conversationId;
      return { ...(cur ?? { id: tenantId.toLowerCase() }), helpDeskChannel: channel };
    });
    await this.deps.audit.record({
      at: now.toISOString(),
      tenantId,
      actor: channel.setBy.aadObjectId,
      action: 'request.helpDeskChannelSet',
      subject: channel.conversationId,
      details: { previous: previous ?? null, channelName: channel.channelName ?? null, teamName: channel.teamName ?? null },
    });
    return { previous };
  }

  /** True exactly once per tenant while no channel is set: the caller then tells the admins. */
  async claimAdminNotice(tenantId: string, now: Date): Promise<boolean> {
    let claimed = false;
    await this.deps.settings.upsert(tenantId.toLowerCase(), (cur) => {
      claimed = false;
      if (cur?.helpDeskChannel || cur?.adminsToldNoChannelAt) return undefined;
      claimed = true;
      return { ...(cur ?? { id: tenantId.toLowerCase() }), adminsToldNoChannelAt: now.toISOString() };
    });
    return claimed;
  }

  /** Runs `op` for a help desk member of the tenant; everyone else is refused before anything is read or written. */
  private async withHelpDesk(
    tenantId: string,
    actor: Person | undefined,
    id: string,
    op: (me: PersonRef) => Promise<ActionOutcome>,
    archivedReason?: string,
  ): Promise<ActionOutcome> {
    if (!actor || !isHelpDesk(actor)) return { kind: 'forbidden' };
    if (!(await this.get(tenantId, id))) return this.missing(tenantId, id, archivedReason);
    return op(personRef(actor));
  }

  /** A help desk change: membership check, then compare-and-set on the re-read record. */
  private change(
    tenantId: string,
    actor: Person | undefined,
    id: string,
    now: Date,
    action: string,
    fn: (cur: RequestRecord, me: PersonRef) => RequestRecord,
    details: (after: RequestRecord, before: RequestRecord) => Record<string, string | number | boolean | null>,
  ): Promise<ActionOutcome> {
    if (!actor || !isHelpDesk(actor)) return Promise.resolve({ kind: 'forbidden' });
    const me = personRef(actor);
    return this.mutate(tenantId, id, now, me.aadObjectId, action, (cur) => fn(cur, me), details);
  }

  private async mutate(
    tenantId: string,
    id: string,
    now: Date,
    actorId: string,
    action: string,
    fn: (cur: RequestRecord) => RequestRecord,
    details: (after: RequestRecord, before: RequestRecord) => Record<string, string | number | boolean | null>,
  ): Promise<ActionOutcome> {
    let before: RequestRecord | undefined;
    let after: RequestRecord;
    try {
      after = await this.deps.requests.mutate(id, (cur) => {
        if (!sameId(cur.tenantId, tenantId)) throw new Refusal('notFound', { key: 'requests.error.notFound' });
        before = cur;
        const at = now.toISOString();
        return { ...fn(cur), touchedAt: at, updatedAt: at };
      });
    } catch (err) {
      if (err instanceof Refusal) {
        if (err.outcome === 'notFound' || !err.record) return { kind: 'notFound' };
        return { kind: err.outcome, record: err.record, reason: err.reason };
      }
      if (err instanceof NotFoundError) return this.missing(tenantId, id); // archived while we looked
      throw err;
    }
    const prior = before as RequestRecord;
    await this.deps.audit.record({ at: now.toISOString(), tenantId, actor: actorId, action, subject: id, details: { key: after.key, version: after.version, ...details(after, prior) } });
    return { kind: 'changed', record: after, before: prior };
  }
}

function labels(c: readonly Candidate[]): string {
  return c.map((x) => x.label).join(', ');
}

/** The audit event of a new request. */
function createdEvent(r: Omit<RequestRecord, 'version'>, at: string): Omit<AuditEvent, 'at'> & { at: string } {
  return {
    at,
    tenantId: r.tenantId,
    actor: r.requester.aadObjectId,
    action: 'request.created',
    subject: r.id,
    details: {
      key: r.key,
      product: r.product.label,
      severity: r.severity,
      forCustomer: r.forCustomer,
      customerTenantId: r.customer?.tenantId ?? null,
      benefit: r.decision.benefit,
      covered: r.decision.covered,
      portal: r.decision.portal,
      incidentsConsumed: r.decision.incidentsConsumed,
      reasons: r.decision.reasons.join(','),
    },
  };
}
