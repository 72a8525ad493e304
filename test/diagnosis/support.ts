/** Shared pieces of the diagnosis conversation tests: org variants, stand-ins for other capabilities, card readers. */
import fs from 'node:fs';
import path from 'node:path';
import type { AppDeps } from '../../src/app-deps.js';
import { Intent } from '../../src/bot/intents.js';
import { registerDiagnosis } from '../../src/diagnosis/index.js';
import { actionsOf, cardOf, startTestApp, type TestApp } from '../helpers/app.js';

/** The clock of every test: 1 March 2026 (the sample contract runs 2026-02-15 … 2027-03-17). */
export const NOW = new Date('2026-03-01T10:00:00Z');

type OrgDoc = {
  actionPack: boolean;
  competencies: { name: string; level: 'gold' | 'silver' }[];
  benefits: Record<string, unknown>;
  [k: string]: unknown;
};

/** config/org.mpn-2021.sample.json: Gold Cloud Platform (cloud competency), contract to 2027-03-17, 9 cloud incidents, Alex associated. */
export function sampleOrg(): OrgDoc {
  return JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../config/org.mpn-2021.sample.json'), 'utf8')) as OrgDoc;
}

/** The sample org changed by `fn`. */
export function orgWith(fn: (org: OrgDoc) => void): OrgDoc {
  const org = sampleOrg();
  fn(org);
  return org;
}

/** Activated, but nothing known about the contract: no dates, no counters, nobody marked as associated. */
export function unknownStateBenefits(): Record<string, unknown> {
  return { activated: true, accessId: 'SAMPLE-ACCESS-7F3K9Q', contractId: 'SAMPLE-CONTRACT-2286401' };
}

/** A gold partner without a cloud competency: a limited Signature cloud pack (E4/E5). */
export const NON_CLOUD_GOLD = [{ name: 'Data Analytics', level: 'gold' as const }];

/** What the stand-ins for the request and activation capabilities were handed. */
export interface StandIns {
  newRequestArgs: string[];
  activateCalls: number;
}

/** Registers stand-in newRequest and activate intents (built by other engineers) that record how they were called. */
export function standIns(): { register: (deps: AppDeps) => void; calls: StandIns } {
  const calls: StandIns = { newRequestArgs: [], activateCalls: 0 };
  return {
    calls,
    register: (deps) => {
      deps.router.intent({
        name: Intent.newRequest,
        patterns: [/^new request stand-in$/],
        handler: async (ctx, match) => {
          calls.newRequestArgs.push(match.groups?.args ?? '');
          await ctx.send('new request stand-in');
        },
      });
      deps.router.intent({
        name: Intent.activate,
        patterns: [/^activate stand-in$/],
        handler: async (ctx) => {
          calls.activateCalls++;
          await ctx.send('activate stand-in');
        },
      });
    },
  };
}

/** Starts the app with diagnosis (and the stand-ins unless `alone`) for an org document. */
export async function startDiagnosisApp(org: object = sampleOrg(), opts: { alone?: boolean } = {}): Promise<{ t: TestApp; calls: StandIns }> {
  const s = standIns();
  const t = await startTestApp({ org, now: () => NOW, capabilities: opts.alone ? [registerDiagnosis] : [registerDiagnosis, s.register] });
  return { t, calls: s.calls };
}

/** Every element of a card of a given type, depth-first. */
export function elementsOf(card: unknown, type: string): Record<string, any>[] {
  const out: Record<string, any>[] = [];
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const o = n as Record<string, any>;
    if (o.type === type) out.push(o);
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}

/** The card of the only reply. */
export function onlyCard(replies: any[]): any {
  expect(replies).toHaveLength(1);
  const card = cardOf(replies[0]);
  expect(card).toBeDefined();
  return card;
}

/** The Action.Execute actions of a card with `verb`. */
export function executes(card: unknown, verb: string): any[] {
  return actionsOf(card).filter((a) => a.type === 'Action.Execute' && a.verb === verb);
}

/** Command buttons (command.run, Action.Submit) of a card, by command. */
export function commands(card: unknown): { command: string; args: string; title: string }[] {
  return actionsOf(card)
    .filter((a) => a.type === 'Action.Submit' && a.data?.verb === 'command.run')
    .map((a) => ({ command: a.data.command, args: a.data.args ?? '', title: a.title }));
}

/** URLs of the card's Action.OpenUrl buttons. */
export function openUrls(card: unknown): string[] {
  return actionsOf(card)
    .filter((a) => a.type === 'Action.OpenUrl')
    .map((a) => a.url);
}

/** Texts of the card's TextRuns (user-written text). */
export function textRuns(card: unknown): string[] {
  return elementsOf(card, 'TextRun').map((r) => r.text);
}

/** The body of an Action.Execute invoke response. */
export interface InvokeBody {
  statusCode: number;
  type: string;
  value: any;
}
