import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../e2e/harness.js';

const root = path.resolve(__dirname, '..', '..');
const TENANT = '7a1c2f10-0000-4000-8000-000000000001';

/** Deterministic pseudo-random numbers (mulberry32), so a failing case can be replayed. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIRD = ['', ' ', '\u0000', '\ud800', '\udfff\ud800', '🙂'.repeat(500), 'x'.repeat(200_000), '${1+1}', '[a](javascript:alert(1))', '<at>bot</at>', '도움말', 'help', 'ids', 'activate', 'queue', 'new request', 'is sql 2019 covered', '{"a":1}', '%s%s%n', '../../etc/passwd'];
const VERBS = ['command.run', 'activation.approve', 'ids.reveal', 'requests.claim', 'nope', '', '${verb}', 'x'.repeat(5000)];

function valid(r: () => number, i: number) {
  const kinds = ['personal', 'groupChat', 'channel'];
  return {
    type: 'message',
    id: `fuzz-${i}`,
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9',
    deliveryMode: 'expectReplies',
    locale: r() < 0.5 ? 'en-US' : 'ko-KR',
    text: WEIRD[Math.floor(r() * WEIRD.length)],
    from: { id: '29:fuzz', aadObjectId: `7a1c2f10-0000-4000-8000-0000000000${20 + Math.floor(r() * 6)}`, name: 'Fuzz' },
    recipient: { id: '28:bot' },
    conversation: { id: `fuzz-conv-${Math.floor(r() * 20)}`, conversationType: kinds[Math.floor(r() * 3)], tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
  } as Record<string, any>;
}

/** One random or mutated activity (as raw body text). */
function mutate(r: () => number, i: number): string {
  const a = valid(r, i);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  switch (Math.floor(r() * 12)) {
    case 0:
      a.type = pick(['invoke', 'event', 'conversationUpdate', 'installationUpdate', 'messageReaction', 'typing', 'endOfConversation', 'bogus', '']);
      break;
    case 1:
      a.type = 'invoke';
      a.name = pick(['adaptiveCard/action', 'task/fetch', 'signin/verifyState', 'composeExtension/query', '']);
      a.value = pick([undefined, null, 1, 'x', { action: null }, { action: { type: 'Action.Execute', verb: pick(VERBS), data: pick([null, 1, 'x', {}, { requestId: '../x' }, { command: 'help' }]) } }]);
      break;
    case 2:
      a.value = { verb: pick(VERBS), command: pick(['help', 'ids', 'activate', 'x', '']), args: pick(WEIRD), requestId: pick(['', 'x', '1'.repeat(300)]) };
      break;
    case 3:
      delete a[pick(['from', 'recipient', 'channelId', 'serviceUrl', 'id', 'locale', 'channelData'])];
      break;
    case 4:
      a.conversation = pick([{}, { id: '' }, { id: 5 }, null, 'x', { id: 'c', tenantId: 'other' }]);
      break;
    case 5:
      a.from = pick([null, {}, { aadObjectId: 5 }, { id: 'x', aadObjectId: '' }, 'x']);
      break;
    case 6:
      a.entities = pick([null, 'x', [{ type: 'mention' }], [{ type: 'mention', mentioned: { id: '28:bot' }, text: '<at>' }], [1, 2]]);
      break;
    case 7:
      a.membersAdded = pick([null, [{}], [{ id: '28:bot' }], 'x']);
      a.type = 'conversationUpdate';
      break;
    case 8:
      return JSON.stringify(a).slice(0, Math.floor(r() * 200));
    case 9:
      return pick(['', 'null', '[]', '1', '"x"', '{', '\u0000\u0001', '{"type":"message"}']);
    case 10:
      a.locale = pick(['', 'ko', 'zz-ZZ', 'x'.repeat(200)]);
      a.text = pick(WEIRD);
      break;
    default:
      break;
  }
  return JSON.stringify(a);
}

describe('fuzz: 10,000 random and mutated activities', () => {
  it('never answers 5xx, never crashes, and still answers help afterwards', async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-fuzz-'));
    const bot = spawn(process.execPath, [path.join(root, 'dist/src/index.js')], { cwd: root, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let exited = false;
    bot.on('exit', () => (exited = true));
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const r = rng(20261125);
    const statuses = new Map<number, number>();
    const fivexx: string[] = [];
    const N = 10_000;
    let next = 0;
    const worker = async () => {
      while (next < N) {
        const i = next++;
        const body = mutate(r, i);
        const res = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500 && fivexx.length < 5) fivexx.push(body.slice(0, 300));
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(fivexx).toEqual([]);
    expect(exited).toBe(false);
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(N);
    const help = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...valid(rng(1), 999999), conversation: { id: 'after', conversationType: 'personal', tenantId: TENANT }, text: 'help', locale: 'en-US' }) });
    expect(help.status).toBe(200);
    expect(JSON.stringify(await help.json())).toContain('Partner Support Assistant');
    bot.kill('SIGTERM');
    await new Promise((res) => bot.on('exit', res));
  }, 300_000);
});
