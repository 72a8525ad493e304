import { i18nFor } from '../../src/i18n/profile-terms.js';
import { loadPolicy } from '../../src/domain/policy.js';
import fs from 'node:fs';
import path from 'node:path';
import type * as ACTypes from 'adaptivecards';
import { defineCard, renderCard, type AdaptiveCard } from '../../src/cards/render.js';
import { Links } from '../../src/domain/links.js';
import { I18n, LANGUAGES } from '../../src/i18n/i18n.js';
import type { ActivationRequest, RequestStatus } from '../../src/activation/service.js';
import { ActivationVerb } from '../../src/activation/verbs.js';
import {
  activatedCard,
  approvalCard,
  askAdminCard,
  formCard,
  noBenefitsCard,
  notAuthorizedCard,
  requesterNotice,
  savedCard,
  stepsCard,
  updateNotAllowedCard,
} from '../../src/activation/views.js';
import { activationCardFixtures } from './card-fixtures.js';

// The package's `main` (lib/) is untranspiled ESM; its webpack bundle in dist/ is CommonJS and runs in Node as is.
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof ACTypes;
const OUR_URLS = new Set<string>(Object.values(Links));

/** Parse and validation events of the adaptivecards library (v1.5), leftover bindings and foreign links. */
function problems(card: unknown): string[] {
  const out: string[] = [];
  const text = JSON.stringify(card);
  if (text.includes('${')) out.push(`leftover binding: ${text.slice(text.indexOf('${') - 40, text.indexOf('${') + 40)}`);
  if ((card as AdaptiveCard).version !== '1.5') out.push('not version 1.5');
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) out.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of parsed.validateProperties().validationEvents) out.push(`validate: ${e.message}`);
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const o = n as Record<string, unknown>;
    if (o.type === 'Action.OpenUrl' && !OUR_URLS.has(String(o.url))) out.push(`foreign link ${String(o.url)}`);
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}

const templates = fs
  .readdirSync(path.resolve('cards'))
  .filter((f) => /^activation\..+\.json$/.test(f))
  .map((f) => f.slice(0, -5))
  .sort();

function verbsIn(name: string): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const o = n as Record<string, unknown>;
    if (o.type === 'Action.Execute' && typeof o.verb === 'string') out.push(o.verb);
    if (o.type === 'Action.Submit' && o.data && typeof (o.data as Record<string, unknown>).verb === 'string') out.push((o.data as Record<string, string>).verb);
    Object.values(o).forEach(walk);
  };
  walk(JSON.parse(fs.readFileSync(path.resolve('cards', `${name}.json`), 'utf8')));
  return out;
}

function sampleRequest(status: RequestStatus, extra: Partial<ActivationRequest> = {}): ActivationRequest {
  const at = '2026-06-01T09:30:00.000Z';
  const megan = { aadObjectId: 'm', name: 'Megan Bowen' };
  return {
    id: 'AR-0007',
    version: 3,
    tenantId: 't',
    seq: 7,
    status,
    requester: { aadObjectId: 'a', name: 'Adele Vance', teamsUserId: '29:user-22', conversationId: 'a:conv', lang: 'en' },
    adminUserIds: ['29:user-20', '29:user-21'],
    unreachable: [],
    cards: [],
    createdAt: at,
    ...(status === 'approved' || status === 'rejected' ? { decidedBy: megan, decidedAt: at, comment: status === 'rejected' ? 'Renew first [x](https://evil.example)' : undefined } : {}),
    ...(status === 'completed' ? { completedBy: megan, completedAt: at } : {}),
    ...(status === 'expired' ? { expiredAt: at } : {}),
    ...extra,
  };
}

describe('activation card templates', () => {
  it('finds the four activation templates and has examples for each, and none for a missing one', () => {
    expect(templates).toEqual(['activation.approval', 'activation.form', 'activation.guide', 'activation.steps']);
    expect(Object.keys(activationCardFixtures).sort()).toEqual(templates);
  });

  describe.each(templates)('cards/%s.json', (name) => {
    it('expands every example to a valid Adaptive Card 1.5 with no leftover "${" and only our links', () => {
      const found = activationCardFixtures[name].flatMap((data, i) => problems(renderCard(defineCard<object>(name), data)).map((p) => `example ${i + 1}: ${p}`));
      expect(found).toEqual([]);
    });

    it('only uses verbs that the activation capability (or the core command button) serves', () => {
      const served = new Set<string>([...Object.values(ActivationVerb), 'command.run']);
      expect(verbsIn(name).filter((v) => !served.has(v))).toEqual([]);
    });
  });

  it('uses every activation verb in some template', () => {
    const used = new Set(templates.flatMap(verbsIn));
    expect(Object.values(ActivationVerb).filter((v) => !used.has(v))).toEqual([]);
  });
});

describe.each(LANGUAGES)('activation cards as built by the views (%s)', (lang) => {
  const t = i18nFor(loadPolicy('mpn-2021')).forLang(lang);
  const org = 'Contoso Partners';
  const statuses: RequestStatus[] = ['pending', 'approved', 'rejected', 'completed', 'expired'];
  const cards: [string, AdaptiveCard | undefined][] = [
    ['[A1] not authorized (unknown)', notAuthorizedCard(t, org, 'unknown')],
    ['[A1] not authorized (CSP only)', notAuthorizedCard(t, org, 'cspOnly')],
    ['[A2] no benefits', noBenefitsCard(t, org)],
    ['[A4] activated', activatedCard(t, org, { at: '2026-02-15T00:00:00.000Z', byName: 'Alex Wilber', canUpdate: true })],
    ['[A4] activated (unknown time and person)', activatedCard(t, org, { canUpdate: false, before: [t('activation.activated.recordedFirst')] })],
    ['[A3] ask an admin', askAdminCard(t, org, { admins: ['Alex Wilber', 'Megan Bowen'], actorAadObjectId: 'a' })],
    ['[A3] ask an admin, request open', askAdminCard(t, org, { admins: ['Alex Wilber'], open: sampleRequest('pending'), actorAadObjectId: 'a' })],
    ['[A3] ask an admin, nobody to ask', askAdminCard(t, org, { admins: [], actorAadObjectId: 'a' })],
    ['[R1] steps', stepsCard(t, org, {})],
    ['[R1] steps after approval', stepsCard(t, org, { request: sampleRequest('approved'), approvedNow: true })],
    ['[R1] form', formCard(t, org, { mode: 'activate' })],
    ['[R1] form with errors', formCard(t, org, { mode: 'update', requestId: 'AR-0007', values: { accessId: 'bad id é' }, errors: [{ field: 'accessId', key: 'activation.form.error.length', vars: { min: 4, max: 64 } }] })],
    ['[A4] saved', savedCard(t, org, { mode: 'activate', at: '2026-06-01T09:30:00.000Z', completed: [sampleRequest('completed')] })],
    ['[R1] update not allowed', updateNotAllowedCard(t, org, ['Alex Wilber'])],
    ...statuses.flatMap((s): [string, AdaptiveCard | undefined][] => [
      [`approval ${s} (admin view)`, approvalCard(t, sampleRequest(s), { view: 'admin', userIds: ['29:user-20'], org })],
      [`approval ${s} (status, reminder, unreachable)`, approvalCard(t, sampleRequest(s), { view: 'status', userIds: [], org, reminder: true, notes: ['x'], unreachable: [{ aadObjectId: 'x', name: 'Alex Wilber' }] })],
      [`notice ${s}`, requesterNotice(t, sampleRequest(s), { org, expiryDays: 7 })],
    ]),
  ];

  it.each(cards.filter((c): c is [string, AdaptiveCard] => !!c[1]))('%s is a valid Adaptive Card 1.5', (_name, card) => {
    expect(problems(card)).toEqual([]);
  });

  it('[A3] shows the Approve / Reject buttons only on the admin view of a pending request', () => {
    const verbs = (c: AdaptiveCard) => JSON.stringify(c).match(/activation\.(approve|reject)/g) ?? [];
    expect(verbs(approvalCard(t, sampleRequest('pending'), { view: 'admin', userIds: [], org }))).toHaveLength(2);
    expect(verbs(approvalCard(t, sampleRequest('pending'), { view: 'status', userIds: [], org }))).toHaveLength(0);
    expect(verbs(approvalCard(t, sampleRequest('approved'), { view: 'admin', userIds: [], org }))).toHaveLength(0);
  });

  it('keeps a rejection comment as plain text in a TextRun, never evaluated', () => {
    const comment = 'Renew first [x](https://evil.example) ${1+1}';
    const card = JSON.stringify(requesterNotice(t, sampleRequest('rejected', { comment }), { org, expiryDays: 7 }));
    expect(card).toContain('"type":"TextRun","text":"Renew first [x](https://evil.example) ${1+1}"');
  });
});
