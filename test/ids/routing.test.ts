import { Intent } from '../../src/bot/intents.js';
import { capabilities } from '../../src/capabilities.js';
import { registerIds } from '../../src/ids/index.js';
import { message, people } from '../helpers/activities.js';
import { startTestApp, textOf, type TestApp } from '../helpers/app.js';

const IDS = ['ids', 'IDs', 'access id', 'Access ID?', 'contract id', 'what are our ids', 'our ids', 'show me the ids', 'show me the access id and contract id', 'what is the contract id', 'where are the ids', 'give me our access ids please', '액세스 id', '액세스 ID 알려줘', '계약 id', '계약 아이디 알려주세요', '아이디', 'ID 알려줘', '액세스 아이디와 계약 아이디 보여줘', '우리 ID 뭐야'];
const INCIDENTS = ['how many incidents are left', 'How many incidents do we have left?', 'how many incidents left', 'how many support incidents remaining', 'incidents remaining', 'incidents left', 'remaining incidents', 'check incidents', 'contract status', 'when does our contract end', '남은 인시던트', '남은 인시던트 몇 개', '잔여 인시던트 확인', '인시던트 몇 개 남았어', '인시던트 몇 개 남았나요', '계약 상태'];
const NEITHER = ['partner id', 'what is our partner id', 'is azure covered', 'help', 'my ideas', 'incident with sql server', 'This Access ID is already associated to an account'];

describe('routing of the IDs and incidents commands (with every capability registered)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ capabilities: [...new Set([...capabilities, registerIds])] });
  });
  afterAll(async () => {
    await t.stop();
  });

  const route = (text: string) => {
    const r = t.app.deps.router.route(text, 'personal');
    return r.kind === 'intent' ? r.intent.name : r.kind;
  };

  it.each(IDS)('[R2] "%s" asks for the IDs', (text) => {
    expect(route(text)).toBe(Intent.ids);
  });

  it.each(INCIDENTS)('[O6] "%s" asks how many incidents are left', (text) => {
    expect(route(text)).toBe(Intent.incidents);
  });

  it.each(NEITHER)('[R2] "%s" is not an IDs or incidents command', (text) => {
    expect([Intent.ids, Intent.incidents]).not.toContain(route(text));
  });

  it('[A4] lists both commands on the help card', async () => {
    const [reply] = await t.replies(message('help', { from: people.staff }));
    expect(textOf(reply)).toContain('Access ID and Contract ID');
    expect(textOf(reply)).toContain('Incidents left');
  });
});
