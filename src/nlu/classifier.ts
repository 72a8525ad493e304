/**
 * The intent classifier: one nlp.js neural network (a perceptron per intent over a bag of features) per language,
 * trained from the corpus at start-up. `classify` gives every intent's raw activation, best first: about 1 for
 * a message like the training examples, near 0 for one unlike any of them.
 */
import { NeuralNetwork, type Features } from '@nlpjs/neural';
import type { Lang } from '../i18n/i18n.js';
import type { Label, Utterance } from './corpus.js';

export interface Scored {
  readonly intent: Label;
  readonly score: number;
}

export interface TrainedClassifier {
  /** Intents best first; empty when the language has no training data. */
  classify(features: Features, lang: Lang): readonly Scored[];
  /** How much of the message the model has seen in training (0..1, by feature weight). */
  coverage(features: Features, lang: Lang): number;
  /** The trained networks, for the model cache. */
  toJSON(): SavedClassifier;
}

export type SavedClassifier = Record<string, { net: unknown; known: string[] }>;

interface Model {
  readonly net: NeuralNetwork;
  readonly known: ReadonlySet<string>;
}

/** Fixed training settings: a run over the same corpus gives the same model. */
export const TRAINING = { iterations: 100, errorThresh: 0.00005, deltaErrorThresh: 0.000001, learningRate: 0.6, momentum: 0.5, alpha: 0.01, log: false };

/** Trains one network per language from the utterances and their features. */
export function trainClassifier(corpus: readonly Utterance[], featuresFor: (u: Utterance) => Features): TrainedClassifier {
  const models = new Map<Lang, Model>();
  const byLang = new Map<Lang, { input: Features; output: Record<string, number> }[]>();
  for (const u of corpus) {
    let rows = byLang.get(u.lang);
    if (!rows) byLang.set(u.lang, (rows = []));
    rows.push({ input: featuresFor(u), output: { [u.intent]: 1 } });
  }
  for (const [lang, rows] of byLang) {
    const net = new NeuralNetwork({ ...TRAINING });
    net.train(rows);
    const known = new Set<string>();
    for (const r of rows) for (const k of Object.keys(r.input)) known.add(k);
    models.set(lang, { net, known });
  }
  return classifierOf(models);
}

/** A classifier from the model cache (what toJSON gave). */
export function classifierFromJSON(saved: SavedClassifier): TrainedClassifier {
  const models = new Map<Lang, Model>();
  for (const [lang, m] of Object.entries(saved)) {
    const net = new NeuralNetwork({ ...TRAINING });
    net.fromJSON(m.net);
    models.set(lang as Lang, { net, known: new Set(m.known) });
  }
  return classifierOf(models);
}

function classifierOf(models: Map<Lang, Model>): TrainedClassifier {
  return {
    toJSON() {
      const out: SavedClassifier = {};
      for (const [lang, m] of models) out[lang] = { net: m.net.toJSON(), known: [...m.known] };
      return out;
    },
    classify(features, lang) {
      const model = models.get(lang);
      const out = model?.net.run(features);
      if (!out) return [];
      return (Object.entries(out) as [Label, number][])
        .map(([intent, score]) => ({ intent, score }))
        .sort((a, b) => b.score - a.score);
    },
    coverage(features, lang) {
      const model = models.get(lang);
      let all = 0;
      let seen = 0;
      for (const [k, w] of Object.entries(features)) {
        if (k.startsWith('@')) continue;
        all += w;
        if (model?.known.has(k)) seen += w;
      }
      return all === 0 ? 0 : seen / all;
    },
  };
}
