import { z } from 'zod';
import { normalise, Router } from '../../src/bot/router.js';

const noop = async () => undefined;

describe('router', () => {
  const build = () =>
    new Router()
      .intent({ name: 'help', patterns: [/^help$/, /^도움말$/], handler: noop })
      .intent({ name: 'ids', patterns: [/^(our )?ids$/, /^access id$/], handler: noop })
      .intent({ name: 'queue', patterns: [/^queue$/], scopes: ['channel'], handler: noop })
      .intent({ name: 'a', patterns: [/^both$/], handler: noop })
      .intent({ name: 'b', patterns: [/^both$/], handler: noop })
      .intent({ name: 'low', patterns: [/^pick (.+)$/], priority: 0, handler: noop })
      .intent({ name: 'high', patterns: [/^pick me$/], priority: 5, handler: noop })
      .recognizer({ name: 'product', intent: 'eligibility', score: (t) => (/sql/i.test(t) ? 0.8 : 0), handler: noop })
      .recognizer({ name: 'weak', intent: 'diagnose', score: () => 0.3, handler: noop });

  it.each([
    ['Help!', 'help'],
    ['  HELP  ', 'help'],
    ['도움말', 'help'],
    ['Our IDs?', 'ids'],
    ['pick me', 'high'],
    ['pick something', 'low'],
  ])('routes %j to %s', (text, name) => {
    const r = build().route(text, 'personal');
    expect(r.kind === 'intent' && r.intent.name).toBe(name);
  });

  it('honours scopes', () => {
    expect(build().route('queue', 'personal').kind).toBe('unknown');
    expect(build().route('queue', 'channel').kind).toBe('intent');
  });

  it('reports two intents of equal priority as ambiguous instead of picking by registration order', () => {
    const r = build().route('both', 'personal');
    expect(r.kind).toBe('ambiguous');
    expect(r.kind === 'ambiguous' && r.intents.map((i) => i.name).sort()).toEqual(['a', 'b']);
  });

  it('hands free text to the most confident recognizer above the threshold', () => {
    const r = build().route('sql 2019?', 'personal');
    expect(r.kind === 'recognizer' && r.recognizer.name).toBe('product');
    expect(build().route('blah', 'personal').kind).toBe('unknown');
  });

  it('fails loudly on duplicate registrations', () => {
    expect(() => build().intent({ name: 'help', patterns: [], handler: noop })).toThrow(/twice/);
    const r = new Router().verb({ verb: 'x.y', data: z.object({}), handler: noop });
    expect(() => r.verb({ verb: 'x.y', data: z.object({}), handler: noop })).toThrow(/twice/);
  });

  it('normalises case, spacing, width and surrounding punctuation', () => {
    expect(normalise('  "Is   SQL Server 2019 covered?!" ')).toBe('is sql server 2019 covered');
    expect(normalise('ＨＥＬＰ')).toBe('help');
  });
});
