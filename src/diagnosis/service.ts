/**
 * Diagnosis logic (issue 6, conversation part): what a pasted message is, and for "Access ID is already
 * associated" which scenario (D1-D4) applies given what the bot knows. Plain data in and out, no botbuilder.
 */
import { randomUUID } from 'node:crypto';
import {
  ANSWER_VALUES,
  QUESTION_IDS,
  resolveAlreadyAssociated,
  type Answers,
  type AnswerValue,
  type CloudPack,
  type DiagnosisFeedback,
  type Question,
  type QuestionId,
  type Verdict,
} from '../domain/diagnosis.js';
import { knownErrorById, type AlreadyAssociatedMessage, type KnownError, type KnownErrorCatalogue } from '../domain/known-errors.js';
import type { BenefitsState, Organisation } from '../domain/org.js';
import { holdsCloudCompetency, type Policy } from '../domain/policy.js';
import { recognizeError } from '../domain/recognize-error.js';
import type { Versioned } from '../storage/collection.js';

/** Longest pasted text the cards carry and the verbs accept (recognition reads no further either). */
export const MAX_PASTE_CHARS = 2000;

/** Recognizer score of a text that matches several entries closely: enough to answer with "which one?". */
export const AMBIGUOUS_SCORE = 0.6;
/** A clear match scores between MATCH_FLOOR and 1, above product recognizers' bare-name scores. */
const MATCH_FLOOR = 0.6;

/** What the bot knows when it resolves "already associated" (see resolveAlreadyAssociated). */
export interface DiagnosisFacts {
  org: Organisation;
  benefits: BenefitsState | undefined;
  person: { aadObjectId: string } | undefined;
  /** ISO date yyyy-mm-dd. */
  today: string;
  cloudPack: CloudPack;
}

/** The outcome of a diagnosis, ready to become one card. */
export type Diagnosis =
  | { kind: 'explanation'; entry: KnownError }
  | { kind: 'verdict'; entry: KnownError; verdict: Verdict; answers: Partial<Answers> }
  | {
      kind: 'questions';
      entry: KnownError;
      message: AlreadyAssociatedMessage;
      questions: Question[];
      /** Answers already given (pre-selected on the card). */
      answers: Partial<Answers>;
      /** True when the person submitted the card without answering every question. */
      incomplete: boolean;
    }
  | { kind: 'choose'; candidates: KnownError[] }
  | { kind: 'none' };

/** A stored "was this helpful?" answer. */
export interface FeedbackRecord extends DiagnosisFeedback, Versioned {}

/** The collection the feedback is stored in. */
export const FEEDBACK_COLLECTION = 'diagnosis-feedback';

/** E4/E5 via the policy: an organisation holding a cloud competency has unlimited Signature cloud incidents. */
export function cloudPackOf(org: Organisation, policy: Policy): CloudPack {
  return holdsCloudCompetency(org, policy) ? 'unlimited' : 'limited';
}

/** Keeps only real answers: '' (nothing chosen) and unknown ids are dropped. */
export function answersOf(data: Partial<Record<QuestionId, AnswerValue | undefined>>): Partial<Answers> {
  const out: Partial<Answers> = {};
  for (const id of QUESTION_IDS) {
    const value = data[id];
    if (value !== undefined && (ANSWER_VALUES as readonly string[]).includes(value)) out[id] = value;
  }
  return out;
}

export class DiagnosisService {
  constructor(private readonly catalogue: KnownErrorCatalogue) {}

  /**
   * Free-text recognizer score: a clear match scores high, several close matches a decent
   * AMBIGUOUS_SCORE, anything else 0 so product questions and chatter go elsewhere.
   */
  score(text: string): number {
    const r = recognizeError(text, this.catalogue);
    if (r.kind === 'none') return 0;
    if (r.kind === 'ambiguous') return AMBIGUOUS_SCORE;
    return Math.min(1, MATCH_FLOOR + (1 - MATCH_FLOOR) * r.score);
  }

  /** Diagnoses a pasted message or a description of it. */
  diagnose(text: string, facts: DiagnosisFacts): Diagnosis {
    const r = recognizeError(text, this.catalogue);
    if (r.kind === 'none') return { kind: 'none' };
    if (r.kind === 'ambiguous') return { kind: 'choose', candidates: r.candidates };
    return this.explain(r.entry, facts);
  }

  /**
   * The entry picked on a "which one?" card, only if the text really is ambiguous between it and others
   * (the card data is not trusted: recognition is deterministic, so it is simply run again).
   */
  chosen(text: string, entryId: string): KnownError | undefined {
    const r = recognizeError(text, this.catalogue);
    if (r.kind !== 'ambiguous') return undefined;
    return r.candidates.find((c) => c.id === entryId);
  }

  /** The entry with this id (card data names entries by id). */
  entry(entryId: string): KnownError | undefined {
    return knownErrorById(this.catalogue, entryId);
  }

  /** The entry that stands for an "already associated" message kind. */
  entryFor(message: AlreadyAssociatedMessage): KnownError | undefined {
    return this.catalogue.entries.find((e) => e.resolution?.kind === 'alreadyAssociated' && e.resolution.message === message);
  }

  /** An entry's explanation, or for "already associated" entries the verdict or the questions still open. */
  explain(entry: KnownError, facts: DiagnosisFacts, answers: Partial<Answers> = {}): Diagnosis {
    if (entry.resolution?.kind !== 'alreadyAssociated') return { kind: 'explanation', entry };
    const message = entry.resolution.message;
    const input = { message, org: facts.org, benefits: facts.benefits, person: facts.person, today: facts.today, cloudPack: facts.cloudPack };
    const resolution = resolveAlreadyAssociated({ ...input, answers });
    if (resolution.kind === 'verdict') return { kind: 'verdict', entry, verdict: resolution, answers };
    const answered = Object.keys(answers).length > 0;
    // Relevance depends on the state only, so the full list is the one asked without answers; the answers
    // already given are kept on the card instead of being asked for again on a second card.
    const all = answered ? resolveAlreadyAssociated(input) : resolution;
    const questions = all.kind === 'questions' ? all.questions : resolution.questions;
    return { kind: 'questions', entry, message, questions, answers, incomplete: answered };
  }

  /** A feedback record for the collection (no pasted text: it may hold IDs). */
  feedbackRecord(input: { entryId: string; scenario?: Verdict['scenario']; helpful: boolean; at: Date; tenantId: string; aadObjectId: string }): Omit<FeedbackRecord, 'version'> {
    return {
      id: randomUUID(),
      entryId: input.entryId,
      ...(input.scenario ? { scenario: input.scenario } : {}),
      helpful: input.helpful,
      at: input.at.toISOString(),
      tenantId: input.tenantId,
      ...(input.aadObjectId ? { aadObjectId: input.aadObjectId } : {}),
    };
  }
}
