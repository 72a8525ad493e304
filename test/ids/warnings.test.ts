import { buildIdsCardFor, checkContractWarnings, countIncident } from '../../src/ids/index.js';
import { startWarningTimer } from '../../src/ids/warnings.js';
import { IdsVerb } from '../../src/ids/verbs.js';
import { message, people, TENANT, OTHER_TENANT } from '../helpers/activities.js';
import { actionsOf, cardOf, textOf } from '../helpers/app.js';
import { invoke, leaksOutsideReplies, orgWith, PLAIN, sayHello, startIdsApp, type IdsTestApp } from './support.js';

const personalOf = (aad: string) => `a:personal-${aad}`;
const sentTo = (t: IdsTestApp, aad: string) => t.connector.sent.filter((s) => s.conversationId === personalOf(aad));

describe('contract warnings to admins', () => {
  let t: IdsTestApp;
  beforeEach(async () => {
    t = await startIdsApp({ org: orgWith({ endDate: '2026-12-10', onPremisesIncidentsRemaining: 2 }) });
  });
  afterEach(async () => {
    await t.stop();
  });

  it('[O3] sends each warning once to every Global Admin and MPN Partner Admin, nobody else', async () => {
    await sayHello(t, people.globalAdmin, people.partnerAdmin, people.staff, people.helpDesk);
    t.connector.clear();
    const first = await checkContractWarnings(t.app.deps, t.clock.now);
    expect(first).toEqual(['expiresSoon:2026-12-10', 'lowIncidents:onPremises:2026-12-10']);
    expect(t.connector.sent.map((s) => s.conversationId).sort()).toEqual([personalOf(people.globalAdmin.aadObjectId), personalOf(people.partnerAdmin.aadObjectId)].sort());
    const text = textOf(t.connector.sent[0].activity);
    expect(text).toContain('The contract ends on 2026-12-10, in 15 days.');
    expect(text).toContain('Only 2 Microsoft Product Support incidents are left.');

    t.clock.now = new Date('2026-11-26T10:00:00.000Z');
    expect(await checkContractWarnings(t.app.deps, t.clock.now)).toEqual([]);
    expect(t.connector.sent).toHaveLength(2);
    const r = await t.app.deps.benefits.record(TENANT);
    expect(r?.warningsSent).toEqual(['expiresSoon:2026-12-10', 'lowIncidents:onPremises:2026-12-10']);
    expect(await t.app.deps.store.audit.recent((e) => e.action === 'ids.warning.sent')).toHaveLength(1);
    expect(leaksOutsideReplies(t)).toEqual([]);
  });

  it('[O3] the timer checks on its own and stops when told', async () => {
    await sayHello(t, people.globalAdmin);
    t.connector.clear();
    const stop = startWarningTimer(t.app.deps, () => t.clock.now, 20);
    try {
      await t.connector.waitForSent(() => true, 2000);
    } finally {
      stop();
    }
    await new Promise((r) => setTimeout(r, 80));
    expect(t.connector.sent).toHaveLength(1);
  });

  it('[O3] two checks at the same moment still send once', async () => {
    await sayHello(t, people.globalAdmin);
    t.connector.clear();
    const both = await Promise.all([checkContractWarnings(t.app.deps, t.clock.now), checkContractWarnings(t.app.deps, t.clock.now)]);
    expect(both.flat()).toHaveLength(2);
    expect(t.connector.sent).toHaveLength(1);
  });

  it('[O3] keeps a warning due while no admin can be reached, and sends it once one can', async () => {
    expect(await checkContractWarnings(t.app.deps, t.clock.now)).toEqual([]);
    expect((await t.app.deps.benefits.record(TENANT))?.warningsSent ?? []).toEqual([]);
    await sayHello(t, people.partnerAdmin);
    expect(await checkContractWarnings(t.app.deps, t.clock.now)).toHaveLength(2);
  });

  it('[O3] writes to each admin in the language of their personal chat', async () => {
    await t.replies(message('도움말', { from: people.partnerAdmin, locale: 'ko-KR' }));
    t.connector.clear();
    await checkContractWarnings(t.app.deps, t.clock.now);
    expect(textOf(sentTo(t, people.partnerAdmin.aadObjectId)[0].activity)).toContain('인시던트가 2개만 남았습니다');
  });

  it('[O3] a warning that cleared (incidents added) comes back when the condition returns', async () => {
    await sayHello(t, people.globalAdmin);
    await checkContractWarnings(t.app.deps, t.clock.now);
    await t.app.deps.benefits.mutate(TENANT, t.clock.now, (cur) => ({ ...cur, onPremisesIncidentsRemaining: 3 }));
    expect(await checkContractWarnings(t.app.deps, t.clock.now)).toEqual([]);
    expect((await t.app.deps.benefits.record(TENANT))?.warningsSent).toEqual(['expiresSoon:2026-12-10']);
    t.connector.clear();
    await countIncident(t.app.deps, 'HD-0042', 'onPremises');
    expect(t.connector.sent).toHaveLength(1);
    expect(textOf(t.connector.sent[0].activity)).toContain('Only 2 Microsoft Product Support incidents are left.');
  });

  it('[O3] the help desk counting the same request twice decrements once and warns once', async () => {
    await t.app.deps.benefits.mutate(TENANT, t.clock.now, (cur) => ({ ...cur, onPremisesIncidentsRemaining: 1, warningsSent: ['expiresSoon:2026-12-10', 'lowIncidents:onPremises:2026-12-10'] }));
    await sayHello(t, people.globalAdmin);
    t.connector.clear();
    expect(await countIncident(t.app.deps, 'HD-0100', 'onPremises')).toEqual({ counted: true, remaining: 0 });
    expect(await countIncident(t.app.deps, 'HD-0100', 'onPremises')).toEqual({ counted: false, remaining: 0 });
    expect(t.connector.sent).toHaveLength(1);
    expect(textOf(t.connector.sent[0].activity)).toContain('No Microsoft Product Support incidents are left.');
  });

  it('[O3] the IDs card and the incidents card show the warnings', async () => {
    const [ids] = await t.replies(message('ids', { from: people.staff }));
    expect(textOf(ids)).toContain('The contract ends on 2026-12-10, in 15 days.');
    const [incidents] = await t.replies(message('incidents left', { from: people.staff }));
    expect(textOf(incidents)).toContain('Only 2 Microsoft Product Support incidents are left.');
  });

  it('[O3] an admin saving figures that call for a warning triggers it', async () => {
    await t.app.deps.benefits.mutate(TENANT, t.clock.now, (cur) => ({ ...cur, endDate: '2027-06-30', onPremisesIncidentsRemaining: 10 }));
    await sayHello(t, people.globalAdmin);
    t.connector.clear();
    const version = (await t.app.deps.benefits.record(TENANT))!.version;
    await invoke(t, IdsVerb.saveContract, { version, startDate: '2026-06-30', endDate: '2027-06-30', onPremises: '1', cloud: '9' }, people.globalAdmin);
    const sent = await t.connector.waitForSent((s) => textOf(s.activity).includes('Only 1 Microsoft Product Support incident is left.'));
    expect(sent.conversationId).toBe(personalOf(people.globalAdmin.aadObjectId));
  });
});

describe('buildIdsCardFor (for the activation capability)', () => {
  let t: IdsTestApp;
  beforeAll(async () => {
    t = await startIdsApp();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('[A4] gives an allowed person the masked card with Reveal', async () => {
    const card = await buildIdsCardFor(t.app.deps, { tenantId: TENANT, aadObjectId: people.staff.aadObjectId, lang: 'en' });
    expect(card).toBeDefined();
    for (const v of PLAIN) expect(JSON.stringify(card)).not.toContain(v);
    expect(actionsOf(card).map((a) => a.verb)).toContain(IdsVerb.reveal);
  });

  it.each([
    ['CSP-only', TENANT, people.cspOnly.aadObjectId],
    ['unknown', TENANT, people.unknown.aadObjectId],
    ['another tenant', OTHER_TENANT, people.staff.aadObjectId],
  ])('[R2] gives nothing for %s', async (_label, tenantId, aadObjectId) => {
    expect(await buildIdsCardFor(t.app.deps, { tenantId, aadObjectId, lang: 'en' })).toBeUndefined();
  });
});

describe('buildIdsCardFor before activation', () => {
  it('[A4] gives nothing before activation', async () => {
    const t = await startIdsApp({ org: orgWith({ activated: false, accessId: undefined, contractId: undefined }) });
    try {
      expect(await buildIdsCardFor(t.app.deps, { tenantId: TENANT, aadObjectId: people.staff.aadObjectId, lang: 'ko' })).toBeUndefined();
      const [reply] = await t.replies(message('ids', { from: people.staff }));
      expect(cardOf(reply)).toBeDefined();
    } finally {
      await t.stop();
    }
  });
});
