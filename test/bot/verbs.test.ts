import fs from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** Every verb written in a card template: Action.Execute verbs and Action.Submit data.verb. */
function verbsInCards(): { file: string; verb: string }[] {
  const out: { file: string; verb: string }[] = [];
  const dir = path.resolve('cards');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const walk = (n: unknown): void => {
      if (!n || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(walk);
      const o = n as Record<string, unknown>;
      if (o.type === 'Action.Execute' && typeof o.verb === 'string') out.push({ file, verb: o.verb });
      if (o.type === 'Action.Submit' && o.data && typeof (o.data as Record<string, unknown>).verb === 'string') out.push({ file, verb: (o.data as Record<string, string>).verb });
      Object.values(o).forEach(walk);
    };
    walk(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
  }
  return out;
}

describe('card verbs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('finds verbs in the templates', () => {
    expect(verbsInCards().length).toBeGreaterThan(0);
  });

  it('has a handler for every verb written in cards/*.json', () => {
    const served = new Set(t.app.deps.router.verbNames());
    const missing = verbsInCards().filter((v) => !served.has(v.verb));
    expect(missing).toEqual([]);
  });

  it('writes verbs literally (a templated verb could not be checked)', () => {
    expect(verbsInCards().filter((v) => v.verb.includes('${'))).toEqual([]);
  });

  it('has a registered intent behind every help entry', () => {
    const intents = new Set(t.app.deps.router.intentNames());
    expect(t.app.deps.help.all().filter((e) => !intents.has(e.intent))).toEqual([]);
  });
});
