import { i18nFor } from '../../src/i18n/profile-terms.js';
import fs from 'node:fs';
import type { Catalog, ProductRef } from '../../src/domain/catalog.js';
import { loadCatalog, productLabel } from '../../src/domain/catalog.js';
import { decide, REASON_KEYS, STEP_KEYS } from '../../src/domain/eligibility.js';
import type { PaidAlternativeKey, Portal } from '../../src/domain/eligibility.js';
import { Links } from '../../src/domain/links.js';
import type { BenefitsState, Organisation, Person } from '../../src/domain/org.js';
import { loadPolicy, type Policy } from '../../src/domain/policy.js';
import { answerCard, decisionCardData, type CardEnv } from '../../src/eligibility/cards.js';
import type { Answer } from '../../src/eligibility/service.js';
import { answerQuery } from '../../src/eligibility/service.js';
import { I18n, LANGUAGES, type Lang } from '../../src/i18n/i18n.js';
import { loadOrgFile } from '../../src/identity/org-file.js';
import { cardProblems } from '../cards/validate.js';

const i18n = i18nFor(loadPolicy('mpn-2021'));
const catalog = loadCatalog();
const mpn2021 = loadPolicy('mpn-2021');
const aiCloud2025 = loadPolicy('ai-cloud-partner-2025');
const sample = loadOrgFile('config/org.mpn-2021.sample.json');
const TODAY = '2026-11-25';

const byName = (name: string): Person => sample.people.find((p) => p.name === name) as Person;
const people: Record<string, Person | undefined> = {
  globalAdmin: byName('Alex Wilber'),
  staff: byName('Adele Vance'),
  cspOnlyAdminAgent: byName('Patti Fernandez'),
  unknown: undefined,
};

interface Scenario {
  org: Organisation;
  benefits: BenefitsState | undefined;
  policy: Policy;
}
const scenarios: Record<string, Scenario> = {
  gold: { org: sample.organisation, benefits: sample.benefits, policy: mpn2021 },
  silverNoCloudCompetency: { org: { ...sample.organisation, competencies: [{ name: 'Data Analytics', level: 'silver' }] }, benefits: sample.benefits, policy: mpn2021 },
  actionPack: { org: { ...sample.organisation, competencies: [], actionPack: true }, benefits: sample.benefits, policy: mpn2021 },
  contractExpired: { org: sample.organisation, benefits: { ...sample.benefits, activated: true, endDate: '2026-01-01' }, policy: mpn2021 },
  notActivated: { org: sample.organisation, benefits: { activated: false }, policy: mpn2021 },
  noMembership: { org: { ...sample.organisation, competencies: [], actionPack: false }, benefits: sample.benefits, policy: mpn2021 },
  aiCloud2025: { org: { ...sample.organisation, program: 'ai-cloud-partner-2025', competencies: [{ name: 'Solutions Partner for Data & AI (Azure)' }] }, benefits: sample.benefits, policy: aiCloud2025 },
};

function allProducts(c: Catalog): ProductRef[] {
  return c.families.flatMap((f) => (f.versions.length === 0 ? [{ familyId: f.id }] : f.versions.map((v) => ({ familyId: f.id, versionId: v.id }))));
}

function env(lang: Lang, s: Scenario, person: Person | undefined, over: Partial<CardEnv> = {}): CardEnv {
  return { t: i18n.forLang(lang), policy: s.policy, catalog, benefits: s.benefits, person, commands: { newRequest: true, ids: true }, quote: '', today: TODAY, ...over };
}

function decisionAnswer(product: ProductRef, onBehalfOfCustomer: boolean, s: Scenario, person: Person | undefined, today = TODAY): Extract<Answer, { kind: 'decision' }> {
  const decision = decide({ ...s, person, product, onBehalfOfCustomer, today, catalog });
  return { kind: 'decision', product, label: productLabel(catalog, product), onBehalfOfCustomer, decision };
}

/** The words a person sees: texts, fact titles and values, button titles. */
function visibleText(card: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const o = n as Record<string, unknown>;
    for (const k of ['text', 'title', 'value', 'label', 'placeholder', 'errorMessage']) if (typeof o[k] === 'string') out.push(o[k] as string);
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}

const RULE_ID = /\b[RAEOCDP][1-7]\b/;

/** The card with every string blanked: cards of one shape validate alike, so the library checks each shape once. */
function shapeOf(card: unknown): string {
  return JSON.stringify(card, (_k, v: unknown) => (typeof v === 'string' && !/^(?:Action|Input)\.|^[A-Z][A-Za-z]+$/.test(v) ? '' : v));
}

describe('eligibility strings', () => {
  it.each(LANGUAGES)('translates every REASON_KEYS entry in %s', (lang) => {
    expect(REASON_KEYS.filter((k) => !i18n.has(lang, `eligibility.reason.${k}`))).toEqual([]);
  });

  it.each(LANGUAGES)('translates every STEP_KEYS entry in %s', (lang) => {
    expect(STEP_KEYS.filter((k) => !i18n.has(lang, `eligibility.step.${k}`))).toEqual([]);
  });

  it.each(LANGUAGES)('names every link, portal, paid option and lifecycle position in %s', (lang) => {
    const portals: Exclude<Portal, 'none'>[] = ['supportForBusiness', 'azurePortal', 'm365Admin', 'powerPlatformAdmin', 'partnerCenterCsp'];
    const paid: PaidAlternativeKey[] = ['comparePartnerSupportPlans', 'premierSupportForPartners', 'advancedSupportForPartners'];
    const keys = [
      ...Object.keys(Links).map((k) => `eligibility.link.${k}`),
      ...portals.map((p) => `eligibility.portal.${p}`),
      ...paid.map((p) => `eligibility.paid.${p}`),
      ...['N', 'N-1', 'older', 'notReleased'].map((p) => `eligibility.lifecycle.position.${p}`),
    ];
    expect(keys.filter((k) => !i18n.has(lang, k))).toEqual([]);
  });

  it('has the same keys in the English and Korean eligibility files', () => {
    const flat = (file: string): string[] => {
      const out: string[] = [];
      const walk = (o: Record<string, unknown>, prefix: string): void => {
        for (const [k, v] of Object.entries(o)) typeof v === 'string' ? out.push(prefix + k) : walk(v as Record<string, unknown>, `${prefix}${k}.`);
      };
      walk(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>, '');
      return out.sort();
    };
    expect(flat('src/i18n/locales/ko/eligibility.json')).toEqual(flat('src/i18n/locales/en/eligibility.json'));
  });

  it('writes the Korean reasons in Korean', () => {
    const hangul = /\p{Script=Hangul}/u;
    expect(REASON_KEYS.filter((k) => !hangul.test(i18n.t('ko', `eligibility.reason.${k}`)))).toEqual([]);
  });
});

describe('decision card', () => {
  const t = i18n.forLang('en');
  const gold = scenarios.gold;

  it('[O1][E3] says covered by Microsoft Product Support and uses 1 of 17 remaining on-premises incidents', () => {
    const data = decisionCardData(decisionAnswer({ familyId: 'sql-server', versionId: '2022' }, false, gold, people.staff), env('en', gold, people.staff));
    expect(data.verdict).toBe('Covered by Microsoft Product Support');
    expect(data.verdictColor).toBe('Good');
    expect(data.facts).toContainEqual({ title: 'Incidents', value: 'Uses 1 of 17 remaining on-premises incidents.' });
    expect(data.facts).toContainEqual({ title: 'Where', value: 'Support for Business' });
    expect(data.openRequest).toBe(true);
    expect(data.productLabel).toBe('SQL Server 2022');
  });

  it('[E4][E5] says unlimited for a cloud competency', () => {
    const data = decisionCardData(decisionAnswer({ familyId: 'azure' }, false, gold, people.staff), env('en', gold, people.staff));
    expect(data.facts).toContainEqual({ title: 'Incidents', value: 'Unlimited for your cloud competency: no incidents used.' });
  });

  it('[E4] counts cloud incidents from the pack without a cloud competency', () => {
    const s = scenarios.silverNoCloudCompetency;
    const data = decisionCardData(decisionAnswer({ familyId: 'azure' }, false, s, people.staff), env('en', s, people.staff));
    expect(data.facts).toContainEqual({ title: 'Incidents', value: 'Uses 1 of 9 remaining cloud incidents.' });
  });

  it('[O2][P1][P2] says no incidents used, lists the paid plans and mentions TPD when not covered', () => {
    const data = decisionCardData(decisionAnswer({ familyId: 'sql-server', versionId: '2019' }, false, gold, people.staff), env('en', gold, people.staff));
    expect(data.verdictColor).toBe('Attention');
    expect(data.facts).toContainEqual({ title: 'Incidents', value: 'No incidents used.' });
    expect(data.paid.map((p) => p.title)).toEqual(['Compare support plans', 'Premier Support for Partners']);
    expect(data.paid.every((p) => p.url === Links.partnerSupportPlans)).toBe(true);
    expect(data.tpd).toBe(true);
    expect(data.tpdLinks).toEqual([{ title: 'About TPD', url: Links.technicalPresales }]);
    expect(data.openRequest).toBe(false);
  });

  it('[P1] offers Advanced Support for Partners for cloud products only', () => {
    const s = scenarios.actionPack;
    const data = decisionCardData(decisionAnswer({ familyId: 'azure' }, false, s, people.staff), env('en', s, people.staff));
    expect(data.paid.map((p) => p.title)).toContain('Advanced Support for Partners');
  });

  it('[A5][C2] says the IDs are needed first, with a button for the IDs when the person may view them', () => {
    const staffCard = decisionCardData(decisionAnswer({ familyId: 'sql-server', versionId: '2022' }, false, gold, people.staff), env('en', gold, people.staff));
    expect(staffCard).toMatchObject({ idsFirst: true, showIdsButton: true });
    const cspOnly = decisionCardData(decisionAnswer({ familyId: 'sql-server', versionId: '2022' }, false, gold, people.cspOnlyAdminAgent), env('en', gold, people.cspOnlyAdminAgent));
    expect(cspOnly).toMatchObject({ idsFirst: true, showIdsButton: false });
    expect(cspOnly.idsText).toMatch(/colleague/);
    const admin = decisionCardData(decisionAnswer({ familyId: 'sql-server', versionId: '2022' }, false, gold, people.globalAdmin), env('en', gold, people.globalAdmin));
    expect(admin.idsFirst).toBe(false); // already associated
    const m365 = decisionCardData(decisionAnswer({ familyId: 'microsoft-365' }, false, gold, people.staff), env('en', gold, people.staff));
    expect(m365.idsFirst).toBe(false);
    expect(m365.reasons.map((r) => r.text)).toContain('Microsoft 365 needs no Access ID or Contract ID.');
  });

  it('hides the buttons of commands this bot does not have', () => {
    const data = decisionCardData(
      decisionAnswer({ familyId: 'sql-server', versionId: '2022' }, false, gold, people.staff),
      env('en', gold, people.staff, { commands: { newRequest: false, ids: false } }),
    );
    expect(data).toMatchObject({ openRequest: false, showIdsButton: false, idsFirst: true });
  });

  it('links every step that has a link to its address in links.ts', () => {
    const data = decisionCardData(decisionAnswer({ familyId: 'azure' }, false, gold, people.staff), env('en', gold, people.staff));
    expect(data.steps[0]).toMatchObject({ n: '1.', hasLink: true, url: Links.technicalBenefits });
    expect(data.steps.find((s) => s.url === Links.azurePortalSupport)).toBeDefined();
  });

  it('notes unconfirmed lifecycle dates and an unconfirmed policy profile', () => {
    const unconfirmed = decisionCardData(decisionAnswer({ familyId: 'sql-server', versionId: '2025' }, false, gold, people.staff), env('en', gold, people.staff));
    expect(unconfirmed.notes.map((n) => n.text).join(' ')).toMatch(/SQL Server 2025 .*not confirmed/);
    const s = scenarios.aiCloud2025;
    const later = decisionCardData(decisionAnswer({ familyId: 'sql-server', versionId: '2022' }, false, s, people.staff), env('en', s, people.staff));
    expect(later.notes.map((n) => n.text).join(' ')).toMatch(/profile, which is not confirmed/);
  });

  it('notes general guidance for a person the directory does not know', () => {
    const data = decisionCardData(decisionAnswer({ familyId: 'azure' }, false, gold, undefined), env('en', gold, undefined));
    expect(data.notes.map((n) => n.text).join(' ')).toMatch(/general guidance/);
  });

  it('[R3] offers the recheck for the other audience with the same product', () => {
    const data = decisionCardData(decisionAnswer({ familyId: 'azure' }, false, gold, people.staff), env('en', gold, people.staff));
    expect(data).toMatchObject({ recheck: true, familyId: 'azure', versionId: '', recheckCustomer: true, recheckTitle: 'Check for a customer instead' });
    const back = decisionCardData(decisionAnswer({ familyId: 'azure' }, true, gold, people.staff), env('en', gold, people.staff));
    expect(back).toMatchObject({ recheckCustomer: false, recheckTitle: 'Check for my organisation instead' });
  });

  it('[O1] says "ended" for a mainstream end in the past', () => {
    const data = decisionCardData(decisionAnswer({ familyId: 'sql-server', versionId: '2019' }, false, gold, people.staff), env('en', gold, people.staff));
    expect(data.facts).toContainEqual({ title: 'Lifecycle', value: 'Older than the previous version · mainstream support ended 2025-02-28' });
  });

  describe.each(Object.keys(scenarios))('in the %s scenario', (scenarioName) => {
    const s = scenarios[scenarioName];
    it('renders a valid card in both languages for every catalogue entry, person and audience, in plain words', () => {
      const problems: string[] = [];
      const shapes = new Set<string>();
      for (const product of allProducts(catalog)) {
        for (const [who, person] of Object.entries(people)) {
          for (const onBehalfOfCustomer of [false, true]) {
            for (const lang of LANGUAGES) {
              const answer = decisionAnswer(product, onBehalfOfCustomer, s, person);
              const card = answerCard(answer, env(lang, s, person));
              const where = `${product.familyId} ${product.versionId ?? ''} ${who} customer=${onBehalfOfCustomer} ${lang}`;
              const shape = shapeOf(card);
              if (!shapes.has(shape)) {
                shapes.add(shape);
                for (const p of cardProblems(card)) problems.push(`${where}: ${p}`);
              }
              const json = JSON.stringify(card);
              if (json.includes('${')) problems.push(`${where}: leftover template binding`);
              for (const url of json.match(/"url":"[^"]*"/g) ?? []) if (!Object.values(Links).includes(JSON.parse(`{${url}}`).url)) problems.push(`${where}: foreign link ${url}`);
              const text = visibleText(card);
              for (const line of text) {
                if (RULE_ID.test(line)) problems.push(`${where}: rule id shown: ${line}`);
                if (/\{\w+\}|undefined|NaN/.test(line)) problems.push(`${where}: unfilled text: ${line}`);
              }
              if (answer.decision.reasonKeys.length === 0) problems.push(`${where}: no reason`);
            }
          }
        }
      }
      expect(problems).toEqual([]);
    }, 30_000);
  });
});

describe('other eligibility cards', () => {
  const s = scenarios.gold;
  const inputs = { ...s, person: people.staff, today: TODAY, catalog };

  it.each<[string, string]>([
    ['sql server', 'pick'],
    ['sql server 2019 on windows server 2022', 'pick'],
    ['sql 2008', 'unknown'],
    ['windows', 'unknown'],
    ['oracle', 'unknown'],
    ['', 'ask'],
  ])('renders a valid card for "%s" (%s) in both languages', (text, kind) => {
    for (const lang of LANGUAGES) {
      const answer = answerQuery(text, false, inputs);
      expect(answer.kind).toBe(kind);
      const card = answerCard(answer, env(lang, s, people.staff, { quote: text }));
      expect(cardProblems(card)).toEqual([]);
    }
  });

  it('[E1] lists the versions the catalogue knows for an unknown version', () => {
    const card = answerCard(answerQuery('sql 2008', false, inputs), env('en', s, people.staff, { quote: 'sql 2008' }));
    const text = visibleText(card).join('\n');
    expect(text).toContain("I don't know that version of SQL Server");
    expect(text).toContain('SQL Server 2025, SQL Server 2022, SQL Server 2019, SQL Server 2017, SQL Server 2016');
  });

  it('shows what the person typed as plain text, never as markdown or a template', () => {
    const quote = '[click](https://evil.example) ${1+1} sql';
    const card = answerCard(answerQuery(quote, false, inputs), env('en', s, people.staff, { quote }));
    expect(JSON.stringify(card)).toContain(`"type":"TextRun","text":${JSON.stringify(quote)}`);
  });
});
