/**
 * Benchmark (not a test): runs `decide` over the whole catalogue x memberships x customer flag x
 * people for about two seconds and prints decisions per second. Run from the repository root (the
 * output must sit under the repository so that `zod` resolves from node_modules; .tmp/ is git-ignored):
 *   npx tsc --outDir .tmp/benchbuild --module NodeNext --moduleResolution NodeNext --target ES2022 \
 *     --resolveJsonModule --esModuleInterop --skipLibCheck bench/decide.ts && node .tmp/benchbuild/bench/decide.js [dataDir] [seconds]
 */
import path from 'node:path';
import { loadCatalog } from '../src/domain/catalog.js';
import type { ProductRef } from '../src/domain/catalog.js';
import { decide } from '../src/domain/eligibility.js';
import type { DecideInput } from '../src/domain/eligibility.js';
import type { BenefitsState, Organisation, Person } from '../src/domain/org.js';
import { loadPolicy } from '../src/domain/policy.js';

const dataDir = path.resolve(process.argv[2] ?? path.resolve(process.cwd(), 'data'));
const seconds = Number(process.argv[3] ?? 2);

const policy = loadPolicy('mpn-2021', dataDir);
const catalog = loadCatalog(undefined, dataDir);

const orgs: Organisation[] = [
  { tenantId: 't', name: 'Gold', program: 'mpn-2021', actionPack: false, competencies: [{ name: 'Cloud Platform', level: 'gold' }] },
  { tenantId: 't', name: 'Silver', program: 'mpn-2021', actionPack: false, competencies: [{ name: 'Data Analytics', level: 'silver' }] },
  { tenantId: 't', name: 'Action Pack', program: 'mpn-2021', actionPack: true, competencies: [] },
  { tenantId: 't', name: 'None', program: 'mpn-2021', actionPack: false, competencies: [] },
];
const people: Array<Person | undefined> = [
  undefined,
  { aadObjectId: 'p1', name: 'User', mpnAssociated: true, cspAssociated: false, roles: [] },
  { aadObjectId: 'p2', name: 'Agent', mpnAssociated: true, cspAssociated: true, roles: ['adminAgent'] },
];
const benefits: BenefitsState = { activated: true, endDate: '2027-02-14', onPremisesIncidentsRemaining: 12, cloudIncidentsRemaining: 3, associatedAccounts: ['p1'] };
const products: ProductRef[] = catalog.families.flatMap((f) =>
  f.versions.length === 0 ? [{ familyId: f.id }] : f.versions.map((v) => ({ familyId: f.id, versionId: v.id })),
);

const inputs: DecideInput[] = [];
for (const product of products)
  for (const org of orgs)
    for (const onBehalfOfCustomer of [false, true])
      for (const person of people) inputs.push({ org, benefits, person, product, onBehalfOfCustomer, today: '2026-03-02', policy, catalog });

let decisions = 0;
let covered = 0;
// Warm-up so the JIT has compiled the hot path before timing.
for (let i = 0; i < 20_000; i++) if (decide(inputs[i % inputs.length]).covered) covered++;

const start = process.hrtime.bigint();
const budget = BigInt(Math.round(seconds * 1e9));
let elapsed = 0n;
while (elapsed < budget) {
  for (const input of inputs) if (decide(input).covered) covered++;
  decisions += inputs.length;
  elapsed = process.hrtime.bigint() - start;
}
const perSecond = Math.round(decisions / (Number(elapsed) / 1e9));
process.stdout.write(
  `decide: ${decisions} decisions over ${inputs.length} distinct inputs in ${(Number(elapsed) / 1e9).toFixed(2)} s = ${perSecond.toLocaleString('en-US')} decisions/s (covered ${covered})\n`,
);
