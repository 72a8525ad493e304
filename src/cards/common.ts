/** Typed data of the shared templates (help, message) and the small shapes every card's data uses. */
import { defineCard } from './render.js';

/** A line of our own text. */
export interface Line {
  text: string;
}

/** A FactSet row. */
export interface Fact {
  title: string;
  value: string;
}

/** An Action.OpenUrl button; the url comes from src/domain/links.ts only. */
export interface LinkButton {
  title: string;
  url: string;
}

export interface CommandButton {
  title: string;
  command: string;
  /** Optional text handed to the command (e.g. a product name), '' when none. */
  args: string;
}

export interface HelpCardData {
  title: string;
  intro: string;
  items: readonly { title: string; description: string; command: string; button: string }[];
  footer: string;
}
export const HelpCard = defineCard<HelpCardData>('help');

export interface MessageCardData {
  title: string;
  /** Our own text (may hold markdown from the locale files). */
  text: string;
  /** User-written text shown verbatim (TextRun: no markdown), '' for none. */
  quote: string;
  color: 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';
  commands: CommandButton[];
}
export const MessageCard = defineCard<MessageCardData>('message');
