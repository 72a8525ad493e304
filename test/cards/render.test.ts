import * as ACData from 'adaptivecards-templating';
import { defineCard, loadTemplate, renderCard, stringifyWithCards } from '../../src/cards/render.js';
import { cardFixtures } from './fixtures.js';

describe('card renderer', () => {
  it.each(Object.keys(cardFixtures))('renders %s exactly as a fresh adaptivecards-templating expansion, every time', (name) => {
    const t = defineCard<object>(name);
    for (const data of cardFixtures[name]) {
      const reference = new ACData.Template(loadTemplate(name)).expand({ $root: data });
      expect(renderCard(t, data)).toEqual(reference);
      expect(renderCard(t, data)).toEqual(reference); // from the memo
    }
  });

  it('returns a deep-frozen card: a write throws and the memo is unharmed', () => {
    const t = defineCard<object>('help');
    const a = renderCard(t, cardFixtures.help[0]) as Record<string, any>;
    const frozen: unknown[] = [];
    const walk = (v: unknown): void => {
      if (v === null || typeof v !== 'object') return;
      frozen.push(Object.isFrozen(v));
      Object.values(v).forEach(walk);
    };
    walk(a);
    expect(frozen.length).toBeGreaterThan(10);
    expect(frozen.every(Boolean)).toBe(true);
    expect(() => {
      a.body = [];
    }).toThrow(TypeError);
    expect(() => a.body.push({})).toThrow(TypeError);
    expect(() => {
      a.body[0].text = 'changed';
    }).toThrow(TypeError);
    const reference = new ACData.Template(loadTemplate('help')).expand({ $root: cardFixtures.help[0] });
    expect(renderCard(t, cardFixtures.help[0])).toEqual(reference);
  });

  it('returns equal cards for equal data (the same shared card), other cards for other data', () => {
    const t = defineCard<object>('message');
    const data = () => ({ title: 'T', text: 'x', quote: 'q', color: 'Default', commands: [{ title: 'Help', command: 'help', args: '' }] });
    const a = renderCard(t, data());
    const b = renderCard(t, data());
    expect(b).toEqual(a);
    expect(b).toBe(a);
    const c = renderCard(t, { ...data(), quote: 'other' });
    expect(c).not.toEqual(a);
    expect(JSON.stringify(c)).toContain('"other"');
  });

  it('neither freezes nor shares the caller\'s data', () => {
    const t = defineCard<object>('help');
    const data = structuredClone(cardFixtures.help[0]) as { items: { title: string }[] };
    const card = renderCard(t, data);
    expect(Object.isFrozen(data) || Object.isFrozen(data.items) || Object.isFrozen(data.items[0])).toBe(false);
    const before = JSON.stringify(card);
    data.items[0].title = 'changed after rendering';
    expect(JSON.stringify(card)).toBe(before);
  });

  it('binds user text containing template syntax as plain text (one expansion only)', () => {
    const card = renderCard(defineCard<object>('message'), { title: '${1+1}', text: '${$root.title}', quote: '${quote}', color: 'Default', commands: [] });
    const s = JSON.stringify(card);
    expect(s).toContain('"text":"${1+1}"');
    expect(s).toContain('"text":"${$root.title}"');
    expect(s).not.toContain('"text":"2"');
  });
});

describe('reply bodies with rendered cards (stringifyWithCards)', () => {
  it('gives exactly the JSON.stringify text, cards taken from their expansion, for every fixture', () => {
    for (const [name, examples] of Object.entries(cardFixtures)) {
      for (const data of examples) {
      const card = renderCard(defineCard<object>(name), data);
      const bodies = [
        { activities: [{ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] }, { type: 'message', text: 'x' }] },
        { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card },
        [card, card, { nested: { card } }],
      ];
      for (const b of bodies) expect(stringifyWithCards(b)).toBe(JSON.stringify(b));
      }
    }
  });

  it('leaves text that imitates a card slot as the text it is', () => {
    const [name, examples] = Object.entries(cardFixtures)[0];
    const card = renderCard(defineCard<object>(name), examples[0]);
    const tricky = { text: '\u0001card:00000000-0000-0000-0000-000000000000:0', other: '"\\u0001card:', card, unicode: 'Grüße 🎉 \u2028' };
    expect(stringifyWithCards(tricky)).toBe(JSON.stringify(tricky));
    expect(stringifyWithCards({ plain: [1, 'two', null, { three: 3 }] })).toBe(JSON.stringify({ plain: [1, 'two', null, { three: 3 }] }));
  });
});
