/**
 * From a message to what the person wants, with how sure the bot is (pure: no botbuilder):
 * - `sure`: act on the intent;
 * - `unsure`: two or three intents are close: ask "did you mean" with them as buttons;
 * - `unknown`: nothing fits: the help card, and the message is noted for the corpus.
 * The thresholds are chosen by cross-validation on the training corpus (npm run eval:nlu -- --cv), never on the
 * held-out part; docs/nlu.md has the figures.
 */
import type { Features } from '@nlpjs/neural';
import type { IntentName } from '../bot/intents.js';
import type { Lang } from '../i18n/i18n.js';
import type { TrainedClassifier, Scored } from './classifier.js';
import { NONE } from './corpus.js';
import { entityMarkers, findEntities, type Entities, type EntityDeps } from './entities.js';
import { featuresOf, type FeatureOptions, DEFAULT_FEATURES } from './features.js';

export type Understanding =
  | { readonly kind: 'sure'; readonly intent: IntentName; readonly score: number; readonly entities: Entities; readonly lang: Lang }
  | { readonly kind: 'unsure'; readonly candidates: readonly IntentName[]; readonly entities: Entities; readonly lang: Lang }
  | { readonly kind: 'unknown'; readonly entities: Entities; readonly lang: Lang };

export interface Bands {
  /** The best intent's share of all activation must reach this to act on it… */
  readonly sure: number;
  /** …and lead the second's share by this much. */
  readonly margin: number;
  /** An activation below this is no evidence: nothing is offered. */
  readonly floor: number;
  /** Intents whose share is within this of the best are offered in "did you mean" (at most three). */
  readonly offer: number;
  /** Messages that share less than this of their features with the training corpus are unknown. */
  readonly coverage: number;
}

/** Bands per language: the two feature sets give activations of different shapes (CV picks each on its own). */
export type LanguageBands = Readonly<Record<Lang, Bands>>;

export const DEFAULT_BANDS: LanguageBands = {
  en: { sure: 0.25, margin: 0.15, floor: 0.05, offer: 0.3, coverage: 0.4 },
  ko: { sure: 0.25, margin: 0.2, floor: 0.02, offer: 0.3, coverage: 0.4 },
};

/** Longer messages are cut before classifying: a question is short, and the cut bounds the work. */
export const MAX_CLASSIFIED_CHARS = 1000;

/** The language of the words themselves: Hangul in the text means Korean, whatever the client's locale. */
export function textLang(text: string): Lang {
  return /\p{Script=Hangul}/u.test(text) ? 'ko' : 'en';
}

export interface Understander {
  understand(text: string): Understanding;
  /** The classifier's ranking alone (for the evaluation). */
  rank(text: string): readonly Scored[];
}

export function createUnderstander(deps: {
  classifier: TrainedClassifier;
  entities: EntityDeps;
  bands?: LanguageBands;
  features?: FeatureOptions;
}): Understander {
  const bands = deps.bands ?? DEFAULT_BANDS;
  const featureOpts = deps.features ?? DEFAULT_FEATURES;
  function prepare(text: string): { features: Features; entities: Entities; lang: Lang } {
    const cut = text.slice(0, MAX_CLASSIFIED_CHARS);
    const entities = findEntities(cut, deps.entities);
    return { features: featuresOf(cut, entityMarkers(entities), featureOpts), entities, lang: textLang(cut) };
  }
  return {
    rank(text) {
      const { features, lang } = prepare(text);
      return deps.classifier.classify(features, lang);
    },
    understand(text) {
      const { features, entities, lang } = prepare(text);
      const ranked = deps.classifier.classify(features, lang);
      return decide(ranked, deps.classifier.coverage(features, lang), entities, lang, bands[lang]);
    },
  };
}

/**
 * The band of a ranking. Activations fall with the length of a message, so the bands compare each intent's share
 * of the total activation; only the floor and the coverage look at absolute values.
 */
export function decide(ranked: readonly Scored[], coverage: number, entities: Entities, lang: Lang, bands: Bands): Understanding {
  const [best] = ranked;
  if (!best || best.intent === NONE || best.score < bands.floor || coverage < bands.coverage) return { kind: 'unknown', entities, lang };
  const total = ranked.reduce((n, r) => n + r.score, 0);
  const share = (r: Scored | undefined) => (r ? r.score / total : 0);
  const lead = share(best) - share(ranked[1]);
  const intent = best.intent;
  if (share(best) >= bands.sure && lead >= bands.margin) return { kind: 'sure', intent, score: share(best), entities, lang };
  const candidates = ranked
    .filter((r): r is Scored & { intent: IntentName } => r.intent !== NONE && share(best) - share(r) <= bands.offer && r.score >= bands.floor)
    .slice(0, 3)
    .map((r) => r.intent);
  if (candidates.length === 1) return { kind: 'sure', intent, score: share(best), entities, lang };
  return { kind: 'unsure', candidates, entities, lang };
}
