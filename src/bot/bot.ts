/** The Teams activity handler: tenant gate, one BotTurn per turn, routing, card actions, welcome, one log line per turn. */
import {
  ActivityTypes,
  TeamsActivityHandler,
  type ChannelAccount,
  type ConversationState,
  type InvokeResponse,
  type StatePropertyAccessor,
  type TurnContext,
  type UserState,
} from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { renderCard } from '../cards/render.js';
import { MessageCard } from '../cards/common.js';
import { langOf, type I18n, type Translate } from '../i18n/i18n.js';
import { DirectoryUnavailableError, type Directory } from '../identity/directory.js';
import type { Logger } from '../logging/logger.js';
import type { ConversationDirectory } from '../notify/conversations.js';
import { ConflictError, StorageWriteError } from '../storage/errors.js';
import { UserFacingError } from './errors.js';
import { parseVerbData, wholeMessage, type CardActionResult, type Route, type Router, type VerbContext } from './router.js';
import type { Catalog } from '../domain/catalog.js';
import type { EntityPatterns } from '../nlu/entities.js';
import { followUpOf, type Topic } from '../nlu/follow-up.js';
import { TOPIC_KEY } from './turn.js';
import { createBotTurn, tenantOf, type BotTurn } from './turn.js';

export interface BotDeps {
  router: Router;
  directory: Directory;
  i18n: I18n;
  conversations: ConversationDirectory;
  logger: Logger;
  allowedTenantIds: readonly string[];
  conversationState?: ConversationState;
  userState?: UserState;
  /** What follow-ups ("yes", "and 2016?") are read with; without it (or conversation state) there are none. */
  followUps?: { patterns: EntityPatterns; catalog: Catalog };
  now?: () => Date;
  /** Runs for a new conversation with the bot (install, added to a team). */
  welcome(ctx: BotTurn): Promise<void>;
  /** Runs for text nobody understood. */
  unknown(ctx: BotTurn): Promise<void>;
  /** Runs when several intents claim the same text. */
  ambiguous(ctx: BotTurn, intents: string[]): Promise<void>;
  /** Runs for "no" after "did you mean". */
  unknownDeclined(ctx: BotTurn): Promise<void>;
}

const CARD_ACTION = 'adaptiveCard/action';

/** The i18n key and HTTP-like status for an error raised by a handler. */
export function describeError(err: unknown): { key: string; vars?: Record<string, string | number>; status: 400 | 403 | 409 | 500 | 503 } {
  if (err instanceof UserFacingError) return { key: err.key, vars: err.vars, status: err.status as 400 };
  if (err instanceof DirectoryUnavailableError) return { key: 'common.error.directoryUnavailable', status: 503 };
  if (err instanceof StorageWriteError) return { key: 'common.error.notSaved', status: 503 };
  if (err instanceof ConflictError) return { key: 'common.error.conflict', status: 409 };
  return { key: 'common.error.generic', status: 500 };
}

export class PartnerSupportBot extends TeamsActivityHandler {
  private readonly allowed: Set<string>;
  private readonly topic?: StatePropertyAccessor<Topic>;

  constructor(private readonly deps: BotDeps) {
    super();
    this.allowed = new Set(deps.allowedTenantIds.map((t) => t.toLowerCase()));
    this.topic = deps.followUps ? deps.conversationState?.createProperty<Topic>('topic') : undefined;
  }

  /** Entry point for every activity. */
  override async run(context: TurnContext): Promise<void> {
    const started = process.hrtime.bigint();
    const a = context.activity;
    // Built (turnId included) by the turn's first line at an enabled level: most turns log nothing at LOG_LEVEL=warn.
    const log = this.deps.logger.lazyChild(() => ({ turnId: randomUUID(), activityType: a.type, activityId: a.id, conversationType: a.conversation?.conversationType }));
    context.turnState.set('log', log);
    let outcome = 'ok';
    try {
      const tenantId = tenantOf(a);
      if (!this.allowed.has(tenantId.toLowerCase())) {
        outcome = 'tenantRefused';
        await this.refuseTenant(context);
        return;
      }
      await super.run(context);
      await this.deps.conversationState?.saveChanges(context, false);
      await this.deps.userState?.saveChanges(context, false);
    } catch (err) {
      outcome = 'error';
      throw err;
    } finally {
      if (log.isLevelEnabled('info')) {
        const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
        log.info({ outcome, durationMs: Math.round(durationMs * 100) / 100 }, 'turn');
      }
    }
  }

  private turnFor(context: TurnContext): BotTurn {
    const lang = langOf(context.activity.locale);
    const log = (context.turnState.get('log') as Logger | undefined) ?? this.deps.logger;
    return createBotTurn({ turn: context, lang, t: this.deps.i18n.forLang(lang), directory: this.deps.directory, log, now: this.deps.now?.() });
  }

  private async refuseTenant(context: TurnContext): Promise<void> {
    const text = this.deps.i18n.t(langOf(context.activity.locale), 'common.tenantNotAllowed');
    if (context.activity.type === ActivityTypes.Message) await context.sendActivity(text);
    if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } } });
    }
  }

  protected override async onMessageActivity(context: TurnContext): Promise<void> {
    const ctx = this.turnFor(context);
    const a = context.activity;
    const value = a.value as { verb?: unknown } | undefined;
    const isSubmit = !!value && typeof value === 'object' && typeof value.verb === 'string';
    if (ctx.conversation.kind !== 'personal' && !isSubmit && !this.mentionsBot(context)) return; // not for us
    await this.remember(ctx);
    if (isSubmit) {
      const result = await this.runVerb(ctx, 'submit', value.verb as string, value);
      if (result && result.kind !== 'card') await ctx.send(result.text);
      if (result?.kind === 'card') await ctx.send(result.card);
      return;
    }
    const route = this.deps.router.route(ctx.text, ctx.conversation.kind);
    if (ctx.log.isLevelEnabled('debug')) {
      ctx.log.debug({ route: route.kind, name: route.kind === 'intent' ? route.intent.name : route.kind === 'recognizer' ? route.recognizer.name : undefined }, 'route');
    }
    const topic = await this.topic?.get(context);
    if (topic) await this.topic?.delete(context); // a topic lasts one answer unless that answer sets it again
    if (await this.continueTopic(ctx, route, topic)) return this.keepTopic(context);
    switch (route.kind) {
      case 'intent':
        await route.intent.handler(ctx, route.match);
        break;
      case 'recognizer':
        await route.recognizer.handler(ctx);
        break;
      case 'ambiguous':
        ctx.turn.turnState.set(TOPIC_KEY, { offered: { intents: route.intents.map((i) => i.name), text: ctx.text.slice(0, 500) } });
        await this.deps.ambiguous(ctx, route.intents.map((i) => i.name));
        break;
      case 'unknown':
        await this.deps.unknown(ctx);
        break;
    }
    await this.keepTopic(context);
  }

  /** Runs the message as a continuation of the last answer ("yes", "and 2016?"); false when it is not one. */
  private async continueTopic(ctx: BotTurn, route: Route, topic: Topic | undefined): Promise<boolean> {
    if (!topic || !this.deps.followUps || route.kind === 'recognizer' || (route.kind === 'intent' && route.via !== 'classifier')) return false;
    const understoodAs = route.kind === 'intent' ? route.intent.label ?? route.intent.name : undefined;
    const next = followUpOf(ctx.text, topic, ctx.now, this.deps.followUps, understoodAs);
    if (next.kind === 'none') return false;
    if (next.kind === 'declined') {
      await this.deps.unknownDeclined(ctx);
      return true;
    }
    const intent = this.deps.router.inScope(next.intent, ctx.conversation.kind);
    if (!intent) return false;
    await intent.handler({ ...ctx, text: next.text }, wholeMessage(next.text));
    return true;
  }

  /** Saves the topic this turn's answer set (BotTurn.setTopic), with its time. */
  private async keepTopic(context: TurnContext): Promise<void> {
    const set = context.turnState.get(TOPIC_KEY) as Omit<Topic, 'at'> | undefined;
    if (set && this.topic) await this.topic.set(context, { ...set, at: (this.deps.now?.() ?? new Date()).toISOString() });
  }

  /** Stores the conversation reference; a failed save costs a later proactive message, not this turn. */
  private async remember(ctx: BotTurn): Promise<void> {
    try {
      await this.deps.conversations.remember(ctx.turn.activity, ctx.conversation.kind, ctx.actor.tenantId, ctx.now);
    } catch (err) {
      ctx.log.warn({ error: (err as Error).name, message: (err as Error).message }, 'conversation reference not saved');
    }
  }

  private mentionsBot(context: TurnContext): boolean {
    const botId = context.activity.recipient?.id;
    return (context.activity.entities ?? []).some((e) => e.type === 'mention' && (e as { mentioned?: ChannelAccount }).mentioned?.id === botId);
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const response = context.activity.name === CARD_ACTION ? await this.onCardAction(context) : await this.onOtherInvoke(context);
    context.turnState.set(INVOKE_ANSWERED, true);
    return response;
  }

  private async onCardAction(context: TurnContext): Promise<InvokeResponse> {
    const ctx = this.turnFor(context);
    const value = context.activity.value as { action?: { type?: unknown; verb?: unknown; data?: unknown }; trigger?: unknown } | undefined;
    const action = value?.action;
    if (!action || action.type !== 'Action.Execute' || typeof action.verb !== 'string') {
      return this.invoke({ kind: 'error', status: 400, text: ctx.t('common.error.badAction') });
    }
    await this.remember(ctx);
    const trigger = value?.trigger === 'automatic' ? 'automatic' : 'manual';
    const result = await this.runVerb(ctx, trigger, action.verb, action.data);
    return this.invoke(result ?? { kind: 'message', text: ctx.t('common.done') });
  }

  /**
   * Every other invoke: the Teams SDK's dispatch first (a subclass or capability that overrides one of its
   * handleTeams… methods answers there); whatever it leaves unanswered (501), refuses (4xx) or fails on (a value
   * of the wrong shape) gets a 200 with a well-formed answer for its name, never a 5xx.
   */
  private async onOtherInvoke(context: TurnContext): Promise<InvokeResponse> {
    try {
      const response = await super.onInvokeActivity(context);
      if (response && response.status >= 200 && response.status < 300) return response;
    } catch (err) {
      const log = (context.turnState.get('log') as Logger | undefined) ?? this.deps.logger;
      log.warn({ invoke: String(context.activity.name ?? '').slice(0, 100), error: (err as Error).name }, 'invoke not understood');
    }
    return unhandledInvoke(context.activity.name, this.deps.i18n.forLang(langOf(context.activity.locale)));
  }

  /** Runs a verb handler; refusals and failures become results, never exceptions. */
  private async runVerb(ctx: BotTurn, trigger: VerbContext['trigger'], verb: string, data: unknown): Promise<CardActionResult | void> {
    const def = this.deps.router.getVerb(verb);
    if (!def) return { kind: 'error', status: 400, text: ctx.t('common.error.badAction') };
    const parsed = parseVerbData(def, data);
    if (parsed === undefined) {
      ctx.log.warn({ verb }, 'card data refused');
      return { kind: 'error', status: 400, text: ctx.t('common.error.badAction') };
    }
    try {
      return await def.handler({ ...ctx, trigger }, parsed);
    } catch (err) {
      const d = describeError(err);
      if (d.status === 500) ctx.log.error({ err, verb }, 'card action failed');
      else ctx.log.warn({ verb, error: (err as Error).name }, 'card action refused');
      return { kind: 'error', status: d.status, text: ctx.t(d.key, d.vars) };
    }
  }

  private invoke(result: CardActionResult): InvokeResponse {
    switch (result.kind) {
      case 'card':
        return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: result.card } };
      case 'message':
        return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: result.text } };
      case 'error':
        return {
          status: 200,
          body: { statusCode: result.status, type: 'application/vnd.microsoft.error', value: { code: codeOf(result.status), message: result.text } },
        };
    }
  }

  protected override async onConversationUpdateActivity(context: TurnContext): Promise<void> {
    const a = context.activity;
    const botAdded = (a.membersAdded ?? []).some((m) => m.id === a.recipient?.id);
    if (!botAdded) return;
    const ctx = this.turnFor(context);
    await this.remember(ctx);
    await this.deps.welcome(ctx);
  }

  protected override async onInstallationUpdateActivity(context: TurnContext): Promise<void> {
    const ctx = this.turnFor(context);
    if ((context.activity.action ?? '').startsWith('add')) {
      await this.remember(ctx);
    }
  }
}

/** Set once the bot has produced the turn's invoke response (so a later turn error does not replace it). */
const INVOKE_ANSWERED = Symbol('invokeAnswered');

/**
 * The answer to an invoke the app does not serve, shaped as its name expects (task module, message extension,
 * configuration, tab), else an error body; always HTTP 200 so Teams shows a message rather than a failure.
 */
export function unhandledInvoke(name: string | undefined, t: Translate): InvokeResponse {
  const text = t('invoke.unsupported');
  const plain = t('invoke.noResults');
  switch (name) {
    case 'task/fetch':
    case 'task/submit':
    case 'composeExtension/fetchTask':
      return { status: 200, body: { task: { type: 'message', value: plain } } };
    case 'composeExtension/query':
    case 'composeExtension/queryLink':
    case 'composeExtension/anonymousQueryLink':
    case 'composeExtension/selectItem':
      return { status: 200, body: { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [], text: plain } } };
    case 'composeExtension/submitAction':
    case 'composeExtension/querySettingUrl':
      return { status: 200, body: { composeExtension: { type: 'message', text: plain } } };
    case 'config/fetch':
    case 'config/submit':
      return { status: 200, body: { responseType: 'config', config: { type: 'message', value: plain } } };
    case 'tab/fetch':
    case 'tab/submit':
      return { status: 200, body: { tab: { type: 'continue', value: { cards: [] } } } };
    case 'composeExtension/setting':
    case 'composeExtension/onCardButtonClicked':
    case 'fileConsent/invoke':
    case 'actionableMessage/executeAction':
    case 'signin/verifyState':
    case 'signin/tokenExchange':
      return { status: 200 };
    default:
      return { status: 200, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: text } } };
  }
}

function codeOf(status: number): string {
  return ({ 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 503: 'ServiceUnavailable' } as Record<number, string>)[status] ?? 'InternalError';
}

/** The one turn-error handler: log, tell the user in their language, clear broken conversation state. */
export function createTurnErrorHandler(deps: { i18n: I18n; logger: Logger; conversationState?: ConversationState }) {
  return async (context: TurnContext, err: Error): Promise<void> => {
    const log = (context.turnState.get('log') as Logger | undefined) ?? deps.logger;
    const d = describeError(err);
    if (d.status === 500) log.error({ err }, 'turn failed');
    else log.warn({ error: err.name }, 'turn refused');
    try {
      const t = deps.i18n.forLang(langOf(context.activity.locale));
      if (context.activity.type === ActivityTypes.Invoke && !context.turnState.get(INVOKE_ANSWERED)) {
        // Without this the adapter would answer 501: the clicker gets the message, Teams a well-formed response.
        await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: d.status, type: 'application/vnd.microsoft.error', value: { code: codeOf(d.status), message: t(d.key, d.vars) } } } });
      }
      if (context.activity.type === ActivityTypes.Message) {
        await context.sendActivity({
          attachments: [
            { contentType: 'application/vnd.microsoft.card.adaptive', content: renderCard(MessageCard, { title: t('common.error.title'), text: t(d.key, d.vars), quote: '', color: 'Attention', commands: [] }) },
          ],
        });
      }
      await deps.conversationState?.delete(context);
    } catch (sendErr) {
      log.error({ err: sendErr }, 'could not report the turn error');
    }
  };
}
