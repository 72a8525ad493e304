/**
 * HTTP surface: POST /api/messages (CloudAdapter) and GET /healthz. Bodies are read and checked here so that a
 * bad body gets 400, a large one 413, an authentication failure 401 — never a 500 or a crash. Duplicate
 * deliveries of one activity (Teams retries) are answered once: a retry reaching the same instance gets the first
 * answer again; a delivery that another instance (or an earlier, forgotten one here) already claimed in the shared
 * store (`claimOnce`) runs no turn and gets an empty 200.
 */
import { createHash } from 'node:crypto';
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
  version: string;
  storageStatus: () => object;
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

const ActivityShape = z
  .object({
    type: z.string().min(1).max(100),
    id: z.string().max(1000).optional(),
    serviceUrl: z.string().max(2000).optional(),
    channelId: z.string().max(100).optional(),
    conversation: z.object({ id: z.string().min(1).max(2000) }).passthrough(),
    from: z.object({ id: z.string().max(1000).optional() }).passthrough().optional(),
    recipient: z.object({ id: z.string().max(1000).optional() }).passthrough().optional(),
    text: z.string().optional(),
    locale: z.string().max(100).optional(),
  })
  .passthrough();

interface Answer {
  status: number;
  body?: unknown;
}

/** Builds the restify server. */
export function createServer(deps: ServerDeps): BotServer {
  const log = deps.logger.child({ component: 'http' });
  const server = restify.createServer({ name: 'partner-support-assistant', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyReader({ maxBodySize: deps.maxBodyBytes }));
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

  server.get('/healthz', (_req, res, next) => {
    const body = { status: ready && !draining ? 'ok' : draining ? 'stopping' : 'starting', version: deps.version, storage: deps.storageStatus() };
    res.send(ready && !draining ? 200 : 503, body);
    return next();
  });

  server.post('/api/messages', async (req, res) => {
    if (draining) return reply(res, { status: 503, body: { error: 'stopping' } });
    const raw = (req as unknown as { body?: Buffer | string }).body;
    const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : '';
    let json: unknown;
    try {
      json = JSON.parse(text);
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

  const stringify = deps.stringify ?? ((body: unknown) => JSON.stringify(body));
  function reply(res: restify.Response, a: Answer): void {
    if (a.body === undefined) {
      res.status(a.status);
      res.end();
    } else {
      const text = stringify(a.body);
      res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
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
