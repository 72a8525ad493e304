/**
 * Recognises a pasted error message (or a description of it) against the known-error catalogue.
 *
 * Both the text and every catalogue variant become weighted feature sets:
 * - Latin words, lower-cased, without punctuation or quotes, cut to their first 6 letters as a crude
 *   stem ("associated" = "association", "authorized" = "authorised"); small words weigh little;
 * - Korean runs as syllable bigrams, because particles and endings are glued to the words
 *   ("ID가", "연결되어"); common endings weigh little.
 * An entry scores `recall × (BASE + (1 - BASE) × coverage)`:
 * - recall: the share of its best variant found in the text (so extra words around a paste cost nothing);
 * - coverage: the share of the recognisable part of the text (features some variant knows) that the
 *   entry's matching variants account for together.
 * Coverage is what separates two entries whose variants are both fully present: the D1 message
 * ("… Please contact your Technical Account Manager …") contains the generic "Access ID is already
 * associated", but only the D1 entry accounts for the rest of it.
 */
import { memoByText } from './memo.js';
import type { KnownError, KnownErrorCatalogue } from './known-errors.js';

export type ErrorRecognition =
  | { kind: 'match'; entry: KnownError; score: number }
  | { kind: 'ambiguous'; candidates: KnownError[] }
  | { kind: 'none' };

/** Below this an entry is not considered at all. */
const MATCH_THRESHOLD = 0.55;
/** Entries scoring within this distance of the best one make the result ambiguous. */
const AMBIGUITY_MARGIN = 0.15;
const COVERAGE_BASE = 0.5;
/** A variant at least this much present in the text counts as evidence for its entry. */
const EVIDENCE_RECALL = 0.5;
/** Longer pastes are cut: an error message is short, and the cut bounds the work per message. */
const MAX_INPUT_CHARS = 2000;
const STEM_LENGTH = 6;

const WEIGHT_WORD = 1;
const WEIGHT_SMALL_WORD = 0.2;
const WEIGHT_HANGUL_BIGRAM = 0.5;
const WEIGHT_HANGUL_ENDING = 0.1;
const WEIGHT_HANGUL_SYLLABLE = 0.2;

const SMALL_WORDS = new Set([
  'a', 'an', 'the', 'this', 'that', 'these', 'to', 'for', 'of', 'in', 'on', 'at', 'by', 'with', 'from', 'and',
  'or', 'but', 'is', 'are', 'was', 'be', 'been', 'it', 'its', 'i', 'im', 'me', 'my', 'we', 'our', 'us', 'you',
  'your', 'he', 'she', 'they', 'them', 'their', 'so', 'do', 'does', 'did', 'what', 'when', 'how', 'why',
  'hi', 'hello', 'hey', 'there', 'ok', 'says', 'say', 'said', 'saying', 'tells', 'get', 'got', 'getting',
  'error', 'message', 'shows', 'now', 'again', 'help', 'please', 'thanks', 'any',
]);

const HANGUL_ENDINGS = new Set([
  '습니', '니다', '있습', '없습', '합니', '입니', '세요', '하세', '어요', '아요', '해요', '나요', '예요',
  '으로', '에서', '에게', '라고', '다고', '는데',
]);

/** Spellings folded together before stemming. */
const SYNONYMS: Readonly<Record<string, string>> = {
  gray: 'grey',
  grayed: 'grey',
  greyed: 'grey',
  cannot: 'cant',
};

type Features = ReadonlyMap<string, number>;

const HANGUL_RUN = /\p{Script=Hangul}+/u;

function addFeature(features: Map<string, number>, feature: string, weight: number): void {
  features.set(feature, Math.max(features.get(feature) ?? 0, weight));
}

/** Weighted features of a text; the same function serves catalogue variants and user input. */
function featuresOf(text: string): Features {
  const features = new Map<string, number>();
  const cleaned = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`]/g, '') // "don't" -> "dont", and stray quotes vanish
    .replace(/[^\p{L}\p{N}]+/gu, ' ');
  // Split at script changes too, so "id가" gives "id" and "가".
  const tokens = cleaned.match(/\p{Script=Hangul}+|[^\p{Script=Hangul}\s]+/gu) ?? [];
  for (const token of tokens) {
    if (HANGUL_RUN.test(token)) {
      if (token.length === 1) {
        addFeature(features, `k:${token}`, WEIGHT_HANGUL_SYLLABLE);
        continue;
      }
      for (let i = 0; i + 1 < token.length; i++) {
        const bigram = token.slice(i, i + 2);
        addFeature(features, `k:${bigram}`, HANGUL_ENDINGS.has(bigram) ? WEIGHT_HANGUL_ENDING : WEIGHT_HANGUL_BIGRAM);
      }
      continue;
    }
    const word = SYNONYMS[token] ?? token;
    const weight = SMALL_WORDS.has(word) ? WEIGHT_SMALL_WORD : WEIGHT_WORD;
    addFeature(features, `w:${word.slice(0, STEM_LENGTH)}`, weight);
  }
  return features;
}

function totalWeight(features: Features): number {
  let sum = 0;
  for (const weight of features.values()) sum += weight;
  return sum;
}

/** Weight of the features of `part` that also occur in `whole`, counted with `part`'s weights. */
function sharedWeight(part: Features, whole: Features): number {
  let sum = 0;
  for (const [feature, weight] of part) if (whole.has(feature)) sum += weight;
  return sum;
}

interface PreparedEntry {
  entry: KnownError;
  variants: { features: Features; weight: number }[];
}

function prepare(entry: KnownError): PreparedEntry {
  const variants = [...entry.variants.en, ...entry.variants.ko].map((text) => {
    const features = featuresOf(text);
    return { features, weight: totalWeight(features) };
  });
  return { entry, variants };
}

interface PreparedCatalogue {
  prepared: PreparedEntry[];
  /** Every feature some variant knows: coverage counts only that part of the text, so chatter around a paste
   * ("hi, azure says: …") lowers no score and does not pull close entries together. */
  known: Set<string>;
}

/** The catalogue's variants cut into features once per catalogue object (every free-text message is scored). */
const preparedCache = new WeakMap<KnownErrorCatalogue, PreparedCatalogue>();

function preparedCatalogue(catalogue: KnownErrorCatalogue): PreparedCatalogue {
  let p = preparedCache.get(catalogue);
  if (!p) {
    const prepared = catalogue.entries.map((entry) => prepare(entry));
    p = { prepared, known: new Set(prepared.flatMap((e) => e.variants.flatMap((v) => [...v.features.keys()]))) };
    preparedCache.set(catalogue, p);
  }
  return p;
}

/**
 * `recall × (BASE + (1 - BASE) × coverage)`: recall of the best variant, weighted by how much of the
 * recognisable text the entry's matching variants (recall ≥ EVIDENCE_RECALL) account for together.
 */
function score(input: Features, recognisedWeight: number, prepared: PreparedEntry): number {
  if (recognisedWeight === 0) return 0;
  let best = 0;
  const evidence = new Set<string>();
  for (const variant of prepared.variants) {
    if (variant.weight === 0) continue;
    const recall = sharedWeight(variant.features, input) / variant.weight;
    best = Math.max(best, recall);
    if (recall < EVIDENCE_RECALL) continue;
    for (const feature of variant.features.keys()) {
      if (input.has(feature)) evidence.add(feature);
    }
  }
  let explained = 0;
  for (const feature of evidence) explained += input.get(feature) ?? 0;
  return best * (COVERAGE_BASE + (1 - COVERAGE_BASE) * (explained / recognisedWeight));
}

/** Finds the catalogue entry a pasted text or description is about: one match, several close ones, or none. */
function recognizeErrorUncached(text: string, catalogue: KnownErrorCatalogue): ErrorRecognition {
  const input = featuresOf(text.slice(0, MAX_INPUT_CHARS));
  const { prepared, known } = preparedCatalogue(catalogue);
  let recognisedWeight = 0;
  for (const [feature, weight] of input) if (known.has(feature)) recognisedWeight += weight;

  const ranked = prepared
    .map((p) => ({ entry: p.entry, score: score(input, recognisedWeight, p) }))
    .filter((c) => c.score >= MATCH_THRESHOLD)
    .sort((a, b) => b.score - a.score); // stable: equal scores keep catalogue order
  const best = ranked[0];
  if (!best) return { kind: 'none' };

  const close = ranked.filter((c) => best.score - c.score <= AMBIGUITY_MARGIN);
  if (close.length > 1) return { kind: 'ambiguous', candidates: close.map((c) => c.entry) };
  return { kind: 'match', entry: best.entry, score: Math.round(best.score * 1000) / 1000 };
}

/** Same answer for the same text (memoised: see memo.ts). */
export const recognizeError: (text: string, catalogue: KnownErrorCatalogue) => ErrorRecognition = memoByText(recognizeErrorUncached);
