/** Typed data of the request templates (cards/requests.*.json). User-written text only ever lands in TextRuns. */
import { defineCard } from '../cards/render.js';
import type { Fact } from '../cards/common.js';
/** Facts here hold our own text or escaped text (never raw user markdown). */
export type { Fact };

export interface Choice {
  title: string;
  value: string;
}

export interface RequestFormCardData {
  title: string;
  intro: string;
  /** Random id of this form: submitting it twice opens one request. */
  formId: string;
  /** Error summary at the top, '' for none. */
  notice: string;
  labels: {
    product: string;
    productPlaceholder: string;
    productPick: string;
    for: string;
    forOrganisation: string;
    forCustomer: string;
    customerName: string;
    customerTenantId: string;
    customerTenantPlaceholder: string;
    severity: string;
    severityA: string;
    severityB: string;
    severityC: string;
    title: string;
    titlePlaceholder: string;
    description: string;
    descriptionPlaceholder: string;
    submit: string;
    /** Client-side message of an empty required field. */
    required: string;
  };
  /** What the user typed (user text bound as input values). */
  values: { product: string; productPick: string; for: string; customerName: string; customerTenantId: string; severity: string; title: string; description: string };
  /** Translated error per field, '' for none. */
  errors: { product: string; for: string; customerName: string; customerTenantId: string; severity: string; title: string; description: string };
  /** "Which one?" choices (value "familyId|versionId"); empty hides the list. */
  productChoices: Choice[];
}
export const RequestFormCard = defineCard<RequestFormCardData>('requests.form');

export interface RouteStep {
  n: number;
  text: string;
  hasUrl: boolean;
  /** From src/domain/links.ts only; '' when none. */
  url: string;
  linkTitle: string;
}

export interface RouteSection {
  heading: string;
  verdict: string;
  verdictColor: 'Good' | 'Warning' | 'Attention';
  portal: string;
  reasons: { text: string }[];
  steps: RouteStep[];
  idsFirst: string;
  paid: string;
  tpd: string;
}

export interface RequestStatusCardData {
  requestId: string;
  version: number;
  headline: string;
  headlineColor: 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';
  notice: string;
  noticeColor: 'Default' | 'Good' | 'Warning' | 'Attention';
  /** User-written title. */
  titleText: string;
  facts: Fact[];
  /** User-written customer name and tenant id, '' for own-organisation requests. */
  customer: string;
  customerLabel: string;
  /** A note meant for the requester (user-written text), header '' when none. */
  note: { header: string; text: string };
  intro: string;
  showRoute: boolean;
  route: RouteSection;
  helpDeskInfo: string;
  canWithdraw: boolean;
  labels: { withdraw: string };
}
export const RequestStatusCard = defineCard<RequestStatusCardData>('requests.status');

export interface TriageCardData {
  requestId: string;
  /** The record version the card shows (stale-card detection). */
  version: number;
  headline: string;
  headerStyle: 'default' | 'emphasis' | 'attention' | 'good' | 'warning' | 'accent';
  statusText: string;
  statusColor: 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';
  notice: string;
  noticeColor: 'Default' | 'Good' | 'Warning' | 'Attention';
  titleText: string;
  facts: Fact[];
  customer: string;
  /** The description, cut to a preview (descriptionCut) when long. */
  description: string;
  descriptionCut: boolean;
  /** The latest notes, each cut to a preview when long (cut); `page` is the history page that has it in full. */
  notes: { header: string; text: string; cut: boolean; page: number }[];
  /** "N earlier notes", '' when every note is shown. */
  earlierNotes: string;
  /** Something is cut or not shown: offer the full history. */
  hasHistory: boolean;
  isOpen: boolean;
  canClaim: boolean;
  assignChoices: Choice[];
  assigneeValue: string;
  statusChoices: Choice[];
  statusValue: string;
  caseNumber: string;
  labels: {
    customer: string;
    description: string;
    notes: string;
    claim: string;
    assign: string;
    assignee: string;
    assignSubmit: string;
    setStatus: string;
    status: string;
    caseNumber: string;
    statusSubmit: string;
    addNote: string;
    note: string;
    notePlaceholder: string;
    noteVisible: string;
    noteSubmit: string;
    required: string;
    more: string;
    history: string;
  };
}
export const TriageCard = defineCard<TriageCardData>('requests.triage');

export interface QueueCardData {
  title: string;
  summary: string;
  notice: string;
  noticeColor: 'Default' | 'Good' | 'Warning' | 'Attention';
  empty: string;
  /** The filter and page shown, handed back by row and paging actions. */
  state: string;
  items: { requestId: string; version: number; line1: string; titleText: string; line2: string; canClaim: boolean }[];
  hasPrev: boolean;
  hasNext: boolean;
  prevState: string;
  nextState: string;
  labels: {
    claim: string;
    prev: string;
    next: string;
    all: string;
    unassigned: string;
    mine: string;
    more: string;
    severity: string;
    severityAny: string;
    severityA: string;
    severityB: string;
    severityC: string;
    olderThanDays: string;
    apply: string;
  };
}
export const QueueCard = defineCard<QueueCardData>('requests.queue');

/** One page of a request's full text and notes (a separate card, so the triage card stays small). */
export interface HistoryCardData {
  requestId: string;
  headline: string;
  pageText: string;
  titleText: string;
  /** The full description, on page 1 only ('' elsewhere). */
  description: string;
  notes: { header: string; text: string }[];
  noNotes: string;
  hasPrev: boolean;
  hasNext: boolean;
  prevPage: number;
  nextPage: number;
  labels: { description: string; notes: string; prev: string; next: string; back: string };
}
export const HistoryCard = defineCard<HistoryCardData>('requests.history');
