/** The core conversation: help, welcome, unknown input, "did you mean", and the command buttons of every card. */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fromRoot } from '../paths.js';
import { HelpCard, MessageCard } from '../cards/common.js';
import { renderCard, type AdaptiveCard } from '../cards/render.js';
import type { Router } from '../bot/router.js';
import type { BotTurn, ConversationKind } from '../bot/turn.js';
import type { Translate } from '../i18n/i18n.js';
import type { HelpCatalog, HelpItem } from './help-catalog.js';
import { Intent } from '../bot/intents.js';
import { canActivate } from '../domain/org.js';
import type { UnrecognisedLog } from './unrecognised.js';
import type { BackgroundTasks } from '../background.js';

export const CoreVerb = { runCommand: 'command.run' } as const;

export const HELP_INTENT = Intent.help;

export interface CoreDeps {
  router: Router;
  help: HelpCatalog;
  organisationName: string;
  /** Where messages nobody understood are kept (without secrets). */
  unrecognised: UnrecognisedLog;
  /** Runs the note after the answer (the person does not wait for the write). */
  background?: BackgroundTasks;
}

type HelpDeps = Pick<CoreDeps, 'help' | 'organisationName'>;

/** How many kept messages "unrecognised" shows. */
const UNRECOGNISED_SHOWN = 20;

/**
 * Help and welcome cards by their items list (one per catalog state, translate function and kind: see
 * HelpCatalog.items) and the rest of what they show. Everything on them is fixed once the app has started, so a
 * "help" turn sends the kept card instead of translating ~30 strings and looking the card up by its 2 KB of data.
 */
const helpCards = new WeakMap<readonly HelpItem[], Map<string, AdaptiveCard>>();

/** The help card for the conversation kind. */
export function helpCard(t: Translate, kind: ConversationKind, deps: HelpDeps, titleKey = 'core.help.title', introKey = 'core.help.intro'): AdaptiveCard {
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
export async function sendHelp(ctx: BotTurn, deps: HelpDeps, titleKey = 'core.help.title', introKey = 'core.help.intro'): Promise<void> {
  await ctx.send(helpCard(ctx.t, ctx.conversation.kind, deps, titleKey, introKey));
}

/** Registers help, the command buttons verb, and returns the welcome/unknown/ambiguous answers for the bot. */
export function registerCore(deps: CoreDeps) {
  const { router, help } = deps;
  router.intent({
    name: HELP_INTENT,
    patterns: [/^(help|\?|menu|commands?|what can you do)$/, /^(도움말|도움|메뉴)$/],
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

  // Small talk: a short answer, never "I didn't get that".
  for (const [intent, key] of [
    [Intent.greeting, 'talk.smalltalk.greeting'],
    [Intent.thanks, 'talk.smalltalk.thanks'],
    [Intent.ack, 'talk.smalltalk.ack'],
    [Intent.bye, 'talk.smalltalk.bye'],
  ] as const) {
    router.intent({ name: intent, patterns: [], handler: (ctx) => ctx.send(ctx.t(key, { name: ctx.actor.name.split(' ')[0] || '' })) });
  }

  router.intent({
    name: 'unrecognised',
    patterns: [/^(?:show )?(?:the )?(?:unrecognised|unrecognized|not understood)(?: messages)?$/, /^(?:이해하지 못한|미인식) ?메시지$/],
    handler: async (ctx) => {
      if (!canActivate(await ctx.person())) return ctx.send(ctx.t('talk.unrecognised.refused'));
      const kept = await deps.unrecognised.recent(ctx.actor.tenantId, UNRECOGNISED_SHOWN);
      await ctx.send(
        renderCard(MessageCard, {
          title: ctx.t('talk.unrecognised.title'),
          text: kept.length ? '' : ctx.t('talk.unrecognised.none'),
          // The kept messages are user text: shown verbatim, never as markdown.
          quote: kept.map((r) => `${r.at.slice(0, 10)}  ${r.text}`).join('\n'),
          color: 'Default',
          commands: [],
        }),
      );
    },
  });

  /** The intents as "did you mean" buttons; one click runs the intent with the message. */
  const offer = (ctx: BotTurn, intents: readonly string[]) =>
    intents.map((name) => {
      const label = router.getIntent(name)?.label ?? name;
      return { title: ctx.t(`talk.intent.${label}`), command: name, args: ctx.text.slice(0, 500) };
    });

  return {
    welcome: (ctx: BotTurn) => sendHelp(ctx, deps, 'core.welcome.title', ctx.conversation.kind === 'personal' ? 'core.welcome.introPersonal' : 'core.welcome.introShared'),
    unknown: async (ctx: BotTurn) => {
      const t = ctx.t;
      const suggestions = help.items(t, ctx.conversation.kind).slice(0, 6);
      const note = () => deps.unrecognised.note({ tenantId: ctx.actor.tenantId, lang: ctx.lang, text: ctx.text, at: ctx.now });
      if (deps.background) deps.background.run('core.noteUnrecognised', note);
      else await note().catch((err: unknown) => ctx.log.warn({ error: (err as Error).name }, 'unrecognised message not kept'));
      await ctx.send(
        renderCard(MessageCard, {
          title: t('talk.unknown.title'),
          text: t('talk.unknown.text'),
          quote: ctx.text.slice(0, 300),
          color: 'Default',
          commands: suggestions.map((s) => ({ title: s.button, command: s.command, args: '' })),
        }),
      );
    },
    unknownDeclined: async (ctx: BotTurn) => {
      const suggestions = help.items(ctx.t, ctx.conversation.kind).slice(0, 6);
      await ctx.send(renderCard(MessageCard, { title: ctx.t('talk.didYouMean.title'), text: ctx.t('talk.didYouMean.no'), quote: '', color: 'Default', commands: suggestions.map((s) => ({ title: s.button, command: s.command, args: '' })) }));
    },
    ambiguous: async (ctx: BotTurn, intents: string[]) => {
      const t = ctx.t;
      await ctx.send(
        renderCard(MessageCard, {
          title: t('talk.didYouMean.title'),
          text: t('talk.didYouMean.text'),
          quote: ctx.text.slice(0, 300),
          color: 'Default',
          commands: offer(ctx, intents),
        }),
      );
    },
  };
}

/**
 * The exact path: every command title of the app manifest (English and Korean) and every help card title and
 * button, typed back as text, goes straight to its intent.
 */
export function registerExactPhrases(router: Router, help: HelpCatalog, translators: readonly Translate[], commandTitles: Readonly<Record<string, string>>): void {
  for (const [title, intent] of Object.entries(commandTitles)) router.exact(title, intent);
  for (const entry of help.all()) {
    for (const t of translators) {
      router.exact(t(entry.buttonKey), entry.intent);
      router.exact(t(entry.titleKey), entry.intent);
    }
  }
}

/** The app manifest's command titles (English and Korean) and the intent each stands for (appPackage/commands.json). */
export function loadCommandTitles(dir = fromRoot('appPackage')): Record<string, string> {
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
  if (!fs.existsSync(path.join(dir, 'commands.json'))) return {}; // an install without the app package
  const intents: Record<string, string> = read('commands.json').intents;
  const korean: Record<string, string> = read('ko-kr.json');
  const out: Record<string, string> = { ...intents };
  for (const [key, title] of Object.entries(korean)) {
    const m = /^bots\[0\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\.title$/.exec(key);
    if (!m) continue;
    const english: string | undefined = read('manifest.json').bots[0].commandLists[Number(m[1])]?.commands[Number(m[2])]?.title;
    if (english && intents[english]) out[title] = intents[english];
  }
  return out;
}
