/** Measures an understander on labelled utterances: per language and intent, right / "did you mean" / wrong / unknown. */
import { NONE, type Label } from './corpus.js';
import type { Lang } from '../i18n/i18n.js';
import type { Utterance } from './corpus.js';
import type { Understanding } from './understand.js';

export type Outcome = 'right' | 'offered' | 'wrong' | 'unknown';

export interface Tally {
  right: number;
  offered: number;
  wrong: number;
  unknown: number;
  total: number;
}

export interface Evaluation {
  readonly byLang: Record<string, Tally>;
  readonly byIntent: Record<string, Tally>;
  /** "expected -> got" for messages acted on wrongly, most frequent first. */
  readonly confusions: readonly (readonly [string, number])[];
  readonly failures: readonly { utterance: Utterance; got: string }[];
}

const empty = (): Tally => ({ right: 0, offered: 0, wrong: 0, unknown: 0, total: 0 });

/** right: acted on the expected intent; offered: "did you mean" that lists it; wrong: anything else acted on or offered. */
export function outcomeOf(expected: Label, u: Understanding): Outcome {
  if (expected === NONE) return u.kind === 'unknown' ? 'right' : 'wrong';
  if (u.kind === 'sure') return u.intent === expected ? 'right' : 'wrong';
  if (u.kind === 'unsure') return u.candidates.includes(expected) ? 'offered' : 'wrong';
  return 'unknown';
}

export function evaluate(utterances: readonly Utterance[], understand: (text: string) => Understanding): Evaluation {
  const byLang: Record<string, Tally> = {};
  const byIntent: Record<string, Tally> = {};
  const confusions = new Map<string, number>();
  const failures: { utterance: Utterance; got: string }[] = [];
  for (const u of utterances) {
    const got = understand(u.text);
    const outcome = outcomeOf(u.intent, got);
    for (const t of [(byLang[u.lang] ??= empty()), (byIntent[`${u.lang} ${u.intent}`] ??= empty())]) {
      t[outcome]++;
      t.total++;
    }
    if (outcome !== 'right') {
      const label = got.kind === 'sure' ? got.intent : got.kind === 'unsure' ? `? ${got.candidates.join(' | ')}` : 'unknown';
      failures.push({ utterance: u, got: label });
      if (got.kind === 'sure') confusions.set(`${u.intent} -> ${got.intent}`, (confusions.get(`${u.intent} -> ${got.intent}`) ?? 0) + 1);
    }
  }
  return { byLang, byIntent, confusions: [...confusions].sort((a, b) => b[1] - a[1]), failures };
}

/** Share of messages acted on rightly. */
export function accuracy(t: Tally | undefined): number {
  return t && t.total ? t.right / t.total : 0;
}

export type Languages = Record<Lang, Tally>;
