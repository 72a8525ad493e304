/** The mixed workload of real turns the turn benchmark sends (the same bodies go to the echo bot). */
import { randomUUID } from 'node:crypto';

export const TENANT = '7a1c2f10-0000-4000-8000-000000000001';
const person = (n: string, name: string) => ({ id: `29:bench-${n}`, aadObjectId: `7a1c2f10-0000-4000-8000-0000000000${n}`, name });
export const staff = [person('22', 'Adele Vance'), person('20', 'Alex Wilber'), person('21', 'Megan Bowen')];
export const helpDesk = [person('23', 'Isaiah Langer'), person('25', 'Lynne Robbins')];

type Who = ReturnType<typeof person>;

let serviceUrl = 'http://127.0.0.1:9';
/** Where proactive messages of the bot go (a local connector stand-in). */
export function setServiceUrl(url: string): void {
  serviceUrl = url;
}

function base(from: Who, kind: 'personal' | 'channel' = 'personal') {
  const conversationId = kind === 'personal' ? `a:bench-personal-${from.aadObjectId}` : '19:bench-helpdesk@thread.tacv2';
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    deliveryMode: 'expectReplies',
    locale: 'en-US',
    from,
    recipient: { id: '28:bench-bot', name: 'Partner Support' },
    conversation: { id: conversationId, conversationType: kind, tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
  };
}

const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)];

export function message(text: string, from: Who = pick(staff)) {
  return { ...base(from), type: 'message', text };
}

export function invoke(verb: string, data: Record<string, unknown>, from: Who, kind: 'personal' | 'channel' = 'personal') {
  return { ...base(from, kind), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } };
}

export interface Turn {
  name: string;
  weight: number;
  body(): object;
}

/** Turns that exist in every build; capabilities add theirs through `extraTurns`. */
export const baseTurns: Turn[] = [
  { name: 'help', weight: 2, body: () => message('help') },
  { name: 'eligibility', weight: 3, body: () => message(pick(['is SQL Server 2022 covered', 'is windows server 2025 covered', 'is azure covered for a customer', 'sql 2019'])) },
  { name: 'diagnosis', weight: 2, body: () => message('This Access ID is already associated to an account. Please contact your Technical Account Manager to obtain a new Access ID') },
  { name: 'ids', weight: 2, body: () => message('ids') },
];

/** Expands weights into a cycle the load generator walks through. */
export function cycle(turns: Turn[]): Turn[] {
  return turns.flatMap((t) => Array.from({ length: t.weight }, () => t));
}

/** Resolves when the process on `port` answers GET /healthz with 200 (10 s at most). */
export async function waitHealthy(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} never became healthy`);
}
