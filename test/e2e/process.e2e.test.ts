import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './harness.js';

const root = path.resolve(__dirname, '..', '..');
const entry = path.join(root, 'dist/src/index.js');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'psa-proc-'));

function start(env: Record<string, string>) {
  const p = spawn(process.execPath, [entry], { cwd: os.tmpdir(), env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
  return { p, exited, output: () => out };
}

async function healthy(port: number, ms = 10000): Promise<Response> {
  const started = Date.now();
  for (;;) {
    try {
      return await fetch(`http://127.0.0.1:${port}/healthz`);
    } catch (err) {
      if (Date.now() - started > ms) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const help = (id: string) => ({
  type: 'message', id, text: 'help', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9', deliveryMode: 'expectReplies',
  conversation: { id: 'proc-1', conversationType: 'personal', tenantId: '7a1c2f10-0000-4000-8000-000000000001' },
  from: { id: '29:a', aadObjectId: '7a1c2f10-0000-4000-8000-000000000022', name: 'Adele Vance' }, recipient: { id: '28:bot' },
});

describe('the built bot as a process (npm start)', () => {
  it('starts from PORT, DATA_DIR and ORG_FILE, answers, refuses bad bodies, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = tmp();
    const orgFile = path.join(dataDir, 'org.json');
    fs.copyFileSync(path.join(root, 'config/org.mpn-2021.sample.json'), orgFile);
    const bot = start({ PORT: String(port), DATA_DIR: dataDir, ORG_FILE: orgFile, LOG_LEVEL: 'info' });
    const h = await healthy(port);
    expect(h.status).toBe(200);
    // Liveness says only alive or not; readiness says the storage is usable; neither shows paths.
    expect(await h.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.stringify(await ready.json())).not.toContain(dataDir);
    expect(bot.output()).toContain('LOCAL MODE');

    const r = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(help('p1')) });
    expect(r.status).toBe(200);
    expect(JSON.stringify(await r.json())).toContain('Partner Support Assistant');
    const bad = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', body: '{oops' });
    expect(bad.status).toBe(400);
    const big = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', body: 'x'.repeat(300 * 1024) });
    expect(big.status).toBe(413);

    const second = start({ PORT: String(await freePort()), DATA_DIR: dataDir, ORG_FILE: orgFile });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/in use by another bot process/);

    const t0 = Date.now();
    bot.p.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10000);
    expect(fs.existsSync(path.join(dataDir, 'bot.lock'))).toBe(false);
    for (const f of fs.readdirSync(dataDir).filter((f) => f.endsWith('.json'))) expect(() => JSON.parse(fs.readFileSync(path.join(dataDir, f), 'utf8'))).not.toThrow();
  });

  it.each([
    ['a corrupt data file', (dir: string) => fs.writeFileSync(path.join(dir, 'benefits.json'), '{"schemaVersion":1,"rec'), {}, /benefits\.json is corrupt/],
    ['an invalid org file', (dir: string) => fs.writeFileSync(path.join(dir, 'org.json'), JSON.stringify({ tenantId: 't', name: 'X', actionPack: 'yes', competencies: [], people: [] })), { ORG_FILE: 'org.json' }, /actionPack: Expected boolean/],
    ['production without an app id', () => undefined, { NODE_ENV: 'production' }, /MicrosoftAppId: missing while NODE_ENV=production/],
    ['a bad PORT', () => undefined, { PORT: 'eighty' }, /PORT must be an integer/],
  ])('refuses to start with %s and says why', async (_name, prepare, env: Record<string, string>, message) => {
    const dir = tmp();
    prepare(dir);
    const full: Record<string, string> = { PORT: '0', DATA_DIR: dir, ...env };
    if (full.ORG_FILE) full.ORG_FILE = path.join(dir, full.ORG_FILE);
    const r = spawnSync(process.execPath, [entry], { env: { PATH: process.env.PATH ?? '', ...full }, encoding: 'utf8', timeout: 15000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(message);
    if (_name === 'a corrupt data file') expect(fs.readFileSync(path.join(dir, 'benefits.json'), 'utf8')).toBe('{"schemaVersion":1,"rec');
  });
});
