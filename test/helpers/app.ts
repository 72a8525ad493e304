/** Starts the real app (HTTP server, lowdb store on a temp dir) for integration tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type App, type AppOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { setServiceUrl } from './activities.js';
import { startConnector, type ConnectorStandIn } from './connector.js';

export interface TestApp {
  app: App;
  url: string;
  dataDir: string;
  connector: ConnectorStandIn;
  logs: string[];
  /** Posts an activity; returns status and parsed body. */
  post(activity: object, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** Posts with expectReplies and returns the reply activities. */
  replies(activity: object): Promise<any[]>;
  stop(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Org file content (object) written to a temp file; default: the 2021 sample org (config/org.mpn-2021.sample.json). */
  org?: object;
  dataDir?: string;
  now?: () => Date;
  directory?: AppOptions['directory'];
  capabilities?: AppOptions['capabilities'];
}

/** Starts the app on an ephemeral port with a connector stand-in as serviceUrl. */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'psa-test-'));
  const env: Record<string, string> = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'debug', NODE_ENV: 'test', ...opts.env };
  if (opts.org) {
    const orgPath = path.join(dataDir, 'org.test-input.json');
    fs.writeFileSync(orgPath, JSON.stringify(opts.org));
    env.ORG_FILE = orgPath;
  } else if (!env.ORG_FILE) {
    // The suites written for the 2021 programme keep their organisation; tests of today's programme pass theirs.
    env.ORG_FILE = path.resolve('config/org.mpn-2021.sample.json');
  }
  const connector = await startConnector();
  setServiceUrl(connector.url);
  const logs: string[] = [];
  const config = loadConfig(env as NodeJS.ProcessEnv, 'test');
  const app = await startApp(config, { logSink: { write: (l: string) => logs.push(l) }, now: opts.now, directory: opts.directory, capabilities: opts.capabilities });
  const url = `http://127.0.0.1:${app.port}`;
  const post = async (activity: object, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
    const text = await res.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    await app.deps.background.settled(); // what the turn started after its answer (triage posts) is done too
    return { status: res.status, body };
  };
  return {
    app,
    url,
    dataDir,
    connector,
    logs,
    post,
    async replies(activity) {
      const r = await post({ ...activity, deliveryMode: 'expectReplies' });
      if (r.status !== 200) throw new Error(`status ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body?.activities ?? [];
    },
    async stop() {
      await app.stop();
      await connector.close();
    },
  };
}

/** All text of a reply: message text plus every TextBlock/TextRun/Fact/title in its cards. */
export function textOf(activity: any): string {
  const parts: string[] = [];
  if (typeof activity?.text === 'string') parts.push(activity.text);
  const walk = (n: any) => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    for (const k of ['text', 'title', 'value', 'label', 'placeholder']) if (typeof n[k] === 'string') parts.push(n[k]);
    for (const v of Object.values(n)) if (typeof v === 'object') walk(v);
  };
  walk(activity?.attachments ?? activity);
  return parts.join('\n');
}

/** The first adaptive card of an activity. */
export function cardOf(activity: any): any {
  return activity?.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** Every action (with verb/data) found in a card, depth-first. */
export function actionsOf(card: any): any[] {
  const out: any[] = [];
  const walk = (n: any) => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n.type === 'string' && n.type.startsWith('Action.')) out.push(n);
    for (const v of Object.values(n)) if (typeof v === 'object') walk(v);
  };
  walk(card);
  return out;
}
