/**
 * Entities in a message: request numbers, severity words, "for a customer", "on premises" (data/nlu/entities),
 * a product of the catalogue and a known portal error (the domain's recognisers). Pure: no botbuilder.
 */
import fs from 'node:fs';
import { z } from 'zod';
import type { Catalog } from '../domain/catalog.js';
import type { KnownErrorCatalogue as KnownErrors } from '../domain/known-errors.js';
import { recognizeError } from '../domain/recognize-error.js';
import { recognizeProduct, type Recognition } from '../domain/recognize.js';
import type { Severity } from '../requests/model.js';
import { fromRoot } from '../paths.js';

const EntityFile = z.object({
  requestNumber: z.array(z.string().min(1)).min(1),
  severity: z.record(z.enum(['A', 'B', 'C']), z.array(z.string().min(1))),
  customer: z.array(z.string().min(1)),
  onPremises: z.array(z.string().min(1)),
  yes: z.array(z.string().min(1)),
  no: z.array(z.string().min(1)),
});

export interface EntityPatterns {
  readonly requestNumber: readonly RegExp[];
  readonly severity: readonly (readonly [Severity, RegExp])[];
  readonly customer: RegExp;
  readonly onPremises: RegExp;
  /** Whole-message answers to a question the bot asked. */
  readonly yes: ReadonlySet<string>;
  readonly no: ReadonlySet<string>;
}

/** Loads and compiles data/nlu/entities/entities.json (a pattern that does not compile throws at start-up). */
export function loadEntityPatterns(file = fromRoot('data', 'nlu', 'entities', 'entities.json')): EntityPatterns {
  const data = EntityFile.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const any = (list: string[]) => new RegExp(list.map((p) => `(?:${p})`).join('|'), 'iu');
  return {
    requestNumber: data.requestNumber.map((p) => new RegExp(p, 'iu')),
    severity: (Object.entries(data.severity) as [Severity, string[]][]).map(([s, words]) => [s, any(words)] as const),
    customer: any(data.customer),
    onPremises: any(data.onPremises),
    yes: new Set(data.yes),
    no: new Set(data.no),
  };
}

export interface Entities {
  /** A request number ("PSA-12", "psa 12", "ticket #7", "12번 요청"). */
  readonly requestNumber?: number;
  readonly severity?: Severity;
  readonly customer: boolean;
  readonly onPremises: boolean;
  /** The catalogue's reading of the message (a match, an ambiguity or nothing). */
  readonly product: Recognition;
  /** The id of the known portal error the message quotes, when it quotes one clearly. */
  readonly errorId?: string;
}

export interface EntityDeps {
  readonly patterns: EntityPatterns;
  readonly catalog: Catalog;
  readonly knownErrors: KnownErrors;
}

const ERROR_SCORE = 0.6;

/** Everything the message names. */
export function findEntities(text: string, deps: EntityDeps): Entities {
  let requestNumber: number | undefined;
  for (const p of deps.patterns.requestNumber) {
    const n = p.exec(text)?.groups?.n;
    if (n) {
      requestNumber = Number(n);
      break;
    }
  }
  const severity = deps.patterns.severity.find(([, p]) => p.test(text))?.[0];
  const error = recognizeError(text, deps.knownErrors);
  return {
    requestNumber,
    severity,
    customer: deps.patterns.customer.test(text),
    onPremises: deps.patterns.onPremises.test(text),
    product: recognizeProduct(text, deps.catalog),
    errorId: error.kind === 'match' && error.score >= ERROR_SCORE ? error.entry.id : undefined,
  };
}

/** Entity names as classifier features: what kind of thing the message names, not which one. */
export function entityMarkers(e: Entities): string[] {
  const out: string[] = [];
  if (e.requestNumber !== undefined) out.push('requestNumber');
  if (e.severity) out.push('severity');
  if (e.customer) out.push('customer');
  if (e.onPremises) out.push('onPremises');
  if (e.product.kind === 'match' || e.product.kind === 'ambiguous' || e.product.reason === 'unknownVersion') out.push('product');
  if (e.errorId) out.push('error');
  return out;
}
