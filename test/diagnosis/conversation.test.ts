/** The diagnosis conversation over HTTP (issue 6): pasted messages, the "already associated" resolution, feedback. */
import { Links } from '../../src/domain/links.js';
import { FEEDBACK_COLLECTION, type FeedbackRecord } from '../../src/diagnosis/service.js';
import { DiagnosisVerb } from '../../src/diagnosis/verbs.js';
import { execute, message, people, submit, TENANT } from '../helpers/activities.js';
import { startTestApp, textOf, type TestApp } from '../helpers/app.js';
import { registerDiagnosis } from '../../src/diagnosis/index.js';
import { DirectoryUnavailableError } from '../../src/identity/directory.js';
import {
  commands,
  elementsOf,
  executes,
  NON_CLOUD_GOLD,
  NOW,
  onlyCard,
  openUrls,
  orgWith,
  sampleOrg,
  startDiagnosisApp,
  textRuns,
  unknownStateBenefits,
  type InvokeBody,
  type StandIns,
} from './support.js';

const TAM = 'This Access ID is already associated to an account. Please contact your Technical Account Manager to obtain a new Access ID';
const GENERIC = 'Access ID is already associated …';

/** Sends an Action.Execute and returns the invoke response body. */
async function invoke(t: TestApp, verb: string, data: Record<string, unknown>, opts: Parameters<typeof execute>[2] = {}): Promise<InvokeBody> {
  const r = await t.post(execute(verb, data, opts));
  expect(r.status).toBe(200);
  return r.body as InvokeBody;
}

/** The card an Action.Execute answered with (fails on an error response). */
async function cardAfter(t: TestApp, verb: string, data: Record<string, unknown>, opts: Parameters<typeof execute>[2] = {}): Promise<any> {
  const body = await invoke(t, verb, data, opts);
  expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return body.value;
}

const choiceSets = (card: unknown) => elementsOf(card, 'Input.ChoiceSet');
const headlineOf = (card: any): string => String(card.body[1]?.text ?? '');

describe('diagnosis conversation, sample org (Gold Cloud Platform, contract to 2027-03-17, 9 cloud incidents, Alex associated)', () => {
  let t: TestApp;
  let calls: StandIns;
  beforeAll(async () => {
    ({ t, calls } = await startDiagnosisApp());
  });
  afterAll(async () => {
    await t.stop();
  });

  describe('asking', () => {
    it.each(['diagnose', 'Error', 'I got an error', 'troubleshoot', 'i’m getting an error'])('[D2] "%s" asks for the message: a multiline input and a Diagnose button', async (text) => {
      const card = onlyCard(await t.replies(message(text)));
      const [input] = elementsOf(card, 'Input.Text');
      expect(input).toMatchObject({ id: 'text', isMultiline: true, isRequired: true, maxLength: 2000 });
      expect(executes(card, DiagnosisVerb.run)).toHaveLength(1);
      expect(textOf({ attachments: [{ content: card }] })).toContain('Diagnose');
    });

    it.each(['오류', '에러', '진단', '오류 진단', '오류가 났어요'])('[D2] Korean "%s" asks for the message in Korean', async (text) => {
      const card = onlyCard(await t.replies(message(text, { locale: 'ko-KR' })));
      expect(elementsOf(card, 'Input.Text')).toHaveLength(1);
      expect(executes(card, DiagnosisVerb.run)[0].title).toBe('진단');
      expect(card.body[0].text).toBe('어떤 오류가 표시되었나요?');
    });

    it('[A1] "diagnose <text>" diagnoses the text at once and quotes it as the person wrote it', async () => {
      const card = onlyCard(await t.replies(message('Diagnose: You are NOT authorized for this action')));
      expect(card.body[0].text).toContain('You are not authorized for this action');
      expect(textRuns(card)).toEqual(['You are NOT authorized for this action']);
    });

    it('[A1] the ask card\'s Diagnose button answers with the diagnosis in place of the ask card', async () => {
      const card = await cardAfter(t, DiagnosisVerb.run, { text: 'You are not authorized for this action' });
      expect(card.body[0].text).toContain('You are not authorized for this action');
      expect(openUrls(card)).toContain(Links.partnerCenterDashboard);
    });

    it('[A1] an empty paste gives the ask card back with a line saying so', async () => {
      const card = await cardAfter(t, DiagnosisVerb.run, { text: '   ' });
      expect(elementsOf(card, 'Input.Text')).toHaveLength(1);
      expect(textOf({ attachments: [{ content: card }] })).toContain("I didn't get any text");
    });

    it('[D2] the help card lists "Diagnose an error"', async () => {
      const replies = await t.replies(message('help'));
      expect(textOf(replies[0])).toContain('Diagnose an error');
    });
  });

  describe('pasting a known message anywhere (free text)', () => {
    /** [rule, pasted text, title fragment, a step text fragment, link the step opens] */
    it.each<[string, string, string, string, string]>([
      ['A1', 'You are not authorized for this action', 'You are not authorized', 'MPN-associated account', Links.partnerCenterDashboard],
      ['A2', "Looks like you don't have any benefits yet…", "don't have any benefits yet", 'Sign in with another account', Links.technicalBenefits],
      ['A3', 'hi, the Activate button is greyed out in Partner Center', 'Activate button is greyed out', 'filter on Global Admin', Links.userManagement],
      ['C3', 'the azure support API returns "Your support plan type is CSP"', 'support plan type is CSP', '"Cloud Solution Provider" support plan', Links.azurePortalSupport],
      ['C3', 'support plan type is CSP', 'support plan type is CSP', 'Admin Agent role', Links.cspCustomers],
      ['O7', 'Support plan cannot be used for the specified product', 'Support plan cannot be used', 'Would you like to see unavailable support plans?', Links.supportForBusiness],
      ['O7', 'support for business says my support plan can\'t be used for the product', 'Support plan cannot be used', 'N-1 support policy', Links.nMinusOnePolicy],
    ])('[%s] %j → an explanation card with its steps and links', async (_rule, text, title, step, link) => {
      const card = onlyCard(await t.replies(message(text)));
      expect(card.body[0].text).toContain(title);
      expect(textOf({ attachments: [{ content: card }] })).toContain(step);
      expect(openUrls(card)).toContain(link);
      expect(textRuns(card)).toEqual([text]);
      expect(executes(card, DiagnosisVerb.feedback).map((a) => a.data.helpful)).toEqual([true, false]);
    });

    it('[A3] the greyed-out Activate button offers the activation request when that command exists', async () => {
      const card = onlyCard(await t.replies(message('the Activate button is greyed out')));
      const activate = commands(card).find((c) => c.command === 'activate');
      expect(activate?.title).toBe('Ask an admin to activate');
      const replies = await t.replies(submit('command.run', { command: activate!.command, args: activate!.args }));
      expect(replies[0].text).toBe('activate stand-in');
      expect(calls.activateCalls).toBe(1);
    });

    it('[A1] every link on an explanation card comes from src/domain/links.ts', async () => {
      const card = onlyCard(await t.replies(message('You are not authorized for this action')));
      const ours = new Set<string>(Object.values(Links));
      expect(openUrls(card).filter((u) => !ours.has(u))).toEqual([]);
    });

    it('[A1] pasted markdown and template expressions are quoted verbatim in a TextRun, never evaluated', async () => {
      const text = 'You are not authorized for this action [click](https://evil.example) ${1+1} **bold**';
      const card = onlyCard(await t.replies(message(text)));
      expect(textRuns(card)).toEqual([text]);
      const run = JSON.stringify(card);
      expect(run).not.toContain('"text":"2"');
      expect(elementsOf(card, 'TextBlock').some((b) => String(b.text).includes('evil.example'))).toBe(false);
    });

    it('[A1] Korean: a Korean paste from a Korean client is answered in Korean', async () => {
      const card = onlyCard(await t.replies(message('파트너 센터에서 "이 작업에 대한 권한이 없습니다"라고 나와요', { locale: 'ko-KR' })));
      expect(card.body[0].text).toBe('"이 작업에 대한 권한이 없습니다"');
      const all = textOf({ attachments: [{ content: card }] });
      expect(all).toContain('MPN 연결 계정으로 파트너 센터 대시보드에 로그인하세요.');
      expect(all).toContain('도움이 되었나요?');
    });

    it('[D2] a product question is not taken for an error', async () => {
      const replies = await t.replies(message('is sql 2019 covered'));
      const all = textOf(replies[0]);
      expect(all).not.toContain('Was this helpful?');
      expect(all).not.toContain('Which message do you mean?');
    });
  });

  describe('several close matches', () => {
    const TWO = "You are not authorized for this action. Also: Looks like you don't have any benefits yet";

    it('[A1][A2] a paste of two messages asks which one, with a button per candidate', async () => {
      const card = onlyCard(await t.replies(message(TWO)));
      expect(card.body[0].text).toBe('Which message do you mean?');
      expect(executes(card, DiagnosisVerb.choose).map((a) => a.data.entryId).sort()).toEqual(['noBenefitsYet', 'notAuthorized']);
      expect(commands(card)).toEqual([{ command: 'newRequest', args: TWO, title: 'None of these: open a help desk request' }]);
    });

    it('[A2] choosing a candidate gives its explanation card', async () => {
      const card = await cardAfter(t, DiagnosisVerb.choose, { entryId: 'noBenefitsYet', text: TWO });
      expect(card.body[0].text).toContain("don't have any benefits yet");
      expect(openUrls(card)).toContain(Links.technicalBenefits);
    });

    it.each<[string, Record<string, unknown>]>([
      ['an entry that is not a candidate of the text', { entryId: 'cspSupportPlanType', text: TWO }],
      ['an entry that does not exist', { entryId: 'noSuchEntry', text: TWO }],
      ['a text that is not ambiguous', { entryId: 'notAuthorized', text: 'You are not authorized for this action' }],
      ['no text', { entryId: 'notAuthorized' }],
      ['a number for the entry', { entryId: 7, text: TWO }],
    ])('[A1] a forged choice (%s) is refused with an error invoke response', async (_what, data) => {
      const body = await invoke(t, DiagnosisVerb.choose, data);
      expect(body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
    });
  });

  describe('not a known message', () => {
    it('[O7] says so and offers a help desk request with the text filled in; the button hands the text to the request flow', async () => {
      const card = onlyCard(await t.replies(message('diagnose my printer prints only blank pages')));
      expect(card.body[0].text).toBe("I don't recognise this message");
      const request = commands(card).find((c) => c.command === 'newRequest');
      expect(request).toEqual({ command: 'newRequest', args: 'my printer prints only blank pages', title: 'Open a help desk request' });
      const replies = await t.replies(submit('command.run', { command: request!.command, args: request!.args }));
      expect(replies[0].text).toBe('new request stand-in');
      expect(calls.newRequestArgs.at(-1)).toBe('my printer prints only blank pages');
    });

    it('[O7] from the ask card too', async () => {
      const card = await cardAfter(t, DiagnosisVerb.run, { text: 'Something odd happened' });
      expect(commands(card).map((c) => c.command)).toEqual(['newRequest', 'diagnose']);
    });

    it('[O7] Korean: 모르는 메시지 → Korean card', async () => {
      const card = onlyCard(await t.replies(message('오류 프린터가 안 돼요', { locale: 'ko-KR' })));
      expect(card.body[0].text).toBe('알 수 없는 메시지입니다');
      expect(commands(card)[0]).toEqual({ command: 'newRequest', args: '프린터가 안 돼요', title: '헬프 데스크 요청 열기' });
    });
  });

  describe('"Access ID is already associated"', () => {
    it('[D1] the Technical Account Manager message is flagged as invalid: ignore it, no question', async () => {
      const card = onlyCard(await t.replies(message(TAM, { from: people.staff })));
      expect(choiceSets(card)).toHaveLength(0);
      expect(headlineOf(card)).toBe('You can ignore this message');
      const all = textOf({ attachments: [{ content: card }] });
      expect(all).toContain('known to be invalid');
      expect(all).toContain('Ignore this message.');
      expect(openUrls(card)).toContain(Links.azurePortalSupport);
    });

    it('[D2] known state: the person is marked as associated (Alex) → ignore it and use + New support request, no question', async () => {
      const card = onlyCard(await t.replies(message('azure says the access id is already associated', { from: people.globalAdmin })));
      expect(choiceSets(card)).toHaveLength(0);
      expect(headlineOf(card)).toBe('You can ignore this error');
      const all = textOf({ attachments: [{ content: card }] });
      expect(all).toContain('You have already entered the Access ID and Contract ID with this account');
      expect(all).toContain('+ New support request');
      expect(commands(card)).toContainEqual({ command: 'newRequest', args: 'azure says the access id is already associated', title: 'Still stuck? Open a help desk request' });
      expect(executes(card, DiagnosisVerb.feedback)).toHaveLength(2);
    });

    it('[D2] state unknown for this person (Adele): one card with only the question the state does not answer', async () => {
      const card = onlyCard(await t.replies(message(GENERIC, { from: people.staff })));
      expect(choiceSets(card).map((c) => c.id)).toEqual(['associatedBefore']);
      expect(choiceSets(card)[0].choices.map((c: { value: string }) => c.value)).toEqual(['yes', 'no', 'unsure']);
      const [submitAction] = executes(card, DiagnosisVerb.answer);
      expect(submitAction.data).toEqual({ message: 'generic', text: GENERIC });
    });

    it('[D2] from answers: "yes, entered before" → ignore it', async () => {
      const card = await cardAfter(t, DiagnosisVerb.answer, { message: 'generic', text: GENERIC, associatedBefore: 'yes' }, { from: people.staff });
      expect(headlineOf(card)).toBe('You can ignore this error');
      expect(textOf({ attachments: [{ content: card }] })).toContain('You added the contract to this account before');
    });

    it('[O7] from answers: never associated and valid → check the contract, Add Contract in Support for Business', async () => {
      const card = await cardAfter(t, DiagnosisVerb.answer, { message: 'generic', text: GENERIC, associatedBefore: 'no' }, { from: people.staff });
      expect(headlineOf(card)).toBe("Let's check your contract");
      const all = textOf({ attachments: [{ content: card }] });
      expect(all).toContain('select Add Contract and enter your Access ID and Contract ID');
      expect(openUrls(card)).toContain(Links.supportForBusiness);
    });

    it('[D2] Korean: the verdict for Alex in Korean', async () => {
      const card = onlyCard(await t.replies(message('액세스 ID가 이미 연결되어 있습니다', { from: people.globalAdmin, locale: 'ko-KR' })));
      expect(headlineOf(card)).toBe('이 오류는 무시해도 됩니다');
      expect(textOf({ attachments: [{ content: card }] })).toContain('이 계정으로 이미 액세스 ID와 계약 ID를 입력했으므로');
    });

    it('[D2] Korean: the question card and its answer in Korean', async () => {
      const card = onlyCard(await t.replies(message('Azure에서 액세스 ID가 이미 연결되어 있다고 나와요', { from: people.staff, locale: 'ko-KR' })));
      expect(choiceSets(card)[0].choices.map((c: { title: string }) => c.title)).toEqual(['예', '아니요', '잘 모르겠어요']);
      const after = await cardAfter(t, DiagnosisVerb.answer, { ...executes(card, DiagnosisVerb.answer)[0].data, associatedBefore: 'unsure' }, { from: people.staff, locale: 'ko-KR' });
      expect(headlineOf(after)).toBe('이 오류는 무시해도 됩니다');
      expect(textOf({ attachments: [{ content: after }] })).toContain('가장 흔한 원인은');
    });

    it.each<[string, Record<string, unknown>]>([
      ['an unknown message kind', { message: 'other', associatedBefore: 'yes' }],
      ['no message kind', { associatedBefore: 'yes' }],
      ['an answer outside yes / no / unsure', { message: 'generic', associatedBefore: 'maybe' }],
      ['an answer that is not a string', { message: 'generic', associatedBefore: true }],
      ['a text over 2000 characters', { message: 'generic', associatedBefore: 'yes', text: 'x'.repeat(2001) }],
    ])('[D2] forged answers (%s) are refused with an error invoke response', async (_what, data) => {
      const body = await invoke(t, DiagnosisVerb.answer, data);
      expect(body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
    });

    it('[D2] a paste over 2000 characters from the ask card is refused', async () => {
      const body = await invoke(t, DiagnosisVerb.run, { text: 'x'.repeat(2001) });
      expect(body.statusCode).toBe(400);
    });
  });

  describe('was this helpful?', () => {
    it('[D2] "Yes" is recorded, audited, and the card keeps the verdict with a thank-you instead of the buttons', async () => {
      const card = onlyCard(await t.replies(message(GENERIC, { from: people.globalAdmin })));
      const [yes] = executes(card, DiagnosisVerb.feedback);
      const before = await t.app.deps.store.collection<FeedbackRecord>(FEEDBACK_COLLECTION).list();
      const after = await cardAfter(t, DiagnosisVerb.feedback, yes.data, { from: people.globalAdmin });
      expect(headlineOf(after)).toBe('You can ignore this error');
      expect(textOf({ attachments: [{ content: after }] })).toContain('You have already entered the Access ID and Contract ID');
      expect(textOf({ attachments: [{ content: after }] })).toContain('Thanks for telling me. Glad it helped.');
      expect(executes(after, DiagnosisVerb.feedback)).toHaveLength(0);
      expect(textRuns(after)).toEqual([GENERIC]);

      const records = await t.app.deps.store.collection<FeedbackRecord>(FEEDBACK_COLLECTION).list();
      const added = records.filter((r) => !before.some((b) => b.id === r.id));
      expect(added).toEqual([
        {
          id: expect.any(String),
          version: 1,
          entryId: 'accessIdAlreadyAssociated',
          scenario: 'D2',
          helpful: true,
          at: '2026-03-01T10:00:00.000Z',
          tenantId: TENANT,
          aadObjectId: people.globalAdmin.aadObjectId,
        },
      ]);
      const audit = await t.app.deps.store.audit.recent((e) => e.action === 'diagnosis.feedback' && e.subject === added[0].id);
      expect(audit).toEqual([expect.objectContaining({ actor: people.globalAdmin.aadObjectId, details: { entryId: 'accessIdAlreadyAssociated', scenario: 'D2', helpful: true } })]);
    });

    it('[D2] "No" after answers: the verdict from those answers stays, with the help desk offer', async () => {
      const card = await cardAfter(t, DiagnosisVerb.answer, { message: 'generic', text: GENERIC, associatedBefore: 'no' }, { from: people.staff });
      const no = executes(card, DiagnosisVerb.feedback).find((a) => a.data.helpful === false);
      expect(no.data).toMatchObject({ entryId: 'accessIdAlreadyAssociated', associatedBefore: 'no' });
      const after = await cardAfter(t, DiagnosisVerb.feedback, no.data, { from: people.staff });
      expect(headlineOf(after)).toBe("Let's check your contract");
      expect(textOf({ attachments: [{ content: after }] })).toContain('sorry it didn');
      expect(commands(after).map((c) => c.command)).toContain('newRequest');
      const records = await t.app.deps.store.collection<FeedbackRecord>(FEEDBACK_COLLECTION).list((r) => r.aadObjectId === people.staff.aadObjectId && !r.helpful);
      expect(records.map((r) => r.scenario)).toContain('unknown');
    });

    it('[A1] feedback on a plain explanation is recorded without a scenario', async () => {
      const card = onlyCard(await t.replies(message('You are not authorized for this action', { from: people.partnerAdmin })));
      const [yes] = executes(card, DiagnosisVerb.feedback);
      await cardAfter(t, DiagnosisVerb.feedback, yes.data, { from: people.partnerAdmin });
      const records = await t.app.deps.store.collection<FeedbackRecord>(FEEDBACK_COLLECTION).list((r) => r.aadObjectId === people.partnerAdmin.aadObjectId);
      expect(records).toEqual([expect.objectContaining({ entryId: 'notAuthorized', helpful: true })]);
      expect(records[0]).not.toHaveProperty('scenario');
    });

    it('[D2] the scenario recorded is worked out on the server, not taken from the card', async () => {
      // Adele is not marked as associated: whatever the card claims, with "no" answered the verdict is "unknown".
      await cardAfter(t, DiagnosisVerb.feedback, { entryId: 'accessIdAlreadyAssociated', helpful: true, text: '', associatedBefore: 'no', contractExpired: '', incidentsLeft: '', scenario: 'D2' }, { from: people.helpDesk });
      const records = await t.app.deps.store.collection<FeedbackRecord>(FEEDBACK_COLLECTION).list((r) => r.aadObjectId === people.helpDesk.aadObjectId);
      expect(records.map((r) => r.scenario)).toEqual(['unknown']);
    });

    it.each<[string, Record<string, unknown>, object]>([
      ['an unknown entry', { entryId: 'noSuchEntry', helpful: true }, {}],
      ['helpful that is not a yes or no', { entryId: 'notAuthorized', helpful: 'maybe' }, {}],
      ['no helpful at all', { entryId: 'notAuthorized' }, {}],
      ['a refresh instead of a click', { entryId: 'notAuthorized', helpful: true }, { trigger: 'automatic' }],
    ])('[A1] forged feedback (%s) is refused with an error invoke response and nothing is stored', async (_what, data, opts) => {
      const before = await t.app.deps.store.collection(FEEDBACK_COLLECTION).count();
      const body = await invoke(t, DiagnosisVerb.feedback, data, { from: people.helpDesk2, ...opts });
      expect(body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
      expect(await t.app.deps.store.collection(FEEDBACK_COLLECTION).count()).toBe(before);
    });

    it('[D2] Korean: the thank-you is in Korean', async () => {
      const card = onlyCard(await t.replies(message(TAM, { locale: 'ko-KR' })));
      const [yes] = executes(card, DiagnosisVerb.feedback);
      const after = await cardAfter(t, DiagnosisVerb.feedback, yes.data, { locale: 'ko-KR' });
      expect(textOf({ attachments: [{ content: after }] })).toContain('알려 주셔서 감사합니다');
    });
  });

  describe('logging', () => {
    it('[D2] the pasted text never reaches the log (it may hold an Access ID)', async () => {
      const secretish = 'Access ID XYZZY-4242 is already associated';
      await t.replies(message(secretish, { from: people.staff }));
      expect(t.logs.some((l) => l.includes('XYZZY-4242'))).toBe(false);
      expect(t.logs.some((l) => l.includes('"msg":"diagnosis"'))).toBe(true);
    });
  });
});

describe('diagnosis decided from known state, no questions', () => {
  const cases: [string, string, object, string, string[]][] = [
    [
      'D4',
      'Action Pack only organisation',
      orgWith((o) => {
        o.actionPack = true;
        o.competencies = [];
      }),
      'Action Pack has no cloud support',
      ["Action Pack doesn't include Signature Cloud Support", 'Microsoft Product Support for on-premises products'],
    ],
    [
      'D3',
      'contract ended 2025-06-30',
      orgWith((o) => {
        o.benefits.endDate = '2025-06-30';
      }),
      'Your support contract is no longer valid',
      ['Your support contract ended on 2025-06-30', 'buy a new support plan', 'Would you like to see unavailable support plans?'],
    ],
    [
      'D3',
      'no cloud incidents left, no cloud competency',
      orgWith((o) => {
        o.competencies = NON_CLOUD_GOLD;
        o.benefits.cloudIncidentsRemaining = 0;
      }),
      'Your support contract is no longer valid',
      ['have run out', 'buy a new support plan'],
    ],
  ];

  describe.each(cases)('[%s] %s', (rule, _what, org, headline, fragments) => {
    let t: TestApp;
    beforeAll(async () => {
      ({ t } = await startDiagnosisApp(org));
    });
    afterAll(async () => {
      await t.stop();
    });

    it(`[${rule}] the verdict comes at once, with its steps, links and the help desk offer`, async () => {
      const card = onlyCard(await t.replies(message(GENERIC, { from: people.staff })));
      expect(choiceSets(card)).toHaveLength(0);
      expect(headlineOf(card)).toBe(headline);
      const all = textOf({ attachments: [{ content: card }] });
      for (const f of fragments) expect(all).toContain(f);
      expect(openUrls(card)).toContain(Links.partnerSupportPlans);
      expect(commands(card).map((c) => c.command)).toContain('newRequest');
      expect(executes(card, DiagnosisVerb.feedback)).toHaveLength(2);
    });

    it(`[${rule}][D1] the TAM message adds the same underlying problem`, async () => {
      const card = onlyCard(await t.replies(message(TAM, { from: people.staff })));
      expect(headlineOf(card)).toBe('You can ignore this message');
      expect(textOf({ attachments: [{ content: card }] })).toContain(fragments[0]);
    });

    it(`[${rule}] Korean`, async () => {
      const card = onlyCard(await t.replies(message('액세스 ID가 이미 연결되어 있습니다', { from: people.staff, locale: 'ko-KR' })));
      expect(choiceSets(card)).toHaveLength(0);
      expect(headlineOf(card)).toMatch(/[\uac00-\ud7a3]/);
    });
  });

  it('[D3][E5] a recorded 0 with a cloud competency (unlimited pack, via the policy) is not taken as "no incidents left"', async () => {
    const { t } = await startDiagnosisApp(orgWith((o) => (o.benefits.cloudIncidentsRemaining = 0)));
    try {
      const card = onlyCard(await t.replies(message(GENERIC, { from: people.staff })));
      expect(choiceSets(card).map((c) => c.id)).toEqual(['associatedBefore']);
    } finally {
      await t.stop();
    }
  });
});

describe('diagnosis decided from answers (state unknown, no cloud competency)', () => {
  let t: TestApp;
  beforeAll(async () => {
    ({ t } = await startDiagnosisApp(
      orgWith((o) => {
        o.competencies = NON_CLOUD_GOLD;
        o.benefits = unknownStateBenefits();
      }),
    ));
  });
  afterAll(async () => {
    await t.stop();
  });

  async function questionCard(from = people.globalAdmin): Promise<any> {
    const card = onlyCard(await t.replies(message(GENERIC, { from })));
    return card;
  }

  it('[D2][D3] one card with the three questions the state cannot answer, each with yes / no / not sure', async () => {
    const card = await questionCard();
    expect(choiceSets(card).map((c) => c.id)).toEqual(['associatedBefore', 'contractExpired', 'incidentsLeft']);
    expect(choiceSets(card).length).toBeLessThanOrEqual(3);
    for (const c of choiceSets(card)) expect(c).toMatchObject({ style: 'expanded', isRequired: true });
    expect(openUrls(card)).toEqual(expect.arrayContaining([Links.supportForBusiness, Links.incidentsRemaining]));
    expect(executes(card, DiagnosisVerb.answer)).toHaveLength(1);
  });

  /** [rules, answers, headline, text fragment] */
  it.each<[string, Record<string, string>, string, string]>([
    ['D2', { associatedBefore: 'yes', contractExpired: 'no', incidentsLeft: 'yes' }, 'You can ignore this error', 'You added the contract to this account before'],
    ['D2', { associatedBefore: 'unsure', contractExpired: 'unsure', incidentsLeft: 'unsure' }, 'You can ignore this error', 'The most common cause'],
    ['D3', { associatedBefore: 'yes', contractExpired: 'yes', incidentsLeft: 'yes' }, 'Your support contract is no longer valid', 'Your support contract has expired'],
    ['D3', { associatedBefore: 'yes', contractExpired: 'no', incidentsLeft: 'no' }, 'Your support contract is no longer valid', 'have run out'],
    ['O7', { associatedBefore: 'no', contractExpired: 'no', incidentsLeft: 'yes' }, "Let's check your contract", 'select Add Contract'],
  ])('[%s] answers %j → verdict', async (_rule, answers, headline, fragment) => {
    const card = await questionCard();
    const data = { ...executes(card, DiagnosisVerb.answer)[0].data, ...answers };
    const after = await cardAfter(t, DiagnosisVerb.answer, data);
    expect(headlineOf(after)).toBe(headline);
    expect(textOf({ attachments: [{ content: after }] })).toContain(fragment);
    expect(choiceSets(after)).toHaveLength(0);
    expect(executes(after, DiagnosisVerb.feedback)).toHaveLength(2);
  });

  it('[D3] "expired: yes" settles it even with the other answers missing', async () => {
    const after = await cardAfter(t, DiagnosisVerb.answer, { message: 'generic', text: GENERIC, contractExpired: 'yes' });
    expect(headlineOf(after)).toBe('Your support contract is no longer valid');
  });

  it('[D2] an incomplete submit brings the same questions back, the given answer kept, with a warning', async () => {
    const after = await cardAfter(t, DiagnosisVerb.answer, { message: 'generic', text: GENERIC, associatedBefore: 'yes', contractExpired: '', incidentsLeft: '' });
    expect(choiceSets(after).map((c) => [c.id, c.value])).toEqual([
      ['associatedBefore', 'yes'],
      ['contractExpired', ''],
      ['incidentsLeft', ''],
    ]);
    expect(textOf({ attachments: [{ content: after }] })).toContain('Please answer every question.');
  });

  it('[D1] the TAM message never asks, even with nothing known', async () => {
    const card = onlyCard(await t.replies(message(TAM)));
    expect(choiceSets(card)).toHaveLength(0);
    expect(headlineOf(card)).toBe('You can ignore this message');
  });

  it('[D2] a feedback click after answers records the verdict of those answers', async () => {
    const card = await questionCard(people.partnerAdmin);
    const verdict = await cardAfter(t, DiagnosisVerb.answer, { ...executes(card, DiagnosisVerb.answer)[0].data, associatedBefore: 'yes', contractExpired: 'no', incidentsLeft: 'no' }, { from: people.partnerAdmin });
    const [yes] = executes(verdict, DiagnosisVerb.feedback);
    const after = await cardAfter(t, DiagnosisVerb.feedback, yes.data, { from: people.partnerAdmin });
    expect(headlineOf(after)).toBe('Your support contract is no longer valid');
    const records = await t.app.deps.store.collection<FeedbackRecord>(FEEDBACK_COLLECTION).list((r) => r.aadObjectId === people.partnerAdmin.aadObjectId);
    expect(records.map((r) => r.scenario)).toEqual(['D3']);
  });

  it('[D2] Korean questions and verdict', async () => {
    const card = onlyCard(await t.replies(message('액세스 ID가 이미 연결되어 있습니다', { locale: 'ko-KR' })));
    expect(choiceSets(card).map((c) => c.label)).toEqual([
      '같은 계정으로 이 액세스 ID와 계약 ID를 입력한 적이 있나요? 예를 들어 Support for Business 또는 다른 지원 포털에서요.',
      '지원 계약이 만료되었나요? 종료 날짜는 Support for Business에서 볼 수 있습니다.',
      '클라우드 인시던트 팩에 남은 인시던트가 있나요?',
    ]);
    const after = await cardAfter(t, DiagnosisVerb.answer, { ...executes(card, DiagnosisVerb.answer)[0].data, contractExpired: 'yes' }, { locale: 'ko-KR' });
    expect(headlineOf(after)).toBe('지원 계약이 더 이상 유효하지 않습니다');
  });
});

describe('without the request and activation capabilities', () => {
  let t: TestApp;
  beforeAll(async () => {
    ({ t } = await startDiagnosisApp(sampleOrg(), { alone: true }));
  });
  afterAll(async () => {
    await t.stop();
  });

  it('[O7] no help desk button that could not work; the text says to ask the help desk', async () => {
    const card = onlyCard(await t.replies(message('diagnose my printer prints only blank pages')));
    expect(commands(card).map((c) => c.command)).toEqual(['diagnose']);
    expect(textOf({ attachments: [{ content: card }] })).toContain('send the exact message to your help desk');
  });

  it('[A3] no activation button either', async () => {
    const card = onlyCard(await t.replies(message('the Activate button is greyed out')));
    expect(commands(card)).toEqual([]);
  });
});

describe('where and with what the bot knows', () => {
  it('[D2] with the directory down, the person is simply not known: the question is asked instead of failing', async () => {
    const t = await startTestApp({
      org: sampleOrg(),
      now: () => NOW,
      capabilities: [registerDiagnosis],
      directory: ({ fallback }) => ({
        organisation: () => fallback.organisation(),
        getPerson: async () => {
          throw new DirectoryUnavailableError('directory down');
        },
        listPeople: (role) => fallback.listPeople(role),
      }),
    });
    try {
      const card = onlyCard(await t.replies(message(GENERIC, { from: people.globalAdmin })));
      expect(choiceSets(card).map((c) => c.id)).toEqual(['associatedBefore']);
    } finally {
      await t.stop();
    }
  });

  it('[A1] a paste in a channel that @mentions the bot is diagnosed too', async () => {
    const { t } = await startDiagnosisApp();
    try {
      const card = onlyCard(await t.replies(message('You are not authorized for this action', { kind: 'channel' })));
      expect(card.body[0].text).toContain('You are not authorized for this action');
      expect(textRuns(card)).toEqual(['You are not authorized for this action']);
    } finally {
      await t.stop();
    }
  });
});
