/** Card builders of the activation flow: translated text and records in, rendered Adaptive Cards out. No botbuilder. */
import { renderCard, type AdaptiveCard } from '../cards/render.js';
import { Links } from '../domain/links.js';
import type { Translate } from '../i18n/i18n.js';
import { ApprovalCard, FormCard, GuideCard, StepsCard, type CardColor, type GuideCardData, type LinkButton } from './cards.js';
import { COMMENT_MAX, ID_MAX, type ActivationRequest, type ContractValues, type FieldError, type Guidance, type PersonRef } from './service.js';

type LinkKey = 'partnerCenterDashboard' | 'technicalBenefits' | 'userManagement';

/** "2026-06-01 09:30 UTC" for an ISO timestamp (the same in both languages); a placeholder when unknown. */
export function formatTime(t: Translate, iso: string | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return t('activation.time.unknown');
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function link(t: Translate, key: LinkKey): LinkButton {
  return { title: t(`activation.links.${key}`), url: Links[key] };
}

const OFF = { show: false, title: '' };

function guide(d: Pick<GuideCardData, 'title'> & Partial<GuideCardData>): AdaptiveCard {
  return renderCard(GuideCard, {
    color: 'Default',
    paragraphs: [],
    rows: [],
    peopleTitle: '',
    people: [],
    quoteLabel: '',
    quote: '',
    links: [],
    ask: OFF,
    ids: OFF,
    update: OFF,
    ...d,
  });
}

/** A1: not in the directory, CSP-only or not MPN-associated. */
export function notAuthorizedCard(t: Translate, org: string, reason: Extract<Guidance, { kind: 'notAuthorized' }>['reason']): AdaptiveCard {
  return guide({
    title: t('activation.notAuthorized.title'),
    color: 'Attention',
    paragraphs: [t(`activation.notAuthorized.${reason}`, { org }), t('activation.notAuthorized.whatToDo', { org })],
    links: [link(t, 'partnerCenterDashboard')],
  });
}

/** A2: the organisation has no membership offer; with offers, the user signed in with the wrong account. */
export function noBenefitsCard(t: Translate, org: string): AdaptiveCard {
  return guide({
    title: t('activation.noBenefits.title'),
    color: 'Warning',
    paragraphs: [t('activation.noBenefits.text', { org }), t('activation.noBenefits.wrongAccount')],
    links: [link(t, 'technicalBenefits')],
  });
}

/** Already activated (A4, A5): when and by whom, the IDs button (R2 is checked by the IDs command), correction for admins. */
export function activatedCard(t: Translate, org: string, d: { at?: string; byName?: string; canUpdate: boolean; before?: string[] }): AdaptiveCard {
  return guide({
    title: t('activation.activated.title'),
    color: 'Good',
    paragraphs: [...(d.before ?? []), t('activation.activated.text', { org, at: formatTime(t, d.at), by: d.byName ?? t('activation.activated.byUnknown') }), t('activation.activated.ids', { org })],
    ids: { show: true, title: t('activation.activated.idsButton') },
    update: { show: d.canUpdate, title: t('activation.activated.updateButton') },
  });
}

/** A3: the greyed-out Activate button, who can activate, and "Ask an admin to activate" (unless a request is open). */
export function askAdminCard(t: Translate, org: string, d: { admins: string[]; open?: ActivationRequest; actorAadObjectId: string }): AdaptiveCard {
  const paragraphs = [t('activation.ask.greyedOut'), t('activation.ask.findAdmins')];
  if (!d.admins.length) paragraphs.push(t('activation.ask.noAdmins'));
  if (d.open) paragraphs.push(openRequestLine(t, d.open, d.actorAadObjectId));
  paragraphs.push(t('activation.beforeActivation', { org }));
  return guide({
    title: t('activation.ask.title'),
    paragraphs,
    peopleTitle: d.admins.length ? t('activation.ask.adminsTitle', { org }) : '',
    people: d.admins,
    links: [link(t, 'userManagement'), link(t, 'technicalBenefits')],
    ask: { show: d.admins.length > 0 && !d.open, title: t('activation.ask.button') },
  });
}

/** One line about the request that is already open. */
export function openRequestLine(t: Translate, r: ActivationRequest, actorAadObjectId: string): string {
  if (r.status === 'approved') return t('activation.ask.approvedOpen', { name: r.decidedBy?.name ?? '', id: r.id, at: formatTime(t, r.decidedAt) });
  const mine = r.requester.aadObjectId.toLowerCase() === actorAadObjectId.toLowerCase();
  return mine
    ? t('activation.ask.pendingMine', { at: formatTime(t, r.createdAt), id: r.id })
    : t('activation.ask.pendingOther', { name: r.requester.name, at: formatTime(t, r.createdAt), id: r.id });
}

/** R1: the admin's steps in Partner Center, then "I have activated". */
export function stepsCard(t: Translate, org: string, d: { request?: ActivationRequest; approvedNow?: boolean }): AdaptiveCard {
  const r = d.request;
  const note = !r ? '' : t(d.approvedNow ? 'activation.steps.noteApproved' : 'activation.steps.noteRequest', { id: r.id, name: r.requester.name });
  return renderCard(StepsCard, {
    title: t('activation.steps.title'),
    intro: t('activation.steps.intro'),
    note,
    steps: [1, 2, 3, 4].map((n) => t(`activation.steps.step${n}`, { org })),
    links: [link(t, 'partnerCenterDashboard'), link(t, 'technicalBenefits')],
    doneTitle: t('activation.steps.done'),
    requestId: r?.id ?? '',
  });
}

/** The Access ID / Contract ID form, with the problems of the last attempt on it. */
export function formCard(t: Translate, org: string, d: { mode: 'activate' | 'update'; requestId?: string; values?: Partial<ContractValues>; errors?: FieldError[] }): AdaptiveCard {
  const labels = {
    accessId: t('activation.form.labels.accessId'),
    contractId: t('activation.form.labels.contractId'),
    startDate: t('activation.form.labels.startDate'),
    endDate: t('activation.form.labels.endDate'),
  };
  const v = d.values ?? {};
  return renderCard(FormCard, {
    title: t(`activation.form.title.${d.mode}`),
    intro: t('activation.form.intro', { org }),
    errorsTitle: t('activation.form.errorsTitle'),
    errors: (d.errors ?? []).map((e) => t('activation.form.errorLine', { field: labels[e.field], problem: t(e.key, e.vars) })),
    requiredMessage: t('activation.form.required'),
    labels,
    placeholders: { accessId: t('activation.form.placeholders.accessId'), contractId: t('activation.form.placeholders.contractId') },
    values: { accessId: v.accessId ?? '', contractId: v.contractId ?? '', startDate: v.startDate ?? '', endDate: v.endDate ?? '' },
    maxLength: ID_MAX,
    mode: d.mode,
    requestId: d.requestId ?? '',
    saveTitle: t('activation.form.save'),
  });
}

/** After saving: activated (or updated), the requests completed, and the IDs button. */
export function savedCard(t: Translate, org: string, d: { mode: 'activate' | 'update'; at: string; completed: ActivationRequest[] }): AdaptiveCard {
  return guide({
    title: t(`activation.saved.title.${d.mode}`),
    color: 'Good',
    paragraphs: [t('activation.saved.text', { org, at: formatTime(t, d.at) }), ...d.completed.map((r) => t('activation.saved.requestCompleted', { id: r.id, name: r.requester.name }))],
    ids: { show: true, title: t('activation.activated.idsButton') },
  });
}

/** "Update contract" asked by someone who may not (R1). */
export function updateNotAllowedCard(t: Translate, org: string, admins: string[]): AdaptiveCard {
  return guide({
    title: t('activation.updateNotAllowed.title'),
    color: 'Attention',
    paragraphs: [t('activation.updateNotAllowed.text')],
    peopleTitle: admins.length ? t('activation.ask.adminsTitle', { org }) : '',
    people: admins,
    links: [link(t, 'userManagement')],
  });
}

const STATUS_COLOR: Record<ActivationRequest['status'], CardColor> = {
  pending: 'Accent',
  approved: 'Good',
  rejected: 'Attention',
  completed: 'Good',
  expired: 'Warning',
};

/** The status line of a request: "Approved by X at T". */
export function statusLine(t: Translate, r: ActivationRequest): string {
  switch (r.status) {
    case 'pending':
      return t('activation.approval.status.pending', { at: formatTime(t, r.createdAt) });
    case 'approved':
    case 'rejected':
      return t(`activation.approval.status.${r.status}`, { name: r.decidedBy?.name ?? '', at: formatTime(t, r.decidedAt) });
    case 'completed':
      return t('activation.approval.status.completed', { name: r.completedBy?.name ?? '', at: formatTime(t, r.completedAt) });
    case 'expired':
      return t('activation.approval.status.expired', { at: formatTime(t, r.expiredAt) });
  }
}

export interface ApprovalViewOptions {
  /** 'admin': Approve / Reject (pending requests only); 'status': read-only. */
  view: 'admin' | 'status';
  userIds: string[];
  org: string;
  reminder?: boolean;
  /** Lines shown above the details. */
  notes?: string[];
  /** For the requester: the admins that could not be reached. */
  unreachable?: PersonRef[];
}

/** The approval card: the admin view with the decision buttons, or the read-only status (after a decision, and for everyone else). */
export function approvalCard(t: Translate, r: ActivationRequest, o: ApprovalViewOptions): AdaptiveCard {
  const admin = o.view === 'admin' && r.status === 'pending';
  const paragraphs = [...(o.notes ?? [])];
  if (admin) paragraphs.push(t('activation.approval.asks', { name: r.requester.name, org: o.org }), t('activation.approval.approveHint', { name: r.requester.name }));
  const unreachable = o.unreachable ?? [];
  return renderCard(ApprovalCard, {
    requestId: r.id,
    userIds: o.userIds,
    title: t(o.reminder ? 'activation.approval.reminderTitle' : 'activation.approval.title', { id: r.id }),
    headline: statusLine(t, r),
    headlineColor: STATUS_COLOR[r.status],
    paragraphs,
    rows: [
      { label: t('activation.approval.rows.requester'), value: r.requester.name },
      { label: t('activation.approval.rows.requestedAt'), value: formatTime(t, r.createdAt) },
    ],
    quoteLabel: r.comment ? t('activation.approval.commentLabel') : '',
    quote: r.comment ?? '',
    unreachableTitle: unreachable.length ? t('activation.approval.unreachable') : '',
    unreachable: unreachable.map((p) => p.name),
    admin: {
      show: admin,
      commentLabel: t('activation.approval.commentInput', { name: r.requester.name }),
      commentPlaceholder: t('activation.approval.commentPlaceholder'),
      commentMax: COMMENT_MAX,
      approveTitle: t('activation.approval.approve'),
      rejectTitle: t('activation.approval.reject'),
    },
  });
}

/** What the requester hears when the request changes: approved, rejected (with the comment as plain text), completed, expired. */
export function requesterNotice(t: Translate, r: ActivationRequest, d: { org: string; expiryDays: number }): AdaptiveCard | undefined {
  switch (r.status) {
    case 'approved':
      return guide({ title: t('activation.notice.approved.title'), color: 'Good', paragraphs: [t('activation.notice.approved.text', { name: r.decidedBy?.name ?? '', id: r.id })] });
    case 'rejected':
      return guide({
        title: t('activation.notice.rejected.title'),
        color: 'Attention',
        paragraphs: [t('activation.notice.rejected.text', { name: r.decidedBy?.name ?? '', id: r.id }), ...(r.comment ? [] : [t('activation.notice.rejected.noComment')])],
        quoteLabel: r.comment ? t('activation.approval.commentLabel') : '',
        quote: r.comment ?? '',
      });
    case 'completed':
      return guide({
        title: t('activation.notice.completed.title'),
        color: 'Good',
        paragraphs: [t('activation.notice.completed.text', { name: r.completedBy?.name ?? '', org: d.org, at: formatTime(t, r.completedAt), id: r.id })],
        ids: { show: true, title: t('activation.activated.idsButton') },
      });
    case 'expired':
      return guide({
        title: t('activation.notice.expired.title'),
        color: 'Warning',
        paragraphs: [t('activation.notice.expired.text', { id: r.id, days: d.expiryDays })],
        ask: { show: true, title: t('activation.ask.button') },
      });
    case 'pending':
      return undefined;
  }
}
