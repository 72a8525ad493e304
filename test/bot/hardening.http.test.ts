/**
 * What an unauthenticated stranger can send to the HTTP surface: compressed, broken, slow and malformed bodies,
 * invokes the app does not serve, probes of /healthz. None of them may stop the process or get a 5xx, and after
 * each one the same process still answers a normal turn.
 */
import http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';
import { message, people } from '../helpers/activities.js';
import { startTestApp, textOf, type TestApp } from '../helpers/app.js';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** POST /api/messages with exactly these headers and body bytes (no client-side encoding). */
function rawPost(t: TestApp, headers: Record<string, string>, body: Buffer): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const u = new URL(`${t.url}/api/messages`);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Speaks HTTP by hand: writes `head`, then `pieces` one every `everyMs`; resolves with what came back and when the
 * server closed the connection (or `giveUpMs` passed).
 */
function rawSocket(t: TestApp, head: string, opts: { pieces?: string[]; everyMs?: number; destroyAfterMs?: number; giveUpMs?: number } = {}): Promise<{ text: string; closedAfterMs: number; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const port = Number(new URL(t.url).port);
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      if (timer) clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ text, closedAfterMs: Date.now() - started, closedByServer });
    };
    const giveUp = setTimeout(() => finish(false), opts.giveUpMs ?? 10_000);
    socket.on('error', () => undefined);
    socket.on('data', (d) => (text += d.toString('utf8')));
    socket.on('close', () => finish(true));
    socket.on('connect', () => {
      socket.write(head);
      const pieces = [...(opts.pieces ?? [])];
      if (pieces.length) {
        timer = setInterval(() => {
          const p = pieces.shift();
          if (p === undefined) return clearInterval(timer);
          socket.write(p);
        }, opts.everyMs ?? 100);
      }
      if (opts.destroyAfterMs !== undefined) setTimeout(() => finish(false), opts.destroyAfterMs);
    });
  });
}

const helpBody = () => Buffer.from(JSON.stringify(message('help')));

/** The same process still answers a normal turn. */
async function stillAnswers(t: TestApp): Promise<void> {
  const replies = await t.replies(message('help'));
  expect(textOf(replies[0])).toContain('Partner Support Assistant');
}

const errorLines = (t: TestApp) => t.logs.map((l) => JSON.parse(l)).filter((l) => l.level === 'error' || l.level === 'fatal');

describe('request bodies: encodings, broken streams, sizes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(async () => {
    await stillAnswers(t);
  });

  it.each([
    ['gzip that is not gzip', 'gzip', () => Buffer.from('{"type":"message"}')],
    ['truncated gzip', 'gzip', () => zlib.gzipSync(helpBody()).subarray(0, 20)],
    ['valid gzip of an activity (not inflated: channels send plain JSON)', 'gzip', () => zlib.gzipSync(helpBody())],
    ['x-gzip', 'x-gzip', () => zlib.gzipSync(helpBody())],
    ['deflate', 'deflate', () => zlib.deflateSync(helpBody())],
    ['invalid deflate', 'deflate', () => Buffer.from('not deflate')],
    ['br', 'br', () => zlib.brotliCompressSync(helpBody())],
    ['invalid br', 'br', () => Buffer.from([0xff, 0xff, 0xff, 0xff])],
    ['an unknown encoding', 'x-unknown', () => helpBody()],
    ['two encodings', 'identity, gzip', () => zlib.gzipSync(helpBody())],
  ])('refuses %s with 415, unread', async (_name, encoding, body) => {
    const res = await rawPost(t, { 'content-encoding': encoding }, body());
    expect(res.status).toBe(415);
    expect(JSON.parse(res.body)).toEqual({ error: expect.stringMatching(/Content-Encoding/) });
  });

  it.each(['identity', 'IDENTITY', ''])('accepts Content-Encoding "%s" (plain JSON)', async (encoding) => {
    const res = await rawPost(t, { 'content-encoding': encoding }, Buffer.from(JSON.stringify({ ...message('help'), deliveryMode: 'expectReplies' })));
    expect(res.status).toBe(200);
    expect(res.body).toContain('Partner Support Assistant');
  });

  it('refuses a gzip bomb (64 MB of zeros in 64 KB, under the size limit) without inflating it', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(256 * 1024);
    const before = process.memoryUsage().rss;
    const results = await Promise.all(Array.from({ length: 8 }, () => rawPost(t, { 'content-encoding': 'gzip' }, bomb)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(415));
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a body announced above the limit with 413 before reading it, and closes the connection', async () => {
    const r = await rawSocket(t, `POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n{"type":`);
    expect(r.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(r.closedByServer).toBe(true);
  });

  it('refuses a chunked body that grows past the limit with 413', async () => {
    const big = JSON.stringify(message('x'.repeat(300 * 1024)));
    const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;
    const r = await rawSocket(t, `POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunk(big.slice(0, 200_000))}${chunk(big.slice(200_000))}0\r\n\r\n`);
    expect(r.text).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('survives a body stream that breaks off (client gone mid-body) and logs it as a refused body', async () => {
    const r = await rawSocket(t, 'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"type":"mess', { destroyAfterMs: 100 });
    expect(r.closedByServer).toBe(false);
    await new Promise((res) => setTimeout(res, 100));
    const refused = t.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request body refused');
    expect(refused.at(-1)).toMatchObject({ level: 'warn', status: 400, reason: expect.stringMatching(/^(aborted|streamError)$/) });
  });

  it('answers broken chunked framing with 400 (Node refuses it before the app)', async () => {
    const r = await rawSocket(t, 'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{"type":"message"}\r\n');
    expect(r.text).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('writes no error-level log line for any of these', () => {
    expect(errorLines(t)).toEqual([]);
  });
});

describe('slow clients cannot hold a connection', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { HEADERS_TIMEOUT_MS: '500', BODY_TIMEOUT_MS: '500' } });
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(async () => {
    await stillAnswers(t);
  });

  it('cuts a body that arrives one byte at a time with 408', async () => {
    const body = JSON.stringify(message('help'));
    const r = await rawSocket(t, `POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`, { pieces: [...body], everyMs: 200 });
    expect(r.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(r.closedByServer).toBe(true);
    expect(r.closedAfterMs).toBeLessThan(3000);
  });

  it('cuts headers that arrive one line at a time', async () => {
    const r = await rawSocket(t, 'POST /api/messages HTTP/1.1\r\n', { pieces: Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: y\r\n`), everyMs: 200 });
    expect(r.closedByServer).toBe(true);
    expect(r.closedAfterMs).toBeLessThan(4000);
  });

  it('drops a refused compressed body that then trickles in, within the body timeout', async () => {
    const r = await rawSocket(t, 'POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 100\r\n\r\n', { pieces: Array(100).fill('a'), everyMs: 200 });
    expect(r.text).toMatch(/^HTTP\/1\.1 415 /);
    expect(r.closedByServer).toBe(true);
    expect(r.closedAfterMs).toBeLessThan(3000);
  });
});

describe('identity fields are checked once, at the edge', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });

  const base = () => message('help') as Record<string, any>;
  it.each([
    ['from.aadObjectId a number', (a: Record<string, any>) => (a.from.aadObjectId = 5)],
    ['from.aadObjectId an object', (a: Record<string, any>) => (a.from.aadObjectId = { id: 'x' })],
    ['from.id a number', (a: Record<string, any>) => (a.from.id = 5)],
    ['from.name an array', (a: Record<string, any>) => (a.from.name = ['x'])],
    ['from a string', (a: Record<string, any>) => (a.from = 'x')],
    ['recipient.id an object', (a: Record<string, any>) => (a.recipient.id = {})],
    ['conversation.id a number', (a: Record<string, any>) => (a.conversation.id = 5)],
    ['conversation.tenantId a number', (a: Record<string, any>) => (a.conversation.tenantId = 5)],
    ['channelData.tenant.id an array', (a: Record<string, any>) => (a.channelData.tenant.id = ['x'])],
    ['channelData a string', (a: Record<string, any>) => (a.channelData = 'x')],
    ['locale a number', (a: Record<string, any>) => (a.locale = 5)],
    ['an invoke name that is a number', (a: Record<string, any>) => Object.assign(a, { type: 'invoke', name: 5 })],
  ])('refuses an activity with %s with 400, no turn and no error log', async (_name, change) => {
    const a = base();
    change(a);
    const res = await t.post(a);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Body is not a Bot Framework activity');
    expect(errorLines(t)).toEqual([]);
    await stillAnswers(t);
  });
});

describe('invokes the app does not serve', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });

  const invoke = (name: string | undefined, value: unknown, opts: Parameters<typeof message>[1] = {}) => {
    const { text: _text, textFormat: _f, ...rest } = message('x', opts) as Record<string, unknown>;
    return { ...rest, type: 'invoke', ...(name === undefined ? {} : { name }), value };
  };

  it.each([
    ['task/fetch', { data: {} }, (b: any) => expect(b).toEqual({ task: { type: 'message', value: expect.any(String) } })],
    ['task/submit', { data: {} }, (b: any) => expect(b.task.type).toBe('message')],
    ['composeExtension/query', { commandId: 'search', parameters: [{ name: 'q', value: 'sql' }] }, (b: any) => expect(b).toEqual({ composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [], text: expect.any(String) } })],
    ['composeExtension/query', undefined, (b: any) => expect(b.composeExtension.attachments).toEqual([])],
    ['composeExtension/submitAction', undefined, (b: any) => expect(b.composeExtension.type).toBe('message')],
    ['composeExtension/fetchTask', {}, (b: any) => expect(b.task.type).toBe('message')],
    ['composeExtension/queryLink', { url: 'https://x.example' }, (b: any) => expect(b.composeExtension.attachments).toEqual([])],
    ['config/fetch', {}, (b: any) => expect(b).toEqual({ responseType: 'config', config: { type: 'message', value: expect.any(String) } })],
    ['tab/fetch', {}, (b: any) => expect(b.tab.type).toBe('continue')],
    ['fileConsent/invoke', { action: 'nonsense' }, (b: any) => expect(b).toBeUndefined()],
    ['signin/verifyState', { state: '1' }, (b: any) => expect(b).toBeUndefined()],
    ['application/search', { kind: 'search' }, (b: any) => expect(b.type).toBe('application/vnd.microsoft.error')],
    ['something/unknown', {}, (b: any) => expect(b).toEqual({ statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: expect.stringContaining('help') } })],
    [undefined, {}, (b: any) => expect(b.type).toBe('application/vnd.microsoft.error')],
  ])('answers %s with HTTP 200 and a well-formed body', async (name, value, check) => {
    const res = await t.post(invoke(name, value));
    expect(res.status).toBe(200);
    check(res.body);
    expect(errorLines(t)).toEqual([]);
  });

  it('answers in Korean for a Korean client', async () => {
    const res = await t.post({ ...invoke('task/fetch', {}), locale: 'ko-KR' });
    expect(res.body.task.value).toMatch(/[가-힣]/);
  });

  it('still refuses other tenants politely on an invoke', async () => {
    const res = await t.post(invoke('task/fetch', {}, { from: people.otherTenant }));
    expect(res.status).toBe(200);
    expect(res.body.value).toMatch(/one partner organisation/);
  });
});

describe('/healthz and /readyz', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('/healthz answers only its status: no version, paths, files, tenants or storage', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: 'ok' });
    expect(text).not.toContain(t.dataDir);
  });

  it('/readyz answers 200 {status: ok} while storage is usable', async () => {
    const res = await fetch(`${t.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz answers 503 once storage is not usable, /healthz stays 200', async () => {
    const other = await startTestApp();
    try {
      await other.app.deps.store.close();
      const ready = await fetch(`${other.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable' });
      expect((await fetch(`${other.url}/healthz`)).status).toBe(200);
    } finally {
      await other.stop();
    }
  });
});
