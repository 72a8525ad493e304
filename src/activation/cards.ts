/** Typed data of the activation templates (cards/activation.*.json). Every sentence is a TextRun: names and comments stay plain text. */
import { defineCard } from '../cards/render.js';
import type { LinkButton } from '../cards/common.js';
export type { LinkButton };

export type CardColor = 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';

export interface Row {
  label: string;
  value: string;
}

export interface ToggleButton {
  show: boolean;
  title: string;
}

/** Explanations (A1, A2, A3, already activated) and notices to the requester. */
export interface GuideCardData {
  title: string;
  color: CardColor;
  paragraphs: string[];
  rows: Row[];
  /** Heading of the list of people ('' hides the list). */
  peopleTitle: string;
  people: string[];
  /** Label of a quoted user text, '' for none. */
  quoteLabel: string;
  quote: string;
  links: LinkButton[];
  /** "Ask an admin to activate" (Action.Execute activation.request). */
  ask: ToggleButton;
  /** "Show the IDs" (the `ids` command through command.run). */
  ids: ToggleButton;
  /** "Correct the contract" (Action.Execute activation.form, mode update). */
  update: ToggleButton;
}
export const GuideCard = defineCard<GuideCardData>('activation.guide');

/** The admin's step-by-step activation in Partner Center, ending with "I have activated". */
export interface StepsCardData {
  title: string;
  intro: string;
  /** An extra line (e.g. the request being answered), '' for none. */
  note: string;
  steps: string[];
  links: LinkButton[];
  doneTitle: string;
  /** The request this activation answers, '' for none. */
  requestId: string;
}
export const StepsCard = defineCard<StepsCardData>('activation.steps');

/** The Access ID / Contract ID form; errors are shown on the card itself. */
export interface FormCardData {
  title: string;
  intro: string;
  errorsTitle: string;
  errors: string[];
  /** Shown by clients that check required inputs before sending. */
  requiredMessage: string;
  labels: { accessId: string; contractId: string; startDate: string; endDate: string };
  placeholders: { accessId: string; contractId: string };
  values: { accessId: string; contractId: string; startDate: string; endDate: string };
  maxLength: number;
  mode: 'activate' | 'update';
  requestId: string;
  saveTitle: string;
}
export const FormCard = defineCard<FormCardData>('activation.form');

/** The approval request: admin view (Approve / Reject with a comment) or the read-only status; refreshed by Teams. */
export interface ApprovalCardData {
  requestId: string;
  /** Teams user ids that get the automatic refresh. */
  userIds: string[];
  title: string;
  headline: string;
  headlineColor: CardColor;
  paragraphs: string[];
  rows: Row[];
  quoteLabel: string;
  quote: string;
  unreachableTitle: string;
  unreachable: string[];
  admin: { show: boolean; commentLabel: string; commentPlaceholder: string; commentMax: number; approveTitle: string; rejectTitle: string };
}
export const ApprovalCard = defineCard<ApprovalCardData>('activation.approval');
