/**
 * An eligibility or diagnosis question inside a longer message (a story, a pasted error with words around it) goes
 * straight to its answer over HTTP: the bot answers it as it answers the bare question, with no "did you mean" and
 * no help card in between.
 */
import { message } from '../helpers/activities.js';
import { startTestApp, textOf, type TestApp } from '../helpers/app.js';

describe('a question inside a longer message', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.stop());

  // The answer with the user's own words (echoed as "You wrote" and in feedback buttons) taken out.
  const answer = async (text: string, locale = 'en-US') => (await t.replies(message(text, { locale }))).map(textOf).join('\n').split(text).join('<message>');

  it.each([
    ['is SharePoint Server 2019 covered?', 'our on-prem SharePoint 2019 farm keeps crashing since the last patch and the users are angry, can Microsoft help us with that?'],
    ['is SQL Server 2016 covered for a customer?', 'hi, quick one: a customer of ours (Contoso) runs SQL Server 2016 and the cluster fails over every night, would our benefits cover a case for them?'],
    ['Exchange Server 2019 지원되나요?', '안녕하세요 저희 온프레미스 Exchange Server 2019 서버가 어제부터 메일을 못 보내고 있는데 혜택으로 MS 지원 받을 수 있을까요?'],
  ])('answers the eligibility in "%s" told as a story', async (bare, story) => {
    const locale = /\p{Script=Hangul}/u.test(bare) ? 'ko-KR' : 'en-US';
    const expected = await answer(bare, locale);
    expect(expected).not.toBe('');
    expect(await answer(story, locale)).toBe(expected);
  });

  it('answers a known portal error pasted inside a sentence as it answers the error alone', async () => {
    const error = 'This Access ID is already associated to an account. Please contact your Technical Account Manager to obtain a new Access ID';
    const expected = await answer(error);
    expect(expected).not.toBe('');
    const around = await answer(`hey, I was adding our contract in Partner Center this morning and got this: "${error}" — what do I do now?`);
    expect(around).toBe(expected);
  });
});
