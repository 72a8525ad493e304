/**
 * Product recognition: turns what people type ("is sql2019 covered?", "윈도우 서버 2022") into a
 * catalogue reference. It never guesses silently: a family without a version is `ambiguous`
 * (reason `versionMissing`, candidates = that family's versions), a version the catalogue does not
 * know is `none` (reason `unknownVersion`, suggestions = the family's known versions), and several
 * products named at once are `ambiguous` (reason `severalProducts`).
 */
import { memoByText } from './memo.js';
import type { Catalog, ProductFamily, ProductRef } from './catalog.js';
import { productLabel } from './catalog.js';

export interface Candidate {
  readonly product: ProductRef;
  /** Display label, e.g. "SQL Server 2019". */
  readonly label: string;
}

export type Recognition =
  /** One product; `product.versionId` is set for versioned families, absent for unversioned (cloud) ones. */
  | { readonly kind: 'match'; readonly product: ProductRef; readonly label: string; readonly fuzzy: boolean }
  /** versionMissing: a versioned family without a version (candidates newest first); severalProducts: more than one named. */
  | { readonly kind: 'ambiguous'; readonly reason: 'versionMissing' | 'severalProducts'; readonly candidates: readonly Candidate[] }
  /** unknownVersion: family known, version not (suggestions = its versions, newest first); unknownProduct: nothing matched. */
  | { readonly kind: 'none'; readonly reason: 'unknownVersion' | 'unknownProduct'; readonly suggestions: readonly Candidate[] };

const ENGLISH_STOPWORDS = new Set(
  (
    'a an the is are am was were be been do does did can could will would should may might shall ' +
    'i we you my our your us me it its this that these those there here ' +
    'for with about on of in to at by from under and or if whether still currently now today ' +
    'covered cover covers coverage supported support supports eligible eligibility entitled benefit benefits ' +
    'incident incidents ticket tickets request requests case cases problem problems issue issues error errors ' +
    'help question what which how when why who get use using used open create need needs please hi hello ' +
    'tell know check version versions product products partner mpn technical tech'
  ).split(' '),
);

const KOREAN_STOPWORDS = new Set(
  '은 는 이 가 을 를 도 의 에 에서 로 으로 와 과 랑 요 제 저 저희 우리 우리의 혹시 문의 질문 버전 제품 혜택 기술 인시던트 티켓 케이스 문제 오류 에러 어떻게 뭐 무엇 있는지 인지 건가요 인가요 인가 나요 까요'.split(' '),
);
// Korean question/predicate words: "지원되나요", "지원돼", "가능한가요", "커버되나요", "해당되나요", "사용할", "있나요" …
const KOREAN_PREDICATE = /^(지원|되나|되니|되요|돼|됩니|되는|가능|커버|해당|사용|있나|있어|있을|있습|받을|받나|알려|궁금|할까|하나요|해요|합니다|입니)/;
// Particles that may follow a product word written in Hangul ("애저는", "익스체인지를").
const KOREAN_PARTICLES = new Set(['은', '는', '이', '가', '을', '를', '도', '의', '에', '에서', '로', '으로', '와', '과', '랑', '이랑', '요', '은요', '는요']);

/** Lower-cases, splits letters from digits ("sql2019" -> "sql 2019") and drops punctuation. */
function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/(\p{L})(\p{N})/gu, '$1 $2')
    .replace(/(\p{N})(\p{L})/gu, '$1 $2')
    .replace(/([a-z])(\p{Script=Hangul})/gu, '$1 $2')
    .replace(/(\p{Script=Hangul})([a-z])/gu, '$1 $2')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function isStopword(token: string): boolean {
  return ENGLISH_STOPWORDS.has(token) || KOREAN_STOPWORDS.has(token) || KOREAN_PREDICATE.test(token);
}

function queryTokens(text: string): string[] {
  const normal = normalize(text);
  return normal === '' ? [] : normal.split(' ').filter((t) => !isStopword(t));
}

/** Strips question words and punctuation: "is SQL Server 2019 covered?" -> "sql server 2019". */
export function extractProductQuery(text: string): string {
  return queryTokens(text).join(' ');
}

const HANGUL = /\p{Script=Hangul}/u;
const DIGITS = /^\d+$/;

/** Optimal string alignment distance (adjacent transpositions count 1), stopping above `max`; three reused rows. */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (b.length + 1 > rowA.length) [rowA, rowB, rowC] = [new Int32Array(b.length + 1), new Int32Array(b.length + 1), new Int32Array(b.length + 1)];
  let before = rowA; // row i - 2
  let prev = rowB; // row i - 1
  let cur = rowC;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, before[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [before, prev, cur] = [prev, cur, before];
  }
  return prev[b.length];
}

/** Same length, one swap of two adjacent letters ("azrue" for "azure"). */
function isAdjacentSwap(a: string, b: string): boolean {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/**
 * Typos tolerated for an alias word: none for numbers and short words, only a swap of two adjacent
 * letters for 4-5 letter words ("azrue", but not "team" for "teams"), 1 from 6 letters, 2 from 9.
 * Hangul syllables carry more per character: 1 from 4 syllables.
 */
function typoAllowance(aliasToken: string): { max: number; sameLengthOnly: boolean } {
  if (DIGITS.test(aliasToken)) return { max: 0, sameLengthOnly: true };
  const n = aliasToken.length;
  if (HANGUL.test(aliasToken)) return { max: n >= 4 ? 1 : 0, sameLengthOnly: false };
  if (n <= 3) return { max: 0, sameLengthOnly: true };
  if (n <= 5) return { max: 1, sameLengthOnly: true };
  return { max: n >= 9 ? 2 : 1, sameLengthOnly: false };
}

/** 0 = same word (a Hangul word may carry a particle), n = typo distance, -1 = different. */
function tokenCost(query: string, alias: string, fuzzy: boolean): number {
  if (query === alias) return 0;
  const a = aliasInfo(alias);
  if (a.hangul && query.startsWith(alias) && KOREAN_PARTICLES.has(query.slice(alias.length))) return 0;
  if (!fuzzy || a.max === 0) return -1;
  // Cheap refusals first: this runs for every query word against every alias word.
  const diff = query.length - alias.length;
  if (a.sameLengthOnly ? diff !== 0 : diff > a.max || diff < -a.max) return -1;
  if (isDigits(query)) return -1;
  // Same length and letters within distance 1 of a different word can only be an adjacent swap.
  if (a.sameLengthOnly) return isAdjacentSwap(query, alias) ? 1 : -1;
  const d = editDistance(query, alias, a.max);
  return d <= a.max ? d : -1;
}

interface AliasInfo {
  readonly hangul: boolean;
  readonly max: number;
  readonly sameLengthOnly: boolean;
}
/** Alias words are few (the catalogue's): what tokenCost needs of each is worked out once. */
const aliasInfos = new Map<string, AliasInfo>();
function aliasInfo(alias: string): AliasInfo {
  let info = aliasInfos.get(alias);
  if (!info) aliasInfos.set(alias, (info = { hangul: HANGUL.test(alias), ...typoAllowance(alias) }));
  return info;
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return s.length > 0;
}

interface AliasEntry {
  readonly familyIndex: number;
  readonly tokens: readonly string[];
  /** The tokens as numbers in `Index.words`. */
  readonly ids: readonly number[];
}
interface VersionAlias {
  readonly versionId: string;
  readonly tokens: readonly string[];
  readonly ids: readonly number[];
}
interface Index {
  /** Every distinct alias word, so that a query word is compared with each once. */
  readonly words: readonly string[];
  readonly aliases: readonly AliasEntry[];
  readonly versionAliases: ReadonlyMap<string, readonly VersionAlias[]>;
}

const indexes = new WeakMap<Catalog, Index>();

/** Alias forms: the normalised alias, and for multi-word Latin aliases the joined form ("sqlserver"). */
function aliasForms(alias: string): string[][] {
  const tokens = queryTokens(alias);
  if (tokens.length === 0) return [];
  const forms = [tokens];
  if (tokens.length > 1 && tokens.every((t) => /^[a-z]+$/.test(t))) forms.push([tokens.join('')]);
  return forms;
}

function buildIndex(catalog: Catalog): Index {
  const aliases: AliasEntry[] = [];
  const versionAliases = new Map<string, VersionAlias[]>();
  const words: string[] = [];
  const wordIds = new Map<string, number>();
  const idsOf = (tokens: readonly string[]) =>
    tokens.map((t) => {
      let id = wordIds.get(t);
      if (id === undefined) wordIds.set(t, (id = words.push(t) - 1));
      return id;
    });
  catalog.families.forEach((family, familyIndex) => {
    const seen = new Set<string>();
    for (const alias of [family.name, family.id.replace(/-/g, ' '), ...family.aliases]) {
      for (const tokens of aliasForms(alias)) {
        const key = tokens.join(' ');
        if (seen.has(key)) continue;
        seen.add(key);
        aliases.push({ familyIndex, tokens, ids: idsOf(tokens) });
      }
    }
    const list: VersionAlias[] = [];
    for (const v of family.versions) {
      const vSeen = new Set<string>();
      for (const alias of [v.id.replace(/-/g, ' '), v.label, ...v.aliases]) {
        const tokens = queryTokens(alias);
        const key = tokens.join(' ');
        if (tokens.length === 0 || vSeen.has(key)) continue;
        vSeen.add(key);
        list.push({ versionId: v.id, tokens, ids: idsOf(tokens) });
      }
    }
    versionAliases.set(family.id, list);
  });
  return { words, aliases, versionAliases };
}

function indexFor(catalog: Catalog): Index {
  let index = indexes.get(catalog);
  if (!index) {
    index = buildIndex(catalog);
    indexes.set(catalog, index);
  }
  return index;
}

interface Hit {
  readonly familyIndex: number;
  readonly start: number;
  readonly end: number;
  readonly cost: number;
}

/**
 * tokenCost of every query word against every alias word, each pair worked out once and only when asked (aliases
 * share words: "server", "windows"): rows[word id][position].
 */
class Costs {
  private readonly rows: (Int8Array | undefined)[];
  constructor(
    private readonly tokens: readonly string[],
    private readonly words: readonly string[],
    private readonly fuzzy: boolean,
  ) {
    this.rows = new Array<Int8Array | undefined>(words.length);
  }
  at(position: number, wordId: number): number {
    let row = this.rows[wordId];
    if (!row) {
      row = new Int8Array(this.tokens.length);
      const word = this.words[wordId];
      for (let k = 0; k < this.tokens.length; k++) row[k] = tokenCost(this.tokens[k], word, this.fuzzy);
      this.rows[wordId] = row;
    }
    return row[position];
  }
}

/** Best occurrence of the alias (word ids) as consecutive tokens of the query, or undefined. */
function findAlias(tokens: readonly string[], alias: readonly number[], costs: Costs): { start: number; cost: number } | undefined {
  let best: { start: number; cost: number } | undefined;
  for (let s = 0; s + alias.length <= tokens.length; s++) {
    let cost = 0;
    for (let j = 0; j < alias.length; j++) {
      const c = costs.at(s + j, alias[j]);
      if (c < 0) {
        cost = -1;
        break;
      }
      cost += c;
    }
    if (cost >= 0 && (!best || cost < best.cost)) best = { start: s, cost };
  }
  return best;
}

function familyHits(tokens: readonly string[], index: Index, costs: Costs): Hit[] {
  const hits: Hit[] = [];
  for (const alias of index.aliases) {
    const found = findAlias(tokens, alias.ids, costs);
    if (found) hits.push({ familyIndex: alias.familyIndex, start: found.start, end: found.start + alias.tokens.length, cost: found.cost });
  }
  // Longest spans first; a shorter hit overlapping a kept one of another family is part of that name
  // ("exchange" inside "exchange online", "windows 10" inside "windows 10 ltsc").
  hits.sort((a, b) => b.end - b.start - (a.end - a.start) || a.cost - b.cost || a.start - b.start);
  const kept: Hit[] = [];
  for (const hit of hits) {
    if (kept.some((k) => k.familyIndex === hit.familyIndex)) continue;
    if (kept.some((k) => hit.start < k.end && k.start < hit.end)) continue;
    kept.push(hit);
  }
  return kept;
}

function newestFirst(catalog: Catalog, family: ProductFamily): Candidate[] {
  const out: Candidate[] = [];
  for (let i = family.versions.length - 1; i >= 0; i--) {
    const product = { familyId: family.id, versionId: family.versions[i].id };
    out.push({ product, label: productLabel(catalog, product) });
  }
  return out;
}

/** Versions named in `tokens`; positions outside [from, to) or inside the family's own span are ignored. */
function versionsNamed(tokens: readonly string[], words: readonly string[], aliases: readonly VersionAlias[], span: { start: number; end: number }, from = 0, to = tokens.length): string[] {
  const rest = tokens.map((t, i) => (i < from || i >= to || (i >= span.start && i < span.end) ? '' : t));
  const found: string[] = [];
  const costs = new Costs(rest, words, false);
  for (const alias of aliases) {
    if (findAlias(rest, alias.ids, costs) && !found.includes(alias.versionId)) found.push(alias.versionId);
  }
  return found;
}

/** A year anywhere, or a short number right after the family name ("windows server 2012", "sql server 15"). */
function mentionsAVersion(tokens: readonly string[], hit: Hit): boolean {
  return tokens.some((t, i) => (i < hit.start || i >= hit.end) && (/^(19|20)\d\d$/.test(t) || (i === hit.end && /^\d{1,2}$/.test(t))));
}

function candidateFor(catalog: Catalog, family: ProductFamily, versionId?: string): Candidate {
  const product: ProductRef = versionId ? { familyId: family.id, versionId } : { familyId: family.id };
  return { product, label: productLabel(catalog, product) };
}

/** Families sharing words with the query, for "did you mean" lists (with the version when the query names one). */
function suggestions(tokens: readonly string[], catalog: Catalog, index: Index, fuzzy: Costs): Candidate[] {
  const scores = new Map<number, number>();
  const raise = (familyIndex: number, score: number): void => {
    if (score >= 0.5 && score > (scores.get(familyIndex) ?? 0)) scores.set(familyIndex, score);
  };
  for (const alias of index.aliases) {
    let matched = 0;
    for (const a of alias.ids) if (tokens.some((_, k) => fuzzy.at(k, a) >= 0)) matched++;
    raise(alias.familyIndex, matched / alias.tokens.length);
  }
  // A distinctive version name ("ltsc 2021") points at the families that have it.
  const exact = new Costs(tokens, index.words, false);
  catalog.families.forEach((family, familyIndex) => {
    const named = (index.versionAliases.get(family.id) ?? []).some((v) => v.ids.length > 1 && findAlias(tokens, v.ids, exact));
    if (named) raise(familyIndex, 0.75);
  });
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5);
  return ranked.map(([familyIndex]) => {
    const family = catalog.families[familyIndex];
    const aliases = index.versionAliases.get(family.id) ?? [];
    const named = versionsNamed(tokens, index.words, aliases, { start: 0, end: 0 });
    return candidateFor(catalog, family, named.length === 1 ? named[0] : undefined);
  });
}

/** Recognises one product in free text; never guesses a version or picks between products silently. */
function recognizeProductUncached(text: string, catalog: Catalog): Recognition {
  const tokens = queryTokens(text);
  const index = indexFor(catalog);
  if (tokens.length === 0) return { kind: 'none', reason: 'unknownProduct', suggestions: [] };

  // Typos are tolerated only when no alias matched exactly ("team" must not beat "sql server").
  let hits = familyHits(tokens, index, new Costs(tokens, index.words, false));
  const fuzzy = hits.length === 0 ? new Costs(tokens, index.words, true) : undefined;
  if (fuzzy) hits = familyHits(tokens, index, fuzzy);
  if (fuzzy && hits.length === 0) return { kind: 'none', reason: 'unknownProduct', suggestions: suggestions(tokens, catalog, index, fuzzy) };

  if (hits.length > 1) {
    // Each product takes the version written after it, up to the next product ("sql server 2019 on windows server 2022").
    const ordered = [...hits].sort((a, b) => a.start - b.start);
    const candidates = ordered.map((hit, i) => {
      const family = catalog.families[hit.familyIndex];
      const to = i + 1 < ordered.length ? ordered[i + 1].start : tokens.length;
      const named = versionsNamed(tokens, index.words, index.versionAliases.get(family.id) ?? [], hit, hit.end, to);
      return candidateFor(catalog, family, named.length === 1 ? named[0] : undefined);
    });
    return { kind: 'ambiguous', reason: 'severalProducts', candidates };
  }

  const hit = hits[0];
  const family = catalog.families[hit.familyIndex];
  if (family.versions.length === 0) {
    return { kind: 'match', product: { familyId: family.id }, label: family.name, fuzzy: hit.cost > 0 };
  }
  const named = versionsNamed(tokens, index.words, index.versionAliases.get(family.id) ?? [], hit);
  if (named.length === 1) {
    const c = candidateFor(catalog, family, named[0]);
    return { kind: 'match', product: c.product, label: c.label, fuzzy: hit.cost > 0 };
  }
  if (named.length > 1) {
    return { kind: 'ambiguous', reason: 'severalProducts', candidates: named.map((v) => candidateFor(catalog, family, v)) };
  }
  if (mentionsAVersion(tokens, hit)) return { kind: 'none', reason: 'unknownVersion', suggestions: newestFirst(catalog, family) };
  return { kind: 'ambiguous', reason: 'versionMissing', candidates: newestFirst(catalog, family) };
}

/** Same answer for the same text (memoised: see memo.ts). */
export const recognizeProduct: (text: string, catalog: Catalog) => Recognition = memoByText(recognizeProductUncached);
