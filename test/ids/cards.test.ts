import { i18nFor } from '../../src/i18n/profile-terms.js';
import fs from 'node:fs';
import { defineCard, renderCard } from '../../src/cards/render.js';
import { loadPolicy } from '../../src/domain/policy.js';
import type { Person } from '../../src/domain/org.js';
import { I18n } from '../../src/i18n/i18n.js';
import { contractForm, formValues, idsCard, incidentsCard, type CardEnv } from '../../src/ids/cards.js';
import { IdsVerb } from '../../src/ids/verbs.js';
import { fromRoot } from '../../src/paths.js';
import { actionsOf } from '../helpers/app.js';
import { cardProblems } from '../cards/validate.js';
import { idsCardFixtures } from './card-fixtures.js';
import { ACCESS_ID, CONTRACT_ID, PLAIN } from './support.js';

const i18n = i18nFor(loadPolicy('mpn-2021'));
const policy = loadPolicy('mpn-2021', fromRoot('data'));
const envFor = (lang: 'en' | 'ko', today = '2026-11-25'): CardEnv => ({ t: i18n.forLang(lang), policy, organisationName: 'Contoso Partners', today });
const staff: Person = { aadObjectId: 'p-22', name: 'Adele', mpnAssociated: true, cspAssociated: false, roles: [] };
const admin: Person = { ...staff, aadObjectId: 'p-20', roles: ['globalAdmin'] };
const state = { activated: true, startDate: '2026-02-15', endDate: '2026-12-10', onPremisesIncidentsRemaining: 2, cloudIncidentsRemaining: undefined };
const record = { id: 't', version: 3, activated: true, associatedAccounts: ['p-22'], associations: [{ aadObjectId: 'p-22', portal: 'azure', at: '2026-11-20T08:00:00.000Z' }], updatedAt: '2026-11-24T09:30:00.000Z' };
const ids = { accessId: ACCESS_ID, contractId: CONTRACT_ID };

describe('IDs card templates', () => {
  it.each(Object.entries(idsCardFixtures))('cards/%s.json expands every example to a valid 1.5 card (no leftover "${", our links only)', (name, examples) => {
    expect(fs.existsSync(`cards/${name}.json`)).toBe(true);
    const problems = examples.flatMap((data, i) => cardProblems(renderCard(defineCard<object>(name), data)).map((p) => `example ${i + 1}: ${p}`));
    expect(problems).toEqual([]);
  });

  it.each(['en', 'ko'] as const)('builds valid cards from real strings (%s)', (lang) => {
    const env = envFor(lang);
    const cards = [
      idsCard(ids, state, record, staff, env, { revealed: false }),
      idsCard(ids, state, record, admin, env, { revealed: true, notice: 'x' }),
      incidentsCard(state, record.updatedAt, env, { canEdit: true }),
      contractForm(formValues(state), 3, env, [{ field: 'endDate', key: 'ids.form.error.endBeforeStart' }]),
    ];
    for (const c of cards) expect(cardProblems(c)).toEqual([]);
  });

  it('[R2] the masked card holds neither plain value; the revealed one holds both', () => {
    const masked = JSON.stringify(idsCard(ids, state, record, staff, envFor('en'), { revealed: false }));
    const revealed = JSON.stringify(idsCard(ids, state, record, staff, envFor('en'), { revealed: true }));
    for (const v of PLAIN) {
      expect(masked).not.toContain(v);
      expect(revealed).toContain(v);
    }
    expect(masked).toContain('SA••••••••••••••••9Q'.slice(0, 4));
  });

  it('[R2] masked: Reveal; revealed: Hide; Edit contract for admins only', () => {
    const verbs = (c: object) => actionsOf(c).filter((a) => a.type === 'Action.Execute').map((a) => a.verb);
    expect(verbs(idsCard(ids, state, record, staff, envFor('en'), { revealed: false }))).toEqual(expect.arrayContaining([IdsVerb.reveal]));
    expect(verbs(idsCard(ids, state, record, staff, envFor('en'), { revealed: false }))).not.toContain(IdsVerb.editContract);
    const adminRevealed = verbs(idsCard(ids, state, record, admin, envFor('en'), { revealed: true }));
    expect(adminRevealed).toEqual(expect.arrayContaining([IdsVerb.hide, IdsVerb.editContract]));
    expect(adminRevealed).not.toContain(IdsVerb.reveal);
  });

  it('[A5][C2][C5][O7] lists the portals with their steps; a portal already marked has no "I have associated it" button', () => {
    const card = idsCard(ids, state, record, staff, envFor('en'), { revealed: false });
    const text = JSON.stringify(card);
    expect(text).toContain('Do you need to purchase or add more support plans');
    expect(text).toContain('Add Contract');
    expect(text).toContain('Help + Support');
    expect(text).toContain('Link support benefits');
    expect(text).toContain('Dynamics 365');
    expect(text).toContain('Power Platform');
    expect(text).toContain('Microsoft 365 (admin center > Support) needs no Access ID or Contract ID');
    const portals = actionsOf(card).filter((a) => a.verb === IdsVerb.associate).map((a) => a.data.portal);
    expect(portals).toEqual(['supportForBusiness', 'dynamics365', 'powerPlatform']);
    expect(text).toContain('You marked this as done on 2026-11-20 08:00 UTC');
  });

  it('[O3] shows the warnings on the IDs card', () => {
    const text = JSON.stringify(idsCard(ids, state, record, staff, envFor('en'), { revealed: false }));
    expect(text).toContain('The contract ends on 2026-12-10, in 15 days.');
    expect(text).toContain('Only 2 Microsoft Product Support incidents are left.');
  });

  it('[O6] the incidents card has the figures, their last update, the Support for Business check and the article', () => {
    const card = incidentsCard(state, record.updatedAt, envFor('en'), { canEdit: false });
    const text = JSON.stringify(card);
    expect(text).toContain('2026-11-24 09:30 UTC');
    expect(text).toContain('Windows Server 2025'); // [N5] a product covered today, never Windows 10
    expect(text).not.toContain('Windows 10');
    expect(text).toContain('Do not finish the request');
    expect(text).toContain('Would you like to see unavailable support plans?');
    expect(actionsOf(card).map((a) => a.url)).toEqual(expect.arrayContaining([expect.stringContaining('supportforbusiness'), expect.stringContaining('how-many-partner-support-incidents-are-remaining')]));
  });
});
