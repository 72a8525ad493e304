/**
 * The utterance corpus: data/nlu/<split>/<lang>/<intent>.txt, one message per line, `#` lines are comments.
 * `train` teaches the classifier; `heldout` only measures it (see data/nlu/README.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { isIntentName, type IntentName } from '../bot/intents.js';
import { LANGUAGES, type Lang } from '../i18n/i18n.js';
import { fromRoot } from '../paths.js';

export type Split = 'train' | 'heldout';

/** The label of messages the bot has no answer for: trained like an intent, answered like an unknown message. */
export const NONE = 'none';
export type Label = IntentName | typeof NONE;

export interface Utterance {
  readonly text: string;
  readonly intent: Label;
  readonly lang: Lang;
}

/** Every utterance of a split, both languages; a file named after no intent is a mistake and throws. */
export function loadCorpus(split: Split, dir = fromRoot('data', 'nlu')): Utterance[] {
  const out: Utterance[] = [];
  for (const lang of LANGUAGES) {
    const folder = path.join(dir, split, lang);
    if (!fs.existsSync(folder)) continue;
    for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.txt')).sort()) {
      const intent = file.slice(0, -'.txt'.length);
      if (intent !== NONE && !isIntentName(intent)) throw new Error(`${path.join(folder, file)}: no intent is called "${intent}"`);
      for (const line of fs.readFileSync(path.join(folder, file), 'utf8').split('\n')) {
        const text = line.trim();
        if (text && !text.startsWith('#')) out.push({ text, intent, lang });
      }
    }
  }
  return out;
}
