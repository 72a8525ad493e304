import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../e2e/harness.js';

const root = path.resolve(__dirname, '..', '..');
const TENANT = '7a1c2f10-0000-4000-8000-000000000001';
const staff = ['22', '20', '21'].map((n) => ({ id: `29:crash-${n}`, aadObjectId: `7a1c2f10-0000-4000-8000-0000000000${n}`, name: `User ${n}` }));

function startBot(port: number, dataDir: string): ChildProcess {
  return spawn(process.execPath, [path.join(root, 'dist/src/index.js')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error', NODE_ENV: 'production', ALLOW_LOCAL_MODE: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function healthy(port: number): Promise<void> {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('bot did not become healthy');
}

function createActivity(i: number) {
  const from = staff[i % staff.length];
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9',
    locale: 'en-US',
    from,
    recipient: { id: '28:bot' },
    conversation: { id: `a:crash-${from.aadObjectId}`, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    value: {
      trigger: 'manual',
      action: {
        type: 'Action.Execute',
        verb: 'requests.create',
        data: { formId: `crash-form-${i}`, product: 'SQL Server 2022', for: 'organisation', customerName: '', customerTenantId: '', severity: 'B', title: `Crash test ${i}`, description: 'Created while the bot is killed.' },
      },
    },
  };
}

/** Every request id stored in the hot file and the archive files. */
function storedIds(dataDir: string): Set<string> {
  const ids = new Set<string>();
  const add = (file: string) => {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { records: Record<string, unknown> };
    for (const id of Object.keys(doc.records)) ids.add(id);
  };
  add(path.join(dataDir, 'requests.json'));
  const archive = path.join(dataDir, 'archive', 'requests');
  if (fs.existsSync(archive)) for (const f of fs.readdirSync(archive)) add(path.join(archive, f));
  return ids;
}

describe('crash: kill -9 while 50 clients create 1,000 requests', () => {
  it('keeps every acknowledged request and every file parses after restart', async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-crash-'));
    let bot = startBot(port, dataDir);
    await healthy(port);

    const acknowledged = new Map<number, string>(); // i -> request id
    let next = 0;
    let killed = false;
    const KILL_AFTER = 250 + Math.floor(Math.random() * 300);
    const client = async () => {
      while (next < 1000) {
        const i = next++;
        try {
          const r = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(createActivity(i)) });
          const body = (await r.json()) as { value?: { refresh?: { action?: { data?: { requestId?: string } } } } };
          const id = body.value?.refresh?.action?.data?.requestId;
          if (r.status === 200 && id) acknowledged.set(i, id);
        } catch {
          // the bot was killed under this request: not acknowledged
        }
        if (!killed && acknowledged.size >= KILL_AFTER) {
          killed = true;
          bot.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 50 }, client));
    expect(killed).toBe(true);
    await new Promise((r) => (bot.exitCode !== null || bot.signalCode !== null ? r(undefined) : bot.once('exit', r)));

    // every file parses, with or without a restart
    for (const f of fs.readdirSync(dataDir, { recursive: true }) as string[]) {
      if (f.endsWith('.json')) expect(() => JSON.parse(fs.readFileSync(path.join(dataDir, f), 'utf8'))).not.toThrow();
    }
    bot = startBot(port, dataDir); // takes over the dead process's lock
    await healthy(port);
    const ids = storedIds(dataDir);
    const missing = [...acknowledged.values()].filter((id) => !ids.has(id));
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(missing).toEqual([]);
    bot.kill('SIGTERM');
    await new Promise((r) => bot.once('exit', r));
  }, 180_000);
});
