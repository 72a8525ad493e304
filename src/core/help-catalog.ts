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

/** A help entry as the cards show it. */
export interface HelpItem {
  readonly title: string;
  readonly description: string;
  readonly command: string;
  readonly button: string;
}

export class HelpCatalog {
  private readonly entries: HelpEntry[] = [];
  /** items() per translate function and conversation kind: the same strings every turn, translated once. */
  private translated = new WeakMap<Translate, Map<ConversationKind, readonly HelpItem[]>>();

  add(entry: HelpEntry): void {
    if (this.entries.some((e) => e.intent === entry.intent)) throw new Error(`Help entry for "${entry.intent}" added twice`);
    this.entries.push(entry);
    this.translated = new WeakMap();
  }

  /**
   * Entries for a conversation kind, translated, in order. Kept per `t` (I18n.forLang gives one function per language)
   * and kind until the next add(): the same frozen list is returned each time, a new one after a change.
   */
  items(t: Translate, kind: ConversationKind): readonly HelpItem[] {
    let byKind = this.translated.get(t);
    if (!byKind) this.translated.set(t, (byKind = new Map()));
    let items = byKind.get(kind);
    if (!items) {
      items = Object.freeze(
        this.entries
          .filter((e) => !e.scopes || e.scopes.includes(kind))
          .sort((a, b) => a.order - b.order)
          .map((e) => Object.freeze({ title: t(e.titleKey), description: t(e.descriptionKey), command: e.intent, button: t(e.buttonKey) })),
      );
      byKind.set(kind, items);
    }
    return items;
  }

  all(): readonly HelpEntry[] {
    return this.entries;
  }
}
