/** The activation conversation: "activate", "update contract" and the card actions — activity in, service call, card out. */
import { z } from 'zod';
import type { AppDeps } from '../app-deps.js';
import type { BenefitsRecord } from '../benefits/benefits-store.js';
import { UserFacingError } from '../bot/errors.js';
import type { CardActionResult, VerbContext } from '../bot/router.js';
import { toActivity, type BotTurn } from '../bot/turn.js';
import type { AdaptiveCard } from '../cards/render.js';
import { canActivate, membershipTier, type Person } from '../domain/org.js';
import { DirectoryUnavailableError } from '../identity/directory.js';
import { notifyRequester, sendApprovalCards, updateCopies } from './delivery.js';
import {
  ActivationRequests,
  activationAdmins,
  cleanComment,
  guidanceFor,
  REQUEST_ID,
  REQUESTS_COLLECTION,
  validateContract,
  type ActivationRequest,
  type Guidance,
  type PersonRef,
  type Requester,
} from './service.js';
import {
  activatedCard,
  approvalCard,
  askAdminCard,
  formCard,
  noBenefitsCard,
  notAuthorizedCard,
  openRequestLine,
  savedCard,
  stepsCard,
  updateNotAllowedCard,
} from './views.js';

const requestId = z.string().regex(REQUEST_ID);
const optionalRequestId = z.union([z.literal(''), requestId]).optional();
const mode = z.enum(['activate', 'update']);
const field = z.string().max(1000).optional();

/** The card data each verb accepts (inputs of the card arrive merged into it). */
export const ActivationSchemas = {
  request: z.object({}),
  decide: z.object({ requestId, comment: z.string().max(5000).optional() }),
  refresh: z.object({ requestId }),
  openForm: z.object({ mode, requestId: optionalRequestId }),
  save: z.object({ mode, requestId: optionalRequestId, accessId: field, contractId: field, startDate: field, endDate: field }),
};

/** The stored approval requests of the app. */
export function activationRequestsOf(deps: AppDeps): ActivationRequests {
  return new ActivationRequests(deps.store.collection<ActivationRequest>(REQUESTS_COLLECTION), deps.store.audit, deps.logger.child({ component: 'activation' }));
}

export class ActivationFlow {
  readonly requests: ActivationRequests;

  constructor(private readonly deps: AppDeps) {
    this.requests = activationRequestsOf(deps);
  }

  /** "activate": the explanation or the steps that fit the person (A1, A2, A4, R1, A3). */
  async activate(ctx: BotTurn): Promise<void> {
    const { g } = await this.guidance(ctx);
    await ctx.send(await this.guidanceCard(ctx, g));
  }

  /** "update contract": the ID form for admins (in the personal chat), an explanation for everyone else. */
  async updateContract(ctx: BotTurn): Promise<void> {
    const { person, g } = await this.guidance(ctx);
    if (g.kind === 'notAuthorized') return ctx.send(notAuthorizedCard(ctx.t, this.org(), g.reason));
    if (!canActivate(person)) return ctx.send(updateNotAllowedCard(ctx.t, this.org(), (await this.admins()).map((a) => a.name)));
    const form = await this.form(ctx, 'update');
    if (ctx.conversation.kind !== 'personal') return ctx.send(await this.sendPrivately(ctx, form));
    await ctx.send(form);
  }

  /** "Ask an admin to activate": one open request at a time, approval cards to every admin, a status card back. */
  async request(ctx: VerbContext): Promise<CardActionResult> {
    const { person, g } = await this.guidance(ctx);
    if (g.kind !== 'askAdmin' || !person) return { kind: 'card', card: await this.guidanceCard(ctx, g) };
    const admins = await this.admins();
    const org = this.org();
    if (!admins.length) return { kind: 'card', card: askAdminCard(ctx.t, org, { admins: [], actorAadObjectId: ctx.actor.aadObjectId }) };
    const requester: Requester = {
      aadObjectId: person.aadObjectId,
      name: person.name,
      teamsUserId: ctx.turn.activity.from?.id,
      conversationId: ctx.conversation.id,
      lang: ctx.lang,
    };
    const { created, request } = await this.requests.create(ctx.actor.tenantId, requester, ctx.now);
    if (!created) {
      const notes = [ctx.t('activation.approval.alreadyOpen'), openRequestLine(ctx.t, request, ctx.actor.aadObjectId)];
      return { kind: 'card', card: approvalCard(ctx.t, request, { view: 'status', userIds: this.statusUserIds(request, ctx), org, notes }) };
    }
    const delivery = await sendApprovalCards(this.deps, request, admins);
    const stored = await this.requests.recordDelivery(request.id, delivery, ctx.now, 'notified');
    if (stored.status !== 'pending') await updateCopies(this.deps, stored); // decided while the cards were on their way
    const notes = [ctx.t('activation.approval.waiting', { org })];
    if (!delivery.copies.length) notes.push(ctx.t('activation.approval.noneReachable'));
    return { kind: 'card', card: approvalCard(ctx.t, stored, { view: 'status', userIds: this.statusUserIds(stored, ctx), org, notes, unreachable: delivery.unreachable }) };
  }

  /** Approve / Reject: the clicker's role comes from the directory, the request from the store; the first decision wins. */
  async decide(ctx: VerbContext, data: z.infer<typeof ActivationSchemas.decide>, outcome: 'approved' | 'rejected'): Promise<CardActionResult> {
    const person = await this.requireAdmin(ctx, `decide:${outcome}`, data.requestId);
    const current = await this.requests.get(ctx.actor.tenantId, data.requestId);
    if (!current) throw new UserFacingError('activation.error.noRequest', undefined, 404);
    const by: PersonRef = { aadObjectId: person.aadObjectId, name: person.name };
    const res = await this.requests.decide(current.id, { outcome, by, at: ctx.now.toISOString(), comment: cleanComment(data.comment) });
    const org = this.org();
    const r = res.request;
    if (!res.won) {
      return { kind: 'card', card: approvalCard(ctx.t, r, { view: 'status', userIds: r.adminUserIds, org, notes: [ctx.t('activation.approval.alreadyDecided')] }) };
    }
    await Promise.all([updateCopies(this.deps, r), notifyRequester(this.deps, r)]);
    if (outcome === 'approved') await ctx.send(stepsCard(ctx.t, org, { request: r, approvedNow: true }));
    return { kind: 'card', card: approvalCard(ctx.t, r, { view: 'status', userIds: r.adminUserIds, org }) };
  }

  /** Teams' refresh: the admin view for admins while pending, the read-only status for everyone else. */
  async refresh(ctx: VerbContext, data: z.infer<typeof ActivationSchemas.refresh>): Promise<CardActionResult> {
    const r = await this.requests.get(ctx.actor.tenantId, data.requestId);
    if (!r) throw new UserFacingError('activation.error.noRequest', undefined, 404);
    let person: Person | undefined;
    try {
      person = await ctx.person();
    } catch (err) {
      if (!(err instanceof DirectoryUnavailableError)) throw err;
      ctx.log.warn({ requestId: r.id }, 'directory unavailable: read-only approval card'); // fail closed: no buttons
    }
    const org = this.org();
    if (canActivate(person) && r.status === 'pending') {
      return { kind: 'card', card: approvalCard(ctx.t, r, { view: 'admin', userIds: r.adminUserIds, org }) };
    }
    const mine = this.isRequester(r, ctx);
    const notes = mine && r.status === 'pending' ? [ctx.t('activation.approval.waiting', { org })] : [];
    return {
      kind: 'card',
      card: approvalCard(ctx.t, r, { view: 'status', userIds: this.statusUserIds(r, ctx), org, notes, unreachable: mine && r.status === 'pending' ? r.unreachable : [] }),
    };
  }

  /** "I have activated" / "Correct the contract": the ID form (sent to the personal chat when clicked elsewhere). */
  async openForm(ctx: VerbContext, data: z.infer<typeof ActivationSchemas.openForm>): Promise<CardActionResult> {
    await this.requireAdmin(ctx, 'form', data.requestId || undefined);
    const request = data.requestId ? await this.requests.get(ctx.actor.tenantId, data.requestId) : undefined;
    const form = await this.form(ctx, data.mode, request?.id);
    if (ctx.conversation.kind !== 'personal') return { kind: 'message', text: await this.sendPrivately(ctx, form) };
    return { kind: 'card', card: form };
  }

  /** Saves the IDs (sealed) and dates, completes every open request and tells the requesters; problems go back on the form. */
  async save(ctx: VerbContext, data: z.infer<typeof ActivationSchemas.save>): Promise<CardActionResult> {
    const person = await this.requireAdmin(ctx, 'save', data.requestId || undefined);
    if (ctx.conversation.kind !== 'personal') throw new UserFacingError('activation.form.personalOnly');
    const org = this.org();
    const v = validateContract(data);
    if (!v.ok) return { kind: 'card', card: formCard(ctx.t, org, { mode: data.mode, requestId: data.requestId, values: v.echo, errors: v.errors }) };
    const tenantId = ctx.actor.tenantId;
    const at = ctx.now.toISOString();
    const seen: { first?: BenefitsRecord } = {};
    await this.deps.benefits.mutate(tenantId, ctx.now, (cur) => {
      if (data.mode === 'activate' && cur.activated) {
        seen.first = cur; // someone recorded it first: never overwrite silently
        return undefined;
      }
      return {
        ...cur,
        activated: true,
        accessIdSealed: this.deps.benefits.seal(v.value.accessId),
        contractIdSealed: this.deps.benefits.seal(v.value.contractId),
        startDate: v.value.startDate,
        endDate: v.value.endDate,
        activatedAt: cur.activated ? cur.activatedAt ?? at : at,
        activatedBy: cur.activated ? cur.activatedBy : person.aadObjectId,
        updatedAt: at,
        updatedBy: person.aadObjectId,
      };
    });
    if (seen.first) {
      const byName = await this.nameOf(ctx, seen.first.activatedBy);
      return { kind: 'card', card: activatedCard(ctx.t, org, { at: seen.first.activatedAt, byName, canUpdate: true, before: [ctx.t('activation.activated.recordedFirst')] }) };
    }
    await this.requests.event(tenantId, data.mode === 'activate' ? 'activation.activated' : 'activation.contractUpdated', person.aadObjectId, ctx.now, tenantId, {
      requestId: data.requestId || null,
      startDate: v.value.startDate,
      endDate: v.value.endDate,
    });
    const completed = await this.completeOpenRequests(tenantId, { aadObjectId: person.aadObjectId, name: person.name }, ctx.now);
    return { kind: 'card', card: savedCard(ctx.t, org, { mode: data.mode, at, completed }) };
  }

  /** Marks every open request completed, updates its approval cards and tells its requester. */
  private async completeOpenRequests(tenantId: string, by: PersonRef, now: Date): Promise<ActivationRequest[]> {
    const done: ActivationRequest[] = [];
    for (const open of await this.requests.open(tenantId)) {
      const res = await this.requests.complete(open.id, by, now);
      if (!res.won) continue;
      done.push(res.request);
      await Promise.all([updateCopies(this.deps, res.request), notifyRequester(this.deps, res.request)]);
    }
    return done;
  }

  private org(): string {
    return this.deps.directory.organisation().name;
  }

  private async guidance(ctx: BotTurn): Promise<{ person?: Person; g: Guidance }> {
    const person = await ctx.person();
    const state = await this.deps.benefits.publicState(ctx.actor.tenantId);
    return { person, g: guidanceFor(person, membershipTier(this.deps.directory.organisation()), state) };
  }

  private async guidanceCard(ctx: BotTurn, g: Guidance): Promise<AdaptiveCard> {
    const org = this.org();
    switch (g.kind) {
      case 'notAuthorized':
        return notAuthorizedCard(ctx.t, org, g.reason);
      case 'noBenefits':
        return noBenefitsCard(ctx.t, org);
      case 'activated':
        return activatedCard(ctx.t, org, { at: g.activatedAt, byName: await this.nameOf(ctx, g.activatedBy), canUpdate: g.canUpdate });
      case 'selfActivate':
        return stepsCard(ctx.t, org, { request: (await this.requests.open(ctx.actor.tenantId))[0] });
      case 'askAdmin': {
        const [admins, open] = await Promise.all([this.admins(), this.requests.open(ctx.actor.tenantId)]);
        return askAdminCard(ctx.t, org, { admins: admins.map((a) => a.name), open: open[0], actorAadObjectId: ctx.actor.aadObjectId });
      }
    }
  }

  /** R1 on the server: the directory decides, never the card. Refusals are audited. */
  private async requireAdmin(ctx: BotTurn, what: string, subject?: string): Promise<Person> {
    const person = await ctx.person();
    if (person && canActivate(person)) return person;
    const reason = !person ? 'unknown' : person.mpnAssociated ? 'role' : 'notMpn';
    await this.requests.event(ctx.actor.tenantId, 'activation.refused', ctx.actor.aadObjectId || undefined, ctx.now, subject, { what, reason });
    throw new UserFacingError('activation.error.notAdmin', undefined, 403);
  }

  private async admins(): Promise<Person[]> {
    const [globalAdmins, partnerAdmins] = await Promise.all([this.deps.directory.listPeople('globalAdmin'), this.deps.directory.listPeople('mpnPartnerAdmin')]);
    return activationAdmins(globalAdmins, partnerAdmins);
  }

  private async nameOf(ctx: BotTurn, aadObjectId: string | undefined): Promise<string | undefined> {
    if (!aadObjectId) return undefined;
    return (await this.deps.directory.getPerson(ctx.actor.tenantId, aadObjectId))?.name;
  }

  private async form(ctx: BotTurn, formMode: 'activate' | 'update', forRequest?: string): Promise<AdaptiveCard> {
    const state = formMode === 'update' ? await this.deps.benefits.publicState(ctx.actor.tenantId) : undefined;
    return formCard(ctx.t, this.org(), { mode: formMode, requestId: forRequest, values: { startDate: state?.startDate ?? '', endDate: state?.endDate ?? '' } });
  }

  /** Sends the ID form to the admin's personal chat; returns what to say where they clicked. */
  private async sendPrivately(ctx: BotTurn, form: AdaptiveCard): Promise<string> {
    const sent = await this.deps.notifier.sendToUser(ctx.actor.tenantId, ctx.actor.aadObjectId, toActivity(form));
    return ctx.t(sent.ok ? 'activation.form.sentPrivately' : 'activation.form.openPersonal');
  }

  private isRequester(r: ActivationRequest, ctx: BotTurn): boolean {
    return r.requester.aadObjectId.toLowerCase() === ctx.actor.aadObjectId.toLowerCase();
  }

  /** Who gets the automatic refresh of a read-only card: the requester on theirs, the admins otherwise. */
  private statusUserIds(r: ActivationRequest, ctx: BotTurn): string[] {
    if (this.isRequester(r, ctx)) return r.requester.teamsUserId ? [r.requester.teamsUserId] : [];
    return r.adminUserIds;
  }
}
