/** Record → card data for the request templates. Pure: translations, the clock and live counts come in. */
import { escapeMarkdown } from '../cards/render.js';
import { Links } from '../domain/links.js';
import type { Person } from '../domain/org.js';
import type { Translate } from '../i18n/i18n.js';
import type { Choice, Fact, QueueCardData, RequestFormCardData, RequestStatusCardData, RouteSection, TriageCardData } from './cards.js';
import { HELP_DESK_STATUSES, isOpen, type DecisionSnapshot, type RequestRecord, type RequestStatus } from './model.js';
import { FORM_FIELDS, incidentKind, type FormErrors, type Message, type QueueFilter, type QueuePage, type RequestFormInput } from './service.js';

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
    values: {
      product: v.product ?? '',
      productPick: '',
      for: v.for === 'customer' ? 'customer' : 'organisation',
      customerName: v.customerName ?? '',
      customerTenantId: v.customerTenantId ?? '',
      severity: v.severity ?? '',
      title: v.title ?? '',
      description: v.description ?? '',
    },
    errors: e,
    productChoices: (opts.productChoices ?? []).map((c) => ({ title: c.label, value: `${c.product.familyId}|${c.product.versionId ?? ''}` })),
  };
}

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
    { title: t('requests.fact.assignee'), value: r.assignee ? escapeMarkdown(r.assignee.name) : t('requests.triage.nobody') },
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
    { title: t('requests.fact.requester'), value: escapeMarkdown(r.requester.name) },
    { title: t('requests.fact.product'), value: r.product.label },
    { title: t('requests.fact.for'), value: t(r.forCustomer ? 'requests.for.customer' : 'requests.for.organisation') },
    { title: t('requests.fact.route'), value: d.portal === 'none' ? t('requests.portal.none') : portalName(t, d) },
    { title: t('requests.fact.eligibility'), value: eligibilityText(t, d) },
    { title: t('requests.fact.incidents'), value: incidentText(t, r, opts.remaining) },
    { title: t('requests.fact.severity'), value: t(`requests.severityName.${r.severity}`) },
    { title: t('requests.fact.opened'), value: t('requests.triage.opened', { date: r.createdAt.slice(0, 16).replace('T', ' '), age: ageText(t, r.createdAt, opts.now) }) },
    { title: t('requests.fact.status'), value: statusLabel(t, r.status) },
    { title: t('requests.fact.assignee'), value: r.assignee ? escapeMarkdown(r.assignee.name) : t('requests.triage.nobody') },
  ];
  if (r.microsoftCaseNumber) facts.push({ title: t('requests.fact.caseNumber'), value: escapeMarkdown(r.microsoftCaseNumber) });
  const open = isOpen(r);
  const members: Choice[] = opts.members.map((m) => ({ title: m.name, value: m.aadObjectId.toLowerCase() }));
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
    description: r.description,
    notes: r.notes.map((n) => ({
      header: t('requests.triage.noteHeader', {
        name: escapeMarkdown(n.by.name),
        date: n.at.slice(0, 16).replace('T', ' '),
        visibility: t(n.visibleToRequester ? 'requests.triage.visibleTag' : 'requests.triage.internalTag'),
      }),
      text: n.text,
    })),
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
    },
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
        assignee: r.assignee ? escapeMarkdown(r.assignee.name) : t('requests.triage.nobody'),
      }),
      titleText: r.title,
      line2: t('requests.queue.line2', { product: r.product.label, age: ageText(t, r.createdAt, opts.now), requester: escapeMarkdown(r.requester.name) }),
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
