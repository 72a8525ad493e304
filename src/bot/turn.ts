/** The one context object every handler gets: who, where, what was said, and how to answer. */
import { CardFactory, MessageFactory, TurnContext, type Activity } from 'botbuilder';
import type { AdaptiveCard } from '../cards/render.js';
import type { Person } from '../domain/org.js';
import type { Lang, Translate } from '../i18n/i18n.js';
import type { Directory } from '../identity/directory.js';
import type { Logger } from '../logging/logger.js';

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

export interface Actor {
  tenantId: string;
  aadObjectId: string;
  name: string;
}

export interface BotTurn {
  readonly turn: TurnContext;
  readonly lang: Lang;
  readonly t: Translate;
  readonly actor: Actor;
  readonly conversation: { id: string; kind: ConversationKind; tenantId: string };
  /** Message text with the bot mention removed, trimmed. */
  readonly text: string;
  readonly log: Logger;
  readonly now: Date;
  /** The actor in the directory (cached for the turn); undefined for unknown people. Throws DirectoryUnavailableError. */
  person(): Promise<Person | undefined>;
  /** Sends text or a card to the current conversation. */
  send(message: string | AdaptiveCard): Promise<void>;
  /** Says what this answer was about, so that a short next message can continue it ("and 2016?"). */
  setTopic(topic: { product?: { familyId: string; label: string; familyName: string } }): void;
}

/** Where a turn's topic waits until the bot saves it in the conversation state. */
export const TOPIC_KEY = Symbol('topic');

/** Teams' conversationType as our kind. */
export function conversationKind(activity: Partial<Activity>): ConversationKind {
  const t = activity.conversation?.conversationType;
  if (t === 'channel') return 'channel';
  if (t === 'groupChat') return 'groupChat';
  return 'personal';
}

/** The tenant of an activity (conversation.tenantId, else channelData.tenant.id). */
export function tenantOf(activity: Partial<Activity>): string {
  const cd = activity.channelData as { tenant?: { id?: string } } | undefined;
  return activity.conversation?.tenantId ?? cd?.tenant?.id ?? '';
}

/** Turns an outgoing text or card into an activity. */
export function toActivity(message: string | AdaptiveCard): Partial<Activity> {
  return typeof message === 'string' ? MessageFactory.text(message) : MessageFactory.attachment(CardFactory.adaptiveCard(message));
}

/** Builds the BotTurn of a TurnContext. */
export function createBotTurn(opts: { turn: TurnContext; lang: Lang; t: Translate; directory: Directory; log: Logger; now?: Date }): BotTurn {
  const { turn } = opts;
  const a = turn.activity;
  const kind = conversationKind(a);
  const tenantId = tenantOf(a);
  let text = a.text ?? '';
  if (kind !== 'personal' && typeof text === 'string') text = TurnContext.removeRecipientMention(a) ?? text;
  text = typeof text === 'string' ? text.replace(/<at>[^<]*<\/at>/g, '').trim() : '';
  let cached: Promise<Person | undefined> | undefined;
  return {
    turn,
    lang: opts.lang,
    t: opts.t,
    actor: { tenantId, aadObjectId: a.from?.aadObjectId ?? '', name: a.from?.name ?? '' },
    conversation: { id: a.conversation?.id ?? '', kind, tenantId },
    text,
    log: opts.log,
    now: opts.now ?? new Date(),
    person() {
      if (!cached) {
        const id = a.from?.aadObjectId;
        cached = id ? opts.directory.getPerson(tenantId, id) : Promise.resolve(undefined);
        cached.catch(() => (cached = undefined)); // a failed lookup is retried on the next call
      }
      return cached;
    },
    async send(message) {
      await turn.sendActivity(toActivity(message));
    },
    setTopic(topic) {
      turn.turnState.set(TOPIC_KEY, topic);
    },
  };
}
