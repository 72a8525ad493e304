/**
 * Request texts others see: no bidi or zero-width tricks on the help desk's cards, and a request with long
 * texts and many notes keeps a channel card Teams accepts (under 25 KB), with the full history one click away.
 */
import { people } from '../helpers/activities.js';
import { actionsOf, cardOf, textOf, type TestApp } from '../helpers/app.js';
import { act, exec, introduce, latestUpdate, open, postedCard, reload, setChannel, startRequestsApp } from './support.js';

const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/;
const attachmentBytes = (activity: any) => Buffer.byteLength(JSON.stringify(activity.attachments[0]));

describe('request texts and the triage card', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startRequestsApp();
    await introduce(t, people.globalAdmin, people.staff, people.helpDesk);
    await setChannel(t, people.globalAdmin);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('strips bidi controls and zero-width characters from title, description, customer name and notes', async () => {
    const { record } = await open(t, people.staff, {
      title: 'invoice\u202Efdp.exe\u200B fails',
      description: 'Pay\u200Dpal \u2066login\u2069 fails with error 0x80071736 \u202Ahere\u202C.',
      for: 'customer',
      customerName: 'Fabri\u200Bkam\u202E',
      customerTenantId: '0f0f0f0f-0000-4000-8000-000000000001',
    });
    expect(record.title).toBe('invoicefdp.exe fails');
    expect(record.description).toBe('Paypal login fails with error 0x80071736 here.');
    expect(record.customer?.name).toBe('Fabrikam');
    const noted = await act(t, people.helpDesk, 'requests.addNote', record, { note: 'Call\u200B \u202Eback\uFEFF', visibleToRequester: 'false' });
    expect(noted.code).toBe(200);
    expect((await reload(t, record.id)).notes[0].text).toBe('Call back');
    const posted = postedCard(t, record.key);
    expect(posted).toBeDefined();
    const latest = latestUpdate(t, posted!.id) ?? posted!;
    expect(JSON.stringify(latest.activity)).not.toMatch(INVISIBLE);
  });

  it('keeps the channel card under 25 KB with a 4,000-character description and twelve 2,000-character notes', async () => {
    const { record } = await open(t, people.staff, { title: 'Long one', description: `Start ${'가나다라마바사'.repeat(570)} end` });
    let r = record;
    for (let i = 1; i <= 12; i++) {
      const answer = await act(t, people.helpDesk, 'requests.addNote', r, { note: `Note ${i} ${'원격 접속 실패 '.repeat(250)}`.slice(0, 2000), visibleToRequester: 'false' });
      expect(answer.code).toBe(200);
      expect(Buffer.byteLength(JSON.stringify(answer.card))).toBeLessThan(25 * 1024);
      r = await reload(t, r.id);
    }
    const post = postedCard(t, r.key)!;
    const latest = latestUpdate(t, post.id)!;
    expect(attachmentBytes(latest.activity)).toBeLessThan(25 * 1024);
    const card = cardOf(latest.activity);
    expect(textOf(card)).toContain('9 earlier notes');
    expect(textOf(card)).toContain('Note 12');
    expect(textOf(card)).not.toContain('Note 9 ');
    expect(actionsOf(card).filter((a) => a.verb === 'requests.history').length).toBeGreaterThan(0);

    // The full history: every note in full, page by page, each page under 25 KB.
    let page = 1;
    const seen: string[] = [];
    for (;;) {
      const h = await exec(t, 'requests.history', { requestId: r.id, page }, { from: people.helpDesk, kind: 'channel' });
      expect(h.code).toBe(200);
      expect(Buffer.byteLength(JSON.stringify(h.card))).toBeLessThan(25 * 1024);
      if (page === 1) expect(h.text).toContain(r.description);
      seen.push(h.text);
      const next = actionsOf(h.card).find((a) => a.verb === 'requests.history' && a.data.page === page + 1);
      expect(actionsOf(h.card).some((a) => a.verb === 'requests.refresh' && a.data.view === 'triage')).toBe(true);
      if (!next) break;
      page++;
    }
    expect(page).toBeGreaterThan(1);
    for (const n of r.notes) expect(seen.join('\n')).toContain(n.text);
  });

  it('shows the full history only to the help desk', async () => {
    const { record } = await open(t, people.staff, { title: 'Mine' });
    const h = await exec(t, 'requests.history', { requestId: record.id, page: 1 }, { from: people.staff });
    expect(h.code).toBe(403);
  });
});
