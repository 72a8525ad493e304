import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
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

const ENCODINGS = ['gzip', 'x-gzip', 'deflate', 'br', 'identity', 'IDENTITY', 'x-unknown', 'gzip, br', 'compress', ''];

/** The body bytes for an encoding: compressed properly, or not at all, or cut off, or corrupted. */
function encode(r: () => number, encoding: string, body: string): Buffer {
  const plain = Buffer.from(body);
  const packed = encoding.includes('gzip') ? zlib.gzipSync(plain) : encoding === 'deflate' ? zlib.deflateSync(plain) : encoding === 'br' ? zlib.brotliCompressSync(plain) : plain;
  switch (Math.floor(r() * 4)) {
    case 0:
      return plain; // announced as compressed, sent plain
    case 1:
      return packed.subarray(0, Math.floor(packed.length / 2)); // truncated stream
    case 2:
      return Buffer.from(packed.map((b, i) => (i % 7 === 3 ? b ^ 0xff : b))); // corrupted stream
    default:
      return packed;
  }
}

const post = (port: number, body: string | Buffer, headers: Record<string, string> = {}) =>
  new Promise<number>((resolve, reject) => {
    const data = typeof body === 'string' ? Buffer.from(body) : body;
    const req = http.request({ host: '127.0.0.1', port, path: '/api/messages', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(data.length), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });

/** Writes `head` then one of `pieces` every `everyMs` by hand; resolves when the server closes the connection. */
function trickle(port: number, head: string, pieces: string[], everyMs: number, opts: { destroyAfterMs?: number } = {}): Promise<{ text: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      if (timer) clearInterval(timer);
      socket.destroy();
      resolve({ text, ms: Date.now() - started });
    };
    socket.on('error', () => undefined);
    socket.on('data', (d) => (text += d.toString('utf8')));
    socket.on('close', done);
    socket.on('connect', () => {
      socket.write(head);
      const rest = [...pieces];
      timer = setInterval(() => (rest.length ? socket.write(rest.shift() as string) : clearInterval(timer)), everyMs);
      if (opts.destroyAfterMs !== undefined) setTimeout(done, opts.destroyAfterMs);
    });
  });
}

/** VmRSS of a process in bytes (Linux). */
function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

describe('fuzz: one process under random, mutated, compressed, broken and slow requests', () => {
  let bot: ChildProcess;
  let port: number;
  let exited = false;
  const helpTurn = () => JSON.stringify({ ...valid(rng(1), Math.floor(Math.random() * 1e9)), conversation: { id: 'after', conversationType: 'personal', tenantId: TENANT }, text: 'help', locale: 'en-US' });
  /** The same process still answers a normal turn. */
  const answersHelp = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: helpTurn() });
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain('Partner Support Assistant');
    expect(exited).toBe(false);
  };

  beforeAll(async () => {
    port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-fuzz-'));
    bot = spawn(process.execPath, [path.join(root, 'dist/src/index.js')], {
      cwd: root,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error', HEADERS_TIMEOUT_MS: '1000', BODY_TIMEOUT_MS: '1000' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    bot.on('exit', () => (exited = true));
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
  afterAll(async () => {
    if (!exited) {
      bot.kill('SIGTERM');
      await new Promise((res) => bot.on('exit', res));
    }
  });

  it('10,000 random and mutated activities (some with content encodings): never 5xx, never a crash, help answered afterwards', async () => {
    const r = rng(20261125);
    const statuses = new Map<number, number>();
    const fivexx: string[] = [];
    const N = 10_000;
    let next = 0;
    const worker = async () => {
      while (next < N) {
        const i = next++;
        const body = mutate(r, i);
        const encoding = r() < 0.1 ? ENCODINGS[Math.floor(r() * ENCODINGS.length)] : undefined;
        const status = encoding === undefined ? await post(port, body) : await post(port, encode(r, encoding, body), { 'content-encoding': encoding });
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500 && fivexx.length < 5) fivexx.push(`${encoding ?? ''} ${body.slice(0, 300)}`);
        if (encoding !== undefined && encoding.toLowerCase() !== 'identity' && encoding !== '') expect(status).toBe(415);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(fivexx).toEqual([]);
    expect(exited).toBe(false);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(N);
    await answersHelp();
  }, 300_000);

  it.each(ENCODINGS.filter((e) => e.toLowerCase() !== 'identity' && e !== ''))('refuses %s (valid, plain, truncated, corrupted) with 415 and then answers help', async (encoding) => {
    const r = rng(encoding.length);
    for (let i = 0; i < 8; i++) expect(await post(port, encode(r, encoding, helpTurn()), { 'content-encoding': encoding })).toBe(415);
    await answersHelp();
  });

  it('refuses eight gzip bombs at once (256 MB each inflated, under the size limit) without inflating them', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(256 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(256 * 1024);
    const before = rssOf(bot.pid as number);
    const statuses = await Promise.all(Array.from({ length: 8 }, () => post(port, bomb, { 'content-encoding': 'gzip' })));
    expect(statuses).toEqual(Array(8).fill(415));
    expect(rssOf(bot.pid as number) - before).toBeLessThan(64 * 1024 * 1024);
    await answersHelp();
  }, 60_000);

  it('survives body streams that break off, bodies over the limit (announced and chunked) and broken chunk framing', async () => {
    const head = (extra: string) => `POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${extra}\r\n`;
    const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;
    const cases = [
      trickle(port, `${head('Content-Length: 5000\r\n')}{"type":"message","te`, [], 50, { destroyAfterMs: 200 }),
      trickle(port, `${head('Transfer-Encoding: chunked\r\n')}${chunk('{"type":')}`, [], 50, { destroyAfterMs: 200 }),
      trickle(port, `${head(`Content-Length: ${1024 * 1024 * 1024}\r\n`)}{`, [], 50),
      trickle(port, `${head('Transfer-Encoding: chunked\r\n')}${chunk('x'.repeat(200_000))}${chunk('x'.repeat(200_000))}0\r\n\r\n`, [], 50),
      trickle(port, `${head('Transfer-Encoding: chunked\r\n')}zz\r\nnope\r\n`, [], 50),
      trickle(port, `${head('Content-Encoding: gzip\r\nContent-Length: 1000\r\n')}\u001f\u008b`, [], 50, { destroyAfterMs: 200 }),
    ];
    const results = await Promise.all(cases);
    expect(results[2].text).toMatch(/^HTTP\/1\.1 413 /);
    expect(results[3].text).toMatch(/^HTTP\/1\.1 413 /);
    expect(results[4].text).toMatch(/^HTTP\/1\.1 400 /);
    await answersHelp();
  });

  it('cuts clients that send one byte a second (headers and bodies, 50 at once) while others are answered', async () => {
    const body = helpTurn();
    const slowBodies = Array.from({ length: 25 }, () => trickle(port, `POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`, [...body], 1000));
    const slowHeaders = Array.from({ length: 25 }, (_, i) => trickle(port, 'POST /api/messages HTTP/1.1\r\n', [...`Host: x\r\nX-Slow-${i}: ${'y'.repeat(100)}\r\n`], 1000));
    await new Promise((res) => setTimeout(res, 300));
    const t0 = Date.now();
    await answersHelp();
    expect(Date.now() - t0).toBeLessThan(2000);
    const bodies = await Promise.all(slowBodies);
    const headers = await Promise.all(slowHeaders);
    for (const b of bodies) {
      expect(b.text).toMatch(/^HTTP\/1\.1 408 /);
      expect(b.ms).toBeLessThan(4000);
    }
    for (const h of headers) expect(h.ms).toBeLessThan(5000);
    await answersHelp();
  }, 30_000);
});
