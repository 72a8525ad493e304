/** The diagnosis card templates: valid Adaptive Cards 1.5 for example data and for every real diagnosis, in both languages. */
import { i18nFor } from '../../src/i18n/profile-terms.js';
import { loadPolicy } from '../../src/domain/policy.js';
import fs from 'node:fs';
import path from 'node:path';
import {
  askCard,
  chooseCard,
  diagnosisCard,
  diagnosisUiKeys,
  questionsCard,
  resultCard,
  type CardEnv,
} from '../../src/diagnosis/cards.js';
import { DiagnosisService, type DiagnosisFacts } from '../../src/diagnosis/service.js';
import { DiagnosisVerb } from '../../src/diagnosis/verbs.js';
import { defineCard, renderCard } from '../../src/cards/render.js';
import type { Answers } from '../../src/domain/diagnosis.js';
import { loadKnownErrors } from '../../src/domain/known-errors.js';
import type { Organisation } from '../../src/domain/org.js';
import { I18n, LANGUAGES, type Lang } from '../../src/i18n/i18n.js';
import { cardProblems } from '../cards/validate.js';
import { diagnosisCardFixtures } from './card-fixtures.js';

const catalogue = loadKnownErrors(path.resolve(__dirname, '../../data'));
const service = new DiagnosisService(catalogue);
const i18n = i18nFor(loadPolicy('mpn-2021'));
const CARDS = path.resolve(__dirname, '../../cards');
const templates = fs
  .readdirSync(CARDS)
  .filter((f) => /^diagnosis\..+\.json$/.test(f))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

const env = (lang: Lang, text = 'Access ID is already associated …', can = true): CardEnv => ({
  t: i18n.forLang(lang),
  text,
  canRequest: can,
  canActivate: can,
  newRequestCommand: 'newRequest',
  activateCommand: 'activate',
  diagnoseCommand: 'diagnose',
});

const org = (extra: Partial<Organisation> = {}): Organisation => ({
  tenantId: 't',
  name: 'Contoso',
  program: 'mpn-2021',
  actionPack: false,
  competencies: [{ name: 'Data Analytics', level: 'gold' }],
  ...extra,
});
const facts = (extra: Partial<DiagnosisFacts> = {}): DiagnosisFacts => ({
  org: org(),
  benefits: { activated: true },
  person: { aadObjectId: 'me' },
  today: '2026-03-01',
  cloudPack: 'limited',
  ...extra,
});

describe('diagnosis card templates', () => {
  it('[D2] there are the four templates, each with example data', () => {
    expect(templates).toEqual(['diagnosis.ask', 'diagnosis.choose', 'diagnosis.questions', 'diagnosis.result']);
    expect(Object.keys(diagnosisCardFixtures).sort()).toEqual(templates);
  });

  it.each(templates)('[D2] %s expands every example to a valid 1.5 card with no leftover "${" and only our links', (name) => {
    const problems = (diagnosisCardFixtures[name] ?? []).flatMap((data, i) => cardProblems(renderCard(defineCard<object>(name), data)).map((p) => `example ${i + 1}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('[D2] the verbs written in the templates are exactly the diagnosis verbs and command.run', () => {
    const verbs = new Set<string>();
    const walk = (n: unknown): void => {
      if (!n || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(walk);
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.Execute' && typeof o.verb === 'string') verbs.add(o.verb);
      const data = o.data as Record<string, unknown> | undefined;
      if (o.type === 'Action.Submit' && data && typeof data.verb === 'string') verbs.add(data.verb);
      Object.values(o).forEach(walk);
    };
    for (const name of templates) walk(JSON.parse(fs.readFileSync(path.join(CARDS, `${name}.json`), 'utf8')));
    expect([...verbs].sort()).toEqual([...Object.values(DiagnosisVerb), 'command.run'].sort());
  });
});

describe('diagnosis cards built from real diagnoses', () => {
  const verdictCases: [string, Partial<DiagnosisFacts>, Partial<Answers>][] = [
    ['D2', { benefits: { activated: true, associatedAccounts: ['me'] } }, {}],
    ['D3', { benefits: { activated: true, endDate: '2025-06-30' } }, {}],
    ['D3', { benefits: { activated: true, cloudIncidentsRemaining: 0 } }, {}],
    ['D4', { org: org({ actionPack: true, competencies: [] }) }, {}],
    ['A3', { benefits: { activated: false } }, {}],
    ['O7', {}, { associatedBefore: 'no', contractExpired: 'no', incidentsLeft: 'yes' }],
  ];

  describe.each([...LANGUAGES])('in %s', (lang) => {
    it.each(catalogue.entries.map((e) => [e.rules.join(']['), e.id]))('[%s] the card of %s is valid', (_rules, id) => {
      const entry = service.entry(id)!;
      const d = service.explain(entry, facts());
      const card = diagnosisCard(d, env(lang));
      expect(cardProblems(card)).toEqual([]);
      expect(JSON.stringify(card)).not.toContain('${');
    });

    it.each(verdictCases)('[%s] the verdict card is valid, before and after feedback, with and without the other commands', (_rule, extra, answers) => {
      const d = service.explain(service.entryFor('generic')!, facts(extra), answers);
      if (d.kind !== 'verdict') throw new Error(`expected a verdict, got ${d.kind}`);
      for (const card of [resultCard(d, env(lang)), resultCard(d, env(lang), true), resultCard(d, env(lang), false), resultCard(d, env(lang, '', false))]) {
        expect(cardProblems(card)).toEqual([]);
      }
    });

    it('[D2][D3] the questions card is valid, also when it comes back incomplete', () => {
      const first = service.explain(service.entryFor('generic')!, facts());
      const again = service.explain(service.entryFor('generic')!, facts(), { associatedBefore: 'yes' });
      if (first.kind !== 'questions' || again.kind !== 'questions') throw new Error('expected questions');
      expect(first.questions).toHaveLength(3);
      expect(cardProblems(questionsCard(first, env(lang)))).toEqual([]);
      expect(cardProblems(questionsCard(again, env(lang)))).toEqual([]);
    });

    it('[A1][A2] the choose, ask and unknown cards are valid', () => {
      expect(cardProblems(chooseCard([service.entry('notAuthorized')!, service.entry('noBenefitsYet')!], env(lang)))).toEqual([]);
      expect(cardProblems(askCard(i18n.forLang(lang)))).toEqual([]);
      expect(cardProblems(askCard(i18n.forLang(lang), 'error line', 'pre-filled'))).toEqual([]);
      expect(cardProblems(diagnosisCard({ kind: 'none' }, env(lang, 'my printer')))).toEqual([]);
      expect(cardProblems(diagnosisCard({ kind: 'none' }, env(lang, 'my printer', false)))).toEqual([]);
    });
  });

  it('[D3] the end date is filled into the D3 reason', () => {
    const d = service.explain(service.entryFor('generic')!, facts({ benefits: { activated: true, endDate: '2025-06-30' } }));
    if (d.kind !== 'verdict') throw new Error('expected a verdict');
    expect(JSON.stringify(resultCard(d, env('en')))).toContain('Your support contract ended on 2025-06-30.');
    expect(JSON.stringify(resultCard(d, env('ko')))).toContain('2025-06-30에 종료되었습니다');
  });

  it('[D2] a long paste is clipped on the card, and the help desk request gets at most 500 characters', () => {
    const long = 'Access ID is already associated '.repeat(60);
    const d = service.explain(service.entryFor('generic')!, facts({ benefits: { activated: true, associatedAccounts: ['me'] } }));
    if (d.kind !== 'verdict') throw new Error('expected a verdict');
    const card = resultCard(d, env('en', long));
    const args = JSON.stringify(card).match(/"args":"([^"]*)"/)?.[1] ?? '';
    expect([...args].length).toBeLessThanOrEqual(500);
    expect(cardProblems(card)).toEqual([]);
  });
});

describe('diagnosis strings', () => {
  it.each([...LANGUAGES])('[A1][A2][A3][C3][D1][D2][D3][D4][O7] every key the cards use exists in %s', (lang) => {
    expect(diagnosisUiKeys(catalogue).filter((k) => !i18n.has(lang, k))).toEqual([]);
  });
});
