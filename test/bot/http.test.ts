import { botAdded, execute, message, people } from '../helpers/activities.js';
import { cardOf, startTestApp, textOf, type TestApp } from '../helpers/app.js';

describe('HTTP surface', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers /healthz and /readyz with their status only', async () => {
    for (const probe of ['healthz', 'readyz']) {
      const res = await fetch(`${t.url}/${probe}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    }
  });

  it('answers "help" with the help card through expectReplies', async () => {
    const replies = await t.replies(message('help'));
    expect(replies).toHaveLength(1);
    expect(cardOf(replies[0]).version).toBe('1.5');
    expect(textOf(replies[0])).toContain('Partner Support Assistant');
  });

  it('delivers the same replies through the connector as through expectReplies', async () => {
    const a = message('help');
    const viaReplies = await t.replies({ ...a, id: 'same-1' });
    t.connector.clear();
    const r = await t.post({ ...a, id: 'same-2' });
    expect(r.status).toBe(200);
    const sent = await t.connector.waitForSent(() => true);
    expect(sent.activity.attachments).toEqual(viaReplies[0].attachments);
  });

  it('answers Korean locales in Korean', async () => {
    const replies = await t.replies(message('도움말', { locale: 'ko-KR' }));
    expect(textOf(replies[0])).toContain('파트너 지원 도우미');
  });

  it.each([
    ['not JSON', 'this is not json', 400],
    ['JSON but not an activity', JSON.stringify({ hello: 'world' }), 400],
    ['an array', JSON.stringify([1, 2]), 400],
    ['an activity without conversation', JSON.stringify({ type: 'message', text: 'hi' }), 400],
  ])('refuses a body that is %s with %s', async (_name, body, status) => {
    const res = await fetch(`${t.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(status);
  });

  it('refuses a body over 256 KB with 413', async () => {
    const big = JSON.stringify(message('x'.repeat(300 * 1024)));
    const res = await fetch(`${t.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(res.status).toBe(413);
  });

  it('answers a duplicate delivery of the same activity once', async () => {
    t.connector.clear();
    const a = message('help', { id: 'dup-activity-1' });
    const [r1, r2] = await Promise.all([t.post(a), t.post(a)]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    await t.connector.waitForSent(() => true);
    await new Promise((r) => setTimeout(r, 100));
    expect(t.connector.sent).toHaveLength(1);
  });

  it('ignores channel messages that do not @mention the bot', async () => {
    const replies = await t.replies(message('help', { kind: 'channel', mention: false }));
    expect(replies).toHaveLength(0);
  });

  it('answers channel messages that @mention the bot, without the mention text', async () => {
    const replies = await t.replies(message('help', { kind: 'channel' }));
    expect(textOf(replies[0])).toContain('@mention');
  });

  it('welcomes on install', async () => {
    const replies = await t.replies(botAdded({ from: people.staff }));
    expect(textOf(replies[0])).toContain('Welcome');
  });

  it('suggests commands for input it does not understand, quoting it as plain text', async () => {
    const replies = await t.replies(message('[click](https://evil.example) ${1+1}'));
    const card = cardOf(replies[0]);
    const run = JSON.stringify(card);
    expect(run).toContain('"type":"TextRun","text":"[click](https://evil.example) ${1+1}"');
    expect(run).not.toContain('"text":"2"');
  });

  it('politely refuses other tenants and stores nothing for them', async () => {
    const replies = await t.replies(message('help', { from: people.otherTenant }));
    expect(textOf(replies[0])).toMatch(/one partner organisation/);
    const convs = await t.app.deps.store.collection('conversations').list();
    expect(convs.some((c: any) => c.tenantId === people.otherTenant.tenantId)).toBe(false);
  });

  it('writes one structured log line per turn with duration', async () => {
    await t.replies(message('help', { id: 'log-line-1' }));
    const line = t.logs.map((l: string) => JSON.parse(l)).find((l) => l.msg === 'turn' && l.activityId === 'log-line-1');
    expect(line).toMatchObject({ level: 'info', activityType: 'message', outcome: 'ok' });
    expect(typeof line.durationMs).toBe('number');
    expect(typeof line.turnId).toBe('string');
  });

  it('puts one turnId, its own, on every line of a turn', async () => {
    await t.replies(message('help', { id: 'log-line-2' }));
    await t.replies(message('help', { id: 'log-line-3' }));
    const of = (id: string) => t.logs.map((l: string) => JSON.parse(l)).filter((l) => l.activityId === id);
    expect(of('log-line-2').map((l) => l.msg)).toEqual(['route', 'turn']);
    const ids = new Set(of('log-line-2').map((l) => l.turnId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(of('log-line-3')[0].turnId).not.toBe([...ids][0]);
  });
});

describe('turn logging at LOG_LEVEL=warn', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'warn' } });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('writes nothing for a turn with nothing to warn about, and the warning with its turn bindings otherwise', async () => {
    await t.replies(message('help', { id: 'quiet-1' }));
    expect(t.logs.filter((l) => l.includes('quiet-1'))).toEqual([]);
    await t.post(execute('command.run', { command: 42 }, { id: 'loud-1' }));
    const lines = t.logs.map((l: string) => JSON.parse(l)).filter((l) => l.activityId === 'loud-1');
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'card data refused', activityType: 'invoke', turnId: expect.stringMatching(/^[0-9a-f-]{36}$/) })]);
  });
});
