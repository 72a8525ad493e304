/** What the help and welcome cards list: each capability adds its own entries. */
import type { Translate } from '../i18n/i18n.js';
import type { ConversationKind } from '../bot/turn.js';

export interface HelpEntry {
  /** The intent the button runs. */
  intent: string;
  /** Sort order on the card (lower first). */
  order: number;
  titleKey: string;
  descriptionKey: string;
  buttonKey: string;
  scopes?: ConversationKind[];
}

export class HelpCatalog {
  private readonly entries: HelpEntry[] = [];

  add(entry: HelpEntry): void {
    if (this.entries.some((e) => e.intent === entry.intent)) throw new Error(`Help entry for "${entry.intent}" added twice`);
    this.entries.push(entry);
  }

  /** Entries for a conversation kind, translated, in order. */
  items(t: Translate, kind: ConversationKind): { title: string; description: string; command: string; button: string }[] {
    return this.entries
      .filter((e) => !e.scopes || e.scopes.includes(kind))
      .sort((a, b) => a.order - b.order)
      .map((e) => ({ title: t(e.titleKey), description: t(e.descriptionKey), command: e.intent, button: t(e.buttonKey) }));
  }

  all(): readonly HelpEntry[] {
    return this.entries;
  }
}
