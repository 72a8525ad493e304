/**
 * Triage card actions: claim, assign, set status, add note (help desk only, checked on the server against the
 * directory), withdraw (the requester), refresh. Every answer is the fresh card; the channel copy is updated too.
 */
import { z } from 'zod';
import type { CardActionResult, VerbContext } from '../bot/router.js';
import { renderCard } from '../cards/render.js';
import { isHelpDesk } from '../domain/org.js';
import { HistoryCard, QueueCard } from './cards.js';
import type { RequestRecord } from './model.js';
import type { RequestsRuntime } from './runtime.js';
import type { ActionOutcome, Message } from './service.js';
import { RequestsVerb } from './verbs.js';
import { decodeQueueState, historyCardData, queueCardData, say } from './views.js';
import { checkContractWarningsSoon } from '../ids/warnings.js';

const Ref = {
  requestId: z.string().min(1).max(100),
  version: z.coerce.number().int().min(0).max(1_000_000_000),
};
const ClaimData = z.object({ ...Ref, view: z.enum(['triage', 'queue']).optional(), state: z.string().max(100).optional() }).passthrough();
const AssignData = z.object({ ...Ref, assignee: z.string().max(100).optional() }).passthrough();
const StatusData = z.object({ ...Ref, status: z.string().max(40).optional(), caseNumber: z.string().max(200).optional() }).passthrough();
const NoteData = z.object({ ...Ref, note: z.string().max(20000).optional(), visibleToRequester: z.union([z.boolean(), z.string().max(10)]).optional() }).passthrough();
const WithdrawData = z.object(Ref).passthrough();
const RefreshData = z.object({ requestId: Ref.requestId, view: z.enum(['triage', 'status']) }).passthrough();
const HistoryData = z.object({ requestId: Ref.requestId, page: z.coerce.number().int().min(1).max(100_000).default(1) }).passthrough();

type AfterChange = (record: RequestRecord, before: RequestRecord) => Promise<void>;

/** Registers the triage and requester actions. */
export function registerTriage(rt: RequestsRuntime): void {
  const { router } = rt.deps;

  /** Audits a refused help desk action (the record itself is untouched). */
  const refuse = async (ctx: VerbContext, verb: string, requestId: string): Promise<CardActionResult> => {
    await rt.deps.store.audit.record({ tenantId: ctx.actor.tenantId, actor: ctx.actor.aadObjectId, action: 'request.actionRefused', subject: requestId, details: { verb } });
    return { kind: 'error', status: 403, text: ctx.t('requests.error.helpDeskOnly') };
  };

  /** Turns an outcome into the clicker's card and, for a change, updates the channel copy and notifies. */
  const answer = async (
    ctx: VerbContext,
    verb: string,
    requestId: string,
    outcome: ActionOutcome,
    success: (r: RequestRecord) => Message,
    after?: AfterChange,
    view: { kind: 'triage' } | { kind: 'queue'; state?: string } = { kind: 'triage' },
  ): Promise<CardActionResult> => {
    if (outcome.kind === 'forbidden') return refuse(ctx, verb, requestId);
    if (outcome.kind === 'notFound') return { kind: 'error', status: 404, text: ctx.t('requests.error.notFound') };
    if (outcome.kind === 'archived') {
      // History: no triage card to show (the clicked card stays as it is), the queue is shown fresh.
      if (view.kind === 'queue') return queueAnswer(ctx, view.state, outcome.reason, 'Attention');
      return { kind: 'message', text: say(ctx.t, outcome.reason) };
    }
    let notice: Message;
    let color: 'Default' | 'Good' | 'Attention';
    let record = outcome.record;
    if (outcome.kind === 'changed') {
      await rt.refreshChannelCard(record.tenantId, record.id);
      if (after) await after(record, outcome.before);
      notice = success(record);
      color = 'Good';
    } else {
      notice = outcome.reason;
      color = outcome.kind === 'unchanged' ? 'Default' : 'Attention';
      record = (await rt.service.get(ctx.actor.tenantId, record.id)) ?? record;
      // A refusal shows the clicker the current card; the shared copy must not be older than that.
      if (outcome.kind === 'refused') await rt.refreshChannelCard(record.tenantId, record.id);
    }
    if (view.kind === 'queue') return queueAnswer(ctx, view.state, notice, color);
    return { kind: 'card', card: await rt.triageCard(record, { notice, noticeColor: color }) };
  };

  /** The queue card again (filters kept) with a notice on top. */
  const queueAnswer = async (ctx: VerbContext, encoded: string | undefined, notice: Message, color: 'Default' | 'Good' | 'Attention'): Promise<CardActionResult> => {
    const state = decodeQueueState(encoded);
    const page = await rt.service.queue(ctx.actor.tenantId, state, ctx.actor.aadObjectId, ctx.now, state.page);
    return { kind: 'card', card: renderCard(QueueCard, queueCardData(ctx.t, page, state, { now: ctx.now, notice, noticeColor: color })) };
  };

  router.verb({
    verb: RequestsVerb.claim,
    data: ClaimData,
    handler: async (ctx, data) => {
      const person = await ctx.person();
      const outcome = await rt.service.claim(ctx.actor.tenantId, person, data.requestId, ctx.now);
      const view = data.view === 'queue' ? ({ kind: 'queue', state: data.state } as const) : ({ kind: 'triage' } as const);
      return answer(ctx, RequestsVerb.claim, data.requestId, outcome, (r) => ({ key: 'requests.notice.claimed', vars: { key: r.key } }), undefined, view);
    },
  });

  router.verb({
    verb: RequestsVerb.assign,
    data: AssignData,
    handler: async (ctx, data) => {
      const person = await ctx.person();
      const outcome = await rt.service.assign(ctx.actor.tenantId, person, data.requestId, data.assignee ?? '', data.version, ctx.now);
      return answer(
        ctx,
        RequestsVerb.assign,
        data.requestId,
        outcome,
        (r) => ({ key: 'requests.notice.assigned', vars: { key: r.key, name: r.assignee?.name ?? '' } }),
        (r) => rt.notifyAssignee(r, { aadObjectId: ctx.actor.aadObjectId, name: person?.name ?? ctx.actor.name }),
      );
    },
  });

  router.verb({
    verb: RequestsVerb.setStatus,
    data: StatusData,
    handler: async (ctx, data) => {
      const person = await ctx.person();
      const outcome = await rt.service.setStatus(ctx.actor.tenantId, person, data.requestId, data.status ?? '', data.caseNumber, data.version, ctx.now);
      return answer(
        ctx,
        RequestsVerb.setStatus,
        data.requestId,
        outcome,
        (r) => ({ key: 'requests.notice.statusSet', vars: { key: r.key, status: r.status } }),
        async (r, before) => {
          if (r.status !== before.status) await rt.notifyRequester(r, 'changed');
          // Submitted to Microsoft uses an incident: the admins hear about a low count now, not at the next 15-minute check.
          if (r.status === 'submitted' && before.status !== 'submitted') {
            checkContractWarningsSoon(rt.deps, ctx.now);
          }
        },
      );
    },
  });

  router.verb({
    verb: RequestsVerb.addNote,
    data: NoteData,
    handler: async (ctx, data) => {
      const person = await ctx.person();
      const visible = data.visibleToRequester === true || data.visibleToRequester === 'true';
      const outcome = await rt.service.addNote(ctx.actor.tenantId, person, data.requestId, data.note, visible, ctx.now);
      return answer(
        ctx,
        RequestsVerb.addNote,
        data.requestId,
        outcome,
        (r) => ({ key: visible ? 'requests.notice.noteAddedVisible' : 'requests.notice.noteAdded', vars: { key: r.key } }),
        async (r) => {
          const note = r.notes[r.notes.length - 1];
          if (visible && note) await rt.notifyRequester(r, 'note', note.id);
        },
      );
    },
  });

  router.verb({
    verb: RequestsVerb.withdraw,
    data: WithdrawData,
    handler: async (ctx, data) => {
      const outcome = await rt.service.withdraw(ctx.actor.tenantId, ctx.actor.aadObjectId, data.requestId, ctx.now);
      if (outcome.kind === 'forbidden') return { kind: 'error', status: 403, text: ctx.t('requests.error.notYours') };
      if (outcome.kind === 'notFound') return { kind: 'error', status: 404, text: ctx.t('requests.error.notFound') };
      if (outcome.kind === 'archived') return { kind: 'message', text: say(ctx.t, outcome.reason) };
      if (outcome.kind === 'changed') {
        await rt.refreshChannelCard(outcome.record.tenantId, outcome.record.id);
        return { kind: 'card', card: await rt.statusCard(outcome.record, ctx.lang, { headline: 'withdrawn', showRoute: false }) };
      }
      const current = (await rt.service.get(ctx.actor.tenantId, data.requestId)) ?? outcome.record;
      return { kind: 'card', card: await rt.statusCard(current, ctx.lang, { headline: 'current', notice: outcome.reason, noticeColor: 'Attention', showRoute: false }) };
    },
  });

  router.verb({
    verb: RequestsVerb.history,
    data: HistoryData,
    handler: async (ctx, data) => {
      const record = await rt.service.get(ctx.actor.tenantId, data.requestId);
      if (!record) return { kind: 'error', status: 404, text: ctx.t('requests.error.notFound') };
      if (!isHelpDesk(await ctx.person())) return { kind: 'error', status: 403, text: ctx.t('requests.error.viewNotAllowed') };
      const lang = await rt.channelLang(record.tenantId);
      return { kind: 'card', card: renderCard(HistoryCard, historyCardData(rt.deps.i18n.forLang(lang), record, data.page)) };
    },
  });

  router.verb({
    verb: RequestsVerb.refresh,
    data: RefreshData,
    handler: async (ctx, data) => {
      const record = await rt.service.get(ctx.actor.tenantId, data.requestId);
      if (!record) {
        // An archived request's card keeps showing its last state; the refresh says why it no longer changes.
        const key = await rt.service.archivedKey(ctx.actor.tenantId, data.requestId);
        if (key) return { kind: 'message', text: ctx.t('requests.archived.action', { key }) };
        return { kind: 'error', status: 404, text: ctx.t('requests.error.notFound') };
      }
      const isRequester = record.requester.aadObjectId.toLowerCase() === ctx.actor.aadObjectId.toLowerCase();
      const helpDesk = isHelpDesk(await ctx.person());
      if (data.view === 'triage' && helpDesk) return { kind: 'card', card: await rt.triageCard(record) };
      if (data.view === 'status' && (isRequester || helpDesk)) return { kind: 'card', card: await rt.statusCard(record, ctx.lang, { headline: 'current' }) };
      return { kind: 'error', status: 403, text: ctx.t('requests.error.viewNotAllowed') };
    },
  });
}
