import { memoByText } from '../../src/domain/memo.js';

describe('memoByText (the recognisers ask the same text twice per turn)', () => {
  it('computes once per text and catalogue, hands out a frozen result, and forgets the least recently used', () => {
    const calls: string[] = [];
    const catalogue = { name: 'a' };
    const other = { name: 'b' };
    const f = memoByText((text: string, c: { name: string }) => {
      calls.push(`${c.name}:${text}`);
      return { text, words: text.split(' ') };
    }, 2);
    const first = f('sql server 2019', catalogue);
    expect(f('sql server 2019', catalogue)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.words)).toBe(true);
    expect(() => (first.words as string[]).push('x')).toThrow(TypeError);
    f('sql server 2019', other); // another catalogue is another question
    f('azure', catalogue);
    f('sql server 2019', catalogue); // used again: now the most recent
    f('teams', catalogue); // the limit (2) drops "azure", the least recently used
    f('azure', catalogue);
    expect(calls).toEqual(['a:sql server 2019', 'b:sql server 2019', 'a:azure', 'a:teams', 'a:azure']);
  });
});
