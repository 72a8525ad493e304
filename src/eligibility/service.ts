/**
 * The conversation logic of "is X covered and where do I go" (issue 3, part 5): from what people type to
 * an answer — a decision of the engine, a "which one?" list, an "I don't know that product" answer, or a
 * request to name the product. No botbuilder here: tested with plain data.
 */
import type { Catalog, ProductRef } from '../domain/catalog.js';
import { productLabel } from '../domain/catalog.js';
import { decide, type Decision } from '../domain/eligibility.js';
import type { BenefitsState, Organisation, Person } from '../domain/org.js';
import type { Policy } from '../domain/policy.js';
import { policyTier } from '../domain/policy.js';
import { extractProductQuery, recognizeProduct, type Candidate } from '../domain/recognize.js';

/** Everything `decide` needs besides the product and the audience. */
export interface EligibilityInputs {
  org: Organisation;
  /** undefined for a person the directory does not know: general guidance only. */
  person: Person | undefined;
  benefits: BenefitsState | undefined;
  /** yyyy-mm-dd */
  today: string;
  policy: Policy;
  catalog: Catalog;
}

export type Answer =
  /** The engine's decision for one product (or, before activation / without membership, for whatever was named). */
  | { kind: 'decision'; product: ProductRef; label: string; onBehalfOfCustomer: boolean; decision: Decision }
  /** No product named: ask for one. */
  | { kind: 'ask'; onBehalfOfCustomer: boolean }
  /** Several readings: the person picks one. */
  | { kind: 'pick'; reason: 'versionMissing' | 'severalProducts'; candidates: readonly Candidate[]; onBehalfOfCustomer: boolean; familyName?: string }
  /** Nothing matched (suggestions may be empty), or the family is known but not that version. */
  | { kind: 'unknown'; reason: 'unknownProduct' | 'unknownVersion'; suggestions: readonly Candidate[]; onBehalfOfCustomer: boolean; familyName?: string };

const CUSTOMER_EN = /\bcustomer(?:s|'s|s')?\b/i;
const CUSTOMER_KO = /고객/;
const CUSTOMER_PHRASE_EN = /\b(?:(?:for|on behalf of|with|to)\s+)?(?:(?:a|an|my|our|the|one of (?:my|our))\s+)?customer(?:s|'s|s')?(?:\s+tenants?)?\b/gi;
const CUSTOMER_WORD_KO = /\S*고객\S*/g;

/** True when the text says the request is for a customer ("for a customer", "for my customer", "고객"). */
export function mentionsCustomer(text: string): boolean {
  return CUSTOMER_EN.test(text) || CUSTOMER_KO.test(text);
}

/** The text without its "for a customer" phrases, so they are not read as part of a product name. */
export function stripCustomer(text: string): string {
  return text.replace(CUSTOMER_PHRASE_EN, ' ').replace(CUSTOMER_WORD_KO, ' ').replace(/\s+/g, ' ').trim();
}

/** The date part of an instant as yyyy-mm-dd (UTC), the `today` of `decide`. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** E2 and A2 are answered before anything else: the product does not matter yet. */
function answeredBeforeProduct(inputs: EligibilityInputs): boolean {
  return policyTier(inputs.org, inputs.policy) === 'none' || !inputs.benefits?.activated;
}

function decisionFor(product: ProductRef, label: string, onBehalfOfCustomer: boolean, inputs: EligibilityInputs): Answer {
  const decision = decide({ ...inputs, product, onBehalfOfCustomer });
  return { kind: 'decision', product, label, onBehalfOfCustomer, decision };
}

/** Answers a product named in free text; `onBehalfOfCustomer` comes from the whole message or the form. */
export function answerQuery(query: string, onBehalfOfCustomer: boolean, inputs: EligibilityInputs): Answer {
  const { catalog } = inputs;
  const cleaned = stripCustomer(query);
  const named = extractProductQuery(cleaned) !== '';
  const recognition = named ? recognizeProduct(cleaned, catalog) : undefined;
  if (answeredBeforeProduct(inputs)) {
    const product = recognition?.kind === 'match' ? recognition.product : { familyId: '' };
    return decisionFor(product, recognition?.kind === 'match' ? recognition.label : '', onBehalfOfCustomer, inputs);
  }
  if (!recognition) return { kind: 'ask', onBehalfOfCustomer };
  switch (recognition.kind) {
    case 'match':
      return decisionFor(recognition.product, recognition.label, onBehalfOfCustomer, inputs);
    case 'ambiguous': {
      const first = recognition.candidates[0];
      const familyName = recognition.reason === 'versionMissing' && first ? catalog.byId.get(first.product.familyId)?.name : undefined;
      return { kind: 'pick', reason: recognition.reason, candidates: recognition.candidates, onBehalfOfCustomer, familyName };
    }
    case 'none': {
      const first = recognition.suggestions[0];
      const familyName = recognition.reason === 'unknownVersion' && first ? catalog.byId.get(first.product.familyId)?.name : undefined;
      return { kind: 'unknown', reason: recognition.reason, suggestions: recognition.suggestions, onBehalfOfCustomer, familyName };
    }
  }
}

/** Answers a whole message: "for a customer" anywhere in it sets the audience. */
export function answerQuestion(text: string, inputs: EligibilityInputs): Answer {
  return answerQuery(text, mentionsCustomer(text), inputs);
}

/**
 * Answers a product picked on a card. The card data is not trusted: undefined when the family or the
 * version is not in the catalogue (a forged or stale card). A versioned family without a version asks
 * which version.
 */
export function answerProduct(product: ProductRef, onBehalfOfCustomer: boolean, inputs: EligibilityInputs): Answer | undefined {
  const { catalog } = inputs;
  const family = catalog.byId.get(product.familyId);
  if (!family) return undefined;
  if (product.versionId !== undefined && !family.versionIndex.has(product.versionId)) return undefined;
  const ref: ProductRef = product.versionId === undefined ? { familyId: family.id } : { familyId: family.id, versionId: product.versionId };
  const label = productLabel(catalog, ref);
  if (answeredBeforeProduct(inputs)) return decisionFor(ref, label, onBehalfOfCustomer, inputs);
  if (family.versions.length > 0 && ref.versionId === undefined) {
    const candidates: Candidate[] = [...family.versions].reverse().map((v) => {
      const p = { familyId: family.id, versionId: v.id };
      return { product: p, label: productLabel(catalog, p) };
    });
    return { kind: 'pick', reason: 'versionMissing', candidates, onBehalfOfCustomer, familyName: family.name };
  }
  return decisionFor(ref, label, onBehalfOfCustomer, inputs);
}

// ---- Free text: is this message a product or a coverage question? ----

const QUESTION_EN = /\b(?:is|are|am|can|could|does|do|will|would|which|where|what|how|covered|cover|coverage|supported|eligible|eligibility|entitled|included)\b/;
const QUESTION_KO = /지원|되나|돼|되요|되는지|가능|어디|어느|대상|범위|포털|해당|커버|인가요|나요|까요/;
/** Words of a problem report or a pasted error: those belong to the diagnosis recognizer, not here. */
const PROBLEM_EN =
  /\b(?:errors?|exceptions?|fail(?:s|ed|ing|ure)?|cannot|can't|cant|unable|denied|invalid|unauthori[sz]ed|authori[sz]ed|already|associated|greyed|grayed|crash(?:es|ed)?|broken|hangs?|stuck|message|says|shows|showing|code|0x[0-9a-f]+|not working|doesn't work|won't)\b/;
const PROBLEM_KO = /오류|에러|실패|메시지|메세지|안 ?돼|안 ?되|안 ?됩|거부|권한이 없|문제가|먹통|멈춰|뜹니다|떠요|나옵니다/;
/** Tokens that are version-like and so count as part of a product mention ("2008", "r2", "sp1"). */
const VERSIONISH = /^(?:\d+|r\d|sp\d|h\d|ltsc|se|cu\d*)$/;
const MAX_PRODUCT_MESSAGE = 120;

const explainedTokens = new WeakMap<Catalog, ReadonlySet<string>>();

/** Every token of every family and version name and alias: what a bare product mention is made of. */
function productTokens(catalog: Catalog): ReadonlySet<string> {
  let set = explainedTokens.get(catalog);
  if (!set) {
    const out = new Set<string>();
    const add = (s: string): void => {
      for (const t of extractProductQuery(s).split(' ')) if (t) out.add(t);
    };
    for (const f of catalog.families) {
      add(f.name);
      add(f.id.replace(/-/g, ' '));
      f.aliases.forEach(add);
      for (const v of f.versions) {
        add(v.label);
        add(v.id.replace(/-/g, ' '));
        v.aliases.forEach(add);
      }
    }
    set = out;
    explainedTokens.set(catalog, set);
  }
  return set;
}

/**
 * 0..1: how sure we are that free text is for eligibility. A bare product ("sql 2019", "WS2022", "애저")
 * or a question naming a recognisable product scores high; a problem report or a pasted error message
 * scores low even when it names a product (the diagnosis recognizer handles those).
 */
export function scoreFreeText(text: string, catalog: Catalog): number {
  const lower = text.normalize('NFKC').toLowerCase().trim();
  if (lower === '' || lower.length > MAX_PRODUCT_MESSAGE) return 0;
  if (PROBLEM_EN.test(lower) || PROBLEM_KO.test(lower)) return 0.1;
  const cleaned = stripCustomer(lower);
  const recognition = recognizeProduct(cleaned, catalog);
  if (recognition.kind === 'none' && recognition.reason === 'unknownProduct') return 0;
  const known = productTokens(catalog);
  const tokens = extractProductQuery(cleaned).split(' ').filter(Boolean);
  const unexplained = tokens.filter((t) => !known.has(t) && !VERSIONISH.test(t)).length;
  const question = lower.includes('?') || QUESTION_EN.test(lower) || QUESTION_KO.test(lower);
  const words = lower.split(/\s+/).length;
  if (unexplained === 0 && !question && words <= 6) return 0.9; // just a product
  if (question && unexplained <= 2) return 0.8;
  if (!question && unexplained <= 1 && words <= 6) return 0.7; // a product with a typo or a particle
  return 0.3;
}
