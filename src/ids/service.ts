/**
 * Access ID and Contract ID rules (R2, A4, A5, O3, O6, O7, C2, C5) over plain data: who may see the IDs, how they
 * are masked, which portals need them, contract warnings, the incident counter and the admin's contract form.
 * No botbuilder here.
 */
import type { BenefitsRecord, BenefitsStore } from '../benefits/benefits-store.js';
import type { LinkName } from '../domain/links.js';
import { canActivate, canViewIds, type BenefitsState, type Person } from '../domain/org.js';

// ---------------------------------------------------------------------------------------------------------------
// Who may see the IDs (R2).

/** Why someone may not see the IDs; each reason has its own explanation. */
export type RefusalReason = 'otherTenant' | 'unknown' | 'cspOnly' | 'notMpnAssociated';

export type IdsAccess = { allowed: true; person: Person } | { allowed: false; reason: RefusalReason };

const sameId = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * R2: only an MPN-associated person of the organisation's own tenant. `person` is the directory entry of the actor
 * (undefined for unknown people and guests, who are not in the organisation's directory).
 */
export function idsAccess(actorTenantId: string, orgTenantId: string, person: Person | undefined): IdsAccess {
  if (!actorTenantId || !sameId(actorTenantId, orgTenantId)) return { allowed: false, reason: 'otherTenant' };
  if (!person) return { allowed: false, reason: 'unknown' };
  if (canViewIds(person)) return { allowed: true, person };
  return { allowed: false, reason: person.cspAssociated ? 'cspOnly' : 'notMpnAssociated' };
}

/** Who may change the contract figures: the R1 admins (MPN-associated Global Admin or MPN Partner Admin). */
export function canEditContract(person: Person | undefined): boolean {
  return canActivate(person);
}

/** The organisation's people who are told about contract warnings: Global Admins and MPN Partner Admins. */
export function isContractAdmin(person: Person): boolean {
  return person.roles.includes('globalAdmin') || person.roles.includes('mpnPartnerAdmin');
}

// ---------------------------------------------------------------------------------------------------------------
// Masking.

export const MASK_CHAR = '•';
/** Shorter values are masked completely: showing 4 characters of 7 would give most of it away. */
const MASK_SHOW_MIN_LENGTH = 10;

/** "SA••••••••••••••9Q": the first two and last two characters, the rest hidden (all hidden for short values). */
export function maskId(value: string): string {
  const chars = [...value];
  if (chars.length < MASK_SHOW_MIN_LENGTH) return MASK_CHAR.repeat(Math.max(chars.length, 4));
  return `${chars.slice(0, 2).join('')}${MASK_CHAR.repeat(chars.length - 4)}${chars.slice(-2).join('')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// First-time association (A5, C2, C5, O7).

export const PORTALS = ['supportForBusiness', 'azure', 'dynamics365', 'powerPlatform'] as const;
export type Portal = (typeof PORTALS)[number];

/** Each portal where the pair is entered once per account: the i18n step keys (ids.portal.<id>.steps.<n>) and its link. */
export const PORTAL_GUIDES: Readonly<Record<Portal, { steps: number; link: LinkName }>> = {
  supportForBusiness: { steps: 4, link: 'supportForBusiness' },
  azure: { steps: 3, link: 'azurePortalSupport' },
  dynamics365: { steps: 3, link: 'dynamicsAdmin' },
  powerPlatform: { steps: 3, link: 'powerPlatformAdmin' },
};

/** When `aadObjectId` marked the contract as associated in each portal (ISO timestamps). */
export function associationsOf(record: Pick<BenefitsRecord, 'associations'> | undefined, aadObjectId: string): Partial<Record<Portal, string>> {
  const out: Partial<Record<Portal, string>> = {};
  for (const a of record?.associations ?? []) {
    if (sameId(a.aadObjectId, aadObjectId) && (PORTALS as readonly string[]).includes(a.portal)) out[a.portal as Portal] = a.at;
  }
  return out;
}

/**
 * The record after `aadObjectId` said "I have associated it in <portal>": one association per person and portal,
 * and the person joins `associatedAccounts` (what the diagnosis of "already associated" reads). Undefined = no change.
 */
export function withAssociation(cur: BenefitsRecord, aadObjectId: string, portal: Portal, now: Date): BenefitsRecord | undefined {
  if (!cur.activated) return undefined;
  const known = cur.associations.some((a) => sameId(a.aadObjectId, aadObjectId) && a.portal === portal);
  const listed = cur.associatedAccounts.some((id) => sameId(id, aadObjectId));
  if (known && listed) return undefined;
  return {
    ...cur,
    associations: known ? cur.associations : [...cur.associations, { aadObjectId, portal, at: now.toISOString() }],
    associatedAccounts: listed ? cur.associatedAccounts : [...cur.associatedAccounts, aadObjectId],
  };
}

/** Records the association (compare-and-set); `added` is false when it was already recorded. */
export async function recordAssociation(benefits: BenefitsStore, tenantId: string, aadObjectId: string, portal: Portal, now: Date): Promise<{ added: boolean; record: BenefitsRecord }> {
  let added = false;
  const record = await benefits.mutate(tenantId, now, (cur) => {
    const next = withAssociation(cur, aadObjectId, portal, now);
    added = next !== undefined;
    return next;
  });
  return { added, record };
}

// ---------------------------------------------------------------------------------------------------------------
// Contract tracking (O3, O6) and warnings.

export type Benefit = 'onPremises' | 'cloud';
export const LOW_INCIDENTS = 2;
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/** yyyy-mm-dd of an instant (UTC). */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (yyyy-mm-dd each); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export type ContractWarning =
  | { kind: 'expired'; key: string; endDate: string }
  | { kind: 'expiresSoon'; key: string; endDate: string; days: number }
  | { kind: 'noIncidents'; key: string; benefit: Benefit }
  | { kind: 'lowIncidents'; key: string; benefit: Benefit; remaining: number };

type ContractFigures = Pick<BenefitsState, 'activated' | 'endDate' | 'onPremisesIncidentsRemaining' | 'cloudIncidentsRemaining'>;

/**
 * O3: the contract is usable until it expires or has no incidents left. Warns when it expired, ends within 30 days,
 * or a counted benefit has 2 incidents or fewer. Each warning's key names the contract (its end date), so a new
 * contract warns again.
 */
export function contractWarnings(state: ContractFigures | undefined, today: string): ContractWarning[] {
  if (!state?.activated) return [];
  const out: ContractWarning[] = [];
  const contract = state.endDate ?? 'open';
  if (state.endDate) {
    const days = daysBetween(today, state.endDate);
    if (days < 0) out.push({ kind: 'expired', key: `expired:${contract}`, endDate: state.endDate });
    else if (days <= EXPIRY_WARNING_DAYS) out.push({ kind: 'expiresSoon', key: `expiresSoon:${contract}`, endDate: state.endDate, days });
  }
  const counts: [Benefit, number | undefined][] = [
    ['onPremises', state.onPremisesIncidentsRemaining],
    ['cloud', state.cloudIncidentsRemaining],
  ];
  for (const [benefit, remaining] of counts) {
    if (remaining === undefined) continue;
    if (remaining <= 0) out.push({ kind: 'noIncidents', key: `noIncidents:${benefit}:${contract}`, benefit });
    else if (remaining <= LOW_INCIDENTS) out.push({ kind: 'lowIncidents', key: `lowIncidents:${benefit}:${contract}`, benefit, remaining });
  }
  return out;
}

/**
 * Warnings still to send, and the `warningsSent` list to keep: keys of warnings that no longer hold are dropped, so a
 * condition that clears (an admin adds incidents) and comes back later warns again.
 */
export function warningsToSend(record: Pick<BenefitsRecord, 'warningsSent'> & ContractFigures, today: string): { due: ContractWarning[]; keep: string[] } {
  const active = contractWarnings(record, today);
  const sent = new Set(record.warningsSent ?? []);
  const activeKeys = new Set(active.map((w) => w.key));
  return { due: active.filter((w) => !sent.has(w.key)), keep: [...sent].filter((k) => activeKeys.has(k)) };
}

/** The outcome of recording a used incident. */
export interface IncidentUse {
  /** False when the request had been counted already (nothing changed). */
  counted: boolean;
  /** Incidents left on that benefit afterwards (undefined when the benefit is not counted, e.g. unlimited cloud). */
  remaining: number | undefined;
}

export const REQUEST_ID_MAX = 100;

/**
 * Counts one incident of `benefit` for the support request `requestId`, exactly once per request id (kept in
 * `countedRequests`), never below zero; a benefit without a counter (unlimited) only remembers the request. Nothing
 * is counted before activation (E2).
 * Called by the help desk when a request is submitted to Microsoft.
 */
export async function recordIncidentUsed(benefits: BenefitsStore, tenantId: string, requestId: string, benefit: Benefit, now: Date): Promise<IncidentUse> {
  const id = requestId.trim();
  if (!id || id.length > REQUEST_ID_MAX) throw new Error('recordIncidentUsed: a request id of 1 to 100 characters is needed');
  const field = benefit === 'onPremises' ? 'onPremisesIncidentsRemaining' : 'cloudIncidentsRemaining';
  let counted = false;
  const record = await benefits.mutate(tenantId, now, (cur) => {
    counted = false;
    if (!cur.activated || (cur.countedRequests ?? []).includes(id)) return undefined;
    counted = true;
    const remaining = cur[field];
    return {
      ...cur,
      [field]: remaining === undefined ? undefined : Math.max(0, remaining - 1),
      countedRequests: [...(cur.countedRequests ?? []), id],
      updatedAt: now.toISOString(),
    };
  });
  return { counted, remaining: record[field] };
}

// ---------------------------------------------------------------------------------------------------------------
// The admin's contract form.

export type ContractEditField = 'startDate' | 'endDate' | 'onPremises' | 'cloud';
export type ContractEditInput = Partial<Record<ContractEditField, string | number>>;
export type ContractEditEcho = Record<ContractEditField, string>;

export interface ContractEdit {
  startDate: string;
  endDate: string;
  onPremisesIncidentsRemaining: number;
  /** Undefined: the cloud benefit is not counted (unlimited for cloud competencies). */
  cloudIncidentsRemaining: number | undefined;
}

export interface EditError {
  field: ContractEditField;
  /** i18n key. */
  key: string;
  vars?: Record<string, string | number>;
}

export type EditValidation = { ok: true; value: ContractEdit; echo: ContractEditEcho } | { ok: false; errors: EditError[]; echo: ContractEditEcho };

export const INCIDENTS_MAX = 999;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const COUNT = /^\d{1,4}$/;
const ECHO_MAX = 40;

/** A real calendar date yyyy-mm-dd between 2000 and 2100. */
export function isCalendarDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || isoDay(d) !== s) return false;
  return d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2100;
}

/** Checks the form: real dates with the end after the start; incidents whole numbers 0–999 (cloud may be empty). */
export function validateContractEdit(input: ContractEditInput): EditValidation {
  const text = (v: string | number | undefined) => [...String(v ?? '').trim()].slice(0, ECHO_MAX).join('');
  const echo: ContractEditEcho = { startDate: text(input.startDate), endDate: text(input.endDate), onPremises: text(input.onPremises), cloud: text(input.cloud) };
  const errors: EditError[] = [];
  for (const f of ['startDate', 'endDate'] as const) {
    if (!echo[f]) errors.push({ field: f, key: 'ids.form.error.required' });
    else if (!isCalendarDate(echo[f])) errors.push({ field: f, key: 'ids.form.error.date' });
  }
  if (isCalendarDate(echo.startDate) && isCalendarDate(echo.endDate) && echo.endDate <= echo.startDate) errors.push({ field: 'endDate', key: 'ids.form.error.endBeforeStart' });
  const count = (f: 'onPremises' | 'cloud', required: boolean): number | undefined => {
    const v = echo[f];
    if (!v) {
      if (required) errors.push({ field: f, key: 'ids.form.error.required' });
      return undefined;
    }
    if (!COUNT.test(v) || Number(v) > INCIDENTS_MAX) {
      errors.push({ field: f, key: 'ids.form.error.count', vars: { max: INCIDENTS_MAX } });
      return undefined;
    }
    return Number(v);
  };
  const onPremises = count('onPremises', true);
  const cloud = count('cloud', false);
  if (errors.length || onPremises === undefined) return { ok: false, errors, echo };
  return { ok: true, echo, value: { startDate: echo.startDate, endDate: echo.endDate, onPremisesIncidentsRemaining: onPremises, cloudIncidentsRemaining: cloud } };
}

/** The stored contract changed after the form was opened (someone else saved, or an incident was counted). */
export class ContractChangedError extends Error {
  constructor(readonly current: BenefitsRecord) {
    super('benefits record changed since the form was opened');
    this.name = 'ContractChangedError';
  }
}

/** The benefits are not activated: there is no contract to edit (E2). */
export class NotActivatedError extends Error {
  constructor() {
    super('benefits are not activated');
    this.name = 'NotActivatedError';
  }
}

/** Saves the admin's figures if the record is still at `expectedVersion`; returns the record and what changed. */
export async function saveContractEdit(benefits: BenefitsStore, tenantId: string, edit: ContractEdit, expectedVersion: number, by: string, now: Date): Promise<{ record: BenefitsRecord; changed: string[] }> {
  let changed: string[] = [];
  const record = await benefits.mutate(tenantId, now, (cur) => {
    if (!cur.activated) throw new NotActivatedError();
    if (cur.version !== expectedVersion) throw new ContractChangedError(cur);
    changed = (Object.keys(edit) as (keyof ContractEdit)[]).filter((k) => cur[k] !== edit[k]);
    if (!changed.length) return undefined;
    return { ...cur, ...edit, updatedAt: now.toISOString(), updatedBy: by };
  });
  return { record, changed };
}

/** "2026-11-25 10:36 UTC" for a stored ISO timestamp ('' when missing or unreadable). */
export function formatTimestamp(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${isoDay(d)} ${d.toISOString().slice(11, 16)} UTC`;
}
