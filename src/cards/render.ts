/** The one card renderer: JSON templates in cards/*.json expanded exactly once with { $root: data }. */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { fromRoot } from '../paths.js';
import { deepFreeze } from '../freeze.js';

/** A rendered card: shared and deep-frozen (see renderCard), hence read-only. */
export type AdaptiveCard = Readonly<Record<string, unknown>> & { readonly type: 'AdaptiveCard'; readonly version: string };

/** A template and the type of the data it binds (a phantom type ties them together). */
export interface CardTemplate<TData> {
  readonly name: string;
  readonly __data?: TData;
}

/** Declares the template cards/<name>.json with its data type. */
export function defineCard<TData>(name: string): CardTemplate<TData> {
  return { name };
}

const cache = new Map<string, unknown>();
let cardsDir = fromRoot('cards');

/** Points the renderer at another folder (tests only). */
export function setCardsDir(dir: string): void {
  cardsDir = dir;
  cache.clear();
  expanded.clear();
  prepared.clear();
}

/** The parsed template JSON of cards/<name>.json. */
export function loadTemplate(name: string): unknown {
  let t = cache.get(name);
  if (!t) {
    t = JSON.parse(fs.readFileSync(path.join(cardsDir, `${name}.json`), 'utf8'));
    cache.set(name, t);
  }
  return t;
}

/**
 * Expanded cards by template and data. Expansion evaluates every ${…} with adaptive-expressions, which costs
 * hundreds of microseconds a card (measured: 370 µs for the help card) — more than a whole echo-bot turn — while
 * most cards repeat (help, welcome, refusals, masked IDs): identical data gets the stored expansion, the very same
 * deep-frozen object (no copy per call: parsing a stored JSON copy of the help card cost ~35 µs a turn).
 */
const expanded = new Map<string, AdaptiveCard>();
/** Parsed templates: `new Template()` parses every ${…} (the costly part); `expand` only evaluates, without side effects on the template. */
const prepared = new Map<string, ACData.Template>();

function preparedTemplate(name: string): ACData.Template {
  let t = prepared.get(name);
  if (!t) {
    t = new ACData.Template(loadTemplate(name));
    prepared.set(name, t);
  }
  return t;
}
const EXPANDED_MAX = 1000;
/** The JSON text of every card this renderer made, kept with the (frozen, never changed) card object. */
const jsonOf = new WeakMap<object, string>();
/** Marks a card's place in stringifyWithCards; the random part keeps user text from ever looking like one. */
const SLOT = `\u0001card:${randomUUID()}:`;
const SLOT_JSON = new RegExp(`"${escapeRegExp(JSON.stringify(SLOT).slice(1, -1))}(\\d+)"`, 'g');

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * JSON.stringify for an HTTP body holding rendered cards: each card's text was made once at expansion and is
 * reused instead of serialising the card again on every reply (restify's JSON formatter was 5 % of a turn).
 * Gives exactly JSON.stringify's output.
 */
export function stringifyWithCards(body: unknown): string {
  const cards: string[] = [];
  const text = JSON.stringify(body, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object') {
      const json = jsonOf.get(value);
      if (json !== undefined) return `${SLOT}${cards.push(json) - 1}`;
    }
    return value;
  });
  return cards.length === 0 ? text : text.replace(SLOT_JSON, (_m, i: string) => cards[Number(i)]);
}

/**
 * Expands the template once. Data strings are bound as values and never evaluated as expressions.
 *
 * The card is shared: every call with equal data returns the same object, deep-frozen (a write to it throws in
 * strict mode rather than change what later turns send). Never mutate it; build a new object (or structuredClone
 * it) to add to a card. Serialising it (JSON.stringify, botbuilder, restify) is fine.
 */
export function renderCard<TData extends object>(template: CardTemplate<TData>, data: TData): AdaptiveCard {
  // The key is the data's JSON: equal data, equal card (≈5 µs for the 2 KB help data; user text stays plain data).
  const key = `${template.name}\u0000${JSON.stringify(data)}`;
  let card = expanded.get(key);
  if (card === undefined) {
    // Through JSON once: the card shares no object with `data` (expansion may bind a data array as is), so freezing
    // it freezes nothing of the caller's, and it is exactly the JSON that goes out.
    const text = JSON.stringify(preparedTemplate(template.name).expand({ $root: data }));
    card = deepFreeze(JSON.parse(text) as AdaptiveCard);
    jsonOf.set(card, text);
    if (expanded.size >= EXPANDED_MAX) expanded.delete(expanded.keys().next().value as string);
  } else {
    expanded.delete(key); // refresh its place: least recently used goes first
  }
  expanded.set(key, card);
  return card;
}


const MD_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~]/g;

/** Escapes markdown in user-written text that must sit in a TextBlock (prefer TextRun where possible). */
export function escapeMarkdown(text: string): string {
  return text.replace(MD_SPECIAL, (c) => `\\${c}`);
}

/** Shortens user text for a card, on a character boundary. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
