/** A local stand-in for the Bot Connector service: captures what the bot sends, updates and creates. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedActivity {
  conversationId: string;
  /** Set for replies (POST .../activities/:replyToId). */
  replyToId?: string;
  id: string;
  activity: Record<string, unknown> & { type?: string; text?: string; attachments?: { contentType: string; content: unknown }[] };
}

export interface ConnectorStandIn {
  url: string;
  sent: CapturedActivity[];
  updates: CapturedActivity[];
  created: Record<string, unknown>[];
  /** Resolves with the first sent activity matching `pred` (waits up to `ms`). */
  waitForSent(pred: (a: CapturedActivity) => boolean, ms?: number): Promise<CapturedActivity>;
  waitForUpdate(pred: (a: CapturedActivity) => boolean, ms?: number): Promise<CapturedActivity>;
  clear(): void;
  close(): Promise<void>;
}

/** Starts the stand-in on an ephemeral loopback port. */
export async function startConnector(): Promise<ConnectorStandIn> {
  const sent: CapturedActivity[] = [];
  const updates: CapturedActivity[] = [];
  const created: Record<string, unknown>[] = [];
  let counter = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = decodeURI(req.url ?? '');
      const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      const m = url.match(/^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/);
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && url === '/v3/conversations') {
        created.push(json);
        res.end(JSON.stringify({ id: `created-${++counter}`, activityId: `act-${counter}` }));
        return;
      }
      if (m && req.method === 'POST') {
        const id = `act-${++counter}`;
        sent.push({ conversationId: decodeURIComponent(m[1]), replyToId: m[2] ? decodeURIComponent(m[2]) : undefined, id, activity: json });
        res.end(JSON.stringify({ id }));
        return;
      }
      if (m && req.method === 'PUT' && m[2]) {
        const id = decodeURIComponent(m[2]);
        updates.push({ conversationId: decodeURIComponent(m[1]), id, activity: json });
        res.end(JSON.stringify({ id }));
        return;
      }
      if (m && req.method === 'DELETE') {
        res.statusCode = 200;
        res.end('{}');
        return;
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { code: 'NotFound', message: url } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const waitIn = (list: CapturedActivity[]) => (pred: (a: CapturedActivity) => boolean, ms = 5000) =>
    new Promise<CapturedActivity>((resolve, reject) => {
      const started = Date.now();
      const tick = () => {
        const hit = list.find(pred);
        if (hit) return resolve(hit);
        if (Date.now() - started > ms) return reject(new Error(`nothing matched within ${ms} ms (have ${list.length})`));
        setTimeout(tick, 10);
      };
      tick();
    });
  return {
    url,
    sent,
    updates,
    created,
    waitForSent: waitIn(sent),
    waitForUpdate: waitIn(updates),
    clear() {
      sent.length = 0;
      updates.length = 0;
      created.length = 0;
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
