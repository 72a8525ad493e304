/** Card action verbs of the eligibility capability; cards/eligibility.*.json use the same strings. */
export const EligibilityVerb = {
  /** The "which product?" form: product text and the "for a customer?" toggle. */
  check: 'eligibility.check',
  /** A product picked from a "which one?" or "did you mean" list. */
  pick: 'eligibility.pick',
  /** The decision card's toggle: the same product, for a customer or for the organisation. */
  recheck: 'eligibility.recheck',
} as const;
export type EligibilityVerbName = (typeof EligibilityVerb)[keyof typeof EligibilityVerb];
