/**
 * The app manifest's command lists and the router agree: every command title Teams offers (English in
 * manifest.json, Korean in ko-kr.json) is routed, in that command list's scope, to the intent that
 * appPackage/commands.json says it stands for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../src/paths.js';
import { Intent } from '../../src/bot/intents.js';
import type { Route } from '../../src/bot/router.js';
import type { ConversationKind } from '../../src/bot/turn.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const root = fromRoot();
const readJson = (name: string) => JSON.parse(fs.readFileSync(path.join(root, 'appPackage', name), 'utf8'));
const manifest = readJson('manifest.json');
const korean: Record<string, string> = readJson('ko-kr.json');
const intents: Record<string, string> = readJson('commands.json').intents;

/** Manifest command scope → the router's conversation kind. */
const KIND: Record<string, ConversationKind> = { personal: 'personal', team: 'channel', groupChat: 'groupChat' };

interface CommandRow {
  lang: 'en' | 'ko';
  scope: string;
  title: string;
  /** The English title: the key of commands.json. */
  english: string;
  intent: string;
}

const rows: CommandRow[] = [];
(manifest.bots[0].commandLists as { scopes: string[]; commands: { title: string }[] }[]).forEach((list, l) =>
  list.commands.forEach((command, c) => {
    for (const scope of list.scopes) {
      const intent = intents[command.title];
      rows.push({ lang: 'en', scope, title: command.title, english: command.title, intent });
      const ko = korean[`bots[0].commandLists[${l}].commands[${c}].title`];
      if (ko !== undefined) rows.push({ lang: 'ko', scope, title: ko, english: command.title, intent });
    }
  }),
);

describe('appPackage/commands.json', () => {
  it('names an intent for every command title of the manifest, and nothing else', () => {
    const titles = [...new Set(rows.filter((r) => r.lang === 'en').map((r) => r.title))].sort();
    expect(Object.keys(intents).sort()).toEqual(titles);
  });

  it('names only intents of src/bot/intents.ts', () => {
    const known = new Set<string>(Object.values(Intent));
    expect(Object.values(intents).filter((i) => !known.has(i))).toEqual([]);
  });

  it('covers the commands of issue 9 (help, activate, ids, eligibility, diagnose, new request, queue) and set help desk channel', () => {
    expect(new Set(Object.values(intents))).toEqual(
      new Set([Intent.help, Intent.activate, Intent.ids, Intent.eligibility, Intent.diagnose, Intent.newRequest, Intent.queue, Intent.setHelpDeskChannel]),
    );
  });
});

describe('command titles', () => {
  it.each(rows.map((r) => [r.lang, r.scope, r.title] as const))('%s %s "%s" is at most 32 characters', (_lang, _scope, title) => {
    expect(title.length).toBeLessThanOrEqual(32);
  });

  it('every scope of the bot has a command list, with help first', () => {
    const lists = manifest.bots[0].commandLists as { scopes: string[]; commands: { title: string }[] }[];
    expect(lists.flatMap((l) => l.scopes).sort()).toEqual([...manifest.bots[0].scopes].sort());
    for (const list of lists) expect(intents[list.commands[0].title]).toBe(Intent.help);
  });
});

/** What the router did with a title, in words a failing test can show. */
function describeRoute(route: Route): string {
  switch (route.kind) {
    case 'intent':
      return `intent ${route.intent.name}`;
    case 'ambiguous':
      return `ambiguous between ${route.intents.map((i) => i.name).join(', ')}`;
    case 'recognizer':
      return `recognizer ${route.recognizer.name} (no intent pattern matched)`;
    case 'unknown':
      return 'unknown ("I didn\'t get that")';
  }
}

describe('the router sends each command title to its intent', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it.each(rows.map((r) => [r.lang, r.scope, r.title, r.intent, r] as const))('%s %s "%s" → %s', (_lang, _scope, _title, _intent, row) => {
    const registered = t.app.deps.router.getIntent(row.intent) !== undefined;
    const route = t.app.deps.router.route(row.title, KIND[row.scope]);
    const routedTo = describeRoute(route);
    // One comparison carries the whole story when it fails: which command, where, and why.
    expect({ command: row.title, scope: row.scope, routedTo, note: registered ? '' : `intent "${row.intent}" is not registered (yet)` }).toEqual({
      command: row.title,
      scope: row.scope,
      routedTo: `intent ${row.intent}`,
      note: '',
    });
  });
});
