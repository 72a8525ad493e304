/**
 * Scale-out: two built bot processes on different ports sharing one PostgreSQL database (a real server, see
 * test/helpers/postgres.ts), with 50 concurrent clients spread over both; then two plain processes racing on the
 * store itself (sequences, claims, increments, jobs) — the guarantees the capabilities build on.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { message, people, TENANT, type TestUser } from '../helpers/activities.js';
import { startPostgres, type PgServer } from '../helpers/postgres.js';
import { freePort, startBot } from './harness.js';

jest.setTimeout(180_000);

const root = path.resolve(__dirname, '..', '..');
const pgStoreModule = pathToFileURL(path.join(root, 'dist/src/storage/postgres/pg-store.js')).href;

interface Bot {
  port: number;
  logs: string[];
  stop(): Promise<void>;
}

async function post(port: number, activity: object): Promise<{ status: number; body: { activities?: { text?: string; attachments?: unknown[] }[] } }> {
  const r = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : {} };
}

async function healthy(port: number): Promise<{ status: string; storage: Record<string, unknown> }> {
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    if (r.status === 200) return (await r.json()) as { status: string; storage: Record<string, unknown> };
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`bot on ${port} never became ready`);
}

/** Runs `body` (an async function body with `store`, `name` and `go` in scope) in a separate Node process on the built store. */
function storeProcess(url: string, name: string, go: number, body: string): Promise<unknown> {
  const script = `
    const { openPgStore } = await import(${JSON.stringify(pgStoreModule)});
    const store = await openPgStore({ databaseUrl: process.env.DATABASE_URL, pgPoolMax: 5 });
    const name = ${JSON.stringify(name)};
    const go = ${go};
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    await sleep(Math.max(0, go - Date.now()));
    const result = await (async () => { ${body} })();
    await store.close();
    process.stdout.write(JSON.stringify(result));
  `;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env: { PATH: process.env.PATH ?? '', DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${name} exited ${code}: ${err}`))));
  });
}

describe('two bot instances on one PostgreSQL database', () => {
  let server: PgServer;
  let url: string;
  let bots: Bot[] = [];
  let db: pg.Client;

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase();
    const key = randomBytes(32).toString('base64');
    const ports = [await freePort(), await freePort()];
    // Both at once: the schema migration and the benefits seed race, as they would in a real deployment.
    bots = await Promise.all(
      ports.map(async (port) => ({ port, ...(await startBot({ port, env: { STORAGE: 'postgres', DATABASE_URL: url, DATA_ENCRYPTION_KEY: key, PG_POOL_MAX: '5' } })) })),
    );
    db = new pg.Client({ connectionString: url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await Promise.all(bots.map((b) => b.stop()));
    await server?.stop();
  });

  it('both report the shared PostgreSQL store as healthy, migrated once, seeded once', async () => {
    for (const b of bots) {
      const h = await healthy(b.port);
      expect(h).toMatchObject({ status: 'ok', storage: { backend: 'postgres', ok: true, schemaVersion: 2 } });
      expect(JSON.stringify(h)).not.toContain(new URL(url).password);
    }
    const migrations = await db.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(migrations.rows.map((r: { version: number }) => r.version)).toEqual([1, 2]);
    const benefits = await db.query("SELECT id, version FROM records WHERE collection = 'benefits'");
    expect(benefits.rows).toEqual([{ id: TENANT, version: 1 }]);
  });

  it('answers 50 concurrent clients spread over both, each conversation moving between instances, with one shared data set', async () => {
    const known: TestUser[] = [people.globalAdmin, people.partnerAdmin, people.staff, people.helpDesk, people.cspOnly, people.helpDesk2];
    const clients = Array.from({ length: 50 }, (_, i) => ({ i, from: known[i % known.length], conversationId: `a:scale-out-${i}` }));
    const failures: string[] = [];
    await Promise.all(
      clients.map(async ({ i, from, conversationId }) => {
        // Three turns per client, alternating instances: conversation state written by one is read by the other.
        for (let turn = 0; turn < 3; turn++) {
          const bot = bots[(i + turn) % 2];
          const r = await post(bot.port, message(turn === 1 ? 'what can you do' : 'help', { from, conversationId, expectReplies: true, locale: turn === 2 ? 'ko-KR' : 'en-US' }));
          if (r.status !== 200 || !r.body.activities?.length) failures.push(`client ${i} turn ${turn} on ${bot.port}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        }
      }),
    );
    expect(failures).toEqual([]);
    const conv = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE collection = 'conversations' AND id LIKE 'conv:a:scale-out-%'");
    expect(conv.rows[0].n).toBe(50);
    const personal = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE collection = 'conversations' AND id LIKE 'personal:%'");
    expect(personal.rows[0].n).toBe(known.length);
    // The locale changed on the third turn, so each reference was rewritten (compare-and-set) by the other instance.
    const ko = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE collection = 'conversations' AND id LIKE 'conv:a:scale-out-%' AND data->'reference'->>'locale' = 'ko-KR' AND version = 2");
    expect(ko.rows[0].n).toBe(50);
    for (const b of bots) expect(b.logs.join('')).not.toMatch(/"level":(50|60)/); // no error or fatal log line
  });

  it('two processes on the store: unique numbers, one owner per claim, no lost increment, one run of a job', async () => {
    await db.query("INSERT INTO records (collection, id, version, data) SELECT 'races', 'claim-' || g, 1, '{}'::jsonb FROM generate_series(0, 19) g");
    await db.query("INSERT INTO records (collection, id, version, data) VALUES ('races', 'counter', 1, '{\"n\":0}')");
    const body = `
      const races = store.collection('races');
      const numbers = await Promise.all(Array.from({ length: 250 }, () => races.nextSequence(${JSON.stringify(TENANT)})));
      const claims = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => races.mutate('claim-' + i, (cur) => {
        if (cur.owner) throw new Error('taken');
        return { ...cur, owner: name };
      })));
      const won = claims.map((c, i) => (c.status === 'fulfilled' ? i : -1)).filter((i) => i >= 0);
      let increments = 0;
      await Promise.all(Array.from({ length: 25 }, async () => {
        try {
          await races.mutate('counter', (cur) => ({ ...cur, n: cur.n + 1 }));
          increments++;
        } catch (err) {
          if (err.name !== 'ConflictError') throw err;
        }
      }));
      const job = await store.runExclusive('reminders', async () => { await sleep(1500); return name; });
      return { numbers, won, increments, job: job ?? null };
    `;
    const go = Date.now() + 3000;
    const [a, b] = (await Promise.all([storeProcess(url, 'one', go, body), storeProcess(url, 'two', go, body)])) as { numbers: number[]; won: number[]; increments: number; job: string | null }[];

    const numbers = [...a.numbers, ...b.numbers].sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));

    expect([...a.won, ...b.won].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const owners = await db.query<{ id: string; owner: string; version: number }>("SELECT id, data->>'owner' AS owner, version FROM records WHERE collection = 'races' AND id LIKE 'claim-%'");
    for (const row of owners.rows) {
      expect(row.version).toBe(2);
      expect((row.owner === 'one' ? a : b).won).toContain(Number(row.id.slice('claim-'.length)));
    }

    const counter = await db.query<{ n: number; version: number }>("SELECT (data->>'n')::int AS n, version FROM records WHERE collection = 'races' AND id = 'counter'");
    expect(counter.rows[0].n).toBe(a.increments + b.increments);
    expect(counter.rows[0].version).toBe(a.increments + b.increments + 1);

    expect([a.job, b.job].filter((j) => j !== null)).toHaveLength(1);
  });

  it('a bot whose database is unreachable exits 1 naming the host, never the password', async () => {
    const port = await freePort();
    const r = spawnSync(process.execPath, [path.join(root, 'dist/src/index.js')], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', STORAGE: 'postgres', DATABASE_URL: `postgresql://psa:NotShown-8812@127.0.0.1:${port}/psa`, DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Cannot connect to PostgreSQL at 127.0.0.1:${port}/psa (from DATABASE_URL)`);
    expect(r.stderr + r.stdout).not.toContain('NotShown-8812');
  });

  it.todo('a duplicate delivery of one activity to the other instance is answered once (src/server.ts still keeps its own in-memory map; it should call store.claimOnce)');
  it.todo('exactly one decision per activation approval race across instances (activation capability not in the tree yet)');
  it.todo('one owner per help-desk claim race across instances (help desk capability not in the tree yet)');
  it.todo('unique request numbers from request creation across instances (requests capability not in the tree yet; the store guarantee is tested above)');
});
