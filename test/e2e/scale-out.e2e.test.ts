/**
 * Scale-out: two built bot processes on different ports sharing one PostgreSQL database (a real server, see
 * test/helpers/postgres.ts), with 50 concurrent clients spread over both; two plain processes racing on the
 * store itself (sequences, claims, increments, jobs) — the guarantees the capabilities build on; then the real
 * capabilities over HTTP across both instances: one turn per activity delivered to both, one decision per approval
 * race, one owner per claim race, no lost note, one request and one triage post per double click, unique request
 * numbers. The org is config/org.mpn-2021.not-activated.sample.json
 * (so staff can ask for activation) plus 50 load users; proactive messages go to a connector stand-in.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { execute, message, people, setServiceUrl, TENANT, type ActivityOptions, type TestUser } from '../helpers/activities.js';
import { startConnector, type ConnectorStandIn } from '../helpers/connector.js';
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

interface InvokeAnswer {
  status: number;
  /** The invoke body's statusCode (the HTTP status when there is no body). */
  code: number;
  /** The returned card, when the answer is one. */
  card?: Record<string, unknown>;
  /** All text of the card, or the message / error text. */
  text: string;
}

/** Every text of a card (TextBlocks, TextRuns, facts, titles), joined. */
function cardText(node: unknown): string {
  const parts: string[] = [];
  const walk = (n: unknown) => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    for (const [k, v] of Object.entries(n)) {
      if (typeof v === 'string' && ['text', 'title', 'value', 'label'].includes(k)) parts.push(v);
      else walk(v);
    }
  };
  walk(node);
  return parts.join('\n');
}

/** Posts an Action.Execute to one instance and reads the invoke response. */
async function invoke(port: number, verb: string, data: Record<string, unknown>, opts: ActivityOptions): Promise<InvokeAnswer> {
  const r = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(execute(verb, data, opts)) });
  const raw = await r.text();
  const body = (raw ? JSON.parse(raw) : {}) as { statusCode?: number; type?: string; value?: unknown };
  const card = body.type === 'application/vnd.microsoft.card.adaptive' ? (body.value as Record<string, unknown>) : undefined;
  const text = card ? cardText(card) : typeof body.value === 'string' ? body.value : String((body.value as { message?: string } | undefined)?.message ?? '');
  return { status: r.status, code: body.statusCode ?? r.status, card, text };
}

/** The JSON log lines a bot process wrote (stdout and stderr arrive in chunks). */
function logLines(bot: Bot): { msg?: string; level?: number; activityId?: string }[] {
  return bot.logs
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; level?: number; activityId?: string });
}

/** Runs `fn` over `items` with at most `n` at a time. */
async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

/** A valid request form (SQL Server 2022 for the organisation) with a fresh form id. */
function requestForm(title: string, severity = 'B'): Record<string, unknown> {
  return {
    formId: randomUUID(),
    product: 'SQL Server 2022',
    for: 'organisation',
    customerName: '',
    customerTenantId: '',
    severity,
    title,
    description: 'Cluster failover fails with error 0x80071736 since the May cumulative update.',
  };
}

const CHANNEL = '19:helpdesk@thread.tacv2';

/** 50 extra MPN-associated people without roles: the load clients. */
const loadUsers: TestUser[] = Array.from({ length: 50 }, (_, i) => ({
  aadObjectId: `7a1c2f10-0000-4000-8000-0000000011${String(i).padStart(2, '0')}`,
  name: `Load User ${i}`,
  id: `29:load-${i}`,
}));

/** Waits until /readyz (storage usable) answers 200 and returns its body. */
async function healthy(port: number): Promise<{ status: string }> {
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`);
    if (r.status === 200) return (await r.json()) as { status: string };
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
  let db: pg.Pool;
  let connector: ConnectorStandIn;
  let orgDir: string;

  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase();
    connector = await startConnector();
    setServiceUrl(connector.url); // proactive messages of both instances (approval cards, triage posts) land here
    orgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-scale-out-org-'));
    const org = JSON.parse(fs.readFileSync(path.join(root, 'config/org.mpn-2021.not-activated.sample.json'), 'utf8')) as { people: object[] };
    org.people.push(...loadUsers.map((u) => ({ aadObjectId: u.aadObjectId, name: u.name, mpnAssociated: true, roles: [] })));
    const orgFile = path.join(orgDir, 'org.json');
    fs.writeFileSync(orgFile, JSON.stringify(org));
    const key = randomBytes(32).toString('base64');
    const ports = [await freePort(), await freePort()];
    // Both at once: the schema migration and the benefits seed race, as they would in a real deployment.
    bots = await Promise.all(
      ports.map(async (port) => ({ port, ...(await startBot({ port, orgFile, env: { STORAGE: 'postgres', DATABASE_URL: url, DATA_ENCRYPTION_KEY: key, PG_POOL_MAX: '5' } })) })),
    );
    db = new pg.Pool({ connectionString: url, max: 4 });
  });

  afterAll(async () => {
    await db?.end();
    await Promise.all(bots.map((b) => b.stop()));
    await connector?.close();
    await server?.stop();
    if (orgDir) fs.rmSync(orgDir, { recursive: true, force: true });
  });

  /** Turn log lines of both instances for an activity. */
  const turnsOf = (activityId: string) => bots.flatMap((b) => logLines(b)).filter((l) => l.msg === 'turn' && l.activityId === activityId).length;

  /** Once: the help desk channel is set and the help desk agents have a personal chat (for proactive notices). */
  let helpDeskReady: Promise<void> | undefined;
  const ensureHelpDesk = () =>
    (helpDeskReady ??= (async () => {
      for (const u of [people.helpDesk, people.helpDesk2]) expect((await post(bots[0].port, message('help', { from: u, expectReplies: true }))).status).toBe(200);
      const set = await post(bots[1].port, message('set help desk channel', { from: people.globalAdmin, kind: 'channel', conversationId: CHANNEL, expectReplies: true }));
      expect(set.status).toBe(200);
      const settings = await db.query("SELECT data->'helpDeskChannel'->>'conversationId' AS channel FROM records WHERE collection = 'request-settings'");
      expect(settings.rows).toEqual([{ channel: CHANNEL }]);
    })());

  /** Opens a request through the form's verb on one instance; returns the stored id and the answer. */
  async function openRequest(port: number, who: TestUser, title: string): Promise<{ id: string; answer: InvokeAnswer }> {
    const answer = await invoke(port, 'requests.create', requestForm(title), { from: who });
    const refresh = (answer.card?.refresh as { action?: { data?: { requestId?: string } } } | undefined)?.action?.data?.requestId;
    if (!refresh) throw new Error(`no request opened on ${port}: ${answer.status}/${answer.code} ${answer.text.slice(0, 300)}`);
    // The triage post runs after the answer: wait for it (it changes the record's version) so each test starts settled.
    await until(async () => (await db.query("SELECT 1 FROM records WHERE collection = 'requests' AND id = $1 AND data ? 'channelPost'", [refresh])).rowCount === 1, `request ${refresh} posted`);
    return { id: refresh, answer };
  }

  /** Polls `check` until it holds (the work a turn starts after its answer, on another process). */
  async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** A request as stored: version, assignee, notes, number. */
  async function storedRequest(id: string): Promise<{ version: number; assignee: string | null; notes: { text: string; by: { aadObjectId: string } }[]; number: number; key: string }> {
    const r = await db.query("SELECT version, data->'assignee'->>'aadObjectId' AS assignee, data->'notes' AS notes, (data->>'number')::int AS number, data->>'key' AS key FROM records WHERE collection = 'requests' AND id = $1", [id]);
    if (!r.rows[0]) throw new Error(`request ${id} not stored`);
    return r.rows[0];
  }

  it('both are ready on the shared PostgreSQL store, migrated once, seeded once', async () => {
    for (const b of bots) {
      const h = await healthy(b.port);
      expect(h).toEqual({ status: 'ok' });
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

  it('runs one turn in total for an activity delivered to both instances (the claim is shared through the database)', async () => {
    const activities = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? message('help', { from: people.staff, conversationId: `a:dup-${i}`, expectReplies: true, id: `dup-${randomUUID()}` })
        : execute('requests.create', requestForm(`Delivered to both ${i}`), { from: people.staff, id: `dup-${randomUUID()}` }),
    );
    // At once, to both instances.
    const answers = await Promise.all(activities.map((a) => Promise.all(bots.map((b) => post(b.port, a)))));
    const failures: string[] = [];
    answers.forEach((pair, i) => {
      if (pair.some((r) => r.status !== 200)) failures.push(`${i}: ${pair.map((r) => r.status).join('/')}`);
      const answered = pair.filter((r) => (i % 2 === 0 ? (r.body.activities?.length ?? 0) > 0 : Object.keys(r.body).length > 0));
      if (answered.length !== 1) failures.push(`${i}: ${answered.length} instances answered with content`);
    });
    expect(failures).toEqual([]);
    // A late retry to the instance that did not run the turn runs none either.
    for (const [i, a] of activities.entries()) {
      const other = answers[i].findIndex((r) => (i % 2 === 0 ? !r.body.activities?.length : Object.keys(r.body).length === 0));
      expect((await post(bots[other].port, a)).status).toBe(200);
    }
    for (const a of activities) expect([a.id, turnsOf(a.id)]).toEqual([a.id, 1]);
    // The invokes were form submits: one request each (the form id also protects this; the turn count is the point).
    const made = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM records WHERE collection = 'requests' AND data->>'title' LIKE 'Delivered to both %'");
    expect(made.rows[0].n).toBe(10);
    const claims = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM dedupe WHERE key LIKE $1', ['activity|%|dup-%']);
    expect(claims.rows[0].n).toBe(20);
  });

  it('makes exactly one decision per activation approval race between two admins on different instances', async () => {
    // The admins need a stored personal chat for their approval cards.
    for (const admin of [people.globalAdmin, people.partnerAdmin]) expect((await post(bots[1].port, message('help', { from: admin, expectReplies: true }))).status).toBe(200);
    const admins = [people.globalAdmin, people.partnerAdmin];
    const runs = 15;
    const winners: Record<string, number> = {};
    for (let run = 0; run < runs; run++) {
      const asked = await invoke(bots[run % 2].port, 'activation.request', {}, { from: people.staff });
      expect(asked.code).toBe(200);
      const pending = await db.query<{ id: string }>("SELECT id FROM records WHERE collection = 'activation-requests' AND data->>'status' = 'pending'");
      expect(pending.rows).toHaveLength(1);
      const id = pending.rows[0].id;
      expect(asked.text).toContain(`Activation request ${id}`);
      // One admin through each instance, at the same moment (which admin uses which instance alternates).
      const answers = await Promise.all(admins.map((a, k) => invoke(bots[(run + k) % 2].port, 'activation.approve', { requestId: id }, { from: a })));
      expect(answers.map((a) => [a.status, a.code])).toEqual([
        [200, 200],
        [200, 200],
      ]);
      expect(answers.filter((a) => a.text.includes('This request was already answered.'))).toHaveLength(1);
      const stored = await db.query<{ status: string; decided_by: string; copies: number }>(
        "SELECT data->>'status' AS status, data->'decidedBy'->>'name' AS decided_by, jsonb_array_length(data->'cards')::int AS copies FROM records WHERE collection = 'activation-requests' AND id = $1",
        [id],
      );
      expect(stored.rows[0]).toMatchObject({ status: 'approved', copies: 2 });
      const loser = answers.findIndex((a) => a.text.includes('This request was already answered.'));
      expect(stored.rows[0].decided_by).toBe(admins[1 - loser].name);
      winners[stored.rows[0].decided_by] = (winners[stored.rows[0].decided_by] ?? 0) + 1;
      // Close it (as if activated) so the next run can ask again.
      await db.query("UPDATE records SET data = jsonb_set(data, '{status}', '\"completed\"'), version = version + 1 WHERE collection = 'activation-requests' AND id = $1", [id]);
    }
    const decisions = await db.query<{ subject: string; n: number }>("SELECT subject, count(*)::int AS n FROM audit WHERE action IN ('activation.approved', 'activation.rejected') GROUP BY subject");
    expect(decisions.rows).toHaveLength(runs);
    expect(decisions.rows.every((r) => r.n === 1)).toBe(true);
    expect(Object.values(winners).reduce((a, b) => a + b, 0)).toBe(runs);
    // Only the winner was sent the activation steps, once per race.
    const steps = connector.sent.filter((s) => cardText(s.activity).includes('Here is how to activate'));
    expect(steps).toHaveLength(runs);
  });

  it('gives each request one owner when two help desk agents claim it at once through different instances', async () => {
    await ensureHelpDesk();
    const ids: string[] = [];
    await pool(Array.from({ length: 20 }, (_, i) => i), 10, async (i) => {
      ids[i] = (await openRequest(bots[i % 2].port, people.staff, `Claim race ${i}`)).id;
    });
    const agents = [people.helpDesk, people.helpDesk2];
    const failures: string[] = [];
    await pool(ids, 5, async (id, i) => {
      const shown = await storedRequest(id);
      const answers = await Promise.all(
        agents.map((a, k) => invoke(bots[(i + k) % 2].port, 'requests.claim', { requestId: id, version: shown.version }, { from: a, kind: 'channel', conversationId: CHANNEL })),
      );
      const after = await storedRequest(id);
      const winner = agents.findIndex((a) => a.aadObjectId.toLowerCase() === after.assignee);
      if (winner < 0) return void failures.push(`${shown.key}: no owner`);
      if (!answers[winner].text.includes(`You claimed ${shown.key}`)) failures.push(`${shown.key}: winner told ${answers[winner].text.slice(0, 120)}`);
      if (!answers[1 - winner].text.includes(`${shown.key} is already claimed by ${agents[winner].name}`)) failures.push(`${shown.key}: loser told ${answers[1 - winner].text.slice(0, 120)}`);
      if (after.version !== shown.version + 1) failures.push(`${shown.key}: version ${shown.version} -> ${after.version}`);
    });
    expect(failures).toEqual([]);
    const claimed = await db.query<{ subject: string; n: number }>("SELECT subject, count(*)::int AS n FROM audit WHERE action = 'request.claimed' AND subject = ANY($1) GROUP BY subject", [ids]);
    expect(claimed.rows).toHaveLength(ids.length);
    expect(claimed.rows.every((r) => r.n === 1)).toBe(true);
  });

  it('loses no update: two agents adding notes to one request at the same time through different instances', async () => {
    await ensureHelpDesk();
    const { id } = await openRequest(bots[0].port, people.staff, 'Many notes');
    const before = await storedRequest(id);
    const perAgent = 8;
    const agents = [people.helpDesk, people.helpDesk2];
    const answers = await Promise.all(
      agents.map(async (a, k) => {
        const out: InvokeAnswer[] = [];
        for (let n = 0; n < perAgent; n++) {
          // Each agent alternates instances; the two agents write at the same time.
          out.push(await invoke(bots[(n + k) % 2].port, 'requests.addNote', { requestId: id, version: before.version, note: `${a.name} note ${n}`, visibleToRequester: 'false' }, { from: a, kind: 'channel', conversationId: CHANNEL }));
        }
        return out;
      }),
    );
    expect(answers.flat().filter((a) => !a.text.includes(`Note added to ${before.key}`)).map((a) => `${a.code} ${a.text.slice(0, 120)}`)).toEqual([]);
    const after = await storedRequest(id);
    expect(after.notes.map((n) => n.text).sort()).toEqual(agents.flatMap((a) => Array.from({ length: perAgent }, (_, n) => `${a.name} note ${n}`)).sort());
    expect(after.version).toBe(before.version + agents.length * perAgent);
  });

  it('opens one request with one triage post for a double click on the request form landing on both instances', async () => {
    await ensureHelpDesk();
    const failures: string[] = [];
    for (let i = 0; i < 10; i++) {
      const data = requestForm(`Double click ${i}`);
      // Two clicks are two activities (different ids): the form id, not the duplicate-delivery check, makes them one.
      const answers = await Promise.all(bots.map((b) => invoke(b.port, 'requests.create', data, { from: people.staff })));
      const opened = answers.filter((a) => /Request PSA-\d{4} is open/.test(a.text)).length;
      const already = answers.filter((a) => /Request PSA-\d{4} was already opened/.test(a.text)).length;
      if (opened !== 1 || already !== 1) failures.push(`${i}: ${answers.map((a) => `${a.code} ${a.text.slice(0, 80)}`).join(' | ')}`);
    }
    expect(failures).toEqual([]);
    const made = await db.query<{ key: string }>("SELECT data->>'key' AS key FROM records WHERE collection = 'requests' AND data->>'title' LIKE 'Double click %'");
    expect(made.rows).toHaveLength(10);
    await new Promise((r) => setTimeout(r, 200));
    for (const { key } of made.rows) {
      const posts = connector.sent.filter((s) => s.conversationId === CHANNEL && cardText(s.activity).includes(key) && (s.activity.attachments ?? []).length > 0);
      expect([key, posts.length]).toEqual([key, 1]);
    }
  });

  it('numbers requests uniquely when 50 clients submit the request form at once over both instances', async () => {
    await ensureHelpDesk();
    const perClient = 4;
    const started = Date.now();
    const failures: string[] = [];
    await Promise.all(
      loadUsers.map(async (who, i) => {
        for (let n = 0; n < perClient; n++) {
          const a = await invoke(bots[(i + n) % 2].port, 'requests.create', requestForm(`Load ${i}.${n}`, ['A', 'B', 'C'][(i + n) % 3]), { from: who });
          if (a.status !== 200 || !/Request PSA-\d{4} is open/.test(a.text)) failures.push(`client ${i} request ${n}: ${a.status}/${a.code} ${a.text.slice(0, 160)}`);
        }
      }),
    );
    const ms = Date.now() - started;
    process.stdout.write(`${loadUsers.length * perClient} request creates by ${loadUsers.length} concurrent clients over two instances: ${ms} ms\n`);
    expect(failures).toEqual([]);
    const loadPosted = "SELECT count(*)::int AS n FROM records WHERE collection = 'requests' AND data->>'title' LIKE 'Load %' AND data ? 'channelPost'";
    await until(async () => (await db.query<{ n: number }>(loadPosted)).rows[0].n === loadUsers.length * perClient, 'every load request posted');
    const load = await db.query<{ number: number; key: string; posted: string | null }>(
      "SELECT (data->>'number')::int AS number, data->>'key' AS key, data->'channelPost'->>'activityId' AS posted FROM records WHERE collection = 'requests' AND data->>'title' LIKE 'Load %'",
    );
    expect(load.rows).toHaveLength(loadUsers.length * perClient);
    expect(load.rows.every((r) => r.posted)).toBe(true);
    // Every request of the organisation, whichever test and instance made it: numbers 1…n, none twice, none skipped.
    const numbers = load.rows.map((r) => r.number).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0] + i)); // none twice, none skipped while nothing else ran
    const all = await db.query<{ n: number; distinct: number }>("SELECT count(*)::int AS n, count(DISTINCT data->>'number')::int AS distinct FROM records WHERE collection = 'requests'");
    expect(all.rows[0].distinct).toBe(all.rows[0].n); // and unique over every request of the organisation
    const keys = new Set(load.rows.map((r) => r.key));
    expect(keys.size).toBe(load.rows.length);
    // One triage post per request in the help desk channel, whichever instance created it.
    const posts = connector.sent.filter((s) => s.conversationId === CHANNEL && (s.activity.attachments ?? []).length > 0).map((s) => cardText(s.activity).match(/PSA-\d{4}/)?.[0]);
    for (const key of keys) expect([key, posts.filter((p) => p === key).length]).toEqual([key, 1]);
    for (const b of bots) expect(b.logs.join('')).not.toMatch(/"level":(50|60)/);
  });
});
