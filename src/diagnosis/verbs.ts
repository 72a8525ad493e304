/** Card action verbs of the diagnosis capability; cards/diagnosis.*.json write the same strings. */
export const DiagnosisVerb = {
  /** The ask card's "Diagnose" button: data `{ text }` (the pasted message). */
  run: 'diagnosis.run',
  /** "Which one?" card: data `{ entryId, text }`. */
  choose: 'diagnosis.choose',
  /** The questions card's submit: data `{ message, text, <question id>: answer }`. */
  answer: 'diagnosis.answer',
  /** "Was this helpful?" Yes / No: data `{ entryId, helpful, text, <question id>: answer }`. */
  feedback: 'diagnosis.feedback',
} as const;
export type DiagnosisVerbName = (typeof DiagnosisVerb)[keyof typeof DiagnosisVerb];
