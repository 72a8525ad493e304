import path from 'node:path';
import { loadKnownErrors } from '../../src/domain/known-errors.js';
import { recognizeError } from '../../src/domain/recognize-error.js';

const catalogue = loadKnownErrors(path.resolve(__dirname, '../../data'));

const TAM_EN =
  'This Access ID is already associated to an account. Please contact your Technical Account Manager to obtain a new Access ID';
const TAM_KO = '이 액세스 ID는 이미 계정에 연결되어 있습니다. 새 액세스 ID를 받으려면 기술 계정 관리자에게 문의하세요.';

/** [rules, pasted text, expected entry id] */
const pastes: [string, string, string][] = [
  // English: exact, quoted, upper case, trailing dots, missing words, chatter around the paste
  ['A1', 'You are not authorized for this action', 'notAuthorized'],
  ['A1', '"You are not authorized for this action."', 'notAuthorized'],
  ['A1', 'YOU ARE NOT AUTHORIZED FOR THIS ACTION', 'notAuthorized'],
  ['A1', 'hi, partner center says: You are not authorised for this action... what now?', 'notAuthorized'],
  ['A1', 'not authorized for this', 'notAuthorized'],
  ['A2', "Looks like you don't have any benefits yet", 'noBenefitsYet'],
  ['A2', '“Looks like you don’t have any benefits yet…”', 'noBenefitsYet'],
  ['A2', 'the technical benefits page says looks like you dont have any benefits', 'noBenefitsYet'],
  ['A3', 'activate button is grey', 'activateGreyedOut'],
  ['A3', 'Hi team, the Activate button is greyed out in Partner Center, can you help?', 'activateGreyedOut'],
  ['A3', 'ACTIVATE BUTTON GRAYED OUT', 'activateGreyedOut'],
  ['A3', 'I cannot click Activate, the button is disabled', 'activateGreyedOut'],
  ['D2', 'azure says the access id is already associated', 'accessIdAlreadyAssociated'],
  ['D2', 'Access ID is already associated …', 'accessIdAlreadyAssociated'],
  ['D2', 'Access ID is already associated...', 'accessIdAlreadyAssociated'],
  ['D2', '"access id is already associated"', 'accessIdAlreadyAssociated'],
  ['D2', 'hi, azure says: Access ID is already associated', 'accessIdAlreadyAssociated'],
  ['D2', 'access id already associated to an account', 'accessIdAlreadyAssociated'],
  ['D2', 'When I use Link support benefits I get "Access ID is already associated"', 'accessIdAlreadyAssociated'],
  ['D1', TAM_EN, 'accessIdTamMessage'],
  ['D1', `hi, azure says: "${TAM_EN}."`, 'accessIdTamMessage'],
  ['D1', 'THIS ACCESS ID IS ALREADY ASSOCIATED TO AN ACCOUNT. PLEASE CONTACT YOUR TECHNICAL ACCOUNT MANAGER…', 'accessIdTamMessage'],
  ['D1', 'access id already associated, contact your technical account manager to obtain a new access id', 'accessIdTamMessage'],
  ['D1', 'it tells me to obtain a new Access ID from my TAM', 'accessIdTamMessage'],
  ['O1', 'Support plan cannot be used for the specified product', 'supportPlanNotForProduct'],
  ['O1', 'support for business: "Support plan cannot be used for the specified product."', 'supportPlanNotForProduct'],
  ['O1', 'support plan cannot be used for the product', 'supportPlanNotForProduct'],
  ['C3', 'Your support plan type is CSP …', 'cspSupportPlanType'],
  ['C3', 'the azure support API returns "Your support plan type is CSP"', 'cspSupportPlanType'],
  ['C3', 'support plan type is CSP', 'cspSupportPlanType'],
  ['O2', 'Pay Per Incident needs a personal Microsoft account', 'ppiNeedsPersonalAccount'],
  ['O2', "why can't I buy a pay-per-incident with my work account?", 'ppiNeedsPersonalAccount'],
  ['O2', 'purchase pay per incident requires personal microsoft account', 'ppiNeedsPersonalAccount'],
  // Korean
  ['A1', '이 작업에 대한 권한이 없습니다.', 'notAuthorized'],
  ['A1', '파트너 센터에서 "이 작업에 대한 권한이 없습니다"라고 나와요', 'notAuthorized'],
  ['A2', '아직 혜택이 없는 것 같습니다', 'noBenefitsYet'],
  ['A2', '기술 혜택 페이지에 "아직 혜택이 없는 것 같습니다..."라고 떠요', 'noBenefitsYet'],
  ['A3', '활성화 버튼이 회색이에요', 'activateGreyedOut'],
  ['A3', '안녕하세요, 활성화 단추가 회색으로 표시돼서 누를 수가 없어요', 'activateGreyedOut'],
  ['D2', '액세스 ID가 이미 연결되어 있습니다', 'accessIdAlreadyAssociated'],
  ['D2', 'Azure에서 "액세스 ID가 이미 연결되어 있습니다…" 오류가 나요', 'accessIdAlreadyAssociated'],
  ['D1', TAM_KO, 'accessIdTamMessage'],
  ['D1', '기술 계정 관리자에게 문의해서 새 액세스 ID를 받으라고 나와요', 'accessIdTamMessage'],
  ['O1', '지원 플랜을 지정된 제품에 사용할 수 없습니다', 'supportPlanNotForProduct'],
  ['O1', '비즈니스 지원에서 "지원 플랜을 지정된 제품에 사용할 수 없습니다"라고 해요', 'supportPlanNotForProduct'],
  ['C3', '지원 플랜 유형이 CSP입니다', 'cspSupportPlanType'],
  ['O2', '인시던트당 지불은 개인 Microsoft 계정이 필요하대요', 'ppiNeedsPersonalAccount'],
  ['O2', '회사 계정으로는 인시던트당 지불을 살 수 없나요?', 'ppiNeedsPersonalAccount'],
  // Korean chatter around an English paste, and the other way round
  ['D2', '안녕하세요, Azure에서 "Access ID is already associated..." 라고 나와요', 'accessIdAlreadyAssociated'],
  ['A1', '파트너 센터에서 You are not authorized for this action 이라고 떠요', 'notAuthorized'],
  ['D1', 'Azure says "Please contact your Technical Account Manager to obtain a new Access ID" 어떻게 하죠?', 'accessIdTamMessage'],
  // long chatter: the context words ("link", "benefits", "Azure") must not pull D1 towards the generic entry
  [
    'D1',
    `Hello team, I hope you are well. Yesterday I tried to link our partner benefits in the Azure portal and it failed with this message: "${TAM_EN}." Who is our technical account manager and what should I do next? Thanks a lot, Kim`,
    'accessIdTamMessage',
  ],
  [
    'D2',
    'Hello team, I hope you are well. Yesterday I tried to link our partner benefits in the Azure portal and it failed with this message: "Access ID is already associated..." What should I do next? Thanks a lot, Kim',
    'accessIdAlreadyAssociated',
  ],
  ['D1', `안녕하세요. 어제 Azure Portal에서 파트너 혜택을 연결하려고 했는데 "${TAM_KO}"라는 오류가 나왔어요. 어떻게 해야 하나요?`, 'accessIdTamMessage'],
  ['D2', '안녕하세요. 어제 Azure Portal에서 지원 혜택을 연결하려고 했는데 "액세스 ID가 이미 연결되어 있습니다"라는 오류가 나왔어요.', 'accessIdAlreadyAssociated'],
];

describe('recognizeError', () => {
  it('[A1][A2][A3][C3][D1][D2][O1][O2] the paste table holds at least 40 texts in both languages', () => {
    expect(pastes.length).toBeGreaterThanOrEqual(40);
    expect(pastes.filter(([, text]) => /\p{Script=Hangul}/u.test(text)).length).toBeGreaterThanOrEqual(15);
  });

  it.each(pastes)('[%s] recognises %j', (_rules, text, expectedId) => {
    const result = recognizeError(text, catalogue);
    expect(result.kind === 'match' ? result.entry.id : result).toBe(expectedId);
  });

  it.each(catalogue.entries.flatMap((e) => [...e.variants.en, ...e.variants.ko].map((v) => [e.rules.join(']['), v, e.id])))(
    '[%s] the catalogue variant %j recognises its own entry',
    (_rules, text, expectedId) => {
      const result = recognizeError(text, catalogue);
      expect(result.kind === 'match' ? result.entry.id : result).toBe(expectedId);
    },
  );

  it('[D1][D2] the TAM paste matches D1 clearly ahead of the generic message it contains', () => {
    const tam = recognizeError(TAM_EN, catalogue);
    expect(tam).toMatchObject({ kind: 'match', entry: { id: 'accessIdTamMessage' } });
    const generic = recognizeError('Access ID is already associated', catalogue);
    expect(generic).toMatchObject({ kind: 'match', entry: { id: 'accessIdAlreadyAssociated' } });
  });

  it.each<[string, string, string[]]>([
    ['A1][A2', "You are not authorized for this action. Also: Looks like you don't have any benefits yet", ['notAuthorized', 'noBenefitsYet']],
    ['O1][C3', 'Support plan cannot be used for the specified product / Your support plan type is CSP', ['supportPlanNotForProduct', 'cspSupportPlanType']],
    ['A1][A2', '이 작업에 대한 권한이 없습니다 그리고 아직 혜택이 없는 것 같습니다', ['notAuthorized', 'noBenefitsYet']],
    ['A3][D2', 'the activate button is greyed out and Access ID is already associated', ['activateGreyedOut', 'accessIdAlreadyAssociated']],
  ])('[%s] two messages in one paste are ambiguous: %j', (_rules, text, ids) => {
    const result = recognizeError(text, catalogue);
    expect(result.kind).toBe('ambiguous');
    const candidates = result.kind === 'ambiguous' ? result.candidates.map((c) => c.id) : [];
    expect([...candidates].sort()).toEqual([...ids].sort());
  });

  it.each<[string, string]>([
    ['E1', ''],
    ['E1', '   '],
    ['E1', '…'],
    ['E1', 'hello'],
    ['E1', '안녕하세요'],
    ['E1', 'what is the weather today'],
    ['E1', 'Windows Server 2019 keeps crashing with a blue screen'],
    ['O6', 'How many incidents do we have left?'],
    ['R2', '우리 회사 파트너 ID가 뭐예요?'],
    ['R2', 'Where can I see the Access ID and Contract ID?'],
    ['D1][D2', 'access id'],
    ['O1][C3', 'support plan'],
    ['A3', 'How do I activate our technical benefits?'],
  ])('[%s] %j is not a known error message: none', (_rules, text) => {
    expect(recognizeError(text, catalogue)).toEqual({ kind: 'none' });
  });

  it('[D2] recognition is deterministic and its score lies in (0, 1]', () => {
    const first = recognizeError('hi, azure says: Access ID is already associated', catalogue);
    const second = recognizeError('hi, azure says: Access ID is already associated', catalogue);
    expect(second).toEqual(first);
    expect(first.kind === 'match' && first.score > 0 && first.score <= 1).toBe(true);
  });
});
