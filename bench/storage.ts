/**
 * Storage scale (issue 10): create-request latency (p50/p99) and RSS with 1k, 10k and 100k stored requests on the
 * embedded lowdb store. Target: p99 ≤ 50 ms at 10k, and the 100k case flat.
 *
 * Stored data is a realistic history built through the store API (fast, no HTTP): requests spread over three
 * years, mostly finished (resolved / closed / withdrawn, with assignee, notes, case numbers), 1.5 % still open, and
 * archived by the archive job as the app would have done month after month (RequestService.archiveFinished, the
 * body of runRequestArchive). "unarchived" cases keep every request in the hot file, for comparison.
 * A create is what the app does for a form submit, through the requests service: route, sequence number, insert,
 * audit — sequentially, then with 10 concurrent creators (group commit).
 *
 * Every case is built in one child process and measured in a fresh one, so RSS belongs to that case alone.
 * Prints a table and writes bench-results/storage.json. Ratios matter more than absolute times on shared machines.
 *   npm run bench      node dist/bench/storage.js [--with-100k-unarchived] [--cases=1k,10k,100k,100k-at-10k-rate,1k-unarchived,10k-unarchived]
 *   node dist/bench/storage.js build <dir> <requests> <archived|unarchived> [years] [open]   (bench/cold-start.ts uses it)
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BenefitsStore, type BenefitsRecord } from '../src/benefits/benefits-store.js';
import { loadCatalog } from '../src/domain/catalog.js';
import type { Person } from '../src/domain/org.js';
import { loadPolicy } from '../src/domain/policy.js';
import { loadOrgFile } from '../src/identity/org-file.js';
import { SecretRegistry } from '../src/logging/logger.js';
import { FINISHED_STATUSES, requestKey, type ArchivedRequestsIndex, type RequestRecord, type RequestSettings, type RequestStatus, type Severity } from '../src/requests/model.js';
import { personRef, RequestService, snapshot, type ValidRequestForm } from '../src/requests/service.js';
import { createSecretBox } from '../src/storage/secret-box.js';
import { openStore, type Store } from '../src/storage/store.js';
import { fromRoot } from '../src/paths.js';

const SELF = fileURLToPath(import.meta.url);
const root = fromRoot();
const DAY = 24 * 3600 * 1000;
/** History spans three years up to now (unless a case says otherwise); archive after the default REQUEST_ARCHIVE_DAYS. */
const YEARS = 3;
const ARCHIVE_DAYS = 30;
const OPEN_SHARE = 0.015;
const mb = (bytes: number) => +(bytes / 1024 / 1024).toFixed(1);

// ---------------------------------------------------------------- deterministic realistic data

/** mulberry32: the same history on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'cluster failover node update error service restart timeout login account license migration backup restore ' +
  'mailbox database replica query index latency certificate gateway connector tenant policy sync agent driver ' +
  'kernel memory disk network firewall proxy dns portal token upgrade rollback patch deployment storage quota'
).split(' ');

function text(r: () => number, min: number, max: number): string {
  const want = min + Math.floor(r() * (max - min));
  const out: string[] = [];
  let len = 0;
  while (len < want) {
    const w = WORDS[Math.floor(r() * WORDS.length)];
    out.push(w);
    len += w.length + 1;
  }
  const s = out.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1, want);
}

const guid = (r: () => number) =>
  'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () => Math.floor(r() * 16).toString(16));

interface Setup {
  store: Store;
  service: RequestService;
  tenantId: string;
  requester: Person;
  forms: ValidRequestForm[];
  /** A decision snapshot per form (what the engine said), reused for generated history. */
  decisions: RequestRecord['decision'][];
}

/** The requests service over `store`, as src/requests/runtime.ts builds it (org sample, real catalogue and policy). */
async function setup(store: Store, dataDir: string): Promise<Setup> {
  const org = loadOrgFile(fromRoot('config', 'org.mpn-2021.sample.json'));
  const tenantId = org.organisation.tenantId;
  // The key file in DATA_DIR, as local mode does: the app started on this folder (cold start) opens the same IDs.
  const box = createSecretBox({ keyBase64: '', dataDir, allowKeyFile: true });
  const benefits = new BenefitsStore(store.collection<BenefitsRecord>('benefits'), box, new SecretRegistry());
  await benefits.seed(tenantId, org.benefits, new Date());
  const service = new RequestService({
    requests: store.collection<RequestRecord>('requests'),
    settings: store.collection<RequestSettings>('request-settings'),
    audit: store.audit,
    benefits,
    organisation: () => org.organisation,
    helpDeskMembers: async () => org.people.filter((p) => p.roles.includes('helpDesk')),
    policy: loadPolicy(org.organisation.program, fromRoot('data')),
    catalog: loadCatalog(undefined, fromRoot('data')),
    archived: store.collection<ArchivedRequestsIndex>('requests-archived'),
  });
  const requester = org.people.find((p) => p.roles.length === 0) ?? org.people[0];
  const forms: ValidRequestForm[] = [];
  const decisions: RequestRecord['decision'][] = [];
  const r = rng(7);
  for (const product of ['SQL Server 2022', 'SQL Server 2019', 'Windows Server 2022', 'Windows Server 2025', 'Exchange Server 2019', 'Azure', 'SharePoint Server 2019', 'Microsoft 365']) {
    for (const severity of ['A', 'B', 'C']) {
      const v = service.validate({ product, severity, title: text(r, 20, 90), description: text(r, 150, 1200) }, tenantId);
      if (!v.ok) continue;
      forms.push(v.value);
      decisions.push(snapshot(await service.route(tenantId, requester, v.value, new Date())));
    }
  }
  if (forms.length === 0) throw new Error('no valid request form: check the catalogue');
  return { store, service, tenantId, requester, forms, decisions };
}

/** One stored request as the app leaves it: finished ones with assignee, notes, case number, channel post. */
function historical(s: Setup, r: () => number, i: number, createdAt: number, now: number, open: boolean): Omit<RequestRecord, 'version'> {
  const f = Math.floor(r() * s.forms.length);
  const form = s.forms[f];
  const staff = { aadObjectId: guid(r), name: `Staff ${Math.floor(r() * 300)}` };
  const helpDesk = { aadObjectId: `7a1c2f10-0000-4000-8000-0000000000${r() < 0.5 ? '23' : '25'}`, name: r() < 0.5 ? 'Isaiah Langer' : 'Lynne Robbins' };
  // Finished after a few days (exponential, mean 4 days); open ones were touched lately (or are stuck).
  const life = open ? Math.min(now - createdAt, r() * 20 * DAY) : Math.min(now - createdAt, -Math.log(1 - r()) * 4 * DAY);
  const last = new Date(createdAt + life).toISOString();
  const roll = r();
  const status: RequestStatus = open
    ? (['new', 'triaged', 'waitingOnRequester', 'submitted', 'reopened'] as const)[Math.floor(r() * 5)]
    : roll < 0.35 ? 'resolved' : roll < 0.9 ? 'closed' : 'withdrawn';
  const submitted = status !== 'withdrawn' && status !== 'new' && r() < 0.45;
  const notes = Array.from({ length: status === 'new' ? 0 : Math.floor(r() * 4) }, (_, n) => ({
    id: guid(r),
    at: new Date(createdAt + (life * (n + 1)) / 5).toISOString(),
    by: helpDesk,
    text: text(r, 40, 400),
    visibleToRequester: r() < 0.4,
  }));
  return {
    id: RequestService.requestId(s.tenantId, staff.aadObjectId, `history-${i}`),
    tenantId: s.tenantId,
    number: 0,
    key: '',
    requester: staff,
    lang: r() < 0.2 ? 'ko' : 'en',
    createdAt: new Date(createdAt).toISOString(),
    touchedAt: last,
    updatedAt: last,
    product: { familyId: form.product.familyId, versionId: form.product.versionId, label: form.product.label },
    forCustomer: r() < 0.3,
    severity: (['A', 'B', 'C'] as Severity[])[Math.floor(r() * 3)],
    title: text(r, 20, 100),
    description: text(r, 100, 1500),
    decision: s.decisions[f],
    status,
    assignee: status === 'new' ? undefined : helpDesk,
    microsoftCaseNumber: submitted ? String(2600000000000000 + i) : undefined,
    notes,
    changedAt: { status: 3, assignee: 2 },
    channelPost: { conversationId: '19:helpdesk@thread.tacv2', activityId: `1${String(createdAt).slice(-12)}` },
    incident: submitted && r() < 0.5 ? { at: last, kind: 'onPremises', remainingAfter: Math.floor(r() * 10) } : undefined,
  };
}

/**
 * Builds a history of `total` requests in `dataDir`. Month by month: the month's requests are stored (numbers
 * from nextSequence, inserts sharing group commits), then — when `archived` — the archive job runs as the app's
 * hourly timer would have by the end of that month. Returns what was built.
 */
export async function buildHistory(
  dataDir: string,
  total: number,
  archived: boolean,
  years = YEARS,
  openCount = Math.round(total * OPEN_SHARE),
): Promise<Record<string, number | string>> {
  const t0 = performance.now();
  const store = openStore(dataDir);
  const s = await setup(store, dataDir);
  const requests = store.collection<RequestRecord>('requests');
  const r = rng(42);
  const now = Date.now();
  const start = now - years * 365 * DAY;
  const created = Array.from({ length: total }, () => start + r() * (now - start - DAY)).sort((a, b) => a - b);
  // Open ones (1.5 % by default): most among the latest requests, a few stuck older ones.
  const open = new Set<number>();
  while (open.size < Math.round(openCount * 0.8)) open.add(total - 1 - Math.floor(r() * Math.min(total, Math.max(openCount * 3, 10))));
  while (open.size < openCount) open.add(Math.floor(r() * total));
  let i = 0;
  let runs = 0;
  let rssPeak = process.memoryUsage().rss;
  for (let month = new Date(start); month.getTime() < now; month = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1))) {
    const end = Math.min(now, Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
    const batch: Omit<RequestRecord, 'version'>[] = [];
    for (; i < total && created[i] < end; i++) batch.push(historical(s, r, i, created[i], now, open.has(i)));
    const numbers = await Promise.all(batch.map(() => requests.nextSequence(s.tenantId.toLowerCase())));
    await Promise.all(batch.map((b, k) => requests.insert({ ...b, number: numbers[k], key: requestKey(numbers[k]) })));
    if (archived) {
      await store.runExclusive('requests.archive', () => s.service.archiveFinished(new Date(end), ARCHIVE_DAYS));
      runs++;
    }
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }
  const hot = await requests.count();
  await store.close();
  // Peak RSS of this process: three years of hourly archive runs in one process (history must not accumulate).
  return { requests: total, years, open: openCount, hot, archiveRuns: runs, buildSeconds: +((performance.now() - t0) / 1000).toFixed(1), rssPeakMB: mb(rssPeak) };
}

// ---------------------------------------------------------------- measurement (fresh process per case)

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

function dirBytes(dir: string): { files: number; bytes: number } {
  if (!fs.existsSync(dir)) return { files: 0, bytes: 0 };
  let files = 0;
  let bytes = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const d = dirBytes(p);
      files += d.files;
      bytes += d.bytes;
    } else {
      files++;
      bytes += fs.statSync(p).size;
    }
  }
  return { files, bytes };
}

interface Mode {
  concurrency: number;
  creates: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

async function measure(dataDir: string, creates: number, archived: boolean): Promise<Record<string, unknown>> {
  const hotBytes = fs.statSync(path.join(dataDir, 'requests.json')).size;
  const archive = dirBytes(path.join(dataDir, 'archive'));
  const t0 = performance.now();
  const store = openStore(dataDir);
  const s = await setup(store, dataDir);
  const requests = store.collection<RequestRecord>('requests');
  const hot = await requests.count();
  const open = (await requests.list((x) => !FINISHED_STATUSES.has(x.status))).length;
  // Steady state of a running app with archiving: the hourly run has happened (nothing due now; it reads the index).
  if (archived) await store.runExclusive('requests.archive', () => s.service.archiveFinished(new Date(), ARCHIVE_DAYS));
  const openMs = performance.now() - t0;
  const rssOpen = process.memoryUsage().rss;
  let rssPeak = rssOpen;
  let n = 0;
  const createOne = async (): Promise<number> => {
    const form = s.forms[n++ % s.forms.length];
    const started = performance.now();
    const { created } = await s.service.create({ tenantId: s.tenantId, requester: s.requester, lang: 'en', form, idempotencyKey: randomUUID(), now: new Date() });
    const ms = performance.now() - started;
    if (!created) throw new Error('create did not create');
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    return ms;
  };
  /** Removes what was created since, so the hot file stays the stored history's (unmeasured). */
  const forgetCreated = async (before: Set<string>) => {
    const added = (await requests.list((x) => !before.has(x.id))).map((x) => x.id);
    await Promise.all(added.map((id) => requests.delete(id)));
  };
  /**
   * `count` creates by `concurrency` creators, in rounds of ROUND: what a round created is removed before the next
   * (not timed), so the hot file grows by at most ROUND requests and every figure belongs to the stored case.
   */
  const ROUND = 50;
  const run = async (concurrency: number, count: number, before: Set<string>): Promise<Mode> => {
    const latencies: number[] = [];
    let busy = 0;
    for (let done = 0; done < count; done += ROUND) {
      let next = done;
      const end = Math.min(count, done + ROUND);
      const t = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next++ < end) latencies.push(await createOne());
        }),
      );
      busy += performance.now() - t;
      await forgetCreated(before);
    }
    latencies.sort((a, b) => a - b);
    return {
      concurrency,
      creates: latencies.length,
      perSecond: Math.round(latencies.length / (busy / 1000)),
      p50: +percentile(latencies, 50).toFixed(2),
      p95: +percentile(latencies, 95).toFixed(2),
      p99: +percentile(latencies, 99).toFixed(2),
      max: +latencies[latencies.length - 1].toFixed(2),
    };
  };
  const stored = new Set((await requests.list()).map((x) => x.id));
  await run(1, Math.min(20, creates), stored); // warm-up: JIT, file handles, the serialisation cache
  const sequential = await run(1, creates, stored);
  const concurrent = await run(10, creates, stored);
  const mem = process.memoryUsage();
  // Without archiving so far, the first archive run is the migration of an existing installation: how long it takes.
  let firstArchiveRun: { moved: number; seconds: number } | undefined;
  if (!archived) {
    const t = performance.now();
    const run = await store.runExclusive('requests.archive', () => s.service.archiveFinished(new Date(), ARCHIVE_DAYS));
    firstArchiveRun = { moved: run?.archived ?? 0, seconds: +((performance.now() - t) / 1000).toFixed(2) };
  }
  await store.close();
  const indexFile = path.join(dataDir, 'requests-archived.json');
  return {
    hot,
    open,
    hotMB: mb(hotBytes),
    indexMB: fs.existsSync(indexFile) ? mb(fs.statSync(indexFile).size) : 0,
    archiveFiles: archive.files,
    archiveMB: mb(archive.bytes),
    openMs: Math.round(openMs),
    rssMB: mb(rssOpen),
    rssPeakMB: mb(rssPeak),
    heapUsedMB: mb(mem.heapUsed),
    firstArchiveRun,
    sequential,
    concurrent,
  };
}

// ---------------------------------------------------------------- orchestration

function child(args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--max-old-space-size=4096', SELF, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

interface Case {
  name: string;
  requests: number;
  archived: boolean;
  creates: number;
  /** History length (default 3 years) and open requests (default 1.5 %): the organisation's activity. */
  years?: number;
  open?: number;
}

async function main(): Promise<void> {
  const cases: Case[] = [
    { name: '1k', requests: 1_000, archived: true, creates: 500 },
    { name: '10k', requests: 10_000, archived: true, creates: 500 },
    { name: '100k', requests: 100_000, archived: true, creates: 500 },
    // History alone: the 10k case's organisation (same requests a day, same 150 open) after 30 years.
    { name: '100k at 10k rate', requests: 100_000, archived: true, creates: 500, years: 30, open: 150 },
    { name: '1k unarchived', requests: 1_000, archived: false, creates: 500 },
    { name: '10k unarchived', requests: 10_000, archived: false, creates: 200 },
  ];
  if (process.argv.includes('--with-100k-unarchived')) cases.push({ name: '100k unarchived', requests: 100_000, archived: false, creates: 50 });
  const only = process.argv.find((a) => a.startsWith('--cases='))?.slice('--cases='.length).split(',');
  const results: Record<string, unknown>[] = [];
  for (const c of cases.filter((x) => !only || only.includes(x.name.replaceAll(' ', '-')))) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-bench-storage-'));
    try {
      process.stderr.write(`storage bench: building ${c.name} … `);
      const built = await child(['build', dir, String(c.requests), c.archived ? 'archived' : 'unarchived', String(c.years ?? YEARS), String(c.open ?? Math.round(c.requests * OPEN_SHARE))]);
      process.stderr.write(`${built.buildSeconds} s, measuring … `);
      const measured = await child(['measure', dir, String(c.creates), c.archived ? 'archived' : 'unarchived']);
      process.stderr.write('done\n');
      results.push({ case: c.name, stored: c.requests, archived: c.archived, built, ...measured });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  type Row = { case: string; sequential: Mode; concurrent: Mode } & Record<string, unknown>;
  const rows = results as Row[];
  const by = (name: string) => rows.find((x) => x.case === name);
  const ratio = (a?: number, b?: number) => (a !== undefined && b ? +(a / b).toFixed(2) : undefined);
  const ratios = {
    'p99 sequential 100k / 1k': ratio(by('100k')?.sequential.p99, by('1k')?.sequential.p99),
    'p99 10 concurrent 100k / 1k': ratio(by('100k')?.concurrent.p99, by('1k')?.concurrent.p99),
    'RSS 100k / 1k': ratio(by('100k')?.rssMB as number, by('1k')?.rssMB as number),
    'p99 sequential 100k at 10k rate / 10k': ratio(by('100k at 10k rate')?.sequential.p99, by('10k')?.sequential.p99),
    'p99 10 concurrent 100k at 10k rate / 10k': ratio(by('100k at 10k rate')?.concurrent.p99, by('10k')?.concurrent.p99),
    'p99 sequential 10k unarchived / 10k': ratio(by('10k unarchived')?.sequential.p99, by('10k')?.sequential.p99),
    'p99 10 concurrent 10k unarchived / 10k': ratio(by('10k unarchived')?.concurrent.p99, by('10k')?.concurrent.p99),
    'hot file 10k unarchived / 10k': ratio(by('10k unarchived')?.hotMB as number, by('10k')?.hotMB as number),
  };
  const tenK = by('10k');
  const worst10k = tenK ? Math.max(tenK.sequential.p99, tenK.concurrent.p99) : undefined;
  const report = {
    benchmark: 'create request on the lowdb store through RequestService.create (route + nextSequence + insert + audit)',
    history: `${YEARS} years, ${OPEN_SHARE * 100} % open unless stated, archive after ${ARCHIVE_DAYS} days (month by month, as the hourly job would)`,
    target: 'p99 <= 50 ms at 10k (archived hot file); 100k flat',
    met: worst10k === undefined ? undefined : worst10k <= 50,
    results,
    ratios,
    at: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
  };
  fs.mkdirSync(path.join(root, 'bench-results'), { recursive: true });
  // A partial run (--cases) does not replace the full report.
  fs.writeFileSync(path.join(root, 'bench-results', only ? 'storage.partial.json' : 'storage.json'), `${JSON.stringify(report, null, 2)}\n`);

  console.log(`\nStorage: create request through the requests service on lowdb (${report.history})`);
  console.table(
    Object.fromEntries(
      rows.map((x) => [
        x.case,
        {
          hot: x.hot,
          'hot MB': x.hotMB,
          'archive files': x.archiveFiles,
          'open ms': x.openMs,
          'seq p50': x.sequential.p50,
          'seq p99': x.sequential.p99,
          'seq /s': x.sequential.perSecond,
          'x10 p50': x.concurrent.p50,
          'x10 p99': x.concurrent.p99,
          'x10 /s': x.concurrent.perSecond,
          'RSS MB': x.rssMB,
          'peak MB': x.rssPeakMB,
          '1st archive run s': (x.firstArchiveRun as { seconds: number } | undefined)?.seconds ?? '',
        },
      ]),
    ),
  );
  console.log('ratios:', ratios);
  if (worst10k === undefined) console.log('10k case not run: target not judged');
  else console.log(report.met ? `OK: worst p99 at 10k ${worst10k} ms (target <= 50)` : `OVER TARGET: worst p99 at 10k ${worst10k} ms (target <= 50)`);
  if (report.met === false) process.exitCode = 1;
}

async function cli(): Promise<void> {
  const [mode, dir, arg, kind, years, open] = process.argv.slice(2);
  if (mode === 'build') {
    const built = await buildHistory(dir, Number(arg), kind !== 'unarchived', years ? Number(years) : undefined, open ? Number(open) : undefined);
    process.stdout.write(`${JSON.stringify(built)}\n`);
  } else if (mode === 'measure') {
    process.stdout.write(`${JSON.stringify(await measure(dir, Number(arg), kind !== 'unarchived'))}\n`);
  } else {
    await main();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  cli().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
