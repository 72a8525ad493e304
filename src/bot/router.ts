/**
 * Routes a turn to one handler. Typed text: the exact path first (command titles and button titles, then the
 * intents' anchored patterns), then the trained classifier (src/nlu) with its confidence bands, then the
 * recognizers for what the classifier is unsure of. Card actions go to verbs. Registration mistakes (duplicate
 * names or verbs) throw at start-up.
 */
import { z } from 'zod';
import type { AdaptiveCard } from '../cards/render.js';
import type { Understander, Understanding } from '../nlu/index.js';
import type { IntentName } from './intents.js';
import type { BotTurn, ConversationKind } from './turn.js';

export interface IntentDef {
  /** Stable name; the app manifest's commands and the help card refer to it. */
  name: string;
  /** The corpus intent this definition answers (default: its name), e.g. one answer per scope of one intent. */
  label?: IntentName;
  /** Anchored patterns tried against normalised text (lower case, single spaces, no trailing punctuation). */
  patterns: RegExp[];
  /** Higher wins when several intents match; equal priorities are a registration mistake caught by tests. */
  priority?: number;
  /** Where the intent works (default: everywhere). */
  scopes?: ConversationKind[];
  handler(ctx: BotTurn, match: RegExpMatchArray): Promise<void>;
}

export interface RecognizerDef {
  name: string;
  /** The corpus intent the recognizer answers. */
  intent: IntentName;
  /** 0..1: how sure the recognizer is that the text is for it. */
  score(text: string): number;
  handler(ctx: BotTurn): Promise<void>;
}

/** The answer of a card action: a new card for the clicker, a short message, or an error. */
export type CardActionResult =
  | { kind: 'card'; card: AdaptiveCard }
  | { kind: 'message'; text: string }
  | { kind: 'error'; status: 400 | 401 | 403 | 404 | 409 | 500 | 503; text: string };

export interface VerbContext extends BotTurn {
  /** 'manual' for a click, 'automatic' for a refresh Teams asked for; 'submit' for Action.Submit. */
  readonly trigger: 'manual' | 'automatic' | 'submit';
}

export interface VerbDef<S extends z.ZodTypeAny> {
  verb: string;
  /** The card data the handler accepts; anything else is refused before the handler runs. */
  data: S;
  handler(ctx: VerbContext, data: z.infer<S>): Promise<CardActionResult | void>;
}

type AnyVerb = VerbDef<z.ZodTypeAny>;

export type Route =
  | { kind: 'intent'; intent: IntentDef; match: RegExpMatchArray; via: 'exact' | 'pattern' | 'classifier'; understanding?: Understanding }
  | { kind: 'ambiguous'; intents: IntentDef[]; understanding?: Understanding }
  | { kind: 'recognizer'; recognizer: RecognizerDef; score: number }
  | { kind: 'unknown'; understanding?: Understanding };

/** The match a handler gets when the route had no pattern: the whole message as its `args`. */
export function wholeMessage(text: string): RegExpMatchArray {
  return Object.assign([text], { groups: { args: text } }) as unknown as RegExpMatchArray;
}

const RECOGNIZER_THRESHOLD = 0.5;

/** Lower case, no surrounding punctuation, single spaces (Korean untouched). */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/^[\s"'“”‘’.,!?;:…]+|[\s"'“”‘’.,!?;:…]+$/g, '')
    .trim();
}

export class Router {
  private readonly intents = new Map<string, IntentDef>();
  private readonly recognizers = new Map<string, RecognizerDef>();
  private readonly verbs = new Map<string, AnyVerb>();
  /** Normalised command and button titles → intent name. */
  private readonly exactPhrases = new Map<string, string>();
  private understander?: Understander;

  /** Sets the classifier for free text (without one, only exact phrases, patterns and recognizers route). */
  understandWith(understander: Understander): this {
    this.understander = understander;
    return this;
  }

  /** Routes a command or button title, typed as is, straight to its intent. */
  exact(phrase: string, intentName: string): this {
    const norm = normalise(phrase);
    const prior = this.exactPhrases.get(norm);
    if (norm && prior && prior !== intentName) throw new Error(`"${phrase}" stands for both "${prior}" and "${intentName}"`);
    if (norm) this.exactPhrases.set(norm, intentName);
    return this;
  }

  /** Registers a typed command. */
  intent(def: IntentDef): this {
    if (this.intents.has(def.name)) throw new Error(`Intent "${def.name}" registered twice`);
    this.intents.set(def.name, def);
    return this;
  }

  /** Registers a free-text recognizer. */
  recognizer(def: RecognizerDef): this {
    if (this.recognizers.has(def.name)) throw new Error(`Recognizer "${def.name}" registered twice`);
    this.recognizers.set(def.name, def);
    return this;
  }

  /** Registers a card action verb with its data schema. */
  verb<S extends z.ZodTypeAny>(def: VerbDef<S>): this {
    if (this.verbs.has(def.verb)) throw new Error(`Verb "${def.verb}" registered twice`);
    this.verbs.set(def.verb, def as unknown as AnyVerb);
    return this;
  }

  intentNames(): string[] {
    return [...this.intents.keys()];
  }

  verbNames(): string[] {
    return [...this.verbs.keys()];
  }

  getIntent(name: string): IntentDef | undefined {
    return this.intents.get(name);
  }

  getVerb(verb: string): AnyVerb | undefined {
    return this.verbs.get(verb);
  }

  /** Decides where typed text goes, without running anything. */
  route(text: string, kind: ConversationKind): Route {
    const norm = normalise(text);
    if (!norm) return { kind: 'unknown' };
    const exact = this.exactPhrases.get(norm);
    if (exact) {
      const intent = this.inScope(exact, kind);
      if (intent) return { kind: 'intent', intent, match: wholeMessage(''), via: 'exact' };
    }
    const patterned = this.byPattern(norm, kind);
    if (patterned) return patterned;
    const understanding = this.understander?.understand(text);
    if (understanding?.kind === 'sure') {
      const intent = this.inScope(understanding.intent, kind);
      if (intent) return { kind: 'intent', intent, match: wholeMessage(text), via: 'classifier', understanding };
    }
    let top: { recognizer: RecognizerDef; score: number } | undefined;
    for (const r of this.recognizers.values()) {
      const score = r.score(text);
      if (score >= RECOGNIZER_THRESHOLD && (!top || score > top.score)) top = { recognizer: r, score };
    }
    if (top) return { kind: 'recognizer', ...top };
    if (understanding?.kind === 'unsure') {
      const intents = understanding.candidates.map((c) => this.inScope(c, kind)).filter((d): d is IntentDef => !!d);
      if (intents.length === 1) return { kind: 'intent', intent: intents[0], match: wholeMessage(text), via: 'classifier', understanding };
      if (intents.length > 1) return { kind: 'ambiguous', intents, understanding };
    }
    return { kind: 'unknown', understanding };
  }

  /** The definition answering a corpus intent (or named so) in this kind of conversation. */
  inScope(label: string, kind: ConversationKind): IntentDef | undefined {
    for (const def of this.intents.values()) {
      if ((def.label ?? def.name) !== label && def.name !== label) continue;
      if (!def.scopes || def.scopes.includes(kind)) return def;
    }
    return undefined;
  }

  private byPattern(norm: string, kind: ConversationKind): Route | undefined {
    let best: { intent: IntentDef; match: RegExpMatchArray }[] = [];
    let bestPriority = -Infinity;
    for (const intent of this.intents.values()) {
      if (intent.scopes && !intent.scopes.includes(kind)) continue;
      for (const p of intent.patterns) {
        const m = norm.match(p);
        if (!m) continue;
        const prio = intent.priority ?? 0;
        if (prio > bestPriority) {
          best = [{ intent, match: m }];
          bestPriority = prio;
        } else if (prio === bestPriority && !best.some((b) => b.intent === intent)) {
          best.push({ intent, match: m });
        }
        break;
      }
    }
    if (best.length === 1) return { kind: 'intent', intent: best[0].intent, match: best[0].match, via: 'pattern' };
    if (best.length > 1) return { kind: 'ambiguous', intents: best.map((b) => b.intent) };
    return undefined;
  }
}

/** Validates card data against the verb's schema; undefined when it does not fit. */
export function parseVerbData<S extends z.ZodTypeAny>(def: VerbDef<S>, data: unknown): z.infer<S> | undefined {
  const r = def.data.safeParse(data ?? {});
  return r.success ? r.data : undefined;
}
