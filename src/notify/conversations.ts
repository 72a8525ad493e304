/** Conversation references (saved on install and on every message) and proactive sending through them. */
import { TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { Repository, Versioned } from '../storage/collection.js';
import type { Logger } from '../logging/logger.js';
import type { ConversationKind } from '../bot/turn.js';

export interface ConversationRecord extends Versioned {
  reference: Partial<ConversationReference>;
  kind: ConversationKind;
  tenantId: string;
  /** For personal chats: the user the chat is with. */
  userAadObjectId?: string;
  updatedAt: string;
}

const personalKey = (tenantId: string, aadObjectId: string) => `personal:${tenantId.toLowerCase()}:${aadObjectId.toLowerCase()}`;
/** A channel message in a thread carries ";messageid=…": the channel itself is the part before it. */
const baseConversationId = (conversationId: string) => conversationId.split(';messageid=')[0];
const conversationKey = (conversationId: string) => `conv:${baseConversationId(conversationId)}`;

export class ConversationDirectory {
  constructor(private readonly repo: Repository<ConversationRecord>) {}

  /** Saves the reference of the activity's conversation unless an identical one is stored (no write per turn). */
  async remember(activity: Partial<Activity>, kind: ConversationKind, tenantId: string, now: Date): Promise<void> {
    const reference = TurnContext.getConversationReference(activity);
    delete reference.activityId;
    if (reference.conversation?.id) reference.conversation = { ...reference.conversation, id: baseConversationId(reference.conversation.id) };
    const userId = activity.from?.aadObjectId;
    const keys = [conversationKey(reference.conversation?.id ?? '')];
    if (kind === 'personal' && userId) keys.push(personalKey(tenantId, userId));
    for (const id of keys) {
      // Nearly every turn finds its reference stored already: check the stored record (no copy) before an upsert.
      const stored = await this.repo.get(id);
      if (stored && sameReference(stored.reference, reference, kind === 'personal')) continue;
      await this.repo.upsert(id, (cur) => {
        if (cur && sameReference(cur.reference, reference, kind === 'personal')) return undefined;
        return { id, reference, kind, tenantId, userAadObjectId: kind === 'personal' ? userId : undefined, updatedAt: now.toISOString() };
      });
    }
  }

  /** The personal chat with a user, if they ever talked to the bot. */
  async personal(tenantId: string, aadObjectId: string): Promise<ConversationRecord | undefined> {
    return this.repo.get(personalKey(tenantId, aadObjectId));
  }

  /** A conversation by id (channels, group chats, personal chats). */
  async byConversationId(conversationId: string): Promise<ConversationRecord | undefined> {
    return this.repo.get(conversationKey(conversationId));
  }
}

/**
 * Whether a stored reference still serves. In a channel or group chat the reference's user is whoever spoke last,
 * which a proactive post there does not need: comparing it would rewrite the channel's record whenever another
 * member speaks (measured: a durable write on every other help desk turn).
 */
function sameReference(a: Partial<ConversationReference>, b: Partial<ConversationReference>, personal: boolean): boolean {
  const same = a.serviceUrl === b.serviceUrl && a.conversation?.id === b.conversation?.id && a.bot?.id === b.bot?.id;
  return same && (!personal || (a.user?.id === b.user?.id && a.locale === b.locale));
}

export type SendResult = { ok: true; activityId: string; conversationId: string } | { ok: false; reason: 'noConversation' | 'failed' };

/** Proactive messages and in-place updates. */
export interface Notifier {
  /** Sends to the user's personal chat with the bot. */
  sendToUser(tenantId: string, aadObjectId: string, activity: Partial<Activity>): Promise<SendResult>;
  /** Sends to a stored conversation (a channel or a chat). */
  sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<SendResult>;
  /** Replaces an activity the bot sent earlier. */
  update(conversationId: string, activityId: string, activity: Partial<Activity>): Promise<boolean>;
}

/** Notifier over CloudAdapter.continueConversationAsync. */
export class AdapterNotifier implements Notifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly conversations: ConversationDirectory,
    private readonly log: Logger,
  ) {}

  async sendToUser(tenantId: string, aadObjectId: string, activity: Partial<Activity>): Promise<SendResult> {
    const rec = await this.conversations.personal(tenantId, aadObjectId);
    if (!rec) return { ok: false, reason: 'noConversation' };
    return this.send(rec, activity);
  }

  async sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<SendResult> {
    const rec = await this.conversations.byConversationId(conversationId);
    if (!rec) return { ok: false, reason: 'noConversation' };
    return this.send(rec, activity);
  }

  async update(conversationId: string, activityId: string, activity: Partial<Activity>): Promise<boolean> {
    const rec = await this.conversations.byConversationId(conversationId);
    if (!rec) return false;
    try {
      await this.adapter.continueConversationAsync(this.appId, rec.reference, async (ctx) => {
        await ctx.updateActivity({ ...activity, id: activityId, conversation: rec.reference.conversation } as Partial<Activity>);
      });
      return true;
    } catch (err) {
      this.log.warn({ err, conversationId }, 'proactive update failed');
      return false;
    }
  }

  private async send(rec: ConversationRecord, activity: Partial<Activity>): Promise<SendResult> {
    let activityId = '';
    try {
      await this.adapter.continueConversationAsync(this.appId, rec.reference, async (ctx) => {
        const r = await ctx.sendActivity(activity);
        activityId = r?.id ?? '';
      });
      return { ok: true, activityId, conversationId: rec.reference.conversation?.id ?? '' };
    } catch (err) {
      this.log.warn({ err, conversation: rec.id }, 'proactive send failed');
      return { ok: false, reason: 'failed' };
    }
  }
}
