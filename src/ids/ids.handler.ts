/**
 * Thin handlers of the IDs capability: who is asking (R2, checked on the server for every command and click),
 * where (IDs only in personal chat), then the service and a card. The plain IDs leave this file only in the reveal
 * verb's invoke response.
 */
import type { AppDeps } from '../app-deps.js';
import { Intent } from '../bot/intents.js';
import type { CardActionResult, VerbContext } from '../bot/router.js';
import { toActivity, type BotTurn } from '../bot/turn.js';
import { MessageCard, type CommandButton } from '../cards/common.js';
import { renderCard, type AdaptiveCard } from '../cards/render.js';
import type { BenefitsRecord } from '../benefits/benefits-store.js';
import type { BenefitsState, Person } from '../domain/org.js';
import type { Translate } from '../i18n/i18n.js';
import { contractForm, formValues, idsCard, incidentsCard, type CardEnv } from './cards.js';
import {
  canEditContract,
  ContractChangedError,
  idsAccess,
  isoDay,
  NotActivatedError,
  recordAssociation,
  saveContractEdit,
  validateContractEdit,
  type ContractEditInput,
  type IdsAccess,
  type Portal,
  type RefusalReason,
} from './service.js';
import { checkContractWarningsSoon } from './warnings.js';

/** The stored benefits of the organisation, opened (IDs included) — only after the R2 check. */
interface View {
  record: BenefitsRecord | undefined;
  state: BenefitsState | undefined;
}

export class IdsHandlers {
  constructor(private readonly deps: AppDeps) {}

  private get org() {
    return this.deps.directory.organisation();
  }

  private env(t: Translate, now: Date): CardEnv {
    return { t, policy: this.deps.policy, organisationName: this.org.name, today: isoDay(now) };
  }

  /** R2 for the actor of this turn; an unavailable directory propagates (a clear "try later"). */
  private async access(ctx: BotTurn): Promise<IdsAccess> {
    const orgTenant = this.org.tenantId;
    if (ctx.actor.tenantId.toLowerCase() !== orgTenant.toLowerCase()) return idsAccess(ctx.actor.tenantId, orgTenant, undefined);
    return idsAccess(ctx.actor.tenantId, orgTenant, await ctx.person());
  }

  /** A member of the organisation (any role): may see the contract figures, which hold no IDs. */
  private async member(ctx: BotTurn): Promise<Person | undefined> {
    if (ctx.actor.tenantId.toLowerCase() !== this.org.tenantId.toLowerCase()) return undefined;
    return ctx.person();
  }

  private async view(withIds: boolean): Promise<View> {
    const tenantId = this.org.tenantId;
    const record = await this.deps.benefits.record(tenantId);
    const state = withIds ? await this.deps.benefits.state(tenantId) : await this.deps.benefits.publicState(tenantId);
    return { record, state };
  }

  private message(t: Translate, titleKey: string, textKey: string, color: 'Attention' | 'Warning' | 'Default', commands: CommandButton[] = []): AdaptiveCard {
    const org = this.org.name;
    return renderCard(MessageCard, { title: t(titleKey, { org }), text: t(textKey, { org }), quote: '', color, commands });
  }

  private refusal(ctx: BotTurn, reason: RefusalReason): AdaptiveCard {
    ctx.log.info({ reason }, 'ids refused');
    return this.message(ctx.t, 'ids.refuse.title', `ids.refuse.${reason}`, 'Attention');
  }

  private notActivated(t: Translate): AdaptiveCard {
    const activate = this.deps.router.getIntent(Intent.activate) ? [{ title: t('ids.notActivated.button'), command: Intent.activate, args: '' }] : [];
    return this.message(t, 'ids.notActivated.title', 'ids.notActivated.text', 'Warning', activate);
  }

  /** The masked card for an allowed person, or the reason there is none (not activated, IDs not recorded). */
  maskedCardFor(person: Person, t: Translate, now: Date, view: View, notice?: string): { card: AdaptiveCard; masked: boolean } {
    const { state, record } = view;
    if (!state?.activated) return { card: this.notActivated(t), masked: false };
    if (!state.accessId || !state.contractId) return { card: this.message(t, 'ids.noIds.title', 'ids.noIds.text', 'Warning'), masked: false };
    return { card: idsCard({ accessId: state.accessId, contractId: state.contractId }, state, record, person, this.env(t, now), { revealed: false, notice }), masked: true };
  }

  /** "ids": refusal, or the masked card here (personal chat) or sent to the personal chat (group chat, channel). */
  async showIds(ctx: BotTurn): Promise<void> {
    const access = await this.access(ctx);
    if (!access.allowed) return ctx.send(this.refusal(ctx, access.reason));
    const { card, masked } = this.maskedCardFor(access.person, ctx.t, ctx.now, await this.view(true));
    if (!masked || ctx.conversation.kind === 'personal') return ctx.send(card);
    const sent = await this.deps.notifier.sendToUser(ctx.actor.tenantId, ctx.actor.aadObjectId, toActivity(card));
    const key = sent.ok ? 'ids.private.sent' : sent.reason === 'noConversation' ? 'ids.private.noConversation' : 'ids.private.failed';
    ctx.log.info({ delivered: sent.ok, reason: sent.ok ? undefined : sent.reason }, 'ids sent to personal chat');
    await ctx.send(ctx.t(key));
  }

  /** "How many incidents are left": the local figures, last update, and the O6 check in Support for Business. */
  async showIncidents(ctx: BotTurn, notice?: string): Promise<AdaptiveCard> {
    const person = await this.member(ctx);
    if (!person) {
      ctx.log.info({ reason: 'notMember' }, 'incidents refused');
      return this.message(ctx.t, 'ids.refuse.title', 'ids.refuse.incidents', 'Attention');
    }
    const { state, record } = await this.view(false);
    if (!state?.activated) return this.notActivated(ctx.t);
    const canEdit = canEditContract(person) && ctx.conversation.kind === 'personal';
    return incidentsCard(state, record?.updatedAt, this.env(ctx.t, ctx.now), { canEdit, notice });
  }

  /** The checks every IDs card action starts with: R2 on the server, personal chat only. */
  private async guard(ctx: VerbContext): Promise<{ ok: true; person: Person } | { ok: false; result: CardActionResult }> {
    const access = await this.access(ctx);
    if (!access.allowed) {
      ctx.log.info({ reason: access.reason, trigger: ctx.trigger }, 'ids action refused');
      return { ok: false, result: { kind: 'error', status: 403, text: ctx.t(`ids.refuse.${access.reason}`, { org: this.org.name }) } };
    }
    if (ctx.conversation.kind !== 'personal') return { ok: false, result: { kind: 'message', text: ctx.t('ids.private.useChat') } };
    return { ok: true, person: access.person };
  }

  private masked(ctx: VerbContext, person: Person, view: View, notice?: string): CardActionResult {
    return { kind: 'card', card: this.maskedCardFor(person, ctx.t, ctx.now, view, notice).card };
  }

  /** "Reveal": audited, answered only as the clicker's invoke response (a typed Submit or a refresh gets no values). */
  async reveal(ctx: VerbContext): Promise<CardActionResult> {
    const g = await this.guard(ctx);
    if (!g.ok) return g.result;
    if (ctx.trigger === 'submit') return { kind: 'message', text: ctx.t('ids.reveal.useButton') };
    const view = await this.view(true);
    const { state, record } = view;
    if (ctx.trigger !== 'manual' || !state?.activated || !state.accessId || !state.contractId) return this.masked(ctx, g.person, view);
    // Audit first: a reveal that cannot be recorded does not happen (StorageWriteError → "not saved, try again").
    await this.deps.store.audit.record({ at: ctx.now.toISOString(), tenantId: this.org.tenantId, actor: g.person.aadObjectId, action: 'ids.revealed', subject: this.org.tenantId, details: { conversation: ctx.conversation.kind } });
    ctx.log.info({}, 'ids revealed');
    const card = idsCard({ accessId: state.accessId, contractId: state.contractId }, state, record, g.person, this.env(ctx.t, ctx.now), { revealed: true });
    return { kind: 'card', card };
  }

  /** "Hide": the masked card again. */
  async hide(ctx: VerbContext): Promise<CardActionResult> {
    const g = await this.guard(ctx);
    if (!g.ok) return g.result;
    return this.masked(ctx, g.person, await this.view(true));
  }

  /** "I have associated it in <portal>": recorded for the diagnosis (associatedAccounts), audited. */
  async associate(ctx: VerbContext, portal: Portal): Promise<CardActionResult> {
    const g = await this.guard(ctx);
    if (!g.ok) return g.result;
    if (ctx.trigger === 'automatic') return this.masked(ctx, g.person, await this.view(true)); // a refresh records nothing
    const tenantId = this.org.tenantId;
    const before = await this.deps.benefits.publicState(tenantId);
    if (!before?.activated) return { kind: 'card', card: this.notActivated(ctx.t) };
    const { added } = await recordAssociation(this.deps.benefits, tenantId, g.person.aadObjectId, portal, ctx.now);
    const portalName = ctx.t(`ids.portal.${portal}.short`);
    if (added) {
      await this.audit(ctx, 'ids.associated', { portal });
      ctx.log.info({ portal }, 'ids association recorded');
    }
    return this.masked(ctx, g.person, await this.view(true), ctx.t(added ? 'ids.associate.recorded' : 'ids.associate.already', { portal: portalName }));
  }

  /** "Edit contract": the admin's form with the stored figures. */
  async editContract(ctx: VerbContext): Promise<CardActionResult> {
    const g = await this.adminGuard(ctx);
    if (!g.ok) return g.result;
    const record = await this.deps.benefits.record(this.org.tenantId);
    if (!record?.activated) return { kind: 'card', card: this.notActivated(ctx.t) };
    return { kind: 'card', card: contractForm(formValues(record), record.version, this.env(ctx.t, ctx.now)) };
  }

  /** Saves the form: errors on the card; a record changed meanwhile shows the current figures; audited. */
  async saveContract(ctx: VerbContext, input: ContractEditInput, version: number): Promise<CardActionResult> {
    const g = await this.adminGuard(ctx);
    if (!g.ok) return g.result;
    if (ctx.trigger === 'automatic') return { kind: 'card', card: await this.showIncidents(ctx) }; // a refresh saves nothing
    const env = this.env(ctx.t, ctx.now);
    const v = validateContractEdit(input);
    if (!v.ok) return { kind: 'card', card: contractForm(v.echo, version, env, v.errors) };
    let changed: string[];
    try {
      ({ changed } = await saveContractEdit(this.deps.benefits, this.org.tenantId, v.value, version, g.person.aadObjectId, ctx.now));
    } catch (err) {
      if (err instanceof ContractChangedError) {
        ctx.log.info({ expected: version, current: err.current.version }, 'contract form out of date');
        return { kind: 'card', card: contractForm(formValues(err.current), err.current.version, env, [], ctx.t('ids.form.changed')) };
      }
      if (err instanceof NotActivatedError) return { kind: 'card', card: this.notActivated(ctx.t) };
      throw err;
    }
    if (changed.length) {
      await this.audit(ctx, 'ids.contract.updated', { fields: changed.join(',') });
      ctx.log.info({ fields: changed }, 'contract updated');
      checkContractWarningsSoon(this.deps, ctx.now);
    }
    return { kind: 'card', card: await this.showIncidents(ctx, ctx.t(changed.length ? 'ids.form.saved' : 'ids.form.unchanged')) };
  }

  private async adminGuard(ctx: VerbContext): Promise<{ ok: true; person: Person } | { ok: false; result: CardActionResult }> {
    const g = await this.guard(ctx);
    if (!g.ok) return g;
    if (!canEditContract(g.person)) {
      ctx.log.info({ reason: 'notAdmin' }, 'contract edit refused');
      return { ok: false, result: { kind: 'error', status: 403, text: ctx.t('ids.form.notAdmin') } };
    }
    return g;
  }

  /** An audit line for a change that is already stored: a lost line is logged loudly rather than undoing it. */
  private async audit(ctx: BotTurn, action: string, details: Record<string, string | number | boolean | null>): Promise<void> {
    try {
      await this.deps.store.audit.record({ at: ctx.now.toISOString(), tenantId: this.org.tenantId, actor: ctx.actor.aadObjectId, action, subject: this.org.tenantId, details });
    } catch (err) {
      ctx.log.error({ err, action }, 'audit record failed');
    }
  }
}
