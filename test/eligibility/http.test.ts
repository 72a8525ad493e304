import fs from 'node:fs';
import type { AppDeps } from '../../src/app-deps.js';
import { Intent } from '../../src/bot/intents.js';
import { Links } from '../../src/domain/links.js';
import { DirectoryUnavailableError } from '../../src/identity/directory.js';
import { registerEligibility } from '../../src/eligibility/index.js';
import { EligibilityVerb } from '../../src/eligibility/verbs.js';
import { execute, message, people, submit } from '../helpers/activities.js';
import { actionsOf, cardOf, startTestApp, textOf, type TestApp } from '../helpers/app.js';

const PINNED = new Date('2026-11-25T10:00:00Z');

/** Stand-ins for the request and IDs flows other engineers build: they record what the eligibility card hands over. */
const handedOver: { command: string; args: string }[] = [];
function otherFlows(deps: AppDeps): void {
  for (const name of [Intent.newRequest, Intent.ids]) {
    deps.router.intent({
      name,
      patterns: [new RegExp(`^stub ${name}$`)],
      handler: async (ctx, match) => {
        handedOver.push({ command: name, args: match.groups?.args ?? '' });
        await ctx.send(`${name} flow`);
      },
    });
  }
}

async function ask(t: TestApp, text: string, opts: Parameters<typeof message>[1] = {}): Promise<{ text: string; card: any }> {
  const replies = await t.replies(message(text, opts));
  expect(replies).toHaveLength(1);
  return { text: textOf(replies[0]), card: cardOf(replies[0]) };
}

async function click(t: TestApp, action: any, opts: Parameters<typeof execute>[2] = {}): Promise<any> {
  const r = await t.post(execute(action.verb, action.data, opts));
  expect(r.status).toBe(200);
  return r.body;
}

describe('eligibility over HTTP (sample org, Gold with Cloud Platform)', () => {
  let t: TestApp;
  let now = PINNED;
  beforeAll(async () => {
    t = await startTestApp({ now: () => now, capabilities: [registerEligibility, otherFlows] });
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(() => {
    now = PINNED;
    handedOver.length = 0;
  });

  it('[O1][E3][O5] "is SQL Server 2022 covered" → covered by Microsoft Product Support in Support for Business, 1 of 17 incidents', async () => {
    const { text, card } = await ask(t, 'is SQL Server 2022 covered');
    expect(text).toContain('Covered by Microsoft Product Support');
    expect(text).toContain('Support for Business');
    expect(text).toContain('Uses 1 of 17 remaining on-premises incidents.');
    expect(text).not.toMatch(/\b[RAEOCDP][1-7]\b/);
    expect(actionsOf(card).some((a) => a.type === 'Action.OpenUrl' && a.url === Links.supportForBusiness)).toBe(true);
  });

  it('[O1][O2][P1][P2] "is sql 2019 covered" → not covered, with the paid partner support plans and TPD', async () => {
    const { text, card } = await ask(t, 'is sql 2019 covered');
    expect(text).toContain('Not covered by Microsoft Product Support');
    expect(text).toContain('No incidents used.');
    expect(text).toContain('Premier Support for Partners');
    expect(text).toContain('Technical Presales and Deployment services');
    expect(actionsOf(card).filter((a) => a.type === 'Action.OpenUrl').map((a) => a.url)).toEqual(expect.arrayContaining([Links.partnerSupportPlans, Links.technicalPresales]));
    expect(actionsOf(card).some((a) => a.data?.command === Intent.newRequest)).toBe(false);
  });

  it.each([
    ['2026-10-12T09:00:00Z', 'Covered by Microsoft Product Support'],
    ['2026-10-14T09:00:00Z', 'Not covered by Microsoft Product Support'],
  ])('[O1] "is Windows Server 2022 covered" on %s → %s', async (at, verdict) => {
    now = new Date(at);
    const { text } = await ask(t, 'is Windows Server 2022 covered');
    expect(text).toContain(verdict);
  });

  it('[R3] Azure for a customer, asked by staff without the Admin Agent role → needs the Admin Agent role', async () => {
    const { text } = await ask(t, 'is azure covered for a customer', { from: people.staff });
    expect(text).toContain('You need the Admin Agent role for this');
    expect(text).toContain('For a customer');
  });

  it('[C3][R3][C4] Azure for a customer, asked by the CSP admin agent → the Cloud Solution Provider support plan through Partner Center', async () => {
    const { text, card } = await ask(t, 'can we get support for azure for my customer', { from: people.cspOnly });
    expect(text).toContain('Covered by the "Cloud Solution Provider" support plan');
    expect(text).toContain('Partner Center > CSP > Customers > Service Management');
    expect(actionsOf(card).some((a) => a.url === Links.cspCustomers)).toBe(true);
  });

  it('[E1] "sql server" → a which-version card; picking one → the decision', async () => {
    const { text, card } = await ask(t, 'is sql server covered');
    expect(text).toContain('Which version of SQL Server?');
    const picks = actionsOf(card).filter((a) => a.verb === EligibilityVerb.pick);
    expect(picks.map((a) => a.title)).toEqual(['SQL Server 2025', 'SQL Server 2022', 'SQL Server 2019', 'SQL Server 2017', 'SQL Server 2016']);
    const body = await click(t, picks.find((a) => a.title === 'SQL Server 2022'));
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(textOf(body.value)).toContain('Covered by Microsoft Product Support');
  });

  it('[E1] an unknown product → "I don\'t know that product" with suggestions to pick', async () => {
    const { text, card } = await ask(t, 'is windows covered');
    expect(text).toContain("I don't know that product");
    const picks = actionsOf(card).filter((a) => a.verb === EligibilityVerb.pick);
    expect(picks.map((a) => a.title)).toContain('Windows Server');
    const body = await click(t, picks.find((a) => a.title === 'Windows Server'));
    expect(textOf(body.value)).toContain('Which version of Windows Server?');
  });

  it('[E1] an unknown version → the versions the catalogue knows', async () => {
    const { text } = await ask(t, 'is sql 2008 covered');
    expect(text).toContain("I don't know that version of SQL Server");
    expect(text).toContain('SQL Server 2025, SQL Server 2022, SQL Server 2019, SQL Server 2017, SQL Server 2016');
  });

  it('answers a Korean question in Korean', async () => {
    const { text } = await ask(t, 'SQL Server 2022 지원되나요?', { locale: 'ko-KR' });
    expect(text).toContain('지원 대상입니다 (Microsoft Product Support)');
    expect(text).toContain('남은 온-프레미스 인시던트 17건 중 1건을 사용합니다.');
  });

  it('[R3] understands "고객" as a request for a customer', async () => {
    const { text } = await ask(t, '애저 고객용으로 지원되나요', { locale: 'ko-KR', from: people.staff });
    expect(text).toContain('고객용');
    expect(text).toContain('관리 에이전트 역할이 필요합니다');
  });

  it('takes a bare product typed as free text', async () => {
    const { text } = await ask(t, 'WS2025');
    expect(text).toContain('Windows Server 2025');
    expect(text).toContain('Covered by Microsoft Product Support');
  });

  it('leaves a pasted error message to others', async () => {
    const { text } = await ask(t, 'access id is already associated');
    expect(text).not.toContain('Covered');
    expect(text).not.toContain("I don't know that product");
  });

  it('[R3][R4] re-checks the same product for a customer from the decision card', async () => {
    const { card } = await ask(t, 'is sql server 2022 covered');
    const recheck = actionsOf(card).find((a) => a.verb === EligibilityVerb.recheck);
    expect(recheck.data).toEqual({ familyId: 'sql-server', versionId: '2022', onBehalfOfCustomer: true });
    const body = await click(t, recheck);
    const text = textOf(body.value);
    expect(text).toContain('For a customer');
    expect(text).toContain('On-premises requests can be opened for a customer');
  });

  it('asks for the product with a form when none is named; the form answers with the decision', async () => {
    const { text, card } = await ask(t, 'eligibility');
    expect(text).toContain('Which product is it about?');
    expect(card.body.some((e: any) => e.type === 'Input.Text' && e.id === 'product')).toBe(true);
    expect(card.body.some((e: any) => e.type === 'Input.Toggle' && e.id === 'onBehalfOfCustomer')).toBe(true);
    const check = actionsOf(card).find((a) => a.verb === EligibilityVerb.check);
    const body = await click(t, { verb: check.verb, data: { ...check.data, product: 'Azure', onBehalfOfCustomer: 'true' } }, { from: people.cspOnly });
    expect(textOf(body.value)).toContain('Covered by the "Cloud Solution Provider" support plan');
  });

  it('asks again when the form is sent without a product', async () => {
    const body = await click(t, { verb: EligibilityVerb.check, data: { product: '  ', onBehalfOfCustomer: 'false' } });
    expect(textOf(body.value)).toContain('Please name a product first.');
  });

  it('[A5] hands over to the IDs flow and the request flow with the product', async () => {
    const { card } = await ask(t, 'is sql server 2022 covered', { from: people.staff });
    const ids = actionsOf(card).find((a) => a.data?.command === Intent.ids);
    const open = actionsOf(card).find((a) => a.data?.command === Intent.newRequest);
    expect(ids.type).toBe('Action.Submit');
    expect(open).toMatchObject({ type: 'Action.Submit', title: 'Open a support request', data: { verb: 'command.run', args: 'SQL Server 2022' } });
    await t.replies(submit(open.data.verb, open.data));
    expect(handedOver).toEqual([{ command: Intent.newRequest, args: 'SQL Server 2022' }]);
  });

  it('refuses forged pick data with an error invoke response', async () => {
    for (const data of [{ familyId: 'no-such-product', versionId: '', onBehalfOfCustomer: false }, { familyId: 'sql-server', versionId: '1999' }, { versionId: '2022' }]) {
      const body = await click(t, { verb: EligibilityVerb.pick, data });
      expect(body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
    }
  });

  it('gives general guidance to a person the directory does not know', async () => {
    const { text } = await ask(t, 'is azure covered', { from: people.unknown });
    expect(text).toContain('general guidance');
  });

  it('answers in a channel when mentioned, and stays quiet otherwise', async () => {
    expect((await ask(t, 'is azure covered', { kind: 'channel' })).text).toContain('Azure');
    expect(await t.replies(message('is azure covered', { kind: 'channel', mention: false }))).toHaveLength(0);
    expect(await t.replies(message('sql 2019', { kind: 'groupChat', mention: false }))).toHaveLength(0);
  });

  it('is on the help card, and its button asks for the product', async () => {
    const { text, card } = await ask(t, 'help');
    expect(text).toContain('Is it covered?');
    const button = actionsOf(card).find((a) => a.data?.command === Intent.eligibility);
    const replies = await t.replies(submit(button.data.verb, button.data));
    expect(textOf(replies[0])).toContain('Which product is it about?');
  });
});

describe('eligibility over HTTP (organisation not activated)', () => {
  let t: TestApp;
  beforeAll(async () => {
    const org = JSON.parse(fs.readFileSync('config/org.mpn-2021.not-activated.sample.json', 'utf8')) as object;
    t = await startTestApp({ org, now: () => PINNED, capabilities: [registerEligibility] });
  });
  afterAll(async () => {
    await t.stop();
  });

  it.each(['is SQL Server 2022 covered', 'is sql server covered', 'eligibility', 'azure'])('[E2] answers "%s" with "not activated" first', async (question) => {
    const { text } = await ask(t, question, { from: people.staff });
    expect(text).toContain('Not available yet: the benefits are not activated');
    expect(text.indexOf("hasn't activated its technical benefits")).toBeGreaterThan(-1);
    expect(text).toContain('Ask a Global Admin or MPN Partner Admin');
  });

  it('[E2][R1] shows an admin how to activate', async () => {
    const { text, card } = await ask(t, 'is azure covered', { from: people.globalAdmin });
    expect(text).toContain('Select Activate');
    expect(actionsOf(card).some((a) => a.url === Links.technicalBenefits)).toBe(true);
  });
});

describe('eligibility over HTTP (directory not answering)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      now: () => PINNED,
      capabilities: [registerEligibility],
      directory: ({ fallback }) => ({
        organisation: () => fallback.organisation(),
        getPerson: async () => {
          throw new DirectoryUnavailableError('Graph is down');
        },
        listPeople: (role) => fallback.listPeople(role),
      }),
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('still answers, as general guidance (eligibility is not a privileged action)', async () => {
    const { text } = await ask(t, 'is sql server 2022 covered');
    expect(text).toContain('Covered by Microsoft Product Support');
    expect(text).toContain('general guidance');
    expect(text).toContain('Ask an MPN-associated colleague for the Access ID and Contract ID');
  });
});
