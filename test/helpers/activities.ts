/** Builders for the activities Teams sends, with the people of config/org.mpn-2021.sample.json. */
import { randomUUID } from 'node:crypto';

export const TENANT = '7a1c2f10-0000-4000-8000-000000000001';
export const OTHER_TENANT = '9b9b9b9b-0000-4000-8000-000000000099';
export const BOT_ID = '28:bot-app-id';

export interface TestUser {
  aadObjectId: string;
  name: string;
  id: string;
  tenantId?: string;
}

const user = (n: string, name: string): TestUser => ({ aadObjectId: `7a1c2f10-0000-4000-8000-0000000000${n}`, name, id: `29:user-${n}` });

/** Sample org people by role. */
export const people = {
  globalAdmin: user('20', 'Alex Wilber'),
  partnerAdmin: user('21', 'Megan Bowen'),
  staff: user('22', 'Adele Vance'),
  helpDesk: user('23', 'Isaiah Langer'),
  cspOnly: user('24', 'Patti Fernandez'),
  helpDesk2: user('25', 'Lynne Robbins'),
  unknown: { aadObjectId: '7a1c2f10-0000-4000-8000-0000000000ff', name: 'Nobody Known', id: '29:user-ff' } as TestUser,
  guest: { aadObjectId: '7a1c2f10-0000-4000-8000-0000000000ee', name: 'Guest User', id: '29:user-ee' } as TestUser,
  otherTenant: { aadObjectId: '9b9b9b9b-0000-4000-8000-000000000020', name: 'Foreign Admin', id: '29:user-x', tenantId: OTHER_TENANT } as TestUser,
};

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

export interface ActivityOptions {
  from?: TestUser;
  kind?: ConversationKind;
  conversationId?: string;
  locale?: string;
  serviceUrl?: string;
  expectReplies?: boolean;
  /** For channel and group chat messages: include an @mention of the bot (default true). */
  mention?: boolean;
  id?: string;
  tenantId?: string;
}

let serviceUrlDefault = 'http://127.0.0.1:1';
/** Sets the serviceUrl used by builders (the connector stand-in's URL). */
export function setServiceUrl(url: string): void {
  serviceUrlDefault = url;
}

function base(opts: ActivityOptions) {
  const from = opts.from ?? people.staff;
  const kind = opts.kind ?? 'personal';
  const tenantId = opts.tenantId ?? from.tenantId ?? TENANT;
  const conversationId = opts.conversationId ?? (kind === 'personal' ? `a:personal-${from.aadObjectId}` : kind === 'channel' ? '19:helpdesk@thread.tacv2' : '19:group@thread.v2');
  return {
    id: opts.id ?? randomUUID(),
    channelId: 'msteams',
    serviceUrl: opts.serviceUrl ?? serviceUrlDefault,
    timestamp: new Date().toISOString(),
    locale: opts.locale ?? 'en-US',
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { id: BOT_ID, name: 'Partner Support' },
    conversation: {
      id: conversationId,
      conversationType: kind,
      tenantId,
      ...(kind === 'channel' ? { isGroup: true } : kind === 'groupChat' ? { isGroup: true } : {}),
    },
    channelData: {
      tenant: { id: tenantId },
      ...(kind === 'channel' ? { team: { id: '19:team@thread.tacv2', name: 'Support Team' }, channel: { id: conversationId.split(';')[0], name: 'Help desk' } } : {}),
    },
    ...(opts.expectReplies ? { deliveryMode: 'expectReplies' } : {}),
  };
}

/** A message activity; in channels and group chats it @mentions the bot unless mention: false. */
export function message(text: string, opts: ActivityOptions = {}) {
  const b = base(opts);
  const kind = opts.kind ?? 'personal';
  const mention = kind !== 'personal' && opts.mention !== false;
  return {
    ...b,
    type: 'message',
    text: mention ? `<at>Partner Support</at> ${text}` : text,
    textFormat: 'plain',
    ...(mention ? { entities: [{ type: 'mention', text: '<at>Partner Support</at>', mentioned: { id: BOT_ID, name: 'Partner Support' } }] } : {}),
  };
}

/** An Action.Submit click: a message with the card data as value. */
export function submit(verb: string, data: Record<string, unknown> = {}, opts: ActivityOptions = {}) {
  return { ...base(opts), type: 'message', text: '', value: { verb, ...data } };
}

/** An Action.Execute click (adaptiveCard/action invoke). */
export function execute(verb: string, data: Record<string, unknown> = {}, opts: ActivityOptions & { trigger?: 'manual' | 'automatic' } = {}) {
  const b = base(opts);
  return {
    ...b,
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: opts.trigger ?? 'manual' },
  };
}

/** The bot was added to a conversation (install in personal scope or in a team). */
export function botAdded(opts: ActivityOptions = {}) {
  return { ...base(opts), type: 'conversationUpdate', membersAdded: [{ id: BOT_ID }] };
}
