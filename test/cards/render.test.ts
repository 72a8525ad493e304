import * as ACData from 'adaptivecards-templating';
import { defineCard, loadTemplate, renderCard } from '../../src/cards/render.js';
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

  it('hands out independent copies', () => {
    const t = defineCard<object>('help');
    const a = renderCard(t, cardFixtures.help[0]) as Record<string, unknown>;
    a.body = [];
    expect((renderCard(t, cardFixtures.help[0]) as Record<string, unknown[]>).body.length).toBeGreaterThan(0);
  });

  it('binds user text containing template syntax as plain text (one expansion only)', () => {
    const card = renderCard(defineCard<object>('message'), { title: '${1+1}', text: '${$root.title}', quote: '${quote}', color: 'Default', commands: [] });
    const s = JSON.stringify(card);
    expect(s).toContain('"text":"${1+1}"');
    expect(s).toContain('"text":"${$root.title}"');
    expect(s).not.toContain('"text":"2"');
  });
});
