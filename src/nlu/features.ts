/**
 * What the classifier sees of a message: a bag of features.
 * - English words through nlp.js's tokenizer and Snowball stemmer, plus character trigrams of each word, so a
 *   small typo ("acess", "activaton") still shares most of its features with the right word;
 * - Korean as its words plus the syllable bigrams of the text with its spaces removed: nlp.js's Korean stemmer maps
 *   words it does not know to unrelated dictionary words, and people write "액세스아이디" as often as
 *   "액세스 아이디"; Latin words inside Korean text (product names) go through the English path;
 * - entity markers (`@product`, `@requestNumber`, …) found by the recognisers, so the classifier learns "a
 *   product is named" instead of every product name.
 * docs/nlu.md has the accuracy each of these adds on the held-out set.
 */
import { StemmerEn } from '@nlpjs/lang-en-min';
import type { Features } from '@nlpjs/neural';

export type FeatureOptions = {
  /** Character trigrams of English words (typo tolerance). */
  readonly wordTrigrams: boolean;
  /** Syllable n-grams of Hangul text (spacing tolerance). */
  readonly hangulNgrams: boolean;
};

export const DEFAULT_FEATURES: FeatureOptions = { wordTrigrams: true, hangulNgrams: true };

const stemmer = new StemmerEn();
const HANGUL_RUN = /\p{Script=Hangul}+(?:\s+\p{Script=Hangul}+)*/gu;
const LATIN_OR_DIGITS = /[a-z0-9]+/g;
const TRIGRAM_WEIGHT = 0.3;

/** Lower case, NFKC, apostrophes dropped ("what's" -> "whats"), letters split from digits ("sql2019" -> "sql 2019"). */
export function normaliseForFeatures(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/(\p{L})(\p{N})/gu, '$1 $2')
    .replace(/(\p{N})(\p{L})/gu, '$1 $2');
}

/** The features of a message; `markers` are entity names found in it (added as `@name`). */
export function featuresOf(text: string, markers: readonly string[] = [], opts: FeatureOptions = DEFAULT_FEATURES): Features {
  const out: Features = {};
  const norm = normaliseForFeatures(text);
  for (const m of norm.match(LATIN_OR_DIGITS) ?? []) {
    if (/^\d+$/.test(m)) {
      out['#num'] = 1;
      continue;
    }
    const stem = stemmer.stem(m);
    out[`w:${stem}`] = 1;
    if (opts.wordTrigrams && m.length > 3) {
      const padded = `<${m}>`;
      for (let i = 0; i + 3 <= padded.length; i++) {
        const key = `t:${padded.slice(i, i + 3)}`;
        if (out[key] === undefined) out[key] = TRIGRAM_WEIGHT;
      }
    }
  }
  for (const run of norm.match(HANGUL_RUN) ?? []) {
    const words = run.split(/\s+/);
    for (const w of words) out[`k:${w}`] = 1;
    if (!opts.hangulNgrams) continue;
    const joined = words.join('');
    for (let i = 0; i + 2 <= joined.length; i++) out[`b:${joined.slice(i, i + 2)}`] = 1;
  }
  for (const m of markers) out[`@${m}`] = 1;
  return out;
}
