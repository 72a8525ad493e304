import fs from 'node:fs';
import path from 'node:path';
import { defineCard, loadTemplate, renderCard } from '../../src/cards/render.js';
import { cardFixtures } from './fixtures.js';
import { cardProblems } from './validate.js';

const CARDS_DIR = path.resolve('cards');
const templates = fs
  .readdirSync(CARDS_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

/** The fixtures of a template, or a failure that says where to add them. */
function fixturesOf(name: string): readonly object[] {
  const list = cardFixtures[name];
  if (!list || list.length === 0) {
    throw new Error(`No fixture for cards/${name}.json. Add example data under '${name}' in test/cards/fixtures.ts (one entry per variant of the card).`);
  }
  return list;
}

describe('card templates', () => {
  it('finds the templates', () => {
    expect(templates).toEqual(expect.arrayContaining(['help', 'message']));
  });

  it('has no fixture for a template that does not exist', () => {
    expect(Object.keys(cardFixtures).filter((name) => !templates.includes(name))).toEqual([]);
  });

  describe.each(templates)('cards/%s.json', (name) => {
    it('is an Adaptive Card 1.5 template', () => {
      const template = loadTemplate(name) as { type?: string; version?: string };
      expect({ type: template.type, version: template.version }).toEqual({ type: 'AdaptiveCard', version: '1.5' });
    });

    it('has example data in test/cards/fixtures.ts', () => {
      expect(fixturesOf(name).length).toBeGreaterThan(0);
    });

    it('expands every example to a valid card with no leftover "${" and only our own links', () => {
      // A template without fixtures fails the test above; here it has nothing to expand.
      const problems = (cardFixtures[name] ?? []).flatMap((data, i) => cardProblems(renderCard(defineCard<object>(name), data)).map((p) => `example ${i + 1}: ${p}`));
      expect(problems).toEqual([]);
    });
  });
});

describe('card validation itself', () => {
  it('reports unknown elements, missing required properties, wrong versions, leftover bindings and foreign links', () => {
    const problems = cardProblems({
      type: 'AdaptiveCard',
      version: '1.2',
      body: [{ type: 'Banner' }, { type: 'TextBlock', text: '${name}' }, { type: 'Input.Text' }],
      actions: [{ type: 'Action.OpenUrl', title: 'x', url: 'https://evil.example' }, { type: 'Action.OpenUrl', title: 'y' }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/leftover template binding/),
        expect.stringMatching(/version is 1.2/),
        expect.stringMatching(/UnknownElementType/),
        expect.stringMatching(/unique Id/),
        expect.stringMatching(/"url" must be set/),
        expect.stringMatching(/evil\.example.*not in src\/domain\/links\.ts/),
      ]),
    );
  });

  it('accepts a minimal valid card', () => {
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Hello' }] })).toEqual([]);
  });
});
