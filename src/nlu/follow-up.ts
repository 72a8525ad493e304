/**
 * Follow-ups within a conversation: what the last answer was about (kept in the conversation's state), and how a
 * short next message continues it — "yes" / "no" after "did you mean", "and 2016?" after an eligibility answer,
 * "open a request for that" after a product answer. Pure: no botbuilder.
 */
import type { Catalog } from '../domain/catalog.js';
import { recognizeProduct } from '../domain/recognize.js';
import type { EntityPatterns } from './entities.js';

/** What the bot's last answer in the conversation was about. */
export interface Topic {
  /** The intents offered in "did you mean", and the message they were offered for. */
  offered?: { intents: string[]; text: string };
  /** The product the last answer was about. */
  product?: { familyId: string; label: string; familyName: string };
  /** ISO time of that answer: a topic older than TOPIC_MINUTES is forgotten. */
  at: string;
}

export const TOPIC_MINUTES = 30;
/** A continuation is short: longer messages are understood on their own. */
const MAX_CONTINUATION_WORDS = 5;

export type FollowUp =
  | { kind: 'run'; intent: string; text: string }
  | { kind: 'declined' }
  | { kind: 'none' };

function folded(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[?!.,…~]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** How the message continues the topic, if it does. `understoodAs` is the intent the message alone was taken for. */
export function followUpOf(
  text: string,
  topic: Topic | undefined,
  now: Date,
  deps: { patterns: EntityPatterns; catalog: Catalog },
  understoodAs?: string,
): FollowUp {
  if (!topic || now.getTime() - Date.parse(topic.at) > TOPIC_MINUTES * 60_000) return { kind: 'none' };
  const f = folded(text);
  if (topic.offered && topic.offered.intents.length) {
    if (deps.patterns.yes.has(f)) return { kind: 'run', intent: topic.offered.intents[0], text: topic.offered.text };
    if (deps.patterns.no.has(f)) return { kind: 'declined' };
  }
  if (topic.product && f.split(' ').length <= MAX_CONTINUATION_WORDS) {
    if (understoodAs === 'newRequest' && recognizeProduct(text, deps.catalog).kind === 'none') {
      return { kind: 'run', intent: 'newRequest', text: topic.product.label };
    }
    // "and 2016?", "what about SE", "2016은요?": a version of the same family.
    const own = recognizeProduct(text, deps.catalog);
    const withFamily = recognizeProduct(`${topic.product.familyName} ${text}`, deps.catalog);
    if (own.kind !== 'match' && withFamily.kind === 'match' && withFamily.product.familyId === topic.product.familyId && withFamily.product.versionId) {
      return { kind: 'run', intent: 'eligibility', text: withFamily.label };
    }
  }
  return { kind: 'none' };
}
