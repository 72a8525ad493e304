/**
 * Known-error catalogue (issue 6): messages partners paste, with the explanation and steps as i18n keys.
 * Data lives in data/known-errors/known-errors.json and is validated when it loads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Links, type LinkName } from './links.js';

export { RULE_IDS, type RuleId } from './rules.js';
import { RULE_IDS, type RuleId } from './rules.js';

/** Where the message is shown. */
export const PORTALS = ['partnerCenter', 'azurePortal', 'azureSupportApi', 'supportForBusiness'] as const;
export type Portal = (typeof PORTALS)[number];

/** An i18n key of the diagnosis namespace, e.g. `diagnosis.notAuthorized.explanation`. */
export type I18nKey = string;

/** One thing to do: a sentence (i18n key) and, optionally, the link that goes with it. */
export interface Step {
  key: I18nKey;
  link?: LinkName;
}

/** Which "Access ID is already associated" message an entry stands for (see diagnosis.ts). */
export type AlreadyAssociatedMessage = 'tam' | 'generic';

export interface KnownError {
  id: string;
  rules: RuleId[];
  portal: Portal;
  /** Message texts, partial texts and the descriptions people type, per language. */
  variants: { en: string[]; ko: string[] };
  explanation: I18nKey;
  steps: Step[];
  /** Further reading. */
  links: LinkName[];
  /** Present when the entry is resolved further with `resolveAlreadyAssociated`. */
  resolution?: { kind: 'alreadyAssociated'; message: AlreadyAssociatedMessage };
}

export interface KnownErrorCatalogue {
  version: 1;
  entries: KnownError[];
}

/** Path of the catalogue inside the data directory. */
export const KNOWN_ERRORS_FILE = path.join('known-errors', 'known-errors.json');

const LINK_NAMES = Object.keys(Links) as [LinkName, ...LinkName[]];

const i18nKeySchema = z
  .string()
  .regex(/^diagnosis(\.[A-Za-z][A-Za-z0-9]*)+$/, 'Expected an i18n key such as "diagnosis.<id>.explanation", not a sentence');
const linkSchema = z.enum(LINK_NAMES, { errorMap: () => ({ message: 'Expected a link name of src/domain/links.ts' }) });
const ruleSchema = z.enum(RULE_IDS, { errorMap: () => ({ message: 'Expected a rule id of shared/domain.md (e.g. "D2")' }) });
const variantSchema = z
  .string()
  .refine((s) => /[\p{L}\p{N}]/u.test(s), 'Expected a text with at least one letter or digit');

const entrySchema = z
  .object({
    id: z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'Expected a camelCase id'),
    rules: z.array(ruleSchema).min(1),
    portal: z.enum(PORTALS),
    variants: z.object({ en: z.array(variantSchema).min(1), ko: z.array(variantSchema).min(1) }).strict(),
    explanation: i18nKeySchema,
    steps: z.array(z.object({ key: i18nKeySchema, link: linkSchema.optional() }).strict()).min(1),
    links: z.array(linkSchema),
    resolution: z
      .object({ kind: z.literal('alreadyAssociated'), message: z.enum(['tam', 'generic']) })
      .strict()
      .optional(),
  })
  .strict();

const catalogueSchema = z
  .object({ version: z.literal(1), entries: z.array(entrySchema).min(1) })
  .strict()
  .superRefine((catalogue, ctx) => {
    const seen = new Set<string>();
    catalogue.entries.forEach((entry, i) => {
      if (seen.has(entry.id)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['entries', i, 'id'], message: `Duplicate id "${entry.id}"` });
      }
      seen.add(entry.id);
    });
  });

/** A catalogue that failed validation; `issues` holds one `path: problem` line per bad field. */
export class KnownErrorsInvalidError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`Known-error catalogue ${source} is invalid: ${issues.join('; ')}`);
    this.name = 'KnownErrorsInvalidError';
  }
}

function fieldPath(pathParts: (string | number)[]): string {
  return pathParts.length > 0 ? pathParts.join('.') : '(root)';
}

/** Validates a parsed catalogue document; throws KnownErrorsInvalidError naming each bad field path. */
export function parseKnownErrors(json: unknown, source = KNOWN_ERRORS_FILE): KnownErrorCatalogue {
  const result = catalogueSchema.safeParse(json);
  if (!result.success) {
    throw new KnownErrorsInvalidError(
      source,
      result.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`),
    );
  }
  return result.data;
}

/** Reads and validates `<dataDir>/known-errors/known-errors.json`. */
export function loadKnownErrors(dataDir: string = path.resolve(process.cwd(), 'data')): KnownErrorCatalogue {
  const file = path.join(dataDir, KNOWN_ERRORS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Known-error catalogue: cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`Known-error catalogue: ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseKnownErrors(json, file);
}

/** The entry with this id, e.g. to reload the entry named by a card action. */
export function knownErrorById(catalogue: KnownErrorCatalogue, id: string): KnownError | undefined {
  return catalogue.entries.find((entry) => entry.id === id);
}
