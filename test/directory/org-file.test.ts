import fs from 'node:fs';
import path from 'node:path';
import { membershipTier, canActivate, canViewIds } from '../../src/domain/org.js';
import { OrgFileDirectory } from '../../src/identity/directory.js';
import { loadOrgFile, OrgFileError, parseOrgFile } from '../../src/identity/org-file.js';

const sample = () => JSON.parse(fs.readFileSync(path.resolve('config/org.mpn-2021.sample.json'), 'utf8'));

const problems = (json: unknown): string[] => {
  try {
    parseOrgFile(json);
  } catch (err) {
    if (err instanceof OrgFileError) return err.problems;
    throw err;
  }
  return [];
};

describe('organisation file', () => {
  it('loads the shipped samples', () => {
    expect(loadOrgFile('config/org.mpn-2021.sample.json').people).toHaveLength(6);
    expect(loadOrgFile('config/org.mpn-2021.not-activated.sample.json').benefits?.activated).toBe(false);
  });

  it.each([
    ['an unknown top-level field', (o: any) => (o.tenantID = 'typo'), "(root): Unrecognized key(s) in object: 'tenantID'"],
    ['a bad role', (o: any) => (o.people[1].roles = ['superAdmin']), 'people[1].roles[0]'],
    ['a bad level', (o: any) => (o.competencies[0].level = 'platinum'), 'competencies[0].level'],
    ['a missing mpnAssociated', (o: any) => delete o.people[0].mpnAssociated, 'people[0].mpnAssociated'],
    ['a bad date', (o: any) => (o.benefits.endDate = '2027-13-45'), 'benefits.endDate'],
    ['IDs without activation', (o: any) => (o.benefits.activated = false), 'benefits.accessId'],
    ['a duplicate person', (o: any) => o.people.push({ ...o.people[0] }), 'people[6].aadObjectId'],
    ['negative incidents', (o: any) => (o.benefits.onPremisesIncidentsRemaining = -1), 'benefits.onPremisesIncidentsRemaining'],
  ])('names the field path of %s', (_name, mutate, path) => {
    const o = sample();
    mutate(o);
    expect(problems(o).join('\n')).toContain(path);
  });

  it('says which file is not JSON', () => {
    const file = path.join(fs.mkdtempSync('/tmp/psa-org-'), 'org.json');
    fs.writeFileSync(file, '{ nope');
    expect(() => loadOrgFile(file)).toThrow(/org\.json is invalid:\n {2}- is not valid JSON/);
  });

  it.each([
    [[{ name: 'X', level: 'gold' }, { name: 'Y', level: 'silver' }], false, 'gold'],
    [[{ name: 'Y', level: 'silver' }], true, 'silver'],
    [[], true, 'actionPack'],
    [[], false, 'none'],
  ])('derives the tier from competencies %j and actionPack %s', (competencies, actionPack, tier) => {
    expect(membershipTier({ competencies: competencies as any, actionPack })).toBe(tier);
  });

  it('[R1] only MPN-associated Global Admins and MPN Partner Admins can activate', () => {
    const { people } = loadOrgFile('config/org.mpn-2021.sample.json');
    expect(people.filter(canActivate).map((p) => p.name)).toEqual(['Alex Wilber', 'Megan Bowen']);
  });

  it('[R2] every MPN-associated person may view the IDs, CSP-only people may not', () => {
    const { people } = loadOrgFile('config/org.mpn-2021.sample.json');
    expect(people.filter((p) => !canViewIds(p)).map((p) => p.name)).toEqual(['Patti Fernandez']);
    expect(canViewIds(undefined)).toBe(false);
  });

  it('treats people of other tenants and unknown people as unknown', async () => {
    const dir = new OrgFileDirectory(loadOrgFile('config/org.mpn-2021.sample.json'));
    const tenant = '7a1c2f10-0000-4000-8000-000000000001';
    expect((await dir.getPerson(tenant, '7a1c2f10-0000-4000-8000-000000000020'))?.name).toBe('Alex Wilber');
    expect(await dir.getPerson('9b9b9b9b-0000-4000-8000-000000000099', '7a1c2f10-0000-4000-8000-000000000020')).toBeUndefined();
    expect(await dir.getPerson(tenant, 'nobody')).toBeUndefined();
    expect((await dir.listPeople('helpDesk')).map((p) => p.name)).toEqual(['Isaiah Langer', 'Lynne Robbins']);
  });
});
