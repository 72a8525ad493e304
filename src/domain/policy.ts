/**
 * Entitlement policy profiles (shared/domain.md E3-E5): incident numbers, cloud competencies and
 * benefit names per programme version. The numbers live in data/policy/<id>.json, validated on load.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Organisation, Tier } from './org.js';
import { membershipTier } from './org.js';

/**
 * Tiers a policy profile can define. The 2021 profile has the membership tiers; the current programme has
 * `designation` (Solutions Partner) and the Partner Success packages, chosen by offer names in the org file.
 */
export const POLICY_TIERS = ['actionPack', 'silver', 'gold', 'designation', 'partnerSuccessExpanded', 'partnerSuccessCore', 'partnerLaunch'] as const;
/** Tiers selected by an offer name in the org file, best first. */
export const OFFER_TIERS = ['partnerSuccessExpanded', 'partnerSuccessCore', 'partnerLaunch'] as const;
export type OfferTier = (typeof OFFER_TIERS)[number];
/** Names the wording interpolates from a profile ({name} placeholders in the locale files). */
export const TERM_NAMES = [
  'productSupport',
  'cloudSupport',
  'programShort',
  'associated',
  'adminRoles',
  'benefitsPage',
  'offers',
  'cloudQualifier',
  'onPremPortal',
  'premierPlan',
  'advancedPlan',
  'cloudPacks',
  'noCloudOffer',
  'noCloudOfferOnPrem',
  'contractName',
  'sampleProduct',
  'retiredOffers',
] as const;
export type TermName = (typeof TERM_NAMES)[number];
export const FACT_STATUSES = ['verified', 'secondary', 'unverified'] as const;
export type FactStatus = (typeof FACT_STATUSES)[number];
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
    /** The numbers of this tier rest on facts that are not verified. */
    needsConfirmation: z.boolean().default(false),
    /** Ids of the profile's facts behind this tier's numbers. */
    facts: z.array(z.string().min(1)).default([]),
  })
  .strict();

const sourceSchema = z
  .object({
    url: z.string().url(),
    checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected yyyy-mm-dd'),
    note: z.string().min(1).optional(),
  })
  .strict();

const factSchema = z
  .object({ id: z.string().min(1), claim: z.string().min(1), status: z.enum(FACT_STATUSES), sources: z.array(sourceSchema).min(1) })
  .strict();

const termsSchema = z.record(z.enum(TERM_NAMES), z.string().min(1));

const policySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'Expected a lower-case id (letters, digits, dashes)'),
    /** Older ids that still select this profile (an org file written for them keeps working). */
    aliases: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/)).default([]),
    name: z.string().min(1),
    source: z.string().min(1),
    needsConfirmation: z.boolean(),
    notes: z.array(z.string()).default([]),
    facts: z.array(factSchema).default([]),
    benefitNames: z
      .object({
        productSupport: z.string().min(1),
        cloudSupport: z.string().min(1),
        cspSupportPlan: z.string().min(1),
      })
      .strict(),
    cloudCompetencies: z.array(z.string().min(1)),
    designations: z.array(z.string().min(1)).default([]),
    offerNames: z.object({ partnerSuccessExpanded: z.array(z.string().min(1)), partnerSuccessCore: z.array(z.string().min(1)), partnerLaunch: z.array(z.string().min(1)) }).partial().strict().default({}),
    tiers: z
      .object({
        actionPack: tierSchema.optional(),
        silver: tierSchema.optional(),
        gold: tierSchema.optional(),
        designation: tierSchema.optional(),
        partnerSuccessExpanded: tierSchema.optional(),
        partnerSuccessCore: tierSchema.optional(),
        partnerLaunch: tierSchema.optional(),
      })
      .strict(),
    /** Names in the wording, per language; English falls back to `benefitNames` for the two benefits. */
    terms: z.object({ en: termsSchema, ko: termsSchema }).strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.designations.length > 0 && !p.tiers.designation) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['tiers', 'designation'], message: 'Required when designations are listed' });
    }
    for (const tier of OFFER_TIERS) {
      if ((p.offerNames[tier]?.length ?? 0) > 0 && !p.tiers[tier]) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['tiers', tier], message: 'Required when offerNames lists it' });
      }
    }
    if (p.cloudCompetencies.length === 0) {
      for (const [tier, rules] of Object.entries(p.tiers)) {
        const cloud = rules?.cloudSupport;
        if (cloud && cloud !== 'none' && cloud.cloudCompetencies !== cloud.otherCompetencies) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['cloudCompetencies'], message: `Must list the cloud competencies: tier ${tier} gives them a different allowance` });
        }
      }
    }
    const factIds = new Set(p.facts.map((f) => f.id));
    for (const [tier, rules] of Object.entries(p.tiers)) {
      rules?.facts.forEach((id, i) => {
        if (!factIds.has(id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['tiers', tier, 'facts', i], message: `Unknown fact "${id}"` });
      });
    }
    for (const lang of ['en', 'ko'] as const) {
      for (const name of TERM_NAMES) {
        const fromBenefitNames = lang === 'en' && (name === 'productSupport' || name === 'cloudSupport');
        if (!p.terms[lang][name] && !fromBenefitNames) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['terms', lang, name], message: 'Required' });
      }
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
  /** Normalised offer names per offer tier. */
  readonly offerKeys: ReadonlyMap<OfferTier, ReadonlySet<string>>;
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
    offerKeys: new Map(OFFER_TIERS.map((t) => [t, new Set((file.offerNames[t] ?? []).map(competencyKey))] as const)),
  };
}

/** The names a profile puts into the wording, in one language (benefit names included). */
export function termsOf(policy: Pick<Policy, 'terms' | 'benefitNames'>, lang: 'en' | 'ko'): Readonly<Record<TermName, string>> {
  return {
    productSupport: policy.benefitNames.productSupport,
    cloudSupport: policy.benefitNames.cloudSupport,
    ...policy.terms[lang],
  } as Record<TermName, string>;
}

/** The profile id an alias stands for (`ai-cloud-partner-2025` -> `ai-cloud-partner`), or the id itself. */
export function resolvePolicyId(id: string, dataDir: string = defaultDataDir()): string {
  const dir = path.join(dataDir, 'policy');
  if (fs.existsSync(path.join(dir, `${id}.json`)) || !fs.existsSync(dir)) return id;
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    try {
      const json = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { aliases?: unknown };
      if (Array.isArray(json.aliases) && json.aliases.includes(id)) return name.slice(0, -5);
    } catch {
      continue; // a broken file is reported when it is itself loaded
    }
  }
  return id;
}

/** Reads and validates `<dataDir>/policy/<id>.json` (or the profile that lists `id` as an alias); the id inside the file must match its name. */
export function loadPolicy(requested: string, dataDir: string = defaultDataDir()): Policy {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(requested)) throw new Error(`policy ${requested}: not a valid policy id`);
  const id = resolvePolicyId(requested, dataDir);
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

/**
 * The policy tier of an organisation: `designation` when it holds one the policy lists, else its best offer
 * (Partner Success), else its membership tier when the policy still has it; `none` otherwise.
 */
export function policyTier(org: Pick<Organisation, 'actionPack' | 'competencies'>, policy: Policy): PolicyTier | 'none' {
  if (policy.tiers.designation && policy.designationKeys.size > 0) {
    for (const c of org.competencies) if (policy.designationKeys.has(competencyKey(c.name))) return 'designation';
  }
  for (const tier of OFFER_TIERS) {
    const keys = policy.offerKeys.get(tier);
    if (policy.tiers[tier] && keys && keys.size > 0 && org.competencies.some((c) => keys.has(competencyKey(c.name)))) return tier;
  }
  const tier: Tier = membershipTier(org);
  return tier !== 'none' && policy.tiers[tier] ? tier : 'none';
}

/** [N1] The organisation's file lists only offers this profile no longer has (legacy Gold/Silver, Action Pack). */
export function holdsOnlyRetiredOffers(org: Pick<Organisation, 'actionPack' | 'competencies'>, policy: Policy): boolean {
  const tier = membershipTier(org);
  return tier !== 'none' && !policy.tiers[tier] && policyTier(org, policy) === 'none';
}

/** E4/E5: whether the organisation holds at least one cloud competency of the policy. */
export function holdsCloudCompetency(org: Pick<Organisation, 'competencies'>, policy: Policy): boolean {
  for (const c of org.competencies) if (policy.cloudCompetencyKeys.has(competencyKey(c.name))) return true;
  return false;
}
