/** Record → card data for the request templates. Pure: translations, the clock and live counts come in. */
import { clip, escapeMarkdown } from '../cards/render.js';
import { Links } from '../domain/links.js';
import type { Person } from '../domain/org.js';
import type { Translate } from '../i18n/i18n.js';
import type { Choice, Fact, HistoryCardData, QueueCardData, RequestFormCardData, RequestStatusCardData, RouteSection, TriageCardData } from './cards.js';
import { HELP_DESK_STATUSES, isOpen, type DecisionSnapshot, type RequestRecord, type RequestStatus } from './model.js';
import { FORM_FIELDS, incidentKind, LIMITS, type FormErrors, type Message, type QueueFilter, type QueuePage, type RequestFormInput } from './service.js';

/** Longest person name a request card shows (directory names may be up to 200 characters). */
const NAME_MAX = 64;
/** A person's name for markdown text on a card: clipped, escaped. */
const nameText = (name: string) => escapeMarkdown(clip(name, NAME_MAX));

/** Translates a service message; a raw status in the vars becomes its label. */
export function say(t: Translate, m: Message): string {
  const vars: Record<string, string | number> = { ...(m.vars ?? {}) };
  for (const k of ['status', 'from', 'to']) {
    const v = vars[k];
    if (typeof v === 'string' && v in STATUS_COLORS) vars[k] = statusLabel(t, v as RequestStatus);
  }
  return t(m.key, vars);
}

/** The translated name of a status. */
export function statusLabel(t: Translate, s: RequestStatus): string {
  return t(`requests.statusName.${s}`);
}

const STATUS_COLORS: Record<RequestStatus, TriageCardData['statusColor']> = {
  new: 'Accent',
  triaged: 'Default',
  waitingOnRequester: 'Warning',
  submitted: 'Accent',
  resolved: 'Good',
  closed: 'Good',
  reopened: 'Warning',
  withdrawn: 'Default',
};

/** "5 min", "3 h", "2 days". */
export function ageText(t: Translate, fromIso: string, now: Date): string {
  const ms = Math.max(0, now.getTime() - Date.parse(fromIso));
  const minutes = Math.floor(ms / 60000);
  if (minutes < 60) return t('requests.triage.age.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('requests.triage.age.hours', { n: hours });
  return t('requests.triage.age.days', { n: Math.floor(hours / 24) });
}

/** The portal's name. */
export function portalName(t: Translate, d: DecisionSnapshot): string {
  return t(`requests.portal.${d.portal}`);
}

/** Covered / not covered, naming the benefit. */
export function verdictText(t: Translate, d: DecisionSnapshot): string {
  if (d.benefit === 'none' || !d.benefitName) return t('requests.route.unknownBenefit');
  return t(d.covered ? 'requests.route.covered' : 'requests.route.notCovered', { benefit: d.benefitName });
}

/** E3/E4: what the request does to the contract's incident count (live remaining when known). */
export function incidentText(t: Translate, r: RequestRecord, remaining: { onPremises?: number; cloud?: number } = {}): string {
  const d = r.decision;
  if (!d.covered) return t('requests.incidents.notCovered');
  const kind = incidentKind(d);
  if (!kind) return t(d.benefit === 'cspSupportPlan' ? 'requests.incidents.cspPlan' : 'requests.incidents.unlimited');
  const kindName = t(`requests.incidents.kind.${kind}`);
  if (r.incident) {
    const left = r.incident.remainingAfter;
    const date = r.incident.at.slice(0, 10);
    return left === undefined ? t('requests.incidents.countedUnknown', { kind: kindName, date }) : t('requests.incidents.counted', { kind: kindName, date, remaining: left });
  }
  const left = kind === 'onPremises' ? remaining.onPremises : remaining.cloud;
  return left === undefined ? t('requests.incidents.willUseUnknown', { kind: kindName }) : t('requests.incidents.willUse', { kind: kindName, remaining: left });
}

/** Eligibility line for the triage card: verdict and reasons. */
function eligibilityText(t: Translate, d: DecisionSnapshot): string {
  return [verdictText(t, d), ...d.reasonKeys.map((k) => t(`requests.reason.${k}`))].join(' ');
}

/** The route as the requester sees it: verdict, portal, reasons, numbered steps with our own links. */
export function routeSection(t: Translate, d: DecisionSnapshot, stepText: (key: string) => string = (k) => t(`requests.step.${k}`)): RouteSection {
  return {
    heading: t('requests.route.heading'),
    verdict: verdictText(t, d),
    verdictColor: d.covered ? 'Good' : 'Warning',
    portal: d.portal === 'none' ? '' : t('requests.route.portal', { portal: portalName(t, d) }),
    reasons: d.reasonKeys.map((k) => ({ text: t(`requests.reason.${k}`) })),
    steps: d.steps.map((s, i) => ({
      n: i + 1,
      text: stepText(s.key),
      hasUrl: !!s.link,
      url: s.link ? Links[s.link] : '',
      linkTitle: t('requests.route.open'),
    })),
    idsFirst: d.idsNeededFirst ? t('requests.route.idsFirst') : '',
    paid: d.paidAlternatives.length > 0 ? t('requests.route.paid') : '',
    tpd: d.mentionTpd ? t('requests.route.tpd') : '',
  };
}

const customerText = (r: RequestRecord) => (r.forCustomer && r.customer ? `${r.customer.name} (${r.customer.tenantId})` : '');

/** The request form, with what was typed, errors per field and "which one?" choices. */
export function formCardData(t: Translate, opts: { formId: string; values?: RequestFormInput; errors?: FormErrors; productChoices?: { label: string; product: { familyId: string; versionId?: string } }[] }): RequestFormCardData {
  const v = opts.values ?? {};
  const errors = opts.errors ?? {};
  const e = Object.fromEntries(FORM_FIELDS.map((f) => [f, errors[f] ? say(t, errors[f] as Message) : ''])) as RequestFormCardData['errors'];
  const L = (k: string) => t(`requests.form.${k}`);
  return {
    title: L('heading'),
    intro: L('intro'),
    formId: opts.formId,
    notice: Object.keys(errors).length ? L('notice') : '',
    labels: {
      product: L('product'),
      productPlaceholder: L('productPlaceholder'),
      productPick: L('productPick'),
      for: L('for'),
      forOrganisation: L('forOrganisation'),
      forCustomer: L('forCustomer'),
      customerName: L('customerName'),
      customerTenantId: L('customerTenantId'),
      customerTenantPlaceholder: L('customerTenantPlaceholder'),
      severity: L('severity'),
      severityA: L('severityA'),
      severityB: L('severityB'),
      severityC: L('severityC'),
      title: L('title'),
      titlePlaceholder: L('titlePlaceholder'),
      description: L('description'),
      descriptionPlaceholder: L('descriptionPlaceholder'),
      submit: L('submit'),
      required: L('required'),
    },
    // Echoed at most at each field's limit: what is longer was refused anyway, and the card must stay small.
    values: {
      product: upTo(v.product, ECHO_PRODUCT_MAX),
      productPick: '',
      for: v.for === 'customer' ? 'customer' : 'organisation',
      customerName: upTo(v.customerName, LIMITS.customerName.max),
      customerTenantId: upTo(v.customerTenantId, ECHO_TENANT_MAX),
      severity: upTo(v.severity, 10),
      title: upTo(v.title, LIMITS.title.max),
      description: upTo(v.description, LIMITS.description.max),
    },
    errors: e,
    productChoices: (opts.productChoices ?? []).map((c) => ({ title: c.label, value: `${c.product.familyId}|${c.product.versionId ?? ''}` })),
  };
}

const ECHO_PRODUCT_MAX = 200;
const ECHO_TENANT_MAX = 100;
const upTo = (text: string | undefined, max: number) => [...(text ?? '')].slice(0, max).join('');

export type RequesterHeadline = 'opened' | 'duplicate' | 'changed' | 'note' | 'withdrawn' | 'current';

/** The requester's personal status card: number, status, route with steps, the note meant for them, Withdraw. */
export function statusCardData(
  t: Translate,
  r: RequestRecord,
  opts: {
    headline: RequesterHeadline;
    posted?: boolean;
    notice?: Message;
    noticeColor?: RequestStatusCardData['noticeColor'];
    noteId?: string;
    showRoute?: boolean;
    remaining?: { onPremises?: number; cloud?: number };
    /** Wording of a route step (default: this capability's own). */
    stepText?: (key: string) => string;
  },
): RequestStatusCardData {
  const note = opts.noteId ? r.notes.find((n) => n.id === opts.noteId && n.visibleToRequester) : undefined;
  const facts: Fact[] = [
    { title: t('requests.fact.number'), value: r.key },
    { title: t('requests.fact.product'), value: r.product.label },
    { title: t('requests.fact.for'), value: t(r.forCustomer ? 'requests.for.customer' : 'requests.for.organisation') },
    { title: t('requests.fact.severity'), value: t(`requests.severityName.${r.severity}`) },
    { title: t('requests.fact.status'), value: statusLabel(t, r.status) },
    { title: t('requests.fact.assignee'), value: r.assignee ? nameText(r.assignee.name) : t('requests.triage.nobody') },
    { title: t('requests.fact.incidents'), value: incidentText(t, r, opts.remaining) },
  ];
  if (r.microsoftCaseNumber) facts.push({ title: t('requests.fact.caseNumber'), value: escapeMarkdown(r.microsoftCaseNumber) });
  const showRoute = opts.showRoute ?? (opts.headline === 'opened' || opts.headline === 'duplicate' || opts.headline === 'current');
  const headlineColor: RequestStatusCardData['headlineColor'] = r.status === 'resolved' || r.status === 'closed' ? 'Good' : r.status === 'waitingOnRequester' ? 'Warning' : 'Default';
  return {
    requestId: r.id,
    version: r.version,
    headline: t(`requests.requester.${opts.headline}`, { key: r.key, status: statusLabel(t, r.status) }),
    headlineColor,
    notice: opts.notice ? say(t, opts.notice) : '',
    noticeColor: opts.noticeColor ?? 'Default',
    titleText: r.title,
    facts,
    customer: customerText(r),
    customerLabel: t('requests.customerLabel'),
    note: note ? { header: t('requests.requester.noteHeader', { name: note.by.name }), text: note.text } : { header: '', text: '' },
    intro: showRoute ? t(r.decision.covered ? 'requests.requester.introCovered' : 'requests.requester.introNotCovered') : '',
    showRoute,
    route: routeSection(t, r.decision, opts.stepText),
    helpDeskInfo: opts.posted === undefined ? '' : t(opts.posted ? 'requests.requester.posted' : 'requests.requester.queued'),
    canWithdraw: isOpen(r),
    labels: { withdraw: t('requests.requester.withdraw') },
  };
}

/** The help desk's triage card (the same for everyone in the channel; `notice` only in a clicker's copy). */
export function triageCardData(
  t: Translate,
  r: RequestRecord,
  opts: { now: Date; members: Pick<Person, 'aadObjectId' | 'name'>[]; remaining?: { onPremises?: number; cloud?: number }; notice?: Message; noticeColor?: TriageCardData['noticeColor'] },
): TriageCardData {
  const d = r.decision;
  const facts: Fact[] = [
    { title: t('requests.fact.requester'), value: nameText(r.requester.name) },
    { title: t('requests.fact.product'), value: r.product.label },
    { title: t('requests.fact.for'), value: t(r.forCustomer ? 'requests.for.customer' : 'requests.for.organisation') },
    { title: t('requests.fact.route'), value: d.portal === 'none' ? t('requests.portal.none') : portalName(t, d) },
    { title: t('requests.fact.eligibility'), value: eligibilityText(t, d) },
    { title: t('requests.fact.incidents'), value: incidentText(t, r, opts.remaining) },
    { title: t('requests.fact.severity'), value: t(`requests.severityName.${r.severity}`) },
    { title: t('requests.fact.opened'), value: t('requests.triage.opened', { date: r.createdAt.slice(0, 16).replace('T', ' '), age: ageText(t, r.createdAt, opts.now) }) },
    { title: t('requests.fact.status'), value: statusLabel(t, r.status) },
    { title: t('requests.fact.assignee'), value: r.assignee ? nameText(r.assignee.name) : t('requests.triage.nobody') },
  ];
  if (r.microsoftCaseNumber) facts.push({ title: t('requests.fact.caseNumber'), value: escapeMarkdown(r.microsoftCaseNumber) });
  const open = isOpen(r);
  const members: Choice[] = assignChoices(opts.members, r.assignee?.aadObjectId);
  const shown = r.notes.slice(-TRIAGE_LIMITS.notes);
  const earlier = r.notes.length - shown.length;
  const descriptionCut = [...r.description].length > TRIAGE_LIMITS.description;
  const pages = historyPages(r);
  const pageOf = (noteIndex: number) => pages.findIndex((p) => noteIndex >= p.from && noteIndex < p.to) + 1 || 1;
  return {
    requestId: r.id,
    version: r.version,
    headline: t('requests.triage.headline', { key: r.key, severity: r.severity }),
    headerStyle: !open ? 'good' : r.severity === 'A' ? 'attention' : 'emphasis',
    statusText: statusLabel(t, r.status),
    statusColor: STATUS_COLORS[r.status],
    notice: opts.notice ? say(t, opts.notice) : '',
    noticeColor: opts.noticeColor ?? 'Default',
    titleText: r.title,
    facts,
    customer: customerText(r),
    description: clip(r.description, TRIAGE_LIMITS.description),
    descriptionCut: descriptionCut,
    notes: shown.map((n, i) => ({
      header: noteHeader(t, n),
      text: clip(n.text, TRIAGE_LIMITS.note),
      cut: [...n.text].length > TRIAGE_LIMITS.note,
      page: pageOf(r.notes.length - shown.length + i),
    })),
    earlierNotes: earlier === 0 ? '' : earlier === 1 ? t('history.earlierOne') : t('history.earlier', { n: earlier }),
    hasHistory: earlier > 0 || descriptionCut || shown.some((n) => [...n.text].length > TRIAGE_LIMITS.note),
    isOpen: open,
    canClaim: open && !r.assignee,
    assignChoices: members,
    assigneeValue: r.assignee?.aadObjectId ?? '',
    statusChoices: HELP_DESK_STATUSES.map((s) => ({ title: statusLabel(t, s), value: s })),
    statusValue: r.status === 'withdrawn' ? '' : r.status,
    caseNumber: r.microsoftCaseNumber ?? '',
    labels: {
      customer: t('requests.triage.customer'),
      description: t('requests.triage.description'),
      notes: t('requests.triage.notes'),
      claim: t('requests.triage.claim'),
      assign: t('requests.triage.assign'),
      assignee: t('requests.triage.assignee'),
      assignSubmit: t('requests.triage.assignSubmit'),
      setStatus: t('requests.triage.setStatus'),
      status: t('requests.triage.status'),
      caseNumber: t('requests.triage.caseNumber'),
      statusSubmit: t('requests.triage.statusSubmit'),
      addNote: t('requests.triage.addNote'),
      note: t('requests.triage.note'),
      notePlaceholder: t('requests.triage.notePlaceholder'),
      noteVisible: t('requests.triage.noteVisible'),
      noteSubmit: t('requests.triage.noteSubmit'),
      required: t('requests.triage.required'),
      more: t('history.more'),
      history: t('history.open'),
    },
  };
}

/**
 * What the triage card shows of user text, so that it stays under Teams' message size (about 28 KB) at every
 * field's maximum: the latest notes, and previews of long texts; the rest is one click away (historyCardData).
 */
export const TRIAGE_LIMITS = { notes: 3, note: 400, description: 500, assignChoices: 20 } as const;

/** Help desk members to assign to: at most TRIAGE_LIMITS.assignChoices, the current assignee always among them. */
function assignChoices(members: Pick<Person, 'aadObjectId' | 'name'>[], assignee: string | undefined): Choice[] {
  const all = members.map((m) => ({ title: clip(m.name, NAME_MAX), value: m.aadObjectId.toLowerCase() }));
  if (all.length <= TRIAGE_LIMITS.assignChoices) return all;
  const first = all.slice(0, TRIAGE_LIMITS.assignChoices);
  const current = assignee ? all.find((c) => c.value === assignee.toLowerCase()) : undefined;
  return current && !first.includes(current) ? [...first.slice(0, -1), current] : first;
}

function noteHeader(t: Translate, n: RequestRecord['notes'][number]): string {
  return t('requests.triage.noteHeader', {
    name: nameText(n.by.name),
    date: n.at.slice(0, 16).replace('T', ' '),
    visibility: t(n.visibleToRequester ? 'requests.triage.visibleTag' : 'requests.triage.internalTag'),
  });
}

/** Bytes of user text one history page may carry (the card's own text comes on top), and notes per page. */
export const HISTORY_PAGE = { bytes: 14_000, notes: 20 } as const;
/** What a note costs on a page besides its text: header, name, date, the elements around it. */
const NOTE_OVERHEAD_BYTES = 600;

const jsonBytes = (text: string) => Buffer.byteLength(JSON.stringify(text));

/**
 * The history pages of a request: notes oldest first, [from, to) per page, filled up to HISTORY_PAGE (page 1
 * also carries the full description). Pages only grow at the end as notes are added, so a page number stays put.
 */
export function historyPages(r: Pick<RequestRecord, 'description' | 'notes'>): { from: number; to: number }[] {
  const pages: { from: number; to: number }[] = [];
  let from = 0;
  let used = jsonBytes(r.description);
  let filled = r.description.length > 0;
  for (let i = 0; i < r.notes.length; i++) {
    const cost = jsonBytes(r.notes[i].text) + jsonBytes(r.notes[i].by.name) * 2 + NOTE_OVERHEAD_BYTES;
    if (filled && (used + cost > HISTORY_PAGE.bytes || i - from >= HISTORY_PAGE.notes)) {
      pages.push({ from, to: i });
      from = i;
      used = 0;
    }
    used += cost;
    filled = true;
  }
  pages.push({ from, to: r.notes.length });
  return pages;
}

/** One page of the full history (page numbers past the end show the last page). */
export function historyCardData(t: Translate, r: RequestRecord, page: number): HistoryCardData {
  const pages = historyPages(r);
  const p = Math.min(Math.max(1, Math.floor(page)), pages.length);
  const { from, to } = pages[p - 1];
  return {
    requestId: r.id,
    headline: t('history.headline', { key: r.key }),
    pageText: pages.length > 1 ? t('history.page', { page: p, pages: pages.length }) : '',
    titleText: r.title,
    description: p === 1 ? r.description : '',
    notes: r.notes.slice(from, to).map((n) => ({ header: noteHeader(t, n), text: n.text })),
    noNotes: r.notes.length === 0 ? t('history.noNotes') : '',
    hasPrev: p > 1,
    hasNext: p < pages.length,
    prevPage: p - 1,
    nextPage: p + 1,
    labels: { description: t('history.description'), notes: t('history.notes'), prev: t('history.prev'), next: t('history.next'), back: t('history.back') },
  };
}

/** Queue state carried by row and paging actions: "u=1;m=0;d=3;s=A;p=2". */
export interface QueueState extends QueueFilter {
  page: number;
}

/** Encodes the queue state for card data. */
export function encodeQueueState(s: QueueState): string {
  return [`u=${s.unassigned ? 1 : 0}`, `m=${s.mine ? 1 : 0}`, `d=${s.olderThanDays ?? ''}`, `s=${s.severity ?? ''}`, `p=${s.page}`].join(';');
}

/** Decodes a queue state; anything unexpected falls back to the first page of all open requests. */
export function decodeQueueState(text: string | undefined): QueueState {
  const out: QueueState = { page: 1 };
  for (const part of (text ?? '').split(';')) {
    const [k, v = ''] = part.split('=');
    if (k === 'u') out.unassigned = v === '1';
    else if (k === 'm') out.mine = v === '1';
    else if (k === 'd' && /^\d{1,3}$/.test(v)) out.olderThanDays = Number(v);
    else if (k === 's' && (v === 'A' || v === 'B' || v === 'C')) out.severity = v;
    else if (k === 'p' && /^\d{1,5}$/.test(v)) out.page = Math.max(1, Number(v));
  }
  return out;
}

/** The queue card: one page of open requests with filters and paging. */
export function queueCardData(t: Translate, page: QueuePage, state: QueueState, opts: { now: Date; notice?: Message; noticeColor?: QueueCardData['noticeColor'] }): QueueCardData {
  const showing: string[] = [];
  if (state.unassigned) showing.push(t('requests.queue.showing.unassigned'));
  if (state.mine) showing.push(t('requests.queue.showing.mine'));
  if (state.olderThanDays !== undefined) showing.push(t('requests.queue.showing.older', { days: state.olderThanDays }));
  if (state.severity) showing.push(t('requests.queue.showing.severity', { severity: state.severity }));
  if (showing.length === 0) showing.push(t('requests.queue.showing.all'));
  const current: QueueState = { ...state, page: page.page };
  const L = (k: string) => t(`requests.queue.${k}`);
  return {
    title: L('title'),
    summary: t('requests.queue.summary', { showing: showing.join(' · '), total: page.total, page: page.page, pages: page.pages }),
    notice: opts.notice ? say(t, opts.notice) : '',
    noticeColor: opts.noticeColor ?? 'Default',
    empty: L('empty'),
    state: encodeQueueState(current),
    items: page.items.map((r) => ({
      requestId: r.id,
      version: r.version,
      line1: t('requests.queue.line1', {
        key: r.key,
        severity: r.severity,
        status: statusLabel(t, r.status),
        assignee: r.assignee ? nameText(r.assignee.name) : t('requests.triage.nobody'),
      }),
      titleText: r.title,
      line2: t('requests.queue.line2', { product: r.product.label, age: ageText(t, r.createdAt, opts.now), requester: nameText(r.requester.name) }),
      canClaim: !r.assignee,
    })),
    hasPrev: page.page > 1,
    hasNext: page.page < page.pages,
    prevState: encodeQueueState({ ...current, page: page.page - 1 }),
    nextState: encodeQueueState({ ...current, page: page.page + 1 }),
    labels: {
      claim: L('claim'),
      prev: L('prev'),
      next: L('next'),
      all: L('all'),
      unassigned: L('unassigned'),
      mine: L('mine'),
      more: L('more'),
      severity: L('severity'),
      severityAny: L('severityAny'),
      severityA: t('requests.severityName.A'),
      severityB: t('requests.severityName.B'),
      severityC: t('requests.severityName.C'),
      olderThanDays: L('olderThanDays'),
      apply: L('apply'),
    },
  };
}
