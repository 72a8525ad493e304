/** The requests capability at run time: the service plus channel posts, in-place card updates and notifications. */
import type { AppDeps } from '../app-deps.js';
import { toActivity } from '../bot/turn.js';
import { Intent } from '../bot/intents.js';
import { MessageCard } from '../cards/common.js';
import { escapeMarkdown, renderCard, type AdaptiveCard } from '../cards/render.js';
import type { Person } from '../domain/org.js';
import { langOf, type Lang } from '../i18n/i18n.js';
import type { Logger } from '../logging/logger.js';
import type { SendResult } from '../notify/conversations.js';
import { RequestStatusCard, TriageCard } from './cards.js';
import type { ArchivedRequestsIndex, PersonRef, RequestRecord, RequestSettings } from './model.js';
import { RequestService, type Message } from './service.js';
import { statusCardData, triageCardData, type RequesterHeadline } from './views.js';

/** How long one instance may take to post a triage card before another may try (the post normally takes milliseconds). */
const TRIAGE_POST_CLAIM_MS = 60_000;

/** One per app: the service, plus everything that talks to Teams (channel posts, in-place updates, notifications). */
export class RequestsRuntime {
  readonly service: RequestService;
  readonly log: Logger;
  /** Per-request queue of channel posts and updates: the stored card never goes back to an older state. */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(readonly deps: AppDeps) {
    this.log = deps.logger.child({ component: 'requests' });
    this.service = new RequestService({
      requests: deps.store.collection<RequestRecord>('requests'),
      settings: deps.store.collection<RequestSettings>('request-settings'),
      audit: deps.store.audit,
      benefits: deps.benefits,
      organisation: () => deps.directory.organisation(),
      helpDeskMembers: () => deps.directory.listPeople('helpDesk'),
      policy: deps.policy,
      catalog: deps.catalog,
      archived: deps.store.collection<ArchivedRequestsIndex>('requests-archived'),
    });
  }

  /** Language of the help desk channel's cards (English until a channel is set). */
  async channelLang(tenantId: string): Promise<Lang> {
    return (await this.service.settings(tenantId))?.helpDeskChannel?.lang ?? 'en';
  }

  /** The contract's incidents left now (no IDs involved). */
  async remaining(tenantId: string): Promise<{ onPremises?: number; cloud?: number }> {
    const s = await this.deps.benefits.publicState(tenantId);
    return { onPremises: s?.onPremisesIncidentsRemaining, cloud: s?.cloudIncidentsRemaining };
  }

  /** The triage card of a request, in the channel's language unless given. */
  async triageCard(r: RequestRecord, opts: { lang?: Lang; notice?: Message; noticeColor?: 'Default' | 'Good' | 'Warning' | 'Attention' } = {}): Promise<AdaptiveCard> {
    const lang = opts.lang ?? (await this.channelLang(r.tenantId));
    const [members, remaining] = await Promise.all([this.deps.directory.listPeople('helpDesk'), this.remaining(r.tenantId)]);
    const t = this.deps.i18n.forLang(lang);
    return renderCard(TriageCard, triageCardData(t, r, { now: this.deps.now(), members, remaining, notice: opts.notice, noticeColor: opts.noticeColor }));
  }

  /** The requester's status card in `lang`. */
  async statusCard(r: RequestRecord, lang: Lang, opts: Omit<Parameters<typeof statusCardData>[2], 'remaining' | 'stepText'>): Promise<AdaptiveCard> {
    const t = this.deps.i18n.forLang(lang);
    return renderCard(RequestStatusCard, statusCardData(t, r, { ...opts, remaining: await this.remaining(r.tenantId), stepText: this.stepText(lang, r) }));
  }

  /** Route steps in the eligibility conversation's words when it has them (same wording as its decision card), else ours. */
  private stepText(lang: Lang, r: RequestRecord): (key: string) => string {
    const t = this.deps.i18n.forLang(lang);
    const vars = { product: r.product.label, cspPlan: this.deps.policy.benefitNames.cspSupportPlan };
    return (key) => {
      const shared = `eligibility.step.${key}`;
      if (this.deps.i18n.has(lang, shared)) {
        const text = t(shared, vars);
        if (!/\{\w+\}/.test(text)) return text;
      }
      return t(`requests.step.${key}`);
    };
  }

  /** Posts the triage card to the help desk channel once; false when there is no channel or the post failed. */
  postTriage(record: RequestRecord): Promise<boolean> {
    return this.serial(record.id, async () => {
      const cur = await this.service.get(record.tenantId, record.id);
      if (!cur) return false;
      if (cur.channelPost) return true;
      const channel = (await this.service.settings(cur.tenantId))?.helpDeskChannel;
      if (!channel) return false;
      // `serial` orders the posts of this instance only: with several instances (a double click landing on two, two
      // people setting the channel at once) the shared claim lets one of them post; the other counts it as posted.
      const claim = `requests.triagePost|${cur.id}`;
      if (!(await this.deps.store.claimOnce(claim, TRIAGE_POST_CLAIM_MS))) return true;
      // Not posted after all: a later attempt (a resubmit, the channel's backlog) may post it.
      const release = () => this.deps.store.releaseClaim(claim).catch((err: unknown) => this.log.warn({ err, request: cur.key }, 'triage post claim not released'));
      let sent: SendResult;
      try {
        const card = await this.triageCard(cur, { lang: channel.lang });
        sent = await this.deps.notifier.sendToConversation(channel.conversationId, toActivity(card));
      } catch (err) {
        await release();
        throw err;
      }
      if (!sent.ok) {
        this.log.warn({ request: cur.key, reason: sent.reason }, 'triage card not posted');
        await release();
        return false;
      }
      const post = { conversationId: sent.conversationId || channel.conversationId, activityId: sent.activityId };
      await this.service.markPosted(cur.id, post);
      await this.deps.store.audit.record({ tenantId: cur.tenantId, action: 'request.posted', subject: cur.id, details: { key: cur.key, conversationId: post.conversationId, activityId: post.activityId } });
      return true;
    });
  }

  /** Replaces the stored channel copy of the triage card with the current state, for everyone. */
  refreshChannelCard(tenantId: string, id: string): Promise<void> {
    return this.serial(id, async () => {
      const cur = await this.service.get(tenantId, id);
      if (!cur?.channelPost) return;
      const card = await this.triageCard(cur);
      const ok = await this.deps.notifier.update(cur.channelPost.conversationId, cur.channelPost.activityId, toActivity(card));
      if (!ok) this.log.warn({ request: cur.key }, 'triage card not updated in place');
    });
  }

  /** A personal status card to the requester (status change, note meant for them). */
  async notifyRequester(r: RequestRecord, headline: RequesterHeadline, noteId?: string): Promise<void> {
    const lang = await this.langOfUser(r.tenantId, r.requester.aadObjectId, r.lang);
    const card = await this.statusCard(r, lang, { headline, noteId, showRoute: false });
    const sent = await this.deps.notifier.sendToUser(r.tenantId, r.requester.aadObjectId, toActivity(card));
    if (!sent.ok) this.log.info({ request: r.key, reason: sent.reason }, 'requester not notified');
  }

  /** Tells the new assignee (unless they assigned themselves). */
  async notifyAssignee(r: RequestRecord, by: PersonRef): Promise<void> {
    const to = r.assignee;
    if (!to || to.aadObjectId.toLowerCase() === by.aadObjectId.toLowerCase()) return;
    const lang = await this.langOfUser(r.tenantId, to.aadObjectId, await this.channelLang(r.tenantId));
    const t = this.deps.i18n.forLang(lang);
    const card = renderCard(MessageCard, {
      title: t('requests.assigned.title', { key: r.key }),
      text: t('requests.assigned.text', { key: r.key, by: escapeMarkdown(by.name), severity: r.severity, product: r.product.label }),
      quote: r.title,
      color: r.severity === 'A' ? 'Attention' : 'Accent',
      commands: [{ title: t('requests.queueButton'), command: Intent.queue, args: '' }],
    });
    const sent = await this.deps.notifier.sendToUser(r.tenantId, to.aadObjectId, toActivity(card));
    if (!sent.ok) this.log.info({ request: r.key, reason: sent.reason }, 'assignee not notified');
  }

  /** Once per tenant while no help desk channel is set: tells the admins to choose one. */
  async tellAdminsNoChannel(r: RequestRecord): Promise<void> {
    if (!(await this.service.claimAdminNotice(r.tenantId, this.deps.now()))) return;
    const admins = new Map<string, Person>();
    for (const role of ['globalAdmin', 'mpnPartnerAdmin'] as const) {
      for (const p of await this.deps.directory.listPeople(role)) admins.set(p.aadObjectId.toLowerCase(), p);
    }
    for (const admin of admins.values()) {
      const lang = await this.langOfUser(r.tenantId, admin.aadObjectId, 'en');
      const t = this.deps.i18n.forLang(lang);
      const card = renderCard(MessageCard, {
        title: t('requests.admins.title'),
        text: t('requests.admins.text', { name: escapeMarkdown(r.requester.name), key: r.key }),
        quote: '',
        color: 'Warning',
        commands: [],
      });
      const sent = await this.deps.notifier.sendToUser(r.tenantId, admin.aadObjectId, toActivity(card));
      if (!sent.ok) this.log.info({ reason: sent.reason }, 'admin not told about the missing help desk channel');
    }
    await this.deps.store.audit.record({ tenantId: r.tenantId, action: 'request.adminsToldNoChannel', subject: r.id, details: { admins: admins.size } });
  }

  /** The language of a user's personal chat with the bot (their Teams locale), else `fallback`. */
  async langOfUser(tenantId: string, aadObjectId: string, fallback: Lang): Promise<Lang> {
    const rec = await this.deps.conversations.personal(tenantId, aadObjectId);
    return rec?.reference.locale ? langOf(rec.reference.locale) : fallback;
  }

  private serial<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(id) ?? Promise.resolve();
    const run = prev.then(fn);
    const tail = run.then(
      () => undefined,
      () => undefined, // the caller gets the rejection through `run`; the chain only orders the next one
    );
    this.chains.set(id, tail);
    void tail.then(() => {
      if (this.chains.get(id) === tail) this.chains.delete(id);
    });
    return run;
  }
}

const runtimes = new WeakMap<AppDeps, RequestsRuntime>();

/** The one runtime per app (registerRequests and runRequestAgeing share it). */
export function runtimeFor(deps: AppDeps): RequestsRuntime {
  let rt = runtimes.get(deps);
  if (!rt) {
    rt = new RequestsRuntime(deps);
    runtimes.set(deps, rt);
  }
  return rt;
}
