/**
 * Entitlement policy profiles (shared/domain.md E3-E5): incident numbers, cloud competencies and
 * benefit names per programme version. The numbers live in data/policy/<id>.json, validated on load.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Organisation, Tier } from './org.js';
import { membershipTier } from './org.js';

/** Tiers a policy profile can define; `designation` exists only in profiles after the 2022 change. */
export const POLICY_TIERS = ['actionPack', 'silver', 'gold', 'designation'] as const;
export type PolicyTier = (typeof POLICY_TIERS)[number];

/** An incident allowance: a number of incidents or "unlimited". */
export type Allowance = number | 'unlimited';

const allowanceSchema = z.union([z.number().int().nonnegative(), z.literal('unlimited')]);

const tierSchema = z
  .object({
    label: z.string().min(1),
    onPremisesIncidents: z.number().int().nonnegative(),
    cloudSupport: z.union([
      z.literal('none'),
      z.object({ cloudCompetencies: allowanceSchema, otherCompetencies: allowanceSchema }).strict(),
    ]),
  })
  .strict();

const policySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'Expected a lower-case id (letters, digits, dashes)'),
    name: z.string().min(1),
    source: z.string().min(1),
    needsConfirmation: z.boolean(),
    notes: z.array(z.string()).default([]),
    benefitNames: z
      .object({
        productSupport: z.string().min(1),
        cloudSupport: z.string().min(1),
        cspSupportPlan: z.string().min(1),
      })
      .strict(),
    cloudCompetencies: z.array(z.string().min(1)).min(1),
    designations: z.array(z.string().min(1)).default([]),
    tiers: z
      .object({
        actionPack: tierSchema,
        silver: tierSchema,
        gold: tierSchema,
        designation: tierSchema.optional(),
      })
      .strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.designations.length > 0 && !p.tiers.designation) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['tiers', 'designation'], message: 'Required when designations are listed' });
    }
  });

export type PolicyFile = z.infer<typeof policySchema>;
export type TierEntitlement = z.infer<typeof tierSchema>;

/** A validated policy with lookup sets precomputed for `decide`. */
export interface Policy extends PolicyFile {
  /** Normalised names of the cloud competencies (E5). */
  readonly cloudCompetencyKeys: ReadonlySet<string>;
  /** Normalised names of the designations that select the `designation` tier. */
  readonly designationKeys: ReadonlySet<string>;
}

/** Default data directory: `<cwd>/data` (DATA_DIR is resolved by config, not here). */
export function defaultDataDir(): string {
  return path.resolve(process.cwd(), 'data');
}

/** Turns zod issues into one message naming every bad field path: `<label>: a.b: problem; c: problem`. */
export function describeIssues(label: string, error: z.ZodError): string {
  const parts = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `${where}: ${issue.message}`;
  });
  return `${label}: ${parts.join('; ')}`;
}

const competencyKeys = new Map<string, string>();

/** Normalises a competency or designation name for comparison ("Security Competency" = "security"). */
export function competencyKey(name: string): string {
  let key = competencyKeys.get(name);
  if (key === undefined) {
    key = name
      .toLowerCase()
      .replace(/&/g, ' and ')
      .replace(/\bcompetency\b/g, ' ')
      .replace(/[^\p{L}\p{N}]+/gu, '');
    if (competencyKeys.size < 1000) competencyKeys.set(name, key);
  }
  return key;
}

/** Validates a policy document; throws an Error naming each bad field path. */
export function parsePolicy(json: unknown, sourceName: string): Policy {
  const result = policySchema.safeParse(json);
  if (!result.success) throw new Error(describeIssues(`policy ${sourceName}`, result.error));
  const file = result.data;
  return {
    ...file,
    cloudCompetencyKeys: new Set(file.cloudCompetencies.map(competencyKey)),
    designationKeys: new Set(file.designations.map(competencyKey)),
  };
}

/** Reads and validates `<dataDir>/policy/<id>.json`; the id inside the file must match. */
export function loadPolicy(id: string, dataDir: string = defaultDataDir()): Policy {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new Error(`policy ${id}: not a valid policy id`);
  const file = path.join(dataDir, 'policy', `${id}.json`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`policy ${id}: cannot read ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`policy ${id}: ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const policy = parsePolicy(json, id);
  if (policy.id !== id) throw new Error(`policy ${id}: id: Expected "${id}" (the file name), received "${policy.id}"`);
  return policy;
}

/** The policy tier of an organisation: `designation` when it holds one the policy lists, else its membership tier. */
export function policyTier(org: Pick<Organisation, 'actionPack' | 'competencies'>, policy: Policy): PolicyTier | 'none' {
  if (policy.tiers.designation && policy.designationKeys.size > 0) {
    for (const c of org.competencies) if (policy.designationKeys.has(competencyKey(c.name))) return 'designation';
  }
  const tier: Tier = membershipTier(org);
  return tier;
}

/** E4/E5: whether the organisation holds at least one cloud competency of the policy. */
export function holdsCloudCompetency(org: Pick<Organisation, 'competencies'>, policy: Policy): boolean {
  for (const c of org.competencies) if (policy.cloudCompetencyKeys.has(competencyKey(c.name))) return true;
  return false;
}
