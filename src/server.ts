/**
 * HTTP surface: POST /api/messages (CloudAdapter), GET /healthz (liveness) and GET /readyz (readiness). Bodies are
 * read and checked here, not by restify's body reader (which inflates gzip itself): a compressed body gets 415
 * unread, a bad or broken body 400, a large one 413, a slow one 408, malformed identity fields 400, an
 * authentication failure 401 — never a 500 or a crash. Duplicate
 * deliveries of one activity (Teams retries) are answered once: a retry reaching the same instance gets the first
 * answer again; a delivery that another instance (or an earlier, forgotten one here) already claimed in the shared
 * store (`claimOnce`) runs no turn and gets an empty 200.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import restify from 'restify';
import type { Activity } from 'botbuilder';
import type { AppAdapter } from './bot/adapter.js';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from './logging/logger.js';

export interface ServerDeps {
  adapter: AppAdapter;
  logic: (context: TurnContext) => Promise<void>;
  logger: Logger;
  maxBodyBytes: number;
  /** Headers must arrive within this; default 10 s. */
  headersTimeoutMs?: number;
  /** The body must arrive within this once the headers did; default 10 s. */
  bodyTimeoutMs?: number;
  /** True while storage can be used (/readyz). */
  storageOk: () => boolean;
  /** Duplicate-delivery window; default 10 minutes. */
  dedupeMs?: number;
  /**
   * The duplicate-delivery check shared by every instance (Store.claimOnce): true the first time `key` is claimed
   * within `ttlMs`. Called after authentication, once per delivery that this instance has not seen.
   */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a claim (Store.releaseClaim), so a retry of a failed or refused turn is processed again. */
  releaseClaim(key: string): Promise<void>;
  /** Serialises reply bodies (default JSON.stringify; the app passes one that reuses rendered cards' JSON). */
  stringify?: (body: unknown) => string;
}

export interface BotServer {
  server: restify.Server;
  listen(port: number, host?: string): Promise<number>;
  setReady(ready: boolean): void;
  /** Stops accepting, waits for turns in flight (up to timeoutMs). */
  drain(timeoutMs: number): Promise<boolean>;
}

const Id = z.string().max(1000);
const Account = z.object({ id: Id.optional(), aadObjectId: z.string().max(100).optional(), name: z.string().max(1000).optional() }).passthrough();

/** The envelope every turn relies on, identity fields included: wrong types are refused here, not met inside a turn. */
const ActivityShape = z
  .object({
    type: z.string().min(1).max(100),
    id: Id.optional(),
    name: z.string().max(1000).optional(),
    serviceUrl: z.string().max(2000).optional(),
    channelId: z.string().max(100).optional(),
    conversation: z.object({ id: z.string().min(1).max(2000), tenantId: z.string().max(100).optional() }).passthrough(),
    from: Account.optional(),
    recipient: Account.optional(),
    channelData: z.object({ tenant: z.object({ id: z.string().max(100).optional() }).passthrough().optional() }).passthrough().optional(),
    text: z.string().optional(),
    locale: z.string().max(100).optional(),
  })
  .passthrough();

interface Answer {
  status: number;
  body?: unknown;
}

type BodyRead = { ok: true; text: string } | { ok: false; status: 400 | 408 | 413 | 415; error: string; reason: string };

/** Absent or identity: Bot Framework channels send plain JSON, so nothing else is accepted (and nothing is ever inflated). */
function plainEncoding(header: string | string[] | undefined): boolean {
  if (header === undefined) return true;
  const v = (Array.isArray(header) ? header.join(',') : header).trim().toLowerCase();
  return v === '' || v === 'identity';
}

/**
 * Reads the raw body: refused unread when compressed (415) or announced too large (413); 413 past the limit, 400
 * when the stream breaks, 408 when it does not arrive within `timeoutMs`. Never throws.
 */
export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<BodyRead> {
  if (!plainEncoding(req.headers['content-encoding'])) {
    return Promise.resolve({ ok: false, status: 415, error: 'Unsupported Content-Encoding', reason: 'encoding' });
  }
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > maxBytes) {
    return Promise.resolve({ ok: false, status: 413, error: 'Body too large', reason: 'announcedSize' });
  }
  return new Promise<BodyRead>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (r: BodyRead) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.removeListener('data', onData);
      if (!r.ok) req.resume(); // whatever still arrives is dropped, until the connection closes after the answer
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish({ ok: false, status: 413, error: 'Body too large', reason: 'size' });
      else chunks.push(chunk);
    };
    const timer = setTimeout(() => finish({ ok: false, status: 408, error: 'Body not received in time', reason: 'timeout' }), timeoutMs);
    timer.unref();
    req.on('data', onData);
    req.once('end', () => finish({ ok: true, text: Buffer.concat(chunks, size).toString('utf8') }));
    req.on('error', () => finish({ ok: false, status: 400, error: 'Body could not be read', reason: 'streamError' }));
    req.once('close', () => finish({ ok: false, status: 400, error: 'Body could not be read', reason: 'aborted' }));
  });
}

/** Builds the restify server. */
export function createServer(deps: ServerDeps): BotServer {
  const log = deps.logger.child({ component: 'http' });
  const server = restify.createServer({ name: 'partner-support-assistant', handleUncaughtExceptions: false });
  const headersTimeoutMs = deps.headersTimeoutMs ?? 10_000;
  const bodyTimeoutMs = deps.bodyTimeoutMs ?? 10_000;
  // Node's own limits: headers (and, as a backstop, the whole request) within the timeouts; checked often enough
  // that a short timeout means what it says. The body has its own timer in readBody.
  server.server.headersTimeout = headersTimeoutMs;
  server.server.requestTimeout = headersTimeoutMs + bodyTimeoutMs;
  (server.server as { connectionsCheckingInterval?: number }).connectionsCheckingInterval = Math.min(1000, headersTimeoutMs);
  let ready = false;
  let draining = false;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const dedupeMs = deps.dedupeMs ?? 10 * 60 * 1000;
  // Keys are kept for the whole window; the answers themselves (reply bodies) only briefly, to bound memory.
  const answerMs = Math.min(dedupeMs, 60_000);
  const maxKeys = 200_000;
  const seen = new Map<string, { expires: number; answerExpires: number; answer?: Promise<Answer> }>();

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [k, v] of seen) {
      if (v.expires < now) seen.delete(k);
      else if (v.answer && v.answerExpires < now) v.answer = undefined;
    }
  }, 30_000);
  sweep.unref();

  const liveness = () => (draining ? 'stopping' : ready ? 'ok' : 'starting');
  // Status only: nothing about versions, paths, files or tenants for whoever can reach the port.
  server.get('/healthz', (_req, res, next) => {
    const status = liveness();
    reply(res, { status: status === 'ok' ? 200 : 503, body: { status } });
    return next();
  });
  server.get('/readyz', (_req, res, next) => {
    let status: string = liveness();
    if (status === 'ok' && !storageOk()) status = 'unavailable';
    reply(res, { status: status === 'ok' ? 200 : 503, body: { status } });
    return next();
  });

  server.post('/api/messages', async (req, res) => {
    if (draining) {
      refuseUnread(req, res, { status: 503, body: { error: 'stopping' } });
      return;
    }
    const body = await readBody(req, deps.maxBodyBytes, bodyTimeoutMs);
    if (!body.ok) {
      log.warn({ status: body.status, reason: body.reason }, 'request body refused');
      if (body.status === 415) refuseUnread(req, res, { status: 415, body: { error: 'Content-Encoding is not supported: send the body uncompressed' } });
      else reply(res, { status: body.status, body: { error: body.error } }, { close: true });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(body.text);
    } catch {
      return reply(res, { status: 400, body: { error: 'Body is not JSON' } });
    }
    const shape = ActivityShape.safeParse(json);
    if (!shape.success) return reply(res, { status: 400, body: { error: 'Body is not a Bot Framework activity', issues: shape.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) } });
    const activity = shape.data as unknown as Activity;
    const auth = req.header('authorization') ?? '';

    const key = activity.id ? `${activity.conversation.id}|${activity.id}|${activity.type}` : undefined;
    const prior = key ? seen.get(key) : undefined;
    if (prior && prior.expires > Date.now()) {
      // A retry is authenticated like any request before it gets the first answer (a forged replay gets its 401);
      // the retry's token may differ from the first delivery's, so the token is not part of the key.
      const check = await process(activity, auth, async () => undefined);
      if (check.status === 401) return reply(res, check);
      log.info({ activityId: activity.id }, 'duplicate delivery answered from the first turn');
      return reply(res, prior.answer ? await prior.answer : { status: 200, body: activity.deliveryMode === 'expectReplies' ? { activities: [] } : undefined });
    }
    inFlight++;
    // The shared claim is made inside the turn logic, i.e. after the adapter authenticated the request: a forged
    // delivery can neither take a key from the real one nor learn whether it was seen.
    const turn = { duplicate: false, claimed: false };
    const logic: ServerDeps['logic'] = async (ctx) => {
      if (key && !(await claimSafely(key, turn))) {
        turn.duplicate = true;
        return;
      }
      await deps.logic(ctx);
    };
    const answer = process(activity, auth, logic).then((a): Answer => {
      if (!turn.duplicate) return a;
      log.info({ activityId: activity.id }, 'duplicate delivery: already claimed by an earlier delivery (this or another instance); no turn');
      // Also for invokes (the adapter would say 501 for a turn that set no invoke response).
      return { status: 200, body: activity.deliveryMode === 'expectReplies' ? { activities: [] } : undefined };
    });
    if (key) {
      if (seen.size >= maxKeys) seen.delete(seen.keys().next().value as string);
      const now = Date.now();
      seen.set(key, { expires: now + dedupeMs, answerExpires: now + answerMs, answer });
    }
    try {
      const a = await answer;
      if (key && a.status >= 400) {
        // A failed or refused turn may be retried, here or on another instance.
        seen.delete(key);
        if (turn.claimed) release(key);
      }
      reply(res, a);
    } finally {
      inFlight--;
      if (inFlight === 0 && idle) idle();
    }
  });

  /**
   * Claims `key` in the shared store. When the store cannot answer, the turn runs anyway: better a rare duplicate
   * turn than a lost message. `turn.claimed` records that this delivery holds the claim (so it may release it).
   */
  async function claimSafely(key: string, turn: { claimed: boolean }): Promise<boolean> {
    try {
      turn.claimed = await deps.claimOnce(claimKey(key), dedupeMs);
      return turn.claimed;
    } catch (err) {
      log.warn({ error: (err as Error).name, message: (err as Error).message?.slice(0, 200) }, 'duplicate-delivery check unavailable; processing the activity');
      return true;
    }
  }

  /** The key in the shared store: short keys as they are, long ones (up to 3 KB of ids) hashed to fit an index entry. */
  function claimKey(key: string): string {
    return key.length <= 200 ? `activity|${key}` : `activity#${createHash('sha256').update(key).digest('base64url')}`;
  }

  /** Forgets the shared claim without holding up the answer. */
  function release(key: string): void {
    deps.releaseClaim(claimKey(key)).catch((err: unknown) => {
      log.warn({ error: (err as Error).name, message: (err as Error).message?.slice(0, 200) }, 'duplicate-delivery claim not released; a retry within the window is answered as a duplicate');
    });
  }

  async function process(activity: Activity, auth: string, logic: ServerDeps['logic'] = deps.logic): Promise<Answer> {
    let logicStarted = false;
    try {
      const invokeResponse = await deps.adapter.handle(auth, activity, async (ctx) => {
        logicStarted = true;
        await logic(ctx);
      });
      return { status: invokeResponse?.status ?? 200, body: invokeResponse?.body };
    } catch (err) {
      if (!logicStarted) {
        // Everything before the turn logic is authentication of the request: a failure there is a 401.
        log.warn({ error: (err as Error).name, message: (err as Error).message?.slice(0, 200) }, 'request refused before the turn');
        return { status: 401, body: { error: 'Unauthorized' } };
      }
      log.error({ err }, 'turn failed outside the turn error handler');
      return { status: 500, body: { error: 'Internal error' } };
    }
  }

  function storageOk(): boolean {
    try {
      return deps.storageOk();
    } catch {
      return false;
    }
  }

  /**
   * Answers before the body is read. A body small enough is then read and dropped by Node (the connection stays
   * usable); a larger or unannounced one is not waited for: the connection closes after the answer.
   */
  function refuseUnread(req: IncomingMessage, res: restify.Response, a: Answer): void {
    const length = Number(req.headers['content-length']);
    reply(res, a, { close: !(Number.isFinite(length) && length <= deps.maxBodyBytes) });
    if (req.complete) return;
    req.on('error', () => undefined);
    // Dropping it must not take longer than reading it would have.
    const timer = setTimeout(() => req.socket.destroy(), bodyTimeoutMs);
    timer.unref();
    req.once('close', () => clearTimeout(timer));
  }

  const stringify = deps.stringify ?? ((body: unknown) => JSON.stringify(body));
  function reply(res: restify.Response, a: Answer, opts: { close?: boolean } = {}): void {
    if (res.headersSent || res.destroyed) return; // the client is gone, or a timeout answered already
    const headers: Record<string, string | number> = opts.close ? { connection: 'close' } : {};
    if (a.body === undefined) {
      res.writeHead(a.status, headers);
      res.end();
    } else {
      const text = stringify(a.body);
      res.writeHead(a.status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    }
  }

  server.on('restifyError', (req: restify.Request, res: restify.Response, err: Error & { statusCode?: number }, cb: () => void) => {
    log.warn({ status: err.statusCode, path: req.path(), error: err.name }, 'request rejected');
    return cb();
  });

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host ?? '0.0.0.0', () => {
          server.removeListener('error', reject);
          resolve((server.address() as { port: number }).port);
        });
      });
    },
    setReady(r) {
      ready = r;
    },
    async drain(timeoutMs) {
      draining = true;
      clearInterval(sweep);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const done = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve));
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
      const r = await Promise.race([done.then(() => 'ok' as const), timeout]);
      server.server.closeAllConnections?.();
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 500).unref())]);
      return r === 'ok';
    },
  };
}
