import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { holdsCloudCompetency, loadPolicy, parsePolicy, policyTier } from '../../src/domain/policy.js';
import type { Competency } from '../../src/domain/org.js';

const mpn = loadPolicy('mpn-2021');
const ai = loadPolicy('ai-cloud-partner-2025');
const rawMpn = (): Record<string, unknown> => JSON.parse(fs.readFileSync(path.resolve('data/policy/mpn-2021.json'), 'utf8'));

describe('policy mpn-2021', () => {
  it.each([
    ['actionPack', 10],
    ['silver', 15],
    ['gold', 20],
  ] as const)('[E3] %s gets %i on-premises incidents', (tier, incidents) => {
    expect(mpn.tiers[tier].onPremisesIncidents).toBe(incidents);
  });

  it.each([
    ['actionPack', 'none'],
    ['silver', { cloudCompetencies: 'unlimited', otherCompetencies: 5 }],
    ['gold', { cloudCompetencies: 'unlimited', otherCompetencies: 10 }],
  ] as const)('[E4] %s cloud support is %j', (tier, cloud) => {
    expect(mpn.tiers[tier].cloudSupport).toEqual(cloud);
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

describe('policy ai-cloud-partner-2025', () => {
  it('[E3] is marked as needing confirmation and carries notes', () => {
    expect(ai.needsConfirmation).toBe(true);
    expect(ai.notes.length).toBeGreaterThan(0);
  });

  it('[E3] uses the 2025 benefit names', () => {
    expect(ai.benefitNames).toMatchObject({ productSupport: 'Partner On-premises Support', cloudSupport: 'Partner Cloud Support' });
  });

  it.each([
    ['actionPack', 10],
    ['silver', 15],
    ['gold', 20],
    ['designation', 20],
  ] as const)('[E3] %s gets %i on-premises incidents', (tier, incidents) => {
    expect(ai.tiers[tier]?.onPremisesIncidents).toBe(incidents);
  });

  it('[E4] a designation gets unlimited cloud support', () => {
    expect(ai.tiers.designation?.cloudSupport).toEqual({ cloudCompetencies: 'unlimited', otherCompetencies: 'unlimited' });
  });

  it.each<[string, string, Competency[], boolean]>([
    ['a designation', 'designation', [{ name: 'Solutions Partner for Infrastructure (Azure)', level: 'gold' }], false],
    ['a legacy gold competency', 'gold', [{ name: 'Data Analytics', level: 'gold' }], false],
    ['Action Pack only', 'actionPack', [], true],
    ['nothing', 'none', [], false],
  ])('[E3] an organisation with %s is judged as tier %s', (_label, tier, competencies, actionPack) => {
    expect(policyTier({ competencies, actionPack }, ai)).toBe(tier);
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

  it('[E5] an empty cloud competency list is rejected', () => {
    const json = { ...rawMpn(), cloudCompetencies: [] };
    expect(() => parsePolicy(json, 'x')).toThrow(/policy x: cloudCompetencies: /);
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
