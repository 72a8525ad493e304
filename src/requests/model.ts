/** Records of the requests capability: support requests and the help desk settings of a tenant. */
import type { Benefit, PaidAlternativeKey, Portal, ReasonKey, RuleId, StepKey } from '../domain/eligibility.js';
import type { LinkName } from '../domain/links.js';
import type { Allowance } from '../domain/policy.js';
import type { Lang } from '../i18n/i18n.js';
import type { Versioned } from '../storage/collection.js';

/** Every status a request can have; `withdrawn` is set only by the requester. */
export const REQUEST_STATUSES = ['new', 'triaged', 'waitingOnRequester', 'submitted', 'resolved', 'closed', 'reopened', 'withdrawn'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** The statuses the help desk chooses from on the triage card. */
export const HELP_DESK_STATUSES = ['new', 'triaged', 'waitingOnRequester', 'submitted', 'resolved', 'closed', 'reopened'] as const satisfies readonly RequestStatus[];
export type HelpDeskStatus = (typeof HELP_DESK_STATUSES)[number];

/** A request in one of these is finished: not in the queue, no reminders, only "Reopened" moves it. */
export const FINISHED_STATUSES: ReadonlySet<RequestStatus> = new Set<RequestStatus>(['resolved', 'closed', 'withdrawn']);

/** A: critical, business stopped; B: moderate; C: minimal. */
export const SEVERITIES = ['A', 'B', 'C'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface PersonRef {
  aadObjectId: string;
  name: string;
}

export interface RequestNote {
  id: string;
  at: string;
  by: PersonRef;
  /** User-written: rendered in TextRuns only. */
  text: string;
  visibleToRequester: boolean;
}

/** What the eligibility engine decided when the request was opened (kept as it was: the route the requester saw). */
export interface DecisionSnapshot {
  benefit: Benefit;
  benefitName?: string;
  covered: boolean;
  reasons: RuleId[];
  reasonKeys: ReasonKey[];
  allowance?: Allowance;
  incidentsConsumed: number;
  incidentsRemaining?: number;
  portal: Portal;
  steps: { key: StepKey; link?: LinkName }[];
  idsNeededFirst: boolean;
  cspPlanAvailable: boolean;
  paidAlternatives: PaidAlternativeKey[];
  mentionTpd: boolean;
}

export interface RequestRecord extends Versioned {
  tenantId: string;
  /** Per-organisation sequence number (1, 2, …). */
  number: number;
  /** Human-readable number, e.g. PSA-0001. */
  key: string;
  requester: PersonRef;
  /** The requester's language when opening (their notifications use it). */
  lang: Lang;
  createdAt: string;
  /** Last change made by a person (status, assignee, note, withdraw): the ageing clock. */
  touchedAt: string;
  updatedAt: string;
  product: { familyId: string; versionId?: string; label: string };
  forCustomer: boolean;
  /** User-written customer name and the customer's tenant id (R3/R4), for customer requests. */
  customer?: { name: string; tenantId: string };
  severity: Severity;
  /** User-written. */
  title: string;
  /** User-written. */
  description: string;
  decision: DecisionSnapshot;
  status: RequestStatus;
  assignee?: PersonRef;
  microsoftCaseNumber?: string;
  notes: RequestNote[];
  /** Record version at which the status / the assignee last changed: a card showing an older version is stale for that field. */
  changedAt: { status: number; assignee: number };
  /** Where the triage card was posted (updated in place after every change). */
  channelPost?: { conversationId: string; activityId: string };
  /** Set once the contract's incident count was decremented for this request (E3/E4). */
  incident?: { at: string; kind: 'onPremises' | 'cloud'; remainingAfter?: number };
  /** The ageing period already reminded about ("<touchedAt>#<n>"). */
  lastReminder?: string;
}

/** Help desk settings of one tenant (record id = tenant id). */
export interface RequestSettings extends Versioned {
  helpDeskChannel?: {
    conversationId: string;
    /** Channel and team names as Teams reported them (display only). */
    channelName?: string;
    teamName?: string;
    /** Language of the channel's cards (of the person who set it). */
    lang: Lang;
    setBy: PersonRef;
    setAt: string;
  };
  /** When admins were told that no help desk channel is set (told once). */
  adminsToldNoChannelAt?: string;
}

/** The human-readable request number. */
export function requestKey(n: number): string {
  return `PSA-${String(n).padStart(4, '0')}`;
}

/** True when the request is still open (in the queue). */
export function isOpen(r: Pick<RequestRecord, 'status'>): boolean {
  return !FINISHED_STATUSES.has(r.status);
}

/**
 * Which requests were moved to history. Archived records leave the hot set, so a card action on one finds nothing
 * there; this index tells "archived" from "unknown" without opening history files. One record per shard (the first
 * two hex digits of the request id, see archiveShardOf): a lookup reads one small record on either backend.
 * tenant id (lower case) → request id → [period, request key].
 */
export interface ArchivedRequestsIndex extends Versioned {
  tenants: Record<string, Record<string, [period: string, key: string]>>;
}

/** The index shard of a request id ("r-3fa0…" → "3f"); undefined for an id this capability never makes. */
export function archiveShardOf(requestId: string): string | undefined {
  return /^r-([0-9a-f]{2})[0-9a-f]{30}$/.exec(requestId)?.[1];
}

/** When a request last changed (the archive clock and its period). */
export function lastChangeOf(r: Pick<RequestRecord, 'createdAt' | 'touchedAt' | 'updatedAt'>): string {
  return [r.createdAt, r.touchedAt, r.updatedAt].reduce((a, b) => (b && b > a ? b : a), '');
}
