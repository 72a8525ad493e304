/** Adaptive Card checks shared by the template tests: schema validation for version 1.5, leftover "${", our own links. */
import type * as ACTypes from 'adaptivecards';
import { Links } from '../../src/domain/links.js';

// The package's `main` (lib/) is untranspiled ESM; its webpack bundle in dist/ is CommonJS and runs in Node as is.
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof ACTypes;

const OUR_URLS = new Set<string>(Object.values(Links));

/** Every problem found in an expanded card: parse and validation events of the adaptivecards library (v1.5), unexpanded bindings, foreign links. */
export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const text = JSON.stringify(card);
  const leftover = text.indexOf('${');
  if (leftover >= 0) problems.push(`leftover template binding near: ${text.slice(Math.max(0, leftover - 40), leftover + 40)}`);
  const root = card as { type?: unknown; version?: unknown };
  if (root?.type !== 'AdaptiveCard') problems.push(`type is ${String(root?.type)}, expected AdaptiveCard`);
  if (root?.version !== '1.5') problems.push(`version is ${String(root?.version)}, expected 1.5`);

  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push(`parse: ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of parsed.validateProperties().validationEvents) problems.push(`validate: ${AC.ValidationEvent[e.event]}: ${e.message}`);

  for (const url of openUrls(card)) if (!OUR_URLS.has(url)) problems.push(`Action.OpenUrl to ${url}, which is not in src/domain/links.ts`);
  return problems;
}

function openUrls(node: unknown, out: string[] = []): string[] {
  if (!node || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    node.forEach((n) => openUrls(n, out));
    return out;
  }
  const o = node as Record<string, unknown>;
  if (o.type === 'Action.OpenUrl') out.push(String(o.url));
  Object.values(o).forEach((v) => openUrls(v, out));
  return out;
}
