/**
 * [N9] The wording follows the policy profile: no offer, tier or benefit name is written in a locale string, and
 * what the bot says under one profile never names the other profile's offers or benefits. Checked on every
 * locale string and on the real bot's answers over HTTP, for both profiles and both languages.
 */
import fs from 'node:fs';
import { loadPolicy, TERM_NAMES, termsOf, type Policy } from '../../src/domain/policy.js';
import { I18n, LANGUAGES, type Lang } from '../../src/i18n/i18n.js';
import { i18nFor } from '../../src/i18n/profile-terms.js';
import { message, people } from '../helpers/activities.js';
import { startTestApp, textOf, type TestApp } from '../helpers/app.js';

const profiles = { 'mpn-2021': loadPolicy('mpn-2021'), 'ai-cloud-partner': loadPolicy('ai-cloud-partner') } as const;
type ProfileId = keyof typeof profiles;
const other = (id: ProfileId): ProfileId => (id === 'mpn-2021' ? 'ai-cloud-partner' : 'mpn-2021');

/** The names a profile uses in one language: its terms and tier labels (generic ones shared by both are left out). */
function names(policy: Policy, lang: Lang): string[] {
  const out = new Set<string>(Object.values(termsOf(policy, lang)));
  for (const tier of Object.values(policy.tiers)) if (tier) out.add(tier.label);
  return [...out];
}
/** Names of `id`'s profile that the other profile does not use; long enough not to match inside ordinary words. */
function distinctive(id: ProfileId, lang: Lang): string[] {
  const mine = names(profiles[id], lang);
  const theirTerms = names(profiles[other(id)], lang);
  // A name the other profile itself mentions (today's profile says that Action Pack has ended) is not foreign to it;
  // nor are the bot's own name and the generic words for technical benefits.
  return mine.filter((n) => n.length >= 3 && !theirTerms.some((x) => x.includes(n)) && !GENERIC.includes(n));
}
const GENERIC = ['Partner Support', '파트너 지원', '기술 혜택'];

/** Offer, tier and benefit names no locale string may carry literally (they come from the profile). */
const FORBIDDEN = [
  /\bGold\b/i, /\bSilver\b/i, /Action Pack/i, /Signature/i, /Microsoft Product Support/i, /Support for Business/i,
  /Partner Cloud Support/i, /Partner On-premises Support/i, /Premier Support/i, /Advanced Support/i, /\bMPN\b/,
  /Solutions Partner/i, /Partner Success/i, /솔루션 파트너/, /골드/, /실버/, /시그니처/, /파트너 클라우드 지원/, /파트너 온-프레미스 지원/,
];

const raw = new I18n();

describe('[N9] locale strings carry no offer, tier or benefit name', () => {
  it.each(LANGUAGES)('%s', (lang) => {
    const offending = raw.keys(lang).filter((k) => !k.startsWith('nlu.')).map((k) => [k, raw.t(lang, k)] as const).filter(([, s]) => FORBIDDEN.some((re) => re.test(s)));
    expect(offending).toEqual([]);
  });

  it('every term a string uses is one the profiles define', () => {
    const used = new Set<string>();
    for (const lang of LANGUAGES) for (const k of raw.keys(lang)) for (const m of raw.t(lang, k).matchAll(/\{(\w+)\}/g)) used.add(m[1] ?? '');
    for (const name of TERM_NAMES) expect([name, used.has(name)]).toEqual([name, true]);
  });
});

describe.each(Object.keys(profiles) as ProfileId[])('[N9] every string rendered with profile %s', (id) => {
  it.each(LANGUAGES)('names nothing of the other profile (%s)', (lang) => {
    const i18n = i18nFor(profiles[id]);
    const foreign = distinctive(other(id), lang);
    expect(foreign.length).toBeGreaterThan(3);
    const hits: string[] = [];
    for (const k of i18n.keys(lang)) {
      const s = i18n.t(lang, k);
      expect([k, /\{(?:productSupport|cloudSupport|offers|onPremPortal|adminRoles)\}/.test(s)]).toEqual([k, false]);
      for (const n of foreign) if (s.includes(n)) hits.push(`${k}: ${n}`);
    }
    expect(hits).toEqual([]);
  });
});

/** What people ask that shows most of the wording: help, eligibility, IDs, incidents, activation, portal errors. */
const QUESTIONS = [
  'help',
  'is sql server 2022 covered',
  'is exchange server 2016 covered',
  'azure',
  'is dynamics 365 covered',
  'ids',
  'how many incidents are left',
  'activate',
  'Access ID is already associated to an account',
  'You are not authorized for this action',
  "Looks like you don't have any benefits yet",
];

describe.each([
  ['mpn-2021', 'config/org.mpn-2021.sample.json'],
  ['ai-cloud-partner', 'config/org.sample.json'],
  ['ai-cloud-partner', 'config/org.not-activated.sample.json'],
] as const)('[N9] the bot under profile %s (%s) names nothing of the other profile', (id, orgFile) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ org: JSON.parse(fs.readFileSync(orgFile, 'utf8')) as object });
  });
  afterAll(() => t.stop());

  it.each(LANGUAGES)('in %s', async (lang) => {
    const locale = lang === 'ko' ? 'ko-KR' : 'en-US';
    const foreign = distinctive(other(id), lang);
    const hits: string[] = [];
    let answered = 0;
    for (const q of QUESTIONS) {
      for (const who of [people.staff, people.globalAdmin]) {
        const replies = await t.replies(message(q, { from: who, locale }));
        const text = replies.map((a) => `${textOf(a)} ${JSON.stringify(a.attachments ?? [])}`).join(' ');
        if (text.trim().length > 0) answered++;
        for (const n of foreign) if (text.includes(n)) hits.push(`${q} (${who.name}): ${n}`);
        expect(text).not.toMatch(/\{(?:productSupport|cloudSupport|offers|onPremPortal|adminRoles|associated|benefitsPage)\}/);
      }
    }
    expect(answered).toBe(QUESTIONS.length * 2);
    expect(hits).toEqual([]);
  });
});
