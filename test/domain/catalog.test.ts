import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCatalog, loadCatalog, loadCatalogWithOrgFile, parseCatalog } from '../../src/domain/catalog.js';
import type { CatalogFile } from '../../src/domain/catalog.js';
import { loadPolicy } from '../../src/domain/policy.js';

const catalog = loadCatalog();
const raw = (): { schemaVersion: number; families: Array<Record<string, unknown>> } =>
  JSON.parse(fs.readFileSync(path.resolve('data/catalog/products.json'), 'utf8'));

// Every row of shared/lifecycle.md: family, version, release, mainstream end, extended end, confirmed (⚠ = false).
const LIFECYCLE_ROWS: Array<[string, string, string, string | null, string | null, boolean]> = [
  ['windows-server', '2016', '2016-10-15', '2022-01-11', '2027-01-12', true],
  ['windows-server', '2019', '2018-11-13', '2024-01-09', '2029-01-09', true],
  ['windows-server', '2022', '2021-08-18', '2026-10-13', '2031-10-14', true],
  ['windows-server', '2025', '2024-11-01', '2029-11-13', '2034-11-14', true],
  ['sql-server', '2016', '2016-06-01', '2021-07-13', '2026-07-14', true],
  ['sql-server', '2017', '2017-09-29', '2022-10-11', '2027-10-12', true],
  ['sql-server', '2019', '2019-11-04', '2025-02-28', '2030-01-08', true],
  ['sql-server', '2022', '2022-11-16', '2028-01-11', '2033-01-11', true],
  ['sql-server', '2025', '2025-11-18', '2031-01-06', '2036-01-06', false],
  ['exchange-server', '2016', '2015-10-01', '2020-10-13', '2025-10-14', true],
  ['exchange-server', '2019', '2018-10-22', '2024-01-09', '2025-10-14', true],
  ['exchange-server', 'se', '2025-07-01', null, null, false],
  ['sharepoint-server', '2016', '2016-05-01', '2021-07-13', '2026-07-14', true],
  ['sharepoint-server', '2019', '2018-10-22', '2024-01-09', '2026-07-14', true],
  ['sharepoint-server', 'se', '2021-11-02', null, null, false],
  ['skype-for-business-server', '2019', '2018-10-22', '2024-01-09', '2025-10-14', true],
  ['system-center', '2019', '2019-03-14', '2024-04-09', '2029-04-09', true],
  ['system-center', '2022', '2022-04-01', '2027-04-13', '2032-04-13', true],
  ['system-center', '2025', '2024-11-01', '2030-01-08', '2035-01-09', false],
  ['office-perpetual', '2019', '2018-09-24', '2023-10-10', '2025-10-14', true],
  ['office-perpetual', 'ltsc-2021', '2021-09-16', '2026-10-13', null, true],
  ['office-perpetual', 'ltsc-2024', '2024-09-18', '2029-10-09', null, false],
  ['visual-studio', '2019', '2019-04-02', '2024-04-09', '2029-04-10', true],
  ['visual-studio', '2022', '2021-11-08', '2027-01-12', '2032-01-13', true],
  ['biztalk-server', '2020', '2020-02-01', '2028-04-11', '2030-04-09', true],
  ['project-server', '2016', '2016-05-01', '2021-07-13', '2026-07-14', true],
  ['project-server', '2019', '2018-10-22', '2024-01-09', '2026-07-14', true],
  ['project-server', 'se', '2021-11-02', null, null, false],
  ['windows-10-ltsc', '2019', '2018-11-13', '2024-01-09', '2029-01-09', true],
  ['windows-10-ltsc', '2021', '2021-11-16', '2027-01-12', null, true],
  ['windows-11-ltsc', '2024', '2024-10-01', '2029-10-09', null, false],
];

describe('product catalogue', () => {
  it.each(LIFECYCLE_ROWS)('[O1] %s %s: release %s, mainstream end %s, extended end %s, confirmed %s', (familyId, versionId, release, mainstreamEnd, extendedEnd, confirmed) => {
    const family = catalog.byId.get(familyId);
    const version = family?.versions.find((v) => v.id === versionId);
    expect(version).toMatchObject({ release, mainstreamEnd, extendedEnd, confirmed });
  });

  it.each([
    ['exchange-server', 'se'],
    ['sharepoint-server', 'se'],
    ['project-server', 'se'],
  ])('[O1] %s %s follows the modern lifecycle policy inside a fixed-policy family', (familyId, versionId) => {
    const family = catalog.byId.get(familyId);
    expect(family?.lifecyclePolicy).toBe('fixed');
    expect(family?.versions.find((v) => v.id === versionId)?.lifecyclePolicy).toBe('modern');
  });

  it('[O1] versions are sorted by release date, oldest first', () => {
    for (const family of catalog.families) {
      const releases = family.versions.map((v) => v.release);
      expect(releases).toEqual([...releases].sort());
      family.versions.forEach((v, i) => expect(family.versionIndex.get(v.id)).toBe(i));
    }
  });

  it('[O5] every on-premises family has versions and routes to Support for Business', () => {
    for (const family of catalog.families.filter((f) => f.deployment === 'onPremises')) {
      expect(family.versions.length).toBeGreaterThan(0);
      expect(family.portal).toBe('supportForBusiness');
    }
  });

  it.each([
    ['azure', 'Cloud Platform', 'azurePortal'],
    ['dynamics-365', 'Cloud Business Applications', 'powerPlatformAdmin'],
    ['power-platform', 'Cloud Business Applications', 'powerPlatformAdmin'],
    ['microsoft-365', 'Cloud Productivity', 'm365Admin'],
    ['intune', 'Enterprise Mobility Management', 'm365Admin'],
    ['microsoft-defender', 'Security', 'm365Admin'],
    ['microsoft-sentinel', 'Security', 'azurePortal'],
    ['microsoft-entra', 'Security', 'azurePortal'],
  ])('[E5] cloud product %s belongs to competency %s and opens in %s', (familyId, competency, portal) => {
    expect(catalog.byId.get(familyId)).toMatchObject({ deployment: 'cloud', cloudCompetency: competency, portal });
  });

  it('[E5] every cloud competency named in the catalogue is a cloud competency of the policy', () => {
    const policy = loadPolicy('mpn-2021');
    for (const family of catalog.families.filter((f) => f.deployment === 'cloud')) {
      for (const name of [family.cloudCompetency, ...family.otherCloudCompetencies]) expect(policy.cloudCompetencies).toContain(name);
    }
  });

  it('[C2] only Microsoft 365 opens without the Access ID and Contract ID', () => {
    const withoutIds = catalog.families.filter((f) => !f.idsRequired).map((f) => f.id);
    expect(withoutIds).toEqual(['microsoft-365']);
  });

  it('[C3] only Azure offers the Cloud Solution Provider support plan', () => {
    expect(catalog.families.filter((f) => f.cspSupportPlan).map((f) => f.id)).toEqual(['azure']);
  });
});

describe('catalogue validation', () => {
  it('[O1] a bad date names the field path', () => {
    const json = raw();
    (json.families[0].versions as Array<Record<string, unknown>>)[1].release = '2018-13-40';
    expect(() => parseCatalog(json, 'products.json')).toThrow(/^catalogue products\.json: families\.0\.versions\.1\.release: Expected a date yyyy-mm-dd/);
  });

  it('[O1] a mainstream end before the release is rejected', () => {
    const json = raw();
    (json.families[1].versions as Array<Record<string, unknown>>)[0].mainstreamEnd = '2000-01-01';
    expect(() => parseCatalog(json, 'p')).toThrow(/families\.1\.versions\.0\.mainstreamEnd: Must not be before release/);
  });

  it('[E5] a cloud product without a cloud competency is rejected', () => {
    const json = raw();
    const i = json.families.findIndex((f) => f.id === 'azure');
    delete json.families[i].cloudCompetency;
    expect(() => parseCatalog(json, 'p')).toThrow(new RegExp(`families\\.${i}\\.cloudCompetency: Required for a cloud product`));
  });

  it('[E1] duplicate family and version ids are rejected', () => {
    const json = raw();
    json.families.push({ ...json.families[0] });
    const versions = json.families[1].versions as Array<Record<string, unknown>>;
    versions.push({ ...versions[0] });
    const message = (() => {
      try {
        parseCatalog(json, 'p');
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toContain(`families.${json.families.length - 1}.id: Duplicate family id "windows-server"`);
    expect(message).toContain(`families.1.versions.${versions.length - 1}.id: Duplicate version id`);
  });

  it('[C2] a wrong type and an unknown field are both named', () => {
    const json = raw();
    json.families[0].idsRequired = 'yes';
    json.families[0].colour = 'blue';
    expect(() => parseCatalog(json, 'p')).toThrow(/families\.0\.idsRequired: Expected boolean.*families\.0: Unrecognized key/);
  });
});

describe('organisation catalogue entries', () => {
  const orgEntries: CatalogFile = {
    schemaVersion: 1,
    notes: ['Contoso corrections'],
    families: [
      {
        id: 'windows-server',
        name: 'Windows Server',
        deployment: 'onPremises',
        lifecyclePolicy: 'fixed',
        otherCloudCompetencies: [],
        idsRequired: true,
        cspSupportPlan: false,
        portal: 'supportForBusiness',
        aliases: ['windows server'],
        versions: [
          { id: '2022', label: '2022', release: '2021-08-18', mainstreamEnd: '2027-01-01', extendedEnd: null, confirmed: true, aliases: [] },
        ],
      },
      {
        id: 'dynamics-ax',
        name: 'Dynamics AX',
        deployment: 'onPremises',
        lifecyclePolicy: 'fixed',
        otherCloudCompetencies: [],
        idsRequired: true,
        cspSupportPlan: false,
        portal: 'supportForBusiness',
        aliases: ['ax'],
        versions: [{ id: '2012-r3', label: '2012 R3', release: '2014-05-01', mainstreamEnd: '2018-10-09', extendedEnd: '2023-01-10', confirmed: false, aliases: [] }],
      },
    ],
  };

  it('[O1] an organisation entry replaces the family with the same id and adds new ones', () => {
    const merged = loadCatalog(orgEntries);
    expect(merged.byId.get('windows-server')?.versions.map((v) => v.mainstreamEnd)).toEqual(['2027-01-01']);
    expect(merged.byId.get('dynamics-ax')?.name).toBe('Dynamics AX');
    expect(merged.families.length).toBe(catalog.families.length + 1);
    expect(merged.families.findIndex((f) => f.id === 'windows-server')).toBe(catalog.families.findIndex((f) => f.id === 'windows-server'));
  });

  it('[O1] organisation entries are validated with field paths', () => {
    const bad = { schemaVersion: 1, families: [{ ...orgEntries.families[0], deployment: 'hybrid' }] };
    expect(() => loadCatalog(bad)).toThrow(/^catalogue organisation entries: families\.0\.deployment: /);
  });

  it('[O1] an organisation catalogue file is read from its path and merged', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-'));
    const file = path.join(dir, 'contoso-products.json');
    fs.writeFileSync(file, JSON.stringify(orgEntries));
    expect(loadCatalogWithOrgFile(file).byId.has('dynamics-ax')).toBe(true);
    fs.writeFileSync(file, '{ not json');
    expect(() => loadCatalogWithOrgFile(file)).toThrow(/contoso-products\.json is not valid JSON/);
  });

  it('[O1] the shipped catalogue is read from the data directory it is given', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-'));
    fs.mkdirSync(path.join(dir, 'catalog'));
    fs.writeFileSync(path.join(dir, 'catalog', 'products.json'), JSON.stringify({ schemaVersion: 1, families: orgEntries.families }));
    expect(loadCatalog(undefined, dir).families.map((f) => f.id)).toEqual(['windows-server', 'dynamics-ax']);
    expect(buildCatalog(parseCatalog({ schemaVersion: 1, families: [] }, 'empty')).families).toEqual([]);
  });
});
