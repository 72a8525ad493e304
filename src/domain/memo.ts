/**
 * Remembers the results of a pure text function per catalogue: a turn asks the same question twice (the router's
 * score, then the handler) and people paste the same portal errors and ask about the same products. Results are
 * frozen (shared between callers) and the memory is bounded (least recently used goes first).
 */
import { deepFreeze } from '../freeze.js';

export function memoByText<C extends object, R>(fn: (text: string, catalogue: C) => R, max = 500): (text: string, catalogue: C) => R {
  const byCatalogue = new WeakMap<C, Map<string, R>>();
  return (text, catalogue) => {
    let memo = byCatalogue.get(catalogue);
    if (!memo) byCatalogue.set(catalogue, (memo = new Map()));
    const hit = memo.get(text);
    if (hit !== undefined) {
      memo.delete(text); // most recently used goes last
      memo.set(text, hit);
      return hit;
    }
    const result = deepFreeze(fn(text, catalogue));
    if (memo.size >= max) memo.delete(memo.keys().next().value as string);
    memo.set(text, result);
    return result;
  };
}
