import { TERM_NAMES } from '../../src/domain/policy.js';
import { I18n, langOf, LANGUAGES, MissingStringError } from '../../src/i18n/i18n.js';

describe('locale files', () => {
  const i18n = new I18n();

  it.each([
    ['ko-KR', 'ko'],
    ['ko', 'ko'],
    ['en-US', 'en'],
    ['fr-FR', 'en'],
    [undefined, 'en'],
  ])('picks the language for locale %s', (locale, lang) => {
    expect(langOf(locale)).toBe(lang);
  });

  it('has every English key in Korean and the other way round', () => {
    const en = new Set(i18n.keys('en'));
    const ko = new Set(i18n.keys('ko'));
    expect([...en].filter((k) => !ko.has(k))).toEqual([]);
    expect([...ko].filter((k) => !en.has(k))).toEqual([]);
  });

  it('uses the same placeholders in both languages (the profile terms are always filled, so they may differ)', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((n) => !(TERM_NAMES as readonly string[]).includes(n)).sort().join(',');
    const mismatched = i18n.keys('en').filter((k) => i18n.has('ko', k) && names(i18n.t('en', k)) !== names(i18n.t('ko', k)));
    expect(mismatched).toEqual([]);
  });

  it('gives one translate function per language', () => {
    expect(i18n.forLang('en')).toBe(i18n.forLang('en'));
    expect(i18n.forLang('ko')).not.toBe(i18n.forLang('en'));
    expect(i18n.forLang('ko')('core.help.footerPersonal')).toBe(i18n.t('ko', 'core.help.footerPersonal'));
    expect(i18n.forLang('en')('core.help.intro', { org: 'Contoso' })).toBe(i18n.t('en', 'core.help.intro', { org: 'Contoso' }));
  });

  it('fills placeholders and throws on unknown keys', () => {
    expect(i18n.t('en', 'core.help.intro', { org: 'Contoso' })).toContain('Contoso');
    expect(() => i18n.t('en', 'no.such.key')).toThrow(MissingStringError);
    expect(LANGUAGES).toEqual(['en', 'ko']);
  });
});
