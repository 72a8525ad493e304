/** "set help desk channel": an admin or help desk member makes the current Teams channel the triage channel. */
import { Intent } from '../bot/intents.js';
import { MessageCard } from '../cards/common.js';
import { renderCard } from '../cards/render.js';
import type { RequestsRuntime } from './runtime.js';
import { maySetHelpDeskChannel, personRef } from './service.js';

/** "set help desk channel", "make this the helpdesk channel", "헬프데스크 채널 설정". */
export const SET_CHANNEL_PATTERNS: RegExp[] = [
  /^(?:set|make|use|choose)(?: this(?: channel)?| the channel| channel)?(?: as| to be)?(?: the| our)? help ?desk channel(?: here)?$/,
  /^(?:이 채널을 )?(?:헬프 ?데스크|헬프데스크|지원팀) 채널(?:로)? ?(?:설정|지정|등록)(?:하기)?$/,
];

/** Backlog posted when a channel is set: requests opened while there was none (oldest first). */
const BACKLOG_LIMIT = 25;

/** Registers the channel intent (channels) and its "do it in a channel" answer elsewhere. */
export function registerChannel(rt: RequestsRuntime): void {
  const { router, help } = rt.deps;

  router.intent({
    name: Intent.setHelpDeskChannel,
    patterns: SET_CHANNEL_PATTERNS,
    scopes: ['channel'],
    handler: async (ctx) => {
      const person = await ctx.person();
      const tenantId = ctx.actor.tenantId;
      if (!maySetHelpDeskChannel(person) || !person) {
        await rt.deps.store.audit.record({ tenantId, actor: ctx.actor.aadObjectId, action: 'request.helpDeskChannelRefused', subject: ctx.conversation.id });
        await ctx.send(renderCard(MessageCard, { title: ctx.t('requests.channel.setTitle'), text: ctx.t('requests.channel.refused'), quote: '', color: 'Warning', commands: [] }));
        return;
      }
      // A message in a thread carries ";messageid=…": posts go to the channel itself (the bot stores its reference).
      const a = ctx.turn.activity;
      const channelId = ctx.conversation.id.split(';')[0];
      const cd = a.channelData as { channel?: { name?: string }; team?: { name?: string } } | undefined;
      const { previous } = await rt.service.setChannel(
        tenantId,
        { conversationId: channelId, channelName: cd?.channel?.name, teamName: cd?.team?.name, lang: ctx.lang, setBy: personRef(person), setAt: ctx.now.toISOString() },
        ctx.now,
      );
      const backlog = await rt.service.unposted(tenantId, BACKLOG_LIMIT);
      const text = [ctx.t('requests.channel.set')];
      if (previous && previous !== channelId) text.push(ctx.t('requests.channel.moved'));
      if (backlog.length) text.push(ctx.t('requests.channel.backlog', { count: backlog.length }));
      await ctx.send(renderCard(MessageCard, { title: ctx.t('requests.channel.setTitle'), text: text.join('\n\n'), quote: '', color: 'Good', commands: [] }));
      for (const r of backlog) await rt.postTriage(r);
    },
  });

  router.intent({
    name: 'requests.setHelpDeskChannelOutsideChannel',
    label: Intent.setHelpDeskChannel,
    patterns: SET_CHANNEL_PATTERNS,
    scopes: ['personal', 'groupChat'],
    handler: async (ctx) => {
      await ctx.send(renderCard(MessageCard, { title: ctx.t('requests.channel.notHereTitle'), text: ctx.t('requests.channel.notHere'), quote: '', color: 'Default', commands: [] }));
    },
  });

  help.add({
    intent: Intent.setHelpDeskChannel,
    order: 70,
    scopes: ['channel'],
    titleKey: 'requests.help.setChannel.title',
    descriptionKey: 'requests.help.setChannel.description',
    buttonKey: 'requests.help.setChannel.button',
  });
}
