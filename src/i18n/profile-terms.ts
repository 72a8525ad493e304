/** The wording's names from a policy profile: every locale string may say {productSupport}, {offers}, … */
import { termsOf, type Policy } from '../domain/policy.js';
import { I18n, type Terms } from './i18n.js';

/** The terms of `policy` in both languages. */
export function profileTerms(policy: Pick<Policy, 'terms' | 'benefitNames'>): Terms {
  return { en: termsOf(policy, 'en'), ko: termsOf(policy, 'ko') };
}

/** The locale strings, speaking with the names of `policy`. */
export function i18nFor(policy: Pick<Policy, 'terms' | 'benefitNames'>): I18n {
  return new I18n(undefined, profileTerms(policy));
}
