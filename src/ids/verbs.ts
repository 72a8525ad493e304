/** Card action verbs of the IDs capability: written once here and, literally, in cards/ids.*.json. */
export const IdsVerb = {
  /** "Reveal": the full values, as the clicker's own invoke response (never a chat message). */
  reveal: 'ids.reveal',
  /** "Hide": back to the masked card. */
  hide: 'ids.hide',
  /** "I have associated it in <portal>" (data: portal). */
  associate: 'ids.associate',
  /** "Edit contract": the admin's form for dates and incidents remaining. */
  editContract: 'ids.contract.edit',
  /** Saves the contract form (admin; validated, compare-and-set on the record version). */
  saveContract: 'ids.contract.save',
  /** The incidents card (the form's "Cancel" and the card's own refresh). */
  incidents: 'ids.incidents',
} as const;
export type IdsVerbName = (typeof IdsVerb)[keyof typeof IdsVerb];
