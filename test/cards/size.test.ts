/**
 * Teams refuses a message above about 28 KB: a card that outgrows it freezes (an update fails, every later click
 * errors). Every template in cards/ is rendered here with maximum-size inputs and must stay under 25 KB, measured
 * as the UTF-8 bytes of JSON.stringify of the whole outgoing attachment.
 *
 * Part 1 takes each template's fixtures (test/cards/fixtures.ts) and pushes every field to its maximum: user text
 * to the longest the code lets through to that field, in 4-byte characters (emoji); our own text to the same
 * number of 3-byte characters (Korean); lists to the most entries the code produces. Part 2 builds the request
 * cards through their real view functions from records at every limit, in English and Korean.
 */
import { i18nFor } from '../../src/i18n/profile-terms.js';
import { loadPolicy } from '../../src/domain/policy.js';
import fs from 'node:fs';
import path from 'node:path';
import { defineCard, renderCard } from '../../src/cards/render.js';
import { I18n } from '../../src/i18n/i18n.js';
import { HistoryCard, QueueCard, RequestFormCard, RequestStatusCard, TriageCard } from '../../src/requests/cards.js';
import type { RequestNote, RequestRecord } from '../../src/requests/model.js';
import { LIMITS, QUEUE_PAGE_SIZE } from '../../src/requests/service.js';
import { formCardData, historyCardData, historyPages, queueCardData, statusCardData, TRIAGE_LIMITS, triageCardData } from '../../src/requests/views.js';
import { COMMENT_MAX } from '../../src/activation/service.js';
import { MAX_PASTE_CHARS } from '../../src/diagnosis/service.js';
import { cardFixtures } from './fixtures.js';

const LIMIT = 25 * 1024;
const templates = fs
  .readdirSync(path.resolve('cards'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

/** The bytes Teams receives for a card: the attachment as it goes out in the activity. */
function attachmentBytes(card: object): number {
  return Buffer.byteLength(JSON.stringify({ contentType: 'application/vnd.microsoft.card.adaptive', content: card }));
}

/** The worst case per character: 4 bytes in UTF-8, and `"` and `\` double in JSON. */
const userText = (n: number) => '😀'.repeat(n);
const ownText = (n: number) => '가'.repeat(Math.max(n, 1));

/** Structural strings (ids, verbs, urls, styles): kept as they are. */
const STRUCTURAL = new Set(['url', 'verb', 'command', 'color', 'style', 'requestId', 'formId', 'entryId', 'familyId', 'versionId', 'id', 'mode', 'state', 'prevState', 'nextState', 'headerStyle', 'statusColor', 'noticeColor', 'verdictColor', 'headlineColor', 'assigneeValue', 'statusValue', 'userIds', 'customerValue', 'message', 'n']);

/** The longest user text (code points) each template's data can carry per field path, from the code's own limits. */
const USER_TEXT: Record<string, Record<string, number>> = {
  message: { quote: COMMENT_MAX, 'commands.args': 500 },
  'eligibility.decision': { productLabel: 200 },
  'eligibility.ask': { productValue: 300 },
  'eligibility.pick': { quote: 300 },
  'eligibility.unknown': { quote: 300, productValue: 300 },
  'diagnosis.ask': { value: MAX_PASTE_CHARS },
  'diagnosis.result': { quote: 600, 'commands.args': 500 },
  'diagnosis.choose': { quote: 600, 'commands.args': 500 },
  'diagnosis.questions': { quote: 600, 'submitData.text': MAX_PASTE_CHARS, 'commands.args': 500 },
  'activation.guide': { quote: COMMENT_MAX, 'people.people': 200 },
  'activation.approval': { quote: COMMENT_MAX },
  'activation.form': { accessId: 200, contractId: 200, startDate: 200, endDate: 200 },
  'ids.card': { accessId: 64, contractId: 64 },
  'ids.contract': { startDate: 200, endDate: 200, onPremises: 200, cloud: 200 },
  'requests.form': { 'values.product': 200, 'values.customerName': LIMITS.customerName.max, 'values.customerTenantId': 100, 'values.title': LIMITS.title.max, 'values.description': LIMITS.description.max },
  'requests.status': { titleText: LIMITS.title.max, customer: LIMITS.customerName.max + 40, 'note.text': LIMITS.note.max, 'facts.value': 150 },
  'requests.triage': { titleText: LIMITS.title.max, customer: LIMITS.customerName.max + 40, description: TRIAGE_LIMITS.description, 'notes.text': TRIAGE_LIMITS.note, 'notes.header': 150, 'facts.value': 150, 'assignChoices.title': 64 },
  'requests.queue': { 'items.titleText': LIMITS.title.max, 'items.line1': 120, 'items.line2': 200 },
  'requests.history': { titleText: LIMITS.title.max, description: LIMITS.description.max },
};

/** The most entries a list can have, where the code bounds it (others keep the fixture's count). */
const LIST_MAX: Record<string, Record<string, number>> = {
  'requests.triage': { notes: TRIAGE_LIMITS.notes, assignChoices: TRIAGE_LIMITS.assignChoices },
  'requests.queue': { items: QUEUE_PAGE_SIZE },
  'requests.form': { productChoices: 5 },
  'diagnosis.choose': { candidates: 5 },
  'eligibility.pick': { candidates: 5 },
};

/** A copy of `data` with every field at its maximum (see the file comment). */
function atMaximum(template: string, data: unknown, at = ''): unknown {
  if (Array.isArray(data)) {
    const max = LIST_MAX[template]?.[at];
    const list = max && data.length > 0 ? Array.from({ length: max }, (_, i) => data[i % data.length]) : data;
    return list.map((x) => atMaximum(template, x, at));
  }
  if (data && typeof data === 'object') {
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, atMaximum(template, v, at ? `${at}.${k}` : k)]));
  }
  if (typeof data !== 'string') return data;
  const key = at.split('.').pop() ?? '';
  const user = USER_TEXT[template]?.[at];
  if (user !== undefined) return userText(user);
  if (STRUCTURAL.has(key) || data === '') return data;
  return ownText([...data].length);
}

describe('no card outgrows a Teams message (25 KB) at maximum input sizes', () => {
  it('covers every template', () => {
    expect(templates.filter((name) => !cardFixtures[name])).toEqual([]);
  });

  it.each(templates)('cards/%s.json with every fixture pushed to its maximum', (name) => {
    const sizes = (cardFixtures[name] ?? []).map((data) => attachmentBytes(renderCard(defineCard<object>(name), atMaximum(name, data) as object)));
    expect(sizes.length).toBeGreaterThan(0);
    expect(sizes.filter((s) => s > LIMIT)).toEqual([]);
  });
});

const i18n = i18nFor(loadPolicy('mpn-2021'));
const NOW = new Date('2026-06-01T09:00:00Z');
const longName = userText(200);

function note(i: number, chars: number = LIMITS.note.max): RequestNote {
  return { id: `n-${i}`, at: '2026-05-20T10:00:00Z', by: { aadObjectId: `7a1c2f10-0000-4000-8000-${String(i).padStart(12, '0')}`, name: longName }, text: `${i} ${userText(chars - String(i).length - 1)}`, visibleToRequester: i % 2 === 0 };
}

/** A request at every limit: longest title, description, customer and names, `notes` notes of 2,000 characters. */
function maxRecord(notes: number): RequestRecord {
  return {
    id: 'r-max',
    version: 99,
    tenantId: '7a1c2f10-0000-4000-8000-000000000001',
    number: 9999,
    key: 'PSA-9999',
    requester: { aadObjectId: '7a1c2f10-0000-4000-8000-000000000022', name: longName },
    lang: 'ko',
    createdAt: '2026-05-01T10:00:00Z',
    touchedAt: '2026-05-01T10:00:00Z',
    updatedAt: '2026-05-01T10:00:00Z',
    product: { familyId: 'sql-server', versionId: '2022', label: userText(100) },
    forCustomer: true,
    customer: { name: userText(LIMITS.customerName.max), tenantId: '0f0f0f0f-0000-4000-8000-000000000001' },
    severity: 'A',
    title: userText(LIMITS.title.max),
    description: userText(LIMITS.description.max),
    decision: {
      benefit: 'onPremises',
      benefitName: userText(100),
      covered: true,
      reasons: [],
      reasonKeys: ['noMembership', 'notActivated'],
      incidentsConsumed: 1,
      portal: 'supportForBusiness',
      steps: [],
      idsNeededFirst: true,
      cspPlanAvailable: false,
      paidAlternatives: [],
      mentionTpd: true,
    },
    status: 'triaged',
    assignee: { aadObjectId: '7a1c2f10-0000-4000-8000-000000000023', name: longName },
    microsoftCaseNumber: '1'.repeat(40),
    notes: Array.from({ length: notes }, (_, i) => note(i)),
  } as unknown as RequestRecord;
}

const members = Array.from({ length: 300 }, (_, i) => ({ aadObjectId: `7a1c2f10-0000-4000-8000-${String(i).padStart(12, '0')}`, name: longName }));

describe.each(['en', 'ko'] as const)('request cards built from records at every limit (%s)', (lang) => {
  const t = i18n.forLang(lang);

  it.each([0, 1, 3, 4, 12, 50])('the triage card with %s notes of 2,000 characters and 300 help desk members', (n) => {
    const data = triageCardData(t, maxRecord(n), { now: NOW, members, remaining: { onPremises: 17 }, notice: { key: 'requests.refused.claimedBy', vars: { key: 'PSA-9999', name: longName } }, noticeColor: 'Attention' });
    expect(data.notes.length).toBe(Math.min(n, TRIAGE_LIMITS.notes));
    expect(attachmentBytes(renderCard(TriageCard, data))).toBeLessThan(LIMIT);
  });

  it('every page of the full history of 50 notes of 2,000 characters', () => {
    const r = maxRecord(50);
    const pages = historyPages(r);
    expect(pages.reduce((sum, p) => sum + p.to - p.from, 0)).toBe(50);
    for (let p = 1; p <= pages.length; p++) expect(attachmentBytes(renderCard(HistoryCard, historyCardData(t, r, p)))).toBeLessThan(LIMIT);
  });

  it('a history page of many short notes', () => {
    const r = { ...maxRecord(0), notes: Array.from({ length: 200 }, (_, i) => note(i, 5)) };
    for (let p = 1; p <= historyPages(r).length; p++) expect(attachmentBytes(renderCard(HistoryCard, historyCardData(t, r, p)))).toBeLessThan(LIMIT);
  });

  it('the requester status card with the longest note meant for them', () => {
    const r = maxRecord(3);
    const data = statusCardData(t, r, { headline: 'note', noteId: 'n-2', posted: true, notice: { key: 'requests.notice.withdrawn', vars: { key: r.key } } });
    expect(attachmentBytes(renderCard(RequestStatusCard, data))).toBeLessThan(LIMIT);
  });

  it('the request form echoed with every field too long and every error', () => {
    const tooLong = (n: number) => userText(n * 5);
    const data = formCardData(t, {
      formId: 'f'.repeat(100),
      values: { product: tooLong(200), for: 'customer', customerName: tooLong(100), customerTenantId: tooLong(100), severity: tooLong(10), title: tooLong(120), description: userText(20_000) },
      errors: Object.fromEntries(['product', 'for', 'customerName', 'customerTenantId', 'severity', 'title', 'description'].map((f) => [f, { key: 'requests.form.error.descriptionLength', vars: LIMITS.description }])),
      productChoices: Array.from({ length: 5 }, () => ({ label: userText(100), product: { familyId: 'sql-server', versionId: '2022' } })),
    });
    expect(attachmentBytes(renderCard(RequestFormCard, data))).toBeLessThan(LIMIT);
  });

  it('a full queue page of requests at every limit', () => {
    const items = Array.from({ length: QUEUE_PAGE_SIZE }, () => maxRecord(0));
    const data = queueCardData(t, { items, total: 500, page: 2, pages: 50 }, { page: 2, unassigned: true, mine: true, olderThanDays: 365, severity: 'A' }, { now: NOW, notice: { key: 'requests.notice.claimed', vars: { key: 'PSA-9999' } } });
    expect(attachmentBytes(renderCard(QueueCard, data))).toBeLessThan(LIMIT);
  });
});
