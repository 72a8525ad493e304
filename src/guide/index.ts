/** Answers about the programme and the organisation that need no state of their own: who our admins are. */
import type { AppDeps } from '../app-deps.js';
import { Intent } from '../bot/intents.js';
import { MessageCard } from '../cards/common.js';
import { escapeMarkdown, renderCard } from '../cards/render.js';
import { canActivate, type Person } from '../domain/org.js';

/** Names shown per list; a longer list says how many more. */
const NAMES_SHOWN = 10;

function names(people: readonly Person[]): string {
  const shown = people.slice(0, NAMES_SHOWN).map((p) => `- ${escapeMarkdown(p.name)}`);
  return shown.join('\n');
}

/** Registers the admins intent (reached by the classifier and the "did you mean" buttons). */
export function registerGuide(deps: AppDeps): void {
  const { router, directory } = deps;
  router.intent({
    name: Intent.admins,
    patterns: [/^(?:who are )?(?:our |the )?admins$/, /^(?:우리 )?관리자(?: 목록)?$/],
    handler: async (ctx) => {
      const byId = new Map<string, Person>();
      for (const role of ['globalAdmin', 'mpnPartnerAdmin'] as const) for (const p of await directory.listPeople(role)) if (canActivate(p)) byId.set(p.aadObjectId, p);
      const admins = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
      const helpDesk = (await directory.listPeople('helpDesk')).sort((a, b) => a.name.localeCompare(b.name));
      const parts = [
        admins.length ? `${ctx.t('guide.admins.canActivate')}\n${names(admins)}` : ctx.t('guide.admins.noneCanActivate'),
        admins.length > NAMES_SHOWN ? ctx.t('guide.admins.more', { count: admins.length - NAMES_SHOWN }) : '',
        helpDesk.length ? `${ctx.t('guide.admins.helpDesk')}\n${names(helpDesk)}` : '',
        ctx.t('guide.admins.howToAsk'),
      ].filter(Boolean);
      await ctx.send(
        renderCard(MessageCard, {
          title: ctx.t('guide.admins.title'),
          text: parts.join('\n\n'),
          quote: '',
          color: 'Default',
          commands: [{ title: ctx.t('talk.intent.activate'), command: Intent.activate, args: '' }],
        }),
      );
    },
  });
}
