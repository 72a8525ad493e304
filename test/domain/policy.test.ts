import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { holdsCloudCompetency, holdsOnlyRetiredOffers, loadPolicy, parsePolicy, policyTier, termsOf } from '../../src/domain/policy.js';
import type { Competency } from '../../src/domain/org.js';

const mpn = loadPolicy('mpn-2021');
const ai = loadPolicy('ai-cloud-partner');
const rawMpn = (): Record<string, unknown> => JSON.parse(fs.readFileSync(path.resolve('data/policy/mpn-2021.json'), 'utf8'));

describe('policy mpn-2021', () => {
  it.each([
    ['actionPack', 10],
    ['silver', 15],
    ['gold', 20],
  ] as const)('[E3] %s gets %i on-premises incidents', (tier, incidents) => {
    expect(mpn.tiers[tier]?.onPremisesIncidents).toBe(incidents);
  });

  it.each([
    ['actionPack', 'none'],
    ['silver', { cloudCompetencies: 'unlimited', otherCompetencies: 5 }],
    ['gold', { cloudCompetencies: 'unlimited', otherCompetencies: 10 }],
  ] as const)('[E4] %s cloud support is %j', (tier, cloud) => {
    expect(mpn.tiers[tier]?.cloudSupport).toEqual(cloud);
  });

  it('[E5] lists exactly the six cloud competencies of the source', () => {
    expect([...mpn.cloudCompetencies].sort()).toEqual(
      ['Cloud Business Applications', 'Cloud Platform', 'Cloud Productivity', 'Enterprise Mobility Management', 'Security', 'Small and Midmarket Cloud Solutions'].sort(),
    );
  });

  it.each<[string, boolean, Competency[]]>([
    ['Cloud Platform', true, [{ name: 'Cloud Platform', level: 'gold' }]],
    ['"Security Competency" written out', true, [{ name: 'Security Competency', level: 'silver' }]],
    ['lower case and extra spaces', true, [{ name: ' small and  midmarket cloud solutions ', level: 'silver' }]],
    ['Data Analytics only (other competency)', false, [{ name: 'Data Analytics', level: 'gold' }]],
    ['no competencies', false, []],
  ])('[E5] %s -> holds a cloud competency: %s', (_label, expected, competencies) => {
    expect(holdsCloudCompetency({ competencies }, mpn)).toBe(expected);
  });

  it('[E3] names the benefits as the 2021 source does', () => {
    expect(mpn.benefitNames).toMatchObject({ productSupport: 'Microsoft Product Support', cloudSupport: 'Signature Cloud Support' });
    expect(mpn.needsConfirmation).toBe(false);
  });
});

describe('policy ai-cloud-partner (today\'s programme)', () => {
  it('[N1] the old id ai-cloud-partner-2025 still selects it', () => {
    expect(loadPolicy('ai-cloud-partner-2025').id).toBe('ai-cloud-partner');
    expect(ai.aliases).toContain('ai-cloud-partner-2025');
  });

  it('[N1] uses the names Partner Center uses since 23 June 2025', () => {
    expect(ai.benefitNames).toMatchObject({ productSupport: 'Partner On-premises Support', cloudSupport: 'Partner Cloud Support' });
    expect(termsOf(ai, 'ko')).toMatchObject({ productSupport: '파트너 온-프레미스 지원', cloudSupport: '파트너 클라우드 지원' });
  });

  it('[N1] every fact cites a page and the day it was read, and has a status', () => {
    expect(ai.facts.length).toBeGreaterThan(5);
    for (const f of ai.facts) {
      expect(['verified', 'secondary', 'unverified']).toContain(f.status);
      for (const s of f.sources) {
        expect(s.url).toMatch(/^https:\/\/(learn|support)\.microsoft\.com\//);
        expect(s.checked).toBe('2026-12-05');
      }
    }
  });

  it('[N1] a tier whose numbers rest on an unverified fact says it needs confirmation', () => {
    const status = new Map(ai.facts.map((f) => [f.id, f.status]));
    for (const rules of Object.values(ai.tiers)) {
      if (rules && rules.facts.some((id) => status.get(id) !== 'verified')) expect(rules.needsConfirmation).toBe(true);
    }
  });

  it.each([
    ['designation', 20, 50],
    ['partnerSuccessExpanded', 0, 5],
    ['partnerSuccessCore', 0, 2],
  ] as const)('[N1] %s: %i on-premises incidents, %i cloud incidents a year (not unlimited)', (tier, onPrem, cloud) => {
    expect(ai.tiers[tier]?.onPremisesIncidents).toBe(onPrem);
    expect(ai.tiers[tier]?.cloudSupport).toEqual({ cloudCompetencies: cloud, otherCompetencies: cloud });
  });

  it('[N1] Partner Launch carries no technical support', () => {
    expect(ai.tiers.partnerLaunch).toMatchObject({ onPremisesIncidents: 0, cloudSupport: 'none' });
  });

  it('[N1] has no Action Pack, Silver or Gold tier: those offers have ended', () => {
    expect(ai.tiers.actionPack).toBeUndefined();
    expect(ai.tiers.silver).toBeUndefined();
    expect(ai.tiers.gold).toBeUndefined();
  });

  it.each<[string, string, Competency[], boolean]>([
    ['a designation', 'designation', [{ name: 'Solutions Partner for Infrastructure (Azure)' }], false],
    ['a designation and Partner Success Core (the best offer counts)', 'designation', [{ name: 'Partner Success Core' }, { name: 'Solutions Partner for Security' }], false],
    ['Partner Success Expanded', 'partnerSuccessExpanded', [{ name: 'partner success expanded' }], false],
    ['Partner Success Core', 'partnerSuccessCore', [{ name: 'Partner Success Core' }], false],
    ['Partner Launch', 'partnerLaunch', [{ name: 'Partner Launch' }], false],
    ['a legacy gold competency only', 'none', [{ name: 'Data Analytics', level: 'gold' }], false],
    ['Action Pack only', 'none', [], true],
    ['nothing', 'none', [], false],
  ])('[N1] an organisation with %s is judged as tier %s', (_label, tier, competencies, actionPack) => {
    expect(policyTier({ competencies, actionPack }, ai)).toBe(tier);
  });

  it.each<[string, boolean, Competency[], boolean]>([
    ['a legacy gold competency only', true, [{ name: 'Data Analytics', level: 'gold' }], false],
    ['Action Pack only', true, [], true],
    ['a designation next to a legacy silver', false, [{ name: 'Cloud Platform', level: 'silver' }, { name: 'Solutions Partner for Modern Work' }], false],
    ['nothing', false, [], false],
  ])('[N1] %s -> holds only retired offers: %s', (_label, expected, competencies, actionPack) => {
    expect(holdsOnlyRetiredOffers({ competencies, actionPack }, ai)).toBe(expected);
    expect(holdsOnlyRetiredOffers({ competencies, actionPack }, mpn)).toBe(false);
  });

  it('[E3] mpn-2021 has no designation tier, so designation names fall back to the membership tier', () => {
    expect(policyTier({ competencies: [{ name: 'Solutions Partner for Security', level: 'silver' }], actionPack: false }, mpn)).toBe('silver');
  });
});

describe('policy validation', () => {
  it('[E3] a wrong type names the field path', () => {
    const json = rawMpn();
    (json.tiers as Record<string, Record<string, unknown>>).gold.onPremisesIncidents = 'twenty';
    expect(() => parsePolicy(json, 'mpn-2021')).toThrow(/^policy mpn-2021: tiers\.gold\.onPremisesIncidents: Expected number/);
  });

  it('[E4] every bad field is named, not only the first', () => {
    const json = rawMpn();
    const tiers = json.tiers as Record<string, Record<string, unknown>>;
    tiers.silver.cloudSupport = { cloudCompetencies: 'lots', otherCompetencies: 5 };
    delete json.cloudCompetencies;
    let message = '';
    try {
      parsePolicy(json, 'mpn-2021');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('tiers.silver.cloudSupport');
    expect(message).toContain('cloudCompetencies: Required');
  });

  it('[E5] an empty cloud competency list is rejected while a tier treats them differently', () => {
    const json = { ...rawMpn(), cloudCompetencies: [] };
    expect(() => parsePolicy(json, 'x')).toThrow(/policy x: cloudCompetencies: Must list the cloud competencies/);
  });

  it('[N1] a tier citing a fact the profile does not have is rejected', () => {
    const json = rawMpn();
    (json.tiers as Record<string, Record<string, unknown>>).gold.facts = ['no-such-fact'];
    expect(() => parsePolicy(json, 'x')).toThrow(/tiers\.gold\.facts\.0: Unknown fact "no-such-fact"/);
  });

  it('[N1] a profile must name every term of the wording in both languages', () => {
    const json = rawMpn();
    delete (json.terms as Record<string, Record<string, string>>).ko.offers;
    expect(() => parsePolicy(json, 'x')).toThrow(/terms\.ko\.offers: Required/);
  });

  it('[E3] an unknown field is rejected (usually a typo)', () => {
    const json = { ...rawMpn(), tierz: {} };
    expect(() => parsePolicy(json, 'x')).toThrow(/policy x: .*tierz/);
  });

  it('[E3] negative or fractional incident numbers are rejected', () => {
    const json = rawMpn();
    (json.tiers as Record<string, Record<string, unknown>>).actionPack.onPremisesIncidents = 2.5;
    expect(() => parsePolicy(json, 'x')).toThrow(/tiers\.actionPack\.onPremisesIncidents: Expected integer/);
  });

  it('[E3] loadPolicy reads from the data directory it is given and checks the id', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'));
    fs.mkdirSync(path.join(dir, 'policy'));
    const json = { ...rawMpn(), id: 'custom' };
    fs.writeFileSync(path.join(dir, 'policy', 'custom.json'), JSON.stringify(json));
    fs.writeFileSync(path.join(dir, 'policy', 'other.json'), JSON.stringify(json));
    expect(loadPolicy('custom', dir).id).toBe('custom');
    expect(() => loadPolicy('other', dir)).toThrow(/policy other: id: /);
    expect(() => loadPolicy('missing', dir)).toThrow(/policy missing: cannot read/);
    expect(() => loadPolicy('../etc/passwd', dir)).toThrow(/not a valid policy id/);
  });
});
