/**
 * The bot's understanding measured on the held-out part of the corpus (data/nlu/heldout), which training never
 * reads, through the real router of a running app: exact path, patterns, classifier bands and recognizers.
 * Also: every manifest command and help card button title, typed back as text, reaches its intent.
 */
import { HELP_INTENT, loadCommandTitles } from '../../src/core/index.js';
import type { Route } from '../../src/bot/router.js';
import { loadCorpus } from '../../src/nlu/corpus.js';
import { accuracy, evaluate } from '../../src/nlu/evaluate.js';
import type { Understanding } from '../../src/nlu/understand.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** What a route did, in the terms of the evaluation. */
function asUnderstanding(route: Route): Understanding {
  const lang = 'en';
  const entities = undefined as never;
  switch (route.kind) {
    case 'intent':
      return { kind: 'sure', intent: (route.intent.label ?? route.intent.name) as never, score: 1, entities, lang };
    case 'recognizer':
      return { kind: 'sure', intent: route.recognizer.intent, score: route.score, entities, lang };
    case 'ambiguous':
      return { kind: 'unsure', candidates: route.intents.map((i) => (i.label ?? i.name) as never), entities, lang };
    case 'unknown':
      return { kind: 'unknown', entities, lang };
  }
}

describe('understanding', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.stop());

  const heldout = loadCorpus('heldout');
  // The goal is 95 % in each language; a floor below it is what the corpus reaches today (npm run eval:nlu), so a
  // change that lowers it fails.
  const TARGET: Record<string, number> = { en: 0.95, ko: 0.88 };

  it('has a held-out part in both languages for every intent it trains', () => {
    const trained = new Set(loadCorpus('train').filter((u) => u.intent !== 'none').map((u) => `${u.lang} ${u.intent}`));
    const held = new Set(heldout.map((u) => `${u.lang} ${u.intent}`));
    expect([...trained].filter((k) => !held.has(k))).toEqual([]);
  });

  it('keeps the held-out part out of training: no held-out message is a training message', () => {
    const train = new Set(loadCorpus('train').map((u) => u.text.toLowerCase()));
    expect(heldout.filter((u) => train.has(u.text.toLowerCase())).map((u) => u.text)).toEqual([]);
  });

  it.each(['en', 'ko'])('acts rightly on at least its floor of the held-out messages in %s', (lang) => {
    // Intents the app answers today (paid support, TPD, report and settings come with their capabilities).
    const part = heldout.filter((u) => u.lang === lang && t.app.deps.router.inScope(u.intent, 'personal'));
    const e = evaluate(part, (text) => asUnderstanding(t.app.deps.router.route(text, 'personal')));
    const tally = e.byLang[lang];
    const misses = e.failures.map((f) => `${f.utterance.intent}: ${f.utterance.text} => ${f.got}`);
    const met = accuracy(tally) >= TARGET[lang];
    expect({ lang, accuracy: met ? 'met' : accuracy(tally), misses: met ? [] : misses }).toEqual({ lang, accuracy: 'met', misses: [] });
  });

  it('routes every manifest command title (English and Korean) to its intent', () => {
    const titles = Object.entries(loadCommandTitles());
    expect(titles.length).toBeGreaterThan(10);
    const kind = (intent: string) => (intent === 'setHelpDeskChannel' ? 'channel' : 'personal');
    const wrong = titles.filter(([title, intent]) => {
      const r = t.app.deps.router.route(title, kind(intent));
      return !(r.kind === 'intent' && (r.intent.label ?? r.intent.name) === intent);
    });
    expect(wrong).toEqual([]);
  });

  it('routes every help card title and button, typed back, to its intent', () => {
    const entries = t.app.deps.help.all();
    expect(entries.some((e) => e.intent === HELP_INTENT)).toBe(true);
    const wrong: string[] = [];
    for (const lang of ['en', 'ko'] as const) {
      const tr = t.app.deps.i18n.forLang(lang);
      for (const e of entries) {
        for (const text of [tr(e.buttonKey), tr(e.titleKey)]) {
          const kind = e.scopes?.[0] ?? 'personal';
          const r = t.app.deps.router.route(text, kind);
          if (!(r.kind === 'intent' && (r.intent.name === e.intent || r.intent.label === e.intent))) wrong.push(`${lang} "${text}" -> ${r.kind}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
