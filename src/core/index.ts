/** The core conversation: help, welcome, unknown input, "did you mean", and the command buttons of every card. */
import { z } from 'zod';
import { HelpCard, MessageCard } from '../cards/common.js';
import { renderCard, type AdaptiveCard } from '../cards/render.js';
import type { Router } from '../bot/router.js';
import type { BotTurn, ConversationKind } from '../bot/turn.js';
import type { Translate } from '../i18n/i18n.js';
import type { HelpCatalog, HelpItem } from './help-catalog.js';
import { Intent } from '../bot/intents.js';

export const CoreVerb = { runCommand: 'command.run' } as const;

export const HELP_INTENT = Intent.help;

export interface CoreDeps {
  router: Router;
  help: HelpCatalog;
  organisationName: string;
}

/**
 * Help and welcome cards by their items list (one per catalog state, translate function and kind: see
 * HelpCatalog.items) and the rest of what they show. Everything on them is fixed once the app has started, so a
 * "help" turn sends the kept card instead of translating ~30 strings and looking the card up by its 2 KB of data.
 */
const helpCards = new WeakMap<readonly HelpItem[], Map<string, AdaptiveCard>>();

/** The help card for the conversation kind. */
export function helpCard(t: Translate, kind: ConversationKind, deps: CoreDeps, titleKey = 'core.help.title', introKey = 'core.help.intro'): AdaptiveCard {
  const items = deps.help.items(t, kind);
  let cards = helpCards.get(items);
  if (!cards) helpCards.set(items, (cards = new Map()));
  const key = `${kind}\u0000${titleKey}\u0000${introKey}\u0000${deps.organisationName}`;
  let card = cards.get(key);
  if (!card) {
    card = renderCard(HelpCard, {
      title: t(titleKey, { org: deps.organisationName }),
      intro: t(introKey, { org: deps.organisationName }),
      items,
      footer: t(kind === 'personal' ? 'core.help.footerPersonal' : 'core.help.footerShared'),
    });
    cards.set(key, card);
  }
  return card;
}

/** Sends the help card for the conversation kind. */
export async function sendHelp(ctx: BotTurn, deps: CoreDeps, titleKey = 'core.help.title', introKey = 'core.help.intro'): Promise<void> {
  await ctx.send(helpCard(ctx.t, ctx.conversation.kind, deps, titleKey, introKey));
}

/** Registers help, the command buttons verb, and returns the welcome/unknown/ambiguous answers for the bot. */
export function registerCore(deps: CoreDeps) {
  const { router, help } = deps;
  router.intent({
    name: HELP_INTENT,
    patterns: [/^(help|\?|menu|commands?|what can you do|start|hi|hello|hey)$/, /^(도움말|도움|메뉴|시작|안녕|안녕하세요)$/],
    handler: (ctx) => sendHelp(ctx, deps),
  });
  help.add({ intent: HELP_INTENT, order: 100, titleKey: 'core.help.entry.title', descriptionKey: 'core.help.entry.description', buttonKey: 'core.help.entry.button' });

  router.verb({
    verb: CoreVerb.runCommand,
    data: z.object({ command: z.string().min(1).max(64), args: z.string().max(500).optional() }).passthrough(),
    handler: async (ctx, data) => {
      const intent = router.getIntent(data.command);
      if (!intent) return { kind: 'error', status: 400, text: ctx.t('common.error.badAction') };
      const match = Object.assign([data.command], { groups: { args: data.args ?? '' } }) as unknown as RegExpMatchArray;
      await intent.handler({ ...ctx, text: data.args ?? '' }, match);
    },
  });

  return {
    welcome: (ctx: BotTurn) => sendHelp(ctx, deps, 'core.welcome.title', ctx.conversation.kind === 'personal' ? 'core.welcome.introPersonal' : 'core.welcome.introShared'),
    unknown: async (ctx: BotTurn) => {
      const t = ctx.t;
      const suggestions = help.items(t, ctx.conversation.kind).slice(0, 5);
      await ctx.send(
        renderCard(MessageCard, {
          title: t('core.unknown.title'),
          text: t('core.unknown.text'),
          quote: ctx.text.slice(0, 300),
          color: 'Default',
          commands: suggestions.map((s) => ({ title: s.button, command: s.command, args: '' })),
        }),
      );
    },
    ambiguous: async (ctx: BotTurn, intents: string[]) => {
      const t = ctx.t;
      const items = help.items(t, ctx.conversation.kind).filter((i) => intents.includes(i.command));
      await ctx.send(
        renderCard(MessageCard, {
          title: t('core.ambiguous.title'),
          text: t('core.ambiguous.text'),
          quote: ctx.text.slice(0, 300),
          color: 'Default',
          commands: items.map((s) => ({ title: s.button, command: s.command, args: ctx.text.slice(0, 500) })),
        }),
      );
    },
  };
}
