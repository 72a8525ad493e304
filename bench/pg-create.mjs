/**
 * Create-request latency on PostgreSQL with 100k requests already stored (issue 11: p99 ≤ 20 ms).
 * One "create" is what the requests capability does: nextSequence (the request number), insert of the record
 * (~1 KB of JSON), one audit event — three round trips, each its own committed statement.
 * Uses DATABASE_URL if set (a database it may fill: it creates its own tables there), else a throw-away
 * cluster with durable commits (fsync on: the figure includes the WAL flush). Writes bench-results/pg-create.json.
 *   npm run build && node bench/pg-create.mjs [creates=3000] [concurrency=1,10]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { openPgStore } = await import(path.join(root, 'dist/src/storage/postgres/pg-store.js'));
const creates = Number(process.argv[2] ?? 3000);
const concurrencies = (process.argv[3] ?? '1,10').split(',').map(Number);
const STORED = 100_000;
const TENANT = '7a1c2f10-0000-4000-8000-000000000001';

/** A throw-away cluster (initdb + pg_ctl, as the postgres user when run as root); returns its URL and a stop function. */
async function throwAwayCluster() {
  const bins = ['/usr/lib/postgresql']
    .filter((d) => fs.existsSync(d))
    .flatMap((d) => fs.readdirSync(d).sort((a, b) => Number(b) - Number(a)).map((v) => path.join(d, v, 'bin')))
    .concat((process.env.PATH ?? '').split(':'));
  const bin = bins.find((d) => fs.existsSync(path.join(d, 'initdb')));
  if (!bin) throw new Error('No PostgreSQL binaries (apt-get install -y postgresql) and no DATABASE_URL.');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-pg-bench-'));
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? ['runuser', '-u', 'postgres', '--'] : [];
  if (asRoot) {
    const [, , uid, gid] = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:')).split(':');
    fs.chownSync(dir, Number(uid), Number(gid));
  }
  const run = (cmd, args) => {
    const argv = [...prefix, path.join(bin, cmd), ...args];
    execFileSync(argv[0], argv.slice(1), { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  };
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c shared_buffers=256MB`, 'start']);
  const stop = () => {
    const argv = [...prefix, path.join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'];
    spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, stop };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

function requestRecord(id, number) {
  return {
    id,
    number,
    tenantId: TENANT,
    status: 'open',
    severity: 'B',
    product: 'Azure Kubernetes Service',
    title: `Pods stuck in ContainerCreating after node pool upgrade (${number})`,
    description: 'After upgrading the node pool to 1.30 the pods of two deployments stay in ContainerCreating. '.repeat(6),
    requester: { aadObjectId: '7a1c2f10-0000-4000-8000-000000000022', name: 'Adele Vance' },
    createdAt: new Date().toISOString(),
    history: [{ at: new Date().toISOString(), by: '7a1c2f10-0000-4000-8000-000000000022', action: 'created' }],
  };
}

const own = process.env.DATABASE_URL ? undefined : await throwAwayCluster();
const url = process.env.DATABASE_URL ?? own.url;
const store = await openPgStore({ databaseUrl: url, pgPoolMax: 10 });
const requests = store.collection('requests');

// 100k stored requests, written in bulk by the server (the bench measures the creates that follow, not the fill).
const admin = new pg.Client({ connectionString: url });
await admin.connect();
const sample = JSON.stringify(requestRecord('x', 0));
const t0 = performance.now();
await admin.query(
  `INSERT INTO records (collection, id, version, data)
   SELECT 'requests', 'seed-' || g, 1, jsonb_set($1::jsonb, '{number}', to_jsonb(g)) FROM generate_series(1, $2::int) g
   ON CONFLICT DO NOTHING`,
  [sample, STORED],
);
await admin.query(`INSERT INTO audit (at, tenant_id, action, subject) SELECT now(), $1, 'request.created', 'seed-' || g FROM generate_series(1, $2::int) g`, [TENANT, STORED]);
await admin.query(`INSERT INTO sequences (collection, scope, value) VALUES ('requests', $1, $2) ON CONFLICT (collection, scope) DO UPDATE SET value = GREATEST(sequences.value, excluded.value)`, [TENANT, STORED]);
await admin.query('ANALYZE');
const stored = (await admin.query(`SELECT count(*)::int AS n FROM records WHERE collection = 'requests'`)).rows[0].n;
const fillMs = performance.now() - t0;

async function createOne() {
  const started = performance.now();
  const number = await requests.nextSequence(TENANT);
  const id = `REQ-${number}-${randomBytes(3).toString('hex')}`;
  await requests.insert(requestRecord(id, number));
  await store.audit.record({ tenantId: TENANT, actor: '7a1c2f10-0000-4000-8000-000000000022', action: 'request.created', subject: id, details: { number } });
  return performance.now() - started;
}

// Warm-up: connections, plans, caches.
for (let i = 0; i < 200; i++) await createOne();

const results = [];
for (const concurrency of concurrencies) {
  const latencies = [];
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < creates) latencies.push(await createOne());
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  latencies.sort((a, b) => a - b);
  results.push({
    concurrency,
    creates: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    p50: +percentile(latencies, 50).toFixed(2),
    p95: +percentile(latencies, 95).toFixed(2),
    p99: +percentile(latencies, 99).toFixed(2),
    max: +latencies[latencies.length - 1].toFixed(2),
  });
}

const report = {
  benchmark: 'create request on PostgreSQL (nextSequence + insert + audit)',
  server: own ? 'throw-away cluster on loopback, fsync on' : 'DATABASE_URL',
  storedBefore: stored,
  fillSeconds: +(fillMs / 1000).toFixed(1),
  target: 'p99 <= 20 ms',
  results,
  at: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
};
await admin.end();
await store.close();
own?.stop();

console.log(`create request with ${stored.toLocaleString('en')} stored requests (${report.server}), target p99 <= 20 ms`);
console.log('concurrency  creates  per s    p50 ms   p95 ms   p99 ms   max ms');
for (const r of results) {
  console.log(`${String(r.concurrency).padStart(11)}  ${String(r.creates).padStart(7)}  ${String(r.perSecond).padStart(5)}  ${String(r.p50).padStart(7)}  ${String(r.p95).padStart(7)}  ${String(r.p99).padStart(7)}  ${String(r.max).padStart(7)}`);
}
const worst = Math.max(...results.map((r) => r.p99));
console.log(worst <= 20 ? `OK: worst p99 ${worst} ms` : `OVER TARGET: worst p99 ${worst} ms`);
fs.mkdirSync(path.join(root, 'bench-results'), { recursive: true });
fs.writeFileSync(path.join(root, 'bench-results', 'pg-create.json'), `${JSON.stringify(report, null, 2)}\n`);
if (worst > 20) process.exitCode = 1;
