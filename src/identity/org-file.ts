/** The organisation file (shared/spec/org-file.md): parsed and validated with field-path errors. */
import fs from 'node:fs';
import { z } from 'zod';
import { ROLES, type BenefitsState, type Organisation, type Person } from '../domain/org.js';

/** The profile of an org file that names none: the current programme (a partner today is in it). */
export const DEFAULT_PROGRAM = 'ai-cloud-partner';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be an ISO date (yyyy-mm-dd)').refine((s) => !Number.isNaN(Date.parse(s)), 'is not a real date');
const id = z.string().trim().min(1, 'must not be empty').max(200);

const PersonSchema = z
  .object({
    aadObjectId: id,
    name: z.string().trim().min(1, 'must not be empty').max(200),
    email: z.string().max(320).optional(),
    mpnAssociated: z.boolean(),
    cspAssociated: z.boolean().optional().default(false),
    roles: z.array(z.enum(ROLES)).default([]),
  })
  .strict();

const BenefitsSchema = z
  .object({
    activated: z.boolean(),
    accessId: z.string().trim().min(1).max(200).optional(),
    contractId: z.string().trim().min(1).max(200).optional(),
    startDate: isoDate.optional(),
    endDate: isoDate.optional(),
    onPremisesIncidentsRemaining: z.number().int().min(0).optional(),
    cloudIncidentsRemaining: z.number().int().min(0).optional(),
    associatedAccounts: z.array(id).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (!b.activated && (b.accessId || b.contractId)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['accessId'], message: 'accessId/contractId are only allowed with activated: true' });
    }
  });

export const OrgFileSchema = z
  .object({
    tenantId: id,
    name: z.string().trim().min(1, 'must not be empty').max(200),
    partnerId: z.string().max(50).optional(),
    program: z.string().min(1).default(DEFAULT_PROGRAM),
    actionPack: z.boolean(),
    competencies: z.array(z.object({ name: z.string().trim().min(1).max(200), level: z.enum(['gold', 'silver']).optional() }).strict()),
    people: z.array(PersonSchema),
    benefits: BenefitsSchema.optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const seen = new Set<string>();
    o.people.forEach((p, i) => {
      if (seen.has(p.aadObjectId)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['people', i, 'aadObjectId'], message: `duplicate person ${p.aadObjectId}` });
      seen.add(p.aadObjectId);
    });
  });

export interface OrgFile {
  organisation: Organisation;
  people: Person[];
  benefits?: BenefitsState;
}

export class OrgFileError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`Organisation file ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'OrgFileError';
  }
}

/** Formats a zod path like people[0].roles[1]. */
export function formatPath(path: (string | number)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || '(root)';
}

/** Validates parsed org-file JSON; throws OrgFileError listing every problem with its field path. */
export function parseOrgFile(json: unknown, file = 'org file'): OrgFile {
  const r = OrgFileSchema.safeParse(json);
  if (!r.success) throw new OrgFileError(file, r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`));
  const o = r.data;
  return {
    organisation: { tenantId: o.tenantId, name: o.name, partnerId: o.partnerId, program: o.program, actionPack: o.actionPack, competencies: o.competencies },
    people: o.people.map((p) => ({ ...p, cspAssociated: p.cspAssociated ?? false })),
    benefits: o.benefits,
  };
}

/** Reads and validates the org file at `file`. */
export function loadOrgFile(file: string): OrgFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new OrgFileError(file, [`cannot be read: ${(err as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new OrgFileError(file, [`is not valid JSON: ${(err as Error).message}`]);
  }
  return parseOrgFile(json, file);
}
