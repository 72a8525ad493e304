import fs from 'node:fs';
import { TERM_NAMES } from '../../src/domain/policy.js';
import os from 'node:os';
import path from 'node:path';
import {
  KnownErrorsInvalidError,
  KNOWN_ERRORS_FILE,
  knownErrorById,
  loadKnownErrors,
  parseKnownErrors,
  type KnownError,
} from '../../src/domain/known-errors.js';
import { RESOLUTION_I18N_KEYS } from '../../src/domain/diagnosis.js';
import { diagnosisUiKeys } from '../../src/diagnosis/cards.js';

const dataDir = path.resolve(__dirname, '../../data');
const catalogue = loadKnownErrors(dataDir);
const rawCatalogue = (): { entries: Record<string, unknown>[] } =>
  JSON.parse(fs.readFileSync(path.join(dataDir, KNOWN_ERRORS_FILE), 'utf8')) as { entries: Record<string, unknown>[] };

function entry(id: string): KnownError {
  const found = knownErrorById(catalogue, id);
  if (!found) throw new Error(`no entry ${id}`);
  return found;
}

type LocaleTree = { [key: string]: string | LocaleTree };
function readLocale(lang: 'en' | 'ko'): Map<string, string> {
  const file = path.resolve(__dirname, `../../src/i18n/locales/${lang}/diagnosis.json`);
  const flat = new Map<string, string>();
  const walk = (node: LocaleTree, prefix: string): void => {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string') flat.set(`${prefix}.${key}`, value);
      else walk(value, `${prefix}.${key}`);
    }
  };
  walk(JSON.parse(fs.readFileSync(file, 'utf8')) as LocaleTree, 'diagnosis');
  return flat;
}
// The profile's terms ({productSupport}, …) are always filled, so a language may use them where the other does not.
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').filter((n) => !(TERM_NAMES as readonly string[]).includes(n)).sort();

describe('known-error catalogue', () => {
  it.each<[string, string]>([
    ['A1', 'notAuthorized'],
    ['A2', 'noBenefitsYet'],
    ['A3', 'activateGreyedOut'],
    ['D2', 'accessIdAlreadyAssociated'],
    ['D1', 'accessIdTamMessage'],
    ['O1', 'supportPlanNotForProduct'],
    ['C3', 'cspSupportPlanType'],
    ['O2', 'ppiNeedsPersonalAccount'],
  ])('[%s] the shipped catalogue holds %s with English and Korean variants', (rule, id) => {
    const found = entry(id);
    expect(found.rules).toContain(rule);
    expect(found.variants.en.length).toBeGreaterThan(0);
    expect(found.variants.ko.length).toBeGreaterThan(0);
  });

  it.each<[string, string, string, string]>([
    ['A1', 'notAuthorized', 'diagnosis.notAuthorized.steps.signInWithMpnAccount', 'partnerCenterDashboard'],
    ['A2', 'noBenefitsYet', 'diagnosis.noBenefitsYet.steps.switchAccount', 'technicalBenefits'],
    ['A3', 'activateGreyedOut', 'diagnosis.steps.findAdmin', 'userManagement'],
    ['C3', 'cspSupportPlanType', 'diagnosis.cspSupportPlanType.steps.useCspPlan', 'azurePortalSupport'],
    ['O7', 'supportPlanNotForProduct', 'diagnosis.steps.unavailablePlans', 'supportForBusiness'],
    ['O2', 'supportPlanNotForProduct', 'diagnosis.supportPlanNotForProduct.steps.paidSupport', 'partnerSupportPlans'],
    ['D1', 'accessIdTamMessage', 'diagnosis.steps.ignoreMessage', ''],
  ])('[%s] %s tells the user: %s (link %s)', (_rule, id, key, link) => {
    expect(entry(id).steps).toContainEqual(link ? { key, link } : { key });
  });

  it('[A1] the A1 entry quotes the Partner Center message exactly, in both languages', () => {
    expect(entry('notAuthorized').variants.en).toContain('You are not authorized for this action');
    expect(entry('notAuthorized').variants.ko).toContain('이 작업에 대한 권한이 없습니다');
  });

  it('[A3] the greyed-out Activate button offers the activation request (approval flow)', () => {
    expect(entry('activateGreyedOut').steps.map((s) => s.key)).toContain('diagnosis.steps.requestActivation');
  });

  it.each<[string, string, 'tam' | 'generic']>([
    ['D1', 'accessIdTamMessage', 'tam'],
    ['D2][D3][D4', 'accessIdAlreadyAssociated', 'generic'],
  ])('[%s] %s hands over to the already-associated resolution as %s', (_rules, id, message) => {
    expect(entry(id).resolution).toEqual({ kind: 'alreadyAssociated', message });
  });

  it('[D1][D2] the D1 entry quotes the full TAM message', () => {
    expect(entry('accessIdTamMessage').variants.en).toContain(
      'This Access ID is already associated to an account. Please contact your Technical Account Manager to obtain a new Access ID',
    );
  });

  it('[D2] loadKnownErrors reads <cwd>/data by default', () => {
    expect(loadKnownErrors().entries.map((e) => e.id)).toEqual(catalogue.entries.map((e) => e.id));
  });

  it('[D2] knownErrorById finds nothing for an unknown id', () => {
    expect(knownErrorById(catalogue, 'noSuchError')).toBeUndefined();
  });
});

describe('catalogue validation', () => {
  it.each<[string, (doc: { entries: Record<string, unknown>[] }) => void, string]>([
    ['O7', (doc) => { doc.entries[5]!.links = ['nMinusOnePolicy', 'nowhere']; }, 'entries.5.links.1: Expected a link name of src/domain/links.ts'],
    ['A1', (doc) => { doc.entries[0]!.explanation = 'You must sign in with your MPN account.'; }, 'entries.0.explanation: Expected an i18n key'],
    ['A2', (doc) => { doc.entries[1]!.rules = ['A2', 'Z9']; }, 'entries.1.rules.1: Expected a rule id'],
    ['C3', (doc) => { doc.entries[6]!.variants = { en: ['support plan type is CSP'], ko: [] }; }, 'entries.6.variants.ko: Array must contain at least 1 element(s)'],
    ['D1', (doc) => { doc.entries[4]!.id = 'accessIdAlreadyAssociated'; }, 'entries.4.id: Duplicate id "accessIdAlreadyAssociated"'],
    ['A3', (doc) => { doc.entries[2]!.explaination = 'diagnosis.x'; }, "entries.2: Unrecognized key(s) in object: 'explaination'"],
    ['D2', (doc) => { doc.entries[3]!.steps = [{ key: 'diagnosis.steps.newSupportRequest', link: 'azure' }]; }, 'entries.3.steps.0.link'],
    ['D3', (doc) => { doc.entries[3]!.resolution = { kind: 'alreadyAssociated', message: 'other' }; }, 'entries.3.resolution.message'],
    ['O1', (doc) => { doc.entries[5]!.variants = { en: ['…'], ko: ['지원 플랜'] }; }, 'entries.5.variants.en.0: Expected a text with at least one letter or digit'],
  ])('[%s] a broken catalogue is refused with the field path: %s', (_rule, breakIt, expected) => {
    const doc = rawCatalogue();
    breakIt(doc);
    expect(() => parseKnownErrors(doc)).toThrow(KnownErrorsInvalidError);
    expect(() => parseKnownErrors(doc)).toThrow(expected);
  });

  it('[D2] every problem of a broken catalogue is reported, each with its path', () => {
    const doc = rawCatalogue();
    doc.entries[0]!.portal = 'teams';
    doc.entries[1]!.steps = [];
    try {
      parseKnownErrors(doc, 'test.json');
      throw new Error('expected a validation error');
    } catch (err) {
      expect(err).toBeInstanceOf(KnownErrorsInvalidError);
      const issues = (err as KnownErrorsInvalidError).issues;
      expect(issues.some((i) => i.startsWith('entries.0.portal:'))).toBe(true);
      expect(issues.some((i) => i.startsWith('entries.1.steps:'))).toBe(true);
      expect((err as Error).message).toContain('test.json');
    }
  });

  describe('loading from a data directory', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'known-errors-'));
      fs.mkdirSync(path.join(dir, 'known-errors'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('[D2] a missing file is an error naming the file', () => {
      expect(() => loadKnownErrors(dir)).toThrow(path.join(dir, KNOWN_ERRORS_FILE));
    });

    it('[D2] a file that is not JSON is an error naming the file', () => {
      fs.writeFileSync(path.join(dir, KNOWN_ERRORS_FILE), '{ "version": 1, ');
      expect(() => loadKnownErrors(dir)).toThrow(/not valid JSON/);
    });

    it('[D2] a file with a bad field names the file and the field path', () => {
      const doc = rawCatalogue();
      doc.entries[3]!.links = ['azurePortalSupport', 'bing'];
      fs.writeFileSync(path.join(dir, KNOWN_ERRORS_FILE), JSON.stringify(doc));
      expect(() => loadKnownErrors(dir)).toThrow(/known-errors\.json is invalid: entries\.3\.links\.1:/);
    });
  });
});

describe('diagnosis locale files', () => {
  const en = readLocale('en');
  const ko = readLocale('ko');
  const referenced = new Set<string>([
    ...catalogue.entries.flatMap((e) => [e.explanation, ...e.steps.map((s) => s.key)]),
    ...RESOLUTION_I18N_KEYS,
    ...diagnosisUiKeys(catalogue),
  ]);

  it.each([...referenced].sort())('[A1][A2][A3][C3][D1][D2][D3][D4][O7] the key %s exists in English and Korean', (key) => {
    expect(en.get(key)).toEqual(expect.any(String));
    expect(ko.get(key)).toEqual(expect.any(String));
  });

  it('[D1][D2][D3][D4] English and Korean hold the same keys, and no key is left unused', () => {
    expect([...ko.keys()].sort()).toEqual([...en.keys()].sort());
    expect([...en.keys()].filter((key) => !referenced.has(key))).toEqual([]);
  });

  it('[D3] each translation uses the same placeholders as the English text', () => {
    for (const [key, text] of en) expect([key, placeholders(ko.get(key) ?? '')]).toEqual([key, placeholders(text)]);
  });
});
