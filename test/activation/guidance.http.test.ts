import { Links } from '../../src/domain/links.js';
import { ACTIVATE_PATTERNS, UPDATE_CONTRACT_PATTERNS } from '../../src/activation/index.js';
import { ActivationVerb } from '../../src/activation/verbs.js';
import { normalise } from '../../src/bot/router.js';
import { execute, message, people } from '../helpers/activities.js';
import { actionsOf, cardOf } from '../helpers/app.js';
import { buttonVerbs, notActivatedOrg, sampleOrg, startActivationApp, textOfCard, type ActivationTestApp } from './helpers.js';

const urls = (card: any) => actionsOf(card).filter((a) => a.type === 'Action.OpenUrl').map((a) => a.url);
const idsButtons = (card: any) => actionsOf(card).filter((a) => a.type === 'Action.Submit' && a.data?.verb === 'command.run' && a.data?.command === 'ids');

async function ask(t: ActivationTestApp, text: string, from = people.staff, locale = 'en-US'): Promise<any> {
  const replies = await t.replies(message(text, { from, locale }));
  expect(replies).toHaveLength(1);
  return cardOf(replies[0]);
}

describe('activation intents', () => {
  it.each(['activate', 'Activate!', 'how do I activate?', 'How can we activate our technical benefits', 'activation', 'activate the benefits please', 'how to activate'])(
    'routes "%s" to activate',
    (text) => {
      expect(ACTIVATE_PATTERNS.some((p) => p.test(normalise(text)))).toBe(true);
    },
  );

  it.each(['활성화', '활성화 방법', '혜택 활성화', '기술 혜택 활성화 방법', '혜택을 어떻게 활성화하나요?', '활성화 해줘'])('routes Korean "%s" to activate', (text) => {
    expect(ACTIVATE_PATTERNS.some((p) => p.test(normalise(text)))).toBe(true);
  });

  it.each(['update contract', 'Update the contract', 'correct contract ids', '계약 업데이트', '계약 정보 수정'])('routes "%s" to update contract', (text) => {
    expect(UPDATE_CONTRACT_PATTERNS.some((p) => p.test(normalise(text)))).toBe(true);
  });

  it.each(['activate windows', 'is sql server activated', 'show ids', 'contract', '활성화된 제품'])('leaves "%s" to others', (text) => {
    expect([...ACTIVATE_PATTERNS, ...UPDATE_CONTRACT_PATTERNS].some((p) => p.test(normalise(text)))).toBe(false);
  });
});

describe('"activate" before activation (sample org, not activated)', () => {
  let t: ActivationTestApp;
  beforeAll(async () => {
    t = await startActivationApp(notActivatedOrg());
  });
  afterAll(() => t.stop());

  it('[A1] explains "You are not authorized for this action" to someone not in the directory', async () => {
    const card = await ask(t, 'activate', people.unknown);
    expect(textOfCard(card)).toContain('You are not authorized for this action');
    expect(textOfCard(card)).toMatch(/MPN-associated account/);
    expect(buttonVerbs(card)).toEqual([]);
  });

  it('[A1] tells a CSP-only account to sign in with an MPN-associated account', async () => {
    const card = await ask(t, 'how do I activate', people.cspOnly);
    const text = textOfCard(card);
    expect(text).toContain('You are not authorized for this action');
    expect(text).toMatch(/associated with CSP only/);
    expect(urls(card)).toEqual([Links.partnerCenterDashboard]);
  });

  it('[A1] says it in Korean too', async () => {
    const card = await ask(t, '활성화', people.cspOnly, 'ko-KR');
    expect(textOfCard(card)).toContain('이 작업에 대한 권한이 없습니다');
  });

  it('[R1] gives a Global Admin the steps with the Partner Center links and "I have activated"', async () => {
    const card = await ask(t, 'how do I activate', people.globalAdmin);
    expect(textOfCard(card)).toMatch(/Select Activate/);
    expect(urls(card)).toEqual([Links.partnerCenterDashboard, Links.technicalBenefits]);
    expect(buttonVerbs(card)).toEqual([ActivationVerb.openForm]);
  });

  it('[R1] gives an MPN Partner Admin the steps, in Korean for a Korean locale', async () => {
    const card = await ask(t, '혜택 활성화', people.partnerAdmin, 'ko-KR');
    expect(textOfCard(card)).toContain('활성화했습니다');
    expect(buttonVerbs(card)).toEqual([ActivationVerb.openForm]);
  });

  it('[A3] explains the greyed-out Activate button to staff, names the admins and offers to ask them', async () => {
    const card = await ask(t, 'activate', people.staff);
    const text = textOfCard(card);
    expect(text).toMatch(/greyed out/);
    expect(text).toContain('Alex Wilber');
    expect(text).toContain('Megan Bowen');
    expect(text).not.toContain('Patti Fernandez');
    expect(urls(card)).toContain(Links.userManagement);
    const askButton = actionsOf(card).find((a) => a.verb === ActivationVerb.request);
    expect(askButton?.title).toBe('Ask an admin to activate');
  });

  it('[A3] gives help desk members and Admin Agents the same explanation (they cannot activate)', async () => {
    for (const who of [people.helpDesk, people.helpDesk2]) {
      expect(buttonVerbs(await ask(t, 'activate', who))).toEqual([ActivationVerb.request]);
    }
  });

  it('[E2] offers no IDs before activation and says nothing can be used yet', async () => {
    const staffCard = await ask(t, 'activate', people.staff);
    const adminCard = await ask(t, 'activate', people.globalAdmin);
    expect(idsButtons(staffCard)).toEqual([]);
    expect(idsButtons(adminCard)).toEqual([]);
    expect(textOfCard(staffCard)).toMatch(/Until the benefits are activated, nobody in Contoso Partners can use them/);
  });

  it('answers in a channel when @mentioned', async () => {
    const replies = await t.replies(message('activate', { from: people.staff, kind: 'channel' }));
    expect(textOfCard(cardOf(replies[0]))).toMatch(/greyed out/);
  });
});

describe('"activate" after activation (sample org)', () => {
  let t: ActivationTestApp;
  beforeAll(async () => {
    t = await startActivationApp(sampleOrg());
  });
  afterAll(() => t.stop());

  it('[A4][R2] tells staff it is activated, since when, and offers the IDs card', async () => {
    const card = await ask(t, 'activate', people.staff);
    const text = textOfCard(card);
    expect(text).toMatch(/already activated/);
    expect(text).toMatch(/activated on 2026-06-01 09:00 UTC by an administrator/);
    expect(idsButtons(card)).toHaveLength(1);
    expect(buttonVerbs(card)).toEqual([]);
  });

  it('[A4][A5] says the IDs are needed only the first time per account', async () => {
    expect(textOfCard(await ask(t, 'activation', people.helpDesk))).toMatch(/only the first time/);
  });

  it('[A4][R1] lets an admin correct the contract', async () => {
    const card = await ask(t, 'activate', people.partnerAdmin);
    expect(idsButtons(card)).toHaveLength(1);
    expect(buttonVerbs(card)).toEqual([ActivationVerb.openForm]);
  });

  it('[A1] still refuses a CSP-only account (no IDs button)', async () => {
    const card = await ask(t, 'activate', people.cspOnly);
    expect(textOfCard(card)).toContain('You are not authorized for this action');
    expect(idsButtons(card)).toEqual([]);
  });
});

describe('"activate" for an organisation without membership', () => {
  let t: ActivationTestApp;
  beforeAll(async () => {
    t = await startActivationApp({ ...notActivatedOrg(), competencies: [], actionPack: false });
  });
  afterAll(() => t.stop());

  it('[A2] says "Looks like you don\'t have any benefits yet" and how to check the account', async () => {
    const card = await ask(t, 'activate', people.globalAdmin);
    const text = textOfCard(card);
    expect(text).toContain("Looks like you don't have any benefits yet");
    expect(text).toMatch(/Sign in with another account/);
    expect(buttonVerbs(card)).toEqual([]);
  });

  it('[A2] refuses to send a request to admins for it', async () => {
    const r = await t.post(execute(ActivationVerb.request, {}, { from: people.staff }));
    expect(textOfCard(r.body.value)).toContain("Looks like you don't have any benefits yet");
    expect(await t.app.deps.store.collection('activation-requests').count()).toBe(0);
  });

  it('[A2] in Korean', async () => {
    expect(textOfCard(await ask(t, '활성화 방법', people.staff, 'ko-KR'))).toContain('아직 혜택이 없는 것 같습니다');
  });
});

describe('help entries', () => {
  let t: ActivationTestApp;
  beforeAll(async () => {
    t = await startActivationApp();
  });
  afterAll(() => t.stop());

  it('lists "Activate" and "Update contract" on the help card, in both languages', async () => {
    const en = cardOf((await t.replies(message('help')))[0]);
    const ko = cardOf((await t.replies(message('도움말', { locale: 'ko-KR' })))[0]);
    expect(textOfCard(en)).toContain('Activate the benefits');
    expect(textOfCard(en)).toContain('Update contract');
    expect(textOfCard(ko)).toContain('혜택 활성화');
    expect(textOfCard(ko)).toContain('계약 업데이트');
  });
});
