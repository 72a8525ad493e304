import { i18nFor } from '../../src/i18n/profile-terms.js';
import { loadPolicy } from '../../src/domain/policy.js';
import * as ACData from 'adaptivecards-templating';
import { loadTemplate } from '../../src/cards/render.js';
import { Router } from '../../src/bot/router.js';
import { HelpCatalog } from '../../src/core/help-catalog.js';
import { helpCard } from '../../src/core/index.js';
import { I18n, type Lang } from '../../src/i18n/i18n.js';

const i18n = i18nFor(loadPolicy('mpn-2021'));

function catalog(): HelpCatalog {
  const help = new HelpCatalog();
  help.add({ intent: 'help', order: 100, titleKey: 'core.help.entry.title', descriptionKey: 'core.help.entry.description', buttonKey: 'core.help.entry.button' });
  help.add({ intent: 'ids', order: 30, titleKey: 'ids.help.ids.title', descriptionKey: 'ids.help.ids.description', buttonKey: 'ids.help.ids.button' });
  help.add({ intent: 'setHelpDeskChannel', order: 70, scopes: ['channel'], titleKey: 'requests.help.setChannel.title', descriptionKey: 'requests.help.setChannel.description', buttonKey: 'requests.help.setChannel.button' });
  return help;
}

describe('help catalog items', () => {
  it('translates once per language and kind: the same frozen list until an entry is added', () => {
    const help = catalog();
    const t = i18n.forLang('en');
    const a = help.items(t, 'personal');
    expect(a.map((i) => i.command)).toEqual(['ids', 'help']);
    expect(help.items(t, 'personal')).toBe(a);
    expect(help.items(t, 'channel').map((i) => i.command)).toEqual(['ids', 'setHelpDeskChannel', 'help']);
    expect(help.items(i18n.forLang('ko'), 'personal')[0].title).toBe(i18n.t('ko', 'ids.help.ids.title'));
    expect(Object.isFrozen(a) && a.every((i) => Object.isFrozen(i))).toBe(true);
    expect(() => (a as unknown as unknown[]).push({})).toThrow(TypeError);
    help.add({ intent: 'incidents', order: 35, titleKey: 'ids.help.incidents.title', descriptionKey: 'ids.help.incidents.description', buttonKey: 'ids.help.incidents.button' });
    expect(help.items(t, 'personal').map((i) => i.command)).toEqual(['ids', 'incidents', 'help']);
    expect(a.map((i) => i.command)).toEqual(['ids', 'help']);
  });
});

describe('help card', () => {
  const deps = () => ({ router: new Router(), help: catalog(), organisationName: 'Contoso' });
  const fresh = (lang: Lang, kind: 'personal' | 'groupChat' | 'channel', help: HelpCatalog, titleKey: string, introKey: string) => {
    const t = i18n.forLang(lang);
    const data = {
      title: t(titleKey, { org: 'Contoso' }),
      intro: t(introKey, { org: 'Contoso' }),
      items: help.items(t, kind),
      footer: t(kind === 'personal' ? 'core.help.footerPersonal' : 'core.help.footerShared'),
    };
    return new ACData.Template(loadTemplate('help')).expand({ $root: data });
  };

  it.each<[Lang, 'personal' | 'groupChat' | 'channel', string, string]>([
    ['en', 'personal', 'core.help.title', 'core.help.intro'],
    ['en', 'channel', 'core.help.title', 'core.help.intro'],
    ['ko', 'groupChat', 'core.help.title', 'core.help.intro'],
    ['en', 'personal', 'core.welcome.title', 'core.welcome.introPersonal'],
    ['ko', 'channel', 'core.welcome.title', 'core.welcome.introShared'],
  ])('is the fresh expansion of its data (%s, %s, %s), kept for the next turn', (lang, kind, titleKey, introKey) => {
    const d = deps();
    const card = helpCard(i18n.forLang(lang), kind, d, titleKey, introKey);
    expect(card).toEqual(fresh(lang, kind, d.help, titleKey, introKey));
    expect(helpCard(i18n.forLang(lang), kind, d, titleKey, introKey)).toBe(card);
  });

  it('keeps cards apart by language, kind, keys and organisation, and follows the catalog', () => {
    const d = deps();
    const en = i18n.forLang('en');
    const base = helpCard(en, 'personal', d);
    expect(helpCard(i18n.forLang('ko'), 'personal', d)).not.toEqual(base);
    expect(helpCard(en, 'channel', d)).not.toEqual(base);
    expect(helpCard(en, 'personal', d, 'core.welcome.title', 'core.welcome.introPersonal')).not.toEqual(base);
    expect(JSON.stringify(helpCard(en, 'personal', { ...d, organisationName: 'Fabrikam' }))).toContain('Fabrikam');
    d.help.add({ intent: 'incidents', order: 35, titleKey: 'ids.help.incidents.title', descriptionKey: 'ids.help.incidents.description', buttonKey: 'ids.help.incidents.button' });
    const after = helpCard(en, 'personal', d);
    expect(after).toEqual(fresh('en', 'personal', d.help, 'core.help.title', 'core.help.intro'));
    expect(JSON.stringify(after)).toContain(i18n.t('en', 'ids.help.incidents.button'));
  });
});
