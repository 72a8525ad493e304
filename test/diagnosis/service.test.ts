/** The diagnosis logic without a bot: recognizer scores, the command patterns, the policy's cloud pack, answers. */
import path from 'node:path';
import { normalise } from '../../src/bot/router.js';
import { DIAGNOSE_PATTERNS, pastedText } from '../../src/diagnosis/index.js';
import { AMBIGUOUS_SCORE, answersOf, cloudPackOf, DiagnosisService, type DiagnosisFacts } from '../../src/diagnosis/service.js';
import { loadKnownErrors } from '../../src/domain/known-errors.js';
import type { Organisation } from '../../src/domain/org.js';
import { loadPolicy } from '../../src/domain/policy.js';

const dataDir = path.resolve(__dirname, '../../data');
const service = new DiagnosisService(loadKnownErrors(dataDir));
const policy = loadPolicy('mpn-2021', dataDir);

const org = (competencies: Organisation['competencies'], actionPack = false): Organisation => ({ tenantId: 't', name: 'Contoso', program: 'mpn-2021', actionPack, competencies });
const facts = (extra: Partial<DiagnosisFacts> = {}): DiagnosisFacts => ({
  org: org([{ name: 'Cloud Platform', level: 'gold' }]),
  benefits: { activated: true },
  person: { aadObjectId: 'me' },
  today: '2026-03-01',
  cloudPack: 'unlimited',
  ...extra,
});

/** The router's threshold for a recognizer to win. */
const WINS = 0.5;

describe('the free-text recognizer score', () => {
  it.each<[string, string]>([
    ['A1', 'You are not authorized for this action'],
    ['A2', "Looks like you don't have any benefits yet"],
    ['A3', 'the activate button is greyed out'],
    ['C3', 'Your support plan type is CSP …'],
    ['D1', 'This Access ID is already associated to an account. Please contact your Technical Account Manager to obtain a new Access ID'],
    ['D2', 'azure says the access id is already associated'],
    ['D2', '액세스 ID가 이미 연결되어 있습니다'],
    ['O7', 'Support plan cannot be used for the specified product'],
  ])('[%s] a clear error wins with a high score: %j', (_rule, text) => {
    expect(service.score(text)).toBeGreaterThanOrEqual(0.8);
  });

  it('[A1][A2] two messages in one paste get a decent score (the "which one?" card)', () => {
    expect(service.score("You are not authorized for this action. Also: Looks like you don't have any benefits yet")).toBe(AMBIGUOUS_SCORE);
    expect(AMBIGUOUS_SCORE).toBeGreaterThanOrEqual(WINS);
  });

  it.each([
    'is sql 2019 covered',
    'is SQL Server 2019 covered for a customer?',
    'sql server 2019',
    'azure',
    'which portal for dynamics 365',
    'can we get support for exchange 2019',
    'SQL Server 2019 지원되나요',
    '애저는 어느 포털에서 요청하나요',
    'How many incidents do we have left?',
    'Where can I see the Access ID and Contract ID?',
    'How do I activate our technical benefits?',
    'access id',
    'support plan',
    'hello',
    'thanks!',
    '',
  ])('[O1][D2] %j is left to others (score below the threshold)', (text) => {
    expect(service.score(text)).toBeLessThan(WINS);
  });
});

describe('the diagnose command', () => {
  const route = (text: string): string | undefined => {
    const norm = normalise(text);
    for (const p of DIAGNOSE_PATTERNS) {
      const m = norm.match(p);
      if (m) return m.groups?.args ?? '';
    }
    return undefined;
  };

  it.each<[string, string]>([
    ['diagnose', ''],
    ['Diagnose!', ''],
    ['error', ''],
    ['errors', ''],
    ['error message', ''],
    ['I got an error', ''],
    ['i have an error', ''],
    ["I'm getting an error", ''],
    ['we are getting this error', ''],
    ['troubleshoot', ''],
    ['troubleshooting', ''],
    ['check this error', ''],
    ['오류', ''],
    ['에러', ''],
    ['진단', ''],
    ['오류 진단', ''],
    ['에러 메시지', ''],
    ['오류가 났어요', ''],
    ['문제 해결', ''],
    ['diagnose You are not authorized for this action', 'you are not authorized for this action'],
    ['diagnose: Access ID is already associated …', 'access id is already associated'],
    ['error - support plan type is CSP', 'support plan type is csp'],
    ['error message: support plan type is CSP', 'support plan type is csp'],
    ['I got an error: Access ID is already associated', 'access id is already associated'],
    ['오류: 액세스 ID가 이미 연결되어 있습니다', '액세스 id가 이미 연결되어 있습니다'],
    ['오류가 났어요 액세스 ID가 이미 연결되어 있습니다', '액세스 id가 이미 연결되어 있습니다'],
  ])('[D2] %j is the diagnose command with text %j', (text, args) => {
    expect(route(text)).toBe(args);
  });

  it.each(['is sql 2019 covered', 'errorless', 'diagnoses', 'the error', 'which portal for azure', 'SQL Server 2019 지원되나요', '오류가', 'help'])(
    '[D2] %j is not the diagnose command',
    (text) => {
      expect(route(text)).toBeUndefined();
    },
  );

  it.each<[string, string, string]>([
    ['Diagnose: You are NOT authorized', 'you are not authorized', 'You are NOT authorized'],
    ['I got an error - "Access ID is already associated…"', 'access id is already associated', '"Access ID is already associated…"'],
    ['You are NOT authorized', 'you are not authorized', 'You are NOT authorized'],
    ['Diagnose   You are  NOT authorized', 'you are not authorized', 'You are  NOT authorized'],
    ['an unrelated text', 'something else', 'something else'],
  ])('[A1] the text after the command keeps how it was written: %j', (original, args, expected) => {
    expect(pastedText(original, args)).toBe(expected);
  });
});

describe('what the service decides', () => {
  it.each<[string, Organisation['competencies'], 'limited' | 'unlimited']>([
    ['E5', [{ name: 'Cloud Platform', level: 'gold' }], 'unlimited'],
    ['E5', [{ name: 'Security', level: 'silver' }], 'unlimited'],
    ['E5', [{ name: 'Data Analytics', level: 'gold' }], 'limited'],
    ['E4', [], 'limited'],
  ])('[%s] the cloud pack comes from the policy: %j → %s', (_rule, competencies, pack) => {
    expect(cloudPackOf(org(competencies), policy)).toBe(pack);
  });

  it('[D2] answers keep only yes / no / unsure of the known questions', () => {
    expect(answersOf({ associatedBefore: 'yes', contractExpired: undefined, incidentsLeft: 'unsure' })).toEqual({ associatedBefore: 'yes', incidentsLeft: 'unsure' });
    expect(answersOf({ associatedBefore: 'maybe' as 'yes' })).toEqual({});
  });

  it('[D2][D3] with a cloud competency and nothing known, two questions; without, three', () => {
    const entry = service.entryFor('generic')!;
    const count = (d: ReturnType<DiagnosisService['explain']>) => (d.kind === 'questions' ? d.questions.length : -1);
    expect(count(service.explain(entry, facts()))).toBe(2);
    expect(count(service.explain(entry, facts({ cloudPack: 'limited' })))).toBe(3);
  });

  it('[D1] the TAM entry and the generic entry are found by message kind', () => {
    expect(service.entryFor('tam')?.id).toBe('accessIdTamMessage');
    expect(service.entryFor('generic')?.id).toBe('accessIdAlreadyAssociated');
  });

  it('[A1] a choice is accepted only among the close candidates of the text', () => {
    const two = "You are not authorized for this action. Also: Looks like you don't have any benefits yet";
    expect(service.chosen(two, 'notAuthorized')?.id).toBe('notAuthorized');
    expect(service.chosen(two, 'cspSupportPlanType')).toBeUndefined();
    expect(service.chosen('You are not authorized for this action', 'notAuthorized')).toBeUndefined();
  });

  it('[D2] a feedback record carries no pasted text, and a scenario only when there is one', () => {
    const at = new Date('2026-03-01T10:00:00Z');
    const r = service.feedbackRecord({ entryId: 'notAuthorized', helpful: false, at, tenantId: 't', aadObjectId: 'me' });
    expect(r).toEqual({ id: expect.any(String), entryId: 'notAuthorized', helpful: false, at: '2026-03-01T10:00:00.000Z', tenantId: 't', aadObjectId: 'me' });
    expect(service.feedbackRecord({ entryId: 'x', scenario: 'D3', helpful: true, at, tenantId: 't', aadObjectId: 'me' }).scenario).toBe('D3');
  });
});
