import fs from 'node:fs';
import yaml from 'js-yaml';
import { swapCurrentUser } from '../e2e/harness.js';
import { loadOrgFile } from '../../src/identity/org-file.js';

interface PgUser {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
}
interface PgConfig {
  tenantId: string;
  currentUser: PgUser;
  users: PgUser[];
}

describe('Agents Playground configuration', () => {
  const text = fs.readFileSync('.m365agentsplayground.yml', 'utf8');
  const org = loadOrgFile('config/org.mpn-2021.sample.json');

  it('has exactly five users besides the current one, all people of the sample organisation', () => {
    const c = yaml.load(text) as PgConfig;
    expect(c.users).toHaveLength(5);
    expect(c.tenantId).toBe(org.organisation.tenantId);
    const ids = new Set(org.people.map((p) => p.aadObjectId));
    for (const u of [c.currentUser, ...c.users]) {
      expect(ids.has(u.aadObjectId)).toBe(true);
      expect(u.userPrincipleName).toMatch(/@contoso\.example$/);
    }
  });

  it('switches the current user and keeps five users', () => {
    const c = yaml.load(swapCurrentUser(text, 'user-alex')) as PgConfig;
    expect(c.currentUser.name).toBe('Alex Wilber');
    expect(c.users).toHaveLength(5);
    expect(c.users.map((u) => u.name)).toContain('Adele Vance');
    expect(c.users.map((u) => u.name)).not.toContain('Alex Wilber');
  });
});
