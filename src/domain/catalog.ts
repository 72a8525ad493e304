/**
 * Product catalogue (shared/lifecycle.md): families, versions and lifecycle dates, read from
 * data/catalog/products.json and validated on load. An organisation can add or replace families
 * with its own file of the same shape.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defaultDataDir, describeIssues } from './policy.js';

export const LIFECYCLE_POLICIES = ['fixed', 'modern'] as const;
export type LifecyclePolicy = (typeof LIFECYCLE_POLICIES)[number];
export const DEPLOYMENTS = ['onPremises', 'cloud'] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];
/** The portal where requests for a product are created (the CSP route is chosen by the engine, not the catalogue). */
export const PRODUCT_PORTALS = ['supportForBusiness', 'azurePortal', 'm365Admin', 'powerPlatformAdmin'] as const;
export type ProductPortal = (typeof PRODUCT_PORTALS)[number];

/** What a caller names: a family and, for versioned families, one of its versions. */
export interface ProductRef {
  familyId: string;
  versionId?: string;
}

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'Expected a lower-case id (letters, digits, dashes)');

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True for a real calendar date written yyyy-mm-dd (cheap: `decide` checks `today` on every call). */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

const isoDate = z.string().refine(isIsoDate, 'Expected a date yyyy-mm-dd');

const versionSchema = z
  .object({
    id: idSchema,
    label: z.string().min(1),
    release: isoDate,
    /** null = ongoing (modern policy) or not published. */
    mainstreamEnd: isoDate.nullable(),
    extendedEnd: isoDate.nullable(),
    /** false where the dates were not checked against a Microsoft page (lifecycle.md ⚠). */
    confirmed: z.boolean(),
    /** Overrides the family's policy (Exchange SE is modern in a fixed-policy family). */
    lifecyclePolicy: z.enum(LIFECYCLE_POLICIES).optional(),
    aliases: z.array(z.string().min(1)).default([]),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.mainstreamEnd !== null && v.mainstreamEnd < v.release) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['mainstreamEnd'], message: 'Must not be before release' });
    }
    if (v.extendedEnd !== null && v.mainstreamEnd !== null && v.extendedEnd < v.mainstreamEnd) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['extendedEnd'], message: 'Must not be before mainstreamEnd' });
    }
  });

const familySchema = z
  .object({
    id: idSchema,
    name: z.string().min(1),
    deployment: z.enum(DEPLOYMENTS),
    lifecyclePolicy: z.enum(LIFECYCLE_POLICIES),
    /** E5: the cloud competency a cloud product belongs to. */
    cloudCompetency: z.string().min(1).optional(),
    otherCloudCompetencies: z.array(z.string().min(1)).default([]),
    /** C2: whether the Access ID / Contract ID are needed the first time (Microsoft 365: false). */
    idsRequired: z.boolean(),
    /** C3: CSP partners may use the "Cloud Solution Provider" support plan for this product (Azure). */
    cspSupportPlan: z.boolean().default(false),
    portal: z.enum(PRODUCT_PORTALS),
    aliases: z.array(z.string().min(1)).default([]),
    note: z.string().optional(),
    versions: z.array(versionSchema),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.deployment === 'cloud' && !f.cloudCompetency) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['cloudCompetency'], message: 'Required for a cloud product' });
    }
    if (f.deployment === 'onPremises' && f.versions.length === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['versions'], message: 'An on-premises product needs at least one version' });
    }
    const seen = new Set<string>();
    f.versions.forEach((v, i) => {
      if (seen.has(v.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['versions', i, 'id'], message: `Duplicate version id "${v.id}"` });
      seen.add(v.id);
    });
  });

const catalogSchema = z
  .object({
    schemaVersion: z.literal(1),
    notes: z.array(z.string()).default([]),
    families: z.array(familySchema),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.families.forEach((f, i) => {
      if (seen.has(f.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['families', i, 'id'], message: `Duplicate family id "${f.id}"` });
      seen.add(f.id);
    });
  });

export type CatalogFile = z.infer<typeof catalogSchema>;
export type FamilyEntry = z.infer<typeof familySchema>;

export interface ProductVersion {
  readonly id: string;
  readonly label: string;
  readonly release: string;
  readonly mainstreamEnd: string | null;
  readonly extendedEnd: string | null;
  readonly confirmed: boolean;
  readonly lifecyclePolicy: LifecyclePolicy;
  readonly aliases: readonly string[];
  readonly note?: string;
}

export interface ProductFamily {
  readonly id: string;
  readonly name: string;
  readonly deployment: Deployment;
  readonly lifecyclePolicy: LifecyclePolicy;
  readonly cloudCompetency?: string;
  readonly otherCloudCompetencies: readonly string[];
  readonly idsRequired: boolean;
  readonly cspSupportPlan: boolean;
  readonly portal: ProductPortal;
  readonly aliases: readonly string[];
  readonly note?: string;
  /** Sorted by release date, oldest first (precomputed for O1). */
  readonly versions: readonly ProductVersion[];
  /** version id -> index in `versions`. */
  readonly versionIndex: ReadonlyMap<string, number>;
}

/** A loaded catalogue: families in file order plus an id index. */
export interface Catalog {
  readonly families: readonly ProductFamily[];
  readonly byId: ReadonlyMap<string, ProductFamily>;
  readonly notes: readonly string[];
}

/** Validates a catalogue document; throws an Error naming each bad field path. */
export function parseCatalog(json: unknown, sourceName: string): CatalogFile {
  const result = catalogSchema.safeParse(json);
  if (!result.success) throw new Error(describeIssues(`catalogue ${sourceName}`, result.error));
  return result.data;
}

/** Merges an organisation's catalogue into the base one: same family id replaces, new ids are appended. */
export function mergeCatalogFiles(base: CatalogFile, extra: CatalogFile): CatalogFile {
  const replacements = new Map(extra.families.map((f) => [f.id, f]));
  const families = base.families.map((f) => replacements.get(f.id) ?? f);
  const baseIds = new Set(base.families.map((f) => f.id));
  for (const f of extra.families) if (!baseIds.has(f.id)) families.push(f);
  return { schemaVersion: 1, notes: [...base.notes, ...extra.notes], families };
}

/** Builds the runtime catalogue (sorted versions, indexes) from a validated file. */
export function buildCatalog(file: CatalogFile): Catalog {
  const families = file.families.map((f): ProductFamily => {
    const versions = f.versions
      .map(
        (v): ProductVersion => ({
          id: v.id,
          label: v.label,
          release: v.release,
          mainstreamEnd: v.mainstreamEnd,
          extendedEnd: v.extendedEnd,
          confirmed: v.confirmed,
          lifecyclePolicy: v.lifecyclePolicy ?? f.lifecyclePolicy,
          aliases: v.aliases,
          note: v.note,
        }),
      )
      .sort((a, b) => (a.release < b.release ? -1 : a.release > b.release ? 1 : 0));
    return {
      id: f.id,
      name: f.name,
      deployment: f.deployment,
      lifecyclePolicy: f.lifecyclePolicy,
      cloudCompetency: f.cloudCompetency,
      otherCloudCompetencies: f.otherCloudCompetencies,
      idsRequired: f.idsRequired,
      cspSupportPlan: f.cspSupportPlan,
      portal: f.portal,
      aliases: f.aliases,
      note: f.note,
      versions,
      versionIndex: new Map(versions.map((v, i) => [v.id, i])),
    };
  });
  return { families, byId: new Map(families.map((f) => [f.id, f])), notes: file.notes };
}

function readJson(file: string, label: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${label}: cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${label}: ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Reads and validates a catalogue file of the products.json shape. */
export function readCatalogFile(file: string, sourceName: string = path.basename(file)): CatalogFile {
  return parseCatalog(readJson(file, `catalogue ${sourceName}`), sourceName);
}

/**
 * Loads `<dataDir>/catalog/products.json`; `extraEntries` (an organisation's document of the same
 * schema, validated here) adds families or replaces those with the same id.
 */
export function loadCatalog(extraEntries?: unknown, dataDir: string = defaultDataDir()): Catalog {
  const base = readCatalogFile(path.join(dataDir, 'catalog', 'products.json'), 'products.json');
  if (extraEntries === undefined) return buildCatalog(base);
  return buildCatalog(mergeCatalogFiles(base, parseCatalog(extraEntries, 'organisation entries')));
}

/** Loads the shipped catalogue merged with an organisation's catalogue file. */
export function loadCatalogWithOrgFile(orgCatalogFile: string, dataDir: string = defaultDataDir()): Catalog {
  return loadCatalog(readCatalogFile(orgCatalogFile), dataDir);
}

/** The family with this id, or undefined. */
export function findFamily(catalog: Catalog, familyId: string): ProductFamily | undefined {
  return catalog.byId.get(familyId);
}

/** Display name of a product reference ("SQL Server 2019"), or the raw ids when unknown. */
export function productLabel(catalog: Catalog, ref: ProductRef): string {
  const family = catalog.byId.get(ref.familyId);
  if (!family) return ref.versionId ? `${ref.familyId} ${ref.versionId}` : ref.familyId;
  if (!ref.versionId) return family.name;
  const i = family.versionIndex.get(ref.versionId);
  return `${family.name} ${i === undefined ? ref.versionId : family.versions[i].label}`;
}
